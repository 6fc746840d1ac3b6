#ifndef WETLINK_CATALOG_SITE_IMPORT_H_
#define WETLINK_CATALOG_SITE_IMPORT_H_

// Turns polygon features read from a user's file into catalog sites: maps
// attributes onto site fields, checks ids, countries and complexes against
// the current catalog, and decides per feature whether it is created,
// replaces an existing site, or is refused (with a reason naming it).
// Pure: reads nothing and writes nothing.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/catalog.h"
#include "catalog/site.h"
#include "geo/gdal_io.h"

namespace wetlink::catalog {

// Attribute names to read each field from. An empty name means "try the
// defaults" (in brackets); the first attribute present wins.
struct ImportMapping {
  std::string id_field;           // [id, site_id]; else a slug of the name
  std::string name_field;         // [name_en, name, Name, NAME]
  std::string country_field;      // [country, iso2, ISO2, iso_a2, ISO_A2]
  std::string complex_field;      // [complex, complex_id]
  std::string designation_field;  // [designation]: a DesignationKind name
  std::string area_field;         // [area_ha, stated_area_ha]: hectares
  std::string default_country;    // for features without a country
};

struct ImportOptions {
  bool skip_invalid = false;      // store the valid features, report the rest
  // Replace sites whose id already exists: the boundary, and the attributes
  // the file provides; everything else (names in other languages,
  // designations, sources) is kept.
  bool replace_existing = false;
};

enum class ImportOutcome { kCreated, kReplaced, kRefused };

struct FeatureReport {
  std::string feature;  // geo::FeatureRef::Describe()
  std::string site_id;  // "" when no id could be made
  ImportOutcome outcome = ImportOutcome::kRefused;
  double geometry_area_ha = 0;
  std::vector<std::string> repairs;
  std::string reason;  // for refused features
};

struct ImportPlan {
  std::vector<Site> sites;             // to write, in feature order
  std::vector<FeatureReport> reports;  // one per feature read or refused
  int created = 0;
  int replaced = 0;
  int refused = 0;
};

// Plans the import of `read` into `current`. `file_name` becomes the
// sites' origin ("import:<file_name>").
// InvalidArgument (naming the file and every refused feature) when the file
// holds no polygon feature, or when any feature is refused and
// options.skip_invalid is false.
absl::StatusOr<ImportPlan> PlanSiteImport(const geo::ReadResult& read,
                                          const ImportMapping& mapping,
                                          const ImportOptions& options, const Catalog& current,
                                          const std::string& file_name);

// "Mai Po Marshes & Inner Deep Bay" -> "mai_po_marshes_inner_deep_bay".
// Non-ASCII letters are dropped; "" if nothing is left.
std::string SlugFromName(const std::string& name);

}  // namespace wetlink::catalog

#endif  // WETLINK_CATALOG_SITE_IMPORT_H_
