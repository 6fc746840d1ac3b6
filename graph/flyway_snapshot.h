#ifndef WETLINK_GRAPH_FLYWAY_SNAPSHOT_H_
#define WETLINK_GRAPH_FLYWAY_SNAPSHOT_H_

// An immutable picture of the flyway at one moment: every individual's
// stopovers, the nodes they resolve to (catalogued sites, and candidate
// sites discovered from stays outside them), and the transitions between
// consecutive stopovers. Queries read it without locks while the live
// engine builds the next one (live_flyway.h).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "geo/geometry.h"
#include "graph/segmentation_params.h"
#include "graph/segmented_individual.h"

namespace wetlink::graph {

// ISO 3166-1 alpha-2 of the country at a position, "" when unknown (sea).
using CountryLookup = std::function<std::string(geo::LatLon)>;

// How discovered sites with a sensitive species' stays are published: the
// mean of the stays would point at a threatened bird's roost, so such a
// site is placed, and named, at `generalise` of it (wetlinkd: the centre of
// its [privacy] grid cell) for every caller. Its country stays that of the
// mean, so cross-border flows are unchanged. Unset: all at their mean.
struct DiscoveredSitePrivacy {
  std::function<bool(const IndividualInfo&)> is_sensitive;
  std::function<geo::LatLon(geo::LatLon)> generalise;
};

struct Node {
  std::string id;               // catalog site id, or "cand_<lat><n|s>_<lon><e|w>"
  std::int32_t site = kNoSite;  // position in Catalog::sites(); kNoSite when discovered
  std::string name;             // English name of a catalogued site; "" when discovered
  std::string country;          // ISO 3166-1 alpha-2, "" when unknown
  geo::LatLon position;         // site centre, or mean (or generalised mean) of the stays
  bool is_protected = false;    // a catalogued site under some protection

  bool catalogued() const { return site != kNoSite; }
};

struct Transition {
  std::uint32_t individual = 0;  // position in FlywaySnapshot::individuals()
  std::uint32_t from_stop = 0;   // positions in that individual's stopovers
  std::uint32_t to_stop = 0;
  std::int32_t from_node = 0;
  std::int32_t to_node = 0;
  telemetry::TimestampMs departure_ms = 0;  // the last fix of the stopover left
  telemetry::TimestampMs arrival_ms = 0;    // the first fix of the next stopover
  double distance_m = 0;                    // geodesic between the two stopovers' mean positions

  telemetry::TimestampMs duration_ms() const { return arrival_ms - departure_ms; }
};

class FlywaySnapshot {
 public:
  // `individuals` in any order (sorted here by number). Transitions join
  // consecutive stopovers of an individual at different nodes; consecutive
  // stopovers at one node (a visit cut by a long gap) make none.
  static std::shared_ptr<const FlywaySnapshot> Build(
      std::shared_ptr<const catalog::Catalog> catalog, const CountryLookup& countries,
      std::vector<std::shared_ptr<const SegmentedIndividual>> individuals,
      const SegmentationParams& params, std::uint64_t version,
      const DiscoveredSitePrivacy& privacy = {});

  const catalog::Catalog& catalog() const { return *catalog_; }
  const std::shared_ptr<const catalog::Catalog>& catalog_ptr() const { return catalog_; }
  const SegmentationParams& params() const { return params_; }
  // Grows by one with every published snapshot of a live engine.
  std::uint64_t version() const { return version_; }

  // Sorted by number.
  const std::vector<std::shared_ptr<const SegmentedIndividual>>& individuals() const {
    return individuals_;
  }
  std::optional<std::uint32_t> FindIndividualByNumber(std::uint32_t number) const;

  // Catalogued sites first (in catalog order, so node == site position),
  // then discovered candidate sites by id.
  const std::vector<Node>& nodes() const { return nodes_; }
  std::optional<std::int32_t> FindNode(std::string_view id) const;

  // Node of stopover `stop` of individual `individual`.
  std::int32_t StopoverNode(std::uint32_t individual, std::uint32_t stop) const {
    return stopover_nodes_[individual][stop];
  }
  const std::vector<std::int32_t>& StopoverNodesOf(std::uint32_t individual) const {
    return stopover_nodes_[individual];
  }

  // Every transition, by individual, then time.
  const std::vector<Transition>& transitions() const { return transitions_; }

 private:
  FlywaySnapshot() = default;

  std::shared_ptr<const catalog::Catalog> catalog_;
  SegmentationParams params_;
  std::uint64_t version_ = 0;
  std::vector<std::shared_ptr<const SegmentedIndividual>> individuals_;
  std::vector<Node> nodes_;
  std::map<std::string, std::int32_t, std::less<>> node_by_id_;
  std::vector<std::vector<std::int32_t>> stopover_nodes_;
  std::vector<Transition> transitions_;
};

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_FLYWAY_SNAPSHOT_H_
