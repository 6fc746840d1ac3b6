#ifndef WETLINK_GRAPH_ROUTES_H_
#define WETLINK_GRAPH_ROUTES_H_

// Routes from one node to another: the most probable one through the link
// graph, and the routes individuals actually flew, ranked by use.

#include <cstdint>
#include <optional>
#include <vector>

#include "graph/flyway_snapshot.h"
#include "graph/links.h"
#include "graph/selection.h"

namespace wetlink::graph {

struct ProbableRoute {
  std::vector<std::int32_t> nodes;      // from, ..., to
  std::vector<double> hop_probability;  // per link, the share of departures that took it
  double probability = 0;               // product of the hop probabilities
};

// Dijkstra on −log of the link probabilities (links.h). nullopt when `to`
// is not reachable from `from`. `from` != `to`.
std::optional<ProbableRoute> MostProbableRoute(const std::vector<Link>& links, std::int32_t from,
                                               std::int32_t to);

struct UsedRoute {
  std::vector<std::int32_t> nodes;  // from, stopover nodes..., to
  std::uint32_t individuals = 0;    // distinct individuals that flew it
  std::uint32_t journeys = 0;       // times it was flown
  // Median time from leaving `from` to arriving at `to`, ms.
  telemetry::TimestampMs median_duration_ms = 0;
};

// Journeys: runs of an individual's consecutive selected transitions that
// leave `from` and reach `to` without passing `from` again (at most
// `max_hops` links). Grouped by node sequence and ranked by individuals,
// then journeys, then fewer hops; the first `k`. `k` > 0, `from` != `to`.
std::vector<UsedRoute> MostUsedRoutes(const FlywaySnapshot& snapshot, const Selection& selection,
                                      std::int32_t from, std::int32_t to, int k, int max_hops = 32);

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_ROUTES_H_
