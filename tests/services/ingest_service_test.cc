// IngestService.StreamFixes through a real gRPC server on 127.0.0.1 (a port
// the OS picks) over a temporary RocksDB. The registry is set up through
// RegistryService; what was stored is read back through store::FixStore.

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "data/bundled_catalog.h"
#include "services/server.h"
#include "tests/services/server_testing.h"
#include "store/database.h"
#include "store/fix_codec.h"
#include "store/stores.h"
#include "telemetry/timestamp.h"
#include "wetlink/v1/ingest.grpc.pb.h"
#include "wetlink/v1/registry.grpc.pb.h"

namespace wetlink::store {
// Readable failure output for track comparisons.
void PrintTo(const StoredFix& f, std::ostream* os) {
  *os << "{ind " << f.individual << " tag " << f.tag << " "
      << telemetry::FormatTimestamp(f.timestamp_ms) << " (" << f.lat << ", " << f.lon << ")";
  if (f.height_m) *os << " h=" << *f.height_m;
  if (f.hdop) *os << " hdop=" << *f.hdop;
  if (f.satellites) *os << " sat=" << *f.satellites;
  if (f.ground_speed_mps) *os << " v=" << *f.ground_speed_mps;
  if (f.heading_deg) *os << " hd=" << *f.heading_deg;
  if (f.event_id) *os << " ev=" << *f.event_id;
  *os << " visible=" << f.visible;
  if (f.manually_marked_outlier) *os << " mmo=" << *f.manually_marked_outlier;
  if (f.manually_marked_valid) *os << " mmv=" << *f.manually_marked_valid;
  *os << " site='" << f.site_id << "'}";
}
}  // namespace wetlink::store

namespace wetlink::services {
namespace {

using telemetry::TimestampFromCivil;
using telemetry::TimestampMs;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

constexpr char kStudy[] = "hooded-crane-izumi-2024";

// Site centres from data/catalog/sites.json; a centre lies inside its
// site's (approximated, disc-shaped) boundary.
constexpr double kRasonLat = 42.3333, kRasonLon = 130.5833;
constexpr double kIzumiLat = 32.1, kIzumiLon = 130.2667;
// The Sea of Japan between Korea and Honshu: no catalogued site.
constexpr double kSeaLat = 40.0, kSeaLon = 133.0;

// The registry the tests ingest against: deployments in 2024.
//   T1 on HC-01 (Grus monacha)   [2024-01-01, 2024-12-01)
//   T2 on HC-02 (Grus monacha)   [2024-06-01, open)
//   T3 registered, never deployed
const TimestampMs kT1Start = TimestampFromCivil(2024, 1, 1);
const TimestampMs kT1End = TimestampFromCivil(2024, 12, 1);
const TimestampMs kT2Start = TimestampFromCivil(2024, 6, 1);
const TimestampMs kMarch = TimestampFromCivil(2024, 3, 1);
const TimestampMs kJuly = TimestampFromCivil(2024, 7, 1);
constexpr TimestampMs kHour = 3'600'000;
constexpr TimestampMs kMinute = 60'000;

TimestampMs NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

v1::Fix MakeFix(std::uint32_t tag, TimestampMs t, double lat, double lon,
                std::uint32_t individual = 0) {
  v1::Fix f;
  f.set_tag(tag);
  f.set_individual(individual);
  f.set_timestamp_ms(t);
  f.set_lat(lat);
  f.set_lon(lon);
  return f;
}

// What the server must store for `f`, a well-formed proto fix.
store::StoredFix Expected(const v1::Fix& f, std::uint32_t individual, std::uint32_t tag,
                          std::string site) {
  store::StoredFix s;
  s.individual = individual;
  s.tag = tag;
  s.timestamp_ms = f.timestamp_ms();
  s.lat = f.lat();
  s.lon = f.lon();
  if (f.has_height_m()) s.height_m = f.height_m();
  if (f.has_hdop()) s.hdop = f.hdop();
  if (f.has_satellites()) s.satellites = f.satellites();
  if (f.has_ground_speed_mps()) s.ground_speed_mps = f.ground_speed_mps();
  if (f.has_heading_deg()) s.heading_deg = f.heading_deg();
  if (f.has_event_id()) s.event_id = f.event_id();
  s.visible = !f.has_visible() || f.visible();
  if (f.has_manually_marked_outlier()) s.manually_marked_outlier = f.manually_marked_outlier();
  if (f.has_manually_marked_valid()) s.manually_marked_valid = f.manually_marked_valid();
  s.site_id = std::move(site);
  return s;
}

struct StreamResult {
  std::vector<v1::FixAck> acks;
  grpc::Status status;
};

// (index, field, reason) of a rejection, for exact tables.
using RejectionRow = std::tuple<std::uint32_t, std::string, std::string>;

std::vector<RejectionRow> Rows(const v1::FixAck& ack) {
  std::vector<RejectionRow> rows;
  for (const v1::Rejection& r : ack.rejected()) rows.emplace_back(r.index(), r.field(), r.reason());
  return rows;
}

class IngestServiceTest : public ::testing::Test {
 protected:
  static ServerOptions Options(std::size_t max_fixes_per_batch = 100'000) {
    ServerOptions options = testing::LoopbackOptions();
    options.ingest.max_fixes_per_batch = max_fixes_per_batch;
    return options;
  }

  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("wetlink-ingest-" + std::to_string(std::random_device{}()));
    auto stores =
        store::OpenStores(dir_.string(), {.sync_writes = false}, data::BundledCatalogFiles());
    ASSERT_TRUE(stores.ok()) << stores.status();
    stores_ = std::move(*stores);
    StartServer(Options());
  }

  void TearDown() override {
    server_.reset();
    stores_.reset();
    std::filesystem::remove_all(dir_);
  }

  // (Re)starts the server over the same stores.
  void StartServer(const ServerOptions& options) {
    ingest_.reset();
    registry_.reset();
    server_.reset();
    auto server = WetlinkServer::Start(options, *stores_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    auto channel = testing::AdminChannel(*server_);
    ingest_ = v1::IngestService::NewStub(channel);
    registry_ = v1::RegistryService::NewStub(channel);
  }

  void Register() {
    {
      v1::CreateStudyRequest req;
      req.mutable_study()->set_id(kStudy);
      req.mutable_study()->set_name("Hooded crane migration, Izumi 2024");
      grpc::ClientContext ctx;
      v1::Study study;
      grpc::Status s = registry_->CreateStudy(&ctx, req, &study);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
    v1::PutReferenceDataRequest req;
    v1::ReferenceData* data = req.mutable_data();
    data->set_study_id(kStudy);
    for (const char* id : {"HC-01", "HC-02"}) {
      v1::Individual* in = data->add_individuals();
      in->set_id(id);
      in->set_taxon("Grus monacha");
    }
    for (const char* id : {"T1", "T2", "T3"}) data->add_tags()->set_id(id);
    v1::Deployment* d1 = data->add_deployments();
    d1->set_tag_id("T1");
    d1->set_individual_id("HC-01");
    d1->set_start_ms(kT1Start);
    d1->set_end_ms(kT1End);
    v1::Deployment* d2 = data->add_deployments();
    d2->set_tag_id("T2");
    d2->set_individual_id("HC-02");
    d2->set_start_ms(kT2Start);
    grpc::ClientContext ctx;
    v1::PutReferenceDataResponse resp;
    grpc::Status s = registry_->PutReferenceData(&ctx, req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(resp.deployments_created(), 2u);
  }

  // A batch of the registered study with tags T1, T2 (indices 0, 1) and
  // individuals HC-01, HC-02 (indices 1, 2).
  static v1::FixBatch Batch(std::uint64_t sequence) {
    v1::FixBatch b;
    b.set_sequence(sequence);
    b.set_study_id(kStudy);
    b.add_tags("T1");
    b.add_tags("T2");
    b.add_individuals()->set_id("HC-01");
    b.add_individuals()->set_id("HC-02");
    return b;
  }

  // Sends `batches` on one stream, reading each ack before the next write.
  StreamResult Stream(const std::vector<v1::FixBatch>& batches) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
    auto stream = ingest_->StreamFixes(&ctx);
    StreamResult result;
    for (const v1::FixBatch& b : batches) {
      if (!stream->Write(b)) break;
      v1::FixAck ack;
      if (!stream->Read(&ack)) break;
      result.acks.push_back(std::move(ack));
    }
    stream->WritesDone();
    result.status = stream->Finish();
    return result;
  }

  // The ack of one batch sent on its own stream.
  v1::FixAck SendOne(const v1::FixBatch& batch) {
    StreamResult r = Stream({batch});
    EXPECT_TRUE(r.status.ok()) << r.status.error_message();
    EXPECT_EQ(r.acks.size(), 1u);
    return r.acks.empty() ? v1::FixAck() : r.acks[0];
  }

  std::uint32_t IndividualNumber(const std::string& study, const std::string& id) const {
    const auto* in = stores_->registry->Snapshot()->FindIndividual(study, id);
    return in == nullptr ? 0 : in->number;
  }
  std::uint32_t TagNumber(const std::string& study, const std::string& id) const {
    const auto* tag = stores_->registry->Snapshot()->FindTag(study, id);
    return tag == nullptr ? 0 : tag->number;
  }

  std::vector<store::StoredFix> Track(std::uint32_t individual) const {
    std::vector<store::StoredFix> out;
    absl::Status st = stores_->fixes->ScanTrack(individual, std::numeric_limits<TimestampMs>::min(),
                                                std::numeric_limits<TimestampMs>::max(),
                                                [&](const store::StoredFix& f) {
                                                  out.push_back(f);
                                                  return true;
                                                });
    EXPECT_TRUE(st.ok()) << st;
    return out;
  }

  std::uint64_t TotalStored() const {
    std::uint64_t n = 0;
    for (const auto& [individual, stats] : stores_->fixes->AllStats()) n += stats.fix_count;
    return n;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Stores> stores_;
  std::unique_ptr<WetlinkServer> server_;
  std::unique_ptr<v1::IngestService::Stub> ingest_;
  std::unique_ptr<v1::RegistryService::Stub> registry_;
};

TEST_F(IngestServiceTest, KnownAnswersAreStoredWithTheirSites) {
  ASSERT_NO_FATAL_FAILURE(Register());
  const std::uint32_t hc01 = IndividualNumber(kStudy, "HC-01");
  const std::uint32_t hc02 = IndividualNumber(kStudy, "HC-02");
  const std::uint32_t t1 = TagNumber(kStudy, "T1");
  const std::uint32_t t2 = TagNumber(kStudy, "T2");
  ASSERT_NE(hc01, 0u);
  ASSERT_NE(hc02, 0u);

  v1::FixBatch first = Batch(7);
  *first.add_fixes() = MakeFix(0, kMarch, kRasonLat, kRasonLon);
  *first.add_fixes() = MakeFix(0, kMarch + kHour, kSeaLat, kSeaLon, /*individual=*/1);
  v1::Fix full = MakeFix(1, kJuly, kIzumiLat, kIzumiLon, /*individual=*/2);
  full.set_height_m(12.5);
  full.set_hdop(1.2);
  full.set_satellites(9);
  full.set_ground_speed_mps(0.4);
  full.set_heading_deg(271.5);
  full.set_event_id(123456789012);
  full.set_visible(false);
  full.set_manually_marked_outlier(true);
  full.set_manually_marked_valid(false);
  *first.add_fixes() = full;

  v1::FixBatch second = Batch(8);
  // Out of order, and one of the first batch again.
  *second.add_fixes() = MakeFix(1, kJuly - kHour, kIzumiLat, kIzumiLon);
  *second.add_fixes() = MakeFix(0, kMarch, kRasonLat, kRasonLon);

  StreamResult r = Stream({first, second});
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  ASSERT_EQ(r.acks.size(), 2u);
  EXPECT_EQ(r.acks[0].sequence(), 7u);
  EXPECT_EQ(r.acks[0].accepted(), 3u);
  EXPECT_EQ(r.acks[0].duplicates(), 0u);
  EXPECT_EQ(r.acks[0].updated(), 0u);
  EXPECT_EQ(r.acks[0].rejected_size(), 0);
  EXPECT_FALSE(r.acks[0].has_batch_rejection());
  EXPECT_EQ(r.acks[1].sequence(), 8u);
  EXPECT_EQ(r.acks[1].accepted(), 1u);
  EXPECT_EQ(r.acks[1].duplicates(), 1u);
  EXPECT_EQ(r.acks[1].rejected_size(), 0);

  EXPECT_THAT(Track(hc01), ElementsAre(Expected(first.fixes(0), hc01, t1, "rason"),
                                       Expected(first.fixes(1), hc01, t1, "")));
  EXPECT_THAT(Track(hc02), ElementsAre(Expected(second.fixes(0), hc02, t2, "izumi"),
                                       Expected(full, hc02, t2, "izumi")));
  EXPECT_EQ(stores_->fixes->Stats(hc01),
            (store::TrackStats{.fix_count = 2, .first_ms = kMarch, .last_ms = kMarch + kHour}));
  EXPECT_EQ(stores_->fixes->Stats(hc02),
            (store::TrackStats{.fix_count = 2, .first_ms = kJuly - kHour, .last_ms = kJuly}));
}

// The issue's acceptance criterion: at least 30 distinct bad inputs, each
// with its specific reason, while the good records of the same batch are
// stored.
TEST_F(IngestServiceTest, EveryBadInputGetsItsReasonAndTheGoodOnesAreStored) {
  ASSERT_NO_FATAL_FAILURE(Register());
  const std::uint32_t hc01 = IndividualNumber(kStudy, "HC-01");
  const std::uint32_t hc02 = IndividualNumber(kStudy, "HC-02");
  const std::uint32_t t1 = TagNumber(kStudy, "T1");
  const std::uint32_t t2 = TagNumber(kStudy, "T2");

  // A fix stored beforehand, to be repeated and contradicted.
  const TimestampMs stored_at = kMarch + 500 * kHour;
  v1::FixBatch before = Batch(1);
  *before.add_fixes() = MakeFix(0, stored_at, kRasonLat, kRasonLon);
  ASSERT_EQ(SendOne(before).accepted(), 1u);

  // Tags: 0 T1, 1 T2, 2 T3 (no deployment), 3 T9 (unregistered), 4 "",
  // 5 65 bytes. Individuals: 1 HC-01, 2 HC-02, 3 129 bytes, 4 control char.
  v1::FixBatch batch = Batch(2);
  batch.add_tags("T3");
  batch.add_tags("T9");
  batch.add_tags("");
  batch.add_tags(std::string(65, 'L'));
  batch.add_individuals()->set_id(std::string(129, 'I'));
  batch.add_individuals()->set_id(
      "HC\x01"
      "03");

  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const TimestampMs future = NowMs() + 10 * telemetry::kMsPerDay;
  const TimestampMs bad_time = kMarch + 1000 * kHour;
  // A fix that is good until edited.
  auto base = [&] { return MakeFix(0, bad_time, kRasonLat, kRasonLon); };

  struct Bad {
    v1::Fix fix;
    std::string field;
    std::string reason;
    std::string in_message;  // the value (or id) the message must name
  };
  auto edit = [&](auto f) {
    v1::Fix fix = base();
    f(fix);
    return fix;
  };
  const std::vector<Bad> bad = {
      {edit([](v1::Fix& f) { f.clear_timestamp_ms(); }), "timestamp", "MISSING_FIELD",
       "timestamp is missing"},
      {edit([](v1::Fix& f) { f.clear_lat(); }), "location-lat", "MISSING_FIELD",
       "location-lat is missing"},
      {edit([](v1::Fix& f) { f.clear_lon(); }), "location-long", "MISSING_FIELD",
       "location-long is missing"},
      {edit([&](v1::Fix& f) { f.set_lat(nan); }), "location-lat", "NOT_FINITE", "location-lat nan"},
      {edit([&](v1::Fix& f) { f.set_lon(inf); }), "location-long", "NOT_FINITE",
       "location-long inf"},
      {edit([&](v1::Fix& f) { f.set_height_m(nan); }), "height-above-ellipsoid", "NOT_FINITE",
       "height-above-ellipsoid nan"},
      {edit([&](v1::Fix& f) { f.set_hdop(nan); }), "gps:hdop", "NOT_FINITE", "gps:hdop nan"},
      {edit([&](v1::Fix& f) { f.set_ground_speed_mps(inf); }), "ground-speed", "NOT_FINITE",
       "ground-speed inf"},
      {edit([&](v1::Fix& f) { f.set_heading_deg(nan); }), "heading", "NOT_FINITE", "heading nan"},
      {edit([](v1::Fix& f) { f.set_lat(90.5); }), "location-lat", "LATITUDE_OUT_OF_RANGE", "90.5"},
      {edit([](v1::Fix& f) { f.set_lat(-90.001); }), "location-lat", "LATITUDE_OUT_OF_RANGE",
       "-90.001"},
      {edit([](v1::Fix& f) { f.set_lon(180.5); }), "location-long", "LONGITUDE_OUT_OF_RANGE",
       "180.5"},
      {edit([](v1::Fix& f) { f.set_lon(-181); }), "location-long", "LONGITUDE_OUT_OF_RANGE",
       "-181"},
      {edit([](v1::Fix& f) { f.set_timestamp_ms(TimestampFromCivil(1990, 1, 1) - 1); }),
       "timestamp", "TIMESTAMP_BEFORE_1990", "1989-12-31 23:59:59.999"},
      {edit([](v1::Fix& f) { f.set_timestamp_ms(0); }), "timestamp", "TIMESTAMP_BEFORE_1990",
       "1970-01-01 00:00:00.000"},
      {edit([&](v1::Fix& f) { f.set_timestamp_ms(future); }), "timestamp", "TIMESTAMP_IN_FUTURE",
       telemetry::FormatTimestamp(future)},
      {edit([](v1::Fix& f) { f.set_hdop(-0.5); }), "gps:hdop", "HDOP_OUT_OF_RANGE", "-0.5"},
      {edit([](v1::Fix& f) { f.set_hdop(100.5); }), "gps:hdop", "HDOP_OUT_OF_RANGE", "100.5"},
      {edit([](v1::Fix& f) { f.set_satellites(-1); }), "gps:satellite-count",
       "SATELLITE_COUNT_OUT_OF_RANGE", "-1"},
      {edit([](v1::Fix& f) { f.set_satellites(65); }), "gps:satellite-count",
       "SATELLITE_COUNT_OUT_OF_RANGE", "65"},
      {edit([](v1::Fix& f) { f.set_ground_speed_mps(-1); }), "ground-speed",
       "GROUND_SPEED_OUT_OF_RANGE", "-1"},
      {edit([](v1::Fix& f) { f.set_ground_speed_mps(150); }), "ground-speed",
       "GROUND_SPEED_OUT_OF_RANGE", "150"},
      {edit([](v1::Fix& f) { f.set_heading_deg(360); }), "heading", "HEADING_OUT_OF_RANGE",
       "heading 360"},
      {edit([](v1::Fix& f) { f.set_heading_deg(-0.5); }), "heading", "HEADING_OUT_OF_RANGE",
       "-0.5"},
      {edit([](v1::Fix& f) { f.set_height_m(-600); }), "height-above-ellipsoid",
       "HEIGHT_OUT_OF_RANGE", "-600"},
      {edit([](v1::Fix& f) { f.set_height_m(12500); }), "height-above-ellipsoid",
       "HEIGHT_OUT_OF_RANGE", "12500"},
      {edit([](v1::Fix& f) { f.set_event_id(-7); }), "event-id", "BAD_EVENT_ID", "-7"},
      {edit([](v1::Fix& f) { f.set_tag(4); }), "tag-local-identifier", "EMPTY_TAG_ID", "is empty"},
      {edit([](v1::Fix& f) { f.set_tag(5); }), "tag-local-identifier", "TAG_ID_TOO_LONG",
       "65 bytes"},
      {edit([](v1::Fix& f) { f.set_tag(6); }), "tag-local-identifier", "BAD_INDEX", "#6"},
      {edit([](v1::Fix& f) { f.set_individual(5); }), "individual-local-identifier", "BAD_INDEX",
       "#5"},
      {edit([](v1::Fix& f) { f.set_tag(3); }), "tag-local-identifier", "UNKNOWN_TAG",
       "'T9' is not registered"},
      {edit([](v1::Fix& f) { f.set_tag(2); }), "tag-local-identifier", "UNKNOWN_TAG",
       "'T3' has no deployment"},
      {edit([&](v1::Fix& f) {
         f.set_tag(1);
         f.set_timestamp_ms(kT2Start - 1);
       }),
       "timestamp", "OUTSIDE_DEPLOYMENT", telemetry::FormatTimestamp(kT2Start - 1)},
      {edit([&](v1::Fix& f) { f.set_timestamp_ms(kT1End); }), "timestamp", "OUTSIDE_DEPLOYMENT",
       telemetry::FormatTimestamp(kT1End)},
      {edit([](v1::Fix& f) { f.set_individual(2); }), "individual-local-identifier",
       "INDIVIDUAL_MISMATCH", "'HC-02'"},
      {edit([&](v1::Fix& f) {
         f.set_timestamp_ms(stored_at);
         f.set_lat(kRasonLat + 0.001);
       }),
       "timestamp", "CONFLICTING_FIX", telemetry::FormatTimestamp(stored_at)},
      {edit([](v1::Fix& f) { f.set_individual(3); }), "individual-local-identifier",
       "FIELD_TOO_LONG", "129 bytes"},
      {edit([](v1::Fix& f) { f.set_individual(4); }), "individual-local-identifier",
       "MALFORMED_ROW", "control character"},
  };
  ASSERT_GE(bad.size(), 30u);

  // Good fixes, each at its own time, including the accepted limits.
  struct Good {
    v1::Fix fix;
    bool on_t2;
    std::string site;
  };
  std::vector<Good> good;
  good.push_back({MakeFix(0, kMarch, kRasonLat, kRasonLon), false, "rason"});
  good.push_back({MakeFix(0, kMarch + kHour, kSeaLat, kSeaLon, 1), false, ""});
  good.push_back({MakeFix(0, kMarch + 2 * kHour, kIzumiLat, kIzumiLon), false, "izumi"});
  {
    v1::Fix f = MakeFix(0, kMarch + 3 * kHour, kRasonLat, kRasonLon);
    f.set_height_m(12000);
    f.set_hdop(100);
    f.set_satellites(64);
    f.set_ground_speed_mps(100);
    f.set_heading_deg(359.999);
    f.set_event_id(0);
    f.set_visible(false);
    f.set_manually_marked_outlier(true);
    good.push_back({f, false, "rason"});
  }
  {
    v1::Fix f = MakeFix(0, kMarch + 4 * kHour, kSeaLat, kSeaLon);
    f.set_height_m(-500);
    f.set_hdop(0);
    f.set_satellites(0);
    f.set_ground_speed_mps(0);
    f.set_heading_deg(0);
    f.set_event_id(std::numeric_limits<std::int64_t>::max());
    f.set_manually_marked_valid(true);
    good.push_back({f, false, ""});
  }
  good.push_back({MakeFix(0, kT1End - 1, kSeaLat, kSeaLon), false, ""});
  good.push_back({MakeFix(0, kT1Start, kRasonLat, kRasonLon, 1), false, "rason"});
  good.push_back({MakeFix(1, kT2Start, kIzumiLat, kIzumiLon, 2), true, "izumi"});
  good.push_back({MakeFix(1, kT2Start + kHour, 90, 180), true, ""});
  good.push_back({MakeFix(1, kT2Start + 2 * kHour, -90, -180), true, ""});
  // A device clock a little ahead is tolerated (T2 is still deployed).
  good.push_back({MakeFix(1, NowMs() + 12 * kHour, kIzumiLat, kIzumiLon), true, "izumi"});

  // Interleave: a good fix after every fourth bad one; the stored fix
  // repeated in the middle.
  std::vector<RejectionRow> expected_rows;
  std::vector<std::string> expected_messages;
  std::size_t next_good = 0;
  for (std::size_t i = 0; i < bad.size(); ++i) {
    if (i % 4 == 0 && next_good < good.size()) *batch.add_fixes() = good[next_good++].fix;
    if (i == bad.size() / 2) *batch.add_fixes() = before.fixes(0);
    expected_rows.emplace_back(batch.fixes_size(), bad[i].field, bad[i].reason);
    expected_messages.push_back(bad[i].in_message);
    *batch.add_fixes() = bad[i].fix;
  }
  while (next_good < good.size()) *batch.add_fixes() = good[next_good++].fix;

  const v1::FixAck ack = SendOne(batch);
  EXPECT_EQ(ack.sequence(), 2u);
  EXPECT_FALSE(ack.has_batch_rejection());
  EXPECT_EQ(ack.accepted(), good.size());
  EXPECT_EQ(ack.duplicates(), 1u);
  EXPECT_EQ(ack.updated(), 0u);
  EXPECT_THAT(Rows(ack), ElementsAreArray(expected_rows));
  std::set<std::string> distinct_reasons;
  for (int i = 0; i < ack.rejected_size() && i < static_cast<int>(expected_messages.size()); ++i) {
    const v1::Rejection& r = ack.rejected(i);
    distinct_reasons.insert(r.reason());
    EXPECT_THAT(r.message(), HasSubstr(expected_messages[static_cast<std::size_t>(i)]))
        << "fix #" << r.index() << " " << r.reason();
  }
  // Every reason the fix path can give a single fix.
  EXPECT_EQ(distinct_reasons.size(), 21u);

  // Exactly the good fixes (and the one stored before) are stored.
  std::vector<store::StoredFix> want01 = {Expected(before.fixes(0), hc01, t1, "rason")};
  std::vector<store::StoredFix> want02;
  for (const Good& g : good) {
    if (g.on_t2) {
      want02.push_back(Expected(g.fix, hc02, t2, g.site));
    } else {
      want01.push_back(Expected(g.fix, hc01, t1, g.site));
    }
  }
  auto by_time = [](const store::StoredFix& a, const store::StoredFix& b) {
    return a.timestamp_ms < b.timestamp_ms;
  };
  std::sort(want01.begin(), want01.end(), by_time);
  std::sort(want02.begin(), want02.end(), by_time);
  EXPECT_THAT(Track(hc01), ElementsAreArray(want01));
  EXPECT_THAT(Track(hc02), ElementsAreArray(want02));
  EXPECT_EQ(TotalStored(), good.size() + 1);
}

TEST_F(IngestServiceTest, UnknownStudyRefusesTheBatchAndTheStreamGoesOn) {
  ASSERT_NO_FATAL_FAILURE(Register());
  v1::FixBatch unknown = Batch(11);
  unknown.set_study_id("no-such-study");
  *unknown.add_fixes() = MakeFix(0, kMarch, kRasonLat, kRasonLon);
  *unknown.add_fixes() = MakeFix(0, kMarch + kHour, 95, kRasonLon);         // bad too
  *unknown.add_fixes() = MakeFix(9, kMarch + kHour, kRasonLat, kRasonLon);  // bad index
  v1::FixBatch known = Batch(12);
  *known.add_fixes() = MakeFix(0, kMarch, kRasonLat, kRasonLon);

  StreamResult r = Stream({unknown, known});
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  ASSERT_EQ(r.acks.size(), 2u);
  const v1::FixAck& refused = r.acks[0];
  EXPECT_EQ(refused.sequence(), 11u);
  EXPECT_TRUE(refused.has_batch_rejection());
  EXPECT_EQ(refused.batch_rejection().index(), 0u);
  EXPECT_EQ(refused.batch_rejection().field(), "study_id");
  EXPECT_EQ(refused.batch_rejection().reason(), "UNKNOWN_STUDY");
  EXPECT_THAT(refused.batch_rejection().message(), HasSubstr("'no-such-study'"));
  EXPECT_EQ(refused.accepted(), 0u);
  EXPECT_EQ(refused.duplicates(), 0u);
  EXPECT_EQ(refused.rejected_size(), 0);

  EXPECT_EQ(r.acks[1].sequence(), 12u);
  EXPECT_EQ(r.acks[1].accepted(), 1u);
  EXPECT_EQ(TotalStored(), 1u);
  EXPECT_EQ(stores_->registry->Snapshot()->FindStudy("no-such-study"), nullptr);
}

TEST_F(IngestServiceTest, AutoRegisterWithABadStudyIdRefusesTheBatch) {
  v1::FixBatch batch;
  batch.set_sequence(13);
  batch.set_study_id("Bad Study!");
  batch.set_auto_register(true);
  batch.add_tags("X1");
  batch.add_individuals()->set_id("A");
  *batch.add_fixes() = MakeFix(0, kMarch, kRasonLat, kRasonLon, 1);
  const v1::FixAck ack = SendOne(batch);
  EXPECT_EQ(ack.batch_rejection().reason(), "UNKNOWN_STUDY");
  EXPECT_EQ(ack.batch_rejection().field(), "study_id");
  EXPECT_THAT(ack.batch_rejection().message(), HasSubstr("'Bad Study!'"));
  EXPECT_EQ(ack.accepted(), 0u);
  EXPECT_TRUE(stores_->registry->Snapshot()->studies().empty());
  EXPECT_EQ(TotalStored(), 0u);
}

TEST_F(IngestServiceTest, RepeatsWithinABatchAndTwoTagsOnOneBird) {
  ASSERT_NO_FATAL_FAILURE(Register());
  // HC-01 also carries T4 while it carries T1.
  {
    v1::PutReferenceDataRequest req;
    req.mutable_data()->set_study_id(kStudy);
    req.mutable_data()->add_tags()->set_id("T4");
    v1::Deployment* d = req.mutable_data()->add_deployments();
    d->set_tag_id("T4");
    d->set_individual_id("HC-01");
    d->set_start_ms(kT1Start);
    grpc::ClientContext ctx;
    v1::PutReferenceDataResponse resp;
    grpc::Status s = registry_->PutReferenceData(&ctx, req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  v1::FixBatch batch = Batch(81);
  batch.add_tags("T4");  // index 2
  *batch.add_fixes() = MakeFix(0, kMarch, kRasonLat, kRasonLon);
  *batch.add_fixes() = MakeFix(0, kMarch, kRasonLat, kRasonLon);         // duplicate
  *batch.add_fixes() = MakeFix(0, kMarch, kRasonLat + 0.01, kRasonLon);  // conflict
  v1::Fix flagged = MakeFix(0, kMarch, kRasonLat, kRasonLon);
  flagged.set_visible(false);
  *batch.add_fixes() = flagged;                                            // flags replaced
  *batch.add_fixes() = MakeFix(2, kMarch, kRasonLat + 0.0002, kRasonLon);  // the other tag
  v1::FixBatch empty = Batch(82);

  StreamResult r = Stream({batch, empty});
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  ASSERT_EQ(r.acks.size(), 2u);
  EXPECT_EQ(r.acks[0].accepted(), 2u);
  EXPECT_EQ(r.acks[0].duplicates(), 1u);
  EXPECT_EQ(r.acks[0].updated(), 1u);
  ASSERT_THAT(Rows(r.acks[0]), ElementsAre(RejectionRow(2, "timestamp", "CONFLICTING_FIX")));
  EXPECT_THAT(r.acks[0].rejected(0).message(), HasSubstr(telemetry::FormatTimestamp(kMarch)));
  EXPECT_EQ(r.acks[1].sequence(), 82u);
  EXPECT_EQ(r.acks[1].accepted(), 0u);
  EXPECT_EQ(r.acks[1].rejected_size(), 0);
  EXPECT_FALSE(r.acks[1].has_batch_rejection());

  const std::uint32_t hc01 = IndividualNumber(kStudy, "HC-01");
  EXPECT_THAT(Track(hc01),
              ElementsAre(Expected(flagged, hc01, TagNumber(kStudy, "T1"), "rason"),
                          Expected(batch.fixes(4), hc01, TagNumber(kStudy, "T4"), "rason")));
  EXPECT_EQ(stores_->fixes->Stats(hc01)->fix_count, 2u);
}

TEST_F(IngestServiceTest, OversizedBatchIsRefusedWholeAndTheStreamGoesOn) {
  StartServer(Options(/*max_fixes_per_batch=*/10));
  ASSERT_NO_FATAL_FAILURE(Register());
  v1::FixBatch eleven = Batch(21);
  for (int i = 0; i < 11; ++i) {
    *eleven.add_fixes() = MakeFix(0, kMarch + i * kMinute, kRasonLat, kRasonLon);
  }
  v1::FixBatch ten = Batch(22);
  for (int i = 0; i < 10; ++i) {
    *ten.add_fixes() = MakeFix(0, kMarch + (100 + i) * kMinute, kRasonLat, kRasonLon);
  }
  StreamResult r = Stream({eleven, ten});
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  ASSERT_EQ(r.acks.size(), 2u);
  EXPECT_EQ(r.acks[0].sequence(), 21u);
  EXPECT_EQ(r.acks[0].batch_rejection().reason(), "BATCH_TOO_LARGE");
  EXPECT_EQ(r.acks[0].batch_rejection().field(), "");
  EXPECT_EQ(r.acks[0].batch_rejection().index(), 0u);
  EXPECT_THAT(r.acks[0].batch_rejection().message(), HasSubstr("11 fixes"));
  EXPECT_THAT(r.acks[0].batch_rejection().message(), HasSubstr("at most 10"));
  EXPECT_EQ(r.acks[0].accepted(), 0u);
  EXPECT_EQ(r.acks[0].rejected_size(), 0);
  EXPECT_EQ(r.acks[1].sequence(), 22u);
  EXPECT_FALSE(r.acks[1].has_batch_rejection());
  EXPECT_EQ(r.acks[1].accepted(), 10u);

  const auto track = Track(IndividualNumber(kStudy, "HC-01"));
  ASSERT_EQ(track.size(), 10u);
  EXPECT_EQ(track.front().timestamp_ms, kMarch + 100 * kMinute);
}

TEST_F(IngestServiceTest, MessageOverTheSizeLimitEndsTheStreamAndStoresNothingOfIt) {
  ASSERT_NO_FATAL_FAILURE(Register());
  v1::FixBatch small = Batch(31);
  for (int i = 0; i < 5; ++i) {
    *small.add_fixes() = MakeFix(0, kMarch + i * kMinute, kRasonLat, kRasonLon);
  }
  // Good fixes, carried by a message over the server's 1 MiB limit.
  v1::FixBatch huge = Batch(32);
  for (int i = 0; i < 20; ++i) {
    *huge.add_fixes() = MakeFix(0, kMarch + (100 + i) * kMinute, kRasonLat, kRasonLon);
  }
  v1::IndividualRef* padding = huge.add_individuals();
  padding->set_id("HC-99");
  padding->set_taxon(std::string((1 << 20) + 1000, 'x'));
  ASSERT_GT(huge.ByteSizeLong(), std::size_t{1} << 20);

  StreamResult r = Stream({small, huge});
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << r.status.error_message();
  ASSERT_EQ(r.acks.size(), 1u);
  EXPECT_EQ(r.acks[0].sequence(), 31u);
  EXPECT_EQ(r.acks[0].accepted(), 5u);
  EXPECT_EQ(Track(IndividualNumber(kStudy, "HC-01")).size(), 5u);
  EXPECT_EQ(TotalStored(), 5u);

  // The server goes on serving new streams.
  v1::FixBatch after = Batch(33);
  *after.add_fixes() = MakeFix(0, kMarch + 200 * kMinute, kRasonLat, kRasonLon);
  EXPECT_EQ(SendOne(after).accepted(), 1u);
}

TEST_F(IngestServiceTest, ResendingIsIdempotentAndFlagChangesAreUpdates) {
  ASSERT_NO_FATAL_FAILURE(Register());
  const std::uint32_t hc01 = IndividualNumber(kStudy, "HC-01");
  v1::FixBatch batch = Batch(41);
  for (int i = 0; i < 6; ++i) {
    v1::Fix f = MakeFix(0, kMarch + i * kMinute, kRasonLat + i * 0.0001, kRasonLon);
    f.set_hdop(1.5);
    *batch.add_fixes() = f;
  }
  v1::FixBatch flagged = batch;
  flagged.set_sequence(43);
  flagged.mutable_fixes(1)->set_visible(false);
  flagged.mutable_fixes(2)->set_manually_marked_outlier(true);
  flagged.mutable_fixes(3)->set_manually_marked_valid(false);
  v1::FixBatch again = batch;
  again.set_sequence(42);

  StreamResult r = Stream({batch, again, flagged, flagged});
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  ASSERT_EQ(r.acks.size(), 4u);
  auto counts = [](const v1::FixAck& a) {
    return std::make_tuple(a.sequence(), a.accepted(), a.duplicates(), a.updated(),
                           a.rejected_size());
  };
  EXPECT_EQ(counts(r.acks[0]), std::make_tuple(41u, 6u, 0u, 0u, 0));
  EXPECT_EQ(counts(r.acks[1]), std::make_tuple(42u, 0u, 6u, 0u, 0));
  EXPECT_EQ(counts(r.acks[2]), std::make_tuple(43u, 0u, 3u, 3u, 0));
  EXPECT_EQ(counts(r.acks[3]), std::make_tuple(43u, 0u, 6u, 0u, 0));

  std::vector<store::StoredFix> want;
  for (const v1::Fix& f : flagged.fixes()) {
    want.push_back(Expected(f, hc01, TagNumber(kStudy, "T1"), "rason"));
  }
  EXPECT_THAT(Track(hc01), ElementsAreArray(want));
  EXPECT_EQ(stores_->fixes->Stats(hc01)->fix_count, 6u);
}

TEST_F(IngestServiceTest, LateAndOutOfOrderBatchesFillTheTrackInTimeOrder) {
  ASSERT_NO_FATAL_FAILURE(Register());
  const std::uint32_t hc01 = IndividualNumber(kStudy, "HC-01");
  // Minutes 10-19 first, then 0-9 in reverse order plus 15-17 again, then
  // the odd minutes 20-29 before the even ones.
  v1::FixBatch recent = Batch(51);
  for (int m = 10; m < 20; ++m) {
    *recent.add_fixes() = MakeFix(0, kMarch + m * kMinute, kSeaLat, kSeaLon + m * 0.01);
  }
  v1::FixBatch late = Batch(52);
  for (int m = 9; m >= 0; --m) {
    *late.add_fixes() = MakeFix(0, kMarch + m * kMinute, kSeaLat, kSeaLon + m * 0.01);
  }
  for (int m = 15; m < 18; ++m) {
    *late.add_fixes() = MakeFix(0, kMarch + m * kMinute, kSeaLat, kSeaLon + m * 0.01);
  }
  v1::FixBatch odd = Batch(53);
  v1::FixBatch even = Batch(54);
  for (int m = 20; m < 30; ++m) {
    *(m % 2 ? odd : even).add_fixes() =
        MakeFix(0, kMarch + m * kMinute, kSeaLat, kSeaLon + m * 0.01);
  }
  StreamResult r = Stream({recent, late, odd, even});
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  ASSERT_EQ(r.acks.size(), 4u);
  EXPECT_EQ(r.acks[0].accepted(), 10u);
  EXPECT_EQ(r.acks[1].accepted(), 10u);
  EXPECT_EQ(r.acks[1].duplicates(), 3u);
  EXPECT_EQ(r.acks[2].accepted(), 5u);
  EXPECT_EQ(r.acks[3].accepted(), 5u);
  for (const auto& ack : r.acks) EXPECT_EQ(ack.rejected_size(), 0) << ack.sequence();

  const auto track = Track(hc01);
  ASSERT_EQ(track.size(), 30u);
  for (int m = 0; m < 30; ++m) {
    EXPECT_EQ(track[static_cast<std::size_t>(m)].timestamp_ms, kMarch + m * kMinute);
    EXPECT_EQ(track[static_cast<std::size_t>(m)].lon, kSeaLon + m * 0.01);
  }
  EXPECT_EQ(
      stores_->fixes->Stats(hc01),
      (store::TrackStats{.fix_count = 30, .first_ms = kMarch, .last_ms = kMarch + 29 * kMinute}));
}

TEST_F(IngestServiceTest, AutoRegisterCreatesTheRegistryFromTheData) {
  v1::FixBatch batch;
  batch.set_sequence(61);
  batch.set_study_id("spoonbill-auto");
  batch.set_auto_register(true);
  batch.add_tags("X1");
  batch.add_tags("X2");
  batch.add_tags("X4");
  v1::IndividualRef* a = batch.add_individuals();
  a->set_id("A");
  a->set_taxon("Grus monacha");
  v1::IndividualRef* b = batch.add_individuals();
  b->set_id("B");
  b->set_taxon("Platalea minor");
  *batch.add_fixes() = MakeFix(0, kMarch, kRasonLat, kRasonLon, 1);
  *batch.add_fixes() = MakeFix(1, kMarch, kIzumiLat, kIzumiLon, 2);
  *batch.add_fixes() = MakeFix(0, kMarch + kHour, kRasonLat, kRasonLon);  // names none
  *batch.add_fixes() = MakeFix(2, kMarch, kRasonLat, kRasonLon);          // unknown, names none
  *batch.add_fixes() = MakeFix(0, kMarch + 2 * kHour, 91, kRasonLon, 1);

  const v1::FixAck ack = SendOne(batch);
  EXPECT_EQ(ack.accepted(), 3u);
  EXPECT_THAT(Rows(ack), ElementsAre(RejectionRow(3, "tag-local-identifier", "UNKNOWN_TAG"),
                                     RejectionRow(4, "location-lat", "LATITUDE_OUT_OF_RANGE")));

  {
    v1::GetReferenceDataRequest req;
    req.set_study_id("spoonbill-auto");
    grpc::ClientContext ctx;
    v1::ReferenceData data;
    grpc::Status s = registry_->GetReferenceData(&ctx, req, &data);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(data.individuals_size(), 2);
    EXPECT_EQ(data.individuals(0).id(), "A");
    EXPECT_EQ(data.individuals(0).taxon(), "Grus monacha");
    EXPECT_EQ(data.individuals(0).species_id(), "grus_monacha");
    EXPECT_EQ(data.individuals(1).id(), "B");
    EXPECT_EQ(data.individuals(1).species_id(), "platalea_minor");
    ASSERT_EQ(data.tags_size(), 2);
    EXPECT_EQ(data.tags(0).id(), "X1");
    EXPECT_EQ(data.tags(1).id(), "X2");
    ASSERT_EQ(data.deployments_size(), 2);
    EXPECT_EQ(data.deployments(0).tag_id(), "X1");
    EXPECT_EQ(data.deployments(0).individual_id(), "A");
    EXPECT_EQ(data.deployments(0).start_ms(), TimestampFromCivil(1990, 1, 1));
    EXPECT_FALSE(data.deployments(0).has_end_ms());
    EXPECT_EQ(data.deployments(1).tag_id(), "X2");
    EXPECT_EQ(data.deployments(1).individual_id(), "B");
  }
  {
    v1::GetStudyRequest req;
    req.set_study_id("spoonbill-auto");
    grpc::ClientContext ctx;
    v1::Study study;
    ASSERT_TRUE(registry_->GetStudy(&ctx, req, &study).ok());
    EXPECT_EQ(study.individual_count(), 2u);
    EXPECT_EQ(study.tag_count(), 2u);
    EXPECT_EQ(study.deployment_count(), 2u);
  }
  EXPECT_EQ(Track(IndividualNumber("spoonbill-auto", "A")).size(), 2u);

  // X1 is on A: a fix naming B is refused (B is not re-deployed), a fix
  // naming A is stored, and a new tag on a new individual is registered.
  v1::FixBatch second;
  second.set_sequence(62);
  second.set_study_id("spoonbill-auto");
  second.set_auto_register(true);
  second.add_tags("X1");
  second.add_tags("X3");
  second.add_individuals()->set_id("B");
  second.add_individuals()->set_id("A");
  second.add_individuals()->set_id("C");
  *second.add_fixes() = MakeFix(0, kMarch + 3 * kHour, kRasonLat, kRasonLon, 1);
  *second.add_fixes() = MakeFix(0, kMarch + 4 * kHour, kRasonLat, kRasonLon, 2);
  *second.add_fixes() = MakeFix(1, kMarch + 4 * kHour, kSeaLat, kSeaLon, 3);
  const v1::FixAck ack2 = SendOne(second);
  EXPECT_EQ(ack2.accepted(), 2u);
  ASSERT_THAT(Rows(ack2),
              ElementsAre(RejectionRow(0, "individual-local-identifier", "INDIVIDUAL_MISMATCH")));
  EXPECT_THAT(ack2.rejected(0).message(), HasSubstr("'B'"));
  EXPECT_THAT(ack2.rejected(0).message(), HasSubstr("'A'"));
  const auto registry = stores_->registry->Snapshot();
  auto deployments = registry->deployments().DeploymentsOf("spoonbill-auto", "X1");
  ASSERT_EQ(deployments.size(), 1u);
  EXPECT_EQ(deployments[0].individual_id, "A");
  EXPECT_NE(registry->FindIndividual("spoonbill-auto", "C"), nullptr);
  EXPECT_EQ(Track(IndividualNumber("spoonbill-auto", "A")).size(), 3u);
  EXPECT_EQ(Track(IndividualNumber("spoonbill-auto", "B")).size(), 1u);
  EXPECT_EQ(Track(IndividualNumber("spoonbill-auto", "C")).size(), 1u);
}

// A tag id the registry refuses (a control character) is a bad record, not
// a reason to refuse the batch: the other fixes are still stored.
TEST_F(IngestServiceTest, AutoRegisterRefusesABadTagIdAloneNotTheBatch) {
  v1::FixBatch batch;
  batch.set_sequence(71);
  batch.set_study_id("auto-bad-tag");
  batch.set_auto_register(true);
  batch.add_tags("X1");
  batch.add_tags(
      "X\x02"
      "2");
  batch.add_individuals()->set_id("A");
  batch.add_individuals()->set_id("B");
  *batch.add_fixes() = MakeFix(0, kMarch, kRasonLat, kRasonLon, 1);
  *batch.add_fixes() = MakeFix(1, kMarch, kRasonLat, kRasonLon, 2);
  const v1::FixAck ack = SendOne(batch);
  EXPECT_FALSE(ack.has_batch_rejection())
      << ack.batch_rejection().reason() << ": " << ack.batch_rejection().message();
  EXPECT_EQ(ack.accepted(), 1u);
  ASSERT_THAT(Rows(ack), ElementsAre(RejectionRow(1, "tag-local-identifier", "MALFORMED_ROW")));
  EXPECT_THAT(ack.rejected(0).message(), HasSubstr("control character"));
}

TEST_F(IngestServiceTest, ConcurrentStreamsStoreEachDistinctFixOnce) {
  ASSERT_NO_FATAL_FAILURE(Register());
  constexpr int kThreads = 4;
  constexpr int kBatches = 20;
  constexpr int kPerBatch = 20;
  // Fix k of tag T1 (or T2) is at minute k; every stream sends the same
  // measurement for the same key, so repeats are duplicates.
  auto fix = [](std::uint32_t tag, int k) {
    const TimestampMs base = tag == 0 ? kMarch : kJuly;
    return MakeFix(tag, base + k * kMinute, kSeaLat + k * 1e-4, kSeaLon);
  };
  std::set<std::pair<std::uint32_t, int>> distinct;
  std::vector<std::vector<v1::FixBatch>> plans(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    for (int b = 0; b < kBatches; ++b) {
      v1::FixBatch batch = Batch(static_cast<std::uint64_t>(t * 1000 + b));
      const int from = b * 8 + t * 5;
      for (int k = from; k < from + kPerBatch; ++k) {
        for (std::uint32_t tag : {0u, 1u}) {
          *batch.add_fixes() = fix(tag, k);
          distinct.emplace(tag, k);
        }
      }
      plans[static_cast<std::size_t>(t)].push_back(std::move(batch));
    }
  }

  std::vector<StreamResult> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      results[static_cast<std::size_t>(t)] = Stream(plans[static_cast<std::size_t>(t)]);
    });
  }
  for (std::thread& th : threads) th.join();

  std::uint64_t accepted = 0;
  std::uint64_t duplicates = 0;
  for (int t = 0; t < kThreads; ++t) {
    const StreamResult& r = results[static_cast<std::size_t>(t)];
    EXPECT_TRUE(r.status.ok()) << r.status.error_message();
    ASSERT_EQ(r.acks.size(), static_cast<std::size_t>(kBatches));
    for (int b = 0; b < kBatches; ++b) {
      const v1::FixAck& ack = r.acks[static_cast<std::size_t>(b)];
      EXPECT_EQ(ack.sequence(), static_cast<std::uint64_t>(t * 1000 + b));
      EXPECT_EQ(ack.rejected_size(), 0);
      EXPECT_EQ(ack.updated(), 0u);
      accepted += ack.accepted();
      duplicates += ack.duplicates();
    }
  }
  EXPECT_EQ(accepted, distinct.size());
  EXPECT_EQ(accepted + duplicates, static_cast<std::uint64_t>(kThreads * kBatches * kPerBatch * 2));
  EXPECT_EQ(TotalStored(), distinct.size());
  const auto t1 = Track(IndividualNumber(kStudy, "HC-01"));
  const auto t2 = Track(IndividualNumber(kStudy, "HC-02"));
  EXPECT_EQ(t1.size() + t2.size(), distinct.size());
  for (std::size_t i = 1; i < t1.size(); ++i) {
    EXPECT_LT(t1[i - 1].timestamp_ms, t1[i].timestamp_ms);
  }
}

}  // namespace
}  // namespace wetlink::services
