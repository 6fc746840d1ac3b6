// Fill the disk under wetlinkd's data folder while fixes stream in: a real
// wetlinkd on a small tmpfs of its own, a real gRPC client and the real
// wetlink-ingest. The write that does not fit must be answered with
// RESOURCE_EXHAUSTED saying that the data folder's disk is full, nothing
// that was not stored may be acknowledged, reads must go on, and once space
// is freed (the tmpfs remounted bigger) writes must resume by themselves;
// the folder, copied to an ordinary disk, must reopen with exactly the fixes
// that were acknowledged. docs/STORAGE.md ("Disk full") describes the
// behaviour this checks.
//
// Mounting needs root (CAP_SYS_ADMIN), as CI runs the tests; without it the
// test fails and says so. The mount is removed in every case (the fixture's
// destructor, after the server is killed). Bounded: about 15 s, at most
// 60 s (kTimeBound).

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "sim/generate.h"
#include "sim/sim_params.h"
#include "sim/sim_world.h"
#include "tests/integration/admin_channel.h"
#include "tests/integration/wetlinkd_process.h"
#include "wetlink/v1/ingest.grpc.pb.h"
#include "wetlink/v1/tracks.grpc.pb.h"

namespace wetlink::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kStudy[] = "diskfull";
constexpr char kDaemonStudy[] = "diskfull_daemon";
constexpr int kBatchSize = 200;
// The tmpfs: small, and most of it taken by a ballast file once wetlinkd
// has started, so that a few hundred batches fill it.
constexpr char kSmallSize[] = "size=32m";
constexpr std::uint64_t kLeftFree = std::uint64_t{1} << 20;
// Remounted this big, the disk has more free than RocksDB's recovery waits
// for (the largest memtable, 64 MiB).
constexpr char kBigSize[] = "size=256m";
// The whole test takes about 15 s in the release build; the ASan build
// runs wetlinkd several times slower.
#ifdef WETLINK_ASAN_BUILD
constexpr auto kTimeBound = std::chrono::seconds(110);
#else
constexpr auto kTimeBound = std::chrono::seconds(60);
#endif

#ifdef WETLINK_INGEST_PATH
std::string IngestPath() { return WETLINK_INGEST_PATH; }
#endif
#ifdef WETLINK_SIM_PATH
std::string SimPath() { return WETLINK_SIM_PATH; }
#endif

// A tmpfs mounted on a fresh folder, unmounted (lazily if still busy) when
// the object goes away.
class TmpfsMount {
 public:
  explicit TmpfsMount(fs::path dir) : dir_(std::move(dir)) { fs::create_directories(dir_); }
  ~TmpfsMount() { Unmount(); }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  // "" on success, else why not.
  std::string Mount(const char* options) {
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options) != 0) {
      const int err = errno;
      std::string why = std::string("mount -t tmpfs -o ") + options + " tmpfs " + dir_.string() +
                        ": " + std::strerror(err);
      if (err == EPERM || err == EACCES) {
        why += ". This test needs root (CAP_SYS_ADMIN) to mount a small tmpfs and fill it; "
               "run it as root, as CI does";
      }
      return why;
    }
    mounted_ = true;
    return "";
  }

  std::string Remount(const char* options) {
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT | MS_NOSUID | MS_NODEV, options) != 0) {
      return std::string("remount ") + options + ": " + std::strerror(errno);
    }
    return "";
  }

  void Unmount() {
    if (!mounted_) return;
    if (::umount(dir_.c_str()) != 0) (void)::umount2(dir_.c_str(), MNT_DETACH);
    mounted_ = false;
  }

  const fs::path& dir() const { return dir_; }

  std::uint64_t FreeBytes() const {
    struct statvfs st {};
    if (::statvfs(dir_.c_str(), &st) != 0) return 0;
    return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
  }

 private:
  fs::path dir_;
  bool mounted_ = false;
};

// Writes `bytes` of real data (tmpfs keeps holes free) to `path`.
bool WriteBallast(const std::string& path, std::uint64_t bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  const std::string block(1 << 20, 'b');
  bool ok = true;
  while (bytes > 0 && ok) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(bytes, block.size()));
    ok = ::write(fd, block.data(), n) == static_cast<ssize_t>(n);
    bytes -= n;
  }
  return ::close(fd) == 0 && ok;
}

using FixKey = std::tuple<std::string, std::int64_t, std::string>;  // individual, time, tag
using FixSet = std::map<FixKey, std::pair<double, double>>;          // -> lat, lon

struct Batches {
  std::vector<v1::FixBatch> batches;
  std::vector<FixSet> fixes;  // the distinct fixes of each batch
};

// Simulated fixes in batches, each registering the birds it names.
Batches MakeBatches() {
  sim::SimParams params;
  params.seed = 23;
  params.individuals = 24;
  params.start_year = 2022;
  params.years = 1;
  params.max_fixes = 200'000;
  params.duplicate_rate = 0;
  auto world = sim::BundledWorld();
  EXPECT_TRUE(world.ok());
  auto result = sim::Simulate(params, **world);
  EXPECT_TRUE(result.ok()) << result.status();
  Batches out;
  std::map<std::uint32_t, std::uint32_t> index;
  for (const sim::SimFix& s : result->fixes) {
    if (out.batches.empty() || out.batches.back().fixes_size() == kBatchSize) {
      out.batches.emplace_back();
      out.fixes.emplace_back();
      out.batches.back().set_sequence(out.batches.size());
      out.batches.back().set_study_id(kStudy);
      out.batches.back().set_auto_register(true);
      index.clear();
    }
    v1::FixBatch& b = out.batches.back();
    const sim::SimIndividual& ind = result->plan.individuals[s.individual];
    auto [it, inserted] = index.try_emplace(s.individual, b.tags_size());
    if (inserted) {
      b.add_tags(ind.tag_id);
      auto* ref = b.add_individuals();
      ref->set_id(ind.individual_id);
      ref->set_taxon(ind.taxon);
    }
    v1::Fix* f = b.add_fixes();
    f->set_tag(it->second);
    f->set_individual(it->second + 1);
    f->set_timestamp_ms(s.fix.timestamp_ms);
    f->set_lat(s.fix.lat);
    f->set_lon(s.fix.lon);
    if (!s.fix.visible) f->set_visible(false);
    out.fixes.back()[{ind.individual_id, s.fix.timestamp_ms, ind.tag_id}] = {s.fix.lat,
                                                                             s.fix.lon};
  }
  return out;
}

// Streams batches from `next` on, one at a time, each acknowledged before
// the next is sent, advancing `next` past every acknowledged one, until all
// are or the stream ends. Returns how it ended (OK when all were sent).
grpc::Status StreamBatches(const WetlinkdProcess& server, const Batches& in, std::size_t& next,
                           std::size_t until) {
  auto stub = v1::IngestService::NewStub(AdminChannel(server));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + seconds(20));
  auto stream = stub->StreamFixes(&ctx);
  v1::FixAck ack;
  while (next < until) {
    if (!stream->Write(in.batches[next]) || !stream->Read(&ack)) break;
    EXPECT_EQ(ack.sequence(), in.batches[next].sequence());
    EXPECT_EQ(ack.rejected_size(), 0) << ack.rejected(0).message();
    ++next;  // acknowledged: stored durably
  }
  stream->WritesDone();
  return stream->Finish();
}

// Every fix of `study` the server holds, read back track by track; and the
// sum of the per-individual fix counts ListIndividuals reports.
struct Stored {
  grpc::Status status;
  FixSet fixes;
  std::uint64_t counted = 0;
};

Stored ReadStudy(const WetlinkdProcess& server, const std::string& study) {
  Stored out;
  auto tracks = v1::TrackService::NewStub(AdminChannel(server));
  v1::ListIndividualsRequest list;
  list.set_study_id(study);
  v1::ListIndividualsResponse individuals;
  grpc::ClientContext list_ctx;
  list_ctx.set_deadline(std::chrono::system_clock::now() + seconds(10));
  out.status = tracks->ListIndividuals(&list_ctx, list, &individuals);
  if (!out.status.ok()) return out;
  for (const auto& in : individuals.individuals()) {
    out.counted += in.fix_count();
    v1::GetTrackRequest req;
    req.set_study_id(study);
    req.set_individual_id(in.individual_id());
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + seconds(10));
    auto reader = tracks->GetTrack(&ctx, req);
    v1::TrackChunk chunk;
    while (reader->Read(&chunk)) {
      for (const auto& p : chunk.points()) {
        out.fixes.emplace(FixKey{in.individual_id(), p.timestamp_ms(), p.tag_id()},
                          std::pair{p.lat(), p.lon()});
      }
    }
    out.status = reader->Finish();
    if (!out.status.ok()) return out;
  }
  return out;
}

FixSet Union(const Batches& in, std::size_t from, std::size_t to) {
  FixSet all;
  for (std::size_t i = from; i < to; ++i) all.insert(in.fixes[i].begin(), in.fixes[i].end());
  return all;
}

std::string CodeAndMessage(const grpc::Status& s) {
  return "code " + std::to_string(static_cast<int>(s.error_code())) + ": " + s.error_message();
}

class DiskFullTest : public ::testing::Test {
 protected:
  // Declared in this order so that the server dies before the mount goes.
  TempDir scratch_{"wetlink-diskfull"};
  TmpfsMount mount_{scratch_.path() / "mnt"};
  WetlinkdProcess server_;
};

TEST_F(DiskFullTest, RefusesWritesClearlyKeepsReadsAndResumesOnceSpaceIsFreed) {
  const auto started = Clock::now();
  const std::string mounted = mount_.Mount(kSmallSize);
  ASSERT_TRUE(mounted.empty()) << mounted;

  const Batches in = MakeBatches();
  ASSERT_GT(in.batches.size(), 400u);
  // The daemon's file: another study, generated by the real simulator.
  const std::string sim_dir = scratch_.File("sim");
  const RunResult sim = RunProgram(SimPath(), {"--seed", "5", "--individuals", "2", "--years", "1",
                                               "--max-fixes", "2000", "--out-dir", sim_dir});
  ASSERT_TRUE(sim.status.ok()) << sim.Describe();
  const std::string daemon_csv = sim_dir + "/fixes.csv";

  const std::string data_dir = (mount_.dir() / "data").string();
  server_.set_data_dir(data_dir);
  std::string error;
  ASSERT_TRUE(server_.Start(&error)) << error;
  const std::string address = server_.address();

  // 1. Leave a few MiB free, then stream until a write does not fit.
  const std::uint64_t free_at_start = mount_.FreeBytes();
  ASSERT_GT(free_at_start, kLeftFree + (std::uint64_t{4} << 20));
  ASSERT_TRUE(WriteBallast((mount_.dir() / "ballast").string(), free_at_start - kLeftFree));
  std::size_t next = 0;
  const grpc::Status full = StreamBatches(server_, in, next, in.batches.size());
  ASSERT_FALSE(full.ok()) << "all " << in.batches.size()
                          << " batches fitted on the disk: nothing was tested";
  ASSERT_GT(next, 0u) << "not even the first batch fitted: " << CodeAndMessage(full);
  const std::size_t acked_when_full = next;
  std::cout << "[ disk full ] batch " << next + 1 << " refused: " << CodeAndMessage(full) << "\n";
  EXPECT_EQ(full.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << CodeAndMessage(full);
  EXPECT_NE(full.error_message().find("disk holding the data folder '" + data_dir + "' is full"),
            std::string::npos)
      << full.error_message();
  EXPECT_NE(full.error_message().find("nothing of this write was stored"), std::string::npos)
      << full.error_message();
  EXPECT_NE(full.error_message().find("No space left on device"), std::string::npos)
      << full.error_message();

  // 2. While full: every write refused the same way, reads answered, and
  // exactly the acknowledged fixes stored.
  {
    std::size_t again = next;
    const grpc::Status refused = StreamBatches(server_, in, again, in.batches.size());
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
        << CodeAndMessage(refused);
    EXPECT_EQ(again, next) << "a batch was acknowledged while the disk was full";
  }
  {
    // The real wetlink-ingest: retries RESOURCE_EXHAUSTED, gives up at once
    // with --max-retry-s 0 and says why.
    const RunResult daemon = RunProgram(
        IngestPath(),
        {"--server", address, "--token-file", server_.admin_token_file(), "--study", kDaemonStudy,
         "--auto-register", "--state-dir",
         scratch_.File("state"), "--max-retry-s", "0", "--batch-size", "500", "push", daemon_csv},
        seconds(30));
    EXPECT_EQ(daemon.code(), 3) << daemon.Describe();
    const std::string said = daemon.out + daemon.err;
    EXPECT_NE(said.find("RESOURCE_EXHAUSTED"), std::string::npos) << daemon.Describe();
    EXPECT_NE(said.find("data folder '" + data_dir + "' is full"), std::string::npos)
        << daemon.Describe();
  }
  {
    // Count surveys and catalog imports: the same answer.
    const RunResult counts = server_.Cli(
        {"counts", "import", std::string(WETLINK_SOURCE_DIR) + "/tests/fixtures/counts/tumen_counts.csv"});
    EXPECT_NE(counts.code(), 0) << counts.Describe();
    EXPECT_NE((counts.out + counts.err).find("data folder '" + data_dir + "' is full"),
              std::string::npos)
        << counts.Describe();
    const RunResult import = server_.Cli(
        {"sites", "import", std::string(WETLINK_INTEGRATION_FIXTURES_DIR) + "/bowtie.geojson"});
    EXPECT_NE(import.code(), 0) << import.Describe();
    EXPECT_NE((import.out + import.err).find("data folder '" + data_dir + "' is full"),
              std::string::npos)
        << import.Describe();
  }
  const FixSet acked = Union(in, 0, acked_when_full);
  {
    const RunResult health = server_.Cli({"health"});
    EXPECT_EQ(health.code(), 0) << health.Describe();
    EXPECT_NE(health.out.find("SERVING"), std::string::npos) << health.Describe();
    const RunResult sites = server_.Cli({"sites", "list", "--format", "json"});
    EXPECT_EQ(sites.code(), 0) << sites.Describe();
    EXPECT_NE(sites.out.find("rason"), std::string::npos);
    const Stored stored = ReadStudy(server_, kStudy);
    ASSERT_TRUE(stored.status.ok()) << CodeAndMessage(stored.status);
    EXPECT_EQ(stored.counted, acked.size()) << "per-individual counts while full";
    EXPECT_EQ(stored.fixes.size(), acked.size());
    EXPECT_TRUE(stored.fixes == acked) << "stored fixes differ from the acknowledged ones";
  }

  // 3. Space freed: the tmpfs grows. Writes resume by themselves (RocksDB
  // checks the free space every 5 s); the client re-sends the refused batch.
  {
    const std::string grown = mount_.Remount(kBigSize);
    ASSERT_TRUE(grown.empty()) << grown;
    const auto freed = Clock::now();
    grpc::Status last;
    while (next == acked_when_full && Clock::now() - freed < seconds(20)) {
      last = StreamBatches(server_, in, next, acked_when_full + 1);
      if (next == acked_when_full) std::this_thread::sleep_for(milliseconds(250));
    }
    ASSERT_EQ(next, acked_when_full + 1)
        << "writes did not resume within 20 s of freeing space: " << CodeAndMessage(last);
    std::cout << "[ disk full ] " << acked_when_full << " batches acknowledged before the disk "
              << "filled; writes resumed "
              << std::chrono::duration_cast<milliseconds>(Clock::now() - freed).count()
              << " ms after space was freed\n";
    const std::size_t more = std::min(in.batches.size(), next + 100);
    const grpc::Status resumed = StreamBatches(server_, in, next, more);
    ASSERT_TRUE(resumed.ok()) << CodeAndMessage(resumed);
    ASSERT_EQ(next, more);
    const RunResult daemon = RunProgram(
        IngestPath(),
        {"--server", address, "--token-file", server_.admin_token_file(), "--study", kDaemonStudy,
         "--auto-register", "--state-dir",
         scratch_.File("state"), "--max-retry-s", "10", "--batch-size", "500", "push", daemon_csv},
        seconds(30));
    EXPECT_EQ(daemon.code(), 0) << daemon.Describe();
  }
  const FixSet acked_all = Union(in, 0, next);
  const Stored daemon_before = ReadStudy(server_, kDaemonStudy);
  ASSERT_TRUE(daemon_before.status.ok()) << CodeAndMessage(daemon_before.status);
  EXPECT_GT(daemon_before.counted, 0u);

  // 4. Stop, copy the folder to an ordinary disk, unmount, reopen there:
  // exactly what was acknowledged, and more can be written.
  const ExitStatus stopped = server_.Stop();
  EXPECT_TRUE(stopped.ok()) << stopped.Describe() << "\n" << server_.log();
  const std::string copy = scratch_.File("copy");
  std::error_code ec;
  fs::copy(data_dir, copy, fs::copy_options::recursive, ec);
  ASSERT_FALSE(ec) << "copying " << data_dir << ": " << ec.message();
  mount_.Unmount();
  server_.set_data_dir(copy);
  ASSERT_TRUE(server_.Start(&error)) << error;
  {
    const Stored stored = ReadStudy(server_, kStudy);
    ASSERT_TRUE(stored.status.ok()) << CodeAndMessage(stored.status);
    EXPECT_EQ(stored.counted, acked_all.size());
    EXPECT_TRUE(stored.fixes == acked_all)
        << "after reopening: " << stored.fixes.size() << " fixes, " << acked_all.size()
        << " acknowledged";
    const Stored daemon_after = ReadStudy(server_, kDaemonStudy);
    ASSERT_TRUE(daemon_after.status.ok()) << CodeAndMessage(daemon_after.status);
    EXPECT_EQ(daemon_after.counted, daemon_before.counted);
    EXPECT_TRUE(daemon_after.fixes == daemon_before.fixes);
  }
  const std::size_t last = std::min(in.batches.size(), next + 20);
  const grpc::Status more = StreamBatches(server_, in, next, last);
  EXPECT_TRUE(more.ok()) << CodeAndMessage(more);
  EXPECT_EQ(next, last);
  const Stored final_state = ReadStudy(server_, kStudy);
  EXPECT_EQ(final_state.counted, Union(in, 0, next).size());
  EXPECT_LT(Clock::now() - started, kTimeBound);
}

}  // namespace
}  // namespace wetlink::testing
