#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/site.h"
#include "reports/html_page.h"
#include "reports/html_report.h"
#include "reports/html_text.h"
#include "reports/render_cat.h"
#include "reports/render_rows.h"
#include "reports/render_text.h"
#include "reports/svg_chart.h"
#include "reports/svg_map.h"

namespace wetlink::reports::internal {

namespace {

constexpr std::string_view kDash = "\xE2\x80\x93";  // U+2013 en dash

// The count seasons the tables and charts show: those of the period, and
// any other season a peak names.
std::vector<int> ShownSeasons(const SiteReport& report) {
  std::vector<int> seasons = report.coverage.seasons;
  for (const SeasonPeak& peak : report.total.peaks) seasons.push_back(peak.season);
  for (const SpeciesAssessment& assessment : report.assessments) {
    for (const SeasonPeak& peak : assessment.peaks) seasons.push_back(peak.season);
  }
  std::sort(seasons.begin(), seasons.end());
  seasons.erase(std::unique(seasons.begin(), seasons.end()), seasons.end());
  return seasons;
}

const SeasonPeak* FindPeak(const std::vector<SeasonPeak>& peaks, int season) {
  for (const SeasonPeak& peak : peaks) {
    if (peak.season == season) return &peak;
  }
  return nullptr;
}

std::string LabelName(std::string_view lang) { return Cat("lang.", lang); }

class SiteReportPage {
 public:
  SiteReportPage(const SiteReport& report, const Labels& labels, const MapBackground& background)
      : report_(report),
        labels_(labels),
        html_(labels),
        background_(background),
        table_(BuildSiteReportTable(report, labels)),
        site_name_(SiteName(report.site, labels)),
        seasons_(ShownSeasons(report)) {
    NumberPlaces();
  }

  std::string Render() {
    std::string body;
    Header(body);
    Facts(body);
    Map(body);
    Species(body);
    Criteria(body);
    PeakCharts(body);
    Tagged(body);
    PresenceChart(body);
    Links(body);
    Nearby(body);
    CoverageSection(body);
    Footnotes(body);
    Footer(body);
    const std::string title = Cat(
        site_name_.text, " \xE2\x80\x94 ", labels_.Get("report.title_site").text, " ",
        FormatDate(report_.period.from_days), " ", kDash, " ", FormatDate(report_.period.to_days));
    return Cat(HtmlPageStart(labels_.language(), title, false), body, HtmlPageEnd());
  }

 private:
  // A value of the table in an element carrying its key, and its marks.
  std::string V(std::string_view section, std::string_view item, std::string_view season,
                std::string_view measure, std::string_view tag = "span",
                std::string_view attributes = "") {
    const ReportRow* row = table_.Take(section, item, season, measure);
    if (row == nullptr) return Cat("<span class=\"nodata\">", kDash, "</span>");
    return Cat("<", tag, attributes, " data-key=\"", HtmlEscape(RowKey(*row)), "\">",
               HtmlEscape(row->value), "</", tag, ">", html_.Marks(row->fallback, row->unverified));
  }
  std::string NumCell(std::string_view section, std::string_view item, std::string_view season,
                      std::string_view measure) {
    return Cat("<td class=\"num\">", V(section, item, season, measure), "</td>");
  }
  std::string L(std::string_view key) { return html_.Label(key); }
  std::string Th(std::string_view key, bool num = false) {
    return Cat(num ? "<th class=\"num\">" : "<th>", L(key), "</th>");
  }

  // Map numbers: each linked node once (outgoing first), then "N1"... for
  // the nearby stopovers.
  void NumberPlaces() {
    int next = 1;
    for (const auto* links : {&report_.links.outgoing, &report_.links.incoming}) {
      for (const LinkedSite& link : *links) {
        if (!place_numbers_.contains(link.node_id)) {
          place_numbers_[link.node_id] = FormatInt(next++);
        }
      }
    }
    for (std::size_t i = 0; i < report_.nearby_unprotected.size(); ++i) {
      nearby_numbers_.push_back(Cat("N", i + 1));
    }
  }

  void Header(std::string& out) {
    Append(&out, "<header>\n<p class=\"kicker\">", L("report.title_site"),
           "</p>\n<h1 id=\"site-name\">", html_.Local(site_name_), "</h1>\n<p class=\"subtitle\">",
           html_.Local(labels_.Country(report_.site.country)));
    if (report_.complex) {
      Append(&out, " \xC2\xB7 ", html_.Local(ComplexName(*report_.complex, labels_)));
    }
    Append(&out, " \xC2\xB7 ", L("report.period"), ": ",
           html_.LabelWith("report.period_range",
                           {Cat("<time>", FormatDate(report_.period.from_days), "</time>"),
                            Cat("<time>", FormatDate(report_.period.to_days), "</time>")}),
           "</p>\n</header>\n");
  }

  void Facts(std::string& out) {
    const catalog::Site& site = report_.site;
    const std::string& id = site.id;
    auto row = [&](std::string_view label_key, const std::string& cell) {
      Append(&out, "<tr><th scope=\"row\">", L(label_key), "</th><td>", cell, "</td></tr>\n");
    };
    Append(&out, "<section id=\"facts\">\n<h2>", L("section.facts"),
           "</h2>\n<table class=\"facts\">\n<tbody>\n");
    row("facts.name", Cat("<span class=\"name\">", V("facts", id, "", "name"), "</span>"));
    std::string names;
    for (const auto& [lang, text] : site.names) {
      if (text.empty()) continue;
      const std::string value =
          V("facts", id, "", Cat("name_", lang), "span", Cat(" lang=\"", HtmlEscape(lang), "\""));
      Append(&names, "<li><span class=\"lang-name\">", L(LabelName(lang)), ":</span> ", value,
             "</li>");
    }
    row("facts.names", Cat("<ul class=\"inline\">", names, "</ul>"));
    if (!site.alt_names.empty()) row("facts.alt_names", V("facts", id, "", "alt_names"));
    row("facts.site_id", Cat("<code>", HtmlEscape(id), "</code>"));
    row("facts.country",
        Cat(V("facts", id, "", "country"), " (", V("facts", id, "", "country_code"), ")"));
    std::string designations;
    for (const catalog::Designation& designation : site.designations) {
      const std::string kind(catalog::DesignationKindName(designation.kind));
      std::string item = V("facts", kind, "", "designation");
      if (designation.year > 0) {
        Append(
            &item, ", ",
            html_.LabelWith("facts.designation_year", {V("facts", kind, "", "designation_year")}));
      }
      if (!designation.number.empty()) {
        Append(&item, ", ",
               html_.LabelWith("facts.designation_number",
                               {V("facts", kind, "", "designation_number")}));
      }
      if (!designation.title.empty()) {
        Append(&item, "<span class=\"sub\" lang=\"en\">", V("facts", kind, "", "designation_title"),
               "</span>");
      }
      Append(&designations, "<li>", item, "</li>");
    }
    row("facts.designations", designations.empty()
                                  ? L("common.none")
                                  : Cat("<ul class=\"designations\">", designations, "</ul>"));
    row("facts.protected", V("facts", id, "", "protected"));
    row("facts.area", site.stated_area_ha ? Cat(V("facts", id, "", "area_ha"), " ", L("unit.ha"),
                                                site.area_source.empty()
                                                    ? ""
                                                    : Cat("<span class=\"sub\" lang=\"en\">",
                                                          HtmlEscape(site.area_source), "</span>"))
                                          : L("facts.area_unknown"));
    row("facts.centre",
        Cat(L("facts.latitude"), " ", V("facts", id, "", "centre_lat"), "\xC2\xB0, ",
            L("facts.longitude"), " ", V("facts", id, "", "centre_lon"), "\xC2\xB0"));
    if (report_.complex) row("facts.complex", V("facts", id, "", "complex"));
    std::string boundary = V("facts", id, "", "geometry");
    if (!site.geometry_note.empty()) {
      Append(&boundary, "<span class=\"sub\" lang=\"en\">", V("facts", id, "", "geometry_note"),
             "</span>");
    }
    row("facts.boundary", boundary);
    if (!site.notes.empty()) {
      row("facts.notes", V("facts", id, "", "notes", "span", " lang=\"en\""));
    }
    Append(&out, "</tbody>\n</table>\n</section>\n");
  }

  std::string PlaceTitle(std::string_view number, const LocalText& name, std::string_view country) {
    return Cat(number, ". ", name.text, " (", labels_.Country(country).text, ")");
  }

  void Map(std::string& out) {
    SiteMap map;
    map.title = Cat(labels_.Get("section.site_map").text, ": ", site_name_.text);
    map.site_geometry = &report_.site.geometry;
    map.site_centre = report_.site.centre;
    map.site_title = site_name_.text;
    map.background = &background_;
    map.scale_label = labels_.Get("unit.km_value").text;
    for (const auto& [code, outline] : background_.countries) {
      map.country_names[code] = labels_.Country(code).text;
    }
    std::map<std::string, bool> placed;
    std::uint32_t min_individuals = 0;
    std::uint32_t max_individuals = 0;
    bool any_link = false;
    bool any_cross_border = false;
    for (const auto* links : {&report_.links.outgoing, &report_.links.incoming}) {
      for (const LinkedSite& link : *links) {
        const LocalText name =
            NodeName(link.catalogued, link.names, link.names_unverified, link.node_id, labels_);
        const std::string& number = place_numbers_[link.node_id];
        if (!placed[link.node_id]) {
          placed[link.node_id] = true;
          map.places.push_back({.label = number,
                                .title = PlaceTitle(number, name, link.country),
                                .position = link.position,
                                .is_protected = link.is_protected});
        }
        const bool out_link = link.direction == LinkDirection::kOut;
        MapLink map_link{
            .from = out_link ? report_.site.centre : link.position,
            .to = out_link ? link.position : report_.site.centre,
            .individuals = link.individuals,
            .cross_border = link.cross_border,
            .title = labels_
                         .Format("map.link_title",
                                 {out_link ? site_name_.text : name.text,
                                  out_link ? name.text : site_name_.text,
                                  FormatInt(link.individuals), FormatInt(link.transitions)})
                         .text};
        map.links.push_back(std::move(map_link));
        min_individuals = any_link ? std::min(min_individuals, link.individuals) : link.individuals;
        max_individuals = std::max(max_individuals, link.individuals);
        any_link = true;
        any_cross_border = any_cross_border || link.cross_border;
      }
    }
    for (std::size_t i = 0; i < report_.nearby_unprotected.size(); ++i) {
      const NearbyStopoverSite& nearby = report_.nearby_unprotected[i];
      const LocalText name = NodeName(nearby.catalogued, nearby.names, nearby.names_unverified,
                                      nearby.node_id, labels_);
      map.places.push_back({.label = nearby_numbers_[i],
                            .title = PlaceTitle(nearby_numbers_[i], name, nearby.country),
                            .position = nearby.position,
                            .nearby = true});
    }

    Append(&out, "<section id=\"site-map\">\n<h2>", L("section.site_map"), "</h2>\n<figure>\n",
           SiteMapSvg(map), "<ul class=\"legend\">\n");
    auto legend = [&](LegendSymbol symbol, std::string_view key) {
      Append(&out, "<li>", LegendSymbolSvg(symbol), "<span>", L(key), "</span></li>\n");
    };
    legend(LegendSymbol::kSite, "map.this_site");
    if (!report_.links.outgoing.empty() || !report_.links.incoming.empty()) {
      legend(LegendSymbol::kLinkedProtected, "map.linked_protected");
      legend(LegendSymbol::kLinkedUnprotected, "map.linked_unprotected");
    }
    if (!report_.nearby_unprotected.empty()) legend(LegendSymbol::kNearby, "map.nearby_site");
    if (any_link) legend(LegendSymbol::kLink, "map.link");
    if (any_cross_border) legend(LegendSymbol::kCrossBorderLink, "map.cross_border_link");
    if (!background_.countries.empty()) legend(LegendSymbol::kCountry, "map.country");
    Append(&out, "</ul>\n<figcaption>", L("map.caption"));
    if (any_link) {
      Append(&out, " ",
             html_.LabelWith("map.width_note",
                             {FormatInt(min_individuals), FormatInt(max_individuals)}));
    }
    Append(&out, "</figcaption>\n</figure>\n</section>\n");
  }

  void Species(std::string& out) {
    Append(&out, "<section id=\"species\">\n<h2>", L("section.species"),
           "</h2>\n<p class=\"intro\">", L("species.intro"), "</p>\n");
    const std::vector<std::string> ids = ReportSpeciesIds(report_);
    if (ids.empty()) {
      Append(&out, "<p>", L("species.none"), "</p>\n</section>\n");
      return;
    }
    // One line per species: the threshold and Criterion 6.
    Append(&out, "<table class=\"species\">\n<thead><tr>", Th("species.species"),
           Th("species.threshold", true), Th("species.mean_recent", true),
           Th("species.seasons_in_mean", true), Th("species.percent_of_threshold", true),
           Th("species.criterion6"), "</tr></thead>\n<tbody>\n");
    for (const std::string& id : ids) {
      const catalog::Species* species = FindReportSpecies(report_, id);
      const SpeciesAssessment* assessment = FindAssessment(report_, id);
      Append(&out, "<tr data-species=\"", HtmlEscape(id), "\"><th scope=\"row\">",
             "<span class=\"name\">", html_.Local(SpeciesNameById(report_, id, labels_)),
             "</span>");
      if (species != nullptr) {
        Append(&out, "<span class=\"sub sci\">", V("species", id, "", "scientific_name"),
               "</span>");
        if (!species->iucn_category.empty()) {
          Append(&out, "<span class=\"sub\">", L("species.iucn"), ": ",
                 html_.Local(labels_.Get(Cat("iucn.", species->iucn_category))), " (",
                 V("species", id, "", "iucn_category"), ")</span>");
        }
      }
      Append(&out, "</th>");
      if (assessment == nullptr) {
        Append(&out, "<td class=\"muted\" colspan=\"5\">", L("species.no_counts"), "</td></tr>\n");
        continue;
      }
      const catalog::OnePercentThreshold& one = assessment->one_percent;
      if (one.value > 0) {
        Append(&out, "<td class=\"num threshold\">", V("species", id, "", "one_percent_threshold"),
               "<span class=\"sub", one.derived ? " badge" : "", "\">",
               L("species.threshold_derived"), ": ", V("species", id, "", "threshold_derived"),
               "</span>");
        if (!one.basis.empty()) {
          Append(&out, "<span class=\"sub\" lang=\"en\">", V("species", id, "", "threshold_basis"),
                 "</span>");
        }
        if (!one.source.empty()) {
          Append(&out, "<span class=\"sub\">", L("species.source"), ": ",
                 V("species", id, "", "threshold_source"), "</span>");
        }
        Append(&out, "</td>");
      } else {
        Append(&out, "<td class=\"muted\">", L("species.threshold_none"), "</td>");
      }
      Append(&out, NumCell("species", id, "", "mean_recent_peaks"),
             NumCell("species", id, "", "seasons_in_mean"),
             NumCell("species", id, "", "percent_of_threshold"), "<td>",
             ResultSpan(assessment->criterion6, "species", id, "criterion6"), "</td></tr>\n");
    }
    Append(&out, "</tbody>\n</table>\n");

    // The season peaks: a line per species and count season, so that a
    // period of any length fits the page.
    Append(&out, "<h3>", L("species.peaks_title"), "</h3>\n<table class=\"peaks\">\n<thead><tr>",
           Th("species.species"), Th("species.season"), Th("species.peak", true),
           Th("species.peak_date"), Th("species.surveys", true), "</tr></thead>\n<tbody>\n");
    for (const SpeciesAssessment& assessment : report_.assessments) {
      const std::string& id = assessment.species_id;
      bool first = true;
      for (const int season : seasons_) {
        Append(&out, "<tr>");
        if (first) {
          Append(&out, "<th scope=\"rowgroup\" rowspan=\"", seasons_.size(), "\">",
                 html_.Local(SpeciesNameById(report_, id, labels_)), "</th>");
          first = false;
        }
        const std::string label = CountSeasonLabel(season);
        Append(&out, "<td>", HtmlEscape(label), "</td>");
        if (FindPeak(assessment.peaks, season) == nullptr) {
          Append(&out, "<td class=\"nodata\" colspan=\"3\">", L("species.not_counted"),
                 "</td></tr>\n");
          continue;
        }
        Append(&out, NumCell("species", id, label, "peak"), "<td class=\"date\">",
               V("species", id, label, "peak_date"), "</td>",
               NumCell("species", id, label, "surveys"), "</tr>\n");
      }
    }
    Append(&out, "</tbody>\n</table>\n</section>\n");
  }

  std::string ResultSpan(const ThresholdTest& test, std::string_view section, std::string_view item,
                         std::string_view criterion) {
    std::string_view css = "not-met";
    if (test.met()) css = "met";
    if (test.threshold <= 0 || test.regularity == Regularity::kInsufficientData) {
      css = "insufficient";
    }
    std::string html = V(section, item, "", criterion, "span", Cat(" class=\"result ", css, "\""));
    if (test.threshold > 0) {
      Append(&html, "<span class=\"sub\">", V(section, item, "", Cat(criterion, "_reason")),
             "</span>");
    }
    return html;
  }

  void Criteria(std::string& out) {
    const std::string& id = report_.site.id;
    Append(&out, "<section id=\"criteria\">\n<h2>", L("section.criteria"),
           "</h2>\n<div class=\"rule\">\n<h3>", L("criteria.regularly_title"), "</h3>\n<p>",
           L("criteria.regularly_rule"), "</p>\n<p>", L("criteria.season_rule"), "</p>\n</div>\n");
    // Criterion 5.
    Append(&out, "<h3>", L("criteria.criterion5"), "</h3>\n");
    if (report_.total.peaks.empty()) {
      Append(&out, "<p class=\"muted\">", L("criteria.no_totals"), "</p>\n");
    } else {
      Append(&out, "<table class=\"criterion5\">\n<thead><tr>", Th("criteria.season"),
             Th("criteria.site_total", true), Th("criteria.peak_date"),
             Th("criteria.surveys", true), "</tr></thead>\n<tbody>\n");
      for (const SeasonPeak& peak : report_.total.peaks) {
        const std::string label = CountSeasonLabel(peak.season);
        Append(&out, "<tr><th scope=\"row\">", HtmlEscape(label), "</th>",
               NumCell("criterion5", id, label, "peak"), "<td class=\"date\">",
               V("criterion5", id, label, "peak_date"), "</td>",
               NumCell("criterion5", id, label, "surveys"), "</tr>\n");
      }
      Append(&out, "</tbody>\n</table>\n");
    }
    const ThresholdTest& c5 = report_.total.criterion5;
    Append(
        &out, "<dl class=\"summary\">\n<dt>", L("criteria.threshold"), "</dt><dd>",
        V("criterion5", id, "", "threshold"), "</dd>\n<dt>", L("criteria.mean_recent"), "</dt><dd>",
        V("criterion5", id, "", "mean_recent_peaks"), " (",
        html_.LabelWith("criteria.seasons_in_mean_n", {V("criterion5", id, "", "seasons_in_mean")}),
        ")</dd>\n<dt>", L("criteria.seasons_with_data"), "</dt><dd>",
        V("criterion5", id, "", "seasons_with_data"), "</dd>\n<dt>",
        L("criteria.seasons_at_or_above"), "</dt><dd>",
        V("criterion5", id, "", "seasons_at_or_above"), "</dd>\n<dt>", L("criteria.result"),
        "</dt><dd>", ResultSpan(c5, "criterion5", id, "criterion5"), "</dd>\n</dl>\n");
    // Criterion 6, one line per species with counts.
    Append(&out, "<h3>", L("criteria.criterion6"), "</h3>\n");
    if (report_.assessments.empty()) {
      Append(&out, "<p class=\"muted\">", L("species.none"), "</p>\n</section>\n");
      return;
    }
    Append(&out, "<table class=\"criterion6\">\n<thead><tr>", Th("species.species"),
           Th("species.threshold", true), Th("criteria.seasons_with_data", true),
           Th("criteria.seasons_at_or_above", true), Th("criteria.mean_recent", true),
           Th("criteria.result"), "</tr></thead>\n<tbody>\n");
    for (const SpeciesAssessment& assessment : report_.assessments) {
      const std::string& sid = assessment.species_id;
      const ThresholdTest& test = assessment.criterion6;
      Append(&out, "<tr><th scope=\"row\">", html_.Local(SpeciesNameById(report_, sid, labels_)),
             "</th><td class=\"num\">",
             assessment.one_percent.value > 0 ? FormatInt(assessment.one_percent.value)
                                              : std::string(kDash),
             "</td>", NumCell("species", sid, "", "seasons_with_data"),
             NumCell("species", sid, "", "seasons_at_or_above"), "<td class=\"num\">",
             FormatFixed(test.mean_recent_peaks, 1), "</td><td>",
             html_.Local(ThresholdResult(test, labels_)), "</td></tr>\n");
    }
    Append(&out, "</tbody>\n</table>\n</section>\n");
  }

  ChartBar SeasonBar(int season, const SeasonPeak* peak) {
    ChartBar bar{.label = CountSeasonLabel(season)};
    if (peak != nullptr) {
      bar.value = peak->peak;
      bar.value_text = FormatInt(peak->peak);
      bar.tooltip = Cat(bar.label, " (", FormatDate(peak->peak_date_days), ")");
    }
    return bar;
  }

  void PeakCharts(std::string& out) {
    Append(&out, "<section id=\"chart-peaks\">\n<h2>", L("section.chart_peaks"), "</h2>\n");
    const std::string y_axis = labels_.Get("chart.count_axis").text;
    const std::string x_axis = labels_.Get("chart.season_axis").text;
    // The site total against Criterion 5.
    {
      BarChart chart{.title = labels_.Get("chart.site_total").text,
                     .x_axis = x_axis,
                     .y_axis = y_axis,
                     .no_data = std::string(kDash)};
      for (const int season : seasons_) {
        chart.bars.push_back(SeasonBar(season, FindPeak(report_.total.peaks, season)));
      }
      const std::int64_t threshold = report_.total.criterion5.threshold > 0
                                         ? report_.total.criterion5.threshold
                                         : kCriterion5Waterbirds;
      chart.line = static_cast<double>(threshold);
      chart.line_label = labels_.Format("chart.criterion5_line", {FormatInt(threshold)}).text;
      Append(&out, "<div class=\"chart-block\" data-chart=\"site-total\">\n<h3>",
             L("chart.site_total"), "</h3>\n", BarChartSvg(chart), "</div>\n");
    }
    for (const SpeciesAssessment& assessment : report_.assessments) {
      const LocalText name = SpeciesNameById(report_, assessment.species_id, labels_);
      BarChart chart{.title = Cat(name.text, ": ", labels_.Get("chart.peaks_title").text),
                     .x_axis = x_axis,
                     .y_axis = y_axis,
                     .no_data = std::string(kDash)};
      for (const int season : seasons_) {
        chart.bars.push_back(SeasonBar(season, FindPeak(assessment.peaks, season)));
      }
      if (assessment.one_percent.value > 0) {
        chart.line = assessment.one_percent.value;
        chart.line_label =
            labels_.Format("chart.threshold_line", {FormatInt(assessment.one_percent.value)}).text;
      }
      const catalog::Species* species = FindReportSpecies(report_, assessment.species_id);
      Append(&out, "<div class=\"chart-block\" data-chart=\"", HtmlEscape(assessment.species_id),
             "\">\n<h3>", html_.Local(name));
      if (species != nullptr && !species->scientific_name.empty()) {
        Append(&out, " <span class=\"sci muted\">", HtmlEscape(species->scientific_name),
               "</span>");
      }
      Append(&out, "</h3>\n", BarChartSvg(chart), "</div>\n");
    }
    Append(&out, "</section>\n");
  }

  void Tagged(std::string& out) {
    const std::string& id = report_.site.id;
    const TaggedUse& tagged = report_.tagged;
    Append(&out, "<section id=\"tagged\">\n<h2>", L("section.tagged"),
           "</h2>\n<dl class=\"summary\">\n<dt>", L("tagged.individuals"), "</dt><dd>",
           V("tagged", id, "", "individuals"), "</dd>\n<dt>", L("tagged.visits"), "</dt><dd>",
           V("tagged", id, "", "visits"), "</dd>\n<dt>", L("tagged.median_stay"), "</dt><dd>",
           V("tagged", id, "", "median_stay_days"), "</dd>\n<dt>", L("tagged.tracked"), "</dt><dd>",
           V("tagged", id, "", "tracked_individuals"), "</dd>\n</dl>\n");
    if (tagged.seasons.empty()) {
      Append(&out, "<p class=\"muted\">", L("tagged.none"), "</p>\n</section>\n");
      return;
    }
    Append(&out, "<table class=\"tagged\">\n<thead><tr>", Th("tagged.species"), Th("tagged.season"),
           Th("tagged.individuals_short", true), Th("tagged.visits", true),
           Th("tagged.median_stay", true), Th("tagged.first_arrival"), Th("tagged.median_arrival"),
           Th("tagged.median_departure"), Th("tagged.last_departure"), "</tr></thead>\n<tbody>\n");
    for (const TaggedSeasonUse& use : tagged.seasons) {
      const std::string& sid = use.species_id;
      const std::string season = TaggedSeasonKey(use.season, use.season_year);
      Append(&out, "<tr><th scope=\"row\">", html_.Local(SpeciesNameById(report_, sid, labels_)),
             "</th><td>", html_.Local(TaggedSeasonLabel(use.season, use.season_year, labels_)),
             "</td>", NumCell("tagged", sid, season, "individuals"),
             NumCell("tagged", sid, season, "visits"),
             NumCell("tagged", sid, season, "median_stay_days"));
      for (const std::string_view measure :
           {"first_arrival", "median_arrival", "median_departure", "last_departure"}) {
        Append(&out, "<td class=\"date\">", V("tagged", sid, season, measure), "</td>");
      }
      Append(&out, "</tr>\n");
    }
    Append(&out, "</tbody>\n</table>\n</section>\n");
  }

  void PresenceChart(std::string& out) {
    const std::string& id = report_.site.id;
    BarChart chart{.title = labels_.Get("section.chart_presence").text,
                   .x_axis = labels_.Get("chart.month_axis").text,
                   .y_axis = labels_.Get("chart.individuals_axis").text,
                   .no_data = std::string(kDash)};
    for (std::size_t m = 0; m < 12; ++m) {
      const std::string measure = Cat("individuals_month_", m < 9 ? "0" : "", m + 1);
      const ReportRow* row = table_.Take("tagged", id, "", measure);
      ChartBar bar{.label = labels_.Get(Cat("month_short.", m + 1)).text,
                   .tooltip = labels_.Get(Cat("month.", m + 1)).text};
      bar.value = report_.tagged.individuals_by_month[m];
      if (row != nullptr) {
        bar.value_text = row->value;
        bar.data_key = RowKey(*row);
      }
      chart.bars.push_back(std::move(bar));
    }
    Append(&out, "<section id=\"chart-presence\">\n<h2>", L("section.chart_presence"),
           "</h2>\n<p class=\"intro\">", L("chart.presence_intro"),
           "</p>\n<div class=\"chart-block\">\n", BarChartSvg(chart), "</div>\n</section>\n");
  }

  void LinkTable(std::string& out, std::string_view section, const std::vector<LinkedSite>& links) {
    if (links.empty()) {
      Append(&out, "<p class=\"muted\">", L("links.none"), "</p>\n");
      return;
    }
    Append(&out, "<table class=\"links\" data-section=\"", section, "\">\n<thead><tr>",
           Th("links.number"), Th("links.site"), Th("links.country"), Th("links.individuals", true),
           Th("links.transitions", true), Th("links.travel_days", true), Th("links.distance", true),
           Th("links.species"), Th("links.cross_border"), Th("links.protected"),
           "</tr></thead>\n<tbody>\n");
    for (const LinkedSite& link : links) {
      const std::string& node = link.node_id;
      Append(&out, "<tr", link.cross_border ? " class=\"cross-border\"" : "", "><td>",
             HtmlEscape(place_numbers_[node]), "</td><th scope=\"row\">",
             V(section, node, "", "name"));
      if (!link.catalogued) {
        Append(&out, "<span class=\"sub\">", L("links.discovered"), "</span>");
      }
      Append(&out, "</th><td>", V(section, node, "", "country"), " (",
             V(section, node, "", "country_code"), ")</td>",
             NumCell(section, node, "", "individuals"), NumCell(section, node, "", "transitions"),
             NumCell(section, node, "", "median_travel_days"),
             NumCell(section, node, "", "median_distance_km"), "<td>",
             V(section, node, "", "species"), "</td><td>",
             link.cross_border ? "<span class=\"cross-mark\">\xE2\x87\x84</span> " : "",
             V(section, node, "", "cross_border"), "</td><td>", V(section, node, "", "protected"),
             "</td></tr>\n");
    }
    Append(&out, "</tbody>\n</table>\n");
  }

  void Links(std::string& out) {
    const std::string& id = report_.site.id;
    Append(&out, "<section id=\"links\">\n<h2>", L("section.links"), "</h2>\n<p class=\"intro\">",
           L("links.intro"), "</p>\n<dl class=\"summary\">\n<dt>", L("links.total_transitions"),
           "</dt><dd>", V("tagged", id, "", "transitions"), "</dd>\n<dt>",
           L("links.cross_border_transitions"), "</dt><dd>",
           V("tagged", id, "", "cross_border_transitions"), "</dd>\n<dt>",
           L("links.cross_border_share"), "</dt><dd>", V("tagged", id, "", "cross_border_share"),
           " %</dd>\n</dl>\n");
    Append(&out, "<h3>", L("links.outgoing"), "</h3>\n");
    LinkTable(out, "links_out", report_.links.outgoing);
    Append(&out, "<h3>", L("links.incoming"), "</h3>\n");
    LinkTable(out, "links_in", report_.links.incoming);
    Append(&out, "</section>\n");
  }

  void Nearby(std::string& out) {
    const std::string& id = report_.site.id;
    Append(&out, "<section id=\"nearby\">\n<h2>", L("section.nearby"), "</h2>\n<p>",
           html_.LabelWith("nearby.intro", {V("nearby", id, "", "radius_km")}), "</p>\n");
    if (report_.nearby_unprotected.empty()) {
      Append(&out, "<p class=\"muted\">", L("nearby.none"), "</p>\n</section>\n");
      return;
    }
    Append(&out, "<table class=\"nearby\">\n<thead><tr>", Th("links.number"), Th("links.site"),
           Th("links.country"), Th("nearby.distance", true), Th("links.individuals", true),
           Th("nearby.stopovers", true), Th("nearby.stopover_days", true), Th("links.species"),
           "</tr></thead>\n<tbody>\n");
    for (std::size_t i = 0; i < report_.nearby_unprotected.size(); ++i) {
      const NearbyStopoverSite& nearby = report_.nearby_unprotected[i];
      const std::string& node = nearby.node_id;
      Append(&out, "<tr><td>", HtmlEscape(nearby_numbers_[i]), "</td><th scope=\"row\">",
             V("nearby", node, "", "name"));
      if (!nearby.catalogued) {
        Append(&out, "<span class=\"sub\">", L("links.discovered"), "</span>");
      }
      Append(&out, "</th><td>", V("nearby", node, "", "country"), " (",
             V("nearby", node, "", "country_code"), ")</td>",
             NumCell("nearby", node, "", "distance_km"), NumCell("nearby", node, "", "individuals"),
             NumCell("nearby", node, "", "stopovers"), NumCell("nearby", node, "", "stopover_days"),
             "<td>", V("nearby", node, "", "species"), "</td></tr>\n");
    }
    Append(&out, "</tbody>\n</table>\n</section>\n");
  }

  void CoverageSection(std::string& out) {
    const std::string& id = report_.site.id;
    Append(&out, "<section id=\"coverage\">\n<h2>", L("section.coverage"),
           "</h2>\n<dl class=\"summary\">\n<dt>", L("coverage.seasons"), "</dt><dd>",
           V("coverage", id, "", "seasons"), "</dd>\n<dt>", L("coverage.seasons_without_counts"),
           "</dt><dd>", V("coverage", id, "", "seasons_without_counts"), "</dd>\n<dt>",
           L("coverage.surveys"), "</dt><dd>", V("coverage", id, "", "surveys"), "</dd>\n<dt>",
           L("coverage.counts"), "</dt><dd>", V("coverage", id, "", "counts"), "</dd>\n</dl>\n<h3>",
           L("coverage.caveats"), "</h3>\n");
    const std::vector<const ReportRow*> caveats = table_.TakeAll("coverage", "caveat");
    if (caveats.empty()) {
      Append(&out, "<p class=\"muted\">", L("coverage.no_caveats"), "</p>\n");
    } else {
      Append(&out, "<ul class=\"caveats\">\n");
      for (const ReportRow* row : caveats) {
        Append(&out, "<li data-caveat=\"", HtmlEscape(row->item), "\"><span data-key=\"",
               HtmlEscape(RowKey(*row)), "\">", HtmlEscape(row->value), "</span>",
               html_.Marks(row->fallback, row->unverified), "</li>\n");
      }
      Append(&out, "</ul>\n");
    }
    Append(&out, "</section>\n");
  }

  void Footnotes(std::string& out) {
    if (!html_.used_fallback() && !html_.used_unverified()) return;
    Append(&out, "<aside id=\"footnotes\" class=\"footnotes\">\n");
    if (html_.used_fallback()) {
      Append(&out, "<p><span class=\"mark\">", kFallbackMark, "</span> ",
             html_.Plain("note.fallback"), "</p>\n");
    }
    if (html_.used_unverified()) {
      Append(&out, "<p><span class=\"mark\">", kUnverifiedMark, "</span> ",
             html_.Plain("note.unverified"), "</p>\n");
    }
    Append(&out, "</aside>\n");
  }

  void Footer(std::string& out) {
    Append(&out, "<footer>\n<p>",
           html_.LabelWith("report.generated",
                           {Cat("<time datetime=\"", FormatIsoUtc(report_.generated_ms), "\">",
                                FormatIsoUtc(report_.generated_ms), "</time>")}),
           " \xC2\xB7 ",
           html_.LabelWith("report.flyway_version", {Cat("<span class=\"flyway-version\">",
                                                         Cat(report_.flyway_version), "</span>")}),
           "</p>\n<p>", L("report.sources_note"), "</p>\n");
    if (!report_.site.sources.empty()) {
      Append(&out, "<p>", L("report.site_sources"), ":</p>\n<ul lang=\"en\">\n");
      for (const std::string& source : report_.site.sources) {
        Append(&out, "<li>", HtmlEscape(source), "</li>\n");
      }
      Append(&out, "</ul>\n");
    }
    Append(&out, "</footer>\n");
  }

  const SiteReport& report_;
  const Labels& labels_;
  HtmlLabels html_;
  const MapBackground& background_;
  ReportTable table_;
  LocalText site_name_;
  std::vector<int> seasons_;
  std::map<std::string, std::string> place_numbers_;  // node id -> "1", "2"...
  std::vector<std::string> nearby_numbers_;           // "N1"...
};

}  // namespace

std::string SiteReportHtml(const SiteReport& report, const Labels& labels,
                           const MapBackground& background) {
  return SiteReportPage(report, labels, background).Render();
}

}  // namespace wetlink::reports::internal
