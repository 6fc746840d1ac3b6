#include "reports/count_assessment.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace wetlink::reports {
namespace {

// Accumulates the highest value per season, remembering its first date and
// the distinct surveys seen.
class PeakAccumulator {
 public:
  void Add(std::int32_t days, const std::string& survey_id, std::int64_t value) {
    Season& s = seasons_[CountSeasonOf(days)];
    s.surveys.emplace(days, survey_id);
    if (!s.any || value > s.peak.peak || (value == s.peak.peak && days < s.peak.peak_date_days)) {
      s.peak.peak = value;
      s.peak.peak_date_days = days;
      s.any = true;
    }
  }

  std::vector<SeasonPeak> Peaks() const {
    std::vector<SeasonPeak> peaks;
    for (const auto& [season, s] : seasons_) {
      SeasonPeak p = s.peak;
      p.season = season;
      p.surveys = static_cast<std::uint32_t>(s.surveys.size());
      peaks.push_back(p);
    }
    return peaks;
  }

 private:
  struct Season {
    SeasonPeak peak;
    bool any = false;
    std::set<std::pair<std::int32_t, std::string>> surveys;
  };
  std::map<int, Season> seasons_;
};

}  // namespace

ThresholdTest TestThreshold(const std::vector<SeasonPeak>& peaks, std::int64_t threshold) {
  ThresholdTest test;
  test.threshold = threshold;
  test.seasons_with_data = static_cast<std::uint32_t>(peaks.size());
  for (const SeasonPeak& p : peaks) {
    if (threshold > 0 && p.peak >= threshold) ++test.seasons_at_or_above;
  }
  const std::size_t in_mean = std::min<std::size_t>(peaks.size(), kMeanSeasons);
  double sum = 0;
  for (std::size_t i = peaks.size() - in_mean; i < peaks.size(); ++i) {
    sum += static_cast<double>(peaks[i].peak);
  }
  test.seasons_in_mean = static_cast<std::uint32_t>(in_mean);
  test.mean_recent_peaks = in_mean == 0 ? 0 : sum / static_cast<double>(in_mean);

  if (threshold <= 0) {
    test.regularity = Regularity::kNotMet;
    return test;
  }
  // Rule (a): at least two thirds of at least three seasons (integer test,
  // 3 * at_or_above >= 2 * seasons, so 2 of 3 qualifies).
  if (test.seasons_with_data >= kRegularMinSeasons &&
      3 * test.seasons_at_or_above >= 2 * test.seasons_with_data) {
    test.regularity = Regularity::kTwoThirdsOfSeasons;
  } else if (test.seasons_in_mean >= kMeanSeasons &&
             test.mean_recent_peaks >= static_cast<double>(threshold)) {
    test.regularity = Regularity::kFiveSeasonMean;
  } else if (test.seasons_with_data < kRegularMinSeasons) {
    test.regularity = Regularity::kInsufficientData;
  } else {
    test.regularity = Regularity::kNotMet;
  }
  return test;
}

std::vector<SeasonPeak> SeasonPeaks(const std::vector<counts::Count>& counts,
                                    std::string_view species_id, const ReportPeriod& period) {
  PeakAccumulator acc;
  for (const counts::Count& c : counts) {
    if (c.species_id != species_id || !period.Contains(c.date_days)) continue;
    acc.Add(c.date_days, c.survey_id, c.count);
  }
  return acc.Peaks();
}

SpeciesAssessment AssessSpecies(const std::vector<counts::Count>& counts,
                                const catalog::Species& species, const ReportPeriod& period) {
  SpeciesAssessment a;
  a.species_id = species.id;
  a.peaks = SeasonPeaks(counts, species.id, period);
  a.one_percent = species.OnePercent();
  a.criterion6 = TestThreshold(a.peaks, a.one_percent.value);
  if (a.one_percent.value > 0 && a.criterion6.seasons_in_mean > 0) {
    a.percent_of_threshold =
        100.0 * a.criterion6.mean_recent_peaks / static_cast<double>(a.one_percent.value);
  }
  return a;
}

SiteTotalAssessment AssessSiteTotal(const std::vector<counts::Count>& counts,
                                    const ReportPeriod& period) {
  // Survey totals first: (date, survey id) -> sum over species.
  std::map<std::pair<std::int32_t, std::string>, std::int64_t> totals;
  for (const counts::Count& c : counts) {
    if (!period.Contains(c.date_days)) continue;
    totals[{c.date_days, c.survey_id}] += c.count;
  }
  PeakAccumulator acc;
  for (const auto& [survey, total] : totals) acc.Add(survey.first, survey.second, total);
  SiteTotalAssessment t;
  t.peaks = acc.Peaks();
  t.criterion5 = TestThreshold(t.peaks, kCriterion5Waterbirds);
  return t;
}

}  // namespace wetlink::reports
