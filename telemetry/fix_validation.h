#ifndef WETLINK_TELEMETRY_FIX_VALIDATION_H_
#define WETLINK_TELEMETRY_FIX_VALIDATION_H_

// Plausibility checks on a parsed Fix. These refuse values that cannot be a
// real observation of a bird (corrupt cells, unit mix-ups, unset clocks); they
// are not an outlier filter: a fix that is merely unlikely is kept, and
// upstream outlier flags are stored, never used to refuse a fix.

#include <cstddef>
#include <optional>
#include <string>

#include "telemetry/fix.h"
#include "telemetry/reject_reason.h"
#include "telemetry/timestamp.h"

namespace wetlink::telemetry {

struct ValidationLimits {
  // Earliest accepted fix, inclusive: 1990-01-01T00:00:00Z. No GPS bird tag
  // predates it; earlier times come from devices whose clock was never set.
  TimestampMs earliest_ms = TimestampFromCivil(1990, 1, 1);
  // How far after `now` a fix may lie, inclusive: 1 day. A device clock a
  // little ahead is tolerated; beyond a day the clock is wrong and the fix
  // would corrupt time ordering, so it is refused.
  TimestampMs future_tolerance_ms = kMsPerDay;
  // gps:hdop, dimensionless, inclusive. Receivers report up to 99.9 before
  // giving up on a fix; anything above 100 is not a dilution of precision.
  double min_hdop = 0;
  double max_hdop = 100;
  // gps:satellite-count, inclusive. Multi-constellation receivers see at
  // most a few dozen satellites; 64 leaves room and still catches garbage.
  int min_satellites = 0;
  int max_satellites = 64;
  // ground-speed, m/s, inclusive. Cranes and spoonbills fly at ~15-20 m/s
  // and reach ~30 m/s only with a strong tailwind, but the limit is set
  // above the fastest bird of any species (a stooping peregrine, ~90 m/s):
  // a merely implausible speed is left to outlier analysis, while 100 m/s and
  // more cannot be a bird at all (a corrupt cell or a km/h value).
  double min_ground_speed_mps = 0;
  double max_ground_speed_mps = 100;
  // heading, degrees clockwise from north: [0, 360), 360 itself is refused
  // because it must be written 0.
  double min_heading_deg = 0;
  double max_heading_deg_exclusive = 360;
  // height-above-ellipsoid, metres, inclusive. -500 m covers the Dead Sea
  // shore (-430 m) plus GPS vertical error; 12000 m is above the highest bird
  // flight ever recorded (a Rueppell's vulture at ~11300 m).
  double min_height_m = -500;
  double max_height_m = 12000;
  // tag-local-identifier length in bytes (UTF-8), inclusive.
  std::size_t max_tag_id_bytes = 64;
};

struct FieldProblem {
  RejectReason reason = RejectReason::kMalformedRow;
  // Movebank attribute name of the field at fault, e.g. "location-lat".
  std::string field;
  // For humans, e.g. "location-lat 95.2 is outside [-90, 90]".
  std::string message;

  bool operator==(const FieldProblem&) const = default;
};

// The first problem with `fix`, or nullopt if it is acceptable. `now_ms` is
// the caller's clock reading (no hidden clocks, so tests are deterministic).
// Checks run in this fixed order, and only the first failure is reported:
//   1. tag-local-identifier: kEmptyTagId, kTagIdTooLong
//   2. timestamp: kTimestampBefore1990, kTimestampInFuture
//   3. location-lat: kNotFinite, kLatitudeOutOfRange
//   4. location-long: kNotFinite, kLongitudeOutOfRange
//   5. height-above-ellipsoid: kNotFinite, kHeightOutOfRange
//   6. gps:hdop: kNotFinite, kHdopOutOfRange
//   7. gps:satellite-count: kSatelliteCountOutOfRange
//   8. ground-speed: kNotFinite, kGroundSpeedOutOfRange
//   9. heading: kNotFinite, kHeadingOutOfRange
//  10. event-id: kBadEventId (negative)
// Optional fields are checked only when present.
std::optional<FieldProblem> ValidateFix(const Fix& fix, TimestampMs now_ms,
                                        const ValidationLimits& limits);

}  // namespace wetlink::telemetry

#endif  // WETLINK_TELEMETRY_FIX_VALIDATION_H_
