#ifndef WETLINK_SERVER_HTTP_ROUTES_H_
#define WETLINK_SERVER_HTTP_ROUTES_H_

// wetlinkd's read-only HTTP pages: what http::HttpServer serves beside gRPC.
// Add a page to the table in http_routes.cc (pattern, index line, handler);
// the index at "/" lists every page.

#include "http/router.h"
#include "server/http_access.h"
#include "reports/report_desk.h"

namespace wetlink::server {

// GET /healthz: 200 "SERVING" (text) while wetlinkd runs; needs no token.
// GET /reports/sites/{id}, GET /reports/species-list: site reports and the
//   joint species list (server/report_pages.h), from `reports`, which must
//   outlive the router; for tokens that may read reports.
// GET /: an HTML index of the pages, for any valid token.
http::Router MakeHttpRoutes(const reports::ReportDesk& reports, const HttpAdmit& admit);

}  // namespace wetlink::server

#endif  // WETLINK_SERVER_HTTP_ROUTES_H_
