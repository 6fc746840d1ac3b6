#ifndef WETLINK_GEO_GEODESY_H_
#define WETLINK_GEO_GEODESY_H_

// Geodesic computations on the WGS84 ellipsoid (GeographicLib, Karney 2013).
// Thread-safe: all functions are pure.

#include "absl/status/statusor.h"
#include "geo/geometry.h"

namespace wetlink::geo {

// Area in square metres of a polygon on the WGS84 ellipsoid, holes subtracted.
// Edges are geodesics. Orientation of the rings does not matter.
double GeodesicAreaM2(const Polygon& polygon);
double GeodesicAreaM2(const MultiPolygon& multipolygon);

// Distance in metres along the geodesic between two positions.
double GeodesicDistanceM(LatLon a, LatLon b);

// The geodesic from `a` to `b` as a line of points at most `max_step_m`
// apart (both ends included), so that it draws as the shortest path on the
// ellipsoid in any map projection. Longitudes are unrolled from `a` (a line
// across the antimeridian may pass +/-180). max_step_m > 0.
LineString GeodesicLine(LatLon a, LatLon b, double max_step_m);

// A polygon approximating a geodesic disc centred on `centre` whose own
// geodesic area equals `area_m2` (within 0.01 %): `vertices` points at equal
// bearings, with the radius adjusted so the inscribed polygon, not the circle,
// has the stated area. Used where a source gives only a centre and an area.
// Longitudes are unrolled, so a disc straddling the antimeridian is one
// contiguous ring whose longitudes may pass +/-180.
// InvalidArgument if area_m2 <= 0, vertices < 8, or the centre is out of range.
absl::StatusOr<Polygon> DiscOfArea(LatLon centre, double area_m2, int vertices = 72);

}  // namespace wetlink::geo

#endif  // WETLINK_GEO_GEODESY_H_
