// Known answers for cutting a track into visits, stays and stopovers
// (graph/segment_track.h), with the default parameters (min_stay 24 h,
// max_gap 72 h, max_excursion 12 h, max_diameter 5 km) unless a test says
// otherwise.

#include "graph/segment_track.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "graph/segmentation_params.h"
#include "tests/graph/ascii_world.h"
#include "tests/graph/flyway_testing.h"

namespace wetlink::graph {
namespace {

using testing::AsciiWorld;
using ::testing::HasSubstr;
using testing::Hours;
using testing::kT0;
using testing::TrackBuilder;

// A and C are neighbouring sites (C diagonally south-east of A, off the
// flight line along the top row); y is open country just south of A; x and
// z are open country 10 cells (about 79 km) east, z just south of x (11 km).
const AsciiWorld& World() {
  static const AsciiWorld kWorld(R"(
    A.........x.........B
    yC........z..........
  )",
                                 {{'A', {"CN", true}}, {'B', {"CN", true}}, {'C', {"CN", false}}});
  return kWorld;
}

Visit V(char site, double arrival_h, double departure_h, std::uint32_t fixes) {
  return {.site = World().Site(site),
          .arrival_ms = kT0 + Hours(arrival_h),
          .departure_ms = kT0 + Hours(departure_h),
          .fixes = fixes};
}

// `place` is a site letter or a lower-case stay place.
void ExpectStopover(const Stopover& s, char place, double arrival_h, double departure_h,
                    std::uint32_t fixes) {
  const bool site = place >= 'A' && place <= 'Z';
  EXPECT_EQ(s.site, site ? World().Site(place) : kNoSite) << place;
  EXPECT_EQ(s.arrival_ms, kT0 + Hours(arrival_h)) << place;
  EXPECT_EQ(s.departure_ms, kT0 + Hours(departure_h)) << place;
  EXPECT_EQ(s.fixes, fixes) << place;
  // The jitter is under 0.004° either way: the mean lies near the centre.
  EXPECT_NEAR(s.lat, World().Centre(place).lat, 0.004) << place;
  EXPECT_NEAR(s.lon, World().Centre(place).lon, 0.004) << place;
}

TEST(SegmentTrackTest, StopoversAtSitesAndOutside) {
  // A: fixes at 0..48 h (49). Flight to x: 56 h arrival; hourly fixes 49..55
  // h, 9.9 km apart, all in open cells. x: fixes every 2 h at 56..86 h (16),
  // a 30 h stay outside every site. Flight to B: fixes 87..93 h. B: fixes at
  // 94..130 h (37).
  const TrackBuilder track = TrackBuilder(World(), kT0)
                                 .Stay('A', 48)
                                 .Fly('x', 8)
                                 .Stay('x', 30, 2)
                                 .Fly('B', 8)
                                 .Stay('B', 36);
  const TrackSegmentation seg = SegmentTrack(track.points(), {});
  EXPECT_THAT(seg.visits, ::testing::ElementsAre(V('A', 0, 48, 49), V('B', 94, 130, 37)));
  ASSERT_EQ(seg.stopovers.size(), 3u);
  ExpectStopover(seg.stopovers[0], 'A', 0, 48, 49);
  ExpectStopover(seg.stopovers[1], 'x', 56, 86, 16);
  ExpectStopover(seg.stopovers[2], 'B', 94, 130, 37);
}

TEST(SegmentTrackTest, VisitShorterThanMinStayIsNotAStopover) {
  // B: fixes at 64..74 h, a 10 h visit (< 24 h): a visit, no stopover.
  const TrackBuilder track = TrackBuilder(World(), kT0).Stay('A', 48).Fly('B', 16).Stay('B', 10);
  const TrackSegmentation seg = SegmentTrack(track.points(), {});
  EXPECT_THAT(seg.visits, ::testing::ElementsAre(V('A', 0, 48, 49), V('B', 64, 74, 11)));
  ASSERT_EQ(seg.stopovers.size(), 1u);
  ExpectStopover(seg.stopovers[0], 'A', 0, 48, 49);

  // With min_stay 6 h the 10 h visit is a stopover too.
  SegmentationParams params;
  params.min_stay_ms = Hours(6);
  const TrackSegmentation relaxed = SegmentTrack(track.points(), params);
  ASSERT_EQ(relaxed.stopovers.size(), 2u);
  ExpectStopover(relaxed.stopovers[1], 'B', 64, 74, 11);
}

TEST(SegmentTrackTest, ExcursionWithinToleranceIsOneVisit) {
  // A at 0..30 h (31 fixes), y at 31..36 h (6), A again at 37..66 h (30):
  // the bird is back 7 h after its last fix in A (<= 12 h): one visit of
  // 61 fixes in A; the excursion's fixes are neither counted nor a stay.
  const TrackBuilder track = TrackBuilder(World(), kT0).Stay('A', 30).Stay('y', 6).Stay('A', 30);
  const TrackSegmentation seg = SegmentTrack(track.points(), {});
  EXPECT_THAT(seg.visits, ::testing::ElementsAre(V('A', 0, 66, 61)));
  ASSERT_EQ(seg.stopovers.size(), 1u);
  ExpectStopover(seg.stopovers[0], 'A', 0, 66, 61);
}

TEST(SegmentTrackTest, ExcursionIntoAnotherSiteBelongsToTheVisit) {
  // The same shape through the neighbouring site C: C's fixes at 31..36 h
  // are part of A's visit, and C gets no visit of its own.
  const TrackBuilder track = TrackBuilder(World(), kT0).Stay('A', 30).Stay('C', 6).Stay('A', 30);
  const TrackSegmentation seg = SegmentTrack(track.points(), {});
  EXPECT_THAT(seg.visits, ::testing::ElementsAre(V('A', 0, 66, 61)));

  // After the last fix in A, the fixes in C start a visit of their own:
  // A 0..30 h, C 31..60 h (30 fixes, a 29 h stopover).
  const TrackBuilder away = TrackBuilder(World(), kT0).Stay('A', 30).Stay('C', 30);
  const TrackSegmentation seg2 = SegmentTrack(away.points(), {});
  EXPECT_THAT(seg2.visits, ::testing::ElementsAre(V('A', 0, 30, 31), V('C', 31, 60, 30)));
  ASSERT_EQ(seg2.stopovers.size(), 2u);
  ExpectStopover(seg2.stopovers[1], 'C', 31, 60, 30);
}

TEST(SegmentTrackTest, LongerExcursionSplitsTheVisit) {
  // A at 0..30 h, y at 31..44 h, A at 45..74 h. The y fix at 43 h is 13 h
  // after the last fix in A (> 12 h): the first visit ends at 30 h. The 14
  // y fixes span 13 h (< 24 h): no stay. Two visits, each a stopover.
  const TrackBuilder track = TrackBuilder(World(), kT0).Stay('A', 30).Stay('y', 14).Stay('A', 30);
  const TrackSegmentation seg = SegmentTrack(track.points(), {});
  EXPECT_THAT(seg.visits, ::testing::ElementsAre(V('A', 0, 30, 31), V('A', 45, 74, 30)));
  ASSERT_EQ(seg.stopovers.size(), 2u);
  ExpectStopover(seg.stopovers[0], 'A', 0, 30, 31);
  ExpectStopover(seg.stopovers[1], 'A', 45, 74, 30);

  // A 16 h excursion tolerance keeps the bird in A throughout: one visit,
  // 31 + 30 fixes.
  SegmentationParams params;
  params.max_excursion_ms = Hours(16);
  EXPECT_THAT(SegmentTrack(track.points(), params).visits,
              ::testing::ElementsAre(V('A', 0, 74, 61)));
}

TEST(SegmentTrackTest, GapWithinToleranceKeepsTheVisit) {
  // No fix for 60 h (<= 72 h): one visit, 0..120 h, 31 + 31 fixes.
  const TrackBuilder track = TrackBuilder(World(), kT0).Stay('A', 30).Gap(60).Stay('A', 30);
  EXPECT_THAT(SegmentTrack(track.points(), {}).visits, ::testing::ElementsAre(V('A', 0, 120, 62)));
}

TEST(SegmentTrackTest, LongGapSplitsTheVisitWithoutATransition) {
  // No fix for 80 h (> 72 h): two visits of A, 0..30 h and 110..140 h, both
  // stopovers; then B at 156..186 h.
  const TrackBuilder track =
      TrackBuilder(World(), kT0).Stay('A', 30).Gap(80).Stay('A', 30).Fly('B', 16).Stay('B', 30);
  const TrackSegmentation seg = SegmentTrack(track.points(), {});
  EXPECT_THAT(seg.visits, ::testing::ElementsAre(V('A', 0, 30, 31), V('A', 110, 140, 31),
                                                 V('B', 156, 186, 31)));
  ASSERT_EQ(seg.stopovers.size(), 3u);

  // Consecutive stopovers at one node make no transition: the only one
  // leaves the second stay in A (stopover 1) at 140 h for B (stopover 2).
  const auto snapshot =
      testing::SnapshotOf(World(), {testing::Segmented(7, testing::kHoodedCrane, track.points())});
  ASSERT_EQ(snapshot->transitions().size(), 1u);
  const Transition& tr = snapshot->transitions()[0];
  EXPECT_EQ(tr.from_stop, 1u);
  EXPECT_EQ(tr.to_stop, 2u);
  EXPECT_EQ(tr.from_node, World().Site('A'));
  EXPECT_EQ(tr.to_node, World().Site('B'));
  EXPECT_EQ(tr.departure_ms, kT0 + Hours(140));
  EXPECT_EQ(tr.arrival_ms, kT0 + Hours(156));

  // A 100 h gap tolerance joins the two stays in A.
  SegmentationParams params;
  params.max_gap_ms = Hours(100);
  EXPECT_THAT(SegmentTrack(track.points(), params).visits,
              ::testing::ElementsAre(V('A', 0, 140, 62), V('B', 156, 186, 31)));
}

TEST(SegmentTrackTest, StayIsBrokenByMaxDiameter) {
  // x at 0..30 h, then z, 11 km south, at 31..60 h: no run holds both
  // within 5 km, so two stays (31 and 30 fixes), each at least 24 h.
  const TrackBuilder track = TrackBuilder(World(), kT0).Stay('x', 30).Stay('z', 30);
  const TrackSegmentation seg = SegmentTrack(track.points(), {});
  EXPECT_TRUE(seg.visits.empty());
  ASSERT_EQ(seg.stopovers.size(), 2u);
  ExpectStopover(seg.stopovers[0], 'x', 0, 30, 31);
  ExpectStopover(seg.stopovers[1], 'z', 31, 60, 30);

  // Within 20 km both places are one stay of 61 fixes, its mean between
  // them.
  SegmentationParams params;
  params.max_diameter_m = 20'000;
  const TrackSegmentation wide = SegmentTrack(track.points(), params);
  ASSERT_EQ(wide.stopovers.size(), 1u);
  EXPECT_EQ(wide.stopovers[0].arrival_ms, kT0);
  EXPECT_EQ(wide.stopovers[0].departure_ms, kT0 + Hours(60));
  EXPECT_EQ(wide.stopovers[0].fixes, 61u);
  EXPECT_EQ(wide.stopovers[0].site, kNoSite);
  EXPECT_GT(wide.stopovers[0].lat, World().Centre('z').lat);
  EXPECT_LT(wide.stopovers[0].lat, World().Centre('x').lat);
}

TEST(SegmentTrackTest, StayShorterThanMinStayIsNothing) {
  // 20 h at x (< 24 h): neither visit nor stopover.
  const TrackBuilder track = TrackBuilder(World(), kT0).Stay('x', 20);
  const TrackSegmentation seg = SegmentTrack(track.points(), {});
  EXPECT_TRUE(seg.visits.empty());
  EXPECT_TRUE(seg.stopovers.empty());

  // With min_stay 12 h it is a stay of 21 fixes.
  SegmentationParams params;
  params.min_stay_ms = Hours(12);
  const TrackSegmentation relaxed = SegmentTrack(track.points(), params);
  ASSERT_EQ(relaxed.stopovers.size(), 1u);
  ExpectStopover(relaxed.stopovers[0], 'x', 0, 20, 21);
}

TEST(SegmentTrackTest, GapEndsAStay) {
  // x at 0..30 h, nothing for 80 h (> 72 h), x at 110..140 h: two stays.
  const TrackBuilder track = TrackBuilder(World(), kT0).Stay('x', 30).Gap(80).Stay('x', 30);
  const TrackSegmentation seg = SegmentTrack(track.points(), {});
  ASSERT_EQ(seg.stopovers.size(), 2u);
  ExpectStopover(seg.stopovers[0], 'x', 0, 30, 31);
  ExpectStopover(seg.stopovers[1], 'x', 110, 140, 31);
}

TEST(SegmentTrackTest, EmptyTrack) { EXPECT_EQ(SegmentTrack({}, {}), TrackSegmentation{}); }

TEST(SegmentationParamsTest, Validation) {
  EXPECT_TRUE(ValidateSegmentationParams({}).ok());
  SegmentationParams p;
  p.min_stay_ms = 0;
  EXPECT_THAT(ValidateSegmentationParams(p).message(), HasSubstr("min_stay"));
  EXPECT_EQ(ValidateSegmentationParams(p).code(), absl::StatusCode::kInvalidArgument);
  p = {};
  p.max_gap_ms = 400 * testing::kDay;
  EXPECT_THAT(ValidateSegmentationParams(p).message(), HasSubstr("max_gap"));
  p = {};
  p.max_excursion_ms = 0;  // no excursion tolerated: allowed
  EXPECT_TRUE(ValidateSegmentationParams(p).ok());
  p.max_excursion_ms = -1;
  EXPECT_THAT(ValidateSegmentationParams(p).message(), HasSubstr("max_excursion"));
  p = {};
  p.max_diameter_m = 5;
  EXPECT_THAT(ValidateSegmentationParams(p).message(), HasSubstr("max_diameter"));
  p = {};
  p.cluster_distance_m = 300'000;
  EXPECT_THAT(ValidateSegmentationParams(p).message(), HasSubstr("cluster_distance"));
}

}  // namespace
}  // namespace wetlink::graph
