// Known answers for the Mantel correlation of migratory connectivity
// (graph/migratory_connectivity.h).

#include "graph/migratory_connectivity.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "graph/selection.h"
#include "telemetry/timestamp.h"
#include "tests/graph/ascii_world.h"
#include "tests/graph/flyway_testing.h"

namespace wetlink::graph {
namespace {

using telemetry::TimestampFromCivil;
using testing::AsciiWorld;
using ::testing::HasSubstr;
using testing::kHoodedCrane;
using testing::TrackBuilder;

// Breeding sites A-F in the west; wintering sites G-L exactly ten cells
// (1° of longitude) east of them, row for row. Turning the earth about its
// axis keeps geodesic distances, so the breeding and the wintering distance
// matrices are the same: perfect connectivity. The layout has no symmetry,
// so no other pairing of the birds gives the same matrix.
const AsciiWorld& World() {
  static const AsciiWorld kWorld(R"(
    A..B......G..H...
    .....C.........I.
    .D.........J.....
    ...EF........KL..
  )",
                                 [] {
                                   std::map<char, testing::SiteSpec> sites;
                                   for (char c = 'A'; c <= 'L'; ++c) sites[c] = {"CN", true};
                                   return sites;
                                 }());
  return kWorld;
}

SeasonTable Seasons() {
  SeasonTable table;
  table.Set(kHoodedCrane, "breeding", {6, 8});
  table.Set(kHoodedCrane, "winter", {12, 2});
  return table;
}

// A bird wintering at `winter` from 10 January 2024 and breeding at
// `breeding` from 10 June 2024, ten days each with a fix every 6 h.
std::shared_ptr<const SegmentedIndividual> Bird(std::uint32_t n, char winter, char breeding) {
  const TrackBuilder b = TrackBuilder(World(), TimestampFromCivil(2024, 1, 10))
                             .Stay(winter, 240, 6)
                             .GapUntil(TimestampFromCivil(2024, 6, 10))
                             .Stay(breeding, 240, 6);
  return testing::Segmented(n, kHoodedCrane, b.points());
}

absl::StatusOr<MantelResult> Mantel(const std::shared_ptr<const FlywaySnapshot>& s,
                                    const FlywayFilter& filter = {}, std::uint64_t seed = 1) {
  return MantelConnectivity(*s, Seasons(), filter, Select(*s, Seasons(), filter), 999, seed);
}

TEST(MantelTest, PerfectStructure) {
  std::vector<std::shared_ptr<const SegmentedIndividual>> birds;
  const std::string breeding = "ABCDEF", winter = "GHIJKL";
  for (std::uint32_t i = 0; i < 6; ++i) birds.push_back(Bird(i + 1, winter[i], breeding[i]));
  const auto s = testing::SnapshotOf(World(), birds);
  const absl::StatusOr<MantelResult> r = Mantel(s);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->individuals.size(), 6u);
  EXPECT_EQ(r->individuals[0].individual, 0u);
  EXPECT_EQ(r->individuals[0].breeding_node, World().Site('A'));
  EXPECT_EQ(r->individuals[0].non_breeding_node, World().Site('G'));
  EXPECT_NEAR(r->individuals[5].breeding.lon, World().Centre('F').lon, 0.004);
  // rM = 1 up to the fixes' jitter (the same for every bird).
  EXPECT_GT(r->r_m, 0.9999);
  EXPECT_LE(r->r_m, 1.0 + 1e-12);
  // Only the identity among the 720 orders reaches rM: about 1.4 of 999
  // random permutations hit it, so p is a few in a thousand.
  EXPECT_EQ(r->permutations, 999u);
  EXPECT_LT(r->p_value, 0.02);
  EXPECT_GE(r->p_value, 1.0 / 1000.0);
  // Deterministic in the seed.
  const absl::StatusOr<MantelResult> again = Mantel(s);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->p_value, r->p_value);
  EXPECT_EQ(again->r_m, r->r_m);
  const absl::StatusOr<MantelResult> other_seed = Mantel(s, {}, 7);
  ASSERT_TRUE(other_seed.ok());
  EXPECT_EQ(other_seed->r_m, r->r_m);
  EXPECT_LT(other_seed->p_value, 0.02);
}

TEST(MantelTest, MixedWinteringLowersTheCorrelation) {
  // The wintering sites shuffled against the breeding ones (A..F with
  // J, L, H, G, I, K): distances apart in summer say little about
  // distances apart in winter (rM about -0.33 on a flat map; most of the
  // 720 pairings correlate better).
  std::vector<std::shared_ptr<const SegmentedIndividual>> birds;
  const std::string breeding = "ABCDEF", winter = "JLHGIK";
  for (std::uint32_t i = 0; i < 6; ++i) birds.push_back(Bird(i + 1, winter[i], breeding[i]));
  const absl::StatusOr<MantelResult> r = Mantel(testing::SnapshotOf(World(), birds));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_LT(r->r_m, 0.0);
  EXPECT_GT(r->p_value, 0.5);
}

TEST(MantelTest, TooFewIndividuals) {
  const auto two = testing::SnapshotOf(World(), {Bird(1, 'G', 'A'), Bird(2, 'H', 'B')});
  const absl::StatusOr<MantelResult> r = Mantel(two);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(r.status().message(), HasSubstr("3"));

  // Three birds, but the years select no season: none has both ends.
  const auto three =
      testing::SnapshotOf(World(), {Bird(1, 'G', 'A'), Bird(2, 'H', 'B'), Bird(3, 'I', 'C')});
  FlywayFilter y2022;
  y2022.years = {2022};
  EXPECT_EQ(Mantel(three, y2022).status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Mantel(three).ok());

  // Three birds wintering together: rM is undefined.
  const auto together =
      testing::SnapshotOf(World(), {Bird(1, 'G', 'A'), Bird(2, 'G', 'B'), Bird(3, 'G', 'C')});
  EXPECT_EQ(Mantel(together).status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace wetlink::graph
