// The live flyway engine (graph/live_flyway.h) over an in-memory track
// source: rebuild, incremental updates as fixes arrive, a catalog change,
// on-demand snapshots with other parameters, and storage errors.

#include "graph/live_flyway.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graph/links.h"
#include "graph/selection.h"
#include "tests/graph/ascii_world.h"
#include "tests/graph/flyway_testing.h"

namespace wetlink::graph {
namespace {

using testing::AsciiWorld;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Hours;
using testing::kHoodedCrane;
using testing::kT0;
using testing::kWhiteNapedCrane;
using testing::TrackBuilder;

constexpr std::chrono::seconds kWait{2};

// Stored fixes in memory, as the fix store would hold them: positions and
// times only; sites are assigned against the catalog each read is given.
class MemoryTrackSource : public TrackSource {
 public:
  void Add(const IndividualInfo& info, const std::vector<TrackPoint>& points) {
    std::lock_guard lock(mu_);
    infos_[info.number] = info;
    std::vector<TrackPoint>& track = fixes_[info.number];
    track.insert(track.end(), points.begin(), points.end());
    std::stable_sort(track.begin(), track.end(),
                     [](const TrackPoint& a, const TrackPoint& b) { return a.t_ms < b.t_ms; });
  }
  std::vector<TrackPoint> Track(std::uint32_t number) const {
    std::lock_guard lock(mu_);
    return fixes_.at(number);
  }
  void FailReads(bool fail) { fail_reads_ = fail; }

  absl::StatusOr<std::vector<IndividualInfo>> Individuals() const override {
    std::lock_guard lock(mu_);
    std::vector<IndividualInfo> out;
    for (const auto& [number, info] : infos_) out.push_back(info);
    return out;
  }
  absl::StatusOr<std::optional<IndividualInfo>> Individual(std::uint32_t number) const override {
    std::lock_guard lock(mu_);
    auto it = infos_.find(number);
    if (it == infos_.end()) return std::optional<IndividualInfo>();
    return std::optional<IndividualInfo>(it->second);
  }
  absl::Status ReadTrack(std::uint32_t individual, telemetry::TimestampMs from_ms,
                         telemetry::TimestampMs to_ms, const catalog::Catalog& catalog,
                         std::vector<TrackPoint>& out) const override {
    if (fail_reads_) return absl::UnavailableError("disk on fire");
    std::lock_guard lock(mu_);
    out.clear();
    auto it = fixes_.find(individual);
    if (it == fixes_.end()) return absl::OkStatus();
    for (const TrackPoint& p : it->second) {
      if (p.t_ms < from_ms || p.t_ms >= to_ms) continue;
      out.push_back({.t_ms = p.t_ms,
                     .lat = p.lat,
                     .lon = p.lon,
                     .site = testing::AssignSite(catalog, p.lat, p.lon)});
    }
    return absl::OkStatus();
  }

 private:
  mutable std::mutex mu_;
  std::map<std::uint32_t, IndividualInfo> infos_;
  std::map<std::uint32_t, std::vector<TrackPoint>> fixes_;
  std::atomic<bool> fail_reads_{false};
};

class CatalogHolder {
 public:
  explicit CatalogHolder(std::shared_ptr<const catalog::Catalog> c) : catalog_(std::move(c)) {}
  std::shared_ptr<const catalog::Catalog> Get() const {
    std::lock_guard lock(mu_);
    return catalog_;
  }
  void Set(std::shared_ptr<const catalog::Catalog> c) {
    std::lock_guard lock(mu_);
    catalog_ = std::move(c);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const catalog::Catalog> catalog_;
};

const AsciiWorld& World() {
  static const AsciiWorld kWorld(R"(
    A.........B.........C
  )",
                                 {{'A', {"CN", true}}, {'B', {"KP", true}}, {'C', {"RU", true}}});
  return kWorld;
}

// The same map after B's boundary was withdrawn from the catalog: B's cell
// is open country now, and C moves from position 2 to 1 in the catalog.
const AsciiWorld& WorldWithoutB() {
  static const AsciiWorld kWorld(R"(
    A.........b.........C
  )",
                                 {{'A', {"CN", true}}, {'C', {"RU", true}}}, {{'b', "KP"}});
  return kWorld;
}

const IndividualInfo kBird1{
    .number = 1, .study_id = "s", .individual_id = "b1", .species_id = kHoodedCrane};
const IndividualInfo kBird2{
    .number = 2, .study_id = "s", .individual_id = "b2", .species_id = kWhiteNapedCrane};

std::vector<std::pair<std::int32_t, std::int32_t>> LinkPairs(const FlywaySnapshot& s) {
  std::vector<std::pair<std::int32_t, std::int32_t>> out;
  for (const Link& l : AggregateLinks(s, Select(s, SeasonTable(), {}))) {
    out.emplace_back(l.from_node, l.to_node);
  }
  return out;
}

using P = std::pair<std::int32_t, std::int32_t>;

// The live segmentation of every individual equals a full run on its
// stored track.
void ExpectSegmentedLikeFullRuns(const FlywaySnapshot& s, const MemoryTrackSource& source,
                                 const catalog::Catalog& catalog) {
  for (const auto& ind : s.individuals()) {
    std::vector<TrackPoint> track;
    ASSERT_TRUE(source
                    .ReadTrack(ind->info.number, std::numeric_limits<std::int64_t>::min(),
                               std::numeric_limits<std::int64_t>::max(), catalog, track)
                    .ok());
    EXPECT_EQ(ind->segmentation, SegmentTrack(track, s.params())) << ind->info.number;
  }
}

TEST(LiveFlywayTest, RebuildUpdatesCatalogChangeAndComputeWith) {
  MemoryTrackSource source;
  CatalogHolder catalogs(World().catalog());
  const CountryLookup countries = [](geo::LatLon p) {
    const std::string c = World().CountryAt(p);
    return c.empty() ? WorldWithoutB().CountryAt(p) : c;
  };
  LiveFlywayOptions options;
  options.coalesce = std::chrono::milliseconds(10);
  LiveFlyway live(
      source, [&] { return catalogs.Get(); }, countries, options);
  const std::int32_t a = World().Site('A'), b = World().Site('B'), c = World().Site('C');

  // Bird 1: A 0..48 h, B 56..80 h, no fix for 80 h, B 160..184 h: two
  // stopovers at B cut by the gap (no transition between them).
  TrackBuilder bird1 = TrackBuilder(World(), kT0);
  bird1.Stay('A', 48).Fly('B', 8).Stay('B', 24).Gap(80).Stay('B', 24);
  source.Add(kBird1, bird1.points());

  EXPECT_EQ(live.Snapshot()->version(), 0u);
  EXPECT_TRUE(live.Snapshot()->individuals().empty());
  const absl::StatusOr<RebuildStats> stats = live.Rebuild();
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->individuals, 1u);
  EXPECT_EQ(stats->fixes, bird1.points().size());
  std::shared_ptr<const FlywaySnapshot> s1 = live.Snapshot();
  EXPECT_EQ(s1->version(), 1u);
  ASSERT_EQ(s1->individuals().size(), 1u);
  EXPECT_EQ(s1->individuals()[0]->segmentation.stopovers.size(), 3u);
  EXPECT_THAT(LinkPairs(*s1), ElementsAre(P{a, b}));

  live.Start();

  // Late fixes fill the gap (B every 4 h, 84..156 h): one visit of B,
  // 56..184 h; still the one link.
  const TrackBuilder gap_fill = TrackBuilder(World(), kT0 + Hours(84)).Stay('B', 72, 4);
  source.Add(kBird1, gap_fill.points());
  live.NoteFixes(1, kT0 + Hours(84), kT0 + Hours(156));
  ASSERT_TRUE(live.WaitUntilCurrent(kWait));
  std::shared_ptr<const FlywaySnapshot> s2 = live.Snapshot();
  EXPECT_EQ(s2->version(), 2u);
  ASSERT_EQ(s2->individuals()[0]->segmentation.stopovers.size(), 2u);
  EXPECT_EQ(s2->individuals()[0]->segmentation.stopovers[1].arrival_ms, kT0 + Hours(56));
  EXPECT_EQ(s2->individuals()[0]->segmentation.stopovers[1].departure_ms, kT0 + Hours(184));
  EXPECT_THAT(LinkPairs(*s2), ElementsAre(P{a, b}));
  ExpectSegmentedLikeFullRuns(*s2, source, *World().catalog());
  // The earlier snapshot is untouched.
  EXPECT_EQ(s1->individuals()[0]->segmentation.stopovers.size(), 3u);

  // Bird 1 flies on to C (arrives 192 h): B -> C joins.
  const std::size_t before = bird1.points().size();
  bird1.Fly('C', 8).Stay('C', 48);
  const std::vector<TrackPoint> onward(bird1.points().begin() + static_cast<std::ptrdiff_t>(before),
                                       bird1.points().end());
  source.Add(kBird1, onward);
  live.NoteFixes(1, onward.front().t_ms, onward.back().t_ms);
  ASSERT_TRUE(live.WaitUntilCurrent(kWait));
  std::shared_ptr<const FlywaySnapshot> s3 = live.Snapshot();
  EXPECT_EQ(s3->version(), 3u);
  EXPECT_THAT(LinkPairs(*s3), ElementsAre(P{a, b}, P{b, c}));

  // A second bird, A -> C directly (15 h, passing north of nothing but
  // open cells): A's departures split between B and C.
  const TrackBuilder bird2 =
      TrackBuilder(World(), kT0 + Hours(300)).Stay('A', 48).Fly('C', 15).Stay('C', 48);
  source.Add(kBird2, bird2.points());
  live.NoteFixes(2, bird2.points().front().t_ms, bird2.points().back().t_ms);
  ASSERT_TRUE(live.WaitUntilCurrent(kWait));
  std::shared_ptr<const FlywaySnapshot> s4 = live.Snapshot();
  EXPECT_EQ(s4->version(), 4u);
  EXPECT_THAT(LinkPairs(*s4), ElementsAre(P{a, b}, P{a, c}, P{b, c}));
  const std::vector<Link> links4 = AggregateLinks(*s4, Select(*s4, SeasonTable(), {}));
  EXPECT_DOUBLE_EQ(links4[0].probability, 0.5);
  ExpectSegmentedLikeFullRuns(*s4, source, *World().catalog());
  EXPECT_EQ(live.LastError(), "");

  // Other parameters on demand: with min_stay 72 h only bird 1's B visit
  // (128 h) is a stopover, so no transition; only white-naped cranes: one
  // individual. The live snapshot is not touched.
  SegmentationParams strict;
  strict.min_stay_ms = Hours(72);
  const auto strict_snapshot = live.ComputeWith(strict, nullptr);
  ASSERT_TRUE(strict_snapshot.ok()) << strict_snapshot.status();
  EXPECT_EQ((*strict_snapshot)->version(), 0u);
  EXPECT_EQ((*strict_snapshot)->params(), strict);
  EXPECT_EQ((*strict_snapshot)->individuals().size(), 2u);
  EXPECT_EQ((*strict_snapshot)->individuals()[0]->segmentation.stopovers.size(), 1u);
  EXPECT_TRUE((*strict_snapshot)->transitions().empty());
  const auto wnc = live.ComputeWith(
      {}, [](const IndividualInfo& info) { return info.species_id == kWhiteNapedCrane; });
  ASSERT_TRUE(wnc.ok());
  ASSERT_EQ((*wnc)->individuals().size(), 1u);
  EXPECT_EQ((*wnc)->individuals()[0]->info.number, 2u);
  SegmentationParams invalid;
  invalid.max_diameter_m = 1;
  EXPECT_EQ(live.ComputeWith(invalid, nullptr).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(live.Snapshot(), s4);
  EXPECT_EQ(live.Snapshot()->params(), SegmentationParams{});

  // The catalog changes (B withdrawn): the next update rebuilds
  // everything, bird 1 too although only bird 2 got fixes. B's stopover is
  // a stay at a discovered candidate now, and C's node is 1.
  catalogs.Set(WorldWithoutB().catalog());
  live.NoteFixes(2, bird2.points().back().t_ms, bird2.points().back().t_ms);
  ASSERT_TRUE(live.WaitUntilCurrent(kWait));
  std::shared_ptr<const FlywaySnapshot> s5 = live.Snapshot();
  EXPECT_EQ(s5->version(), 5u);
  EXPECT_EQ(s5->catalog_ptr(), WorldWithoutB().catalog());
  ASSERT_EQ(s5->nodes().size(), 3u);  // A, C, the candidate at b
  const std::int32_t a2 = WorldWithoutB().Site('A'), c2 = WorldWithoutB().Site('C'), b2 = 2;
  EXPECT_EQ(c2, 1);
  EXPECT_FALSE(s5->nodes()[2].catalogued());
  EXPECT_EQ(s5->nodes()[2].country, "KP");
  const TrackSegmentation& seg1 = s5->individuals()[0]->segmentation;
  ASSERT_EQ(seg1.stopovers.size(), 3u);
  EXPECT_EQ(seg1.stopovers[1].site, kNoSite);
  EXPECT_EQ(seg1.stopovers[2].site, c2);
  EXPECT_THAT(LinkPairs(*s5), ElementsAre(P{a2, c2}, P{a2, b2}, P{b2, c2}));
  ExpectSegmentedLikeFullRuns(*s5, source, *WorldWithoutB().catalog());

  live.Stop();
  live.Stop();  // idempotent
  // With the worker stopped, a change is never applied.
  live.NoteFixes(2, kT0, kT0);
  EXPECT_FALSE(live.WaitUntilCurrent(std::chrono::milliseconds(100)));
  EXPECT_EQ(live.Snapshot()->version(), 5u);
}

TEST(LiveFlywayTest, StorageErrorsAreRetried) {
  MemoryTrackSource source;
  LiveFlywayOptions options;
  options.coalesce = std::chrono::milliseconds(5);
  LiveFlyway live(
      source, [] { return World().catalog(); }, World().Countries(), options);
  const TrackBuilder bird1 = TrackBuilder(World(), kT0).Stay('A', 48).Fly('B', 8).Stay('B', 48);
  source.Add(kBird1, bird1.points());
  ASSERT_TRUE(live.Rebuild().ok());
  live.Start();

  source.FailReads(true);
  const TrackBuilder bird2 = TrackBuilder(World(), kT0).Stay('C', 48);
  source.Add(kBird2, bird2.points());
  live.NoteFixes(2, kT0, kT0 + Hours(48));
  EXPECT_FALSE(live.WaitUntilCurrent(std::chrono::milliseconds(300)));
  EXPECT_THAT(live.LastError(), HasSubstr("disk on fire"));
  EXPECT_EQ(live.Snapshot()->version(), 1u);
  EXPECT_EQ(live.Rebuild().status().code(), absl::StatusCode::kUnavailable);

  // Storage is back: the kept change is applied on the next try (within
  // about a second).
  source.FailReads(false);
  ASSERT_TRUE(live.WaitUntilCurrent(std::chrono::seconds(5)));
  EXPECT_EQ(live.LastError(), "");
  EXPECT_EQ(live.Snapshot()->individuals().size(), 2u);
  EXPECT_GT(live.Snapshot()->version(), 1u);
}

}  // namespace
}  // namespace wetlink::graph
