#ifndef WETLINK_TELEMETRY_TIMESTAMP_H_
#define WETLINK_TELEMETRY_TIMESTAMP_H_

// UTC timestamps as Movebank writes them ("2016-05-02 04:20:46.000"), parsed
// and formatted with plain calendar arithmetic: no locale, no time zone, no
// libc time functions, so results never depend on the host's settings.

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "telemetry/fix.h"

namespace wetlink::telemetry {

inline constexpr TimestampMs kMsPerSecond = 1000;
inline constexpr TimestampMs kMsPerHour = 3'600'000;
inline constexpr TimestampMs kMsPerDay = 86'400'000;

// Days from 1970-01-01 to the proleptic Gregorian date y-m-d (negative
// before 1970). H. Hinnant's days_from_civil; m in [1, 12], d in [1, 31].
constexpr std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);                  // [0, 399]
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct CivilDate {
  std::int64_t year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
};

// The date `days` after 1970-01-01 (H. Hinnant's civil_from_days); the
// inverse of DaysFromCivil.
CivilDate CivilFromDays(std::int64_t days);

// Whole days since the epoch, rounding down (times before 1970 included).
// Defined for every int64 value (no negation, so INT64_MIN is fine).
constexpr std::int64_t DayIndex(TimestampMs t) {
  return t / kMsPerDay - (t % kMsPerDay < 0 ? 1 : 0);
}

// Milliseconds since midnight UTC, in [0, kMsPerDay); defined for every value.
constexpr TimestampMs MsOfDay(TimestampMs t) {
  const TimestampMs r = t % kMsPerDay;
  return r < 0 ? r + kMsPerDay : r;
}

// Milliseconds since the epoch of a UTC civil time. Fields are not checked;
// ParseTimestamp is the checked path.
constexpr TimestampMs TimestampFromCivil(std::int64_t y, unsigned m, unsigned d, int hour = 0,
                                         int minute = 0, int second = 0, int millis = 0) {
  return DaysFromCivil(y, m, d) * kMsPerDay +
         ((hour * 60 + minute) * 60 + second) * kMsPerSecond + millis;
}

// Parses a UTC timestamp, strictly:
//   yyyy-MM-dd HH:mm:ss[.S[S[S]]][Z]   (Movebank)
//   yyyy-MM-ddTHH:mm:ss[.S[S[S]]][Z]   (ISO 8601)
// Years 0000-9999; the date must exist (2016-02-29 yes, 2016-02-30 no);
// hours 00-23, minutes and seconds 00-59 (no leap seconds); one to three
// fraction digits ("4.5" is 500 ms). No surrounding spaces, no offsets other
// than Z, nothing after. InvalidArgument quoting the text otherwise.
absl::StatusOr<TimestampMs> ParseTimestamp(std::string_view text);

// "yyyy-MM-dd HH:mm:ss.SSS" in UTC, always with milliseconds, so that
// ParseTimestamp(FormatTimestamp(t)) == t for years 0000-9999. Any other
// value still formats (with a longer or signed year), for messages about it.
std::string FormatTimestamp(TimestampMs t);

// The system clock now, as UTC ms. Only the programs' entry points and
// servers call it; libraries take the time as an argument, so tests are
// deterministic.
TimestampMs SystemNowMs();

// The same text written at `buf` without allocating (for writers of large
// files): exactly kFormattedTimestampSize chars, no terminator. Returns the
// end. Years 0000-9999 only; FormatTimestamp handles every value.
inline constexpr std::size_t kFormattedTimestampSize = 23;
char* FormatTimestampTo(TimestampMs t, char* buf);

}  // namespace wetlink::telemetry

#endif  // WETLINK_TELEMETRY_TIMESTAMP_H_
