#ifndef WETLINK_GRAPH_IMPORTANCE_H_
#define WETLINK_GRAPH_IMPORTANCE_H_

// Which sites hold the flyway together: betweenness in the link graph, the
// share of individuals that use a site, and what is lost if sites are lost.

#include <cstdint>
#include <vector>

#include "graph/flyway_snapshot.h"
#include "graph/links.h"
#include "graph/selection.h"

namespace wetlink::graph {

struct NodeImportance {
  std::int32_t node = 0;
  // Brandes betweenness of the directed, unweighted link graph: the sum
  // over ordered pairs (s, t), s != v != t, of the share of shortest s-t
  // paths (in links) through v.
  double betweenness = 0;
  // Divided by (n − 1)(n − 2), n the vertices of the link graph: what
  // networkx.betweenness_centrality(G, normalized=True) gives for a
  // directed G.
  double betweenness_normalized = 0;
  // Distinct individuals with a selected transition from or to the node,
  // and their share of the individuals with any selected transition.
  std::uint32_t individuals = 0;
  double individual_share = 0;
  std::uint32_t transitions_in = 0;
  std::uint32_t transitions_out = 0;
  std::uint32_t links_in = 0;
  std::uint32_t links_out = 0;
};

// One entry per node of the link graph, ordered by betweenness, then
// individuals (both descending), then node.
std::vector<NodeImportance> RankSiteImportance(const FlywaySnapshot& snapshot,
                                               const Selection& selection,
                                               const std::vector<Link>& links);

struct LossImpact {
  std::vector<std::int32_t> removed;  // sorted, distinct
  // Ordered pairs (u, v), u != v, of link-graph nodes with a path from u
  // to v: before, and after removing the nodes (among the rest).
  std::uint64_t reachable_pairs_before = 0;
  std::uint64_t reachable_pairs_after = 0;
  double connectivity_lost = 0;  // 1 − after / before; 0 when before is 0
  std::uint32_t links_lost = 0;
  std::uint32_t transitions_lost = 0;
  std::uint32_t individuals_affected = 0;  // with a selected transition from or to a removed node
  double individual_share_affected = 0;
};

LossImpact SiteLossImpact(const FlywaySnapshot& snapshot, const Selection& selection,
                          const std::vector<Link>& links, std::vector<std::int32_t> removed);

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_IMPORTANCE_H_
