#ifndef WETLINK_GRAPH_INCREMENTAL_SEGMENTATION_H_
#define WETLINK_GRAPH_INCREMENTAL_SEGMENTATION_H_

// Re-segmenting only the stretch of a track that new fixes touch, with a
// result identical to segmenting the whole track again.
//
// Why it is exact. On the left: take the last old visit U whose last fix in
// its site (its departure) precedes every changed fix, and whose previous
// visit ended more than max(max_gap, max_excursion) before every changed
// fix (else a changed fix could extend that visit, which would then swallow
// U as an excursion). U started afresh and grew up to its departure from
// unchanged fixes alone, and what happens after it depends only on the
// visit so far (its site, its last fix in the site, the positions it holds)
// and on the fixes after it. So U is resumed from its departure
// (SegmentTrack's `resume`) and only the fixes after it are read: for the
// common case, fixes appended at the end of a track, that is the trailing
// few fixes and the new ones, however long the bird has been at its site.
// On the right: an old visit W starts afresh in the new run when no fix in
// any site lies within max(max_gap, max_excursion) before its first fix:
// the in-site fixes before W are the previous visit's (up to its departure)
// and the changed ones, so W must arrive more than that tolerance after
// both. (Being far from the changed fixes alone is not enough: a changed
// fix may start a visit that swallows the previous visit's fixes as
// excursions and chains on into W.) Everything from W on is unchanged.
// tests/graph/incremental_segmentation_test.cc checks this against full
// runs on simulated tracks and on random walks between neighbouring sites.
//
// One edge is not covered: a second fix of the same bird (another tag) at
// exactly the millisecond of U's departure is not read again.

#include <cstddef>
#include <optional>
#include <span>

#include "graph/segment_track.h"
#include "graph/time_window.h"

namespace wetlink::graph {

struct ResegmentPlan {
  // The fixes to read again: from_ms <= t < to_ms.
  TimeWindow read;
  // The old visit resumed at the start of `read` (read.from_ms is just
  // after its departure); nullopt: the track is read from its start.
  std::optional<std::size_t> resume;
};

// Changed fixes lie in [changed_from, changed_to] (inclusive, UTC ms).
ResegmentPlan PlanResegment(const TrackSegmentation& old, telemetry::TimestampMs changed_from,
                            telemetry::TimestampMs changed_to, const SegmentationParams& params);

// The new segmentation: `old` outside the plan, and `points` (the usable
// fixes of plan.read, time order) segmented again inside it.
TrackSegmentation SpliceSegmentation(const TrackSegmentation& old, const ResegmentPlan& plan,
                                     std::span<const TrackPoint> points,
                                     const SegmentationParams& params);

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_INCREMENTAL_SEGMENTATION_H_
