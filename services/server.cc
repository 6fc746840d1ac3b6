#include "services/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>

#include "absl/strings/str_cat.h"
#include "services/access_service.h"
#include "services/catalog_service.h"
#include "services/discovered_site_privacy.h"
#include "services/flyway_service.h"
#include "services/ingest_service.h"
#include "services/registry_service.h"
#include "services/report_service.h"
#include "telemetry/timestamp.h"
#include "services/track_service.h"

namespace wetlink::services {
namespace {

// Every stored count of `sites`, page by page.
absl::StatusOr<std::vector<counts::Count>> CountsOfSites(const store::CountStore& store,
                                                         const std::vector<std::string>& sites) {
  std::vector<counts::Count> all;
  for (const std::string& site : sites) {
    store::CountQuery query;
    query.site_id = site;
    query.limit = 10'000;
    for (;;) {
      absl::StatusOr<store::CountPage> page = store.Find(query);
      if (!page.ok()) return page.status();
      all.insert(all.end(), page->counts.begin(), page->counts.end());
      if (page->last_key.empty()) break;
      query.after_key = page->last_key;
    }
  }
  return all;
}

// The live flyway places discovered sites by the server's privacy settings.
graph::LiveFlywayOptions FlywayOptionsOf(const ServerOptions& options) {
  graph::LiveFlywayOptions flyway = options.flyway;
  flyway.discovered_sites = DiscoveredSitePrivacyFor(options.privacy);
  return flyway;
}

}  // namespace

// The synchronous services (IngestService, TrackService, reflection) serve
// each call on a thread of gRPC's pool, which otherwise grows with the
// calls: a flood of calls would create threads without bound. Each fix
// stream the stream limiter admits holds one thread for its whole life, so
// the pool needs `streams.total` for them. kOtherSyncThreads more serve, at
// the same time: track streams and exports, ListIndividuals, the count
// calls, server reflection, refusals beyond the stream limits (which hold
// a thread for microseconds) and gRPC's pollers, which wait for new calls
// (at least one must be free to take a call at all). With every thread
// busy, gRPC answers a new synchronous call at once with RESOURCE_EXHAUSTED
// ("Server Threadpool Exhausted") instead of starting a thread. The
// callback services (catalog, registry, flyway, reports, access) and the
// health service do not use this pool and keep answering. An idle thread
// costs its stack's address space (8 MiB) but little memory.
int SyncThreadsFor(const StreamLimits& streams) { return streams.total + kOtherSyncThreads; }

absl::StatusOr<std::unique_ptr<WetlinkServer>> WetlinkServer::Start(
    const ServerOptions& options, store::Stores& stores) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<WetlinkServer> server(new WetlinkServer());
  const auto max_bytes = static_cast<std::size_t>(options.max_message_bytes);
  auto access = access::AccessControl::Open(*stores.access, [] { return telemetry::SystemNowMs(); });
  if (!access.ok()) return access.status();
  server->access_ = std::move(*access);
  server->guard_ = std::make_unique<AccessGuard>(*server->access_, *stores.audit, options.privacy,
                                                 [] { return telemetry::SystemNowMs(); });
  AccessGuard& guard = *server->guard_;
  server->seasons_ = options.seasons;
  server->track_source_ = std::make_unique<pipeline::StoreTrackSource>(*stores.registry, *stores.fixes);
  store::CatalogStore* catalog_store = stores.catalog.get();
  server->flyway_ = std::make_unique<graph::LiveFlyway>(
      *server->track_source_, [catalog_store] { return catalog_store->Snapshot(); },
      options.countries, FlywayOptionsOf(options));
  if (auto built = server->flyway_->Rebuild(); !built.ok()) return built.status();
  server->flyway_->Start();
  server->fix_ingestor_ = std::make_unique<pipeline::FixIngestor>(
      *stores.catalog, *stores.registry, *stores.fixes, options.ingest);
  server->fix_ingestor_->SetCommitListener(
      [flyway = server->flyway_.get()](std::uint32_t individual, telemetry::TimestampMs from,
                                       telemetry::TimestampMs to) {
        flyway->NoteFixes(individual, from, to);
      });
  server->reference_editor_ = std::make_unique<pipeline::ReferenceDataEditor>(
      *stores.catalog, *stores.registry, options.ingest.limits);
  server->catalog_service_ = std::make_unique<CatalogService>(
      guard, *stores.catalog, CatalogServiceLimits{.max_import_bytes = max_bytes});
  server->registry_service_ = std::make_unique<RegistryService>(
      guard, *stores.registry, *server->reference_editor_, max_bytes);
  server->count_ingestor_ =
      std::make_unique<pipeline::CountIngestor>(*stores.catalog, *stores.counts);
  server->ingest_service_ = std::make_unique<IngestService>(
      guard, *server->fix_ingestor_, *server->count_ingestor_, *stores.counts, *stores.catalog,
      options.streams);
  server->track_service_ =
      std::make_unique<TrackService>(guard, *stores.registry, *stores.fixes);
  server->flyway_service_ =
      std::make_unique<FlywayService>(guard, *server->flyway_, server->seasons_);
  server->report_desk_ = std::make_unique<reports::ReportDesk>(reports::ReportSources{
      .catalog = [catalog_store] { return catalog_store->Snapshot(); },
      .counts_of_sites = [counts = stores.counts.get()](const std::vector<std::string>& sites) {
        return CountsOfSites(*counts, sites);
      },
      .snapshot = [flyway = server->flyway_.get()] { return flyway->Snapshot(); },
      .seasons = std::make_shared<const graph::SeasonTable>(options.seasons),
      .background = options.map_background ? options.map_background
                                           : std::make_shared<const reports::MapBackground>(),
      .now = [] { return telemetry::SystemNowMs(); },
  });
  server->report_service_ = std::make_unique<ReportService>(guard, *server->report_desk_);
  server->access_service_ = std::make_unique<AccessService>(guard, *stores.registry);

  grpc::ServerBuilder builder;
  // Plaintext, or TLS when options.tls is set; a connection that has not
  // completed its handshake after 10 s is closed.
  builder.AddListeningPort(options.listen_address, MakeServerCredentials(options.tls),
                           &server->port_);
  builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS, 10'000);
  // Keepalive pings go on however long the calls stay silent (gRPC stops
  // after 2 pings without data otherwise).
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS,
                             static_cast<int>(options.keepalive.interval.count()));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                             static_cast<int>(options.keepalive.timeout.count()));
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  grpc::ResourceQuota quota("wetlinkd");
  quota.SetMaxThreads(options.max_sync_threads > 0 ? options.max_sync_threads
                                                   : SyncThreadsFor(options.streams));
  builder.SetResourceQuota(quota);
  builder.RegisterService(server->catalog_service_.get());
  builder.RegisterService(server->registry_service_.get());
  builder.RegisterService(server->ingest_service_.get());
  builder.RegisterService(server->track_service_.get());
  builder.RegisterService(server->flyway_service_.get());
  builder.RegisterService(server->report_service_.get());
  builder.RegisterService(server->access_service_.get());
  server->server_ = builder.BuildAndStart();
  if (!server->server_ || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on '", options.listen_address,
                                               "' (address in use or not local?)"));
  }
  grpc::HealthCheckServiceInterface* health = server->server_->GetHealthCheckService();
  health->SetServingStatus(true);
  for (const char* service : {v1::CatalogService::service_full_name(),
                              v1::RegistryService::service_full_name(),
                              v1::IngestService::service_full_name(),
                              v1::TrackService::service_full_name(),
                              v1::FlywayService::service_full_name(),
                              v1::ReportService::service_full_name(),
                              v1::AccessService::service_full_name()}) {
    health->SetServingStatus(service, true);
  }
  return server;
}

WetlinkServer::~WetlinkServer() { Shutdown(std::chrono::milliseconds(0)); }

void WetlinkServer::Shutdown(std::chrono::milliseconds grace) {
  if (shut_down_ || !server_) return;
  shut_down_ = true;
  server_->GetHealthCheckService()->Shutdown();
  server_->Shutdown(std::chrono::system_clock::now() + grace);
  server_->Wait();
  flyway_->Stop();
}

}  // namespace wetlink::services
