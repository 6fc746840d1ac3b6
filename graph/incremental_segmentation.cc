#include "graph/incremental_segmentation.h"

#include <algorithm>
#include <limits>

namespace wetlink::graph {
namespace {

constexpr telemetry::TimestampMs kMin = std::numeric_limits<telemetry::TimestampMs>::min();
constexpr telemetry::TimestampMs kMax = std::numeric_limits<telemetry::TimestampMs>::max();

}  // namespace

ResegmentPlan PlanResegment(const TrackSegmentation& old, telemetry::TimestampMs changed_from,
                            telemetry::TimestampMs changed_to, const SegmentationParams& params) {
  const telemetry::TimestampMs tolerance = std::max(params.max_gap_ms, params.max_excursion_ms);
  // Saturating: the changed span may be open-ended.
  auto plus_tolerance = [&](telemetry::TimestampMs t) {
    return t > kMax - tolerance ? kMax : t + tolerance;
  };
  ResegmentPlan plan{.read = {kMin, kMax}, .resume = std::nullopt};
  for (std::size_t k = 0; k < old.visits.size(); ++k) {
    const Visit& v = old.visits[k];
    if (v.departure_ms < changed_from) {
      // Resumable if no changed fix can extend the visit before it, which
      // would then swallow this one as an excursion.
      if (k == 0 || plus_tolerance(old.visits[k - 1].departure_ms) < changed_from) {
        plan.resume = k;
        plan.read.from_ms = v.departure_ms + 1;
      }
      continue;
    }
    // See the header: no in-site fix within the tolerance before W.
    const telemetry::TimestampMs last_site_fix_before =
        k > 0 ? std::max(old.visits[k - 1].departure_ms, changed_to) : changed_to;
    if (v.arrival_ms > plus_tolerance(last_site_fix_before)) {
      plan.read.to_ms = v.arrival_ms;
      break;
    }
  }
  return plan;
}

TrackSegmentation SpliceSegmentation(const TrackSegmentation& old, const ResegmentPlan& plan,
                                     std::span<const TrackPoint> points,
                                     const SegmentationParams& params) {
  const Visit* resume = plan.resume ? &old.visits[*plan.resume] : nullptr;
  const TrackSegmentation middle = SegmentTrack(points, params, resume);
  // Kept on the left: everything before the resumed visit (it is in
  // `middle`), or nothing when the track is read from its start.
  const telemetry::TimestampMs kept_before = resume ? resume->arrival_ms : kMin;
  TrackSegmentation out;
  for (const Visit& v : old.visits) {
    if (v.departure_ms < kept_before) out.visits.push_back(v);
  }
  out.visits.insert(out.visits.end(), middle.visits.begin(), middle.visits.end());
  for (const Visit& v : old.visits) {
    if (v.arrival_ms >= plan.read.to_ms) out.visits.push_back(v);
  }
  for (const Stopover& s : old.stopovers) {
    if (s.departure_ms < kept_before) out.stopovers.push_back(s);
  }
  out.stopovers.insert(out.stopovers.end(), middle.stopovers.begin(), middle.stopovers.end());
  for (const Stopover& s : old.stopovers) {
    if (s.arrival_ms >= plan.read.to_ms) out.stopovers.push_back(s);
  }
  return out;
}

}  // namespace wetlink::graph
