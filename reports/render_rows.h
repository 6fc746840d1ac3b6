#ifndef WETLINK_REPORTS_RENDER_ROWS_H_
#define WETLINK_REPORTS_RENDER_ROWS_H_

// Internal to the report renderers: every figure and fact of a site report
// as one tidy long table (section, item, season, measure -> value). The CSV
// is this table; the HTML takes each cell's text from it (marking the cell
// with data-key="section|item|season|measure"), so the two always agree.
//
// Sections, items and measures (stable English snake_case):
//   facts       item: the site id; designation rows: the designation kind
//   species     item: species id; per count season: peak, peak_date,
//               surveys; then mean_recent_peaks ... criterion6_reason
//   criterion5  item: the site id; per count season: peak, peak_date,
//               surveys; then threshold ... criterion5_reason
//   tagged      item: the site id (totals, individuals_month_01..12, the
//               link totals and cross_border_share) or a species id (per
//               season "spring 2023": individuals ... last_departure)
//   links_out, links_in   item: the linked node id
//   nearby      item: the node id; radius_km with the site id
//   coverage    item: the site id; caveat rows: the caveat code
// A measure without a value (no threshold, no stated area) has no row.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "reports/labels.h"
#include "reports/site_report.h"

namespace wetlink::reports::internal {

struct ReportRow {
  std::string section{};
  std::string item{};
  std::string item_name{};  // in the report language
  std::string season{};     // a count season label, "spring 2023" for tagged rows, or ""
  std::string measure{};
  std::string value{};
  std::string unit{};  // "individuals", "ha", "km", "days", "%", "deg", or ""
  // The value is a text in English for want of a translation, or a name
  // without a cited source (the HTML marks it).
  bool fallback = false;
  bool unverified = false;
};

class ReportTable {
 public:
  void Add(ReportRow row);
  const std::vector<ReportRow>& rows() const { return rows_; }

  // The first row with this key not taken yet (rows sharing a key, such as
  // two designations of one kind, are taken in the order they were added);
  // nullptr when there is none.
  const ReportRow* Take(std::string_view section, std::string_view item, std::string_view season,
                        std::string_view measure);
  // The rows of `section` and `measure` not taken yet, in order (each is
  // then taken).
  std::vector<const ReportRow*> TakeAll(std::string_view section, std::string_view measure);

  // "section|item|season|measure", the HTML data-key.
  static std::string Key(std::string_view section, std::string_view item, std::string_view season,
                         std::string_view measure);

 private:
  std::vector<ReportRow> rows_;
  std::vector<bool> taken_;
  std::map<std::string, std::vector<std::size_t>, std::less<>> by_key_;
};

ReportTable BuildSiteReportTable(const SiteReport& report, const Labels& labels);

// The HTML data-key value of a row.
std::string RowKey(const ReportRow& row);

}  // namespace wetlink::reports::internal

#endif  // WETLINK_REPORTS_RENDER_ROWS_H_
