#include "catalog/catalog_json.h"

#include <boost/geometry/algorithms/covered_by.hpp>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <map>
#include <numbers>
#include <regex>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "catalog/site.h"
#include "catalog/species.h"
#include "data/bundled_catalog.h"
#include "geo/geodesy.h"
#include "geo/geometry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace wetlink::catalog {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// ---------------------------------------------------------------------------
// The bundled catalog (data/catalog/*.json as built into wetlink::data).

class BundledCatalogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto parsed = ParseCatalog(data::BundledCatalogFiles());
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    data_ = new CatalogData(std::move(*parsed));
  }
  static void TearDownTestSuite() {
    delete data_;
    data_ = nullptr;
  }

  static const Site& SiteById(const std::string& id) {
    for (const Site& s : data_->sites) {
      if (s.id == id) return s;
    }
    ADD_FAILURE() << "no site '" << id << "'";
    static const Site kNone;
    return kNone;
  }

  static CatalogData* data_;
};

CatalogData* BundledCatalogTest::data_ = nullptr;

TEST_F(BundledCatalogTest, ParsesWithEnoughRecords) {
  EXPECT_GE(data_->sites.size(), 30u);
  EXPECT_EQ(data_->complexes.size(), 6u);
  EXPECT_EQ(data_->species.size(), 4u);
  EXPECT_FALSE(data_->sources.empty());
  std::set<std::string> ids;
  for (const Site& s : data_->sites) {
    EXPECT_TRUE(ids.insert(s.id).second) << "duplicate " << s.id;
    EXPECT_EQ(s.origin, "bundled") << s.id;
    EXPECT_FALSE(s.EnglishName().empty()) << s.id;
    EXPECT_TRUE(IsCountryCode(s.country)) << s.id;
  }
}

// The five units of S1 Table 2 (data/catalog/README.md, "Tumen River Estuary").
TEST_F(BundledCatalogTest, TumenEstuaryUnits) {
  struct Unit {
    const char* id;
    double area_ha;
    const char* country;
  };
  for (const Unit& u : {Unit{"rason", 3525.7, "KP"}, Unit{"fangchuan", 1416.13, "CN"},
                        Unit{"jingxin", 8000, "CN"}, Unit{"khasansky_south", 9885.8, "RU"},
                        Unit{"khasansky_mramornoye", 83.3, "RU"}}) {
    SCOPED_TRACE(u.id);
    const Site& s = SiteById(u.id);
    ASSERT_TRUE(s.stated_area_ha.has_value());
    EXPECT_DOUBLE_EQ(*s.stated_area_ha, u.area_ha);
    EXPECT_EQ(s.country, u.country);
    EXPECT_EQ(s.complex_id, "tumen_estuary");
  }
  const Site& jingxin = SiteById("jingxin");
  EXPECT_FALSE(jingxin.is_protected);
  EXPECT_TRUE(jingxin.designations.empty());
  EXPECT_TRUE(SiteById("rason").is_protected);
  EXPECT_TRUE(SiteById("rason").HasDesignation(DesignationKind::kRamsar));

  // Exactly these five sites form the complex (hunchun is deliberately not in it).
  std::set<std::string> members;
  for (const Site& s : data_->sites) {
    if (s.complex_id == "tumen_estuary") members.insert(s.id);
  }
  EXPECT_THAT(members, ElementsAre("fangchuan", "jingxin", "khasansky_mramornoye",
                                   "khasansky_south", "rason"));
}

TEST_F(BundledCatalogTest, DauriaInternationalProtectedArea) {
  EXPECT_EQ(SiteById("daursky").country, "RU");
  EXPECT_EQ(SiteById("daguur").country, "MN");
  EXPECT_EQ(SiteById("dalai").country, "CN");
  for (const char* id : {"daursky", "daguur", "dalai"}) {
    EXPECT_EQ(SiteById(id).complex_id, "dipa") << id;
  }
}

// Every bundled site is an approximation: a geodesic disc whose area is the
// stated area, or pi r^2 of the nominal radius when no area is stated.
TEST_F(BundledCatalogTest, EveryGeometryIsAnApproximatedDiscOfTheRightArea) {
  // Radii from the README table "Sites with no area (nominal radius)".
  const std::map<std::string, double> expected_radius_km = {
      {"cheorwon", 10}, {"gyeonggi_bay", 5}, {"chilsando", 2},
      {"xingren", 1},   {"yuanbao", 1},       {"furugelm", 1}};
  const std::regex radius_re("a nominal radius of ([0-9.]+) km");
  std::set<std::string> without_area;
  for (const Site& s : data_->sites) {
    SCOPED_TRACE(s.id);
    ASSERT_FALSE(s.geometry.empty());
    EXPECT_FALSE(s.geometry_surveyed);
    EXPECT_THAT(s.geometry_note, StartsWith("approximated"));
    EXPECT_THAT(s.geometry_note, HasSubstr(s.centre_verified ? "around the stated centre"
                                                             : "estimated (unverified)"));
    double expected_m2 = 0;
    if (s.stated_area_ha.has_value()) {
      expected_m2 = *s.stated_area_ha * geo::kSquareMetresPerHectare;
      EXPECT_THAT(s.geometry_note, HasSubstr("the stated area"));
    } else {
      without_area.insert(s.id);
      std::smatch m;
      ASSERT_TRUE(std::regex_search(s.geometry_note, m, radius_re)) << s.geometry_note;
      const double r_km = std::stod(m[1].str());
      auto it = expected_radius_km.find(s.id);
      ASSERT_NE(it, expected_radius_km.end());
      EXPECT_DOUBLE_EQ(r_km, it->second);
      expected_m2 = std::numbers::pi * (r_km * 1000) * (r_km * 1000);
    }
    const double area_m2 = geo::GeodesicAreaM2(s.geometry);
    EXPECT_NEAR(area_m2 / expected_m2, 1.0, 0.0005);
    // The disc is centred on the stated centre.
    EXPECT_TRUE(boost::geometry::covered_by(geo::Point(s.centre.lon, s.centre.lat), s.geometry));
  }
  EXPECT_EQ(without_area.size(), expected_radius_km.size());
}

TEST_F(BundledCatalogTest, SourcesAreExpandedToCitations) {
  const std::regex code_re("^(S[0-9]+[a-z]?): (.+)$");
  for (const Site& s : data_->sites) {
    SCOPED_TRACE(s.id);
    EXPECT_FALSE(s.sources.empty());
    for (const std::string& source : s.sources) {
      std::smatch m;
      ASSERT_TRUE(std::regex_match(source, m, code_re)) << source;
      auto it = data_->sources.find(m[1].str());
      ASSERT_NE(it, data_->sources.end()) << source;
      EXPECT_EQ(m[2].str(), it->second);
    }
  }
  const Site& rason = SiteById("rason");
  ASSERT_FALSE(rason.sources.empty());
  EXPECT_EQ(rason.sources[0], "S1: " + data_->sources.at("S1"));
  for (const Species& sp : data_->species) {
    for (const std::string& source : sp.sources) {
      EXPECT_TRUE(std::regex_match(source, code_re)) << sp.id << ": " << source;
    }
  }
}

TEST_F(BundledCatalogTest, SpeciesAndDerivedThresholds) {
  struct Expected {
    const char* id;
    const char* code;
    int one_percent;
  };
  std::map<std::string, const Species*> by_code;
  for (const Species& sp : data_->species) by_code[sp.code] = &sp;
  for (const Expected& e : {Expected{"platalea_minor", "BFS", 70},
                            Expected{"antigone_vipio", "WNC", 130},
                            Expected{"grus_monacha", "HC", 190},
                            Expected{"grus_japonensis", "RCC", 45}}) {
    SCOPED_TRACE(e.code);
    ASSERT_TRUE(by_code.contains(e.code));
    const Species& sp = *by_code[e.code];
    EXPECT_EQ(sp.id, e.id);
    EXPECT_FALSE(sp.published_one_percent.has_value());
    const OnePercentThreshold t = sp.OnePercent();
    EXPECT_EQ(t.value, e.one_percent);
    EXPECT_TRUE(t.derived);
    EXPECT_THAT(t.basis, StartsWith("derived: 1 % of "));
  }
  EXPECT_FALSE(by_code["RCC"]->focal);
  EXPECT_TRUE(by_code["HC"]->focal);
}

// ---------------------------------------------------------------------------
// Schema errors, on small hand-written files. The fixture is one valid
// record per file; each test breaks one thing.

constexpr char kSources[] =
    R"({"schema": "wetlink.catalog.sources/1", "sources": {"S1": "A field guide"}})";
constexpr char kComplexes[] = R"({"schema": "wetlink.catalog.complexes/1", "complexes": [
  {"id": "bay", "names": {"en": "The Bay"}, "countries": ["KR"], "sources": ["S1"]}]})";
constexpr char kSpecies[] = R"({"schema": "wetlink.catalog.species/1", "species": [
  {"id": "platalea_minor", "code": "BFS", "scientific_name": "Platalea minor",
   "names": {"en": "Black-faced Spoonbill"},
   "population": {"estimate": 7081, "year": 2025, "source": "S1"}, "sources": ["S1"]}]})";
constexpr char kSite[] = R"({"id": "alpha", "names": {"en": "Alpha", "ko": null},
   "country": "KR", "complex": "bay",
   "designations": [{"kind": "ramsar", "title": "Ramsar Site", "number": 2343, "source": "S1"}],
   "area_ha": 100, "centre": {"lat": 37.5, "lon": 126.5}, "centre_verified": true,
   "focal_use": [{"species": "platalea_minor", "use": ["W"]}], "sources": ["S1"]})";
constexpr char kSite2[] = R"({"id": "beta", "names": {"en": "Beta"}, "country": "KR",
   "nominal_radius_km": 2, "centre": {"lat": 37.0, "lon": 126.0}})";

std::string SitesJson(const std::string& records) {
  return R"({"schema": "wetlink.catalog.sites/1", "sites": [)" + records + "]}";
}

CatalogFiles GoodFiles() {
  CatalogFiles f;
  f.sites_json = SitesJson(std::string(kSite) + "," + kSite2);
  f.complexes_json = kComplexes;
  f.species_json = kSpecies;
  f.sources_json = kSources;
  return f;
}

// `text` with its only occurrence of `from` replaced by `to`.
std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << "fixture has no '" << from << "'";
  if (pos == std::string::npos) return text;
  EXPECT_EQ(text.find(from, pos + 1), std::string::npos) << "'" << from << "' is ambiguous";
  return text.replace(pos, from.size(), to);
}

CatalogFiles WithSite(const std::string& site_record) {
  CatalogFiles f = GoodFiles();
  f.sites_json = SitesJson(site_record);
  return f;
}

void ExpectInvalid(const CatalogFiles& files, std::initializer_list<const char*> parts) {
  auto parsed = ParseCatalog(files);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(parsed.status().message());
  for (const char* part : parts) EXPECT_THAT(message, HasSubstr(part));
}

TEST(CatalogJsonTest, FixtureParses) {
  auto parsed = ParseCatalog(GoodFiles());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->sites.size(), 2u);
  const Site& alpha = parsed->sites[0];
  EXPECT_EQ(alpha.id, "alpha");
  EXPECT_EQ(alpha.names.size(), 1u);  // "ko": null means "not found", not ""
  EXPECT_EQ(alpha.complex_id, "bay");
  ASSERT_EQ(alpha.designations.size(), 1u);
  EXPECT_EQ(alpha.designations[0].kind, DesignationKind::kRamsar);
  EXPECT_EQ(alpha.designations[0].number, "2343");  // a JSON number becomes text
  EXPECT_TRUE(alpha.is_protected);                  // defaults to "has designations"
  EXPECT_THAT(alpha.sources, ElementsAre("S1: A field guide"));
  EXPECT_EQ(alpha.geometry_note,
            "approximated: a geodesic disc of the stated area (100 ha) around the stated "
            "centre; not a surveyed boundary");
  const Site& beta = parsed->sites[1];
  EXPECT_FALSE(beta.is_protected);
  EXPECT_FALSE(beta.stated_area_ha.has_value());
  EXPECT_THAT(beta.geometry_note, HasSubstr("a nominal radius of 2 km"));
  EXPECT_THAT(beta.geometry_note, HasSubstr("estimated (unverified)"));
  ASSERT_EQ(parsed->species.size(), 1u);
  EXPECT_EQ(parsed->species[0].OnePercent().value, 70);
}

TEST(CatalogJsonTest, MalformedJson) {
  CatalogFiles f = GoodFiles();
  f.sites_json = R"({"schema": "wetlink.catalog.sites/1", "sites": [)";
  ExpectInvalid(f, {"sites.json", "not valid JSON"});
}

TEST(CatalogJsonTest, WrongSchemaString) {
  CatalogFiles f = GoodFiles();
  f.species_json = Replace(f.species_json, "wetlink.catalog.species/1", "wetlink.catalog.species/2");
  ExpectInvalid(f, {"species.json", "field 'schema'", "wetlink.catalog.species/1"});
}

TEST(CatalogJsonTest, DuplicateSiteId) {
  ExpectInvalid(WithSite(std::string(kSite) + "," + kSite),
                {"sites.json", "site 'alpha'", "duplicate id"});
}

TEST(CatalogJsonTest, DuplicateComplexId) {
  CatalogFiles f = GoodFiles();
  f.complexes_json = R"({"schema": "wetlink.catalog.complexes/1", "complexes": [
    {"id": "bay", "names": {"en": "A"}}, {"id": "bay", "names": {"en": "B"}}]})";
  ExpectInvalid(f, {"complexes.json", "complex 'bay'", "duplicate id"});
}

TEST(CatalogJsonTest, UnknownComplex) {
  ExpectInvalid(WithSite(Replace(kSite, R"("complex": "bay")", R"("complex": "lagoon")")),
                {"sites.json", "site 'alpha'", "complex 'lagoon'", "complexes.json"});
}

TEST(CatalogJsonTest, UnknownSourceCode) {
  ExpectInvalid(WithSite(Replace(kSite, R"("sources": ["S1"])", R"("sources": ["S1", "S99"])")),
                {"sites.json", "site 'alpha'", "source 'S99'"});
  // A designation's own source is checked too.
  ExpectInvalid(WithSite(Replace(kSite, R"("number": 2343, "source": "S1")",
                                 R"("number": 2343, "source": "S7")")),
                {"sites.json", "site 'alpha'", "source 'S7'"});
  // And a species' population source.
  CatalogFiles f = GoodFiles();
  f.species_json = Replace(f.species_json, R"("year": 2025, "source": "S1")",
                           R"("year": 2025, "source": "S2")");
  ExpectInvalid(f, {"species.json", "species 'platalea_minor'", "population", "source 'S2'"});
}

TEST(CatalogJsonTest, EmptySourceCodeIsRefusedNotThrown) {
  // An empty code in a sources list once escaped as std::out_of_range.
  ExpectInvalid(WithSite(Replace(kSite, R"("sources": ["S1"])", R"("sources": [""])")),
                {"sites.json", "site 'alpha'", "source ''"});
}

TEST(CatalogJsonTest, UnknownDesignationKind) {
  ExpectInvalid(WithSite(Replace(kSite, R"("kind": "ramsar")", R"("kind": "marine_park")")),
                {"sites.json", "site 'alpha'", "designation kind 'marine_park'"});
}

TEST(CatalogJsonTest, LatitudeOutOfRange) {
  ExpectInvalid(WithSite(Replace(kSite, R"("lat": 37.5)", R"("lat": 95)")),
                {"sites.json", "site 'alpha'", "centre", "lat must be in [-90, 90]"});
  ExpectInvalid(WithSite(Replace(kSite, R"("lon": 126.5)", R"("lon": 181)")),
                {"sites.json", "site 'alpha'", "centre", "lon in [-180, 180]"});
}

TEST(CatalogJsonTest, MissingEnglishName) {
  ExpectInvalid(WithSite(Replace(kSite, R"("en": "Alpha", )", "")),
                {"sites.json", "site 'alpha'", "names.en"});
  // null counts as missing.
  ExpectInvalid(WithSite(Replace(kSite, R"("en": "Alpha")", R"("en": null)")),
                {"sites.json", "site 'alpha'", "names.en"});
}

TEST(CatalogJsonTest, MissingOrMistypedFields) {
  ExpectInvalid(WithSite(Replace(kSite, R"("id": "alpha", )", "")),
                {"sites.json", "field 'id' is missing"});
  ExpectInvalid(WithSite(Replace(kSite, R"("country": "KR")", R"("country": "Korea")")),
                {"sites.json", "site 'alpha'", "country"});
  ExpectInvalid(WithSite(Replace(kSite, R"("area_ha": 100)", R"("area_ha": "100")")),
                {"sites.json", "site 'alpha'", "field 'area_ha' must be a number"});
  ExpectInvalid(WithSite(Replace(kSite, R"("area_ha": 100)", R"("area_ha": 0)")),
                {"sites.json", "site 'alpha'", "area_ha must be > 0"});
  ExpectInvalid(WithSite(Replace(kSite2, R"("nominal_radius_km": 2, )", "")),
                {"sites.json", "site 'beta'", "nominal_radius_km"});
  ExpectInvalid(WithSite(Replace(kSite, R"("id": "alpha")", R"("id": "Alpha")")),
                {"sites.json", "site 'Alpha'", "id must match"});
  ExpectInvalid(WithSite(Replace(kSite, R"("species": "platalea_minor")",
                                 R"("species": "grus_grus")")),
                {"sites.json", "site 'alpha'", "focal_use species 'grus_grus'"});
}

// Years, reference numbers and published thresholds become ints: a value
// outside the int range was cast anyway (undefined behaviour, reported by
// fuzz/catalog_json_fuzzer's UBSan), a fraction was silently cut.
TEST(CatalogJsonTest, WholeNumberFieldsMustBeWholeAndFit) {
  for (const char* bad : {"1e300", "-3e9", "2147483648", "2343.5"}) {
    ExpectInvalid(WithSite(Replace(kSite, R"("number": 2343)", absl::StrCat(R"("number": )", bad))),
                  {"sites.json", "site 'alpha'", "field 'number' must be a whole number"});
    CatalogFiles f = GoodFiles();
    f.species_json = Replace(f.species_json, R"("year": 2025)", absl::StrCat(R"("year": )", bad));
    ExpectInvalid(f, {"species.json", "species 'platalea_minor': population",
                      "field 'year' must be a whole number"});
  }
  CatalogFiles f = GoodFiles();
  f.species_json = Replace(f.species_json, R"("population")",
                           R"("iucn": {"year": 1e20}, "one_percent": {"published": 70}, "population")");
  ExpectInvalid(f, {"species.json", "field 'year' must be a whole number"});
  f = GoodFiles();
  f.species_json = Replace(f.species_json, R"("population")",
                           R"("one_percent": {"published": -1e10}, "population")");
  ExpectInvalid(f, {"species.json", "field 'published' must be a whole number"});
  // Whole numbers written with a point or an exponent still read.
  f = GoodFiles();
  f.sites_json = SitesJson(Replace(kSite, R"("number": 2343)", R"("number": 2.343e3)"));
  auto parsed = ParseCatalog(f);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->sites[0].designations[0].number, "2343");
}

}  // namespace
}  // namespace wetlink::catalog
