#ifndef WETLINK_REPORTS_REPORT_DESK_H_
#define WETLINK_REPORTS_REPORT_DESK_H_

// Answers report requests for any transport (gRPC, HTTP, tests): resolves
// the request's text fields with errors that name them, gathers the counts
// and the current flyway snapshot, builds and renders the report.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/catalog.h"
#include "counts/count.h"
#include "graph/flyway_snapshot.h"
#include "graph/seasons.h"
#include "reports/render.h"
#include "reports/site_report.h"
#include "reports/species_list.h"

namespace wetlink::reports {

inline constexpr double kMaxNearbyRadiusKm = 500;

struct ReportSources {
  // The current catalog.
  std::function<std::shared_ptr<const catalog::Catalog>()> catalog;
  // Every count of the given sites.
  std::function<absl::StatusOr<std::vector<counts::Count>>(const std::vector<std::string>&)>
      counts_of_sites;
  // The current flyway snapshot.
  std::function<std::shared_ptr<const graph::FlywaySnapshot>()> snapshot;
  std::shared_ptr<const graph::SeasonTable> seasons;
  std::shared_ptr<const MapBackground> background;
  std::function<telemetry::TimestampMs()> now;
};

struct SiteReportQuery {
  std::string site_id;
  std::string from;  // yyyy-MM-dd or ""
  std::string to;
  double nearby_radius_km = 0;  // 0: the default
};

struct SpeciesListQuery {
  std::string complex_id;
  std::vector<std::string> site_ids;
  std::string from;  // yyyy-MM-dd or "": from the first count
  std::string to;    // or "": to the last count
};

class ReportDesk {
 public:
  explicit ReportDesk(ReportSources sources) : sources_(std::move(sources)) {}

  // Errors name the field with `field_prefix` ("report.site_id: ...").
  absl::StatusOr<SiteReport> SiteReportFor(const SiteReportQuery& query,
                                           std::string_view field_prefix) const;
  // `lang` "" is English, `format` "" is HTML.
  absl::StatusOr<RenderedDocument> RenderSiteReport(const SiteReportQuery& query,
                                                    std::string_view lang, std::string_view format,
                                                    std::string_view field_prefix) const;

  absl::StatusOr<SpeciesList> SpeciesListFor(const SpeciesListQuery& query,
                                             std::string_view field_prefix) const;
  absl::StatusOr<RenderedDocument> RenderSpeciesList(const SpeciesListQuery& query,
                                                     std::string_view lang, std::string_view format,
                                                     std::string_view field_prefix) const;

 private:
  ReportSources sources_;
};

}  // namespace wetlink::reports

#endif  // WETLINK_REPORTS_REPORT_DESK_H_
