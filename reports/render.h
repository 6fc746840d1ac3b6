#ifndef WETLINK_REPORTS_RENDER_H_
#define WETLINK_REPORTS_RENDER_H_

// Reports as documents: printable self-contained HTML (inline CSS, inline
// SVG map and charts, no script, no external resource), CSV, JSON and
// GeoJSON, in one of the report languages.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "geo/geometry.h"
#include "reports/labels.h"
#include "reports/site_report.h"
#include "reports/species_list.h"

namespace wetlink::reports {

enum class ReportFormat { kHtml, kCsv, kJson, kGeoJson };

// "html", "csv", "json", "geojson" (ASCII case ignored). InvalidArgument
// naming `field` and the value otherwise.
absl::StatusOr<ReportFormat> ParseReportFormat(std::string_view name, std::string_view field);
std::string_view ReportFormatName(ReportFormat format);

struct RenderedDocument {
  std::string content_type;  // e.g. "text/html; charset=utf-8"
  std::string file_name;     // suggested, e.g. "rason-2019-2024-ru.html"
  std::string body;
};

// Country outlines drawn behind the site map (WGS84 lon/lat).
struct MapBackground {
  std::vector<std::pair<std::string, geo::MultiPolygon>> countries;  // ISO alpha-2, outline
};

RenderedDocument RenderSiteReport(const SiteReport& report, const Labels& labels,
                                  ReportFormat format, const MapBackground& background);

// HTML, CSV or JSON; InvalidArgument naming `field` for GeoJSON (a species
// list has no geometry).
absl::StatusOr<RenderedDocument> RenderSpeciesList(const SpeciesList& list, const Labels& labels,
                                                   ReportFormat format, std::string_view field);

}  // namespace wetlink::reports

#endif  // WETLINK_REPORTS_RENDER_H_
