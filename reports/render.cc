#include "reports/render.h"

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "reports/csv_report.h"
#include "reports/html_report.h"
#include "reports/render_cat.h"
#include "reports/render_json.h"
#include "reports/render_text.h"

namespace wetlink::reports {

namespace {

// More sites than this are named by the first one and how many follow.
constexpr std::size_t kMaxSitesInFileName = 4;

std::string_view Extension(ReportFormat format) {
  switch (format) {
    case ReportFormat::kHtml:
      return "html";
    case ReportFormat::kCsv:
      return "csv";
    case ReportFormat::kJson:
      return "json";
    case ReportFormat::kGeoJson:
      return "geojson";
  }
  return "txt";
}

std::string_view ContentType(ReportFormat format) {
  switch (format) {
    case ReportFormat::kHtml:
      return "text/html; charset=utf-8";
    case ReportFormat::kCsv:
      return "text/csv; charset=utf-8; header=present";
    case ReportFormat::kJson:
      return "application/json";
    case ReportFormat::kGeoJson:
      return "application/geo+json";
  }
  return "text/plain; charset=utf-8";
}

std::string SpeciesListScopeName(const SpeciesList& list) {
  if (list.complex) return internal::FileNamePart(list.complex->id);
  if (list.sites.empty()) return "none";
  if (list.sites.size() > kMaxSitesInFileName) {
    return internal::Cat(internal::FileNamePart(list.sites.front().id), "-and-",
                         list.sites.size() - 1, "-more");
  }
  std::string name;
  for (const SpeciesListSite& site : list.sites) {
    if (!name.empty()) name += '-';
    name += internal::FileNamePart(site.id);
  }
  return name;
}

}  // namespace

absl::StatusOr<ReportFormat> ParseReportFormat(std::string_view name, std::string_view field) {
  std::string lower(name);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (const ReportFormat format :
       {ReportFormat::kHtml, ReportFormat::kCsv, ReportFormat::kJson, ReportFormat::kGeoJson}) {
    if (lower == ReportFormatName(format)) return format;
  }
  return absl::InvalidArgumentError(
      internal::Cat(field, ": '", internal::SanitizeUtf8(name),
                    "' is not a report format (html, csv, json, geojson)"));
}

std::string_view ReportFormatName(ReportFormat format) { return Extension(format); }

RenderedDocument RenderSiteReport(const SiteReport& report, const Labels& labels,
                                  ReportFormat format, const MapBackground& background) {
  RenderedDocument document;
  document.content_type = std::string(ContentType(format));
  document.file_name = internal::Cat(
      internal::FileNamePart(report.site.id), "-", internal::FormatDate(report.period.from_days),
      "-", internal::FormatDate(report.period.to_days), "-",
      internal::FileNamePart(labels.language()), ".", Extension(format));
  switch (format) {
    case ReportFormat::kHtml:
      document.body = internal::SiteReportHtml(report, labels, background);
      break;
    case ReportFormat::kCsv:
      document.body = internal::SiteReportCsv(report, labels);
      break;
    case ReportFormat::kJson:
      document.body = internal::SiteReportJson(report, labels);
      break;
    case ReportFormat::kGeoJson:
      document.body = internal::SiteReportGeoJson(report, labels);
      break;
  }
  return document;
}

absl::StatusOr<RenderedDocument> RenderSpeciesList(const SpeciesList& list, const Labels& labels,
                                                   ReportFormat format, std::string_view field) {
  if (format == ReportFormat::kGeoJson) {
    return absl::InvalidArgumentError(
        internal::Cat(field, ": '", ReportFormatName(format),
                      "' is not available for a species list, which has no geometry "
                      "(html, csv or json)"));
  }
  RenderedDocument document;
  document.content_type = std::string(ContentType(format));
  document.file_name =
      internal::Cat("species-list-", SpeciesListScopeName(list), "-",
                    internal::FileNamePart(labels.language()), ".", Extension(format));
  switch (format) {
    case ReportFormat::kHtml:
      document.body = internal::SpeciesListHtml(list, labels);
      break;
    case ReportFormat::kCsv:
      document.body = internal::SpeciesListCsv(list, labels);
      break;
    case ReportFormat::kJson:
    case ReportFormat::kGeoJson:
      document.body = internal::SpeciesListJson(list, labels);
      break;
  }
  return document;
}

}  // namespace wetlink::reports
