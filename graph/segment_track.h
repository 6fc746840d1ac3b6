#ifndef WETLINK_GRAPH_SEGMENT_TRACK_H_
#define WETLINK_GRAPH_SEGMENT_TRACK_H_

// Cuts one individual's track into visits to catalogued sites, and stays
// outside every site, and keeps the long ones as stopovers.
//
// Visit: a run of fixes in one catalogued site. It goes on across
//  - a gap (no fix at all) of at most max_gap, and
//  - an excursion (fixes outside the site, or in another site) of at most
//    max_excursion between the last fix in the site and the next one;
// the fixes of an excursion belong to the visit, not to anything else.
// Arrival and departure are the times of the first and last fix in the site.
//
// Stay: among the fixes left over (outside every visit), a run of
// consecutive fixes, no two further apart in time than max_gap, all within
// max_diameter of each other (movingpandas' and MobilityDB's stop), lasting
// at least min_stay. Found greedily from the earliest fix, as movingpandas
// does.
//
// Stopover: a visit lasting at least min_stay, or a stay.
//
// Pure functions; the result depends only on the points and the params.

#include <cstdint>
#include <span>
#include <vector>

#include "graph/segmentation_params.h"
#include "graph/track_point.h"

namespace wetlink::graph {

// Running sums of positions, longitudes unwrapped around the first, so a
// cluster on the antimeridian does not average to the far side. Kept in
// each visit so a visit can be resumed with exactly the sums a full run
// would reach.
struct PositionSum {
  double lon0 = 0;
  double lat_sum = 0;
  double dlon_sum = 0;
  std::uint32_t n = 0;

  void Add(double lat, double lon);
  double lat() const;
  double lon() const;
  bool operator==(const PositionSum&) const = default;
};

struct Visit {
  std::int32_t site = kNoSite;  // position in Catalog::sites()
  telemetry::TimestampMs arrival_ms = 0;
  telemetry::TimestampMs departure_ms = 0;
  std::uint32_t fixes = 0;  // fixes in the site (excursion fixes not counted)
  // Of the fixes in the site. Not part of the visit's identity (==): it
  // follows from the fixes.
  PositionSum positions{};

  telemetry::TimestampMs duration_ms() const { return departure_ms - arrival_ms; }
  bool operator==(const Visit& o) const {
    return site == o.site && arrival_ms == o.arrival_ms && departure_ms == o.departure_ms &&
           fixes == o.fixes;
  }
};

struct Stopover {
  std::int32_t site = kNoSite;  // catalogued site; kNoSite for a stay outside every site
  telemetry::TimestampMs arrival_ms = 0;
  telemetry::TimestampMs departure_ms = 0;
  double lat = 0;  // mean position of the fixes that make it (in the site, or of the stay)
  double lon = 0;
  std::uint32_t fixes = 0;

  telemetry::TimestampMs duration_ms() const { return departure_ms - arrival_ms; }
  bool operator==(const Stopover&) const = default;
};

struct TrackSegmentation {
  std::vector<Visit> visits;        // every visit, by arrival
  std::vector<Stopover> stopovers;  // by arrival; disjoint in time

  bool operator==(const TrackSegmentation&) const = default;
};

// `points` sorted by time (equal times allowed). `params` must be valid.
//
// With `resume`, `points` are the fixes after `resume`'s last fix in its
// site (its departure), and the result is what a full run gives from that
// fix on: the visit goes on while the bird stays or comes back in time, then
// cutting proceeds as usual. The visit comes first in the result, whatever
// its length (incremental_segmentation.h).
TrackSegmentation SegmentTrack(std::span<const TrackPoint> points, const SegmentationParams& params,
                               const Visit* resume = nullptr);

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_SEGMENT_TRACK_H_
