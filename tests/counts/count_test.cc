#include "counts/count.h"

#include <cstdint>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "telemetry/timestamp.h"

namespace wetlink::counts {
namespace {

TEST(SurveyMethodTest, NamesAreStableAndRoundTrip) {
  EXPECT_EQ(SurveyMethodName(SurveyMethod::kUnspecified), "");
  EXPECT_EQ(SurveyMethodName(SurveyMethod::kGround), "ground");
  EXPECT_EQ(SurveyMethodName(SurveyMethod::kAerial), "aerial");
  EXPECT_EQ(SurveyMethodName(SurveyMethod::kBoat), "boat");
  EXPECT_EQ(SurveyMethodName(SurveyMethod::kRoost), "roost");
  EXPECT_EQ(SurveyMethodName(SurveyMethod::kOther), "other");
  for (SurveyMethod method : kNamedSurveyMethods) {
    EXPECT_EQ(ParseSurveyMethod(SurveyMethodName(method)), method);
  }
}

TEST(SurveyMethodTest, ParseIgnoresCaseAndReadsEmptyAsUnspecified) {
  EXPECT_EQ(ParseSurveyMethod("Aerial"), SurveyMethod::kAerial);
  EXPECT_EQ(ParseSurveyMethod("ROOST"), SurveyMethod::kRoost);
  EXPECT_EQ(ParseSurveyMethod(""), SurveyMethod::kUnspecified);
}

TEST(SurveyMethodTest, ParseRefusesAnythingElse) {
  EXPECT_EQ(ParseSurveyMethod("estimate"), std::nullopt);
  EXPECT_EQ(ParseSurveyMethod(" ground"), std::nullopt);
  EXPECT_EQ(ParseSurveyMethod("ground "), std::nullopt);
  EXPECT_EQ(ParseSurveyMethod("unspecified"), std::nullopt);
}

TEST(SurveyDateTest, KnownAnswers) {
  EXPECT_EQ(ParseSurveyDate("1970-01-01"), 0);
  EXPECT_EQ(ParseSurveyDate("2000-03-01"), 11017);
  EXPECT_EQ(ParseSurveyDate("2025-01-01"), 20089);
  EXPECT_EQ(ParseSurveyDate("1900-01-01"), -25567);
  EXPECT_EQ(ParseSurveyDate("2024-02-29"), 19782);  // leap year
  EXPECT_EQ(ParseSurveyDate("2000-02-29"), 11016);  // divisible by 400: leap
  EXPECT_EQ(ParseSurveyDate("0000-01-01"), telemetry::DaysFromCivil(0, 1, 1));
  EXPECT_EQ(ParseSurveyDate("9999-12-31"), telemetry::DaysFromCivil(9999, 12, 31));
}

TEST(SurveyDateTest, RefusesDatesThatDoNotExistOrAreNotYyyyMmDd) {
  for (const char* text :
       {"2023-02-29", "1900-02-29", "2023-09-31", "2023-13-01", "2023-00-10", "2023-01-00",
        "2023-01-32", "2023-1-05", "2023-01-5", "23-01-05", "2023/01/05", "05-01-2023",
        "2023-01-05 ", " 2023-01-05", "2023-01-05T00:00", "2023-01-05Z", "+023-01-05",
        "2023-0a-05", "", "20230105"}) {
    EXPECT_EQ(ParseSurveyDate(text), std::nullopt) << text;
  }
}

TEST(SurveyDateTest, FormatIsTheInverseOfParse) {
  EXPECT_EQ(FormatSurveyDate(0), "1970-01-01");
  EXPECT_EQ(FormatSurveyDate(19782), "2024-02-29");
  EXPECT_EQ(FormatSurveyDate(-25567), "1900-01-01");
  for (const char* text : {"0000-01-01", "0999-07-04", "1899-12-31", "2023-10-21", "9999-12-31"}) {
    const std::optional<std::int32_t> days = ParseSurveyDate(text);
    ASSERT_TRUE(days.has_value()) << text;
    EXPECT_EQ(FormatSurveyDate(*days), text);
  }
}

TEST(SurveyDateTest, FormatsYearsOutsideFourDigitsForMessages) {
  EXPECT_EQ(FormatSurveyDate(static_cast<std::int32_t>(telemetry::DaysFromCivil(-1, 12, 31))),
            "-1-12-31");
  EXPECT_EQ(FormatSurveyDate(static_cast<std::int32_t>(telemetry::DaysFromCivil(10000, 1, 1))),
            "10000-01-01");
}

}  // namespace
}  // namespace wetlink::counts
