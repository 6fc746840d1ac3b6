#ifndef WETLINK_STORE_DATABASE_H_
#define WETLINK_STORE_DATABASE_H_

// The embedded RocksDB database holding every Wetlink record, one column
// family per record kind (column_families.h). Opening checks the schema
// version; writes go through WriteBatch so each logical change is atomic.
//
// Thread-safe: RocksDB handles concurrent reads and writes.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "store/column_families.h"

namespace rocksdb {
class Cache;
class DB;
class ColumnFamilyHandle;
class Status;
class WriteBatch;
}  // namespace rocksdb

namespace wetlink::store {

struct DatabaseOptions {
  // Create the folder and an empty database if none exists. Default true.
  // When false, a missing folder is FailedPrecondition and nothing is created.
  bool create_if_missing = true;
  // fsync every write batch before it is acknowledged. Default true; tests
  // on tmpfs may turn it off. Not changeable while open.
  bool sync_writes = true;
  // Block cache shared by the bulk column families (fixes, counts).
  std::size_t block_cache_bytes = std::size_t{64} << 20;
};

// A set of puts and deletes applied atomically by Database::Write.
class WriteBatch {
 public:
  WriteBatch();
  ~WriteBatch();
  WriteBatch(const WriteBatch&) = delete;
  WriteBatch& operator=(const WriteBatch&) = delete;

  void Put(ColumnFamily family, std::string_view key, std::string_view value);
  void Delete(ColumnFamily family, std::string_view key);
  std::size_t count() const;

 private:
  friend class Database;
  struct Op {
    ColumnFamily family;
    bool is_delete;
    std::string key;
    std::string value;
  };
  std::vector<Op> ops_;
};

class Database {
 public:
  // Opens (or creates) the database in `path`. FailedPrecondition if the
  // folder holds a database of another schema version; Unavailable if it is
  // locked by another process; ResourceExhausted if its disk is full;
  // Internal on other RocksDB errors. Every message names the path.
  //
  // Every operation below returns ResourceExhausted, with a message saying
  // that the data folder's disk is full and what to do, when a write failed
  // for want of space (nothing of it is then stored) or is refused because
  // an earlier one did (docs/STORAGE.md, "Disk full").
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& path,
                                                        const DatabaseOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const std::string& path() const { return path_; }

  // NotFound when the key is absent.
  absl::StatusOr<std::string> Get(ColumnFamily family, std::string_view key) const;

  // Applies `batch` atomically (durably if sync_writes).
  absl::Status Write(WriteBatch& batch);

  // Calls `visit` for every key with `prefix` in key order, until it returns
  // false. Reads a consistent snapshot.
  absl::Status Scan(ColumnFamily family, std::string_view prefix,
                    const std::function<bool(std::string_view key, std::string_view value)>&
                        visit) const;

  // Flushes memtables and closes; called by the destructor too.
  absl::Status Close();

  // For the store's own .cc files, which build RocksDB batches and
  // iterators directly on the hot paths.
  rocksdb::ColumnFamilyHandle* handle(ColumnFamily family) const;
  rocksdb::DB* rocks() const { return db_.get(); }
  absl::Status WriteRocks(rocksdb::WriteBatch& batch);  // durable if sync_writes
  // A RocksDB status as the absl::Status the stores return (see above);
  // `what` says what failed ("reading stored fixes failed").
  absl::Status FromRocksStatus(const rocksdb::Status& status, const std::string& what) const;

 private:
  Database(std::string path, const DatabaseOptions& options);
  absl::Status CheckSchemaVersion();

  std::string path_;
  DatabaseOptions options_;
  std::shared_ptr<rocksdb::Cache> block_cache_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // index = ColumnFamily
  // A write was refused for want of space since the database was opened.
  std::atomic<bool> disk_full_seen_{false};
};

}  // namespace wetlink::store

#endif  // WETLINK_STORE_DATABASE_H_
