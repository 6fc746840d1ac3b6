#ifndef WETLINK_GRAPH_SEASONS_H_
#define WETLINK_GRAPH_SEASONS_H_

// Named seasons per species ("spring", "breeding", "autumn", "winter") as
// month ranges, so a researcher can ask for "White-naped cranes, spring
// 2023" rather than spell out dates. The bundled table is
// data/flyway/seasons.json; months are UTC calendar months.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "graph/time_window.h"
#include "telemetry/fix.h"

namespace wetlink::graph {

inline constexpr std::string_view kBreedingSeason = "breeding";
inline constexpr std::string_view kNonBreedingSeason = "winter";

// Inclusive months 1..12; first > last wraps the year end (Dec..Feb).
struct MonthRange {
  int first = 1;
  int last = 12;

  bool Contains(int month) const {
    return first <= last ? month >= first && month <= last : month >= first || month <= last;
  }
  bool operator==(const MonthRange&) const = default;
};

class SeasonTable {
 public:
  SeasonTable() = default;

  // Parses {"species": {"<species id>": {"<season>": [first, last], ...}}}.
  // InvalidArgument naming the species and season for a bad range.
  static absl::StatusOr<SeasonTable> FromJson(std::string_view text);

  // Adds or replaces a season of a species.
  void Set(const std::string& species_id, const std::string& season, MonthRange months);

  const MonthRange* Find(std::string_view species_id, std::string_view season) const;
  // Every season name some species defines, sorted.
  std::vector<std::string> SeasonNames() const;

  // The season year of `t` in `season` of `species_id` (the calendar year
  // of the season's first month), or nullopt when `t` is outside it or the
  // species has no such season.
  std::optional<int> SeasonYear(std::string_view species_id, std::string_view season,
                                telemetry::TimestampMs t) const;

 private:
  std::map<std::string, std::map<std::string, MonthRange, std::less<>>, std::less<>> seasons_;
};

// The span of `range` in season year `season_year`: from the first day of
// its first month to the end of its last month (in the next year when the
// range wraps).
TimeWindow SeasonInterval(MonthRange range, int season_year);

// (UTC year, month 1..12) of a timestamp.
struct YearMonth {
  int year = 0;
  int month = 0;
};
YearMonth UtcYearMonth(telemetry::TimestampMs t);

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_SEASONS_H_
