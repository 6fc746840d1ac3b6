#ifndef WETLINK_INGEST_CELL_PARSERS_H_
#define WETLINK_INGEST_CELL_PARSERS_H_

// Turning the text of one cell into a value, shared by the parsers so that
// every format reads numbers, booleans, dates and times by the same strict
// rules and quotes bad values the same way. Nothing here allocates except
// messages, and nothing reads the host's locale, time zone or clock.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "telemetry/fix.h"

namespace wetlink::ingest {

// A decimal number, strictly: the whole cell must be the number as
// std::from_chars reads it (no spaces, no '+', no trailing text). "NaN" and
// "inf" parse, so that telemetry::ValidateFix can name them as not finite.
std::optional<double> ParseDouble(std::string_view text);

// A 64-bit integer, with the same strictness; nullopt on overflow.
std::optional<std::int64_t> ParseInt64(std::string_view text);

// true/false, TRUE/FALSE or 1/0.
std::optional<bool> ParseBool(std::string_view text);

// Whether y-m-d exists in the proleptic Gregorian calendar (2024-02-29 does,
// 2023-02-29 and 2024-04-31 do not), for formats whose parsers accept any
// digits (GDAL's dates, patterns).
bool IsCalendarDate(std::int64_t year, int month, int day);

// `text` in single quotes for a message, cut after 64 bytes (with "...") so
// one bad cell cannot flood a report.
std::string QuotedForMessage(std::string_view text);

// How a file writes its times, compiled once from a name or pattern:
//   "movebank"  what telemetry::ParseTimestamp accepts:
//               yyyy-MM-dd HH:mm:ss[.SSS] and ISO 8601 yyyy-MM-ddTHH:mm:ss[.SSS][Z]
//   "unix_s"    seconds since 1970-01-01T00:00:00Z, optionally with up to 3
//               fraction digits ("1710050400.25"); a leading '-' is allowed
//   "unix_ms"   whole milliseconds since the epoch
//   a pattern   strftime-like: %Y (4 digits), %m %d %H %M %S (1 or 2 digits,
//               so both 01.03.2024 and 1.3.2024 read), %f (fraction of a
//               second, 1 to 9 digits, truncated to milliseconds), %% (a
//               percent sign); any other character must appear as written.
//               %Y %m %d %H %M are required, each directive at most once;
//               without %S the seconds are 0.
// Unix times are absolute. The other forms are civil times read in the
// file's zone: Parse() subtracts `utc_offset_minutes` from them, except from
// a "movebank" time ending in 'Z', which says itself that it is UTC.
class TimestampFormat {
 public:
  // InvalidArgument naming the unknown directive, the repeated one or the
  // missing one.
  static absl::StatusOr<TimestampFormat> Compile(std::string_view spec);

  // UTC milliseconds; InvalidArgument quoting the text when it does not match
  // the format or names no real time (2024-02-30, 25:00, second 60).
  absl::StatusOr<telemetry::TimestampMs> Parse(std::string_view text, int utc_offset_minutes) const;

  // The spec this was compiled from, e.g. "%d.%m.%Y %H:%M:%S".
  const std::string& spec() const { return spec_; }

 private:
  enum class Kind { kMovebank, kUnixSeconds, kUnixMillis, kPattern };

  TimestampFormat(Kind kind, std::string spec) : kind_(kind), spec_(std::move(spec)) {}

  absl::StatusOr<telemetry::TimestampMs> ParsePattern(std::string_view text) const;

  Kind kind_;
  std::string spec_;
};

}  // namespace wetlink::ingest

#endif  // WETLINK_INGEST_CELL_PARSERS_H_
