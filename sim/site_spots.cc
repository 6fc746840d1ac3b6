#include "sim/site_spots.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <boost/geometry/algorithms/covered_by.hpp>

#include "sim/sphere.h"

namespace wetlink::sim {
namespace {

constexpr int kTries = 32;

bool Inside(const catalog::Site& site, geo::LatLon p) {
  return boost::geometry::covered_by(ToPoint(p), site.geometry);
}

// Planar distance in metres (sites are at most tens of km across).
double LocalDistanceM(geo::LatLon a, geo::LatLon b) {
  const double k = std::numbers::pi / 180.0 * kEarthRadiusM;
  const double dx = (b.lon - a.lon) * k * std::cos(a.lat * std::numbers::pi / 180.0);
  const double dy = (b.lat - a.lat) * k;
  return std::hypot(dx, dy);
}

template <class Engine>
geo::LatLon RandomOffset(geo::LatLon p, double dist_m, Engine& rng) {
  const double bearing = Uniform(rng, 0.0, 2.0 * std::numbers::pi);
  return Offset(p, dist_m * std::sin(bearing), dist_m * std::cos(bearing));
}

}  // namespace

geo::LatLon ChooseRoost(const SimWorld& world, int site, Rng& rng) {
  const catalog::Site& s = world.catalog.sites()[static_cast<size_t>(site)];
  const double r = world.site_radius_m[static_cast<size_t>(site)];
  const double max_m = std::min(0.25 * r, 2000.0);
  for (int i = 0; i < kTries; ++i) {
    // sqrt: uniform over the disc rather than crowded at the centre.
    geo::LatLon p = RandomOffset(s.centre, max_m * std::sqrt(Uniform01(rng)), rng);
    if (Inside(s, p)) return p;
  }
  return s.centre;
}

geo::LatLon ChooseForage(const SimWorld& world, int site, geo::LatLon roost,
                         double forage_distance_m, KeyedRng& rng) {
  const catalog::Site& s = world.catalog.sites()[static_cast<size_t>(site)];
  const double r = world.site_radius_m[static_cast<size_t>(site)];
  const double reach = std::min(forage_distance_m, 0.45 * r);
  for (int i = 0; i < kTries; ++i) {
    geo::LatLon p = RandomOffset(roost, reach * Uniform(rng, 0.5, 1.0), rng);
    if (LocalDistanceM(s.centre, p) <= 0.7 * r && Inside(s, p)) return p;
  }
  return roost;
}

double ForageSpreadM(const SimWorld& world, int site, double walk_sigma_m) {
  return std::min(walk_sigma_m, 0.05 * world.site_radius_m[static_cast<size_t>(site)]);
}

double RoostSpreadM(const SimWorld& world, int site) {
  return std::min(30.0, 0.03 * world.site_radius_m[static_cast<size_t>(site)]);
}

}  // namespace wetlink::sim
