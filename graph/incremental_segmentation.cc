#include "graph/incremental_segmentation.h"

#include <algorithm>
#include <limits>

namespace wetlink::graph {

TimeWindow ResegmentWindow(const TrackSegmentation& old, telemetry::TimestampMs changed_from,
                           telemetry::TimestampMs changed_to, const SegmentationParams& params) {
  const telemetry::TimestampMs tolerance = std::max(params.max_gap_ms, params.max_excursion_ms);
  TimeWindow window{std::numeric_limits<telemetry::TimestampMs>::min(),
                    std::numeric_limits<telemetry::TimestampMs>::max()};
  for (const Visit& v : old.visits) {
    if (v.departure_ms < changed_from - tolerance) window.from_ms = v.departure_ms + 1;
    if (v.arrival_ms > changed_to + tolerance) {
      window.to_ms = v.arrival_ms;
      break;
    }
  }
  return window;
}

TrackSegmentation SpliceSegmentation(const TrackSegmentation& old, const TimeWindow& window,
                                     std::span<const TrackPoint> points,
                                     const SegmentationParams& params) {
  const TrackSegmentation middle = SegmentTrack(points, params);
  TrackSegmentation out;
  auto before_visit = [&](const Visit& v) { return v.departure_ms < window.from_ms; };
  auto after_visit = [&](const Visit& v) { return v.arrival_ms >= window.to_ms; };
  auto before_stop = [&](const Stopover& s) { return s.departure_ms < window.from_ms; };
  auto after_stop = [&](const Stopover& s) { return s.arrival_ms >= window.to_ms; };
  for (const Visit& v : old.visits) {
    if (before_visit(v)) out.visits.push_back(v);
  }
  out.visits.insert(out.visits.end(), middle.visits.begin(), middle.visits.end());
  for (const Visit& v : old.visits) {
    if (after_visit(v)) out.visits.push_back(v);
  }
  for (const Stopover& s : old.stopovers) {
    if (before_stop(s)) out.stopovers.push_back(s);
  }
  out.stopovers.insert(out.stopovers.end(), middle.stopovers.begin(), middle.stopovers.end());
  for (const Stopover& s : old.stopovers) {
    if (after_stop(s)) out.stopovers.push_back(s);
  }
  return out;
}

}  // namespace wetlink::graph
