#ifndef WETLINK_INGEST_MOVEBANK_CSV_H_
#define WETLINK_INGEST_MOVEBANK_CSV_H_

// Reads Movebank CSV exports (hyphenated attribute names in the header, one
// event per row) into validated telemetry::Fix values, in batches, so a file
// of any size streams through bounded memory.
//
// Columns are found by name; their order is irrelevant and columns Wetlink
// does not read (eobs:*, study-specific-measurement, ...) are ignored.
// Required: timestamp, location-lat, location-long and tag-local-identifier
// (unless the caller names the tag of a single-tag file). Read when present:
// height-above-ellipsoid, gps:hdop, gps:satellite-count, ground-speed,
// heading, event-id, visible, manually-marked-outlier, manually-marked-valid,
// individual-local-identifier, individual-taxon-canonical-name, study-name,
// sensor-type. An empty cell is an absent value.
//
// Every row either becomes a FixRow or a RowRejection with a
// telemetry::RejectReason, the Movebank name of the field at fault and its
// 1-based line. Per row, the first problem wins, in this order: the row's
// shape (kMalformedRow); then the cells in the order listed above (timestamp,
// location-lat, location-long, then the optional ones), for missing or
// unparseable values; then telemetry::ValidateFix.

#include <cstddef>
#include <istream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ingest/csv_reader.h"
#include "ingest/fix_source.h"
#include "telemetry/fix.h"
#include "telemetry/fix_validation.h"
#include "telemetry/reject_reason.h"

namespace wetlink::ingest {

struct MovebankCsvOptions {
  // Tag of every row, for single-tag files without a tag-local-identifier
  // column. Ignored when the column is present (the file is more specific).
  std::string default_tag_id;
  telemetry::ValidationLimits limits;
  CsvOptions csv;
};

class MovebankCsvReader final : public FixSource {
 public:
  // Reads the header. InvalidArgument naming the columns when a required
  // column is missing or a column Wetlink reads appears twice, or when the
  // input has no header at all. `now_ms` is the current time for the
  // "timestamp in the future" check; `in` must outlive the reader.
  static absl::StatusOr<MovebankCsvReader> Open(std::istream& in, telemetry::TimestampMs now_ms,
                                                MovebankCsvOptions options = {});

  MovebankCsvReader(MovebankCsvReader&&) = default;
  MovebankCsvReader& operator=(MovebankCsvReader&&) = default;

  // Clears `out` and fills it with the next rows and rejections, up to
  // `max_rows` of them together (at least 1). False when the input is
  // exhausted and `out` is empty.
  bool Next(FixRowBatch& out, std::size_t max_rows) override;

  // DataLoss if the stream failed mid-read; OK otherwise.
  absl::Status status() const override { return csv_.status(); }

  // The header's column names, as read.
  const std::vector<std::string>& header() const { return header_; }

 private:
  // Index of each column Wetlink reads, or -1 when absent.
  struct Columns {
    int timestamp = -1;
    int lat = -1;
    int lon = -1;
    int tag = -1;
    int height = -1;
    int hdop = -1;
    int satellites = -1;
    int ground_speed = -1;
    int heading = -1;
    int event_id = -1;
    int visible = -1;
    int outlier = -1;
    int marked_valid = -1;
    int individual = -1;
    int taxon = -1;
    int study_name = -1;
    int sensor_type = -1;
  };

  MovebankCsvReader(CsvReader csv, telemetry::TimestampMs now_ms, MovebankCsvOptions options)
      : csv_(std::move(csv)), now_ms_(now_ms), options_(std::move(options)) {}

  // Turns one good CSV record into `row`, or explains why it cannot be one.
  std::optional<telemetry::FieldProblem> ParseRow(const CsvRecord& record, FixRow& row) const;

  CsvReader csv_;
  telemetry::TimestampMs now_ms_;
  MovebankCsvOptions options_;
  std::vector<std::string> header_;
  Columns columns_;
  CsvRecord record_;  // reused between rows
};

// Totals over a stream of batches, for tests, logs and the CLI.
struct MovebankSummary {
  std::size_t rows = 0;      // accepted
  std::size_t rejected = 0;
  std::size_t distinct_tags = 0;
  std::size_t distinct_individuals = 0;  // non-empty individual-local-identifiers
  std::optional<telemetry::TimestampMs> min_timestamp_ms;
  std::optional<telemetry::TimestampMs> max_timestamp_ms;
};

class MovebankSummaryBuilder {
 public:
  void Add(const FixRowBatch& batch);
  MovebankSummary Summary() const;

 private:
  MovebankSummary summary_;
  std::set<std::string> tags_;
  std::set<std::string> individuals_;
};

// Reads a whole export and summarises it; the Open() errors, or DataLoss on
// a read error.
absl::StatusOr<MovebankSummary> SummarizeMovebankCsv(std::istream& in,
                                                     telemetry::TimestampMs now_ms,
                                                     MovebankCsvOptions options = {});

}  // namespace wetlink::ingest

#endif  // WETLINK_INGEST_MOVEBANK_CSV_H_
