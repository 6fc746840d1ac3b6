#ifndef WETLINK_INGEST_FIX_SOURCE_H_
#define WETLINK_INGEST_FIX_SOURCE_H_

// What every telemetry file parser produces: fixes read from a file, in
// batches, each row either a FixRow or a RowRejection that says why. The
// ingest daemon reads any format through FixSource and never sees the
// format's details.

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "telemetry/fix.h"
#include "telemetry/reject_reason.h"

namespace wetlink::ingest {

struct FixRow {
  // 1-based position of the row in its file: the line of a CSV row, the
  // ordinal of a GPX track point.
  std::size_t line = 0;
  telemetry::Fix fix;
  std::string individual_local_identifier;  // "" when the file names none
  std::string taxon;                        // individual-taxon-canonical-name
  std::string study_name;
  std::string sensor_type;  // e.g. "gps"
};

struct RowRejection {
  std::size_t line = 0;
  telemetry::RejectReason reason = telemetry::RejectReason::kMalformedRow;
  std::string field;  // Movebank attribute name; "" for a malformed row
  std::string message;
};

struct FixRowBatch {
  std::vector<FixRow> rows;
  std::vector<RowRejection> rejections;

  std::size_t size() const { return rows.size() + rejections.size(); }
  bool empty() const { return size() == 0; }
};

class FixSource {
 public:
  virtual ~FixSource() = default;

  // Clears `out` and fills it with the next rows and rejections, up to
  // `max_rows` of them together (at least 1). False when the input is
  // exhausted and `out` is empty.
  virtual bool Next(FixRowBatch& out, std::size_t max_rows) = 0;

  // DataLoss if the input failed mid-read; OK otherwise.
  virtual absl::Status status() const = 0;
};

}  // namespace wetlink::ingest

#endif  // WETLINK_INGEST_FIX_SOURCE_H_
