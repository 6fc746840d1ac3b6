#ifndef WETLINK_GRAPH_INCREMENTAL_SEGMENTATION_H_
#define WETLINK_GRAPH_INCREMENTAL_SEGMENTATION_H_

// Re-segmenting only the stretch of a track that new fixes touch, with a
// result identical to segmenting the whole track again.
//
// Why it is exact: a visit's growth depends only on its site, its last fix
// in the site and the fixes after it; and every fix more than
// max(max_gap, max_excursion) after a visit's last fix ends it. So the
// last old visit V that ended more than that tolerance before the earliest
// changed fix ends identically, and what follows V is cut from the fixes
// after V alone. Symmetrically, the first old visit W that starts more
// than the tolerance after the latest changed fix starts afresh in the new
// run too, and everything from W on is unchanged. Only the fixes strictly
// between V's departure and W's arrival are read and segmented again.
// (tests/graph/incremental_segmentation_test.cc checks this against full
// runs on simulated tracks.)

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
