#include "fuzz/bundled_catalog.h"

#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "fuzz/fuzz_support.h"

namespace wetlink::fuzz {
namespace {

std::string ReadDataFile(const std::string& name) {
  const std::string path = absl::StrCat(WETLINK_SOURCE_DIR, "/data/catalog/", name);
  std::ifstream in(path, std::ios::binary);
  Check(in.is_open(), absl::StrCat("cannot read ", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

const catalog::CatalogFiles& BundledCatalogFiles() {
  static const catalog::CatalogFiles* const files = new catalog::CatalogFiles{
      .sites_json = ReadDataFile("sites.json"),
      .complexes_json = ReadDataFile("complexes.json"),
      .species_json = ReadDataFile("species.json"),
      .sources_json = ReadDataFile("sources.json"),
  };
  return *files;
}

const catalog::Catalog& BundledCatalog() {
  static const catalog::Catalog* const catalog = [] {
    absl::StatusOr<catalog::CatalogData> data = catalog::ParseCatalog(BundledCatalogFiles());
    Check(data.ok(), absl::StrCat("the bundled catalog does not parse: ", data.status().ToString()));
    return new catalog::Catalog(std::move(data->sites), std::move(data->complexes),
                                std::move(data->species));
  }();
  return *catalog;
}

}  // namespace wetlink::fuzz
