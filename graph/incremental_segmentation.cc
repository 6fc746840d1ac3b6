#include "graph/incremental_segmentation.h"

#include <algorithm>
#include <limits>

namespace wetlink::graph {

TimeWindow ResegmentWindow(const TrackSegmentation& old, telemetry::TimestampMs changed_from,
                           telemetry::TimestampMs changed_to, const SegmentationParams& params) {
  const telemetry::TimestampMs tolerance = std::max(params.max_gap_ms, params.max_excursion_ms);
  // Saturating: the changed span may be open-ended.
  constexpr telemetry::TimestampMs kMin = std::numeric_limits<telemetry::TimestampMs>::min();
  constexpr telemetry::TimestampMs kMax = std::numeric_limits<telemetry::TimestampMs>::max();
  const telemetry::TimestampMs left =
      changed_from < kMin + tolerance ? kMin : changed_from - tolerance;
  auto plus_tolerance = [&](telemetry::TimestampMs t) {
    return t > kMax - tolerance ? kMax : t + tolerance;
  };
  TimeWindow window{kMin, kMax};
  for (std::size_t k = 0; k < old.visits.size(); ++k) {
    const Visit& v = old.visits[k];
    if (v.departure_ms < left) window.from_ms = v.departure_ms + 1;
    // A visit starts afresh in the new run only if no visit can reach its
    // first fix, i.e. no fix in any site lies within the tolerance before
    // it. Before it, fixes in a site lie at or before the previous visit's
    // departure (its own and its excursions' fixes) or among the changed
    // ones; being more than the tolerance after the changed fixes alone is
    // not enough: a changed fix may start a visit that swallows the
    // previous visit's fixes as excursions and chains on to this one.
    const telemetry::TimestampMs last_site_fix_before =
        k > 0 ? std::max(old.visits[k - 1].departure_ms, changed_to) : changed_to;
    if (v.arrival_ms > plus_tolerance(last_site_fix_before)) {
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
