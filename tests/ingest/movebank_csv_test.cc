#include "ingest/movebank_csv.h"

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/timestamp.h"

namespace wetlink::ingest {
namespace {

using telemetry::RejectReason;
using telemetry::TimestampFromCivil;
using telemetry::TimestampMs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr TimestampMs kNow = TimestampFromCivil(2025, 1, 1);

std::string FixturePath(const std::string& name) {
  return std::string(WETLINK_TEST_FIXTURES_DIR) + "/ingest/" + name;
}

struct ReadResult {
  std::vector<FixRow> rows;
  std::vector<RowRejection> rejections;
};

// Reads everything in small batches, to exercise batch boundaries.
ReadResult ReadAll(std::istream& in, MovebankCsvOptions options = {}, std::size_t batch = 7) {
  ReadResult result;
  absl::StatusOr<MovebankCsvReader> reader = MovebankCsvReader::Open(in, kNow, std::move(options));
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return result;
  FixRowBatch out;
  while (reader->Next(out, batch)) {
    EXPECT_LE(out.size(), batch);
    EXPECT_FALSE(out.empty());
    for (auto& row : out.rows) result.rows.push_back(std::move(row));
    for (auto& rejection : out.rejections) result.rejections.push_back(std::move(rejection));
  }
  EXPECT_TRUE(reader->status().ok());
  return result;
}

ReadResult ReadText(const std::string& text, MovebankCsvOptions options = {}) {
  std::istringstream in(text);
  return ReadAll(in, std::move(options));
}

ReadResult ReadFixture(const std::string& name) {
  std::ifstream in(FixturePath(name), std::ios::binary);
  EXPECT_TRUE(in.is_open()) << FixturePath(name);
  return ReadAll(in);
}

absl::Status OpenError(const std::string& text, MovebankCsvOptions options = {}) {
  std::istringstream in(text);
  return MovebankCsvReader::Open(in, kNow, std::move(options)).status();
}

TEST(MovebankCsvTest, RealSample) {
  const ReadResult result = ReadFixture("movebank-sample.csv");
  EXPECT_THAT(result.rejections, IsEmpty());
  ASSERT_EQ(result.rows.size(), 50u);

  const FixRow& first = result.rows.front();
  EXPECT_EQ(first.line, 2u);
  EXPECT_EQ(first.fix.tag_id, "2859");
  EXPECT_EQ(first.individual_local_identifier, "2859/H4839/Albert");
  EXPECT_EQ(first.taxon, "Ciconia ciconia");
  EXPECT_EQ(first.sensor_type, "gps");
  EXPECT_EQ(first.study_name,
            "Eastern flyway spring migration of adult white storks (data from Rotics et al. 2018)");
  EXPECT_EQ(telemetry::FormatTimestamp(first.fix.timestamp_ms), "2016-05-02 04:20:46.000");
  EXPECT_DOUBLE_EQ(first.fix.lat, 37.019334);
  EXPECT_DOUBLE_EQ(first.fix.lon, 34.782794);
  EXPECT_EQ(first.fix.height_m, 243.2);
  EXPECT_EQ(first.fix.ground_speed_mps, 0.31);
  EXPECT_EQ(first.fix.heading_deg, 1.31);
  EXPECT_EQ(first.fix.hdop, std::nullopt);  // no gps:hdop column in this export
  EXPECT_EQ(first.fix.satellites, std::nullopt);
  EXPECT_EQ(first.fix.manually_marked_outlier, std::nullopt);

  const FixRow& last = result.rows.back();
  EXPECT_EQ(last.line, 51u);
  EXPECT_EQ(telemetry::FormatTimestamp(last.fix.timestamp_ms), "2016-05-02 08:36:40.000");
  EXPECT_DOUBLE_EQ(last.fix.lat, 37.16169);
  EXPECT_DOUBLE_EQ(last.fix.lon, 34.208818);

  for (std::size_t i = 0; i < result.rows.size(); ++i) {
    const FixRow& row = result.rows[i];
    EXPECT_TRUE(row.fix.visible);
    EXPECT_EQ(row.fix.event_id, 7337135946 + static_cast<std::int64_t>(i));
    EXPECT_EQ(row.fix.tag_id, "2859");
    EXPECT_EQ(row.line, i + 2);
  }
}

TEST(MovebankCsvTest, SummaryOfRealSample) {
  std::ifstream in(FixturePath("movebank-sample.csv"), std::ios::binary);
  absl::StatusOr<MovebankSummary> summary = SummarizeMovebankCsv(in, kNow);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->rows, 50u);
  EXPECT_EQ(summary->rejected, 0u);
  EXPECT_EQ(summary->distinct_tags, 1u);
  EXPECT_EQ(summary->distinct_individuals, 1u);
  EXPECT_EQ(summary->min_timestamp_ms, TimestampFromCivil(2016, 5, 2, 4, 20, 46));
  EXPECT_EQ(summary->max_timestamp_ms, TimestampFromCivil(2016, 5, 2, 8, 36, 40));
}

TEST(MovebankCsvTest, EveryBadRowHasItsReasonFieldAndLine) {
  const ReadResult result = ReadFixture("movebank-bad-rows.csv");
  using Expected = std::tuple<std::size_t, RejectReason, std::string>;
  const std::vector<Expected> expected = {
      {3, RejectReason::kNotFinite, "location-lat"},
      {4, RejectReason::kBadNumber, "location-long"},
      {6, RejectReason::kLatitudeOutOfRange, "location-lat"},
      {7, RejectReason::kLongitudeOutOfRange, "location-long"},
      {8, RejectReason::kTimestampBefore1990, "timestamp"},
      {9, RejectReason::kTimestampInFuture, "timestamp"},
      {10, RejectReason::kBadTimestamp, "timestamp"},
      {12, RejectReason::kMissingField, "location-lat"},
      {13, RejectReason::kMissingField, "location-long"},
      {14, RejectReason::kMissingField, "timestamp"},
      {15, RejectReason::kHdopOutOfRange, "gps:hdop"},
      {16, RejectReason::kSatelliteCountOutOfRange, "gps:satellite-count"},
      {18, RejectReason::kGroundSpeedOutOfRange, "ground-speed"},
      {19, RejectReason::kHeadingOutOfRange, "heading"},
      {20, RejectReason::kHeightOutOfRange, "height-above-ellipsoid"},
      {21, RejectReason::kBadBoolean, "visible"},
      {22, RejectReason::kBadEventId, "event-id"},
      {23, RejectReason::kEmptyTagId, "tag-local-identifier"},
      {25, RejectReason::kMalformedRow, ""},  // unterminated quote
      {27, RejectReason::kMalformedRow, ""},  // too many columns
      {28, RejectReason::kMalformedRow, ""},  // too few columns
      {29, RejectReason::kMalformedRow, ""},  // stray quote
      {30, RejectReason::kTagIdTooLong, "tag-local-identifier"},
      {31, RejectReason::kBadNumber, "location-lat"},
      {32, RejectReason::kBadNumber, "gps:hdop"},
      {33, RejectReason::kBadNumber, "gps:satellite-count"},
      {34, RejectReason::kNotFinite, "ground-speed"},
      {35, RejectReason::kBadBoolean, "manually-marked-outlier"},
      {36, RejectReason::kHeadingOutOfRange, "heading"},
      {37, RejectReason::kBadTimestamp, "timestamp"},
      {38, RejectReason::kBadNumber, "location-lat"},
      {39, RejectReason::kBadEventId, "event-id"},
      {40, RejectReason::kNotFinite, "height-above-ellipsoid"},
  };
  std::vector<Expected> actual;
  for (const RowRejection& r : result.rejections) {
    actual.emplace_back(r.line, r.reason, r.field);
    EXPECT_FALSE(r.message.empty());
    if (!r.field.empty()) {
      EXPECT_THAT(r.message, HasSubstr(r.field)) << r.line;
    }
  }
  EXPECT_EQ(actual, expected);

  std::vector<std::size_t> good_lines;
  for (const FixRow& row : result.rows) good_lines.push_back(row.line);
  EXPECT_THAT(good_lines, ElementsAre(2, 5, 11, 17, 24, 26, 41));
  EXPECT_EQ(result.rows.size() + result.rejections.size(), 40u);  // every data line
}

TEST(MovebankCsvTest, GoodRowsOfBadFixtureParsedExactly) {
  const ReadResult result = ReadFixture("movebank-bad-rows.csv");
  std::map<std::size_t, const FixRow*> by_line;
  for (const FixRow& row : result.rows) by_line[row.line] = &row;
  ASSERT_EQ(by_line.size(), 7u);

  const telemetry::Fix& full = by_line[2]->fix;
  EXPECT_EQ(full.tag_id, "HC-01");
  EXPECT_EQ(full.timestamp_ms, TimestampFromCivil(2024, 3, 10, 6));
  EXPECT_EQ(full.lat, 42.31);
  EXPECT_EQ(full.lon, 130.61);
  EXPECT_EQ(full.height_m, 15.2);
  EXPECT_EQ(full.hdop, 1.1);
  EXPECT_EQ(full.satellites, 8);
  EXPECT_EQ(full.ground_speed_mps, 0.4);
  EXPECT_EQ(full.heading_deg, 90.0);
  EXPECT_EQ(full.event_id, 1001);
  EXPECT_TRUE(full.visible);
  EXPECT_EQ(full.manually_marked_outlier, std::nullopt);
  EXPECT_EQ(by_line[2]->study_name, "Hooded crane migration, Izumi");
  EXPECT_EQ(by_line[2]->taxon, "Grus monacha");

  EXPECT_FALSE(by_line[5]->fix.visible);  // "FALSE"
  EXPECT_EQ(by_line[5]->fix.timestamp_ms, TimestampFromCivil(2024, 3, 10, 6, 30));  // ISO, Z

  const telemetry::Fix& sparse = by_line[11]->fix;  // optional cells empty
  EXPECT_EQ(sparse.height_m, std::nullopt);
  EXPECT_EQ(sparse.hdop, std::nullopt);
  EXPECT_EQ(sparse.satellites, std::nullopt);
  EXPECT_EQ(sparse.ground_speed_mps, std::nullopt);
  EXPECT_EQ(sparse.heading_deg, std::nullopt);
  EXPECT_EQ(sparse.event_id, std::nullopt);
  EXPECT_TRUE(sparse.visible);  // empty = absent = visible

  EXPECT_FALSE(by_line[17]->fix.visible);  // "0"
  EXPECT_EQ(by_line[17]->fix.manually_marked_outlier, true);  // "TRUE"

  EXPECT_EQ(by_line[24]->fix.tag_id, "HC-02");
  EXPECT_EQ(by_line[24]->fix.timestamp_ms, TimestampFromCivil(2024, 3, 11, 7, 15, 30, 500));
  EXPECT_EQ(by_line[26]->fix.event_id, 1025);  // the row after the unterminated quote

  const telemetry::Fix& edge = by_line[41]->fix;  // boundary values
  EXPECT_EQ(edge.lat, -90);
  EXPECT_EQ(edge.lon, 180);
  EXPECT_EQ(edge.timestamp_ms, TimestampFromCivil(1990, 1, 1));

  std::istringstream again([] {
    std::ifstream in(FixturePath("movebank-bad-rows.csv"), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }());
  absl::StatusOr<MovebankSummary> summary = SummarizeMovebankCsv(again, kNow);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->rows, 7u);
  EXPECT_EQ(summary->rejected, 33u);
  EXPECT_EQ(summary->distinct_tags, 2u);
  EXPECT_EQ(summary->distinct_individuals, 2u);
  EXPECT_EQ(summary->min_timestamp_ms, TimestampFromCivil(1990, 1, 1));
  EXPECT_EQ(summary->max_timestamp_ms, TimestampFromCivil(2024, 3, 11, 7, 15, 30, 500));
}

TEST(MovebankCsvTest, ColumnOrderIrrelevantAndUnknownColumnsIgnored) {
  const ReadResult a = ReadText(
      "timestamp,location-lat,location-long,tag-local-identifier\n"
      "2020-01-02 03:04:05.000,35.5,139.7,T1\n");
  const ReadResult b = ReadText(
      "eobs:battery-voltage,tag-local-identifier,study-specific-measurement,location-long,"
      "timestamp,location-lat,algorithm-marked-outlier\n"
      "3700,T1,\"x,y\",139.7,2020-01-02 03:04:05.000,35.5,\n");
  ASSERT_EQ(a.rows.size(), 1u);
  ASSERT_EQ(b.rows.size(), 1u);
  EXPECT_EQ(a.rows[0].fix, b.rows[0].fix);
  EXPECT_EQ(b.rows[0].fix.lat, 35.5);
  EXPECT_EQ(b.rows[0].fix.lon, 139.7);
}

TEST(MovebankCsvTest, ByteOrderMarkAndCrLf) {
  const ReadResult result = ReadText(
      "\xEF\xBB\xBFtimestamp,location-lat,location-long,tag-local-identifier\r\n"
      "2020-01-02 03:04:05.000,35.5,139.7,T1\r\n"
      "2020-01-02 03:04:06.000,35.6,139.8,T1\r\n");
  EXPECT_THAT(result.rejections, IsEmpty());
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.rows[1].line, 3u);
}

TEST(MovebankCsvTest, DefaultTagForSingleTagFiles) {
  MovebankCsvOptions options;
  options.default_tag_id = "SB-7";
  const ReadResult result =
      ReadText("timestamp,location-lat,location-long\n2020-01-02 03:04:05,22.5,114.0\n", options);
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].fix.tag_id, "SB-7");

  // Without it the column is required.
  const absl::Status status = OpenError("timestamp,location-lat,location-long\n");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("tag-local-identifier"));
}

TEST(MovebankCsvTest, HeaderErrors) {
  absl::Status status = OpenError("timestamp,location-long,tag-local-identifier\n1,2,3\n");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("location-lat"));
  EXPECT_THAT(std::string(status.message()), ::testing::Not(HasSubstr("location-long")));

  status = OpenError("event-id,tag-local-identifier\n");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("timestamp, location-lat, location-long"));

  status = OpenError(
      "timestamp,location-lat,location-long,tag-local-identifier,location-lat,comments,comments\n");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("repeats column(s): location-lat"));
  EXPECT_THAT(std::string(status.message()), ::testing::Not(HasSubstr("comments")));

  status = OpenError("");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("no header"));

  status = OpenError("\"timestamp,location-lat\n");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("header"));
}

TEST(MovebankCsvTest, HeaderOnlyFileHasNoRows) {
  std::istringstream in("timestamp,location-lat,location-long,tag-local-identifier\n");
  absl::StatusOr<MovebankCsvReader> reader = MovebankCsvReader::Open(in, kNow);
  ASSERT_TRUE(reader.ok());
  EXPECT_THAT(reader->header(),
              ElementsAre("timestamp", "location-lat", "location-long", "tag-local-identifier"));
  FixRowBatch batch;
  EXPECT_FALSE(reader->Next(batch, 100));
  EXPECT_TRUE(batch.empty());
}

TEST(MovebankCsvTest, StreamsInBatches) {
  std::string text = "timestamp,location-lat,location-long,tag-local-identifier\n";
  for (int i = 0; i < 1000; ++i) {
    text += "2020-01-02 03:04:05.000,35.5,139.7,T" + std::to_string(i % 3) + "\n";
    if (i % 100 == 0) text += "2020-01-02 03:04:05.000,135.5,139.7,T1\n";  // bad latitude
  }
  std::istringstream in(text);
  absl::StatusOr<MovebankCsvReader> reader = MovebankCsvReader::Open(in, kNow);
  ASSERT_TRUE(reader.ok());
  FixRowBatch batch;
  MovebankSummaryBuilder builder;
  std::size_t batches = 0;
  while (reader->Next(batch, 64)) {
    ++batches;
    EXPECT_LE(batch.size(), 64u);
    builder.Add(batch);
  }
  const MovebankSummary summary = builder.Summary();
  EXPECT_EQ(summary.rows, 1000u);
  EXPECT_EQ(summary.rejected, 10u);
  EXPECT_EQ(summary.distinct_tags, 3u);
  EXPECT_EQ(summary.distinct_individuals, 0u);
  EXPECT_EQ(batches, (1010u + 63) / 64);
}

TEST(MovebankCsvTest, ValidationLimitsComeFromOptions) {
  MovebankCsvOptions options;
  options.limits.max_ground_speed_mps = 30;
  const std::string text =
      "timestamp,location-lat,location-long,tag-local-identifier,ground-speed\n"
      "2020-01-02 03:04:05.000,35.5,139.7,T1,35\n";
  EXPECT_EQ(ReadText(text).rows.size(), 1u);
  const ReadResult strict = ReadText(text, options);
  ASSERT_EQ(strict.rejections.size(), 1u);
  EXPECT_EQ(strict.rejections[0].reason, RejectReason::kGroundSpeedOutOfRange);
  EXPECT_EQ(strict.rejections[0].message, "ground-speed 35 is outside [0, 30]");
}

}  // namespace
}  // namespace wetlink::ingest
