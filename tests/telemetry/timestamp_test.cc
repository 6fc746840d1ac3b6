#include "telemetry/timestamp.h"

#include <limits>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wetlink::telemetry {
namespace {

using ::testing::HasSubstr;

TimestampMs Parse(const std::string& text) {
  absl::StatusOr<TimestampMs> t = ParseTimestamp(text);
  EXPECT_TRUE(t.ok()) << text << ": " << t.status();
  return t.value_or(-1);
}

TEST(TimestampTest, DaysFromCivilKnownDates) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(TimestampFromCivil(1990, 1, 1), 631'152'000'000);
}

TEST(TimestampTest, ParsesMovebankForm) {
  EXPECT_EQ(Parse("1970-01-01 00:00:00.000"), 0);
  // 2016-05-02 04:20:46 UTC, the first row of the Movebank sample.
  EXPECT_EQ(Parse("2016-05-02 04:20:46.000"), 1'462'162'846'000);
  EXPECT_EQ(Parse("2016-05-02 04:20:46"), 1'462'162'846'000);
}

TEST(TimestampTest, FractionDigits) {
  EXPECT_EQ(Parse("1970-01-01 00:00:01.5"), 1500);
  EXPECT_EQ(Parse("1970-01-01 00:00:01.25"), 1250);
  EXPECT_EQ(Parse("1970-01-01 00:00:01.125"), 1125);
  EXPECT_EQ(Parse("1970-01-01 00:00:01.007"), 1007);
}

TEST(TimestampTest, IsoForms) {
  const TimestampMs t = Parse("2016-05-02 04:20:46.120");
  EXPECT_EQ(Parse("2016-05-02T04:20:46.120"), t);
  EXPECT_EQ(Parse("2016-05-02T04:20:46.12Z"), t);
  EXPECT_EQ(Parse("2016-05-02 04:20:46.120Z"), t);
  EXPECT_EQ(Parse("2016-05-02T04:20:46Z"), t - 120);
}

TEST(TimestampTest, PreEpoch) {
  EXPECT_EQ(Parse("1969-12-31 23:59:59.999"), -1);
  EXPECT_EQ(Parse("1900-01-01 00:00:00"), -2'208'988'800'000);
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31 23:59:59.999");
  EXPECT_EQ(FormatTimestamp(-2'208'988'800'000), "1900-01-01 00:00:00.000");
}

TEST(TimestampTest, RoundTrips) {
  for (const char* text :
       {"2016-02-29 12:00:00.000", "1970-01-01 00:00:00.000", "1969-07-20 20:17:40.000",
        "1600-03-01 00:00:00.001", "0000-01-01 00:00:00.000", "9999-12-31 23:59:59.999",
        "2000-02-29 23:59:59.999", "1990-01-01 00:00:00.000", "2024-12-31 23:59:59.010"}) {
    EXPECT_EQ(FormatTimestamp(Parse(text)), text);
  }
  // Every day for eight years around a leap day, at an odd time.
  for (TimestampMs t = Parse("2012-01-01 03:04:05.678"); t < Parse("2020-01-01 00:00:00");
       t += kMsPerDay) {
    EXPECT_EQ(Parse(FormatTimestamp(t)), t);
  }
}

TEST(TimestampTest, LeapDays) {
  EXPECT_EQ(Parse("2016-03-01 00:00:00") - Parse("2016-02-29 00:00:00"), kMsPerDay);
  EXPECT_TRUE(ParseTimestamp("2000-02-29 00:00:00").ok());   // divisible by 400
  EXPECT_FALSE(ParseTimestamp("1900-02-29 00:00:00").ok());  // divisible by 100
  EXPECT_FALSE(ParseTimestamp("2015-02-29 00:00:00").ok());
}

TEST(TimestampTest, Rejections) {
  for (const char* text : {
           "",
           "2016-02-30 00:00:00",
           "2016-04-31 00:00:00",
           "2016-13-01 00:00:00",
           "2016-00-01 00:00:00",
           "2016-01-00 00:00:00",
           "2016-01-01 25:00:00",
           "2016-01-01 24:00:00",
           "2016-01-01 12:60:00",
           "2016-01-01 12:00:60",
           "2016-01-01 12:00:00.",
           "2016-01-01 12:00:00.1234",
           "2016-01-01 12:00:00.000x",
           "2016-01-01 12:00:00 ",
           " 2016-01-01 12:00:00",
           "2016-01-01 12:00:00+09:00",
           "2016-01-01 12:00:00ZZ",
           "2016-01-01",
           "2016-01-01 12:00",
           "2016/01/01 12:00:00",
           "2016-1-01 12:00:00",
           "16-01-01 12:00:00",
           "2016-01-01x12:00:00",
           "2016-01-01 1a:00:00",
           "-016-01-01 12:00:00",
       }) {
    EXPECT_FALSE(ParseTimestamp(text).ok()) << "'" << text << "'";
  }
}

TEST(TimestampTest, MessagesQuoteTheText) {
  absl::StatusOr<TimestampMs> t = ParseTimestamp("2016-02-30 00:00:00");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(t.status().message()), HasSubstr("'2016-02-30 00:00:00'"));
  EXPECT_THAT(std::string(t.status().message()), HasSubstr("no such day"));
  // Long garbage is cut.
  t = ParseTimestamp(std::string(10000, '9'));
  ASSERT_FALSE(t.ok());
  EXPECT_LT(t.status().message().size(), 200u);
}

}  // namespace
}  // namespace wetlink::telemetry

namespace wetlink::telemetry {
namespace {

TEST(TimestampArithmeticTest, DayIndexAndMsOfDayFloorForEveryValue) {
  EXPECT_EQ(DayIndex(0), 0);
  EXPECT_EQ(DayIndex(-1), -1);
  EXPECT_EQ(MsOfDay(-1), kMsPerDay - 1);
  EXPECT_EQ(DayIndex(kMsPerDay), 1);
  EXPECT_EQ(MsOfDay(kMsPerDay), 0);
  // The extremes must not overflow (UBSan checks this in the sanitizer build).
  for (TimestampMs t : {std::numeric_limits<TimestampMs>::min(),
                        std::numeric_limits<TimestampMs>::max()}) {
    const TimestampMs ms = MsOfDay(t);
    EXPECT_GE(ms, 0);
    EXPECT_LT(ms, kMsPerDay);
    EXPECT_FALSE(FormatTimestamp(t).empty());
  }
}

TEST(TimestampArithmeticTest, YearsOutsideFourDigitsStillFormat) {
  EXPECT_EQ(FormatTimestamp(TimestampFromCivil(9999, 12, 31, 23, 59, 59, 999)),
            "9999-12-31 23:59:59.999");
  EXPECT_EQ(FormatTimestamp(TimestampFromCivil(10000, 1, 1)), "10000-01-01 00:00:00.000");
  EXPECT_EQ(FormatTimestamp(TimestampFromCivil(-1, 12, 31)), "-1-12-31 00:00:00.000");
}

}  // namespace
}  // namespace wetlink::telemetry
