#ifndef WETLINK_CATALOG_SITE_EXPORT_H_
#define WETLINK_CATALOG_SITE_EXPORT_H_

// The attribute table of exported sites. Field names match the import
// defaults (id, name_en, country, complex, area_ha), so an exported file
// imports back unchanged.

#include <vector>

#include "catalog/site.h"
#include "geo/gdal_io.h"

namespace wetlink::catalog {

const std::vector<geo::FieldDef>& SiteExportFields();

// One feature per site, values in SiteExportFields() order.
std::vector<geo::WriteFeature> SitesToFeatures(const std::vector<const Site*>& sites);

}  // namespace wetlink::catalog

#endif  // WETLINK_CATALOG_SITE_EXPORT_H_
