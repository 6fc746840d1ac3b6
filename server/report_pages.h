#ifndef WETLINK_SERVER_REPORT_PAGES_H_
#define WETLINK_SERVER_REPORT_PAGES_H_

// The report pages of wetlinkd's read-only HTTP, for focal points who open
// a report in a browser (docs/REPORTS.md):
//   GET /reports/sites/{id}?lang=&format=&from=&to=&nearby_km=
//   GET /reports/species-list?complex=&sites=&lang=&format=&from=&to=
// Errors are text/plain sentences naming the value: 404 for an unknown site
// or complex, 400 for a bad parameter (and for one the page does not know).

#include <string_view>
#include <vector>

#include "http/router.h"
#include "reports/report_desk.h"

namespace wetlink::server {

struct ReportPage {
  std::string_view pattern;      // http::Router pattern
  std::string_view description;  // one line for the index page
  http::RouteHandler handler;
};

// `desk` must outlive the handlers.
std::vector<ReportPage> ReportPages(const reports::ReportDesk& desk);

}  // namespace wetlink::server

#endif  // WETLINK_SERVER_REPORT_PAGES_H_
