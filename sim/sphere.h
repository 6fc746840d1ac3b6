#ifndef WETLINK_SIM_SPHERE_H_
#define WETLINK_SIM_SPHERE_H_

// Spherical approximations for moving simulated birds. geo/ only exposes
// ellipsoidal distances, which is what the simulator uses for speeds and
// lengths; positions between two points come from great-circle
// interpolation on a sphere of the mean Earth radius. The two paths differ
// by well under 1 % of a leg, far less than a bird's own wander.

#include "geo/geometry.h"

namespace wetlink::sim {

inline constexpr double kEarthRadiusM = 6'371'008.8;  // IUGG mean radius

// The point a fraction f in [0, 1] of the way from a to b along the great circle.
geo::LatLon Slerp(geo::LatLon a, geo::LatLon b, double f);

// Initial great-circle bearing from a to b, degrees clockwise from north, [0, 360).
double BearingDeg(geo::LatLon a, geo::LatLon b);

// `p` moved east_m metres east and north_m metres north (local tangent plane;
// fine for offsets up to ~100 km away from the poles). Longitude wraps to
// [-180, 180); latitude is clamped to [-90, 90].
geo::LatLon Offset(geo::LatLon p, double east_m, double north_m);

// Boost point (x = lon, y = lat) for geometry predicates.
inline geo::Point ToPoint(geo::LatLon p) { return geo::Point(p.lon, p.lat); }

}  // namespace wetlink::sim

#endif  // WETLINK_SIM_SPHERE_H_
