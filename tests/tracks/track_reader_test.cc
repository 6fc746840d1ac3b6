// Known answers for reading tracks back: windows, thinning, outlier flags,
// individual summaries; and the GeoJSON / GPX documents of a small track.

#include "tracks/track_reader.h"

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/database.h"
#include "store/fix_store.h"
#include "tracks/track_export.h"

namespace wetlink::tracks {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr telemetry::TimestampMs kMinute = 60'000;
constexpr telemetry::TimestampMs kT0 = 1'717'200'000'000;  // 2024-06-01T00:00:00Z

store::StoredFix MakeFix(std::uint32_t individual, telemetry::TimestampMs t) {
  store::StoredFix f;
  f.individual = individual;
  f.tag = 1;
  f.timestamp_ms = t;
  f.lat = 42.3 + static_cast<double>((t - kT0) / kMinute) * 1e-4;
  f.lon = 130.6;
  f.site_id = "rason";
  return f;
}

class TrackReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("wetlink-tracks-" + std::to_string(std::random_device{}()));
    auto db = store::Database::Open(dir_.string(), {.sync_writes = false});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    auto fixes = store::FixStore::Open(*db_);
    ASSERT_TRUE(fixes.ok()) << fixes.status();
    fixes_ = std::move(*fixes);
    // Individual 7: a fix every 10 minutes for 2 hours (13 fixes); the one
    // at +30 min is hidden upstream, the one at +40 marked an outlier, the
    // one at +50 marked an outlier but also valid.
    std::vector<store::FixToCommit> batch;
    for (int i = 0; i <= 12; ++i) {
      store::StoredFix f = MakeFix(7, kT0 + i * 10 * kMinute);
      if (i == 3) f.visible = false;
      if (i == 4) f.manually_marked_outlier = true;
      if (i == 5) {
        f.manually_marked_outlier = true;
        f.manually_marked_valid = true;
      }
      batch.push_back({.fix = f, .index = static_cast<std::uint32_t>(i)});
    }
    batch.push_back({.fix = MakeFix(8, kT0), .index = 13});
    ASSERT_TRUE(fixes_->Commit(batch).ok());
  }

  void TearDown() override {
    fixes_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::vector<int> Minutes(const TrackSelection& selection) {
    std::vector<int> out;
    absl::Status st = ReadTrack(*fixes_, 7, selection, [&](const store::StoredFix& f) {
      out.push_back(static_cast<int>((f.timestamp_ms - kT0) / kMinute));
      return true;
    });
    EXPECT_TRUE(st.ok()) << st;
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::FixStore> fixes_;
};

TEST_F(TrackReaderTest, WholeTrackInTimeOrder) {
  EXPECT_THAT(Minutes({}), ElementsAre(0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120));
}

TEST_F(TrackReaderTest, WindowIsHalfOpen) {
  TrackSelection s;
  s.from_ms = kT0 + 20 * kMinute;
  s.to_ms = kT0 + 60 * kMinute;
  EXPECT_THAT(Minutes(s), ElementsAre(20, 30, 40, 50));
}

TEST_F(TrackReaderTest, ThinningKeepsOneFixPerInterval) {
  TrackSelection s;
  s.min_interval_ms = 25 * kMinute;
  EXPECT_THAT(Minutes(s), ElementsAre(0, 30, 60, 90, 120));
}

TEST_F(TrackReaderTest, OutliersLeftOutOnRequestOnly) {
  TrackSelection s;
  s.exclude_outliers = true;
  // +30 hidden and +40 marked are left out; +50 is marked valid too.
  EXPECT_THAT(Minutes(s), ElementsAre(0, 10, 20, 50, 60, 70, 80, 90, 100, 110, 120));
}

TEST_F(TrackReaderTest, BadSelectionsAreRefusedNamingTheField) {
  TrackSelection s;
  s.from_ms = kT0;
  s.to_ms = kT0;
  absl::Status st = ReadTrack(*fixes_, 7, s, [](const store::StoredFix&) { return true; });
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(st.message()), HasSubstr("from_ms"));
  TrackSelection negative;
  negative.min_interval_ms = -1;
  st = ReadTrack(*fixes_, 7, negative, [](const store::StoredFix&) { return true; });
  EXPECT_THAT(std::string(st.message()), HasSubstr("min_interval_ms"));
}

TEST_F(TrackReaderTest, GeoJsonDocumentParsesAndCarriesTheAttributes) {
  GeoJsonTrackWriter writer;
  std::string out;
  writer.Begin(out);
  writer.BeginIndividual({.study_id = "s", .individual_id = "Crane \"A\"", .taxon = "Grus monacha",
                          .species_id = "grus_monacha"},
                         out);
  ASSERT_TRUE(ReadTrack(*fixes_, 7, {}, [&](const store::StoredFix& f) {
                writer.Point(f, "tag-1", out);
                return true;
              }).ok());
  writer.EndIndividual(out);
  writer.End(out);
  const nlohmann::json doc = nlohmann::json::parse(out);
  ASSERT_EQ(doc["features"].size(), 13u);
  const auto& first = doc["features"][0];
  EXPECT_EQ(first["geometry"]["coordinates"][0].get<double>(), 130.6);
  EXPECT_EQ(first["geometry"]["coordinates"][1].get<double>(), 42.3);
  EXPECT_EQ(first["properties"]["timestamp"], "2024-06-01T00:00:00.000Z");
  EXPECT_EQ(first["properties"]["individual-local-identifier"], "Crane \"A\"");
  EXPECT_EQ(first["properties"]["site"], "rason");
  EXPECT_EQ(doc["features"][3]["properties"]["visible"], false);
  EXPECT_EQ(doc["features"][4]["properties"]["manually-marked-outlier"], true);
  EXPECT_TRUE(doc["features"][0]["properties"]["manually-marked-outlier"].is_null());
}

TEST_F(TrackReaderTest, GpxDocumentHasOneTrackPerIndividual) {
  GpxTrackWriter writer;
  std::string out;
  writer.Begin(out);
  for (std::uint32_t individual : {7u, 8u}) {
    writer.BeginIndividual({.study_id = "s", .individual_id = "bird<" + std::to_string(individual),
                            .taxon = "", .species_id = "grus_monacha"},
                           out);
    ASSERT_TRUE(ReadTrack(*fixes_, individual, {}, [&](const store::StoredFix& f) {
                  writer.Point(f, "tag-1", out);
                  return true;
                }).ok());
    writer.EndIndividual(out);
  }
  writer.End(out);
  auto count = [&](std::string_view needle) {
    std::size_t n = 0;
    for (std::size_t pos = out.find(needle); pos != std::string::npos;
         pos = out.find(needle, pos + 1)) {
      ++n;
    }
    return n;
  };
  EXPECT_EQ(count("<trk>"), 2u);
  EXPECT_EQ(count("<trkseg>"), 2u);
  EXPECT_EQ(count("<trkpt "), 14u);
  EXPECT_THAT(out, HasSubstr("<name>bird&lt;7</name>"));
  EXPECT_THAT(out, HasSubstr("<trkpt lat=\"42.3\" lon=\"130.6\"><time>2024-06-01T00:00:00.000Z</time>"));
}

}  // namespace
}  // namespace wetlink::tracks
