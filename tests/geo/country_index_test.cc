#include "geo/country_index.h"

#include <cmath>
#include <memory>
#include <numbers>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "catalog/catalog_json.h"
#include "data/bundled_catalog.h"
#include "data/bundled_countries.h"
#include "geo/geodesy.h"
#include "geo/geometry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace wetlink::geo {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Two unit squares side by side on the equator ("AA" west of "BB", sharing
// the edge lon = 1), "CC" against the antimeridian (lon 179 to 180), and an
// uncoded "-99" feature.
constexpr std::string_view kSquares = R"({"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"name": "Aland", "iso_a2": "AA"},
   "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
  {"type": "Feature", "properties": {"name": "Bland", "iso_a2": "BB"},
   "geometry": {"type": "Polygon", "coordinates": [[[1,0],[2,0],[2,1],[1,1],[1,0]]]}},
  {"type": "Feature", "properties": {"name": "Cland", "iso_a2": "CC"},
   "geometry": {"type": "Polygon",
                "coordinates": [[[179,0],[180,0],[180,1],[179,1],[179,0]]]}},
  {"type": "Feature", "properties": {"name": "Disputed", "iso_a2": "-99"},
   "geometry": {"type": "Polygon", "coordinates": [[[0,5],[1,5],[1,6],[0,6],[0,5]]]}}
]})";

CountryIndex Squares() {
  absl::StatusOr<CountryIndex> index = CountryIndex::FromText(kSquares, {});
  EXPECT_TRUE(index.ok()) << index.status();
  return *std::move(index);
}

// Metres per degree of longitude on the WGS84 equator.
constexpr double kEquatorMPerDegree = 6'378'137.0 * std::numbers::pi / 180.0;

TEST(CountryIndexTest, FindsTheCoveringCountry) {
  const CountryIndex index = Squares();
  EXPECT_EQ(index.feature_count(), 4u);
  EXPECT_EQ(index.CountryAt({.lat = 0.5, .lon = 0.5}), "AA");
  EXPECT_EQ(index.CountryAt({.lat = 0.5, .lon = 1.5}), "BB");
  EXPECT_EQ(index.CountryAt({.lat = 0.5, .lon = 179.5}), "CC");
  EXPECT_EQ(index.CountryAt({.lat = 0.5, .lon = 3}), "");
}

TEST(CountryIndexTest, SharedBorderGoesToTheFirstFeature) {
  const CountryIndex index = Squares();
  EXPECT_EQ(index.CountryAt({.lat = 0.5, .lon = 1}), "AA");
}

TEST(CountryIndexTest, LongitudesWrapAndNonPositionsAreUnknown) {
  const CountryIndex index = Squares();
  EXPECT_EQ(index.CountryAt({.lat = 0.5, .lon = 360.5}), "AA");
  EXPECT_EQ(index.CountryAt({.lat = 0.5, .lon = -180.5}), "CC");
  EXPECT_EQ(index.CountryAt({.lat = NAN, .lon = 0.5}), "");
  EXPECT_EQ(index.CountryAt({.lat = 0.5, .lon = INFINITY}), "");
  EXPECT_EQ(index.CountryAt({.lat = 91, .lon = 0.5}), "");
  EXPECT_EQ(index.NearestCountry({.lat = NAN, .lon = 0.5}, 1e6), "");
}

TEST(CountryIndexTest, NearestCountryMeasuresMetres) {
  const CountryIndex index = Squares();
  // 0.05 degrees east of "BB" on the equator: 5,566 m from its border.
  const LatLon sea{.lat = 0.5, .lon = 2.05};
  const double distance = 0.05 * kEquatorMPerDegree;
  EXPECT_EQ(index.CountryAt(sea), "");
  EXPECT_EQ(index.NearestCountry(sea, distance * 0.99), "");
  EXPECT_EQ(index.NearestCountry(sea, distance * 1.01), "BB");
  EXPECT_EQ(index.NearestCountry(sea, 0), "");
  EXPECT_EQ(index.NearestCountry(sea, -1), "");
  EXPECT_EQ(index.NearestCountry(sea, NAN), "");
  // Covered points answer without any distance.
  EXPECT_EQ(index.NearestCountry({.lat = 0.5, .lon = 0.5}, 0), "AA");
}

TEST(CountryIndexTest, NearestCountryDistanceIsCloseToGeodesic) {
  constexpr std::string_view kNorth = R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"iso_a2": "NN"},
     "geometry": {"type": "Polygon", "coordinates": [[[0,49],[1,49],[1,51],[0,51],[0,49]]]}}]})";
  absl::StatusOr<CountryIndex> index = CountryIndex::FromText(kNorth, {});
  ASSERT_TRUE(index.ok()) << index.status();
  const LatLon sea{.lat = 50, .lon = 1.25};
  const double geodesic = GeodesicDistanceM(sea, {.lat = 50, .lon = 1});  // ~17.9 km
  EXPECT_EQ(index->NearestCountry(sea, geodesic * 0.995), "");
  EXPECT_EQ(index->NearestCountry(sea, geodesic * 1.005), "NN");
}

TEST(CountryIndexTest, NearestCountryPicksTheCloserOne) {
  const CountryIndex index = Squares();
  // 1.1 km south of "BB", 1.6 km from the corner of "AA".
  const LatLon sea{.lat = -0.01, .lon = 1.01};
  EXPECT_EQ(index.NearestCountry({.lat = -0.02, .lon = 0.5}, 5000), "AA");
  EXPECT_EQ(index.NearestCountry({.lat = -0.02, .lon = 1.5}, 5000), "BB");
  EXPECT_EQ(index.NearestCountry(sea, 5000), "BB");
}

TEST(CountryIndexTest, NearestCountryLooksAcrossTheAntimeridian) {
  const CountryIndex index = Squares();
  // 0.03 degrees west of 180 seen from the other side: 3,340 m.
  const LatLon sea{.lat = 0.5, .lon = -179.97};
  EXPECT_EQ(index.NearestCountry(sea, 3000), "");
  EXPECT_EQ(index.NearestCountry(sea, 3500), "CC");
}

TEST(CountryIndexTest, FeaturesWithoutCodeKeepTheirLand) {
  const CountryIndex index = Squares();
  EXPECT_THAT(index.uncoded_features(), ElementsAre("Disputed (no 'iso_a2')"));
  const LatLon inside{.lat = 5.5, .lon = 0.5};
  EXPECT_EQ(index.CountryAt(inside), "");
  // On land, so no fallback to a neighbour.
  EXPECT_EQ(index.NearestCountry(inside, 1e6), "");
}

TEST(CountryIndexTest, TranslatesCodesThroughATable) {
  constexpr std::string_view kNumeric = R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "Korea", "code": "410"},
     "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
    {"type": "Feature", "properties": {"name": "Nowhere", "code": "999"},
     "geometry": {"type": "Polygon", "coordinates": [[[2,0],[3,0],[3,1],[2,1],[2,0]]]}}
  ]})";
  CountryIndexOptions options;
  options.code_attribute = "code";
  options.code_table = {{"410", "KR"}};
  absl::StatusOr<CountryIndex> index = CountryIndex::FromText(kNumeric, options);
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ(index->CountryAt({.lat = 0.5, .lon = 0.5}), "KR");
  EXPECT_EQ(index->CountryAt({.lat = 0.5, .lon = 2.5}), "");
  EXPECT_THAT(index->uncoded_features(),
              ElementsAre("Nowhere ('code' 999 is not in the code table)"));
}

TEST(CountryIndexTest, RefusesMalformedText) {
  absl::StatusOr<CountryIndex> index =
      CountryIndex::FromText("{\"type\": \"FeatureCollection\", \"features\": [", {});
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(index.status().message(),
              HasSubstr("reading country boundaries 'countries.json': cannot open file "
                        "'countries.json' as vector data"));
}

TEST(CountryIndexTest, RefusesCodesThatAreNotAlpha2) {
  constexpr std::string_view kBad = R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "Korea", "iso_a2": "KOR"},
     "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}
  ]})";
  CountryIndexOptions options;
  options.name = "bad.geojson";
  absl::StatusOr<CountryIndex> index = CountryIndex::FromText(kBad, options);
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(index.status().message(), HasSubstr("country code 'KOR' is not ISO alpha-2"));
  EXPECT_THAT(index.status().message(), HasSubstr("file 'bad.geojson'"));
}

TEST(CountryIndexTest, RefusesNonPolygonsAndEmptyData) {
  // A point among polygons would leave a country without land.
  constexpr std::string_view kMixed = R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"iso_a2": "KR"},
     "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
    {"type": "Feature", "properties": {"iso_a2": "JP"},
     "geometry": {"type": "Point", "coordinates": [3, 0]}}]})";
  absl::StatusOr<CountryIndex> mixed = CountryIndex::FromText(kMixed, {});
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(mixed.status().message(), HasSubstr("1 feature(s) refused: file 'countries.json'"));

  constexpr std::string_view kPoints = R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"iso_a2": "KR"},
     "geometry": {"type": "Point", "coordinates": [0, 0]}}]})";
  absl::StatusOr<CountryIndex> points = CountryIndex::FromText(kPoints, {});
  ASSERT_FALSE(points.ok());
  EXPECT_EQ(points.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(points.status().message(), HasSubstr("has no polygon layer"));

  absl::StatusOr<CountryIndex> empty =
      CountryIndex::FromText(R"({"type": "FeatureCollection", "features": []})", {});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(empty.status().message(), HasSubstr("no polygon feature"));
}

TEST(CountryIndexTest, AnswersSurviveAMove) {
  CountryIndex index = Squares();
  const std::string_view code = index.CountryAt({.lat = 0.5, .lon = 0.5});
  const CountryIndex moved = std::move(index);
  EXPECT_EQ(code, "AA");
  EXPECT_EQ(moved.NearestCountry({.lat = 0.5, .lon = 2.01}, 5000), "BB");
}

// The bundled Natural Earth 1:50m boundaries (data/countries/). Every
// position below was checked against the data, not assumed.
class BundledCountriesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::shared_ptr<const CountryIndex>> index = data::BundledCountries();
    ASSERT_TRUE(index.ok()) << index.status();
    index_ = *std::move(index);
  }
  static void TearDownTestSuite() { index_.reset(); }

  // The code at `p` and at 2 km north, south, east and west of it, or
  // "mixed": a known answer must be clearly inside, not on a 1:50m border.
  static std::string ClearlyIn(LatLon p) {
    constexpr double kOffsetM = 2000;
    const double dlat = kOffsetM / 111'000.0;
    const double dlon = dlat / std::cos(p.lat * std::numbers::pi / 180.0);
    const std::string code(index_->CountryAt(p));
    for (const LatLon q : {LatLon{p.lat + dlat, p.lon}, LatLon{p.lat - dlat, p.lon},
                           LatLon{p.lat, p.lon + dlon}, LatLon{p.lat, p.lon - dlon}}) {
      if (index_->CountryAt(q) != code) return "mixed";
    }
    return code;
  }

  static std::shared_ptr<const CountryIndex> index_;
};

std::shared_ptr<const CountryIndex> BundledCountriesTest::index_;

TEST_F(BundledCountriesTest, IsParsedOnceAndShared) {
  absl::StatusOr<std::shared_ptr<const CountryIndex>> again = data::BundledCountries();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get(), index_.get());
  EXPECT_EQ(index_->feature_count(), 241u);
  EXPECT_THAT(index_->uncoded_features(),
              ElementsAre("Somaliland (no 'id')", "Kosovo (no 'id')", "N. Cyprus (no 'id')",
                          "Indian Ocean Ter. (no 'id')", "Siachen Glacier (no 'id')"));
}

TEST_F(BundledCountriesTest, TumenEstuary) {
  EXPECT_EQ(ClearlyIn({.lat = 42.33, .lon = 130.38}), "KP");  // Rason reserve, inland part
  EXPECT_EQ(ClearlyIn({.lat = 42.55, .lon = 130.75}), "RU");  // Khasansky, Lake Khasan side
  // Fangchuan's catalogue centre (42.43 N, 130.60 E) lies on China's strip
  // between the Tumen and Lake Khasan, a few hundred metres wide; at 1:50m
  // the strip ends ~13 km short, so the point reads as KP (README caveat).
  EXPECT_EQ(index_->CountryAt({.lat = 42.43, .lon = 130.60}), "KP");
  // The Chinese bank of the lower Tumen upstream, where the strip is wide.
  EXPECT_EQ(ClearlyIn({.lat = 42.62, .lon = 130.48}), "CN");
}

TEST_F(BundledCountriesTest, KoreanDmz) {
  EXPECT_EQ(ClearlyIn({.lat = 38.25, .lon = 127.25}), "KR");  // Cheorwon
  EXPECT_EQ(ClearlyIn({.lat = 38.5, .lon = 127.25}), "KP");   // north of the DMZ
}

TEST_F(BundledCountriesTest, DauriaAndWinteringGrounds) {
  EXPECT_EQ(ClearlyIn({.lat = 50.0, .lon = 115.9}), "RU");   // Daursky
  EXPECT_EQ(ClearlyIn({.lat = 49.6, .lon = 115.2}), "MN");   // Mongol Daguur
  EXPECT_EQ(ClearlyIn({.lat = 32.1, .lon = 130.35}), "JP");  // Izumi, Kagoshima
  EXPECT_EQ(ClearlyIn({.lat = 29.1, .lon = 116.3}), "CN");   // Poyang Lake
}

TEST_F(BundledCountriesTest, OpenSeaIsNoCountry) {
  const LatLon sea_of_japan{.lat = 40, .lon = 135};
  EXPECT_EQ(index_->CountryAt(sea_of_japan), "");
  EXPECT_EQ(index_->NearestCountry(sea_of_japan, 20'000), "");
}

TEST_F(BundledCountriesTest, MudflatsSeawardOfTheCoastlineFallBackToTheNearest) {
  // Ganghwa's southern tidal flats: 1-5 km outside the 1:50m coastline.
  const LatLon ganghwa{.lat = 37.59, .lon = 126.45};
  EXPECT_EQ(index_->CountryAt(ganghwa), "");
  EXPECT_EQ(index_->NearestCountry(ganghwa, 1'000), "");
  EXPECT_EQ(index_->NearestCountry(ganghwa, 20'000), "KR");
}

// Every bundled catalogue site's centre gets the site's country with the
// 20 km fallback (10 of 35 centres are seaward of the 1:50m coastline),
// except Fangchuan (see TumenEstuary).
TEST_F(BundledCountriesTest, AgreesWithTheBundledCatalog) {
  absl::StatusOr<catalog::CatalogData> catalog = catalog::ParseCatalog(data::BundledCatalogFiles());
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  ASSERT_FALSE(catalog->sites.empty());
  for (const catalog::Site& site : catalog->sites) {
    if (site.id == "fangchuan") continue;
    EXPECT_EQ(index_->NearestCountry(site.centre, 20'000), site.country) << site.id;
  }
}

TEST_F(BundledCountriesTest, ConcurrentReadersAgree) {
  const std::vector<LatLon> points = {{42.33, 130.38}, {38.25, 127.25}, {37.59, 126.45},
                                      {40, 135},       {49.6, 115.2},   {29.1, 116.3}};
  std::vector<std::string> expected;
  for (const LatLon& p : points) expected.emplace_back(index_->NearestCountry(p, 20'000));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int& count : mismatches) {
    threads.emplace_back([&points, &expected, &count] {
      for (int round = 0; round < 200; ++round) {
        for (std::size_t i = 0; i < points.size(); ++i) {
          if (index_->NearestCountry(points[i], 20'000) != expected[i]) ++count;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(mismatches, ElementsAre(0, 0, 0, 0));
}

}  // namespace
}  // namespace wetlink::geo
