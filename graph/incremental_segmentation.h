#ifndef WETLINK_GRAPH_INCREMENTAL_SEGMENTATION_H_
#define WETLINK_GRAPH_INCREMENTAL_SEGMENTATION_H_

// Re-segmenting only the stretch of a track that new fixes touch, with a
// result identical to segmenting the whole track again.
//
// Why it is exact: a visit's growth depends only on its site, its last fix
// in the site and the fixes after it; and every fix more than
// max(max_gap, max_excursion) after a visit's last fix ends it. So the last
// old visit V that ended more than that tolerance before the earliest
// changed fix ends identically, and what follows V is cut from the fixes
// after V alone. On the right, an old visit W starts afresh in the new run
// when no fix in any site lies within the tolerance before its first fix:
// the in-site fixes before W are the previous visit's (up to its departure)
// and the changed ones, so W must arrive more than the tolerance after both.
// (Being far from the changed fixes alone is not enough: a changed fix may
// start a visit that swallows the previous visit's fixes as excursions and
// chains on into W.) Everything from W on is then unchanged, and only the
// fixes strictly between V's departure and W's arrival are read and
// segmented again. tests/graph/incremental_segmentation_test.cc checks this
// against full runs on simulated tracks and on random walks between
// neighbouring sites.
//
// One edge is not covered: a second fix of the same bird (another tag) at
// exactly the millisecond of V's departure is read again, not kept in V.

#include <span>

#include "graph/segment_track.h"
#include "graph/time_window.h"

namespace wetlink::graph {

// The fixes to read again: (window.from_ms - 1, window.to_ms) exclusive on
// both sides is [from_ms, to_ms). Changed fixes lie in [changed_from,
// changed_to].
TimeWindow ResegmentWindow(const TrackSegmentation& old, telemetry::TimestampMs changed_from,
                           telemetry::TimestampMs changed_to, const SegmentationParams& params);

// The new segmentation: `old` outside `window`, and `points` (the usable
// fixes in `window`, time order) segmented again inside it.
TrackSegmentation SpliceSegmentation(const TrackSegmentation& old, const TimeWindow& window,
                                     std::span<const TrackPoint> points,
                                     const SegmentationParams& params);

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_INCREMENTAL_SEGMENTATION_H_
