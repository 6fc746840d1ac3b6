#ifndef WETLINK_STORE_DATABASE_H_
#define WETLINK_STORE_DATABASE_H_

// The embedded RocksDB database holding every Wetlink record, one column
// family per record kind (column_families.h). Opening checks the schema
// version; writes go through WriteBatch so each logical change is atomic.
//
// Thread-safe: RocksDB handles concurrent reads and writes.

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
  // locked by another process; Internal on other RocksDB errors. Every
  // message names the path.
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

 private:
  Database(std::string path, const DatabaseOptions& options);
  absl::Status CheckSchemaVersion();

  std::string path_;
  DatabaseOptions options_;
  std::shared_ptr<rocksdb::Cache> block_cache_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // index = ColumnFamily
};

}  // namespace wetlink::store

#endif  // WETLINK_STORE_DATABASE_H_
