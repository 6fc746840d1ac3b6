#ifndef WETLINK_INGEST_GPX_READER_H_
#define WETLINK_INGEST_GPX_READER_H_

// Reads GPX files (GPS Exchange Format 1.0 and 1.1, as handheld receivers
// and tracking apps write them) into validated telemetry::Fix values, in
// batches, through GDAL's GPX driver. The driver parses with expat as it
// goes, so memory stays bounded whatever the file size (but see
// tag_from_track_name).
//
// What a point gives:
//   lat/lon attributes -> location-lat / location-long
//   <time>             -> timestamp, converted to UTC from the zone it
//                         states; a time with no zone is taken as UTC
//                         (GPX requires UTC, and receivers write it)
//   <hdop>             -> gps:hdop
//   <sat>              -> gps:satellite-count
//   <speed> (GPX 1.0, m/s) -> ground-speed
//   <course> (GPX 1.0, degrees) -> heading
// <ele> is NOT stored: GPX elevation is height above mean sea level (the
// geoid), Wetlink's height is above the WGS84 ellipsoid, and the two differ
// by up to ~100 m; converting needs a geoid model Wetlink does not ship.
// Every point gets FixRow::sensor_type "gps"; study_name stays empty.
//
// FixRow::line (and RowRejection::line) is the 1-based ordinal of the point
// among the points read, in file order: with the default options, the n-th
// <trkpt> of the file has line n. Messages add the track, segment and point.
//
// Every point either becomes a FixRow or a RowRejection. Per point, the first
// problem wins, in this order: a point without lat or lon (kMalformedRow;
// GPX requires both); no time (kMissingField "timestamp"); a time that names
// no real instant, e.g. 2024-02-30 or 24:00:00 (kBadTimestamp); then
// telemetry::ValidateFix (an unnamed track under tag_from_track_name gives
// kEmptyTagId there).
//
// Limits of GDAL's driver, which reads values leniently and does not say
// which point a complaint is about:
//  - a coordinate or number that is not one is read as its numeric prefix
//    or 0 ("12abc" -> 12), with a GDAL warning (see warnings());
//  - a <time> GDAL cannot parse is dropped with a warning, so the point
//    reads as having no time (kMissingField);
//  - a point without lat or lon that is among the last points of its kind
//    in the file is skipped without a trace (earlier ones are reported, from
//    the gap they leave in GDAL's numbering).
//
// Not thread-safe: use one source from one thread at a time. Independent
// sources may be used concurrently.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ingest/fix_source.h"
#include "telemetry/fix.h"
#include "telemetry/fix_validation.h"

namespace wetlink::ingest {

struct GpxOptions {
  // The tag (tag-local-identifier) of every point. Required unless
  // tag_from_track_name is set; the two exclude each other.
  std::string tag_id;
  // Take each point's tag from the <name> of its <trk> (of its <rte> for
  // route points); a point of an unnamed track is refused with kEmptyTagId.
  // Waypoints belong to no track, so they cannot be read this way. Costs
  // memory: GDAL builds each whole track's line while reading its name, so
  // memory grows with the longest track (about 16 bytes a point).
  bool tag_from_track_name = false;
  // individual-local-identifier of every point; may be empty.
  std::string individual_id;
  // Which points to read: <trkpt> (default), <rtept>, <wpt>. At least one.
  bool read_track_points = true;
  bool read_route_points = false;
  bool read_waypoints = false;
  telemetry::ValidationLimits limits;
};

class GpxFixSource final : public FixSource {
 public:
  // Opens the GPX file at `path`. InvalidArgument naming the file when the
  // options are contradictory or give no tag, or when the file cannot be
  // read, is not GPX, or lacks a point layer asked for. `now_ms` is the
  // current time for the "timestamp in the future" check.
  static absl::StatusOr<GpxFixSource> Open(const std::string& path, telemetry::TimestampMs now_ms,
                                           GpxOptions options = {});

  // The same for a file held in memory (an upload), read through GDAL's
  // /vsimem/; `name` is how messages call it. The source keeps `content`.
  static absl::StatusOr<GpxFixSource> OpenBytes(std::string name, std::string content,
                                                telemetry::TimestampMs now_ms,
                                                GpxOptions options = {});

  GpxFixSource(GpxFixSource&&) noexcept;
  GpxFixSource& operator=(GpxFixSource&&) noexcept;
  ~GpxFixSource() override;

  bool Next(FixRowBatch& out, std::size_t max_rows) override;

  // DataLoss naming the file when GDAL failed mid-read (broken or truncated
  // XML); the points before the break have been delivered. OK otherwise.
  absl::Status status() const override;

  // GDAL's warnings so far (values it read leniently, see above), for logs;
  // at most 100, then one line saying how many more there were.
  const std::vector<std::string>& warnings() const;

 private:
  class Reader;

  explicit GpxFixSource(std::unique_ptr<Reader> reader);

  std::unique_ptr<Reader> reader_;
};

}  // namespace wetlink::ingest

#endif  // WETLINK_INGEST_GPX_READER_H_
