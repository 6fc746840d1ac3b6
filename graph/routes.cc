#include "graph/routes.h"

#include <algorithm>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <cmath>
#include <map>
#include <set>

#include "graph/link_graph.h"

namespace wetlink::graph {

std::optional<ProbableRoute> MostProbableRoute(const std::vector<Link>& links, std::int32_t from,
                                               std::int32_t to) {
  const LinkGraph lg(links);
  const auto source = lg.VertexOf(from);
  const auto target = lg.VertexOf(to);
  if (!source || !target) return std::nullopt;
  const LinkGraph::Graph& g = lg.graph();
  std::vector<LinkGraph::Vertex> predecessor(lg.vertex_count());
  std::vector<double> distance(lg.vertex_count());
  boost::dijkstra_shortest_paths(
      g, *source,
      boost::predecessor_map(boost::make_iterator_property_map(predecessor.begin(),
                                                               boost::get(boost::vertex_index, g)))
          .distance_map(boost::make_iterator_property_map(distance.begin(),
                                                          boost::get(boost::vertex_index, g))));
  if (predecessor[*target] == *target) return std::nullopt;  // unreachable

  std::vector<LinkGraph::Vertex> path;
  for (LinkGraph::Vertex v = *target; v != *source; v = predecessor[v]) path.push_back(v);
  path.push_back(*source);
  std::reverse(path.begin(), path.end());

  std::map<std::pair<std::int32_t, std::int32_t>, double> probability;
  for (const Link& link : links) probability[{link.from_node, link.to_node}] = link.probability;
  ProbableRoute route;
  route.probability = 1.0;
  for (std::size_t i = 0; i < path.size(); ++i) {
    route.nodes.push_back(lg.NodeOf(path[i]));
    if (i == 0) continue;
    const double p = probability[{route.nodes[i - 1], route.nodes[i]}];
    route.hop_probability.push_back(p);
    route.probability *= p;
  }
  return route;
}

std::vector<UsedRoute> MostUsedRoutes(const FlywaySnapshot& snapshot, const Selection& selection,
                                      std::int32_t from, std::int32_t to, int k, int max_hops) {
  struct Tally {
    std::set<std::uint32_t> individuals;
    std::vector<double> durations;
  };
  std::map<std::vector<std::int32_t>, Tally> tallies;
  const std::vector<Transition>& all = snapshot.transitions();
  const std::vector<std::uint32_t>& sel = selection.transitions;
  for (std::size_t s = 0; s < sel.size(); ++s) {
    if (all[sel[s]].from_node != from) continue;
    std::vector<std::int32_t> nodes{from};
    for (std::size_t j = s; j < sel.size() && static_cast<int>(j - s) < max_hops; ++j) {
      const Transition& tr = all[sel[j]];
      // The journey is one individual's unbroken run of transitions.
      if (j > s && (sel[j] != sel[j - 1] + 1 || tr.individual != all[sel[j - 1]].individual)) break;
      if (j > s && tr.from_node == from) break;  // back at the start: a later journey
      nodes.push_back(tr.to_node);
      if (tr.to_node == to) {
        Tally& tally = tallies[nodes];
        tally.individuals.insert(tr.individual);
        tally.durations.push_back(static_cast<double>(tr.arrival_ms - all[sel[s]].departure_ms));
        break;
      }
    }
  }
  std::vector<UsedRoute> routes;
  for (auto& [nodes, tally] : tallies) {
    routes.push_back({.nodes = nodes,
                      .individuals = static_cast<std::uint32_t>(tally.individuals.size()),
                      .journeys = static_cast<std::uint32_t>(tally.durations.size()),
                      .median_duration_ms =
                          static_cast<telemetry::TimestampMs>(Median(std::move(tally.durations)))});
  }
  // The map's order (node sequence) breaks the remaining ties.
  std::stable_sort(routes.begin(), routes.end(), [](const UsedRoute& a, const UsedRoute& b) {
    if (a.individuals != b.individuals) return a.individuals > b.individuals;
    if (a.journeys != b.journeys) return a.journeys > b.journeys;
    return a.nodes.size() < b.nodes.size();
  });
  if (routes.size() > static_cast<std::size_t>(k)) routes.resize(static_cast<std::size_t>(k));
  return routes;
}

}  // namespace wetlink::graph
