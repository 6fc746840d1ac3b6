#include "graph/flyway_export.h"

#include <set>
#include <string>

#include "absl/strings/str_join.h"
#include "geo/geodesy.h"
#include "telemetry/timestamp.h"

namespace wetlink::graph {
namespace {

using geo::FieldType;

constexpr double kLineStepM = 10'000;
constexpr double kHour = 3'600'000.0;
constexpr double kMsPerDay = 86'400'000.0;

geo::Point PointOf(geo::LatLon p) { return {p.lon, p.lat}; }

}  // namespace

geo::LayerToWrite NodesLayer(const FlywaySnapshot& snapshot, const std::vector<Link>& links,
                             const Selection& selection) {
  geo::LayerToWrite layer{.name = kNodesLayer,
                          .kind = geo::GeometryKind::kPoint,
                          .fields = {{"id", FieldType::kString},
                                     {"name", FieldType::kString},
                                     {"country", FieldType::kString},
                                     {"catalogued", FieldType::kInteger},
                                     {"protected", FieldType::kInteger}},
                          .features = {}};
  std::set<std::int32_t> used;
  for (const Link& link : links) {
    used.insert(link.from_node);
    used.insert(link.to_node);
  }
  for (const StopoverRef& ref : selection.stopovers) used.insert(ref.node);
  for (std::int32_t n : used) {
    const Node& node = snapshot.nodes()[static_cast<std::size_t>(n)];
    layer.features.push_back(
        {.values = {node.id, node.name, node.country, std::int64_t{node.catalogued() ? 1 : 0},
                    std::int64_t{node.is_protected ? 1 : 0}},
         .geometry = PointOf(node.position)});
  }
  return layer;
}

geo::LayerToWrite LinksLayer(const FlywaySnapshot& snapshot, const std::vector<Link>& links) {
  geo::LayerToWrite layer{.name = kLinksLayer,
                          .kind = geo::GeometryKind::kLineString,
                          .fields = {{"from_id", FieldType::kString},
                                     {"to_id", FieldType::kString},
                                     {"from_country", FieldType::kString},
                                     {"to_country", FieldType::kString},
                                     {"individuals", FieldType::kInteger},
                                     {"transitions", FieldType::kInteger},
                                     {"probability", FieldType::kReal},
                                     {"median_travel_h", FieldType::kReal},
                                     {"median_distance_km", FieldType::kReal},
                                     {"species", FieldType::kString},
                                     {"cross_border", FieldType::kInteger}},
                          .features = {}};
  for (const Link& link : links) {
    const Node& from = snapshot.nodes()[static_cast<std::size_t>(link.from_node)];
    const Node& to = snapshot.nodes()[static_cast<std::size_t>(link.to_node)];
    layer.features.push_back(
        {.values = {from.id, to.id, from.country, to.country, std::int64_t{link.individuals},
                    std::int64_t{link.transitions}, link.probability,
                    static_cast<double>(link.median_travel_ms) / kHour,
                    link.median_distance_m / 1000.0, absl::StrJoin(link.species, ","),
                    std::int64_t{IsCrossBorder(snapshot, link) ? 1 : 0}},
         .geometry = geo::GeodesicLine(from.position, to.position, kLineStepM)});
  }
  return layer;
}

geo::LayerToWrite StopoversLayer(const FlywaySnapshot& snapshot, const Selection& selection,
                                 const StopoverPlacement& place) {
  geo::LayerToWrite layer{.name = kStopoversLayer,
                          .kind = geo::GeometryKind::kPoint,
                          .fields = {{"study_id", FieldType::kString},
                                     {"individual_id", FieldType::kString},
                                     {"species", FieldType::kString},
                                     {"site_id", FieldType::kString},
                                     {"catalogued", FieldType::kInteger},
                                     {"arrival", FieldType::kString},
                                     {"departure", FieldType::kString},
                                     {"days", FieldType::kReal},
                                     {"fixes", FieldType::kInteger}},
                          .features = {}};
  for (const StopoverRef& ref : selection.stopovers) {
    const SegmentedIndividual& ind = *snapshot.individuals()[ref.individual];
    const Stopover& stop = ind.segmentation.stopovers[ref.stop];
    const Node& node = snapshot.nodes()[static_cast<std::size_t>(ref.node)];
    std::pair<double, double> at{stop.lat, stop.lon};
    if (place) {
      std::optional<std::pair<double, double>> placed = place(ind, stop);
      if (!placed) continue;
      at = *placed;
    }
    layer.features.push_back(
        {.values = {ind.info.study_id, ind.info.individual_id, ind.info.species_id, node.id,
                    std::int64_t{node.catalogued() ? 1 : 0},
                    telemetry::FormatTimestamp(stop.arrival_ms),
                    telemetry::FormatTimestamp(stop.departure_ms),
                    static_cast<double>(stop.duration_ms()) / kMsPerDay, std::int64_t{stop.fixes}},
         .geometry = geo::Point(at.second, at.first)});
  }
  return layer;
}

}  // namespace wetlink::graph
