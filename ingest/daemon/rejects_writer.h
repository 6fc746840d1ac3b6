#ifndef WETLINK_INGEST_DAEMON_REJECTS_WRITER_H_
#define WETLINK_INGEST_DAEMON_REJECTS_WRITER_H_

// The rejects file: every record refused, by the parser or by the server,
// with its reason, appended to a CSV (RFC 4180) with the columns
//   file,line,field,reason,message
// `line` is the record's 1-based line (GPX: point ordinal); for a batch the
// server refused whole it is the batch's range "first-last". `field` is the
// Movebank attribute at fault ("" for the whole record or batch), `reason`
// the stable code (telemetry/reject_reason.h).
//
// Records are written when the batch carrying them is acknowledged, before
// the checkpoint moves past it; a crash between the two can repeat a batch's
// records, never lose them. Not thread-safe.

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace wetlink::ingest::daemon {

inline constexpr std::string_view kRejectsHeader = "file,line,field,reason,message";

struct RejectRecord {
  std::string file;
  std::size_t first_line = 0;  // the line (or first line of a range)
  std::size_t last_line = 0;   // == first_line for one record
  std::string field;
  std::string reason;  // code, e.g. "LATITUDE_OUT_OF_RANGE"
  std::string message;
};

// One CSV line (with '\n') for `record`.
std::string FormatRejectLine(const RejectRecord& record);

class RejectsWriter {
 public:
  // Opens `path` for appending (creating it and its folder as needed) and
  // writes the header when the file is empty. PermissionDenied naming the
  // file when it cannot be.
  static absl::StatusOr<std::unique_ptr<RejectsWriter>> Open(const std::string& path);
  ~RejectsWriter();
  RejectsWriter(const RejectsWriter&) = delete;
  RejectsWriter& operator=(const RejectsWriter&) = delete;

  void Add(const RejectRecord& record);
  // Writes what was added to disk (flush and fdatasync) if anything was.
  absl::Status Sync();

  const std::string& path() const { return path_; }
  // Records added since opened.
  std::size_t written() const { return written_; }

 private:
  RejectsWriter(std::string path, std::FILE* file) : path_(std::move(path)), file_(file) {}

  std::string path_;
  std::FILE* file_;
  std::size_t written_ = 0;
  bool dirty_ = false;
  bool failed_ = false;
};

}  // namespace wetlink::ingest::daemon

#endif  // WETLINK_INGEST_DAEMON_REJECTS_WRITER_H_
