#ifndef WETLINK_SERVER_HTTP_ROUTES_H_
#define WETLINK_SERVER_HTTP_ROUTES_H_

// wetlinkd's read-only HTTP pages: what http::HttpServer serves beside gRPC.
// Add a page to the table in http_routes.cc (pattern, index line, handler);
// the index at "/" lists every page.

#include "http/router.h"

namespace wetlink::server {

// GET /healthz: 200 "SERVING" (text) while wetlinkd runs.
// GET /: an HTML index of the pages.
// Report pages will take what they read (the stores, ...) as parameters.
http::Router MakeHttpRoutes();

}  // namespace wetlink::server

#endif  // WETLINK_SERVER_HTTP_ROUTES_H_
