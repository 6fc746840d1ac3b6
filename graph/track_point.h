#ifndef WETLINK_GRAPH_TRACK_POINT_H_
#define WETLINK_GRAPH_TRACK_POINT_H_

// The part of a stored fix that segmentation reads: when, where, and which
// catalogued site it fell in. Outliers never become track points (see
// IsUsableFix), so every analysis sees the same cleaned track.

#include <cstdint>

#include "telemetry/fix.h"

namespace wetlink::graph {

inline constexpr std::int32_t kNoSite = -1;

struct TrackPoint {
  telemetry::TimestampMs t_ms = 0;  // UTC ms
  double lat = 0;                   // WGS84 degrees
  double lon = 0;                   // WGS84 degrees
  // Position of the catalogued site in Catalog::sites(), kNoSite outside
  // every site.
  std::int32_t site = kNoSite;

  bool operator==(const TrackPoint&) const = default;
};

// Movebank's outlier convention: a fix marked invisible or as a manual
// outlier is left out, unless a person marked it valid (which wins).
inline bool IsUsableFix(bool visible, bool manually_marked_outlier, bool manually_marked_valid) {
  if (manually_marked_valid) return true;
  return visible && !manually_marked_outlier;
}

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_TRACK_POINT_H_
