#include "reports/species_list.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"

namespace wetlink::reports {

absl::StatusOr<std::vector<const catalog::Site*>> ResolveScope(const catalog::Catalog& catalog,
                                                               const SpeciesListScope& scope) {
  std::vector<const catalog::Site*> sites;
  if (!scope.site_ids.empty()) {
    if (!scope.complex_id.empty()) {
      return absl::InvalidArgumentError(
          "complex: give either a complex or a list of sites, not both");
    }
    std::set<std::string> seen;
    for (const std::string& id : scope.site_ids) {
      const catalog::Site* site = catalog.FindSite(id);
      if (site == nullptr) {
        return absl::NotFoundError(absl::StrCat("sites: no catalogued site has the id '", id, "'"));
      }
      if (!seen.insert(id).second) {
        return absl::InvalidArgumentError(absl::StrCat("sites: '", id, "' is listed twice"));
      }
      sites.push_back(site);
    }
    return sites;
  }
  const std::string complex_id =
      scope.complex_id.empty() ? std::string(kDefaultSpeciesListComplex) : scope.complex_id;
  if (catalog.FindComplex(complex_id) == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("complex: no site complex has the id '", complex_id, "'"));
  }
  for (const std::string& id : catalog.ComplexMembers(complex_id)) {
    if (const catalog::Site* site = catalog.FindSite(id)) sites.push_back(site);
  }
  if (sites.empty()) {
    return absl::NotFoundError(
        absl::StrCat("complex: the complex '", complex_id, "' has no catalogued sites"));
  }
  return sites;
}

SpeciesList BuildSpeciesList(const catalog::Catalog& catalog,
                             const std::vector<const catalog::Site*>& sites,
                             const SpeciesListScope& scope,
                             const std::vector<counts::Count>& counts, const ReportPeriod& period) {
  SpeciesList list;
  list.period = period;
  if (scope.site_ids.empty()) {
    const std::string complex_id =
        scope.complex_id.empty() ? std::string(kDefaultSpeciesListComplex) : scope.complex_id;
    if (const catalog::Complex* complex = catalog.FindComplex(complex_id)) list.complex = *complex;
  }
  std::map<std::string, std::size_t> site_column;
  for (const catalog::Site* site : sites) {
    site_column.emplace(site->id, list.sites.size());
    list.sites.push_back({site->id, site->names, site->names_unverified, site->country});
  }
  // species -> (site column, season) -> highest count.
  std::map<std::string, std::map<std::pair<std::size_t, int>, std::int64_t>> maxima;
  std::set<int> seasons;
  for (const counts::Count& c : counts) {
    auto column = site_column.find(c.site_id);
    if (column == site_column.end() || !period.Contains(c.date_days)) continue;
    if (catalog.FindSpecies(c.species_id) == nullptr) continue;
    ++list.counts;
    const int season = CountSeasonOf(c.date_days);
    seasons.insert(season);
    auto [it, inserted] = maxima[c.species_id].try_emplace({column->second, season}, c.count);
    if (!inserted) it->second = std::max(it->second, c.count);
  }
  list.seasons.assign(seasons.begin(), seasons.end());
  for (const auto& [species_id, cells] : maxima) {
    list.species.push_back(*catalog.FindSpecies(species_id));
    SpeciesListEntry entry;
    entry.species_id = species_id;
    entry.max_by_site_season.assign(list.sites.size(),
                                    std::vector<std::optional<std::int64_t>>(list.seasons.size()));
    for (const auto& [cell, value] : cells) {
      const auto season_column = static_cast<std::size_t>(
          std::lower_bound(list.seasons.begin(), list.seasons.end(), cell.second) -
          list.seasons.begin());
      entry.max_by_site_season[cell.first][season_column] = value;
      entry.overall_max = std::max(entry.overall_max, value);
    }
    list.entries.push_back(std::move(entry));
  }
  return list;
}

}  // namespace wetlink::reports
