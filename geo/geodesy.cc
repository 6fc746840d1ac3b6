#include "geo/geodesy.h"

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>
#include <GeographicLib/PolygonArea.hpp>
#include <boost/geometry/algorithms/correct.hpp>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <string>

#include "absl/status/status.h"

namespace wetlink::geo {
namespace {

const GeographicLib::Geodesic& Wgs84() { return GeographicLib::Geodesic::WGS84(); }

// Absolute geodesic area of one ring. PolygonArea closes the ring itself, so
// the repeated closing vertex is skipped. The signed result is used because
// the unsigned one of a clockwise ring is the area of the rest of the Earth.
double RingAreaM2(const Ring& ring) {
  std::size_t n = ring.size();
  if (n > 1 && ring.front().x() == ring.back().x() && ring.front().y() == ring.back().y()) {
    --n;
  }
  if (n < 3) return 0.0;
  GeographicLib::PolygonArea area(Wgs84(), /*polyline=*/false);
  for (std::size_t i = 0; i < n; ++i) area.AddPoint(ring[i].y(), ring[i].x());
  double perimeter = 0.0;
  double signed_area = 0.0;
  area.Compute(/*reverse=*/false, /*sign=*/true, perimeter, signed_area);
  return std::abs(signed_area);
}

// Vertices at equal bearings around `centre`, `radius_m` away, in bearing
// order. Longitudes are unrolled so that a disc straddling the antimeridian
// stays one contiguous ring instead of jumping across the map.
Polygon DiscPolygon(LatLon centre, double radius_m, int vertices) {
  Polygon polygon;
  auto& outer = polygon.outer();
  outer.reserve(static_cast<std::size_t>(vertices) + 1);
  for (int i = 0; i < vertices; ++i) {
    const double azimuth = 360.0 * i / vertices;
    double lat = 0.0;
    double lon = 0.0;
    double unused = 0.0;
    Wgs84().GenDirect(centre.lat, centre.lon, azimuth, /*arcmode=*/false, radius_m,
                      GeographicLib::Geodesic::LATITUDE | GeographicLib::Geodesic::LONGITUDE |
                          GeographicLib::Geodesic::LONG_UNROLL,
                      lat, lon, unused, unused, unused, unused, unused, unused);
    outer.emplace_back(lon, lat);
  }
  outer.push_back(outer.front());
  boost::geometry::correct(polygon);
  return polygon;
}

}  // namespace

double GeodesicAreaM2(const Polygon& polygon) {
  double area = RingAreaM2(polygon.outer());
  for (const Ring& hole : polygon.inners()) area -= RingAreaM2(hole);
  return area;
}

double GeodesicAreaM2(const MultiPolygon& multipolygon) {
  double area = 0.0;
  for (const Polygon& polygon : multipolygon) area += GeodesicAreaM2(polygon);
  return area;
}

double GeodesicDistanceM(LatLon a, LatLon b) {
  double distance = 0.0;
  Wgs84().Inverse(a.lat, a.lon, b.lat, b.lon, distance);
  return distance;
}

LineString GeodesicLine(LatLon a, LatLon b, double max_step_m) {
  const GeographicLib::GeodesicLine line = Wgs84().InverseLine(
      a.lat, a.lon, b.lat, b.lon,
      GeographicLib::Geodesic::LATITUDE | GeographicLib::Geodesic::LONGITUDE |
          GeographicLib::Geodesic::DISTANCE_IN);
  const double length = line.Distance();
  const auto steps = static_cast<int>(std::max(1.0, std::ceil(length / max_step_m)));
  LineString out;
  double previous_lon = a.lon;
  for (int i = 0; i <= steps; ++i) {
    double lat = 0, lon = 0;
    line.Position(length * i / steps, lat, lon);
    // Unroll: each point within 180 degrees of longitude of the last.
    lon = previous_lon + std::remainder(lon - previous_lon, 360.0);
    previous_lon = lon;
    out.emplace_back(lon, lat);
  }
  return out;
}

absl::StatusOr<Polygon> DiscOfArea(LatLon centre, double area_m2, int vertices) {
  if (!std::isfinite(area_m2) || area_m2 <= 0.0) {
    return absl::InvalidArgumentError("disc area must be a positive number of square metres, got " +
                                      std::to_string(area_m2));
  }
  if (vertices < 8) {
    return absl::InvalidArgumentError("a disc needs at least 8 vertices, got " +
                                      std::to_string(vertices));
  }
  if (!std::isfinite(centre.lat) || !std::isfinite(centre.lon) || std::abs(centre.lat) > 90.0 ||
      std::abs(centre.lon) > 180.0) {
    return absl::InvalidArgumentError("disc centre is out of range: lat " +
                                      std::to_string(centre.lat) + ", lon " +
                                      std::to_string(centre.lon));
  }
  // Beyond a hemisphere the polygon area no longer grows with the radius, so
  // the iteration below would not converge.
  const double hemisphere_m2 = Wgs84().EllipsoidArea() / 2.0;
  if (area_m2 >= hemisphere_m2) {
    return absl::InvalidArgumentError("disc area " + std::to_string(area_m2) +
                                      " m2 is larger than a hemisphere");
  }

  // Start from the planar regular polygon inscribed in a circle of radius r,
  // whose area is n/2 r^2 sin(2 pi / n); the ellipsoid only perturbs that.
  const double n = vertices;
  double radius = std::sqrt(2.0 * area_m2 / (n * std::sin(2.0 * std::numbers::pi / n)));
  constexpr double kTolerance = 1e-4;
  constexpr int kMaxIterations = 50;
  Polygon polygon = DiscPolygon(centre, radius, vertices);
  for (int i = 0; i < kMaxIterations; ++i) {
    const double area = GeodesicAreaM2(polygon);
    // Converge well below the promised tolerance; it costs a few iterations.
    if (area > 0.0 && std::abs(area / area_m2 - 1.0) < kTolerance * 1e-3) return polygon;
    radius *= area > 0.0 ? std::sqrt(area_m2 / area) : 2.0;
    polygon = DiscPolygon(centre, radius, vertices);
  }
  const double area = GeodesicAreaM2(polygon);
  if (std::abs(area / area_m2 - 1.0) < kTolerance) return polygon;
  return absl::InvalidArgumentError("cannot build a disc of " + std::to_string(area_m2) +
                                    " m2 around lat " + std::to_string(centre.lat) + ", lon " +
                                    std::to_string(centre.lon));
}

}  // namespace wetlink::geo
