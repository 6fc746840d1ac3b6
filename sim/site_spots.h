#ifndef WETLINK_SIM_SITE_SPOTS_H_
#define WETLINK_SIM_SITE_SPOTS_H_

// Where inside a site a bird roosts and forages. Distances scale with the
// site (its equivalent-disc radius r) so that small sites such as a 1 km
// islet still hold the whole daily cycle: roosts lie within 0.25 r of the
// centre, foraging points within 0.7 r, and both inside the site geometry.

#include "geo/geometry.h"
#include "sim/random.h"
#include "sim/sim_world.h"

namespace wetlink::sim {

// A roost point inside site `site` (falls back to the centre).
geo::LatLon ChooseRoost(const SimWorld& world, int site, Rng& rng);

// A foraging point up to `forage_distance_m` from `roost`, inside the site
// (falls back to the roost).
geo::LatLon ChooseForage(const SimWorld& world, int site, geo::LatLon roost,
                         double forage_distance_m, KeyedRng& rng);

// Standard deviation in metres of positions around a foraging point.
double ForageSpreadM(const SimWorld& world, int site, double walk_sigma_m);

// Standard deviation in metres of positions around a roost.
double RoostSpreadM(const SimWorld& world, int site);

}  // namespace wetlink::sim

#endif  // WETLINK_SIM_SITE_SPOTS_H_
