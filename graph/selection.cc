#include "graph/selection.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "telemetry/timestamp.h"

namespace wetlink::graph {
namespace {

bool Contains(const std::vector<std::string>& values, const std::string& v) {
  return values.empty() || std::find(values.begin(), values.end(), v) != values.end();
}

bool YearSelected(const std::vector<int>& years, int year) {
  return years.empty() || std::find(years.begin(), years.end(), year) != years.end();
}

class TimeTest {
 public:
  TimeTest(const SeasonTable& seasons, const FlywayFilter& filter)
      : seasons_(seasons), filter_(filter) {}

  bool Instant(const std::string& species, telemetry::TimestampMs t) const {
    if (filter_.window && (t < filter_.window->from_ms || t >= filter_.window->to_ms)) return false;
    if (!filter_.season.empty()) {
      const std::optional<int> year = seasons_.SeasonYear(species, filter_.season, t);
      return year && YearSelected(filter_.years, *year);
    }
    return YearSelected(filter_.years, UtcYearMonth(t).year);
  }

  // [from, to] overlaps the window and the season (in a selected year).
  bool Span(const std::string& species, telemetry::TimestampMs from,
            telemetry::TimestampMs to) const {
    if (filter_.window && (to < filter_.window->from_ms || from >= filter_.window->to_ms)) {
      return false;
    }
    const int first_year = UtcYearMonth(from).year - 1;
    const int last_year = UtcYearMonth(to).year;
    if (filter_.season.empty()) {
      if (filter_.years.empty()) return true;
      for (int y = first_year + 1; y <= last_year; ++y) {
        if (YearSelected(filter_.years, y)) return true;
      }
      return false;
    }
    const MonthRange* range = seasons_.Find(species, filter_.season);
    if (range == nullptr) return false;
    for (int y = first_year; y <= last_year; ++y) {
      if (!YearSelected(filter_.years, y)) continue;
      const TimeWindow season = SeasonInterval(*range, y);
      if (to >= season.from_ms && from < season.to_ms) return true;
    }
    return false;
  }

 private:
  const SeasonTable& seasons_;
  const FlywayFilter& filter_;
};

}  // namespace

absl::Status ValidateFilter(const FlywayFilter& filter, const catalog::Catalog& catalog,
                            const SeasonTable& seasons) {
  for (const std::string& s : filter.species) {
    if (catalog.FindSpecies(s) == nullptr) {
      return absl::NotFoundError(absl::StrCat("species: '", s, "' is not in the catalog"));
    }
  }
  if (filter.window && filter.window->from_ms >= filter.window->to_ms) {
    return absl::InvalidArgumentError(absl::StrCat(
        "window: from ", telemetry::FormatTimestamp(filter.window->from_ms), " is not before to ",
        telemetry::FormatTimestamp(filter.window->to_ms), " (an empty or inverted window)"));
  }
  for (int y : filter.years) {
    if (y < 1990 || y > 9999) {
      return absl::InvalidArgumentError(absl::StrCat("years: ", y, " is outside 1990..9999"));
    }
  }
  if (!filter.season.empty()) {
    const std::vector<std::string> names = seasons.SeasonNames();
    if (std::find(names.begin(), names.end(), filter.season) == names.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "season: '", filter.season, "' is not a season; known: ", absl::StrJoin(names, ", ")));
    }
    for (const std::string& s : filter.species) {
      const std::string& id = catalog.FindSpecies(s)->id;
      if (seasons.Find(id, filter.season) == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("season: species '", s, "' has no season '", filter.season, "'"));
      }
    }
  }
  return absl::OkStatus();
}

Selection Select(const FlywaySnapshot& snapshot, const SeasonTable& seasons,
                 const FlywayFilter& filter) {
  // Species may be given by code; compare catalog ids.
  std::vector<std::string> species_ids;
  for (const std::string& s : filter.species) {
    if (const catalog::Species* sp = snapshot.catalog().FindSpecies(s))
      species_ids.push_back(sp->id);
  }
  const TimeTest time(seasons, filter);
  Selection sel;
  const auto& individuals = snapshot.individuals();
  sel.individuals.resize(individuals.size());
  for (std::size_t i = 0; i < individuals.size(); ++i) {
    const IndividualInfo& info = individuals[i]->info;
    sel.individuals[i] =
        Contains(species_ids, info.species_id) && Contains(filter.studies, info.study_id);
    if (!sel.individuals[i]) continue;
    const std::vector<Stopover>& stops = individuals[i]->segmentation.stopovers;
    for (std::uint32_t k = 0; k < stops.size(); ++k) {
      if (time.Span(info.species_id, stops[k].arrival_ms, stops[k].departure_ms)) {
        sel.stopovers.push_back({static_cast<std::uint32_t>(i), k,
                                 snapshot.StopoverNode(static_cast<std::uint32_t>(i), k)});
      }
    }
  }
  const std::vector<Transition>& transitions = snapshot.transitions();
  for (std::uint32_t t = 0; t < transitions.size(); ++t) {
    const Transition& tr = transitions[t];
    if (!sel.individuals[tr.individual]) continue;
    if (time.Instant(individuals[tr.individual]->info.species_id, tr.departure_ms)) {
      sel.transitions.push_back(t);
    }
  }
  return sel;
}

}  // namespace wetlink::graph
