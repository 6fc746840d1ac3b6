#include "ingest/csv_reader.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace wetlink::ingest {
namespace {

constexpr std::size_t kMinChunk = 4;  // room for the byte order mark
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace

CsvReader::CsvReader(std::istream& in, CsvOptions options)
    : in_(&in), options_(std::move(options)) {
  options_.read_chunk_bytes = std::max(options_.read_chunk_bytes, kMinChunk);
  for (unsigned char c : {static_cast<unsigned char>(options_.delimiter),
                          static_cast<unsigned char>('\n'), static_cast<unsigned char>('\r'),
                          static_cast<unsigned char>('"')}) {
    special_[c] = true;
  }
}

// Makes buf_[pos_] readable. Called only with pos_ at the end of the buffer.
// Drops the bytes before record_start_ first: everything the reader may still
// need (a resume after a bad opening quote) lies at or after it.
bool CsvReader::Fill() {
  too_long_ = false;
  if (pos_ < buf_.size()) return true;
  if (eof_) return false;
  if (buf_.size() - record_start_ > options_.max_record_bytes) {
    too_long_ = true;
    return false;
  }
  buf_.erase(0, record_start_);
  pos_ -= record_start_;
  record_start_ = 0;
  const std::size_t old_size = buf_.size();
  buf_.resize(old_size + options_.read_chunk_bytes);
  in_->read(buf_.data() + old_size, static_cast<std::streamsize>(options_.read_chunk_bytes));
  const auto got = static_cast<std::size_t>(in_->gcount());
  buf_.resize(old_size + got);
  if (got < options_.read_chunk_bytes) {
    eof_ = true;
    if (in_->bad()) {
      status_ = absl::DataLossError(
          absl::StrCat("CSV input could not be read after line ", line_));
    }
  }
  return got > 0;
}

bool CsvReader::Next(CsvRecord& out) {
  out.fields.clear();
  out.error.clear();
  if (!started_) {
    started_ = true;
    if (Fill() && std::string_view(buf_).substr(pos_, kUtf8Bom.size()) == kUtf8Bom) {
      pos_ += kUtf8Bom.size();
    }
  }
  for (;;) {
    record_start_ = pos_;
    record_line_ = line_;
    if (!Fill()) return false;
    field_buf_.clear();
    field_ends_.clear();
    std::string error;
    const Outcome outcome = ParseRecord(&error);
    out.line = record_line_;
    if (outcome == Outcome::kError) {
      out.error = std::move(error);
      return true;
    }
    if (options_.skip_empty_lines && record_bytes_ == 0) continue;
    out.fields.reserve(field_ends_.size());
    std::size_t begin = 0;
    for (std::size_t end : field_ends_) {
      out.fields.emplace_back(field_buf_.data() + begin, end - begin);
      begin = end;
    }
    return true;
  }
}

CsvReader::Outcome CsvReader::ParseRecord(std::string* error) {
  const char delimiter = options_.delimiter;
  for (;;) {  // one field per iteration
    if (!Fill()) {
      if (too_long_) return TooLong(false, error);
      return EndRecord(pos_, false, error);  // end of input after a delimiter
    }
    if (buf_[pos_] == '"') {
      ++pos_;
      if (!ParseQuoted(error)) return Outcome::kError;
      if (!Fill()) {
        if (too_long_) return TooLong(false, error);
        return EndRecord(pos_, false, error);
      }
      const char c = buf_[pos_];
      if (c == delimiter) {
        EndField();
        ++pos_;
        continue;
      }
      if (c == '\n') return EndRecord(pos_, true, error);
      if (c == '\r') {
        ++pos_;
        if (Fill() && buf_[pos_] == '\n') return EndRecord(pos_ - 1, true, error);
        if (too_long_) return TooLong(false, error);
      }
      return Malformed(absl::StrCat("unexpected character after the closing quote of field ",
                                    field_ends_.size() + 1),
                       error);
    }
    for (;;) {  // an unquoted field, in runs of ordinary bytes
      const char* data = buf_.data();
      std::size_t end = pos_;
      while (end < buf_.size() && !special_[static_cast<unsigned char>(data[end])]) ++end;
      field_buf_.append(data + pos_, end - pos_);
      pos_ = end;
      if (!Fill()) {
        if (too_long_) return TooLong(false, error);
        return EndRecord(pos_, false, error);
      }
      const char c = buf_[pos_];
      if (!special_[static_cast<unsigned char>(c)]) continue;  // the run went on past a chunk
      if (c == delimiter) {
        EndField();
        ++pos_;
        break;
      }
      if (c == '\n') return EndRecord(pos_, true, error);
      if (c == '"') {
        return Malformed(
            absl::StrCat("stray quote inside unquoted field ", field_ends_.size() + 1), error);
      }
      // A CR: the line break if an LF follows, otherwise data.
      ++pos_;
      if (Fill() && buf_[pos_] == '\n') return EndRecord(pos_ - 1, true, error);
      if (too_long_) return TooLong(false, error);
      field_buf_.push_back('\r');
    }
  }
}

// Reads a quoted field's content up to and including its closing quote.
bool CsvReader::ParseQuoted(std::string* error) {
  for (;;) {
    if (!Fill()) {
      if (too_long_) {
        TooLong(true, error);
      } else {
        *error = absl::StrCat("quoted field ", field_ends_.size() + 1,
                              " is not closed before the end of input");
        ResumeAfterFirstLine();
      }
      return false;
    }
    const char* begin = buf_.data() + pos_;
    const char* end = buf_.data() + buf_.size();
    const auto* quote = static_cast<const char*>(std::memchr(begin, '"', end - begin));
    const char* stop = quote != nullptr ? quote : end;
    line_ += static_cast<std::size_t>(std::count(begin, stop, '\n'));
    field_buf_.append(begin, stop);
    pos_ += static_cast<std::size_t>(stop - begin);
    if (quote == nullptr) continue;
    ++pos_;
    // At the end of input (or the size limit, which the caller then reports)
    // the quote can only be a closing one.
    if (!Fill()) return true;
    if (buf_[pos_] != '"') return true;
    field_buf_.push_back('"');  // a doubled quote
    ++pos_;
  }
}

CsvReader::Outcome CsvReader::EndRecord(std::size_t terminator_pos, bool line_feed,
                                        std::string* error) {
  EndField();
  record_bytes_ = terminator_pos - record_start_;
  if (line_feed) {
    ++pos_;
    ++line_;
  }
  if (record_bytes_ > options_.max_record_bytes) {
    *error = absl::StrCat("record is longer than ", options_.max_record_bytes, " bytes");
    return Outcome::kError;
  }
  return Outcome::kRecord;
}

CsvReader::Outcome CsvReader::TooLong(bool in_quotes, std::string* error) {
  *error = absl::StrCat("record is longer than ", options_.max_record_bytes, " bytes");
  if (in_quotes || line_ > record_line_) {
    ResumeAfterFirstLine();
  } else {
    SkipLine();
  }
  return Outcome::kError;
}

CsvReader::Outcome CsvReader::Malformed(std::string message, std::string* error) {
  *error = std::move(message);
  if (line_ > record_line_) {
    // A quoted field ran over a line break and then the record broke: most
    // likely that field lacks its closing quote, and the lines it swallowed
    // are records of their own.
    absl::StrAppend(error, " (a quoted field opened on line ", record_line_,
                    " may lack its closing quote)");
    ResumeAfterFirstLine();
  } else {
    SkipLine();
  }
  return Outcome::kError;
}

void CsvReader::ResumeAfterFirstLine() {
  line_ = record_line_;
  const std::size_t newline = buf_.find('\n', record_start_);
  if (newline != std::string::npos) {
    pos_ = newline + 1;
    ++line_;
    return;
  }
  pos_ = buf_.size();
  SkipLine();
}

void CsvReader::SkipLine() {
  for (;;) {
    record_start_ = pos_;  // nothing before pos_ is needed any more
    if (!Fill()) return;
    const std::size_t newline = buf_.find('\n', pos_);
    if (newline != std::string::npos) {
      pos_ = newline + 1;
      ++line_;
      return;
    }
    pos_ = buf_.size();
  }
}

}  // namespace wetlink::ingest
