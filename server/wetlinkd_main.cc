// wetlinkd: the Wetlink server. Opens the RocksDB data folder (seeding the
// bundled site catalog on first start), serves gRPC with health checking and
// reflection, serves read-only HTTP pages (server/http_routes.h), both over
// TLS when configured (docs/TLS.md), and shuts down cleanly on SIGINT/SIGTERM.

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "absl/synchronization/mutex.h"
#include "data/bundled_catalog.h"
#include "data/bundled_countries.h"
#include "graph/seasons.h"
#include "http/http_server.h"
#include "reports/render.h"
#include "server/config.h"
#include "server/access_setup.h"
#include "server/http_routes.h"
#include "server/tls_config.h"
#include "services/server.h"
#include "store/stores.h"
#include "store/database.h"

namespace {

using wetlink::server::Config;

int Fail(const std::string& message) {
  spdlog::critical("{}", message);
  return EXIT_FAILURE;
}

// Blocks SIGINT/SIGTERM in this thread before any other thread exists, so
// every gRPC and RocksDB thread inherits the mask and only sigwait() below
// receives them.
sigset_t BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// Writes `port` to `path` through a temporary file renamed into place, so a
// reader never sees a half-written file.
bool WritePortFile(const std::string& path, int port) {
  std::ofstream out(path + ".tmp");
  out << port << "\n";
  out.close();
  return out && std::rename((path + ".tmp").c_str(), path.c_str()) == 0;
}

// TLS: what each listener serves, and a loud warning for plaintext that
// other machines can reach (allowed by allow_plaintext_remote).
void LogTransportSecurity(const Config& config) {
  if (config.tls.enabled()) {
    spdlog::info("TLS on for gRPC and HTTP: certificate {}, key {}{}", config.tls.cert_file,
                 config.tls.key_file,
                 config.tls.client_ca_file.empty()
                     ? std::string(", no client certificates asked for")
                     : ", client certificates required (CA " + config.tls.client_ca_file + ")");
    return;
  }
  for (const auto& [setting, listen] :
       {std::pair<std::string, std::string>{"server.listen", config.listen},
        std::pair<std::string, std::string>{"http.listen", config.http_listen}}) {
    if (listen.empty() || wetlink::server::IsLoopbackListenAddress(listen)) continue;
    spdlog::warn("!!! PLAINTEXT on {} ({}): other machines can reach it and everything, "
                 "access tokens included, crosses the network unencrypted; allowed by "
                 "server.allow_plaintext_remote. Configure [tls] (docs/TLS.md) unless a "
                 "trusted network or proxy protects this address !!!",
                 listen, setting);
  }
}

int Run(const Config& config, const wetlink::server::TlsMaterial& tls) {
  const sigset_t signals = BlockShutdownSignals();
  LogTransportSecurity(config);
  for (const std::string& warning : tls.warnings) spdlog::warn("TLS: {}", warning);

  wetlink::store::CatalogStore::OpenReport report;
  auto stores = wetlink::store::OpenStores(config.data_dir, {.sync_writes = config.sync_writes},
                                           wetlink::data::BundledCatalogFiles(), &report);
  if (!stores.ok()) return Fail(std::string(stores.status().message()));
  if (report.seeded) {
    spdlog::info("new data folder {}: loaded the bundled catalog", config.data_dir);
  }
  spdlog::info("catalog: {} sites, {} complexes, {} species", report.sites, report.complexes,
               report.species);

  auto seasons = wetlink::graph::SeasonTable::FromJson(wetlink::data::BundledSeasonsJson());
  if (!seasons.ok()) return Fail(std::string(seasons.status().message()));
  auto countries = wetlink::data::BundledCountries();
  if (!countries.ok()) return Fail(std::string(countries.status().message()));
  wetlink::services::ServerOptions options{.listen_address = config.listen,
                                           .max_message_bytes = config.max_message_mb << 20,
                                           .streams = {.per_token = config.max_streams_per_token,
                                                       .total = config.max_streams},
                                           .max_sync_threads = 0,
                                           .ingest = {},
                                           .flyway = {.params = config.flyway},
                                           .seasons = std::move(*seasons),
                                           .countries = {},
                                           .map_background = {},
                                           .privacy = {},
                                           .tls = {},
                                           .keepalive = {}};
  options.tls = {.certificate_chain_pem = tls.certificate_chain_pem,
                 .private_key_pem = tls.private_key_pem,
                 .client_ca_pem = tls.client_ca_pem};
  // Discovered sites on tidal flats lie seaward of the 1:50m coastline: the
  // nearest country within this distance is theirs.
  constexpr double kCoastalReachM = 20'000;
  options.countries = [index = *countries](wetlink::geo::LatLon p) {
    return std::string(index->NearestCountry(p, kCoastalReachM));
  };
  auto outlines = wetlink::data::BundledCountryOutlines();
  if (!outlines.ok()) return Fail(std::string(outlines.status().message()));
  options.map_background =
      std::make_shared<const wetlink::reports::MapBackground>(wetlink::reports::MapBackground{
          .countries = **outlines});
  auto privacy = wetlink::server::LocationPrivacyOf(config, *(*stores)->catalog->Snapshot());
  if (!privacy.ok()) return Fail(std::string(privacy.status().message()));
  options.privacy = *std::move(privacy);
  const auto started = std::chrono::steady_clock::now();
  auto server = wetlink::services::WetlinkServer::Start(options, **stores);
  if (!server.ok()) return Fail(std::string(server.status().message()));
  const std::string admin_token_path = wetlink::server::AdminTokenPath(config);
  auto issued = wetlink::server::EnsureAdminToken((*server)->access(), admin_token_path);
  if (!issued.ok()) return Fail(std::string(issued.status().message()));
  if (*issued) {
    spdlog::warn("no usable admin token: wrote a new one to {} (owner-only); use it with "
                 "'wetlink --token-file {} token create ...' to issue the others",
                 admin_token_path, admin_token_path);
  }
  spdlog::info("sensitive species (locations generalised to {} deg, embargo {} days): {}",
               options.privacy.grid_deg, config.privacy_embargo_days,
               fmt::join(options.privacy.sensitive_species, ", "));
  {
    const auto snapshot = (*server)->flyway().Snapshot();
    spdlog::info("flyway graph: {} individuals, {} transitions, {} nodes ({:.2f} s)",
                 snapshot->individuals().size(), snapshot->transitions().size(),
                 snapshot->nodes().size(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  spdlog::info("wetlinkd listening on {} (port {}), data in {}", config.listen,
               (*server)->port(), config.data_dir);
  spdlog::info("limits: fix streams {} per token, {} in all; {} synchronous threads; messages "
               "up to {} MiB",
               config.max_streams_per_token, config.max_streams,
               wetlink::services::SyncThreadsFor(options.streams), config.max_message_mb);
  std::unique_ptr<wetlink::http::HttpServer> http_server;
  if (!config.http_listen.empty()) {
    wetlink::http::HttpServerOptions http_options;
    http_options.listen = config.http_listen;
    http_options.tls.certificate_chain_pem = tls.certificate_chain_pem;
    http_options.tls.private_key_pem = tls.private_key_pem;
    http_options.tls.client_ca_pem = tls.client_ca_pem;
    auto started_http = wetlink::http::HttpServer::Start(
        http_options,
        [router = wetlink::server::MakeHttpRoutes(
             (*server)->reports(),
             [&guard = (*server)->guard()](std::string_view token, wetlink::access::Action action,
                                          std::string_view page) {
               return guard.Admit(token, "http", action, page);
             })](const wetlink::http::HttpRequest& request) { return router.Handle(request); });
    if (!started_http.ok()) return Fail(std::string(started_http.status().message()));
    http_server = *std::move(started_http);
    spdlog::info("wetlinkd serving {} on {} (port {})", config.tls.enabled() ? "HTTPS" : "HTTP",
                 config.http_listen, http_server->port());
  } else {
    spdlog::info("HTTP is off ([http] listen is empty)");
    if (!config.http_port_file.empty()) {
      spdlog::warn("--http-port-file {} is not written: HTTP is off", config.http_port_file);
    }
  }
  // The HTTP port first: a supervisor waiting for the gRPC port file then
  // finds both.
  if (http_server && !config.http_port_file.empty() &&
      !WritePortFile(config.http_port_file, http_server->port())) {
    return Fail("cannot write HTTP port file '" + config.http_port_file + "'");
  }
  if (!config.port_file.empty() && !WritePortFile(config.port_file, (*server)->port())) {
    return Fail("cannot write port file '" + config.port_file + "'");
  }

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  spdlog::info("received {}, shutting down", signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  if (http_server) {
    http_server->Shutdown();
    http_server.reset();
  }
  (*server)->Shutdown(std::chrono::milliseconds(config.shutdown_grace_ms));
  server->reset();
  if (absl::Status st = (*stores)->Close(); !st.ok()) return Fail(std::string(st.message()));
  spdlog::info("wetlinkd stopped cleanly");
  return EXIT_SUCCESS;
}

}  // namespace

int main(int argc, char** argv) {
  // Debian builds Abseil with mutex deadlock detection on; gRPC's mutexes
  // then pay for a lock-order graph on every lock (a few % of CPU under load).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  CLI::App app{"wetlinkd - the Wetlink server: wetland connectivity of migratory waterbirds"};
  std::string config_path;
  Config flags;
  app.add_option("-c,--config", config_path, "TOML configuration file (see deploy/)")
      ->check(CLI::ExistingFile);
  auto* listen = app.add_option("--listen", flags.listen, "host:port to listen on")
                     ->capture_default_str();
  auto* data_dir = app.add_option("--data-dir", flags.data_dir, "RocksDB data folder")
                       ->capture_default_str();
  auto* log_level = app.add_option("--log-level", flags.log_level,
                                   "trace, debug, info, warn, error or off")
                        ->capture_default_str();
  app.add_option("--port-file", flags.port_file, "write the bound port to this file");
  auto* http_listen =
      app.add_option("--http-listen", flags.http_listen,
                     "host:port for the read-only HTTP pages (HTTPS with --tls-cert); \"\" "
                     "turns HTTP off")
          ->capture_default_str();
  app.add_option("--http-port-file", flags.http_port_file,
                 "write the bound HTTP port to this file");
  auto* max_streams_per_token =
      app.add_option("--max-streams-per-token", flags.max_streams_per_token,
                     "open fix streams one token may have ([server] max_streams_per_token)")
          ->capture_default_str();
  auto* max_streams = app.add_option("--max-streams", flags.max_streams,
                                     "open fix streams in all ([server] max_streams)")
                          ->capture_default_str();
  auto* admin_token_file =
      app.add_option("--admin-token-file", flags.admin_token_file,
                     "where to write a first admin token when the data folder has no usable "
                     "one (default <data-dir>/admin.token)");
  auto* tls_cert = app.add_option("--tls-cert", flags.tls.cert_file,
                                  "PEM certificate chain: serve gRPC and HTTP over TLS");
  auto* tls_key = app.add_option("--tls-key", flags.tls.key_file,
                                 "PEM private key of --tls-cert (unencrypted)");
  auto* tls_client_ca =
      app.add_option("--tls-client-ca", flags.tls.client_ca_file,
                     "PEM CA certificates: require client certificates they signed (mutual TLS)");
  auto* allow_plaintext_remote =
      app.add_flag("--allow-plaintext-remote", flags.allow_plaintext_remote,
                   "accept a non-loopback listen address without TLS (logs a warning)");
  CLI11_PARSE(app, argc, argv);

  Config config;
  if (!config_path.empty()) {
    auto loaded = wetlink::server::LoadConfigFile(config_path, config);
    if (!loaded.ok()) {
      std::cerr << "wetlinkd: " << loaded.status().message() << "\n";
      return 2;
    }
    config = *loaded;
  }
  // Flags given on the command line win over the file.
  if (listen->count() > 0) config.listen = flags.listen;
  if (data_dir->count() > 0) config.data_dir = flags.data_dir;
  if (log_level->count() > 0) config.log_level = flags.log_level;
  if (http_listen->count() > 0) config.http_listen = flags.http_listen;
  if (admin_token_file->count() > 0) config.admin_token_file = flags.admin_token_file;
  if (tls_cert->count() > 0) config.tls.cert_file = flags.tls.cert_file;
  if (tls_key->count() > 0) config.tls.key_file = flags.tls.key_file;
  if (tls_client_ca->count() > 0) config.tls.client_ca_file = flags.tls.client_ca_file;
  if (allow_plaintext_remote->count() > 0) config.allow_plaintext_remote = true;
  if (max_streams_per_token->count() > 0) config.max_streams_per_token = flags.max_streams_per_token;
  if (max_streams->count() > 0) config.max_streams = flags.max_streams;
  config.port_file = flags.port_file;
  config.http_port_file = flags.http_port_file;
  if (absl::Status st = wetlink::server::ValidateConfig(config); !st.ok()) {
    std::cerr << "wetlinkd: " << st.message() << "\n";
    return 2;
  }
  // The TLS files are read and checked now, so that a wrong one stops
  // wetlinkd before it serves anything.
  wetlink::server::TlsMaterial tls;
  if (config.tls.enabled()) {
    absl::StatusOr<wetlink::server::TlsMaterial> loaded =
        wetlink::server::LoadTlsMaterial(config.tls);
    if (!loaded.ok()) {
      std::cerr << "wetlinkd: " << loaded.status().message() << "\n";
      return 2;
    }
    tls = *std::move(loaded);
  }
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  return Run(config, tls);
}
