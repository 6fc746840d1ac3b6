#ifndef WETLINK_INGEST_DAEMON_SUMMARY_H_
#define WETLINK_INGEST_DAEMON_SUMMARY_H_

// The end-of-run report: per file and in total, the rows acknowledged in
// this run and what became of them (accepted / duplicates / updated /
// rejected by reason code / refused in whole batches).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "ingest/daemon/checkpoint.h"

namespace wetlink::ingest::daemon {

struct FileSummary {
  std::string path;                // absolute
  IngestCounts counts;             // acknowledged in this run
  std::uint64_t rows_skipped = 0;  // acknowledged in earlier runs, not re-sent
  bool up_to_date = false;         // nothing new to send
  // Why the file was not (completely) read: cannot be opened, fails
  // mid-read, refused by the server. OK otherwise.
  absl::Status error;
};

struct RunSummary {
  std::vector<FileSummary> files;  // in the order first read

  IngestCounts Total() const;
  // The first file error, or OK.
  absl::Status FirstFileError() const;
};

// The report as text, a table with a line per file and a total line,
// each followed by its rejections by reason; ends with where the rejected
// records went (`rejects_path`) when there were any.
std::string FormatSummary(const RunSummary& summary, const std::string& rejects_path);

}  // namespace wetlink::ingest::daemon

#endif  // WETLINK_INGEST_DAEMON_SUMMARY_H_
