// CatalogService through a real gRPC server on 127.0.0.1 (a port the OS
// picks) over a temporary RocksDB: request validation and status codes.

#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "data/bundled_catalog.h"
#include "services/server.h"
#include "tests/services/server_testing.h"
#include "store/stores.h"
#include "store/database.h"
#include "wetlink/v1/catalog.grpc.pb.h"

namespace wetlink::services {
namespace {

using ::testing::HasSubstr;

class CatalogServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("wetlink-services-" + std::to_string(std::random_device{}()));
    auto stores = store::OpenStores(dir_.string(), {.sync_writes = false},
                                    data::BundledCatalogFiles());
    ASSERT_TRUE(stores.ok()) << stores.status();
    stores_ = std::move(*stores);
    auto server = WetlinkServer::Start(testing::LoopbackOptions(), *stores_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::CatalogService::NewStub(testing::AdminChannel(*server_));
  }

  void TearDown() override {
    server_.reset();
    stores_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Stores> stores_;
  std::unique_ptr<WetlinkServer> server_;
  std::unique_ptr<v1::CatalogService::Stub> stub_;
};

TEST_F(CatalogServiceTest, ListSitesPagesThroughEverySiteOnce) {
  v1::ListSitesRequest req;
  req.set_page_size(7);
  std::set<std::string> seen;
  int pages = 0;
  while (true) {
    grpc::ClientContext ctx;
    v1::ListSitesResponse resp;
    ASSERT_TRUE(stub_->ListSites(&ctx, req, &resp).ok());
    ++pages;
    for (const auto& s : resp.sites()) EXPECT_TRUE(seen.insert(s.id()).second) << s.id();
    EXPECT_EQ(resp.total_size(), 35);
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(seen.size(), 35u);
  EXPECT_EQ(pages, 5);
}

TEST_F(CatalogServiceTest, ListSitesOmitsGeometryUnlessAsked) {
  v1::ListSitesRequest req;
  req.set_complex_id("dipa");
  grpc::ClientContext ctx;
  v1::ListSitesResponse resp;
  ASSERT_TRUE(stub_->ListSites(&ctx, req, &resp).ok());
  ASSERT_EQ(resp.sites_size(), 3);
  EXPECT_EQ(resp.sites(0).geometry().polygons_size(), 0);
  EXPECT_GT(resp.sites(0).geometry_area_ha(), 0);

  req.set_include_geometry(true);
  grpc::ClientContext ctx2;
  ASSERT_TRUE(stub_->ListSites(&ctx2, req, &resp).ok());
  EXPECT_EQ(resp.sites(0).geometry().polygons_size(), 1);
}

TEST_F(CatalogServiceTest, InvalidRequestsNameTheField) {
  struct Case {
    std::function<void(v1::ListSitesRequest&)> edit;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.set_page_size(-1); }, "page_size"},
      {[](auto& r) { r.set_page_token("garbage"); }, "page_token"},
      {[](auto& r) { r.add_countries("Korea"); }, "countries"},
      {[](auto& r) { r.set_complex_id("atlantis"); }, "complex_id"},
      {[](auto& r) { r.set_designation(static_cast<v1::DesignationKind>(77)); }, "designation"},
      {[](auto& r) { r.mutable_bbox()->set_max_lat(95); }, "bbox"},
      {[](auto& r) {
         r.mutable_bbox()->set_min_lng(131);
         r.mutable_bbox()->set_max_lng(130);
       },
       "bbox"},
  };
  for (const Case& c : cases) {
    v1::ListSitesRequest req;
    c.edit(req);
    grpc::ClientContext ctx;
    v1::ListSitesResponse resp;
    grpc::Status s = stub_->ListSites(&ctx, req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_THAT(s.error_message(), HasSubstr(c.field));
  }
}

TEST_F(CatalogServiceTest, GetSiteAndSpeciesNotFoundNameTheId) {
  v1::GetSiteRequest req;
  req.set_id("no_such_site");
  grpc::ClientContext ctx;
  v1::Site site;
  grpc::Status s = stub_->GetSite(&ctx, req, &site);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("no_such_site"));

  v1::GetSpeciesRequest sreq;
  sreq.set_id("dodo");
  grpc::ClientContext ctx2;
  v1::Species species;
  s = stub_->GetSpecies(&ctx2, sreq, &species);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("dodo"));
}

TEST_F(CatalogServiceTest, GetSpeciesByCodeHasDerivedThreshold) {
  v1::GetSpeciesRequest req;
  req.set_id("bfs");
  grpc::ClientContext ctx;
  v1::Species species;
  ASSERT_TRUE(stub_->GetSpecies(&ctx, req, &species).ok());
  EXPECT_EQ(species.id(), "platalea_minor");
  EXPECT_EQ(species.one_percent().value(), 70);
  EXPECT_TRUE(species.one_percent().derived());
}

TEST_F(CatalogServiceTest, ImportRequestsAreValidatedBeforeReading) {
  v1::ImportSitesRequest req;
  {
    grpc::ClientContext ctx;
    v1::ImportSitesResponse resp;
    grpc::Status s = stub_->ImportSites(&ctx, req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr("files"));
  }
  v1::SourceFile* f = req.add_files();
  f->set_name("../etc/passwd");
  f->set_content("x");
  {
    grpc::ClientContext ctx;
    v1::ImportSitesResponse resp;
    grpc::Status s = stub_->ImportSites(&ctx, req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr("files[0].name"));
  }
}

TEST_F(CatalogServiceTest, OversizedImportIsResourceExhausted) {
  // The server was started with a 1 MiB message limit.
  v1::ImportSitesRequest req;
  v1::SourceFile* f = req.add_files();
  f->set_name("huge.geojson");
  f->set_content(std::string(2 << 20, ' '));
  grpc::ClientContext ctx;
  v1::ImportSitesResponse resp;
  grpc::Status s = stub_->ImportSites(&ctx, req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(CatalogServiceTest, ExportNeedsAFormat) {
  v1::ExportSitesRequest req;
  grpc::ClientContext ctx;
  v1::ExportSitesResponse resp;
  grpc::Status s = stub_->ExportSites(&ctx, req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("format"));
}

TEST_F(CatalogServiceTest, ExportGeoJsonHoldsTheFilteredSites) {
  v1::ExportSitesRequest req;
  req.set_format(v1::VECTOR_FORMAT_GEOJSON);
  req.set_complex_id("tumen_estuary");
  grpc::ClientContext ctx;
  v1::ExportSitesResponse resp;
  ASSERT_TRUE(stub_->ExportSites(&ctx, req, &resp).ok());
  EXPECT_EQ(resp.site_count(), 5);
  EXPECT_EQ(resp.media_type(), "application/geo+json");
  EXPECT_THAT(resp.content(), HasSubstr("\"rason\""));
  EXPECT_THAT(resp.content(), HasSubstr("FeatureCollection"));
}

TEST_F(CatalogServiceTest, ListComplexesNamesTheDauriaParts) {
  grpc::ClientContext ctx;
  v1::ListComplexesResponse resp;
  ASSERT_TRUE(stub_->ListComplexes(&ctx, {}, &resp).ok());
  bool found = false;
  for (const auto& c : resp.complexes()) {
    if (c.id() != "dipa") continue;
    found = true;
    EXPECT_THAT(c.site_ids(), ::testing::UnorderedElementsAre("daguur", "dalai", "daursky"));
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace wetlink::services
