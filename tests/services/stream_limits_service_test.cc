// The overload limits of a real gRPC server on 127.0.0.1 over a temporary
// RocksDB: fix streams per token and in all (StreamLimiter through
// IngestService.StreamFixes), and the bound on the synchronous services'
// threads, with the callback services and health checks answering while
// it is reached.

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "data/bundled_catalog.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/server.h"
#include "store/stores.h"
#include "tests/services/server_testing.h"
#include "tests/testing/tcp_relay.h"
#include "wetlink/v1/catalog.grpc.pb.h"
#include "wetlink/v1/ingest.grpc.pb.h"

namespace wetlink::services {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr auto kCallTime = std::chrono::seconds(20);

// One fix stream, opened and held until Close().
class OpenStream {
 public:
  explicit OpenStream(v1::IngestService::Stub& stub) {
    ctx_.set_deadline(std::chrono::system_clock::now() + kCallTime);
    stream_ = stub.StreamFixes(&ctx_);
  }

  // Sends an empty batch of a study nobody registered and reads its
  // acknowledgement (a batch rejection): true when the stream was admitted.
  // When it was refused, status() tells why.
  bool Admitted() {
    v1::FixBatch batch;
    batch.set_sequence(1);
    batch.set_study_id("no-such-study");
    v1::FixAck ack;
    if (stream_->Write(batch) && stream_->Read(&ack)) return true;
    Close();
    return false;
  }

  const grpc::Status& Close() {
    if (!closed_) {
      stream_->WritesDone();
      status_ = stream_->Finish();
      closed_ = true;
    }
    return status_;
  }
  const grpc::Status& status() const { return status_; }

 private:
  grpc::ClientContext ctx_;
  std::unique_ptr<grpc::ClientReaderWriter<v1::FixBatch, v1::FixAck>> stream_;
  grpc::Status status_;
  bool closed_ = false;
};

class StreamLimitsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("wetlink-limits-" + std::to_string(std::random_device{}()));
    auto stores =
        store::OpenStores(dir_.string(), {.sync_writes = false}, data::BundledCatalogFiles());
    ASSERT_TRUE(stores.ok()) << stores.status();
    stores_ = std::move(*stores);
  }

  void TearDown() override {
    server_.reset();
    stores_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Start(StreamLimits streams, int max_sync_threads = 0, KeepaliveOptions keepalive = {}) {
    ServerOptions options = testing::LoopbackOptions();
    options.streams = streams;
    options.max_sync_threads = max_sync_threads;
    options.keepalive = keepalive;
    auto server = WetlinkServer::Start(options, *stores_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }

  // An IngestService stub presenting a new admin token of `holder`.
  std::unique_ptr<v1::IngestService::Stub> Ingest(const std::string& holder) {
    return v1::IngestService::NewStub(testing::ChannelWithToken(
        *server_, testing::IssueToken(*server_, access::Role::kAdmin, {}, holder)));
  }

  // Health and a catalog query answer, each within `within`.
  void ExpectResponsive(std::chrono::milliseconds within) {
    auto channel = testing::AdminChannel(*server_);
    {
      auto health = grpc::health::v1::Health::NewStub(channel);
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + within);
      grpc::health::v1::HealthCheckRequest req;
      grpc::health::v1::HealthCheckResponse resp;
      grpc::Status st = health->Check(&ctx, req, &resp);
      EXPECT_TRUE(st.ok()) << st.error_message();
      EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING);
    }
    {
      auto catalog = v1::CatalogService::NewStub(channel);
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + within);
      v1::GetSiteRequest req;
      req.set_id("izumi");
      v1::Site site;
      grpc::Status st = catalog->GetSite(&ctx, req, &site);
      EXPECT_TRUE(st.ok()) << st.error_message();
      EXPECT_EQ(site.id(), "izumi");
    }
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Stores> stores_;
  std::unique_ptr<WetlinkServer> server_;
};

TEST_F(StreamLimitsServiceTest, StreamsBeyondEitherLimitAreRefusedAndPlacesComeBack) {
  ASSERT_NO_FATAL_FAILURE(Start({.per_token = 2, .total = 3}));
  auto a = Ingest("team-a");
  auto b = Ingest("team-b");

  std::vector<std::unique_ptr<OpenStream>> held;
  for (int i = 0; i < 2; ++i) {
    held.push_back(std::make_unique<OpenStream>(*a));
    ASSERT_TRUE(held.back()->Admitted()) << held.back()->status().error_message();
  }
  OpenStream third_of_a(*a);
  ASSERT_FALSE(third_of_a.Admitted());
  EXPECT_EQ(third_of_a.status().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(third_of_a.status().error_message(), HasSubstr("max_streams_per_token = 2"));

  held.push_back(std::make_unique<OpenStream>(*b));
  ASSERT_TRUE(held.back()->Admitted()) << held.back()->status().error_message();
  OpenStream second_of_b(*b);
  ASSERT_FALSE(second_of_b.Admitted());
  EXPECT_EQ(second_of_b.status().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  // The total, and nothing of who holds the streams.
  EXPECT_THAT(second_of_b.status().error_message(),
              AllOf(HasSubstr("max_streams = 3"), Not(HasSubstr("team-a"))));

  // A stream that ends gives its place back.
  EXPECT_TRUE(held.front()->Close().ok()) << held.front()->status().error_message();
  OpenStream after(*b);
  EXPECT_TRUE(after.Admitted()) << after.status().error_message();
  EXPECT_TRUE(after.Close().ok());
  for (auto& stream : held) EXPECT_TRUE(stream->Close().ok());

  // Refusals go to the audit log under their holder.
  access::AuditQuery query;
  query.holder = "team-b";
  auto events = server_->guard().audit_log().List(query);
  ASSERT_TRUE(events.ok()) << events.status();
  int refused = 0;
  for (const access::AuditEvent& e : *events) {
    if (e.action == "IngestService.StreamFixes" && e.outcome == "RESOURCE_EXHAUSTED") {
      ++refused;
      EXPECT_THAT(e.detail, HasSubstr("max_streams = 3"));
    }
  }
  EXPECT_EQ(refused, 1);
}

// A client cut off without its connection closing (here: a relay that stops
// passing bytes) holds its stream until a keepalive ping goes unanswered;
// then the stream is cancelled and its place comes back.
TEST_F(StreamLimitsServiceTest, AStreamOfAClientCutOffIsDroppedWhenItsPingGoesUnanswered) {
  ASSERT_NO_FATAL_FAILURE(Start({.per_token = 1, .total = 8}, 0,
                                {.interval = std::chrono::milliseconds(300),
                                 .timeout = std::chrono::milliseconds(500)}));
  const std::string token = testing::IssueToken(*server_, access::Role::kAdmin, {}, "roaming");
  auto relay = std::make_unique<wetlink::testing::TcpRelay>(server_->port());
  ASSERT_NE(relay->port(), 0);
  client::ChannelOptions via_relay;
  via_relay.address = "127.0.0.1:" + std::to_string(relay->port());
  via_relay.token = token;
  auto cut_off = v1::IngestService::NewStub(client::MakeChannel(via_relay));
  auto direct = v1::IngestService::NewStub(testing::ChannelWithToken(*server_, token));

  OpenStream held(*cut_off);
  ASSERT_TRUE(held.Admitted()) << held.status().error_message();
  // Answered pings keep it open: its place stays taken.
  std::this_thread::sleep_for(std::chrono::milliseconds(1'500));
  OpenStream refused(*direct);
  ASSERT_FALSE(refused.Admitted());
  EXPECT_EQ(refused.status().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);

  relay->Freeze();
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool admitted = false;
  while (!admitted && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    OpenStream next(*direct);
    admitted = next.Admitted();
    if (admitted) {
      EXPECT_TRUE(next.Close().ok()) << next.status().error_message();
    }
  }
  EXPECT_TRUE(admitted) << "the cut-off stream still holds the token's only place";
  // The client learns of it once the relay closes its end.
  relay.reset();
  EXPECT_FALSE(held.Close().ok());
}

TEST_F(StreamLimitsServiceTest, SyncThreadsAreBoundedAndTheRestKeepsAnswering) {
  // Stream limits well above the threads: the thread bound is reached first.
  constexpr int kThreads = 4;
  ASSERT_NO_FATAL_FAILURE(Start({.per_token = 16, .total = 16}, kThreads));
  std::vector<std::unique_ptr<v1::IngestService::Stub>> stubs;
  std::vector<std::unique_ptr<OpenStream>> held;
  grpc::Status refusal;
  for (int i = 0; i < 2 * kThreads && refusal.ok(); ++i) {
    stubs.push_back(Ingest("team-" + std::to_string(i)));
    auto stream = std::make_unique<OpenStream>(*stubs.back());
    if (stream->Admitted()) {
      held.push_back(std::move(stream));
    } else {
      refusal = stream->status();
    }
  }
  // gRPC keeps one thread waiting for calls: at most kThreads - 1 are held.
  EXPECT_GE(held.size(), 1u);
  EXPECT_LT(held.size(), static_cast<std::size_t>(kThreads));
  EXPECT_EQ(refusal.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << refusal.error_message();
  // gRPC's own refusal, not the stream limiter's.
  EXPECT_THAT(refusal.error_message(), HasSubstr("Threadpool Exhausted"));

  ASSERT_NO_FATAL_FAILURE(ExpectResponsive(std::chrono::seconds(5)));

  // Threads come back when streams end (a thread returns to gRPC's pool
  // just after its call's status is sent: a few tries).
  for (auto& stream : held) EXPECT_TRUE(stream->Close().ok()) << stream->status().error_message();
  bool admitted = false;
  for (int attempt = 0; attempt < 50 && !admitted; ++attempt) {
    OpenStream after(*stubs.front());
    admitted = after.Admitted();
    if (admitted) {
      EXPECT_TRUE(after.Close().ok());
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  EXPECT_TRUE(admitted);
}

TEST(SyncThreadsTest, TheDefaultBoundLeavesRoomBeyondTheStreams) {
  EXPECT_EQ(SyncThreadsFor({.per_token = 4, .total = 64}), 64 + kOtherSyncThreads);
  EXPECT_GT(SyncThreadsFor({.per_token = 1, .total = 1}), 1);
}

}  // namespace
}  // namespace wetlink::services
