// Known answers for the flyway snapshot (nodes, transitions), selections by
// species, study, season, window and years, the links aggregated from them
// and the link filters (graph/flyway_snapshot.h, selection.h, links.h).

#include "graph/links.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include "geo/geodesy.h"
#include "graph/flyway_snapshot.h"
#include "graph/selection.h"
#include "telemetry/timestamp.h"
#include "tests/graph/ascii_world.h"
#include "tests/graph/flyway_testing.h"

namespace wetlink::graph {
namespace {

using telemetry::TimestampFromCivil;
using testing::AsciiWorld;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Hours;
using testing::kHoodedCrane;
using testing::kWhiteNapedCrane;
using testing::TrackBuilder;

// Four catalogued sites and one place outside them all (x), where a stay
// becomes a discovered candidate site. A and B are in China, C in Russia,
// D and x in North Korea.
const AsciiWorld& World() {
  static const AsciiWorld kWorld(
      R"(
    A.........B.........C
    .....................
    .....................
    ..........x..........
    .....................
    .....................
    D....................
  )",
      {{'A', {"CN", true}}, {'B', {"CN", true}}, {'C', {"RU", true}}, {'D', {"KP", false}}},
      {{'x', "KP"}});
  return kWorld;
}

// Nodes: sites in id order (site_a .. site_d = 0..3), then the candidate.
constexpr std::int32_t kA = 0, kB = 1, kC = 2, kD = 3, kX = 4;

// Every stay lasts 48 h; the flights' hours are what the medians check.
//   bird 1 (HC,  study1), March 2024:     A -5h-> B -10h-> C
//   bird 2 (HC,  study1), March 2024:     A -6h-> B -12h-> C
//   bird 3 (WNC, study2), April 2023:     A -8h-> x -8h-> C
//   bird 4 (WNC, study1), September 2024: A -8h-> B -7h-> A -9h-> B -9h-> D
std::vector<TrackBuilder> Tracks() {
  std::vector<TrackBuilder> t;
  t.push_back(TrackBuilder(World(), TimestampFromCivil(2024, 3, 1))
                  .Stay('A', 48)
                  .Fly('B', 5)
                  .Stay('B', 48)
                  .Fly('C', 10)
                  .Stay('C', 48));
  t.push_back(TrackBuilder(World(), TimestampFromCivil(2024, 3, 10))
                  .Stay('A', 48)
                  .Fly('B', 6)
                  .Stay('B', 48)
                  .Fly('C', 12)
                  .Stay('C', 48));
  t.push_back(TrackBuilder(World(), TimestampFromCivil(2023, 4, 1))
                  .Stay('A', 48)
                  .Fly('x', 8)
                  .Stay('x', 48, 2)
                  .Fly('C', 8)
                  .Stay('C', 48));
  t.push_back(TrackBuilder(World(), TimestampFromCivil(2024, 9, 1))
                  .Stay('A', 48)
                  .Fly('B', 8)
                  .Stay('B', 48)
                  .Fly('A', 7)
                  .Stay('A', 48)
                  .Fly('B', 9)
                  .Stay('B', 48)
                  .Fly('D', 9)
                  .Stay('D', 48));
  return t;
}

std::shared_ptr<const FlywaySnapshot> Snapshot() {
  static const std::shared_ptr<const FlywaySnapshot> kSnapshot = [] {
    const std::vector<TrackBuilder> t = Tracks();
    // Given out of order: the snapshot sorts individuals by number.
    return testing::SnapshotOf(
        World(), {testing::Segmented(3, kWhiteNapedCrane, t[2].points(), {}, "study2"),
                  testing::Segmented(1, kHoodedCrane, t[0].points()),
                  testing::Segmented(4, kWhiteNapedCrane, t[3].points()),
                  testing::Segmented(2, kHoodedCrane, t[1].points())});
  }();
  return kSnapshot;
}

SeasonTable Seasons() {
  SeasonTable table;
  table.Set(kHoodedCrane, "spring", {2, 5});
  table.Set(kWhiteNapedCrane, "spring", {3, 5});
  table.Set(kHoodedCrane, "autumn", {9, 11});
  table.Set(kWhiteNapedCrane, "autumn", {9, 11});
  return table;
}

std::vector<Link> LinksOf(const FlywayFilter& filter) {
  EXPECT_TRUE(ValidateFilter(filter, Snapshot()->catalog(), Seasons()).ok());
  return AggregateLinks(*Snapshot(), Select(*Snapshot(), Seasons(), filter));
}

// (from, to) of each link.
std::vector<std::pair<std::int32_t, std::int32_t>> Pairs(const std::vector<Link>& links) {
  std::vector<std::pair<std::int32_t, std::int32_t>> out;
  for (const Link& l : links) out.emplace_back(l.from_node, l.to_node);
  return out;
}

using P = std::pair<std::int32_t, std::int32_t>;

TEST(FlywaySnapshotTest, NodesIndividualsTransitions) {
  const FlywaySnapshot& s = *Snapshot();
  ASSERT_EQ(s.individuals().size(), 4u);
  for (std::uint32_t i = 0; i < 4; ++i) EXPECT_EQ(s.individuals()[i]->info.number, i + 1);
  EXPECT_EQ(s.FindIndividualByNumber(4), 3u);
  EXPECT_EQ(s.FindIndividualByNumber(5), std::nullopt);
  EXPECT_EQ(s.version(), 1u);

  // Four sites, then the one candidate: bird 3's stay at x, named after
  // its mean position.
  ASSERT_EQ(s.nodes().size(), 5u);
  EXPECT_EQ(s.nodes()[kC].id, "site_c");
  EXPECT_EQ(s.nodes()[kC].name, "Site C");
  EXPECT_EQ(s.nodes()[kC].country, "RU");
  EXPECT_TRUE(s.nodes()[kC].catalogued());
  EXPECT_FALSE(s.nodes()[kD].is_protected);
  const Stopover& stay = s.individuals()[2]->segmentation.stopovers[1];
  ASSERT_EQ(stay.site, kNoSite);
  char id[64];
  std::snprintf(id, sizeof id, "cand_%.3fn_%.3fe", stay.lat, stay.lon);
  const Node& x = s.nodes()[kX];
  EXPECT_EQ(x.id, id);
  EXPECT_FALSE(x.catalogued());
  EXPECT_EQ(x.name, "");
  EXPECT_EQ(x.country, "KP");  // from the CountryLookup at its centre
  EXPECT_FALSE(x.is_protected);
  EXPECT_NEAR(x.position.lat, World().Centre('x').lat, 0.004);
  EXPECT_EQ(s.FindNode(id), kX);
  EXPECT_EQ(s.FindNode("site_b"), kB);
  EXPECT_EQ(s.FindNode("nowhere"), std::nullopt);

  // 2 + 2 + 2 + 4 transitions, by individual then time.
  ASSERT_EQ(s.transitions().size(), 10u);
  EXPECT_THAT(s.StopoverNodesOf(3), ElementsAre(kA, kB, kA, kB, kD));
  const Transition& t = s.transitions()[9];  // bird 4, B -9h-> D
  EXPECT_EQ(t.individual, 3u);
  EXPECT_EQ(t.from_node, kB);
  EXPECT_EQ(t.to_node, kD);
  EXPECT_EQ(t.from_stop, 3u);
  EXPECT_EQ(t.to_stop, 4u);
  EXPECT_EQ(t.duration_ms(), Hours(9));
}

TEST(LinksTest, AllLinksByHand) {
  const std::vector<Link> links = LinksOf({});
  ASSERT_THAT(Pairs(links),
              ElementsAre(P{kA, kB}, P{kA, kX}, P{kB, kA}, P{kB, kC}, P{kB, kD}, P{kX, kC}));
  // A -> B: birds 1, 2, 4 (twice): 3 individuals, 4 transitions; travel 5,
  // 6, 8, 9 h, median (6 + 8) / 2 = 7 h. A has 5 departures (4 to B, 1 to
  // x): probability 4/5.
  const Link& ab = links[0];
  EXPECT_EQ(ab.individuals, 3u);
  EXPECT_EQ(ab.transitions, 4u);
  EXPECT_EQ(ab.median_travel_ms, Hours(7));
  EXPECT_THAT(ab.species, ElementsAre(kWhiteNapedCrane, kHoodedCrane));
  EXPECT_DOUBLE_EQ(ab.probability, 4.0 / 5.0);
  // First departure: bird 1 leaves A after 48 h on 1 March 2024; last
  // arrival: bird 4's second arrival at B, 48 + 8 + 48 + 7 + 48 + 9 h after
  // 1 September 2024.
  EXPECT_EQ(ab.first_departure_ms, TimestampFromCivil(2024, 3, 1) + Hours(48));
  EXPECT_EQ(ab.last_arrival_ms, TimestampFromCivil(2024, 9, 1) + Hours(48 + 8 + 48 + 7 + 48 + 9));
  // A -> x: bird 3 alone, 8 h, 1 of A's 5 departures.
  EXPECT_EQ(links[1].individuals, 1u);
  EXPECT_EQ(links[1].median_travel_ms, Hours(8));
  EXPECT_DOUBLE_EQ(links[1].probability, 1.0 / 5.0);
  EXPECT_THAT(links[1].species, ElementsAre(kWhiteNapedCrane));
  // B has 4 departures: to C (birds 1, 2: 10 and 12 h, median 11 h), to A
  // and to D (bird 4).
  EXPECT_DOUBLE_EQ(links[2].probability, 1.0 / 4.0);
  EXPECT_EQ(links[3].individuals, 2u);
  EXPECT_EQ(links[3].median_travel_ms, Hours(11));
  EXPECT_DOUBLE_EQ(links[3].probability, 2.0 / 4.0);
  EXPECT_THAT(links[3].species, ElementsAre(kHoodedCrane));
  EXPECT_DOUBLE_EQ(links[4].probability, 1.0 / 4.0);
  EXPECT_EQ(links[4].median_travel_ms, Hours(9));
  // x -> C: x's only departure.
  EXPECT_DOUBLE_EQ(links[5].probability, 1.0);
}

TEST(LinksTest, MedianDistanceIsTheGeodesicBetweenStopoverMeans) {
  const FlywaySnapshot& s = *Snapshot();
  const std::vector<Link> links = LinksOf({});
  for (const Link& link : links) {
    std::vector<double> d;
    for (const Transition& t : s.transitions()) {
      if (t.from_node != link.from_node || t.to_node != link.to_node) continue;
      const auto& stops = s.individuals()[t.individual]->segmentation.stopovers;
      d.push_back(geo::GeodesicDistanceM({stops[t.from_stop].lat, stops[t.from_stop].lon},
                                         {stops[t.to_stop].lat, stops[t.to_stop].lon}));
    }
    std::sort(d.begin(), d.end());
    const double median =
        d.size() % 2 == 1 ? d[d.size() / 2] : (d[d.size() / 2 - 1] + d[d.size() / 2]) / 2;
    EXPECT_NEAR(link.median_distance_m, median, 1.0) << link.from_node << "->" << link.to_node;
  }
  // And about the distance between the cell centres (the jitter moves the
  // means by less than 0.004°): A to B is 1° of longitude at 44.95 N,
  // about 78.9 km.
  const double centres = geo::GeodesicDistanceM(World().Centre('A'), World().Centre('B'));
  EXPECT_NEAR(links[0].median_distance_m, centres, 700);
  EXPECT_NEAR(centres, 78'900, 200);
}

TEST(SelectionTest, BySpeciesCodeAndStudy) {
  FlywayFilter hc;
  hc.species = {"HC"};  // a code names the species as well as its id
  const std::vector<Link> links = LinksOf(hc);
  // Birds 1 and 2 only: A -> B (5 and 6 h, median 5.5 h), B -> C; every
  // departure of A and B in the selection takes them.
  ASSERT_THAT(Pairs(links), ElementsAre(P{kA, kB}, P{kB, kC}));
  EXPECT_EQ(links[0].individuals, 2u);
  EXPECT_EQ(links[0].median_travel_ms, Hours(5.5));
  EXPECT_DOUBLE_EQ(links[0].probability, 1.0);
  EXPECT_DOUBLE_EQ(links[1].probability, 1.0);

  FlywayFilter study;
  study.studies = {"study2"};
  EXPECT_THAT(Pairs(LinksOf(study)), ElementsAre(P{kA, kX}, P{kX, kC}));
}

TEST(SelectionTest, ByYearsWindowAndSeason) {
  FlywayFilter y2023;
  y2023.years = {2023};
  EXPECT_THAT(Pairs(LinksOf(y2023)), ElementsAre(P{kA, kX}, P{kX, kC}));  // bird 3

  // March 2024: birds 1 and 2; their 6 stopovers.
  FlywayFilter march;
  march.window = TimeWindow{TimestampFromCivil(2024, 3, 1), TimestampFromCivil(2024, 4, 1)};
  EXPECT_THAT(Pairs(LinksOf(march)), ElementsAre(P{kA, kB}, P{kB, kC}));
  EXPECT_EQ(Select(*Snapshot(), Seasons(), march).stopovers.size(), 6u);

  // Autumn (September to November): bird 4 only. A's 2 departures both go
  // to B; B's 2 split between A and D.
  FlywayFilter autumn;
  autumn.season = "autumn";
  const std::vector<Link> links = LinksOf(autumn);
  ASSERT_THAT(Pairs(links), ElementsAre(P{kA, kB}, P{kB, kA}, P{kB, kD}));
  EXPECT_EQ(links[0].individuals, 1u);
  EXPECT_EQ(links[0].transitions, 2u);
  EXPECT_DOUBLE_EQ(links[0].probability, 1.0);
  EXPECT_DOUBLE_EQ(links[1].probability, 0.5);
  EXPECT_DOUBLE_EQ(links[2].probability, 0.5);
  const Selection sel = Select(*Snapshot(), Seasons(), autumn);
  EXPECT_EQ(sel.stopovers.size(), 5u);
  EXPECT_THAT(sel.individuals, ElementsAre(true, true, true, true));

  // Spring of 2024 only: birds 1 and 2 (bird 3's spring was 2023).
  FlywayFilter spring;
  spring.season = "spring";
  spring.years = {2024};
  EXPECT_THAT(Pairs(LinksOf(spring)), ElementsAre(P{kA, kB}, P{kB, kC}));
  spring.years = {};
  EXPECT_THAT(Pairs(LinksOf(spring)), ElementsAre(P{kA, kB}, P{kA, kX}, P{kB, kC}, P{kX, kC}));
}

TEST(SelectionTest, ValidateFilterNamesTheField) {
  const catalog::Catalog& catalog = Snapshot()->catalog();
  FlywayFilter f;
  f.species = {"HC", "XYZ"};
  absl::Status s = ValidateFilter(f, catalog, Seasons());
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(s.message(), HasSubstr("XYZ"));

  f = {};
  f.window = TimeWindow{testing::kT0, testing::kT0};
  s = ValidateFilter(f, catalog, Seasons());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("window"));
  f.window = TimeWindow{testing::kT0 + 1, testing::kT0};
  EXPECT_THAT(ValidateFilter(f, catalog, Seasons()).message(), HasSubstr("window"));

  f = {};
  f.season = "monsoon";
  s = ValidateFilter(f, catalog, Seasons());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("season"));
  EXPECT_THAT(s.message(), HasSubstr("monsoon"));

  // Red-crowned cranes have no autumn in this table.
  f.season = "autumn";
  f.species = {"RCC"};
  s = ValidateFilter(f, catalog, Seasons());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("season"));

  f = {};
  f.years = {1980};
  s = ValidateFilter(f, catalog, Seasons());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("years"));

  f = {};
  f.species = {"grus_monacha", "WNC"};
  f.season = "spring";
  f.years = {2024};
  EXPECT_TRUE(ValidateFilter(f, catalog, Seasons()).ok());
}

TEST(LinksTest, Filters) {
  const FlywaySnapshot& s = *Snapshot();
  const std::vector<Link> all = LinksOf({});
  // Two or more individuals: A -> B (3), B -> C (2).
  LinkFilter f;
  f.min_individuals = 2;
  EXPECT_THAT(Pairs(FilterLinks(s, all, f)), ElementsAre(P{kA, kB}, P{kB, kC}));
  // Either end at B.
  f = {};
  f.node = kB;
  EXPECT_THAT(Pairs(FilterLinks(s, all, f)),
              ElementsAre(P{kA, kB}, P{kB, kA}, P{kB, kC}, P{kB, kD}));
  // Either end in Russia (C), or in North Korea (D, and the candidate x).
  f = {};
  f.country = "RU";
  EXPECT_THAT(Pairs(FilterLinks(s, all, f)), ElementsAre(P{kB, kC}, P{kX, kC}));
  f.country = "KP";
  EXPECT_THAT(Pairs(FilterLinks(s, all, f)), ElementsAre(P{kA, kX}, P{kB, kD}, P{kX, kC}));
  // Cross-border: every link but A <-> B (both in China).
  f = {};
  f.cross_border_only = true;
  EXPECT_THAT(Pairs(FilterLinks(s, all, f)),
              ElementsAre(P{kA, kX}, P{kB, kC}, P{kB, kD}, P{kX, kC}));
  EXPECT_FALSE(IsCrossBorder(s, all[0]));
  EXPECT_TRUE(IsCrossBorder(s, all[1]));
  // Combined: cross-border links of at least 2 individuals touching C.
  f.min_individuals = 2;
  f.node = kC;
  EXPECT_THAT(Pairs(FilterLinks(s, all, f)), ElementsAre(P{kB, kC}));
}

TEST(LinksTest, Median) {
  EXPECT_EQ(Median({}), 0);
  EXPECT_EQ(Median({3}), 3);
  EXPECT_EQ(Median({9, 1, 5}), 5);
  EXPECT_EQ(Median({9, 1, 5, 4}), 4.5);
}

}  // namespace
}  // namespace wetlink::graph
