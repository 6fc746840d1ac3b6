#include "server/config.h"

#include <cmath>
#include <set>
#include <string_view>
#include <utility>

#include <toml++/toml.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "http/http_server.h"
#include "server/tls_config_file.h"

namespace wetlink::server {
namespace {

// Upper bound of [server] max_streams and max_streams_per_token: each
// stream holds a thread.
constexpr int64_t kMaxStreamsLimit = 1024;

const std::set<std::string, std::less<>> kLogLevels = {"trace", "debug", "info",
                                                       "warn",  "error", "off"};

std::string Where(const std::string& path, const toml::node& node) {
  const toml::source_region& src = node.source();
  return absl::StrCat(path, ":", src.begin.line);
}

// Checks that `table` holds only `known` keys, so typos do not pass silently.
absl::Status CheckKeys(const std::string& path, const std::string& table_name,
                       const toml::table& table, const std::set<std::string_view>& known) {
  for (const auto& [key, node] : table) {
    if (!known.contains(key.str())) {
      return absl::InvalidArgumentError(absl::StrCat(Where(path, node), ": unknown key '",
                                                     table_name, table_name.empty() ? "" : ".",
                                                     std::string(key.str()), "'"));
    }
  }
  return absl::OkStatus();
}

template <typename T>
absl::Status Read(const std::string& path, const toml::table* table, const std::string& table_name,
                  const std::string& key, T& out) {
  if (table == nullptr) return absl::OkStatus();
  const toml::node* node = table->get(key);
  if (node == nullptr) return absl::OkStatus();
  std::optional<T> value = node->value<T>();
  if (!value.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(Where(path, *node), ": '", table_name, ".", key,
                                                   "' has the wrong type"));
  }
  out = *value;
  return absl::OkStatus();
}

// [auth] and [privacy].
absl::Status ReadAccessTables(const std::string& path, const toml::table& root, Config& config) {
  const toml::table* auth = root["auth"].as_table();
  const toml::table* privacy = root["privacy"].as_table();
  if (auth) {
    if (auto st = CheckKeys(path, "auth", *auth, {"admin_token_file"}); !st.ok()) return st;
  }
  if (privacy) {
    if (auto st = CheckKeys(path, "privacy", *privacy,
                            {"sensitive_species", "grid_deg", "embargo_days"});
        !st.ok()) {
      return st;
    }
    if (const toml::node* node = privacy->get("sensitive_species")) {
      const toml::array* list = node->as_array();
      if (list == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat(
            Where(path, *node), ": 'privacy.sensitive_species' must be a list of species ids"));
      }
      std::vector<std::string> species;
      for (const toml::node& item : *list) {
        std::optional<std::string> id = item.value<std::string>();
        if (!id) {
          return absl::InvalidArgumentError(absl::StrCat(
              Where(path, item), ": 'privacy.sensitive_species' must hold strings"));
        }
        species.push_back(*id);
      }
      config.sensitive_species = std::move(species);
    }
  }
  int64_t embargo_days = config.privacy_embargo_days;
  for (absl::Status st :
       {Read(path, auth, "auth", "admin_token_file", config.admin_token_file),
        Read(path, privacy, "privacy", "grid_deg", config.privacy_grid_deg),
        Read(path, privacy, "privacy", "embargo_days", embargo_days)}) {
    if (!st.ok()) return st;
  }
  if (embargo_days < 0 || embargo_days > 3650) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": 'privacy.embargo_days' must be in [0, 3650]"));
  }
  config.privacy_embargo_days = static_cast<int>(embargo_days);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Config> LoadConfigFile(const std::string& path, Config base) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& err) {
    return absl::InvalidArgumentError(absl::StrCat(path, ":", err.source().begin.line, ": ",
                                                   std::string(err.description())));
  }
  if (absl::Status st = CheckKeys(
          path, "", root, {"server", "storage", "flyway", "http", "log", "tls", "auth", "privacy"});
      !st.ok()) {
    return st;
  }
  if (absl::Status st = ReadAccessTables(path, root, base); !st.ok()) return st;
  const toml::table* server = root["server"].as_table();
  const toml::table* storage = root["storage"].as_table();
  const toml::table* log = root["log"].as_table();
  const toml::table* flyway = root["flyway"].as_table();
  const toml::table* http = root["http"].as_table();
  if (flyway) {
    if (auto st = CheckKeys(path, "flyway", *flyway,
                            {"min_stay_hours", "max_gap_hours", "max_excursion_hours",
                             "max_diameter_m", "cluster_distance_m"});
        !st.ok()) {
      return st;
    }
  }
  if (server) {
    if (auto st = CheckKeys(path, "server", *server,
                            {"listen", "max_message_mb", "max_streams_per_token", "max_streams",
                             "shutdown_grace_ms", "allow_plaintext_remote"});
        !st.ok()) {
      return st;
    }
  }
  if (storage) {
    if (auto st = CheckKeys(path, "storage", *storage, {"data_dir", "sync_writes"}); !st.ok()) {
      return st;
    }
  }
  if (http) {
    if (auto st = CheckKeys(path, "http", *http, {"listen"}); !st.ok()) return st;
  }
  if (log) {
    if (auto st = CheckKeys(path, "log", *log, {"level"}); !st.ok()) return st;
  }
  constexpr double kMsPerHour = 3'600'000.0;
  double min_stay_h = static_cast<double>(base.flyway.min_stay_ms) / kMsPerHour;
  double max_gap_h = static_cast<double>(base.flyway.max_gap_ms) / kMsPerHour;
  double max_excursion_h = static_cast<double>(base.flyway.max_excursion_ms) / kMsPerHour;
  int64_t max_message_mb = base.max_message_mb;
  int64_t grace = base.shutdown_grace_ms;
  int64_t streams_per_token = base.max_streams_per_token;
  int64_t streams = base.max_streams;
  for (absl::Status st : {Read(path, server, "server", "listen", base.listen),
                          Read(path, server, "server", "max_message_mb", max_message_mb),
                          Read(path, server, "server", "max_streams_per_token", streams_per_token),
                          Read(path, server, "server", "max_streams", streams),
                          Read(path, server, "server", "shutdown_grace_ms", grace),
                          Read(path, storage, "storage", "data_dir", base.data_dir),
                          Read(path, storage, "storage", "sync_writes", base.sync_writes),
                          Read(path, http, "http", "listen", base.http_listen),
                          Read(path, log, "log", "level", base.log_level),
                          Read(path, flyway, "flyway", "min_stay_hours", min_stay_h),
                          Read(path, flyway, "flyway", "max_gap_hours", max_gap_h),
                          Read(path, flyway, "flyway", "max_excursion_hours", max_excursion_h),
                          Read(path, flyway, "flyway", "max_diameter_m",
                               base.flyway.max_diameter_m),
                          Read(path, flyway, "flyway", "cluster_distance_m",
                               base.flyway.cluster_distance_m)}) {
    if (!st.ok()) return st;
  }
  // [tls] and whether plaintext may face other machines (server/tls_config.h).
  if (absl::Status st = ReadTlsTable(path, root["tls"].as_table(), base.tls); !st.ok()) return st;
  if (absl::Status st = Read(path, server, "server", "allow_plaintext_remote",
                             base.allow_plaintext_remote);
      !st.ok()) {
    return st;
  }
  if (max_message_mb < 1 || max_message_mb > 1024) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": 'server.max_message_mb' must be in [1, 1024]"));
  }
  for (auto [key, value] : {std::pair<const char*, int64_t>{"max_streams_per_token",
                                                            streams_per_token},
                            std::pair<const char*, int64_t>{"max_streams", streams}}) {
    if (value < 1 || value > kMaxStreamsLimit) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": 'server.", key, "' must be in [1, ",
                                                     kMaxStreamsLimit, "]"));
    }
  }
  if (grace < 0 || grace > 600'000) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": 'server.shutdown_grace_ms' must be in [0, 600000]"));
  }
  for (double hours : {min_stay_h, max_gap_h, max_excursion_h}) {
    if (!std::isfinite(hours) || hours < 0 || hours > 365.0 * 24) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": a [flyway] duration is outside 0 to 8760 hours: ", hours));
    }
  }
  base.flyway.min_stay_ms = std::llround(min_stay_h * kMsPerHour);
  base.flyway.max_gap_ms = std::llround(max_gap_h * kMsPerHour);
  base.flyway.max_excursion_ms = std::llround(max_excursion_h * kMsPerHour);
  base.max_message_mb = static_cast<int>(max_message_mb);
  base.shutdown_grace_ms = static_cast<int>(grace);
  base.max_streams_per_token = static_cast<int>(streams_per_token);
  base.max_streams = static_cast<int>(streams);
  if (absl::Status st = ValidateConfig(base); !st.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", st.message()));
  }
  return base;
}

absl::Status ValidateConfig(const Config& config) {
  if (!kLogLevels.contains(config.log_level)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "log level '", config.log_level, "' is unknown (trace, debug, info, warn, error, off)"));
  }
  if (config.listen.empty() || config.listen.find(':') == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address '", config.listen, "' must be host:port"));
  }
  if (!config.http_listen.empty()) {
    absl::StatusOr<http::ListenAddress> address = http::ParseListenAddress(config.http_listen);
    if (!address.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("http.listen: ", address.status().message()));
    }
    if (config.http_listen == config.listen && address->port != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("http.listen '", config.http_listen, "' is also the gRPC listen address"));
    }
  }
  // TLS, and which addresses other machines may reach (server/tls_config.h).
  if (absl::Status st = ValidateTlsConfig(config.tls); !st.ok()) return st;
  if (absl::Status st = CheckRemoteListen("server.listen", config.listen, config.tls,
                                          config.allow_plaintext_remote);
      !st.ok()) {
    return st;
  }
  if (!config.http_listen.empty()) {
    if (absl::Status st = CheckRemoteListen("http.listen", config.http_listen, config.tls,
                                            config.allow_plaintext_remote);
        !st.ok()) {
      return st;
    }
  }
  if (config.data_dir.empty()) return absl::InvalidArgumentError("data_dir must not be empty");
  if (!(config.privacy_grid_deg > 0 && config.privacy_grid_deg <= 10)) {
    return absl::InvalidArgumentError(
        absl::StrCat("privacy.grid_deg ", config.privacy_grid_deg, " must be in (0, 10]"));
  }
  if (config.max_message_mb < 1 || config.max_message_mb > 1024) {
    return absl::InvalidArgumentError("max_message_mb must be in [1, 1024]");
  }
  if (config.max_streams < 1 || config.max_streams > kMaxStreamsLimit) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_streams ", config.max_streams, " must be in [1, ", kMaxStreamsLimit, "]"));
  }
  if (config.max_streams_per_token < 1 || config.max_streams_per_token > config.max_streams) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_streams_per_token ", config.max_streams_per_token, " must be in [1, max_streams = ",
        config.max_streams, "]"));
  }
  if (absl::Status st = graph::ValidateSegmentationParams(config.flyway); !st.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("flyway.", st.message()));
  }
  return absl::OkStatus();
}

}  // namespace wetlink::server
