#ifndef WETLINK_REPORTS_COUNT_ASSESSMENT_H_
#define WETLINK_REPORTS_COUNT_ASSESSMENT_H_

// Counts against the Ramsar criteria for waterbirds.
//
// Criterion 5: a site that regularly supports 20,000 or more waterbirds.
// Criterion 6: a site that regularly supports 1 % of the individuals of a
// population of one species.
//
// "Regularly" as Ramsar defines it (Strategic Framework for the List of
// Wetlands of International Importance, Resolution VII.11, and the
// Criterion 6 guidance): the number is reached
//  (a) in at least two thirds of the seasons for which adequate data are
//      available, the number of such seasons being at least three; or
//  (b) by the mean of the season maxima taken over at least five seasons.
// Wetlink applies it to season peaks (the highest count of a season, see
// report_period.h for seasons): a season has adequate data when the site
// was surveyed for the species in it; (b) uses the last five such seasons.
//
// The site total of a survey is the sum of its counts of every species in
// Wetlink's species list; a season's total is the highest survey total.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog/species.h"
#include "counts/count.h"
#include "reports/report_period.h"

namespace wetlink::reports {

inline constexpr std::int64_t kCriterion5Waterbirds = 20'000;
inline constexpr int kRegularMinSeasons = 3;
inline constexpr int kMeanSeasons = 5;

struct SeasonPeak {
  int season = 0;  // count season (report_period.h)
  std::int64_t peak = 0;
  std::int32_t peak_date_days = 0;  // first survey date that reached the peak
  std::uint32_t surveys = 0;        // distinct (date, survey id) of the season

  bool operator==(const SeasonPeak&) const = default;
};

enum class Regularity {
  kInsufficientData,  // fewer than three seasons with data
  kNotMet,
  kTwoThirdsOfSeasons,  // rule (a)
  kFiveSeasonMean,      // rule (b), and not (a)
};

// How a series of season peaks compares with a threshold.
struct ThresholdTest {
  std::int64_t threshold = 0;
  std::uint32_t seasons_with_data = 0;
  std::uint32_t seasons_at_or_above = 0;
  // Mean of the last (up to) five season peaks, and how many it took.
  double mean_recent_peaks = 0;
  std::uint32_t seasons_in_mean = 0;
  Regularity regularity = Regularity::kInsufficientData;

  bool met() const {
    return regularity == Regularity::kTwoThirdsOfSeasons ||
           regularity == Regularity::kFiveSeasonMean;
  }
};

// `peaks` by season; `threshold` > 0.
ThresholdTest TestThreshold(const std::vector<SeasonPeak>& peaks, std::int64_t threshold);

struct SpeciesAssessment {
  std::string species_id;
  std::vector<SeasonPeak> peaks;  // seasons with a survey of the species, in order
  catalog::OnePercentThreshold one_percent;
  // Mean of recent peaks as a percentage of the 1 % threshold; unset when
  // the species has no threshold (population under 50).
  std::optional<double> percent_of_threshold;
  // Criterion 6; threshold 0 when the species has none (then never met).
  ThresholdTest criterion6;
};

struct SiteTotalAssessment {
  std::vector<SeasonPeak> peaks;  // highest survey total per season
  ThresholdTest criterion5;
};

// Peaks of one species from `counts` (any site or species; only those of
// `species_id` dated in `period` are used). Zero counts are surveys too.
std::vector<SeasonPeak> SeasonPeaks(const std::vector<counts::Count>& counts,
                                    std::string_view species_id, const ReportPeriod& period);

SpeciesAssessment AssessSpecies(const std::vector<counts::Count>& counts,
                                const catalog::Species& species, const ReportPeriod& period);

// Over every species of `counts` in `period`.
SiteTotalAssessment AssessSiteTotal(const std::vector<counts::Count>& counts,
                                    const ReportPeriod& period);

}  // namespace wetlink::reports

#endif  // WETLINK_REPORTS_COUNT_ASSESSMENT_H_
