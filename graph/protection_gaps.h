#ifndef WETLINK_GRAPH_PROTECTION_GAPS_H_
#define WETLINK_GRAPH_PROTECTION_GAPS_H_

// Where birds stop outside protection: stopovers at discovered candidate
// sites (outside every catalogued site) and at catalogued sites without any
// protection, per species and country; and the candidate sites ranked by
// use, the places a new designation would cover most birds.

#include <cstdint>
#include <string>
#include <vector>

#include "graph/flyway_snapshot.h"
#include "graph/selection.h"

namespace wetlink::graph {

struct GapRow {
  std::string species_id;
  std::string country;          // of the stopover's node; "" when unknown
  std::uint32_t stopovers = 0;  // all selected stopovers
  double stopover_days = 0;
  std::uint32_t unprotected_stopovers = 0;  // outside catalogued protected areas
  double unprotected_days = 0;
  std::uint32_t unprotected_individuals = 0;
};

struct CandidateSiteUse {
  std::int32_t node = 0;  // a discovered node
  std::uint32_t individuals = 0;
  std::uint32_t stopovers = 0;
  double stopover_days = 0;
  std::vector<std::string> species;  // sorted ids
};

struct ProtectionGaps {
  std::vector<GapRow> rows;                  // by species, then country
  std::vector<CandidateSiteUse> candidates;  // by individuals, days (descending), node
};

ProtectionGaps FindProtectionGaps(const FlywaySnapshot& snapshot, const Selection& selection);

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_PROTECTION_GAPS_H_
