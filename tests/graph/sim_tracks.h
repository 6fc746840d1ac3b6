#ifndef WETLINK_TESTS_GRAPH_SIM_TRACKS_H_
#define WETLINK_TESTS_GRAPH_SIM_TRACKS_H_

// Simulated tracks (sim/generate.h) as the flyway engine reads them from the
// store: duplicates dropped, outliers left out per IsUsableFix, time order,
// each fix's site assigned as wetlinkd assigns it (the smallest catalogued
// site covering it, pipeline/site_assigner.h).

#include <cstdint>
#include <memory>
#include <vector>

#include "catalog/catalog.h"
#include "graph/segmented_individual.h"
#include "graph/track_point.h"
#include "sim/sim_world.h"

namespace wetlink::graph::testing {

// SiteAssigner's rule with the sites' geodesic areas computed once.
class SmallestSite {
 public:
  explicit SmallestSite(const catalog::Catalog& catalog);
  std::int32_t operator()(double lat, double lon) const;

 private:
  const catalog::Catalog& catalog_;
  std::vector<double> area_m2_;
};

struct SimTrack {
  IndividualInfo info;
  std::vector<TrackPoint> points;
};

struct SimTracks {
  std::shared_ptr<const sim::SimWorld> world;
  std::shared_ptr<const catalog::Catalog> catalog;  // the world's catalog
  std::vector<SimTrack> tracks;                     // by individual number 1, 2, ...
};

// The bundled world's default species, `individuals` birds over `years`
// years from 2023. Fails the calling test (ADD_FAILURE) on a simulator error
// and returns no tracks.
SimTracks SimulateTracks(std::uint64_t seed, int individuals, int years);

}  // namespace wetlink::graph::testing

#endif  // WETLINK_TESTS_GRAPH_SIM_TRACKS_H_
