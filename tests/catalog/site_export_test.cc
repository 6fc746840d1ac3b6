#include "catalog/site_export.h"

#include <boost/geometry/algorithms/correct.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "catalog/site.h"
#include "geo/gdal_io.h"
#include "geo/geodesy.h"
#include "geo/geometry.h"
#include "gtest/gtest.h"
#include "tests/testing/geometry_fixtures.h"

namespace wetlink::catalog {
namespace {

using geo::FieldType;
using geo::FieldValue;

using ::wetlink::testing::Square;

// Positions in SiteExportFields(), checked by name in FieldOrder below.
enum Col : std::size_t {
  kId, kNameEn, kNameZh, kNameRu, kNameKo, kNameJa, kNameMn, kCountry, kComplex,
  kDesignations, kProtected, kAreaHa, kGeometryAreaHa, kGeometryQuality, kGeometryNote,
  kCentreLat, kCentreLon, kOrigin, kColumns
};

Site Rason() {
  Site s;
  s.id = "rason";
  s.names = {{"en", "Rason Migratory Bird Reserve"}, {"ko", "라선철새보호구"}};
  s.country = "KP";
  s.complex_id = "tumen_estuary";
  Designation ramsar;
  ramsar.kind = DesignationKind::kRamsar;
  ramsar.number = "2343";
  ramsar.year = 2018;
  Designation reserve;
  reserve.kind = DesignationKind::kNatureReserve;
  s.designations = {ramsar, reserve};
  s.is_protected = true;
  s.stated_area_ha = 3525.7;
  s.centre = {.lat = 42.3333, .lon = 130.5833};
  s.geometry_surveyed = false;
  s.geometry_note = "approximated: a disc";
  s.geometry = Square(130.5, 42.3, 130.6, 42.4);
  s.origin = "bundled";
  return s;
}

Site Cheorwon() {
  Site s;
  s.id = "cheorwon";
  s.names = {{"en", "Cheorwon"}};
  s.country = "KR";
  s.is_protected = false;
  s.geometry_surveyed = true;
  s.geometry_note = "boundary imported";
  s.centre = {.lat = 38.2, .lon = 127.3};
  s.geometry = Square(127.2, 38.1, 127.4, 38.3);
  s.origin = "import:dmz.gpkg";
  return s;
}

TEST(SiteExportTest, FieldOrder) {
  const std::vector<std::string> names = {
      "id",       "name_en",     "name_zh",          "name_ru",          "name_ko",
      "name_ja",  "name_mn",     "country",          "complex",          "designations",
      "protected", "area_ha",    "geometry_area_ha", "geometry_quality", "geometry_note",
      "centre_lat", "centre_lon", "origin"};
  const auto& fields = SiteExportFields();
  ASSERT_EQ(fields.size(), names.size());
  ASSERT_EQ(fields.size(), static_cast<std::size_t>(kColumns));
  for (std::size_t i = 0; i < fields.size(); ++i) EXPECT_EQ(fields[i].name, names[i]) << i;
  EXPECT_EQ(fields[kProtected].type, FieldType::kInteger);
  EXPECT_EQ(fields[kAreaHa].type, FieldType::kReal);
  EXPECT_EQ(fields[kCentreLon].type, FieldType::kReal);
  EXPECT_EQ(fields[kOrigin].type, FieldType::kString);
}

TEST(SiteExportTest, ValuesFollowTheFieldOrder) {
  const Site rason = Rason();
  const auto features = SitesToFeatures({&rason});
  ASSERT_EQ(features.size(), 1u);
  const std::vector<FieldValue>& v = features[0].values;
  ASSERT_EQ(v.size(), SiteExportFields().size());
  EXPECT_EQ(v[kId], FieldValue{std::string("rason")});
  EXPECT_EQ(v[kNameEn], FieldValue{std::string("Rason Migratory Bird Reserve")});
  EXPECT_EQ(v[kNameKo], FieldValue{std::string("라선철새보호구")});
  // Languages without a name are null, not "".
  for (Col c : {kNameZh, kNameRu, kNameJa, kNameMn}) {
    EXPECT_TRUE(std::holds_alternative<std::monostate>(v[c])) << c;
  }
  EXPECT_EQ(v[kCountry], FieldValue{std::string("KP")});
  EXPECT_EQ(v[kComplex], FieldValue{std::string("tumen_estuary")});
  EXPECT_EQ(v[kDesignations], FieldValue{std::string("ramsar no. 2343 (2018); nature_reserve")});
  EXPECT_EQ(v[kProtected], FieldValue{std::int64_t{1}});
  EXPECT_EQ(v[kAreaHa], FieldValue{3525.7});
  ASSERT_TRUE(std::holds_alternative<double>(v[kGeometryAreaHa]));
  EXPECT_DOUBLE_EQ(std::get<double>(v[kGeometryAreaHa]),
                   geo::GeodesicAreaM2(rason.geometry) / geo::kSquareMetresPerHectare);
  // 0.1 deg x 0.1 deg at 42 N is roughly 8.2 km x 11.1 km.
  EXPECT_NEAR(std::get<double>(v[kGeometryAreaHa]), 9100, 300);
  EXPECT_EQ(v[kGeometryQuality], FieldValue{std::string("approximated")});
  EXPECT_EQ(v[kGeometryNote], FieldValue{std::string("approximated: a disc")});
  EXPECT_EQ(v[kCentreLat], FieldValue{42.3333});
  EXPECT_EQ(v[kCentreLon], FieldValue{130.5833});
  EXPECT_EQ(v[kOrigin], FieldValue{std::string("bundled")});
  EXPECT_EQ(std::get<geo::MultiPolygon>(features[0].geometry).size(), 1u);
}

TEST(SiteExportTest, UnprotectedSiteWithoutAreaOrComplex) {
  const Site rason = Rason();
  const Site cheorwon = Cheorwon();
  const auto features = SitesToFeatures({&cheorwon, &rason});
  ASSERT_EQ(features.size(), 2u);  // in the order given
  const std::vector<FieldValue>& v = features[0].values;
  EXPECT_EQ(v[kId], FieldValue{std::string("cheorwon")});
  EXPECT_TRUE(std::holds_alternative<std::monostate>(v[kComplex]));
  EXPECT_EQ(v[kDesignations], FieldValue{std::string("")});
  EXPECT_EQ(v[kProtected], FieldValue{std::int64_t{0}});
  EXPECT_TRUE(std::holds_alternative<std::monostate>(v[kAreaHa]));  // none stated
  EXPECT_TRUE(std::holds_alternative<double>(v[kGeometryAreaHa]));  // always computed
  EXPECT_EQ(v[kGeometryQuality], FieldValue{std::string("surveyed")});
  EXPECT_EQ(v[kOrigin], FieldValue{std::string("import:dmz.gpkg")});
  EXPECT_EQ(features[1].values[kId], FieldValue{std::string("rason")});
}

// Every value has the type its field declares (or is null).
TEST(SiteExportTest, ValueTypesMatchFieldTypes) {
  const Site rason = Rason();
  const Site cheorwon = Cheorwon();
  const auto& fields = SiteExportFields();
  for (const auto& feature : SitesToFeatures({&rason, &cheorwon})) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const FieldValue& value = feature.values[i];
      if (std::holds_alternative<std::monostate>(value)) continue;
      switch (fields[i].type) {
        case FieldType::kString:
          EXPECT_TRUE(std::holds_alternative<std::string>(value)) << fields[i].name;
          break;
        case FieldType::kReal:
          EXPECT_TRUE(std::holds_alternative<double>(value)) << fields[i].name;
          break;
        case FieldType::kInteger:
          EXPECT_TRUE(std::holds_alternative<std::int64_t>(value)) << fields[i].name;
          break;
      }
    }
  }
}

TEST(SiteExportTest, NoSitesNoFeatures) { EXPECT_TRUE(SitesToFeatures({}).empty()); }

}  // namespace
}  // namespace wetlink::catalog
