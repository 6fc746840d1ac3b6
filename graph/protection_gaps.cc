#include "graph/protection_gaps.h"

#include <algorithm>
#include <map>
#include <set>

namespace wetlink::graph {
namespace {

constexpr double kMsPerDay = 86'400'000.0;

}  // namespace

ProtectionGaps FindProtectionGaps(const FlywaySnapshot& snapshot, const Selection& selection) {
  struct RowAcc {
    GapRow row;
    std::set<std::uint32_t> individuals;
  };
  struct SiteAcc {
    CandidateSiteUse use;
    std::set<std::uint32_t> individuals;
    std::set<std::string> species;
  };
  std::map<std::pair<std::string, std::string>, RowAcc> rows;
  std::map<std::int32_t, SiteAcc> sites;
  for (const StopoverRef& ref : selection.stopovers) {
    const SegmentedIndividual& ind = *snapshot.individuals()[ref.individual];
    const Stopover& stop = ind.segmentation.stopovers[ref.stop];
    const Node& node = snapshot.nodes()[static_cast<std::size_t>(ref.node)];
    const double days = static_cast<double>(stop.duration_ms()) / kMsPerDay;
    RowAcc& acc = rows[{ind.info.species_id, node.country}];
    ++acc.row.stopovers;
    acc.row.stopover_days += days;
    if (!node.is_protected) {
      ++acc.row.unprotected_stopovers;
      acc.row.unprotected_days += days;
      acc.individuals.insert(ref.individual);
    }
    if (!node.catalogued()) {
      SiteAcc& site = sites[ref.node];
      ++site.use.stopovers;
      site.use.stopover_days += days;
      site.individuals.insert(ref.individual);
      site.species.insert(ind.info.species_id);
    }
  }
  ProtectionGaps gaps;
  for (auto& [key, acc] : rows) {
    acc.row.species_id = key.first;
    acc.row.country = key.second;
    acc.row.unprotected_individuals = static_cast<std::uint32_t>(acc.individuals.size());
    gaps.rows.push_back(acc.row);
  }
  for (auto& [node, acc] : sites) {
    acc.use.node = node;
    acc.use.individuals = static_cast<std::uint32_t>(acc.individuals.size());
    acc.use.species.assign(acc.species.begin(), acc.species.end());
    gaps.candidates.push_back(acc.use);
  }
  std::stable_sort(gaps.candidates.begin(), gaps.candidates.end(),
                   [](const CandidateSiteUse& a, const CandidateSiteUse& b) {
                     if (a.individuals != b.individuals) return a.individuals > b.individuals;
                     return a.stopover_days > b.stopover_days;
                   });
  return gaps;
}

}  // namespace wetlink::graph
