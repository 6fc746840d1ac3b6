#include "reports/report_period.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "counts/count.h"
#include "telemetry/timestamp.h"

namespace wetlink::reports {

telemetry::TimestampMs ReportPeriod::from_ms() const {
  return static_cast<telemetry::TimestampMs>(from_days) * telemetry::kMsPerDay;
}

telemetry::TimestampMs ReportPeriod::end_ms() const {
  return (static_cast<telemetry::TimestampMs>(to_days) + 1) * telemetry::kMsPerDay;
}

int CountSeasonOf(std::int32_t days) {
  const telemetry::CivilDate date = telemetry::CivilFromDays(days);
  const auto year = static_cast<int>(date.year);
  return static_cast<int>(date.month) >= kCountSeasonFirstMonth ? year : year - 1;
}

std::string CountSeasonLabel(int season) {
  char next[8];
  std::snprintf(next, sizeof next, "%02d", (season + 1) % 100);
  return absl::StrCat(season, "/", next);
}

std::vector<int> CountSeasonsOf(const ReportPeriod& period) {
  std::vector<int> seasons;
  if (period.from_days > period.to_days) return seasons;
  for (int s = CountSeasonOf(period.from_days); s <= CountSeasonOf(period.to_days); ++s) {
    seasons.push_back(s);
  }
  return seasons;
}

absl::StatusOr<std::int32_t> ParseReportDate(std::string_view text, std::string_view field) {
  std::optional<std::int32_t> days = counts::ParseSurveyDate(text);
  if (!days) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(field), ": '", std::string(text),
                                                   "' is not a date of the form yyyy-MM-dd"));
  }
  return *days;
}

absl::StatusOr<ReportPeriod> ResolvePeriod(std::string_view from, std::string_view to,
                                           telemetry::TimestampMs now_ms,
                                           std::string_view field_prefix) {
  const std::string prefix(field_prefix);
  ReportPeriod period;
  if (to.empty()) {
    period.to_days = static_cast<std::int32_t>(telemetry::DayIndex(now_ms));
  } else {
    absl::StatusOr<std::int32_t> days = ParseReportDate(to, prefix + "to");
    if (!days.ok()) return days.status();
    period.to_days = *days;
  }
  if (from.empty()) {
    const int first_season = CountSeasonOf(period.to_days) - (5 - 1);
    period.from_days = static_cast<std::int32_t>(
        telemetry::DaysFromCivil(first_season, kCountSeasonFirstMonth, 1));
  } else {
    absl::StatusOr<std::int32_t> days = ParseReportDate(from, prefix + "from");
    if (!days.ok()) return days.status();
    period.from_days = *days;
  }
  return CheckPeriod(period, field_prefix);
}

absl::StatusOr<ReportPeriod> CheckPeriod(ReportPeriod period, std::string_view field_prefix) {
  if (period.from_days > period.to_days) {
    return absl::InvalidArgumentError(absl::StrCat(
        std::string(field_prefix), "from: the period ", counts::FormatSurveyDate(period.from_days),
        " to ", counts::FormatSurveyDate(period.to_days), " is empty (from is after to)"));
  }
  return period;
}

}  // namespace wetlink::reports
