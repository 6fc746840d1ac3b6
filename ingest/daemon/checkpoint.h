#ifndef WETLINK_INGEST_DAEMON_CHECKPOINT_H_
#define WETLINK_INGEST_DAEMON_CHECKPOINT_H_

// What the server has acknowledged, per input file, so that a restart of
// the daemon or of the server resumes with nothing lost and nothing doubled.
// One JSON file per state folder (docs/INGEST_DAEMON.md shows the format),
// rewritten atomically (temporary file, fsync, rename, fsync of the folder)
// after every acknowledgement.
//
// A file is known by its absolute path, and recognised by its size, mtime
// and the hash of its first bytes: a file that only grew resumes where it
// stopped; a replaced one (other first bytes, shorter, or rewritten in place
// with another mtime) starts over. Starting over is always safe: the server
// counts fixes it already holds as duplicates.
//
// Not thread-safe: one daemon thread owns it (and a lock file keeps a second
// daemon out of the state folder, see StateDirLock).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ingest/daemon/file_slice.h"

namespace wetlink::ingest::daemon {

// Outcome counts, as the server reports them (plus the parser's refusals).
struct IngestCounts {
  std::uint64_t rows = 0;        // source rows acknowledged (fixes + rows refused by the parser)
  std::uint64_t accepted = 0;    // stored now
  std::uint64_t duplicates = 0;  // already stored, identical
  std::uint64_t updated = 0;     // already stored; outlier flags replaced
  // Refused records by reason code (parser and server), e.g.
  // {"LATITUDE_OUT_OF_RANGE": 2}.
  std::map<std::string, std::uint64_t> rejected;
  // Batches the server refused whole (nothing of them stored), and their
  // fixes, by reason code of the refusal.
  std::map<std::string, std::uint64_t> refused_batches;
  std::uint64_t refused_fixes = 0;

  std::uint64_t rejected_total() const;
  std::uint64_t refused_batches_total() const;
  void Add(const IngestCounts& other);
  bool operator==(const IngestCounts&) const = default;
};

struct FileCheckpoint {
  // Where the rows went: a file sent elsewhere starts over.
  std::string server;
  std::string study;
  // The bytes of the file read: a CSV's last complete line may end before
  // the file does (see file_slice.h).
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;  // the file's mtime when read
  // FNV-1a 64 of the first head_bytes = min(size, 64 KiB) bytes.
  std::uint64_t head_bytes = 0;
  std::uint64_t head_hash = 0;
  // Leading source rows (fixes and parser refusals, in file order) whose
  // batches the server acknowledged.
  std::uint64_t rows_acked = 0;
  // Every row of the first `size` bytes is acknowledged.
  bool complete = false;
  // Since the file was first read (reset when it starts over).
  IngestCounts counts;

  bool operator==(const FileCheckpoint&) const = default;
};

// How a file on disk relates to its checkpoint.
enum class FileVerdict {
  kNew,        // no checkpoint
  kUnchanged,  // same size and mtime: resume at rows_acked (nothing to do if complete)
  kGrown,      // longer, same first bytes: resume at rows_acked
  kReplaced,   // other first bytes, shorter, same size with another mtime,
               // or sent to another server or study: start over
};

std::string_view FileVerdictName(FileVerdict verdict);

// Compares `current` with `checkpoint`. `head_hash(n)` hashes the first n
// bytes of the current file; called only when size and mtime alone do not
// decide. Its error is returned.
absl::StatusOr<FileVerdict> CompareWithCheckpoint(
    const FileCheckpoint* checkpoint, const std::string& server, const std::string& study,
    const FileStat& current, const std::function<absl::StatusOr<std::uint64_t>(std::uint64_t)>& head_hash);

class Checkpoint {
 public:
  // Reads `path`, or starts empty when it does not exist. InvalidArgument
  // naming the file and what is wrong when it is not a checkpoint (delete it
  // to start over: the server counts re-sent fixes as duplicates).
  static absl::StatusOr<Checkpoint> Load(const std::string& path);

  const std::string& path() const { return path_; }

  // nullptr when `file` has no checkpoint.
  FileCheckpoint* Find(const std::string& file);
  // Sets (adds or replaces) the checkpoint of `file`.
  FileCheckpoint& Put(const std::string& file, FileCheckpoint checkpoint);
  const std::map<std::string, FileCheckpoint>& files() const { return files_; }

  // Counts over every file ever acknowledged through this state folder
  // (not reset when a file starts over).
  IngestCounts& totals() { return totals_; }
  const IngestCounts& totals() const { return totals_; }

  // The JSON text Save writes.
  std::string ToJson() const;
  // Writes the checkpoint atomically: `path`.tmp, fsync, rename over
  // `path`, fsync of the folder. A crash leaves the previous or the new
  // version, never a mix.
  absl::Status Save() const;

 private:
  explicit Checkpoint(std::string path) : path_(std::move(path)) {}

  std::string path_;
  std::map<std::string, FileCheckpoint> files_;
  IngestCounts totals_;
};

// Writes `content` to `path` atomically (as Checkpoint::Save does).
absl::Status WriteFileAtomically(const std::string& path, const std::string& content);

// An exclusive lock on a state folder (flock of its "lock" file), held
// while the object lives, so two daemons never share a checkpoint.
class StateDirLock {
 public:
  // Creates the folder if needed. FailedPrecondition when another process
  // holds the lock; PermissionDenied when the folder cannot be used.
  static absl::StatusOr<std::unique_ptr<StateDirLock>> Acquire(const std::string& dir);
  ~StateDirLock();
  StateDirLock(const StateDirLock&) = delete;
  StateDirLock& operator=(const StateDirLock&) = delete;

 private:
  explicit StateDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace wetlink::ingest::daemon

#endif  // WETLINK_INGEST_DAEMON_CHECKPOINT_H_
