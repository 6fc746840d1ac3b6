#ifndef WETLINK_INGEST_DAEMON_UPLOADER_H_
#define WETLINK_INGEST_DAEMON_UPLOADER_H_

// Sends fix batches to wetlinkd over one IngestService.StreamFixes stream
// and hands back their acks, in order, surviving restarts of the server.
//
// At most `window` batches are unacknowledged at any time, so memory stays
// bounded whatever the size of the input. When the stream fails with a
// status a server crash or restart produces (UNAVAILABLE, DEADLINE_EXCEEDED,
// RESOURCE_EXHAUSTED, INTERNAL, ABORTED, CANCELLED, UNKNOWN) the uploader
// reconnects with exponential backoff (a new channel each time, so gRPC's
// own connection backoff does not stretch ours) and re-sends every batch not
// yet acknowledged; the server counts fixes it had already stored as
// duplicates, so nothing is lost or doubled. It gives up after `max_retry`
// without progress. Other statuses (INVALID_ARGUMENT, PERMISSION_DENIED,
// UNAUTHENTICATED, FAILED_PRECONDITION, ..., and a message over the server's
// size limit) end the upload at once.
//
// Not thread-safe: one thread calls Send/Flush/Close, and the ack handler
// runs on that thread, inside those calls. The uploader runs a reader
// thread per stream and one watchdog thread of its own.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "ingest/daemon/backoff.h"
#include "ingest/daemon/stop_signal.h"
#include "wetlink/v1/ingest.grpc.pb.h"

namespace wetlink::ingest::daemon {

struct UploaderOptions {
  std::string server = "127.0.0.1:50051";  // host:port of wetlinkd
  std::string token;           // bearer token; "" sends none
  std::string tls_root_certs;  // PEM of wetlinkd's CA; "" is plaintext
  std::string tls_server_name; // certificate name, if not the host's
  std::string tls_cert_chain;  // PEM client certificate (mutual TLS); "" none
  std::string tls_private_key;             // PEM key of tls_cert_chain
  std::size_t window = 4;                  // batches in flight, at least 1
  BackoffPolicy backoff;                   // reconnect delays
  // How long to keep reconnecting without any batch being acknowledged
  // before giving up (UNAVAILABLE); nullopt: forever.
  std::optional<std::chrono::milliseconds> max_retry;
  // A stream with batches in flight and no ack for this long is deemed
  // stuck: cancelled and retried (as DEADLINE_EXCEEDED).
  std::chrono::milliseconds ack_timeout{120'000};
  // Random source of the backoff jitter (tests); default: seeded at random.
  std::function<double()> uniform01;
};

// Whether a stream that ended with `status` is worth retrying.
bool IsRetryable(const grpc::Status& status);

class Uploader {
 public:
  // Called with each ack, in order of the batches. An error ends the upload
  // (Send/Flush return it).
  using AckHandler = std::function<absl::Status(const v1::FixAck&)>;
  // Makes the channel to `server`; default: client::MakeChannel with the
  // options' token and TLS and the arguments described in uploader.cc.
  using ChannelFactory = std::function<std::shared_ptr<grpc::Channel>(const std::string& server)>;

  // `stop` must outlive the uploader; an abort request ends waits with an
  // interrupted status.
  Uploader(UploaderOptions options, AckHandler on_ack, const StopSignal& stop,
           ChannelFactory channel_factory = {});
  // Cancels a stream still open (unacknowledged batches stay unacknowledged).
  ~Uploader();
  Uploader(const Uploader&) = delete;
  Uploader& operator=(const Uploader&) = delete;

  // Queues `batch` and writes it, first waiting (handling acks) while the
  // window is full. Opens the stream if there is none. Returns the first
  // unrecoverable error: a non-retryable status, giving up, an abort
  // request, or the ack handler's error.
  absl::Status Send(v1::FixBatch batch);

  // Handles acks already received, without waiting.
  absl::Status Poll();

  // Waits until every batch sent is acknowledged (reconnecting as needed).
  absl::Status Flush();

  // Flushes, then ends the stream (WritesDone, Finish). The next Send opens
  // a new one.
  absl::Status Close();

  std::size_t in_flight() const { return unacked_.size(); }
  // Streams opened after a failure, since construction.
  std::uint64_t reconnects() const { return reconnects_; }

 private:
  struct Stream;

  // Writes the queued batches not yet written on the current stream,
  // opening and re-opening it as needed.
  absl::Status Pump();
  // Waits until at most `limit` batches are unacknowledged.
  absl::Status WaitForAcks(std::size_t limit);
  // Hands the acks the reader has received to the handler.
  absl::Status HandleReceived();
  // Opens a stream on a new channel and starts its reader.
  void Connect();
  // Joins the reader and finishes the current stream; its status.
  grpc::Status Teardown();
  // After the stream failed: tears it down and, if its status is
  // retryable, waits for the next backoff delay. OK means "connect again".
  absl::Status Recover();
  void Watchdog();

  UploaderOptions options_;
  AckHandler on_ack_;
  const StopSignal& stop_;
  ChannelFactory channel_factory_;
  Backoff backoff_;

  // Sent, or to be sent, and not acknowledged; in order.
  std::deque<v1::FixBatch> unacked_;
  // How many of unacked_ went out on the current stream.
  std::size_t written_ = 0;
  std::unique_ptr<Stream> stream_;
  // When the current outage began (the first failure since the last ack).
  std::optional<std::chrono::steady_clock::time_point> outage_start_;
  std::uint64_t reconnects_ = 0;
  grpc::Status last_failure_;

  // Shared with the reader and watchdog threads.
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<v1::FixAck> received_;
  bool reader_done_ = false;
  grpc::ClientContext* live_context_ = nullptr;  // of stream_, for the watchdog
  std::size_t awaiting_ = 0;  // written on the current stream, not yet answered
  std::chrono::steady_clock::time_point last_activity_;
  bool timed_out_ = false;  // the watchdog cancelled the current stream
  bool shutting_down_ = false;
  std::thread watchdog_;
};

}  // namespace wetlink::ingest::daemon

#endif  // WETLINK_INGEST_DAEMON_UPLOADER_H_
