#ifndef WETLINK_COUNTS_COUNT_CSV_H_
#define WETLINK_COUNTS_COUNT_CSV_H_

// Reads count-survey CSV files (one count per row) into RawCount values, in
// batches, so a file of any size streams through bounded memory. Reading
// only parses; ValidateCount (count_validation.h) judges each RawCount
// against the catalog, so the two stages can be run and tested on their own.
//
// Columns are found by name, ignoring ASCII case and surrounding spaces;
// their order is irrelevant and unknown columns are ignored:
//   survey_id (alias survey)          required
//   site_id   (alias site)            required
//   date      (yyyy-MM-dd)            required
//   species   (id, code or scientific name)  required
//   count                             required
//   method, observer, organisation (alias organization), notes   optional
// A required column must be present, but its cells may be empty: an empty
// cell is an absent value, refused later by ValidateCount as kMissingField.
//
// Every row becomes a CountRow or an ingest::RowRejection with its 1-based
// line, a telemetry::RejectReason and the column name at fault:
//   - a malformed CSV record, or one with more or fewer cells than the
//     header: kMalformedRow (field "");
//   - a count cell that is not an integer (optional leading '-', digits
//     only; no '+', spaces or exponent):
//       "12.5", "-3.25" (a fractional part)     kCountOutOfRange "count 12.5 is not a whole number"
//       "12 birds", "abc", "1e3", "+5", overflow  kBadNumber
//     A fractional part of zeros ("12.0") is the whole number 12: pandas
//     writes integer columns that have gaps that way.

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "counts/count.h"
#include "ingest/csv_reader.h"
#include "ingest/fix_source.h"

namespace wetlink::counts {

struct CountRow {
  std::size_t line = 0;  // 1-based line of the row in its file
  RawCount raw;
};

struct CountRowBatch {
  std::vector<CountRow> rows;
  std::vector<ingest::RowRejection> rejections;  // field: the count CSV column name

  std::size_t size() const { return rows.size() + rejections.size(); }
  bool empty() const { return size() == 0; }
};

struct CountCsvOptions {
  ingest::CsvOptions csv;
};

class CountCsvReader {
 public:
  // Reads the header. InvalidArgument naming the columns when a required
  // column is missing or a column appears twice (an alias and its name
  // count as the same column), or when the input has no header or a
  // malformed one; DataLoss if the stream fails. `in` must outlive the reader.
  static absl::StatusOr<CountCsvReader> Open(std::istream& in, CountCsvOptions options = {});

  CountCsvReader(CountCsvReader&&) = default;
  CountCsvReader& operator=(CountCsvReader&&) = default;

  // Clears `out` and fills it with the next rows and rejections, up to
  // `max_rows` of them together (at least 1). False when the input is
  // exhausted and `out` is empty.
  bool Next(CountRowBatch& out, std::size_t max_rows);

  // DataLoss if the stream failed mid-read; OK otherwise.
  absl::Status status() const { return csv_.status(); }

  // The header's column names, as read.
  const std::vector<std::string>& header() const { return header_; }

 private:
  // Index of each column, or -1 when absent.
  struct Columns {
    int survey_id = -1;
    int site_id = -1;
    int date = -1;
    int species = -1;
    int count = -1;
    int method = -1;
    int observer = -1;
    int organisation = -1;
    int notes = -1;
  };

  explicit CountCsvReader(ingest::CsvReader csv) : csv_(std::move(csv)) {}

  // Finds the columns; the Open() errors.
  absl::Status ReadHeader();

  ingest::CsvReader csv_;
  std::vector<std::string> header_;
  Columns columns_;
  ingest::CsvRecord record_;  // reused between rows
};

}  // namespace wetlink::counts

#endif  // WETLINK_COUNTS_COUNT_CSV_H_
