// End-to-end tests of wetlinkd and the wetlink CLI: each test starts the real
// server on 127.0.0.1:<free port> with a fresh data folder and drives it
// through the real CLI, checking output, exit codes and what was stored.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "gdal.h"
#include "gdal_priv.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ogr_feature.h"
#include "ogr_geometry.h"
#include "ogr_spatialref.h"
#include "ogrsf_frmts.h"
#include "tests/integration/wetlinkd_process.h"

namespace wetlink::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

// Exit codes of the CLI (cli/exit_codes.h), spelled out so that a change to
// them shows up here.
constexpr int kOk = 0;
constexpr int kUsage = 2;
constexpr int kUnavailable = 3;
constexpr int kNotFound = 4;
constexpr int kInvalid = 5;

constexpr int kBundledSites = 35;

const std::string kFixtures = WETLINK_INTEGRATION_FIXTURES_DIR;
std::string Fixture(const std::string& name) { return kFixtures + "/" + name; }

// ---------------------------------------------------------------------------
// JSON helpers

json ParseJson(const RunResult& r) {
  json parsed = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) ADD_FAILURE() << "output is not JSON: " << r.Describe();
  return parsed;
}

std::vector<std::string> Ids(const json& sites) {
  std::vector<std::string> ids;
  if (!sites.is_array()) return ids;
  for (const json& s : sites) ids.push_back(s.value("id", ""));
  return ids;
}

const json* FindById(const json& sites, const std::string& id) {
  if (!sites.is_array()) return nullptr;
  for (const json& s : sites) {
    if (s.value("id", "") == id) return &s;
  }
  return nullptr;
}

std::string EnglishName(const json& site) {
  if (!site.contains("names") || !site["names"].contains("en")) return "";
  return site["names"]["en"].get<std::string>();
}

// Lines of CSV text (CRLF-terminated records, none quoted across lines here).
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// ---------------------------------------------------------------------------
// GDAL helpers: files made at test time, and reading exported files.

void EnsureGdal() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

OGRSpatialReference Srs(int epsg) {
  OGRSpatialReference srs;
  srs.importFromEPSG(epsg);
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

struct DatasetCloser {
  void operator()(GDALDataset* d) const { GDALClose(GDALDataset::ToHandle(d)); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct TransformDeleter {
  void operator()(OGRCoordinateTransformation* t) const {
    OGRCoordinateTransformation::DestroyCT(t);
  }
};

// (x, y) of lon/lat in the CRS `epsg`.
std::pair<double, double> Project(double lon, double lat, int epsg) {
  OGRSpatialReference wgs84 = Srs(4326);
  OGRSpatialReference target = Srs(epsg);
  std::unique_ptr<OGRCoordinateTransformation, TransformDeleter> ct(
      OGRCreateCoordinateTransformation(&wgs84, &target));
  double x = lon;
  double y = lat;
  if (ct == nullptr || !ct->Transform(1, &x, &y)) {
    ADD_FAILURE() << "cannot project to EPSG:" << epsg;
  }
  return {x, y};
}

using Attributes = std::vector<std::pair<std::string, std::string>>;

// Writes one polygon feature (exterior ring `ring`, in EPSG:`epsg`) with
// string attributes to `path` with the GDAL driver `driver`.
void WritePolygonFile(const std::string& path, const char* driver_name, int epsg,
                      const Attributes& attributes,
                      const std::vector<std::pair<double, double>>& ring) {
  EnsureGdal();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
  ASSERT_NE(driver, nullptr) << driver_name;
  DatasetPtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  ASSERT_NE(ds, nullptr) << "cannot create " << path << ": " << CPLGetLastErrorMsg();
  OGRSpatialReference srs = Srs(epsg);
  OGRLayer* layer = ds->CreateLayer(fs::path(path).stem().c_str(), &srs, wkbPolygon, nullptr);
  ASSERT_NE(layer, nullptr);
  for (const auto& [name, value] : attributes) {
    OGRFieldDefn field(name.c_str(), OFTString);
    ASSERT_EQ(layer->CreateField(&field), OGRERR_NONE) << name;
  }
  OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(layer->GetLayerDefn()));
  for (const auto& [name, value] : attributes) feature->SetField(name.c_str(), value.c_str());
  OGRLinearRing exterior;
  for (const auto& [x, y] : ring) exterior.addPoint(x, y);
  exterior.closeRings();
  OGRPolygon polygon;
  polygon.addRing(&exterior);
  feature->SetGeometry(&polygon);
  ASSERT_EQ(layer->CreateFeature(feature.get()), OGRERR_NONE);
}

// A square of side `side` (CRS units) centred on (cx, cy), counter-clockwise.
std::vector<std::pair<double, double>> Square(double cx, double cy, double side) {
  const double h = side / 2;
  return {{cx - h, cy - h}, {cx + h, cy - h}, {cx + h, cy + h}, {cx - h, cy + h}, {cx - h, cy - h}};
}

struct ExportedFile {
  std::int64_t feature_count = -1;
  std::string crs;  // "EPSG:4326" when identified
  std::map<std::string, std::map<std::string, std::string>> by_id;  // id -> field -> text
  std::map<std::string, double> area_ha;                            // id -> area_ha
};

// Opens an exported file with GDAL, as a user's GIS would.
std::optional<ExportedFile> OpenExport(const std::string& path) {
  EnsureGdal();
  DatasetPtr ds(GDALDataset::FromHandle(
      GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
  if (ds == nullptr || ds->GetLayerCount() != 1) {
    ADD_FAILURE() << "cannot open " << path << " as one-layer vector data: "
                  << CPLGetLastErrorMsg();
    return std::nullopt;
  }
  OGRLayer* layer = ds->GetLayer(0);
  ExportedFile out;
  out.feature_count = layer->GetFeatureCount(/*bForce=*/TRUE);
  if (const OGRSpatialReference* srs = layer->GetSpatialRef(); srs != nullptr) {
    OGRSpatialReference copy(*srs);
    if (copy.GetAuthorityCode(nullptr) == nullptr) copy.AutoIdentifyEPSG();
    const char* authority = copy.GetAuthorityName(nullptr);
    const char* code = copy.GetAuthorityCode(nullptr);
    if (authority != nullptr && code != nullptr) {
      out.crs = std::string(authority) + ":" + code;
    }
  }
  layer->ResetReading();
  while (OGRFeatureUniquePtr f{layer->GetNextFeature()}) {
    std::map<std::string, std::string> fields;
    for (int i = 0; i < f->GetFieldCount(); ++i) {
      if (f->IsFieldSetAndNotNull(i)) {
        fields[f->GetFieldDefnRef(i)->GetNameRef()] = f->GetFieldAsString(i);
      }
    }
    const std::string id = fields["id"];
    const int area_index = f->GetFieldIndex("area_ha");
    if (area_index >= 0 && f->IsFieldSetAndNotNull(area_index)) {
      out.area_ha[id] = f->GetFieldAsDouble(area_index);
    }
    out.by_id[id] = std::move(fields);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Fixture: a fresh wetlinkd per test.

class WetlinkdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(server_.Start(&error)) << error;
  }

  void TearDown() override {
    // Every test ends with a clean shutdown, which in the sanitizer build
    // also runs LeakSanitizer over the server.
    if (server_.running()) {
      const ExitStatus stopped = server_.Stop(std::chrono::seconds(10));
      EXPECT_TRUE(stopped.ok()) << "wetlinkd on SIGTERM: " << stopped.Describe();
    }
    if (HasFailure()) std::cerr << "--- wetlinkd log ---\n" << server_.log() << "\n";
  }

  RunResult Cli(const std::vector<std::string>& args) const { return server_.Cli(args); }

  // Runs the CLI, expects `code`, and returns the result.
  RunResult Expect(int code, const std::vector<std::string>& args) const {
    RunResult r = Cli(args);
    EXPECT_EQ(r.code(), code) << "wetlink " << Join(args) << "\n" << r.Describe();
    return r;
  }

  // `sites list --format json` plus `extra`: the "sites" array.
  json ListSites(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args = {"--format", "json", "sites", "list"};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult r = Expect(kOk, args);
    json parsed = ParseJson(r);
    return parsed.is_object() && parsed.contains("sites") ? parsed["sites"] : json::array();
  }

  // `sites show <id> --format json`, or nullopt when the site is not found.
  std::optional<json> ShowSite(const std::string& id) const {
    RunResult r = Cli({"--format", "json", "sites", "show", id});
    if (r.code() == kNotFound) return std::nullopt;
    EXPECT_EQ(r.code(), kOk) << r.Describe();
    if (r.code() != kOk) return std::nullopt;
    return ParseJson(r);
  }

  // A path in the scratch folder beside the data folder.
  std::string Scratch(const std::string& name) const { return server_.scratch().File(name); }

  static std::string Join(const std::vector<std::string>& args) {
    std::string s;
    for (const auto& a : args) s += (s.empty() ? "" : " ") + a;
    return s;
  }

  WetlinkdProcess server_;
};

// ---------------------------------------------------------------------------
// health

TEST_F(WetlinkdTest, HealthIsServing) {
  RunResult r = Expect(kOk, {"health"});
  EXPECT_EQ(r.out, "SERVING\n");
  r = Expect(kOk, {"health", "--service", "wetlink.v1.CatalogService"});
  EXPECT_EQ(r.out, "SERVING\n");
  r = Expect(kOk, {"--format", "json", "health"});
  EXPECT_EQ(ParseJson(r).value("status", ""), "SERVING");
}

TEST_F(WetlinkdTest, HealthOfUnknownServiceIsNotFound) {
  RunResult r = Expect(kNotFound, {"health", "--service", "no.such.Service"});
  EXPECT_THAT(r.err, HasSubstr("NOT_FOUND"));
}

// ---------------------------------------------------------------------------
// sites list

TEST_F(WetlinkdTest, SitesListJsonHoldsTheBundledCatalog) {
  RunResult r = Expect(kOk, {"--format", "json", "sites", "list"});
  const json parsed = ParseJson(r);
  ASSERT_TRUE(parsed.is_object()) << r.out;
  const json& sites = parsed["sites"];
  ASSERT_TRUE(sites.is_array());
  EXPECT_GE(sites.size(), 30u);
  EXPECT_EQ(sites.size(), static_cast<std::size_t>(kBundledSites));
  EXPECT_EQ(parsed.value("total_size", 0), kBundledSites);
  EXPECT_EQ(parsed.value("next_page_token", "x"), "");

  const std::vector<std::string> ids = Ids(sites);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end())) << "sites are ordered by id";

  const json* rason = FindById(sites, "rason");
  ASSERT_NE(rason, nullptr);
  EXPECT_EQ((*rason)["country"], "KP");
  EXPECT_DOUBLE_EQ((*rason)["stated_area_ha"].get<double>(), 3525.7);
  EXPECT_EQ((*rason)["complex_id"], "tumen_estuary");
  EXPECT_EQ((*rason)["origin"], "bundled");
  EXPECT_FALSE(EnglishName(*rason).empty());

  const json* fangchuan = FindById(sites, "fangchuan");
  ASSERT_NE(fangchuan, nullptr);
  EXPECT_EQ((*fangchuan)["country"], "CN");
  EXPECT_DOUBLE_EQ((*fangchuan)["stated_area_ha"].get<double>(), 1416.13);

  const json* jingxin = FindById(sites, "jingxin");
  ASSERT_NE(jingxin, nullptr);
  EXPECT_EQ((*jingxin)["country"], "CN");
  EXPECT_DOUBLE_EQ((*jingxin)["stated_area_ha"].get<double>(), 8000);
  EXPECT_EQ((*jingxin)["is_protected"], false);

  const json* khasansky_south = FindById(sites, "khasansky_south");
  ASSERT_NE(khasansky_south, nullptr);
  EXPECT_EQ((*khasansky_south)["country"], "RU");
  EXPECT_DOUBLE_EQ((*khasansky_south)["stated_area_ha"].get<double>(), 9885.8);

  const json* mramornoye = FindById(sites, "khasansky_mramornoye");
  ASSERT_NE(mramornoye, nullptr);
  EXPECT_EQ((*mramornoye)["country"], "RU");
  EXPECT_DOUBLE_EQ((*mramornoye)["stated_area_ha"].get<double>(), 83.3);

  // The Dauria International Protected Area spans three countries.
  std::map<std::string, std::string> dipa;
  for (const char* id : {"daursky", "daguur", "dalai"}) {
    const json* s = FindById(sites, id);
    ASSERT_NE(s, nullptr) << id;
    EXPECT_EQ((*s)["complex_id"], "dipa") << id;
    dipa[id] = (*s)["country"].get<std::string>();
  }
  EXPECT_EQ(dipa, (std::map<std::string, std::string>{
                      {"daursky", "RU"}, {"daguur", "MN"}, {"dalai", "CN"}}));

  // Listing leaves geometry out unless asked.
  EXPECT_FALSE(rason->contains("geometry") && !(*rason)["geometry"]["polygons"].empty());
}

TEST_F(WetlinkdTest, SitesListCsvAndTable) {
  RunResult csv = Expect(kOk, {"--format", "csv", "sites", "list"});
  EXPECT_THAT(csv.out, HasSubstr("\r\n")) << "CSV records end in CRLF";
  const std::vector<std::string> lines = Lines(csv.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "id,name,country,complex,designations,area_ha,geometry");
  EXPECT_EQ(lines.size(), static_cast<std::size_t>(kBundledSites) + 1);
  EXPECT_THAT(lines, Contains(HasSubstr("rason,")));

  RunResult table = Expect(kOk, {"sites", "list"});
  EXPECT_THAT(table.out, HasSubstr("rason"));
  EXPECT_THAT(table.out, HasSubstr("35 of 35 sites"));
  // The default format is table.
  RunResult explicit_table = Expect(kOk, {"--format", "table", "sites", "list"});
  EXPECT_EQ(explicit_table.out, table.out);
}

TEST_F(WetlinkdTest, SitesListFilters) {
  json kp = ListSites({"--country", "KP"});
  EXPECT_THAT(Ids(kp), Contains("rason"));
  for (const json& s : kp) EXPECT_EQ(s["country"], "KP") << s["id"];

  // Repeated --country: any of them.
  json kp_mn = ListSites({"--country", "KP", "--country", "MN"});
  EXPECT_THAT(Ids(kp_mn), AllOf(Contains("rason"), Contains("daguur")));
  EXPECT_EQ(kp_mn.size(), kp.size() + ListSites({"--country", "MN"}).size());

  json dipa = ListSites({"--complex", "dipa"});
  EXPECT_THAT(Ids(dipa), UnorderedElementsAre("daursky", "daguur", "dalai"));

  json ramsar = ListSites({"--designation", "ramsar"});
  EXPECT_FALSE(ramsar.empty());
  EXPECT_LT(ramsar.size(), static_cast<std::size_t>(kBundledSites));
  for (const json& s : ramsar) {
    bool has_ramsar = false;
    for (const json& d : s["designations"]) {
      has_ramsar = has_ramsar || d["kind"] == "DESIGNATION_KIND_RAMSAR";
    }
    EXPECT_TRUE(has_ramsar) << s["id"];
  }

  // Around the Tumen estuary (KP/CN/RU border).
  json tumen = ListSites({"--bbox", "130.3,42.2,131.0,42.7"});
  const std::vector<std::string> tumen_ids = Ids(tumen);
  for (const char* id :
       {"rason", "fangchuan", "jingxin", "khasansky_south", "khasansky_mramornoye"}) {
    EXPECT_THAT(tumen_ids, Contains(id));
  }
  EXPECT_THAT(tumen_ids, Not(Contains("izumi")));
  EXPECT_THAT(tumen_ids, Not(Contains("dalai")));

  // Filters combine.
  json tumen_cn = ListSites({"--bbox", "130.3,42.2,131.0,42.7", "--country", "CN"});
  EXPECT_THAT(Ids(tumen_cn), AllOf(Contains("fangchuan"), Contains("jingxin"),
                                   Not(Contains("rason"))));
}

TEST_F(WetlinkdTest, SitesListRefusesBadFilters) {
  RunResult r = Expect(kUsage, {"sites", "list", "--bbox", "130.3,42.2,131.0"});
  EXPECT_THAT(r.err, HasSubstr("--bbox"));
  Expect(kUsage, {"sites", "list", "--bbox", "a,b,c,d"});
  Expect(kUsage, {"sites", "list", "--designation", "castle"});

  r = Expect(kInvalid, {"sites", "list", "--country", "kp1"});
  EXPECT_THAT(r.err, AllOf(HasSubstr("countries"), HasSubstr("kp1"), HasSubstr("INVALID_ARGUMENT")));
  EXPECT_TRUE(r.out.empty()) << r.out;

  r = Expect(kInvalid, {"sites", "list", "--complex", "atlantis"});
  EXPECT_THAT(r.err, HasSubstr("atlantis"));
  // A box the server refuses (min > max).
  r = Expect(kInvalid, {"sites", "list", "--bbox", "131,42.2,130,42.7"});
  EXPECT_THAT(r.err, HasSubstr("bbox"));
}

TEST_F(WetlinkdTest, SitesListPagesWithoutDuplicates) {
  RunResult first =
      Expect(kOk, {"--format", "json", "sites", "list", "--page-size", "10"});
  json page = ParseJson(first);
  ASSERT_TRUE(page.is_object());
  EXPECT_EQ(page["sites"].size(), 10u);
  EXPECT_EQ(page.value("total_size", 0), kBundledSites);
  std::string token = page.value("next_page_token", "");
  ASSERT_FALSE(token.empty());

  std::vector<std::string> seen = Ids(page["sites"]);
  for (int pages = 1; !token.empty(); ++pages) {
    ASSERT_LT(pages, 10) << "paging does not end";
    json next = ParseJson(Expect(
        kOk, {"--format", "json", "sites", "list", "--page-size", "10", "--page-token", token}));
    ASSERT_TRUE(next.is_object());
    EXPECT_LE(next["sites"].size(), 10u);
    EXPECT_FALSE(next["sites"].empty());
    for (const std::string& id : Ids(next["sites"])) seen.push_back(id);
    token = next.value("next_page_token", "");
  }
  const std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "a site appeared on two pages";
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kBundledSites));
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));

  // The table output points to the next page.
  RunResult table = Expect(kOk, {"sites", "list", "--page-size", "10"});
  EXPECT_THAT(table.out, HasSubstr("10 of 35 sites; next page: --page-token "));

  RunResult bad = Expect(kInvalid, {"sites", "list", "--page-token", "garbage"});
  EXPECT_THAT(bad.err, HasSubstr("page_token"));
}

// ---------------------------------------------------------------------------
// sites show

TEST_F(WetlinkdTest, SitesShowTableAndJson) {
  RunResult table = Expect(kOk, {"sites", "show", "rason"});
  EXPECT_THAT(table.out, AllOf(HasSubstr("id:"), HasSubstr("rason"), HasSubstr("KP"),
                               HasSubstr("tumen_estuary"), HasSubstr("3525.7"),
                               HasSubstr("origin:"), HasSubstr("bundled")));

  std::optional<json> rason = ShowSite("rason");
  ASSERT_TRUE(rason.has_value());
  EXPECT_EQ((*rason)["id"], "rason");
  EXPECT_EQ((*rason)["country"], "KP");
  EXPECT_DOUBLE_EQ((*rason)["stated_area_ha"].get<double>(), 3525.7);
  ASSERT_TRUE(rason->contains("geometry"));
  const json& polygons = (*rason)["geometry"]["polygons"];
  ASSERT_TRUE(polygons.is_array());
  ASSERT_GE(polygons.size(), 1u);
  const json& ring = polygons[0]["rings"][0]["points"];
  ASSERT_GE(ring.size(), 4u);
  EXPECT_EQ(ring.front(), ring.back()) << "rings are closed";
  EXPECT_GT((*rason)["geometry_area_ha"].get<double>(), 0);
  // The centre lies inside the reported bounds.
  const json& b = (*rason)["bounds"];
  const double lat = (*rason)["centre"]["lat"].get<double>();
  const double lng = (*rason)["centre"]["lng"].get<double>();
  EXPECT_GE(lat, b["min_lat"].get<double>());
  EXPECT_LE(lat, b["max_lat"].get<double>());
  EXPECT_GE(lng, b["min_lng"].get<double>());
  EXPECT_LE(lng, b["max_lng"].get<double>());

  RunResult csv = Expect(kOk, {"--format", "csv", "sites", "show", "rason"});
  EXPECT_THAT(Lines(csv.out), Contains("id,rason"));
}

TEST_F(WetlinkdTest, SitesShowUnknownIsNotFound) {
  RunResult r = Expect(kNotFound, {"sites", "show", "does_not_exist"});
  EXPECT_THAT(r.err, AllOf(HasSubstr("'does_not_exist'"), HasSubstr("NOT_FOUND")));
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST_F(WetlinkdTest, SitesComplexes) {
  RunResult r = Expect(kOk, {"--format", "json", "sites", "complexes"});
  const json parsed = ParseJson(r);
  ASSERT_TRUE(parsed.is_object());
  const json* dipa = FindById(parsed["complexes"], "dipa");
  ASSERT_NE(dipa, nullptr);
  EXPECT_THAT((*dipa)["site_ids"].get<std::vector<std::string>>(),
              UnorderedElementsAre("daursky", "daguur", "dalai"));
  EXPECT_THAT((*dipa)["countries"].get<std::vector<std::string>>(),
              UnorderedElementsAre("RU", "MN", "CN"));
  EXPECT_NE(FindById(parsed["complexes"], "tumen_estuary"), nullptr);
  RunResult table = Expect(kOk, {"sites", "complexes"});
  EXPECT_THAT(table.out, HasSubstr("tumen_estuary"));
}

// ---------------------------------------------------------------------------
// species

TEST_F(WetlinkdTest, SpeciesListAndShow) {
  json list = ParseJson(Expect(kOk, {"--format", "json", "species", "list"}));
  ASSERT_TRUE(list.is_object());
  EXPECT_EQ(list["species"].size(), 4u);
  EXPECT_NE(FindById(list["species"], "grus_monacha"), nullptr);
  EXPECT_THAT(Expect(kOk, {"species", "list"}).out, HasSubstr("grus_monacha"));
  EXPECT_EQ(Lines(Expect(kOk, {"--format", "csv", "species", "list"}).out).size(), 5u);

  // By code and by id: the same species.
  const json by_code = ParseJson(Expect(kOk, {"--format", "json", "species", "show", "HC"}));
  const json by_id =
      ParseJson(Expect(kOk, {"--format", "json", "species", "show", "grus_monacha"}));
  ASSERT_TRUE(by_code.is_object());
  EXPECT_EQ(by_code, by_id);
  EXPECT_EQ(by_code["id"], "grus_monacha");
  EXPECT_EQ(by_code["code"], "HC");
  EXPECT_EQ(by_code["scientific_name"], "Grus monacha");
  EXPECT_EQ(by_code["one_percent"]["value"], 190);
  EXPECT_EQ(by_code["one_percent"]["derived"], true);

  RunResult table = Expect(kOk, {"species", "show", "grus_monacha"});
  EXPECT_THAT(table.out, AllOf(HasSubstr("HC"), HasSubstr("Grus monacha"),
                               HasSubstr("190 (derived)")));
}

TEST_F(WetlinkdTest, SpeciesShowUnknownIsNotFound) {
  RunResult r = Expect(kNotFound, {"species", "show", "dodo"});
  EXPECT_THAT(r.err, AllOf(HasSubstr("'dodo'"), HasSubstr("NOT_FOUND")));
}

// ---------------------------------------------------------------------------
// sites import

// A GeoPackage in UTM zone 52N (EPSG:32652) with one 2 km x 2 km square
// centred near 42.35N 130.6E: reprojected on import, area kept.
TEST_F(WetlinkdTest, ImportGeoPackageInUtm) {
  const auto [cx, cy] = Project(130.6, 42.35, 32652);
  const std::string gpkg = Scratch("utm_square.gpkg");
  WritePolygonFile(gpkg, "GPKG", 32652,
                   {{"id", "test_utm_square"}, {"name", "UTM test square"}, {"country", "CN"}},
                   Square(cx, cy, 2000));
  ASSERT_FALSE(HasFatalFailure());

  RunResult r = Expect(kOk, {"sites", "import", gpkg});
  EXPECT_THAT(r.out, AllOf(HasSubstr("test_utm_square"), HasSubstr("created"),
                           HasSubstr("stored: 1 created, 0 replaced, 0 refused"),
                           HasSubstr("EPSG:32652")));

  std::optional<json> site = ShowSite("test_utm_square");
  ASSERT_TRUE(site.has_value());
  const double area = (*site)["geometry_area_ha"].get<double>();
  EXPECT_NEAR(area, 400.0, 400.0 * 0.005) << "2 km x 2 km = 400 ha";
  EXPECT_EQ((*site)["geometry_quality"], "GEOMETRY_QUALITY_SURVEYED");
  EXPECT_EQ((*site)["country"], "CN");
  EXPECT_EQ(EnglishName(*site), "UTM test square");
  EXPECT_EQ((*site)["origin"], "import:utm_square.gpkg");
  EXPECT_NEAR((*site)["centre"]["lat"].get<double>(), 42.35, 0.002);
  EXPECT_NEAR((*site)["centre"]["lng"].get<double>(), 130.6, 0.002);
  // Stored in WGS84: every vertex is a plausible longitude/latitude.
  for (const json& p : (*site)["geometry"]["polygons"][0]["rings"][0]["points"]) {
    EXPECT_NEAR(p["lat"].get<double>(), 42.35, 0.02);
    EXPECT_NEAR(p["lng"].get<double>(), 130.6, 0.02);
  }
  // The new site shows up in the spatial filter too.
  EXPECT_THAT(Ids(ListSites({"--bbox", "130.3,42.2,131.0,42.7"})), Contains("test_utm_square"));
  EXPECT_EQ(ListSites().size(), static_cast<std::size_t>(kBundledSites) + 1);
}

TEST_F(WetlinkdTest, ImportRepairsBowtieByDefault) {
  RunResult r = Expect(kOk, {"sites", "import", Fixture("bowtie.geojson")});
  EXPECT_THAT(r.out, AllOf(HasSubstr("bowtie"), HasSubstr("repaired")));
  std::optional<json> site = ShowSite("bowtie");
  ASSERT_TRUE(site.has_value());
  EXPECT_EQ(EnglishName(*site), "Bowtie marsh");
  EXPECT_EQ((*site)["country"], "KR");
  // MakeValid splits a bow-tie into its two triangles.
  EXPECT_EQ((*site)["geometry"]["polygons"].size(), 2u);
  EXPECT_GT((*site)["geometry_area_ha"].get<double>(), 0);
  EXPECT_THAT((*site)["geometry_note"].get<std::string>(), HasSubstr("repaired"));
}

TEST_F(WetlinkdTest, ImportWithNoRepairRefusesBowtieAndStoresNothing) {
  // Compared as parsed JSON: the order of map entries (names) is not fixed.
  const json before = ListSites({"--geometry"});
  ASSERT_EQ(before.size(), static_cast<std::size_t>(kBundledSites));
  RunResult r = Expect(kInvalid, {"sites", "import", "--no-repair", Fixture("bowtie.geojson")});
  EXPECT_THAT(r.err, HasSubstr("bowtie.geojson"));
  EXPECT_TRUE(r.err.find("'bowtie'") != std::string::npos ||
              r.err.find("Bowtie marsh") != std::string::npos)
      << r.err;
  EXPECT_THAT(r.err, AllOf(HasSubstr("INVALID_ARGUMENT"), HasSubstr("repair disabled")));
  // The feature is named once, not once per layer of the code that refused it.
  const std::string described = "feature 0 ('bowtie')";
  const std::size_t first = r.err.find(described);
  EXPECT_NE(first, std::string::npos);
  EXPECT_EQ(r.err.find(described, first + 1), std::string::npos) << r.err;
  EXPECT_EQ(ListSites({"--geometry"}), before);
  EXPECT_FALSE(ShowSite("bowtie").has_value());
}

TEST_F(WetlinkdTest, ImportRefusesMalformedFile) {
  const std::string broken = Scratch("broken.geojson");
  static constexpr char kGarbage[] = "\x89PNG\x01\xff{{ not json at all \x00\x02 ]]";
  ASSERT_TRUE(WriteFile(broken, std::string(kGarbage, sizeof kGarbage - 1)));
  RunResult r = Expect(kInvalid, {"sites", "import", broken});
  EXPECT_THAT(r.err, AllOf(HasSubstr("broken.geojson"), HasSubstr("INVALID_ARGUMENT")));
  // The server's temporary in-memory paths stay out of the message.
  EXPECT_THAT(r.err, Not(HasSubstr("vsimem")));
  EXPECT_EQ(ListSites().size(), static_cast<std::size_t>(kBundledSites));
}

TEST_F(WetlinkdTest, ImportIsAllOrNothing) {
  RunResult r = Expect(kInvalid, {"sites", "import", Fixture("one_bad_feature.geojson")});
  EXPECT_THAT(r.err, AllOf(HasSubstr("one_bad_feature.geojson"), HasSubstr("countryless_marsh"),
                           HasSubstr("no country"), HasSubstr("nothing stored")));
  EXPECT_FALSE(ShowSite("good_marsh").has_value()) << "the valid feature must not be stored";
  EXPECT_EQ(ListSites().size(), static_cast<std::size_t>(kBundledSites));
}

TEST_F(WetlinkdTest, ImportSkipInvalidStoresTheValidFeatures) {
  RunResult r = Expect(kOk, {"--format", "json", "sites", "import", "--skip-invalid",
                             Fixture("one_bad_feature.geojson")});
  const json report = ParseJson(r);
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report.value("created", -1), 1);
  EXPECT_EQ(report.value("refused", -1), 1);
  EXPECT_EQ(report.value("stored", false), true);
  bool refused_named = false;
  for (const json& f : report["features"]) {
    if (f["outcome"] == "OUTCOME_REFUSED") {
      refused_named = f["feature"].get<std::string>().find("countryless_marsh") !=
                      std::string::npos;
      EXPECT_THAT(f["reason"].get<std::string>(), HasSubstr("no country"));
    }
  }
  EXPECT_TRUE(refused_named) << r.out;
  std::optional<json> good = ShowSite("good_marsh");
  ASSERT_TRUE(good.has_value());
  EXPECT_EQ((*good)["country"], "CN");
  EXPECT_FALSE(ShowSite("countryless_marsh").has_value());

  // A default country makes the second feature importable too.
  Expect(kOk, {"sites", "import", "--replace", "--default-country", "cn",
               Fixture("one_bad_feature.geojson")});
  std::optional<json> second = ShowSite("countryless_marsh");
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ((*second)["country"], "CN");
}

TEST_F(WetlinkdTest, ImportOfExistingIdNeedsReplace) {
  const std::optional<json> original = ShowSite("rason");
  ASSERT_TRUE(original.has_value());

  RunResult r = Expect(kInvalid, {"sites", "import", Fixture("rason_replacement.geojson")});
  EXPECT_THAT(r.err, AllOf(HasSubstr("rason"), HasSubstr("already exists")));
  std::optional<json> unchanged = ShowSite("rason");
  ASSERT_TRUE(unchanged.has_value());
  EXPECT_EQ(*unchanged, *original);

  r = Expect(kOk, {"sites", "import", "--replace", Fixture("rason_replacement.geojson")});
  EXPECT_THAT(r.out, AllOf(HasSubstr("replaced"), HasSubstr("0 created, 1 replaced, 0 refused")));
  std::optional<json> replaced = ShowSite("rason");
  ASSERT_TRUE(replaced.has_value());
  EXPECT_EQ(EnglishName(*replaced), "Rason replacement boundary");
  EXPECT_EQ((*replaced)["origin"], "import:rason_replacement.geojson");
  EXPECT_EQ((*replaced)["complex_id"], "tumen_estuary");
  EXPECT_NE((*replaced)["geometry"], (*original)["geometry"]);
  EXPECT_EQ((*replaced)["geometry_quality"], "GEOMETRY_QUALITY_SURVEYED");
  // What the file does not provide is kept: other names, designations,
  // sources and the stated area.
  EXPECT_EQ((*replaced)["names"]["ko"], (*original)["names"]["ko"]);
  EXPECT_EQ((*replaced)["designations"], (*original)["designations"]);
  EXPECT_EQ((*replaced)["sources"], (*original)["sources"]);
  EXPECT_EQ((*replaced)["is_protected"], true);
  EXPECT_DOUBLE_EQ((*replaced)["stated_area_ha"].get<double>(), 3525.7);
  EXPECT_EQ(ListSites().size(), static_cast<std::size_t>(kBundledSites));
}

TEST_F(WetlinkdTest, ImportDryRunStoresNothing) {
  // Compared as parsed JSON: the order of map entries (names) is not fixed.
  const json before = ListSites({"--geometry"});
  ASSERT_EQ(before.size(), static_cast<std::size_t>(kBundledSites));
  RunResult r = Expect(kOk, {"sites", "import", "--dry-run", Fixture("bowtie.geojson")});
  EXPECT_THAT(r.out, AllOf(HasSubstr("dry run, nothing stored: 1 created"), HasSubstr("bowtie")));
  r = Expect(kOk, {"--format", "json", "sites", "import", "--dry-run", "--replace",
                   Fixture("rason_replacement.geojson")});
  EXPECT_EQ(ParseJson(r).value("stored", true), false);
  EXPECT_FALSE(ShowSite("bowtie").has_value());
  EXPECT_EQ(ListSites({"--geometry"}), before);
}

// A shapefile travels as .shp with its .shx, .dbf and .prj.
TEST_F(WetlinkdTest, ImportShapefileSet) {
  const auto [cx, cy] = Project(126.6, 37.45, 32652);
  const std::string shp = Scratch("marsh_shape.shp");
  WritePolygonFile(shp, "ESRI Shapefile", 32652,
                   {{"id", "shape_marsh"}, {"name", "Shapefile marsh"}, {"country", "KR"}},
                   Square(cx, cy, 1000));
  ASSERT_FALSE(HasFatalFailure());
  for (const char* ext : {".shp", ".shx", ".dbf", ".prj"}) {
    ASSERT_TRUE(fs::exists(Scratch(std::string("marsh_shape") + ext))) << ext;
  }
  RunResult r = Expect(kOk, {"sites", "import", shp});
  EXPECT_THAT(r.out, AllOf(HasSubstr("shape_marsh"), HasSubstr("1 created")));
  std::optional<json> site = ShowSite("shape_marsh");
  ASSERT_TRUE(site.has_value());
  EXPECT_EQ((*site)["country"], "KR");
  EXPECT_NEAR((*site)["geometry_area_ha"].get<double>(), 100.0, 100.0 * 0.01);
  EXPECT_NEAR((*site)["centre"]["lat"].get<double>(), 37.45, 0.01);
  EXPECT_NEAR((*site)["centre"]["lng"].get<double>(), 126.6, 0.01);
}

TEST_F(WetlinkdTest, ImportKmlWithDefaultCountry) {
  // KML carries Name and description but no country.
  RunResult r = Expect(kInvalid, {"sites", "import", Fixture("small_pond.kml")});
  EXPECT_THAT(r.err, AllOf(HasSubstr("small_pond.kml"), HasSubstr("no country")));

  r = Expect(kOk, {"sites", "import", "--default-country", "KR", Fixture("small_pond.kml")});
  EXPECT_THAT(r.out, HasSubstr("kml_test_pond"));
  std::optional<json> site = ShowSite("kml_test_pond");
  ASSERT_TRUE(site.has_value());
  EXPECT_EQ(EnglishName(*site), "Kml Test Pond");
  EXPECT_EQ((*site)["country"], "KR");
  EXPECT_EQ((*site)["origin"], "import:small_pond.kml");
  // 0.01 deg lon x 0.008 deg lat at 37.5N: about 88 ha.
  EXPECT_NEAR((*site)["geometry_area_ha"].get<double>(), 78.5, 15.0);
}

// ---------------------------------------------------------------------------
// sites export

TEST_F(WetlinkdTest, ExportGeoPackageAndGeoJson) {
  const json sites = ListSites();
  const json* rason = FindById(sites, "rason");
  ASSERT_NE(rason, nullptr);

  for (const char* name : {"all.gpkg", "all.geojson"}) {
    SCOPED_TRACE(name);
    const std::string path = Scratch(name);
    RunResult r = Expect(kOk, {"sites", "export", "-o", path});
    EXPECT_THAT(r.err, HasSubstr("wrote 35 sites to"));
    EXPECT_FALSE(fs::exists(path + ".part"));
    std::optional<ExportedFile> file = OpenExport(path);
    ASSERT_TRUE(file.has_value());
    EXPECT_EQ(file->feature_count, static_cast<std::int64_t>(sites.size()));
    EXPECT_EQ(file->crs, "EPSG:4326");
    ASSERT_TRUE(file->by_id.contains("rason"));
    EXPECT_EQ(file->by_id["rason"]["name_en"], EnglishName(*rason));
    EXPECT_EQ(file->by_id["rason"]["country"], "KP");
    EXPECT_EQ(file->by_id["rason"]["complex"], "tumen_estuary");
    EXPECT_DOUBLE_EQ(file->area_ha["rason"], 3525.7);
    std::set<std::string> exported_ids;
    for (const auto& [id, fields] : file->by_id) exported_ids.insert(id);
    const std::vector<std::string> ids = Ids(sites);
    EXPECT_EQ(exported_ids, std::set<std::string>(ids.begin(), ids.end()));
  }

  // --as overrides the name.
  const std::string odd = Scratch("sites.data");
  Expect(kOk, {"sites", "export", "-o", odd, "--as", "geojson"});
  std::optional<ExportedFile> file = OpenExport(odd);
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->feature_count, kBundledSites);
}

TEST_F(WetlinkdTest, ExportFiltersAndRefusesUnknownExtension) {
  const std::string dipa = Scratch("dipa.gpkg");
  RunResult r = Expect(kOk, {"sites", "export", "--complex", "dipa", "-o", dipa});
  EXPECT_THAT(r.err, HasSubstr("wrote 3 sites"));
  std::optional<ExportedFile> file = OpenExport(dipa);
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->feature_count, 3);
  std::set<std::string> ids;
  for (const auto& [id, fields] : file->by_id) ids.insert(id);
  EXPECT_EQ(ids, (std::set<std::string>{"daursky", "daguur", "dalai"}));

  const std::string bad = Scratch("sites.txt");
  r = Expect(kUsage, {"sites", "export", "-o", bad});
  EXPECT_THAT(r.err, AllOf(HasSubstr("sites.txt"), HasSubstr("--as")));
  EXPECT_FALSE(fs::exists(bad));
  Expect(kUsage, {"sites", "export", "-o", bad, "--as", "kml"});
  EXPECT_FALSE(fs::exists(bad));
}

// What wetlink exports, wetlink imports back unchanged.
TEST_F(WetlinkdTest, ExportedGeoJsonImportsBack) {
  const std::string path = Scratch("round_trip.geojson");
  Expect(kOk, {"sites", "export", "-o", path});
  RunResult r = Expect(kOk, {"--format", "json", "sites", "import", "--replace", "--dry-run", path});
  const json report = ParseJson(r);
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report.value("refused", -1), 0) << r.out;
  EXPECT_EQ(report.value("replaced", -1), kBundledSites);
  EXPECT_EQ(report.value("created", -1), 0);
  EXPECT_EQ(report.value("stored", true), false);
  for (const json& f : report["features"]) {
    EXPECT_TRUE(f["repairs"].empty()) << f["feature"] << ": " << f["repairs"];
  }
  // The GeoPackage too, this time stored.
  const std::string gpkg = Scratch("round_trip.gpkg");
  Expect(kOk, {"sites", "export", "-o", gpkg});
  r = Expect(kOk, {"--format", "json", "sites", "import", "--replace", gpkg});
  EXPECT_EQ(ParseJson(r).value("replaced", -1), kBundledSites);
  std::optional<json> rason = ShowSite("rason");
  ASSERT_TRUE(rason.has_value());
  EXPECT_DOUBLE_EQ((*rason)["stated_area_ha"].get<double>(), 3525.7);
  EXPECT_EQ((*rason)["complex_id"], "tumen_estuary");
  EXPECT_EQ((*rason)["country"], "KP");
}

// ---------------------------------------------------------------------------
// persistence and shutdown

TEST_F(WetlinkdTest, DataSurvivesRestartWithoutReseeding) {
  Expect(kOk, {"sites", "import", Fixture("bowtie.geojson")});
  Expect(kOk, {"sites", "import", "--replace", Fixture("rason_replacement.geojson")});

  const ExitStatus stopped = server_.Stop(std::chrono::seconds(10));
  EXPECT_TRUE(stopped.ok()) << "SIGTERM: " << stopped.Describe();
  EXPECT_THAT(server_.log(), HasSubstr("stopped cleanly"));

  std::string error;
  ASSERT_TRUE(server_.Start(&error)) << error;
  EXPECT_EQ(Expect(kOk, {"health"}).out, "SERVING\n");
  std::optional<json> bowtie = ShowSite("bowtie");
  ASSERT_TRUE(bowtie.has_value());
  EXPECT_EQ(EnglishName(*bowtie), "Bowtie marsh");
  EXPECT_EQ(ListSites().size(), static_cast<std::size_t>(kBundledSites) + 1);
  // Not re-seeded: the replaced bundled site keeps the imported version.
  std::optional<json> rason = ShowSite("rason");
  ASSERT_TRUE(rason.has_value());
  EXPECT_EQ(EnglishName(*rason), "Rason replacement boundary");

  const std::string log = server_.log();
  std::size_t seeded = 0;
  for (std::size_t pos = 0; (pos = log.find("loaded the bundled catalog", pos)) != std::string::npos;
       ++pos) {
    ++seeded;
  }
  EXPECT_EQ(seeded, 1u) << log;

  // SIGINT shuts down just as cleanly.
  const ExitStatus interrupted = server_.Stop(std::chrono::seconds(10), SIGINT);
  EXPECT_TRUE(interrupted.ok()) << "SIGINT: " << interrupted.Describe();
}

// A data folder serves one wetlinkd at a time: a second one must fail fast
// rather than share RocksDB, and the first keeps serving.
TEST_F(WetlinkdTest, SecondServerOnTheSameDataFolderFails) {
  WetlinkdProcess second;
  second.set_data_dir(server_.data_dir());
  std::string error;
  EXPECT_FALSE(second.Start(&error, std::chrono::seconds(20)));
  EXPECT_THAT(error, HasSubstr("ended before listening: exit code 1")) << error;
  EXPECT_FALSE(second.running());
  EXPECT_EQ(Expect(kOk, {"health"}).out, "SERVING\n");
  EXPECT_EQ(ListSites().size(), static_cast<std::size_t>(kBundledSites));
}

// wetlinkd itself: configuration errors are usage errors (exit 2) that name
// the problem, before anything is opened.
TEST(WetlinkdConfigTest, RefusesBadConfiguration) {
  TempDir dir;
  const std::string config = dir.File("wetlinkd.toml");
  ASSERT_TRUE(WriteFile(config, "[server]\nlisten = \"127.0.0.1:0\"\nno_such_key = 1\n"));
  RunResult r = RunProgram(WetlinkdPath(), {"-c", config, "--data-dir", dir.File("data")},
                           std::chrono::seconds(20));
  EXPECT_EQ(r.code(), 2) << r.Describe();
  EXPECT_THAT(r.err, AllOf(HasSubstr("wetlinkd.toml"), HasSubstr("no_such_key")));

  r = RunProgram(WetlinkdPath(), {"--listen", "no-port-here", "--data-dir", dir.File("data")},
                 std::chrono::seconds(20));
  EXPECT_EQ(r.code(), 2) << r.Describe();
  EXPECT_THAT(r.err, HasSubstr("no-port-here"));
  EXPECT_FALSE(fs::exists(dir.File("data"))) << "nothing is created on a usage error";
}

// ---------------------------------------------------------------------------
// CLI without a server

TEST(CliTest, UnreachableServerIsUnavailable) {
  RunResult r = RunCli({"--server", "127.0.0.1:1", "--timeout", "2", "health"});
  EXPECT_EQ(r.code(), kUnavailable) << r.Describe();
  EXPECT_THAT(r.err, AllOf(HasSubstr("wetlink: health check"), HasSubstr("127.0.0.1:1")));
  r = RunCli({"--server", "127.0.0.1:1", "--timeout", "2", "sites", "list"});
  EXPECT_EQ(r.code(), kUnavailable) << r.Describe();
}

TEST(CliTest, HelpAndUsageErrors) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, {"sites", "--help"}, {"sites", "import", "--help"},
        {"species", "--help"}, {"sites", "export", "--help"}}) {
    RunResult r = RunCli(args);
    EXPECT_EQ(r.code(), kOk) << r.Describe();
    EXPECT_THAT(r.out, HasSubstr("Usage")) << r.Describe();
  }
  EXPECT_THAT(RunCli({"sites", "import", "--help"}).out,
              AllOf(HasSubstr("--no-repair"), HasSubstr("--skip-invalid"), HasSubstr("--replace"),
                    HasSubstr("--dry-run")));

  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"frobnicate"}, {}, {"sites"}, {"sites", "frobnicate"},
        {"sites", "show"}, {"--format", "xml", "sites", "list"},
        {"sites", "import", "/nonexistent/file.geojson"}, {"--timeout", "-1", "health"}}) {
    RunResult r = RunCli(args);
    EXPECT_EQ(r.code(), kUsage) << "wetlink with " << args.size() << " args\n" << r.Describe();
    EXPECT_FALSE(r.err.empty()) << r.Describe();
  }
}

}  // namespace
}  // namespace wetlink::testing
