#ifndef WETLINK_SIM_COUNT_SURVEYS_H_
#define WETLINK_SIM_COUNT_SURVEYS_H_

// Simulated count surveys, deterministic in the seed: every site is surveyed
// a few times per count season (July-June, reports/report_period.h), on
// dates spread over the non-breeding months, and each survey counts every
// species of the list. A site holds a species at a level drawn once per
// (site, species) from 0 to 3 % of its population (a third of the pairs
// hold none: zero counts); each survey sees the level scaled by how far into
// the season it is (highest in mid-winter) and by log-normal noise. Some
// sites skip some seasons (no survey at all), as real monitoring does.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "counts/count.h"

namespace wetlink::sim {

struct CountSurveyParams {
  std::uint64_t seed = 1;
  std::vector<std::string> site_ids;  // empty: every catalogued site
  int first_season = 2020;            // count season named by its first year
  int seasons = 5;
  int surveys_per_season = 4;        // 1..12
  double skipped_season_rate = 0.1;  // chance a site is not surveyed in a season
};

// Counts sorted by (site, species, date). Unknown site ids are skipped.
std::vector<counts::Count> SimulateCountSurveys(const catalog::Catalog& catalog,
                                                const CountSurveyParams& params);

// Writes `counts` as a count CSV (counts/count_csv.h columns).
void WriteCountCsv(const std::vector<counts::Count>& counts, std::ostream& out);

}  // namespace wetlink::sim

#endif  // WETLINK_SIM_COUNT_SURVEYS_H_
