#include "ingest/movebank_csv.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ingest/cell_parsers.h"
#include "telemetry/timestamp.h"

namespace wetlink::ingest {
namespace {

using telemetry::FieldProblem;
using telemetry::RejectReason;

FieldProblem Problem(RejectReason reason, std::string_view field, std::string message) {
  return FieldProblem{reason, std::string(field), std::move(message)};
}

// The Movebank names Wetlink reads, with the column index each fills.
struct KnownColumn {
  std::string_view name;
  int* index;
};

}  // namespace

absl::StatusOr<MovebankCsvReader> MovebankCsvReader::Open(std::istream& in,
                                                          telemetry::TimestampMs now_ms,
                                                          MovebankCsvOptions options) {
  CsvReader csv(in, options.csv);
  MovebankCsvReader reader(std::move(csv), now_ms, std::move(options));
  CsvRecord header;
  if (!reader.csv_.Next(header)) {
    if (!reader.csv_.status().ok()) return reader.csv_.status();
    return absl::InvalidArgumentError("Movebank CSV has no header line");
  }
  if (!header.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("Movebank CSV header (line ", header.line,
                                                   ") is malformed: ", header.error));
  }
  Columns& c = reader.columns_;
  const KnownColumn known[] = {
      {"timestamp", &c.timestamp},
      {"location-lat", &c.lat},
      {"location-long", &c.lon},
      {"tag-local-identifier", &c.tag},
      {"height-above-ellipsoid", &c.height},
      {"gps:hdop", &c.hdop},
      {"gps:satellite-count", &c.satellites},
      {"ground-speed", &c.ground_speed},
      {"heading", &c.heading},
      {"event-id", &c.event_id},
      {"visible", &c.visible},
      {"manually-marked-outlier", &c.outlier},
      {"manually-marked-valid", &c.marked_valid},
      {"individual-local-identifier", &c.individual},
      {"individual-taxon-canonical-name", &c.taxon},
      {"study-name", &c.study_name},
      {"sensor-type", &c.sensor_type},
  };
  std::vector<std::string> duplicates;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string_view name = header.fields[i];
    reader.header_.emplace_back(name);
    for (const KnownColumn& column : known) {
      if (column.name != name) continue;
      if (*column.index >= 0) {
        duplicates.emplace_back(name);
      } else {
        *column.index = static_cast<int>(i);
      }
    }
  }
  if (!duplicates.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Movebank CSV header repeats column(s): ", absl::StrJoin(duplicates, ", ")));
  }
  std::vector<std::string> missing;
  if (c.timestamp < 0) missing.emplace_back("timestamp");
  if (c.lat < 0) missing.emplace_back("location-lat");
  if (c.lon < 0) missing.emplace_back("location-long");
  if (c.tag < 0 && reader.options_.default_tag_id.empty()) {
    missing.emplace_back("tag-local-identifier");
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Movebank CSV header lacks required column(s): ",
                     absl::StrJoin(missing, ", "),
                     c.tag < 0 && reader.options_.default_tag_id.empty()
                         ? " (for a single-tag file, give its tag id instead)"
                         : ""));
  }
  return reader;
}

bool MovebankCsvReader::Next(FixRowBatch& out, std::size_t max_rows) {
  out.rows.clear();
  out.rejections.clear();
  max_rows = std::max<std::size_t>(max_rows, 1);
  while (out.size() < max_rows && csv_.Next(record_)) {
    if (!record_.ok()) {
      out.rejections.push_back({record_.line, RejectReason::kMalformedRow, "", record_.error});
      continue;
    }
    if (record_.fields.size() != header_.size()) {
      out.rejections.push_back(
          {record_.line, RejectReason::kMalformedRow, "",
           absl::StrCat("row has ", record_.fields.size(), " fields, the header has ",
                        header_.size())});
      continue;
    }
    FixRow& row = out.rows.emplace_back();
    row.line = record_.line;
    std::optional<FieldProblem> problem = ParseRow(record_, row);
    if (!problem) problem = telemetry::ValidateFix(row.fix, now_ms_, options_.limits);
    if (problem) {
      out.rejections.push_back({row.line, problem->reason, std::move(problem->field),
                                std::move(problem->message)});
      out.rows.pop_back();
    }
  }
  return !out.empty();
}

std::optional<FieldProblem> MovebankCsvReader::ParseRow(const CsvRecord& record,
                                                        FixRow& row) const {
  const auto cell = [&record](int index) {
    return index < 0 ? std::string_view() : record.fields[static_cast<std::size_t>(index)];
  };
  telemetry::Fix& fix = row.fix;
  fix.tag_id = columns_.tag >= 0 ? std::string(cell(columns_.tag)) : options_.default_tag_id;

  const std::string_view timestamp = cell(columns_.timestamp);
  if (timestamp.empty()) {
    return Problem(RejectReason::kMissingField, "timestamp", "timestamp is empty");
  }
  absl::StatusOr<telemetry::TimestampMs> parsed = telemetry::ParseTimestamp(timestamp);
  if (!parsed.ok()) {
    return Problem(RejectReason::kBadTimestamp, "timestamp", std::string(parsed.status().message()));
  }
  fix.timestamp_ms = *parsed;

  // An optional number: absent when the cell is empty.
  const auto optional_double = [&](int index, std::string_view name,
                                   std::optional<double>& value) -> std::optional<FieldProblem> {
    const std::string_view text = cell(index);
    if (text.empty()) return std::nullopt;
    const auto v = ParseDouble(text);
    if (!v) {
      return Problem(RejectReason::kBadNumber, name,
                     absl::StrCat(std::string(name), " ", QuotedForMessage(text),
                                  " is not a number"));
    }
    value = *v;
    return std::nullopt;
  };
  // A required coordinate: missing when empty (a fix without a position).
  const auto coordinate = [&](int index, std::string_view name,
                              double& value) -> std::optional<FieldProblem> {
    std::optional<double> v;
    if (auto p = optional_double(index, name, v)) return p;
    if (!v) {
      return Problem(RejectReason::kMissingField, name, absl::StrCat(std::string(name), " is empty"));
    }
    value = *v;
    return std::nullopt;
  };
  if (auto p = coordinate(columns_.lat, "location-lat", fix.lat)) return p;
  if (auto p = coordinate(columns_.lon, "location-long", fix.lon)) return p;

  if (auto p = optional_double(columns_.height, "height-above-ellipsoid", fix.height_m)) return p;
  if (auto p = optional_double(columns_.hdop, "gps:hdop", fix.hdop)) return p;

  if (const std::string_view text = cell(columns_.satellites); !text.empty()) {
    constexpr std::string_view kName = "gps:satellite-count";
    const auto v = ParseInt64(text);
    if (!v) {
      return Problem(RejectReason::kBadNumber, kName,
                     absl::StrCat(std::string(kName), " ", QuotedForMessage(text),
                                  " is not an integer"));
    }
    if (*v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max()) {
      return Problem(RejectReason::kSatelliteCountOutOfRange, kName,
                     absl::StrCat(std::string(kName), " ", *v, " is out of range"));
    }
    fix.satellites = static_cast<int>(*v);
  }

  if (auto p = optional_double(columns_.ground_speed, "ground-speed", fix.ground_speed_mps)) {
    return p;
  }
  if (auto p = optional_double(columns_.heading, "heading", fix.heading_deg)) return p;

  if (const std::string_view text = cell(columns_.event_id); !text.empty()) {
    const auto v = ParseInt64(text);
    if (!v) {
      return Problem(RejectReason::kBadEventId, "event-id",
                     absl::StrCat("event-id ", QuotedForMessage(text),
                                  " is not a 64-bit integer"));
    }
    fix.event_id = *v;
  }

  const auto boolean = [&](int index, std::string_view name,
                           std::optional<bool>& value) -> std::optional<FieldProblem> {
    const std::string_view text = cell(index);
    if (text.empty()) return std::nullopt;
    const auto v = ParseBool(text);
    if (!v) {
      return Problem(RejectReason::kBadBoolean, name,
                     absl::StrCat(std::string(name), " ", QuotedForMessage(text),
                                  " is not a boolean (true/false, TRUE/FALSE, 1/0)"));
    }
    value = *v;
    return std::nullopt;
  };
  std::optional<bool> visible;
  if (auto p = boolean(columns_.visible, "visible", visible)) return p;
  fix.visible = visible.value_or(true);
  if (auto p = boolean(columns_.outlier, "manually-marked-outlier", fix.manually_marked_outlier)) {
    return p;
  }
  if (auto p = boolean(columns_.marked_valid, "manually-marked-valid", fix.manually_marked_valid)) {
    return p;
  }

  row.individual_local_identifier = cell(columns_.individual);
  row.taxon = cell(columns_.taxon);
  row.study_name = cell(columns_.study_name);
  row.sensor_type = cell(columns_.sensor_type);
  return std::nullopt;
}

void MovebankSummaryBuilder::Add(const FixRowBatch& batch) {
  summary_.rows += batch.rows.size();
  summary_.rejected += batch.rejections.size();
  for (const FixRow& row : batch.rows) {
    tags_.insert(row.fix.tag_id);
    if (!row.individual_local_identifier.empty()) {
      individuals_.insert(row.individual_local_identifier);
    }
    const telemetry::TimestampMs t = row.fix.timestamp_ms;
    if (!summary_.min_timestamp_ms || t < *summary_.min_timestamp_ms) summary_.min_timestamp_ms = t;
    if (!summary_.max_timestamp_ms || t > *summary_.max_timestamp_ms) summary_.max_timestamp_ms = t;
  }
}

MovebankSummary MovebankSummaryBuilder::Summary() const {
  MovebankSummary summary = summary_;
  summary.distinct_tags = tags_.size();
  summary.distinct_individuals = individuals_.size();
  return summary;
}

absl::StatusOr<MovebankSummary> SummarizeMovebankCsv(std::istream& in,
                                                     telemetry::TimestampMs now_ms,
                                                     MovebankCsvOptions options) {
  absl::StatusOr<MovebankCsvReader> reader = MovebankCsvReader::Open(in, now_ms, std::move(options));
  if (!reader.ok()) return reader.status();
  MovebankSummaryBuilder builder;
  FixRowBatch batch;
  while (reader->Next(batch, 4096)) builder.Add(batch);
  if (!reader->status().ok()) return reader->status();
  return builder.Summary();
}

}  // namespace wetlink::ingest
