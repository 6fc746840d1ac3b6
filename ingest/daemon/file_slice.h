#ifndef WETLINK_INGEST_DAEMON_FILE_SLICE_H_
#define WETLINK_INGEST_DAEMON_FILE_SLICE_H_

// Reading a fix file that may still be growing. A logger appending to a CSV
// may have written half a line when the daemon looks; reading it would parse
// a truncated value ("37.01" for "37.0193") as a good fix. So the daemon
// reads a CSV only up to a byte limit it chooses (the end of the last
// complete line), and recognises the file later by its FileIdentity.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "ingest/fix_file.h"
#include "ingest/fix_source.h"

namespace wetlink::ingest::daemon {

// Bytes of a file's beginning that identify it (a replaced file differs
// there, an appended one does not).
inline constexpr std::uint64_t kHeadHashBytes = 64 * 1024;

struct FileStat {
  std::uint64_t size = 0;    // bytes
  std::int64_t mtime_ns = 0; // last modification, ns since 1970 (UTC)

  bool operator==(const FileStat&) const = default;
};

// NotFound when nothing is at `path`, InvalidArgument when it is not a
// regular file, PermissionDenied when it cannot be examined.
absl::StatusOr<FileStat> StatFile(const std::string& path);

// FNV-1a (64-bit) of the first `length` bytes of the file at `path`. DataLoss
// when the file is shorter than `length`.
absl::StatusOr<std::uint64_t> HashFileHead(const std::string& path, std::uint64_t length);

// FNV-1a (64-bit) of `size` bytes at `data`, continuing from `hash`.
std::uint64_t Fnv1a64(const char* data, std::size_t size,
                      std::uint64_t hash = 0xcbf29ce484222325ULL);

// The length of the first `size` bytes of the file cut after its last '\n'
// (0 when there is none).
absl::StatusOr<std::uint64_t> CompleteLinesLength(const std::string& path, std::uint64_t size);

// The format `options` resolve to for `path` (never kAuto), as OpenFixFile
// resolves it; InvalidArgument naming the file otherwise (an unknown
// extension, a mapping for a non-CSV format, the csv format without one).
absl::StatusOr<FixFileFormat> ResolveFixFileFormat(const std::string& path,
                                                   const FixFileOptions& options);

// Whether the watch folder's file `name` is one `options` read: .gpx for
// gpx, .csv/.txt/.tsv for movebank and csv, all four for auto (only the CSV
// ones when a mapping is given). Hidden files (".name") never are.
bool IsWatchedFileName(const std::string& name, const FixFileOptions& options);

// A FixSource over the first `limit` bytes of a file, telling how far it has
// read.
class FileSliceSource : public FixSource {
 public:
  // Bytes of the file consumed so far (read ahead by up to 64 KiB); for
  // formats read through GDAL (GPX), 0 until the source is exhausted, then
  // the limit.
  virtual std::uint64_t bytes_read() const = 0;
};

// Opens `path` like ingest::OpenFixFile, but reads a CSV (Movebank or
// mapped) only up to byte `limit`, as if the file ended there. A GPX file is
// read whole (`limit` should be its size: XML cannot be cut). Errors as
// OpenFixFile's, naming the path.
absl::StatusOr<std::unique_ptr<FileSliceSource>> OpenFixFileSlice(const std::string& path,
                                                                  const FixFileOptions& options,
                                                                  std::uint64_t limit);

}  // namespace wetlink::ingest::daemon

#endif  // WETLINK_INGEST_DAEMON_FILE_SLICE_H_
