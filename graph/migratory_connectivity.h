#ifndef WETLINK_GRAPH_MIGRATORY_CONNECTIVITY_H_
#define WETLINK_GRAPH_MIGRATORY_CONNECTIVITY_H_

// Strength of migratory connectivity between breeding and non-breeding
// areas as the Mantel correlation rM (Ambrosini et al. 2009, one of the two
// measures of the MigConnectivity package): the Pearson correlation, over
// all pairs of individuals, between their distance apart when breeding and
// their distance apart in winter. rM near 1: birds that breed close together
// winter close together (strong connectivity); near 0: they mix.
//
// An individual's breeding (non-breeding) position is the mean position of
// its stopover that overlaps the species' "breeding" ("winter") season most
// (seasons.h), within the filter's years and window.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "geo/geometry.h"
#include "graph/flyway_snapshot.h"
#include "graph/seasons.h"
#include "graph/selection.h"

namespace wetlink::graph {

struct IndividualEnds {
  std::uint32_t individual = 0;  // position in FlywaySnapshot::individuals()
  std::int32_t breeding_node = 0;
  std::int32_t non_breeding_node = 0;
  geo::LatLon breeding;
  geo::LatLon non_breeding;
};

struct MantelResult {
  std::vector<IndividualEnds> individuals;  // those with both ends, by individual
  double r_m = 0;                           // Pearson r of the two distance vectors
  // One-sided permutation test: the share of permutations of the
  // non-breeding ends (the observed order counted as one) with r >= r_m.
  double p_value = 1;
  std::uint32_t permutations = 0;
};

// FailedPrecondition when fewer than 3 individuals have both ends, or when
// the breeding or the non-breeding distances do not vary (r undefined).
// Deterministic in `seed`.
absl::StatusOr<MantelResult> MantelConnectivity(
    const FlywaySnapshot& snapshot, const SeasonTable& seasons, const FlywayFilter& filter,
    const Selection& selection, std::uint32_t permutations = 999, std::uint64_t seed = 1);

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_MIGRATORY_CONNECTIVITY_H_
