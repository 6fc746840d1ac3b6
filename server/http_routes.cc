#include "server/http_routes.h"

#include "server/report_pages.h"

#include <string>
#include <string_view>
#include <vector>

namespace wetlink::server {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using http::RouteParams;

struct Page {
  std::string_view pattern;      // http::Router pattern
  std::string_view description;  // one line on the index page
  http::RouteHandler handler;
};

HttpResponse Healthz(const HttpRequest&, const RouteParams&) {
  // HTTP is shut down before gRPC, so while it answers wetlinkd serves.
  return HttpResponse::Text(200, "SERVING");
}

std::string IndexHtml(const std::vector<Page>& pages) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
      "<title>wetlinkd</title></head>\n<body>\n<h1>wetlinkd</h1>\n"
      "<p>Read-only pages of this Wetlink server:</p>\n<ul>\n";
  for (const Page& page : pages) {
    const std::string pattern = http::HtmlEscape(page.pattern);
    html += "<li>";
    if (page.pattern.find('{') == std::string_view::npos) {
      // Relative, so the links also work behind a proxy that adds a prefix.
      html += "<a href=\"." + pattern + "\"><code>" + pattern + "</code></a>";
    } else {
      html += "<code>" + pattern + "</code>";
    }
    html += " &mdash; " + http::HtmlEscape(page.description) + "</li>\n";
  }
  html += "</ul>\n</body>\n</html>\n";
  return html;
}

}  // namespace

http::Router MakeHttpRoutes(const reports::ReportDesk& reports, const HttpAdmit& admit) {
  // Every page but the index.
  std::vector<Page> pages = {
      {"/healthz", "health check: SERVING while wetlinkd runs (no token needed)", Healthz},
  };
  for (ReportPage& page : ReportPages(reports)) {
    pages.push_back({page.pattern, page.description,
                     RequireAccess(admit, access::Action::kReadReports,
                                   "GET " + std::string(page.pattern), std::move(page.handler))});
  }

  http::Router router;
  for (const Page& page : pages) router.Get(page.pattern, page.handler);
  router.Get("/", RequireAccess(admit, access::Action::kReadCatalog, "GET /",
                                [index = IndexHtml(pages)](const HttpRequest&, const RouteParams&) {
                                  return HttpResponse::Html(200, index);
                                }));
  return router;
}

}  // namespace wetlink::server
