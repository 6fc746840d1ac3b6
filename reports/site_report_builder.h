#ifndef WETLINK_REPORTS_SITE_REPORT_BUILDER_H_
#define WETLINK_REPORTS_SITE_REPORT_BUILDER_H_

// Builds a SiteReport from what Wetlink holds: the catalog, the site's
// counts and the flyway snapshot. Pure: the same inputs give the same report.

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/catalog.h"
#include "counts/count.h"
#include "graph/flyway_snapshot.h"
#include "graph/seasons.h"
#include "reports/site_report.h"

namespace wetlink::reports {

inline constexpr double kDefaultNearbyRadiusKm = 50;
// Fewer tagged birds than this at the site make its tagged figures anecdotal.
inline constexpr std::uint32_t kFewTaggedBirds = 5;

struct SiteReportInputs {
  const catalog::Catalog* catalog = nullptr;
  const graph::FlywaySnapshot* snapshot = nullptr;
  const graph::SeasonTable* seasons = nullptr;
  // Counts of the site (counts of other sites are ignored); any dates.
  std::vector<counts::Count> counts;
  ReportPeriod period;
  double nearby_radius_km = kDefaultNearbyRadiusKm;
  telemetry::TimestampMs now_ms = 0;
};

// NotFound naming `field` and the value when `site_id` is not catalogued.
absl::StatusOr<SiteReport> BuildSiteReport(std::string_view site_id, const SiteReportInputs& inputs,
                                           std::string_view field = "site_id");

}  // namespace wetlink::reports

#endif  // WETLINK_REPORTS_SITE_REPORT_BUILDER_H_
