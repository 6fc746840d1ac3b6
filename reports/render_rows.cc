#include "reports/render_rows.h"

#include <algorithm>
#include <string>
#include <utility>

#include "catalog/site.h"
#include "reports/render_cat.h"
#include "reports/render_text.h"

namespace wetlink::reports::internal {

void ReportTable::Add(ReportRow row) {
  by_key_[RowKey(row)].push_back(rows_.size());
  rows_.push_back(std::move(row));
  taken_.push_back(false);
}

const ReportRow* ReportTable::Take(std::string_view section, std::string_view item,
                                   std::string_view season, std::string_view measure) {
  const auto it = by_key_.find(Key(section, item, season, measure));
  if (it == by_key_.end()) return nullptr;
  for (const std::size_t index : it->second) {
    if (!taken_[index]) {
      taken_[index] = true;
      return &rows_[index];
    }
  }
  return nullptr;
}

std::vector<const ReportRow*> ReportTable::TakeAll(std::string_view section,
                                                   std::string_view measure) {
  std::vector<const ReportRow*> out;
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    if (!taken_[i] && rows_[i].section == section && rows_[i].measure == measure) {
      taken_[i] = true;
      out.push_back(&rows_[i]);
    }
  }
  return out;
}

std::string ReportTable::Key(std::string_view section, std::string_view item,
                             std::string_view season, std::string_view measure) {
  return Cat(section, "|", item, "|", season, "|", measure);
}

std::string RowKey(const ReportRow& row) {
  return ReportTable::Key(row.section, row.item, row.season, row.measure);
}

namespace {

constexpr std::string_view kIndividuals = "individuals";

// Adds rows for one item of one section.
class RowAdder {
 public:
  RowAdder(ReportTable& table, std::string section, std::string item, std::string item_name)
      : table_(table),
        section_(std::move(section)),
        item_(std::move(item)),
        item_name_(std::move(item_name)) {}

  void Text(std::string_view measure, const LocalText& value, std::string_view season = {}) {
    Add(measure, value.text, "", season, value.fallback, value.unverified);
  }
  void Text(std::string_view measure, std::string value, std::string_view season = {}) {
    Add(measure, std::move(value), "", season, false, false);
  }
  void Int(std::string_view measure, std::int64_t value, std::string_view unit,
           std::string_view season = {}) {
    Add(measure, FormatInt(value), unit, season, false, false);
  }
  void Number(std::string_view measure, std::string value, std::string_view unit,
              std::string_view season = {}) {
    Add(measure, std::move(value), unit, season, false, false);
  }

 private:
  void Add(std::string_view measure, std::string value, std::string_view unit,
           std::string_view season, bool fallback, bool unverified) {
    table_.Add({.section = section_,
                .item = item_,
                .item_name = item_name_,
                .season = std::string(season),
                .measure = std::string(measure),
                .value = std::move(value),
                .unit = std::string(unit),
                .fallback = fallback,
                .unverified = unverified});
  }

  ReportTable& table_;
  std::string section_;
  std::string item_;
  std::string item_name_;
};

void AddFacts(const SiteReport& report, const Labels& labels, ReportTable& table) {
  const catalog::Site& site = report.site;
  const LocalText name = SiteName(site, labels);
  RowAdder facts(table, "facts", site.id, name.text);
  facts.Text("name", name);
  for (const auto& [lang, text] : site.names) {
    if (!text.empty()) facts.Text(Cat("name_", lang), text);
  }
  if (!site.alt_names.empty()) facts.Text("alt_names", Join(site.alt_names, "; "));
  facts.Text("country_code", site.country);
  facts.Text("country", labels.Country(site.country));
  for (const catalog::Designation& designation : site.designations) {
    const std::string kind(catalog::DesignationKindName(designation.kind));
    const LocalText kind_name = labels.Get(Cat("designation.", kind));
    RowAdder row(table, "facts", kind, kind_name.text);
    row.Text("designation", kind_name);
    if (designation.year > 0) row.Number("designation_year", FormatInt(designation.year), "");
    if (!designation.number.empty()) row.Text("designation_number", designation.number);
    if (!designation.title.empty()) row.Text("designation_title", designation.title);
  }
  facts.Text("protected", YesNo(site.is_protected, labels));
  if (site.stated_area_ha) facts.Number("area_ha", FormatFixed(*site.stated_area_ha, 1), "ha");
  facts.Number("centre_lat", FormatDegrees(site.centre.lat), "deg");
  facts.Number("centre_lon", FormatDegrees(site.centre.lon), "deg");
  if (report.complex) facts.Text("complex", ComplexName(*report.complex, labels));
  facts.Text("geometry", labels.Get(site.geometry_surveyed ? "facts.boundary_surveyed"
                                                           : "facts.boundary_approximate"));
  if (!site.geometry_note.empty()) facts.Text("geometry_note", site.geometry_note);
  if (!site.notes.empty()) facts.Text("notes", site.notes);
}

void AddPeaks(RowAdder& rows, const std::vector<SeasonPeak>& peaks) {
  for (const SeasonPeak& peak : peaks) {
    const std::string season = CountSeasonLabel(peak.season);
    rows.Int("peak", peak.peak, kIndividuals, season);
    rows.Text("peak_date", FormatDate(peak.peak_date_days), season);
    rows.Int("surveys", peak.surveys, "", season);
  }
}

void AddTest(RowAdder& rows, const ThresholdTest& test, std::string_view criterion,
             const Labels& labels) {
  rows.Int("seasons_with_data", test.seasons_with_data, "");
  rows.Int("seasons_at_or_above", test.seasons_at_or_above, "");
  rows.Text(criterion, ThresholdResult(test, labels));
  if (test.threshold > 0) {
    rows.Text(Cat(criterion, "_reason"), ThresholdReason(test, labels));
  }
}

void AddSpecies(const SiteReport& report, const Labels& labels, ReportTable& table) {
  for (const std::string& id : ReportSpeciesIds(report)) {
    const catalog::Species* species = FindReportSpecies(report, id);
    const SpeciesAssessment* assessment = FindAssessment(report, id);
    RowAdder rows(table, "species", id, SpeciesNameById(report, id, labels).text);
    if (species != nullptr) {
      rows.Text("scientific_name", species->scientific_name);
      if (!species->iucn_category.empty()) rows.Text("iucn_category", species->iucn_category);
    }
    if (assessment == nullptr) continue;
    AddPeaks(rows, assessment->peaks);
    rows.Number("mean_recent_peaks", FormatFixed(assessment->criterion6.mean_recent_peaks, 1),
                kIndividuals);
    rows.Int("seasons_in_mean", assessment->criterion6.seasons_in_mean, "");
    const catalog::OnePercentThreshold& one = assessment->one_percent;
    if (one.value > 0) {
      rows.Int("one_percent_threshold", one.value, kIndividuals);
      rows.Text("threshold_derived", YesNo(one.derived, labels));
      if (!one.basis.empty()) rows.Text("threshold_basis", one.basis);
      if (!one.source.empty()) rows.Text("threshold_source", one.source);
    }
    if (assessment->percent_of_threshold) {
      rows.Number("percent_of_threshold", FormatPercent(*assessment->percent_of_threshold), "%");
    }
    AddTest(rows, assessment->criterion6, "criterion6", labels);
  }
}

void AddCriterion5(const SiteReport& report, const Labels& labels, ReportTable& table) {
  RowAdder rows(table, "criterion5", report.site.id, SiteName(report.site, labels).text);
  AddPeaks(rows, report.total.peaks);
  const ThresholdTest& test = report.total.criterion5;
  rows.Int("threshold", test.threshold > 0 ? test.threshold : kCriterion5Waterbirds, kIndividuals);
  rows.Number("mean_recent_peaks", FormatFixed(test.mean_recent_peaks, 1), kIndividuals);
  rows.Int("seasons_in_mean", test.seasons_in_mean, "");
  AddTest(rows, test, "criterion5", labels);
}

void AddTagged(const SiteReport& report, const Labels& labels, ReportTable& table) {
  const TaggedUse& tagged = report.tagged;
  RowAdder site(table, "tagged", report.site.id, SiteName(report.site, labels).text);
  site.Int("individuals", tagged.individuals, kIndividuals);
  site.Int("visits", tagged.visits, "");
  site.Number("median_stay_days", FormatDays(tagged.median_stay_days), "days");
  site.Int("tracked_individuals", tagged.tracked_individuals, kIndividuals);
  for (std::size_t m = 0; m < tagged.individuals_by_month.size(); ++m) {
    site.Int(Cat("individuals_month_", m < 9 ? "0" : "", m + 1), tagged.individuals_by_month[m],
             kIndividuals);
  }
  site.Int("transitions", report.links.transitions, "");
  site.Int("cross_border_transitions", report.links.cross_border_transitions, "");
  site.Number("cross_border_share", FormatPercent(report.links.cross_border_share * 100), "%");
  for (const TaggedSeasonUse& use : tagged.seasons) {
    RowAdder rows(table, "tagged", use.species_id,
                  SpeciesNameById(report, use.species_id, labels).text);
    const std::string season = TaggedSeasonKey(use.season, use.season_year);
    rows.Int("individuals", use.individuals, kIndividuals, season);
    rows.Int("visits", use.visits, "", season);
    rows.Number("median_stay_days", FormatDays(use.median_stay_days), "days", season);
    rows.Text("first_arrival", FormatDateOfMs(use.first_arrival_ms), season);
    rows.Text("median_arrival", FormatDateOfMs(use.median_arrival_ms), season);
    rows.Text("median_departure", FormatDateOfMs(use.median_departure_ms), season);
    rows.Text("last_departure", FormatDateOfMs(use.last_departure_ms), season);
  }
}

void AddLinks(const SiteReport& report, const Labels& labels, std::string_view section,
              const std::vector<LinkedSite>& links, ReportTable& table) {
  for (const LinkedSite& link : links) {
    const LocalText name =
        NodeName(link.catalogued, link.names, link.names_unverified, link.node_id, labels);
    RowAdder rows(table, std::string(section), link.node_id, name.text);
    rows.Text("name", name);
    rows.Text("country_code", link.country);
    rows.Text("country", labels.Country(link.country));
    rows.Int("individuals", link.individuals, kIndividuals);
    rows.Int("transitions", link.transitions, "");
    rows.Number("median_travel_days", FormatDays(link.median_travel_days), "days");
    rows.Number("median_distance_km", FormatKm(link.median_distance_km), "km");
    rows.Text("species", JoinSpeciesNames(report, link.species, labels));
    rows.Text("cross_border", YesNo(link.cross_border, labels));
    rows.Text("protected", YesNo(link.is_protected, labels));
  }
}

void AddNearby(const SiteReport& report, const Labels& labels, ReportTable& table) {
  RowAdder site(table, "nearby", report.site.id, SiteName(report.site, labels).text);
  site.Number("radius_km", FormatKm(report.nearby_radius_km), "km");
  for (const NearbyStopoverSite& nearby : report.nearby_unprotected) {
    const LocalText name =
        NodeName(nearby.catalogued, nearby.names, nearby.names_unverified, nearby.node_id, labels);
    RowAdder rows(table, "nearby", nearby.node_id, name.text);
    rows.Text("name", name);
    rows.Text("country_code", nearby.country);
    rows.Text("country", labels.Country(nearby.country));
    rows.Number("distance_km", FormatKm(nearby.distance_km), "km");
    rows.Int("individuals", nearby.individuals, kIndividuals);
    rows.Int("stopovers", nearby.stopovers, "");
    rows.Number("stopover_days", FormatDays(nearby.stopover_days), "days");
    rows.Text("species", JoinSpeciesNames(report, nearby.species, labels));
  }
}

void AddCoverage(const SiteReport& report, const Labels& labels, ReportTable& table) {
  const Coverage& coverage = report.coverage;
  RowAdder site(table, "coverage", report.site.id, SiteName(report.site, labels).text);
  site.Text("seasons", JoinSeasonLabels(coverage.seasons));
  if (coverage.seasons_without_counts.empty()) {
    site.Text("seasons_without_counts", labels.Get("common.none"));
  } else {
    site.Text("seasons_without_counts", JoinSeasonLabels(coverage.seasons_without_counts));
  }
  site.Int("surveys", coverage.surveys, "");
  site.Int("counts", coverage.counts, "");
  for (const Caveat& caveat : coverage.caveats) {
    RowAdder rows(table, "coverage", caveat.code, "");
    rows.Text("caveat", CaveatText(report, caveat, labels));
  }
}

}  // namespace

ReportTable BuildSiteReportTable(const SiteReport& report, const Labels& labels) {
  ReportTable table;
  AddFacts(report, labels, table);
  AddSpecies(report, labels, table);
  AddCriterion5(report, labels, table);
  AddTagged(report, labels, table);
  AddLinks(report, labels, "links_out", report.links.outgoing, table);
  AddLinks(report, labels, "links_in", report.links.incoming, table);
  AddNearby(report, labels, table);
  AddCoverage(report, labels, table);
  return table;
}

}  // namespace wetlink::reports::internal
