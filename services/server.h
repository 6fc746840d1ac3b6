#ifndef WETLINK_SERVICES_SERVER_H_
#define WETLINK_SERVICES_SERVER_H_

// Assembles the gRPC server: the Wetlink services (access, catalog,
// registry, ingest, tracks, flyway, reports) over the stores, behind the
// access guard; the standard health service (grpc.health.v1.Health) and
// server reflection, which need no token.

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "access/access_control.h"
#include "access/location_privacy.h"
#include "graph/live_flyway.h"
#include "graph/seasons.h"
#include "pipeline/count_ingest.h"
#include "pipeline/fix_ingest.h"
#include "pipeline/reference_data.h"
#include "pipeline/store_track_source.h"
#include "reports/report_desk.h"
#include "services/access_guard.h"
#include "services/server_credentials.h"
#include "services/stream_limiter.h"
#include "store/stores.h"

namespace grpc {
class Server;
}

namespace wetlink::services {

class AccessService;
class CatalogService;
class FlywayService;
class IngestService;
class RegistryService;
class ReportService;
class TrackService;

// A client that vanished without closing its connection (a network cut, a
// frozen machine) would hold its fix streams, and their slots of the stream
// limits, until TCP gives up. wetlinkd pings a connection with calls open
// every `interval` and closes it, cancelling its calls, when a ping goes
// unanswered for `timeout`.
struct KeepaliveOptions {
  std::chrono::milliseconds interval{60'000};
  std::chrono::milliseconds timeout{20'000};
};

struct ServerOptions {
  // host:port; port 0 picks a free port (see WetlinkServer::port()).
  // Default loopback only.
  std::string listen_address = "127.0.0.1:50051";
  // Largest request or response message, in bytes. Default 64 MiB, enough
  // for a GeoPackage of a few thousand site boundaries.
  int max_message_bytes = 64 << 20;
  // Open fix streams one token may have, and all tokens together; a stream
  // beyond either is refused at once (RESOURCE_EXHAUSTED).
  StreamLimits streams;
  // Threads of the synchronous services (fix and track streams, counts,
  // reflection); 0 means SyncThreadsFor(streams). Beyond it gRPC refuses a
  // new synchronous call at once (RESOURCE_EXHAUSTED, "Server Threadpool
  // Exhausted"). Tests set it small.
  int max_sync_threads = 0;
  // Validation limits and batch size of fix ingest.
  pipeline::FixIngestOptions ingest;
  // The live flyway graph: segmentation parameters and update pacing.
  graph::LiveFlywayOptions flyway;
  // Named seasons for flyway queries (wetlinkd: data/flyway/seasons.json).
  graph::SeasonTable seasons;
  // Country of discovered candidate sites; unset leaves it unknown ("").
  graph::CountryLookup countries;
  // Country outlines drawn on report maps; unset draws none.
  std::shared_ptr<const reports::MapBackground> map_background;
  // Which species' locations are generalised for callers without full
  // access to a study, to what grid, and for how long they are withheld.
  access::LocationPrivacy privacy;
  // TLS for the gRPC port (services/server_credentials.h); default plaintext.
  TlsOptions tls;
  // Pings on connections with calls open (below).
  KeepaliveOptions keepalive;
};

// The default bound on the synchronous services' threads for these stream
// limits: one for every fix stream admitted, and kOtherSyncThreads more.
inline constexpr int kOtherSyncThreads = 32;
int SyncThreadsFor(const StreamLimits& streams);

class WetlinkServer {
 public:
  // Builds the flyway graph from the stored fixes, then starts serving.
  // `stores` must outlive the server. Unavailable naming the address if it
  // cannot be bound; a storage error if the graph cannot be built.
  static absl::StatusOr<std::unique_ptr<WetlinkServer>> Start(const ServerOptions& options,
                                                              store::Stores& stores);
  ~WetlinkServer();

  // The bound port (useful with port 0).
  int port() const { return port_; }

  // The live flyway graph (for wetlinkd's logs and the tests).
  graph::LiveFlyway& flyway() { return *flyway_; }

  // Site reports and species lists, for transports other than gRPC (HTTP).
  const reports::ReportDesk& reports() const { return *report_desk_; }

  // Tokens and study sharing (wetlinkd issues the first admin token).
  access::AccessControl& access() { return *access_; }
  // Authentication and the audit log, for transports other than gRPC.
  AccessGuard& guard() { return *guard_; }

  // Marks every service NOT_SERVING, stops accepting calls and waits up to
  // `grace` for running calls before cancelling them. Idempotent.
  void Shutdown(std::chrono::milliseconds grace);

 private:
  WetlinkServer() = default;

  graph::SeasonTable seasons_;
  std::unique_ptr<access::AccessControl> access_;
  std::unique_ptr<AccessGuard> guard_;
  std::unique_ptr<pipeline::StoreTrackSource> track_source_;
  std::unique_ptr<graph::LiveFlyway> flyway_;
  std::unique_ptr<pipeline::FixIngestor> fix_ingestor_;
  std::unique_ptr<pipeline::CountIngestor> count_ingestor_;
  std::unique_ptr<pipeline::ReferenceDataEditor> reference_editor_;
  std::unique_ptr<CatalogService> catalog_service_;
  std::unique_ptr<RegistryService> registry_service_;
  std::unique_ptr<IngestService> ingest_service_;
  std::unique_ptr<TrackService> track_service_;
  std::unique_ptr<FlywayService> flyway_service_;
  std::unique_ptr<reports::ReportDesk> report_desk_;
  std::unique_ptr<ReportService> report_service_;
  std::unique_ptr<AccessService> access_service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool shut_down_ = false;
};

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_SERVER_H_
