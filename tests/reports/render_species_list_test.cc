// The joint species list in HTML, CSV and JSON, from a hand-made list of
// three Tumen estuary sites over two count seasons.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/labels.h"
#include "reports/render.h"
#include "reports/species_list.h"
#include "telemetry/timestamp.h"

namespace wetlink::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

catalog::Species MakeSpecies(std::string id, std::string scientific,
                             std::map<std::string, std::string> names, std::string iucn,
                             double population, std::optional<int> published) {
  catalog::Species species;
  species.id = std::move(id);
  species.scientific_name = std::move(scientific);
  species.names = std::move(names);
  species.iucn_category = std::move(iucn);
  species.population.estimate = population;
  species.published_one_percent = published;
  return species;
}

SpeciesList SampleList(bool with_complex) {
  SpeciesList list;
  if (with_complex) {
    catalog::Complex complex;
    complex.id = "tumen_estuary";
    complex.names = {{"en", "Tumen River Estuary wetlands"},
                     {"zh", "图们江口湿地"},
                     {"ru", "водно-болотные угодья устья реки Туманной"},
                     {"ko", "두만강 하구 습지"}};
    list.complex = complex;
  }
  list.sites = {
      {.id = "rason",
       .names = {{"en", "Rason Migratory Bird Reserve"}, {"ko", "라선철새보호구"}},
       .names_unverified = {"ko"},
       .country = "KP"},
      {.id = "fangchuan",
       .names = {{"en", "Fangchuan National Scenic Park"}, {"zh", "防川国家级风景名胜区"}},
       .names_unverified = {},
       .country = "CN"},
      {.id = "khasansky_south",
       .names = {{"en", "Khasansky Nature Park (southern cluster)"},
                 {"ru", "Природный парк «Хасанский» (южный кластер)"}},
       .names_unverified = {},
       .country = "RU"},
  };
  list.period = {.from_days = static_cast<std::int32_t>(telemetry::DaysFromCivil(2021, 7, 1)),
                 .to_days = static_cast<std::int32_t>(telemetry::DaysFromCivil(2023, 6, 30))};
  list.seasons = {2021, 2022};
  list.species = {
      MakeSpecies("antigone_vipio", "Antigone vipio",
                  {{"en", "White-naped Crane"},
                   {"zh", "白枕鹤"},
                   {"ru", "даурский журавль"},
                   {"ko", "재두루미"}},
                  "VU", 5000, std::nullopt),
      MakeSpecies("grus_monacha", "Grus monacha",
                  {{"en", "Hooded Crane"}, {"zh", "白头鹤"}, {"ru", "чёрный, \"журавль\""}}, "VU",
                  1600, 16),
  };
  list.entries = {
      {.species_id = "antigone_vipio",
       .max_by_site_season = {{std::nullopt, std::nullopt},
                              {3, std::nullopt},
                              {std::nullopt, std::nullopt}},
       .overall_max = 3},
      {.species_id = "grus_monacha",
       .max_by_site_season = {{12, std::nullopt}, {std::nullopt, 30}, {5, 7}},
       .overall_max = 30},
  };
  list.counts = 17;
  return list;
}

std::shared_ptr<const Labels> Bundled(const std::string& lang) { return *Labels::Bundled(lang); }

RenderedDocument Render(const SpeciesList& list, const std::string& lang, ReportFormat format) {
  absl::StatusOr<RenderedDocument> document =
      RenderSpeciesList(list, *Bundled(lang), format, "format");
  EXPECT_TRUE(document.ok()) << document.status();
  return document.ok() ? *document : RenderedDocument{};
}

TEST(SpeciesListRenderTest, HtmlTableHasNamesInEveryLanguageAndTheCounts) {
  const std::string html = Render(SampleList(true), "zh", ReportFormat::kHtml).body;
  EXPECT_TRUE(html.starts_with("<!doctype html>\n<html lang=\"zh\">"));
  EXPECT_THAT(html, HasSubstr("size: A4 landscape"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, HasSubstr("<table id=\"species-list\""));
  // The complex and the sites, in the language or marked.
  EXPECT_THAT(html, HasSubstr("<h1>图们江口湿地</h1>"));
  EXPECT_THAT(html, HasSubstr("防川国家级风景名胜区"));
  EXPECT_THAT(
      html, HasSubstr("<span class=\"fallback\" lang=\"en\">Rason Migratory Bird Reserve</span>"));
  EXPECT_THAT(html, HasSubstr("朝鲜民主主义人民共和国"));
  // Every species in all four languages, and the scientific name.
  for (const std::string name : {"White-naped Crane", "白枕鹤", "даурский журавль", "재두루미",
                                 "Hooded Crane", "白头鹤", "Antigone vipio", "Grus monacha"}) {
    EXPECT_THAT(html, HasSubstr(name)) << name;
  }
  EXPECT_THAT(html, HasSubstr("чёрный, &quot;журавль&quot;"));
  EXPECT_THAT(html, HasSubstr("<td lang=\"ko\">재두루미</td>"));
  EXPECT_THAT(html, HasSubstr("易危 (VU)"));
  // Counts where there are some, a dash where the species was not counted.
  EXPECT_THAT(html, HasSubstr("data-key=\"grus_monacha|fangchuan|2022/23\">30</td>"));
  EXPECT_THAT(html, HasSubstr("data-key=\"grus_monacha|khasansky_south|2021/22\">5</td>"));
  EXPECT_THAT(html, HasSubstr("data-key=\"antigone_vipio|fangchuan|2021/22\">3</td>"));
  EXPECT_THAT(html, Not(HasSubstr("data-key=\"antigone_vipio|rason|")));
  EXPECT_THAT(html, HasSubstr("<td class=\"nodata\" title=\"未计数\">\xE2\x80\x93</td>"));
  // Thresholds: published for the Hooded Crane, derived for the other.
  EXPECT_THAT(html, HasSubstr(">16</td>"));
  EXPECT_THAT(html, HasSubstr(Bundled("zh")->Get("list.derived").text));
  EXPECT_THAT(html, HasSubstr("2021/22"));
  EXPECT_THAT(html, HasSubstr("<aside id=\"footnotes\""));
}

TEST(SpeciesListRenderTest, CsvHasOneRowPerSpeciesSiteAndSeasonWithACount) {
  const RenderedDocument document = Render(SampleList(true), "ru", ReportFormat::kCsv);
  EXPECT_EQ(document.file_name, "species-list-tumen_estuary-ru.csv");
  const std::string& csv = document.body;
  EXPECT_FALSE(csv.starts_with("\xEF\xBB\xBF"));
  const std::string header =
      "species_id,scientific_name,name_en,name_zh,name_ru,name_ko,iucn_category,"
      "one_percent_threshold,site_id,site_name,country,season,max_count\r\n";
  ASSERT_TRUE(csv.starts_with(header));
  std::vector<std::string> lines;
  for (std::size_t at = header.size(); at < csv.size();) {
    const std::size_t end = csv.find("\r\n", at);
    ASSERT_NE(end, std::string::npos);
    lines.push_back(csv.substr(at, end - at));
    at = end + 2;
  }
  // antigone 1 + grus 4 counts.
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0],
            "antigone_vipio,Antigone vipio,White-naped Crane,白枕鹤,даурский журавль,재두루미,VU,"
            "50,fangchuan,Fangchuan National Scenic Park,CN,2021/22,3");
  EXPECT_EQ(lines[1],
            "grus_monacha,Grus monacha,Hooded Crane,白头鹤,\"чёрный, \"\"журавль\"\"\",,VU,16,"
            "rason,Rason Migratory Bird Reserve,KP,2021/22,12");
  EXPECT_THAT(lines[4], HasSubstr("khasansky_south,Природный парк «Хасанский» (южный кластер),RU,"
                                  "2022/23,7"));
}

TEST(SpeciesListRenderTest, JsonHoldsTheListWithNullsForNoCount) {
  const nlohmann::json json =
      nlohmann::json::parse(Render(SampleList(true), "ko", ReportFormat::kJson).body);
  EXPECT_EQ(json["language"], "ko");
  EXPECT_EQ(json["complex"]["id"], "tumen_estuary");
  EXPECT_EQ(json["sites"].size(), 3u);
  EXPECT_EQ(json["sites"][0]["name"]["text"], "라선철새보호구");
  EXPECT_EQ(json["sites"][0]["name"]["unverified"], true);
  EXPECT_EQ(json["seasons"], nlohmann::json::array({"2021/22", "2022/23"}));
  EXPECT_EQ(json["entries"][1]["max_by_site_season"][1][1], 30);
  EXPECT_TRUE(json["entries"][1]["max_by_site_season"][0][1].is_null());
  EXPECT_EQ(json["species"][1]["one_percent"]["value"], 16);
  EXPECT_EQ(json["counts"], 17);
}

TEST(SpeciesListRenderTest, GeoJsonIsRefusedNamingTheField) {
  const absl::StatusOr<RenderedDocument> document =
      RenderSpeciesList(SampleList(true), *Bundled("en"), ReportFormat::kGeoJson, "query.format");
  ASSERT_FALSE(document.ok());
  EXPECT_EQ(document.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(document.status().message(), HasSubstr("query.format: 'geojson'"));
}

TEST(SpeciesListRenderTest, FileNamesNameTheComplexOrTheSites) {
  EXPECT_EQ(Render(SampleList(true), "en", ReportFormat::kHtml).file_name,
            "species-list-tumen_estuary-en.html");
  const RenderedDocument sites = Render(SampleList(false), "en", ReportFormat::kJson);
  EXPECT_EQ(sites.file_name, "species-list-rason-fangchuan-khasansky_south-en.json");
  EXPECT_EQ(sites.content_type, "application/json");
  const std::string html = Render(SampleList(false), "en", ReportFormat::kHtml).body;
  EXPECT_THAT(html, HasSubstr("<h1>Joint species list</h1>"));
  EXPECT_THAT(html, Not(HasSubstr("class=\"fallback")));
}

TEST(SpeciesListRenderTest, AnEmptyListRenders) {
  SpeciesList empty;
  for (const ReportFormat format : {ReportFormat::kHtml, ReportFormat::kCsv, ReportFormat::kJson}) {
    EXPECT_FALSE(Render(empty, "ru", format).body.empty());
  }
  EXPECT_THAT(Render(empty, "en", ReportFormat::kHtml).body,
              HasSubstr(Bundled("en")->Get("list.no_species").text));
}

// Not a check: the sample list in HTML for a person to open.
TEST(SpeciesListRenderTest, WritesSamples) {
  const std::filesystem::path dir = WETLINK_RENDER_SAMPLES_DIR;
  std::filesystem::create_directories(dir);
  for (const std::string lang : {"en", "zh", "ru", "ko"}) {
    const RenderedDocument document = Render(SampleList(true), lang, ReportFormat::kHtml);
    std::ofstream out(dir / document.file_name, std::ios::binary);
    out << document.body;
    EXPECT_TRUE(out.good());
  }
}

}  // namespace
}  // namespace wetlink::reports
