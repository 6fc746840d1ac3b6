#include "store/audit_store.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/database.h"
#include "tests/testing/temp_folder.h"

namespace wetlink::store {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

constexpr std::int64_t kT0 = 1'717'200'000'000;  // 2024-06-01T00:00:00Z

auto Fields(const access::AuditEvent& e) {
  return std::tie(e.time_ms, e.token_id, e.holder, e.role, e.peer, e.action, e.target, e.outcome,
                  e.detail);
}

access::AuditEvent Event(std::int64_t time_ms, const std::string& detail,
                         const std::string& holder = "kim") {
  return access::AuditEvent{.time_ms = time_ms,
                            .token_id = "0123456789ab",
                            .holder = holder,
                            .role = "researcher",
                            .peer = "ipv4:127.0.0.1:53122",
                            .action = "IngestService.StreamFixes",
                            .target = "izumi_2024",
                            .outcome = "OK",
                            .detail = detail};
}

access::AuditQuery Query(std::optional<std::int64_t> from = std::nullopt,
                         std::optional<std::int64_t> to = std::nullopt,
                         const std::string& holder = "", std::size_t limit = 1000) {
  return access::AuditQuery{.from_ms = from, .to_ms = to, .holder = holder, .limit = limit};
}

class AuditStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.sync_writes = false;  // a temp dir needs no fsync
    Reopen();
  }
  void TearDown() override {
    audit_.reset();
    db_.reset();
  }

  void Reopen() {
    audit_.reset();
    db_.reset();
    auto db = Database::Open(folder_.path(), options_);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    auto audit = AuditStore::Open(*db_);
    ASSERT_TRUE(audit.ok()) << audit.status();
    audit_ = std::move(*audit);
  }

  void Append(const access::AuditEvent& e) {
    const absl::Status st = audit_->Append(e);
    ASSERT_TRUE(st.ok()) << st;
  }

  // The details of the events `query` lists, in the order listed.
  std::vector<std::string> Details(const access::AuditQuery& query) {
    auto events = audit_->List(query);
    EXPECT_TRUE(events.ok()) << events.status();
    std::vector<std::string> out;
    if (events.ok()) {
      for (const access::AuditEvent& e : *events) out.push_back(e.detail);
    }
    return out;
  }

  testing::TempFolder folder_{"wetlink-audit-store"};
  DatabaseOptions options_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<AuditStore> audit_;
};

TEST_F(AuditStoreTest, EmptyLogListsNothing) {
  EXPECT_THAT(Details(Query()), IsEmpty());
  EXPECT_THAT(Details(Query(kT0, kT0 + 1)), IsEmpty());
}

TEST_F(AuditStoreTest, EveryFieldRoundTrips) {
  const access::AuditEvent event{.time_ms = kT0,
                                 .token_id = "",
                                 .holder = "",
                                 .role = "",
                                 .peer = "ipv6:[::1]:50000",
                                 .action = "AccessService.IssueToken",
                                 .target = "token 0123456789ab",
                                 .outcome = "PERMISSION_DENIED",
                                 .detail = "a token of role 'researcher' may not manage tokens"};
  Append(event);
  Append(Event(kT0 + 1, "second"));
  Reopen();
  auto events = audit_->List(Query());
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(Fields((*events)[1]), Fields(event));
  EXPECT_EQ(Fields((*events)[0]), Fields(Event(kT0 + 1, "second")));
}

TEST_F(AuditStoreTest, ListsNewestFirst) {
  Append(Event(kT0 + 20, "b"));
  Append(Event(kT0 + 10, "a"));  // appended later, but older
  Append(Event(kT0 + 30, "c"));
  EXPECT_THAT(Details(Query()), ElementsAre("c", "b", "a"));
}

TEST_F(AuditStoreTest, FromIsInclusiveToIsExclusive) {
  for (int i = 1; i <= 5; ++i) Append(Event(kT0 + 100 * i, "t" + std::to_string(100 * i)));
  EXPECT_THAT(Details(Query(kT0 + 200, kT0 + 400)), ElementsAre("t300", "t200"));
  EXPECT_THAT(Details(Query(kT0 + 200, std::nullopt)), ElementsAre("t500", "t400", "t300", "t200"));
  EXPECT_THAT(Details(Query(std::nullopt, kT0 + 400)), ElementsAre("t300", "t200", "t100"));
  EXPECT_THAT(Details(Query(kT0 + 199, kT0 + 401)), ElementsAre("t400", "t300", "t200"));
  EXPECT_THAT(Details(Query(kT0 + 201, kT0 + 400)), ElementsAre("t300"));
  EXPECT_THAT(Details(Query(kT0 + 300, kT0 + 300)), IsEmpty());
  EXPECT_THAT(Details(Query(kT0 + 300, kT0 + 301)), ElementsAre("t300"));
  EXPECT_THAT(Details(Query(kT0 + 400, kT0 + 200)), IsEmpty());
  EXPECT_THAT(Details(Query(kT0 + 600, std::nullopt)), IsEmpty());
  EXPECT_THAT(Details(Query(std::nullopt, kT0 + 100)), IsEmpty());
}

TEST_F(AuditStoreTest, BoundsHoldForManyEventsInTheBoundaryMilliseconds) {
  // Several events in the millisecond of `from` and of `to`: every one at
  // `from` is listed, none at `to`.
  for (int i = 0; i < 3; ++i) Append(Event(kT0, "from" + std::to_string(i)));
  Append(Event(kT0 + 5, "middle"));
  for (int i = 0; i < 3; ++i) Append(Event(kT0 + 10, "to" + std::to_string(i)));
  EXPECT_THAT(Details(Query(kT0, kT0 + 10)), ElementsAre("middle", "from2", "from1", "from0"));
  EXPECT_THAT(Details(Query(kT0 + 10, kT0 + 11)), ElementsAre("to2", "to1", "to0"));
  EXPECT_THAT(Details(Query(kT0 + 1, kT0 + 10)), ElementsAre("middle"));
}

TEST_F(AuditStoreTest, HolderFilter) {
  Append(Event(kT0 + 1, "kim1", "kim"));
  Append(Event(kT0 + 2, "lee1", "lee"));
  Append(Event(kT0 + 3, "kim2", "kim"));
  Append(Event(kT0 + 4, "anon", ""));
  EXPECT_THAT(Details(Query(std::nullopt, std::nullopt, "kim")), ElementsAre("kim2", "kim1"));
  EXPECT_THAT(Details(Query(std::nullopt, std::nullopt, "lee")), ElementsAre("lee1"));
  EXPECT_THAT(Details(Query(std::nullopt, std::nullopt, "ki")), IsEmpty());
  EXPECT_THAT(Details(Query(std::nullopt, std::nullopt, "")),
              ElementsAre("anon", "kim2", "lee1", "kim1"));
}

TEST_F(AuditStoreTest, LimitKeepsTheNewest) {
  for (int i = 0; i < 10; ++i) Append(Event(kT0 + i, std::to_string(i)));
  EXPECT_THAT(Details(Query(std::nullopt, std::nullopt, "", 3)), ElementsAre("9", "8", "7"));
  EXPECT_THAT(Details(Query(std::nullopt, std::nullopt, "", 1)), ElementsAre("9"));
  EXPECT_THAT(Details(Query(std::nullopt, std::nullopt, "", 0)), IsEmpty());
  EXPECT_EQ(Details(Query(std::nullopt, std::nullopt, "", 10)).size(), 10u);
  EXPECT_EQ(Details(Query(std::nullopt, std::nullopt, "", 100)).size(), 10u);
  EXPECT_THAT(Details(Query(kT0 + 2, kT0 + 8, "", 2)), ElementsAre("7", "6"));
}

TEST_F(AuditStoreTest, LimitCountsOnlyEventsOfTheHolder) {
  for (int i = 0; i < 10; ++i) {
    Append(Event(kT0 + 2 * i, "kim" + std::to_string(i), "kim"));
    Append(Event(kT0 + 2 * i + 1, "lee" + std::to_string(i), "lee"));
  }
  EXPECT_THAT(Details(Query(std::nullopt, std::nullopt, "kim", 3)),
              ElementsAre("kim9", "kim8", "kim7"));
}

TEST_F(AuditStoreTest, EventsOfOneMillisecondKeepTheirOrder) {
  constexpr int kEvents = 300;
  std::vector<std::string> expected;
  for (int i = 0; i < kEvents; ++i) {
    Append(Event(kT0, std::to_string(i)));
    expected.insert(expected.begin(), std::to_string(i));  // newest first
  }
  EXPECT_THAT(Details(Query()), ElementsAreArray(expected));
  Reopen();
  EXPECT_THAT(Details(Query()), ElementsAreArray(expected));
  EXPECT_THAT(Details(Query(kT0, kT0 + 1, "", 2)),
              ElementsAre(std::to_string(kEvents - 1), std::to_string(kEvents - 2)));
}

TEST_F(AuditStoreTest, SequenceContinuesAfterReopening) {
  Append(Event(kT0, "a"));
  Append(Event(kT0, "b"));
  Append(Event(kT0, "c"));
  Reopen();
  // Same millisecond as the stored events: must not overwrite them, and
  // must sort after them.
  Append(Event(kT0, "d"));
  Append(Event(kT0 + 1, "e"));
  Reopen();
  Append(Event(kT0 + 1, "f"));
  EXPECT_THAT(Details(Query()), ElementsAre("f", "e", "d", "c", "b", "a"));
}

TEST_F(AuditStoreTest, ReopeningAfterTheClockWentBackOverwritesNothing) {
  // The wall clock stepped back (NTP) between two events, then wetlinkd
  // restarted: events appended afterwards must not replace stored ones.
  // Fails while AuditStore::Open takes the next sequence from the key that
  // sorts last (the latest time, sequence 0) rather than the largest
  // sequence stored (1): "after the restart" gets key (kT0, 1) and
  // replaces "after the step".
  Append(Event(kT0 + 1000, "before the step"));
  Append(Event(kT0, "after the step"));
  Reopen();
  Append(Event(kT0, "after the restart"));
  Append(Event(kT0 + 1000, "later"));
  EXPECT_THAT(Details(Query()), ::testing::UnorderedElementsAre("before the step", "after the step",
                                                                "after the restart", "later"));
}

TEST_F(AuditStoreTest, EventsBeforeNineteenSeventySortFirst) {
  Append(Event(5, "after"));
  Append(Event(-5, "before"));
  Append(Event(0, "epoch"));
  Append(Event(std::numeric_limits<std::int64_t>::min(), "min"));
  EXPECT_THAT(Details(Query()), ElementsAre("after", "epoch", "before", "min"));
  EXPECT_THAT(Details(Query(-5, 0)), ElementsAre("before"));
  EXPECT_THAT(Details(Query(std::nullopt, 0)), ElementsAre("before", "min"));
}

TEST_F(AuditStoreTest, ConcurrentAppendsAllKept) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 100;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < kPerThread; ++i) {
        EXPECT_TRUE(audit_->Append(Event(kT0, std::to_string(t) + "-" + std::to_string(i))).ok());
      }
    });
  }
  for (std::thread& th : threads) th.join();
  const std::vector<std::string> details = Details(Query(std::nullopt, std::nullopt, "", 10'000));
  EXPECT_EQ(details.size(), static_cast<std::size_t>(kThreads * kPerThread));
  // Each thread's events keep their order (newest first).
  for (int t = 0; t < kThreads; ++t) {
    int last = kPerThread;
    const std::string prefix = std::to_string(t) + "-";
    for (const std::string& d : details) {
      if (d.rfind(prefix, 0) != 0) continue;
      const int i = std::stoi(d.substr(prefix.size()));
      EXPECT_LT(i, last) << d;
      last = i;
    }
  }
}

TEST_F(AuditStoreTest, UndecodableEventIsDataLoss) {
  Append(Event(kT0, "good"));
  // A key of the right shape (8-byte time, 8-byte sequence) holding junk.
  std::string key(16, '\xff');
  WriteBatch batch;
  batch.Put(ColumnFamily::kAudit, key, std::string("\x0a\xff\xff", 3));
  ASSERT_TRUE(db_->Write(batch).ok());
  const absl::Status st = audit_->List(Query()).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << st;
}

TEST_F(AuditStoreTest, OpenRefusesACorruptSequenceRecord) {
  WriteBatch batch;
  batch.Put(ColumnFamily::kMeta, kAuditNextSequenceKey, std::string(5, '\xff'));
  ASSERT_TRUE(db_->Write(batch).ok());
  audit_.reset();
  auto reopened = AuditStore::Open(*db_);
  EXPECT_EQ(reopened.status().code(), absl::StatusCode::kDataLoss) << reopened.status();
}

}  // namespace
}  // namespace wetlink::store
