#ifndef WETLINK_INGEST_DAEMON_DAEMON_H_
#define WETLINK_INGEST_DAEMON_DAEMON_H_

// wetlink-ingest as a library: `push` (send files once) and `watch` (keep
// sending what appears in a folder), over the batch builder, checkpoint,
// uploader, rejects file and progress reporter of this folder. The
// executable (wetlink_ingest_main.cc) parses the command line into
// DaemonOptions; tests call RunPush/RunWatch in-process.
//
// Guarantees: a row counts as done only once the server acknowledged the
// batch carrying it (or, for a row the parser refused, every batch before
// it); the checkpoint and the rejects file are on disk before the run moves
// on. A run interrupted anywhere (daemon killed, server restarted) and run
// again sends each row at least once in all, and the server stores each
// fix once.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "ingest/daemon/backoff.h"
#include "ingest/daemon/progress.h"
#include "ingest/daemon/stop_signal.h"
#include "ingest/daemon/summary.h"
#include "ingest/daemon/uploader.h"
#include "ingest/fix_file.h"
#include "ingest/generic_csv.h"
#include "telemetry/fix.h"
#include "wetlink/v1/ingest.pb.h"

namespace wetlink::ingest::daemon {

// The server's limit of fixes per batch (pipeline::FixIngestOptions).
inline constexpr std::size_t kMaxBatchSize = 100'000;

struct DaemonOptions {
  std::string server = "127.0.0.1:50051";  // wetlinkd, host:port
  std::string token;            // bearer token of an ingest role; "" sends none
  std::string tls_root_certs;   // PEM of wetlinkd's CA; "" is plaintext
  std::string tls_server_name;  // certificate name, if not the host's
  std::string tls_cert_chain;   // PEM client certificate (mutual TLS); "" none
  std::string tls_private_key;  // PEM key of tls_cert_chain
  std::string study;                       // study id, required
  bool auto_register = false;              // FixBatch.auto_register
  FixFileFormat format = FixFileFormat::kAuto;
  std::optional<ColumnMapping> mapping;  // for the csv format
  std::string default_tag_id;            // tag of files that name none
  std::string state_dir = "./var/wetlink-ingest";  // checkpoint.json, lock, rejects.csv
  std::string rejects_path;  // "" = <state_dir>/rejects.csv
  std::size_t batch_size = 10'000;  // source rows per batch, 1..kMaxBatchSize
  std::size_t window = 4;           // batches in flight
  BackoffPolicy backoff;
  // Reconnect attempts stop after this long without progress; nullopt =
  // never (the CLI's defaults: 600 s for push, forever for watch).
  std::optional<std::chrono::milliseconds> max_retry;
  std::chrono::milliseconds ack_timeout{120'000};
  ProgressMode progress = ProgressMode::kAuto;
  std::chrono::milliseconds progress_interval{10'000};
  // UTC now, for the "timestamp in the future" check of the parsers.
  // Required.
  std::function<telemetry::TimestampMs()> now_ms;
  // push: ignore the checkpoint and send every row again (the server counts
  // stored fixes as duplicates).
  bool from_start = false;
  // watch: time between two looks at the folder.
  std::chrono::milliseconds watch_interval{5'000};
  // watch: a CSV's last line without a line break may be half written (a
  // buffered writer flushes mid-line); it is read only once the file has
  // not changed for this long.
  std::chrono::milliseconds settle{60'000};

  // For tests: called on the daemon thread after each ack is applied and
  // the checkpoint saved.
  std::function<void(const v1::FixAck&)> after_ack;
  Uploader::ChannelFactory channel_factory;
  std::function<double()> uniform01;
};

// InvalidArgument naming the option when `options` cannot work.
absl::Status ValidateOptions(const DaemonOptions& options);

struct DaemonResult {
  RunSummary summary;
  // Why the run stopped early (server, state folder), or OK. File errors
  // are in the summary.
  absl::Status status;
  int exit_code = 0;  // see exit_codes.h
  bool interrupted = false;  // a stop was requested before every row was read
  std::uint64_t batches_sent = 0;  // distinct batches (re-sends not counted)
  std::uint64_t rows_sent = 0;     // source rows read and handed on (this run)
  std::uint64_t reconnects = 0;
  std::string rejects_path;
};

// Sends the rows of `files` not yet acknowledged, in order, then waits for
// every ack. A file that cannot be read, fails mid-read or has a batch
// refused whole is reported and skipped; the run goes on with the next.
// A stop request ends reading; batches in flight are still waited for.
DaemonResult RunPush(const DaemonOptions& options, const std::vector<std::string>& files,
                     const StopSignal& stop);

// Looks at the folder `dir` every watch_interval and sends the new rows of
// its fix files (by extension, see IsWatchedFileName): new files, and files
// that grew. A CSV is read up to its last complete line (a last line without
// '\n' once the file has not changed for `settle`); a GPX file once it has
// not changed between two looks. Runs until a stop is requested, then
// finishes the batches in flight; exit code 0 unless a fatal error ended it.
DaemonResult RunWatch(const DaemonOptions& options, const std::string& dir,
                      const StopSignal& stop);

}  // namespace wetlink::ingest::daemon

#endif  // WETLINK_INGEST_DAEMON_DAEMON_H_
