#include "services/flyway_proto.h"

#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"

namespace wetlink::services {
namespace {

constexpr double kMsPerHour = 3'600'000.0;

absl::Status CheckFinite(double value, const char* field) {
  if (!std::isfinite(value) || value < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("query.params.", field, ": ", value, " is not a non-negative number"));
  }
  return absl::OkStatus();
}

}  // namespace

graph::FlywayFilter FilterFromProto(const v1::FlywayFilter& proto) {
  graph::FlywayFilter filter;
  filter.species.assign(proto.species().begin(), proto.species().end());
  filter.studies.assign(proto.study_ids().begin(), proto.study_ids().end());
  filter.season = proto.season();
  filter.years.assign(proto.years().begin(), proto.years().end());
  if (proto.has_from_ms() || proto.has_to_ms()) {
    filter.window = graph::TimeWindow{
        proto.has_from_ms() ? proto.from_ms() : std::numeric_limits<std::int64_t>::min(),
        proto.has_to_ms() ? proto.to_ms() : std::numeric_limits<std::int64_t>::max()};
  }
  return filter;
}

absl::StatusOr<std::optional<graph::SegmentationParams>> ParamsFromProto(
    const v1::SegmentationParams& proto, const graph::SegmentationParams& live) {
  graph::SegmentationParams p = live;
  bool any = false;
  auto hours = [&](bool has, double value, const char* field,
                   telemetry::TimestampMs& out) -> absl::Status {
    if (!has) return absl::OkStatus();
    any = true;
    if (absl::Status s = CheckFinite(value, field); !s.ok()) return s;
    if (value > 365.0 * 24) {
      return absl::InvalidArgumentError(
          absl::StrCat("query.params.", field, ": ", value, " h is more than a year"));
    }
    out = std::llround(value * kMsPerHour);
    return absl::OkStatus();
  };
  auto metres = [&](bool has, double value, const char* field, double& out) -> absl::Status {
    if (!has) return absl::OkStatus();
    any = true;
    if (absl::Status s = CheckFinite(value, field); !s.ok()) return s;
    out = value;
    return absl::OkStatus();
  };
  if (auto s = hours(proto.has_min_stay_hours(), proto.min_stay_hours(), "min_stay_hours",
                     p.min_stay_ms);
      !s.ok())
    return s;
  if (auto s =
          hours(proto.has_max_gap_hours(), proto.max_gap_hours(), "max_gap_hours", p.max_gap_ms);
      !s.ok())
    return s;
  if (auto s = hours(proto.has_max_excursion_hours(), proto.max_excursion_hours(),
                     "max_excursion_hours", p.max_excursion_ms);
      !s.ok())
    return s;
  if (auto s = metres(proto.has_max_diameter_m(), proto.max_diameter_m(), "max_diameter_m",
                      p.max_diameter_m);
      !s.ok())
    return s;
  if (auto s = metres(proto.has_cluster_distance_m(), proto.cluster_distance_m(),
                      "cluster_distance_m", p.cluster_distance_m);
      !s.ok())
    return s;
  if (!any) return std::optional<graph::SegmentationParams>();
  if (absl::Status s = graph::ValidateSegmentationParams(p); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("query.params.", s.message()));
  }
  return std::optional<graph::SegmentationParams>(p);
}

void ParamsToProto(const graph::SegmentationParams& p, v1::SegmentationParams* proto) {
  proto->set_min_stay_hours(static_cast<double>(p.min_stay_ms) / kMsPerHour);
  proto->set_max_gap_hours(static_cast<double>(p.max_gap_ms) / kMsPerHour);
  proto->set_max_excursion_hours(static_cast<double>(p.max_excursion_ms) / kMsPerHour);
  proto->set_max_diameter_m(p.max_diameter_m);
  proto->set_cluster_distance_m(p.cluster_distance_m);
}

void NodeToProto(const graph::Node& node, v1::FlywayNode* proto) {
  proto->set_id(node.id);
  proto->set_name(node.name);
  proto->set_country(node.country);
  proto->set_lat(node.position.lat);
  proto->set_lon(node.position.lon);
  proto->set_catalogued(node.catalogued());
  proto->set_is_protected(node.is_protected);
}

void LinkToProto(const graph::FlywaySnapshot& snapshot, const graph::Link& link,
                 v1::FlywayLink* proto) {
  proto->set_from_id(snapshot.nodes()[static_cast<std::size_t>(link.from_node)].id);
  proto->set_to_id(snapshot.nodes()[static_cast<std::size_t>(link.to_node)].id);
  proto->set_individuals(link.individuals);
  proto->set_transitions(link.transitions);
  proto->set_median_travel_ms(link.median_travel_ms);
  proto->set_median_distance_m(link.median_distance_m);
  for (const std::string& s : link.species) proto->add_species(s);
  proto->set_first_departure_ms(link.first_departure_ms);
  proto->set_last_arrival_ms(link.last_arrival_ms);
  proto->set_probability(link.probability);
  proto->set_cross_border(graph::IsCrossBorder(snapshot, link));
}

void NodeCollector::WriteTo(google::protobuf::RepeatedPtrField<v1::FlywayNode>* nodes) const {
  for (std::int32_t n : seen_)
    NodeToProto(snapshot_.nodes()[static_cast<std::size_t>(n)], nodes->Add());
}

}  // namespace wetlink::services
