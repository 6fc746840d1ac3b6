// The site report in every format and language, from a small hand-made
// report: a square site in the DPRK with two counted species and one only
// tagged, links out and in (two across a border, one site in both
// directions), a discovered stopover nearby, caveats, a name with no
// Chinese or Russian form, and hostile text in the imported fields.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/geometry/algorithms/convert.hpp>
#include <boost/geometry/algorithms/correct.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "reports/labels.h"
#include "reports/render.h"
#include "reports/site_report.h"
#include "telemetry/timestamp.h"

namespace wetlink::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kHostileNote[] = "Lakes <script>alert(\"x\")</script> & \"Sobonpho\"";
constexpr char kHostileGeometryNote[] = "Disc of the stated area <img src=x onerror=alert(1)>";

geo::MultiPolygon Box(double lon_min, double lat_min, double lon_max, double lat_max) {
  geo::Polygon polygon;
  boost::geometry::convert(geo::Box({lon_min, lat_min}, {lon_max, lat_max}), polygon);
  boost::geometry::correct(polygon);
  return {polygon};
}

std::int32_t Day(int y, unsigned m, unsigned d) {
  return static_cast<std::int32_t>(telemetry::DaysFromCivil(y, m, d));
}

telemetry::TimestampMs Ms(int y, unsigned m, unsigned d, int h = 0) {
  return telemetry::TimestampFromCivil(y, m, d, h);
}

catalog::Species MakeSpecies(std::string id, std::string scientific,
                             std::map<std::string, std::string> names, std::string iucn,
                             double population, std::optional<int> published) {
  catalog::Species species;
  species.id = std::move(id);
  species.scientific_name = std::move(scientific);
  species.names = std::move(names);
  species.iucn_category = std::move(iucn);
  species.population.estimate = population;
  species.population.year = 2020;
  species.published_one_percent = published;
  return species;
}

SeasonPeak Peak(int season, std::int64_t peak, std::int32_t date, std::uint32_t surveys) {
  return {.season = season, .peak = peak, .peak_date_days = date, .surveys = surveys};
}

LinkedSite Link(LinkDirection direction, std::string id, bool catalogued,
                std::map<std::string, std::string> names, std::string country, double lat,
                double lon, std::uint32_t individuals, std::uint32_t transitions,
                bool cross_border) {
  LinkedSite link;
  link.direction = direction;
  link.node_id = std::move(id);
  link.catalogued = catalogued;
  link.names = std::move(names);
  link.country = std::move(country);
  link.is_protected = catalogued;
  link.position = {.lat = lat, .lon = lon};
  link.individuals = individuals;
  link.transitions = transitions;
  link.median_travel_days = 1.75;
  link.median_distance_km = 270.44;
  link.species = {"grus_monacha"};
  link.cross_border = cross_border;
  return link;
}

SiteReport SampleReport() {
  SiteReport report;
  catalog::Site& site = report.site;
  site.id = "rason_test";
  site.names = {{"en", "Rason Migratory Bird Reserve"}, {"ko", "라선철새보호구"}};
  site.names_unverified = {"ko"};
  site.alt_names = {"Sonbong Migratory Bird Reserve"};
  site.country = "KP";
  site.complex_id = "tumen_estuary";
  site.designations = {{.kind = catalog::DesignationKind::kRamsar,
                        .title = "Ramsar Site no. 2343",
                        .year = 2018,
                        .date = "2018-01-16",
                        .number = "2343",
                        .source = "S28"},
                       {.kind = catalog::DesignationKind::kNatureReserve,
                        .title = "National Migratory Bird Reserve",
                        .year = 1995,
                        .date = "",
                        .number = "",
                        .source = "S28"}};
  site.is_protected = true;
  site.stated_area_ha = 3525.7;
  site.area_source = "S1 (seed Table 2)";
  site.centre = {.lat = 42.3333, .lon = 130.5833};
  site.centre_verified = true;
  site.geometry_surveyed = false;
  site.geometry_note = kHostileGeometryNote;
  site.geometry = Box(130.55, 42.30, 130.62, 42.36);
  site.sources = {"S1: NEASPEC, Tumen estuary report", "S28: Ramsar Sites Information Service"};
  site.notes = kHostileNote;
  site.origin = "bundled";

  catalog::Complex complex;
  complex.id = "tumen_estuary";
  complex.names = {{"en", "Tumen River Estuary wetlands"},
                   {"zh", "图们江口湿地"},
                   {"ru", "водно-болотные угодья устья реки Туманной"},
                   {"ko", "두만강 하구 습지"}};
  complex.countries = {"KP", "CN", "RU"};
  report.complex = complex;

  report.period = {.from_days = Day(2019, 7, 1), .to_days = Day(2024, 6, 30)};

  report.species = {
      MakeSpecies("antigone_vipio", "Antigone vipio",
                  {{"en", "White-naped Crane"},
                   {"zh", "白枕鹤"},
                   {"ru", "даурский журавль"},
                   {"ko", "재두루미"}},
                  "VU", 5000, std::nullopt),
      MakeSpecies(
          "grus_monacha", "Grus monacha",
          {{"en", "Hooded Crane"}, {"zh", "白头鹤"}, {"ru", "чёрный журавль"}, {"ko", "흑두루미"}},
          "VU", 1600, 16),
      MakeSpecies("platalea_minor", "Platalea minor",
                  {{"en", "Black-faced Spoonbill"},
                   {"zh", "黑脸琵鹭"},
                   {"ru", "малая колпица"},
                   {"ko", "저어새"}},
                  "EN", 7081, std::nullopt),
  };

  SpeciesAssessment hooded;
  hooded.species_id = "grus_monacha";
  hooded.peaks = {Peak(2019, 120, Day(2019, 10, 21), 3), Peak(2020, 0, Day(2020, 10, 2), 1),
                  Peak(2021, 200, Day(2021, 10, 18), 4), Peak(2022, 150, Day(2023, 3, 30), 2),
                  Peak(2023, 180, Day(2023, 10, 25), 3)};
  hooded.one_percent = {.value = 16, .derived = false, .basis = "WPE 1 % level", .source = "S52"};
  hooded.percent_of_threshold = 812.5;
  hooded.criterion6 = {.threshold = 16,
                       .seasons_with_data = 5,
                       .seasons_at_or_above = 4,
                       .mean_recent_peaks = 130,
                       .seasons_in_mean = 5,
                       .regularity = Regularity::kTwoThirdsOfSeasons};
  SpeciesAssessment white_naped;
  white_naped.species_id = "antigone_vipio";
  white_naped.peaks = {Peak(2021, 35, Day(2022, 3, 28), 2), Peak(2023, 12, Day(2024, 3, 20), 1)};
  white_naped.one_percent = {.value = 50,
                             .derived = true,
                             .basis = "1 % of 5,000, rounded by the WPE rules",
                             .source = "S59"};
  white_naped.percent_of_threshold = 47.0;
  white_naped.criterion6 = {.threshold = 50,
                            .seasons_with_data = 2,
                            .seasons_at_or_above = 0,
                            .mean_recent_peaks = 23.5,
                            .seasons_in_mean = 2,
                            .regularity = Regularity::kInsufficientData};
  report.assessments = {white_naped, hooded};

  report.total.peaks = {Peak(2019, 300, Day(2019, 10, 21), 3), Peak(2020, 15, Day(2020, 10, 2), 1),
                        Peak(2021, 450, Day(2021, 10, 18), 4), Peak(2022, 210, Day(2023, 3, 30), 2),
                        Peak(2023, 260, Day(2023, 10, 25), 3)};
  report.total.criterion5 = {.threshold = kCriterion5Waterbirds,
                             .seasons_with_data = 5,
                             .seasons_at_or_above = 0,
                             .mean_recent_peaks = 247,
                             .seasons_in_mean = 5,
                             .regularity = Regularity::kNotMet};

  TaggedUse& tagged = report.tagged;
  tagged.individuals = 7;
  tagged.visits = 11;
  tagged.median_stay_days = 4.5;
  tagged.seasons = {
      {.species_id = "grus_monacha",
       .season = "spring",
       .season_year = 2022,
       .individuals = 3,
       .visits = 4,
       .median_stay_days = 3.25,
       .first_arrival_ms = Ms(2022, 3, 14, 6),
       .median_arrival_ms = Ms(2022, 3, 20, 12),
       .median_departure_ms = Ms(2022, 3, 24, 5),
       .last_departure_ms = Ms(2022, 4, 2, 18)},
      {.species_id = "grus_monacha",
       .season = "autumn",
       .season_year = 2022,
       .individuals = 2,
       .visits = 2,
       .median_stay_days = 6,
       .first_arrival_ms = Ms(2022, 10, 11),
       .median_arrival_ms = Ms(2022, 10, 15),
       .median_departure_ms = Ms(2022, 10, 22),
       .last_departure_ms = Ms(2022, 10, 30)},
      {.species_id = "platalea_minor",
       .season = "breeding",
       .season_year = 2023,
       .individuals = 2,
       .visits = 5,
       .median_stay_days = 12.5,
       .first_arrival_ms = Ms(2023, 5, 2),
       .median_arrival_ms = Ms(2023, 5, 9),
       .median_departure_ms = Ms(2023, 7, 30),
       .last_departure_ms = Ms(2023, 8, 20)},
  };
  tagged.individuals_by_month = {0, 1, 3, 4, 2, 2, 2, 1, 0, 2, 1, 0};
  tagged.tracked_individuals = 40;

  report.links.outgoing = {
      Link(LinkDirection::kOut, "khanka_ru", true,
           {{"en", "Lake Khanka (Khankaisky Nature Reserve)"},
            {"ru", "озеро Ханка (Ханкайский заповедник)"}},
           "RU", 44.95, 132.42, 3, 4, true),
      Link(LinkDirection::kOut, "cand_0042", false, {}, "KP", 42.05, 130.25, 1, 1, false),
  };
  report.links.incoming = {
      Link(LinkDirection::kIn, "cheorwon", true, {{"en", "Cheorwon Basin"}, {"ko", "철원평야"}},
           "KR", 38.25, 127.25, 2, 2, true),
      Link(LinkDirection::kIn, "khanka_ru", true,
           {{"en", "Lake Khanka (Khankaisky Nature Reserve)"},
            {"ru", "озеро Ханка (Ханкайский заповедник)"}},
           "RU", 44.95, 132.42, 1, 2, true),
  };
  report.links.transitions = 9;
  report.links.cross_border_transitions = 6;
  report.links.cross_border_share = 6.0 / 9.0;

  report.nearby_radius_km = 30;
  NearbyStopoverSite nearby;
  nearby.node_id = "cand_0107";
  nearby.country = "CN";
  nearby.position = {.lat = 42.45, .lon = 130.45};
  nearby.distance_km = 17.345;
  nearby.individuals = 2;
  nearby.stopovers = 3;
  nearby.stopover_days = 5.25;
  nearby.species = {"grus_monacha", "antigone_vipio"};
  report.nearby_unprotected = {nearby};

  report.coverage.seasons = {2019, 2020, 2021, 2022, 2023};
  report.coverage.seasons_without_counts = {};
  report.coverage.surveys = 13;
  report.coverage.counts = 31;
  report.coverage.caveats = {{"approximate_geometry", {kHostileGeometryNote}},
                             {"threshold_derived", {"antigone_vipio"}},
                             {"few_tagged_birds", {"7"}},
                             {"site_total_partial", {}}};
  report.flyway_version = 42;
  report.generated_ms = Ms(2024, 7, 15, 8);
  return report;
}

// Outlines to draw behind the map: boxes roughly where the countries are,
// and one far away that the frame must leave out.
MapBackground SampleBackground() {
  MapBackground background;
  background.countries = {{"KP", Box(124.2, 37.7, 130.7, 42.4)},
                          {"CN", Box(121.0, 42.4, 131.2, 48.0)},
                          {"RU", Box(130.7, 42.4, 140.0, 50.0)},
                          {"KR", Box(125.0, 33.0, 129.6, 37.7)},
                          {"AU", Box(113.0, -39.0, 153.0, -11.0)}};
  return background;
}

std::shared_ptr<const Labels> Bundled(const std::string& lang) {
  absl::StatusOr<std::shared_ptr<const Labels>> labels = Labels::Bundled(lang);
  EXPECT_TRUE(labels.ok()) << labels.status();
  return *labels;
}

std::string Render(const SiteReport& report, const std::string& lang, ReportFormat format) {
  return RenderSiteReport(report, *Bundled(lang), format, SampleBackground()).body;
}

std::string Unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    for (const auto& [entity, c] : std::vector<std::pair<std::string_view, char>>{
             {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}}) {
      if (text.substr(i, entity.size()) == entity) {
        out += c;
        i += entity.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

// Every element carrying data-key="...", with the text it holds (which
// must be plain text, no markup).
std::multimap<std::string, std::string> KeyedCells(const std::string& html) {
  std::multimap<std::string, std::string> cells;
  const std::string attribute = "data-key=\"";
  for (std::size_t at = html.find(attribute); at != std::string::npos;
       at = html.find(attribute, at + 1)) {
    const std::size_t key_begin = at + attribute.size();
    const std::size_t key_end = html.find('"', key_begin);
    const std::size_t text_begin = html.find('>', key_end) + 1;
    const std::size_t text_end = html.find('<', text_begin);
    cells.emplace(Unescape(html.substr(key_begin, key_end - key_begin)),
                  Unescape(html.substr(text_begin, text_end - text_begin)));
  }
  return cells;
}

// RFC 4180 with CRLF records; fails the test on anything else.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        i += 2;
      } else if (c == '"') {
        quoted = false;
        ++i;
      } else {
        field += c;
        ++i;
      }
      continue;
    }
    if (c == '"') {
      EXPECT_TRUE(field.empty()) << "a quote inside an unquoted field at " << i;
      quoted = true;
      ++i;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      ++i;
    } else if (c == '\r') {
      EXPECT_EQ(text.substr(i, 2), "\r\n") << "a bare CR at " << i;
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
      i += 2;
    } else {
      EXPECT_NE(c, '\n') << "a bare LF at " << i;
      field += c;
      ++i;
    }
  }
  EXPECT_FALSE(quoted) << "an unterminated quoted field";
  EXPECT_TRUE(record.empty() && field.empty()) << "the last record has no CRLF";
  return records;
}

struct CsvRow {
  std::string section, item, item_name, season, measure, value, unit;
  std::string Key() const { return section + "|" + item + "|" + season + "|" + measure; }
};

std::vector<CsvRow> SiteCsvRows(const std::string& csv) {
  const std::vector<std::vector<std::string>> records = ParseCsv(csv);
  EXPECT_FALSE(records.empty());
  std::vector<CsvRow> rows;
  if (records.empty()) return rows;
  EXPECT_EQ(records[0], (std::vector<std::string>{"section", "item", "item_name", "season",
                                                  "measure", "value", "unit"}));
  for (std::size_t i = 1; i < records.size(); ++i) {
    EXPECT_EQ(records[i].size(), 7u) << "record " << i;
    if (records[i].size() != 7) continue;
    const auto& r = records[i];
    rows.push_back({r[0], r[1], r[2], r[3], r[4], r[5], r[6]});
  }
  return rows;
}

const CsvRow* FindRow(const std::vector<CsvRow>& rows, const std::string& key) {
  for (const CsvRow& row : rows) {
    if (row.Key() == key) return &row;
  }
  return nullptr;
}

std::string Section(const std::string& html, const std::string& id) {
  const std::size_t begin = html.find("<section id=\"" + id + "\"");
  if (begin == std::string::npos) return "";
  return html.substr(begin, html.find("</section>", begin) - begin);
}

class SiteReportRenderTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SiteReportRenderTest, HtmlIsOneSelfContainedPrintableDocument) {
  const std::string html = Render(SampleReport(), GetParam(), ReportFormat::kHtml);
  EXPECT_TRUE(html.starts_with("<!doctype html>\n<html lang=\"" + GetParam() + "\">"));
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("@media print"));
  EXPECT_THAT(html, HasSubstr("@page { size: A4;"));
  EXPECT_TRUE(html.ends_with("</html>\n"));
  for (const std::string id : {"facts", "site-map", "species", "criteria", "chart-peaks", "tagged",
                               "chart-presence", "links", "nearby", "coverage"}) {
    EXPECT_THAT(html, HasSubstr("<section id=\"" + id + "\">")) << id;
  }
  EXPECT_THAT(html, HasSubstr("<footer>"));
  // Nothing to run, nothing to fetch.
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, Not(HasSubstr("src=\"")));
  EXPECT_THAT(html, Not(HasSubstr("href=\"")));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
  EXPECT_THAT(html, Not(HasSubstr("https://")));
  std::string without_svg_namespace = html;
  for (std::size_t at;
       (at = without_svg_namespace.find("http://www.w3.org/2000/svg")) != std::string::npos;) {
    without_svg_namespace.erase(at, 26);
  }
  EXPECT_THAT(without_svg_namespace, Not(HasSubstr("http://")));
}

TEST_P(SiteReportRenderTest, HostileImportedTextIsEscaped) {
  const std::string html = Render(SampleReport(), GetParam(), ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("Lakes &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
                              "&quot;Sobonpho&quot;"));
  EXPECT_THAT(html, HasSubstr("&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("onerror=alert(1)>")));
}

TEST_P(SiteReportRenderTest, MapAndChartsAreInlineSvg) {
  const std::string html = Render(SampleReport(), GetParam(), ReportFormat::kHtml);
  const std::string map = Section(html, "site-map");
  EXPECT_THAT(map, HasSubstr("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\""));
  EXPECT_THAT(map, HasSubstr("class=\"site-area\""));
  EXPECT_THAT(map, HasSubstr("class=\"link cross-border\""));
  EXPECT_THAT(map, HasSubstr("<g class=\"link\">"));  // the domestic one
  EXPECT_THAT(map, HasSubstr("class=\"nearby\""));
  EXPECT_THAT(map, HasSubstr("class=\"linked protected\""));
  EXPECT_THAT(map, HasSubstr("class=\"scale-bar\""));
  EXPECT_THAT(map, HasSubstr("class=\"legend\""));
  for (const std::string code : {"KP", "CN", "RU", "KR"}) {
    EXPECT_THAT(map, HasSubstr("data-country=\"" + code + "\"")) << code;
  }
  EXPECT_THAT(map, Not(HasSubstr("data-country=\"AU\"")));  // outside the frame
  EXPECT_THAT(map, HasSubstr(">KP</text>"));
  // Every label of a country code lies in the frame (720 px wide).
  const std::string label = "<text class=\"country-code\" x=\"";
  for (std::size_t at = map.find(label); at != std::string::npos; at = map.find(label, at + 1)) {
    const double x = std::stod(map.substr(at + label.size(), 12));
    EXPECT_GE(x, 0);
    EXPECT_LE(x, 720);
  }

  const std::string peaks = Section(html, "chart-peaks");
  // The site total and one chart per counted species.
  std::size_t charts = 0;
  for (std::size_t at = peaks.find("<svg"); at != std::string::npos;
       at = peaks.find("<svg", at + 1)) {
    ++charts;
  }
  EXPECT_EQ(charts, 3u);
  EXPECT_THAT(peaks, HasSubstr("class=\"threshold\""));
  EXPECT_THAT(peaks, HasSubstr("stroke-dasharray"));
  EXPECT_THAT(Section(html, "chart-presence"), HasSubstr("<svg"));
}

TEST_P(SiteReportRenderTest, CsvValuesAreTheHtmlCells) {
  const SiteReport report = SampleReport();
  const std::string html = Render(report, GetParam(), ReportFormat::kHtml);
  const std::string csv = Render(report, GetParam(), ReportFormat::kCsv);
  EXPECT_FALSE(csv.starts_with("\xEF\xBB\xBF")) << "no byte-order mark";
  const std::vector<CsvRow> rows = SiteCsvRows(csv);
  ASSERT_GT(rows.size(), 100u);
  const std::multimap<std::string, std::string> cells = KeyedCells(html);
  const std::set<std::string> sections = {"facts",     "species",  "criterion5", "tagged",
                                          "links_out", "links_in", "nearby",     "coverage"};
  std::multimap<std::string, std::string> csv_values;
  for (const CsvRow& row : rows) {
    EXPECT_TRUE(sections.contains(row.section)) << row.section;
    csv_values.emplace(row.Key(), row.value);
  }
  // Every CSV value is printed in the HTML, in an element of its key, as
  // often as it occurs and with the same text; and the HTML holds no keyed
  // figure the CSV lacks.
  for (const auto& [key, value] : csv_values) {
    const auto [csv_begin, csv_end] = csv_values.equal_range(key);
    const auto [html_begin, html_end] = cells.equal_range(key);
    std::multiset<std::string> want;
    for (auto it = csv_begin; it != csv_end; ++it) want.insert(it->second);
    std::multiset<std::string> got;
    for (auto it = html_begin; it != html_end; ++it) got.insert(it->second);
    EXPECT_EQ(got, want) << key;
  }
  for (const auto& [key, value] : cells) {
    EXPECT_TRUE(csv_values.contains(key)) << "HTML cell without a CSV row: " << key;
  }
}

TEST_P(SiteReportRenderTest, CsvHoldsTheFigures) {
  const std::vector<CsvRow> rows =
      SiteCsvRows(Render(SampleReport(), GetParam(), ReportFormat::kCsv));
  auto value = [&](const std::string& key) {
    const CsvRow* row = FindRow(rows, key);
    EXPECT_NE(row, nullptr) << key;
    return row == nullptr ? std::string() : row->value;
  };
  EXPECT_EQ(value("species|grus_monacha|2019/20|peak"), "120");
  EXPECT_EQ(value("species|grus_monacha|2022/23|peak_date"), "2023-03-30");
  EXPECT_EQ(value("species|grus_monacha|2021/22|surveys"), "4");
  EXPECT_EQ(value("species|grus_monacha||mean_recent_peaks"), "130.0");
  EXPECT_EQ(value("species|grus_monacha||percent_of_threshold"), "812.5");
  EXPECT_EQ(value("species|grus_monacha||one_percent_threshold"), "16");
  EXPECT_EQ(value("species|antigone_vipio||percent_of_threshold"), "47.0");
  EXPECT_EQ(value("criterion5|rason_test||threshold"), "20000");
  EXPECT_EQ(value("criterion5|rason_test|2021/22|peak"), "450");
  EXPECT_EQ(value("tagged|rason_test||cross_border_share"), "66.7");
  EXPECT_EQ(value("tagged|rason_test||individuals_month_04"), "4");
  EXPECT_EQ(value("tagged|grus_monacha|spring 2022|first_arrival"), "2022-03-14");
  EXPECT_EQ(value("tagged|grus_monacha|spring 2022|median_stay_days"), "3.2");
  EXPECT_EQ(value("links_out|khanka_ru||median_distance_km"), "270.4");
  EXPECT_EQ(value("links_in|khanka_ru||individuals"), "1");
  EXPECT_EQ(value("nearby|cand_0107||distance_km"), "17.3");
  EXPECT_EQ(value("nearby|rason_test||radius_km"), "30.0");
  EXPECT_EQ(value("facts|rason_test||area_ha"), "3525.7");
  EXPECT_EQ(value("facts|ramsar||designation_number"), "2343");
  EXPECT_EQ(value("coverage|rason_test||surveys"), "13");
  const CsvRow* hooded = FindRow(rows, "species|grus_monacha||criterion6");
  ASSERT_NE(hooded, nullptr);
  EXPECT_EQ(hooded->unit, "");
  EXPECT_EQ(FindRow(rows, "species|grus_monacha|2019/20|peak")->unit, "individuals");
  // No threshold for the tagged-only species, so no threshold row.
  EXPECT_EQ(FindRow(rows, "species|platalea_minor||one_percent_threshold"), nullptr);
  EXPECT_NE(FindRow(rows, "species|platalea_minor||scientific_name"), nullptr);
}

TEST_P(SiteReportRenderTest, FallbackNamesAreMarkedAndExplained) {
  const std::string& lang = GetParam();
  const std::string html = Render(SampleReport(), lang, ReportFormat::kHtml);
  const std::string fallback = "<span class=\"fallback\" lang=\"en\">Rason Migratory Bird Reserve";
  if (lang == "zh" || lang == "ru") {
    // No Chinese or Russian name: the English one, marked, with a footnote.
    EXPECT_THAT(html, HasSubstr(fallback));
    EXPECT_THAT(html, HasSubstr("\xE2\x80\xA0</sup>"));
    EXPECT_THAT(html, HasSubstr("<aside id=\"footnotes\""));
    EXPECT_THAT(html, HasSubstr(Bundled(lang)->Get("note.fallback").text));
  } else {
    EXPECT_THAT(html, Not(HasSubstr(fallback)));
  }
  if (lang == "ko") {
    // The Korean name has no source.
    EXPECT_THAT(html, HasSubstr("<span class=\"unverified\">라선철새보호구</span>"));
    EXPECT_THAT(html, HasSubstr("\xE2\x80\xA1</sup>"));
    EXPECT_THAT(html, HasSubstr(Bundled(lang)->Get("note.unverified").text));
  }
  if (lang == "en") {
    // Every label the page uses exists in English.
    EXPECT_THAT(html, Not(HasSubstr("class=\"fallback")));
  }
}

TEST_P(SiteReportRenderTest, JsonMirrorsTheReport) {
  const std::string& lang = GetParam();
  const nlohmann::json json =
      nlohmann::json::parse(Render(SampleReport(), lang, ReportFormat::kJson));
  EXPECT_EQ(json["language"], lang);
  EXPECT_EQ(json["site"]["id"], "rason_test");
  EXPECT_EQ(json["site"]["notes"], kHostileNote);
  EXPECT_EQ(json["site"]["geometry"]["type"], "MultiPolygon");
  EXPECT_EQ(json["complex"]["id"], "tumen_estuary");
  EXPECT_EQ(json["period"]["from"], "2019-07-01");
  EXPECT_EQ(json["period"]["to"], "2024-06-30");
  ASSERT_EQ(json["assessments"].size(), 2u);
  EXPECT_EQ(json["assessments"][1]["species_id"], "grus_monacha");
  EXPECT_EQ(json["assessments"][1]["peaks"][2]["season"], "2021/22");
  EXPECT_EQ(json["assessments"][1]["peaks"][2]["season_start_year"], 2021);
  EXPECT_EQ(json["coverage"]["seasons"][0], "2019/20");
  EXPECT_EQ(json["assessments"][1]["peaks"][2]["peak"], 200);
  EXPECT_EQ(json["assessments"][1]["peaks"][3]["peak_date"], "2023-03-30");
  EXPECT_EQ(json["assessments"][1]["criterion6"]["regularity"], "two_thirds_of_seasons");
  EXPECT_EQ(json["assessments"][1]["criterion6"]["met"], true);
  EXPECT_EQ(json["assessments"][0]["one_percent"]["derived"], true);
  EXPECT_EQ(json["total"]["criterion5"]["threshold"], 20000);
  EXPECT_EQ(json["tagged"]["seasons"][0]["first_arrival"], "2022-03-14T06:00:00.000Z");
  EXPECT_EQ(json["tagged"]["individuals_by_month"][3], 4);
  EXPECT_EQ(json["links"]["outgoing"][0]["direction"], "out");
  EXPECT_EQ(json["links"]["incoming"][0]["cross_border"], true);
  EXPECT_EQ(json["nearby_unprotected"][0]["node_id"], "cand_0107");
  EXPECT_EQ(json["coverage"]["caveats"][1]["code"], "threshold_derived");
  EXPECT_EQ(json["flyway_version"], 42);
  EXPECT_EQ(json["generated"], "2024-07-15T08:00:00.000Z");
  EXPECT_EQ(json["labels"]["site"]["fallback"], lang == "zh" || lang == "ru");
  EXPECT_EQ(json["labels"]["species"]["grus_monacha"]["text"],
            SampleReport().species[1].names.at(lang));
  EXPECT_EQ(json["labels"]["countries"]["KP"]["text"], Bundled(lang)->Country("KP").text);
}

TEST_P(SiteReportRenderTest, GeoJsonHasTheSiteThePlacesAndTheLinks) {
  const nlohmann::json json =
      nlohmann::json::parse(Render(SampleReport(), GetParam(), ReportFormat::kGeoJson));
  EXPECT_EQ(json["type"], "FeatureCollection");
  const nlohmann::json& features = json["features"];
  // The site, 4 places (khanka_ru in both directions is one), 4 links.
  ASSERT_EQ(features.size(), 9u);
  EXPECT_EQ(features[0]["geometry"]["type"], "MultiPolygon");
  EXPECT_EQ(features[0]["properties"]["id"], "rason_test");
  EXPECT_TRUE(features[0]["properties"]["criteria_summary"].is_string());
  int points = 0;
  int lines = 0;
  for (const nlohmann::json& feature : features) {
    EXPECT_EQ(feature["type"], "Feature");
    const std::string type = feature["geometry"]["type"];
    if (type == "Point") ++points;
    if (type == "LineString") {
      ++lines;
      EXPECT_GE(feature["geometry"]["coordinates"].size(), 2u);
      for (const std::string key : {"direction", "individuals", "transitions", "cross_border"}) {
        EXPECT_TRUE(feature["properties"].contains(key)) << key;
      }
    }
  }
  EXPECT_EQ(points, 4);
  EXPECT_EQ(lines, 4);
  const nlohmann::json& khanka = features[1];
  EXPECT_EQ(khanka["properties"]["id"], "khanka_ru");
  EXPECT_EQ(khanka["properties"]["individuals_out"], 3);
  EXPECT_EQ(khanka["properties"]["individuals_in"], 1);
  EXPECT_EQ(khanka["geometry"]["coordinates"][0], 132.42);
  const nlohmann::json& first_link = features[5];
  EXPECT_EQ(first_link["properties"]["direction"], "out");
  EXPECT_EQ(first_link["properties"]["direction_name"],
            Bundled(GetParam())->Get("direction.out").text);
  EXPECT_EQ(first_link["properties"]["cross_border"], true);
  EXPECT_EQ(first_link["geometry"]["coordinates"][0][0], 130.5833);
}

INSTANTIATE_TEST_SUITE_P(Languages, SiteReportRenderTest, ::testing::Values("en", "zh", "ru", "ko"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(SiteReportRenderTest, LabelsAreInTheLanguage) {
  const SiteReport report = SampleReport();
  const std::string zh = Render(report, "zh", ReportFormat::kHtml);
  EXPECT_THAT(zh, HasSubstr("html { font-family: \"Noto Sans CJK SC\", \"Noto Sans\", "
                            "\"DejaVu Sans\", sans-serif; }"));
  EXPECT_THAT(zh, HasSubstr("站点概况"));
  EXPECT_THAT(zh, HasSubstr(">1月</text>"));             // month axis
  EXPECT_THAT(zh, HasSubstr("<title>十二月"));           // full month name
  EXPECT_THAT(zh, HasSubstr("朝鲜民主主义人民共和国"));  // the site's country
  EXPECT_THAT(zh, HasSubstr("白头鹤"));
  EXPECT_THAT(zh, HasSubstr("2022年春季"));
  EXPECT_THAT(zh, HasSubstr("图们江口湿地"));
  const std::string ru = Render(report, "ru", ReportFormat::kHtml);
  EXPECT_THAT(ru, HasSubstr("html { font-family: \"Noto Sans\", \"DejaVu Sans\", sans-serif; }"));
  EXPECT_THAT(ru, HasSubstr("Сведения об угодье"));
  EXPECT_THAT(ru, HasSubstr(">апр</text>"));
  EXPECT_THAT(ru, HasSubstr("озеро Ханка (Ханкайский заповедник)"));
  EXPECT_THAT(ru, HasSubstr("весна 2022"));
  const std::string ko = Render(report, "ko", ReportFormat::kHtml);
  EXPECT_THAT(ko, HasSubstr("html { font-family: \"Noto Sans CJK KR\", \"Noto Sans\""));
  // A Korean name in a Chinese page keeps the Korean forms, and the reverse.
  EXPECT_THAT(zh, HasSubstr(":lang(ko) { font-family: \"Noto Sans CJK KR\""));
  EXPECT_THAT(ko, HasSubstr(":lang(zh) { font-family: \"Noto Sans CJK SC\""));
  EXPECT_THAT(ko, HasSubstr("습지 개요"));
  EXPECT_THAT(ko, HasSubstr("철원평야"));
  EXPECT_THAT(ko, HasSubstr("2022년 봄"));
  EXPECT_THAT(ko, HasSubstr("조선민주주의인민공화국"));
  const std::string en = Render(report, "en", ReportFormat::kHtml);
  EXPECT_THAT(en, HasSubstr("html { font-family: \"Noto Sans\", \"DejaVu Sans\", sans-serif; }"));
  EXPECT_THAT(en, HasSubstr("Democratic People&#39;s Republic of Korea"));

  // The caveat about a derived threshold names the species in the language.
  const std::vector<CsvRow> zh_rows = SiteCsvRows(Render(report, "zh", ReportFormat::kCsv));
  const CsvRow* derived = FindRow(zh_rows, "coverage|threshold_derived||caveat");
  ASSERT_NE(derived, nullptr);
  EXPECT_THAT(derived->value, HasSubstr("白枕鹤"));
  EXPECT_EQ(FindRow(zh_rows, "species|grus_monacha||scientific_name")->item_name, "白头鹤");
}

TEST(SiteReportRenderTest, LabelsMissingFromAFileAreMarked) {
  absl::StatusOr<Labels> partial =
      Labels::FromJson(R"({"language": "ru", "labels": {"section.facts": "Сведения об угодье"}})",
                       "partial.json", Bundled("en"));
  ASSERT_TRUE(partial.ok());
  const std::string html =
      RenderSiteReport(SampleReport(), *partial, ReportFormat::kHtml, SampleBackground()).body;
  EXPECT_THAT(html, HasSubstr("<h2>Сведения об угодье</h2>"));
  EXPECT_THAT(html, HasSubstr("<h2><span class=\"fallback\" lang=\"en\">Map</span>"));
  EXPECT_THAT(html, HasSubstr("<aside id=\"footnotes\""));
}

TEST(SiteReportRenderTest, FileNamesAndContentTypes) {
  const SiteReport report = SampleReport();
  const MapBackground background = SampleBackground();
  const RenderedDocument html =
      RenderSiteReport(report, *Bundled("ru"), ReportFormat::kHtml, background);
  EXPECT_EQ(html.file_name, "rason_test-2019-07-01-2024-06-30-ru.html");
  EXPECT_EQ(html.content_type, "text/html; charset=utf-8");
  const RenderedDocument csv =
      RenderSiteReport(report, *Bundled("ko"), ReportFormat::kCsv, background);
  EXPECT_EQ(csv.file_name, "rason_test-2019-07-01-2024-06-30-ko.csv");
  EXPECT_THAT(csv.content_type, HasSubstr("text/csv"));
  EXPECT_EQ(RenderSiteReport(report, *Bundled("en"), ReportFormat::kGeoJson, background).file_name,
            "rason_test-2019-07-01-2024-06-30-en.geojson");
  EXPECT_EQ(RenderSiteReport(report, *Bundled("en"), ReportFormat::kJson, background).content_type,
            "application/json");
}

TEST(SiteReportRenderTest, AnEmptyReportRendersInEveryFormat) {
  SiteReport empty;
  empty.site.id = "empty";
  empty.site.names = {{"en", "Nothing here"}};
  for (const ReportFormat format :
       {ReportFormat::kHtml, ReportFormat::kCsv, ReportFormat::kJson, ReportFormat::kGeoJson}) {
    const RenderedDocument document =
        RenderSiteReport(empty, *Bundled("zh"), format, MapBackground{});
    EXPECT_FALSE(document.body.empty());
  }
  const std::string html = RenderSiteReport(empty, *Bundled("en"), ReportFormat::kHtml, {}).body;
  EXPECT_THAT(html, HasSubstr(Bundled("en")->Get("tagged.none").text));
  EXPECT_THAT(html, HasSubstr(Bundled("en")->Get("links.none").text));
  const std::string geojson =
      RenderSiteReport(empty, *Bundled("en"), ReportFormat::kGeoJson, {}).body;
  EXPECT_TRUE(nlohmann::json::accept(geojson)) << geojson.substr(0, 500);
}

TEST(SiteReportRenderTest, TextThatIsNotUtf8IsReplacedNotPassedOn) {
  SiteReport report = SampleReport();
  report.site.notes = "bad \xFF byte";
  for (const ReportFormat format : {ReportFormat::kHtml, ReportFormat::kCsv, ReportFormat::kJson}) {
    const std::string body = RenderSiteReport(report, *Bundled("en"), format, {}).body;
    EXPECT_THAT(body, Not(HasSubstr("\xFF"))) << ReportFormatName(format);
    EXPECT_THAT(body, HasSubstr("bad \xEF\xBF\xBD byte")) << ReportFormatName(format);
  }
}

// Not a check: the sample report in every language, HTML, CSV, JSON and
// GeoJSON, under the build folder, for a person to open.
TEST(SiteReportRenderTest, WritesSamples) {
  const std::filesystem::path dir = WETLINK_RENDER_SAMPLES_DIR;
  std::filesystem::create_directories(dir);
  const SiteReport report = SampleReport();
  const MapBackground background = SampleBackground();
  for (const std::string lang : {"en", "zh", "ru", "ko"}) {
    for (const ReportFormat format :
         {ReportFormat::kHtml, ReportFormat::kCsv, ReportFormat::kJson, ReportFormat::kGeoJson}) {
      if (format != ReportFormat::kHtml && lang != "en") continue;
      const RenderedDocument document =
          RenderSiteReport(report, *Bundled(lang), format, background);
      std::ofstream out(dir / document.file_name, std::ios::binary);
      out << document.body;
      EXPECT_TRUE(out.good()) << document.file_name;
    }
  }
}

}  // namespace
}  // namespace wetlink::reports
