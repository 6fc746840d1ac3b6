#include "store/fix_store.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/database.h"
#include "store/fix_chunk.h"
#include "store/fix_codec.h"
#include "telemetry/timestamp.h"

namespace wetlink::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

constexpr telemetry::TimestampMs kMinTime = std::numeric_limits<telemetry::TimestampMs>::min();
constexpr telemetry::TimestampMs kMaxTime = std::numeric_limits<telemetry::TimestampMs>::max();
constexpr telemetry::TimestampMs kHour = 3'600'000;
constexpr telemetry::TimestampMs kT0 = 1'717'200'000'000;  // 2024-06-01T00:00:00Z

// A fix whose measurements follow from its key, so a re-send of the same
// (individual, time, tag) is the same measurement unless a test changes it.
StoredFix MakeFix(std::uint32_t individual, telemetry::TimestampMs t, std::uint32_t tag = 1) {
  StoredFix f;
  f.individual = individual;
  f.tag = tag;
  f.timestamp_ms = t;
  f.lat = 30.0 + static_cast<double>(t % 1'000'003) * 1e-7 + individual * 0.01;
  f.lon = 130.0 + static_cast<double>(t % 999'983) * 1e-7 + tag * 0.001;
  f.height_m = 12.5;
  f.satellites = 9;
  f.site_id = "izumi";
  return f;
}

using FixId = std::tuple<std::uint32_t, telemetry::TimestampMs, std::uint32_t>;
FixId IdOf(const StoredFix& f) { return {f.individual, f.timestamp_ms, f.tag}; }

std::vector<FixToCommit> Batch(const std::vector<StoredFix>& fixes) {
  std::vector<FixToCommit> batch;
  for (std::size_t i = 0; i < fixes.size(); ++i) {
    batch.push_back(FixToCommit{.fix = fixes[i], .index = static_cast<std::uint32_t>(i)});
  }
  return batch;
}

std::vector<std::uint32_t> ConflictIndices(const CommitReport& r) {
  std::vector<std::uint32_t> out;
  for (const auto& [index, message] : r.conflicts) out.push_back(index);
  std::sort(out.begin(), out.end());
  return out;
}

class FixStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    path_ = (std::filesystem::path(::testing::TempDir()) /
             ("wetlink_fix_store_test_" + std::to_string(rd()) + "_" + std::to_string(rd())))
                .string();
    options_.sync_writes = false;  // a temp dir needs no fsync
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }

  // Closes the store and the database (if open) and opens both again.
  void Reopen() {
    store_.reset();
    db_.reset();
    auto db = Database::Open(path_, options_);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    auto store = FixStore::Open(*db_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  CommitReport Commit(const std::vector<StoredFix>& fixes) {
    std::vector<FixToCommit> batch = Batch(fixes);
    auto report = store_->Commit(batch);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : CommitReport{};
  }

  std::vector<StoredFix> Track(std::uint32_t individual, telemetry::TimestampMs from = kMinTime,
                               telemetry::TimestampMs to = kMaxTime) const {
    std::vector<StoredFix> out;
    absl::Status st = store_->ScanTrack(individual, from, to, [&](const StoredFix& f) {
      out.push_back(f);
      return true;
    });
    EXPECT_TRUE(st.ok()) << st;
    return out;
  }

  std::optional<StoredFix> Stored(std::uint32_t individual, telemetry::TimestampMs t,
                                  std::uint32_t tag = 1) const {
    std::optional<StoredFix> found;
    absl::Status st = store_->ScanTrack(individual, t, t + 1, [&](const StoredFix& f) {
      if (f.tag == tag) found = f;
      return true;
    });
    EXPECT_TRUE(st.ok()) << st;
    return found;
  }

  // Commits of fresh fixes mixed with re-sends, checked against a model of
  // the contract (below).
  void RunRandomized(bool in_order);

  std::string path_;
  DatabaseOptions options_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<FixStore> store_;
};

TrackStats Stats(std::uint64_t count, telemetry::TimestampMs first, telemetry::TimestampMs last) {
  return TrackStats{.fix_count = count, .first_ms = first, .last_ms = last};
}

std::vector<StoredFix> FiveFixes(std::uint32_t individual = 1) {
  std::vector<StoredFix> fixes;
  for (int i = 0; i < 5; ++i) fixes.push_back(MakeFix(individual, kT0 + i * kHour));
  return fixes;
}

TEST_F(FixStoreTest, EmptyStoreHasNoStatsAndNoTrack) {
  EXPECT_EQ(store_->Stats(1), std::nullopt);
  EXPECT_THAT(store_->AllStats(), IsEmpty());
  EXPECT_THAT(Track(1), IsEmpty());
  std::vector<FixToCommit> none;
  auto report = store_->Commit(none);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->accepted + report->duplicates + report->updated, 0u);
  EXPECT_THAT(report->conflicts, IsEmpty());
}

TEST_F(FixStoreTest, NewFixesAreAcceptedAndReadBack) {
  const std::vector<StoredFix> fixes = FiveFixes();
  const CommitReport r = Commit(fixes);
  EXPECT_EQ(r.accepted, 5u);
  EXPECT_EQ(r.duplicates, 0u);
  EXPECT_EQ(r.updated, 0u);
  EXPECT_THAT(r.conflicts, IsEmpty());
  EXPECT_EQ(Track(1), fixes);
  EXPECT_EQ(store_->Stats(1), Stats(5, kT0, kT0 + 4 * kHour));
  EXPECT_THAT(store_->AllStats(), ElementsAre(Pair(1u, Stats(5, kT0, kT0 + 4 * kHour))));
}

TEST_F(FixStoreTest, SameFixesAgainAreDuplicatesAndNothingIsRewritten) {
  const std::vector<StoredFix> fixes = FiveFixes();
  ASSERT_EQ(Commit(fixes).accepted, 5u);

  // The re-send names another site: were anything rewritten, the stored
  // site would change.
  std::vector<StoredFix> again = fixes;
  for (StoredFix& f : again) f.site_id = "somewhere_else";
  const CommitReport r = Commit(again);
  EXPECT_EQ(r.accepted, 0u);
  EXPECT_EQ(r.duplicates, 5u);
  EXPECT_EQ(r.updated, 0u);
  EXPECT_THAT(r.conflicts, IsEmpty());
  EXPECT_EQ(Track(1), fixes);
  EXPECT_EQ(store_->Stats(1), Stats(5, kT0, kT0 + 4 * kHour));

  // Also after reopening (the duplicate check then reads from disk).
  Reopen();
  EXPECT_EQ(Commit(again).duplicates, 5u);
  EXPECT_EQ(Track(1), fixes);
  EXPECT_EQ(store_->Stats(1), Stats(5, kT0, kT0 + 4 * kHour));
}

TEST_F(FixStoreTest, OtherFlagsUpdateTheFlagsAndKeepTheSite) {
  ASSERT_EQ(Commit(FiveFixes()).accepted, 5u);
  StoredFix flagged = MakeFix(1, kT0 + 2 * kHour);
  flagged.visible = false;
  flagged.manually_marked_outlier = true;
  flagged.site_id = "not_the_stored_site";
  const CommitReport r = Commit({flagged});
  EXPECT_EQ(r.accepted, 0u);
  EXPECT_EQ(r.duplicates, 0u);
  EXPECT_EQ(r.updated, 1u);
  EXPECT_THAT(r.conflicts, IsEmpty());

  auto stored = Stored(1, kT0 + 2 * kHour);
  ASSERT_TRUE(stored.has_value());
  EXPECT_FALSE(stored->visible);
  EXPECT_EQ(stored->manually_marked_outlier, true);
  EXPECT_EQ(stored->manually_marked_valid, std::nullopt);
  EXPECT_EQ(stored->site_id, "izumi");  // the site it was assigned first
  EXPECT_TRUE(stored->SameMeasurement(MakeFix(1, kT0 + 2 * kHour)));
  EXPECT_EQ(store_->Stats(1), Stats(5, kT0, kT0 + 4 * kHour));  // not a new fix

  // Sending the new flags again is a duplicate; sending the old flags back
  // is another update.
  EXPECT_EQ(Commit({flagged}).duplicates, 1u);
  EXPECT_EQ(Commit({MakeFix(1, kT0 + 2 * kHour)}).updated, 1u);
  stored = Stored(1, kT0 + 2 * kHour);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(*stored, MakeFix(1, kT0 + 2 * kHour));
}

TEST_F(FixStoreTest, OtherMeasurementIsAConflictAndTheStoredFixIsKept) {
  const std::vector<StoredFix> fixes = FiveFixes();
  ASSERT_EQ(Commit(fixes).accepted, 5u);
  StoredFix moved = fixes[3];
  moved.lat += 0.001;
  StoredFix fresh = MakeFix(1, kT0 + 10 * kHour);
  const CommitReport r = Commit({fresh, moved, fixes[0]});
  EXPECT_EQ(r.accepted, 1u);
  EXPECT_EQ(r.duplicates, 1u);
  EXPECT_EQ(r.updated, 0u);
  ASSERT_EQ(r.conflicts.size(), 1u);
  EXPECT_EQ(r.conflicts[0].first, 1u);  // index in the request
  EXPECT_THAT(r.conflicts[0].second, HasSubstr("already stored"));
  EXPECT_EQ(Stored(1, fixes[3].timestamp_ms), fixes[3]);
  EXPECT_EQ(store_->Stats(1), Stats(6, kT0, kT0 + 10 * kHour));

  // A conflict on its own writes nothing at all.
  StoredFix other_sats = fixes[4];
  other_sats.satellites = 3;
  other_sats.visible = false;  // other flags do not turn a conflict into an update
  const CommitReport r2 = Commit({other_sats});
  EXPECT_EQ(r2.accepted + r2.duplicates + r2.updated, 0u);
  EXPECT_THAT(ConflictIndices(r2), ElementsAre(0u));
  EXPECT_EQ(Stored(1, fixes[4].timestamp_ms), fixes[4]);
}

TEST_F(FixStoreTest, IdenticalRepeatWithinOneBatchIsADuplicate) {
  const StoredFix a = MakeFix(1, kT0);
  const StoredFix b = MakeFix(1, kT0 + kHour);
  const CommitReport r = Commit({a, b, a, a});
  EXPECT_EQ(r.accepted, 2u);
  EXPECT_EQ(r.duplicates, 2u);
  EXPECT_THAT(r.conflicts, IsEmpty());
  EXPECT_EQ(Track(1), (std::vector<StoredFix>{a, b}));
  EXPECT_EQ(store_->Stats(1), Stats(2, kT0, kT0 + kHour));
}

TEST_F(FixStoreTest, OtherMeasurementWithinOneBatchIsAConflict) {
  const StoredFix a = MakeFix(1, kT0);
  StoredFix a2 = a;
  a2.hdop = 2.5;
  const CommitReport r = Commit({a, a2});
  EXPECT_EQ(r.accepted, 1u);
  EXPECT_EQ(r.duplicates, 0u);
  EXPECT_THAT(ConflictIndices(r), ElementsAre(1u));
  EXPECT_EQ(Stored(1, kT0), a);  // the first of the batch is kept
  EXPECT_EQ(store_->Stats(1), Stats(1, kT0, kT0));
}

TEST_F(FixStoreTest, LaterFlagsWithinOneBatchWin) {
  StoredFix first = MakeFix(1, kT0);
  StoredFix second = first;
  second.visible = false;
  second.site_id = "other_site";
  StoredFix third = first;
  third.manually_marked_valid = true;
  third.site_id = "third_site";
  const CommitReport r = Commit({first, second, third});
  EXPECT_EQ(r.accepted, 1u);
  EXPECT_EQ(r.updated, 2u);  // each later version changes the flags
  EXPECT_EQ(r.duplicates, 0u);
  EXPECT_THAT(r.conflicts, IsEmpty());
  auto stored = Stored(1, kT0);
  ASSERT_TRUE(stored.has_value());
  EXPECT_TRUE(stored->visible);  // the last one's flags, all of them
  EXPECT_EQ(stored->manually_marked_valid, true);
  EXPECT_EQ(stored->site_id, "izumi");  // the first one's site
  EXPECT_EQ(store_->Stats(1), Stats(1, kT0, kT0));
}

TEST_F(FixStoreTest, LaterFlagsWithinOneBatchAgainstAStoredFix) {
  const StoredFix stored_fix = MakeFix(1, kT0);
  ASSERT_EQ(Commit({stored_fix, MakeFix(1, kT0 + kHour)}).accepted, 2u);
  StoredFix hidden = stored_fix;
  hidden.visible = false;
  // Stored visible; the batch ends on "hidden": an update.
  CommitReport r = Commit({stored_fix, hidden});
  EXPECT_EQ(r.updated, 1u);
  EXPECT_EQ(r.duplicates, 1u);
  EXPECT_EQ(r.accepted, 0u);
  EXPECT_FALSE(Stored(1, kT0)->visible);
  // Stored hidden; the batch shows it visible, then hidden again: two
  // changes of the flags, judged in the order sent.
  r = Commit({stored_fix, hidden});
  EXPECT_EQ(r.updated, 2u);
  EXPECT_EQ(r.duplicates, 0u);
  EXPECT_FALSE(Stored(1, kT0)->visible);
  EXPECT_EQ(store_->Stats(1), Stats(2, kT0, kT0 + kHour));
}

TEST_F(FixStoreTest, LateFixIsAcceptedAsNew) {
  ASSERT_EQ(Commit({MakeFix(1, kT0), MakeFix(1, kT0 + 2 * kHour), MakeFix(1, kT0 + 4 * kHour)})
                .accepted,
            3u);
  // Earlier than the last stored fix: goes through the lookup, is new.
  CommitReport r = Commit({MakeFix(1, kT0 + kHour)});
  EXPECT_EQ(r.accepted, 1u);
  EXPECT_EQ(r.duplicates, 0u);
  EXPECT_EQ(store_->Stats(1), Stats(4, kT0, kT0 + 4 * kHour));
  // Earlier than the first: the first moves back.
  r = Commit({MakeFix(1, kT0 - kHour)});
  EXPECT_EQ(r.accepted, 1u);
  EXPECT_EQ(store_->Stats(1), Stats(5, kT0 - kHour, kT0 + 4 * kHour));
  // Late, a duplicate and a new last one mixed.
  r = Commit({MakeFix(1, kT0 + 3 * kHour), MakeFix(1, kT0 + 2 * kHour), MakeFix(1, kT0 + 9 * kHour)});
  EXPECT_EQ(r.accepted, 2u);
  EXPECT_EQ(r.duplicates, 1u);
  EXPECT_EQ(store_->Stats(1), Stats(7, kT0 - kHour, kT0 + 9 * kHour));
  std::vector<telemetry::TimestampMs> times;
  for (const StoredFix& f : Track(1)) times.push_back(f.timestamp_ms);
  EXPECT_THAT(times, ElementsAre(kT0 - kHour, kT0, kT0 + kHour, kT0 + 2 * kHour, kT0 + 3 * kHour,
                                 kT0 + 4 * kHour, kT0 + 9 * kHour));
}

TEST_F(FixStoreTest, FixAtTheLastStoredTimeOnAnotherTagIsNew) {
  ASSERT_EQ(Commit({MakeFix(1, kT0, 1)}).accepted, 1u);
  // Same individual and time as the last fix, another tag: the lookup
  // path (time <= last) finds nothing and accepts it.
  const CommitReport r = Commit({MakeFix(1, kT0, 2)});
  EXPECT_EQ(r.accepted, 1u);
  EXPECT_EQ(store_->Stats(1), Stats(2, kT0, kT0));
}

TEST_F(FixStoreTest, OutOfOrderBatch) {
  std::vector<StoredFix> fixes;
  for (int i : {5, 1, 9, 3, 0, 7, 2, 8, 6, 4}) fixes.push_back(MakeFix(1, kT0 + i * kHour));
  fixes.push_back(MakeFix(2, kT0 - 5 * kHour));
  fixes.push_back(MakeFix(2, kT0 - 7 * kHour));
  const CommitReport r = Commit(fixes);
  EXPECT_EQ(r.accepted, 12u);
  const std::vector<StoredFix> track = Track(1);
  ASSERT_EQ(track.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(track[i], MakeFix(1, kT0 + i * kHour)) << i;
  EXPECT_EQ(store_->Stats(1), Stats(10, kT0, kT0 + 9 * kHour));
  EXPECT_EQ(store_->Stats(2), Stats(2, kT0 - 7 * kHour, kT0 - 5 * kHour));
}

TEST_F(FixStoreTest, TwoTagsOnOneIndividualAtOneTimeAreTwoFixes) {
  const StoredFix on_tag_1 = MakeFix(1, kT0, 1);
  const StoredFix on_tag_2 = MakeFix(1, kT0, 2);
  ASSERT_FALSE(on_tag_1.SameMeasurement(on_tag_2));
  const CommitReport r = Commit({on_tag_2, on_tag_1});
  EXPECT_EQ(r.accepted, 2u);
  EXPECT_THAT(r.conflicts, IsEmpty());
  EXPECT_EQ(Track(1), (std::vector<StoredFix>{on_tag_1, on_tag_2}));  // then by tag
  EXPECT_EQ(store_->Stats(1), Stats(2, kT0, kT0));
}

TEST_F(FixStoreTest, TimesBeforeNineteenSeventy) {
  const telemetry::TimestampMs t1969 = -86'400'000;
  const std::vector<StoredFix> fixes = {MakeFix(1, t1969), MakeFix(1, -1), MakeFix(1, 0),
                                        MakeFix(1, 1)};
  ASSERT_EQ(Commit({fixes[2], fixes[0], fixes[3], fixes[1]}).accepted, 4u);
  EXPECT_EQ(Track(1), fixes);
  EXPECT_EQ(store_->Stats(1), Stats(4, t1969, 1));
  EXPECT_EQ(Track(1, kMinTime, 0), (std::vector<StoredFix>{fixes[0], fixes[1]}));
  // A late fix before all of them.
  ASSERT_EQ(Commit({MakeFix(1, t1969 - 1)}).accepted, 1u);
  EXPECT_EQ(store_->Stats(1), Stats(5, t1969 - 1, 1));
  Reopen();
  EXPECT_EQ(store_->Stats(1), Stats(5, t1969 - 1, 1));
}

TEST_F(FixStoreTest, StatsAfterEachStepAndAfterReopen) {
  ASSERT_EQ(Commit(FiveFixes(1)).accepted, 5u);
  ASSERT_EQ(Commit({MakeFix(2, kT0 + kHour)}).accepted, 1u);
  EXPECT_EQ(store_->Stats(1), Stats(5, kT0, kT0 + 4 * kHour));
  EXPECT_EQ(store_->Stats(2), Stats(1, kT0 + kHour, kT0 + kHour));
  EXPECT_EQ(store_->Stats(3), std::nullopt);

  Reopen();
  EXPECT_THAT(store_->AllStats(),
              ElementsAre(Pair(1u, Stats(5, kT0, kT0 + 4 * kHour)),
                          Pair(2u, Stats(1, kT0 + kHour, kT0 + kHour))));
  // After the reload, the "later than last" shortcut and the lookups still
  // tell new from stored.
  const CommitReport r = Commit({MakeFix(1, kT0 + 4 * kHour), MakeFix(1, kT0 + 5 * kHour),
                                 MakeFix(2, kT0), MakeFix(2, kT0 + kHour)});
  EXPECT_EQ(r.accepted, 2u);
  EXPECT_EQ(r.duplicates, 2u);
  EXPECT_EQ(store_->Stats(1), Stats(6, kT0, kT0 + 5 * kHour));
  EXPECT_EQ(store_->Stats(2), Stats(2, kT0, kT0 + kHour));

  // Updates and conflicts leave the statistics alone.
  StoredFix flagged = MakeFix(1, kT0);
  flagged.visible = false;
  StoredFix moved = MakeFix(2, kT0);
  moved.lon += 1;
  const CommitReport r2 = Commit({flagged, moved});
  EXPECT_EQ(r2.updated, 1u);
  EXPECT_EQ(r2.conflicts.size(), 1u);
  Reopen();
  EXPECT_EQ(store_->Stats(1), Stats(6, kT0, kT0 + 5 * kHour));
  EXPECT_EQ(store_->Stats(2), Stats(2, kT0, kT0 + kHour));
  EXPECT_FALSE(Stored(1, kT0)->visible);
}

TEST_F(FixStoreTest, ScanTrackIsHalfOpenInTimeOrder) {
  std::vector<StoredFix> fixes;
  for (int i = 9; i >= 0; --i) fixes.push_back(MakeFix(1, kT0 + i * kHour, 1));
  fixes.push_back(MakeFix(1, kT0 + 3 * kHour, 2));  // second tag at 3 h
  fixes.push_back(MakeFix(1, kT0 + 6 * kHour, 2));  // and at 6 h
  ASSERT_EQ(Commit(fixes).accepted, 12u);

  auto ids = [&](telemetry::TimestampMs from, telemetry::TimestampMs to) {
    std::vector<std::pair<int, std::uint32_t>> out;  // (hour, tag)
    for (const StoredFix& f : Track(1, from, to)) {
      out.emplace_back(static_cast<int>((f.timestamp_ms - kT0) / kHour), f.tag);
    }
    return out;
  };
  using P = std::pair<int, std::uint32_t>;
  // [3 h, 6 h): both tags at 3 h, nothing at 6 h.
  EXPECT_THAT(ids(kT0 + 3 * kHour, kT0 + 6 * kHour),
              ElementsAre(P(3, 1), P(3, 2), P(4, 1), P(5, 1)));
  // One millisecond windows.
  EXPECT_THAT(ids(kT0 + 6 * kHour, kT0 + 6 * kHour + 1), ElementsAre(P(6, 1), P(6, 2)));
  EXPECT_THAT(ids(kT0 + 6 * kHour + 1, kT0 + 7 * kHour), IsEmpty());
  // Empty and inverted ranges.
  EXPECT_THAT(ids(kT0 + 5 * kHour, kT0 + 5 * kHour), IsEmpty());
  EXPECT_THAT(ids(kT0 + 5 * kHour, kT0 + 2 * kHour), IsEmpty());
  // Everything.
  EXPECT_EQ(ids(kMinTime, kMaxTime).size(), 12u);
  EXPECT_EQ(ids(kT0, kT0 + 9 * kHour + 1).size(), 12u);
  EXPECT_EQ(ids(kT0, kT0 + 9 * kHour).size(), 11u);
}

TEST_F(FixStoreTest, ScanTrackStopsWhenVisitReturnsFalse) {
  ASSERT_EQ(Commit(FiveFixes()).accepted, 5u);
  int visited = 0;
  absl::Status st = store_->ScanTrack(1, kMinTime, kMaxTime, [&](const StoredFix& f) {
    EXPECT_EQ(f.timestamp_ms, kT0 + visited * kHour);
    return ++visited < 2;
  });
  EXPECT_TRUE(st.ok()) << st;
  EXPECT_EQ(visited, 2);
}

TEST_F(FixStoreTest, TracksAcrossDaysAndWindowsAtDayEdges) {
  constexpr telemetry::TimestampMs kDay = 24 * kHour;
  // Every 6 hours for 4 days, from 1969-12-30 (days -2 .. 1), sent newest
  // first in two batches: chunks are read back, merged and rewritten.
  std::vector<StoredFix> all;
  for (int i = 0; i < 16; ++i) all.push_back(MakeFix(4, -2 * kDay + i * 6 * kHour));
  std::vector<StoredFix> later(all.begin() + 7, all.end());
  std::vector<StoredFix> earlier(all.begin(), all.begin() + 9);  // overlaps by 2
  EXPECT_EQ(Commit(later).accepted, 9u);
  const CommitReport r = Commit(earlier);
  EXPECT_EQ(r.accepted, 7u);
  EXPECT_EQ(r.duplicates, 2u);
  EXPECT_EQ(Track(4), all);
  EXPECT_EQ(Track(4, -kDay, kDay), std::vector<StoredFix>(all.begin() + 4, all.begin() + 12));
  EXPECT_EQ(Track(4, -kDay + 1, 0), std::vector<StoredFix>(all.begin() + 5, all.begin() + 8));
  EXPECT_EQ(store_->Stats(4), Stats(16, -2 * kDay, -2 * kDay + 15 * 6 * kHour));
  Reopen();
  EXPECT_EQ(Track(4), all);
}

TEST_F(FixStoreTest, ScanTrackSeesNoOtherIndividual) {
  // Neighbours in key space: 0, 1, 2, 256 and the largest number.
  for (std::uint32_t individual : {0u, 1u, 2u, 256u, 0xFFFFFFFFu}) {
    ASSERT_EQ(Commit({MakeFix(individual, kMinTime + 1), MakeFix(individual, kT0),
                      MakeFix(individual, kMaxTime - 1)})
                  .accepted,
              3u);
  }
  for (std::uint32_t individual : {0u, 1u, 2u, 256u, 0xFFFFFFFFu}) {
    const std::vector<StoredFix> track = Track(individual);
    ASSERT_EQ(track.size(), 3u) << individual;
    for (const StoredFix& f : track) EXPECT_EQ(f.individual, individual);
  }
  EXPECT_THAT(Track(3), IsEmpty());
  EXPECT_THAT(Track(255), IsEmpty());
}

TEST_F(FixStoreTest, InOrderUploadsAppendAndReadBackExactly) {
  // Batches that continue a day's chunk (appended to as stored), with a
  // second tag at the last stored time (the chunk is decoded and merged),
  // re-sends of the last stored fix and new flags for it.
  std::vector<StoredFix> all;
  for (int b = 0; b < 10; ++b) {
    std::vector<StoredFix> batch;
    for (int i = 0; i < 7; ++i) batch.push_back(MakeFix(4, kT0 + (b * 7 + i) * 600'000));
    if (b % 3 == 1) batch.push_back(MakeFix(4, all.back().timestamp_ms, 2));  // same time, tag 2
    if (b % 3 == 2) batch.push_back(all.back());                              // a re-send
    if (b == 5) {
      StoredFix flagged = all.back();
      flagged.visible = false;
      batch.push_back(flagged);
    }
    const CommitReport r = Commit(batch);
    EXPECT_EQ(r.accepted, b % 3 == 1 ? 8u : 7u) << b;
    EXPECT_EQ(r.duplicates, b % 3 == 2 ? 1u : 0u) << b;
    EXPECT_EQ(r.updated, b == 5 ? 1u : 0u) << b;
    for (const StoredFix& f : batch) {
      auto same = std::find_if(all.begin(), all.end(),
                               [&](const StoredFix& g) { return IdOf(g) == IdOf(f); });
      if (same == all.end()) {
        all.push_back(f);
      } else {
        same->visible = f.visible;
      }
    }
    std::sort(all.begin(), all.end(),
              [](const StoredFix& a, const StoredFix& c) { return IdOf(a) < IdOf(c); });
    ASSERT_EQ(Track(4), all) << "after batch " << b;
    if (b == 4) Reopen();
  }
  // 70 ten-minute fixes span two days: two chunks.
  EXPECT_EQ(store_->Stats(4)->fix_count, all.size());
}

TEST_F(FixStoreTest, ConcurrentDurableCommitsAreAllStoredOnce) {
  // Commits from several threads, with fsync'd writes: each is written in
  // turn and answered once a sync covers it (its own or another's). Two
  // threads share each individual, so commits build on each other's
  // writes before those are durable.
  options_.sync_writes = true;
  Reopen();
  constexpr int kThreads = 4;
  constexpr int kBatches = 25;
  constexpr int kPerBatch = 40;
  std::vector<std::thread> threads;
  std::vector<std::uint64_t> accepted(kThreads, 0), duplicates(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::uint32_t individual = 1 + static_cast<std::uint32_t>(t / 2);
      const std::uint32_t tag = 1 + static_cast<std::uint32_t>(t % 2);
      for (int b = 0; b < kBatches; ++b) {
        std::vector<StoredFix> fixes;
        for (int i = 0; i < kPerBatch; ++i) {
          fixes.push_back(MakeFix(individual, kT0 + (b * kPerBatch + i) * 60'000, tag));
        }
        fixes.push_back(fixes.front());  // a repeat within the batch
        std::vector<FixToCommit> batch = Batch(fixes);
        auto report = store_->Commit(batch);
        ASSERT_TRUE(report.ok()) << report.status();
        accepted[t] += report->accepted;
        duplicates[t] += report->duplicates;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(accepted[t], static_cast<std::uint64_t>(kBatches * kPerBatch));
    EXPECT_EQ(duplicates[t], static_cast<std::uint64_t>(kBatches));
  }
  Reopen();
  for (std::uint32_t individual : {1u, 2u}) {
    const std::vector<StoredFix> track = Track(individual);
    ASSERT_EQ(track.size(), 2u * kBatches * kPerBatch);
    for (std::size_t i = 0; i < track.size(); ++i) {
      EXPECT_EQ(track[i], MakeFix(individual, kT0 + static_cast<std::int64_t>(i / 2) * 60'000,
                                  1 + static_cast<std::uint32_t>(i % 2)));
    }
    EXPECT_EQ(store_->Stats(individual)->fix_count, track.size());
  }
}

TEST_F(FixStoreTest, CorruptStoredChunkIsDataLossOnCommit) {
  Commit(FiveFixes(3));
  WriteBatch garble;
  garble.Put(ColumnFamily::kFixes, ChunkKey(3, kT0 / telemetry::kMsPerDay), "\x02\x05\x00\x11");
  ASSERT_TRUE(db_->Write(garble).ok());
  // In order (the stored chunk would be appended to) and out of order (it
  // would be decoded and merged): both refuse, naming the chunk.
  for (telemetry::TimestampMs t : {kT0 + 6 * kHour, kT0 + kHour / 2}) {
    std::vector<FixToCommit> batch = Batch({MakeFix(3, t)});
    auto report = store_->Commit(batch);
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(std::string(report.status().message()), HasSubstr("000000038000"));
  }
  EXPECT_EQ(store_->Stats(3)->fix_count, 5u);
}

// ---------------------------------------------------------------------------
// Randomized: many commits of shuffled fixes with re-sends, flag changes and
// conflicting re-sends, checked against a std::map model of the contract.

struct Model {
  std::map<FixId, StoredFix> stored;

  // The contract of FixStore::Commit for one batch, and the report it gives:
  // each fix, in the order sent, is judged against the version stored (or
  // about to be: the first of the batch).
  CommitReport Apply(const std::vector<StoredFix>& batch) {
    CommitReport report;
    // Occurrences of each key in request order.
    std::map<FixId, std::vector<std::size_t>> by_key;
    for (std::size_t i = 0; i < batch.size(); ++i) by_key[IdOf(batch[i])].push_back(i);
    for (const auto& [id, positions] : by_key) {
      for (std::size_t position : positions) {
        const StoredFix& f = batch[position];
        auto it = stored.find(id);
        if (it == stored.end()) {
          stored.emplace(id, f);
          ++report.accepted;
        } else if (!it->second.SameMeasurement(f)) {
          report.conflicts.emplace_back(static_cast<std::uint32_t>(position), "");
        } else if (it->second.SameFlags(f)) {
          ++report.duplicates;
        } else {
          it->second.visible = f.visible;
          it->second.manually_marked_outlier = f.manually_marked_outlier;
          it->second.manually_marked_valid = f.manually_marked_valid;
          ++report.updated;
        }
      }
    }
    return report;
  }

  std::map<std::uint32_t, TrackStats> AllStats() const {
    std::map<std::uint32_t, TrackStats> out;
    for (const auto& [id, f] : stored) {
      auto [it, inserted] = out.try_emplace(f.individual, Stats(0, f.timestamp_ms, f.timestamp_ms));
      ++it->second.fix_count;
      it->second.first_ms = std::min(it->second.first_ms, f.timestamp_ms);
      it->second.last_ms = std::max(it->second.last_ms, f.timestamp_ms);
    }
    return out;
  }
};

TEST_F(FixStoreTest, ScanPositionsReadsWhatScanTrackReads) {
  // Fixes with every combination of optional measurements and flags, so the
  // position decoder must skip each optional field by its width.
  std::vector<StoredFix> fixes;
  for (int i = 0; i < 64; ++i) {
    StoredFix f = MakeFix(1, kT0 + i * kHour / 2);
    f.height_m = (i & 1) ? std::optional<double>(5.5 * i) : std::nullopt;
    f.hdop = (i & 2) ? std::optional<double>(1.25) : std::nullopt;
    f.satellites = (i & 4) ? std::optional<int>(i % 13) : std::nullopt;
    f.ground_speed_mps = (i & 8) ? std::optional<double>(3.5) : std::nullopt;
    f.heading_deg = (i & 16) ? std::optional<double>(270.0) : std::nullopt;
    f.event_id = (i & 32) ? std::optional<std::int64_t>(1'000'000'007LL * i) : std::nullopt;
    f.visible = i % 3 != 0;
    f.manually_marked_outlier = i % 5 == 0 ? std::optional<bool>(i % 2 == 0) : std::nullopt;
    f.manually_marked_valid = i % 7 == 0 ? std::optional<bool>(true) : std::nullopt;
    f.site_id = i % 4 == 0 ? "" : (i % 4 == 1 ? "rason" : "khasansky_south");
    fixes.push_back(f);
  }
  Commit(fixes);
  const std::vector<StoredFix> full = Track(1, kT0 + 3 * kHour, kT0 + 29 * kHour);
  std::vector<FixPosition> positions;
  ASSERT_TRUE(store_
                  ->ScanPositions(1, kT0 + 3 * kHour, kT0 + 29 * kHour,
                                  [&](const FixPosition& p) {
                                    positions.push_back(p);
                                    return true;
                                  })
                  .ok());
  ASSERT_EQ(positions.size(), full.size());
  ASSERT_EQ(full.size(), 52u);  // half-hourly from 3 h to 29 h, end excluded
  for (std::size_t i = 0; i < full.size(); ++i) {
    EXPECT_EQ(positions[i].timestamp_ms, full[i].timestamp_ms);
    EXPECT_EQ(positions[i].tag, full[i].tag);
    EXPECT_EQ(positions[i].lat, full[i].lat);
    EXPECT_EQ(positions[i].lon, full[i].lon);
    EXPECT_EQ(positions[i].visible, full[i].visible);
    EXPECT_EQ(positions[i].manually_marked_outlier, full[i].manually_marked_outlier.value_or(false));
    EXPECT_EQ(positions[i].manually_marked_valid, full[i].manually_marked_valid.value_or(false));
    EXPECT_EQ(positions[i].site_id, full[i].site_id);
  }
  // Stops when asked.
  int seen = 0;
  ASSERT_TRUE(store_->ScanPositions(1, kMinTime, kMaxTime, [&](const FixPosition&) {
                      return ++seen < 3;
                    }).ok());
  EXPECT_EQ(seen, 3);
}

TEST_F(FixStoreTest, RandomizedAgainstAModel) { RunRandomized(/*in_order=*/false); }

// Fresh fixes in time order, as from tags uploading their logs: most
// chunks are then appended to without decoding them.
TEST_F(FixStoreTest, RandomizedInOrderAgainstAModel) { RunRandomized(/*in_order=*/true); }

void FixStoreTest::RunRandomized(bool in_order) {
  std::mt19937_64 rng(in_order ? 20261206 : 20240601);
  constexpr int kIndividuals = 6;
  constexpr int kKeys = 4000;
  constexpr int kCommits = 12;

  // The universe of keys: some individuals with pre-1970 times, two tags,
  // colliding times across tags.
  std::vector<FixId> universe;
  {
    std::set<FixId> unique;
    std::uniform_int_distribution<int> individual(1, kIndividuals);
    std::uniform_int_distribution<std::int64_t> minute(-2000, 20000);
    std::uniform_int_distribution<int> tag(1, 2);
    while (unique.size() < static_cast<std::size_t>(kKeys)) {
      const std::uint32_t ind = static_cast<std::uint32_t>(individual(rng));
      const std::int64_t base = ind % 3 == 0 ? -40'000'000'000 : kT0;
      unique.emplace(ind, base + minute(rng) * 60'000, static_cast<std::uint32_t>(tag(rng)));
    }
    universe.assign(unique.begin(), unique.end());
    if (in_order) {
      std::stable_sort(universe.begin(), universe.end(), [](const FixId& a, const FixId& b) {
        return std::get<1>(a) < std::get<1>(b);
      });
    } else {
      std::shuffle(universe.begin(), universe.end(), rng);
    }
  }
  auto canonical = [](const FixId& id) {
    return MakeFix(std::get<0>(id), std::get<1>(id), std::get<2>(id));
  };

  Model model;
  std::uniform_real_distribution<double> coin(0, 1);
  std::size_t sent_so_far = 0;
  std::uint64_t total_accepted = 0;
  std::uint64_t total_duplicates = 0, total_updated = 0, total_conflicts = 0;
  for (int c = 0; c < kCommits; ++c) {
    std::vector<StoredFix> batch;
    // A fresh slice of the universe (uploads move forward)...
    const std::size_t fresh = c + 1 == kCommits ? universe.size() - sent_so_far
                                                : std::min<std::size_t>(universe.size() - sent_so_far,
                                                                        250 + rng() % 300);
    for (std::size_t i = 0; i < fresh; ++i) batch.push_back(canonical(universe[sent_so_far + i]));
    // ...and re-sends of earlier and current keys, some with other flags,
    // sites or (rarely) other measurements.
    const std::size_t pool = sent_so_far + fresh;
    const std::size_t resends = 50 + rng() % 250;
    for (std::size_t i = 0; i < resends; ++i) {
      StoredFix f = canonical(universe[rng() % pool]);
      const double p = coin(rng);
      if (p < 0.25) {
        f.visible = rng() % 2 == 0;
        if (rng() % 2 == 0) f.manually_marked_outlier = rng() % 2 == 0;
        if (rng() % 3 == 0) f.manually_marked_valid = rng() % 2 == 0;
      } else if (p < 0.35) {
        f.lat += 1e-6;  // another measurement
      } else if (p < 0.45) {
        f.site_id = "resent_site";
      }
      batch.push_back(f);
    }
    sent_so_far = pool;
    std::shuffle(batch.begin(), batch.end(), rng);

    const CommitReport expected = model.Apply(batch);
    const CommitReport got = Commit(batch);
    EXPECT_EQ(got.accepted, expected.accepted) << "commit " << c;
    EXPECT_EQ(got.duplicates, expected.duplicates) << "commit " << c;
    EXPECT_EQ(got.updated, expected.updated) << "commit " << c;
    EXPECT_EQ(ConflictIndices(got), ConflictIndices(expected)) << "commit " << c;
    EXPECT_EQ(got.accepted + got.duplicates + got.updated + got.conflicts.size(), batch.size());
    total_accepted += got.accepted;
    total_duplicates += got.duplicates;
    total_updated += got.updated;
    total_conflicts += got.conflicts.size();
    EXPECT_EQ(store_->AllStats(), model.AllStats()) << "commit " << c;
    if (c == kCommits / 2) Reopen();  // halfway, reload the statistics from disk
  }
  ASSERT_EQ(sent_so_far, universe.size());
  EXPECT_EQ(total_accepted, static_cast<std::uint64_t>(kKeys));
  EXPECT_EQ(model.stored.size(), static_cast<std::size_t>(kKeys));
  // The run exercised every outcome, not just the easy one.
  EXPECT_GT(total_duplicates, 100u);
  EXPECT_GT(total_updated, 50u);
  EXPECT_GT(total_conflicts, 50u);

  Reopen();
  EXPECT_EQ(store_->AllStats(), model.AllStats());
  std::vector<StoredFix> all;
  for (std::uint32_t ind = 0; ind <= kIndividuals + 1; ++ind) {
    const std::vector<StoredFix> track = Track(ind);
    all.insert(all.end(), track.begin(), track.end());
  }
  std::vector<StoredFix> expected;
  for (const auto& [id, f] : model.stored) expected.push_back(f);
  ASSERT_EQ(all.size(), expected.size());
  EXPECT_TRUE(all == expected) << "the stored set differs from the model";
  for (std::size_t i = 0; i < all.size() && i < expected.size(); ++i) {
    if (!(all[i] == expected[i])) {
      ADD_FAILURE() << "first difference at " << i << ": individual " << all[i].individual
                    << " time " << all[i].timestamp_ms << " tag " << all[i].tag;
      break;
    }
  }
}

}  // namespace
}  // namespace wetlink::store
