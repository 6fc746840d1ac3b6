#include "store/database.h"

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <rocksdb/status.h>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/column_families.h"
#include "store/key_codec.h"

namespace wetlink::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    path_ = (std::filesystem::path(::testing::TempDir()) /
             ("wetlink_db_test_" + std::to_string(rd()) + "_" + std::to_string(rd())))
                .string();
    options_.sync_writes = false;  // a temp dir needs no fsync
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }

  std::unique_ptr<Database> OpenDb() {
    auto db = Database::Open(path_, options_);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? std::move(*db) : nullptr;
  }

  // A folder recording schema version `other` is refused on open, naming
  // the folder and both versions.
  void ExpectRefused(std::uint32_t other);

  static void Put(Database& db, ColumnFamily cf, std::string_view key, std::string_view value) {
    WriteBatch batch;
    batch.Put(cf, key, value);
    ASSERT_TRUE(db.Write(batch).ok());
  }

  // Every key of `cf` with `prefix`, in scan order.
  static std::vector<std::string> Keys(const Database& db, ColumnFamily cf,
                                       std::string_view prefix = "") {
    std::vector<std::string> keys;
    EXPECT_TRUE(db.Scan(cf, prefix, [&](std::string_view k, std::string_view) {
                    keys.emplace_back(k);
                    return true;
                  }).ok());
    return keys;
  }

  std::string path_;
  DatabaseOptions options_;
};

TEST_F(DatabaseTest, PutGetDeleteInEachColumnFamily) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  // The same key in every family, each with its own value: families are separate.
  WriteBatch batch;
  for (const ColumnFamilyInfo& info : kColumnFamilies) {
    batch.Put(info.family, "k", "value in " + std::string(info.name));
  }
  ASSERT_TRUE(db->Write(batch).ok());
  for (const ColumnFamilyInfo& info : kColumnFamilies) {
    auto v = db->Get(info.family, "k");
    ASSERT_TRUE(v.ok()) << info.name << ": " << v.status();
    EXPECT_EQ(*v, "value in " + std::string(info.name));
  }
  WriteBatch del;
  del.Delete(ColumnFamily::kSites, "k");
  ASSERT_TRUE(db->Write(del).ok());
  EXPECT_EQ(db->Get(ColumnFamily::kSites, "k").status().code(), absl::StatusCode::kNotFound);
  for (ColumnFamily cf : {ColumnFamily::kMeta, ColumnFamily::kComplexes, ColumnFamily::kSpecies}) {
    EXPECT_TRUE(db->Get(cf, "k").ok());
  }
}

TEST_F(DatabaseTest, AbsentKeyIsNotFound) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  auto v = db->Get(ColumnFamily::kSpecies, "grus_monacha");
  EXPECT_EQ(v.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(v.status().message()), HasSubstr("grus_monacha"));
}

TEST_F(DatabaseTest, BinaryKeysAndValues) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  const std::string key("a\0b", 3);
  const std::string value("\0\xff\0", 3);
  Put(*db, ColumnFamily::kSites, key, value);
  auto v = db->Get(ColumnFamily::kSites, key);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, value);
  EXPECT_EQ(db->Get(ColumnFamily::kSites, "a").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(DatabaseTest, ScanVisitsThePrefixInKeyOrder) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  WriteBatch batch;
  for (const char* k : {"c1", "b2", "a1", "b3", "b1", "ba"}) batch.Put(ColumnFamily::kSites, k, k);
  ASSERT_TRUE(db->Write(batch).ok());
  EXPECT_THAT(Keys(*db, ColumnFamily::kSites, "b"), ElementsAre("b1", "b2", "b3", "ba"));
  EXPECT_THAT(Keys(*db, ColumnFamily::kSites), ElementsAre("a1", "b1", "b2", "b3", "ba", "c1"));
  EXPECT_THAT(Keys(*db, ColumnFamily::kSites, "z"), IsEmpty());
  EXPECT_THAT(Keys(*db, ColumnFamily::kComplexes), IsEmpty());

  // Values come with their keys.
  std::vector<std::pair<std::string, std::string>> seen;
  ASSERT_TRUE(db->Scan(ColumnFamily::kSites, "c", [&](std::string_view k, std::string_view v) {
                  seen.emplace_back(k, v);
                  return true;
                }).ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].second, "c1");
}

TEST_F(DatabaseTest, ScanOrderIsNumericForEncodedNumbers) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  WriteBatch batch;
  for (std::int64_t t : {65536, -5, 1, 256, -70000}) {
    std::string key;
    AppendTerminatedString(key, "obs");
    AppendInt64(key, t);
    batch.Put(ColumnFamily::kSites, key, "");
  }
  ASSERT_TRUE(db->Write(batch).ok());
  std::string prefix;
  AppendTerminatedString(prefix, "obs");
  std::vector<std::int64_t> order;
  ASSERT_TRUE(db->Scan(ColumnFamily::kSites, prefix, [&](std::string_view k, std::string_view) {
                  k.remove_prefix(prefix.size());
                  order.push_back(ConsumeInt64(k).value_or(0));
                  return true;
                }).ok());
  EXPECT_THAT(order, ElementsAre(-70000, -5, 1, 256, 65536));
}

TEST_F(DatabaseTest, ScanStopsWhenTheVisitorReturnsFalse) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  WriteBatch batch;
  for (const char* k : {"s1", "s2", "s3", "s4"}) batch.Put(ColumnFamily::kSites, k, "");
  ASSERT_TRUE(db->Write(batch).ok());
  std::vector<std::string> visited;
  ASSERT_TRUE(db->Scan(ColumnFamily::kSites, "s", [&](std::string_view k, std::string_view) {
                  visited.emplace_back(k);
                  return visited.size() < 2;
                }).ok());
  EXPECT_THAT(visited, ElementsAre("s1", "s2"));
}

TEST_F(DatabaseTest, WriteBatchAppliesAllOpsTogetherInOrder) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  Put(*db, ColumnFamily::kComplexes, "old", "x");
  WriteBatch batch;
  batch.Put(ColumnFamily::kSites, "a", "1");
  batch.Put(ColumnFamily::kSpecies, "b", "2");
  batch.Delete(ColumnFamily::kComplexes, "old");
  batch.Put(ColumnFamily::kSites, "gone", "3");
  batch.Delete(ColumnFamily::kSites, "gone");  // later ops win
  EXPECT_EQ(batch.count(), 5u);
  // Nothing is visible before Write.
  EXPECT_EQ(db->Get(ColumnFamily::kSites, "a").status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(db->Write(batch).ok());
  EXPECT_EQ(*db->Get(ColumnFamily::kSites, "a"), "1");
  EXPECT_EQ(*db->Get(ColumnFamily::kSpecies, "b"), "2");
  EXPECT_EQ(db->Get(ColumnFamily::kComplexes, "old").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(db->Get(ColumnFamily::kSites, "gone").status().code(), absl::StatusCode::kNotFound);

  WriteBatch empty;
  EXPECT_EQ(empty.count(), 0u);
  EXPECT_TRUE(db->Write(empty).ok());
}

TEST_F(DatabaseTest, ReopenKeepsData) {
  {
    auto db = OpenDb();
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(db->path(), path_);
    Put(*db, ColumnFamily::kSites, "rason", "record");
    ASSERT_TRUE(db->Close().ok());
    EXPECT_TRUE(db->Close().ok());  // closing twice is harmless
  }
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  auto v = db->Get(ColumnFamily::kSites, "rason");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(*v, "record");
}

TEST_F(DatabaseTest, FreshDatabaseRecordsTheSchemaVersion) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  auto v = db->Get(ColumnFamily::kMeta, kSchemaVersionKey);
  ASSERT_TRUE(v.ok());
  std::string expected;
  AppendUint32(expected, kSchemaVersion);
  EXPECT_EQ(*v, expected);
}

TEST_F(DatabaseTest, OtherSchemaVersionIsFailedPrecondition) {
  for (const std::uint32_t other : {kSchemaVersion + 1, std::uint32_t{1}}) {
    SCOPED_TRACE(other);
    ExpectRefused(other);
  }
  // Version 2 (day chunks of layout 2) reads no folder of version 1.
  EXPECT_EQ(kSchemaVersion, 2u);
}

void DatabaseTest::ExpectRefused(std::uint32_t other) {
  std::filesystem::remove_all(path_);
  {
    auto db = OpenDb();
    ASSERT_NE(db, nullptr);
    std::string value;
    AppendUint32(value, other);
    Put(*db, ColumnFamily::kMeta, kSchemaVersionKey, value);
  }
  auto db = Database::Open(path_, options_);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kFailedPrecondition);
  const std::string msg(db.status().message());
  EXPECT_THAT(msg, HasSubstr(path_));
  EXPECT_THAT(msg, HasSubstr("schema version " + std::to_string(other)));
  EXPECT_THAT(msg, HasSubstr("reads version " + std::to_string(kSchemaVersion)));
}

TEST_F(DatabaseTest, CorruptSchemaVersionIsDataLoss) {
  {
    auto db = OpenDb();
    ASSERT_NE(db, nullptr);
    Put(*db, ColumnFamily::kMeta, kSchemaVersionKey, "v1");  // not 4 bytes
  }
  auto db = Database::Open(path_, options_);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(db.status().message()), HasSubstr(path_));
}

TEST_F(DatabaseTest, SecondOpenOfALockedFolderIsUnavailable) {
  auto first = OpenDb();
  ASSERT_NE(first, nullptr);
  auto second = Database::Open(path_, options_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable) << second.status();
  EXPECT_THAT(std::string(second.status().message()), HasSubstr(path_));
  // The failed open leaves the first one working, and the lock goes with it.
  Put(*first, ColumnFamily::kSites, "still", "works");
  first.reset();
  auto third = OpenDb();
  ASSERT_NE(third, nullptr);
  EXPECT_TRUE(third->Get(ColumnFamily::kSites, "still").ok());
}

TEST_F(DatabaseTest, MissingFolderWithoutCreateIsAnErrorNamingThePath) {
  DatabaseOptions no_create = options_;
  no_create.create_if_missing = false;
  auto db = Database::Open(path_, no_create);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(db.status().message()), HasSubstr(path_));
  // Nothing is left behind (RocksDB alone would create the folder, LOCK and LOG).
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(DatabaseTest, ExistingDatabaseOpensWithoutCreate) {
  ASSERT_NE(OpenDb(), nullptr);  // creates it, then closes it
  DatabaseOptions no_create = options_;
  no_create.create_if_missing = false;
  auto db = Database::Open(path_, no_create);
  EXPECT_TRUE(db.ok()) << db.status();
}

// A full disk is RESOURCE_EXHAUSTED naming the folder and saying what to
// do, not INTERNAL (tests/integration/disk_full_test.cc fills a real disk).
TEST_F(DatabaseTest, NoSpaceIsResourceExhaustedNamingTheFolder) {
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  const absl::Status full = db->FromRocksStatus(
      rocksdb::Status::NoSpace("While appending to file: 000004.log", "No space left on device"),
      "write failed");
  EXPECT_EQ(full.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(full.message(), HasSubstr("the disk holding the data folder '" + path_ + "' is full"));
  EXPECT_THAT(full.message(), HasSubstr("nothing of this write was stored"));
  EXPECT_THAT(full.message(), HasSubstr("No space left on device"));
  EXPECT_THAT(full.message(), HasSubstr("resume by themselves"));
  // Other I/O errors stay INTERNAL.
  EXPECT_EQ(db->FromRocksStatus(rocksdb::Status::IOError("EIO"), "write failed").code(),
            absl::StatusCode::kInternal);
  EXPECT_TRUE(db->FromRocksStatus(rocksdb::Status::OK(), "write failed").ok());
}

}  // namespace
}  // namespace wetlink::store
