#include "data/bundled_catalog.h"

#include <string>
#include <string_view>

namespace wetlink::data {

// Defined in the generated bundled_catalog_text.cc.
std::string_view Bundled_sites_json();
std::string_view Bundled_complexes_json();
std::string_view Bundled_species_json();
std::string_view Bundled_sources_json();
std::string_view Bundled_seasons_json();

catalog::CatalogFiles BundledCatalogFiles() {
  return {
      .sites_json = std::string(Bundled_sites_json()),
      .complexes_json = std::string(Bundled_complexes_json()),
      .species_json = std::string(Bundled_species_json()),
      .sources_json = std::string(Bundled_sources_json()),
  };
}

std::string_view BundledSeasonsJson() { return Bundled_seasons_json(); }

}  // namespace wetlink::data
