#ifndef WETLINK_REPORTS_REPORT_PERIOD_H_
#define WETLINK_REPORTS_REPORT_PERIOD_H_

// The period a report covers, and the count seasons it is cut into.
//
// A count season runs from 1 July to 30 June and is named by the year it
// starts in ("2022/23" is season 2022): the convention of waterbird
// censuses, so that a winter, the season most waterbird thresholds are
// assessed in, is one season and not two halves of two calendar years.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "telemetry/fix.h"

namespace wetlink::reports {

inline constexpr int kCountSeasonFirstMonth = 7;

// Whole days since 1970-01-01, both ends included (survey dates are days;
// counts/count.h).
struct ReportPeriod {
  std::int32_t from_days = 0;
  std::int32_t to_days = 0;

  // [first ms of from_days, first ms after to_days).
  telemetry::TimestampMs from_ms() const;
  telemetry::TimestampMs end_ms() const;
  bool Contains(std::int32_t days) const { return days >= from_days && days <= to_days; }
  bool operator==(const ReportPeriod&) const = default;
};

// The count season of a survey date.
int CountSeasonOf(std::int32_t days);
// "2022/23".
std::string CountSeasonLabel(int season);
// Every count season the period touches, in order.
std::vector<int> CountSeasonsOf(const ReportPeriod& period);

// The days of "yyyy-MM-dd"; InvalidArgument naming `field` and the text.
absl::StatusOr<std::int32_t> ParseReportDate(std::string_view text, std::string_view field);

// The period a request names: `from` and `to` as "yyyy-MM-dd" (both ends
// included), either may be empty. Defaults: `to` today (UTC, from `now_ms`),
// `from` the start of the count season four seasons before `to`'s, so the
// default period is the last five seasons. InvalidArgument naming the field
// (`field_prefix` + "from"/"to") and the value for a malformed date, and for
// an empty period (from after to).
absl::StatusOr<ReportPeriod> ResolvePeriod(std::string_view from, std::string_view to,
                                           telemetry::TimestampMs now_ms,
                                           std::string_view field_prefix);

// `period`, or InvalidArgument naming `field_prefix` + "from" when it is
// empty (from after to).
absl::StatusOr<ReportPeriod> CheckPeriod(ReportPeriod period, std::string_view field_prefix);

}  // namespace wetlink::reports

#endif  // WETLINK_REPORTS_REPORT_PERIOD_H_
