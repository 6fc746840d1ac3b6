#ifndef WETLINK_CATALOG_CATALOG_JSON_H_
#define WETLINK_CATALOG_CATALOG_JSON_H_

// Parses the catalog data files (data/catalog/*.json, schema described in
// data/catalog/README.md) into sites, complexes and species. Sites without a
// surveyed boundary get a geodesic disc of their stated area (or nominal
// radius) around their stated centre, flagged as approximated.

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/site.h"
#include "catalog/species.h"

namespace wetlink::catalog {

// The contents (not paths) of the four catalog files.
struct CatalogFiles {
  std::string sites_json;
  std::string complexes_json;
  std::string species_json;
  std::string sources_json;
};

struct CatalogData {
  std::vector<Site> sites;
  std::vector<Complex> complexes;
  std::vector<Species> species;
  std::map<std::string, std::string> sources;  // code -> citation
};

// InvalidArgument naming the file, record id and field on any schema error,
// dangling reference (complex, source code, species) or duplicate id.
// Site and species `sources` come out as "S1: <citation>".
absl::StatusOr<CatalogData> ParseCatalog(const CatalogFiles& files);

}  // namespace wetlink::catalog

#endif  // WETLINK_CATALOG_CATALOG_JSON_H_
