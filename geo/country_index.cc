#include "geo/country_index.h"

#include <algorithm>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <numbers>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "geo/gdal_io.h"

namespace wetlink::geo {

namespace bgi = boost::geometry::index;

// Every boundary segment (exterior and hole rings) with its feature, indexed
// by the segment's bounding box.
struct CountryIndex::SegmentTree {
  struct Segment {
    Point a;
    Point b;
    std::uint32_t feature;
  };
  using Value = std::pair<Box, std::uint32_t>;  // bounds, position in `segments`
  using RTree = bgi::rtree<Value, bgi::quadratic<16>>;
  std::vector<Segment> segments;
  RTree rtree;
};

namespace {

// WGS84 (the ellipsoid GeographicLib's geodesy.cc uses too).
constexpr double kSemiMajorAxisM = 6'378'137.0;
constexpr double kFlattening = 1 / 298.257223563;
constexpr double kEccentricity2 = kFlattening * (2 - kFlattening);
constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;
// How many sample reasons an error lists before "and N more".
constexpr std::size_t kMaxListedReasons = 3;

// Metres per degree of latitude and of longitude at `lat_deg`, from the
// meridional and prime-vertical radii of curvature.
struct LocalScale {
  double m_per_deg_lat;
  double m_per_deg_lon;
};

LocalScale ScaleAt(double lat_deg) {
  const double sin_lat = std::sin(lat_deg * kRadiansPerDegree);
  const double w2 = 1 - kEccentricity2 * sin_lat * sin_lat;
  const double prime_vertical = kSemiMajorAxisM / std::sqrt(w2);
  const double meridional = kSemiMajorAxisM * (1 - kEccentricity2) / (w2 * std::sqrt(w2));
  return {
      .m_per_deg_lat = meridional * kRadiansPerDegree,
      .m_per_deg_lon = prime_vertical * std::cos(lat_deg * kRadiansPerDegree) * kRadiansPerDegree};
}

// Longitude difference folded into [-180, 180], so segments across the
// antimeridian from the query point measure the short way round.
double WrapDegrees(double delta) { return std::remainder(delta, 360.0); }

// The query position as an index point, or false if it is not a position.
bool Normalise(LatLon p, Point& out) {
  if (!std::isfinite(p.lat) || !std::isfinite(p.lon) || p.lat < -90 || p.lat > 90) return false;
  out = Point(WrapDegrees(p.lon), p.lat);
  return true;
}

// Distance in metres from the origin to segment (a, b), both given in local
// metres around the query point.
double DistanceToSegment(double ax, double ay, double bx, double by) {
  const double dx = bx - ax;
  const double dy = by - ay;
  const double length2 = dx * dx + dy * dy;
  double t = length2 > 0 ? -(ax * dx + ay * dy) / length2 : 0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(ax + t * dx, ay + t * dy);
}

std::string FeatureName(const ReadFeature& feature) {
  auto name = feature.attributes.find("name");
  if (name != feature.attributes.end() && !name->second.empty()) return name->second;
  return feature.ref.Describe();
}

bool IsAlpha2(std::string_view code) {
  return code.size() == 2 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string ListReasons(const std::vector<std::string>& reasons) {
  std::vector<std::string> listed(reasons.begin(),
                                  reasons.begin() + std::min(reasons.size(), kMaxListedReasons));
  std::string text = absl::StrJoin(listed, "; ");
  if (reasons.size() > listed.size()) {
    absl::StrAppend(&text, "; and ", reasons.size() - listed.size(), " more");
  }
  return text;
}

}  // namespace

absl::StatusOr<CountryIndex> CountryIndex::FromText(std::string_view text,
                                                    const CountryIndexOptions& options) {
  const std::string what = absl::StrCat("country boundaries '", options.name, "'");
  absl::StatusOr<ReadResult> read =
      ReadPolygonFeaturesFromBlobs({{.name = options.name, .content = std::string(text)}},
                                   {.layer = options.layer, .repair_invalid = true});
  if (!read.ok()) {
    return absl::Status(read.status().code(),
                        absl::StrCat("reading ", what, ": ", read.status().message()));
  }
  if (!read->refused.empty()) {
    std::vector<std::string> reasons;
    for (const RefusedFeature& refused : read->refused) reasons.push_back(refused.reason);
    return absl::InvalidArgumentError(absl::StrCat("reading ", what, ": ", reasons.size(),
                                                   " feature(s) refused: ", ListReasons(reasons)));
  }
  if (read->features.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("reading ", what, ": no polygon feature"));
  }
  if (read->features.size() > std::numeric_limits<std::uint32_t>::max()) {
    return absl::InvalidArgumentError(absl::StrCat("reading ", what, ": too many features"));
  }

  std::vector<std::string> codes;
  std::vector<std::string> uncoded;
  std::vector<std::string> bad_codes;
  std::vector<std::size_t> part_feature;
  std::vector<MultiPolygon> parts;
  for (std::size_t id = 0; id < read->features.size(); ++id) {
    ReadFeature& feature = read->features[id];
    std::string code;
    auto value = feature.attributes.find(options.code_attribute);
    if (value == feature.attributes.end() || value->second.empty() || value->second == "-99") {
      uncoded.push_back(absl::StrCat(FeatureName(feature), " (no '", options.code_attribute, "')"));
    } else if (options.code_table.empty()) {
      code = value->second;
    } else if (auto entry = options.code_table.find(value->second);
               entry != options.code_table.end()) {
      code = entry->second;
    } else {
      uncoded.push_back(absl::StrCat(FeatureName(feature), " ('", options.code_attribute, "' ",
                                     value->second, " is not in the code table)"));
    }
    if (!code.empty() && !IsAlpha2(code)) {
      bad_codes.push_back(
          absl::StrCat(feature.ref.Describe(), ": country code '", code, "' is not ISO alpha-2"));
    }
    codes.push_back(std::move(code));
    for (Polygon& polygon : feature.geometry) {
      parts.push_back(MultiPolygon{std::move(polygon)});
      part_feature.push_back(id);
    }
  }
  if (!bad_codes.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("reading ", what, ": ", ListReasons(bad_codes)));
  }
  return CountryIndex(std::move(codes), std::move(uncoded), std::move(part_feature),
                      PolygonIndex(std::move(parts)));
}

CountryIndex::CountryIndex(std::vector<std::string> codes, std::vector<std::string> uncoded,
                           std::vector<std::size_t> part_feature, PolygonIndex parts)
    : codes_(std::move(codes)),
      uncoded_(std::move(uncoded)),
      part_feature_(std::move(part_feature)),
      parts_(std::move(parts)),
      segments_(std::make_unique<SegmentTree>()) {
  std::vector<SegmentTree::Segment>& segments = segments_->segments;
  auto add_ring = [&](const Ring& ring, std::uint32_t feature) {
    for (std::size_t i = 1; i < ring.size(); ++i) {
      segments.push_back({.a = ring[i - 1], .b = ring[i], .feature = feature});
    }
  };
  for (std::size_t part = 0; part < parts_.size(); ++part) {
    const auto feature = static_cast<std::uint32_t>(part_feature_[part]);
    for (const Polygon& polygon : parts_.polygon(part)) {
      add_ring(polygon.outer(), feature);
      for (const Ring& hole : polygon.inners()) add_ring(hole, feature);
    }
  }
  std::vector<SegmentTree::Value> values;
  values.reserve(segments.size());
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Point& a = segments[i].a;
    const Point& b = segments[i].b;
    values.emplace_back(Box(Point(std::min(a.x(), b.x()), std::min(a.y(), b.y())),
                            Point(std::max(a.x(), b.x()), std::max(a.y(), b.y()))),
                        static_cast<std::uint32_t>(i));
  }
  // The packing constructor bulk-loads a better-balanced tree than inserts.
  segments_->rtree = SegmentTree::RTree(values.begin(), values.end());
}

CountryIndex::~CountryIndex() = default;
CountryIndex::CountryIndex(CountryIndex&&) noexcept = default;
CountryIndex& CountryIndex::operator=(CountryIndex&&) noexcept = default;

std::ptrdiff_t CountryIndex::FeatureAt(const Point& p) const {
  std::ptrdiff_t first = -1;
  for (std::size_t part : parts_.Containing(p)) {
    const auto feature = static_cast<std::ptrdiff_t>(part_feature_[part]);
    if (first < 0 || feature < first) first = feature;
  }
  return first;
}

std::string_view CountryIndex::CountryAt(LatLon p) const {
  Point point;
  if (!Normalise(p, point)) return "";
  const std::ptrdiff_t feature = FeatureAt(point);
  return feature < 0 ? std::string_view() : std::string_view(codes_[feature]);
}

std::string_view CountryIndex::NearestCountry(LatLon p, double max_distance_m) const {
  Point point;
  if (!Normalise(p, point)) return "";
  if (const std::ptrdiff_t feature = FeatureAt(point); feature >= 0) return codes_[feature];
  if (!(max_distance_m > 0) || !segments_) return "";

  const LocalScale scale = ScaleAt(point.y());
  // The box holds every point within max_distance_m in the local plane (plus
  // 1 % against rounding); the distance test below decides. Near a pole the
  // longitude span covers the whole circle.
  const double half_lat = 1.01 * max_distance_m / scale.m_per_deg_lat;
  const double half_lon = scale.m_per_deg_lon > 0 ? 1.01 * max_distance_m / scale.m_per_deg_lon
                                                  : std::numeric_limits<double>::infinity();
  const double min_lat = std::max(-90.0, point.y() - half_lat);
  const double max_lat = std::min(90.0, point.y() + half_lat);
  std::vector<Box> boxes;
  if (half_lon >= 180) {
    boxes.emplace_back(Point(-180, min_lat), Point(180, max_lat));
  } else {
    const double west = point.x() - half_lon;
    const double east = point.x() + half_lon;
    boxes.emplace_back(Point(std::max(-180.0, west), min_lat),
                       Point(std::min(180.0, east), max_lat));
    if (west < -180) boxes.emplace_back(Point(west + 360, min_lat), Point(180, max_lat));
    if (east > 180) boxes.emplace_back(Point(-180, min_lat), Point(east - 360, max_lat));
  }

  double best_distance = max_distance_m;
  std::uint32_t best_feature = std::numeric_limits<std::uint32_t>::max();
  auto local_x = [&](const Point& q) {
    return WrapDegrees(q.x() - point.x()) * scale.m_per_deg_lon;
  };
  auto local_y = [&](const Point& q) { return (q.y() - point.y()) * scale.m_per_deg_lat; };
  for (const Box& box : boxes) {
    for (auto it = segments_->rtree.qbegin(bgi::intersects(box)); it != segments_->rtree.qend();
         ++it) {
      const SegmentTree::Segment& segment = segments_->segments[it->second];
      const double distance = DistanceToSegment(local_x(segment.a), local_y(segment.a),
                                                local_x(segment.b), local_y(segment.b));
      if (distance < best_distance ||
          (distance == best_distance && segment.feature < best_feature)) {
        best_distance = distance;
        best_feature = segment.feature;
      }
    }
  }
  if (best_feature == std::numeric_limits<std::uint32_t>::max()) return "";
  return codes_[best_feature];
}

}  // namespace wetlink::geo
