#include "sim/sim_world.h"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "sim_testing.h"

namespace wetlink::sim {
namespace {

using testing::World;

bool Has(const SimWorld& w, const std::vector<int>& list, const std::string& id) {
  return std::find(list.begin(), list.end(), w.SiteIndex(id)) != list.end();
}

TEST(SimWorldTest, ReadsFocalUseOfEveryFocalSpecies) {
  const SimWorld& w = World();
  for (const char* id : {"antigone_vipio", "grus_monacha", "grus_japonensis", "platalea_minor"}) {
    ASSERT_TRUE(w.sites_by_species.count(id)) << id;
    EXPECT_FALSE(w.sites_by_species.at(id).breeding.empty()) << id;
    EXPECT_FALSE(w.sites_by_species.at(id).wintering.empty()) << id;
  }
  const SpeciesSites& hc = w.sites_by_species.at("grus_monacha");
  EXPECT_TRUE(Has(w, hc.wintering, "izumi"));
  EXPECT_TRUE(Has(w, hc.breeding, "xingkai_cn"));
  EXPECT_TRUE(Has(w, hc.stopover, "zhalong"));
  EXPECT_FALSE(Has(w, hc.breeding, "izumi"));
  const SpeciesSites& wnc = w.sites_by_species.at("antigone_vipio");
  EXPECT_TRUE(Has(w, wnc.breeding, "khanka_ru"));  // "B" and "S" both count
  EXPECT_TRUE(Has(w, wnc.stopover, "khanka_ru"));
  EXPECT_EQ(w.site_radius_m.size(), w.catalog.sites().size());
  // Izumi: 478 ha -> r ~ 1.23 km.
  EXPECT_NEAR(w.site_radius_m[static_cast<size_t>(w.SiteIndex("izumi"))], 1233, 15);
}

TEST(SimWorldTest, RejectsMalformedFocalUse) {
  const SimWorld& w = World();
  EXPECT_FALSE(ParseFocalUse("{", w.catalog).ok());
  EXPECT_FALSE(ParseFocalUse(R"({"sites":[{"id":"nowhere"}]})", w.catalog).ok());
  EXPECT_FALSE(
      ParseFocalUse(R"({"sites":[{"id":"izumi","focal_use":[{"species":"dodo","use":["W"]}]}]})", w.catalog)
          .ok());
}

}  // namespace
}  // namespace wetlink::sim
