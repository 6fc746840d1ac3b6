// The uploader against a fake IngestService on 127.0.0.1: acks in order
// within the window, a non-retryable status ends the upload at once, a
// server that stops answering is cancelled and retried until the give-up
// time.

#include "ingest/daemon/uploader.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wetlink/v1/ingest.grpc.pb.h"

namespace wetlink::ingest::daemon {
namespace {

using ::testing::HasSubstr;

enum class Behaviour { kAck, kRefuse, kSilent };

class FakeIngest final : public v1::IngestService::Service {
 public:
  explicit FakeIngest(Behaviour behaviour) : behaviour_(behaviour) {}

  grpc::Status StreamFixes(grpc::ServerContext* ctx,
                           grpc::ServerReaderWriter<v1::FixAck, v1::FixBatch>* stream) override {
    ++streams;
    if (behaviour_ == Behaviour::kRefuse) {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "study 'x' is not yours");
    }
    v1::FixBatch batch;
    while (stream->Read(&batch)) {
      ++batches;
      if (behaviour_ == Behaviour::kSilent) continue;
      v1::FixAck ack;
      ack.set_sequence(batch.sequence());
      ack.set_accepted(static_cast<std::uint32_t>(batch.fixes_size()));
      if (!stream->Write(ack)) break;
    }
    return ctx->IsCancelled() ? grpc::Status::CANCELLED : grpc::Status::OK;
  }

  std::atomic<int> streams{0};
  std::atomic<int> batches{0};

 private:
  Behaviour behaviour_;
};

class UploaderTest : public ::testing::Test {
 protected:
  void Serve(Behaviour behaviour) {
    service_ = std::make_unique<FakeIngest>(behaviour);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }

  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::system_clock::now());
  }

  UploaderOptions Options() const {
    UploaderOptions o;
    o.server = "127.0.0.1:" + std::to_string(port_);
    o.window = 3;
    o.backoff = {.initial = std::chrono::milliseconds(20),
                 .multiplier = 2,
                 .max = std::chrono::milliseconds(100),
                 .jitter = 0.2};
    o.max_retry = std::chrono::seconds(5);
    return o;
  }

  static v1::FixBatch Batch(std::uint64_t sequence, int fixes) {
    v1::FixBatch b;
    b.set_sequence(sequence);
    b.add_tags("T1");
    for (int i = 0; i < fixes; ++i) b.add_fixes()->set_timestamp_ms(i);
    return b;
  }

  std::unique_ptr<FakeIngest> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  StopSignal stop_;
};

TEST_F(UploaderTest, HandsBackEveryAckInOrderWithinTheWindow) {
  Serve(Behaviour::kAck);
  std::vector<std::uint64_t> acked;
  Uploader uploader(Options(), [&](const v1::FixAck& ack) {
    acked.push_back(ack.sequence());
    EXPECT_EQ(ack.accepted(), ack.sequence() % 5);
    return absl::OkStatus();
  }, stop_);
  for (std::uint64_t s = 1; s <= 50; ++s) {
    ASSERT_TRUE(uploader.Send(Batch(s, static_cast<int>(s % 5))).ok());
    EXPECT_LE(uploader.in_flight(), 3u);
  }
  ASSERT_TRUE(uploader.Close().ok());
  ASSERT_EQ(acked.size(), 50u);
  for (std::size_t i = 0; i < acked.size(); ++i) EXPECT_EQ(acked[i], i + 1);
  EXPECT_EQ(uploader.reconnects(), 0u);
  EXPECT_EQ(service_->streams.load(), 1) << "one stream for all batches";
}

TEST_F(UploaderTest, AHandlerErrorEndsTheUpload) {
  Serve(Behaviour::kAck);
  Uploader uploader(Options(), [](const v1::FixAck&) {
    return absl::PermissionDeniedError("disk full");
  }, stop_);
  absl::Status st = uploader.Send(Batch(1, 1));
  if (st.ok()) st = uploader.Flush();
  EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(UploaderTest, ANonRetryableStatusEndsTheUploadAtOnce) {
  Serve(Behaviour::kRefuse);
  Uploader uploader(Options(), [](const v1::FixAck&) { return absl::OkStatus(); }, stop_);
  const auto start = std::chrono::steady_clock::now();
  absl::Status st = uploader.Send(Batch(1, 1));
  if (st.ok()) st = uploader.Flush();
  EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied) << st;
  EXPECT_THAT(st.message(), HasSubstr("not yours"));
  EXPECT_THAT(st.message(), HasSubstr("PERMISSION_DENIED"));
  EXPECT_EQ(uploader.reconnects(), 0u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_F(UploaderTest, AServerThatStopsAnsweringIsRetriedThenGivenUp) {
  Serve(Behaviour::kSilent);
  UploaderOptions o = Options();
  o.ack_timeout = std::chrono::milliseconds(300);
  o.max_retry = std::chrono::milliseconds(1000);
  Uploader uploader(o, [](const v1::FixAck&) { return absl::OkStatus(); }, stop_);
  const auto start = std::chrono::steady_clock::now();
  absl::Status st = uploader.Send(Batch(1, 1));
  if (st.ok()) st = uploader.Flush();
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable) << st;
  EXPECT_THAT(st.message(), HasSubstr("gave up"));
  EXPECT_THAT(st.message(), HasSubstr("no acknowledgement"));
  EXPECT_GE(uploader.reconnects(), 1u);
  EXPECT_GE(service_->batches.load(), 2) << "the batch was sent again on a new stream";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace wetlink::ingest::daemon
