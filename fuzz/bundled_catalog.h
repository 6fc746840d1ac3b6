#ifndef WETLINK_FUZZ_BUNDLED_CATALOG_H_
#define WETLINK_FUZZ_BUNDLED_CATALOG_H_

// The catalog wetlinkd ships (data/catalog/*.json), for the targets that
// judge input against it. Read from the source tree at start rather than
// through wetlink::data, so the fuzz build compiles no more than the
// parsers; the text is the same that wetlink::data embeds.

#include "catalog/catalog.h"
#include "catalog/catalog_json.h"

namespace wetlink::fuzz {

// The four files' text; aborts if they cannot be read.
const catalog::CatalogFiles& BundledCatalogFiles();

// The parsed catalog, built once; aborts if it does not parse.
const catalog::Catalog& BundledCatalog();

}  // namespace wetlink::fuzz

#endif  // WETLINK_FUZZ_BUNDLED_CATALOG_H_
