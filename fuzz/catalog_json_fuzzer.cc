// libFuzzer target: the catalog data files (data/catalog/*.json), parsed as
// wetlinkd parses its bundled catalog at start (catalog::ParseCatalog, then
// a catalog::Catalog snapshot, as store::CatalogStore builds it).
//
// The input is one JSON document. It takes the place of the bundled file
// whose schema it names ("wetlink.catalog.sites/1", ".complexes/1",
// ".species/1", ".sources/1"; sites.json when it names none), and the other
// three stay the bundled ones, so a mutated sites.json is checked against
// the real complexes, species and sources. The bundled files themselves are
// the seeds.
//
// Checks:
//  - no exception escapes (nlohmann::json throws; ParseCatalog must not);
//  - the result is OK or InvalidArgument, whose message starts
//    "catalog data: " and names the file;
//  - an accepted catalog keeps the schema rules: valid unique ids, ISO
//    country codes, complexes that exist, centres within lon/lat range, a
//    non-empty geometry of finite coordinates, positive stated areas and
//    population estimates, citations "CODE: text"; and it builds a Catalog
//    whose lookups find every site, complex and species.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>
#include <set>
#include <string>
#include <string_view>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "catalog/catalog.h"
#include "catalog/catalog_json.h"
#include "catalog/site.h"
#include "fuzz/bundled_catalog.h"
#include "fuzz/fuzz_support.h"

namespace {

using wetlink::fuzz::Check;

void CheckCitations(const std::vector<std::string>& citations, std::string_view where) {
  for (const std::string& citation : citations) {
    Check(citation.find(": ") != std::string::npos,
          absl::StrCat(std::string(where), ": citation '", citation, "' is not 'CODE: text'"));
  }
}

void CheckAccepted(wetlink::catalog::CatalogData data) {
  std::set<std::string> complex_ids;
  for (const wetlink::catalog::Complex& complex : data.complexes) {
    Check(wetlink::catalog::IsValidSiteId(complex.id), "invalid complex id accepted");
    Check(complex_ids.insert(complex.id).second, "duplicate complex id accepted");
    Check(complex.names.contains("en"), "complex without an English name");
    CheckCitations(complex.sources, complex.id);
  }
  std::set<std::string> species_ids;
  for (const wetlink::catalog::Species& species : data.species) {
    Check(wetlink::catalog::IsValidSiteId(species.id), "invalid species id accepted");
    Check(species_ids.insert(species.id).second, "duplicate species id accepted");
    Check(std::isfinite(species.population.estimate) && species.population.estimate > 0,
          "a population estimate that is not positive");
    CheckCitations(species.sources, species.id);
  }
  std::set<std::string> site_ids;
  for (const wetlink::catalog::Site& site : data.sites) {
    Check(wetlink::catalog::IsValidSiteId(site.id), "invalid site id accepted");
    Check(site_ids.insert(site.id).second, "duplicate site id accepted");
    Check(site.names.contains("en"), "site without an English name");
    Check(wetlink::catalog::IsCountryCode(site.country), "site country is not ISO 3166-1");
    Check(site.complex_id.empty() || complex_ids.contains(site.complex_id),
          "site in a complex that does not exist");
    Check(site.centre.lat >= -90 && site.centre.lat <= 90 && site.centre.lon >= -180 &&
              site.centre.lon <= 180,
          "site centre outside lon/lat range");
    Check(!site.stated_area_ha || *site.stated_area_ha > 0, "a stated area that is not positive");
    Check(!site.geometry.empty(), absl::StrCat("site '", site.id, "' without geometry"));
    for (const wetlink::geo::Polygon& polygon : site.geometry) {
      Check(polygon.outer().size() >= 4, "a site boundary of fewer than 4 points");
      for (const wetlink::geo::Point& p : polygon.outer()) {
        Check(std::isfinite(p.x()) && std::isfinite(p.y()),
              absl::StrCat("site '", site.id, "' has a boundary point that is not finite"));
      }
    }
    CheckCitations(site.sources, site.id);
  }
  const wetlink::catalog::Catalog catalog(std::move(data.sites), std::move(data.complexes),
                                          std::move(data.species));
  for (const std::string& id : site_ids) {
    Check(catalog.FindSite(id) != nullptr, "the catalog does not find a site it holds");
  }
  for (const std::string& id : complex_ids) {
    Check(catalog.FindComplex(id) != nullptr, "the catalog does not find a complex it holds");
  }
  for (const std::string& id : species_ids) {
    Check(catalog.FindSpecies(id) != nullptr, "the catalog does not find a species it holds");
  }
}

void Run(std::string_view data) {
  wetlink::catalog::CatalogFiles files = wetlink::fuzz::BundledCatalogFiles();
  std::string* slot = &files.sites_json;
  std::size_t first = std::string_view::npos;
  const std::pair<std::string_view, std::string*> schemas[] = {
      {"wetlink.catalog.sites/1", &files.sites_json},
      {"wetlink.catalog.complexes/1", &files.complexes_json},
      {"wetlink.catalog.species/1", &files.species_json},
      {"wetlink.catalog.sources/1", &files.sources_json},
  };
  for (std::size_t i = 0; i < 4; ++i) {
    const std::size_t at = data.find(schemas[i].first);
    if (at < first) {
      first = at;
      slot = schemas[i].second;
    }
  }
  *slot = std::string(data);

  auto parsed = wetlink::catalog::ParseCatalog(files);
  wetlink::fuzz::CheckStatusCode(parsed.status(),
                                 {absl::StatusCode::kOk, absl::StatusCode::kInvalidArgument},
                                 "ParseCatalog");
  if (!parsed.ok()) {
    Check(absl::StartsWith(parsed.status().message(), "catalog data: "),
          "the error does not start 'catalog data: '");
    Check(absl::StrContains(parsed.status().message(), ".json"),
          absl::StrCat("the error names no file: ", parsed.status().message()));
    return;
  }
  CheckAccepted(std::move(*parsed));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  wetlink::fuzz::BundledCatalogFiles();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return wetlink::fuzz::Guard(
      [&] { Run(std::string_view(reinterpret_cast<const char*>(data), size)); });
}
