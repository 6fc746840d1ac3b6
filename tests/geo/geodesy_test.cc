#include "geo/geodesy.h"

#include <algorithm>
#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/algorithms/correct.hpp>
#include <boost/geometry/algorithms/is_valid.hpp>
#include <cmath>
#include <limits>

#include "absl/status/status.h"
#include "geo/geometry.h"
#include "gtest/gtest.h"

namespace wetlink::geo {
namespace {

constexpr double kSquareMetresPerSquareKm = 1e6;

Polygon MakePolygon(std::initializer_list<Point> outer, std::initializer_list<Point> hole = {}) {
  Polygon polygon;
  polygon.outer().assign(outer.begin(), outer.end());
  polygon.outer().push_back(polygon.outer().front());
  if (hole.size() > 0) {
    Ring& inner = polygon.inners().emplace_back(hole.begin(), hole.end());
    inner.push_back(inner.front());
  }
  boost::geometry::correct(polygon);
  return polygon;
}

Polygon Reversed(Polygon polygon) {
  std::reverse(polygon.outer().begin(), polygon.outer().end());
  for (Ring& inner : polygon.inners()) std::reverse(inner.begin(), inner.end());
  return polygon;
}

TEST(GeodesicAreaTest, OctantIsOneEighthOfTheEllipsoid) {
  // WGS84 ellipsoid area 510,065,621.724 km^2; the triangle between the
  // equator and two meridians 90 degrees apart is exactly one eighth by symmetry.
  const Polygon octant = MakePolygon({{0, 0}, {90, 0}, {0, 90}});
  EXPECT_NEAR(GeodesicAreaM2(octant) / kSquareMetresPerSquareKm, 63'758'202.7155, 1e-3);
}

TEST(GeodesicAreaTest, OneDegreeCellAtEquator) {
  // The cell bounded by parallels 0 and 1 degree is 12,308.464 km^2 (closed
  // form for an ellipsoidal zone). With geodesic edges the northern edge bulges
  // poleward by ~4.2 m at its middle, adding ~2/3 * 111.3 km * 4.2 m = 0.31 km^2,
  // so ~12,308.78 km^2; 0.02 km^2 covers the parabolic estimate of the bulge.
  const Polygon cell = MakePolygon({{0, 0}, {1, 0}, {1, 1}, {0, 1}});
  EXPECT_NEAR(GeodesicAreaM2(cell) / kSquareMetresPerSquareKm, 12'308.78, 0.02);
  EXPECT_GT(GeodesicAreaM2(cell) / kSquareMetresPerSquareKm, 12'308.464);
}

TEST(GeodesicAreaTest, OrientationDoesNotMatter) {
  const Polygon cell = MakePolygon({{130, 42}, {131, 42}, {131, 43}, {130, 43}});
  EXPECT_DOUBLE_EQ(GeodesicAreaM2(cell), GeodesicAreaM2(Reversed(cell)));
  EXPECT_GT(GeodesicAreaM2(Reversed(cell)), 0.0);
}

TEST(GeodesicAreaTest, OpenRingsAreClosedImplicitly) {
  Polygon closed = MakePolygon({{130, 42}, {131, 42}, {131, 43}, {130, 43}});
  Polygon open = closed;
  open.outer().pop_back();
  EXPECT_NEAR(GeodesicAreaM2(open), GeodesicAreaM2(closed), 1e-6);
}

TEST(GeodesicAreaTest, HolesAreSubtracted) {
  const Polygon outer = MakePolygon({{117, 48}, {118, 48}, {118, 49}, {117, 49}});
  const Polygon hole = MakePolygon({{117.4, 48.4}, {117.6, 48.4}, {117.6, 48.6}, {117.4, 48.6}});
  const Polygon with_hole =
      MakePolygon({{117, 48}, {118, 48}, {118, 49}, {117, 49}},
                  {{117.4, 48.4}, {117.6, 48.4}, {117.6, 48.6}, {117.4, 48.6}});
  EXPECT_NEAR(GeodesicAreaM2(with_hole), GeodesicAreaM2(outer) - GeodesicAreaM2(hole), 1e-3);
  // Hole orientation is irrelevant, as for the exterior.
  EXPECT_NEAR(GeodesicAreaM2(Reversed(with_hole)), GeodesicAreaM2(with_hole), 1e-3);
}

TEST(GeodesicAreaTest, MultiPolygonSumsItsParts) {
  const Polygon a = MakePolygon({{116, 47}, {116.1, 47}, {116.1, 47.1}, {116, 47.1}});
  const Polygon b = MakePolygon({{116.5, 47}, {116.6, 47}, {116.6, 47.1}, {116.5, 47.1}});
  MultiPolygon both;
  both.push_back(a);
  both.push_back(b);
  EXPECT_NEAR(GeodesicAreaM2(both), GeodesicAreaM2(a) + GeodesicAreaM2(b), 1e-3);
  EXPECT_EQ(GeodesicAreaM2(MultiPolygon{}), 0.0);
}

TEST(GeodesicAreaTest, DegenerateRingsHaveNoArea) {
  Polygon line;
  line.outer() = {{130, 42}, {131, 42}, {130, 42}};
  EXPECT_EQ(GeodesicAreaM2(line), 0.0);
  EXPECT_EQ(GeodesicAreaM2(Polygon{}), 0.0);
}

TEST(GeodesicDistanceTest, OneDegreeOfMeridianAtEquator) {
  // WGS84 meridian arc from 0 to 1 degree north: 110,574.389 m.
  EXPECT_NEAR(GeodesicDistanceM({.lat = 0, .lon = 0}, {.lat = 1, .lon = 0}), 110'574.389, 0.01);
}

TEST(GeodesicDistanceTest, RasonToIzumi) {
  // Reference from an independent implementation of Vincenty's (1975)
  // inverse formula, which agrees with Karney's to well under a millimetre
  // at this range.
  const LatLon rason{.lat = 42.3331, .lon = 130.5831};
  const LatLon izumi{.lat = 32.10, .lon = 130.2667};
  EXPECT_NEAR(GeodesicDistanceM(rason, izumi), 1'136'039.903, 0.01);
  EXPECT_DOUBLE_EQ(GeodesicDistanceM(rason, izumi), GeodesicDistanceM(izumi, rason));
  EXPECT_EQ(GeodesicDistanceM(rason, rason), 0.0);
}

TEST(GeodesicDistanceTest, DalaiToRason) {
  // Vincenty reference, as above.
  EXPECT_NEAR(GeodesicDistanceM({.lat = 48.55, .lon = 117.5}, {.lat = 42.3331, .lon = 130.5831}),
              1'232'335.131, 0.01);
}

void ExpectDiscOfArea(LatLon centre, double area_m2) {
  absl::StatusOr<Polygon> disc = DiscOfArea(centre, area_m2);
  ASSERT_TRUE(disc.ok()) << disc.status();
  EXPECT_NEAR(GeodesicAreaM2(*disc) / area_m2, 1.0, 1e-4);
  EXPECT_EQ(disc->outer().size(), 73u);  // 72 vertices, closed
  EXPECT_TRUE(disc->inners().empty());
  // Counter-clockwise exterior, as geometry.h promises.
  EXPECT_GT(boost::geometry::area(*disc), 0.0);
  EXPECT_TRUE(boost::geometry::is_valid(*disc));
  // Equal radii: every vertex lies on the same geodesic circle.
  const double radius = GeodesicDistanceM(
      centre, {.lat = disc->outer().front().y(), .lon = disc->outer().front().x()});
  for (const Point& vertex : disc->outer()) {
    EXPECT_NEAR(GeodesicDistanceM(centre, {.lat = vertex.y(), .lon = vertex.x()}) / radius, 1.0,
                1e-9);
  }
}

TEST(DiscOfAreaTest, RasonLagoons) {
  ExpectDiscOfArea({.lat = 42.3331, .lon = 130.5831}, 3'525.7 * kSquareMetresPerHectare);
}

TEST(DiscOfAreaTest, DalaiLake) {
  ExpectDiscOfArea({.lat = 48.55, .lon = 117.5}, 740'000 * kSquareMetresPerHectare);
}

TEST(DiscOfAreaTest, HonoursVertexCount) {
  absl::StatusOr<Polygon> disc = DiscOfArea({.lat = 10, .lon = 20}, 1e6, 8);
  ASSERT_TRUE(disc.ok()) << disc.status();
  EXPECT_EQ(disc->outer().size(), 9u);
  EXPECT_NEAR(GeodesicAreaM2(*disc) / 1e6, 1.0, 1e-4);
}

TEST(DiscOfAreaTest, StaysContiguousAcrossTheAntimeridian) {
  absl::StatusOr<Polygon> disc = DiscOfArea({.lat = 65, .lon = 179.9}, 1e10);
  ASSERT_TRUE(disc.ok()) << disc.status();
  EXPECT_NEAR(GeodesicAreaM2(*disc) / 1e10, 1.0, 1e-4);
  double min_lon = 1e9;
  double max_lon = -1e9;
  for (const Point& vertex : disc->outer()) {
    min_lon = std::min(min_lon, vertex.x());
    max_lon = std::max(max_lon, vertex.x());
  }
  EXPECT_LT(max_lon - min_lon, 10.0);
  EXPECT_GT(boost::geometry::area(*disc), 0.0);
}

TEST(DiscOfAreaTest, RejectsBadInput) {
  const LatLon rason{.lat = 42.3331, .lon = 130.5831};
  EXPECT_EQ(DiscOfArea(rason, 0).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DiscOfArea(rason, -5).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DiscOfArea(rason, std::numeric_limits<double>::quiet_NaN()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DiscOfArea(rason, std::numeric_limits<double>::infinity()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DiscOfArea(rason, 1e6, 7).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DiscOfArea({.lat = 95, .lon = 130}, 1e6).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DiscOfArea({.lat = 42, .lon = 181}, 1e6).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      DiscOfArea({.lat = std::numeric_limits<double>::quiet_NaN(), .lon = 0}, 1e6).status().code(),
      absl::StatusCode::kInvalidArgument);
  // More than a hemisphere cannot be a disc.
  EXPECT_EQ(DiscOfArea(rason, 3e14).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace wetlink::geo
