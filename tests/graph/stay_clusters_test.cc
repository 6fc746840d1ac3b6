// Known answers for pooling stays into discovered candidate sites
// (graph/stay_clusters.h): single linkage, ids naming the centre.

#include "graph/stay_clusters.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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

// A 0.2-degree grid's cell centre, as wetlinkd's [privacy] places them.
geo::LatLon CellCentre(geo::LatLon p) {
  return {(std::floor(p.lat / 0.2) + 0.5) * 0.2, (std::floor(p.lon / 0.2) + 0.5) * 0.2};
}

TEST(StayClustersTest, AClusterWithAFlaggedStayIsPlacedAndNamedWhereGeneralised) {
  // The chain of three (one flagged) goes to its cell's centre, 44.1 N
  // 130.1 E; the lone stay, not flagged, stays where it is.
  const SensitiveStays sensitive{.flagged = {false, true, false, false}, .generalise = CellCentre};
  const StayClusters c = ClusterStays(Stays(), 10'000, sensitive);
  EXPECT_THAT(c.ids, ElementsAre("cand_43.000n_131.500e", "cand_44.100n_130.100e"));
  EXPECT_THAT(c.cluster_of, ElementsAre(1u, 1u, 1u, 0u));
  EXPECT_NEAR(c.centres[1].lat, 44.1, 1e-9);
  EXPECT_NEAR(c.centres[1].lon, 130.1, 1e-9);
  EXPECT_NEAR(c.centres[0].lat, 43.0, 1e-12);
  EXPECT_NEAR(c.centres[0].lon, 131.5, 1e-12);

  // Two sensitive clusters in one cell share its centre: ids "_2" apart.
  const std::vector<geo::LatLon> one_cell = {{44.02, 130.02}, {44.18, 130.18}};
  const StayClusters same =
      ClusterStays(one_cell, 10'000, {.flagged = {true, true}, .generalise = CellCentre});
  EXPECT_THAT(same.ids, ElementsAre("cand_44.100n_130.100e", "cand_44.100n_130.100e_2"));

  // Without a generalisation the flags change nothing.
  EXPECT_EQ(
      ClusterStays(Stays(), 10'000, {.flagged = {true, true, true, true}, .generalise = {}}).ids,
      ClusterStays(Stays(), 10'000).ids);
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

TEST(StayClustersTest, TheSnapshotGeneralisesDiscoveredSitesOfSensitiveSpeciesOnly) {
  // A Hooded crane (sensitive here) stays at x, a White-naped crane at w.
  const testing::AsciiWorld world(R"(
    A...........
    .x......w...
  )",
                                  {{'A', {"CN", true}}}, {{'x', "CN"}, {'w', "CN"}});
  std::vector<std::shared_ptr<const SegmentedIndividual>> birds = {
      testing::Segmented(1, testing::kHoodedCrane,
                         testing::TrackBuilder(world, testing::kT0).Stay('x', 48, 2).points()),
      testing::Segmented(2, testing::kWhiteNapedCrane,
                         testing::TrackBuilder(world, testing::kT0).Stay('w', 48, 2).points())};
  const DiscoveredSitePrivacy privacy{
      .is_sensitive = [](const IndividualInfo& info) { return info.species_id == "grus_monacha"; },
      .generalise = CellCentre};
  const auto snapshot = FlywaySnapshot::Build(world.catalog(), world.Countries(), birds,
                                              SegmentationParams{}, 1, privacy);
  ASSERT_EQ(snapshot->nodes().size(), 3u);
  const geo::LatLon x{birds[0]->segmentation.stopovers[0].lat,
                      birds[0]->segmentation.stopovers[0].lon};
  const Node& crane_site =
      snapshot->nodes()[static_cast<std::size_t>(snapshot->StopoverNode(0, 0))];
  EXPECT_NEAR(crane_site.position.lat, CellCentre(x).lat, 1e-9);
  EXPECT_NEAR(crane_site.position.lon, CellCentre(x).lon, 1e-9);
  char id[64];
  std::snprintf(id, sizeof id, "cand_%.3fn_%.3fe", CellCentre(x).lat, CellCentre(x).lon);
  EXPECT_EQ(crane_site.id, id);
  EXPECT_EQ(crane_site.country, "CN");
  const Node& other_site =
      snapshot->nodes()[static_cast<std::size_t>(snapshot->StopoverNode(1, 0))];
  EXPECT_NEAR(other_site.position.lon, birds[1]->segmentation.stopovers[0].lon, 1e-9);
  EXPECT_NEAR(other_site.position.lat, birds[1]->segmentation.stopovers[0].lat, 1e-9);
}

}  // namespace
}  // namespace wetlink::graph
