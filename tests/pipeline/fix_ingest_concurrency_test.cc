// Fix ingest from several threads at once, wired as wetlinkd wires it: the
// ingestor auto-registers birds and commits, the live flyway hears of each
// commit and re-segments in its worker, while readers take flyway
// snapshots, statistics and tracks. Run in the release, ASan and TSan
// builds (the tsan preset: data races in the stores, the registry's
// auto-registration, the ingestor's site-assigner cache and the live
// flyway's hand-over from ingest to worker).

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "data/bundled_catalog.h"
#include "graph/live_flyway.h"
#include "pipeline/fix_ingest.h"
#include "pipeline/store_track_source.h"
#include "sim/generate.h"
#include "sim/sim_params.h"
#include "sim/sim_world.h"
#include "store/stores.h"
#include "telemetry/timestamp.h"

namespace wetlink::pipeline {
namespace {

constexpr int kThreads = 4;
constexpr std::size_t kBatch = 300;

// A fresh folder under the temp dir, removed with its contents.
class ScratchDir {
 public:
  ScratchDir()
      : path_(std::filesystem::temp_directory_path() /
              ("wetlink-ingest-concurrency-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

TEST(FixIngestConcurrencyTest, ParallelStreamsStoreEachFixOnceAndTheFlywayFollows) {
  ScratchDir dir;
  auto stores = store::OpenStores(dir.File("data"), {.sync_writes = false},
                                  data::BundledCatalogFiles());
  ASSERT_TRUE(stores.ok()) << stores.status();
  store::Stores& s = **stores;

  StoreTrackSource source(*s.registry, *s.fixes);
  store::CatalogStore* catalog = s.catalog.get();
  graph::LiveFlywayOptions options;
  options.coalesce = std::chrono::milliseconds(5);
  graph::LiveFlyway flyway(
      source, [catalog] { return catalog->Snapshot(); },
      [](geo::LatLon) { return std::string(); }, options);
  ASSERT_TRUE(flyway.Rebuild().ok());
  flyway.Start();
  FixIngestor ingestor(*s.catalog, *s.registry, *s.fixes);
  ingestor.SetCommitListener(
      [&flyway](std::uint32_t individual, telemetry::TimestampMs from, telemetry::TimestampMs to) {
        flyway.NoteFixes(individual, from, to);
      });

  sim::SimParams params;
  params.seed = 31;
  params.individuals = 8;
  params.start_year = 2023;
  params.years = 1;
  params.max_fixes = 12'000;
  auto world = sim::BundledWorld();
  ASSERT_TRUE(world.ok());
  auto sim = sim::Simulate(params, **world);
  ASSERT_TRUE(sim.ok()) << sim.status();

  // Thread t sends the fixes of individuals t, t + kThreads, ...: several
  // threads register birds at once, and every fix is sent by two threads
  // (its own and the next one), so commits race on the same chunks too.
  std::set<std::tuple<std::uint32_t, std::int64_t>> distinct;
  for (const sim::SimFix& f : sim->fixes) distinct.emplace(f.individual, f.fix.timestamp_ms);
  const telemetry::TimestampMs now = telemetry::SystemNowMs();
  std::atomic<bool> failed = false;
  std::atomic<bool> done = false;
  auto send = [&](int t) {
    std::vector<FixInput> batch;
    auto flush = [&] {
      if (batch.empty()) return true;
      auto outcome = ingestor.Ingest("concurrent", true, batch, batch.size(), now);
      batch.clear();
      if (!outcome.ok() || outcome->batch_rejection || !outcome->rejected.empty()) {
        failed = true;
        ADD_FAILURE() << (outcome.ok() ? "a fix or the batch was refused"
                                       : outcome.status().ToString());
        return false;
      }
      return true;
    };
    for (int round = 0; round < 2; ++round) {
      const int owner = (t + round) % kThreads;
      for (const sim::SimFix& f : sim->fixes) {
        if (static_cast<int>(f.individual % kThreads) != owner) continue;
        const sim::SimIndividual& ind = sim->plan.individuals[f.individual];
        batch.push_back(FixInput{.index = static_cast<std::uint32_t>(batch.size()),
                                 .fix = f.fix,
                                 .individual_id = ind.individual_id,
                                 .taxon = ind.taxon});
        if (batch.size() == kBatch && !flush()) return;
      }
      if (!flush()) return;
    }
  };
  // Readers: what the gRPC services do meanwhile.
  auto read = [&] {
    while (!done) {
      auto snapshot = flyway.Snapshot();
      ASSERT_NE(snapshot, nullptr);
      std::uint64_t n = 0;
      for (const auto& [individual, stats] : s.fixes->AllStats()) {
        n += stats.fix_count;
        ASSERT_TRUE(s.fixes
                        ->ScanPositions(individual, stats.first_ms, stats.first_ms + 86'400'000,
                                        [](const store::FixPosition&) { return true; })
                        .ok());
      }
      ASSERT_LE(n, distinct.size());
      ASSERT_NE(s.registry->Snapshot(), nullptr);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(send, t);
  std::thread reader(read);
  for (std::thread& t : threads) t.join();
  done = true;
  reader.join();
  ASSERT_FALSE(failed);

  std::uint64_t stored = 0;
  for (const auto& [individual, stats] : s.fixes->AllStats()) stored += stats.fix_count;
  EXPECT_EQ(stored, distinct.size());
  const auto registry = s.registry->Snapshot();
  std::set<std::uint32_t> numbers;
  for (const sim::SimIndividual& ind : sim->plan.individuals) {
    const auto* registered = registry->FindIndividual("concurrent", ind.individual_id);
    ASSERT_NE(registered, nullptr) << ind.individual_id;
    EXPECT_TRUE(numbers.insert(registered->number).second) << "a number given twice";
  }
  ASSERT_TRUE(flyway.WaitUntilCurrent(std::chrono::seconds(60)));
  EXPECT_GT(flyway.Snapshot()->individuals().size(), 0u);
  EXPECT_EQ(flyway.LastError(), "");
  flyway.Stop();
}

}  // namespace
}  // namespace wetlink::pipeline
