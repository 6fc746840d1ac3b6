#ifndef WETLINK_TELEMETRY_REJECT_REASON_H_
#define WETLINK_TELEMETRY_REJECT_REASON_H_

// Why a fix or count (or a row, batch or message carrying them) was refused. Every
// refusal Wetlink reports carries one of these, so clients can count and
// filter refusals by a stable machine-readable code rather than by parsing
// human messages. The codes are part of the API: never rename or reuse one.

#include <array>
#include <optional>
#include <string_view>

namespace wetlink::telemetry {

enum class RejectReason {
  // A required field is absent or empty (e.g. a Movebank row without
  // location-lat: a fix without a position).
  kMissingField,
  // A numeric field is not a number in plain decimal notation ("12abc").
  kBadNumber,
  // A numeric field is NaN or infinite.
  kNotFinite,
  // location-lat outside [-90, 90].
  kLatitudeOutOfRange,
  // location-long outside [-180, 180].
  kLongitudeOutOfRange,
  // The timestamp is not a valid "yyyy-MM-dd HH:mm:ss[.SSS]" UTC time
  // (or ISO 8601 form), e.g. 2016-02-30 or 25:00:00.
  kBadTimestamp,
  // The timestamp is earlier than ValidationLimits::earliest_ms (1990), the
  // sign of an unset device clock.
  kTimestampBefore1990,
  // The timestamp is later than now plus the allowed clock skew.
  kTimestampInFuture,
  // gps:hdop outside the accepted range.
  kHdopOutOfRange,
  // gps:satellite-count outside the accepted range.
  kSatelliteCountOutOfRange,
  // ground-speed outside the accepted range.
  kGroundSpeedOutOfRange,
  // heading outside [0, 360).
  kHeadingOutOfRange,
  // height-above-ellipsoid outside the accepted range.
  kHeightOutOfRange,
  // A boolean field is not one of true/false/TRUE/FALSE/1/0.
  kBadBoolean,
  // event-id is not a non-negative 64-bit integer.
  kBadEventId,
  // The row itself is broken: wrong number of columns, an unterminated or
  // stray quote, or a record longer than the reader's limit.
  kMalformedRow,
  // The tag id is empty.
  kEmptyTagId,
  // The tag id is longer than ValidationLimits::max_tag_id_bytes.
  kTagIdTooLong,
  // (server) The study has no deployment of this tag at all.
  kUnknownTag,
  // (server) The tag is deployed, but not at the fix's time.
  kOutsideDeployment,
  // (server) The individual named by the fix is not registered in the study.
  kUnknownIndividual,
  // (server) A request carries more fixes than the server accepts at once.
  kBatchTooLarge,
  // (server) A request or uploaded file is larger than the server accepts.
  kMessageTooLarge,
  // (server) The batch names a study that is not registered (and does not
  // ask for auto-registration).
  kUnknownStudy,
  // (server) A fix refers by index to a tag or individual that its batch
  // does not list.
  kBadIndex,
  // (server) A different fix (other position or measurements) is already
  // stored for the same individual at the same timestamp. The stored fix is
  // kept; a GPS fix is measured once, so two versions mean one is corrupt.
  kConflictingFix,
  // (server) The fix names an individual other than the one its tag's
  // deployment is on at that time.
  kIndividualMismatch,
  // (count) The site id is not in the catalog.
  kUnknownSite,
  // (count) The species is not in the catalog.
  kUnknownSpecies,
  // (count) A count below zero. Zero counts are data and are accepted.
  kNegativeCount,
  // (count) A count above the accepted maximum, or not a whole number.
  kCountOutOfRange,
  // (count) The survey date is not a valid yyyy-MM-dd calendar date.
  kBadDate,
  // (count) The survey date is after today, or before the earliest
  // accepted survey year.
  kDateOutOfRange,
  // (count) The method is not one of the survey methods Wetlink records.
  kUnknownMethod,
  // A text field is longer than its limit.
  kFieldTooLong,
};

// Every value, in declaration order (for tables and exhaustive tests).
inline constexpr std::array<RejectReason, 35> kAllRejectReasons = {
    RejectReason::kMissingField,          RejectReason::kBadNumber,
    RejectReason::kNotFinite,             RejectReason::kLatitudeOutOfRange,
    RejectReason::kLongitudeOutOfRange,   RejectReason::kBadTimestamp,
    RejectReason::kTimestampBefore1990,   RejectReason::kTimestampInFuture,
    RejectReason::kHdopOutOfRange,        RejectReason::kSatelliteCountOutOfRange,
    RejectReason::kGroundSpeedOutOfRange, RejectReason::kHeadingOutOfRange,
    RejectReason::kHeightOutOfRange,      RejectReason::kBadBoolean,
    RejectReason::kBadEventId,            RejectReason::kMalformedRow,
    RejectReason::kEmptyTagId,            RejectReason::kTagIdTooLong,
    RejectReason::kUnknownTag,            RejectReason::kOutsideDeployment,
    RejectReason::kUnknownIndividual,     RejectReason::kBatchTooLarge,
    RejectReason::kMessageTooLarge,       RejectReason::kUnknownStudy,
    RejectReason::kBadIndex,              RejectReason::kConflictingFix,
    RejectReason::kIndividualMismatch,    RejectReason::kUnknownSite,
    RejectReason::kUnknownSpecies,        RejectReason::kNegativeCount,
    RejectReason::kCountOutOfRange,       RejectReason::kBadDate,
    RejectReason::kDateOutOfRange,        RejectReason::kUnknownMethod,
    RejectReason::kFieldTooLong,
};

// The stable code of `reason`, e.g. "LATITUDE_OUT_OF_RANGE".
std::string_view RejectReasonCode(RejectReason reason);

// The reason whose code is `code`; nullopt for an unknown code.
std::optional<RejectReason> RejectReasonFromCode(std::string_view code);

}  // namespace wetlink::telemetry

#endif  // WETLINK_TELEMETRY_REJECT_REASON_H_
