#ifndef WETLINK_DATA_BUNDLED_CATALOG_H_
#define WETLINK_DATA_BUNDLED_CATALOG_H_

// The catalog shipped with Wetlink (data/catalog/*.json), built into the
// binary. See data/catalog/README.md for how it was compiled from sources.

#include <string_view>

#include "catalog/catalog_json.h"

namespace wetlink::data {

// The texts of data/catalog/{sites,complexes,species,sources}.json.
catalog::CatalogFiles BundledCatalogFiles();

// The text of data/flyway/seasons.json: named seasons per species as month
// ranges (graph::SeasonTable::FromJson parses it).
std::string_view BundledSeasonsJson();

}  // namespace wetlink::data

#endif  // WETLINK_DATA_BUNDLED_CATALOG_H_
