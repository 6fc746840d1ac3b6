// Known answers for pooling stays into discovered candidate sites
// (graph/stay_clusters.h): single linkage, ids naming the centre.

#include "graph/stay_clusters.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "geo/geodesy.h"
#include "graph/flyway_snapshot.h"
#include "tests/graph/ascii_world.h"
#include "tests/graph/flyway_testing.h"

namespace wetlink::graph {
namespace {

using ::testing::ElementsAre;

// Three individuals' stays 0.07° of latitude (7.8 km) apart in a row: each
// within 10 km of the next, the two ends 15.6 km apart. Single linkage
// chains them into one candidate centred on the middle one. The fourth
// stay is 150 km away: a candidate of its own.
const std::vector<geo::LatLon>& Stays() {
  static const std::vector<geo::LatLon> kStays = {
      {44.000, 130.000}, {44.070, 130.000}, {44.140, 130.000}, {43.000, 131.500}};
  return kStays;
}

TEST(StayClustersTest, ChainsWithinDistance) {
  ASSERT_LT(geo::GeodesicDistanceM(Stays()[0], Stays()[1]), 10'000);
  ASSERT_LT(geo::GeodesicDistanceM(Stays()[1], Stays()[2]), 10'000);
  ASSERT_GT(geo::GeodesicDistanceM(Stays()[0], Stays()[2]), 10'000);

  const StayClusters c = ClusterStays(Stays(), 10'000);
  // Numbered in id order: "cand_43.000n..." sorts before "cand_44.070n...".
  EXPECT_THAT(c.ids, ElementsAre("cand_43.000n_131.500e", "cand_44.070n_130.000e"));
  EXPECT_THAT(c.cluster_of, ElementsAre(1u, 1u, 1u, 0u));
  ASSERT_EQ(c.centres.size(), 2u);
  EXPECT_NEAR(c.centres[1].lat, 44.07, 1e-12);
  EXPECT_NEAR(c.centres[1].lon, 130.0, 1e-12);
  EXPECT_NEAR(c.centres[0].lat, 43.0, 1e-12);

  // 7 km is too short for the links: four candidates.
  EXPECT_EQ(ClusterStays(Stays(), 7'000).ids.size(), 4u);
}

TEST(StayClustersTest, OrderOfInputDoesNotMatter) {
  std::vector<std::size_t> order = {0, 1, 2, 3};
  std::mt19937 rng(5);
  for (int round = 0; round < 24; ++round) {
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<geo::LatLon> shuffled;
    for (std::size_t i : order) shuffled.push_back(Stays()[i]);
    const StayClusters c = ClusterStays(shuffled, 10'000);
    EXPECT_THAT(c.ids, ElementsAre("cand_43.000n_131.500e", "cand_44.070n_130.000e"));
    for (std::size_t k = 0; k < order.size(); ++k) {
      EXPECT_EQ(c.cluster_of[k], order[k] == 3 ? 0u : 1u);
    }
    EXPECT_NEAR(c.centres[1].lat, 44.07, 1e-12);
  }
}

TEST(StayClustersTest, HemispheresAndClashingIds) {
  // South and west: "s" and "w" with absolute values.
  const std::vector<geo::LatLon> south_west = {{-33.5, -70.25}};
  EXPECT_THAT(ClusterStays(south_west, 10'000).ids, ElementsAre("cand_33.500s_70.250w"));

  // Two stays 33 m apart, clustered within 10 m: two candidates whose
  // centres round alike; the second (by smallest member) gets "_2".
  const std::vector<geo::LatLon> close = {{44.0001, 130.0}, {44.0004, 130.0}};
  const StayClusters c = ClusterStays(close, 10);
  EXPECT_THAT(c.ids, ElementsAre("cand_44.000n_130.000e", "cand_44.000n_130.000e_2"));
  EXPECT_THAT(c.cluster_of, ElementsAre(0u, 1u));

  EXPECT_TRUE(ClusterStays({}, 10'000).ids.empty());
}

TEST(StayClustersTest, StaysOfThreeBirdsBecomeOneCandidateSite) {
  // x, y and z are neighbouring open cells, 0.1° of longitude (7.9 km)
  // apart: each bird's stay is within 10 km of the next, x and z are 15.8
  // km apart. w, 0.5° further east, is a candidate of its own.
  const testing::AsciiWorld world(R"(
    A...........
    .xyz....w...
  )",
                                  {{'A', {"CN", true}}}, {{'x', "CN"}, {'y', "CN"}, {'z', "CN"}});
  std::vector<std::shared_ptr<const SegmentedIndividual>> birds;
  std::uint32_t n = 0;
  for (char place : std::string("xyzw")) {
    birds.push_back(
        testing::Segmented(++n, testing::kHoodedCrane,
                           testing::TrackBuilder(world, testing::kT0).Stay(place, 48, 2).points()));
  }
  const auto snapshot = testing::SnapshotOf(world, birds);
  ASSERT_EQ(snapshot->nodes().size(), 3u);  // A, then two candidates
  // The chained candidate's centre is the mean of the three stays' means,
  // about y's centre (44.85 N 125.25 E); its id names it to 3 decimals.
  const Node& chained = snapshot->nodes()[1];
  double lat = 0, lon = 0;
  for (int i = 0; i < 3; ++i) {
    lat += birds[static_cast<std::size_t>(i)]->segmentation.stopovers[0].lat / 3;
    lon += birds[static_cast<std::size_t>(i)]->segmentation.stopovers[0].lon / 3;
  }
  char id[64];
  std::snprintf(id, sizeof id, "cand_%.3fn_%.3fe", lat, lon);
  EXPECT_EQ(chained.id, id);
  EXPECT_EQ(std::string(id).substr(0, 10), "cand_44.85");
  EXPECT_EQ(chained.country, "CN");
  for (std::uint32_t i = 0; i < 3; ++i) EXPECT_EQ(snapshot->StopoverNode(i, 0), 1);
  EXPECT_EQ(snapshot->StopoverNode(3, 0), 2);
  EXPECT_NEAR(snapshot->nodes()[2].position.lon, world.Centre('w').lon, 0.004);
}

}  // namespace
}  // namespace wetlink::graph
