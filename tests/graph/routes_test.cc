// Known answers for routes (graph/routes.h): the most probable route
// through the link graph and the routes individuals actually flew.

#include "graph/routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "graph/links.h"
#include "graph/selection.h"
#include "telemetry/timestamp.h"
#include "tests/graph/ascii_world.h"
#include "tests/graph/flyway_testing.h"

namespace wetlink::graph {
namespace {

using testing::AsciiWorld;
using ::testing::DoubleEq;
using ::testing::ElementsAre;
using testing::Hours;
using ::testing::IsEmpty;
using testing::kDay;
using testing::kHoodedCrane;
using testing::kT0;
using ::testing::Pointwise;
using testing::TrackBuilder;

const AsciiWorld& World() {
  static const AsciiWorld kWorld(
      R"(
    A.........B
    ...........
    ...........
    C.........D
  )",
      {{'A', {"CN", true}}, {'B', {"CN", true}}, {'C', {"CN", true}}, {'D', {"RU", true}}});
  return kWorld;
}

constexpr std::int32_t kA = 0, kB = 1, kC = 2, kD = 3;

// Every stay lasts 48 h; bird i starts (i - 1) weeks after 1 March 2024.
//   bird 1:       A -10h-> D                      (the direct route)
//   birds 2 to 5: A -8h-> B -4h-> D
//   bird 6:       A -4h-> C -4h-> A -8h-> B -4h-> D
// A has 7 departures: 5 to B, 1 to C, 1 to D. B's and C's single
// destinations (D, A) take all their departures.
std::shared_ptr<const FlywaySnapshot> Snapshot() {
  static const std::shared_ptr<const FlywaySnapshot> kSnapshot = [] {
    std::vector<std::shared_ptr<const SegmentedIndividual>> birds;
    auto start = [](int i) { return kT0 + (i - 1) * 7 * kDay; };
    birds.push_back(testing::Segmented(
        1, kHoodedCrane,
        TrackBuilder(World(), start(1)).Stay('A', 48).Fly('D', 10).Stay('D', 48).points()));
    for (std::uint32_t i = 2; i <= 5; ++i) {
      birds.push_back(testing::Segmented(i, kHoodedCrane,
                                         TrackBuilder(World(), start(static_cast<int>(i)))
                                             .Stay('A', 48)
                                             .Fly('B', 8)
                                             .Stay('B', 48)
                                             .Fly('D', 4)
                                             .Stay('D', 48)
                                             .points()));
    }
    birds.push_back(testing::Segmented(6, kHoodedCrane,
                                       TrackBuilder(World(), start(6))
                                           .Stay('A', 48)
                                           .Fly('C', 4)
                                           .Stay('C', 48)
                                           .Fly('A', 4)
                                           .Stay('A', 48)
                                           .Fly('B', 8)
                                           .Stay('B', 48)
                                           .Fly('D', 4)
                                           .Stay('D', 48)
                                           .points()));
    return testing::SnapshotOf(World(), std::move(birds));
  }();
  return kSnapshot;
}

Link HandLink(std::int32_t from, std::int32_t to, double probability) {
  Link link;
  link.from_node = from;
  link.to_node = to;
  link.probability = probability;
  return link;
}

Selection All() { return Select(*Snapshot(), SeasonTable(), {}); }

TEST(MostProbableRouteTest, FewestHopsIsNotMostProbable) {
  const std::vector<Link> links = AggregateLinks(*Snapshot(), All());
  // A -> D direct: 1/7. A -> B -> D: 5/7 x 1 = 5/7, the most probable.
  const std::optional<ProbableRoute> ad = MostProbableRoute(links, kA, kD);
  ASSERT_TRUE(ad.has_value());
  EXPECT_THAT(ad->nodes, ElementsAre(kA, kB, kD));
  EXPECT_THAT(ad->hop_probability, Pointwise(DoubleEq(), {5.0 / 7.0, 1.0}));
  EXPECT_DOUBLE_EQ(ad->probability, 5.0 / 7.0);

  // C -> A -> B -> D: 1 x 5/7 x 1, against C -> A -> D: 1 x 1/7.
  const std::optional<ProbableRoute> cd = MostProbableRoute(links, kC, kD);
  ASSERT_TRUE(cd.has_value());
  EXPECT_THAT(cd->nodes, ElementsAre(kC, kA, kB, kD));
  EXPECT_DOUBLE_EQ(cd->probability, 5.0 / 7.0);

  // Nothing leaves D; and a node no link touches is nowhere.
  EXPECT_EQ(MostProbableRoute(links, kD, kA), std::nullopt);
  EXPECT_EQ(MostProbableRoute(links, kA, 99), std::nullopt);
  EXPECT_EQ(MostProbableRoute({}, kA, kB), std::nullopt);
}

TEST(MostProbableRouteTest, DirectWinsWhenMoreProbable) {
  // Hand-made links: A -> D 0.6; A -> B 0.4, B -> D 1 (0.4 via B).
  std::vector<Link> links(3);
  links[0] = HandLink(0, 1, 0.4);
  links[1] = HandLink(0, 3, 0.6);
  links[2] = HandLink(1, 3, 1.0);
  const std::optional<ProbableRoute> r = MostProbableRoute(links, 0, 3);
  ASSERT_TRUE(r.has_value());
  EXPECT_THAT(r->nodes, ElementsAre(0, 3));
  EXPECT_DOUBLE_EQ(r->probability, 0.6);
  // Three hops at 0.9 each (0.729) beat one at 0.7.
  std::vector<Link> chain(4);
  chain[0] = HandLink(0, 1, 0.9);
  chain[1] = HandLink(1, 2, 0.9);
  chain[2] = HandLink(2, 5, 0.9);
  chain[3] = HandLink(0, 5, 0.7);
  const std::optional<ProbableRoute> c = MostProbableRoute(chain, 0, 5);
  ASSERT_TRUE(c.has_value());
  EXPECT_THAT(c->nodes, ElementsAre(0, 1, 2, 5));
  EXPECT_NEAR(c->probability, 0.729, 1e-12);
}

TEST(MostUsedRoutesTest, RankedAndCut) {
  // A -> B -> D: birds 2 to 6, 5 journeys, each 8 + 48 + 4 = 60 h. A -> D:
  // bird 1, 10 h. Bird 6's first start (A -> C -> A) returns to A before
  // reaching D: that journey counts from its second start only, and
  // A -> C -> A -> B -> D never appears.
  const std::vector<UsedRoute> routes = MostUsedRoutes(*Snapshot(), All(), kA, kD, 5);
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_THAT(routes[0].nodes, ElementsAre(kA, kB, kD));
  EXPECT_EQ(routes[0].individuals, 5u);
  EXPECT_EQ(routes[0].journeys, 5u);
  EXPECT_EQ(routes[0].median_duration_ms, Hours(60));
  EXPECT_THAT(routes[1].nodes, ElementsAre(kA, kD));
  EXPECT_EQ(routes[1].individuals, 1u);
  EXPECT_EQ(routes[1].journeys, 1u);
  EXPECT_EQ(routes[1].median_duration_ms, Hours(10));

  // k = 1 keeps the first.
  const std::vector<UsedRoute> top = MostUsedRoutes(*Snapshot(), All(), kA, kD, 1);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_THAT(top[0].nodes, ElementsAre(kA, kB, kD));

  // At most one link: only the direct route.
  const std::vector<UsedRoute> short_hops = MostUsedRoutes(*Snapshot(), All(), kA, kD, 5, 1);
  ASSERT_EQ(short_hops.size(), 1u);
  EXPECT_THAT(short_hops[0].nodes, ElementsAre(kA, kD));

  // From C, bird 6 passes A on the way: C -> A -> B -> D, 4 + 48 + 8 + 48
  // + 4 = 112 h.
  const std::vector<UsedRoute> from_c = MostUsedRoutes(*Snapshot(), All(), kC, kD, 5);
  ASSERT_EQ(from_c.size(), 1u);
  EXPECT_THAT(from_c[0].nodes, ElementsAre(kC, kA, kB, kD));
  EXPECT_EQ(from_c[0].median_duration_ms, Hours(112));

  EXPECT_THAT(MostUsedRoutes(*Snapshot(), All(), kD, kA, 5), IsEmpty());
}

TEST(MostUsedRoutesTest, JourneysFollowTheSelection) {
  // A window holding only bird 2's departure from A (48 h after its start,
  // a week after 1 March): its journey cannot reach D inside the selection.
  FlywayFilter f;
  f.window = TimeWindow{kT0 + 7 * kDay, kT0 + 7 * kDay + Hours(50)};
  const Selection sel = Select(*Snapshot(), SeasonTable(), f);
  ASSERT_EQ(sel.transitions.size(), 1u);
  EXPECT_THAT(MostUsedRoutes(*Snapshot(), sel, kA, kD, 5), IsEmpty());
  EXPECT_EQ(MostUsedRoutes(*Snapshot(), sel, kA, kB, 5).size(), 1u);
}

}  // namespace
}  // namespace wetlink::graph
