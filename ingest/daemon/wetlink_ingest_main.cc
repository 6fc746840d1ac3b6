// wetlink-ingest: the daemon tagging teams run to stream GPS fixes to
// wetlinkd. `push FILE...` sends files once; `watch DIR` keeps sending what
// appears in a folder. See docs/INGEST_DAEMON.md.

#include <pthread.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "absl/synchronization/mutex.h"
#include "client/channel.h"
#include "ingest/daemon/daemon.h"
#include "telemetry/timestamp.h"
#include "ingest/daemon/exit_codes.h"
#include "ingest/daemon/stop_signal.h"
#include "ingest/fix_file.h"
#include "ingest/generic_csv.h"

namespace {

using namespace wetlink::ingest::daemon;  // NOLINT(build/namespaces)

// Blocks SIGINT/SIGTERM before any other thread exists (every thread
// inherits the mask) and lets one thread receive them: the first asks the
// run to stop, the second to abandon the batches in flight.
void HandleSignals(StopSignal& stop) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set, &stop] {
    for (int received = 0;; ++received) {
      int signal_number = 0;
      if (sigwait(&set, &signal_number) != 0) return;
      const char* name = signal_number == SIGINT ? "SIGINT" : "SIGTERM";
      if (received == 0) {
        spdlog::warn("{}: finishing the batches in flight (again to abandon them)", name);
        stop.RequestStop();
      } else {
        spdlog::warn("{}: abandoning the batches in flight (the checkpoint keeps what was "
                     "acknowledged)",
                     name);
        stop.RequestAbort();
      }
    }
  }).detach();
}

void SetUpLogging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("wetlink-ingest");
  // On a terminal, clear the progress line before each log line.
  logger->set_pattern(::isatty(STDERR_FILENO) ? "\r\033[K[%H:%M:%S.%e] [%^%l%$] %v"
                                              : "[%Y-%m-%d %H:%M:%S.%e] [%l] %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace

int main(int argc, char** argv) {
  // Debian builds Abseil with mutex deadlock detection on; gRPC's mutexes
  // then pay for a lock-order graph on every lock (a few % of CPU under load).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  CLI::App app{
      "wetlink-ingest - stream GPS fixes from telemetry files to wetlinkd, resuming where the "
      "server's acknowledgements stopped"};
  app.require_subcommand(1);
  app.fallthrough();

  DaemonOptions options;
  if (const char* env = std::getenv("WETLINK_SERVER"); env != nullptr && *env != '\0') {
    options.server = env;
  }
  std::string format_name = "auto";
  std::string map_spec;
  std::optional<double> max_retry_s;
  double progress_interval_s = 10;
  std::string log_level = "info";

  app.add_option("--server", options.server, "wetlinkd address host:port (env WETLINK_SERVER)")
      ->capture_default_str();
  std::string token_file;
  std::string tls_ca_file;
  if (const char* env = std::getenv("WETLINK_TLS_CA"); env != nullptr && *env != '\0') {
    tls_ca_file = env;
  }
  std::string tls_cert_file;
  std::string tls_key_file;
  if (const char* env = std::getenv("WETLINK_TLS_CERT"); env != nullptr && *env != '\0') {
    tls_cert_file = env;
  }
  if (const char* env = std::getenv("WETLINK_TLS_KEY"); env != nullptr && *env != '\0') {
    tls_key_file = env;
  }
  app.add_option("--token-file", token_file,
                 "file holding an ingest token for the study (else env WETLINK_TOKEN, else the "
                 "file named by env WETLINK_TOKEN_FILE)");
  app.add_option("--tls-ca", tls_ca_file,
                 "PEM file of the CA of wetlinkd's certificate: connect over TLS "
                 "(env WETLINK_TLS_CA)");
  app.add_option("--tls-server-name", options.tls_server_name,
                 "name to check wetlinkd's certificate against, if not the address's host");
  app.add_option("--tls-cert", tls_cert_file,
                 "PEM file of the team's client certificate, for a wetlinkd that requires one "
                 "(env WETLINK_TLS_CERT)");
  app.add_option("--tls-key", tls_key_file,
                 "PEM file of the key of --tls-cert (env WETLINK_TLS_KEY)");
  app.add_option("--study", options.study, "study id the fixes belong to")->required();
  app.add_flag("--auto-register", options.auto_register,
               "create the study, individuals, tags and deployments from the files' "
               "tag-local-identifier and individual-local-identifier (Movebank-style)");
  app.add_option("--format", format_name, "input format")
      ->check(CLI::IsMember({"auto", "movebank", "csv", "gpx"}))
      ->type_name("auto|movebank|csv|gpx")
      ->capture_default_str();
  app.add_option("--map", map_spec,
                 "column mapping of a logger's CSV, e.g. "
                 "'timestamp=UTC_DATETIME,lat=Latitude,lon=Longitude,tag=TagID'");
  app.add_option("--tag", options.default_tag_id, "tag of files that name none (single-tag files)");
  app.add_option("--state-dir", options.state_dir, "folder of the checkpoint and rejects file")
      ->capture_default_str();
  app.add_option("--rejects", options.rejects_path,
                 "CSV the rejected records are appended to (default <state-dir>/rejects.csv)");
  app.add_option("--batch-size", options.batch_size, "rows per batch")
      ->check(CLI::Range(std::size_t{1}, kMaxBatchSize))
      ->capture_default_str();
  app.add_option("--window", options.window, "batches in flight")
      ->check(CLI::Range(std::size_t{1}, std::size_t{64}))
      ->capture_default_str();
  app.add_option("--max-retry-s", max_retry_s,
                 "give up after this many seconds without reaching the server "
                 "(default 600 for push, unlimited for watch)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--progress-interval", progress_interval_s,
                 "seconds between progress log lines when stderr is not a terminal")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();

  std::vector<std::string> files;
  CLI::App* push = app.add_subcommand("push", "send files once, then exit");
  push->add_option("FILE", files, "telemetry files (Movebank CSV, mapped CSV, GPX)")
      ->required()
      ->check(CLI::ExistingFile);
  push->add_flag("--from-start", options.from_start,
                 "ignore the checkpoint and send every row again (stored fixes come back as "
                 "duplicates)");

  std::string dir;
  double interval_s = 5;
  CLI::App* watch = app.add_subcommand(
      "watch", "send new files and new rows of growing files in a folder until SIGINT/SIGTERM");
  watch->add_option("DIR", dir, "folder to watch")->required()->check(CLI::ExistingDirectory);
  watch->add_option("--interval", interval_s, "seconds between looks at the folder")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  double settle_s = 60;
  watch->add_option("--settle", settle_s,
                    "seconds a CSV must stay unchanged before a last line without a line break "
                    "is read (it may be half written)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }

  absl::StatusOr<std::string> token = wetlink::client::ResolveToken(token_file);
  if (!token.ok()) {
    std::cerr << "wetlink-ingest: --token-file: " << token.status().message() << "\n";
    return kExitUsage;
  }
  options.token = *std::move(token);
  if (!tls_ca_file.empty()) {
    absl::StatusOr<std::string> ca = wetlink::client::ReadCaFile(tls_ca_file);
    if (!ca.ok()) {
      std::cerr << "wetlink-ingest: --tls-ca: " << ca.status().message() << "\n";
      return kExitUsage;
    }
    options.tls_root_certs = *std::move(ca);
  }
  if (!tls_cert_file.empty() || !tls_key_file.empty()) {
    if (tls_ca_file.empty()) {
      std::cerr << "wetlink-ingest: --tls-cert: a client certificate needs TLS: give --tls-ca\n";
      return kExitUsage;
    }
    absl::StatusOr<wetlink::client::ClientCertificate> certificate =
        wetlink::client::ReadClientCertificate(tls_cert_file, tls_key_file);
    if (!certificate.ok()) {
      std::cerr << "wetlink-ingest: --tls-cert: " << certificate.status().message() << "\n";
      return kExitUsage;
    }
    options.tls_cert_chain = std::move(certificate->cert_chain);
    options.tls_private_key = std::move(certificate->private_key);
  }

  auto format = wetlink::ingest::ParseFixFileFormat(format_name);
  if (!format.ok()) {
    std::cerr << "wetlink-ingest: " << format.status().message() << "\n";
    return kExitUsage;
  }
  options.format = *format;
  if (!map_spec.empty()) {
    auto mapping = wetlink::ingest::ParseColumnMapping(map_spec);
    if (!mapping.ok()) {
      std::cerr << "wetlink-ingest: --map: " << mapping.status().message() << "\n";
      return kExitUsage;
    }
    options.mapping = std::move(*mapping);
  }
  options.now_ms = wetlink::telemetry::SystemNowMs;
  options.progress_interval =
      std::chrono::milliseconds(static_cast<long long>(progress_interval_s * 1000));
  const bool watching = watch->parsed();
  if (max_retry_s) {
    options.max_retry = std::chrono::milliseconds(static_cast<long long>(*max_retry_s * 1000));
  } else if (!watching) {
    options.max_retry = std::chrono::seconds(600);
  }
  options.watch_interval = std::chrono::milliseconds(static_cast<long long>(interval_s * 1000));
  options.settle = std::chrono::milliseconds(static_cast<long long>(settle_s * 1000));
  if (absl::Status st = ValidateOptions(options); !st.ok()) {
    std::cerr << "wetlink-ingest: " << st.message() << "\n";
    return kExitUsage;
  }

  SetUpLogging(log_level);
  StopSignal stop;
  HandleSignals(stop);

  const DaemonResult result =
      watching ? RunWatch(options, dir, stop) : RunPush(options, files, stop);
  std::fflush(stderr);
  if (!result.summary.files.empty()) {
    std::cout << FormatSummary(result.summary, result.rejects_path) << std::flush;
  }
  if (!result.status.ok()) {
    std::cerr << "wetlink-ingest: " << result.status.message() << "\n";
  } else if (result.interrupted) {
    std::cerr << "wetlink-ingest: interrupted; the acknowledged rows are checkpointed, run "
                 "again to send the rest\n";
  }
  return result.exit_code;
}
