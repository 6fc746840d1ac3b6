// The real wetlink-ingest pushes a simulated Movebank file to a real wetlinkd
// while the test SIGKILLs the server (and, now and then, the daemon itself)
// at random moments after the daemon has made progress, restarting each on
// the same port, data folder and state folder. Once the daemon exits 0:
//
// - the stored fixes (TrackService, over gRPC) are exactly the distinct fixes
//   of the file, with equal positions: none lost, none doubled;
// - the daemon's counts (its checkpoint, cumulative over its runs, and the
//   last run's summary) add up to the file's rows, and its rejections are
//   exactly the file's bad rows, each reported with its line and reason.
//
// Deterministic schedule (seeded), bounded in time: past kDeadline the test
// fails and every child is killed.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/str_split.h"
#include "sim/generate.h"
#include "sim/movebank_csv.h"
#include "sim/sim_params.h"
#include "sim/sim_world.h"
#include "telemetry/timestamp.h"
#include "tests/integration/admin_channel.h"
#include "tests/integration/wetlinkd_process.h"
#include "wetlink/v1/tracks.grpc.pb.h"

extern char** environ;

namespace wetlink::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr char kStudy[] = "crash-daemon";
constexpr std::uint32_t kSeed = 20'241;
constexpr std::int64_t kSimRows = 80'000;
constexpr int kServerKills = 9;  // wetlinkd alone
constexpr int kDaemonKills = 2;  // wetlink-ingest alone
constexpr int kBothKills = 1;    // both at once; the daemon comes back first
constexpr int kBadRowsPerKind = 4;
constexpr int kBatchSize = 200;
constexpr auto kDeadline = std::chrono::seconds(90);

// The wetlink-ingest under test: $WETLINK_INGEST_PATH, else the build's
// (the compile definition, or beside wetlinkd: <build>/ingest/daemon/ next to
// <build>/server/).
std::string WetlinkIngestPath() {
  if (const char* env = std::getenv("WETLINK_INGEST_PATH"); env != nullptr && *env != '\0') {
    return env;
  }
#ifdef WETLINK_INGEST_PATH
  return WETLINK_INGEST_PATH;
#else
  return (fs::path(WetlinkdPath()).parent_path().parent_path() / "ingest" / "daemon" /
          "wetlink-ingest")
      .string();
#endif
}

ExitStatus StatusOf(int wstatus) {
  ExitStatus s;
  if (WIFEXITED(wstatus)) {
    s.exited = true;
    s.code = WEXITSTATUS(wstatus);
  } else if (WIFSIGNALED(wstatus)) {
    s.signal = WTERMSIG(wstatus);
  }
  return s;
}

// A child process whose stdout and stderr are appended to files. Killed
// (SIGKILL) and reaped when the object goes away.
class Child {
 public:
  Child() = default;
  ~Child() { Kill(); }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool Start(const std::string& program, const std::vector<std::string>& args,
             const std::string& out_path, const std::string& err_path, std::string* error) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0644);
    if (err_path == out_path) {
      posix_spawn_file_actions_adddup2(&actions, 1, 2);
    } else {
      posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                       0644);
    }
    std::vector<std::string> storage = {program};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& s : storage) argv.push_back(s.data());
    argv.push_back(nullptr);
    const int rc = posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      pid_ = -1;
      *error = "posix_spawn " + program + ": " + std::strerror(rc);
      return false;
    }
    return true;
  }

  bool running() const { return pid_ > 0; }

  // SIGKILL and reap, if running.
  void Kill() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    int wstatus = 0;
    while (waitpid(pid_, &wstatus, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }

  // True (and `status` set) once the child has ended and is reaped.
  bool Ended(ExitStatus* status) {
    if (pid_ <= 0) return true;
    int wstatus = 0;
    const pid_t r = waitpid(pid_, &wstatus, WNOHANG);
    if (r == 0 || (r < 0 && errno == EINTR)) return false;
    *status = r == pid_ ? StatusOf(wstatus) : ExitStatus{};
    pid_ = -1;
    return true;
  }

 private:
  pid_t pid_ = -1;
};

// A loopback port free right now (bound, read, released).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

using FixKey = std::tuple<std::string, std::int64_t, std::string>;  // individual, time, tag
using LatLon = std::pair<double, double>;

// The file pushed, and what the server and daemon must make of it.
struct Input {
  std::string path;
  std::uint64_t rows = 0;        // data rows (the daemon's source rows)
  std::uint64_t duplicates = 0;  // rows repeating an earlier fix exactly
  std::map<FixKey, LatLon> distinct;
  std::map<std::string, std::uint64_t> rejected;            // by reason
  std::set<std::pair<std::uint64_t, std::string>> rejects;  // (line, reason)
};

std::string Fixed7(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.7f", v);
  return buf;
}

// Simulated rows (duplicates, late and out-of-order rows, outliers) with bad
// rows slipped in at random places: out-of-range coordinates, an impossible
// date, a truncated row (refused by the parser) and fixes that contradict an
// earlier row (refused by the server). The expectations are derived from the
// final text alone, as the daemon and server see it.
Input MakeInput(const std::string& path, std::mt19937& rng) {
  sim::SimParams params;
  params.seed = kSeed;
  params.individuals = 16;
  params.start_year = 2022;
  params.years = 1;
  params.max_fixes = kSimRows;
  auto world = sim::BundledWorld();
  EXPECT_TRUE(world.ok()) << world.status();
  if (!world.ok()) return {};
  auto sim = sim::Simulate(params, **world);
  EXPECT_TRUE(sim.ok()) << sim.status();
  if (!sim.ok()) return {};
  EXPECT_GT(sim->stats.duplicates, 0);
  EXPECT_GT(sim->stats.late, 0);
  EXPECT_GT(sim->stats.outliers, 0);

  std::vector<std::string> rows;
  rows.reserve(sim->fixes.size());
  for (const sim::SimFix& f : sim->fixes) {
    std::string row;
    sim::AppendMovebankEventRow(f, sim->plan.individuals[f.individual], params.study_name, &row);
    row.pop_back();  // '\n'
    rows.push_back(std::move(row));
  }
  const std::size_t n = rows.size();
  // Columns of kMovebankEventHeader.
  constexpr std::size_t kTime = 2, kLon = 3, kLat = 4;
  auto with = [](const std::string& row, std::size_t column, const std::string& value) {
    std::vector<std::string> f = absl::StrSplit(row, ',');
    f[column] = value;
    std::string out;
    for (std::size_t i = 0; i < f.size(); ++i) out += (i ? "," : "") + f[i];
    return out;
  };
  std::uniform_int_distribution<std::size_t> any(0, n - 1);
  std::vector<std::pair<std::size_t, std::string>> inserts;  // before original row i
  for (int k = 0; k < kBadRowsPerKind; ++k) {
    inserts.emplace_back(any(rng), with(rows[any(rng)], kLat, "95.0000000"));
    inserts.emplace_back(any(rng), with(rows[any(rng)], kLon, "-181.0000000"));
    inserts.emplace_back(any(rng), with(rows[any(rng)], kTime, "2022-02-30 12:00:00.000"));
    const std::string& source = rows[any(rng)];
    inserts.emplace_back(any(rng), source.substr(0, source.find(',', source.find(',') + 1)));
    // Contradicts a row at least 5 batches earlier (never in its batch).
    const std::size_t original = std::uniform_int_distribution<std::size_t>(0, n / 2)(rng);
    const std::size_t at =
        std::uniform_int_distribution<std::size_t>(original + 5 * kBatchSize, n)(rng);
    const std::vector<std::string> f = absl::StrSplit(rows[original], ',');
    inserts.emplace_back(
        at, with(rows[original], kLat, Fixed7(std::strtod(f[kLat].c_str(), nullptr) + 0.001)));
  }
  std::stable_sort(inserts.begin(), inserts.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  std::string text(sim::kMovebankEventHeader);
  text += '\n';
  Input input;
  input.path = path;
  auto add = [&](const std::string& row) {
    text += row;
    text += '\n';
    ++input.rows;
    const std::uint64_t line = input.rows + 1;  // the header is line 1
    auto reject = [&](const std::string& reason) {
      ++input.rejected[reason];
      input.rejects.emplace(line, reason);
    };
    const std::vector<std::string> f = absl::StrSplit(row, ',');
    if (f.size() != 16) return reject("MALFORMED_ROW");
    const absl::StatusOr<telemetry::TimestampMs> t = telemetry::ParseTimestamp(f[kTime]);
    if (!t.ok()) return reject("BAD_TIMESTAMP");
    const double lat = std::strtod(f[kLat].c_str(), nullptr);
    const double lon = std::strtod(f[kLon].c_str(), nullptr);
    if (lat > 90) return reject("LATITUDE_OUT_OF_RANGE");
    if (lon < -180) return reject("LONGITUDE_OUT_OF_RANGE");
    const auto [it, inserted] = input.distinct.try_emplace(FixKey{f[14], *t, f[13]}, lat, lon);
    if (inserted) return;
    if (it->second == LatLon{lat, lon}) {
      ++input.duplicates;
    } else {
      reject("CONFLICTING_FIX");  // the stored (first) fix is kept
    }
  };
  std::size_t next_insert = 0;
  for (std::size_t i = 0; i <= n; ++i) {
    while (next_insert < inserts.size() && inserts[next_insert].first == i) {
      add(inserts[next_insert++].second);
    }
    if (i < n) add(rows[i]);
  }
  EXPECT_TRUE(WriteFile(path, text)) << path;
  EXPECT_EQ(input.rejected["CONFLICTING_FIX"], std::uint64_t{kBadRowsPerKind});
  return input;
}

// Leading rows the daemon has checkpointed (0 before its first checkpoint).
std::uint64_t RowsAcked(const std::string& checkpoint_path) {
  const std::string text = ReadFile(checkpoint_path);
  if (text.empty()) return 0;
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.contains("files")) return 0;
  std::uint64_t rows = 0;
  for (const auto& [name, file] : j["files"].items()) rows += file.value("rows_acked", 0ull);
  return rows;
}

// Numbers of the "total" line of the daemon's summary: rows, accepted,
// duplicates, updated, rejected, refused.
std::vector<std::uint64_t> SummaryTotals(const std::string& summary) {
  std::vector<std::uint64_t> out;
  std::istringstream lines(summary);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("total ", 0) != 0) continue;
    std::istringstream words(line.substr(5));
    for (std::string w; words >> w;) {
      w.erase(std::remove(w.begin(), w.end(), ','), w.end());
      out.push_back(std::stoull(w));
    }
  }
  return out;
}

// The (line, reason) pairs of the rejects file (a crash between writing
// them and the checkpoint may repeat some; the set is what counts).
std::set<std::pair<std::uint64_t, std::string>> RejectsInFile(const std::string& path) {
  std::set<std::pair<std::uint64_t, std::string>> out;
  std::istringstream lines(ReadFile(path));
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    // file,line,field,reason,message: the first three have no comma here.
    const std::vector<std::string> f = absl::StrSplit(line, absl::MaxSplits(',', 4));
    if (f.size() < 4) continue;
    out.emplace(std::stoull(f[1]), f[3]);
  }
  return out;
}

std::size_t CountOf(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

class DaemonCrashTest : public ::testing::Test {
 protected:
  bool Expired() const { return Clock::now() >= deadline_; }

  std::string Logs() const {
    std::string out = "\n--- wetlinkd log (tail) ---\n";
    const std::string server_log = ReadFile(dir_.File("wetlinkd.log"));
    out += server_log.substr(server_log.size() > 4000 ? server_log.size() - 4000 : 0);
    for (int run = 1; run <= daemon_runs_; ++run) {
      const std::string err = ReadFile(DaemonFile(run, "err"));
      out += "\n--- wetlink-ingest run " + std::to_string(run) + " stderr (tail) ---\n" +
             err.substr(err.size() > 2000 ? err.size() - 2000 : 0);
      out += "\n--- stdout ---\n" + ReadFile(DaemonFile(run, "out"));
    }
    return out;
  }

  std::string DaemonFile(int run, const std::string& what) const {
    return dir_.File("ingest-" + std::to_string(run) + "." + what);
  }

  // wetlinkd on 127.0.0.1:port_ over the same data folder. The port may be
  // briefly busy after a kill: retried a few times.
  bool StartServer(std::string* error) {
    const std::string port_file = dir_.File("port");
    for (int attempt = 1; attempt <= 8 && !Expired(); ++attempt) {
      std::error_code ec;
      fs::remove(port_file, ec);
      const std::string log = dir_.File("wetlinkd.log");
      if (!server_.Start(
              WetlinkdPath(),
              {"--listen", "127.0.0.1:" + std::to_string(port_), "--port-file", port_file,
               "--http-listen", "", "--data-dir", dir_.File("data"), "--log-level", "info"},
              log, log, error)) {
        return false;
      }
      const Clock::time_point until = std::min(deadline_, Clock::now() + std::chrono::seconds(20));
      while (Clock::now() < until) {
        if (fs::exists(port_file, ec)) {
          if (std::stoi("0" + ReadFile(port_file)) == port_) return true;
          *error = "wetlinkd listens on another port: " + ReadFile(port_file);
          return false;
        }
        ExitStatus ended;
        if (server_.Ended(&ended)) break;  // e.g. the port still busy: try again
        std::this_thread::sleep_for(milliseconds(10));
      }
      server_.Kill();
      std::this_thread::sleep_for(milliseconds(200 * attempt));
    }
    *error = "wetlinkd did not start on port " + std::to_string(port_);
    return false;
  }

  bool StartDaemon(const std::string& file, std::string* error) {
    ++daemon_runs_;
    return daemon_.Start(
        WetlinkIngestPath(),
        {"--server", "127.0.0.1:" + std::to_string(port_), "--token-file",
         dir_.File("data") + "/admin.token", "--study", kStudy, "--auto-register",
         "--state-dir", dir_.File("state"), "--batch-size", std::to_string(kBatchSize), "--window",
         "4", "--max-retry-s", "30", "--progress-interval", "1", "push", file},
        DaemonFile(daemon_runs_, "out"), DaemonFile(daemon_runs_, "err"), error);
  }

  const Clock::time_point deadline_ = Clock::now() + kDeadline;
  TempDir dir_{"wetlink-daemon-crash"};
  int port_ = 0;
  int daemon_runs_ = 0;
  // Declared after dir_: killed before the folder is removed.
  Child server_;
  Child daemon_;
};

TEST_F(DaemonCrashTest, SigkillsOfServerAndDaemonLoseAndDoubleNothing) {
  const auto started = Clock::now();
  ASSERT_TRUE(fs::exists(WetlinkIngestPath()))
      << WetlinkIngestPath() << " is missing: build the wetlink-ingest target too "
      << "(or set WETLINK_INGEST_PATH)";
  std::mt19937 rng(kSeed);
  const Input input = MakeInput(dir_.File("fixes.csv"), rng);
  ASSERT_GT(input.rows, 50'000u);
  const std::string checkpoint = dir_.File("state/checkpoint.json");

  // The kills: at random numbers of checkpointed rows, each only after the
  // daemon made progress since the previous restart, a few ms later (so the
  // kill lands anywhere in a batch's life: in flight, being written, acked
  // but not yet checkpointed).
  enum class Target { kServer, kDaemon, kBoth };
  struct Kill {
    std::uint64_t after_rows;
    Target target;
    int delay_ms;
  };
  std::vector<Target> targets(kServerKills, Target::kServer);
  targets.insert(targets.end(), kDaemonKills, Target::kDaemon);
  targets.insert(targets.end(), kBothKills, Target::kBoth);
  std::shuffle(targets.begin(), targets.end(), rng);
  std::vector<std::uint64_t> thresholds;
  std::uniform_int_distribution<std::uint64_t> where(input.rows * 3 / 100, input.rows * 75 / 100);
  for (std::size_t i = 0; i < targets.size(); ++i) thresholds.push_back(where(rng));
  std::sort(thresholds.begin(), thresholds.end());
  std::vector<Kill> kills;
  std::uniform_int_distribution<int> delay(0, 15);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    kills.push_back({thresholds[i], targets[i], delay(rng)});
  }
  std::uniform_int_distribution<int> server_down_ms(0, 300);

  port_ = FreePort();
  ASSERT_GT(port_, 0);
  std::string error;
  ASSERT_TRUE(StartServer(&error)) << error << Logs();
  ASSERT_TRUE(StartDaemon(input.path, &error)) << error;

  std::size_t next = 0;
  std::uint64_t acked_at_restart = 0;
  int server_kills = 0;
  int daemon_kills = 0;
  ExitStatus daemon_end;
  while (!daemon_.Ended(&daemon_end)) {
    ASSERT_FALSE(Expired()) << "not done within " << kDeadline.count() << " s after " << next
                            << " kills, " << RowsAcked(checkpoint) << " of " << input.rows
                            << " rows checkpointed" << Logs();
    const std::uint64_t acked = RowsAcked(checkpoint);
    if (next < kills.size() && acked >= std::max(kills[next].after_rows, acked_at_restart + 1)) {
      const Kill& k = kills[next];
      std::this_thread::sleep_for(milliseconds(k.delay_ms));
      if (k.target != Target::kServer) {
        // The daemon may have finished in the meantime: then nothing is killed.
        if (daemon_.Ended(&daemon_end)) break;
        daemon_.Kill();
        ++daemon_kills;
      }
      if (k.target != Target::kDaemon) {
        server_.Kill();
        ++server_kills;
      }
      ++next;
      if (k.target != Target::kServer) {
        ASSERT_TRUE(StartDaemon(input.path, &error)) << error;
      }
      if (k.target == Target::kBoth) {
        // The new daemon meets a server that is down and keeps retrying.
        std::this_thread::sleep_for(milliseconds(server_down_ms(rng)));
      }
      if (!server_.running()) {
        ASSERT_TRUE(StartServer(&error)) << error << Logs();
      }
      acked_at_restart = RowsAcked(checkpoint);
    }
    std::this_thread::sleep_for(milliseconds(2));
  }
  ASSERT_TRUE(daemon_end.ok()) << "wetlink-ingest: " << daemon_end.Describe() << Logs();
  EXPECT_EQ(next, kills.size()) << "the push ended before every kill" << Logs();
  EXPECT_EQ(server_kills, kServerKills + kBothKills);
  EXPECT_EQ(daemon_kills, kDaemonKills + kBothKills);

  // Each daemon restart resumed from its checkpoint; each server kill was
  // met by a reconnect (kills of both at once excepted: the new daemon just
  // retries until the server is back).
  std::string daemon_logs;
  for (int run = 1; run <= daemon_runs_; ++run) daemon_logs += ReadFile(DaemonFile(run, "err"));
  EXPECT_EQ(CountOf(daemon_logs, "resuming after"), std::size_t{kDaemonKills + kBothKills})
      << Logs();
  EXPECT_GE(CountOf(daemon_logs, "reconnecting in"), std::size_t{kServerKills}) << Logs();

  // The daemon's accounts. The checkpoint's counts run over all its runs:
  // every row once, rejections exactly the bad rows. A batch stored but not
  // acknowledged before a kill comes back as duplicates, so only the sum of
  // accepted and duplicates is exact.
  const nlohmann::json cp =
      nlohmann::json::parse(ReadFile(checkpoint), nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(cp.is_discarded()) << ReadFile(checkpoint);
  ASSERT_EQ(cp["files"].size(), 1u) << cp.dump(2);
  const nlohmann::json& file = cp["files"].begin().value();
  EXPECT_TRUE(file.value("complete", false));
  EXPECT_EQ(file.value("rows_acked", 0ull), input.rows);
  const nlohmann::json& counts = file["counts"];
  const std::uint64_t rejected_rows = input.rejects.size();
  EXPECT_EQ(counts.value("rows", 0ull), input.rows) << counts.dump();
  EXPECT_EQ(counts.value("accepted", 0ull) + counts.value("duplicates", 0ull),
            input.rows - rejected_rows)
      << counts.dump();
  EXPECT_LE(counts.value("accepted", 0ull), input.distinct.size()) << counts.dump();
  EXPECT_GE(counts.value("duplicates", 0ull), input.duplicates) << counts.dump();
  EXPECT_EQ(counts.value("updated", 0ull), 0u) << counts.dump();
  EXPECT_EQ(counts.value("refused_fixes", 0ull), 0u) << counts.dump();
  EXPECT_TRUE(counts["refused_batches"].empty()) << counts.dump();
  const auto rejected = counts["rejected"].get<std::map<std::string, std::uint64_t>>();
  EXPECT_EQ(rejected, input.rejected) << counts.dump();
  EXPECT_EQ(RejectsInFile(dir_.File("state/rejects.csv")), input.rejects);

  // The last run's summary: the rows it acknowledged, after those it skipped.
  const std::string summary = ReadFile(DaemonFile(daemon_runs_, "out"));
  const std::vector<std::uint64_t> total = SummaryTotals(summary);
  ASSERT_EQ(total.size(), 6u) << summary;
  EXPECT_EQ(total[1] + total[2] + total[3] + total[4], total[0]) << summary;
  EXPECT_EQ(total[3], 0u) << summary;
  EXPECT_EQ(total[5], 0u) << summary;
  const std::uint64_t skipped = input.rows - total[0];
  EXPECT_TRUE(skipped == 0 || summary.find("resumed after") != std::string::npos) << summary;

  // What the server holds: exactly the distinct fixes of the file.
  auto tracks = v1::TrackService::NewStub(ChannelWithTokenFile(
      "127.0.0.1:" + std::to_string(port_), dir_.File("data") + "/admin.token"));
  v1::ListIndividualsRequest list;
  list.set_study_id(kStudy);
  v1::ListIndividualsResponse individuals;
  grpc::ClientContext list_ctx;
  list_ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  const grpc::Status listed = tracks->ListIndividuals(&list_ctx, list, &individuals);
  ASSERT_TRUE(listed.ok()) << listed.error_message();
  std::map<FixKey, LatLon> stored;
  std::uint64_t counted = 0;
  std::uint64_t doubled = 0;
  for (const auto& in : individuals.individuals()) {
    counted += in.fix_count();
    v1::GetTrackRequest req;
    req.set_study_id(kStudy);
    req.set_individual_id(in.individual_id());
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    auto reader = tracks->GetTrack(&ctx, req);
    v1::TrackChunk chunk;
    while (reader->Read(&chunk)) {
      for (const auto& p : chunk.points()) {
        doubled += !stored
                        .emplace(FixKey{in.individual_id(), p.timestamp_ms(), p.tag_id()},
                                 LatLon{p.lat(), p.lon()})
                        .second;
      }
    }
    const grpc::Status read = reader->Finish();
    ASSERT_TRUE(read.ok()) << read.error_message();
  }
  std::uint64_t lost = 0;
  std::uint64_t moved = 0;
  for (const auto& [key, position] : input.distinct) {
    auto it = stored.find(key);
    if (it == stored.end()) {
      ++lost;
    } else if (it->second != position) {
      ++moved;
    }
  }
  EXPECT_EQ(lost, 0u) << "fixes of the file not stored";
  EXPECT_EQ(doubled, 0u) << "fixes stored twice";
  EXPECT_EQ(moved, 0u) << "fixes stored with another position";
  EXPECT_EQ(stored.size(), input.distinct.size())
      << "stored fixes other than the file's distinct ones";
  EXPECT_EQ(counted, input.distinct.size()) << "per-individual statistics disagree";
  EXPECT_TRUE(stored == input.distinct);

  std::cerr << "daemon crash test: " << input.rows << " rows, " << input.distinct.size()
            << " distinct fixes, " << rejected_rows << " bad rows; " << server_kills
            << " wetlinkd kills, " << daemon_kills << " wetlink-ingest kills, " << daemon_runs_
            << " daemon runs; accepted " << counts.value("accepted", 0ull) << ", duplicates "
            << counts.value("duplicates", 0ull) << " (" << input.duplicates
            << " in the file, the rest re-sent after kills), rejected " << counts["rejected"].dump()
            << "; " << std::chrono::duration<double>(Clock::now() - started).count() << " s\n";
}

}  // namespace
}  // namespace wetlink::testing
