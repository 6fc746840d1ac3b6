#ifndef WETLINK_GRAPH_SELECTION_H_
#define WETLINK_GRAPH_SELECTION_H_

// Which part of the flyway a question is about: species, studies, a named
// season or an explicit time window, years. Every query takes a filter and
// works on the transitions and stopovers it selects.
//
// A transition is selected by its departure time; a stopover when its time
// span overlaps the window or the season.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "graph/flyway_snapshot.h"
#include "graph/seasons.h"
#include "graph/time_window.h"

namespace wetlink::graph {

struct FlywayFilter {
  std::vector<std::string> species;  // catalog species ids; empty = every species
  std::vector<std::string> studies;  // study ids; empty = every study
  std::string season;                // a season name of the SeasonTable; "" = all year
  // Season years with a season (see SeasonTable::SeasonYear), else UTC
  // calendar years; empty = every year.
  std::vector<int> years;
  std::optional<TimeWindow> window;
};

// InvalidArgument naming the field: an empty or inverted window, a season
// no selected species defines, a year outside 1990..9999. NotFound naming
// the value: a species not in the catalog.
absl::Status ValidateFilter(const FlywayFilter& filter, const catalog::Catalog& catalog,
                            const SeasonTable& seasons);

struct StopoverRef {
  std::uint32_t individual = 0;  // position in FlywaySnapshot::individuals()
  std::uint32_t stop = 0;        // position in its stopovers
  std::int32_t node = 0;
};

struct Selection {
  std::vector<bool> individuals;           // per snapshot individual: passes species and study
  std::vector<std::uint32_t> transitions;  // positions in snapshot transitions(), in order
  std::vector<StopoverRef> stopovers;      // by individual, then time
};

// `filter` must have passed ValidateFilter.
Selection Select(const FlywaySnapshot& snapshot, const SeasonTable& seasons,
                 const FlywayFilter& filter);

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_SELECTION_H_
