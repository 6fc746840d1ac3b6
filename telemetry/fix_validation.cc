#include "telemetry/fix_validation.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"

namespace wetlink::telemetry {
namespace {

// Shortest text that reads back as `v`, so messages show the value exactly
// as it would have to be written to reproduce it.
std::string Num(double v) {
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, result.ptr);
}

FieldProblem Problem(RejectReason reason, std::string field, std::string message) {
  return FieldProblem{reason, std::move(field), std::move(message)};
}

// kNotFinite, `out_of_range` or nothing, for a value that must lie in
// [lo, hi] (or [lo, hi) when `hi_exclusive`).
std::optional<FieldProblem> CheckRange(double v, const char* field, double lo, double hi,
                                       bool hi_exclusive, RejectReason out_of_range) {
  if (!std::isfinite(v)) {
    return Problem(RejectReason::kNotFinite, field,
                   absl::StrCat(field, " ", Num(v), " is not a finite number"));
  }
  if (v < lo || v > hi || (hi_exclusive && v == hi)) {
    return Problem(out_of_range, field,
                   absl::StrCat(field, " ", Num(v), " is outside [", Num(lo), ", ", Num(hi),
                                hi_exclusive ? ")" : "]"));
  }
  return std::nullopt;
}

}  // namespace

std::optional<FieldProblem> ValidateFix(const Fix& fix, TimestampMs now_ms,
                                        const ValidationLimits& limits) {
  constexpr const char* kTag = "tag-local-identifier";
  if (fix.tag_id.empty()) {
    return Problem(RejectReason::kEmptyTagId, kTag, absl::StrCat(kTag, " is empty"));
  }
  if (fix.tag_id.size() > limits.max_tag_id_bytes) {
    return Problem(RejectReason::kTagIdTooLong, kTag,
                   absl::StrCat(kTag, " is ", fix.tag_id.size(), " bytes long, more than ",
                                limits.max_tag_id_bytes));
  }

  if (fix.timestamp_ms < limits.earliest_ms) {
    return Problem(RejectReason::kTimestampBefore1990, "timestamp",
                   absl::StrCat("timestamp ", FormatTimestamp(fix.timestamp_ms),
                                " is earlier than ", FormatTimestamp(limits.earliest_ms)));
  }
  // Saturated, so an extreme now_ms cannot overflow.
  const TimestampMs tolerance = std::max<TimestampMs>(limits.future_tolerance_ms, 0);
  const TimestampMs latest = now_ms > std::numeric_limits<TimestampMs>::max() - tolerance
                                 ? std::numeric_limits<TimestampMs>::max()
                                 : now_ms + tolerance;
  if (fix.timestamp_ms > latest) {
    return Problem(RejectReason::kTimestampInFuture, "timestamp",
                   absl::StrCat("timestamp ", FormatTimestamp(fix.timestamp_ms),
                                " is more than ", limits.future_tolerance_ms,
                                " ms after the current time ", FormatTimestamp(now_ms)));
  }

  if (auto p = CheckRange(fix.lat, "location-lat", -90, 90, false,
                          RejectReason::kLatitudeOutOfRange)) {
    return p;
  }
  if (auto p = CheckRange(fix.lon, "location-long", -180, 180, false,
                          RejectReason::kLongitudeOutOfRange)) {
    return p;
  }
  if (fix.height_m) {
    if (auto p = CheckRange(*fix.height_m, "height-above-ellipsoid", limits.min_height_m,
                            limits.max_height_m, false, RejectReason::kHeightOutOfRange)) {
      return p;
    }
  }
  if (fix.hdop) {
    if (auto p = CheckRange(*fix.hdop, "gps:hdop", limits.min_hdop, limits.max_hdop, false,
                            RejectReason::kHdopOutOfRange)) {
      return p;
    }
  }
  if (fix.satellites &&
      (*fix.satellites < limits.min_satellites || *fix.satellites > limits.max_satellites)) {
    return Problem(RejectReason::kSatelliteCountOutOfRange, "gps:satellite-count",
                   absl::StrCat("gps:satellite-count ", *fix.satellites, " is outside [",
                                limits.min_satellites, ", ", limits.max_satellites, "]"));
  }
  if (fix.ground_speed_mps) {
    if (auto p = CheckRange(*fix.ground_speed_mps, "ground-speed", limits.min_ground_speed_mps,
                            limits.max_ground_speed_mps, false,
                            RejectReason::kGroundSpeedOutOfRange)) {
      return p;
    }
  }
  if (fix.heading_deg) {
    if (auto p = CheckRange(*fix.heading_deg, "heading", limits.min_heading_deg,
                            limits.max_heading_deg_exclusive, true,
                            RejectReason::kHeadingOutOfRange)) {
      return p;
    }
  }
  if (fix.event_id && *fix.event_id < 0) {
    return Problem(RejectReason::kBadEventId, "event-id",
                   absl::StrCat("event-id ", *fix.event_id, " is negative"));
  }
  return std::nullopt;
}

}  // namespace wetlink::telemetry
