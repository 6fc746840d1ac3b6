#include "reports/report_desk.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "reports/labels.h"
#include "reports/site_report_builder.h"
#include "telemetry/timestamp.h"

namespace wetlink::reports {
namespace {

std::string Field(std::string_view prefix, std::string_view name) {
  return absl::StrCat(std::string(prefix), std::string(name));
}

// Validates the language and the format before any work is done, so a bad
// request costs nothing.
absl::StatusOr<std::pair<std::shared_ptr<const Labels>, ReportFormat>> ParseOutput(
    std::string_view lang, std::string_view format, std::string_view field_prefix) {
  absl::StatusOr<std::shared_ptr<const Labels>> labels =
      Labels::Bundled(lang.empty() ? "en" : lang, Field(field_prefix, "lang"));
  if (!labels.ok()) return labels.status();
  absl::StatusOr<ReportFormat> parsed =
      ParseReportFormat(format.empty() ? "html" : format, Field(field_prefix, "format"));
  if (!parsed.ok()) return parsed.status();
  return std::make_pair(*std::move(labels), *parsed);
}

}  // namespace

absl::StatusOr<SiteReport> ReportDesk::SiteReportFor(const SiteReportQuery& query,
                                                     std::string_view field_prefix) const {
  if (query.site_id.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(Field(field_prefix, "site_id"), ": a site id is required"));
  }
  if (!std::isfinite(query.nearby_radius_km) || query.nearby_radius_km < 0 ||
      query.nearby_radius_km > kMaxNearbyRadiusKm) {
    return absl::InvalidArgumentError(absl::StrCat(Field(field_prefix, "nearby_radius_km"), ": ",
                                                   query.nearby_radius_km, " is outside 0..",
                                                   kMaxNearbyRadiusKm, " km (0 for the default)"));
  }
  const std::shared_ptr<const catalog::Catalog> catalog = sources_.catalog();
  if (catalog->FindSite(query.site_id) == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        Field(field_prefix, "site_id"), ": no catalogued site has the id '", query.site_id, "'"));
  }
  const telemetry::TimestampMs now = sources_.now();
  absl::StatusOr<ReportPeriod> period = ResolvePeriod(query.from, query.to, now, field_prefix);
  if (!period.ok()) return period.status();
  absl::StatusOr<std::vector<counts::Count>> counts = sources_.counts_of_sites({query.site_id});
  if (!counts.ok()) return counts.status();
  const std::shared_ptr<const graph::FlywaySnapshot> snapshot = sources_.snapshot();
  SiteReportInputs inputs{
      .catalog = catalog.get(),
      .snapshot = snapshot.get(),
      .seasons = sources_.seasons.get(),
      .counts = *std::move(counts),
      .period = *period,
      .nearby_radius_km =
          query.nearby_radius_km > 0 ? query.nearby_radius_km : kDefaultNearbyRadiusKm,
      .now_ms = now,
  };
  return BuildSiteReport(query.site_id, inputs, Field(field_prefix, "site_id"));
}

absl::StatusOr<RenderedDocument> ReportDesk::RenderSiteReport(const SiteReportQuery& query,
                                                              std::string_view lang,
                                                              std::string_view format,
                                                              std::string_view field_prefix) const {
  auto output = ParseOutput(lang, format, field_prefix);
  if (!output.ok()) return output.status();
  absl::StatusOr<SiteReport> report = SiteReportFor(query, field_prefix);
  if (!report.ok()) return report.status();
  return reports::RenderSiteReport(*report, *output->first, output->second, *sources_.background);
}

absl::StatusOr<SpeciesList> ReportDesk::SpeciesListFor(const SpeciesListQuery& query,
                                                       std::string_view field_prefix) const {
  const std::shared_ptr<const catalog::Catalog> catalog = sources_.catalog();
  SpeciesListScope scope{.complex_id = query.complex_id, .site_ids = query.site_ids};
  absl::StatusOr<std::vector<const catalog::Site*>> sites = ResolveScope(*catalog, scope);
  if (!sites.ok()) {
    return absl::Status(sites.status().code(),
                        absl::StrCat(std::string(field_prefix), sites.status().message()));
  }
  std::vector<std::string> ids;
  for (const catalog::Site* site : *sites) ids.push_back(site->id);
  absl::StatusOr<std::vector<counts::Count>> counts = sources_.counts_of_sites(ids);
  if (!counts.ok()) return counts.status();
  // An open end is the first or last count; with no count at all, today.
  std::int32_t first = std::numeric_limits<std::int32_t>::max();
  std::int32_t last = std::numeric_limits<std::int32_t>::min();
  for (const counts::Count& c : *counts) {
    first = std::min(first, c.date_days);
    last = std::max(last, c.date_days);
  }
  const auto today = static_cast<std::int32_t>(telemetry::DayIndex(sources_.now()));
  if (counts->empty()) first = last = today;
  const std::string prefix(field_prefix);
  ReportPeriod period{.from_days = first, .to_days = last};
  if (!query.from.empty()) {
    absl::StatusOr<std::int32_t> from = ParseReportDate(query.from, prefix + "from");
    if (!from.ok()) return from.status();
    period.from_days = *from;
    if (query.to.empty()) period.to_days = std::max(last, *from);
  }
  if (!query.to.empty()) {
    absl::StatusOr<std::int32_t> to = ParseReportDate(query.to, prefix + "to");
    if (!to.ok()) return to.status();
    period.to_days = *to;
    if (query.from.empty()) period.from_days = std::min(first, *to);
  }
  absl::StatusOr<ReportPeriod> checked = CheckPeriod(period, field_prefix);
  if (!checked.ok()) return checked.status();
  return BuildSpeciesList(*catalog, *sites, scope, *counts, *checked);
}

absl::StatusOr<RenderedDocument> ReportDesk::RenderSpeciesList(
    const SpeciesListQuery& query, std::string_view lang, std::string_view format,
    std::string_view field_prefix) const {
  auto output = ParseOutput(lang, format, field_prefix);
  if (!output.ok()) return output.status();
  absl::StatusOr<SpeciesList> list = SpeciesListFor(query, field_prefix);
  if (!list.ok()) return list.status();
  return reports::RenderSpeciesList(*list, *output->first, output->second,
                                    Field(field_prefix, "format"));
}

}  // namespace wetlink::reports
