#ifndef WETLINK_INGEST_CSV_READER_H_
#define WETLINK_INGEST_CSV_READER_H_

// A streaming RFC 4180 CSV reader. Memory stays bounded whatever the input
// size: it holds one chunk of input plus the current record, and a record
// longer than CsvOptions::max_record_bytes is reported as an error rather
// than buffered. Fields come out as string_views into a buffer reused from
// record to record, so reading allocates nothing per field once warmed up.
//
// Accepted: quoted fields with embedded delimiters, doubled quotes ("") and
// line breaks; LF and CRLF line breaks (a CR not followed by LF is data); a
// UTF-8 byte order mark at the start of the input; no line break after the
// last record.
//
// A malformed record (a stray quote inside an unquoted field, anything but a
// delimiter or line break after a closing quote, a quoted field still open
// at the end of input, a record over the size limit) is returned as an error
// for that record, and reading goes on:
//  - if the record lies on one line, after the end of that line;
//  - if it spans lines (or is cut inside a quoted field), after the end of
//    its first line: a quoted field that swallowed line breaks before the
//    record broke most likely lacks its closing quote, so the lines it
//    swallowed are read again as records of their own. One missing quote
//    costs one row, not the rest of the file.

#include <array>
#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace wetlink::ingest {

struct CsvOptions {
  char delimiter = ',';
  // Longest accepted record, in raw bytes (quotes included, line break not).
  std::size_t max_record_bytes = std::size_t{1} << 20;
  // Bytes read from the stream at a time (at least 4 are used).
  std::size_t read_chunk_bytes = std::size_t{64} << 10;
  // Lines with no bytes at all are skipped rather than read as one empty
  // field (exports often end with blank lines).
  bool skip_empty_lines = true;
};

struct CsvRecord {
  // 1-based line of the input where the record starts.
  std::size_t line = 0;
  // The record's fields, unquoted and unescaped. They point into the
  // reader's buffer and stay valid until the next call to Next().
  std::vector<std::string_view> fields;
  // Non-empty when the record is malformed; `fields` is then empty.
  std::string error;

  bool ok() const { return error.empty(); }
};

class CsvReader {
 public:
  // `in` must outlive the reader.
  explicit CsvReader(std::istream& in, CsvOptions options = {});

  CsvReader(CsvReader&&) = default;
  CsvReader& operator=(CsvReader&&) = default;

  // Reads the next record (good or malformed) into `out`, reusing its
  // storage. False at the end of input, or after a stream read error (see
  // status()).
  bool Next(CsvRecord& out);

  // DataLoss after the stream failed mid-read; OK otherwise (including EOF).
  const absl::Status& status() const { return status_; }

 private:
  enum class Outcome { kRecord, kError };

  bool Fill();
  Outcome ParseRecord(std::string* error);
  bool ParseQuoted(std::string* error);
  Outcome EndRecord(std::size_t terminator_pos, bool line_feed, std::string* error);
  Outcome TooLong(bool in_quotes, std::string* error);
  Outcome Malformed(std::string message, std::string* error);
  void ResumeAfterFirstLine();
  void SkipLine();
  void EndField() { field_ends_.push_back(field_buf_.size()); }

  std::istream* in_;
  CsvOptions options_;
  std::array<bool, 256> special_{};  // bytes that end an unquoted run

  std::string buf_;                // raw input from record_start_ on
  std::size_t pos_ = 0;            // next unread byte in buf_
  std::size_t record_start_ = 0;   // first byte of the current record in buf_
  std::size_t line_ = 1;           // line of buf_[pos_]
  std::size_t record_line_ = 1;    // line where the current record starts
  std::size_t record_bytes_ = 0;   // raw size of the record just ended
  bool eof_ = false;
  bool too_long_ = false;          // last Fill() stopped at the size limit
  bool started_ = false;           // byte order mark checked

  std::string field_buf_;                // unescaped fields, back to back
  std::vector<std::size_t> field_ends_;  // end offset of each field in field_buf_
  absl::Status status_;
};

}  // namespace wetlink::ingest

#endif  // WETLINK_INGEST_CSV_READER_H_
