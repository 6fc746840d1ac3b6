#include "catalog/format.h"

#include "gtest/gtest.h"

namespace wetlink::catalog {
namespace {

TEST(FormatTest, HectaresFromTheBundledCatalog) {
  EXPECT_EQ(FormatHectares(3525.7), "3,525.7 ha");
  EXPECT_EQ(FormatHectares(1416.13), "1,416.13 ha");
  EXPECT_EQ(FormatHectares(8000), "8,000 ha");
  EXPECT_EQ(FormatHectares(740000), "740,000 ha");
  EXPECT_EQ(FormatHectares(83.3), "83.3 ha");
}

TEST(FormatTest, ZeroAndNegative) {
  EXPECT_EQ(FormatHectares(0), "0 ha");
  EXPECT_EQ(FormatGrouped(-1234.5), "-1,234.5");
  EXPECT_EQ(FormatGrouped(-83.3), "-83.3");
  // Negative values that print as zero get no sign ("-0" would be noise).
  EXPECT_EQ(FormatGrouped(-0.001), "0");
  EXPECT_EQ(FormatGrouped(-0.0), "0");
}

TEST(FormatTest, AtMostTwoDecimals) {
  EXPECT_EQ(FormatGrouped(1234567.891), "1,234,567.89");
  EXPECT_EQ(FormatGrouped(0.5), "0.5");
  EXPECT_EQ(FormatGrouped(2.10), "2.1");  // trailing zero dropped
  // Rounding can carry into a new thousands group.
  EXPECT_EQ(FormatGrouped(999.999), "1,000");
}

TEST(FormatTest, GroupingAtEveryThreeDigits) {
  EXPECT_EQ(FormatGrouped(1), "1");
  EXPECT_EQ(FormatGrouped(999), "999");
  EXPECT_EQ(FormatGrouped(1000), "1,000");
  EXPECT_EQ(FormatGrouped(100000), "100,000");
  EXPECT_EQ(FormatGrouped(1000000), "1,000,000");
  EXPECT_EQ(FormatGrouped(12345678), "12,345,678");
}

}  // namespace
}  // namespace wetlink::catalog
