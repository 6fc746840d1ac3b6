#ifndef WETLINK_REPORTS_CSV_REPORT_H_
#define WETLINK_REPORTS_CSV_REPORT_H_

// Internal to the report renderers: CSV as RFC 4180 writes it. UTF-8
// without a byte-order mark, CRLF after every record (the header too), a
// field quoted when it holds a comma, a double quote, CR or LF (its quotes
// doubled); text that is not well-formed UTF-8 has the bad bytes replaced
// with U+FFFD.

#include <string>
#include <string_view>
#include <vector>

#include "reports/labels.h"
#include "reports/site_report.h"
#include "reports/species_list.h"

namespace wetlink::reports::internal {

// One field, quoted if it must be.
std::string CsvField(std::string_view text);
// Fields joined by commas, then CRLF.
std::string CsvRecord(const std::vector<std::string>& fields);

// Header: section,item,item_name,season,measure,value,unit; one record per
// row of BuildSiteReportTable.
std::string SiteReportCsv(const SiteReport& report, const Labels& labels);

// Header: species_id,scientific_name,name_en,name_zh,name_ru,name_ko,
// iucn_category,one_percent_threshold,site_id,site_name,country,season,
// max_count; one record per species, site and count season with a count.
std::string SpeciesListCsv(const SpeciesList& list, const Labels& labels);

}  // namespace wetlink::reports::internal

#endif  // WETLINK_REPORTS_CSV_REPORT_H_
