// Known answers for site importance (graph/importance.h): betweenness on a
// small directed link graph worked out by hand, individual shares, and what
// losing sites costs.

#include "graph/importance.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "graph/links.h"
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
using testing::TrackBuilder;

const AsciiWorld& World() {
  static const AsciiWorld kWorld(R"(
    A.........B.........C.........E
    ...............................
    ...............................
    ...............................
    ..........D....................
  )",
                                 {{'A', {"CN", true}},
                                  {'B', {"CN", true}},
                                  {'C', {"CN", true}},
                                  {'D', {"CN", false}},
                                  {'E', {"RU", true}}});
  return kWorld;
}

constexpr std::int32_t kA = 0, kB = 1, kC = 2, kD = 3, kE = 4;

// bird 1: A -> B -> C;  bird 2: A -> D -> C;  bird 3: A -> B -> C -> E.
// Link graph: A->B, B->C, A->D, D->C, C->E (5 vertices).
struct Fixture {
  std::shared_ptr<const FlywaySnapshot> snapshot;
  Selection selection;
  std::vector<Link> links;
};

const Fixture& F() {
  static const Fixture kFixture = [] {
    auto bird = [](std::uint32_t n, std::string_view places) {
      TrackBuilder b(World(), kT0 + n * 10 * kDay);
      b.Stay(places[0], 48);
      for (std::size_t i = 1; i < places.size(); ++i) b.Fly(places[i], 8).Stay(places[i], 48);
      return testing::Segmented(n, kHoodedCrane, b.points());
    };
    Fixture f;
    f.snapshot = testing::SnapshotOf(World(), {bird(1, "ABC"), bird(2, "ADC"), bird(3, "ABCE")});
    f.selection = Select(*f.snapshot, SeasonTable(), {});
    f.links = AggregateLinks(*f.snapshot, f.selection);
    return f;
  }();
  return kFixture;
}

TEST(ImportanceTest, BetweennessByHand) {
  ASSERT_EQ(F().links.size(), 5u);
  const std::vector<NodeImportance> ranked =
      RankSiteImportance(*F().snapshot, F().selection, F().links);
  // Shortest paths (in links) between ordered pairs with an intermediate:
  //   A..C: A-B-C and A-D-C        B 1/2, D 1/2
  //   A..E: A-B-C-E and A-D-C-E    B 1/2, D 1/2, C 1
  //   B..E: B-C-E                  C 1
  //   D..E: D-C-E                  C 1
  // So C 3, B 1, D 1, A 0, E 0; normalized by (5 - 1)(5 - 2) = 12. Ties in
  // betweenness go to more individuals: B (birds 1, 3) before D (bird 2),
  // A (3 birds) before E (1).
  ASSERT_EQ(ranked.size(), 5u);
  std::vector<std::int32_t> order;
  for (const NodeImportance& n : ranked) order.push_back(n.node);
  EXPECT_THAT(order, ElementsAre(kC, kB, kD, kA, kE));
  EXPECT_DOUBLE_EQ(ranked[0].betweenness, 3.0);
  EXPECT_DOUBLE_EQ(ranked[0].betweenness_normalized, 3.0 / 12.0);
  EXPECT_DOUBLE_EQ(ranked[1].betweenness, 1.0);
  EXPECT_DOUBLE_EQ(ranked[1].betweenness_normalized, 1.0 / 12.0);
  EXPECT_DOUBLE_EQ(ranked[2].betweenness, 1.0);
  EXPECT_DOUBLE_EQ(ranked[3].betweenness, 0.0);
  EXPECT_DOUBLE_EQ(ranked[4].betweenness_normalized, 0.0);
}

TEST(ImportanceTest, IndividualsAndTransitions) {
  const std::vector<NodeImportance> ranked =
      RankSiteImportance(*F().snapshot, F().selection, F().links);
  auto of = [&](std::int32_t node) {
    for (const NodeImportance& n : ranked) {
      if (n.node == node) return n;
    }
    ADD_FAILURE() << "no node " << node;
    return NodeImportance{};
  };
  // 3 individuals have transitions. A: all three leave it; C: all three
  // reach it; B: birds 1 and 3; D: bird 2; E: bird 3.
  EXPECT_EQ(of(kA).individuals, 3u);
  EXPECT_DOUBLE_EQ(of(kA).individual_share, 1.0);
  EXPECT_DOUBLE_EQ(of(kB).individual_share, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(of(kC).individual_share, 1.0);
  EXPECT_DOUBLE_EQ(of(kD).individual_share, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(of(kE).individual_share, 1.0 / 3.0);
  // Transitions: A out 3; B in 2, out 2; C in 3, out 1; D 1 and 1; E in 1.
  EXPECT_EQ(of(kA).transitions_out, 3u);
  EXPECT_EQ(of(kA).transitions_in, 0u);
  EXPECT_EQ(of(kB).transitions_in, 2u);
  EXPECT_EQ(of(kB).transitions_out, 2u);
  EXPECT_EQ(of(kC).transitions_in, 3u);
  EXPECT_EQ(of(kC).transitions_out, 1u);
  EXPECT_EQ(of(kE).transitions_in, 1u);
  // Links: A out 2 (B, D); C in 2 (B, D), out 1 (E).
  EXPECT_EQ(of(kA).links_out, 2u);
  EXPECT_EQ(of(kC).links_in, 2u);
  EXPECT_EQ(of(kC).links_out, 1u);
  EXPECT_EQ(of(kD).links_in, 1u);
}

TEST(ImportanceTest, LossOfOneSite) {
  // Reachable ordered pairs before: A -> {B, C, D, E} 4, B -> {C, E} 2,
  // D -> {C, E} 2, C -> {E} 1: 9. Without C: A -> {B, D} only: 2.
  const LossImpact c = SiteLossImpact(*F().snapshot, F().selection, F().links, {kC});
  EXPECT_THAT(c.removed, ElementsAre(kC));
  EXPECT_EQ(c.reachable_pairs_before, 9u);
  EXPECT_EQ(c.reachable_pairs_after, 2u);
  EXPECT_DOUBLE_EQ(c.connectivity_lost, 1.0 - 2.0 / 9.0);
  // B->C, D->C, C->E; transitions: birds 1 (B->C), 2 (D->C), 3 (B->C,
  // C->E); every individual.
  EXPECT_EQ(c.links_lost, 3u);
  EXPECT_EQ(c.transitions_lost, 4u);
  EXPECT_EQ(c.individuals_affected, 3u);
  EXPECT_DOUBLE_EQ(c.individual_share_affected, 1.0);

  // Without B, A still reaches C and E through D: A 3, D 2, C 1 = 6.
  const LossImpact b = SiteLossImpact(*F().snapshot, F().selection, F().links, {kB});
  EXPECT_EQ(b.reachable_pairs_after, 6u);
  EXPECT_DOUBLE_EQ(b.connectivity_lost, 1.0 / 3.0);
  EXPECT_EQ(b.links_lost, 2u);
  EXPECT_EQ(b.transitions_lost, 4u);  // birds 1 and 3, A->B and B->C each
  EXPECT_EQ(b.individuals_affected, 2u);
  EXPECT_DOUBLE_EQ(b.individual_share_affected, 2.0 / 3.0);
}

TEST(ImportanceTest, LossOfASet) {
  // B and D (given unsorted, D twice): only C -> E is left: 1 pair.
  const LossImpact bd = SiteLossImpact(*F().snapshot, F().selection, F().links, {kD, kB, kD});
  EXPECT_THAT(bd.removed, ElementsAre(kB, kD));
  EXPECT_EQ(bd.reachable_pairs_before, 9u);
  EXPECT_EQ(bd.reachable_pairs_after, 1u);
  EXPECT_DOUBLE_EQ(bd.connectivity_lost, 8.0 / 9.0);
  EXPECT_EQ(bd.links_lost, 4u);        // A->B, B->C, A->D, D->C
  EXPECT_EQ(bd.transitions_lost, 6u);  // two per bird
  EXPECT_EQ(bd.individuals_affected, 3u);

  // A node outside the link graph costs nothing.
  const LossImpact none = SiteLossImpact(*F().snapshot, F().selection, F().links, {99});
  EXPECT_EQ(none.reachable_pairs_after, 9u);
  EXPECT_DOUBLE_EQ(none.connectivity_lost, 0.0);
  EXPECT_EQ(none.links_lost, 0u);
}

}  // namespace
}  // namespace wetlink::graph
