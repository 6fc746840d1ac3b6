#include "ingest/fix_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "telemetry/timestamp.h"

namespace wetlink::ingest {
namespace {

using telemetry::TimestampFromCivil;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string FixturePath(const std::string& name) {
  return std::string(WETLINK_TEST_FIXTURES_DIR) + "/ingest/" + name;
}

// A file under the test's temporary directory, removed afterwards.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& content)
      : path_(testing::TempDir() + "/fix_file_test-" + name) {
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

FixFileOptions BaseOptions() {
  FixFileOptions options;
  options.now_ms = TimestampFromCivil(2025, 1, 1);
  return options;
}

struct Totals {
  std::size_t rows = 0;
  std::size_t rejected = 0;
  std::vector<std::string> tags;
};

Totals ReadAll(FixSource& source) {
  Totals totals;
  FixRowBatch batch;
  while (source.Next(batch, 16)) {
    totals.rows += batch.rows.size();
    totals.rejected += batch.rejections.size();
    for (const FixRow& row : batch.rows) totals.tags.push_back(row.fix.tag_id);
  }
  EXPECT_TRUE(source.status().ok()) << source.status();
  return totals;
}

Totals OpenAndRead(const std::string& path, const FixFileOptions& options) {
  absl::StatusOr<std::unique_ptr<FixSource>> source = OpenFixFile(path, options);
  EXPECT_TRUE(source.ok()) << source.status();
  if (!source.ok()) return {};
  return ReadAll(**source);
}

std::string OpenErrorText(const std::string& path, const FixFileOptions& options,
                          absl::StatusCode expected) {
  const absl::Status status = OpenFixFile(path, options).status();
  EXPECT_EQ(status.code(), expected) << status;
  return std::string(status.message());
}

TEST(FixFileFormatTest, NamesRoundTrip) {
  for (const FixFileFormat format : {FixFileFormat::kAuto, FixFileFormat::kMovebankCsv,
                                     FixFileFormat::kGenericCsv, FixFileFormat::kGpx}) {
    EXPECT_EQ(ParseFixFileFormat(FixFileFormatName(format)).value(), format);
  }
  EXPECT_EQ(ParseFixFileFormat("csv").value(), FixFileFormat::kGenericCsv);
  const absl::Status status = ParseFixFileFormat("kml").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              AllOf(HasSubstr("kml"), HasSubstr("auto, movebank, csv, gpx")));
}

TEST(OpenFixFileTest, AutoReadsMovebankCsvByDefault) {
  const Totals totals = OpenAndRead(FixturePath("movebank-sample.csv"), BaseOptions());
  EXPECT_EQ(totals.rows, 50u);
  EXPECT_EQ(totals.rejected, 0u);
}

TEST(OpenFixFileTest, AutoReadsGenericCsvWhenGivenAMapping) {
  FixFileOptions options = BaseOptions();
  options.mapping = ParseColumnMapping(
                        "tag=GPS_ID,timestamp=Local time,lat=Lat,lon=Lon,"
                        "time-format=%d.%m.%Y %H:%M:%S,utc-offset=+09:00,delimiter=;")
                        .value();
  const Totals totals = OpenAndRead(FixturePath("logger-kst-semicolon.csv"), options);
  // Fewer columns mapped than in generic_csv_test, so fewer rows refused:
  // only the time, position, tag and shape problems remain.
  EXPECT_EQ(totals.rows, 8u);
  EXPECT_EQ(totals.rejected, 9u);
}

TEST(OpenFixFileTest, AutoReadsGpxWithTheDefaultTag) {
  FixFileOptions options = BaseOptions();
  options.default_tag_id = "SB-7";
  const Totals totals = OpenAndRead(FixturePath("gpx10-speed-course.gpx"), options);
  EXPECT_EQ(totals.rows, 2u);
  EXPECT_EQ(totals.rejected, 2u);
  EXPECT_THAT(totals.tags, testing::Each(std::string("SB-7")));

  options.default_tag_id = "";
  options.gpx.tag_from_track_name = true;
  const Totals named = OpenAndRead(FixturePath("gpx11-two-tracks.gpx"), options);
  EXPECT_THAT(named.tags, testing::ElementsAre("HC-01", "HC-01", "HC-01", "HC-02"));
}

TEST(OpenFixFileTest, LimitsApplyToEveryFormat) {
  FixFileOptions options = BaseOptions();
  options.default_tag_id = "SB-7";
  options.limits.max_ground_speed_mps = 12;
  options.gpx.limits.max_ground_speed_mps = 1000;  // ignored: `limits` applies
  const Totals totals = OpenAndRead(FixturePath("gpx10-speed-course.gpx"), options);
  EXPECT_EQ(totals.rows, 1u);  // 12.25 m/s is now too fast
}

TEST(OpenFixFileTest, ExtensionsAreCaseInsensitiveAndTsvIsTabSeparated) {
  const TempFile tsv("upper.TSV",
                     "timestamp\tlocation-lat\tlocation-long\ttag-local-identifier\n"
                     "2024-03-10 06:00:00\t42.5\t130.25\tHC-9\n");
  const Totals totals = OpenAndRead(tsv.path(), BaseOptions());
  EXPECT_EQ(totals.rows, 1u);
  EXPECT_THAT(totals.tags, testing::ElementsAre("HC-9"));
}

TEST(OpenFixFileTest, ExplicitFormatOverridesTheExtension) {
  std::ifstream gpx(FixturePath("gpx10-speed-course.gpx"), std::ios::binary);
  const TempFile renamed("track.xml", std::string(std::istreambuf_iterator<char>(gpx), {}));
  FixFileOptions options = BaseOptions();
  options.default_tag_id = "SB-7";
  OpenErrorText(renamed.path(), options, absl::StatusCode::kInvalidArgument);
  options.format = FixFileFormat::kGpx;
  EXPECT_EQ(OpenAndRead(renamed.path(), options).rows, 2u);
}

TEST(OpenFixFileTest, SemicolonCsvWithoutMappingExplainsMovebankColumns) {
  const std::string path = FixturePath("logger-kst-semicolon.csv");
  const std::string message =
      OpenErrorText(path, BaseOptions(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(message, AllOf(HasSubstr(path), HasSubstr("Movebank CSV"),
                             HasSubstr("timestamp, location-lat, location-long"),
                             HasSubstr("column mapping")));
}

TEST(OpenFixFileTest, UnknownExtensionListsTheSupportedFormats) {
  const TempFile json("fixes.json", "[]");
  const std::string message =
      OpenErrorText(json.path(), BaseOptions(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(message, AllOf(HasSubstr(json.path()), HasSubstr(".gpx"), HasSubstr(".csv"),
                             HasSubstr("movebank, csv, gpx")));
}

TEST(OpenFixFileTest, OptionsMustFitTheFormat) {
  FixFileOptions options = BaseOptions();
  options.format = FixFileFormat::kGenericCsv;
  EXPECT_THAT(OpenErrorText(FixturePath("movebank-sample.csv"), options,
                            absl::StatusCode::kInvalidArgument),
              HasSubstr("column mapping"));

  options.format = FixFileFormat::kMovebankCsv;
  options.mapping = ParseColumnMapping("timestamp=a,lat=b,lon=c").value();
  EXPECT_THAT(OpenErrorText(FixturePath("movebank-sample.csv"), options,
                            absl::StatusCode::kInvalidArgument),
              HasSubstr("csv format only"));

  options.format = FixFileFormat::kAuto;
  EXPECT_THAT(OpenErrorText(FixturePath("gpx10-speed-course.gpx"), options,
                            absl::StatusCode::kInvalidArgument),
              HasSubstr("not to gpx"));
}

TEST(OpenFixFileTest, MissingDirectoryAndUnreadableFiles) {
  const std::string missing = FixturePath("no-such-file.csv");
  EXPECT_THAT(OpenErrorText(missing, BaseOptions(), absl::StatusCode::kNotFound),
              HasSubstr(missing));
  const std::string missing_gpx = FixturePath("no-such-file.gpx");
  EXPECT_THAT(OpenErrorText(missing_gpx, BaseOptions(), absl::StatusCode::kNotFound),
              HasSubstr(missing_gpx));

  const std::string directory = testing::TempDir() + "/fix_file_test-dir.csv";
  std::filesystem::create_directories(directory);
  EXPECT_THAT(OpenErrorText(directory, BaseOptions(), absl::StatusCode::kInvalidArgument),
              HasSubstr("directory"));
  std::filesystem::remove(directory);

  const TempFile locked("locked.csv", "timestamp\n");
  std::filesystem::permissions(locked.path(), std::filesystem::perms::none);
  if (std::ifstream(locked.path()).is_open()) {
    GTEST_SKIP() << "running with privileges that read any file";
  }
  EXPECT_THAT(OpenErrorText(locked.path(), BaseOptions(), absl::StatusCode::kPermissionDenied),
              HasSubstr(locked.path()));
}

TEST(OpenFixFileTest, TheSourceOwnsItsFile) {
  std::unique_ptr<FixSource> source;
  {
    absl::StatusOr<std::unique_ptr<FixSource>> opened =
        OpenFixFile(FixturePath("movebank-sample.csv"), BaseOptions());
    ASSERT_TRUE(opened.ok());
    source = std::move(*opened);
  }
  const Totals totals = ReadAll(*source);
  EXPECT_EQ(totals.rows, 50u);
  FixRowBatch batch;
  EXPECT_FALSE(source->Next(batch, 1));
  EXPECT_THAT(batch.rows, IsEmpty());
}

}  // namespace
}  // namespace wetlink::ingest
