#include "catalog/site_import.h"

#include <boost/geometry/algorithms/correct.hpp>
#include <boost/geometry/algorithms/equals.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "catalog/catalog.h"
#include "catalog/site.h"
#include "geo/gdal_io.h"
#include "geo/geodesy.h"
#include "geo/geometry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/geometry_fixtures.h"

namespace wetlink::catalog {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kFile[] = "sites.gpkg";

using ::wetlink::testing::Square;

// An L-shaped site, so its centroid differs from its bounding-box centre:
//
//  y=39 +----+
//       |    |
//  y=38 |    +----+        area 3 (unit squares); centroid
//       |         |        x = 126 + (2*1 + 1*0.5)/3, y = 37 + (2*0.5 + 1*1.5)/3
//  y=37 +---------+
//     x=126  127  128
geo::MultiPolygon LShape() {
  geo::Polygon p;
  p.outer() = {{126, 37}, {128, 37}, {128, 38}, {127, 38}, {127, 39}, {126, 39}, {126, 37}};
  geo::MultiPolygon mp{p};
  boost::geometry::correct(mp);
  return mp;
}

geo::ReadFeature Feature(std::int64_t fid, std::map<std::string, std::string> attributes,
                         geo::MultiPolygon geometry = Square(126, 37, 126.1, 37.1)) {
  geo::ReadFeature f;
  f.ref.file = kFile;
  f.ref.layer = "sites";
  f.ref.fid = fid;
  if (auto it = attributes.find("id"); it != attributes.end()) f.ref.label = it->second;
  f.attributes = std::move(attributes);
  f.geometry = std::move(geometry);
  return f;
}

geo::ReadResult Read(std::vector<geo::ReadFeature> features) {
  return ::wetlink::testing::ReadResultOf(std::move(features));
}

// The catalog imports are planned against: one site, one complex.
Catalog Current() {
  Site existing;
  existing.id = "existing";
  existing.names["en"] = "Existing";
  existing.country = "KR";
  existing.geometry = Square(120, 30, 121, 31);
  Complex tumen;
  tumen.id = "tumen_estuary";
  return Catalog({existing}, {tumen}, {});
}

ImportOptions SkipInvalid() {
  ImportOptions o;
  o.skip_invalid = true;
  return o;
}

absl::StatusOr<ImportPlan> Plan(const geo::ReadResult& read, const ImportMapping& mapping = {},
                                const ImportOptions& options = {}) {
  return PlanSiteImport(read, mapping, options, Current(), kFile);
}

// The refusal reason of a single-feature import (skip_invalid so it plans).
std::string RefusalOf(std::map<std::string, std::string> attributes,
                      const ImportMapping& mapping = {}) {
  auto plan = Plan(Read({Feature(1, std::move(attributes))}), mapping, SkipInvalid());
  EXPECT_TRUE(plan.ok()) << plan.status();
  if (!plan.ok()) return "";
  EXPECT_EQ(plan->refused, 1);
  EXPECT_TRUE(plan->sites.empty());
  if (plan->reports.size() != 1) return "";
  EXPECT_EQ(plan->reports[0].outcome, ImportOutcome::kRefused);
  return plan->reports[0].reason;
}

// The single site planned from one feature.
Site CreatedFrom(std::map<std::string, std::string> attributes, const ImportMapping& mapping = {}) {
  auto plan = Plan(Read({Feature(1, std::move(attributes))}), mapping);
  EXPECT_TRUE(plan.ok()) << plan.status();
  if (!plan.ok() || plan->sites.size() != 1) return Site{};
  EXPECT_EQ(plan->created, 1);
  return plan->sites[0];
}

TEST(SiteImportTest, CreatesASiteFromAFeature) {
  auto plan = Plan(Read({Feature(7, {{"id", "new_site"}, {"name_en", "New Site"},
                                     {"country", "KR"}}, LShape())}));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->created, 1);
  EXPECT_EQ(plan->replaced, 0);
  EXPECT_EQ(plan->refused, 0);
  ASSERT_EQ(plan->sites.size(), 1u);
  const Site& s = plan->sites[0];
  EXPECT_EQ(s.id, "new_site");
  EXPECT_EQ(s.EnglishName(), "New Site");
  EXPECT_EQ(s.country, "KR");
  EXPECT_TRUE(s.complex_id.empty());
  EXPECT_TRUE(s.designations.empty());
  EXPECT_FALSE(s.is_protected);
  EXPECT_FALSE(s.stated_area_ha.has_value());
  EXPECT_TRUE(s.geometry_surveyed);
  EXPECT_EQ(s.origin, "import:sites.gpkg");
  EXPECT_EQ(s.geometry_note, "boundary imported from file 'sites.gpkg', layer 'sites', "
                             "feature 7 ('new_site')");
  // The centre is the centroid, not the bbox centre (127, 38).
  EXPECT_NEAR(s.centre.lon, 126 + 2.5 / 3, 1e-9);
  EXPECT_NEAR(s.centre.lat, 37 + 2.5 / 3, 1e-9);
  EXPECT_TRUE(s.centre_verified);
  ASSERT_EQ(s.geometry.size(), 1u);
  EXPECT_EQ(s.geometry[0].outer().size(), 7u);

  ASSERT_EQ(plan->reports.size(), 1u);
  const FeatureReport& r = plan->reports[0];
  EXPECT_EQ(r.feature, "file 'sites.gpkg', layer 'sites', feature 7 ('new_site')");
  EXPECT_EQ(r.site_id, "new_site");
  EXPECT_EQ(r.outcome, ImportOutcome::kCreated);
  EXPECT_DOUBLE_EQ(r.geometry_area_ha,
                   geo::GeodesicAreaM2(s.geometry) / geo::kSquareMetresPerHectare);
  EXPECT_GT(r.geometry_area_ha, 0);
  EXPECT_TRUE(r.reason.empty());
}

TEST(SiteImportTest, IdComesFromIdThenSiteIdThenTheName) {
  EXPECT_EQ(CreatedFrom({{"id", "from_id"}, {"site_id", "from_site_id"}, {"country", "KR"}}).id,
            "from_id");
  EXPECT_EQ(CreatedFrom({{"site_id", "from_site_id"}, {"name", "X"}, {"country", "KR"}}).id,
            "from_site_id");
  const Site slugged = CreatedFrom({{"name", "Mai Po Marshes & Inner Deep Bay"}, {"country", "hk"}});
  EXPECT_EQ(slugged.id, "mai_po_marshes_inner_deep_bay");
  EXPECT_EQ(slugged.EnglishName(), "Mai Po Marshes & Inner Deep Bay");
  // Without a name the id doubles as the English name.
  EXPECT_EQ(CreatedFrom({{"id", "plain"}, {"country", "KR"}}).EnglishName(), "plain");
  // An empty attribute counts as absent.
  EXPECT_EQ(CreatedFrom({{"id", ""}, {"NAME", "Upper Name"}, {"country", "KR"}}).id,
            "upper_name");
}

TEST(SiteImportTest, ExplicitMappingDoesNotFallBackToDefaults) {
  ImportMapping m;
  m.id_field = "CODE";
  m.name_field = "NOM";
  m.country_field = "PAYS";
  m.area_field = "SURF_HA";
  const Site s = CreatedFrom(
      {{"CODE", "mapped"}, {"NOM", "Mapped"}, {"PAYS", "fr"}, {"SURF_HA", "12.5"}, {"id", "x"}}, m);
  EXPECT_EQ(s.id, "mapped");
  EXPECT_EQ(s.EnglishName(), "Mapped");
  EXPECT_EQ(s.country, "FR");
  ASSERT_TRUE(s.stated_area_ha.has_value());
  EXPECT_DOUBLE_EQ(*s.stated_area_ha, 12.5);
  // "id" is present but the mapping names "CODE".
  EXPECT_THAT(RefusalOf({{"id", "x"}, {"PAYS", "FR"}}, m),
              HasSubstr("attribute 'CODE' is missing or empty"));
}

TEST(SiteImportTest, SlugFromName) {
  EXPECT_EQ(SlugFromName("Mai Po Marshes & Inner Deep Bay"), "mai_po_marshes_inner_deep_bay");
  EXPECT_EQ(SlugFromName("  Lake  Khanka -- (RU) "), "lake_khanka_ru");
  EXPECT_EQ(SlugFromName("Étang de Thau"), "tang_de_thau");  // É is dropped, no leading _
  EXPECT_EQ(SlugFromName("图们江口湿地"), "");
  EXPECT_EQ(SlugFromName("Оз. Ханка"), "");
  EXPECT_EQ(SlugFromName(""), "");
  EXPECT_EQ(SlugFromName("___"), "");
  EXPECT_EQ(SlugFromName("Site 42"), "site_42");
  EXPECT_EQ(SlugFromName(std::string(70, 'a')), std::string(64, 'a'));
  // Cut at 64 characters without leaving a trailing '_'.
  const std::string slug = SlugFromName(std::string(63, 'a') + " bay");
  EXPECT_EQ(slug, std::string(63, 'a'));
  EXPECT_TRUE(IsValidSiteId(slug));
}

TEST(SiteImportTest, RefusesFeaturesWithoutAUsableId) {
  EXPECT_THAT(RefusalOf({{"id", "Bad-ID"}, {"country", "KR"}}),
              HasSubstr("id 'Bad-ID' is not valid"));
  EXPECT_THAT(RefusalOf({{"id", std::string(65, 'a')}, {"country", "KR"}}),
              HasSubstr("is not valid"));
  EXPECT_THAT(RefusalOf({{"name", "图们江"}, {"country", "CN"}}), HasSubstr("no id"));
  EXPECT_THAT(RefusalOf({{"country", "CN"}}), HasSubstr("no id"));
}

TEST(SiteImportTest, Country) {
  EXPECT_THAT(RefusalOf({{"id", "a"}}), HasSubstr("no country"));
  ImportMapping with_default;
  with_default.default_country = "KR";
  EXPECT_EQ(CreatedFrom({{"id", "a"}}, with_default).country, "KR");
  // An attribute beats the default; lower case is upper-cased.
  EXPECT_EQ(CreatedFrom({{"id", "a"}, {"iso_a2", "cn"}}, with_default).country, "CN");
  EXPECT_EQ(CreatedFrom({{"id", "a"}, {"country", "jp"}}).country, "JP");
  EXPECT_THAT(RefusalOf({{"id", "a"}, {"country", "Korea"}}),
              HasSubstr("country 'Korea' is not an ISO 3166-1 alpha-2 code"));
  ImportMapping bad_default;
  bad_default.default_country = "KOR";
  EXPECT_THAT(RefusalOf({{"id", "a"}}, bad_default), HasSubstr("country 'KOR'"));
}

TEST(SiteImportTest, Complex) {
  EXPECT_EQ(CreatedFrom({{"id", "a"}, {"country", "KP"}, {"complex", "tumen_estuary"}}).complex_id,
            "tumen_estuary");
  EXPECT_THAT(RefusalOf({{"id", "a"}, {"country", "KP"}, {"complex_id", "dmz"}}),
              HasSubstr("complex 'dmz' is not in the catalog"));
}

TEST(SiteImportTest, Designation) {
  const Site ramsar = CreatedFrom({{"id", "a"}, {"country", "KR"}, {"designation", "ramsar"}});
  ASSERT_EQ(ramsar.designations.size(), 1u);
  EXPECT_EQ(ramsar.designations[0].kind, DesignationKind::kRamsar);
  EXPECT_TRUE(ramsar.is_protected);
  // EAAFP recognition is not legal protection.
  const Site flyway =
      CreatedFrom({{"id", "a"}, {"country", "KR"}, {"designation", "flyway_network_site"}});
  ASSERT_EQ(flyway.designations.size(), 1u);
  EXPECT_FALSE(flyway.is_protected);
  EXPECT_THAT(RefusalOf({{"id", "a"}, {"country", "KR"}, {"designation", "Ramsar"}}),
              HasSubstr("designation 'Ramsar' is unknown"));
}

TEST(SiteImportTest, Area) {
  const Site s = CreatedFrom({{"id", "a"}, {"country", "KR"}, {"area_ha", "1234.5"}});
  ASSERT_TRUE(s.stated_area_ha.has_value());
  EXPECT_DOUBLE_EQ(*s.stated_area_ha, 1234.5);
  EXPECT_FALSE(s.area_source.empty());
  EXPECT_DOUBLE_EQ(
      *CreatedFrom({{"id", "a"}, {"country", "KR"}, {"stated_area_ha", "1e3"}}).stated_area_ha,
      1000);
  for (const char* bad : {"abc", "0", "-5", "12 ha", " 12", "nan", "inf"}) {
    EXPECT_THAT(RefusalOf({{"id", "a"}, {"country", "KR"}, {"area_ha", bad}}),
                HasSubstr("is not a positive number of hectares"))
        << bad;
  }
}

TEST(SiteImportTest, DuplicateIdInTheFile) {
  auto plan = Plan(Read({Feature(1, {{"id", "twin"}, {"country", "KR"}}),
                         Feature(2, {{"id", "twin"}, {"country", "KR"}})}),
                   {}, SkipInvalid());
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->created, 1);
  EXPECT_EQ(plan->refused, 1);
  ASSERT_EQ(plan->sites.size(), 1u);
  ASSERT_EQ(plan->reports.size(), 2u);
  EXPECT_EQ(plan->reports[0].outcome, ImportOutcome::kCreated);
  EXPECT_EQ(plan->reports[1].outcome, ImportOutcome::kRefused);
  EXPECT_EQ(plan->reports[1].site_id, "twin");
  EXPECT_THAT(plan->reports[1].reason, HasSubstr("'twin' appears more than once"));
}

TEST(SiteImportTest, ExistingIdIsRefusedUnlessReplacing) {
  const geo::ReadResult read = Read({Feature(1, {{"id", "existing"}, {"country", "CN"}})});
  EXPECT_THAT(RefusalOf({{"id", "existing"}, {"country", "CN"}}), HasSubstr("already exists"));

  ImportOptions replace;
  replace.replace_existing = true;
  auto plan = Plan(read, {}, replace);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->created, 0);
  EXPECT_EQ(plan->replaced, 1);
  ASSERT_EQ(plan->sites.size(), 1u);
  EXPECT_EQ(plan->sites[0].country, "CN");
  EXPECT_EQ(plan->reports[0].outcome, ImportOutcome::kReplaced);
}

TEST(SiteImportTest, ReplaceKeepsWhatTheFileDoesNotProvide) {
  // A surveyed boundary for a catalogued site: only id and geometry given.
  Site rich;
  rich.id = "rason";
  rich.names = {{"en", "Rason Migratory Bird Reserve"}, {"ko", "라선철새보호구"}};
  rich.country = "KP";
  rich.complex_id = "tumen_estuary";
  Designation ramsar;
  ramsar.kind = DesignationKind::kRamsar;
  ramsar.number = "2343";
  rich.designations = {ramsar};
  rich.is_protected = true;
  rich.stated_area_ha = 3525.7;
  rich.sources = {"S1: seed"};
  rich.geometry = Square(130.5, 42.3, 130.6, 42.4);
  Complex tumen;
  tumen.id = "tumen_estuary";
  const Catalog current({rich}, {tumen}, {});

  ImportOptions replace;
  replace.replace_existing = true;
  const geo::MultiPolygon surveyed = LShape();
  auto plan = PlanSiteImport(Read({Feature(1, {{"id", "rason"}}, surveyed)}), {}, replace,
                             current, kFile);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->sites.size(), 1u);
  const Site& site = plan->sites[0];
  EXPECT_EQ(plan->reports[0].outcome, ImportOutcome::kReplaced);
  EXPECT_TRUE(boost::geometry::equals(site.geometry, surveyed));
  EXPECT_TRUE(site.geometry_surveyed);
  EXPECT_EQ(site.names, rich.names);
  EXPECT_EQ(site.country, "KP");
  EXPECT_EQ(site.complex_id, "tumen_estuary");
  EXPECT_EQ(site.designations, rich.designations);
  EXPECT_TRUE(site.is_protected);
  EXPECT_EQ(site.stated_area_ha, 3525.7);
  EXPECT_EQ(site.sources, rich.sources);

  // Attributes the file does give win.
  auto renamed = PlanSiteImport(
      Read({Feature(1, {{"id", "rason"}, {"name", "Rason MBR"}, {"area_ha", "3600"}}, surveyed)}),
      {}, replace, current, kFile);
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_EQ(renamed->sites[0].names.at("en"), "Rason MBR");
  EXPECT_EQ(renamed->sites[0].names.at("ko"), "라선철새보호구");
  EXPECT_EQ(renamed->sites[0].stated_area_ha, 3600);
}

TEST(SiteImportTest, GeoLevelRefusalsAreCarriedIntoTheReports) {
  geo::ReadResult read = Read({Feature(1, {{"id", "good"}, {"country", "KR"}})});
  geo::RefusedFeature bad;
  bad.ref.file = kFile;
  bad.ref.layer = "sites";
  bad.ref.fid = 2;
  // gdal_io puts the feature's description before the problem.
  bad.reason = "file 'sites.gpkg', layer 'sites', feature 2: polygon is invalid (repair disabled)";
  read.refused.push_back(bad);

  auto plan = Plan(read, {}, SkipInvalid());
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->created, 1);
  EXPECT_EQ(plan->refused, 1);
  ASSERT_EQ(plan->sites.size(), 1u);  // skip_invalid keeps the good site
  EXPECT_EQ(plan->sites[0].id, "good");
  ASSERT_EQ(plan->reports.size(), 2u);
  EXPECT_EQ(plan->reports[1].feature, "file 'sites.gpkg', layer 'sites', feature 2");
  EXPECT_EQ(plan->reports[1].outcome, ImportOutcome::kRefused);
  // The report names the feature in its own field; the reason is the problem.
  EXPECT_EQ(plan->reports[1].reason, "polygon is invalid (repair disabled)");

  // Without skip_invalid the whole import is refused, naming the feature.
  auto refused = Plan(read);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("feature 2: polygon is invalid (repair disabled)"));
  const std::string msg(refused.status().message());
  EXPECT_THAT(msg, HasSubstr("1 of 2 features"));
  // The message names the feature once, however the reason arrived.
  const auto first = msg.find("feature 2");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(msg.find("feature 2", first + 1), std::string::npos) << msg;
}

TEST(SiteImportTest, RefusalMessageNamesTheFileAndEachRefusedFeature) {
  auto plan = Plan(Read({Feature(1, {{"id", "ok"}, {"country", "KR"}}),
                         Feature(2, {{"id", "no_country"}}),
                         Feature(3, {{"id", "a"}, {"country", "KR"}, {"area_ha", "abc"}})}));
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string msg(plan.status().message());
  EXPECT_THAT(msg, HasSubstr("import of 'sites.gpkg' refused, nothing stored: 2 of 3 features"));
  EXPECT_THAT(msg, HasSubstr("feature 2 ('no_country'): no country"));
  EXPECT_THAT(msg, HasSubstr("feature 3 ('a'): area 'abc' is not a positive number"));
  EXPECT_THAT(msg, Not(HasSubstr("feature 1 ")));
}

TEST(SiteImportTest, RefusalMessageListsAtMostTenFeatures) {
  std::vector<geo::ReadFeature> features;
  for (int i = 1; i <= 12; ++i) features.push_back(Feature(i, {{"id", "s" + std::to_string(i)}}));
  auto plan = Plan(Read(std::move(features)));
  ASSERT_FALSE(plan.ok());
  const std::string msg(plan.status().message());
  EXPECT_THAT(msg, HasSubstr("12 of 12 features"));
  EXPECT_THAT(msg, HasSubstr("feature 10 ('s10')"));
  EXPECT_THAT(msg, Not(HasSubstr("feature 11 ")));
  EXPECT_THAT(msg, EndsWith("; ..."));
}

TEST(SiteImportTest, EmptyFileIsInvalid) {
  auto plan = Plan(geo::ReadResult{});
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(plan.status().message()), HasSubstr("'sites.gpkg'"));
  // Same with skip_invalid: there is nothing to skip to.
  EXPECT_FALSE(Plan(geo::ReadResult{}, {}, SkipInvalid()).ok());
}

TEST(SiteImportTest, AllRefusedWithSkipInvalidIsAnEmptyPlan) {
  auto plan = Plan(Read({Feature(1, {{"id", "x"}})}), {}, SkipInvalid());
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->sites.empty());
  EXPECT_EQ(plan->refused, 1);
}

TEST(SiteImportTest, RepairsAreReportedAndNoted) {
  geo::ReadFeature f = Feature(4, {{"id", "fixed"}, {"country", "KR"}});
  f.repairs = {"self-intersection repaired by MakeValid into 2 polygons", "ring closed"};
  auto plan = Plan(Read({f}));
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->sites.size(), 1u);
  EXPECT_EQ(plan->sites[0].geometry_note,
            "boundary imported from file 'sites.gpkg', layer 'sites', feature 4 ('fixed'); "
            "repaired: self-intersection repaired by MakeValid into 2 polygons; ring closed");
  EXPECT_THAT(plan->reports[0].repairs, ElementsAre(f.repairs[0], f.repairs[1]));
}

TEST(SiteImportTest, SitesKeepFeatureOrder) {
  auto plan = Plan(Read({Feature(1, {{"id", "zeta"}, {"country", "KR"}}),
                         Feature(2, {{"id", "alpha"}, {"country", "KR"}})}));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->sites.size(), 2u);
  EXPECT_EQ(plan->sites[0].id, "zeta");
  EXPECT_EQ(plan->sites[1].id, "alpha");
}

}  // namespace
}  // namespace wetlink::catalog
