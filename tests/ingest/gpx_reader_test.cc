#include "ingest/gpx_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "telemetry/timestamp.h"

namespace wetlink::ingest {
namespace {

using telemetry::RejectReason;
using telemetry::TimestampFromCivil;
using telemetry::TimestampMs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr TimestampMs kNow = TimestampFromCivil(2025, 1, 1);

std::string FixturePath(const std::string& name) {
  return std::string(WETLINK_TEST_FIXTURES_DIR) + "/ingest/" + name;
}

struct ReadResult {
  std::vector<FixRow> rows;
  std::vector<RowRejection> rejections;
  absl::Status status;
};

// Reads everything in small batches, to exercise batch boundaries.
ReadResult ReadAll(GpxFixSource& source, std::size_t batch = 3) {
  ReadResult result;
  FixRowBatch out;
  while (source.Next(out, batch)) {
    EXPECT_LE(out.size(), batch);
    for (auto& row : out.rows) result.rows.push_back(std::move(row));
    for (auto& rejection : out.rejections) result.rejections.push_back(std::move(rejection));
  }
  result.status = source.status();
  return result;
}

ReadResult ReadFixture(const std::string& name, GpxOptions options) {
  absl::StatusOr<GpxFixSource> source = GpxFixSource::Open(FixturePath(name), kNow, options);
  EXPECT_TRUE(source.ok()) << source.status();
  if (!source.ok()) return {};
  return ReadAll(*source);
}

ReadResult ReadBytes(const std::string& content, GpxOptions options) {
  absl::StatusOr<GpxFixSource> source =
      GpxFixSource::OpenBytes("upload.gpx", content, kNow, options);
  EXPECT_TRUE(source.ok()) << source.status();
  if (!source.ok()) return {};
  return ReadAll(*source);
}

GpxOptions WithTag(const std::string& tag) {
  GpxOptions options;
  options.tag_id = tag;
  return options;
}

std::string OneTrack(const std::string& name_element, const std::string& points) {
  return "<?xml version=\"1.0\"?>\n"
         "<gpx version=\"1.1\" creator=\"test\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n"
         "<trk>" +
         name_element + "<trkseg>\n" + points + "</trkseg></trk>\n</gpx>\n";
}

std::vector<std::size_t> Lines(const std::vector<FixRow>& rows) {
  std::vector<std::size_t> lines;
  for (const FixRow& row : rows) lines.push_back(row.line);
  return lines;
}

using Expected = std::tuple<std::size_t, RejectReason, std::string>;

std::vector<Expected> Rejected(const std::vector<RowRejection>& rejections) {
  std::vector<Expected> actual;
  for (const RowRejection& r : rejections) actual.emplace_back(r.line, r.reason, r.field);
  return actual;
}

TEST(GpxReaderTest, TrackPointsOfGpx11WithKnownAnswers) {
  const ReadResult result = ReadFixture("gpx11-two-tracks.gpx", WithTag("HC-GPS"));
  ASSERT_TRUE(result.status.ok()) << result.status;

  // Lines are ordinals of <trkpt>: the waypoint and route points are not read.
  EXPECT_EQ(Rejected(result.rejections),
            (std::vector<Expected>{
                {3, RejectReason::kMissingField, "timestamp"},
                {5, RejectReason::kMalformedRow, ""},           // no lon
                {6, RejectReason::kBadTimestamp, "timestamp"},  // 2024-02-30
                {7, RejectReason::kLatitudeOutOfRange, "location-lat"},
                {8, RejectReason::kHdopOutOfRange, "gps:hdop"},
                {10, RejectReason::kTimestampBefore1990, "timestamp"},
            }));
  ASSERT_THAT(Lines(result.rows), ElementsAre(1, 2, 4, 9));

  const FixRow& first = result.rows[0];
  EXPECT_EQ(first.fix.tag_id, "HC-GPS");
  EXPECT_EQ(first.fix.timestamp_ms, TimestampFromCivil(2024, 3, 10, 6, 0, 0));
  EXPECT_EQ(first.fix.lat, 32.0853);
  EXPECT_EQ(first.fix.lon, 130.2051);
  EXPECT_EQ(first.fix.satellites, 9);
  EXPECT_EQ(first.fix.hdop, 0.9);
  EXPECT_EQ(first.fix.height_m, std::nullopt);          // <ele> is above sea level, not stored
  EXPECT_EQ(first.fix.ground_speed_mps, std::nullopt);  // GPX 1.1 has no <speed>
  EXPECT_EQ(first.fix.heading_deg, std::nullopt);
  EXPECT_TRUE(first.fix.visible);
  EXPECT_EQ(first.sensor_type, "gps");
  EXPECT_EQ(first.individual_local_identifier, "");

  // 15:30:15.250+09:00
  EXPECT_EQ(result.rows[1].fix.timestamp_ms, TimestampFromCivil(2024, 3, 10, 6, 30, 15, 250));
  EXPECT_EQ(result.rows[1].fix.satellites, 7);
  EXPECT_EQ(result.rows[1].fix.hdop, 1.4);
  // No zone: taken as UTC.
  EXPECT_EQ(result.rows[2].fix.timestamp_ms, TimestampFromCivil(2024, 3, 11, 7, 0, 0));
  EXPECT_EQ(result.rows[2].fix.lat, 34.6001);
  EXPECT_EQ(result.rows[2].fix.lon, 127.7002);
  EXPECT_EQ(result.rows[2].fix.satellites, std::nullopt);
  // 2024-03-12T00:00:00+05:45
  EXPECT_EQ(result.rows[3].fix.timestamp_ms, TimestampFromCivil(2024, 3, 11, 18, 15, 0));
  EXPECT_EQ(result.rows[3].fix.lat, 42.3110);
  EXPECT_EQ(result.rows[3].fix.lon, 130.6130);
}

TEST(GpxReaderTest, RejectionMessagesSayWhereThePointIs) {
  const ReadResult result = ReadFixture("gpx11-two-tracks.gpx", WithTag("HC-GPS"));
  std::map<std::size_t, std::string> message;
  for (const RowRejection& r : result.rejections) message[r.line] = r.message;
  EXPECT_THAT(message[3], AllOf(HasSubstr("timestamp"), HasSubstr("no <time>"),
                                HasSubstr("track 1, segment 1, point 3")));
  EXPECT_THAT(message[5], HasSubstr("track point 5 has no lat or lon"));
  EXPECT_THAT(message[6], AllOf(HasSubstr("2024/02/30"), HasSubstr("track 1, segment 2, point 3")));
  EXPECT_THAT(message[7], AllOf(HasSubstr("location-lat 95"), HasSubstr("track 2, segment 1")));
  EXPECT_THAT(message[8], HasSubstr("gps:hdop 150"));
}

TEST(GpxReaderTest, TagsFromTrackNames) {
  GpxOptions options;
  options.tag_from_track_name = true;
  options.individual_id = "Hooded-01";
  const ReadResult result = ReadFixture("gpx11-two-tracks.gpx", options);
  ASSERT_THAT(Lines(result.rows), ElementsAre(1, 2, 4, 9));
  EXPECT_EQ(result.rows[0].fix.tag_id, "HC-01");
  EXPECT_EQ(result.rows[2].fix.tag_id, "HC-01");
  EXPECT_EQ(result.rows[3].fix.tag_id, "HC-02");
  for (const FixRow& row : result.rows) EXPECT_EQ(row.individual_local_identifier, "Hooded-01");
  EXPECT_EQ(result.rejections.size(), 6u);
  EXPECT_THAT(result.rejections[0].message, HasSubstr("track 1 'HC-01', segment 1, point 3"));
}

TEST(GpxReaderTest, WaypointsAndRoutePointsOnlyWhenAsked) {
  GpxOptions options = WithTag("HC-GPS");
  options.read_waypoints = true;
  options.read_route_points = true;
  const ReadResult result = ReadFixture("gpx11-two-tracks.gpx", options);
  ASSERT_TRUE(result.status.ok());
  // One waypoint (line 1), two route points (2, 3), then the ten track points.
  EXPECT_THAT(Lines(result.rows), ElementsAre(1, 2, 4, 5, 7, 12));
  EXPECT_EQ(result.rows[0].fix.timestamp_ms, TimestampFromCivil(2024, 3, 9, 23, 0, 0));
  EXPECT_EQ(result.rows[0].fix.lat, 32.09);
  EXPECT_EQ(result.rows[1].fix.lon, 130.22);
  ASSERT_FALSE(result.rejections.empty());
  EXPECT_EQ(Rejected(result.rejections)[0], Expected(3, RejectReason::kMissingField, "timestamp"));
  EXPECT_THAT(result.rejections[0].message, HasSubstr("route 1, point 2"));

  GpxOptions only_waypoints = WithTag("HC-GPS");
  only_waypoints.read_track_points = false;
  only_waypoints.read_waypoints = true;
  const ReadResult waypoints = ReadFixture("gpx11-two-tracks.gpx", only_waypoints);
  EXPECT_THAT(Lines(waypoints.rows), ElementsAre(1));
  EXPECT_THAT(waypoints.rejections, IsEmpty());
}

TEST(GpxReaderTest, Gpx10SpeedAndCourse) {
  const ReadResult result = ReadFixture("gpx10-speed-course.gpx", WithTag("SB-7"));
  ASSERT_TRUE(result.status.ok());
  EXPECT_EQ(Rejected(result.rejections),
            (std::vector<Expected>{
                {2, RejectReason::kHeadingOutOfRange, "heading"},           // course 360
                {3, RejectReason::kGroundSpeedOutOfRange, "ground-speed"},  // 150 m/s
            }));
  ASSERT_THAT(Lines(result.rows), ElementsAre(1, 4));
  const telemetry::Fix& first = result.rows[0].fix;
  EXPECT_EQ(first.timestamp_ms, TimestampFromCivil(2023, 11, 1));
  EXPECT_EQ(first.lat, 22.4930);
  EXPECT_EQ(first.lon, 113.9990);
  EXPECT_EQ(first.ground_speed_mps, 12.25);
  EXPECT_EQ(first.heading_deg, 271.5);
  EXPECT_EQ(first.satellites, 10);
  EXPECT_EQ(first.hdop, 0.7);
  EXPECT_EQ(first.height_m, std::nullopt);
  const telemetry::Fix& last = result.rows[1].fix;
  EXPECT_EQ(last.timestamp_ms, TimestampFromCivil(2023, 11, 1, 0, 30, 0, 500));
  EXPECT_EQ(last.ground_speed_mps, std::nullopt);
  EXPECT_EQ(last.heading_deg, std::nullopt);
}

TEST(GpxReaderTest, UnnamedTrackUnderTrackNamesIsAnEmptyTag) {
  GpxOptions options;
  options.tag_from_track_name = true;
  const std::string points =
      "<trkpt lat=\"42.1\" lon=\"130.5\"><time>2024-05-01T00:00:00Z</time></trkpt>\n";
  const ReadResult unnamed = ReadBytes(OneTrack("", points), options);
  EXPECT_THAT(unnamed.rows, IsEmpty());
  ASSERT_EQ(Rejected(unnamed.rejections),
            (std::vector<Expected>{{1, RejectReason::kEmptyTagId, "tag-local-identifier"}}));
  EXPECT_THAT(unnamed.rejections[0].message, HasSubstr("track 1 (unnamed)"));

  const ReadResult named = ReadBytes(OneTrack("<name>WN-3</name>", points), options);
  ASSERT_EQ(named.rows.size(), 1u);
  EXPECT_EQ(named.rows[0].fix.tag_id, "WN-3");
}

// Found with fuzz/gpx_fuzzer's bound on rejection messages: a track name
// of any length was repeated whole in the rejection of each of its points.
TEST(GpxReaderTest, LongTrackNamesAreCutInMessages) {
  GpxOptions options;
  options.tag_from_track_name = true;
  const std::string name(3000, 'N');
  const ReadResult result = ReadBytes(
      OneTrack("<name>" + name + "</name>",
               "<trkpt lat=\"42.1\" lon=\"130.5\"><time>2024-05-01T00:00:00Z</time></trkpt>\n"),
      options);
  ASSERT_EQ(Rejected(result.rejections),
            (std::vector<Expected>{{1, RejectReason::kTagIdTooLong, "tag-local-identifier"}}));
  EXPECT_LT(result.rejections[0].message.size(), 300u);
  EXPECT_THAT(result.rejections[0].message,
              HasSubstr("track 1 '" + std::string(64, 'N') + "...', segment 1, point 1"));
}

TEST(GpxReaderTest, DroppedPointsAtTheEndOfAKindLeaveNoTrace) {
  // The documented limit: GDAL drops a point without lon, and with no later
  // point there is no gap to see.
  const ReadResult result = ReadBytes(
      OneTrack("",
               "<trkpt lat=\"42.1\" lon=\"130.5\"><time>2024-05-01T00:00:00Z</time></trkpt>\n"
               "<trkpt lat=\"42.2\"><time>2024-05-01T00:10:00Z</time></trkpt>\n"),
      WithTag("T"));
  EXPECT_THAT(Lines(result.rows), ElementsAre(1));
  EXPECT_THAT(result.rejections, IsEmpty());
}

TEST(GpxReaderTest, LenientValuesLeaveWarnings) {
  absl::StatusOr<GpxFixSource> source = GpxFixSource::OpenBytes(
      "upload.gpx",
      OneTrack("",
               "<trkpt lat=\"42.1\" lon=\"130.5\"><time>2024-05-01T00:00:00Z</time>"
               "<sat>many</sat></trkpt>\n"),
      kNow, WithTag("T"));
  ASSERT_TRUE(source.ok()) << source.status();
  const ReadResult result = ReadAll(*source);
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].fix.satellites, 0);  // GDAL's reading of "many"
  EXPECT_THAT(source->warnings(), Contains(HasSubstr("many")));
}

TEST(GpxReaderTest, TruncatedFileIsDataLossAfterTheGoodPoints) {
  // Large enough that GDAL's open, which parses the start, sees no error.
  std::string points;
  for (int i = 0; i < 5000; ++i) {
    points += "<trkpt lat=\"42.1\" lon=\"130.5\"><time>2024-05-01T00:00:00Z</time></trkpt>\n";
  }
  const std::string whole = OneTrack("", points);
  const ReadResult result = ReadBytes(whole.substr(0, whole.size() * 3 / 4), WithTag("T"));
  EXPECT_EQ(result.status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(result.status.message()),
              AllOf(HasSubstr("upload.gpx"), HasSubstr("XML"), Not(HasSubstr("/vsimem/"))));
  EXPECT_GT(result.rows.size(), 1000u);
  EXPECT_LT(result.rows.size(), 5000u);
}

TEST(GpxReaderTest, SmallBrokenFileIsRefusedAtOpen) {
  const absl::Status status =
      GpxFixSource::OpenBytes("cut.gpx", OneTrack("", "<trkpt lat=\"1\""), kNow, WithTag("T"))
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              AllOf(HasSubstr("cut.gpx"), Not(HasSubstr("/vsimem/"))));
}

TEST(GpxReaderTest, StreamsInBatches) {
  std::string points;
  for (int i = 0; i < 1000; ++i) {
    const int minute = i % 60;
    points += "<trkpt lat=\"42.1\" lon=\"130.5\"><time>2024-05-01T" +
              std::string(i / 60 < 10 ? "0" : "") + std::to_string(i / 60) + ":" +
              (minute < 10 ? "0" : "") + std::to_string(minute) + ":00Z</time></trkpt>\n";
  }
  absl::StatusOr<GpxFixSource> source =
      GpxFixSource::OpenBytes("many.gpx", OneTrack("", points), kNow, WithTag("T"));
  ASSERT_TRUE(source.ok());
  FixRowBatch batch;
  std::size_t batches = 0;
  std::size_t rows = 0;
  while (source->Next(batch, 64)) {
    ++batches;
    EXPECT_LE(batch.size(), 64u);
    EXPECT_THAT(batch.rejections, IsEmpty());
    rows += batch.rows.size();
  }
  EXPECT_EQ(rows, 1000u);
  EXPECT_EQ(batches, (1000u + 63) / 64);
  EXPECT_FALSE(source->Next(batch, 64));
  EXPECT_TRUE(batch.empty());
}

TEST(GpxReaderTest, OpenErrorsNameTheFile) {
  absl::Status status =
      GpxFixSource::OpenBytes("notes.gpx", "just text", kNow, WithTag("T")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              AllOf(HasSubstr("notes.gpx"), HasSubstr("GPX"), Not(HasSubstr("/vsimem/"))));

  status = GpxFixSource::Open(FixturePath("no-such-file.gpx"), kNow, WithTag("T")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("no-such-file.gpx"));

  status = GpxFixSource::Open(FixturePath("movebank-sample.csv"), kNow, WithTag("T")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("movebank-sample.csv"));
}

TEST(GpxReaderTest, OptionsMustGiveExactlyOneTagSource) {
  const std::string path = FixturePath("gpx10-speed-course.gpx");
  absl::Status status = GpxFixSource::Open(path, kNow, {}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), AllOf(HasSubstr("gpx10"), HasSubstr("no tag")));

  GpxOptions both = WithTag("T");
  both.tag_from_track_name = true;
  EXPECT_EQ(GpxFixSource::Open(path, kNow, both).status().code(),
            absl::StatusCode::kInvalidArgument);

  GpxOptions waypoints_by_name;
  waypoints_by_name.tag_from_track_name = true;
  waypoints_by_name.read_waypoints = true;
  status = GpxFixSource::Open(path, kNow, waypoints_by_name).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("waypoints"));

  GpxOptions nothing = WithTag("T");
  nothing.read_track_points = false;
  EXPECT_EQ(GpxFixSource::Open(path, kNow, nothing).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(GpxReaderTest, ValidationLimitsComeFromOptions) {
  GpxOptions options = WithTag("SB-7");
  options.limits.max_ground_speed_mps = 12;
  const ReadResult result = ReadFixture("gpx10-speed-course.gpx", options);
  EXPECT_THAT(Rejected(result.rejections),
              Contains(Expected(1, RejectReason::kGroundSpeedOutOfRange, "ground-speed")));
}

}  // namespace
}  // namespace wetlink::ingest
