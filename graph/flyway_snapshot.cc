#include "graph/flyway_snapshot.h"

#include <algorithm>

#include "graph/stay_clusters.h"

namespace wetlink::graph {

std::shared_ptr<const FlywaySnapshot> FlywaySnapshot::Build(
    std::shared_ptr<const catalog::Catalog> catalog, const CountryLookup& countries,
    std::vector<std::shared_ptr<const SegmentedIndividual>> individuals,
    const SegmentationParams& params, std::uint64_t version, const DiscoveredSitePrivacy& privacy) {
  std::shared_ptr<FlywaySnapshot> s(new FlywaySnapshot());
  s->catalog_ = std::move(catalog);
  s->params_ = params;
  s->version_ = version;
  std::sort(individuals.begin(), individuals.end(),
            [](const auto& a, const auto& b) { return a->info.number < b->info.number; });
  s->individuals_ = std::move(individuals);

  for (const catalog::Site& site : s->catalog_->sites()) {
    s->nodes_.push_back({.id = site.id,
                         .site = static_cast<std::int32_t>(s->nodes_.size()),
                         .name = site.EnglishName(),
                         .country = site.country,
                         .position = site.centre,
                         .is_protected = site.is_protected});
  }

  // Stays outside every site, pooled across individuals.
  std::vector<geo::LatLon> stays;
  SensitiveStays sensitive{.flagged = {}, .generalise = privacy.generalise};
  for (const auto& ind : s->individuals_) {
    const bool flagged = privacy.is_sensitive && privacy.is_sensitive(ind->info);
    for (const Stopover& stop : ind->segmentation.stopovers) {
      if (stop.site != kNoSite) continue;
      stays.push_back({stop.lat, stop.lon});
      sensitive.flagged.push_back(flagged);
    }
  }
  const StayClusters clusters = ClusterStays(stays, params.cluster_distance_m, sensitive);
  const auto first_discovered = static_cast<std::int32_t>(s->nodes_.size());
  for (std::size_t c = 0; c < clusters.ids.size(); ++c) {
    s->nodes_.push_back({.id = clusters.ids[c],
                         .site = kNoSite,
                         .name = "",
                         // Where the birds are, not where the site is shown:
                         // a generalised centre may lie across a border.
                         .country = countries ? countries(clusters.means[c]) : "",
                         .position = clusters.centres[c],
                         .is_protected = false});
  }
  for (std::size_t n = 0; n < s->nodes_.size(); ++n) {
    s->node_by_id_.emplace(s->nodes_[n].id, static_cast<std::int32_t>(n));
  }

  std::size_t next_stay = 0;
  s->stopover_nodes_.resize(s->individuals_.size());
  for (std::uint32_t i = 0; i < s->individuals_.size(); ++i) {
    const SegmentedIndividual& ind = *s->individuals_[i];
    const std::vector<Stopover>& stops = ind.segmentation.stopovers;
    std::vector<std::int32_t>& nodes = s->stopover_nodes_[i];
    nodes.reserve(stops.size());
    for (const Stopover& stop : stops) {
      nodes.push_back(stop.site != kNoSite
                          ? stop.site
                          : first_discovered +
                                static_cast<std::int32_t>(clusters.cluster_of[next_stay++]));
    }
    // A transition leaves the last of a run of stopovers at one node.
    for (std::uint32_t k = 0; k + 1 < stops.size(); ++k) {
      if (nodes[k] == nodes[k + 1]) continue;
      s->transitions_.push_back({.individual = i,
                                 .from_stop = k,
                                 .to_stop = k + 1,
                                 .from_node = nodes[k],
                                 .to_node = nodes[k + 1],
                                 .departure_ms = stops[k].departure_ms,
                                 .arrival_ms = stops[k + 1].arrival_ms,
                                 .distance_m = ind.leg_distance_m[k]});
    }
  }
  return s;
}

std::optional<std::uint32_t> FlywaySnapshot::FindIndividualByNumber(std::uint32_t number) const {
  auto it = std::lower_bound(individuals_.begin(), individuals_.end(), number,
                             [](const auto& ind, std::uint32_t n) { return ind->info.number < n; });
  if (it == individuals_.end() || (*it)->info.number != number) return std::nullopt;
  return static_cast<std::uint32_t>(it - individuals_.begin());
}

std::optional<std::int32_t> FlywaySnapshot::FindNode(std::string_view id) const {
  auto it = node_by_id_.find(id);
  if (it == node_by_id_.end()) return std::nullopt;
  return it->second;
}

}  // namespace wetlink::graph
