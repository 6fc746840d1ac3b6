// wetlink-bench-ingest: end-to-end fix ingest over gRPC against a running
// wetlinkd, with durable acknowledgements. Fixes come from the deterministic
// simulator (the same rows `wetlink-sim` writes for the same parameters), are
// packed into FixBatch messages before the clock starts, then streamed over
// one or more bidirectional streams with a bounded window of unacknowledged
// batches per stream. The figure is fixes acknowledged per second of wall
// time, from the first batch sent to the last ack received.
//
// bench/run_ingest_bench.sh drives it (fresh data folder per run, PostGIS
// in the same run); docs/PERFORMANCE.md holds the results.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <grpcpp/grpcpp.h>
#include <nlohmann/json.hpp>

#include "absl/synchronization/mutex.h"
#include "client/channel.h"
#include "sim/generate.h"
#include "sim/itinerary.h"
#include "sim/sim_params.h"
#include "sim/sim_world.h"
#include "wetlink/v1/ingest.grpc.pb.h"

namespace {

struct Options {
  std::string server = "127.0.0.1:50051";
  std::string study = "bench";
  std::uint64_t seed = 7;
  int individuals = 400;
  int start_year = 2020;
  int years = 5;
  std::int64_t max_fixes = 1'000'000;
  int batch_size = 10'000;
  int streams = 2;
  int window = 4;
  std::string json_out;
};

// Packs the simulated rows into batches of `batch_size` fixes with per-batch
// tag and individual dictionaries and Movebank-style auto-registration.
class BatchPacker {
 public:
  BatchPacker(const Options& options, const wetlink::sim::SimPlan& plan)
      : options_(options), plan_(plan) {}

  void Add(const wetlink::sim::SimFix& s) {
    if (!current_ || current_->fixes_size() == options_.batch_size) StartBatch();
    const wetlink::sim::SimIndividual& ind = plan_.individuals[s.individual];
    auto [it, inserted] = index_.try_emplace(s.individual, 0);
    if (inserted) {
      current_->add_tags(ind.tag_id);
      auto* ref = current_->add_individuals();
      ref->set_id(ind.individual_id);
      ref->set_taxon(ind.taxon);
      it->second = static_cast<std::uint32_t>(current_->tags_size() - 1);
    }
    const wetlink::telemetry::Fix& f = s.fix;
    wetlink::v1::Fix* out = current_->add_fixes();
    out->set_tag(it->second);
    out->set_individual(it->second + 1);
    out->set_timestamp_ms(f.timestamp_ms);
    out->set_lat(f.lat);
    out->set_lon(f.lon);
    if (f.height_m) out->set_height_m(*f.height_m);
    if (f.hdop) out->set_hdop(*f.hdop);
    if (f.satellites) out->set_satellites(*f.satellites);
    if (f.ground_speed_mps) out->set_ground_speed_mps(*f.ground_speed_mps);
    if (f.heading_deg) out->set_heading_deg(*f.heading_deg);
    if (f.event_id) out->set_event_id(*f.event_id);
    if (!f.visible) out->set_visible(false);
    ++fixes_;
  }

  std::vector<wetlink::v1::FixBatch>& batches() { return batches_; }
  std::int64_t fixes() const { return fixes_; }

 private:
  void StartBatch() {
    batches_.emplace_back();
    current_ = &batches_.back();
    current_->set_sequence(batches_.size());
    current_->set_study_id(options_.study);
    current_->set_auto_register(true);
    index_.clear();
  }

  const Options& options_;
  const wetlink::sim::SimPlan& plan_;
  std::vector<wetlink::v1::FixBatch> batches_;
  wetlink::v1::FixBatch* current_ = nullptr;
  std::map<std::uint32_t, std::uint32_t> index_;
  std::int64_t fixes_ = 0;
};

struct StreamTotals {
  std::uint64_t accepted = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t updated = 0;
  std::uint64_t rejected = 0;
  std::uint64_t batch_rejections = 0;
  std::map<std::string, std::uint64_t> reasons;
  std::string error;
};

// Sends batches [first, last) of `batches` (every `stride`-th) on one stream.
StreamTotals RunStream(const std::shared_ptr<grpc::Channel>& channel,
                       const std::vector<wetlink::v1::FixBatch>& batches, std::size_t first,
                       std::size_t stride, int window) {
  StreamTotals totals;
  auto stub = wetlink::v1::IngestService::NewStub(channel);
  grpc::ClientContext ctx;
  auto stream = stub->StreamFixes(&ctx);
  std::size_t next = first;
  int in_flight = 0;
  wetlink::v1::FixAck ack;
  while (next < batches.size() || in_flight > 0) {
    while (next < batches.size() && in_flight < window) {
      if (!stream->Write(batches[next])) break;
      next += stride;
      ++in_flight;
    }
    if (in_flight == 0) break;
    if (!stream->Read(&ack)) break;
    --in_flight;
    totals.accepted += ack.accepted();
    totals.duplicates += ack.duplicates();
    totals.updated += ack.updated();
    totals.rejected += static_cast<std::uint64_t>(ack.rejected_size());
    for (const auto& r : ack.rejected()) ++totals.reasons[r.reason()];
    if (!ack.batch_rejection().reason().empty()) ++totals.batch_rejections;
  }
  stream->WritesDone();
  const grpc::Status status = stream->Finish();
  if (!status.ok()) totals.error = status.error_message();
  else if (in_flight > 0) totals.error = "stream ended with unacknowledged batches";
  return totals;
}

}  // namespace

int main(int argc, char** argv) {
  // Debian builds Abseil with mutex deadlock detection on; gRPC's mutexes
  // then pay for a lock-order graph on every lock (a few % of CPU under load).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  Options o;
  CLI::App app{"wetlink-bench-ingest - end-to-end fix ingest throughput against wetlinkd"};
  app.add_option("--server", o.server, "wetlinkd address")->capture_default_str();
  app.add_option("--study", o.study, "study to ingest into (auto-registered)")->capture_default_str();
  app.add_option("--seed", o.seed, "simulator seed")->capture_default_str();
  app.add_option("--individuals", o.individuals, "simulated birds")->capture_default_str();
  app.add_option("--start-year", o.start_year, "first simulated year")->capture_default_str();
  app.add_option("--years", o.years, "simulated years")->capture_default_str();
  app.add_option("--fixes", o.max_fixes, "rows to send (the simulator's --max-fixes)")
      ->capture_default_str();
  app.add_option("--batch-size", o.batch_size, "fixes per batch")->capture_default_str();
  app.add_option("--streams", o.streams, "concurrent streams")->capture_default_str();
  app.add_option("--window", o.window, "unacknowledged batches per stream")->capture_default_str();
  app.add_option("--json-out", o.json_out, "write the figures as JSON here");
  CLI11_PARSE(app, argc, argv);

  wetlink::sim::SimParams params;
  params.seed = o.seed;
  params.individuals = o.individuals;
  params.start_year = o.start_year;
  params.years = o.years;
  params.max_fixes = o.max_fixes;
  auto world = wetlink::sim::BundledWorld();
  if (!world.ok()) {
    std::cerr << world.status() << "\n";
    return 1;
  }
  auto plan = wetlink::sim::PlanScenario(params, **world);
  if (!plan.ok()) {
    std::cerr << plan.status() << "\n";
    return 1;
  }
  BatchPacker packer(o, *plan);
  auto generated = wetlink::sim::GenerateFixes(params, **world, *plan,
                                               [&](const wetlink::sim::SimFix& s) { packer.Add(s); });
  if (!generated.ok()) {
    std::cerr << generated.status() << "\n";
    return 1;
  }
  std::vector<wetlink::v1::FixBatch>& batches = packer.batches();
  std::cerr << "packed " << packer.fixes() << " fixes (" << generated->duplicates
            << " re-sent duplicates) into " << batches.size() << " batches\n";

  // The token from WETLINK_TOKEN or WETLINK_TOKEN_FILE, as wetlink-ingest.
  absl::StatusOr<std::string> token = wetlink::client::ResolveToken("");
  if (!token.ok()) {
    std::cerr << token.status().message() << "\n";
    return 2;
  }
  wetlink::client::ChannelOptions channel;
  channel.address = o.server;
  channel.token = *token;
  channel.arguments.SetMaxSendMessageSize(64 << 20);
  channel.arguments.SetMaxReceiveMessageSize(64 << 20);
  // One channel (one TCP connection) per stream, as separate daemons would.
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < o.streams; ++i) {
    // Distinct args: distinct connections.
    channel.arguments.SetInt("wetlink.bench.channel", i);
    channels.push_back(wetlink::client::MakeChannel(channel));
  }
  const auto start = std::chrono::steady_clock::now();
  std::vector<StreamTotals> results(static_cast<std::size_t>(o.streams));
  std::vector<std::thread> threads;
  for (int i = 0; i < o.streams; ++i) {
    threads.emplace_back([&, i] {
      results[static_cast<std::size_t>(i)] = RunStream(
          channels[static_cast<std::size_t>(i)], batches, static_cast<std::size_t>(i),
          static_cast<std::size_t>(o.streams), o.window);
    });
  }
  for (auto& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  StreamTotals total;
  for (const StreamTotals& r : results) {
    total.accepted += r.accepted;
    total.duplicates += r.duplicates;
    total.updated += r.updated;
    total.rejected += r.rejected;
    total.batch_rejections += r.batch_rejections;
    for (const auto& [reason, n] : r.reasons) total.reasons[reason] += n;
    if (!r.error.empty() && total.error.empty()) total.error = r.error;
  }
  const double rate = static_cast<double>(packer.fixes()) / seconds;
  nlohmann::json out = {
      {"fixes_sent", packer.fixes()},   {"batches", batches.size()},
      {"streams", o.streams},           {"batch_size", o.batch_size},
      {"window", o.window},             {"seconds", seconds},
      {"fixes_per_s", rate},            {"accepted", total.accepted},
      {"duplicates", total.duplicates}, {"updated", total.updated},
      {"rejected", total.rejected},     {"batch_rejections", total.batch_rejections},
      {"reject_reasons", total.reasons}, {"error", total.error},
  };
  std::printf("%lld fixes in %.3f s: %.0f fixes/s (accepted %llu, duplicates %llu, rejected %llu)\n",
              static_cast<long long>(packer.fixes()), seconds, rate,
              static_cast<unsigned long long>(total.accepted),
              static_cast<unsigned long long>(total.duplicates),
              static_cast<unsigned long long>(total.rejected));
  if (!o.json_out.empty()) {
    std::FILE* f = std::fopen(o.json_out.c_str(), "w");
    if (f == nullptr) {
      std::cerr << "cannot write " << o.json_out << "\n";
      return 1;
    }
    const std::string text = out.dump(2);
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  if (!total.error.empty()) {
    std::cerr << "error: " << total.error << "\n";
    return 1;
  }
  return 0;
}
