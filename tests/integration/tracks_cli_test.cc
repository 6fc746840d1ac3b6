// End to end through the real wetlinkd and wetlink binaries: fixes streamed
// over gRPC with Movebank-style auto-registration, then read back with
// `wetlink tracks individuals|show|export`.

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/integration/admin_channel.h"
#include "tests/integration/wetlinkd_process.h"
#include "wetlink/v1/ingest.grpc.pb.h"

namespace wetlink::testing {
namespace {

using ::testing::HasSubstr;

constexpr std::int64_t kT0 = 1'717'200'000'000;  // 2024-06-01T00:00:00Z
constexpr std::int64_t kHour = 3'600'000;

class TracksCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(server_.Start(&error)) << error;
    // Crane A: 6 hourly fixes at Rason, the 4th hidden upstream; crane B: 2
    // fixes at Izumi. Sent twice: the second time all duplicates.
    v1::FixBatch batch;
    batch.set_sequence(1);
    batch.set_study_id("cranes-2024");
    batch.set_auto_register(true);
    batch.add_tags("T-1");
    batch.add_tags("T-2");
    auto* a = batch.add_individuals();
    a->set_id("Crane A");
    a->set_taxon("Grus monacha");
    auto* b = batch.add_individuals();
    b->set_id("Crane B");
    b->set_taxon("Antigone vipio");
    for (int i = 0; i < 6; ++i) {
      v1::Fix* f = batch.add_fixes();
      f->set_tag(0);
      f->set_individual(1);
      f->set_timestamp_ms(kT0 + i * kHour);
      f->set_lat(42.3333);
      f->set_lon(130.5833 + i * 1e-4);
      f->set_hdop(1.2);
      if (i == 3) f->set_visible(false);
    }
    for (int i = 0; i < 2; ++i) {
      v1::Fix* f = batch.add_fixes();
      f->set_tag(1);
      f->set_individual(2);
      f->set_timestamp_ms(kT0 + i * kHour);
      f->set_lat(32.1);
      f->set_lon(130.2667);
    }
    auto stub = v1::IngestService::NewStub(AdminChannel(server_));
    grpc::ClientContext ctx;
    auto stream = stub->StreamFixes(&ctx);
    v1::FixAck ack;
    ASSERT_TRUE(stream->Write(batch));
    ASSERT_TRUE(stream->Read(&ack));
    EXPECT_EQ(ack.accepted(), 8u) << ack.DebugString();
    batch.set_sequence(2);
    ASSERT_TRUE(stream->Write(batch));
    ASSERT_TRUE(stream->Read(&ack));
    EXPECT_EQ(ack.sequence(), 2u);
    EXPECT_EQ(ack.duplicates(), 8u);
    stream->WritesDone();
    const grpc::Status status = stream->Finish();
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  WetlinkdProcess server_;
};

TEST_F(TracksCliTest, IndividualsWithCountsAndSpans) {
  const RunResult r = server_.Cli({"--format", "json", "tracks", "individuals", "cranes-2024"});
  ASSERT_EQ(r.code(), 0) << r.Describe();
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["individuals"].size(), 2u) << r.out;
  const auto& a = doc["individuals"][0];
  EXPECT_EQ(a["individual_id"], "Crane A");
  EXPECT_EQ(a["species_id"], "grus_monacha");
  EXPECT_EQ(a["fix_count"], "6");  // proto3 JSON writes 64-bit integers as strings
  EXPECT_EQ(a["first_ms"], std::to_string(kT0));
  EXPECT_EQ(a["last_ms"], std::to_string(kT0 + 5 * kHour));
  EXPECT_EQ(doc["individuals"][1]["species_id"], "antigone_vipio");

  const RunResult table = server_.Cli({"tracks", "individuals", "cranes-2024"});
  ASSERT_EQ(table.code(), 0) << table.Describe();
  EXPECT_THAT(table.out, HasSubstr("2024-06-01 05:00:00.000"));
}

TEST_F(TracksCliTest, ShowAWindowThinnedWithoutOutliers) {
  const RunResult r =
      server_.Cli({"--format", "csv", "tracks", "show", "cranes-2024", "Crane A", "--from",
                   "2024-06-01 01:00:00", "--to", "2024-06-01 05:00:00", "--exclude-outliers"});
  ASSERT_EQ(r.code(), 0) << r.Describe();
  std::istringstream lines(r.out);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  ASSERT_EQ(rows.size(), 4u) << r.out;  // header + 01:00, 02:00, 04:00 (03:00 hidden)
  EXPECT_THAT(rows[1], HasSubstr("2024-06-01 01:00:00.000,T-1,42.3333,"));
  EXPECT_THAT(rows[1], HasSubstr(",rason,"));
  EXPECT_THAT(rows[3], HasSubstr("2024-06-01 04:00:00.000"));

  const RunResult thinned =
      server_.Cli({"--format", "csv", "tracks", "show", "cranes-2024", "Crane A", "--thin", "120"});
  ASSERT_EQ(thinned.code(), 0) << thinned.Describe();
  EXPECT_EQ(std::count(thinned.out.begin(), thinned.out.end(), '\n'), 4);  // header + 00, 02, 04
}

TEST_F(TracksCliTest, ExportGeoJsonAndGpx) {
  const std::string geojson = (server_.scratch().path() / "tracks.geojson").string();
  RunResult r = server_.Cli({"tracks", "export", "cranes-2024", "-o", geojson});
  ASSERT_EQ(r.code(), 0) << r.Describe();
  std::ifstream in(geojson);
  const nlohmann::json doc = nlohmann::json::parse(in);
  ASSERT_EQ(doc["features"].size(), 8u);
  EXPECT_EQ(doc["features"][0]["properties"]["site"], "rason");
  EXPECT_EQ(doc["features"][6]["properties"]["site"], "izumi");

  const std::string gpx = (server_.scratch().path() / "b.gpx").string();
  r = server_.Cli({"tracks", "export", "cranes-2024", "--individual", "Crane B", "-o", gpx});
  ASSERT_EQ(r.code(), 0) << r.Describe();
  std::ifstream gin(gpx);
  const std::string text((std::istreambuf_iterator<char>(gin)), std::istreambuf_iterator<char>());
  EXPECT_THAT(text, HasSubstr("<name>Crane B</name>"));
  EXPECT_EQ(text.find("Crane A"), std::string::npos);
}

TEST_F(TracksCliTest, UnknownStudyOrIndividualIsNotFound) {
  RunResult r = server_.Cli({"tracks", "individuals", "no-such-study"});
  EXPECT_EQ(r.code(), 4) << r.Describe();
  EXPECT_THAT(r.err, HasSubstr("no-such-study"));
  r = server_.Cli({"tracks", "show", "cranes-2024", "Crane Z"});
  EXPECT_EQ(r.code(), 4) << r.Describe();
  EXPECT_THAT(r.err, HasSubstr("Crane Z"));
  r = server_.Cli({"tracks", "show", "cranes-2024", "Crane A", "--from", "yesterday"});
  EXPECT_EQ(r.code(), 2) << r.Describe();
  EXPECT_THAT(r.err, HasSubstr("--from"));
}

}  // namespace
}  // namespace wetlink::testing
