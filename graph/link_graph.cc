#include "graph/link_graph.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace wetlink::graph {

LinkGraph::LinkGraph(const std::vector<Link>& links) {
  std::set<std::int32_t> nodes;
  for (const Link& link : links) {
    nodes.insert(link.from_node);
    nodes.insert(link.to_node);
  }
  node_of_.assign(nodes.begin(), nodes.end());
  graph_ = Graph(node_of_.size());
  for (std::size_t v = 0; v < node_of_.size(); ++v) vertex_of_[node_of_[v]] = v;
  for (const Link& link : links) {
    boost::add_edge(vertex_of_[link.from_node], vertex_of_[link.to_node],
                    -std::log(link.probability), graph_);
  }
}

std::optional<LinkGraph::Vertex> LinkGraph::VertexOf(std::int32_t node) const {
  auto it = vertex_of_.find(node);
  if (it == vertex_of_.end()) return std::nullopt;
  return it->second;
}

std::uint64_t ReachablePairs(const LinkGraph& graph, const std::vector<std::int32_t>& removed) {
  const std::size_t n = graph.vertex_count();
  std::vector<bool> gone(n, false);
  for (std::int32_t node : removed) {
    if (auto v = graph.VertexOf(node)) gone[*v] = true;
  }
  std::uint64_t pairs = 0;
  std::vector<bool> seen(n);
  std::vector<LinkGraph::Vertex> stack;
  for (std::size_t s = 0; s < n; ++s) {
    if (gone[s]) continue;
    std::fill(seen.begin(), seen.end(), false);
    seen[s] = true;
    stack.assign(1, s);
    while (!stack.empty()) {
      const LinkGraph::Vertex u = stack.back();
      stack.pop_back();
      for (auto [e, end] = boost::out_edges(u, graph.graph()); e != end; ++e) {
        const LinkGraph::Vertex v = boost::target(*e, graph.graph());
        if (gone[v] || seen[v]) continue;
        seen[v] = true;
        ++pairs;
        stack.push_back(v);
      }
    }
  }
  return pairs;
}

}  // namespace wetlink::graph
