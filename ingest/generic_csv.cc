#include "ingest/generic_csv.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace wetlink::ingest {
namespace {

using telemetry::FieldProblem;
using telemetry::RejectReason;

// A value the mapping places in a column: its key in a mapping spec, the
// Movebank attribute name rejections report, and the ColumnMapping field
// holding the column's name.
struct MappedValue {
  std::string_view key;
  std::string_view attribute;
  std::string ColumnMapping::*column;
};

// Positions in kMappedValues.
enum MappedValueIndex : std::size_t {
  kTimestamp,
  kLat,
  kLon,
  kTag,
  kIndividual,
  kTaxon,
  kHeight,
  kHdop,
  kSatellites,
  kGroundSpeed,
  kHeading,
  kEventId,
  kMappedValueCount,
};

constexpr std::array<MappedValue, kMappedValueCount> kMappedValues = {{
    {"timestamp", "timestamp", &ColumnMapping::timestamp},
    {"lat", "location-lat", &ColumnMapping::lat},
    {"lon", "location-long", &ColumnMapping::lon},
    {"tag", "tag-local-identifier", &ColumnMapping::tag},
    {"individual", "individual-local-identifier", &ColumnMapping::individual},
    {"taxon", "individual-taxon-canonical-name", &ColumnMapping::taxon},
    {"height", "height-above-ellipsoid", &ColumnMapping::height},
    {"hdop", "gps:hdop", &ColumnMapping::hdop},
    {"satellites", "gps:satellite-count", &ColumnMapping::satellites},
    {"ground-speed", "ground-speed", &ColumnMapping::ground_speed},
    {"heading", "heading", &ColumnMapping::heading},
    {"event-id", "event-id", &ColumnMapping::event_id},
}};

constexpr std::string_view kSettingKeys[] = {"tag-id", "time-format", "utc-offset", "speed-unit",
                                             "delimiter"};

// Real zones lie within 14 hours of UTC (Kiribati, +14:00).
constexpr int kMaxUtcOffsetMinutes = 14 * 60;

// A header listing in a message stops here; wide exports have hundreds.
constexpr std::size_t kMaxListedColumns = 40;

FieldProblem Problem(RejectReason reason, std::string_view field, std::string message) {
  return FieldProblem{reason, std::string(field), std::move(message)};
}

absl::Status MappingError(std::string_view key, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("column mapping key '", std::string(key), "': ", std::string(why)));
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// Splits a spec at unescaped commas, resolving the escapes \, \t and \\.
absl::StatusOr<std::vector<std::string>> SplitEntries(std::string_view spec) {
  std::vector<std::string> entries(1);
  for (std::size_t i = 0; i < spec.size(); ++i) {
    const char c = spec[i];
    if (c == ',') {
      entries.emplace_back();
    } else if (c != '\\') {
      entries.back() += c;
    } else if (i + 1 < spec.size() && (spec[i + 1] == ',' || spec[i + 1] == '\\')) {
      entries.back() += spec[++i];
    } else if (i + 1 < spec.size() && spec[i + 1] == 't') {
      entries.back() += '\t';
      ++i;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("column mapping has a backslash at offset ", i,
                       " that starts none of the escapes \\, (comma) \\t (tab) \\\\ (backslash)"));
    }
  }
  return entries;
}

// "Z", "+09:00", "-03:30", "+0900", "+9": minutes east of UTC.
std::optional<int> ParseUtcOffset(std::string_view text) {
  if (text == "Z") return 0;
  if (text.size() < 2 || (text.front() != '+' && text.front() != '-')) return std::nullopt;
  const int sign = text.front() == '-' ? -1 : 1;
  std::string_view rest = text.substr(1);
  std::string_view hours = rest;
  std::string_view minutes;
  if (const std::size_t colon = rest.find(':'); colon != std::string_view::npos) {
    hours = rest.substr(0, colon);
    minutes = rest.substr(colon + 1);
    if (minutes.size() != 2) return std::nullopt;
  } else if (rest.size() == 4) {
    hours = rest.substr(0, 2);
    minutes = rest.substr(2);
  }
  if (hours.empty() || hours.size() > 2) return std::nullopt;
  const std::optional<std::int64_t> h = ParseInt64(hours);
  const std::optional<std::int64_t> m = minutes.empty() ? std::int64_t{0} : ParseInt64(minutes);
  // ParseInt64 would take a sign; these parts must be bare digits.
  if (!h || !m || hours.front() == '-' || (!minutes.empty() && minutes.front() == '-') || *m > 59) {
    return std::nullopt;
  }
  const auto total = static_cast<int>(*h * 60 + *m);
  if (total > kMaxUtcOffsetMinutes) return std::nullopt;
  return sign * total;
}

std::optional<char> ParseDelimiter(std::string_view text) {
  if (text == "," || text == "comma") return ',';
  if (text == ";" || text == "semicolon") return ';';
  if (text == "\t" || text == "tab") return '\t';
  return std::nullopt;
}

// The checks shared by ParseColumnMapping and GenericCsvFixSource::Open.
absl::Status ValidateMapping(const ColumnMapping& mapping) {
  std::vector<std::string> missing;
  for (const std::size_t required : {kTimestamp, kLat, kLon}) {
    const MappedValue& value = kMappedValues[required];
    if ((mapping.*value.column).empty()) missing.emplace_back(value.key);
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("column mapping lacks required key(s): ", absl::StrJoin(missing, ", ")));
  }
  if (!mapping.tag.empty() && !mapping.tag_id.empty()) {
    return MappingError("tag-id",
                        "a fixed tag and a tag column ('tag') exclude each other; give one");
  }
  if (!ParseDelimiter(std::string_view(&mapping.delimiter, 1))) {
    return MappingError("delimiter", "must be ',', ';' or a tab");
  }
  if (mapping.utc_offset_minutes < -kMaxUtcOffsetMinutes ||
      mapping.utc_offset_minutes > kMaxUtcOffsetMinutes) {
    return MappingError("utc-offset", absl::StrCat(mapping.utc_offset_minutes,
                                                   " minutes is more than 14 hours from UTC"));
  }
  if (absl::StatusOr<TimestampFormat> format = TimestampFormat::Compile(mapping.timestamp_format);
      !format.ok()) {
    return MappingError("time-format", std::string(format.status().message()));
  }
  return absl::OkStatus();
}

// "'A', 'B', ... (12 more)".
std::string ListColumns(const std::vector<std::string>& names) {
  std::vector<std::string> shown;
  for (std::size_t i = 0; i < names.size() && i < kMaxListedColumns; ++i) {
    shown.push_back(QuotedForMessage(names[i]));
  }
  std::string list = shown.empty() ? "no columns" : absl::StrJoin(shown, ", ");
  if (names.size() > kMaxListedColumns) {
    absl::StrAppend(&list, ", ... (", names.size() - kMaxListedColumns, " more)");
  }
  return list;
}

}  // namespace

absl::StatusOr<ColumnMapping> ParseColumnMapping(std::string_view spec) {
  absl::StatusOr<std::vector<std::string>> entries = SplitEntries(spec);
  if (!entries.ok()) return entries.status();
  ColumnMapping mapping;
  std::set<std::string, std::less<>> seen;
  for (const std::string& entry : *entries) {
    if (TrimSpaces(entry).empty()) continue;  // "a=b,,c=d" or a trailing comma
    const std::size_t equals = entry.find('=');
    if (equals == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "column mapping entry ", QuotedForMessage(entry), " is not of the form key=value"));
    }
    const std::string_view key = TrimSpaces(std::string_view(entry).substr(0, equals));
    const std::string_view value = TrimSpaces(std::string_view(entry).substr(equals + 1));
    if (key.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("column mapping entry ", QuotedForMessage(entry), " has no key"));
    }
    if (!seen.emplace(key).second) return MappingError(key, "given more than once");
    if (value.empty()) return MappingError(key, "has no value");

    const auto column = std::find_if(kMappedValues.begin(), kMappedValues.end(),
                                     [key](const MappedValue& v) { return v.key == key; });
    if (column != kMappedValues.end()) {
      mapping.*column->column = std::string(value);
    } else if (key == "tag-id") {
      mapping.tag_id = std::string(value);
    } else if (key == "time-format") {
      mapping.timestamp_format = std::string(value);
    } else if (key == "utc-offset") {
      const std::optional<int> offset = ParseUtcOffset(value);
      if (!offset) {
        return MappingError(key, absl::StrCat(QuotedForMessage(value),
                                              " is not an offset such as +09:00, -03:30, +0900, "
                                              "+9 or Z, within 14 hours of UTC"));
      }
      mapping.utc_offset_minutes = *offset;
    } else if (key == "speed-unit") {
      if (value == "m/s") {
        mapping.speed_unit = SpeedUnit::kMetresPerSecond;
      } else if (value == "km/h") {
        mapping.speed_unit = SpeedUnit::kKilometresPerHour;
      } else {
        return MappingError(key, absl::StrCat(QuotedForMessage(value), " is neither m/s nor km/h"));
      }
    } else if (key == "delimiter") {
      const std::optional<char> delimiter = ParseDelimiter(value);
      if (!delimiter) {
        return MappingError(
            key, absl::StrCat(QuotedForMessage(value), " is none of , ; \\t comma semicolon tab"));
      }
      mapping.delimiter = *delimiter;
    } else {
      std::vector<std::string> known;
      for (const MappedValue& v : kMappedValues) known.emplace_back(v.key);
      for (const std::string_view k : kSettingKeys) known.emplace_back(k);
      return absl::InvalidArgumentError(
          absl::StrCat("column mapping has unknown key '", std::string(key),
                       "'; known keys: ", absl::StrJoin(known, ", ")));
    }
  }
  if (absl::Status status = ValidateMapping(mapping); !status.ok()) return status;
  return mapping;
}

absl::StatusOr<GenericCsvFixSource> GenericCsvFixSource::Open(std::istream& in,
                                                              telemetry::TimestampMs now_ms,
                                                              GenericCsvOptions options) {
  const ColumnMapping& mapping = options.mapping;
  if (absl::Status status = ValidateMapping(mapping); !status.ok()) return status;
  if (mapping.tag.empty() && mapping.tag_id.empty()) {
    return absl::InvalidArgumentError(
        "column mapping names no tag: map a tag column (tag=...) or give the file's tag "
        "(tag-id=...)");
  }
  absl::StatusOr<TimestampFormat> format = TimestampFormat::Compile(mapping.timestamp_format);
  if (!format.ok()) return format.status();  // ValidateMapping already compiled it

  CsvOptions csv_options;
  csv_options.delimiter = mapping.delimiter;
  GenericCsvFixSource source(CsvReader(in, csv_options), now_ms, std::move(options),
                             std::move(*format));
  CsvRecord header;
  if (!source.csv_.Next(header)) {
    if (!source.csv_.status().ok()) return source.csv_.status();
    return absl::InvalidArgumentError("CSV has no header line");
  }
  if (!header.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("CSV header (line ", header.line, ") is malformed: ", header.error));
  }
  for (const std::string_view name : header.fields) source.header_.emplace_back(name);

  source.column_index_.assign(kMappedValueCount, -1);
  std::vector<std::string> absent;
  std::vector<std::string> repeated;
  for (std::size_t v = 0; v < kMappedValueCount; ++v) {
    const std::string& column = source.options_.mapping.*kMappedValues[v].column;
    if (column.empty()) continue;
    const std::string described =
        absl::StrCat(QuotedForMessage(column), " (", std::string(kMappedValues[v].key), ")");
    const auto first = std::find(source.header_.begin(), source.header_.end(), column);
    if (first == source.header_.end()) {
      absent.push_back(described);
      continue;
    }
    if (std::find(first + 1, source.header_.end(), column) != source.header_.end()) {
      repeated.push_back(described);
      continue;
    }
    source.column_index_[v] = static_cast<int>(first - source.header_.begin());
  }
  if (!absent.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("CSV header lacks mapped column(s) ", absl::StrJoin(absent, ", "),
                     "; the header has: ", ListColumns(source.header_)));
  }
  if (!repeated.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "CSV header repeats mapped column(s) ", absl::StrJoin(repeated, ", "),
        ", so their values are ambiguous; the header has: ", ListColumns(source.header_)));
  }
  return source;
}

bool GenericCsvFixSource::Next(FixRowBatch& out, std::size_t max_rows) {
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
    FixRow& row = out.rows.emplace_back();
    row.line = record_.line;
    std::optional<FieldProblem> problem = ParseRow(record_, row);
    if (!problem) {
      problem = telemetry::ValidateFix(row.fix, now_ms_, options_.limits);
      if (problem) problem->message += Provenance(problem->field);
    }
    if (problem) {
      out.rejections.push_back(
          {row.line, problem->reason, std::move(problem->field), std::move(problem->message)});
      out.rows.pop_back();
    }
  }
  return !out.empty();
}

std::string GenericCsvFixSource::Label(std::size_t value) const {
  const MappedValue& mapped = kMappedValues[value];
  return absl::StrCat(std::string(mapped.attribute), " (column ",
                      QuotedForMessage(options_.mapping.*mapped.column), ")");
}

std::string GenericCsvFixSource::Provenance(std::string_view field) const {
  for (std::size_t v = 0; v < kMappedValueCount; ++v) {
    if (kMappedValues[v].attribute != field || column_index_[v] < 0) continue;
    const bool converted =
        v == kGroundSpeed && options_.mapping.speed_unit == SpeedUnit::kKilometresPerHour;
    return absl::StrCat(" (column ", QuotedForMessage(options_.mapping.*kMappedValues[v].column),
                        converted ? ", converted from km/h" : "", ")");
  }
  return "";
}

std::optional<FieldProblem> GenericCsvFixSource::ParseRow(const CsvRecord& record,
                                                          FixRow& row) const {
  const auto cell = [&](std::size_t value) {
    const int index = column_index_[value];
    return index < 0 ? std::string_view() : record.fields[static_cast<std::size_t>(index)];
  };
  const auto attribute = [](std::size_t value) { return kMappedValues[value].attribute; };
  const ColumnMapping& mapping = options_.mapping;
  telemetry::Fix& fix = row.fix;
  fix.tag_id = column_index_[kTag] >= 0 ? std::string(cell(kTag)) : mapping.tag_id;

  const std::string_view time_text = cell(kTimestamp);
  if (time_text.empty()) {
    return Problem(RejectReason::kMissingField, attribute(kTimestamp),
                   absl::StrCat(Label(kTimestamp), " is empty"));
  }
  absl::StatusOr<telemetry::TimestampMs> time =
      format_.Parse(time_text, mapping.utc_offset_minutes);
  if (!time.ok()) {
    return Problem(RejectReason::kBadTimestamp, attribute(kTimestamp),
                   absl::StrCat(Label(kTimestamp), ": ", std::string(time.status().message())));
  }
  fix.timestamp_ms = *time;

  // An optional number: absent when the cell is empty or the column unmapped.
  const auto number = [&](std::size_t value,
                          std::optional<double>& out) -> std::optional<FieldProblem> {
    const std::string_view text = cell(value);
    if (text.empty()) return std::nullopt;
    const std::optional<double> v = ParseDouble(text);
    if (!v) {
      return Problem(RejectReason::kBadNumber, attribute(value),
                     absl::StrCat(Label(value), " ", QuotedForMessage(text), " is not a number"));
    }
    out = *v;
    return std::nullopt;
  };
  // A required coordinate: missing when empty (a fix without a position).
  const auto coordinate = [&](std::size_t value, double& out) -> std::optional<FieldProblem> {
    std::optional<double> v;
    if (auto p = number(value, v)) return p;
    if (!v) {
      return Problem(RejectReason::kMissingField, attribute(value),
                     absl::StrCat(Label(value), " is empty"));
    }
    out = *v;
    return std::nullopt;
  };
  if (auto p = coordinate(kLat, fix.lat)) return p;
  if (auto p = coordinate(kLon, fix.lon)) return p;
  if (auto p = number(kHeight, fix.height_m)) return p;
  if (auto p = number(kHdop, fix.hdop)) return p;

  if (const std::string_view text = cell(kSatellites); !text.empty()) {
    const std::optional<std::int64_t> v = ParseInt64(text);
    if (!v) {
      return Problem(
          RejectReason::kBadNumber, attribute(kSatellites),
          absl::StrCat(Label(kSatellites), " ", QuotedForMessage(text), " is not an integer"));
    }
    if (*v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max()) {
      return Problem(RejectReason::kSatelliteCountOutOfRange, attribute(kSatellites),
                     absl::StrCat(Label(kSatellites), " ", *v, " is out of range"));
    }
    fix.satellites = static_cast<int>(*v);
  }

  if (auto p = number(kGroundSpeed, fix.ground_speed_mps)) return p;
  if (fix.ground_speed_mps && mapping.speed_unit == SpeedUnit::kKilometresPerHour) {
    *fix.ground_speed_mps /= 3.6;
  }
  if (auto p = number(kHeading, fix.heading_deg)) return p;

  if (const std::string_view text = cell(kEventId); !text.empty()) {
    const std::optional<std::int64_t> v = ParseInt64(text);
    if (!v) {
      return Problem(
          RejectReason::kBadEventId, attribute(kEventId),
          absl::StrCat(Label(kEventId), " ", QuotedForMessage(text), " is not a 64-bit integer"));
    }
    fix.event_id = *v;
  }

  row.individual_local_identifier = cell(kIndividual);
  row.taxon = cell(kTaxon);
  return std::nullopt;
}

}  // namespace wetlink::ingest
