#ifndef WETLINK_INGEST_GENERIC_CSV_H_
#define WETLINK_INGEST_GENERIC_CSV_H_

// Reads the CSV files loggers and their desktop tools write in their own
// layout (column names, time format and zone, speed unit, delimiter), as
// described by a ColumnMapping, into validated telemetry::Fix values, in
// batches through bounded memory like the Movebank reader.
//
// Columns are found by the names the mapping gives; other columns are
// ignored. An empty cell is an absent value. Every row either becomes a
// FixRow or a RowRejection whose field is the Movebank attribute name
// ("location-lat"), with the file's own column name in the message
// ("location-lat (column 'Latitude') '12abc' is not a number"). Per row, the
// first problem wins, in this order: the row's shape (kMalformedRow); then
// the cells timestamp, location-lat, location-long, height-above-ellipsoid,
// gps:hdop, gps:satellite-count, ground-speed, heading, event-id, for missing
// (kMissingField, only the first three are required) or unreadable values
// (kBadTimestamp, kBadNumber, kSatelliteCountOutOfRange, kBadEventId); then
// telemetry::ValidateFix, on the values converted to UTC and m/s.
//
// FixRow::sensor_type and study_name stay empty: such files name neither.

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ingest/cell_parsers.h"
#include "ingest/csv_reader.h"
#include "ingest/fix_source.h"
#include "telemetry/fix.h"
#include "telemetry/fix_validation.h"

namespace wetlink::ingest {

enum class SpeedUnit { kMetresPerSecond, kKilometresPerHour };

// Where a file keeps each value and how it writes it. Column fields hold a
// header name; "" means the file has no such column.
struct ColumnMapping {
  std::string timestamp;     // required
  std::string lat;           // required; WGS84 degrees
  std::string lon;           // required; WGS84 degrees
  std::string tag;           // tag-local-identifier of each row
  std::string tag_id;        // the tag of every row, for files without `tag`; not both
  std::string individual;    // individual-local-identifier
  std::string taxon;         // individual-taxon-canonical-name
  std::string height;        // metres above the WGS84 ellipsoid (not above sea level)
  std::string hdop;          // gps:hdop
  std::string satellites;    // gps:satellite-count
  std::string ground_speed;  // in `speed_unit`
  std::string heading;       // degrees clockwise from north
  std::string event_id;      // 64-bit integer
  // Default m/s; km/h values are divided by 3.6.
  SpeedUnit speed_unit = SpeedUnit::kMetresPerSecond;
  // "movebank" (default), "unix_s", "unix_ms" or a pattern such as
  // "%d.%m.%Y %H:%M:%S"; see TimestampFormat in cell_parsers.h.
  std::string timestamp_format = "movebank";
  // The zone of the file's civil times, in minutes east of UTC: +540 for a
  // logger set to KST/JST, so "2024-03-10 15:00" is 06:00 UTC. Default 0
  // (UTC); at most 14 hours either way. Unix times and "movebank" times
  // ending in 'Z' are UTC whatever this says.
  int utc_offset_minutes = 0;
  // ',' (default), ';' or '\t'.
  char delimiter = ',';
};

// Parses a mapping written as comma-separated key=value entries, e.g.
//   timestamp=UTC_DATETIME,lat=Latitude,lon=Longitude,tag=TagID,
//   time-format=%d.%m.%Y %H:%M:%S,utc-offset=+09:00,speed-unit=km/h,delimiter=;
// Keys naming columns: timestamp, lat, lon (these three required), tag,
// individual, taxon, height, hdop, satellites, ground-speed, heading,
// event-id. Other keys: tag-id (fixed tag; exclusive with tag), time-format
// (as ColumnMapping::timestamp_format), utc-offset (Z, +HH:MM, -HH:MM, +HHMM
// or +HH), speed-unit (m/s or km/h), delimiter (, ; or a tab, or the words
// comma, semicolon, tab). Spaces around keys and values are ignored; in a
// value, "\," is a comma, "\t" a tab and "\\" a backslash. Each key at most
// once. InvalidArgument naming the key for an unknown, repeated, empty or
// missing required key, a bad offset, unit, delimiter or time format.
absl::StatusOr<ColumnMapping> ParseColumnMapping(std::string_view spec);

struct GenericCsvOptions {
  ColumnMapping mapping;
  telemetry::ValidationLimits limits;
};

class GenericCsvFixSource final : public FixSource {
 public:
  // Checks the mapping (as ParseColumnMapping does, and that some tag is
  // given) and reads the header. InvalidArgument when the mapping is unusable,
  // when a mapped column is absent from the header or appears in it twice
  // (naming the column and listing the header), or when the input has no
  // header. `now_ms` is the current time for the "timestamp in the future"
  // check; `in` must outlive the source.
  static absl::StatusOr<GenericCsvFixSource> Open(std::istream& in, telemetry::TimestampMs now_ms,
                                                  GenericCsvOptions options);

  GenericCsvFixSource(GenericCsvFixSource&&) = default;
  GenericCsvFixSource& operator=(GenericCsvFixSource&&) = default;

  bool Next(FixRowBatch& out, std::size_t max_rows) override;

  // DataLoss if the stream failed mid-read; OK otherwise.
  absl::Status status() const override { return csv_.status(); }

  // The header's column names, as read.
  const std::vector<std::string>& header() const { return header_; }

 private:
  GenericCsvFixSource(CsvReader csv, telemetry::TimestampMs now_ms, GenericCsvOptions options,
                      TimestampFormat format)
      : csv_(std::move(csv)),
        now_ms_(now_ms),
        options_(std::move(options)),
        format_(std::move(format)) {}

  // Turns one good CSV record into `row`, or explains why it cannot be one.
  std::optional<telemetry::FieldProblem> ParseRow(const CsvRecord& record, FixRow& row) const;

  // "location-lat (column 'Latitude')": how messages name mapped value
  // `value` (an index into the table of mapped values in generic_csv.cc).
  std::string Label(std::size_t value) const;

  // Where a problem ValidateFix found with `field` came from, appended to its
  // message: " (column 'Speed', converted from km/h)", or "".
  std::string Provenance(std::string_view field) const;

  CsvReader csv_;
  telemetry::TimestampMs now_ms_;
  GenericCsvOptions options_;
  TimestampFormat format_;
  std::vector<std::string> header_;
  // Header index of each mapped value (same order as the table in
  // generic_csv.cc), or -1 when the mapping leaves it out.
  std::vector<int> column_index_;
  CsvRecord record_;  // reused between rows
};

}  // namespace wetlink::ingest

#endif  // WETLINK_INGEST_GENERIC_CSV_H_
