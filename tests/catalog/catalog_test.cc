#include "catalog/catalog.h"

#include <algorithm>
#include <cctype>
#include <boost/geometry/algorithms/correct.hpp>
#include <string>
#include <vector>

#include "catalog/site.h"
#include "catalog/species.h"
#include "geo/geometry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/geometry_fixtures.h"

namespace wetlink::catalog {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

using ::wetlink::testing::Square;

Site MakeSite(const std::string& id, const std::string& country, const std::string& complex,
              std::vector<DesignationKind> kinds, geo::MultiPolygon geometry) {
  Site s;
  s.id = id;
  s.names["en"] = "Site " + id;
  s.country = country;
  s.complex_id = complex;
  for (DesignationKind k : kinds) {
    Designation d;
    d.kind = k;
    s.designations.push_back(d);
  }
  s.is_protected = !kinds.empty();
  s.geometry = std::move(geometry);
  return s;
}

Species MakeSpecies(const std::string& id, const std::string& code) {
  Species s;
  s.id = id;
  s.code = code;
  s.names["en"] = id;
  // "grus_monacha" -> "Grus monacha"
  s.scientific_name = id;
  s.scientific_name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(id[0])));
  std::replace(s.scientific_name.begin(), s.scientific_name.end(), '_', ' ');
  return s;
}

// lon/lat degrees (x = lon, y = lat):
//
//  y=3        +-------+
//             |   b   |           b: CN, complex "han", national park
//  y=2  +-----+---+   |
//       |     |a+b|   |           a: KR, complex "han", Ramsar
//  y=1  |  a  +---+---+  +---+
//       |         |      | c |    c: CN, no complex, Ramsar + nature reserve
//  y=0  +---------+      +---+
//      x=0    1   2   3  4   5    d: JP, far away at [10,11]x[10,11], none
//
// Given out of id order, to check the catalog sorts.
Catalog MakeCatalog() {
  std::vector<Site> sites;
  sites.push_back(MakeSite("d", "JP", "", {}, Square(10, 10, 11, 11)));
  sites.push_back(MakeSite("b", "CN", "han", {DesignationKind::kNationalPark}, Square(1, 1, 3, 3)));
  sites.push_back(MakeSite("c", "CN", "",
                           {DesignationKind::kRamsar, DesignationKind::kNatureReserve},
                           Square(4, 0, 5, 1)));
  sites.push_back(MakeSite("a", "KR", "han", {DesignationKind::kRamsar}, Square(0, 0, 2, 2)));
  Complex han;
  han.id = "han";
  han.names["en"] = "Han";
  Complex other;
  other.id = "empty_complex";
  return Catalog(std::move(sites), {han, other},
                 {MakeSpecies("grus_monacha", "HC"), MakeSpecies("antigone_vipio", "WNC")});
}

std::vector<std::string> Ids(const std::vector<const Site*>& sites) {
  std::vector<std::string> ids;
  for (const Site* s : sites) ids.push_back(s->id);
  return ids;
}

TEST(CatalogTest, ListsAreSortedById) {
  const Catalog c = MakeCatalog();
  std::vector<std::string> site_ids;
  for (const Site& s : c.sites()) site_ids.push_back(s.id);
  EXPECT_THAT(site_ids, ElementsAre("a", "b", "c", "d"));
  ASSERT_EQ(c.complexes().size(), 2u);
  EXPECT_EQ(c.complexes()[0].id, "empty_complex");
  ASSERT_EQ(c.species().size(), 2u);
  EXPECT_EQ(c.species()[0].id, "antigone_vipio");
}

TEST(CatalogTest, EmptyFilterMatchesEverySite) {
  EXPECT_THAT(Ids(MakeCatalog().Query({})), ElementsAre("a", "b", "c", "d"));
}

TEST(CatalogTest, QueryByCountry) {
  const Catalog c = MakeCatalog();
  SiteFilter f;
  f.countries = {"CN"};
  EXPECT_THAT(Ids(c.Query(f)), ElementsAre("b", "c"));
  f.countries = {"JP", "CN"};  // any of them; result order is still by id
  EXPECT_THAT(Ids(c.Query(f)), ElementsAre("b", "c", "d"));
  f.countries = {"MN"};
  EXPECT_THAT(c.Query(f), IsEmpty());
}

TEST(CatalogTest, QueryByComplex) {
  const Catalog c = MakeCatalog();
  SiteFilter f;
  f.complex_id = "han";
  EXPECT_THAT(Ids(c.Query(f)), ElementsAre("a", "b"));
  f.complex_id = "empty_complex";
  EXPECT_THAT(c.Query(f), IsEmpty());
}

TEST(CatalogTest, QueryByDesignation) {
  const Catalog c = MakeCatalog();
  SiteFilter f;
  f.designation = DesignationKind::kRamsar;
  EXPECT_THAT(Ids(c.Query(f)), ElementsAre("a", "c"));
  f.designation = DesignationKind::kNatureReserve;  // c's second designation counts
  EXPECT_THAT(Ids(c.Query(f)), ElementsAre("c"));
  f.designation = DesignationKind::kWorldHeritage;
  EXPECT_THAT(c.Query(f), IsEmpty());
}

TEST(CatalogTest, QueryByBoundingBox) {
  const Catalog c = MakeCatalog();
  SiteFilter f;
  // A strip y in [0.5, 1.5] from x = 1.5 to 4.5 crosses a, b and c, not d.
  f.bbox = geo::Box({1.5, 0.5}, {4.5, 1.5});
  EXPECT_THAT(Ids(c.Query(f)), ElementsAre("a", "b", "c"));
  // Only touching c's corner (5, 1) still counts.
  f.bbox = geo::Box({5, 1}, {6, 2});
  EXPECT_THAT(Ids(c.Query(f)), ElementsAre("c"));
  // Between the sites: nothing.
  f.bbox = geo::Box({6, 6}, {9, 9});
  EXPECT_THAT(c.Query(f), IsEmpty());
}

TEST(CatalogTest, FiltersCombineWithAnd) {
  const Catalog c = MakeCatalog();
  SiteFilter f;
  f.bbox = geo::Box({1.5, 0.5}, {4.5, 1.5});
  f.countries = {"CN"};
  EXPECT_THAT(Ids(c.Query(f)), ElementsAre("b", "c"));
  f.designation = DesignationKind::kRamsar;
  EXPECT_THAT(Ids(c.Query(f)), ElementsAre("c"));
  f.complex_id = "han";  // c has no complex, b no Ramsar
  EXPECT_THAT(c.Query(f), IsEmpty());
}

TEST(CatalogTest, FindSiteAndComplex) {
  const Catalog c = MakeCatalog();
  ASSERT_NE(c.FindSite("c"), nullptr);
  EXPECT_EQ(c.FindSite("c")->country, "CN");
  EXPECT_EQ(c.FindSite("e"), nullptr);
  EXPECT_EQ(c.FindSite(""), nullptr);
  EXPECT_EQ(c.FindSite("A"), nullptr);  // ids are case-sensitive
  ASSERT_NE(c.FindComplex("han"), nullptr);
  EXPECT_EQ(c.FindComplex("han")->names.at("en"), "Han");
  EXPECT_EQ(c.FindComplex("tumen_estuary"), nullptr);
}

TEST(CatalogTest, FindSpeciesByIdOrCodeIgnoringCase) {
  const Catalog c = MakeCatalog();
  const Species* hc = c.FindSpecies("grus_monacha");
  ASSERT_NE(hc, nullptr);
  EXPECT_EQ(hc->code, "HC");
  EXPECT_EQ(c.FindSpecies("HC"), hc);
  EXPECT_EQ(c.FindSpecies("hc"), hc);
  EXPECT_EQ(c.FindSpecies("Hc"), hc);
  ASSERT_NE(c.FindSpecies("wnc"), nullptr);
  EXPECT_EQ(c.FindSpecies("wnc")->id, "antigone_vipio");
  EXPECT_EQ(c.FindSpecies("H"), nullptr);
  EXPECT_EQ(c.FindSpecies("HCC"), nullptr);
  EXPECT_EQ(c.FindSpecies("GRUS_MONACHA"), nullptr);  // ids are not case-folded
}

TEST(CatalogTest, FindSpeciesByAnyNameAlsoMatchesScientificNames) {
  const Catalog c = MakeCatalog();
  const Species* hc = c.FindSpecies("grus_monacha");
  ASSERT_NE(hc, nullptr);
  ASSERT_EQ(hc->scientific_name, "Grus monacha");
  EXPECT_EQ(c.FindSpeciesByAnyName("Grus monacha"), hc);
  std::string upper = hc->scientific_name;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_EQ(c.FindSpeciesByAnyName(upper), hc);
  EXPECT_EQ(c.FindSpeciesByAnyName("HC"), hc);
  EXPECT_EQ(c.FindSpeciesByAnyName("grus_monacha"), hc);
  EXPECT_EQ(c.FindSpeciesByAnyName("Grus"), nullptr);
  EXPECT_EQ(c.FindSpeciesByAnyName(""), nullptr);
}

TEST(CatalogTest, SitesContaining) {
  const Catalog c = MakeCatalog();
  EXPECT_THAT(Ids(c.SitesContaining({1.5, 1.5})), ElementsAre("a", "b"));  // the overlap
  EXPECT_THAT(Ids(c.SitesContaining({0.5, 0.5})), ElementsAre("a"));
  EXPECT_THAT(Ids(c.SitesContaining({2.5, 2.5})), ElementsAre("b"));
  EXPECT_THAT(Ids(c.SitesContaining({2, 2})), ElementsAre("a", "b"));  // a's corner counts
  EXPECT_THAT(c.SitesContaining({3.5, 0.5}), IsEmpty());
}

TEST(CatalogTest, ComplexMembers) {
  const Catalog c = MakeCatalog();
  EXPECT_THAT(c.ComplexMembers("han"), ElementsAre("a", "b"));
  EXPECT_THAT(c.ComplexMembers("empty_complex"), IsEmpty());
  EXPECT_THAT(c.ComplexMembers("nowhere"), IsEmpty());
}

TEST(CatalogTest, EmptyCatalog) {
  const Catalog c;
  EXPECT_TRUE(c.sites().empty());
  EXPECT_EQ(c.FindSite("a"), nullptr);
  EXPECT_EQ(c.FindSpecies("HC"), nullptr);
  EXPECT_THAT(c.Query({}), IsEmpty());
  EXPECT_THAT(c.SitesContaining({0, 0}), IsEmpty());
}

}  // namespace
}  // namespace wetlink::catalog
