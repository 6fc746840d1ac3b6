#include "graph/seasons.h"

#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/str_cat.h"
#include "telemetry/timestamp.h"

namespace wetlink::graph {

YearMonth UtcYearMonth(telemetry::TimestampMs t) {
  const telemetry::CivilDate date = telemetry::CivilFromDays(telemetry::DayIndex(t));
  return {static_cast<int>(date.year), static_cast<int>(date.month)};
}

TimeWindow SeasonInterval(MonthRange range, int season_year) {
  const int last_year = range.first > range.last ? season_year + 1 : season_year;
  const auto after_month = static_cast<unsigned>(range.last % 12 + 1);
  const int after_year = range.last == 12 ? last_year + 1 : last_year;
  return {telemetry::TimestampFromCivil(season_year, static_cast<unsigned>(range.first), 1),
          telemetry::TimestampFromCivil(after_year, after_month, 1)};
}

absl::StatusOr<SeasonTable> SeasonTable::FromJson(std::string_view text) {
  // nlohmann::json throws; nothing it throws leaves this function.
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("species") ||
      !doc["species"].is_object()) {
    return absl::InvalidArgumentError("seasons: expected an object with a 'species' object");
  }
  SeasonTable table;
  for (const auto& [species, seasons] : doc["species"].items()) {
    if (!seasons.is_object()) {
      return absl::InvalidArgumentError(
          absl::StrCat("seasons: species '", species, "': expected an object of seasons"));
    }
    for (const auto& [season, range] : seasons.items()) {
      if (!range.is_array() || range.size() != 2 || !range[0].is_number_integer() ||
          !range[1].is_number_integer()) {
        return absl::InvalidArgumentError(absl::StrCat("seasons: ", species, ".", season,
                                                       ": expected [first month, last month]"));
      }
      const int first = range[0].get<int>();
      const int last = range[1].get<int>();
      if (first < 1 || first > 12 || last < 1 || last > 12) {
        return absl::InvalidArgumentError(
            absl::StrCat("seasons: ", species, ".", season, ": months must be 1 to 12"));
      }
      table.Set(species, season, {first, last});
    }
  }
  return table;
}

void SeasonTable::Set(const std::string& species_id, const std::string& season, MonthRange months) {
  seasons_[species_id][season] = months;
}

const MonthRange* SeasonTable::Find(std::string_view species_id, std::string_view season) const {
  auto s = seasons_.find(species_id);
  if (s == seasons_.end()) return nullptr;
  auto r = s->second.find(season);
  return r == s->second.end() ? nullptr : &r->second;
}

std::vector<std::string> SeasonTable::SeasonNames() const {
  std::set<std::string> names;
  for (const auto& [species, seasons] : seasons_) {
    for (const auto& [name, range] : seasons) names.insert(name);
  }
  return {names.begin(), names.end()};
}

std::optional<int> SeasonTable::SeasonYear(std::string_view species_id, std::string_view season,
                                           telemetry::TimestampMs t) const {
  const MonthRange* range = Find(species_id, season);
  if (range == nullptr) return std::nullopt;
  const YearMonth ym = UtcYearMonth(t);
  if (!range->Contains(ym.month)) return std::nullopt;
  // In a wrapping range, the months after the year end belong to the
  // season that began the year before.
  if (range->first > range->last && ym.month <= range->last) return ym.year - 1;
  return ym.year;
}

}  // namespace wetlink::graph
