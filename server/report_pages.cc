#include "server/report_pages.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace wetlink::server {
namespace {

int HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

http::HttpResponse ErrorResponse(const absl::Status& status) {
  const int code = HttpStatusOf(status.code());
  if (code == 500) {
    // The detail (a storage error) is for the operator's log, not the page.
    spdlog::error("report page failed: {}", status.ToString());
    return http::HttpResponse::Text(500, "the report could not be made; see the server log");
  }
  return http::HttpResponse::Text(code, std::string(status.message()));
}

// 400 naming the first query parameter the page does not take.
std::optional<http::HttpResponse> RefuseUnknownParameters(const http::HttpRequest& request,
                                                          const std::set<std::string>& known) {
  for (const auto& [key, value] : request.query) {
    if (known.count(key) == 0) {
      return http::HttpResponse::Text(
          400, absl::StrCat("'", key, "' is not a parameter of this page (it takes ",
                            absl::StrJoin(known, ", "), ")"));
    }
  }
  return std::nullopt;
}

http::HttpResponse DocumentResponse(reports::RenderedDocument document) {
  http::HttpResponse response;
  response.status = 200;
  response.content_type = std::move(document.content_type);
  response.body = std::move(document.body);
  response.headers.emplace_back("Content-Disposition",
                                absl::StrCat("inline; filename=\"", document.file_name, "\""));
  return response;
}

http::HttpResponse SiteReportPage(const reports::ReportDesk& desk, const http::HttpRequest& request,
                                  const http::RouteParams& params) {
  if (auto refused =
          RefuseUnknownParameters(request, {"lang", "format", "from", "to", "nearby_km"})) {
    return *refused;
  }
  reports::SiteReportQuery query;
  query.site_id = params.at("id");
  query.from = request.QueryValue("from").value_or("");
  query.to = request.QueryValue("to").value_or("");
  if (std::optional<std::string> km = request.QueryValue("nearby_km")) {
    double value = 0;
    const auto [end, error] = std::from_chars(km->data(), km->data() + km->size(), value);
    if (error != std::errc() || end != km->data() + km->size()) {
      return http::HttpResponse::Text(400, absl::StrCat("nearby_km: '", *km, "' is not a number"));
    }
    query.nearby_radius_km = value;
  }
  auto document = desk.RenderSiteReport(query, request.QueryValue("lang").value_or(""),
                                        request.QueryValue("format").value_or(""), "");
  if (!document.ok()) return ErrorResponse(document.status());
  return DocumentResponse(*std::move(document));
}

http::HttpResponse SpeciesListPage(const reports::ReportDesk& desk,
                                   const http::HttpRequest& request) {
  if (auto refused =
          RefuseUnknownParameters(request, {"complex", "sites", "lang", "format", "from", "to"})) {
    return *refused;
  }
  reports::SpeciesListQuery query;
  query.complex_id = request.QueryValue("complex").value_or("");
  if (std::optional<std::string> sites = request.QueryValue("sites")) {
    query.site_ids = absl::StrSplit(*sites, ',', absl::SkipEmpty());
  }
  query.from = request.QueryValue("from").value_or("");
  query.to = request.QueryValue("to").value_or("");
  auto document = desk.RenderSpeciesList(query, request.QueryValue("lang").value_or(""),
                                         request.QueryValue("format").value_or(""), "");
  if (!document.ok()) return ErrorResponse(document.status());
  return DocumentResponse(*std::move(document));
}

}  // namespace

std::vector<ReportPage> ReportPages(const reports::ReportDesk& desk) {
  return {
      {"/reports/sites/{id}",
       "a site's report (?lang=en|zh|ru|ko&format=html|csv|json|geojson&from=&to=&nearby_km=)",
       [&desk](const http::HttpRequest& request, const http::RouteParams& params) {
         return SiteReportPage(desk, request, params);
       }},
      {"/reports/species-list",
       "the joint species list (?complex= or ?sites=a,b&lang=&format=html|csv|json&from=&to=)",
       [&desk](const http::HttpRequest& request, const http::RouteParams&) {
         return SpeciesListPage(desk, request);
       }},
  };
}

}  // namespace wetlink::server
