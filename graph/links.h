#ifndef WETLINK_GRAPH_LINKS_H_
#define WETLINK_GRAPH_LINKS_H_

// Links: the selected transitions aggregated per (from node, to node). A
// link's weight is the number of distinct individuals that made it; the
// number of transitions counts repeats (several seasons, or back and forth).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "graph/flyway_snapshot.h"
#include "graph/selection.h"

namespace wetlink::graph {

struct Link {
  std::int32_t from_node = 0;
  std::int32_t to_node = 0;
  std::uint32_t individuals = 0;  // distinct individuals
  std::uint32_t transitions = 0;
  // Medians over the link's transitions (the mean of the two middle values
  // for an even count).
  telemetry::TimestampMs median_travel_ms = 0;  // departure to arrival
  double median_distance_m = 0;                 // geodesic, stopover to stopover
  std::vector<std::string> species;             // catalog species ids, sorted
  telemetry::TimestampMs first_departure_ms = 0;
  telemetry::TimestampMs last_arrival_ms = 0;
  // Share of the from node's selected departures that took this link, in
  // (0, 1]: the transition probability routes use.
  double probability = 0;
};

// Every link of the selection, sorted by (from node, to node).
std::vector<Link> AggregateLinks(const FlywaySnapshot& snapshot, const Selection& selection);

struct LinkFilter {
  std::uint32_t min_individuals = 1;
  std::optional<std::int32_t> node;  // either end
  std::string country;               // either end in this ISO country; "" = any
  bool cross_border_only = false;    // ends in two different (known) countries
};

// The links that pass `filter`, in the order given.
std::vector<Link> FilterLinks(const FlywaySnapshot& snapshot, const std::vector<Link>& links,
                              const LinkFilter& filter);

// The two ends lie in different known countries.
bool IsCrossBorder(const FlywaySnapshot& snapshot, const Link& link);

// Median of `values` (sorted here); 0 for none.
double Median(std::vector<double> values);

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_LINKS_H_
