#include "ingest/generic_csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "telemetry/timestamp.h"

namespace wetlink::ingest {
namespace {

using telemetry::RejectReason;
using telemetry::TimestampFromCivil;
using telemetry::TimestampMs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr TimestampMs kNow = TimestampFromCivil(2025, 1, 1);

// The layout of tests/fixtures/ingest/logger-kst-semicolon.csv.
constexpr std::string_view kLoggerSpec =
    "event-id=Fix#, tag=GPS_ID, timestamp=Local time, lat=Lat, lon=Lon, height=Alt(m), "
    "hdop=HDOP, satellites=Sats, ground-speed=Speed(km/h), heading=Course, individual=Bird, "
    "time-format=%d.%m.%Y %H:%M:%S, utc-offset=+09:00, speed-unit=km/h, delimiter=;";

std::string FixturePath(const std::string& name) {
  return std::string(WETLINK_TEST_FIXTURES_DIR) + "/ingest/" + name;
}

ColumnMapping Mapping(std::string_view spec) {
  absl::StatusOr<ColumnMapping> mapping = ParseColumnMapping(spec);
  EXPECT_TRUE(mapping.ok()) << mapping.status();
  return mapping.ok() ? *mapping : ColumnMapping{};
}

struct ReadResult {
  std::vector<FixRow> rows;
  std::vector<RowRejection> rejections;
};

ReadResult ReadAll(std::istream& in, GenericCsvOptions options, std::size_t batch = 5) {
  ReadResult result;
  absl::StatusOr<GenericCsvFixSource> source =
      GenericCsvFixSource::Open(in, kNow, std::move(options));
  EXPECT_TRUE(source.ok()) << source.status();
  if (!source.ok()) return result;
  FixRowBatch out;
  while (source->Next(out, batch)) {
    EXPECT_LE(out.size(), batch);
    for (auto& row : out.rows) result.rows.push_back(std::move(row));
    for (auto& rejection : out.rejections) result.rejections.push_back(std::move(rejection));
  }
  EXPECT_TRUE(source->status().ok());
  return result;
}

ReadResult ReadText(const std::string& text, std::string_view spec) {
  std::istringstream in(text);
  return ReadAll(in, {.mapping = Mapping(spec), .limits = {}});
}

absl::Status OpenError(const std::string& text, ColumnMapping mapping) {
  std::istringstream in(text);
  return GenericCsvFixSource::Open(in, kNow, {.mapping = std::move(mapping), .limits = {}})
      .status();
}

// The one timestamp of a one-row file read with `spec`.
TimestampMs TimeOf(const std::string& cell, std::string_view spec) {
  const ReadResult result = ReadText("t,y,x\n" + cell + ",1,2\n", spec);
  EXPECT_THAT(result.rejections, IsEmpty()) << cell;
  return result.rows.empty() ? -1 : result.rows[0].fix.timestamp_ms;
}

constexpr char kMinimal[] = "timestamp=t,lat=y,lon=x,tag-id=T";

TEST(ParseColumnMappingTest, ReadsEveryKey) {
  const ColumnMapping m = Mapping(
      "timestamp=UTC_DATETIME,lat=Latitude,lon=Longitude,tag=TagID,"
      "time-format=%d.%m.%Y %H:%M:%S,utc-offset=+09:00,speed-unit=km/h,delimiter=;");
  EXPECT_EQ(m.timestamp, "UTC_DATETIME");
  EXPECT_EQ(m.lat, "Latitude");
  EXPECT_EQ(m.lon, "Longitude");
  EXPECT_EQ(m.tag, "TagID");
  EXPECT_EQ(m.timestamp_format, "%d.%m.%Y %H:%M:%S");
  EXPECT_EQ(m.utc_offset_minutes, 540);
  EXPECT_EQ(m.speed_unit, SpeedUnit::kKilometresPerHour);
  EXPECT_EQ(m.delimiter, ';');

  const ColumnMapping all = Mapping(
      " timestamp = t , lat=y,lon=x,tag-id=HN-1,individual=Bird,taxon=Species,height=HAE,"
      "hdop=H,satellites=S,ground-speed=V,heading=C,event-id=N,delimiter=tab,");
  EXPECT_EQ(all.timestamp, "t");  // spaces around keys and values dropped
  EXPECT_EQ(all.tag_id, "HN-1");
  EXPECT_EQ(all.individual, "Bird");
  EXPECT_EQ(all.taxon, "Species");
  EXPECT_EQ(all.height, "HAE");
  EXPECT_EQ(all.hdop, "H");
  EXPECT_EQ(all.satellites, "S");
  EXPECT_EQ(all.ground_speed, "V");
  EXPECT_EQ(all.heading, "C");
  EXPECT_EQ(all.event_id, "N");
  EXPECT_EQ(all.delimiter, '\t');
  EXPECT_EQ(all.timestamp_format, "movebank");
  EXPECT_EQ(all.utc_offset_minutes, 0);
  EXPECT_EQ(all.speed_unit, SpeedUnit::kMetresPerSecond);
}

TEST(ParseColumnMappingTest, Escapes) {
  const ColumnMapping m = Mapping("timestamp=Date\\, time,lat=a\\\\b,lon=x,tag-id=T,delimiter=\\t");
  EXPECT_EQ(m.timestamp, "Date, time");
  EXPECT_EQ(m.lat, "a\\b");
  EXPECT_EQ(m.delimiter, '\t');
  EXPECT_EQ(ParseColumnMapping("timestamp=a\\x,lat=y,lon=x").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ParseColumnMappingTest, UtcOffsets) {
  const std::map<std::string, int> good = {{"+09:00", 540}, {"-03:30", -210}, {"+0545", 345},
                                           {"+9", 540},     {"Z", 0},         {"-00:00", 0},
                                           {"+14:00", 840}};
  for (const auto& [text, minutes] : good) {
    EXPECT_EQ(Mapping(absl::StrCat(kMinimal, ",utc-offset=", text)).utc_offset_minutes, minutes)
        << text;
  }
  for (const std::string bad : {"09:00", "+15:00", "+09:60", "+9:5", "+123", "+", "KST", "+-9"}) {
    const absl::Status status =
        ParseColumnMapping(absl::StrCat(kMinimal, ",utc-offset=", bad)).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(std::string(status.message()), HasSubstr("utc-offset")) << bad;
  }
}

TEST(ParseColumnMappingTest, ErrorsNameTheKey) {
  const std::map<std::string, std::string> bad = {
      {"timestamp=t,lat=y,lon=x,colour=red", "colour"},
      {"timestamp=t,lat=y", "lon"},
      {"lat=y,lon=x", "timestamp"},
      {"timestamp=t,lat=y,lon=x,lat=z", "lat"},
      {"timestamp=t,lat=,lon=x", "lat"},
      {"timestamp=t,lat=y,lon=x,speed-unit=knots", "speed-unit"},
      {"timestamp=t,lat=y,lon=x,delimiter=|", "delimiter"},
      {"timestamp=t,lat=y,lon=x,time-format=%d.%m.%Y", "time-format"},
      {"timestamp=t,lat=y,lon=x,time-format=%Y-%m-%d %H:%M:%q", "time-format"},
      {"timestamp=t,lat=y,lon=x,tag=A,tag-id=B", "tag-id"},
      {"timestamp=t,lat=y,lon", "lon"},
  };
  for (const auto& [spec, key] : bad) {
    const absl::Status status = ParseColumnMapping(spec).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << spec;
    EXPECT_THAT(std::string(status.message()), HasSubstr(key)) << spec;
  }
}

TEST(GenericCsvTest, LoggerFileWithKnownAnswers) {
  std::ifstream in(FixturePath("logger-kst-semicolon.csv"), std::ios::binary);
  ASSERT_TRUE(in.is_open());
  const ReadResult result = ReadAll(in, {.mapping = Mapping(kLoggerSpec), .limits = {}});

  using Expected = std::tuple<std::size_t, RejectReason, std::string>;
  std::vector<Expected> rejected;
  for (const RowRejection& r : result.rejections) {
    rejected.emplace_back(r.line, r.reason, r.field);
    EXPECT_FALSE(r.message.empty());
    if (!r.field.empty()) {
      EXPECT_THAT(r.message, HasSubstr(r.field)) << r.line;
    }
  }
  EXPECT_EQ(rejected, (std::vector<Expected>{
                          {4, RejectReason::kBadTimestamp, "timestamp"},  // 31.02.
                          {5, RejectReason::kBadTimestamp, "timestamp"},  // ISO, not the format
                          {6, RejectReason::kMissingField, "timestamp"},
                          {7, RejectReason::kMissingField, "location-lat"},
                          {8, RejectReason::kBadNumber, "location-lat"},  // 42,31
                          {9, RejectReason::kBadNumber, "gps:satellite-count"},
                          {10, RejectReason::kGroundSpeedOutOfRange, "ground-speed"},
                          {11, RejectReason::kBadNumber, "gps:hdop"},
                          {12, RejectReason::kMalformedRow, ""},  // one field too many
                          {13, RejectReason::kBadEventId, "event-id"},
                          {14, RejectReason::kEmptyTagId, "tag-local-identifier"},
                          {16, RejectReason::kHeadingOutOfRange, "heading"},
                          {17, RejectReason::kLongitudeOutOfRange, "location-long"},
                          {18, RejectReason::kMalformedRow, ""},  // too few fields
                      }));

  ASSERT_EQ(result.rows.size(), 3u);
  const FixRow& first = result.rows[0];
  EXPECT_EQ(first.line, 2u);
  EXPECT_EQ(first.fix.tag_id, "HN-12");
  EXPECT_EQ(first.individual_local_identifier, "Hanako");
  EXPECT_EQ(first.fix.timestamp_ms, TimestampFromCivil(2024, 3, 10, 6, 0, 0));  // 15:00 KST
  EXPECT_EQ(first.fix.lat, 42.3105);
  EXPECT_EQ(first.fix.lon, 130.6122);
  EXPECT_EQ(first.fix.height_m, 25.5);
  EXPECT_EQ(first.fix.hdop, 1.2);
  EXPECT_EQ(first.fix.satellites, 8);
  EXPECT_EQ(first.fix.ground_speed_mps, 15.0);  // 54 km/h
  EXPECT_EQ(first.fix.heading_deg, 270.0);
  EXPECT_EQ(first.fix.event_id, 1);
  EXPECT_EQ(first.sensor_type, "");

  const FixRow& sparse = result.rows[1];
  EXPECT_EQ(sparse.line, 3u);
  EXPECT_EQ(sparse.fix.timestamp_ms, TimestampFromCivil(2024, 3, 10, 6, 30, 0));
  EXPECT_EQ(sparse.fix.height_m, std::nullopt);
  EXPECT_EQ(sparse.fix.hdop, std::nullopt);
  EXPECT_EQ(sparse.fix.satellites, std::nullopt);
  EXPECT_EQ(sparse.fix.ground_speed_mps, std::nullopt);
  EXPECT_EQ(sparse.fix.heading_deg, std::nullopt);

  const FixRow& unpadded = result.rows[2];  // 1.4.2024 9:05:00 KST
  EXPECT_EQ(unpadded.line, 15u);
  EXPECT_EQ(unpadded.fix.tag_id, "HN-13");
  EXPECT_EQ(unpadded.fix.timestamp_ms, TimestampFromCivil(2024, 4, 1, 0, 5, 0));
  EXPECT_EQ(unpadded.fix.ground_speed_mps, 10.0);  // 36 km/h
  EXPECT_EQ(unpadded.individual_local_identifier, "Taro");
}

TEST(GenericCsvTest, MessagesNameTheFilesColumn) {
  std::ifstream in(FixturePath("logger-kst-semicolon.csv"), std::ios::binary);
  const ReadResult result = ReadAll(in, {.mapping = Mapping(kLoggerSpec), .limits = {}});
  std::map<std::size_t, std::string> message;
  for (const RowRejection& r : result.rejections) message[r.line] = r.message;
  EXPECT_EQ(message[8], "location-lat (column 'Lat') '42,31' is not a number");
  EXPECT_EQ(message[7], "location-lat (column 'Lat') is empty");
  EXPECT_THAT(message[4], AllOf(HasSubstr("timestamp (column 'Local time')"),
                                HasSubstr("'31.02.2024 10:00:00'"), HasSubstr("no such date")));
  EXPECT_THAT(message[5], HasSubstr("does not match the format '%d.%m.%Y %H:%M:%S'"));
  EXPECT_THAT(message[10], AllOf(HasSubstr("ground-speed 111.1"),
                                 HasSubstr("(column 'Speed(km/h)', converted from km/h)")));
  EXPECT_THAT(message[16], HasSubstr("(column 'Course')"));
}

TEST(GenericCsvTest, TimeFormats) {
  EXPECT_EQ(TimeOf("2024-03-10 06:00:00.5", "timestamp=t,lat=y,lon=x,tag-id=T"),
            TimestampFromCivil(2024, 3, 10, 6, 0, 0, 500));
  // Local time, unless the text says it is UTC.
  EXPECT_EQ(TimeOf("2024-03-10 15:00:00", "timestamp=t,lat=y,lon=x,tag-id=T,utc-offset=+09:00"),
            TimestampFromCivil(2024, 3, 10, 6));
  EXPECT_EQ(TimeOf("2024-03-10T15:00:00Z", "timestamp=t,lat=y,lon=x,tag-id=T,utc-offset=+09:00"),
            TimestampFromCivil(2024, 3, 10, 15));
  EXPECT_EQ(TimeOf("2024-03-10 02:30:00", "timestamp=t,lat=y,lon=x,tag-id=T,utc-offset=-03:30"),
            TimestampFromCivil(2024, 3, 10, 6));
  // Unix times are UTC whatever the offset.
  EXPECT_EQ(TimeOf("1710050400",
                   "timestamp=t,lat=y,lon=x,tag-id=T,time-format=unix_s,"
                   "utc-offset=+09:00"),
            TimestampFromCivil(2024, 3, 10, 6));
  EXPECT_EQ(TimeOf("1710050400.25", "timestamp=t,lat=y,lon=x,tag-id=T,time-format=unix_s"),
            TimestampFromCivil(2024, 3, 10, 6, 0, 0, 250));
  EXPECT_EQ(TimeOf("1710050400123", "timestamp=t,lat=y,lon=x,tag-id=T,time-format=unix_ms"),
            TimestampFromCivil(2024, 3, 10, 6, 0, 0, 123));
  // Patterns: fractions truncated to ms, compact digits, literal percent.
  EXPECT_EQ(TimeOf("10/03/2024 06:00:07.123456",
                   "timestamp=t,lat=y,lon=x,tag-id=T,time-format=%d/%m/%Y %H:%M:%S.%f"),
            TimestampFromCivil(2024, 3, 10, 6, 0, 7, 123));
  EXPECT_EQ(TimeOf("20240310060007", "timestamp=t,lat=y,lon=x,tag-id=T,time-format=%Y%m%d%H%M%S"),
            TimestampFromCivil(2024, 3, 10, 6, 0, 7));
  EXPECT_EQ(TimeOf("2024-03-10 06:05 100%",
                   "timestamp=t,lat=y,lon=x,tag-id=T,time-format=%Y-%m-%d %H:%M 100%%"),
            TimestampFromCivil(2024, 3, 10, 6, 5));
  // The offset can cross midnight and a year boundary.
  EXPECT_EQ(TimeOf("01.01.2024 03:00:00",
                   "timestamp=t,lat=y,lon=x,tag-id=T,"
                   "time-format=%d.%m.%Y %H:%M:%S,utc-offset=+09:00"),
            TimestampFromCivil(2023, 12, 31, 18));
}

TEST(GenericCsvTest, BadTimesAreBadTimestamps) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"29.02.2023 00:00:00", "time-format=%d.%m.%Y %H:%M:%S"},
      {"10.03.2024 24:00:00", "time-format=%d.%m.%Y %H:%M:%S"},
      {"10.03.2024 12:00:60", "time-format=%d.%m.%Y %H:%M:%S"},
      {"10.03.2024 12:00:00 ", "time-format=%d.%m.%Y %H:%M:%S"},
      {"10.03.24 12:00:00", "time-format=%d.%m.%Y %H:%M:%S"},
      {"12:00", "time-format=unix_s"},
      {"1.2345", "time-format=unix_s"},
      {"1710050400.5", "time-format=unix_ms"},
      {"99999999999999999999", "time-format=unix_ms"},
      {"2024-03-10 06:00", "time-format=movebank"},
  };
  for (const auto& [cell, format] : bad) {
    const ReadResult result =
        ReadText("t,y,x\n" + cell + ",1,2\n", absl::StrCat(kMinimal, ",", format));
    ASSERT_EQ(result.rejections.size(), 1u) << cell;
    EXPECT_EQ(result.rejections[0].reason, RejectReason::kBadTimestamp) << cell;
    EXPECT_EQ(result.rejections[0].field, "timestamp");
  }
}

TEST(GenericCsvTest, TabsAndMetresPerSecond) {
  const ReadResult result =
      ReadText("when\tlat\tlon\tid\tv\n2024-03-10 06:00:00\t42.5\t130.25\tA1\t12.5\n",
               "timestamp=when,lat=lat,lon=lon,tag=id,ground-speed=v,delimiter=tab");
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].fix.tag_id, "A1");
  EXPECT_EQ(result.rows[0].fix.lat, 42.5);
  EXPECT_EQ(result.rows[0].fix.lon, 130.25);
  EXPECT_EQ(result.rows[0].fix.ground_speed_mps, 12.5);
}

TEST(GenericCsvTest, FixedTagAndUnmappedColumnsIgnored) {
  const ReadResult result =
      ReadText("battery,t,y,x,note\n3.7,2024-03-10 06:00:00,42.5,130.25,\"a, b\"\n", kMinimal);
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].fix.tag_id, "T");
  EXPECT_EQ(result.rows[0].fix.satellites, std::nullopt);
}

TEST(GenericCsvTest, OpenErrors) {
  absl::Status status =
      OpenError("Time,Latitude,Lng\n", Mapping("timestamp=Time,lat=Latitude,lon=Lon,tag-id=T"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              AllOf(HasSubstr("'Lon' (lon)"), HasSubstr("'Time', 'Latitude', 'Lng'")));

  status = OpenError("t,y,x,y\n", Mapping(kMinimal));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), AllOf(HasSubstr("repeats"), HasSubstr("'y' (lat)")));

  status = OpenError("t,y,x\n", Mapping("timestamp=t,lat=y,lon=x"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("no tag"));

  status = OpenError("", Mapping(kMinimal));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("no header"));

  ColumnMapping bad_offset = Mapping(kMinimal);
  bad_offset.utc_offset_minutes = 24 * 60;
  status = OpenError("t,y,x\n", bad_offset);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("utc-offset"));

  ColumnMapping pipe = Mapping(kMinimal);
  pipe.delimiter = '|';
  EXPECT_EQ(OpenError("t|y|x\n", pipe).code(), absl::StatusCode::kInvalidArgument);
}

TEST(GenericCsvTest, HeaderOnlyFileHasNoRows) {
  std::istringstream in("t,y,x\n");
  absl::StatusOr<GenericCsvFixSource> source =
      GenericCsvFixSource::Open(in, kNow, {.mapping = Mapping(kMinimal), .limits = {}});
  ASSERT_TRUE(source.ok());
  EXPECT_THAT(source->header(), ElementsAre("t", "y", "x"));
  FixRowBatch batch;
  EXPECT_FALSE(source->Next(batch, 10));
  EXPECT_TRUE(batch.empty());
}

}  // namespace
}  // namespace wetlink::ingest
