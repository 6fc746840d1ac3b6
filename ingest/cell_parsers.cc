#include "ingest/cell_parsers.h"

#include <charconv>
#include <limits>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "telemetry/timestamp.h"

namespace wetlink::ingest {
namespace {

using telemetry::TimestampMs;

constexpr std::size_t kMaxQuoted = 64;
constexpr TimestampMs kMsPerMinute = 60'000;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

absl::Status BadTimestamp(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("timestamp ", QuotedForMessage(text), " ", std::string(why)));
}

// Reads between `min_digits` and `max_digits` digits at text[*pos], as many
// as there are (greedy, so "%H%M" reads "0605" as 06 and 05).
bool ReadNumber(std::string_view text, std::size_t* pos, int min_digits, int max_digits,
                int* value) {
  int digits = 0;
  int v = 0;
  while (digits < max_digits && *pos < text.size() && IsDigit(text[*pos])) {
    v = v * 10 + (text[*pos] - '0');
    ++*pos;
    ++digits;
  }
  *value = v;
  return digits >= min_digits;
}

// Milliseconds of a fraction "5" -> 500, "123456" -> 123 (truncated).
int FractionMillis(std::string_view digits) {
  int millis = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    millis = millis * 10 + (i < digits.size() ? digits[i] - '0' : 0);
  }
  return millis;
}

absl::StatusOr<TimestampMs> ParseUnixSeconds(std::string_view text) {
  constexpr std::string_view kExpected = "is not a number of seconds since 1970 (unix_s)";
  std::string_view rest = text;
  const bool negative = !rest.empty() && rest.front() == '-';
  if (negative) rest.remove_prefix(1);
  const std::size_t dot = rest.find('.');
  const std::string_view whole = rest.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
  if (whole.empty() || whole.front() == '-' || whole.front() == '+') {
    return BadTimestamp(text, kExpected);
  }
  if (dot != std::string_view::npos &&
      (fraction.empty() || fraction.find_first_not_of("0123456789") != std::string_view::npos)) {
    return BadTimestamp(text, kExpected);
  }
  if (fraction.size() > 3) {
    return BadTimestamp(text, "has more than 3 fraction digits (milliseconds)");
  }
  const std::optional<std::int64_t> seconds = ParseInt64(whole);
  if (!seconds) return BadTimestamp(text, kExpected);
  if (*seconds > std::numeric_limits<TimestampMs>::max() / telemetry::kMsPerSecond - 1) {
    return BadTimestamp(text, "is out of range");
  }
  const TimestampMs ms = *seconds * telemetry::kMsPerSecond + FractionMillis(fraction);
  return negative ? -ms : ms;
}

}  // namespace

std::optional<double> ParseDouble(std::string_view text) {
  double v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<std::int64_t> ParseInt64(std::string_view text) {
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<bool> ParseBool(std::string_view text) {
  if (text == "true" || text == "TRUE" || text == "1") return true;
  if (text == "false" || text == "FALSE" || text == "0") return false;
  return std::nullopt;
}

bool IsCalendarDate(std::int64_t year, int month, int day) {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  // A date that does not exist (04-31) counts on into another (05-01).
  const telemetry::CivilDate back = telemetry::CivilFromDays(
      telemetry::DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)));
  return back.year == year && back.month == static_cast<unsigned>(month) &&
         back.day == static_cast<unsigned>(day);
}

std::string QuotedForMessage(std::string_view text) {
  std::string shown(text.substr(0, kMaxQuoted));
  if (text.size() > kMaxQuoted) shown += "...";
  return absl::StrCat("'", shown, "'");
}

absl::StatusOr<TimestampFormat> TimestampFormat::Compile(std::string_view spec) {
  if (spec == "movebank") return TimestampFormat(Kind::kMovebank, std::string(spec));
  if (spec == "unix_s") return TimestampFormat(Kind::kUnixSeconds, std::string(spec));
  if (spec == "unix_ms") return TimestampFormat(Kind::kUnixMillis, std::string(spec));

  const std::string_view kDirectives = "YmdHMSf";
  bool seen[7] = {};
  for (std::size_t i = 0; i < spec.size(); ++i) {
    if (spec[i] != '%') continue;
    if (i + 1 == spec.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("time format ", QuotedForMessage(spec), " ends with a lone '%'"));
    }
    const char directive = spec[++i];
    if (directive == '%') continue;
    const std::size_t index = kDirectives.find(directive);
    if (index == std::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("time format ", QuotedForMessage(spec), " has unknown directive %",
                       std::string(1, directive), " (known: %Y %m %d %H %M %S %f %%)"));
    }
    if (seen[index]) {
      return absl::InvalidArgumentError(absl::StrCat("time format ", QuotedForMessage(spec),
                                                     " repeats %", std::string(1, directive)));
    }
    seen[index] = true;
  }
  std::string missing;
  for (std::size_t i = 0; i < 5; ++i) {  // %Y %m %d %H %M; %S and %f are optional
    if (seen[i]) continue;
    absl::StrAppend(&missing, missing.empty() ? "%" : " %", std::string(1, kDirectives[i]));
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("time format ", QuotedForMessage(spec),
                     " is neither movebank, unix_s nor unix_ms, and as a pattern lacks ", missing));
  }
  return TimestampFormat(Kind::kPattern, std::string(spec));
}

absl::StatusOr<TimestampMs> TimestampFormat::Parse(std::string_view text,
                                                   int utc_offset_minutes) const {
  const TimestampMs offset_ms = utc_offset_minutes * kMsPerMinute;
  switch (kind_) {
    case Kind::kUnixSeconds:
      return ParseUnixSeconds(text);
    case Kind::kUnixMillis: {
      const std::optional<std::int64_t> ms = ParseInt64(text);
      if (!ms)
        return BadTimestamp(text, "is not a whole number of milliseconds since 1970 (unix_ms)");
      return *ms;
    }
    case Kind::kMovebank: {
      absl::StatusOr<TimestampMs> local = telemetry::ParseTimestamp(text);
      if (!local.ok()) return local.status();
      const bool says_utc = !text.empty() && text.back() == 'Z';
      return says_utc ? *local : *local - offset_ms;
    }
    case Kind::kPattern: {
      absl::StatusOr<TimestampMs> local = ParsePattern(text);
      if (!local.ok()) return local.status();
      return *local - offset_ms;
    }
  }
  return absl::InternalError("unknown timestamp format kind");
}

absl::StatusOr<TimestampMs> TimestampFormat::ParsePattern(std::string_view text) const {
  const auto mismatch = [&] {
    return BadTimestamp(text, absl::StrCat("does not match the format ", QuotedForMessage(spec_)));
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < spec_.size(); ++i) {
    if (spec_[i] != '%' || spec_[i + 1] == '%') {
      if (spec_[i] == '%') ++i;  // "%%" matches one '%'
      if (pos >= text.size() || text[pos] != spec_[i]) return mismatch();
      ++pos;
      continue;
    }
    bool ok = true;
    switch (spec_[++i]) {
      case 'Y':
        ok = ReadNumber(text, &pos, 4, 4, &year);
        break;
      case 'm':
        ok = ReadNumber(text, &pos, 1, 2, &month);
        break;
      case 'd':
        ok = ReadNumber(text, &pos, 1, 2, &day);
        break;
      case 'H':
        ok = ReadNumber(text, &pos, 1, 2, &hour);
        break;
      case 'M':
        ok = ReadNumber(text, &pos, 1, 2, &minute);
        break;
      case 'S':
        ok = ReadNumber(text, &pos, 1, 2, &second);
        break;
      case 'f': {
        const std::size_t start = pos;
        while (pos < text.size() && pos - start < 9 && IsDigit(text[pos])) ++pos;
        ok = pos > start;
        millis = FractionMillis(text.substr(start, pos - start));
        break;
      }
      default:  // Compile() admits no other directive
        ok = false;
    }
    if (!ok) return mismatch();
  }
  if (pos != text.size()) return mismatch();
  if (!IsCalendarDate(year, month, day)) return BadTimestamp(text, "has no such date");
  if (hour > 23 || minute > 59 || second > 59) {
    return BadTimestamp(text, "has no such time of day");
  }
  return telemetry::TimestampFromCivil(year, static_cast<unsigned>(month),
                                       static_cast<unsigned>(day), hour, minute, second, millis);
}

}  // namespace wetlink::ingest
