#include "tests/graph/sim_tracks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "geo/geodesy.h"
#include "sim/generate.h"

namespace wetlink::graph::testing {

SmallestSite::SmallestSite(const catalog::Catalog& catalog) : catalog_(catalog) {
  for (const catalog::Site& site : catalog.sites()) {
    area_m2_.push_back(geo::GeodesicAreaM2(site.geometry));
  }
}

std::int32_t SmallestSite::operator()(double lat, double lon) const {
  std::int32_t best = kNoSite;
  for (const catalog::Site* site : catalog_.SitesContaining(geo::Point(lon, lat))) {
    const auto i = static_cast<std::int32_t>(site - catalog_.sites().data());
    // Sorted by id: equal areas keep the first.
    if (best == kNoSite ||
        area_m2_[static_cast<std::size_t>(i)] < area_m2_[static_cast<std::size_t>(best)]) {
      best = i;
    }
  }
  return best;
}

SimTracks SimulateTracks(std::uint64_t seed, int individuals, int years) {
  SimTracks out;
  auto world = sim::BundledWorld();
  if (!world.ok()) {
    ADD_FAILURE() << world.status();
    return out;
  }
  out.world = *world;
  out.catalog = std::shared_ptr<const catalog::Catalog>(out.world, &out.world->catalog);
  sim::SimParams params;
  params.seed = seed;
  params.individuals = individuals;
  params.years = years;
  auto result = sim::Simulate(params, *out.world);
  if (!result.ok()) {
    ADD_FAILURE() << result.status();
    return out;
  }
  const SmallestSite site_of(*out.catalog);
  out.tracks.resize(result->plan.individuals.size());
  for (std::size_t i = 0; i < out.tracks.size(); ++i) {
    const sim::SimIndividual& ind = result->plan.individuals[i];
    out.tracks[i].info = {.number = static_cast<std::uint32_t>(i + 1),
                          .study_id = "sim",
                          .individual_id = ind.individual_id,
                          .species_id = ind.species_id};
  }
  std::set<std::int64_t> seen;
  for (const sim::SimFix& f : result->fixes) {
    if (!seen.insert(*f.fix.event_id).second) continue;  // a re-sent row
    if (!IsUsableFix(f.fix.visible, f.fix.manually_marked_outlier.value_or(false),
                     f.fix.manually_marked_valid.value_or(false))) {
      continue;
    }
    out.tracks[f.individual].points.push_back({.t_ms = f.fix.timestamp_ms,
                                               .lat = f.fix.lat,
                                               .lon = f.fix.lon,
                                               .site = site_of(f.fix.lat, f.fix.lon)});
  }
  for (SimTrack& track : out.tracks) {
    std::stable_sort(track.points.begin(), track.points.end(),
                     [](const TrackPoint& a, const TrackPoint& b) { return a.t_ms < b.t_ms; });
  }
  return out;
}

}  // namespace wetlink::graph::testing
