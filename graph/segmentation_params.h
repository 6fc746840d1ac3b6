#ifndef WETLINK_GRAPH_SEGMENTATION_PARAMS_H_
#define WETLINK_GRAPH_SEGMENTATION_PARAMS_H_

// How a track is cut into visits, stopovers and stay points. Every field has
// a unit and a default; wetlinkd keeps one set live, and a query may bring
// its own set to be computed on demand (docs/ANALYTICS.md).

#include <cstdint>

#include "absl/status/status.h"
#include "telemetry/fix.h"

namespace wetlink::graph {

inline constexpr telemetry::TimestampMs kMsPerHour = 3'600'000;

struct SegmentationParams {
  // A visit to a catalogued site, or a stay outside every site, lasting at
  // least this long is a stopover. Milliseconds; default 24 h.
  telemetry::TimestampMs min_stay_ms = 24 * kMsPerHour;
  // Gap tolerance: two consecutive fixes further apart than this (no fix in
  // between) end a visit or stay; the bird may have gone anywhere.
  // Milliseconds; default 72 h.
  telemetry::TimestampMs max_gap_ms = 72 * kMsPerHour;
  // Excursion tolerance: a bird that leaves a site (fixes outside it, or in
  // another site) and is back within this time never left: the visit goes
  // on. Milliseconds; default 12 h (a day's foraging outside a reserve).
  telemetry::TimestampMs max_excursion_ms = 12 * kMsPerHour;
  // A stay outside every catalogued site: all fixes of a run within this
  // diameter (the movingpandas / MobilityDB definition of a stop). Metres;
  // default 5 km.
  double max_diameter_m = 5'000.0;
  // Stays of different individuals whose centres lie within this distance
  // of each other (chained) form one discovered candidate site. Metres;
  // default 10 km.
  double cluster_distance_m = 10'000.0;

  bool operator==(const SegmentationParams&) const = default;
};

// InvalidArgument naming the field as the configuration file and the API
// do ("min_stay_hours", "max_diameter_m") when a value is out of its range:
// min_stay 1 min..365 d, max_gap 1 min..365 d, max_excursion 0..30 d,
// max_diameter 10 m..100 km, cluster_distance 0..200 km.
absl::Status ValidateSegmentationParams(const SegmentationParams& params);

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_SEGMENTATION_PARAMS_H_
