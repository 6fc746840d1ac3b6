// The checkpoint: JSON round trip, atomic replacement, how a file on disk is
// judged against its checkpoint (resume, grown, replaced), and the lock that
// keeps a second daemon out of a state folder.

#include "ingest/daemon/checkpoint.h"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/daemon/file_slice.h"
#include "tests/ingest/daemon/daemon_testing.h"

namespace wetlink::ingest::daemon {
namespace {

using ::testing::HasSubstr;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

FileCheckpoint Sample() {
  FileCheckpoint f;
  f.server = "127.0.0.1:50051";
  f.study = "cranes";
  f.size = 12345;
  f.mtime_ns = 1'700'000'000'123'456'789;
  f.head_bytes = 12345;
  f.head_hash = 0xfedcba9876543210ULL;
  f.rows_acked = 99;
  f.complete = true;
  f.counts.rows = 99;
  f.counts.accepted = 90;
  f.counts.duplicates = 5;
  f.counts.updated = 1;
  f.counts.rejected = {{"LATITUDE_OUT_OF_RANGE", 2}, {"MALFORMED_ROW", 1}};
  f.counts.refused_batches = {{"UNKNOWN_STUDY", 1}};
  f.counts.refused_fixes = 10;
  return f;
}

TEST(CheckpointTest, SavesAndLoadsEveryField) {
  TempDir dir;
  const std::string path = dir.File("checkpoint.json");
  {
    auto empty = Checkpoint::Load(path);
    ASSERT_TRUE(empty.ok()) << empty.status();
    EXPECT_TRUE(empty->files().empty());
    empty->Put("/data/a.csv", Sample());
    empty->totals() = Sample().counts;
    ASSERT_TRUE(empty->Save().ok());
  }
  auto loaded = Checkpoint::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_NE(loaded->Find("/data/a.csv"), nullptr);
  EXPECT_EQ(*loaded->Find("/data/a.csv"), Sample());
  EXPECT_EQ(loaded->totals(), Sample().counts);
  EXPECT_EQ(loaded->Find("/data/b.csv"), nullptr);
  EXPECT_THAT(ReadFile(path), HasSubstr("\"head_fnv1a64\": \"fedcba9876543210\""));
}

TEST(CheckpointTest, SaveReplacesTheFileAtomically) {
  TempDir dir;
  const std::string path = dir.File("checkpoint.json");
  auto checkpoint = Checkpoint::Load(path);
  ASSERT_TRUE(checkpoint.ok());
  checkpoint->Put("/a", Sample());
  ASSERT_TRUE(checkpoint->Save().ok());
  const std::string first = ReadFile(path);

  // A crash mid-write leaves a stray temporary file; the checkpoint itself
  // is the previous complete version, and the next save goes through.
  WriteFile(path + ".tmp", "{\"format\": \"wetlink-ingest chec");
  auto reloaded = Checkpoint::Load(path);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(reloaded->ToJson(), first);

  checkpoint->Find("/a")->rows_acked = 1000;
  ASSERT_TRUE(checkpoint->Save().ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  auto after = Checkpoint::Load(path);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->Find("/a")->rows_acked, 1000u);
  EXPECT_EQ(ReadFile(path), checkpoint->ToJson());
}

TEST(CheckpointTest, RefusesWhatIsNotACheckpoint) {
  TempDir dir;
  const std::string path = dir.File("checkpoint.json");
  for (const std::string text : {"not json", "{\"format\": \"something else\"}",
                                 "{\"format\": \"wetlink-ingest checkpoint\", \"version\": 9}",
                                 "{\"format\": \"wetlink-ingest checkpoint\", \"version\": 1, "
                                 "\"files\": {\"/a\": {\"size\": 1}}, \"totals\": {}}"}) {
    WriteFile(path, text);
    auto loaded = Checkpoint::Load(path);
    ASSERT_FALSE(loaded.ok()) << text;
    EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(loaded.status().message(), HasSubstr(path));
    EXPECT_THAT(loaded.status().message(), HasSubstr("remove it to start over"));
  }
}

// How a file on disk compares with its checkpoint. The hash function is
// given the prefix length to hash.
class VerdictTest : public ::testing::Test {
 protected:
  FileCheckpoint checkpoint_ = [] {
    FileCheckpoint f;
    f.server = "s:1";
    f.study = "st";
    f.size = 1000;
    f.mtime_ns = 5;
    f.head_bytes = 1000;
    f.head_hash = 42;
    return f;
  }();

  FileVerdict Judge(FileStat current, std::uint64_t hash_now, const std::string& server = "s:1",
                    const std::string& study = "st") {
    hashed_ = 0;
    auto verdict = CompareWithCheckpoint(&checkpoint_, server, study, current,
                                         [&](std::uint64_t n) -> absl::StatusOr<std::uint64_t> {
                                           hashed_ = n;
                                           return hash_now;
                                         });
    EXPECT_TRUE(verdict.ok());
    return *verdict;
  }

  std::uint64_t hashed_ = 0;
};

TEST_F(VerdictTest, NoCheckpointIsNew) {
  auto verdict = CompareWithCheckpoint(nullptr, "s:1", "st", {.size = 10, .mtime_ns = 1},
                                       [](std::uint64_t) { return std::uint64_t{0}; });
  ASSERT_TRUE(verdict.ok());
  EXPECT_EQ(*verdict, FileVerdict::kNew);
}

TEST_F(VerdictTest, SameSizeAndMtimeIsUnchangedWithoutHashing) {
  EXPECT_EQ(Judge({.size = 1000, .mtime_ns = 5}, 7), FileVerdict::kUnchanged);
  EXPECT_EQ(hashed_, 0u) << "no need to read the file";
}

TEST_F(VerdictTest, LongerWithTheSameBeginningGrew) {
  EXPECT_EQ(Judge({.size = 5000, .mtime_ns = 9}, 42), FileVerdict::kGrown);
  EXPECT_EQ(hashed_, 1000u) << "hashes the bytes the checkpoint hashed";
}

TEST_F(VerdictTest, ReplacedFilesStartOver) {
  EXPECT_EQ(Judge({.size = 5000, .mtime_ns = 9}, 43), FileVerdict::kReplaced) << "other head";
  EXPECT_EQ(Judge({.size = 999, .mtime_ns = 5}, 42), FileVerdict::kReplaced) << "shorter";
  EXPECT_EQ(Judge({.size = 1000, .mtime_ns = 6}, 42), FileVerdict::kReplaced)
      << "rewritten in place";
  EXPECT_EQ(Judge({.size = 1000, .mtime_ns = 5}, 42, "s:2"), FileVerdict::kReplaced)
      << "another server";
  EXPECT_EQ(Judge({.size = 1000, .mtime_ns = 5}, 42, "s:1", "other"), FileVerdict::kReplaced)
      << "another study";
}

TEST(CheckpointFileTest, ReplacedFileIsDetectedOnDisk) {
  TempDir dir;
  const std::string file = dir.File("fixes.csv");
  WriteFile(file, testing::MovebankFile(2, 50));
  auto stat = StatFile(file);
  ASSERT_TRUE(stat.ok());
  auto hash = HashFileHead(file, std::min(stat->size, kHeadHashBytes));
  ASSERT_TRUE(hash.ok());
  FileCheckpoint checkpoint;
  checkpoint.server = "s";
  checkpoint.study = "st";
  checkpoint.size = stat->size;
  checkpoint.mtime_ns = stat->mtime_ns;
  checkpoint.head_bytes = std::min(stat->size, kHeadHashBytes);
  checkpoint.head_hash = *hash;
  auto head = [&](std::uint64_t n) { return HashFileHead(file, n); };

  testing::AppendFile(file, testing::MovebankRow(1, 500));
  auto grown = StatFile(file);
  ASSERT_TRUE(grown.ok());
  auto verdict = CompareWithCheckpoint(&checkpoint, "s", "st", *grown, head);
  ASSERT_TRUE(verdict.ok()) << verdict.status();
  EXPECT_EQ(*verdict, FileVerdict::kGrown);

  // Another export under the same name: other first bytes, even if longer.
  WriteFile(file, testing::MovebankFile(3, 60, 1000));
  auto replaced = StatFile(file);
  ASSERT_TRUE(replaced.ok());
  ASSERT_GT(replaced->size, checkpoint.size);
  verdict = CompareWithCheckpoint(&checkpoint, "s", "st", *replaced, head);
  ASSERT_TRUE(verdict.ok()) << verdict.status();
  EXPECT_EQ(*verdict, FileVerdict::kReplaced);
}

TEST(StateDirLockTest, KeepsASecondDaemonOut) {
  TempDir dir;
  const std::string state = dir.File("state");
  auto first = StateDirLock::Acquire(state);
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = StateDirLock::Acquire(state);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(second.status().message(), HasSubstr("in use"));
  first->reset();
  EXPECT_TRUE(StateDirLock::Acquire(state).ok());
}

TEST(IngestCountsTest, AddsAndTotals) {
  IngestCounts a = Sample().counts;
  IngestCounts b;
  b.rows = 1;
  b.rejected = {{"MALFORMED_ROW", 2}, {"BAD_NUMBER", 1}};
  a.Add(b);
  EXPECT_EQ(a.rows, 100u);
  EXPECT_EQ(a.rejected["MALFORMED_ROW"], 3u);
  EXPECT_EQ(a.rejected_total(), 6u);
  EXPECT_EQ(a.refused_batches_total(), 1u);
}

}  // namespace
}  // namespace wetlink::ingest::daemon
