#ifndef WETLINK_REPORTS_SPECIES_LIST_H_
#define WETLINK_REPORTS_SPECIES_LIST_H_

// The joint species list of a set of sites, as the experts of the Tumen
// estuary asked for it to align what their countries record: every species
// counted at any of the sites, its names in the report languages, IUCN
// status and 1 % threshold, and its highest count per site and count season.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/catalog.h"
#include "counts/count.h"
#include "reports/report_period.h"

namespace wetlink::reports {

inline constexpr std::string_view kDefaultSpeciesListComplex = "tumen_estuary";

struct SpeciesListSite {
  std::string id;
  std::map<std::string, std::string> names;
  std::vector<std::string> names_unverified;
  std::string country;
};

struct SpeciesListEntry {
  std::string species_id;
  // [site][season] in the order of SpeciesList::sites and ::seasons: the
  // highest count, or nullopt when the species was not counted there then.
  std::vector<std::vector<std::optional<std::int64_t>>> max_by_site_season;
  std::int64_t overall_max = 0;
};

struct SpeciesList {
  std::optional<catalog::Complex> complex;  // when the sites are a complex
  std::vector<SpeciesListSite> sites;       // in the order asked (a complex: by id)
  ReportPeriod period;
  std::vector<int> seasons;               // count seasons with any count, in order
  std::vector<catalog::Species> species;  // by id
  std::vector<SpeciesListEntry> entries;  // one per species, same order
  std::uint32_t counts = 0;               // count records used
};

struct SpeciesListScope {
  std::string complex_id;             // used when site_ids is empty
  std::vector<std::string> site_ids;  // explicit sites, in this order
};

// The sites of `scope`: the explicit ids (each must be catalogued, no
// repeats), else the complex's members (default: the Tumen estuary).
// NotFound naming the field ("sites" or "complex") and the value for an
// unknown site or complex; InvalidArgument for a repeated site or both set.
absl::StatusOr<std::vector<const catalog::Site*>> ResolveScope(const catalog::Catalog& catalog,
                                                               const SpeciesListScope& scope);

// `counts`: any counts (those of other sites or outside `period` are
// ignored). `sites` from ResolveScope.
SpeciesList BuildSpeciesList(const catalog::Catalog& catalog,
                             const std::vector<const catalog::Site*>& sites,
                             const SpeciesListScope& scope,
                             const std::vector<counts::Count>& counts, const ReportPeriod& period);

}  // namespace wetlink::reports

#endif  // WETLINK_REPORTS_SPECIES_LIST_H_
