// Reading a growing file: up to its last complete line, as if it ended
// there; the names watch mode looks at; file identity helpers.

#include "ingest/daemon/file_slice.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/ingest/daemon/daemon_testing.h"

namespace wetlink::ingest::daemon {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;
using testing::WriteFile;

FixFileOptions Options() {
  FixFileOptions o;
  o.now_ms = telemetry::TimestampFromCivil(2030, 1, 1);
  return o;
}

std::size_t CountRows(FixSource& source, std::vector<std::size_t>* lines = nullptr) {
  FixRowBatch batch;
  std::size_t n = 0;
  while (source.Next(batch, 7)) {
    n += batch.size();
    if (lines != nullptr) {
      for (const FixRow& r : batch.rows) lines->push_back(r.line);
    }
  }
  return n;
}

TEST(FileSliceTest, CompleteLinesLengthEndsAfterTheLastNewline) {
  TempDir dir;
  const std::string path = dir.File("a.csv");
  WriteFile(path, "abc\ndef\ngh");
  EXPECT_EQ(*CompleteLinesLength(path, 10), 8u);
  EXPECT_EQ(*CompleteLinesLength(path, 8), 8u);
  EXPECT_EQ(*CompleteLinesLength(path, 7), 4u);
  EXPECT_EQ(*CompleteLinesLength(path, 3), 0u);
  // Across the 64 KiB read chunks.
  std::string big(200'000, 'x');
  big[1000] = '\n';
  WriteFile(path, big);
  EXPECT_EQ(*CompleteLinesLength(path, big.size()), 1001u);
}

TEST(FileSliceTest, ReadsAMovebankCsvOnlyUpToTheLimit) {
  TempDir dir;
  const std::string path = dir.File("fixes.csv");
  const std::string whole = testing::MovebankFile(2, 10);  // 20 rows
  // A logger in the middle of writing a row: "...,42.3" of "...,42.30005".
  const std::string partial = testing::MovebankRow(1, 10).substr(0, 40);
  WriteFile(path, whole + partial);
  auto limit = CompleteLinesLength(path, whole.size() + partial.size());
  ASSERT_TRUE(limit.ok());
  EXPECT_EQ(*limit, whole.size());

  auto source = OpenFixFileSlice(path, Options(), *limit);
  ASSERT_TRUE(source.ok()) << source.status();
  std::vector<std::size_t> lines;
  EXPECT_EQ(CountRows(**source, &lines), 20u);
  EXPECT_TRUE((*source)->status().ok()) << (*source)->status();
  EXPECT_EQ(lines.back(), 21u);
  EXPECT_EQ((*source)->bytes_read(), whole.size());

  // Without the limit the partial row is read (and refused here, but a
  // cut number would be read as a wrong good value).
  auto unlimited = OpenFixFileSlice(path, Options(), whole.size() + partial.size());
  ASSERT_TRUE(unlimited.ok());
  EXPECT_EQ(CountRows(**unlimited), 21u);
}

TEST(FileSliceTest, OpensLikeOpenFixFile) {
  TempDir dir;
  WriteFile(dir.File("a.dat"), "x");
  auto unknown = OpenFixFileSlice(dir.File("a.dat"), Options(), 1);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.status().message(), HasSubstr("a.dat"));

  WriteFile(dir.File("b.csv"), "just,a,header\n");
  auto bad_header = OpenFixFileSlice(dir.File("b.csv"), Options(), 14);
  ASSERT_FALSE(bad_header.ok());
  EXPECT_THAT(bad_header.status().message(), HasSubstr("read as Movebank CSV"));

  auto missing = OpenFixFileSlice(dir.File("none.csv"), Options(), 1);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);

  FixFileOptions gpx = Options();
  gpx.format = FixFileFormat::kGpx;
  gpx.default_tag_id = "G1";
  const std::string fixture =
      std::string(WETLINK_DAEMON_FIXTURES_DIR) + "/gpx11-two-tracks.gpx";
  auto stat = StatFile(fixture);
  ASSERT_TRUE(stat.ok());
  auto source = OpenFixFileSlice(fixture, gpx, stat->size);
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_GT(CountRows(**source), 0u);
  EXPECT_EQ((*source)->bytes_read(), stat->size);
}

TEST(FileSliceTest, MappedCsvReadsThroughTheSlice) {
  TempDir dir;
  const std::string path = dir.File("logger.csv");
  WriteFile(path, "Time;Lat;Lon\n2024-03-10 06:00:00;42.3;130.6\n2024-03-10 07:00:00;42.4;130");
  FixFileOptions o = Options();
  auto mapping = ParseColumnMapping("timestamp=Time,lat=Lat,lon=Lon,delimiter=;");
  ASSERT_TRUE(mapping.ok()) << mapping.status();
  o.mapping = *mapping;
  o.default_tag_id = "L1";
  auto limit = CompleteLinesLength(path, testing::ReadFile(path).size());
  auto source = OpenFixFileSlice(path, o, *limit);
  ASSERT_TRUE(source.ok()) << source.status();
  FixRowBatch batch;
  ASSERT_TRUE((*source)->Next(batch, 10));
  ASSERT_EQ(batch.rows.size(), 1u);
  EXPECT_EQ(batch.rows[0].fix.tag_id, "L1");
  EXPECT_FALSE((*source)->Next(batch, 10));
}

TEST(FileSliceTest, WatchedNamesFollowTheFormat) {
  FixFileOptions o;
  EXPECT_TRUE(IsWatchedFileName("a.csv", o));
  EXPECT_TRUE(IsWatchedFileName("A.TSV", o));
  EXPECT_TRUE(IsWatchedFileName("a.txt", o));
  EXPECT_TRUE(IsWatchedFileName("a.gpx", o));
  EXPECT_FALSE(IsWatchedFileName("a.csv.tmp", o));
  EXPECT_FALSE(IsWatchedFileName(".a.csv", o)) << "hidden, e.g. a copy in progress";
  EXPECT_FALSE(IsWatchedFileName("notes.md", o));
  o.format = FixFileFormat::kGpx;
  EXPECT_FALSE(IsWatchedFileName("a.csv", o));
  EXPECT_TRUE(IsWatchedFileName("a.gpx", o));
  o.format = FixFileFormat::kMovebankCsv;
  EXPECT_FALSE(IsWatchedFileName("a.gpx", o));
  o.format = FixFileFormat::kAuto;
  o.mapping = ColumnMapping{};
  EXPECT_FALSE(IsWatchedFileName("a.gpx", o)) << "a mapping is for CSV files";
  EXPECT_TRUE(IsWatchedFileName("a.csv", o));
}

TEST(FileSliceTest, HashesTheHead) {
  TempDir dir;
  WriteFile(dir.File("a"), "hello world");
  EXPECT_EQ(*HashFileHead(dir.File("a"), 5), Fnv1a64("hello", 5));
  EXPECT_NE(*HashFileHead(dir.File("a"), 5), *HashFileHead(dir.File("a"), 6));
  EXPECT_EQ(Fnv1a64("", 0), 0xcbf29ce484222325ULL);
  EXPECT_EQ(Fnv1a64("a", 1), 0xaf63dc4c8601ec8cULL);  // published FNV-1a test vector
  auto too_long = HashFileHead(dir.File("a"), 100);
  EXPECT_EQ(too_long.status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace wetlink::ingest::daemon
