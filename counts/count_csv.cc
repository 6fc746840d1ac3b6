#include "counts/count_csv.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "counts/count_validation.h"
#include "telemetry/fix_validation.h"
#include "telemetry/reject_reason.h"

namespace wetlink::counts {
namespace {

using telemetry::FieldProblem;
using telemetry::RejectReason;

// A header name Wetlink reads, the column index it fills, and the name
// messages and rejections use for it.
struct KnownColumn {
  std::string_view name;
  std::string_view canonical;
  int* index;
};

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

// The number as written, cut so one huge cell cannot flood a report (the
// text is known to be ASCII digits, a sign and a point here).
std::string ShownNumber(std::string_view text) {
  constexpr std::size_t kMaxShown = 64;
  return text.size() <= kMaxShown ? std::string(text)
                                  : absl::StrCat(std::string(text.substr(0, kMaxShown)), "...");
}

// Reads a count cell into `count` (left absent when the cell is empty), or
// says why the cell is not a whole number. See count_csv.h for the grammar.
std::optional<FieldProblem> ParseCountCell(std::string_view cell,
                                           std::optional<std::int64_t>& count) {
  if (cell.empty()) return std::nullopt;
  const std::string_view unsigned_part = cell.front() == '-' ? cell.substr(1) : cell;
  const std::size_t point = unsigned_part.find('.');
  const std::string_view whole = unsigned_part.substr(0, point);
  const std::string_view fraction =
      point == std::string_view::npos ? std::string_view() : unsigned_part.substr(point + 1);
  if (!AllDigits(whole) || (point != std::string_view::npos && !AllDigits(fraction))) {
    return FieldProblem{RejectReason::kBadNumber, "count",
                        absl::StrCat("count ", QuoteForMessage(cell), " is not a number")};
  }
  if (fraction.find_first_not_of('0') != std::string_view::npos) {
    return FieldProblem{RejectReason::kCountOutOfRange, "count",
                        absl::StrCat("count ", ShownNumber(cell), " is not a whole number")};
  }
  // The sign and the whole digits, which from_chars reads as one integer.
  const std::string_view integer =
      cell.substr(0, cell.size() - unsigned_part.size() + whole.size());
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(integer.data(), integer.data() + integer.size(), value);
  if (error != std::errc() || end != integer.data() + integer.size()) {
    return FieldProblem{
        RejectReason::kBadNumber, "count",
        absl::StrCat("count ", ShownNumber(cell), " does not fit in a 64-bit integer")};
  }
  count = value;
  return std::nullopt;
}

std::string_view TrimSpaces(std::string_view text) {
  const std::size_t first = text.find_first_not_of(' ');
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return absl::EqualsIgnoreCase(absl::string_view(a.data(), a.size()),
                                absl::string_view(b.data(), b.size()));
}

}  // namespace

absl::StatusOr<CountCsvReader> CountCsvReader::Open(std::istream& in, CountCsvOptions options) {
  CountCsvReader reader(ingest::CsvReader(in, options.csv));
  if (absl::Status status = reader.ReadHeader(); !status.ok()) return status;
  return reader;
}

absl::Status CountCsvReader::ReadHeader() {
  ingest::CsvRecord header;
  if (!csv_.Next(header)) {
    if (!csv_.status().ok()) return csv_.status();
    return absl::InvalidArgumentError("count CSV has no header line");
  }
  if (!header.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("count CSV header (line ", header.line, ") is malformed: ", header.error));
  }
  Columns& c = columns_;
  const KnownColumn known[] = {
      {"survey_id", "survey_id", &c.survey_id},
      {"survey", "survey_id", &c.survey_id},
      {"site_id", "site_id", &c.site_id},
      {"site", "site_id", &c.site_id},
      {"date", "date", &c.date},
      {"species", "species", &c.species},
      {"count", "count", &c.count},
      {"method", "method", &c.method},
      {"observer", "observer", &c.observer},
      {"organisation", "organisation", &c.organisation},
      {"organization", "organisation", &c.organisation},
      {"notes", "notes", &c.notes},
  };
  std::vector<std::string> duplicates;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    header_.emplace_back(header.fields[i]);
    const std::string_view name = TrimSpaces(header.fields[i]);
    for (const KnownColumn& column : known) {
      if (!EqualsIgnoreCase(column.name, name)) continue;
      if (*column.index >= 0) {
        duplicates.push_back(absl::StrCat(std::string(column.canonical), " (columns ",
                                          *column.index + 1, " and ", i + 1, ")"));
      } else {
        *column.index = static_cast<int>(i);
      }
    }
  }
  if (!duplicates.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("count CSV header repeats column(s): ", absl::StrJoin(duplicates, ", ")));
  }
  std::vector<std::string> missing;
  if (c.survey_id < 0) missing.emplace_back("survey_id");
  if (c.site_id < 0) missing.emplace_back("site_id");
  if (c.date < 0) missing.emplace_back("date");
  if (c.species < 0) missing.emplace_back("species");
  if (c.count < 0) missing.emplace_back("count");
  if (!missing.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("count CSV header lacks required column(s): ", absl::StrJoin(missing, ", ")));
  }
  return absl::OkStatus();
}

bool CountCsvReader::Next(CountRowBatch& out, std::size_t max_rows) {
  out.rows.clear();
  out.rejections.clear();
  max_rows = std::max<std::size_t>(max_rows, 1);
  while (out.size() < max_rows && csv_.Next(record_)) {
    if (!record_.ok()) {
      out.rejections.push_back({record_.line, RejectReason::kMalformedRow, "", record_.error});
      continue;
    }
    if (record_.fields.size() != header_.size()) {
      out.rejections.push_back({record_.line, RejectReason::kMalformedRow, "",
                                absl::StrCat("row has ", record_.fields.size(),
                                             " fields, the header has ", header_.size())});
      continue;
    }
    const auto cell = [this](int index) {
      return index < 0 ? std::string_view() : record_.fields[static_cast<std::size_t>(index)];
    };
    std::optional<std::int64_t> count;
    if (std::optional<FieldProblem> problem = ParseCountCell(cell(columns_.count), count)) {
      out.rejections.push_back(
          {record_.line, problem->reason, std::move(problem->field), std::move(problem->message)});
      continue;
    }
    CountRow& row = out.rows.emplace_back();
    row.line = record_.line;
    RawCount& raw = row.raw;
    raw.survey_id = cell(columns_.survey_id);
    raw.site_id = cell(columns_.site_id);
    raw.date = cell(columns_.date);
    raw.species = cell(columns_.species);
    raw.count = count;
    raw.method = cell(columns_.method);
    raw.observer = cell(columns_.observer);
    raw.organisation = cell(columns_.organisation);
    raw.notes = cell(columns_.notes);
  }
  return !out.empty();
}

}  // namespace wetlink::counts
