#include "catalog/one_percent.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"

namespace wetlink::catalog {
namespace {

// Rules (one_percent.h): 1 % rounded 1-10 -> nearest 1, 11-100 -> nearest 5,
// 101-1,000 -> nearest 10, above 1,000 -> nearest 100; >= 2,000,000 -> 20,000.

TEST(OnePercentTest, BundledSpeciesKnownAnswers) {
  EXPECT_EQ(WpeOnePercentThreshold(7081), 70);    // BFS: 70.81 -> nearest 5
  EXPECT_EQ(WpeOnePercentThreshold(13100), 130);  // WNC: 131 -> nearest 10
  EXPECT_EQ(WpeOnePercentThreshold(19300), 190);  // HC: 193 -> nearest 10
  EXPECT_EQ(WpeOnePercentThreshold(4600), 45);    // RCC: 46 -> nearest 5
  EXPECT_EQ(WpeOnePercentThreshold(6500), 65);    // WNC IUCN mid-point: 65 exactly
  EXPECT_EQ(WpeOnePercentThreshold(15000), 150);  // HC winter mid-point: 150 exactly
  EXPECT_EQ(WpeOnePercentThreshold(25000), 250);
}

TEST(OnePercentTest, BandOneToTenRoundsToNearestOne) {
  EXPECT_EQ(WpeOnePercentThreshold(300), 3);
  EXPECT_EQ(WpeOnePercentThreshold(349), 3);   // 3.49
  EXPECT_EQ(WpeOnePercentThreshold(350), 4);   // 3.5: halves round up
  EXPECT_EQ(WpeOnePercentThreshold(1000), 10);
  EXPECT_EQ(WpeOnePercentThreshold(1049), 10);  // 10.49 still rounds to 10
}

TEST(OnePercentTest, SmallPopulationsGiveZeroBelowFifty) {
  // 1 % below 0.5 rounds to nothing; from 0.5 on the threshold is at least 1.
  EXPECT_EQ(WpeOnePercentThreshold(49), 0);
  EXPECT_EQ(WpeOnePercentThreshold(49.99), 0);
  EXPECT_EQ(WpeOnePercentThreshold(50), 1);
  EXPECT_EQ(WpeOnePercentThreshold(1), 0);
}

TEST(OnePercentTest, BoundaryBetweenNearestOneAndNearestFive) {
  // The code switches to the 5-step at 10.5, the point where a 1 % value
  // stops rounding to an integer in 1-10. Between 10 and 10.5 both steps give
  // 10, so the exact cut does not change any result there.
  EXPECT_EQ(WpeOnePercentThreshold(1050), 10);  // 10.5 -> nearest 5 -> 10
  EXPECT_EQ(WpeOnePercentThreshold(1099), 10);  // 10.99 -> 10, not 11
  // 1130: 11.3 lies in the 11-100 band, so it goes to the nearest 5 = 10
  // (not 11 by the 1-step, not 15).
  EXPECT_EQ(WpeOnePercentThreshold(1130), 10);
  EXPECT_EQ(WpeOnePercentThreshold(1249), 10);  // 12.49 -> 10
  EXPECT_EQ(WpeOnePercentThreshold(1250), 15);  // 12.5 -> 15 (half rounds up)
}

TEST(OnePercentTest, BoundaryBetweenNearestFiveAndNearestTen) {
  EXPECT_EQ(WpeOnePercentThreshold(9749), 95);    // 97.49 -> 95
  EXPECT_EQ(WpeOnePercentThreshold(9750), 100);   // 97.5 rounds up into 100
  EXPECT_EQ(WpeOnePercentThreshold(10000), 100);  // 100 is still the 5-band
  // 102.5: in the 101-1,000 band -> nearest 10 = 100. The 5-step would have
  // given 105, so this pins which band the value falls in.
  EXPECT_EQ(WpeOnePercentThreshold(10250), 100);
  EXPECT_EQ(WpeOnePercentThreshold(10500), 110);  // 105 -> 110
}

TEST(OnePercentTest, BoundaryBetweenNearestTenAndNearestHundred) {
  EXPECT_EQ(WpeOnePercentThreshold(99400), 990);
  EXPECT_EQ(WpeOnePercentThreshold(99500), 1000);   // 995 -> 1000
  EXPECT_EQ(WpeOnePercentThreshold(100000), 1000);  // 1,000 is still the 10-band
  // 1,010 is above 1,000 -> nearest 100 -> 1,000 (the 10-step would keep 1,010).
  EXPECT_EQ(WpeOnePercentThreshold(101000), 1000);
  EXPECT_EQ(WpeOnePercentThreshold(104900), 1000);  // 1,049 -> 1,000
  EXPECT_EQ(WpeOnePercentThreshold(105000), 1100);  // 1,050 -> 1,100
  EXPECT_EQ(WpeOnePercentThreshold(1234567), 12300);
}

TEST(OnePercentTest, LargePopulationsAreCappedAtTheCriterionFiveLevel) {
  EXPECT_EQ(WpeOnePercentThreshold(1'999'999), 20000);  // 19,999.99 -> 20,000 by rounding
  EXPECT_EQ(WpeOnePercentThreshold(1'940'000), 19400);  // not capped below 2M
  EXPECT_EQ(WpeOnePercentThreshold(2'000'000), 20000);
  EXPECT_EQ(WpeOnePercentThreshold(5'000'000), 20000);  // 1 % would be 50,000
  EXPECT_EQ(WpeOnePercentThreshold(std::numeric_limits<double>::infinity()), 20000);
}

TEST(OnePercentTest, NonPositiveAndNanGiveZero) {
  EXPECT_EQ(WpeOnePercentThreshold(0), 0);
  EXPECT_EQ(WpeOnePercentThreshold(-0.0), 0);
  EXPECT_EQ(WpeOnePercentThreshold(-7081), 0);
  EXPECT_EQ(WpeOnePercentThreshold(std::nan("")), 0);
  EXPECT_EQ(WpeOnePercentThreshold(-std::numeric_limits<double>::infinity()), 0);
}

}  // namespace
}  // namespace wetlink::catalog
