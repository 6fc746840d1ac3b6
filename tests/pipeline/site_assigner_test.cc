#include "pipeline/site_assigner.h"

#include <memory>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "catalog/catalog_json.h"
#include "data/bundled_catalog.h"
#include "geo/geodesy.h"

namespace wetlink::pipeline {
namespace {

std::shared_ptr<const catalog::Catalog> Bundled() {
  auto parsed = catalog::ParseCatalog(data::BundledCatalogFiles());
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return std::make_shared<const catalog::Catalog>(
      std::move(parsed->sites), std::move(parsed->complexes), std::move(parsed->species));
}

TEST(SiteAssignerTest, CentresOpenSeaAndPoles) {
  const SiteAssigner assigner(Bundled());
  EXPECT_EQ(assigner.Assign(42.3333, 130.5833), "rason");
  EXPECT_EQ(assigner.Assign(32.1, 130.2667), "izumi");
  EXPECT_EQ(assigner.Assign(38.0, 133.0), "");  // Sea of Japan
  EXPECT_EQ(assigner.Assign(90.0, 0.0), "");
  EXPECT_EQ(assigner.Assign(-90.0, 180.0), "");
}

TEST(SiteAssignerTest, WhereSitesOverlapTheSmallestWins) {
  const auto catalog = Bundled();
  const SiteAssigner assigner(catalog);
  // Ganghwa and Gyeonggi Bay overlap (approximated discs): a point in both
  // goes to the smaller one.
  const catalog::Site* a = catalog->FindSite("ganghwa");
  const catalog::Site* b = catalog->FindSite("gyeonggi_bay");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  const double area_a = geo::GeodesicAreaM2(a->geometry);
  const double area_b = geo::GeodesicAreaM2(b->geometry);
  const std::string smaller = area_a < area_b ? "ganghwa" : "gyeonggi_bay";
  bool found_overlap = false;
  for (double lat = 37.55; lat <= 37.75 && !found_overlap; lat += 0.005) {
    for (double lon = 126.3; lon <= 126.55; lon += 0.005) {
      const auto covering = catalog->SitesContaining(geo::Point(lon, lat));
      if (covering.size() < 2) continue;
      EXPECT_EQ(assigner.Assign(lat, lon), smaller);
      found_overlap = true;
      break;
    }
  }
  EXPECT_TRUE(found_overlap) << "the two discs no longer overlap; pick another pair";
}

TEST(SiteAssignerTest, HintsNeverChangeTheAnswer) {
  const SiteAssigner assigner(Bundled());
  std::mt19937 rng(5);
  // Random walks around site centres and in between, with and without hint.
  std::uniform_real_distribution<double> lat(30.0, 50.0), lon(115.0, 142.0), step(-0.02, 0.02);
  int hint = -1;
  int assigned = 0;
  double la = 42.3333, lo = 130.5833;
  for (int i = 0; i < 80000; ++i) {
    if (i % 500 == 250) {
      la = lat(rng);
      lo = lon(rng);
    }
    if (i % 1000 == 0) {  // restart at a site centre now and then, every site in turn
      const auto& sites = assigner.catalog()->sites();
      const auto& centre = sites[static_cast<std::size_t>(i / 1000) % sites.size()].centre;
      la = centre.lat;
      lo = centre.lon;
    }
    la += step(rng) * 0.1;
    lo += step(rng) * 0.1;
    const std::string_view with_hint = assigner.Assign(la, lo, &hint);
    ASSERT_EQ(with_hint, assigner.Assign(la, lo)) << la << "," << lo;
    if (!with_hint.empty()) ++assigned;
  }
  EXPECT_GT(assigned, 1000);  // the walk spends real time inside sites
}

}  // namespace
}  // namespace wetlink::pipeline
