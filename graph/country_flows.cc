#include "graph/country_flows.h"

#include <map>
#include <set>

namespace wetlink::graph {

std::vector<CountryFlow> CountryFlows(const FlywaySnapshot& snapshot, const Selection& selection) {
  struct Cell {
    std::set<std::uint32_t> individuals;
    std::uint32_t transitions = 0;
  };
  std::map<std::pair<std::string, std::string>, Cell> cells;
  for (std::uint32_t t : selection.transitions) {
    const Transition& tr = snapshot.transitions()[t];
    Cell& cell = cells[{snapshot.nodes()[static_cast<std::size_t>(tr.from_node)].country,
                        snapshot.nodes()[static_cast<std::size_t>(tr.to_node)].country}];
    cell.individuals.insert(tr.individual);
    ++cell.transitions;
  }
  std::vector<CountryFlow> flows;
  for (const auto& [pair, cell] : cells) {
    flows.push_back({pair.first, pair.second, static_cast<std::uint32_t>(cell.individuals.size()),
                     cell.transitions});
  }
  return flows;
}

}  // namespace wetlink::graph
