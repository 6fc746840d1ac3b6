// Every RPC of every wetlink.v1 service, called by every role (and without a
// token, and with a revoked one) over real gRPC: the roles the table below
// names get past access control, the others get PERMISSION_DENIED with no
// response message, and a call without a valid token gets UNAUTHENTICATED.
// The table is written out by hand, independently of access/permissions.cc;
// a service method missing from it fails the test.

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "data/bundled_catalog.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "store/stores.h"
#include "tests/services/server_testing.h"
#include "wetlink/v1/access.grpc.pb.h"
#include "wetlink/v1/catalog.grpc.pb.h"
#include "wetlink/v1/flyway.grpc.pb.h"
#include "wetlink/v1/ingest.grpc.pb.h"
#include "wetlink/v1/registry.grpc.pb.h"
#include "wetlink/v1/reports.grpc.pb.h"
#include "wetlink/v1/tracks.grpc.pb.h"

namespace wetlink::services {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kStudy = "matrix-study";
// The holder of the ingest token, which creates kStudy and so owns it.
constexpr const char* kOwner = "owner-team";
// A researcher the owner shares kStudy with.
constexpr const char* kCollaborator = "res-collab";

enum Who { kIngest, kResearcher, kFocalPoint, kAdmin };
const std::vector<Who> kEveryRole = {kIngest, kResearcher, kFocalPoint, kAdmin};
const char* WhoName(Who who) {
  switch (who) {
    case kIngest: return "ingest";
    case kResearcher: return "researcher";
    case kFocalPoint: return "focal-point";
    case kAdmin: return "admin";
  }
  return "?";
}

struct Expectation {
  std::string request;    // text format of the request message
  std::set<Who> allowed;  // roles that get past access control
};

// By full method name. Requests name kStudy where the call is per study, so
// that the per-study checks are part of what is tested: the ingest token
// writes kStudy, the researcher collaborates on it.
const std::map<std::string, Expectation>& Table() {
  static const auto* table = new std::map<std::string, Expectation>{
      // AccessService
      {"wetlink.v1.AccessService.WhoAmI", {"", {kIngest, kResearcher, kFocalPoint, kAdmin}}},
      {"wetlink.v1.AccessService.CreateToken", {"holder: 'x' role: 'researcher'", {kAdmin}}},
      {"wetlink.v1.AccessService.RevokeToken", {"token_id: '000000000000'", {kAdmin}}},
      {"wetlink.v1.AccessService.ListTokens", {"", {kAdmin}}},
      // A collaborator reads the study but may not see or change its sharing.
      {"wetlink.v1.AccessService.GetStudySharing",
       {"study_id: 'matrix-study'", {kIngest, kAdmin}}},
      {"wetlink.v1.AccessService.SetStudySharing",
       {"sharing { study_id: 'matrix-study' owner: 'owner-team' collaborators: 'res-collab' }",
        {kIngest, kAdmin}}},
      {"wetlink.v1.AccessService.ListAuditEvents", {"", {kAdmin}}},
      // CatalogService: the catalog is for everyone; editing it for admins.
      {"wetlink.v1.CatalogService.ListSites", {"", {kIngest, kResearcher, kFocalPoint, kAdmin}}},
      {"wetlink.v1.CatalogService.GetSite",
       {"id: 'rason'", {kIngest, kResearcher, kFocalPoint, kAdmin}}},
      {"wetlink.v1.CatalogService.ListComplexes", {"", {kIngest, kResearcher, kFocalPoint, kAdmin}}},
      {"wetlink.v1.CatalogService.ImportSites", {"", {kAdmin}}},
      {"wetlink.v1.CatalogService.ExportSites", {"", {kIngest, kResearcher, kFocalPoint, kAdmin}}},
      {"wetlink.v1.CatalogService.ListSpecies", {"", {kIngest, kResearcher, kFocalPoint, kAdmin}}},
      {"wetlink.v1.CatalogService.GetSpecies",
       {"id: 'HC'", {kIngest, kResearcher, kFocalPoint, kAdmin}}},
      // RegistryService
      {"wetlink.v1.RegistryService.CreateStudy", {"study { id: 'matrix-study' }", {kIngest, kAdmin}}},
      {"wetlink.v1.RegistryService.GetStudy",
       {"study_id: 'matrix-study'", {kIngest, kResearcher, kAdmin}}},
      {"wetlink.v1.RegistryService.ListStudies", {"", {kIngest, kResearcher, kAdmin}}},
      {"wetlink.v1.RegistryService.PutReferenceData",
       {"data { study_id: 'matrix-study' } dry_run: true", {kIngest, kAdmin}}},
      {"wetlink.v1.RegistryService.ImportReferenceData",
       {"study_id: 'matrix-study' dry_run: true", {kIngest, kAdmin}}},
      {"wetlink.v1.RegistryService.GetReferenceData",
       {"study_id: 'matrix-study'", {kIngest, kResearcher, kAdmin}}},
      // IngestService
      {"wetlink.v1.IngestService.StreamFixes",
       {"sequence: 1 study_id: 'matrix-study'", {kIngest, kAdmin}}},
      {"wetlink.v1.IngestService.SubmitCounts", {"dry_run: true", {kIngest, kAdmin}}},
      {"wetlink.v1.IngestService.ListCounts", {"", {kResearcher, kFocalPoint, kAdmin}}},
      // TrackService: per study.
      {"wetlink.v1.TrackService.ListIndividuals",
       {"study_id: 'matrix-study'", {kIngest, kResearcher, kAdmin}}},
      {"wetlink.v1.TrackService.GetTrack",
       {"study_id: 'matrix-study' individual_id: 'nobody'", {kIngest, kResearcher, kAdmin}}},
      {"wetlink.v1.TrackService.ExportTracks",
       {"study_id: 'matrix-study' format: TRACK_FORMAT_GEOJSON", {kIngest, kResearcher, kAdmin}}},
      // FlywayService: researchers; rebuilding for admins.
      {"wetlink.v1.FlywayService.ListLinks", {"", {kResearcher, kAdmin}}},
      {"wetlink.v1.FlywayService.GetNeighbours", {"site_id: 'rason'", {kResearcher, kAdmin}}},
      {"wetlink.v1.FlywayService.FindRoutes",
       {"from_site_id: 'rason' to_site_id: 'izumi'", {kResearcher, kAdmin}}},
      {"wetlink.v1.FlywayService.RankSites", {"", {kResearcher, kAdmin}}},
      {"wetlink.v1.FlywayService.SiteLoss", {"site_ids: 'rason'", {kResearcher, kAdmin}}},
      {"wetlink.v1.FlywayService.CountryFlows", {"", {kResearcher, kAdmin}}},
      {"wetlink.v1.FlywayService.MigratoryConnectivity", {"", {kResearcher, kAdmin}}},
      {"wetlink.v1.FlywayService.ProtectionGaps", {"", {kResearcher, kAdmin}}},
      {"wetlink.v1.FlywayService.ListStopovers", {"", {kResearcher, kAdmin}}},
      {"wetlink.v1.FlywayService.ExportFlyway", {"", {kResearcher, kAdmin}}},
      {"wetlink.v1.FlywayService.GetFlywayStatus", {"", {kResearcher, kAdmin}}},
      {"wetlink.v1.FlywayService.RebuildFlyway", {"", {kAdmin}}},
      // ReportService: focal points, researchers, admins.
      {"wetlink.v1.ReportService.GetSiteReport",
       {"site_id: 'rason'", {kResearcher, kFocalPoint, kAdmin}}},
      {"wetlink.v1.ReportService.RenderSiteReport",
       {"report { site_id: 'rason' } format: 'csv'", {kResearcher, kFocalPoint, kAdmin}}},
      {"wetlink.v1.ReportService.GetSpeciesList", {"", {kResearcher, kFocalPoint, kAdmin}}},
      {"wetlink.v1.ReportService.RenderSpeciesList",
       {"format: 'csv'", {kResearcher, kFocalPoint, kAdmin}}},
  };
  return *table;
}

// Every service of package wetlink.v1 linked into this test.
const std::vector<const google::protobuf::ServiceDescriptor*>& Services() {
  static const auto* services = [] {
    auto* found = new std::vector<const google::protobuf::ServiceDescriptor*>;
    for (const char* name : {"AccessService", "CatalogService", "RegistryService", "IngestService",
                             "TrackService", "FlywayService", "ReportService"}) {
      const google::protobuf::ServiceDescriptor* service =
          google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
              std::string("wetlink.v1.") + name);
      if (service != nullptr) found->push_back(service);
    }
    return found;
  }();
  return *services;
}

struct CallResult {
  grpc::Status status;
  int messages = 0;  // response messages received
};

// Calls `method` with `request` through the generic API, which treats every
// call as a stream: one request message, then half-close, then every
// response until the end.
CallResult CallGeneric(const std::shared_ptr<grpc::Channel>& channel,
                       const google::protobuf::MethodDescriptor& method,
                       const google::protobuf::Message& request) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  const std::string path = "/" + method.service()->full_name() + "/" + method.name();
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call = stub.PrepareCall(&ctx, path, &cq);
  void* tag = nullptr;
  bool ok = false;
  auto wait = [&] {
    EXPECT_TRUE(cq.Next(&tag, &ok));
    return ok;
  };
  CallResult result;
  call->StartCall(reinterpret_cast<void*>(1));
  if (wait()) {
    const std::string bytes = request.SerializeAsString();
    grpc::Slice slice(bytes);
    grpc::ByteBuffer buffer(&slice, 1);
    call->Write(buffer, reinterpret_cast<void*>(2));
    if (wait()) {
      call->WritesDone(reinterpret_cast<void*>(3));
      wait();
    }
    for (;;) {
      grpc::ByteBuffer response;
      call->Read(&response, reinterpret_cast<void*>(4));
      if (!wait()) break;
      ++result.messages;
    }
  }
  call->Finish(&result.status, reinterpret_cast<void*>(5));
  wait();
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return result;
}

class AccessMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("wetlink-matrix-" + std::to_string(std::random_device{}()));
    auto stores = store::OpenStores(dir_.string(), {.sync_writes = false},
                                    data::BundledCatalogFiles());
    ASSERT_TRUE(stores.ok()) << stores.status();
    stores_ = std::move(*stores);
    auto server = WetlinkServer::Start(testing::LoopbackOptions(), *stores_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);

    tokens_[kIngest] = testing::IssueToken(*server_, access::Role::kIngest, {kStudy}, kOwner);
    tokens_[kResearcher] =
        testing::IssueToken(*server_, access::Role::kResearcher, {}, kCollaborator);
    tokens_[kFocalPoint] = testing::IssueToken(*server_, access::Role::kFocalPoint, {}, "ramsar-kp");
    tokens_[kAdmin] = testing::IssueToken(*server_, access::Role::kAdmin, {}, "admin");
    for (const auto& [who, token] : tokens_) ASSERT_FALSE(token.empty()) << WhoName(who);

    // The ingest token creates the study (so its holder owns it) and shares
    // it with the researcher.
    auto as_owner = testing::ChannelWithToken(*server_, tokens_[kIngest]);
    {
      grpc::ClientContext ctx;
      v1::CreateStudyRequest req;
      req.mutable_study()->set_id(kStudy);
      v1::Study study;
      ASSERT_TRUE(v1::RegistryService::NewStub(as_owner)->CreateStudy(&ctx, req, &study).ok());
    }
    {
      grpc::ClientContext ctx;
      v1::SetStudySharingRequest req;
      req.mutable_sharing()->set_study_id(kStudy);
      req.mutable_sharing()->set_owner(kOwner);
      req.mutable_sharing()->add_collaborators(kCollaborator);
      v1::StudySharing sharing;
      grpc::Status st = v1::AccessService::NewStub(as_owner)->SetStudySharing(&ctx, req, &sharing);
      ASSERT_TRUE(st.ok()) << st.error_message();
    }
  }

  void TearDown() override {
    server_.reset();
    stores_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<google::protobuf::Message> Request(const google::protobuf::MethodDescriptor& m,
                                                     const std::string& text) {
    const google::protobuf::Message* prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(m.input_type());
    std::unique_ptr<google::protobuf::Message> request(prototype->New());
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, request.get()))
        << m.full_name() << ": " << text;
    return request;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Stores> stores_;
  std::unique_ptr<WetlinkServer> server_;
  std::map<Who, std::string> tokens_;
};

TEST_F(AccessMatrixTest, TheTableCoversEveryMethodOfEveryService) {
  ASSERT_EQ(Services().size(), 7u);
  std::set<std::string> methods;
  for (const google::protobuf::ServiceDescriptor* service : Services()) {
    for (int i = 0; i < service->method_count(); ++i) {
      methods.insert(service->method(i)->full_name());
      EXPECT_TRUE(Table().count(service->method(i)->full_name()))
          << service->method(i)->full_name() << " has no row in the access table";
    }
  }
  for (const auto& [name, expectation] : Table()) {
    EXPECT_TRUE(methods.count(name)) << name << " is in the table but not a method";
  }
}

TEST_F(AccessMatrixTest, EveryRoleAgainstEveryRpc) {
  for (const google::protobuf::ServiceDescriptor* service : Services()) {
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor& method = *service->method(i);
      auto row = Table().find(method.full_name());
      if (row == Table().end()) continue;  // reported by the test above
      std::unique_ptr<google::protobuf::Message> request = Request(method, row->second.request);
      for (Who who : kEveryRole) {
        SCOPED_TRACE(method.full_name() + " as " + WhoName(who));
        const CallResult r =
            CallGeneric(testing::ChannelWithToken(*server_, tokens_[who]), method, *request);
        if (row->second.allowed.count(who)) {
          EXPECT_NE(r.status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
              << r.status.error_message();
          EXPECT_NE(r.status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
              << r.status.error_message();
        } else {
          EXPECT_EQ(r.status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
              << r.status.error_message();
          EXPECT_EQ(r.messages, 0);
        }
      }
    }
  }
}

TEST_F(AccessMatrixTest, WithoutAValidTokenEveryRpcIsUnauthenticated) {
  // A revoked admin token, a forged one (well formed, unknown), none.
  const std::string revoked = testing::IssueToken(*server_, access::Role::kAdmin, {}, "gone");
  ASSERT_TRUE(server_->access().Revoke(revoked.substr(4, 12)).ok());
  const std::vector<std::pair<std::string, std::string>> callers = {
      {"no token", ""},
      {"revoked token", revoked},
      {"forged token", "wlk_0123456789ab_" + std::string(43, 'A')},
      {"malformed token", "not-a-token"}};
  for (const google::protobuf::ServiceDescriptor* service : Services()) {
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor& method = *service->method(i);
      auto row = Table().find(method.full_name());
      if (row == Table().end()) continue;
      std::unique_ptr<google::protobuf::Message> request = Request(method, row->second.request);
      for (const auto& [what, token] : callers) {
        SCOPED_TRACE(method.full_name() + " with " + what);
        const CallResult r = CallGeneric(testing::ChannelWithToken(*server_, token), method, *request);
        EXPECT_EQ(r.status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
            << r.status.error_message();
        EXPECT_EQ(r.messages, 0);
        // Nothing about the data: not the study, not the site.
        EXPECT_THAT(r.status.error_message(), Not(HasSubstr(kStudy)));
        EXPECT_THAT(r.status.error_message(), Not(HasSubstr("rason")));
      }
    }
  }
}

TEST_F(AccessMatrixTest, HealthNeedsNoToken) {
  auto channel = testing::ChannelWithToken(*server_, "");
  // The standard health service, as load balancers call it.
  grpc::ClientContext ctx;
  grpc::health::v1::HealthCheckRequest req;
  req.set_service("wetlink.v1.IngestService");
  grpc::health::v1::HealthCheckResponse health;
  const grpc::Status st =
      grpc::health::v1::Health::NewStub(channel)->Check(&ctx, req, &health);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(health.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

}  // namespace
}  // namespace wetlink::services
