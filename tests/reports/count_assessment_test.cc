// Known answers for count seasons, report periods, season peaks and the
// Ramsar "regularly" rule (reports/report_period.h, count_assessment.h).

#include "reports/count_assessment.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reports/report_period.h"
#include "telemetry/timestamp.h"

namespace wetlink::reports {
namespace {

using ::testing::HasSubstr;

std::int32_t Day(int y, unsigned m, unsigned d) {
  return static_cast<std::int32_t>(telemetry::DaysFromCivil(y, m, d));
}

counts::Count C(const std::string& species, std::int32_t day, std::int64_t n,
                const std::string& survey = "s") {
  counts::Count c;
  c.survey_id = survey;
  c.site_id = "site";
  c.species_id = species;
  c.date_days = day;
  c.count = n;
  return c;
}

std::vector<SeasonPeak> Peaks(std::vector<std::int64_t> values) {
  std::vector<SeasonPeak> peaks;
  int season = 2015;
  for (std::int64_t v : values) peaks.push_back({.season = season++, .peak = v});
  return peaks;
}

TEST(ReportPeriodTest, CountSeasonsRunJulyToJune) {
  EXPECT_EQ(CountSeasonOf(Day(2023, 6, 30)), 2022);
  EXPECT_EQ(CountSeasonOf(Day(2023, 7, 1)), 2023);
  EXPECT_EQ(CountSeasonOf(Day(2024, 1, 15)), 2023);
  EXPECT_EQ(CountSeasonLabel(2023), "2023/24");
  EXPECT_EQ(CountSeasonLabel(1999), "1999/00");
  EXPECT_EQ(CountSeasonsOf({Day(2022, 12, 1), Day(2024, 7, 1)}),
            (std::vector<int>{2022, 2023, 2024}));
}

TEST(ReportPeriodTest, DefaultIsTheLastFiveSeasons) {
  const auto now = telemetry::TimestampFromCivil(2026, 12, 6, 11, 0);
  auto period = ResolvePeriod("", "", now, "");
  ASSERT_TRUE(period.ok()) << period.status();
  EXPECT_EQ(period->from_days, Day(2022, 7, 1));
  EXPECT_EQ(period->to_days, Day(2026, 12, 6));
  EXPECT_EQ(CountSeasonsOf(*period).size(), 5u);

  period = ResolvePeriod("", "2024-03-31", now, "");
  ASSERT_TRUE(period.ok());
  EXPECT_EQ(period->from_days, Day(2019, 7, 1));
}

TEST(ReportPeriodTest, BadDatesAndEmptyPeriodsNameTheField) {
  const auto now = telemetry::TimestampFromCivil(2026, 12, 6);
  auto bad = ResolvePeriod("2024-02-30", "", now, "report.");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("report.from: '2024-02-30'"));
  bad = ResolvePeriod("", "yesterday", now, "");
  EXPECT_THAT(bad.status().message(), HasSubstr("to: 'yesterday'"));
  bad = ResolvePeriod("2025-01-02", "2025-01-01", now, "");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("2025-01-02 to 2025-01-01 is empty"));
  // One day is a period.
  EXPECT_TRUE(ResolvePeriod("2025-01-01", "2025-01-01", now, "").ok());
}

TEST(SeasonPeaksTest, HighestCountPerSeasonWithItsFirstDateAndSurveys) {
  const std::vector<counts::Count> counts = {
      C("hc", Day(2023, 10, 1), 150, "a"),  C("hc", Day(2024, 1, 15), 200, "b"),
      C("hc", Day(2024, 2, 1), 200, "c"),   C("hc", Day(2024, 11, 1), 0, "d"),
      C("wnc", Day(2024, 1, 15), 999, "b"), C("hc", Day(2019, 1, 1), 5000, "old")};
  const ReportPeriod period{Day(2023, 7, 1), Day(2025, 6, 30)};
  const std::vector<SeasonPeak> peaks = SeasonPeaks(counts, "hc", period);
  ASSERT_EQ(peaks.size(), 2u);
  EXPECT_EQ(
      peaks[0],
      (SeasonPeak{.season = 2023, .peak = 200, .peak_date_days = Day(2024, 1, 15), .surveys = 3}));
  // A zero count is a survey, and its season has data.
  EXPECT_EQ(
      peaks[1],
      (SeasonPeak{.season = 2024, .peak = 0, .peak_date_days = Day(2024, 11, 1), .surveys = 1}));
}

TEST(ThresholdTest, TwoThirdsOfAtLeastThreeSeasons) {
  ThresholdTest t = TestThreshold(Peaks({200, 90, 160}), 150);
  EXPECT_EQ(t.seasons_with_data, 3u);
  EXPECT_EQ(t.seasons_at_or_above, 2u);
  EXPECT_EQ(t.regularity, Regularity::kTwoThirdsOfSeasons);
  EXPECT_TRUE(t.met());
  // Exactly at the threshold counts.
  EXPECT_TRUE(TestThreshold(Peaks({150, 150, 0}), 150).met());
  // Two seasons are too few for either rule, however high.
  t = TestThreshold(Peaks({1000, 1000}), 150);
  EXPECT_EQ(t.regularity, Regularity::kInsufficientData);
  EXPECT_FALSE(t.met());
}

TEST(ThresholdTest, MeanOfFiveSeasonPeaks) {
  // 3 of 5 seasons is under two thirds; the mean (164) reaches 150.
  ThresholdTest t = TestThreshold(Peaks({160, 160, 100, 100, 300}), 150);
  EXPECT_EQ(t.seasons_at_or_above, 3u);
  EXPECT_EQ(t.seasons_in_mean, 5u);
  EXPECT_DOUBLE_EQ(t.mean_recent_peaks, 164);
  EXPECT_EQ(t.regularity, Regularity::kFiveSeasonMean);
  // With six seasons only the last five are averaged: (100+100+100+100+300)/5.
  t = TestThreshold(Peaks({10000, 100, 100, 100, 100, 300}), 150);
  EXPECT_DOUBLE_EQ(t.mean_recent_peaks, 140);
  EXPECT_EQ(t.regularity, Regularity::kNotMet);
  // Four seasons: no five-season mean.
  t = TestThreshold(Peaks({100, 100, 140, 1000}), 150);
  EXPECT_EQ(t.seasons_in_mean, 4u);
  EXPECT_EQ(t.regularity, Regularity::kNotMet);
}

TEST(AssessSpeciesTest, PercentOfTheThresholdAndItsSource) {
  catalog::Species hc;
  hc.id = "hc";
  hc.population.estimate = 15000;
  hc.published_one_percent = 150;
  hc.published_one_percent_source = "WPE";
  const std::vector<counts::Count> counts = {C("hc", Day(2023, 10, 1), 150, "a"),
                                             C("hc", Day(2024, 1, 15), 200, "b"),
                                             C("hc", Day(2024, 11, 1), 90, "c")};
  const SpeciesAssessment a = AssessSpecies(counts, hc, {Day(2023, 7, 1), Day(2025, 6, 30)});
  EXPECT_EQ(a.one_percent.value, 150);
  EXPECT_FALSE(a.one_percent.derived);
  ASSERT_EQ(a.peaks.size(), 2u);
  EXPECT_DOUBLE_EQ(a.criterion6.mean_recent_peaks, 145);
  ASSERT_TRUE(a.percent_of_threshold.has_value());
  EXPECT_NEAR(*a.percent_of_threshold, 96.667, 0.001);
  EXPECT_EQ(a.criterion6.regularity, Regularity::kInsufficientData);

  // A population under 50 has no 1 % threshold: no percentage, never met.
  catalog::Species tiny;
  tiny.id = "hc";
  tiny.population.estimate = 40;
  const SpeciesAssessment none = AssessSpecies(counts, tiny, {Day(2023, 7, 1), Day(2025, 6, 30)});
  EXPECT_EQ(none.one_percent.value, 0);
  EXPECT_FALSE(none.percent_of_threshold.has_value());
  EXPECT_FALSE(none.criterion6.met());
}

TEST(AssessSiteTotalTest, SurveyTotalsAcrossSpeciesAgainstTwentyThousand) {
  // Season 2021: survey "a" counts 12,000 + 9,000 = 21,000; "b" 15,000.
  // Season 2022: 20,000 exactly. Season 2023: 19,999. 2 of 3 seasons.
  const std::vector<counts::Count> counts = {
      C("x", Day(2021, 12, 1), 12000, "a"), C("y", Day(2021, 12, 1), 9000, "a"),
      C("x", Day(2022, 1, 10), 15000, "b"), C("x", Day(2022, 12, 1), 20000, "c"),
      C("x", Day(2023, 12, 1), 19999, "d")};
  const SiteTotalAssessment t = AssessSiteTotal(counts, {Day(2021, 7, 1), Day(2024, 6, 30)});
  ASSERT_EQ(t.peaks.size(), 3u);
  EXPECT_EQ(t.peaks[0].peak, 21000);
  EXPECT_EQ(t.peaks[0].surveys, 2u);
  EXPECT_EQ(t.criterion5.threshold, kCriterion5Waterbirds);
  EXPECT_EQ(t.criterion5.seasons_at_or_above, 2u);
  EXPECT_EQ(t.criterion5.regularity, Regularity::kTwoThirdsOfSeasons);
}

}  // namespace
}  // namespace wetlink::reports
