#include "telemetry/reject_reason.h"

namespace wetlink::telemetry {

std::string_view RejectReasonCode(RejectReason reason) {
  // A switch without default: the compiler flags a value added without a code.
  switch (reason) {
    case RejectReason::kMissingField: return "MISSING_FIELD";
    case RejectReason::kBadNumber: return "BAD_NUMBER";
    case RejectReason::kNotFinite: return "NOT_FINITE";
    case RejectReason::kLatitudeOutOfRange: return "LATITUDE_OUT_OF_RANGE";
    case RejectReason::kLongitudeOutOfRange: return "LONGITUDE_OUT_OF_RANGE";
    case RejectReason::kBadTimestamp: return "BAD_TIMESTAMP";
    case RejectReason::kTimestampBefore1990: return "TIMESTAMP_BEFORE_1990";
    case RejectReason::kTimestampInFuture: return "TIMESTAMP_IN_FUTURE";
    case RejectReason::kHdopOutOfRange: return "HDOP_OUT_OF_RANGE";
    case RejectReason::kSatelliteCountOutOfRange: return "SATELLITE_COUNT_OUT_OF_RANGE";
    case RejectReason::kGroundSpeedOutOfRange: return "GROUND_SPEED_OUT_OF_RANGE";
    case RejectReason::kHeadingOutOfRange: return "HEADING_OUT_OF_RANGE";
    case RejectReason::kHeightOutOfRange: return "HEIGHT_OUT_OF_RANGE";
    case RejectReason::kBadBoolean: return "BAD_BOOLEAN";
    case RejectReason::kBadEventId: return "BAD_EVENT_ID";
    case RejectReason::kMalformedRow: return "MALFORMED_ROW";
    case RejectReason::kEmptyTagId: return "EMPTY_TAG_ID";
    case RejectReason::kTagIdTooLong: return "TAG_ID_TOO_LONG";
    case RejectReason::kUnknownTag: return "UNKNOWN_TAG";
    case RejectReason::kOutsideDeployment: return "OUTSIDE_DEPLOYMENT";
    case RejectReason::kUnknownIndividual: return "UNKNOWN_INDIVIDUAL";
    case RejectReason::kBatchTooLarge: return "BATCH_TOO_LARGE";
    case RejectReason::kMessageTooLarge: return "MESSAGE_TOO_LARGE";
    case RejectReason::kUnknownStudy: return "UNKNOWN_STUDY";
    case RejectReason::kBadIndex: return "BAD_INDEX";
    case RejectReason::kConflictingFix: return "CONFLICTING_FIX";
    case RejectReason::kIndividualMismatch: return "INDIVIDUAL_MISMATCH";
    case RejectReason::kUnknownSite: return "UNKNOWN_SITE";
    case RejectReason::kUnknownSpecies: return "UNKNOWN_SPECIES";
    case RejectReason::kNegativeCount: return "NEGATIVE_COUNT";
    case RejectReason::kCountOutOfRange: return "COUNT_OUT_OF_RANGE";
    case RejectReason::kBadDate: return "BAD_DATE";
    case RejectReason::kDateOutOfRange: return "DATE_OUT_OF_RANGE";
    case RejectReason::kUnknownMethod: return "UNKNOWN_METHOD";
    case RejectReason::kFieldTooLong: return "FIELD_TOO_LONG";
  }
  return "UNKNOWN";  // only reachable through a cast of an invalid value
}

std::optional<RejectReason> RejectReasonFromCode(std::string_view code) {
  for (RejectReason reason : kAllRejectReasons) {
    if (RejectReasonCode(reason) == code) return reason;
  }
  return std::nullopt;
}

}  // namespace wetlink::telemetry
