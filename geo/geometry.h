#ifndef WETLINK_GEO_GEOMETRY_H_
#define WETLINK_GEO_GEOMETRY_H_

// Geometry types shared by every Wetlink module.
//
// Coordinates are WGS84 degrees with x = longitude and y = latitude (the
// GeoJSON / "traditional GIS" axis order). Polygons are closed, exterior rings
// counter-clockwise and holes clockwise (OGC / GeoJSON orientation); call
// boost::geometry::correct() on anything built by hand.

#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/linestring.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/geometry/geometries/ring.hpp>

namespace wetlink::geo {

using Point = boost::geometry::model::d2::point_xy<double>;
using Ring = boost::geometry::model::ring<Point, /*ClockWise=*/false, /*Closed=*/true>;
using Polygon = boost::geometry::model::polygon<Point, /*ClockWise=*/false, /*Closed=*/true>;
using MultiPolygon = boost::geometry::model::multi_polygon<Polygon>;
using Box = boost::geometry::model::box<Point>;
using LineString = boost::geometry::model::linestring<Point>;

// A position in WGS84 degrees, named to avoid lat/lon mix-ups at call sites.
struct LatLon {
  double lat = 0;
  double lon = 0;
};

inline constexpr double kSquareMetresPerHectare = 10'000.0;

}  // namespace wetlink::geo

#endif  // WETLINK_GEO_GEOMETRY_H_
