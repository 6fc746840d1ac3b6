#ifndef WETLINK_GRAPH_SEGMENTED_INDIVIDUAL_H_
#define WETLINK_GRAPH_SEGMENTED_INDIVIDUAL_H_

// One tagged bird as the flyway graph sees it: who it is, and its track cut
// into visits and stopovers. Immutable once built and shared between
// snapshots, so a snapshot that changes one bird copies nothing of the
// others.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "graph/segment_track.h"

namespace wetlink::graph {

struct IndividualInfo {
  std::uint32_t number = 0;  // the registry's store-wide number (fix keys carry it)
  std::string study_id;
  std::string individual_id;  // individual-local-identifier
  std::string species_id;     // catalog species id; "" when the taxon is not catalogued

  bool operator==(const IndividualInfo&) const = default;
};

struct SegmentedIndividual {
  IndividualInfo info;
  TrackSegmentation segmentation;
  // Geodesic distance on the WGS84 ellipsoid from stopovers[i] to
  // stopovers[i + 1], metres (size: stopovers - 1, or 0).
  std::vector<double> leg_distance_m;
};

// Computes the leg distances (the only geodesics of the graph build, done
// once per segmentation rather than per snapshot).
std::shared_ptr<const SegmentedIndividual> MakeSegmentedIndividual(IndividualInfo info,
                                                                   TrackSegmentation segmentation);

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_SEGMENTED_INDIVIDUAL_H_
