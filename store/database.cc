#include "store/database.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <utility>

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/options_util.h>
#include <rocksdb/write_batch.h>

#include "absl/strings/str_cat.h"
#include "store/key_codec.h"

namespace wetlink::store {
namespace {

// The memtable size of the bulk families (fixes, counts), the largest of
// all families. RocksDB's own recovery from a full disk (below) waits until
// this much is free.
constexpr std::size_t kBulkWriteBufferBytes = std::size_t{64} << 20;

bool IsDiskFull(const rocksdb::Status& s) {
  return s.IsNoSpace() || s.subcode() == rocksdb::Status::SubCode::kSpaceLimit;
}

// A full disk (ENOSPC) says so, names the folder and tells what to do: it
// is RESOURCE_EXHAUSTED at the API, not a generic INTERNAL. What RocksDB
// 7.8 does (docs/STORAGE.md, "Disk full"): the failed write is not applied;
// the database then refuses every write with the same error ("hard error")
// while reads go on; its SstFileManager checks the free space every 5 s and
// resumes writes by itself once the largest memtable (64 MiB) fits.
absl::Status DiskFullError(const rocksdb::Status& s, const std::string& what,
                           const std::string& path) {
  const std::size_t need_mib = kBulkWriteBufferBytes >> 20;
  if (what.starts_with("cannot open")) {
    return absl::ResourceExhaustedError(absl::StrCat(
        what, ": the disk holding the data folder '", path, "' is full (", s.ToString(),
        "). Nothing stored is lost: free space on that disk (wetlinkd replays its write-ahead "
        "log into table files on start, which needs room) and start wetlinkd again"));
  }
  return absl::ResourceExhaustedError(absl::StrCat(
      "the disk holding the data folder '", path, "' is full: nothing of this write was stored (",
      what, ": ", s.ToString(), "). Reads still work. Writes resume by themselves within about "
      "5 seconds once ", need_mib, " MiB are free on that disk; if less can be freed, free what "
      "you can and restart wetlinkd"));
}

absl::Status FromRocks(const rocksdb::Status& s, const std::string& what, const std::string& path) {
  if (s.ok()) return absl::OkStatus();
  if (IsDiskFull(s)) return DiskFullError(s, what, path);
  const std::string msg = absl::StrCat(what, " in '", path, "': ", s.ToString());
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return absl::UnavailableError(
        absl::StrCat(msg, " (is another wetlinkd using this data folder?)"));
  }
  if (s.IsCorruption()) return absl::DataLossError(msg);
  return absl::InternalError(msg);
}

// RocksDB's own log (warnings and errors: background errors, recovery from
// them) goes to wetlinkd's standard error rather than to a LOG file in the
// data folder. A LOG file on the data folder's disk fails with it when the
// disk is full, and Debian's librocksdb 7.8 is built with assertions, which
// abort the process on the next line written to a file writer that has
// failed (WritableFileWriter::AssertFalseAndGetStatusForPrevError): a full
// disk would crash wetlinkd instead of refusing writes.
class StderrLogger final : public rocksdb::Logger {
 public:
  explicit StderrLogger(std::string path)
      : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL), path_(std::move(path)) {}

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap);
  }
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel()) return;
    static constexpr const char* kNames[] = {"debug", "info", "warn", "error", "fatal", "header"};
    const auto index = static_cast<std::size_t>(level);
    char text[1024];
    va_list copy;
    va_copy(copy, ap);
    const int n = std::vsnprintf(text, sizeof text, format, copy);
    va_end(copy);
    if (n < 0) return;
    std::string line = absl::StrCat("rocksdb [", index < 6 ? kNames[index] : "?", "] ", path_,
                                    ": ", std::string(text, std::min<std::size_t>(
                                                                n, sizeof text - 1)));
    while (!line.empty() && line.back() == '\n') line.pop_back();
    line += '\n';
    // One write per line: lines of concurrent RocksDB threads do not mix.
    std::fwrite(line.data(), 1, line.size(), stderr);
  }

 private:
  std::string path_;
};

rocksdb::ColumnFamilyOptions SmallOptions() {
  rocksdb::ColumnFamilyOptions options;
  options.OptimizeForSmallDb();
  return options;
}

// Best compression this librocksdb was built with, cheapest first.
rocksdb::CompressionType FastCompression() {
  for (rocksdb::CompressionType type : {rocksdb::kLZ4Compression, rocksdb::kSnappyCompression}) {
    for (rocksdb::CompressionType supported : rocksdb::GetSupportedCompressions()) {
      if (supported == type) return type;
    }
  }
  return rocksdb::kNoCompression;
}

rocksdb::CompressionType DenseCompression() {
  for (rocksdb::CompressionType supported : rocksdb::GetSupportedCompressions()) {
    if (supported == rocksdb::kZSTD) return rocksdb::kZSTD;
  }
  return FastCompression();
}

// Fixes and counts: large memtables so a big batch lands in memory and
// flushes in large sorted files; bloom filters so the duplicate check of a
// late fix (a point lookup) mostly skips files without reading them;
// fast compression near the top, dense compression at the bottom, where
// most data ends up.
rocksdb::ColumnFamilyOptions BulkOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions options;
  options.write_buffer_size = kBulkWriteBufferBytes;
  options.max_write_buffer_number = 4;
  options.target_file_size_base = std::uint64_t{64} << 20;
  options.max_bytes_for_level_base = std::uint64_t{256} << 20;
  // Fixes arrive in time order per individual (the key prefix), so each
  // insert lands next to the previous one of its prefix: the hint makes it
  // O(1) instead of a skip-list search. Hints need serial memtable writes,
  // which the stores do anyway (one committer at a time).
  options.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(4));
  options.compression = FastCompression();
  options.bottommost_compression = DenseCompression();
  // ZSTD's fastest level: at the default (3) bottom-level compaction took a
  // sixth of the server's CPU during bulk ingest, for a few % less disk.
  options.bottommost_compression_opts.enabled = true;
  options.bottommost_compression_opts.level = 1;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.block_size = 16 << 10;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.cache_index_and_filter_blocks = false;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

}  // namespace

WriteBatch::WriteBatch() = default;
WriteBatch::~WriteBatch() = default;

void WriteBatch::Put(ColumnFamily family, std::string_view key, std::string_view value) {
  ops_.push_back({family, false, std::string(key), std::string(value)});
}

void WriteBatch::Delete(ColumnFamily family, std::string_view key) {
  ops_.push_back({family, true, std::string(key), {}});
}

std::size_t WriteBatch::count() const { return ops_.size(); }

Database::Database(std::string path, const DatabaseOptions& options)
    : path_(std::move(path)),
      options_(options),
      block_cache_(rocksdb::NewLRUCache(options.block_cache_bytes)) {}

Database::~Database() { (void)Close(); }

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                         const DatabaseOptions& options) {
  std::unique_ptr<Database> db(new Database(path, options));
  std::error_code ec;
  if (options.create_if_missing) std::filesystem::create_directories(path, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create data folder '", path, "': ", ec.message()));
  }
  // RocksDB creates the folder (with LOCK and LOG files) even when told not
  // to create the database, so a missing folder is refused before it runs.
  if (!options.create_if_missing && !std::filesystem::is_directory(path, ec)) {
    return absl::FailedPreconditionError(
        absl::StrCat("data folder '", path, "' does not exist"));
  }

  rocksdb::Options db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  db_options.allow_concurrent_memtable_write = false;
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  db_options.info_log = std::make_shared<StderrLogger>(path);

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const ColumnFamilyInfo& info : kColumnFamilies) {
    descriptors.emplace_back(std::string(info.name), info.tuning == Tuning::kBulk
                                                         ? BulkOptions(db->block_cache_)
                                                         : SmallOptions());
  }
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, path, descriptors, &db->handles_, &raw);
  if (!s.ok() && s.IsInvalidArgument() && s.ToString().find("Column famil") != std::string::npos) {
    return absl::FailedPreconditionError(absl::StrCat(
        "data folder '", path, "' holds column families this wetlinkd does not know: ",
        s.ToString(), " (written by a newer version?)"));
  }
  if (absl::Status st = FromRocks(s, "cannot open the database", path); !st.ok()) return st;
  db->db_.reset(raw);
  if (absl::Status st = db->CheckSchemaVersion(); !st.ok()) return st;
  return db;
}

absl::Status Database::CheckSchemaVersion() {
  auto stored = Get(ColumnFamily::kMeta, kSchemaVersionKey);
  if (stored.status().code() == absl::StatusCode::kNotFound) {
    std::string value;
    AppendUint32(value, kSchemaVersion);
    WriteBatch batch;
    batch.Put(ColumnFamily::kMeta, kSchemaVersionKey, value);
    return Write(batch);
  }
  if (!stored.ok()) return stored.status();
  std::string_view in = *stored;
  auto version = ConsumeUint32(in);
  if (!version.has_value() || !in.empty()) {
    return absl::DataLossError(
        absl::StrCat("data folder '", path_, "': the schema version record is corrupt"));
  }
  if (*version != kSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "data folder '", path_, "' has schema version ", *version, "; this wetlinkd reads version ",
        kSchemaVersion));
  }
  return absl::OkStatus();
}

absl::Status Database::FromRocksStatus(const rocksdb::Status& status, const std::string& what) const {
  return FromRocks(status, what, path_);
}

rocksdb::ColumnFamilyHandle* Database::handle(ColumnFamily family) const {
  return handles_[static_cast<std::size_t>(family)];
}

absl::StatusOr<std::string> Database::Get(ColumnFamily family, std::string_view key) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), handle(family), key, &value);
  if (s.IsNotFound()) {
    return absl::NotFoundError("no record '" + std::string(key) + "'");
  }
  if (absl::Status st = FromRocks(s, "read failed", path_); !st.ok()) return st;
  return value;
}

absl::Status Database::WriteRocks(rocksdb::WriteBatch& batch) {
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync_writes;
  const rocksdb::Status s = db_->Write(write_options, &batch);
  if (IsDiskFull(s)) disk_full_seen_ = true;
  return FromRocks(s, "write failed", path_);
}

absl::Status Database::Write(WriteBatch& batch) {
  rocksdb::WriteBatch rocks_batch;
  for (const WriteBatch::Op& op : batch.ops_) {
    rocksdb::Status s = op.is_delete ? rocks_batch.Delete(handle(op.family), op.key)
                                     : rocks_batch.Put(handle(op.family), op.key, op.value);
    if (absl::Status st = FromRocks(s, "cannot build a write batch", path_); !st.ok()) return st;
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync_writes;
  const rocksdb::Status s = db_->Write(write_options, &rocks_batch);
  if (IsDiskFull(s)) disk_full_seen_ = true;
  return FromRocks(s, "write failed", path_);
}

absl::Status Database::Scan(
    ColumnFamily family, std::string_view prefix,
    const std::function<bool(std::string_view, std::string_view)>& visit) const {
  rocksdb::ReadOptions read_options;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, handle(family)));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (!visit(std::string_view(it->key().data(), it->key().size()),
               std::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return FromRocks(it->status(), "scan failed", path_);
}

absl::Status Database::Close() {
  if (!db_) return absl::OkStatus();
  absl::Status result = absl::OkStatus();
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    rocksdb::Status s = db_->DestroyColumnFamilyHandle(h);
    if (result.ok()) result = FromRocks(s, "close failed", path_);
  }
  handles_.clear();
  rocksdb::Status s = db_->Close();
  if (result.ok()) result = FromRocks(s, "close failed", path_);
  db_.reset();
  if (!result.ok() && disk_full_seen_) {
    // RocksDB cannot sync the log it failed to append to. Everything
    // acknowledged is in it and is replayed on the next open.
    return absl::ResourceExhaustedError(absl::StrCat(
        result.message(), " (the disk holding the data folder '", path_,
        "' was full: every acknowledged write is kept and replayed on the next start, which "
        "needs free space on that disk)"));
  }
  return result;
}

}  // namespace wetlink::store
