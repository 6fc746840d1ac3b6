// IngestService.SubmitCounts and ListCounts through a real gRPC server on
// 127.0.0.1 over a temporary RocksDB: per-record refusals with reasons while
// the good records are stored, idempotent re-submission, corrections,
// filters and paging.

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "data/bundled_catalog.h"
#include "services/server.h"
#include "tests/services/server_testing.h"
#include "store/stores.h"
#include "wetlink/v1/ingest.grpc.pb.h"

namespace wetlink::services {
namespace {

using ::testing::HasSubstr;

v1::Count MakeCount(const std::string& survey, const std::string& site, const std::string& date,
                    const std::string& species, std::optional<std::int64_t> count,
                    const std::string& method = "ground") {
  v1::Count c;
  c.set_survey_id(survey);
  c.set_site_id(site);
  c.set_date(date);
  c.set_species(species);
  if (count) c.set_count(*count);
  c.set_method(method);
  c.set_observer("Observer A");
  c.set_organisation("Example Survey Group");
  return c;
}

class CountServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("wetlink-counts-" + std::to_string(std::random_device{}()));
    auto stores = store::OpenStores(dir_.string(), {.sync_writes = false},
                                    data::BundledCatalogFiles());
    ASSERT_TRUE(stores.ok()) << stores.status();
    stores_ = std::move(*stores);
    auto server = WetlinkServer::Start(testing::LoopbackOptions(), *stores_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::IngestService::NewStub(testing::AdminChannel(*server_));
  }

  void TearDown() override {
    server_.reset();
    stores_.reset();
    std::filesystem::remove_all(dir_);
  }

  v1::SubmitCountsResponse Submit(const std::vector<v1::Count>& counts, bool dry_run = false) {
    v1::SubmitCountsRequest request;
    for (const auto& c : counts) *request.add_counts() = c;
    request.set_dry_run(dry_run);
    v1::SubmitCountsResponse response;
    grpc::ClientContext ctx;
    const grpc::Status status = stub_->SubmitCounts(&ctx, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  std::vector<v1::Count> List(v1::ListCountsRequest request, grpc::Status* status = nullptr) {
    std::vector<v1::Count> out;
    for (;;) {
      v1::ListCountsResponse response;
      grpc::ClientContext ctx;
      const grpc::Status st = stub_->ListCounts(&ctx, request, &response);
      if (status != nullptr) *status = st;
      if (!st.ok()) return out;
      out.insert(out.end(), response.counts().begin(), response.counts().end());
      if (response.next_page_token().empty()) return out;
      request.set_page_token(response.next_page_token());
    }
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Stores> stores_;
  std::unique_ptr<WetlinkServer> server_;
  std::unique_ptr<v1::IngestService::Stub> stub_;
};

TEST_F(CountServiceTest, BadRecordsAreRefusedWithReasonsWhileGoodOnesAreStored) {
  const std::vector<v1::Count> counts = {
      MakeCount("S1", "rason", "2024-10-20", "HC", 120),                  // 0 good
      MakeCount("S1", "rason", "2024-10-20", "WNC", 0),                   // 1 good: zero is data
      MakeCount("S1", "no_such_site", "2024-10-20", "HC", 3),             // 2
      MakeCount("S1", "rason", "2024-02-30", "HC", 3),                    // 3
      MakeCount("S1", "rason", "2124-01-01", "HC", 3),                    // 4
      MakeCount("S1", "rason", "2024-10-20", "Grus nonexistens", 3),      // 5
      MakeCount("S1", "rason", "2024-10-20", "HC", -4),                   // 6
      MakeCount("S1", "rason", "2024-10-20", "HC", 20'000'000),           // 7
      MakeCount("S1", "rason", "2024-10-20", "HC", std::nullopt),         // 8
      MakeCount("S1", "rason", "2024-10-20", "HC", 5, "helicopter"),      // 9
      MakeCount("", "rason", "2024-10-20", "HC", 5),                      // 10
      MakeCount("S1", "fangchuan", "2024-10-21", "Platalea minor", 7),    // 11 good
  };
  const v1::SubmitCountsResponse r = Submit(counts);
  EXPECT_EQ(r.accepted(), 3u);
  struct Expected {
    std::uint32_t index;
    const char* field;
    const char* reason;
  };
  const std::vector<Expected> expected = {
      {2, "site_id", "UNKNOWN_SITE"},        {3, "date", "BAD_DATE"},
      {4, "date", "DATE_OUT_OF_RANGE"},      {5, "species", "UNKNOWN_SPECIES"},
      {6, "count", "NEGATIVE_COUNT"},        {7, "count", "COUNT_OUT_OF_RANGE"},
      {8, "count", "MISSING_FIELD"},         {9, "method", "UNKNOWN_METHOD"},
      {10, "survey_id", "MISSING_FIELD"},
  };
  ASSERT_EQ(r.rejected_size(), static_cast<int>(expected.size()));
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const v1::Rejection& got = r.rejected(static_cast<int>(i));
    EXPECT_EQ(got.index(), expected[i].index);
    EXPECT_EQ(got.field(), expected[i].field) << got.index();
    EXPECT_EQ(got.reason(), expected[i].reason) << got.index();
    EXPECT_FALSE(got.message().empty());
  }
  EXPECT_THAT(r.rejected(0).message(), HasSubstr("no_such_site"));

  const std::vector<v1::Count> stored = List({});
  ASSERT_EQ(stored.size(), 3u);
  // Ordered by site, species, date, survey; species resolved to catalog ids.
  EXPECT_EQ(stored[0].site_id(), "fangchuan");
  EXPECT_EQ(stored[0].species(), "platalea_minor");
  EXPECT_EQ(stored[1].species(), "antigone_vipio");
  EXPECT_EQ(stored[1].count(), 0);
  EXPECT_EQ(stored[2].species(), "grus_monacha");
  EXPECT_EQ(stored[2].count(), 120);
  EXPECT_EQ(stored[2].date(), "2024-10-20");
  EXPECT_EQ(stored[2].method(), "ground");
}

TEST_F(CountServiceTest, ResubmittingIsHarmlessAndCorrectionsReplace) {
  const v1::Count a = MakeCount("S1", "rason", "2024-10-20", "HC", 120);
  const v1::Count b = MakeCount("S1", "rason", "2024-10-21", "HC", 80);
  EXPECT_EQ(Submit({a, b}).accepted(), 2u);
  const v1::SubmitCountsResponse again = Submit({a, b});
  EXPECT_EQ(again.accepted(), 0u);
  EXPECT_EQ(again.duplicates(), 2u);
  v1::Count corrected = a;
  corrected.set_count(125);
  const v1::SubmitCountsResponse fix = Submit({corrected});
  EXPECT_EQ(fix.updated(), 1u);
  const std::vector<v1::Count> stored = List({});
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].count(), 125);
  // The same count under another survey id is another record.
  v1::Count other_survey = a;
  other_survey.set_survey_id("S2");
  EXPECT_EQ(Submit({other_survey}).accepted(), 1u);
  EXPECT_EQ(List({}).size(), 3u);
}

TEST_F(CountServiceTest, DryRunStoresNothing) {
  const v1::SubmitCountsResponse r =
      Submit({MakeCount("S1", "rason", "2024-10-20", "HC", 120),
              MakeCount("S1", "rason", "2024-10-20", "HC", -1)},
             /*dry_run=*/true);
  EXPECT_EQ(r.accepted(), 1u);
  EXPECT_EQ(r.rejected_size(), 1);
  EXPECT_TRUE(List({}).empty());
}

TEST_F(CountServiceTest, FiltersAndPaging) {
  std::vector<v1::Count> counts;
  for (int day = 1; day <= 25; ++day) {
    char date[16];
    std::snprintf(date, sizeof date, "2024-11-%02d", day);
    counts.push_back(MakeCount("S", "rason", date, "HC", day));
    counts.push_back(MakeCount("S", "fangchuan", date, "WNC", day));
  }
  ASSERT_EQ(Submit(counts).accepted(), 50u);

  v1::ListCountsRequest by_site;
  by_site.set_site_id("rason");
  by_site.set_page_size(7);
  const std::vector<v1::Count> rason = List(by_site);
  ASSERT_EQ(rason.size(), 25u);
  for (std::size_t i = 0; i < rason.size(); ++i) {
    EXPECT_EQ(rason[i].count(), static_cast<std::int64_t>(i + 1));  // date order across pages
  }

  v1::ListCountsRequest window;
  window.set_species("WNC");
  window.set_from_date("2024-11-10");
  window.set_to_date("2024-11-12");
  const std::vector<v1::Count> wnc = List(window);
  ASSERT_EQ(wnc.size(), 3u);
  EXPECT_EQ(wnc.front().date(), "2024-11-10");
  EXPECT_EQ(wnc.back().date(), "2024-11-12");

  grpc::Status status;
  v1::ListCountsRequest unknown;
  unknown.set_site_id("atlantis");
  List(unknown, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("atlantis"));
  v1::ListCountsRequest bad_date;
  bad_date.set_from_date("10/11/2024");
  List(bad_date, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("from_date"));
  v1::ListCountsRequest bad_token;
  bad_token.set_page_token("!!!");
  List(bad_token, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace wetlink::services
