#ifndef WETLINK_REPORTS_HTML_REPORT_H_
#define WETLINK_REPORTS_HTML_REPORT_H_

// Internal to the report renderers: the HTML documents (render.h states
// what they hold).
//
// The site report's sections have stable ids: facts, site-map, species,
// criteria, chart-peaks, tagged, chart-presence, links, nearby, coverage,
// then footnotes (only when a mark is used) and the footer. Every figure
// that the CSV holds is printed in an element carrying
// data-key="section|item|season|measure" (render_rows.h) whose whole text
// is the CSV value.

#include <string>

#include "reports/labels.h"
#include "reports/render.h"
#include "reports/site_report.h"
#include "reports/species_list.h"

namespace wetlink::reports::internal {

std::string SiteReportHtml(const SiteReport& report, const Labels& labels,
                           const MapBackground& background);

// The table has id "species-list"; a count cell carries
// data-key="<species id>|<site id>|<season label>".
std::string SpeciesListHtml(const SpeciesList& list, const Labels& labels);

}  // namespace wetlink::reports::internal

#endif  // WETLINK_REPORTS_HTML_REPORT_H_
