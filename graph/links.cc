#include "graph/links.h"

#include <algorithm>
#include <map>
#include <set>

namespace wetlink::graph {

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  if (values.size() % 2 == 1) return values[mid];
  const double upper = values[mid];
  const double lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2;
}

std::vector<Link> AggregateLinks(const FlywaySnapshot& snapshot, const Selection& selection) {
  struct Accumulator {
    std::set<std::uint32_t> individuals;
    std::set<std::string> species;
    std::vector<double> travel_ms;
    std::vector<double> distance_m;
    telemetry::TimestampMs first_departure_ms = 0;
    telemetry::TimestampMs last_arrival_ms = 0;
  };
  std::map<std::pair<std::int32_t, std::int32_t>, Accumulator> by_pair;
  std::map<std::int32_t, std::uint32_t> departures;
  for (std::uint32_t t : selection.transitions) {
    const Transition& tr = snapshot.transitions()[t];
    Accumulator& acc = by_pair[{tr.from_node, tr.to_node}];
    if (acc.travel_ms.empty() || tr.departure_ms < acc.first_departure_ms) {
      acc.first_departure_ms = tr.departure_ms;
    }
    if (acc.travel_ms.empty() || tr.arrival_ms > acc.last_arrival_ms) {
      acc.last_arrival_ms = tr.arrival_ms;
    }
    acc.individuals.insert(tr.individual);
    acc.species.insert(snapshot.individuals()[tr.individual]->info.species_id);
    acc.travel_ms.push_back(static_cast<double>(tr.duration_ms()));
    acc.distance_m.push_back(tr.distance_m);
    ++departures[tr.from_node];
  }
  std::vector<Link> links;
  links.reserve(by_pair.size());
  for (auto& [pair, acc] : by_pair) {
    Link link;
    link.from_node = pair.first;
    link.to_node = pair.second;
    link.individuals = static_cast<std::uint32_t>(acc.individuals.size());
    link.transitions = static_cast<std::uint32_t>(acc.travel_ms.size());
    link.median_travel_ms = static_cast<telemetry::TimestampMs>(Median(std::move(acc.travel_ms)));
    link.median_distance_m = Median(std::move(acc.distance_m));
    link.species.assign(acc.species.begin(), acc.species.end());
    link.first_departure_ms = acc.first_departure_ms;
    link.last_arrival_ms = acc.last_arrival_ms;
    link.probability =
        static_cast<double>(link.transitions) / static_cast<double>(departures[pair.first]);
    links.push_back(std::move(link));
  }
  return links;
}

bool IsCrossBorder(const FlywaySnapshot& snapshot, const Link& link) {
  const std::string& a = snapshot.nodes()[static_cast<std::size_t>(link.from_node)].country;
  const std::string& b = snapshot.nodes()[static_cast<std::size_t>(link.to_node)].country;
  return !a.empty() && !b.empty() && a != b;
}

std::vector<Link> FilterLinks(const FlywaySnapshot& snapshot, const std::vector<Link>& links,
                              const LinkFilter& filter) {
  std::vector<Link> out;
  for (const Link& link : links) {
    if (link.individuals < filter.min_individuals) continue;
    if (filter.node && link.from_node != *filter.node && link.to_node != *filter.node) continue;
    if (!filter.country.empty() &&
        snapshot.nodes()[static_cast<std::size_t>(link.from_node)].country != filter.country &&
        snapshot.nodes()[static_cast<std::size_t>(link.to_node)].country != filter.country) {
      continue;
    }
    if (filter.cross_border_only && !IsCrossBorder(snapshot, link)) continue;
    out.push_back(link);
  }
  return out;
}

}  // namespace wetlink::graph
