#include "graph/importance.h"

#include <algorithm>
#include <boost/graph/betweenness_centrality.hpp>
#include <map>
#include <set>

#include "graph/link_graph.h"

namespace wetlink::graph {
namespace {

std::set<std::uint32_t> IndividualsWithTransitions(const FlywaySnapshot& snapshot,
                                                   const Selection& selection) {
  std::set<std::uint32_t> all;
  for (std::uint32_t t : selection.transitions) all.insert(snapshot.transitions()[t].individual);
  return all;
}

}  // namespace

std::vector<NodeImportance> RankSiteImportance(const FlywaySnapshot& snapshot,
                                               const Selection& selection,
                                               const std::vector<Link>& links) {
  const LinkGraph lg(links);
  const std::size_t n = lg.vertex_count();
  std::vector<double> centrality(n, 0.0);
  if (n > 0) {
    boost::brandes_betweenness_centrality(
        lg.graph(), boost::centrality_map(boost::make_iterator_property_map(
                        centrality.begin(), boost::get(boost::vertex_index, lg.graph()))));
  }
  std::map<std::int32_t, std::set<std::uint32_t>> individuals;
  std::map<std::int32_t, NodeImportance> by_node;
  for (std::size_t v = 0; v < n; ++v) {
    NodeImportance& imp = by_node[lg.NodeOf(v)];
    imp.node = lg.NodeOf(v);
    imp.betweenness = centrality[v];
    imp.betweenness_normalized =
        n > 2 ? centrality[v] / (static_cast<double>(n - 1) * static_cast<double>(n - 2)) : 0.0;
  }
  for (std::uint32_t t : selection.transitions) {
    const Transition& tr = snapshot.transitions()[t];
    ++by_node[tr.from_node].transitions_out;
    ++by_node[tr.to_node].transitions_in;
    individuals[tr.from_node].insert(tr.individual);
    individuals[tr.to_node].insert(tr.individual);
  }
  for (const Link& link : links) {
    ++by_node[link.from_node].links_out;
    ++by_node[link.to_node].links_in;
  }
  const double total = static_cast<double>(IndividualsWithTransitions(snapshot, selection).size());
  std::vector<NodeImportance> ranked;
  for (auto& [node, imp] : by_node) {
    imp.individuals = static_cast<std::uint32_t>(individuals[node].size());
    imp.individual_share = total > 0 ? imp.individuals / total : 0.0;
    ranked.push_back(imp);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const NodeImportance& a, const NodeImportance& b) {
                     if (a.betweenness != b.betweenness) return a.betweenness > b.betweenness;
                     return a.individuals > b.individuals;
                   });
  return ranked;
}

LossImpact SiteLossImpact(const FlywaySnapshot& snapshot, const Selection& selection,
                          const std::vector<Link>& links, std::vector<std::int32_t> removed) {
  std::sort(removed.begin(), removed.end());
  removed.erase(std::unique(removed.begin(), removed.end()), removed.end());
  auto is_removed = [&](std::int32_t node) {
    return std::binary_search(removed.begin(), removed.end(), node);
  };
  LossImpact impact;
  impact.removed = removed;
  const LinkGraph lg(links);
  impact.reachable_pairs_before = ReachablePairs(lg, {});
  impact.reachable_pairs_after = ReachablePairs(lg, removed);
  if (impact.reachable_pairs_before > 0) {
    impact.connectivity_lost = 1.0 - static_cast<double>(impact.reachable_pairs_after) /
                                         static_cast<double>(impact.reachable_pairs_before);
  }
  for (const Link& link : links) {
    if (is_removed(link.from_node) || is_removed(link.to_node)) ++impact.links_lost;
  }
  std::set<std::uint32_t> affected;
  for (std::uint32_t t : selection.transitions) {
    const Transition& tr = snapshot.transitions()[t];
    if (is_removed(tr.from_node) || is_removed(tr.to_node)) {
      ++impact.transitions_lost;
      affected.insert(tr.individual);
    }
  }
  impact.individuals_affected = static_cast<std::uint32_t>(affected.size());
  const std::size_t total = IndividualsWithTransitions(snapshot, selection).size();
  if (total > 0) {
    impact.individual_share_affected =
        static_cast<double>(affected.size()) / static_cast<double>(total);
  }
  return impact;
}

}  // namespace wetlink::graph
