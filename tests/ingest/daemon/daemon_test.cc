// wetlink-ingest against a real WetlinkServer on 127.0.0.1 (a port the OS
// picks) over a temporary RocksDB: counts, duplicates on a re-push, resuming
// from the checkpoint, a server restart in the middle of a push, batches
// refused whole, and watch mode on a growing file. What the server stored is
// read back from the fix store.

#include "ingest/daemon/daemon.h"

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "data/bundled_catalog.h"
#include "ingest/daemon/checkpoint.h"
#include "ingest/daemon/exit_codes.h"
#include "services/server.h"
#include "store/stores.h"
#include "tests/ingest/daemon/daemon_testing.h"

namespace wetlink::ingest::daemon {
namespace {

using ::testing::HasSubstr;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

// Normalised, as the daemon names files in its reports.
const std::string kFixtures =
    std::filesystem::path(WETLINK_DAEMON_FIXTURES_DIR).lexically_normal().string();

telemetry::TimestampMs Now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto stores = store::OpenStores(dir_.File("db"), {.sync_writes = false},
                                    data::BundledCatalogFiles());
    ASSERT_TRUE(stores.ok()) << stores.status();
    stores_ = std::move(*stores);
    StartServer("127.0.0.1:0");
  }

  void TearDown() override {
    server_.reset();
    stores_.reset();
  }

  void StartServer(const std::string& address) {
    auto server = services::WetlinkServer::Start(
        {.listen_address = address,
         .max_message_bytes = 64 << 20,
         .streams = {},
         .max_sync_threads = 0,
         .ingest = {},
         .flyway = {},
         .seasons = {},
         .countries = {},
         .map_background = {},
         .privacy = {},
         .tls = {},
         .keepalive = {}},
        *stores_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    port_ = server_->port();
    if (token_.empty()) {
      auto issued = server_->access().Issue({.holder = "tagging-team",
                                             .role = access::Role::kIngest,
                                             .studies = {"cranes-2024"},
                                             .expires_ms = std::nullopt,
                                             .note = ""},
                                            "test");
      ASSERT_TRUE(issued.ok()) << issued.status();
      token_ = issued->text;
    }
  }

  DaemonOptions Options(const std::string& state = "state") const {
    DaemonOptions o;
    o.server = "127.0.0.1:" + std::to_string(port_);
    o.token = token_;
    o.study = "cranes-2024";
    o.auto_register = true;
    o.state_dir = dir_.File(state);
    o.progress = ProgressMode::kOff;
    o.now_ms = Now;
    o.backoff = {.initial = std::chrono::milliseconds(20),
                 .multiplier = 2,
                 .max = std::chrono::milliseconds(200),
                 .jitter = 0.2};
    o.max_retry = std::chrono::seconds(10);
    return o;
  }

  // Fixes the store holds, counted from its statistics and checked against
  // a scan of every track.
  std::uint64_t StoredFixes() const {
    std::uint64_t total = 0;
    for (const auto& [individual, stats] : stores_->fixes->AllStats()) {
      std::uint64_t scanned = 0;
      std::set<telemetry::TimestampMs> times;
      EXPECT_TRUE(stores_->fixes
                      ->ScanTrack(individual, std::numeric_limits<telemetry::TimestampMs>::min(),
                                  std::numeric_limits<telemetry::TimestampMs>::max(),
                                  [&](const store::StoredFix& f) {
                                    ++scanned;
                                    times.insert(f.timestamp_ms);
                                    return true;
                                  })
                      .ok());
      EXPECT_EQ(scanned, stats.fix_count) << "individual " << individual;
      EXPECT_EQ(times.size(), scanned) << "one fix per time and individual (one tag each)";
      total += scanned;
    }
    return total;
  }

  FileCheckpoint CheckpointOf(const std::string& state, const std::string& file) const {
    auto checkpoint = Checkpoint::Load(dir_.File(state + "/checkpoint.json"));
    EXPECT_TRUE(checkpoint.ok()) << checkpoint.status();
    if (!checkpoint.ok()) return {};
    const FileCheckpoint* f = checkpoint->Find(file);
    EXPECT_NE(f, nullptr) << file;
    return f != nullptr ? *f : FileCheckpoint{};
  }

  TempDir dir_;
  std::unique_ptr<store::Stores> stores_;
  std::unique_ptr<services::WetlinkServer> server_;
  int port_ = 0;
  std::string token_;  // an ingest token for cranes-2024
  StopSignal no_stop_;
};

TEST_F(DaemonTest, PushesAMovebankFileThenFindsItUpToDateThenOnlyDuplicates) {
  const std::string file = kFixtures + "/movebank-sample.csv";
  DaemonResult first = RunPush(Options(), {file}, no_stop_);
  ASSERT_TRUE(first.status.ok()) << first.status;
  EXPECT_EQ(first.exit_code, kExitOk);
  ASSERT_EQ(first.summary.files.size(), 1u);
  const IngestCounts& c = first.summary.files[0].counts;
  EXPECT_EQ(c.rows, 50u);
  EXPECT_EQ(c.accepted, 50u);
  EXPECT_EQ(c.duplicates, 0u);
  EXPECT_EQ(c.rejected_total(), 0u);
  EXPECT_EQ(StoredFixes(), 50u);
  const FileCheckpoint checkpoint = CheckpointOf("state", file);
  EXPECT_EQ(checkpoint.rows_acked, 50u);
  EXPECT_TRUE(checkpoint.complete);
  EXPECT_EQ(checkpoint.counts.accepted, 50u);

  // Same state folder: nothing to send.
  DaemonResult again = RunPush(Options(), {file}, no_stop_);
  ASSERT_TRUE(again.status.ok()) << again.status;
  EXPECT_EQ(again.rows_sent, 0u);
  EXPECT_EQ(again.batches_sent, 0u);
  EXPECT_TRUE(again.summary.files[0].up_to_date);

  // Everything again (a new state folder, or --from-start): duplicates only.
  for (DaemonOptions o : {Options("other-state"), Options()}) {
    o.from_start = o.state_dir == Options().state_dir;
    DaemonResult resent = RunPush(o, {file}, no_stop_);
    ASSERT_TRUE(resent.status.ok()) << resent.status;
    const IngestCounts& r = resent.summary.files[0].counts;
    EXPECT_EQ(r.rows, 50u);
    EXPECT_EQ(r.accepted, 0u);
    EXPECT_EQ(r.duplicates, 50u);
    EXPECT_EQ(resent.exit_code, kExitOk);
  }
  EXPECT_EQ(StoredFixes(), 50u);
}

TEST_F(DaemonTest, RejectedRecordsGoToTheRejectsFileWithTheirLines) {
  const std::string file = kFixtures + "/movebank-bad-rows.csv";
  DaemonOptions o = Options();
  o.batch_size = 7;  // server rejections in several batches, mapped back to lines
  DaemonResult result = RunPush(o, {file}, no_stop_);
  ASSERT_TRUE(result.status.ok()) << result.status;
  EXPECT_EQ(result.exit_code, kExitOk) << "rejected records are not a failure";
  const IngestCounts& c = result.summary.files[0].counts;
  EXPECT_EQ(c.rows, 40u);
  EXPECT_EQ(c.accepted + c.duplicates + c.updated + c.rejected_total(), 40u);
  EXPECT_EQ(c.rejected.at("CONFLICTING_FIX"), 2u);
  EXPECT_EQ(c.rejected.at("LATITUDE_OUT_OF_RANGE"), 1u);

  const std::string rejects = ReadFile(dir_.File("state/rejects.csv"));
  EXPECT_EQ(rejects.rfind("file,line,field,reason,message\n", 0), 0u);
  // Parser refusal, and server refusals (by index in their batch) as lines.
  EXPECT_THAT(rejects, HasSubstr(file + ",6,location-lat,LATITUDE_OUT_OF_RANGE,"));
  EXPECT_THAT(rejects, HasSubstr(file + ",11,timestamp,CONFLICTING_FIX,"));
  EXPECT_THAT(rejects, HasSubstr(file + ",17,timestamp,CONFLICTING_FIX,"));
  std::size_t lines = 0;
  for (char ch : rejects) lines += ch == '\n';
  EXPECT_EQ(lines, 1 + c.rejected_total());
}

TEST_F(DaemonTest, ARestartResumesAfterTheAcknowledgedRows) {
  const std::string file = dir_.File("fixes.csv");
  WriteFile(file, testing::MovebankFile(3, 1000));  // 3,000 rows
  StopSignal stop;
  DaemonOptions o = Options();
  o.batch_size = 100;
  int acks = 0;
  o.after_ack = [&](const v1::FixAck&) {
    if (++acks == 5) stop.RequestStop();  // as SIGTERM would
  };
  DaemonResult first = RunPush(o, {file}, stop);
  ASSERT_TRUE(first.status.ok()) << first.status;
  EXPECT_TRUE(first.interrupted);
  EXPECT_EQ(first.exit_code, kExitInterrupted);
  const FileCheckpoint checkpoint = CheckpointOf("state", file);
  // The batches in flight at the stop were still acknowledged.
  EXPECT_GE(checkpoint.rows_acked, 500u);
  EXPECT_LE(checkpoint.rows_acked, 1000u);
  EXPECT_EQ(checkpoint.rows_acked % 100, 0u);
  EXPECT_FALSE(checkpoint.complete);
  EXPECT_EQ(StoredFixes(), checkpoint.rows_acked);

  o.after_ack = nullptr;
  DaemonResult second = RunPush(o, {file}, no_stop_);
  ASSERT_TRUE(second.status.ok()) << second.status;
  EXPECT_EQ(second.exit_code, kExitOk);
  EXPECT_EQ(second.rows_sent, 3000u - checkpoint.rows_acked) << "nothing acknowledged re-sent";
  EXPECT_EQ(second.summary.files[0].rows_skipped, checkpoint.rows_acked);
  EXPECT_EQ(second.summary.files[0].counts.duplicates, 0u);
  EXPECT_EQ(second.summary.files[0].counts.accepted, 3000u - checkpoint.rows_acked);
  EXPECT_EQ(StoredFixes(), 3000u);
  const FileCheckpoint done = CheckpointOf("state", file);
  EXPECT_EQ(done.rows_acked, 3000u);
  EXPECT_TRUE(done.complete);
  EXPECT_EQ(done.counts.accepted, 3000u);
}

TEST_F(DaemonTest, AServerRestartMidPushLosesAndDoublesNothing) {
  const std::string file = dir_.File("fixes.csv");
  // 6,000 distinct fixes, then 300 of them sent again by the "logger".
  std::string content = testing::MovebankFile(3, 2000);
  for (int m = 100; m < 200; ++m) {
    for (int t = 1; t <= 3; ++t) content += testing::MovebankRow(t, m);
  }
  WriteFile(file, content);

  DaemonOptions o = Options();
  o.batch_size = 200;
  std::promise<void> first_ack;
  std::promise<void> server_stopped;
  std::shared_future<void> stopped = server_stopped.get_future().share();
  std::atomic<int> acks{0};
  o.after_ack = [&](const v1::FixAck&) {
    if (++acks == 1) {
      first_ack.set_value();
      stopped.wait();  // the server goes down with batches in flight
    }
  };
  std::future<DaemonResult> push =
      std::async(std::launch::async, [&] { return RunPush(o, {file}, no_stop_); });

  first_ack.get_future().wait();
  const std::string address = "127.0.0.1:" + std::to_string(port_);
  server_->Shutdown(std::chrono::milliseconds(0));
  server_.reset();
  server_stopped.set_value();
  // The daemon retries against a closed port for a while.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  StartServer(address);  // same port, same stores

  ASSERT_EQ(push.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  DaemonResult result = push.get();
  ASSERT_TRUE(result.status.ok()) << result.status;
  EXPECT_EQ(result.exit_code, kExitOk);
  EXPECT_GE(result.reconnects, 1u);
  const IngestCounts& c = result.summary.files[0].counts;
  EXPECT_EQ(c.rows, 6300u) << "each row acknowledged once";
  EXPECT_EQ(c.accepted + c.duplicates, 6300u);
  // A batch the server stored but could not acknowledge before it stopped
  // comes back as duplicates when re-sent; the file's own repeats always do.
  EXPECT_LE(c.accepted, 6000u);
  EXPECT_GE(c.duplicates, 300u);
  EXPECT_EQ(c.rejected_total(), 0u);
  EXPECT_EQ(StoredFixes(), 6000u) << "each distinct fix stored exactly once";
  EXPECT_TRUE(CheckpointOf("state", file).complete);
}

TEST_F(DaemonTest, BatchesRefusedWholeStopTheFileAndKeepItsRows) {
  const std::string file = dir_.File("fixes.csv");
  WriteFile(file, testing::MovebankFile(2, 30));  // 60 rows
  DaemonOptions o = Options();
  o.auto_register = false;  // the study does not exist
  o.batch_size = 25;
  DaemonResult refused = RunPush(o, {file}, no_stop_);
  ASSERT_TRUE(refused.status.ok()) << refused.status;
  EXPECT_EQ(refused.exit_code, kExitRefused);
  const FileSummary& f = refused.summary.files[0];
  EXPECT_EQ(f.error.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(f.error.message(), HasSubstr("UNKNOWN_STUDY"));
  EXPECT_GE(f.counts.refused_batches.at("UNKNOWN_STUDY"), 1u);
  EXPECT_EQ(f.counts.rows, 0u);
  EXPECT_EQ(CheckpointOf("state", file).rows_acked, 0u);
  EXPECT_THAT(ReadFile(dir_.File("state/rejects.csv")),
              HasSubstr(file + ",2-26,study_id,UNKNOWN_STUDY,"));
  EXPECT_EQ(StoredFixes(), 0u);

  // Once the cause is fixed, a rerun sends every row.
  o.auto_register = true;
  DaemonResult fixed = RunPush(o, {file}, no_stop_);
  ASSERT_TRUE(fixed.status.ok()) << fixed.status;
  EXPECT_EQ(fixed.exit_code, kExitOk);
  EXPECT_EQ(fixed.summary.files[0].counts.accepted, 60u);
  EXPECT_EQ(StoredFixes(), 60u);
}

TEST_F(DaemonTest, AReplacedFileStartsOver) {
  const std::string file = dir_.File("fixes.csv");
  WriteFile(file, testing::MovebankFile(2, 20));
  ASSERT_EQ(RunPush(Options(), {file}, no_stop_).exit_code, kExitOk);
  // A new export under the same name: other rows, fewer of them.
  WriteFile(file, testing::MovebankFile(2, 10, 5000));
  DaemonResult result = RunPush(Options(), {file}, no_stop_);
  ASSERT_TRUE(result.status.ok()) << result.status;
  EXPECT_EQ(result.summary.files[0].rows_skipped, 0u);
  EXPECT_EQ(result.summary.files[0].counts.accepted, 20u);
  EXPECT_EQ(StoredFixes(), 60u);
}

TEST_F(DaemonTest, GivesUpOnAnUnreachableServer) {
  server_->Shutdown(std::chrono::milliseconds(0));
  server_.reset();
  const std::string file = dir_.File("fixes.csv");
  WriteFile(file, testing::MovebankFile(1, 10));
  DaemonOptions o = Options();
  o.max_retry = std::chrono::milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  DaemonResult result = RunPush(o, {file}, no_stop_);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(result.status.code(), absl::StatusCode::kUnavailable) << result.status;
  EXPECT_EQ(result.exit_code, kExitUnavailable);
  EXPECT_THAT(result.status.message(), HasSubstr("gave up"));
  auto checkpoint = Checkpoint::Load(dir_.File("state/checkpoint.json"));
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_EQ(checkpoint->Find(file), nullptr) << "nothing acknowledged, nothing checkpointed";
}

TEST_F(DaemonTest, AnAbortDuringAnOutageEndsTheRunInterrupted) {
  server_->Shutdown(std::chrono::milliseconds(0));
  server_.reset();
  const std::string file = dir_.File("fixes.csv");
  WriteFile(file, testing::MovebankFile(1, 10));
  DaemonOptions o = Options();
  o.max_retry.reset();  // forever, as in watch mode
  StopSignal stop;
  std::thread aborter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop.RequestAbort();  // a second SIGINT
  });
  DaemonResult result = RunPush(o, {file}, stop);
  aborter.join();
  EXPECT_EQ(result.exit_code, kExitInterrupted) << result.status;
}

TEST_F(DaemonTest, FilesThatCannotBeReadAreReportedAndTheOthersSent) {
  const std::string good = kFixtures + "/movebank-sample.csv";
  const std::string bad = dir_.File("header-only.csv");
  WriteFile(bad, "nothing,we,know\n");
  DaemonResult result = RunPush(Options(), {bad, dir_.File("missing.csv"), good}, no_stop_);
  ASSERT_TRUE(result.status.ok()) << result.status;
  ASSERT_EQ(result.summary.files.size(), 3u);
  EXPECT_EQ(result.summary.files[0].error.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(result.summary.files[1].error.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(result.summary.files[2].counts.accepted, 50u);
  EXPECT_EQ(result.exit_code, kExitRefused) << "the first file's problem";
}

TEST_F(DaemonTest, StateFolderInUseIsRefused) {
  auto lock = StateDirLock::Acquire(dir_.File("state"));
  ASSERT_TRUE(lock.ok());
  DaemonResult result = RunPush(Options(), {kFixtures + "/movebank-sample.csv"}, no_stop_);
  EXPECT_EQ(result.exit_code, kExitLocalIo);
  EXPECT_THAT(result.status.message(), HasSubstr("in use"));
}

TEST_F(DaemonTest, WatchSendsNewFilesAndCompleteLinesOfGrowingOnes) {
  const std::string watched = dir_.File("inbox");
  std::filesystem::create_directories(watched);
  WriteFile(watched + "/a.csv", testing::MovebankFile(1, 10));  // 10 rows
  WriteFile(watched + "/notes.md", "not a fix file");
  // A logger mid-row: the last line lacks its end and a digit.
  const std::string row = testing::MovebankRow(2, 0);
  WriteFile(watched + "/b.csv", std::string(testing::kMovebankHeader) + testing::MovebankRow(2, 1) +
                                    row.substr(0, row.size() - 3));

  DaemonOptions o = Options();
  o.watch_interval = std::chrono::milliseconds(50);
  o.settle = std::chrono::seconds(30);  // the half-written row stays unread
  StopSignal stop;
  std::future<DaemonResult> watch =
      std::async(std::launch::async, [&] { return RunWatch(o, watched, stop); });

  auto wait_for = [&](std::uint64_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (StoredFixes() < n && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return StoredFixes();
  };
  EXPECT_EQ(wait_for(11), 11u) << "a.csv whole, b.csv's complete row";
  // The logger finishes its row and appends one more; a.csv grows too.
  testing::AppendFile(watched + "/b.csv", row.substr(row.size() - 3) + testing::MovebankRow(2, 2));
  testing::AppendFile(watched + "/a.csv", testing::MovebankRow(1, 10));
  EXPECT_EQ(wait_for(14), 14u);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  stop.RequestStop();
  ASSERT_EQ(watch.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  DaemonResult result = watch.get();
  ASSERT_TRUE(result.status.ok()) << result.status;
  EXPECT_EQ(result.exit_code, kExitOk);
  EXPECT_EQ(StoredFixes(), 14u);
  const IngestCounts total = result.summary.Total();
  EXPECT_EQ(total.accepted, 14u);
  EXPECT_EQ(total.duplicates, 0u) << "grown files resume; nothing is sent twice";
  EXPECT_EQ(total.rejected_total(), 0u) << "the half-written row was never read";
  EXPECT_EQ(CheckpointOf("state", watched + "/b.csv").rows_acked, 3u);
}

TEST_F(DaemonTest, WatchReadsAnUnterminatedLastLineOnceTheFileSettles) {
  const std::string watched = dir_.File("inbox");
  std::filesystem::create_directories(watched);
  std::string content = testing::MovebankFile(1, 5);
  content.pop_back();  // an exporter that ends without a line break
  WriteFile(watched + "/a.csv", content);

  DaemonOptions o = Options();
  o.watch_interval = std::chrono::milliseconds(50);
  o.settle = std::chrono::milliseconds(1000);
  StopSignal stop;
  const auto start = std::chrono::steady_clock::now();
  std::future<DaemonResult> watch =
      std::async(std::launch::async, [&] { return RunWatch(o, watched, stop); });
  auto deadline = start + std::chrono::seconds(5);
  while (StoredFixes() < 4 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(800)) {
    EXPECT_EQ(StoredFixes(), 4u) << "the last line waits for the file to settle";
  }
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (StoredFixes() < 5 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(StoredFixes(), 5u);
  stop.RequestStop();
  ASSERT_EQ(watch.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  DaemonResult result = watch.get();
  EXPECT_EQ(result.exit_code, kExitOk) << result.status;
  EXPECT_EQ(result.summary.Total().accepted, 5u);
  EXPECT_TRUE(CheckpointOf("state", watched + "/a.csv").complete);
}

}  // namespace
}  // namespace wetlink::ingest::daemon
