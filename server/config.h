#ifndef WETLINK_SERVER_CONFIG_H_
#define WETLINK_SERVER_CONFIG_H_

// wetlinkd's configuration: defaults, overridden by an optional TOML file
// (deploy/wetlinkd.example.toml documents every key), overridden by
// command-line flags.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "graph/segmentation_params.h"
#include "server/tls_config.h"

namespace wetlink::server {

struct Config {
  // [server] listen: host:port. Default loopback only; port 0 picks one.
  std::string listen = "127.0.0.1:50051";
  // [server] max_message_mb: largest request/response, MiB. Default 64.
  int max_message_mb = 64;
  // [server] max_streams_per_token: open fix streams (StreamFixes) one
  // token may have, 1 to 1024 and at most max_streams; one more is refused
  // with RESOURCE_EXHAUSTED. Default 4.
  int max_streams_per_token = 4;
  // [server] max_streams: open fix streams of all tokens together, 1 to
  // 1024. Default 64. Each holds a server thread; the synchronous services'
  // threads are bounded at this plus 32 (services/server.cc).
  int max_streams = 64;
  // [server] shutdown_grace_ms: time running calls get on SIGINT/SIGTERM.
  int shutdown_grace_ms = 5000;
  // [storage] data_dir: RocksDB folder, created if missing. Default
  // ./var/wetlink (relative to the working directory).
  std::string data_dir = "var/wetlink";
  // [storage] sync_writes: fsync each write before acknowledging. Default true.
  bool sync_writes = true;
  // [flyway] min_stay_hours, max_gap_hours, max_excursion_hours,
  // max_diameter_m, cluster_distance_m: the live segmentation parameters
  // (graph/segmentation_params.h has their meaning, ranges and defaults).
  graph::SegmentationParams flyway;
  // [http] listen: host:port of the read-only HTTP pages (health, reports).
  // Default loopback port 8080; port 0 picks one; "" turns HTTP off. HTTPS
  // when [tls] is set; a non-loopback address needs TLS or
  // allow_plaintext_remote (see below).
  std::string http_listen = "127.0.0.1:8080";
  // [auth] admin_token_file: where wetlinkd writes a first admin token (mode
  // 0600) when the data folder has no usable one. Default "" means
  // <data_dir>/admin.token.
  std::string admin_token_file;
  // [privacy] sensitive_species: catalog species ids whose locations are
  // generalised for callers without full access to a study. Unset: every
  // species the catalog lists as threatened (IUCN CR, EN or VU).
  std::optional<std::vector<std::string>> sensitive_species;
  // [privacy] grid_deg: cell size of the generalisation grid, degrees, in
  // (0, 10]. Default 0.2.
  double privacy_grid_deg = 0.2;
  // [privacy] embargo_days: positions newer than this are withheld from
  // those callers, 0 to 3650. Default 30.
  int privacy_embargo_days = 30;
  // [tls]: certificate, key and optional client CA, for gRPC and HTTP alike
  // (server/tls_config.h). Default: none, plaintext.
  TlsConfig tls;
  // [server] allow_plaintext_remote: accept a non-loopback listen address
  // (gRPC or HTTP) without TLS, with a warning in the log. Default false.
  bool allow_plaintext_remote = false;
  // [log] level: trace, debug, info, warn, error. Default info.
  std::string log_level = "info";
  // Not in the file: write the bound port here once listening (for tests
  // and supervisors that start wetlinkd on port 0).
  std::string port_file;
  // Not in the file: write the bound HTTP port here once listening.
  std::string http_port_file;
};

// Reads `path` over `base`. InvalidArgument naming the file, line and key on
// a syntax error, an unknown key or a value of the wrong type or range.
absl::StatusOr<Config> LoadConfigFile(const std::string& path, Config base);

// InvalidArgument naming the setting when a value is out of range.
absl::Status ValidateConfig(const Config& config);

}  // namespace wetlink::server

#endif  // WETLINK_SERVER_CONFIG_H_
