// Re-segmenting only the stretch of a track that new (or newly flagged)
// fixes touch must give exactly what segmenting the whole track gives
// (graph/incremental_segmentation.h). Checked on simulated tracks with many
// seeded random splits, for several parameter sets, plus the hand-made
// tracks that show why the window must be as wide as it is.

#include "graph/incremental_segmentation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "graph/segment_track.h"
#include "tests/graph/ascii_world.h"
#include "tests/graph/flyway_testing.h"
#include "tests/graph/sim_tracks.h"

namespace wetlink::graph {
namespace {

using testing::AsciiWorld;
using testing::Hours;
using testing::kDay;
using testing::kT0;
using testing::SimTrack;
using testing::TrackBuilder;

std::vector<TrackPoint> InWindow(const std::vector<TrackPoint>& points, const TimeWindow& w) {
  std::vector<TrackPoint> out;
  for (const TrackPoint& p : points) {
    if (p.t_ms >= w.from_ms && p.t_ms < w.to_ms) out.push_back(p);
  }
  return out;
}

// `old` was segmented from `before`; `after` differs from it only in
// [changed_from, changed_to]. What the live engine computes.
TrackSegmentation Incremental(const TrackSegmentation& old, const std::vector<TrackPoint>& after,
                              telemetry::TimestampMs changed_from,
                              telemetry::TimestampMs changed_to, const SegmentationParams& params,
                              TimeWindow* window_out = nullptr) {
  const ResegmentPlan plan = PlanResegment(old, changed_from, changed_to, params);
  if (window_out != nullptr) *window_out = plan.read;
  return SpliceSegmentation(old, plan, InWindow(after, plan.read), params);
}

std::string Describe(const TrackSegmentation& s) {
  std::ostringstream out;
  for (const Visit& v : s.visits) {
    out << "  visit site " << v.site << " " << (v.arrival_ms - kT0) / 60'000 << ".."
        << (v.departure_ms - kT0) / 60'000 << " min, " << v.fixes << " fixes\n";
  }
  for (const Stopover& st : s.stopovers) {
    out << "  stopover site " << st.site << " " << (st.arrival_ms - kT0) / 60'000 << ".."
        << (st.departure_ms - kT0) / 60'000 << " min, " << st.fixes << " fixes\n";
  }
  return out.str();
}

// Two neighbouring sites.
const AsciiWorld& World() {
  static const AsciiWorld kWorld(R"(
    AB
  )",
                                 {{'A', {"CN", true}}, {'B', {"CN", true}}});
  return kWorld;
}

TEST(IncrementalSegmentationTest, PlanBoundsByHand) {
  // Visits of A at 0..30 h, 200..230 h and 400..430 h (gaps of 170 h end
  // them). A change at 310 h with the default tolerance (max_gap 72 h): the
  // visit ending at 230 h, the last to end before the change, is resumed
  // from its departure; the one starting at 400 h starts more than 72 h
  // after both it and the change: only (230 h, 400 h) is read again.
  const TrackBuilder b =
      TrackBuilder(World(), kT0).Stay('A', 30).Gap(170).Stay('A', 30).Gap(170).Stay('A', 30);
  const TrackSegmentation seg = SegmentTrack(b.points(), {});
  ASSERT_EQ(seg.visits.size(), 3u);
  const ResegmentPlan p = PlanResegment(seg, kT0 + Hours(310), kT0 + Hours(310), {});
  EXPECT_EQ(p.resume, std::optional<std::size_t>(1));
  EXPECT_EQ(p.read.from_ms, kT0 + Hours(230) + 1);
  EXPECT_EQ(p.read.to_ms, kT0 + Hours(400));
  // A change at 100 h: the first visit (ended 30 h) is resumed, however
  // close the change; the second starts 100 h after the change.
  const ResegmentPlan near = PlanResegment(seg, kT0 + Hours(100), kT0 + Hours(100), {});
  EXPECT_EQ(near.resume, std::optional<std::size_t>(0));
  EXPECT_EQ(near.read.from_ms, kT0 + Hours(30) + 1);
  EXPECT_EQ(near.read.to_ms, kT0 + Hours(200));
  // A change before every visit: the track is read from its start.
  const ResegmentPlan first = PlanResegment(seg, kT0 - Hours(5), kT0 - Hours(5), {});
  EXPECT_EQ(first.resume, std::nullopt);
  EXPECT_EQ(first.read.from_ms, std::numeric_limits<telemetry::TimestampMs>::min());
  EXPECT_EQ(first.read.to_ms, kT0 + Hours(200));
}

TEST(IncrementalSegmentationTest, AppendsReadOnlyTheFixesAfterTheOpenVisit) {
  // A long visit of A still going on when fixes are appended: the visit is
  // resumed from its last fix, and only the new fixes are read.
  const TrackBuilder before = TrackBuilder(World(), kT0).Stay('A', 500);
  const TrackBuilder after = TrackBuilder(World(), kT0).Stay('A', 520);
  const TrackSegmentation old = SegmentTrack(before.points(), {});
  const ResegmentPlan plan = PlanResegment(old, kT0 + Hours(501), kT0 + Hours(520), {});
  EXPECT_EQ(plan.read.from_ms, kT0 + Hours(500) + 1);
  const std::vector<TrackPoint> read = InWindow(after.points(), plan.read);
  EXPECT_LT(read.size(), 25u);
  EXPECT_EQ(SpliceSegmentation(old, plan, read, {}), SegmentTrack(after.points(), {}));
}

TEST(IncrementalSegmentationTest, NewFixChainsAVisitPastTheTolerance) {
  // max_gap = max_excursion = 12 h. Fixes (hours): A 1, B 2, A 3, B 14.
  // Alone, A's visit (1..3 h) swallows B at 2 h as an excursion, and B at
  // 14 h (11 h after A's last fix) starts a visit of its own. A late fix in
  // B at 0 h makes B's visit start first: A at 1 and 3 h are its
  // excursions, and B at 14 h is 12 h after B's fix at 2 h: the visit runs
  // 0..14 h. The old visit starting at 14 h, though more than the
  // tolerance after the change, does not start afresh in the new run.
  SegmentationParams params;
  params.max_gap_ms = Hours(12);
  params.max_excursion_ms = Hours(12);
  const TrackBuilder late = TrackBuilder(World(), kT0).Stay('B', 0);
  const TrackBuilder rest = TrackBuilder(World(), kT0)
                                .Gap(1)
                                .Stay('A', 0)
                                .Gap(1)
                                .Stay('B', 0)
                                .Gap(1)
                                .Stay('A', 0)
                                .Gap(11)
                                .Stay('B', 0);
  std::vector<TrackPoint> all = late.points();
  all.insert(all.end(), rest.points().begin(), rest.points().end());
  ASSERT_EQ(all.size(), 5u);
  const TrackSegmentation full = SegmentTrack(all, params);
  ASSERT_EQ(full.visits.size(), 1u);
  EXPECT_EQ(full.visits[0].site, World().Site('B'));
  EXPECT_EQ(full.visits[0].departure_ms, kT0 + Hours(14));
  const TrackSegmentation old = SegmentTrack(rest.points(), params);
  ASSERT_EQ(old.visits.size(), 2u);
  EXPECT_EQ(Incremental(old, all, kT0, kT0, params), full)
      << Describe(Incremental(old, all, kT0, kT0, params));
}

const testing::SimTracks& Sim() {
  static const testing::SimTracks kSim = testing::SimulateTracks(3, 8, 2);
  return kSim;
}

struct SplitStats {
  int splits = 0;
  int bounded_before = 0;  // windows that leave the start of the track out
  int bounded_after = 0;   // windows that leave the end of the track out
  int failures = 0;
};

// Holds back a random part of each simulated track (a contiguous stretch,
// scattered late fixes in a recent span, or both), segments the rest, then
// brings the held-back fixes in incrementally; and the reverse (fixes
// newly flagged as outliers). Both must equal a full run.
SplitStats CheckRandomSplits(const std::vector<SimTrack>& tracks, const SegmentationParams& params,
                             std::uint64_t seed, int splits_per_track,
                             std::size_t max_stretch = 800) {
  SplitStats stats;
  std::mt19937_64 rng(seed);
  for (const SimTrack& track : tracks) {
    const std::vector<TrackPoint>& all = track.points;
    if (all.size() < 10) continue;
    const TrackSegmentation full = SegmentTrack(all, params);
    for (int k = 0; k < splits_per_track; ++k) {
      std::vector<bool> held(all.size(), false);
      const int mode = k % 3;
      if (mode != 1) {  // a contiguous stretch (800 fixes: about 2 months of a tag)
        const std::size_t length = std::uniform_int_distribution<std::size_t>(1, max_stretch)(rng);
        const std::size_t start =
            std::uniform_int_distribution<std::size_t>(0, all.size() - 1)(rng);
        for (std::size_t i = start; i < std::min(all.size(), start + length); ++i) held[i] = true;
      }
      if (mode != 0) {  // late fixes scattered over the few days before a time
        const telemetry::TimestampMs t =
            all[std::uniform_int_distribution<std::size_t>(0, all.size() - 1)(rng)].t_ms;
        const telemetry::TimestampMs span =
            std::uniform_int_distribution<telemetry::TimestampMs>(kDay / 4, 6 * kDay)(rng);
        std::bernoulli_distribution pick(0.05);
        for (std::size_t i = 0; i < all.size(); ++i) {
          if (all[i].t_ms > t - span && all[i].t_ms <= t && pick(rng)) held[i] = true;
        }
      }
      std::vector<TrackPoint> kept;
      telemetry::TimestampMs from = std::numeric_limits<telemetry::TimestampMs>::max();
      telemetry::TimestampMs to = std::numeric_limits<telemetry::TimestampMs>::min();
      for (std::size_t i = 0; i < all.size(); ++i) {
        if (!held[i]) {
          kept.push_back(all[i]);
          continue;
        }
        from = std::min(from, all[i].t_ms);
        to = std::max(to, all[i].t_ms);
      }
      if (from > to) continue;  // nothing held back
      ++stats.splits;
      const TrackSegmentation old = SegmentTrack(kept, params);
      TimeWindow window;
      const TrackSegmentation added = Incremental(old, all, from, to, params, &window);
      if (window.from_ms != std::numeric_limits<telemetry::TimestampMs>::min()) {
        ++stats.bounded_before;
      }
      if (window.to_ms != std::numeric_limits<telemetry::TimestampMs>::max()) {
        ++stats.bounded_after;
      }
      const TrackSegmentation removed = Incremental(full, kept, from, to, params);
      if (added != full || removed != old) {
        if (++stats.failures <= 3) {
          ADD_FAILURE() << "individual " << track.info.number << " split " << k << " (mode " << mode
                        << "), changed " << (from - kT0) / 60'000 << ".." << (to - kT0) / 60'000
                        << " min, window " << (window.from_ms - kT0) / 60'000 << ".."
                        << (window.to_ms - kT0) / 60'000 << " min\n"
                        << (added != full ? "adding fixes" : "removing fixes")
                        << " differs from a full run.\nfull:\n"
                        << Describe(added != full ? full : old) << "incremental:\n"
                        << Describe(added != full ? added : removed);
        }
      }
    }
  }
  return stats;
}

// The windows must mostly be real splices, not whole-track runs, or the
// check proves little. (Towards the end of a track they are bounded less
// often: a visit there starts afresh only after more than the tolerance
// without any fix in a site.)
void ExpectSpliced(const SplitStats& stats) {
  EXPECT_EQ(stats.failures, 0) << "of " << stats.splits << " splits";
  EXPECT_GT(stats.bounded_before, stats.splits / 2) << "of " << stats.splits;
  EXPECT_GT(stats.bounded_after, stats.splits / 10) << "of " << stats.splits;
}

TEST(IncrementalSegmentationTest, SimulatedTracksDefaultParams) {
  std::size_t fixes = 0;
  for (const SimTrack& t : Sim().tracks) fixes += t.points.size();
  EXPECT_GT(fixes, 8u * 2 * 365 * 8) << "8 birds, 2 years, more than 8 usable fixes a day";
  const SplitStats stats = CheckRandomSplits(Sim().tracks, {}, 11, 60);
  EXPECT_GT(stats.splits, 300);
  ExpectSpliced(stats);
}

TEST(IncrementalSegmentationTest, SimulatedTracksShortGapLongExcursion) {
  SegmentationParams params;
  params.max_gap_ms = Hours(18);
  params.max_excursion_ms = Hours(30);
  params.min_stay_ms = Hours(12);
  ExpectSpliced(CheckRandomSplits(Sim().tracks, params, 12, 60));
}

TEST(IncrementalSegmentationTest, SimulatedTracksTightTolerances) {
  SegmentationParams params;
  params.max_gap_ms = Hours(6);
  params.max_excursion_ms = Hours(2);
  params.min_stay_ms = Hours(8);
  params.max_diameter_m = 2'000;
  ExpectSpliced(CheckRandomSplits(Sim().tracks, params, 13, 60));
}

// Random tracks wandering between four neighbouring sites and two open
// cells, with irregular fix intervals and gaps: the excursions into other
// sites and the chains of visits that simulated cranes rarely fly, where an
// incremental update is most easily wrong.
TEST(IncrementalSegmentationTest, RandomWalksBetweenNeighbouringSites) {
  static const AsciiWorld kWorld(
      R"(
    ABx
    CDy
  )",
      {{'A', {"CN", true}}, {'B', {"CN", true}}, {'C', {"CN", true}}, {'D', {"CN", true}}});
  std::mt19937_64 rng(2024);
  std::vector<SimTrack> tracks;
  for (int n = 0; n < 300; ++n) {
    TrackBuilder b(kWorld, kT0);
    for (int leg = 0; leg < 40; ++leg) {
      const char place = "ABCDxy"[std::uniform_int_distribution<int>(0, 5)(rng)];
      b.Stay(place, std::uniform_int_distribution<int>(0, 20)(rng),
             std::uniform_int_distribution<int>(1, 3)(rng));
      if (std::bernoulli_distribution(0.2)(rng)) {
        b.Gap(std::uniform_int_distribution<int>(1, 30)(rng));
      } else {
        b.Gap(1);
      }
    }
    SimTrack track;
    track.info.number = static_cast<std::uint32_t>(n + 1);
    track.points = b.points();
    tracks.push_back(std::move(track));
  }
  SegmentationParams params;
  params.min_stay_ms = Hours(4);
  params.max_gap_ms = Hours(12);
  params.max_excursion_ms = Hours(6);
  ExpectSpliced(CheckRandomSplits(tracks, params, 21, 10, 30));
  params.max_gap_ms = Hours(8);
  params.max_excursion_ms = Hours(14);
  ExpectSpliced(CheckRandomSplits(tracks, params, 22, 10, 30));
}

}  // namespace
}  // namespace wetlink::graph
