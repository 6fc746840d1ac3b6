// Overload (docs/SECURITY.md, T6) against the real wetlinkd on loopback:
// floods of fix streams beyond the per-token and total limits, and a flood
// of messages just over the size limit. Checks that the excess is refused
// promptly with RESOURCE_EXHAUSTED naming the limit, that the admitted
// streams complete and every acknowledged fix is stored exactly once, that
// wetlinkd keeps answering health checks and catalog queries meanwhile, and
// that its resident memory stays bounded.
//
// Bounded: a fixed number of streams and batches, every call with a
// deadline, each flood well under 60 s. The figures are printed ("overload:
// ...") for docs/PERFORMANCE.md.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/integration/admin_channel.h"
#include "tests/integration/wetlinkd_process.h"
#include "wetlink/v1/catalog.grpc.pb.h"
#include "wetlink/v1/ingest.grpc.pb.h"
#include "wetlink/v1/tracks.grpc.pb.h"

namespace wetlink::testing {
namespace {

using Clock = std::chrono::steady_clock;
using ::testing::HasSubstr;

constexpr int kPerToken = 4;
constexpr int kTotal = 10;
constexpr int kBatches = 10;          // per admitted stream
constexpr int kFixesPerBatch = 500;
constexpr auto kCallDeadline = std::chrono::seconds(40);
// While the admitted streams hold their places, each refused client keeps
// opening streams for this long (at most kMaxRetries times), as a scripted
// client retrying without backoff would.
constexpr auto kHammer = std::chrono::seconds(2);
constexpr int kMaxRetries = 2000;
// A refused stream must be answered within this (it is refused before
// anything is read; the rest is a loaded machine's scheduling).
constexpr auto kPromptly = std::chrono::seconds(3);
// Health and catalog answers during the flood.
constexpr auto kResponsive = std::chrono::seconds(2);
// Resident memory above the level before the flood: the admitted streams
// hold one 500-fix batch each (tens of KiB), RocksDB's memtable takes the
// 50,000 fixes (a few MiB), each refused stream a moment of a thread.
// Measured: 5 to 15 MiB.
constexpr std::int64_t kStreamFloodRssKiB = 32 * 1024;
// Messages of just over 1 MiB, 8 at a time: gRPC reads each whole (in
// several buffers) before it refuses it. Measured: about 50 MiB above the
// level before, at the peak and after (allocator caches of gRPC's threads).
constexpr std::int64_t kOversizedPeakKiB = 96 * 1024;
// After each round of 64 (6 rounds, 384 MiB sent): a constant bound, so
// that a leak of a quarter of each message (96 MiB) would exceed it.
constexpr std::int64_t kOversizedAfterKiB = 80 * 1024;
// The bounds above are of the release build. AddressSanitizer keeps freed
// memory in quarantine (up to 256 MiB) and adds its shadow, so there RSS
// says nothing of wetlinkd's own use; LeakSanitizer checks for leaks when
// wetlinkd exits instead.
#ifdef WETLINK_ASAN_BUILD
constexpr bool kRssBoundsHold = false;
#else
constexpr bool kRssBoundsHold = true;
#endif

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// VmRSS of `pid`, KiB; -1 if unreadable.
std::int64_t RssKiB(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      std::istringstream fields(line.substr(6));
      std::int64_t kib = -1;
      fields >> kib;
      return kib;
    }
  }
  return -1;
}

// Samples wetlinkd's RSS every 10 ms while alive; and probes, every 50 ms,
// that a health check and a catalog query answer, timing each.
class Watcher {
 public:
  explicit Watcher(const WetlinkdProcess& server)
      : pid_(server.pid()),
        health_(grpc::health::v1::Health::NewStub(AdminChannel(server))),
        catalog_(v1::CatalogService::NewStub(AdminChannel(server))) {
    baseline_kib_ = RssKiB(pid_);
    peak_kib_ = baseline_kib_;
    sampler_ = std::thread([this] {
      while (!stop_) {
        const std::int64_t kib = RssKiB(pid_);
        std::int64_t seen = peak_kib_.load();
        while (kib > seen && !peak_kib_.compare_exchange_weak(seen, kib)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    });
    prober_ = std::thread([this] {
      while (!stop_) {
        Probe();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  }
  ~Watcher() { Stop(); }

  void Stop() {
    stop_ = true;
    if (sampler_.joinable()) sampler_.join();
    if (prober_.joinable()) prober_.join();
  }

  std::int64_t baseline_kib() const { return baseline_kib_; }
  std::int64_t peak_kib() const { return peak_kib_; }
  int probes() const { return probes_; }
  double slowest_probe_ms() const { return slowest_ms_; }
  const std::vector<std::string>& probe_failures() const { return failures_; }

 private:
  void Probe() {
    {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + kResponsive);
      grpc::health::v1::HealthCheckRequest req;
      grpc::health::v1::HealthCheckResponse resp;
      const Clock::time_point start = Clock::now();
      grpc::Status st = health_->Check(&ctx, req, &resp);
      Note("health", start, st);
    }
    {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + kResponsive);
      v1::GetSiteRequest req;
      req.set_id("izumi");
      v1::Site site;
      const Clock::time_point start = Clock::now();
      grpc::Status st = catalog_->GetSite(&ctx, req, &site);
      Note("catalog GetSite", start, st);
    }
  }
  void Note(const char* what, Clock::time_point start, const grpc::Status& st) {
    const double ms = Ms(Clock::now() - start);
    slowest_ms_ = std::max(slowest_ms_.load(), ms);
    ++probes_;
    if (!st.ok()) {
      std::lock_guard lock(mu_);
      failures_.push_back(std::string(what) + ": " + st.error_message());
    }
  }

  const pid_t pid_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
  std::unique_ptr<v1::CatalogService::Stub> catalog_;
  std::int64_t baseline_kib_ = 0;
  std::atomic<std::int64_t> peak_kib_{0};
  std::atomic<bool> stop_{false};
  std::atomic<int> probes_{0};
  std::atomic<double> slowest_ms_{0};
  std::mutex mu_;
  std::vector<std::string> failures_;
  std::thread sampler_;
  std::thread prober_;
};

// Counts streams down to 0; waits are bounded.
class Countdown {
 public:
  explicit Countdown(int n) : left_(n) {}
  void Done() {
    std::lock_guard lock(mu_);
    if (--left_ == 0) cv_.notify_all();
  }
  bool Wait(std::chrono::seconds limit) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return left_ <= 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int left_;
};

// One flooding client: a token (its holder and the study it may write).
struct Client {
  std::string holder;
  std::string study;
  std::string token_id;
  std::shared_ptr<grpc::Channel> channel;
};

// What one flooding thread saw: its first stream, admitted or refused;
// when refused, every retry too.
struct StreamOutcome {
  int client = 0;
  std::string individual;
  bool admitted = false;
  grpc::Status status;              // the admitted stream's end, or the first refusal
  std::vector<double> refusal_ms;   // from opening a stream to its refusal, each
  std::vector<std::string> wrong;   // refusals not as expected, a retry admitted
  std::uint64_t acked = 0;          // fixes acknowledged as stored
  std::uint64_t ack_problems = 0;   // refusals or duplicates in acks
};

// The schedule every thread of a flood keeps.
struct FloodSchedule {
  explicit FloodSchedule(int streams) : answered(streams), hammered(streams) {}
  Countdown answered;  // each first stream admitted or refused
  Countdown hammered;  // each thread done retrying (admitted ones at once)
  Clock::time_point hammer_until;
};

v1::FixBatch Batch(const Client& client, const std::string& individual, int sequence) {
  v1::FixBatch b;
  b.set_sequence(static_cast<std::uint64_t>(sequence));
  b.set_study_id(client.study);
  b.set_auto_register(true);
  b.add_tags("tag-" + individual);
  v1::IndividualRef* ref = b.add_individuals();
  ref->set_id(individual);
  ref->set_taxon("Grus monacha");
  // 2024-03-01T00:00Z, a fix a minute, around Izumi.
  constexpr std::int64_t kStart = 1'709'251'200'000;
  for (int i = 0; i < kFixesPerBatch; ++i) {
    const int k = (sequence - 1) * kFixesPerBatch + i;
    v1::Fix* f = b.add_fixes();
    f->set_tag(0);
    f->set_individual(1);
    f->set_timestamp_ms(kStart + std::int64_t{k} * 60'000);
    f->set_lat(32.1 + (k % 50) * 1e-4);
    f->set_lon(130.2667 + (k % 37) * 1e-4);
  }
  return b;
}

// A stream opened and its first batch sent: admitted when that batch is
// acknowledged, else refused with `status` after `took`.
struct Attempt {
  std::unique_ptr<grpc::ClientContext> ctx = std::make_unique<grpc::ClientContext>();
  std::unique_ptr<grpc::ClientReaderWriter<v1::FixBatch, v1::FixAck>> stream;
  bool admitted = false;
  v1::FixAck ack;
  grpc::Status status;
  Clock::duration took{};
};

Attempt Open(v1::IngestService::Stub& stub, const Client& client, const std::string& individual) {
  Attempt a;
  a.ctx->set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  const Clock::time_point opened = Clock::now();
  a.stream = stub.StreamFixes(a.ctx.get());
  if (a.stream->Write(Batch(client, individual, 1)) && a.stream->Read(&a.ack)) {
    a.admitted = true;
    return a;
  }
  a.stream->WritesDone();
  a.status = a.stream->Finish();
  a.took = Clock::now() - opened;
  return a;
}

// "" if `refused` is what a stream beyond the limits must get: promptly,
// RESOURCE_EXHAUSTED, naming a limit and its value (or gRPC's bound on the
// threads), and nothing of the clients other than `self`.
std::string RefusalProblem(const Attempt& refused, const std::vector<Client>& clients, int self) {
  const std::string& message = refused.status.error_message();
  if (refused.status.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) {
    return "code " + std::to_string(refused.status.error_code()) + ": " + message;
  }
  if (refused.took >= kPromptly) return "refused only after " + std::to_string(Ms(refused.took)) + " ms";
  // The other bound: with every thread of the synchronous services busy
  // (max_streams + 32, docs/SECURITY.md "Threads"), gRPC refuses a call
  // before wetlinkd sees it. A flood of retries without backoff can reach
  // it when the server is slow (the ASan build).
  if (message == "Server Threadpool Exhausted") return "";
  if (message.find("max_streams_per_token = " + std::to_string(kPerToken)) == std::string::npos &&
      message.find("max_streams = " + std::to_string(kTotal)) == std::string::npos) {
    return "names no limit: " + message;
  }
  for (std::size_t other = 0; other < clients.size(); ++other) {
    if (static_cast<int>(other) == self) continue;
    if (message.find(clients[other].holder) != std::string::npos ||
        message.find(clients[other].token_id) != std::string::npos) {
      return "names another client: " + message;
    }
  }
  return "";
}

// One flooding thread. Opens a stream; if admitted (the first batch
// acknowledged), holds it until every other thread has its answer and has
// stopped retrying, then sends the rest. If refused, keeps opening streams
// until the schedule's hammer_until: all must be refused, as the admitted
// streams still hold their places.
void RunStream(const std::vector<Client>& clients, int c, int s, FloodSchedule& schedule,
               StreamOutcome& out) {
  const Client& client = clients[static_cast<std::size_t>(c)];
  out.client = c;
  out.individual = "bird-" + std::to_string(c) + "-" + std::to_string(s);
  auto stub = v1::IngestService::NewStub(client.channel);
  auto note = [&](const v1::FixAck& a) {
    out.acked += a.accepted();
    out.ack_problems += a.duplicates() + a.updated() + static_cast<std::uint64_t>(a.rejected_size()) +
                        (a.has_batch_rejection() ? 1 : 0);
  };
  auto refused = [&](const Attempt& a) {
    out.refusal_ms.push_back(Ms(a.took));
    if (std::string problem = RefusalProblem(a, clients, c); !problem.empty()) {
      out.wrong.push_back(std::move(problem));
    }
  };
  Attempt first = Open(*stub, client, out.individual);
  if (first.admitted) {
    out.admitted = true;
    note(first.ack);
    schedule.answered.Done();
    schedule.hammered.Done();
    schedule.answered.Wait(std::chrono::seconds(30));
    schedule.hammered.Wait(std::chrono::seconds(30));
    v1::FixAck ack;
    for (int b = 2; b <= kBatches; ++b) {
      if (!first.stream->Write(Batch(client, out.individual, b)) || !first.stream->Read(&ack)) break;
      note(ack);
    }
    first.stream->WritesDone();
    out.status = first.stream->Finish();
    return;
  }
  out.status = first.status;
  refused(first);
  schedule.answered.Done();
  for (int retry = 0; retry < kMaxRetries && Clock::now() < schedule.hammer_until; ++retry) {
    Attempt again = Open(*stub, client, out.individual);
    if (again.admitted) {
      out.wrong.push_back("a retry was admitted while the admitted streams held their places");
      again.stream->WritesDone();
      (void)again.stream->Finish();
      break;
    }
    refused(again);
  }
  schedule.hammered.Done();
}

// The fix count of each individual of `study` ("" counts for nothing).
std::map<std::string, std::uint64_t> StoredCounts(const WetlinkdProcess& server,
                                                  const std::string& study) {
  auto tracks = v1::TrackService::NewStub(AdminChannel(server));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::ListIndividualsRequest req;
  req.set_study_id(study);
  v1::ListIndividualsResponse resp;
  grpc::Status st = tracks->ListIndividuals(&ctx, req, &resp);
  std::map<std::string, std::uint64_t> counts;
  // A study none of whose streams was admitted was never created.
  if (st.error_code() == grpc::StatusCode::NOT_FOUND) return counts;
  EXPECT_TRUE(st.ok()) << st.error_message();
  for (const auto& in : resp.individuals()) counts[in.individual_id()] = in.fix_count();
  return counts;
}

class OverloadTest : public ::testing::Test {
 protected:
  void StartServer(std::vector<std::string> extra_args) {
    server_.set_extra_args(std::move(extra_args));
    std::string error;
    ASSERT_TRUE(server_.Start(&error)) << error;
  }

  Client MakeClient(const std::string& holder) {
    Client c;
    c.holder = holder;
    c.study = holder + "-study";
    std::string error;
    const std::string file = server_.IssueToken(holder, "ingest", {c.study}, &error);
    EXPECT_FALSE(file.empty()) << error;
    // "wlk_<id>_<secret>"
    const std::string text = ReadFile(file);
    c.token_id = text.size() > 16 ? text.substr(4, 12) : "";
    c.channel = ChannelWithTokenFile(server_.address(), file);
    return c;
  }

  // Opens `per_client` streams from each client at once, the refused ones
  // retrying for kHammer; returns every outcome after checking what holds
  // for any flood.
  std::vector<StreamOutcome> Flood(const std::vector<Client>& clients, int per_client,
                                   int expect_admitted, const char* name) {
    const int n = static_cast<int>(clients.size()) * per_client;
    std::vector<StreamOutcome> outcomes(static_cast<std::size_t>(n));
    FloodSchedule schedule(n);
    Watcher watcher(server_);
    const Clock::time_point start = Clock::now();
    schedule.hammer_until = start + kHammer;
    {
      std::vector<std::thread> threads;
      for (int c = 0; c < static_cast<int>(clients.size()); ++c) {
        for (int s = 0; s < per_client; ++s) {
          StreamOutcome& out = outcomes[static_cast<std::size_t>(c * per_client + s)];
          threads.emplace_back([&, c, s] { RunStream(clients, c, s, schedule, out); });
        }
      }
      for (std::thread& t : threads) t.join();
    }
    const Clock::duration took = Clock::now() - start;
    watcher.Stop();

    int admitted = 0;
    int first_refused = 0;
    std::vector<double> refusal_ms;
    std::uint64_t acked = 0;
    for (const StreamOutcome& o : outcomes) {
      EXPECT_TRUE(o.wrong.empty()) << o.individual << ": " << o.wrong.size()
                                   << " wrong refusals, first: " << o.wrong.front();
      refusal_ms.insert(refusal_ms.end(), o.refusal_ms.begin(), o.refusal_ms.end());
      if (o.admitted) {
        ++admitted;
        acked += o.acked;
        EXPECT_TRUE(o.status.ok()) << o.individual << ": " << o.status.error_message();
        EXPECT_EQ(o.acked, std::uint64_t{kBatches} * kFixesPerBatch) << o.individual;
        EXPECT_EQ(o.ack_problems, 0u) << o.individual;
      } else {
        ++first_refused;
      }
    }
    EXPECT_EQ(admitted, expect_admitted);
    EXPECT_EQ(first_refused, n - expect_admitted);

    // Every acknowledged fix stored, once; nothing of the refused streams.
    std::uint64_t stored = 0;
    for (std::size_t c = 0; c < clients.size(); ++c) {
      const auto counts = StoredCounts(server_, clients[c].study);
      for (const StreamOutcome& o : outcomes) {
        if (o.client != static_cast<int>(c)) continue;
        auto it = counts.find(o.individual);
        if (o.admitted) {
          EXPECT_NE(it, counts.end()) << o.individual << " was admitted but has no fixes";
          if (it != counts.end()) {
            EXPECT_EQ(it->second, o.acked) << o.individual;
          }
        } else {
          EXPECT_EQ(it, counts.end()) << o.individual << " was refused but has fixes";
        }
      }
      for (const auto& [individual, count] : counts) stored += count;
    }
    EXPECT_EQ(stored, acked);

    EXPECT_TRUE(watcher.probe_failures().empty())
        << watcher.probe_failures().size() << " probes failed, first: "
        << watcher.probe_failures().front();
    EXPECT_GE(watcher.probes(), 10);
    EXPECT_LT(watcher.slowest_probe_ms(), Ms(kResponsive));
    if (kRssBoundsHold) {
      EXPECT_LE(watcher.peak_kib() - watcher.baseline_kib(), kStreamFloodRssKiB);
    }
    EXPECT_LT(took, std::chrono::seconds(60));

    std::sort(refusal_ms.begin(), refusal_ms.end());
    auto at = [&](double q) {
      return refusal_ms.empty() ? 0.0
                                : refusal_ms[std::min(refusal_ms.size() - 1,
                                                      static_cast<std::size_t>(q * refusal_ms.size()))];
    };
    std::cout << "overload: " << name << ": " << n << " streams at once from " << clients.size()
              << " token(s): admitted " << admitted << ", refused " << first_refused
              << "; with retries " << refusal_ms.size()
              << " refusals (RESOURCE_EXHAUSTED) in " << Ms(kHammer) / 1000
              << " s, time to refuse median " << at(0.5) << " ms, p99 " << at(0.99)
              << " ms, max " << at(1.0) << " ms; fixes acknowledged " << acked << " = stored "
              << stored << "; health+catalog probes " << watcher.probes() << ", slowest "
              << watcher.slowest_probe_ms() << " ms; RSS " << watcher.baseline_kib() / 1024
              << " MiB before, peak " << watcher.peak_kib() / 1024 << " MiB; wall "
              << Ms(took) / 1000 << " s\n";
    return outcomes;
  }

  // One stream of kBatches batches on its own: true if all were stored.
  bool StreamAlone(const Client& client, const std::string& individual) {
    auto stub = v1::IngestService::NewStub(client.channel);
    Attempt a = Open(*stub, client, individual);
    if (!a.admitted) {
      ADD_FAILURE() << individual << " refused: " << a.status.error_message();
      return false;
    }
    std::uint64_t acked = a.ack.accepted();
    v1::FixAck ack;
    for (int b = 2; b <= kBatches; ++b) {
      if (!a.stream->Write(Batch(client, individual, b)) || !a.stream->Read(&ack)) break;
      acked += ack.accepted();
    }
    a.stream->WritesDone();
    const grpc::Status st = a.stream->Finish();
    EXPECT_TRUE(st.ok()) << st.error_message();
    return st.ok() && acked == std::uint64_t{kBatches} * kFixesPerBatch;
  }

  WetlinkdProcess server_;
};

TEST_F(OverloadTest, OneTokenFloodGetsItsLimitAndTheRestIsRefusedAtOnce) {
  ASSERT_NO_FATAL_FAILURE(StartServer({"--max-streams-per-token", std::to_string(kPerToken),
                                       "--max-streams", std::to_string(kTotal)}));
  const Client one = MakeClient("flood-one");
  ASSERT_NE(one.channel, nullptr);
  const auto outcomes = Flood({one}, 3 * kPerToken, kPerToken, "one token");
  for (const StreamOutcome& o : outcomes) {
    if (!o.admitted) {
      EXPECT_THAT(o.status.error_message(),
                  HasSubstr("max_streams_per_token = " + std::to_string(kPerToken)));
    }
  }
  // The places came back: a new stream of the same token is admitted.
  EXPECT_TRUE(StreamAlone(one, "bird-after")) << "a stream after the flood was not admitted";
}

TEST_F(OverloadTest, ManyTokensFloodGetsTheTotalAndNoTokenMoreThanItsLimit) {
  ASSERT_NO_FATAL_FAILURE(StartServer({"--max-streams-per-token", std::to_string(kPerToken),
                                       "--max-streams", std::to_string(kTotal)}));
  std::vector<Client> clients;
  for (const char* holder : {"flood-amur", "flood-tumen", "flood-liao", "flood-han"}) {
    clients.push_back(MakeClient(holder));
    ASSERT_NE(clients.back().channel, nullptr);
  }
  // 32 streams, over 3 times the total of 10.
  const auto outcomes = Flood(clients, 8, kTotal, "4 tokens");
  std::map<int, int> admitted_of;
  for (const StreamOutcome& o : outcomes) admitted_of[o.client] += o.admitted ? 1 : 0;
  for (const auto& [client, admitted] : admitted_of) EXPECT_LE(admitted, kPerToken) << client;
}

TEST_F(OverloadTest, OversizedMessagesAreRefusedWithoutTheServerGrowing) {
  // Through the configuration file this time, with stream limits that the
  // flood does not reach.
  const std::string config = server_.scratch().File("wetlinkd.toml");
  ASSERT_TRUE(WriteFile(config,
                        "[server]\nmax_message_mb = 1\nmax_streams_per_token = 64\n"
                        "max_streams = 64\n"));
  ASSERT_NO_FATAL_FAILURE(StartServer({"--config", config}));
  const Client client = MakeClient("flood-big");
  ASSERT_NE(client.channel, nullptr);

  // A batch just over 1 MiB: good fixes, and a long taxon to pad it.
  v1::FixBatch big = Batch(client, "bird-big", 1);
  v1::IndividualRef* padding = big.add_individuals();
  padding->set_id("bird-padding");
  padding->set_taxon(std::string((std::size_t{1} << 20) + 64 - big.ByteSizeLong(), 'x'));
  const std::size_t big_bytes = big.ByteSizeLong();
  ASSERT_GT(big_bytes, std::size_t{1} << 20);
  ASSERT_LT(big_bytes, (std::size_t{1} << 20) + 1024);

  // Warm up: one normal stream, so that the baseline includes what any
  // stream allocates once.
  ASSERT_TRUE(StreamAlone(client, "bird-warm"));

  // Rounds of 8 threads sending 8 oversized batches each, one per stream.
  // Resident memory after each round stays under one bound, whatever the
  // number of rounds.
  constexpr int kRounds = 6;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 8;
  std::atomic<int> refused{0};
  std::atomic<int> other{0};
  std::mutex mu;
  std::string first_other;
  std::int64_t before_kib = 0;
  std::int64_t peak_kib = 0;
  std::vector<std::int64_t> after_round_kib;
  Clock::duration took{};
  {
    Watcher watcher(server_);
    before_kib = watcher.baseline_kib();
    const Clock::time_point start = Clock::now();
    for (int round = 0; round < kRounds; ++round) {
      std::vector<std::thread> threads;
      for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
          auto stub = v1::IngestService::NewStub(client.channel);
          for (int i = 0; i < kPerThread; ++i) {
            grpc::ClientContext ctx;
            ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
            auto stream = stub->StreamFixes(&ctx);
            v1::FixAck ack;
            if (stream->Write(big)) (void)stream->Read(&ack);
            stream->WritesDone();
            grpc::Status st = stream->Finish();
            // gRPC's own refusal (wetlink-ingest recognises these words).
            if (st.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED &&
                (st.error_message().find("larger than max") != std::string::npos ||
                 st.error_message().find("message too large") != std::string::npos)) {
              ++refused;
            } else {
              ++other;
              std::lock_guard lock(mu);
              if (first_other.empty()) first_other = st.error_message();
            }
          }
        });
      }
      for (std::thread& t : threads) t.join();
      // Settle: what the round left behind.
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      after_round_kib.push_back(RssKiB(server_.pid()));
    }
    took = Clock::now() - start;
    watcher.Stop();
    peak_kib = watcher.peak_kib();
    EXPECT_TRUE(watcher.probe_failures().empty()) << watcher.probe_failures().front();
    EXPECT_LT(watcher.slowest_probe_ms(), Ms(kResponsive));
  }
  EXPECT_EQ(refused.load(), kRounds * kThreads * kPerThread);
  EXPECT_EQ(other.load(), 0) << first_other;
  if (kRssBoundsHold) {
    EXPECT_LE(peak_kib - before_kib, kOversizedPeakKiB);
    for (std::size_t round = 0; round < after_round_kib.size(); ++round) {
      EXPECT_LE(after_round_kib[round] - before_kib, kOversizedAfterKiB) << "after round " << round;
    }
  }
  // Nothing of them stored, and a normal stream still goes through.
  EXPECT_EQ(StoredCounts(server_, client.study).count("bird-big"), 0u);
  EXPECT_TRUE(StreamAlone(client, "bird-after"));
  std::cout << "overload: oversized: " << kRounds << " rounds of " << kThreads * kPerThread
            << " messages of " << big_bytes << " bytes (max_message_mb = 1), " << kThreads
            << " at a time: refused " << refused.load() << " (RESOURCE_EXHAUSTED); RSS "
            << before_kib / 1024 << " MiB before, peak " << peak_kib / 1024
            << " MiB, after each round";
  for (std::int64_t kib : after_round_kib) std::cout << " " << kib / 1024;
  std::cout << " MiB; wall " << Ms(took) / 1000 << " s\n";
}

}  // namespace
}  // namespace wetlink::testing
