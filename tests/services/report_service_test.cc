// ReportService through a real gRPC server on 127.0.0.1 over a temporary
// RocksDB with the bundled catalog: counts submitted over IngestService come
// back in the structured report and its documents; bad requests get the
// precise status code with a message naming the value.

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "data/bundled_catalog.h"
#include "services/server.h"
#include "store/stores.h"
#include "tests/services/server_testing.h"
#include "wetlink/v1/ingest.grpc.pb.h"
#include "wetlink/v1/reports.grpc.pb.h"

namespace wetlink::services {
namespace {

using ::testing::HasSubstr;

class ReportServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("wetlink-reports-" + std::to_string(std::random_device{}()));
    auto stores =
        store::OpenStores(dir_.string(), {.sync_writes = false}, data::BundledCatalogFiles());
    ASSERT_TRUE(stores.ok()) << stores.status();
    stores_ = std::move(*stores);
    auto server = WetlinkServer::Start(testing::LoopbackOptions(), *stores_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    auto channel = testing::AdminChannel(*server_);
    reports_ = v1::ReportService::NewStub(channel);
    ingest_ = v1::IngestService::NewStub(channel);
    // Hooded cranes at Rason: season 2023/24 peaks at 180 (two surveys),
    // 2024/25 at 0 (a zero count is a survey).
    v1::SubmitCountsRequest counts;
    for (const auto& [date, n] : std::vector<std::pair<std::string, int>>{
             {"2023-10-20", 120}, {"2024-03-25", 180}, {"2024-10-18", 0}}) {
      v1::Count* c = counts.add_counts();
      c->set_survey_id("rason-" + date);
      c->set_site_id("rason");
      c->set_date(date);
      c->set_species("HC");
      c->set_count(n);
    }
    v1::SubmitCountsResponse submitted;
    grpc::ClientContext ctx;
    ASSERT_TRUE(ingest_->SubmitCounts(&ctx, counts, &submitted).ok());
    ASSERT_EQ(submitted.accepted(), 3u);
  }

  void TearDown() override {
    server_.reset();
    stores_.reset();
    std::filesystem::remove_all(dir_);
  }

  static v1::SiteReportRequest Rason() {
    v1::SiteReportRequest request;
    request.set_site_id("rason");
    request.set_from("2023-07-01");
    request.set_to("2025-06-30");
    return request;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Stores> stores_;
  std::unique_ptr<WetlinkServer> server_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  std::unique_ptr<v1::IngestService::Stub> ingest_;
};

TEST_F(ReportServiceTest, StructuredReportCarriesTheCounts) {
  v1::SiteReport report;
  grpc::ClientContext ctx;
  const grpc::Status status = reports_->GetSiteReport(&ctx, Rason(), &report);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(report.site().id(), "rason");
  EXPECT_EQ(report.complex().id(), "tumen_estuary");
  EXPECT_EQ(report.from(), "2023-07-01");
  ASSERT_EQ(report.assessments_size(), 1);
  const v1::SpeciesAssessment& hc = report.assessments(0);
  EXPECT_EQ(hc.species_id(), "grus_monacha");
  ASSERT_EQ(hc.peaks_size(), 2);
  EXPECT_EQ(hc.peaks(0).season_label(), "2023/24");
  EXPECT_EQ(hc.peaks(0).peak(), 180);
  EXPECT_EQ(hc.peaks(0).peak_date(), "2024-03-25");
  EXPECT_EQ(hc.peaks(0).surveys(), 2u);
  EXPECT_EQ(hc.peaks(1).peak(), 0);
  EXPECT_DOUBLE_EQ(hc.criterion6().mean_recent_peaks(), 90);
  EXPECT_EQ(hc.criterion6().regularity(), "insufficient_data");
  EXPECT_FALSE(hc.criterion6().met());
  EXPECT_EQ(report.counts(), 3u);
  EXPECT_EQ(report.tagged().individuals(), 0u);
  EXPECT_EQ(report.tagged().individuals_by_month_size(), 12);
}

TEST_F(ReportServiceTest, RenderedDocumentsInEachFormat) {
  for (const std::string format : {"html", "csv", "json", "geojson"}) {
    v1::RenderSiteReportRequest request;
    *request.mutable_report() = Rason();
    request.set_lang("ko");
    request.set_format(format);
    v1::RenderedDocument document;
    grpc::ClientContext ctx;
    const grpc::Status status = reports_->RenderSiteReport(&ctx, request, &document);
    ASSERT_TRUE(status.ok()) << format << ": " << status.error_message();
    EXPECT_FALSE(document.content().empty()) << format;
    EXPECT_THAT(document.file_name(), HasSubstr("rason-2023-07-01-2025-06-30-ko."));
  }
  v1::RenderSpeciesListRequest list;
  list.set_format("csv");
  v1::RenderedDocument document;
  grpc::ClientContext ctx;
  ASSERT_TRUE(reports_->RenderSpeciesList(&ctx, list, &document).ok());
  EXPECT_THAT(document.content(), HasSubstr("grus_monacha"));
  EXPECT_THAT(document.content(), HasSubstr(",rason,"));
}

TEST_F(ReportServiceTest, BadRequestsGetPreciseCodes) {
  auto render = [&](const std::string& site, const std::string& lang, const std::string& format,
                    const std::string& from, const std::string& to) {
    v1::RenderSiteReportRequest request;
    request.mutable_report()->set_site_id(site);
    request.mutable_report()->set_from(from);
    request.mutable_report()->set_to(to);
    request.set_lang(lang);
    request.set_format(format);
    v1::RenderedDocument document;
    grpc::ClientContext ctx;
    return reports_->RenderSiteReport(&ctx, request, &document);
  };
  grpc::Status s = render("atlantis", "", "", "", "");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("site_id: no catalogued site has the id 'atlantis'"));
  s = render("rason", "de", "", "", "");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("'de'"));
  s = render("rason", "", "xlsx", "", "");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("'xlsx'"));
  s = render("rason", "", "", "2024-05-01", "2024-04-30");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("is empty"));
  s = render("", "", "", "", "");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  v1::SiteReportRequest far = Rason();
  far.set_nearby_radius_km(5000);
  v1::SiteReport report;
  grpc::ClientContext ctx;
  s = reports_->GetSiteReport(&ctx, far, &report);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("nearby_radius_km"));

  v1::SpeciesListRequest both;
  both.set_complex_id("dipa");
  both.add_site_ids("rason");
  v1::SpeciesList list;
  grpc::ClientContext ctx2;
  s = reports_->GetSpeciesList(&ctx2, both, &list);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace wetlink::services
