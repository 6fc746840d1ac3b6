// The rejects file: header once, appended records, RFC 4180 quoting, line
// ranges for batches refused whole.

#include "ingest/daemon/rejects_writer.h"

#include <gtest/gtest.h>

#include "tests/ingest/daemon/daemon_testing.h"

namespace wetlink::ingest::daemon {
namespace {

using testing::ReadFile;
using testing::TempDir;

TEST(RejectsWriterTest, FormatsOneRecordPerLineQuotingWhatNeedsIt) {
  EXPECT_EQ(FormatRejectLine({.file = "/d/a.csv",
                              .first_line = 7,
                              .last_line = 7,
                              .field = "location-lat",
                              .reason = "LATITUDE_OUT_OF_RANGE",
                              .message = "location-lat 95 is outside [-90, 90]"}),
            "/d/a.csv,7,location-lat,LATITUDE_OUT_OF_RANGE,\"location-lat 95 is outside [-90, "
            "90]\"\n");
  EXPECT_EQ(FormatRejectLine({.file = "/d/we,ird \"name\".csv",
                              .first_line = 2,
                              .last_line = 10001,
                              .field = "",
                              .reason = "UNKNOWN_STUDY",
                              .message = "line one\nline two"}),
            "\"/d/we,ird \"\"name\"\".csv\",2-10001,,UNKNOWN_STUDY,\"line one\nline two\"\n");
}

TEST(RejectsWriterTest, WritesTheHeaderOnceAndAppends) {
  TempDir dir;
  const std::string path = dir.File("sub/rejects.csv");
  {
    auto writer = RejectsWriter::Open(path);
    ASSERT_TRUE(writer.ok()) << writer.status();
    (*writer)->Add({.file = "a", .first_line = 2, .last_line = 2, .field = "f", .reason = "R",
                    .message = "m"});
    ASSERT_TRUE((*writer)->Sync().ok());
    EXPECT_EQ((*writer)->written(), 1u);
  }
  {
    auto writer = RejectsWriter::Open(path);
    ASSERT_TRUE(writer.ok()) << writer.status();
    (*writer)->Add({.file = "b", .first_line = 3, .last_line = 3, .field = "", .reason = "S",
                    .message = "n"});
    ASSERT_TRUE((*writer)->Sync().ok());
  }
  EXPECT_EQ(ReadFile(path), "file,line,field,reason,message\na,2,f,R,m\nb,3,,S,n\n");
}

TEST(RejectsWriterTest, UnwritablePathIsAnError) {
  TempDir dir;
  testing::WriteFile(dir.File("plain"), "x");
  auto writer = RejectsWriter::Open(dir.File("plain/rejects.csv"));
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.status().code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace wetlink::ingest::daemon
