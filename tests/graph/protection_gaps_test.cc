// Known answers for protection gaps (graph/protection_gaps.h): stopovers
// outside protected catalogued sites, per species and country, and the
// discovered candidate sites ranked by use.

#include "graph/protection_gaps.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "graph/selection.h"
#include "tests/graph/ascii_world.h"
#include "tests/graph/flyway_testing.h"

namespace wetlink::graph {
namespace {

using testing::AsciiWorld;
using ::testing::ElementsAre;
using testing::kDay;
using testing::kHoodedCrane;
using testing::kT0;
using testing::kWhiteNapedCrane;
using testing::TrackBuilder;

// P: a protected site in China; U: a catalogued site in China under no
// protection; R: a protected site in Russia. x (China), y and z (North
// Korea) are open country where stays become candidate sites.
const AsciiWorld& World() {
  static const AsciiWorld kWorld(R"(
    P.........U..........
    .....................
    ....................x
    .....................
    R.........y.........z
  )",
                                 {{'P', {"CN", true}}, {'U', {"CN", false}}, {'R', {"RU", true}}},
                                 {{'x', "CN"}, {'y', "KP"}, {'z', "KP"}});
  return kWorld;
}

struct Fixture {
  std::shared_ptr<const FlywaySnapshot> snapshot;
  std::int32_t x, y, z;  // candidate nodes
};

//   bird 1 (HC):  P 2 d -> U 3 d -> x 2 d
//   bird 2 (HC):  P 2 d -> x 2 d
//   bird 3 (WNC): R 2 d -> y 1.5 d -> z 2.5 d
const Fixture& F() {
  static const Fixture kFixture = [] {
    Fixture f;
    const TrackBuilder b1 = TrackBuilder(World(), kT0)
                                .Stay('P', 48)
                                .Fly('U', 8)
                                .Stay('U', 72)
                                .Fly('x', 8)
                                .Stay('x', 48, 2);
    const TrackBuilder b2 =
        TrackBuilder(World(), kT0 + 10 * kDay).Stay('P', 48).Fly('x', 16).Stay('x', 48, 2);
    const TrackBuilder b3 = TrackBuilder(World(), kT0 + 20 * kDay)
                                .Stay('R', 48)
                                .Fly('y', 8)
                                .Stay('y', 36, 2)
                                .Fly('z', 8)
                                .Stay('z', 60, 2);
    f.snapshot =
        testing::SnapshotOf(World(), {testing::Segmented(1, kHoodedCrane, b1.points()),
                                      testing::Segmented(2, kHoodedCrane, b2.points()),
                                      testing::Segmented(3, kWhiteNapedCrane, b3.points())});
    // Candidates: one per place, each named after its centre.
    for (std::int32_t n = 3; n < static_cast<std::int32_t>(f.snapshot->nodes().size()); ++n) {
      const std::string country = f.snapshot->nodes()[static_cast<std::size_t>(n)].country;
      const double lon = f.snapshot->nodes()[static_cast<std::size_t>(n)].position.lon;
      if (country == "CN")
        f.x = n;
      else if (lon < World().Centre('z').lon - 0.5)
        f.y = n;
      else
        f.z = n;
    }
    return f;
  }();
  return kFixture;
}

TEST(ProtectionGapsTest, RowsBySpeciesAndCountry) {
  ASSERT_EQ(F().snapshot->nodes().size(), 6u);  // P, R, U, then x, y, z
  const FlywaySnapshot& s = *F().snapshot;
  const ProtectionGaps gaps = FindProtectionGaps(s, Select(s, SeasonTable(), {}));
  ASSERT_EQ(gaps.rows.size(), 3u);
  // White-naped cranes in North Korea: y (1.5 d) and z (2.5 d), both
  // unprotected, one bird.
  const GapRow& wnc_kp = gaps.rows[0];
  EXPECT_EQ(wnc_kp.species_id, kWhiteNapedCrane);
  EXPECT_EQ(wnc_kp.country, "KP");
  EXPECT_EQ(wnc_kp.stopovers, 2u);
  EXPECT_DOUBLE_EQ(wnc_kp.stopover_days, 4.0);
  EXPECT_EQ(wnc_kp.unprotected_stopovers, 2u);
  EXPECT_DOUBLE_EQ(wnc_kp.unprotected_days, 4.0);
  EXPECT_EQ(wnc_kp.unprotected_individuals, 1u);
  // ... in Russia: R, protected.
  const GapRow& wnc_ru = gaps.rows[1];
  EXPECT_EQ(wnc_ru.country, "RU");
  EXPECT_EQ(wnc_ru.stopovers, 1u);
  EXPECT_DOUBLE_EQ(wnc_ru.stopover_days, 2.0);
  EXPECT_EQ(wnc_ru.unprotected_stopovers, 0u);
  EXPECT_EQ(wnc_ru.unprotected_individuals, 0u);
  // Hooded cranes in China: P 2 + U 3 + x 2 + P 2 + x 2 = 11 days in 5
  // stopovers; unprotected: U (catalogued, no protection) and x twice, 7
  // days, both birds.
  const GapRow& hc_cn = gaps.rows[2];
  EXPECT_EQ(hc_cn.species_id, kHoodedCrane);
  EXPECT_EQ(hc_cn.country, "CN");
  EXPECT_EQ(hc_cn.stopovers, 5u);
  EXPECT_DOUBLE_EQ(hc_cn.stopover_days, 11.0);
  EXPECT_EQ(hc_cn.unprotected_stopovers, 3u);
  EXPECT_DOUBLE_EQ(hc_cn.unprotected_days, 7.0);
  EXPECT_EQ(hc_cn.unprotected_individuals, 2u);
}

TEST(ProtectionGapsTest, CandidatesRankedByUse) {
  const FlywaySnapshot& s = *F().snapshot;
  const ProtectionGaps gaps = FindProtectionGaps(s, Select(s, SeasonTable(), {}));
  // x: 2 birds; then z and y with 1 bird each, z's 2.5 days first.
  ASSERT_EQ(gaps.candidates.size(), 3u);
  EXPECT_EQ(gaps.candidates[0].node, F().x);
  EXPECT_EQ(gaps.candidates[0].individuals, 2u);
  EXPECT_EQ(gaps.candidates[0].stopovers, 2u);
  EXPECT_DOUBLE_EQ(gaps.candidates[0].stopover_days, 4.0);
  EXPECT_THAT(gaps.candidates[0].species, ElementsAre(kHoodedCrane));
  EXPECT_EQ(gaps.candidates[1].node, F().z);
  EXPECT_DOUBLE_EQ(gaps.candidates[1].stopover_days, 2.5);
  EXPECT_EQ(gaps.candidates[2].node, F().y);
  EXPECT_DOUBLE_EQ(gaps.candidates[2].stopover_days, 1.5);
  EXPECT_THAT(gaps.candidates[2].species, ElementsAre(kWhiteNapedCrane));

  // Hooded cranes only: one row, one candidate.
  FlywayFilter hc;
  hc.species = {"HC"};
  const ProtectionGaps only = FindProtectionGaps(s, Select(s, SeasonTable(), hc));
  ASSERT_EQ(only.rows.size(), 1u);
  EXPECT_EQ(only.rows[0].species_id, kHoodedCrane);
  ASSERT_EQ(only.candidates.size(), 1u);
  EXPECT_EQ(only.candidates[0].node, F().x);
}

}  // namespace
}  // namespace wetlink::graph
