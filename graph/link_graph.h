#ifndef WETLINK_GRAPH_LINK_GRAPH_H_
#define WETLINK_GRAPH_LINK_GRAPH_H_

// A Boost.Graph of links for the graph algorithms (routes, betweenness,
// reachability). Vertices are the nodes some link touches, numbered in
// node order; edges carry −log of the link probability.

#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "graph/links.h"

namespace wetlink::graph {

class LinkGraph {
 public:
  using Graph =
      boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property,
                            boost::property<boost::edge_weight_t, double>>;
  using Vertex = Graph::vertex_descriptor;

  explicit LinkGraph(const std::vector<Link>& links);

  const Graph& graph() const { return graph_; }
  std::size_t vertex_count() const { return node_of_.size(); }
  std::int32_t NodeOf(Vertex v) const { return node_of_[v]; }
  std::optional<Vertex> VertexOf(std::int32_t node) const;

 private:
  Graph graph_;
  std::vector<std::int32_t> node_of_;
  std::map<std::int32_t, Vertex> vertex_of_;
};

// Ordered pairs (u, v), u != v, with a directed path from u to v, among the
// graph's vertices other than `removed` (nodes).
std::uint64_t ReachablePairs(const LinkGraph& graph, const std::vector<std::int32_t>& removed);

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_LINK_GRAPH_H_
