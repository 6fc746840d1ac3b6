#ifndef WETLINK_REPORTS_RENDER_JSON_H_
#define WETLINK_REPORTS_RENDER_JSON_H_

// Internal to the report renderers: JSON and GeoJSON.
//
// JSON mirrors the structs field for field in snake_case (site_report.h,
// species_list.h); survey dates are "yyyy-MM-dd", timestamps ISO 8601 UTC
// ("2024-05-01T06:30:00.000Z"), count seasons as their labels ("2022/23",
// the same as in the CSV; a season peak also gives "season_start_year":
// 2022). It adds "language" and
// "labels": the names of the site, complex, species, linked and nearby
// sites and countries in the language, each as {"text", "fallback",
// "unverified"}.
//
// GeoJSON (RFC 7946): a FeatureCollection of the site's boundary
// (MultiPolygon; properties id, name, country, criteria and a sentence
// summing them up), one Point per linked or nearby site, and one
// LineString per link, drawn along the geodesic (properties direction,
// individuals, transitions, cross_border...). Coordinates to 6 decimals.

#include <string>

#include "reports/labels.h"
#include "reports/site_report.h"
#include "reports/species_list.h"

namespace wetlink::reports::internal {

std::string SiteReportJson(const SiteReport& report, const Labels& labels);
std::string SiteReportGeoJson(const SiteReport& report, const Labels& labels);
std::string SpeciesListJson(const SpeciesList& list, const Labels& labels);

}  // namespace wetlink::reports::internal

#endif  // WETLINK_REPORTS_RENDER_JSON_H_
