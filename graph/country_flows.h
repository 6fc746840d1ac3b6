#ifndef WETLINK_GRAPH_COUNTRY_FLOWS_H_
#define WETLINK_GRAPH_COUNTRY_FLOWS_H_

// Transboundary flows: selected transitions counted by the countries of
// their two ends, a country × country matrix (the diagonal holds moves
// within one country).

#include <cstdint>
#include <string>
#include <vector>

#include "graph/flyway_snapshot.h"
#include "graph/selection.h"

namespace wetlink::graph {

struct CountryFlow {
  std::string from_country;  // ISO 3166-1 alpha-2; "" when the end's country is unknown
  std::string to_country;
  std::uint32_t individuals = 0;  // distinct individuals
  std::uint32_t transitions = 0;
};

// Non-empty cells, sorted by (from, to).
std::vector<CountryFlow> CountryFlows(const FlywaySnapshot& snapshot, const Selection& selection);

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_COUNTRY_FLOWS_H_
