// Kill wetlinkd with SIGKILL at random moments while a client streams fixes,
// restart it on the same data folder, and let the client re-send what was not
// acknowledged, as wetlink-ingest does. Afterwards the stored fixes must be
// exactly the distinct fixes sent: no acknowledged fix lost, none doubled.
// Bounded: a fixed number of kills, each within a second of the restart.

#include <chrono>
#include <csignal>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <tuple>
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

constexpr int kKills = 12;
constexpr int kBatchSize = 250;

using FixKey = std::tuple<std::string, std::int64_t, std::string>;  // individual, time, tag

// The simulated rows, packed into batches with auto-registration.
// `distinct_before[k]` is the number of distinct fixes in batches [0, k).
std::vector<v1::FixBatch> MakeBatches(std::map<FixKey, std::pair<double, double>>& distinct,
                                      std::vector<std::size_t>& distinct_before) {
  sim::SimParams params;
  params.seed = 11;
  params.individuals = 12;
  params.start_year = 2022;
  params.years = 1;
  params.max_fixes = 60'000;
  auto world = sim::BundledWorld();
  EXPECT_TRUE(world.ok());
  auto result = sim::Simulate(params, **world);
  EXPECT_TRUE(result.ok()) << result.status();
  std::vector<v1::FixBatch> batches;
  std::map<std::uint32_t, std::uint32_t> index;
  for (const sim::SimFix& s : result->fixes) {
    if (batches.empty() || batches.back().fixes_size() == kBatchSize) {
      distinct_before.push_back(distinct.size());
      batches.emplace_back();
      batches.back().set_sequence(batches.size());
      batches.back().set_study_id("crash");
      batches.back().set_auto_register(true);
      index.clear();
    }
    v1::FixBatch& b = batches.back();
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
    distinct[{ind.individual_id, s.fix.timestamp_ms, ind.tag_id}] = {s.fix.lat, s.fix.lon};
  }
  distinct_before.push_back(distinct.size());
  return batches;
}

// The fixes the server holds for the study, by its per-individual counts.
std::uint64_t StoredCount(const WetlinkdProcess& server) {
  auto tracks = v1::TrackService::NewStub(AdminChannel(server));
  v1::ListIndividualsRequest list;
  list.set_study_id("crash");
  v1::ListIndividualsResponse response;
  grpc::ClientContext ctx;
  const grpc::Status status = tracks->ListIndividuals(&ctx, list, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return 0;  // nothing acknowledged yet
  EXPECT_TRUE(status.ok()) << status.error_message();
  std::uint64_t n = 0;
  for (const auto& in : response.individuals()) n += in.fix_count();
  return n;
}

// Streams batches from `next` on, advancing `next` past each acknowledged
// batch, until all are acknowledged or the stream breaks. Calls `on_ack`
// with the number of batches acknowledged on this stream so far.
void StreamUntilBroken(const WetlinkdProcess& server, const std::vector<v1::FixBatch>& batches,
                       std::size_t& next, const std::function<void(int)>& on_ack) {
  auto stub = v1::IngestService::NewStub(AdminChannel(server));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  auto stream = stub->StreamFixes(&ctx);
  v1::FixAck ack;
  int acked = 0;
  while (next < batches.size()) {
    if (!stream->Write(batches[next]) || !stream->Read(&ack)) break;
    ASSERT_EQ(ack.sequence(), batches[next].sequence());
    ASSERT_EQ(ack.rejected_size(), 0) << ack.rejected(0).message();
    ++next;  // acknowledged: durable
    on_ack(++acked);
  }
  stream->WritesDone();
  (void)stream->Finish();
}

TEST(CrashRecoveryTest, SigkillDuringIngestLosesAndDoublesNothing) {
  std::map<FixKey, std::pair<double, double>> distinct;
  std::vector<std::size_t> distinct_before;
  const std::vector<v1::FixBatch> batches = MakeBatches(distinct, distinct_before);
  ASSERT_GT(batches.size(), 40u);

  WetlinkdProcess server;
  std::mt19937 rng(2024);
  std::uniform_int_distribution<int> acks_before_kill(1, 40);
  std::uniform_int_distribution<int> delay_us(0, 3000);
  // Each round streams from the first unacknowledged batch; after a random
  // number of acknowledgements the server is killed within 3 ms, while the
  // next batch is in flight. Once everything is acknowledged and kills
  // remain, the client starts over (as a daemon re-sending a whole file
  // would), so later kills land on the duplicate path too.
  std::size_t next = 0;
  bool wrapped = false;
  int kills = 0;
  int interrupted = 0;  // rounds where the kill cut a stream short
  while (kills < kKills || next < batches.size()) {
    if (next == batches.size()) {
      next = 0;
      wrapped = true;
    }
    std::string error;
    ASSERT_TRUE(server.Start(&error)) << error;
    // Everything acknowledged before the kill survived it, and nothing more
    // than was sent is there.
    const std::uint64_t stored = StoredCount(server);
    EXPECT_GE(stored, wrapped ? distinct.size() : distinct_before[next]) << "after kill " << kills;
    EXPECT_LE(stored, distinct.size());
    std::thread killer;
    const bool kill_this_round = kills < kKills;
    const int kill_after = acks_before_kill(rng);
    const int delay = delay_us(rng);
    const std::size_t started_at = next;
    StreamUntilBroken(server, batches, next, [&](int acked) {
      if (kill_this_round && acked == kill_after) {
        killer = std::thread([&server, delay] {
          std::this_thread::sleep_for(std::chrono::microseconds(delay));
          server.Kill();
        });
      }
    });
    if (killer.joinable()) {
      killer.join();
      ++kills;
      if (next < batches.size() && next > started_at) ++interrupted;
    }
    if (server.running()) server.Stop();
  }

  // Most kills must land mid-stream, or the test proves little.
  EXPECT_GE(interrupted, kKills * 3 / 4);

  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;
  auto channel = AdminChannel(server);
  auto tracks = v1::TrackService::NewStub(channel);
  v1::ListIndividualsRequest list;
  list.set_study_id("crash");
  v1::ListIndividualsResponse individuals;
  grpc::ClientContext list_ctx;
  ASSERT_TRUE(tracks->ListIndividuals(&list_ctx, list, &individuals).ok());

  std::map<FixKey, std::pair<double, double>> stored;
  std::uint64_t counted = 0;
  for (const auto& in : individuals.individuals()) {
    counted += in.fix_count();
    v1::GetTrackRequest req;
    req.set_study_id("crash");
    req.set_individual_id(in.individual_id());
    grpc::ClientContext ctx;
    auto reader = tracks->GetTrack(&ctx, req);
    v1::TrackChunk chunk;
    while (reader->Read(&chunk)) {
      for (const auto& p : chunk.points()) {
        const bool inserted =
            stored.emplace(FixKey{in.individual_id(), p.timestamp_ms(), p.tag_id()},
                           std::pair{p.lat(), p.lon()})
                .second;
        EXPECT_TRUE(inserted) << "a fix read twice";
      }
    }
    ASSERT_TRUE(reader->Finish().ok());
  }
  EXPECT_EQ(counted, distinct.size()) << "per-individual statistics disagree with the fixes";
  EXPECT_EQ(stored.size(), distinct.size());
  EXPECT_TRUE(stored == distinct) << "stored fixes differ from the distinct fixes sent";
}

}  // namespace
}  // namespace wetlink::testing
