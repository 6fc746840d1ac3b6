#include "counts/count.h"

#include <cstddef>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "telemetry/timestamp.h"

namespace wetlink::counts {
namespace {

// Zero-padded to `width` digits; `value` is never negative here.
std::string Padded(std::int64_t value, std::size_t width) {
  std::string digits = absl::StrCat(value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned DaysInMonth(int year, unsigned month) {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// The value of `count` decimal digits at `text[pos]`, or -1 if any is not one.
int Digits(std::string_view text, std::size_t pos, std::size_t count) {
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::string_view SurveyMethodName(SurveyMethod method) {
  // A switch without default: the compiler flags a method added without a name.
  switch (method) {
    case SurveyMethod::kUnspecified: return "";
    case SurveyMethod::kGround: return "ground";
    case SurveyMethod::kAerial: return "aerial";
    case SurveyMethod::kBoat: return "boat";
    case SurveyMethod::kRoost: return "roost";
    case SurveyMethod::kOther: return "other";
  }
  return "";  // only reachable through a cast of an invalid value
}

std::optional<SurveyMethod> ParseSurveyMethod(std::string_view name) {
  if (name.empty()) return SurveyMethod::kUnspecified;
  for (SurveyMethod method : kNamedSurveyMethods) {
    const std::string_view candidate = SurveyMethodName(method);
    if (absl::EqualsIgnoreCase(absl::string_view(candidate.data(), candidate.size()),
                               absl::string_view(name.data(), name.size()))) {
      return method;
    }
  }
  return std::nullopt;
}

std::optional<std::int32_t> ParseSurveyDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const int year = Digits(text, 0, 4);
  const int month = Digits(text, 5, 2);
  const int day = Digits(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return std::nullopt;
  const auto unsigned_month = static_cast<unsigned>(month);
  const auto unsigned_day = static_cast<unsigned>(day);
  if (unsigned_day > DaysInMonth(year, unsigned_month)) return std::nullopt;
  // Years 0000-9999 lie within +-3 million days of 1970: int32 is ample.
  return static_cast<std::int32_t>(telemetry::DaysFromCivil(year, unsigned_month, unsigned_day));
}

std::string FormatSurveyDate(std::int32_t days) {
  const telemetry::CivilDate date = telemetry::CivilFromDays(days);
  const std::string year = date.year >= 0 && date.year <= 9999 ? Padded(date.year, 4)
                                                                 : absl::StrCat(date.year);
  return absl::StrCat(year, "-", Padded(date.month, 2), "-", Padded(date.day, 2));
}

}  // namespace wetlink::counts
