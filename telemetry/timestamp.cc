#include "telemetry/timestamp.h"

#include <chrono>
#include <cstdio>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace wetlink::telemetry {
namespace {

// Long garbage is cut in messages so one bad cell cannot flood a report.
constexpr std::size_t kMaxQuoted = 64;

absl::Status Invalid(std::string_view text, std::string_view why) {
  std::string shown(text.substr(0, kMaxQuoted));
  if (text.size() > kMaxQuoted) shown += "...";
  return absl::InvalidArgumentError(
      absl::StrCat("timestamp '", shown, "' ", std::string(why)));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at text[*pos]; false if any is not a digit.
bool ReadDigits(std::string_view text, std::size_t* pos, int n, int* value) {
  if (*pos + static_cast<std::size_t>(n) > text.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const char c = text[*pos + static_cast<std::size_t>(i)];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *pos += static_cast<std::size_t>(n);
  *value = v;
  return true;
}

bool Expect(std::string_view text, std::size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

constexpr std::string_view kExpected =
    "is not a timestamp of the form yyyy-MM-dd HH:mm:ss[.SSS] (UTC)";

}  // namespace

absl::StatusOr<TimestampMs> ParseTimestamp(std::string_view text) {
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(text, &pos, 4, &year) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &month) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &day)) {
    return Invalid(text, kExpected);
  }
  if (pos >= text.size() || (text[pos] != ' ' && text[pos] != 'T')) {
    return Invalid(text, kExpected);
  }
  ++pos;
  if (!ReadDigits(text, &pos, 2, &hour) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &minute) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &second)) {
    return Invalid(text, kExpected);
  }
  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && IsDigit(text[pos]) && digits < 3) {
      millis = millis * 10 + (text[pos] - '0');
      ++pos;
      ++digits;
    }
    if (digits == 0) return Invalid(text, "has no digits after the decimal point");
    if (pos < text.size() && IsDigit(text[pos])) {
      return Invalid(text, "has more than 3 fraction digits (milliseconds)");
    }
    for (; digits < 3; ++digits) millis *= 10;
  }
  if (pos < text.size() && text[pos] == 'Z') ++pos;
  if (pos != text.size()) return Invalid(text, kExpected);

  if (month < 1 || month > 12) return Invalid(text, "has no such month");
  if (day < 1 || day > DaysInMonth(year, month)) return Invalid(text, "has no such day");
  if (hour > 23 || minute > 59 || second > 59) return Invalid(text, "has no such time of day");
  return TimestampFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day), hour,
                            minute, second, millis);
}

CivilDate CivilFromDays(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

namespace {

char* PutDigits(std::int64_t value, int width, char* p) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return p + width;
}

}  // namespace

char* FormatTimestampTo(TimestampMs t, char* buf) {
  const std::int64_t ms_of_day = MsOfDay(t);
  const CivilDate date = CivilFromDays(DayIndex(t));
  char* p = PutDigits(date.year, 4, buf);
  *p++ = '-';
  p = PutDigits(date.month, 2, p);
  *p++ = '-';
  p = PutDigits(date.day, 2, p);
  *p++ = ' ';
  p = PutDigits(ms_of_day / kMsPerHour, 2, p);
  *p++ = ':';
  p = PutDigits(ms_of_day / 60'000 % 60, 2, p);
  *p++ = ':';
  p = PutDigits(ms_of_day / 1000 % 60, 2, p);
  *p++ = '.';
  return PutDigits(ms_of_day % 1000, 3, p);
}

TimestampMs SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatTimestamp(TimestampMs t) {
  const CivilDate date = CivilFromDays(DayIndex(t));
  if (date.year >= 0 && date.year <= 9999) {
    char buf[kFormattedTimestampSize];
    return std::string(buf, FormatTimestampTo(t, buf));
  }
  // Far outside any real fix (e.g. a corrupt cell): spell the year out.
  const std::int64_t ms_of_day = MsOfDay(t);
  char buf[64];
  const int n = std::snprintf(buf, sizeof buf, "%lld-%02u-%02u %02lld:%02lld:%02lld.%03lld",
                              static_cast<long long>(date.year), date.month, date.day,
                              static_cast<long long>(ms_of_day / kMsPerHour),
                              static_cast<long long>(ms_of_day / 60'000 % 60),
                              static_cast<long long>(ms_of_day / 1000 % 60),
                              static_cast<long long>(ms_of_day % 1000));
  return std::string(buf, static_cast<std::size_t>(n));
}

}  // namespace wetlink::telemetry
