#ifndef WETLINK_INGEST_DAEMON_BATCH_BUILDER_H_
#define WETLINK_INGEST_DAEMON_BATCH_BUILDER_H_

// Turns rows read from a fix file (ingest::FixRowBatch) into the message
// IngestService.StreamFixes takes (v1::FixBatch), and keeps what is needed
// to read its ack back in terms of the file: the source line of each fix
// (the server refuses fixes by index) and the rows refused while parsing,
// which never reach the server.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ingest/fix_source.h"
#include "wetlink/v1/ingest.pb.h"

namespace wetlink::ingest::daemon {

struct BatchOptions {
  std::string study_id;        // FixBatch.study_id
  bool auto_register = false;  // FixBatch.auto_register
};

// What a batch covers in its file, beside the message.
struct BatchLines {
  // lines[i] is the 1-based source line (CSV line, GPX point ordinal) of
  // message fix i.
  std::vector<std::size_t> lines;
  // Rows the parser refused, in source order; not sent.
  std::vector<RowRejection> parse_rejections;
  // Source rows the batch stands for: fixes plus parse rejections. A
  // checkpoint advances by this much when the batch is acknowledged.
  std::size_t source_rows = 0;
  // The smallest and largest source line of the batch (0 when empty).
  std::size_t first_line = 0;
  std::size_t last_line = 0;
};

struct BuiltBatch {
  v1::FixBatch message;
  BatchLines lines;
};

// Builds the batch numbered `sequence` from `rows`. Each tag id is listed
// once in FixBatch.tags, each distinct (individual-local-identifier, taxon)
// pair once in FixBatch.individuals, both in order of first use; fixes
// refer to them by index (individual: index + 1, 0 for none). Optional
// values absent from a fix stay absent; `visible` is sent only when false.
// Moves the parse rejections out of `rows`.
BuiltBatch BuildBatch(FixRowBatch& rows, std::uint64_t sequence, const BatchOptions& options);

// The source line of fix `index` of a batch, or 0 when the index is not one
// of its fixes (a server bug; reported rather than trusted).
std::size_t LineOfFix(const BatchLines& lines, std::uint32_t index);

}  // namespace wetlink::ingest::daemon

#endif  // WETLINK_INGEST_DAEMON_BATCH_BUILDER_H_
