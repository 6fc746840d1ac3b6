#ifndef WETLINK_INGEST_FIX_FILE_H_
#define WETLINK_INGEST_FIX_FILE_H_

// Opens a telemetry file of any format Wetlink reads as a FixSource, so that
// callers (the CLI, the ingest daemon) handle one interface and one set of
// options whatever the file.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "ingest/fix_source.h"
#include "ingest/generic_csv.h"
#include "ingest/gpx_reader.h"
#include "telemetry/fix.h"
#include "telemetry/fix_validation.h"

namespace wetlink::ingest {

enum class FixFileFormat {
  // From the file name: .gpx is GPX; .csv, .txt and .tsv are a generic CSV
  // when a column mapping is given, a Movebank CSV otherwise (.tsv then
  // tab-separated). Case does not matter.
  kAuto,
  kMovebankCsv,
  kGenericCsv,
  kGpx,
};

// "auto", "movebank", "csv" or "gpx"; InvalidArgument listing them otherwise.
absl::StatusOr<FixFileFormat> ParseFixFileFormat(std::string_view name);

// The name ParseFixFileFormat reads for `format`.
std::string_view FixFileFormatName(FixFileFormat format);

struct FixFileOptions {
  FixFileFormat format = FixFileFormat::kAuto;
  // The caller's clock, UTC ms, for the "timestamp in the future" check.
  // There is no default clock: leaving 0 refuses every fix after 1970-01-02.
  telemetry::TimestampMs now_ms = 0;
  // The plausibility limits, for every format (gpx.limits is ignored).
  telemetry::ValidationLimits limits;
  // The tag of every fix of a file that names none: a Movebank CSV without a
  // tag-local-identifier column, a mapping with neither tag nor tag-id, a
  // GPX read without gpx.tag_id or tags from track names.
  std::string default_tag_id;
  // How a generic CSV is laid out. Required by kGenericCsv, chooses it
  // under kAuto, and refused with kMovebankCsv or kGpx.
  std::optional<ColumnMapping> mapping;
  GpxOptions gpx;
};

// Opens the file at `path` in the format `options` names or implies. The
// source owns the open file. NotFound when nothing is at `path`,
// PermissionDenied when it cannot be read, InvalidArgument when it is a
// directory, when kAuto does not know its extension (listing the supported
// ones), when the options do not fit the format, or when the format's own
// Open refuses the file; every message names the path.
absl::StatusOr<std::unique_ptr<FixSource>> OpenFixFile(const std::string& path,
                                                       const FixFileOptions& options);

}  // namespace wetlink::ingest

#endif  // WETLINK_INGEST_FIX_FILE_H_
