#include "reports/csv_report.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "reports/render_rows.h"
#include "reports/render_text.h"

namespace wetlink::reports::internal {

std::string CsvField(std::string_view text) {
  const std::string clean = SanitizeUtf8(text);
  if (clean.find_first_of(",\"\r\n") == std::string::npos) return clean;
  std::string quoted = "\"";
  for (const char c : clean) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string CsvRecord(const std::vector<std::string>& fields) {
  std::string record;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) record += ',';
    record += CsvField(fields[i]);
  }
  record += "\r\n";
  return record;
}

std::string SiteReportCsv(const SiteReport& report, const Labels& labels) {
  std::string csv =
      CsvRecord({"section", "item", "item_name", "season", "measure", "value", "unit"});
  const ReportTable table = BuildSiteReportTable(report, labels);
  for (const ReportRow& row : table.rows()) {
    csv += CsvRecord(
        {row.section, row.item, row.item_name, row.season, row.measure, row.value, row.unit});
  }
  return csv;
}

std::string SpeciesListCsv(const SpeciesList& list, const Labels& labels) {
  std::string csv = CsvRecord({"species_id", "scientific_name", "name_en", "name_zh", "name_ru",
                               "name_ko", "iucn_category", "one_percent_threshold", "site_id",
                               "site_name", "country", "season", "max_count"});
  for (const SpeciesListEntry& entry : list.entries) {
    const catalog::Species* species = nullptr;
    for (const catalog::Species& s : list.species) {
      if (s.id == entry.species_id) species = &s;
    }
    std::vector<std::string> head = {entry.species_id};
    if (species != nullptr) {
      head.push_back(species->scientific_name);
      for (const std::string_view lang : kReportLanguages) {
        const auto name = species->names.find(std::string(lang));
        head.push_back(name == species->names.end() ? "" : name->second);
      }
      head.push_back(species->iucn_category);
      const int threshold = species->OnePercent().value;
      head.push_back(threshold > 0 ? FormatInt(threshold) : "");
    } else {
      head.resize(8);
    }
    for (std::size_t s = 0; s < list.sites.size() && s < entry.max_by_site_season.size(); ++s) {
      const SpeciesListSite& site = list.sites[s];
      LocalText site_name = labels.Name(site.names, site.names_unverified);
      if (site_name.text.empty()) site_name.text = site.id;
      for (std::size_t k = 0; k < list.seasons.size() && k < entry.max_by_site_season[s].size();
           ++k) {
        const std::optional<std::int64_t>& count = entry.max_by_site_season[s][k];
        if (!count) continue;
        std::vector<std::string> record = head;
        record.push_back(site.id);
        record.push_back(site_name.text);
        record.push_back(site.country);
        record.push_back(CountSeasonLabel(list.seasons[k]));
        record.push_back(FormatInt(*count));
        csv += CsvRecord(record);
      }
    }
  }
  return csv;
}

}  // namespace wetlink::reports::internal
