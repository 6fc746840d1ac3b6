// wetlink-bench-flyway: the flyway benchmarks (docs/PERFORMANCE.md).
//
//   rebuild  In process, no gRPC: fills a data folder with simulated fixes
//            (once; the same rows `wetlink-sim` writes for the same seed),
//            then times LiveFlyway::Rebuild, i.e. reading every track from
//            RocksDB, segmenting it and building the graph snapshot.
//   visible  Against a running wetlinkd: a probe bird's stopover is streamed
//            at one site, then at another; the time from the acknowledgement
//            of each batch to the new link being answered by ListLinks.
//   load     Against a running wetlinkd: ListLinks requests sent open-loop at
//            fixed rates (async gRPC, one completion queue), with the
//            latency of each answer; p50 / p99 per rate.
//
// bench/run_flyway_bench.sh runs the three and the PostGIS baseline in one go.

#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "data/bundled_catalog.h"
#include "data/bundled_countries.h"
#include "graph/live_flyway.h"
#include "pipeline/fix_ingest.h"
#include "pipeline/store_track_source.h"
#include "client/channel.h"
#include "sim/generate.h"
#include "sim/itinerary.h"
#include "sim/sim_params.h"
#include "sim/sim_world.h"
#include "store/stores.h"
#include "telemetry/timestamp.h"
#include "wetlink/v1/catalog.grpc.pb.h"
#include "wetlink/v1/flyway.grpc.pb.h"
#include "wetlink/v1/ingest.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;
using wetlink::telemetry::TimestampMs;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

int WriteJson(const nlohmann::json& j, const std::string& path) {
  std::cout << j.dump(2) << "\n";
  if (path.empty()) return 0;
  std::ofstream out(path);
  out << j.dump(2) << "\n";
  return out ? 0 : 1;
}

// ---- rebuild ---------------------------------------------------------------

struct RebuildOptions {
  std::string data_dir;
  std::int64_t fixes = 10'000'000;
  int runs = 3;
  int threads = 2;
  std::uint64_t seed = 7;
  int individuals = 400;
  int start_year = 2020;
  int years = 5;
  std::string json_out;
};

// Streams the simulated rows through the server's own ingest path (no
// gRPC), as Movebank-style auto-registration into study "bench".
absl::Status Load(const RebuildOptions& o, wetlink::store::Stores& stores, std::int64_t* loaded) {
  wetlink::sim::SimParams params;
  params.seed = o.seed;
  params.individuals = o.individuals;
  params.start_year = o.start_year;
  params.years = o.years;
  params.max_fixes = o.fixes;
  auto world = wetlink::sim::BundledWorld();
  if (!world.ok()) return world.status();
  auto plan = wetlink::sim::PlanScenario(params, **world);
  if (!plan.ok()) return plan.status();
  wetlink::pipeline::FixIngestor ingestor(*stores.catalog, *stores.registry, *stores.fixes);
  std::vector<wetlink::pipeline::FixInput> batch;
  absl::Status failure;
  auto flush = [&] {
    if (batch.empty() || !failure.ok()) return;
    auto outcome =
        ingestor.Ingest("bench", true, batch, batch.size(), wetlink::telemetry::SystemNowMs());
    if (!outcome.ok()) failure = outcome.status();
    batch.clear();
  };
  auto generated =
      wetlink::sim::GenerateFixes(params, **world, *plan, [&](const wetlink::sim::SimFix& s) {
        const wetlink::sim::SimIndividual& ind = plan->individuals[s.individual];
        batch.push_back({.index = static_cast<std::uint32_t>(batch.size()),
                         .fix = s.fix,
                         .individual_id = ind.individual_id,
                         .taxon = ind.taxon});
        if (batch.size() == 10'000) flush();
      });
  flush();
  if (!generated.ok()) return generated.status();
  *loaded = generated->rows;
  return failure;
}

int RunRebuild(const RebuildOptions& o) {
  const bool fresh = !std::filesystem::exists(o.data_dir);
  // Loading is not what is measured: skip the per-batch fsync.
  auto stores = wetlink::store::OpenStores(o.data_dir, {.sync_writes = false},
                                           wetlink::data::BundledCatalogFiles());
  if (!stores.ok()) {
    std::cerr << stores.status() << "\n";
    return 1;
  }
  nlohmann::json out;
  if (fresh) {
    std::int64_t rows = 0;
    const auto started = Clock::now();
    if (absl::Status s = Load(o, **stores, &rows); !s.ok()) {
      std::cerr << "loading: " << s << "\n";
      return 1;
    }
    out["load"] = {{"rows", rows}, {"seconds", Seconds(Clock::now() - started)}};
    std::cerr << "loaded " << rows << " rows\n";
  }
  auto countries = wetlink::data::BundledCountries();
  if (!countries.ok()) {
    std::cerr << countries.status() << "\n";
    return 1;
  }
  wetlink::pipeline::StoreTrackSource source(*(*stores)->registry, *(*stores)->fixes);
  wetlink::store::CatalogStore* catalog = (*stores)->catalog.get();
  wetlink::graph::LiveFlyway live(
      source, [catalog] { return catalog->Snapshot(); },
      [index = *countries](wetlink::geo::LatLon p) {
        return std::string(index->NearestCountry(p, 20'000));
      },
      {.params = {}, .coalesce = std::chrono::milliseconds(50), .rebuild_threads = o.threads});
  std::vector<double> seconds;
  wetlink::graph::RebuildStats stats;
  for (int r = 0; r < o.runs; ++r) {
    auto built = live.Rebuild();
    if (!built.ok()) {
      std::cerr << built.status() << "\n";
      return 1;
    }
    stats = *built;
    seconds.push_back(stats.seconds);
    std::cerr << "rebuild " << r + 1 << ": " << stats.seconds << " s\n";
  }
  const auto snapshot = live.Snapshot();
  std::size_t stopovers = 0;
  for (const auto& ind : snapshot->individuals()) stopovers += ind->segmentation.stopovers.size();
  out["rebuild"] = {{"fixes", stats.fixes},
                    {"individuals", stats.individuals},
                    {"stopovers", stopovers},
                    {"transitions", snapshot->transitions().size()},
                    {"nodes", snapshot->nodes().size()},
                    {"threads", o.threads},
                    {"runs_s", seconds},
                    {"median_s", Percentile(seconds, 0.5)}};
  live.Stop();
  if (absl::Status s = (*stores)->Close(); !s.ok()) std::cerr << s << "\n";
  return WriteJson(out, o.json_out);
}

// ---- visible ---------------------------------------------------------------

struct VisibleOptions {
  std::string server;
  int trials = 40;
  std::string json_out;
};

absl::StatusOr<wetlink::geo::LatLon> SiteCentre(wetlink::v1::CatalogService::Stub& catalog,
                                                const std::string& id) {
  wetlink::v1::GetSiteRequest req;
  req.set_id(id);
  wetlink::v1::Site site;
  grpc::ClientContext ctx;
  grpc::Status s = catalog.GetSite(&ctx, req, &site);
  if (!s.ok()) return absl::UnavailableError(s.error_message());
  return wetlink::geo::LatLon{site.centre().lat(), site.centre().lng()};
}

// A channel to `server` with the token of WETLINK_TOKEN or WETLINK_TOKEN_FILE
// (an admin's: the visible bench pushes fixes and reads links).
std::shared_ptr<grpc::Channel> ChannelTo(const std::string& server) {
  wetlink::client::ChannelOptions options;
  options.address = server;
  absl::StatusOr<std::string> token = wetlink::client::ResolveToken("");
  if (token.ok()) options.token = *token;
  return wetlink::client::MakeChannel(options);
}

int RunVisible(const VisibleOptions& o) {
  auto channel = ChannelTo(o.server);
  auto catalog = wetlink::v1::CatalogService::NewStub(channel);
  auto ingest = wetlink::v1::IngestService::NewStub(channel);
  auto flyway = wetlink::v1::FlywayService::NewStub(channel);
  // Two sites far apart, so every stopover makes a transition.
  auto a = SiteCentre(*catalog, "izumi");
  auto b = SiteCentre(*catalog, "rason");
  if (!a.ok() || !b.ok()) {
    std::cerr << "cannot read the sites izumi and rason\n";
    return 1;
  }
  const std::string study = "probe-" + std::to_string(::getpid());
  grpc::ClientContext stream_ctx;
  auto stream = ingest->StreamFixes(&stream_ctx);
  wetlink::v1::ListLinksRequest query;
  query.mutable_query()->mutable_filter()->add_study_ids(study);
  auto transitions = [&]() -> std::int64_t {
    wetlink::v1::ListLinksResponse resp;
    grpc::ClientContext ctx;
    if (!flyway->ListLinks(&ctx, query, &resp).ok()) return -1;
    std::int64_t n = 0;
    for (const auto& l : resp.links()) n += l.transitions();
    return n;
  };
  std::vector<double> delays_ms;
  const TimestampMs base = wetlink::telemetry::TimestampFromCivil(2022, 1, 1);
  constexpr TimestampMs kHour = 3'600'000;
  for (int k = 0; k <= o.trials; ++k) {
    // A 30 h stopover, every 3 days, alternately at the two sites.
    const wetlink::geo::LatLon at = k % 2 == 0 ? *a : *b;
    wetlink::v1::FixBatch batch;
    batch.set_sequence(static_cast<std::uint64_t>(k));
    batch.set_study_id(study);
    batch.set_auto_register(true);
    batch.add_tags("probe-tag");
    auto* ind = batch.add_individuals();
    ind->set_id("probe-bird");
    ind->set_taxon("Grus monacha");
    for (int h = 0; h <= 30; ++h) {
      auto* f = batch.add_fixes();
      f->set_tag(0);
      f->set_individual(1);
      f->set_timestamp_ms(base + k * 72 * kHour + h * kHour);
      f->set_lat(at.lat + 0.0005 * (h % 3));
      f->set_lon(at.lon);
    }
    if (!stream->Write(batch)) break;
    wetlink::v1::FixAck ack;
    if (!stream->Read(&ack)) break;
    const auto acked = Clock::now();
    if (k == 0) continue;  // the first stopover makes no transition
    const auto deadline = acked + std::chrono::seconds(10);
    while (transitions() < k && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    if (Clock::now() >= deadline) {
      std::cerr << "trial " << k << ": not visible within 10 s\n";
      return 1;
    }
    delays_ms.push_back(Seconds(Clock::now() - acked) * 1000.0);
  }
  stream->WritesDone();
  stream->Finish();
  nlohmann::json out;
  out["visible"] = {{"trials", delays_ms.size()},
                    {"median_ms", Percentile(delays_ms, 0.5)},
                    {"p90_ms", Percentile(delays_ms, 0.9)},
                    {"p99_ms", Percentile(delays_ms, 0.99)},
                    {"max_ms", Percentile(delays_ms, 1.0)}};
  return WriteJson(out, o.json_out);
}

// ---- load ------------------------------------------------------------------

struct LoadOptions {
  std::string server;
  std::vector<int> rates = {1000, 2000, 5000, 10000};
  double seconds = 5;
  // The question: the links of one species in one year, as a researcher
  // asks it (and as bench/postgis/postgis_flyway.py's filtered query).
  std::vector<std::string> species = {"HC"};
  std::string from = "2021-01-01";
  std::string to = "2022-01-01";
  std::uint32_t min_individuals = 1;
  std::string json_out;
};

struct Call {
  grpc::ClientContext ctx;
  wetlink::v1::ListLinksResponse resp;
  grpc::Status status;
  Clock::time_point sent;
  std::unique_ptr<grpc::ClientAsyncResponseReader<wetlink::v1::ListLinksResponse>> reader;
};

nlohmann::json LoadAtRate(wetlink::v1::FlywayService::Stub& stub,
                          const wetlink::v1::ListLinksRequest& req, int rate, double seconds) {
  grpc::CompletionQueue cq;
  std::vector<double> latencies_us;
  std::uint64_t errors = 0;
  std::uint64_t links = 0;
  std::atomic<std::uint64_t> sent{0};
  std::atomic<bool> done_sending{false};
  std::thread receiver([&] {
    std::uint64_t received = 0;
    while (!(done_sending && received == sent)) {
      void* tag = nullptr;
      bool ok = false;
      const auto next =
          cq.AsyncNext(&tag, &ok, std::chrono::system_clock::now() + std::chrono::milliseconds(50));
      if (next == grpc::CompletionQueue::TIMEOUT) continue;
      if (next == grpc::CompletionQueue::SHUTDOWN) break;
      std::unique_ptr<Call> call(static_cast<Call*>(tag));
      const double us =
          std::chrono::duration<double, std::micro>(Clock::now() - call->sent).count();
      if (ok && call->status.ok()) {
        latencies_us.push_back(us);
        links = static_cast<std::uint64_t>(call->resp.links_size());
      } else {
        ++errors;
      }
      ++received;
    }
  });
  // Open loop: request i leaves at start + i / rate, whether or not earlier
  // answers have come back, so queueing shows in the latencies.
  const auto start = Clock::now();
  const auto interval = std::chrono::duration<double>(1.0 / rate);
  const auto total = static_cast<std::uint64_t>(rate * seconds);
  for (std::uint64_t i = 0; i < total; ++i) {
    // Sleeping, not spinning: on a small machine a spinning sender would
    // take the CPU the server under test needs.
    std::this_thread::sleep_until(start +
                                  std::chrono::duration_cast<Clock::duration>(interval * i));
    auto* call = new Call();
    call->ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    call->sent = Clock::now();
    call->reader = stub.PrepareAsyncListLinks(&call->ctx, req, &cq);
    call->reader->StartCall();
    call->reader->Finish(&call->resp, &call->status, call);
    ++sent;
  }
  done_sending = true;
  const double send_seconds = Seconds(Clock::now() - start);
  receiver.join();
  cq.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (cq.Next(&tag, &ok)) delete static_cast<Call*>(tag);
  return {{"target_rps", rate},
          {"sent", sent.load()},
          {"achieved_send_rps", static_cast<double>(sent) / send_seconds},
          {"errors", errors},
          {"links_per_answer", links},
          {"p50_us", Percentile(latencies_us, 0.5)},
          {"p90_us", Percentile(latencies_us, 0.9)},
          {"p99_us", Percentile(latencies_us, 0.99)},
          {"p999_us", Percentile(latencies_us, 0.999)},
          {"max_us", Percentile(latencies_us, 1.0)}};
}

int RunLoad(const LoadOptions& o) {
  // One connection per rate level would measure connection set-up; one
  // shared HTTP/2 connection is what a researcher's client uses.
  auto channel = ChannelTo(o.server);
  auto stub = wetlink::v1::FlywayService::NewStub(channel);
  wetlink::v1::ListLinksRequest req;
  wetlink::v1::FlywayFilter* filter = req.mutable_query()->mutable_filter();
  for (const auto& s : o.species) filter->add_species(s);
  for (const auto& [text, is_from] : {std::pair{o.from, true}, std::pair{o.to, false}}) {
    if (text.empty()) continue;
    auto t = wetlink::telemetry::ParseTimestamp(text + " 00:00:00");
    if (!t.ok()) {
      std::cerr << (is_from ? "--from" : "--to") << ": not a yyyy-MM-dd date\n";
      return 2;
    }
    if (is_from) {
      filter->set_from_ms(*t);
    } else {
      filter->set_to_ms(*t);
    }
  }
  req.set_min_individuals(o.min_individuals);
  // Warm up: connection, the server's answer cache, thread pools.
  LoadAtRate(*stub, req, 500, 1.0);
  nlohmann::json levels = nlohmann::json::array();
  for (int rate : o.rates) {
    nlohmann::json level = LoadAtRate(*stub, req, rate, o.seconds);
    std::cerr << "rate " << rate << ": p50 " << level["p50_us"] << " us, p99 " << level["p99_us"]
              << " us, errors " << level["errors"] << "\n";
    levels.push_back(level);
  }
  return WriteJson({{"load", levels}}, o.json_out);
}

}  // namespace

int main(int argc, char** argv) {
  // Debian builds Abseil with mutex deadlock detection on; gRPC's mutexes
  // then pay for a lock-order graph on every lock (a few % of CPU under load).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  CLI::App app{"wetlink-bench-flyway: flyway rebuild, update visibility and query load"};
  app.require_subcommand(1);

  RebuildOptions rebuild;
  auto* r = app.add_subcommand("rebuild", "fill a data folder once, then time full rebuilds");
  r->add_option("--data-dir", rebuild.data_dir, "data folder (filled if it does not exist)")
      ->required();
  r->add_option("--fixes", rebuild.fixes, "rows to simulate when filling")->capture_default_str();
  r->add_option("--runs", rebuild.runs, "rebuilds to time")->capture_default_str();
  r->add_option("--threads", rebuild.threads, "rebuild threads")->capture_default_str();
  r->add_option("--seed", rebuild.seed)->capture_default_str();
  r->add_option("--individuals", rebuild.individuals)->capture_default_str();
  r->add_option("--start-year", rebuild.start_year)->capture_default_str();
  r->add_option("--years", rebuild.years)->capture_default_str();
  r->add_option("--json-out", rebuild.json_out, "also write the result here");

  VisibleOptions visible;
  auto* v = app.add_subcommand("visible", "time from acknowledged fix to visible link");
  v->add_option("--server", visible.server, "wetlinkd host:port")->required();
  v->add_option("--trials", visible.trials)->capture_default_str();
  v->add_option("--json-out", visible.json_out);

  LoadOptions load;
  auto* l = app.add_subcommand("load", "ListLinks latency at rising request rates");
  l->add_option("--server", load.server, "wetlinkd host:port")->required();
  l->add_option("--rates", load.rates, "requests per second, one level each (comma-separated)")
      ->delimiter(',')
      ->capture_default_str();
  l->add_option("--seconds", load.seconds, "seconds per level")->capture_default_str();
  l->add_option("--species", load.species, "the links asked for (comma-separated)")
      ->delimiter(',')
      ->capture_default_str();
  l->add_option("--from", load.from, "window start, yyyy-MM-dd (\"\" = open)")
      ->capture_default_str();
  l->add_option("--to", load.to, "window end, exclusive")->capture_default_str();
  l->add_option("--min-individuals", load.min_individuals)->capture_default_str();
  l->add_option("--json-out", load.json_out);

  CLI11_PARSE(app, argc, argv);
  if (r->parsed()) return RunRebuild(rebuild);
  if (v->parsed()) return RunVisible(visible);
  return RunLoad(load);
}
