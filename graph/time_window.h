#ifndef WETLINK_GRAPH_TIME_WINDOW_H_
#define WETLINK_GRAPH_TIME_WINDOW_H_

#include "telemetry/fix.h"

namespace wetlink::graph {

// [from_ms, to_ms), UTC ms.
struct TimeWindow {
  telemetry::TimestampMs from_ms = 0;
  telemetry::TimestampMs to_ms = 0;

  bool operator==(const TimeWindow&) const = default;
};

// Milliseconds that [a_from, a_to] and `w` share; 0 when disjoint.
inline telemetry::TimestampMs OverlapMs(telemetry::TimestampMs a_from, telemetry::TimestampMs a_to,
                                        const TimeWindow& w) {
  const telemetry::TimestampMs from = a_from > w.from_ms ? a_from : w.from_ms;
  const telemetry::TimestampMs to = a_to < w.to_ms ? a_to : w.to_ms;
  return to > from ? to - from : 0;
}

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_TIME_WINDOW_H_
