#include "ingest/daemon/uploader.h"

#include <algorithm>
#include <utility>

#include <spdlog/spdlog.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/channel.h"
#include "ingest/daemon/exit_codes.h"

namespace wetlink::ingest::daemon {
namespace {

using Clock = std::chrono::steady_clock;

// gRPC's message for a message over the receiver's size limit, which no
// retry cures.
bool IsMessageTooLarge(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED &&
         (absl::StrContains(status.error_message(), "larger than max") ||
          absl::StrContains(status.error_message(), "message too large"));
}

std::string CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return "OK";
    case grpc::StatusCode::CANCELLED: return "CANCELLED";
    case grpc::StatusCode::UNKNOWN: return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED: return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL: return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS: return "DATA_LOSS";
    default: break;
  }
  return absl::StrCat("code ", static_cast<int>(code));
}

std::string Describe(const grpc::Status& status) {
  return absl::StrCat(status.error_message(), " (", CodeName(status.error_code()), ")");
}

absl::Status ToAbsl(const grpc::Status& status, std::string_view context) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(std::string(context), Describe(status)));
}

std::shared_ptr<grpc::Channel> DefaultChannel(const UploaderOptions& options,
                                              const std::string& server) {
  client::ChannelOptions channel;
  channel.address = server;
  channel.token = options.token;
  channel.tls_root_certs = options.tls_root_certs;
  channel.tls_server_name = options.tls_server_name;
  channel.tls_cert_chain = options.tls_cert_chain;
  channel.tls_private_key = options.tls_private_key;
  grpc::ChannelArguments& args = channel.arguments;
  // Acks list every refused fix; a batch of 100,000 bad fixes makes a large one.
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  // A channel of our own per connection attempt, sharing no subchannel
  // (and no connection backoff) with earlier ones.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  return client::MakeChannel(channel);
}

}  // namespace

bool IsRetryable(const grpc::Status& status) {
  if (IsMessageTooLarge(status)) return false;
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::ABORTED:
    // A server shutting down cancels its streams; we cancel ours only when
    // stuck (the watchdog), which is worth a retry too.
    case grpc::StatusCode::CANCELLED:
    // gRPC reports some transport failures ("Stream removed") as UNKNOWN.
    case grpc::StatusCode::UNKNOWN:
      return true;
    default:
      return false;
  }
}

struct Uploader::Stream {
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::IngestService::Stub> stub;
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReaderWriter<v1::FixBatch, v1::FixAck>> rw;
  std::thread reader;
};

Uploader::Uploader(UploaderOptions options, AckHandler on_ack, const StopSignal& stop,
                   ChannelFactory channel_factory)
    : options_(std::move(options)),
      on_ack_(std::move(on_ack)),
      stop_(stop),
      channel_factory_(channel_factory ? std::move(channel_factory)
                                       : ChannelFactory([this](const std::string& server) {
                                           return DefaultChannel(options_, server);
                                         })),
      backoff_(options_.backoff, options_.uniform01) {
  options_.window = std::max<std::size_t>(options_.window, 1);
  watchdog_ = std::thread([this] { Watchdog(); });
}

Uploader::~Uploader() {
  if (stream_) {
    stream_->context.TryCancel();
    Teardown();
  }
  {
    std::lock_guard lock(mu_);
    shutting_down_ = true;
  }
  cv_.notify_all();
  watchdog_.join();
}

absl::Status Uploader::Send(v1::FixBatch batch) {
  if (absl::Status st = WaitForAcks(options_.window - 1); !st.ok()) return st;
  unacked_.push_back(std::move(batch));
  return Pump();
}

absl::Status Uploader::Poll() { return HandleReceived(); }

absl::Status Uploader::Flush() { return WaitForAcks(0); }

absl::Status Uploader::Close() {
  if (absl::Status st = Flush(); !st.ok()) return st;
  if (!stream_) return absl::OkStatus();
  stream_->rw->WritesDone();
  const grpc::Status finished = Teardown();
  if (absl::Status st = HandleReceived(); !st.ok()) return st;
  if (!finished.ok()) {
    // Everything was acknowledged; how the server ended the stream changes nothing.
    spdlog::debug("stream ended with {}", Describe(finished));
  }
  return absl::OkStatus();
}

absl::Status Uploader::Pump() {
  while (true) {
    if (!stream_) Connect();
    bool failed = false;
    while (written_ < unacked_.size()) {
      {
        // Counted before writing: the ack may be read before Write returns.
        std::lock_guard lock(mu_);
        ++awaiting_;
        last_activity_ = Clock::now();
      }
      if (!stream_->rw->Write(unacked_[written_])) {
        failed = true;
        break;
      }
      ++written_;
    }
    if (!failed) return absl::OkStatus();
    if (absl::Status st = Recover(); !st.ok()) return st;
  }
}

absl::Status Uploader::WaitForAcks(std::size_t limit) {
  while (true) {
    if (absl::Status st = HandleReceived(); !st.ok()) return st;
    if (unacked_.size() <= limit) return absl::OkStatus();
    if (stop_.abort_requested()) {
      return InterruptedError(absl::StrCat("interrupted with ", unacked_.size(),
                                           " batches not acknowledged"));
    }
    bool stream_ended = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(100),
                   [this] { return !received_.empty() || reader_done_; });
      stream_ended = received_.empty() && reader_done_;
    }
    if (stream_ended || !stream_) {
      if (stream_) {
        if (absl::Status st = Recover(); !st.ok()) return st;
      }
      if (absl::Status st = Pump(); !st.ok()) return st;
    }
  }
}

absl::Status Uploader::HandleReceived() {
  std::deque<v1::FixAck> acks;
  {
    std::lock_guard lock(mu_);
    acks.swap(received_);
  }
  for (const v1::FixAck& ack : acks) {
    if (unacked_.empty() || written_ == 0 || unacked_.front().sequence() != ack.sequence()) {
      return absl::InternalError(absl::StrCat(
          "the server acknowledged batch ", ack.sequence(), " but the oldest batch in flight is ",
          unacked_.empty() ? std::string("none") : absl::StrCat(unacked_.front().sequence())));
    }
    unacked_.pop_front();
    --written_;
    // Progress: a later outage starts its backoff afresh.
    if (outage_start_) {
      spdlog::info("stream to {} restored after {:.1f} s", options_.server,
                   std::chrono::duration<double>(Clock::now() - *outage_start_).count());
    }
    outage_start_.reset();
    backoff_.Reset();
    if (absl::Status st = on_ack_(ack); !st.ok()) return st;
  }
  return absl::OkStatus();
}

void Uploader::Connect() {
  auto stream = std::make_unique<Stream>();
  stream->channel = channel_factory_(options_.server);
  stream->stub = v1::IngestService::NewStub(stream->channel);
  stream->rw = stream->stub->StreamFixes(&stream->context);
  {
    std::lock_guard lock(mu_);
    reader_done_ = false;
    awaiting_ = 0;
    timed_out_ = false;
    last_activity_ = Clock::now();
    live_context_ = &stream->context;
  }
  auto* rw = stream->rw.get();
  stream->reader = std::thread([this, rw] {
    v1::FixAck ack;
    while (rw->Read(&ack)) {
      std::lock_guard lock(mu_);
      received_.push_back(std::move(ack));
      ack = v1::FixAck();
      if (awaiting_ > 0) --awaiting_;
      last_activity_ = Clock::now();
      cv_.notify_all();
    }
    std::lock_guard lock(mu_);
    reader_done_ = true;
    cv_.notify_all();
  });
  written_ = 0;
  stream_ = std::move(stream);
}

grpc::Status Uploader::Teardown() {
  if (!stream_) return grpc::Status::OK;
  stream_->reader.join();
  grpc::Status status = stream_->rw->Finish();
  bool timed_out = false;
  {
    std::lock_guard lock(mu_);
    live_context_ = nullptr;
    awaiting_ = 0;
    timed_out = timed_out_;
    timed_out_ = false;
  }
  // written_ stays: acks read before the failure are still handled.
  stream_.reset();
  if (timed_out) {
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                        absl::StrCat("no acknowledgement for ", options_.ack_timeout.count(),
                                     " ms; the stream was cancelled"));
  }
  return status;
}

absl::Status Uploader::Recover() {
  // The reader ends by itself once the call is over; a Write that failed
  // means it is.
  grpc::Status status = Teardown();
  if (absl::Status st = HandleReceived(); !st.ok()) return st;
  if (status.ok()) {
    if (unacked_.empty()) return absl::OkStatus();
    status = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          absl::StrCat("the server ended the stream with ", unacked_.size(),
                                       " batches unacknowledged"));
  }
  last_failure_ = status;
  if (!IsRetryable(status)) {
    if (IsMessageTooLarge(status)) {
      return ToAbsl(status, "a batch is larger than the server accepts (lower --batch-size): ");
    }
    return ToAbsl(status, "the server ended the upload: ");
  }
  const Clock::time_point now = Clock::now();
  if (!outage_start_) outage_start_ = now;
  std::chrono::milliseconds delay = backoff_.Next();
  if (options_.max_retry) {
    // The last attempt is made when the time is up, then no more.
    const Clock::time_point deadline = *outage_start_ + *options_.max_retry;
    if (now >= deadline) {
      return absl::UnavailableError(absl::StrFormat(
          "gave up after %.1f s without any batch acknowledged (--max-retry-s %.1f); last error: "
          "%s; %d batches unacknowledged (the checkpoint keeps what was acknowledged)",
          std::chrono::duration<double>(now - *outage_start_).count(),
          std::chrono::duration<double>(*options_.max_retry).count(), Describe(status),
          unacked_.size()));
    }
    delay = std::min(delay, std::chrono::ceil<std::chrono::milliseconds>(deadline - now));
  }
  spdlog::warn("stream to {} failed: {}; {} batches unacknowledged; reconnecting in {} ms",
               options_.server, Describe(status), unacked_.size(), delay.count());
  if (stop_.WaitForAbort(delay)) {
    return InterruptedError(absl::StrCat("interrupted while the server was unreachable, with ",
                                         unacked_.size(), " batches not acknowledged"));
  }
  ++reconnects_;
  return absl::OkStatus();
}

void Uploader::Watchdog() {
  std::unique_lock lock(mu_);
  while (!shutting_down_) {
    cv_.wait_for(lock, std::chrono::milliseconds(250));
    if (shutting_down_) break;
    if (live_context_ != nullptr && awaiting_ > 0 && !timed_out_ &&
        Clock::now() - last_activity_ > options_.ack_timeout) {
      timed_out_ = true;
      live_context_->TryCancel();
    }
  }
}

}  // namespace wetlink::ingest::daemon
