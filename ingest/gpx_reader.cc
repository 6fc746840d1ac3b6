#include "ingest/gpx_reader.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "cpl_error.h"
#include "cpl_port.h"
#include "cpl_vsi.h"
#include "gdal.h"
#include "gdal_priv.h"
#include "ingest/cell_parsers.h"
#include "ogr_core.h"
#include "ogr_feature.h"
#include "ogr_geometry.h"
#include "ogrsf_frmts.h"
#include "telemetry/timestamp.h"

namespace wetlink::ingest {
namespace {

using telemetry::FieldProblem;
using telemetry::RejectReason;
using telemetry::TimestampMs;

constexpr std::size_t kMaxWarnings = 100;

void RegisterGdalDrivers() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

// While alive, collects GDAL's messages on this thread instead of letting
// them reach stderr, so they end up in statuses and warnings().
class GdalMessages {
 public:
  GdalMessages() { CPLPushErrorHandlerEx(&GdalMessages::Receive, this); }
  ~GdalMessages() { CPLPopErrorHandler(); }
  GdalMessages(const GdalMessages&) = delete;
  GdalMessages& operator=(const GdalMessages&) = delete;

  std::vector<std::string>& failures() { return failures_; }
  std::vector<std::string>& warnings() { return warnings_; }

 private:
  static void CPL_STDCALL Receive(CPLErr level, CPLErrorNum /*number*/, const char* message) {
    auto* self = static_cast<GdalMessages*>(CPLGetErrorHandlerUserData());
    if (self == nullptr || message == nullptr || level == CE_None || level == CE_Debug) return;
    // No exception may unwind through GDAL's C frames; a message lost to
    // memory exhaustion is the lesser harm.
    try {
      (level == CE_Warning ? self->warnings_ : self->failures_).emplace_back(message);
    } catch (...) {
    }
  }

  std::vector<std::string> failures_;
  std::vector<std::string> warnings_;
};

struct DatasetCloser {
  void operator()(GDALDataset* dataset) const { GDALClose(GDALDataset::ToHandle(dataset)); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct FeatureDeleter {
  void operator()(OGRFeature* feature) const { OGRFeature::DestroyFeature(feature); }
};
using FeaturePtr = std::unique_ptr<OGRFeature, FeatureDeleter>;

// /vsimem/ is shared by the whole process: every upload needs its own name.
std::string NewVsiMemPath() {
  static std::atomic<std::uint64_t> counter{0};
  return absl::StrCat("/vsimem/wetlink-gpx-", counter.fetch_add(1), ".gpx");
}

// The point kinds, in the order the GPX schema puts them in a file.
enum class PointKind { kWaypoint, kRoutePoint, kTrackPoint };

struct PointKindNames {
  const char* layer;         // GDAL's layer of the points
  const char* parent_layer;  // GDAL's layer of their <trk>/<rte>, or nullptr
  const char* parent_fid;    // the points' field naming that parent
  const char* noun;          // for messages
};

PointKindNames NamesOf(PointKind kind) {
  switch (kind) {
    case PointKind::kWaypoint:
      return {"waypoints", nullptr, nullptr, "waypoint"};
    case PointKind::kRoutePoint:
      return {"route_points", "routes", "route_fid", "route point"};
    case PointKind::kTrackPoint:
      break;
  }
  return {"track_points", "tracks", "track_fid", "track point"};
}

// One kind of point being read, with the indices of the fields Wetlink uses
// (-1 when the layer lacks the field, e.g. speed outside GPX 1.0).
struct PointLayer {
  PointKind kind = PointKind::kTrackPoint;
  OGRLayer* points = nullptr;
  OGRLayer* parents = nullptr;  // set only when tags come from track names
  int time = -1;
  int hdop = -1;
  int satellites = -1;
  int speed = -1;
  int course = -1;
  int parent_fid = -1;  // 0-based <trk>/<rte> number
  int segment = -1;     // 0-based <trkseg> number within the track
  int index = -1;       // 0-based point number within the segment or route
};

FieldProblem Problem(RejectReason reason, std::string_view field, std::string message) {
  return FieldProblem{reason, std::string(field), std::move(message)};
}

// The UTC time of a point's <time>, from GDAL's broken-down date-time.
std::optional<TimestampMs> UtcTime(const OGRFeature& point, int field) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, zone = 0;
  float second = 0;
  if (!point.GetFieldAsDateTime(field, &year, &month, &day, &hour, &minute, &second, &zone)) {
    return std::nullopt;
  }
  // GDAL checks the digits, not the calendar (it returns 2024-02-30, 24:00).
  if (!IsCalendarDate(year, month, day) || hour > 23 || minute > 59 ||
      !(second >= 0 && second < 60)) {
    return std::nullopt;
  }
  const TimestampMs civil =
      telemetry::TimestampFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day),
                                    hour, minute) +
      std::llround(static_cast<double>(second) * 1000);
  // GDAL's zone flag: 0 (none given) and 1 (local time) are taken as UTC;
  // otherwise 100 is UTC and each step away from it a quarter hour east (+)
  // or west (-).
  const int quarter_hours = zone > 1 ? zone - 100 : 0;
  return civil - TimestampMs{quarter_hours} * 15 * 60'000;
}

}  // namespace

class GpxFixSource::Reader {
 public:
  Reader(std::string display, TimestampMs now_ms, GpxOptions options)
      : display_(std::move(display)), now_ms_(now_ms), options_(std::move(options)) {}

  ~Reader() {
    held_.reset();
    dataset_.reset();  // closes GDAL's handles on the file before it goes
    if (!vsimem_path_.empty()) VSIUnlink(vsimem_path_.c_str());
  }

  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Makes `content` readable by GDAL at a /vsimem/ path, in place.
  absl::Status StageInMemory(std::string content) {
    content_ = std::move(content);
    vsimem_path_ = NewVsiMemPath();
    VSILFILE* file =
        VSIFileFromMemBuffer(vsimem_path_.c_str(), reinterpret_cast<GByte*>(content_.data()),
                             static_cast<vsi_l_offset>(content_.size()), /*bTakeOwnership=*/FALSE);
    if (file == nullptr) {
      vsimem_path_.clear();
      return absl::InternalError(absl::StrCat("cannot stage GPX file '", display_, "' in memory"));
    }
    VSIFCloseL(file);
    return absl::OkStatus();
  }

  // Opens the staged content, or else the file named `display`.
  absl::Status Open();
  bool Next(FixRowBatch& out, std::size_t max_rows);

  const absl::Status& status() const { return status_; }
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::size_t Ordinal(GIntBig fid) const {
    return ordinal_base_ + static_cast<std::size_t>(fid) + 1;
  }
  // GDAL's messages quote the /vsimem/ path; users must see their own name.
  std::string Scrub(const std::string& message) const {
    return vsimem_path_.empty() ? message
                                : absl::StrReplaceAll(message, {{vsimem_path_, display_}});
  }
  // Moves what GDAL said into status_ (failures) and warnings_.
  void Absorb(GdalMessages& messages);
  void AppendPoint(const PointLayer& layer, const OGRFeature& point, GdalMessages& messages,
                   FixRowBatch& out);
  std::optional<FieldProblem> ParsePoint(const PointLayer& layer, const OGRFeature& point,
                                         GdalMessages& messages, telemetry::Fix& fix);
  // The <name> of the point's track or route; advances a cursor over the
  // parents, which come in the same order as their points.
  std::string ParentName(const PointLayer& layer, const OGRFeature& point, GdalMessages& messages);
  // "track 2 'HC-02', segment 1, point 3": where a point is, for messages.
  std::string Where(const PointLayer& layer, const OGRFeature& point, const std::string& tag) const;

  std::string display_;
  TimestampMs now_ms_;
  GpxOptions options_;
  std::string content_;      // the bytes behind vsimem_path_
  std::string vsimem_path_;  // "" for a file on disk
  DatasetPtr dataset_;
  std::vector<PointLayer> layers_;
  std::size_t layer_ = 0;         // the one being read
  std::size_t ordinal_base_ = 0;  // points in the layers before it
  GIntBig next_fid_ = 0;          // GDAL numbers every point, even those it drops
  FeaturePtr held_;               // read, waiting behind reports of dropped points
  GIntBig parent_fid_ = -1;       // parent cursor position
  std::string parent_name_;
  absl::Status status_;
  std::vector<std::string> warnings_;
  std::size_t warnings_dropped_ = 0;
};

absl::Status GpxFixSource::Reader::Open() {
  if (!options_.read_track_points && !options_.read_route_points && !options_.read_waypoints) {
    return absl::InvalidArgumentError(
        absl::StrCat("GPX file '", display_, "': the options read no kind of point"));
  }
  if (options_.tag_from_track_name && !options_.tag_id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("GPX file '", display_,
                                                   "': a tag id and tags from track names exclude "
                                                   "each other; give one"));
  }
  if (!options_.tag_from_track_name && options_.tag_id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("GPX file '", display_,
                                                   "': no tag: give the tag id of its points, or "
                                                   "take tags from track names"));
  }
  if (options_.tag_from_track_name && options_.read_waypoints) {
    return absl::InvalidArgumentError(
        absl::StrCat("GPX file '", display_,
                     "': waypoints belong to no track, so their tag cannot come "
                     "from a track name; give a tag id"));
  }

  RegisterGdalDrivers();
  GdalMessages messages;
  const char* const drivers[] = {"GPX", nullptr};
  // Pinned so a process-wide GDAL configuration cannot rename the fields.
  const char* const open_options[] = {"SHORT_NAMES=NO", "ELE_AS_25D=NO", nullptr};
  const std::string& gdal_path = vsimem_path_.empty() ? display_ : vsimem_path_;
  dataset_.reset(GDALDataset::FromHandle(
      GDALOpenEx(gdal_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR,
                 drivers, open_options, nullptr)));
  if (dataset_ == nullptr) {
    const std::string why = messages.failures().empty()
                                ? "GDAL's GPX driver does not recognise it"
                                : Scrub(absl::StrJoin(messages.failures(), "; "));
    return absl::InvalidArgumentError(
        absl::StrCat("cannot open '", display_, "' as a GPX file: ", why));
  }

  const std::pair<bool, PointKind> wanted[] = {
      {options_.read_waypoints, PointKind::kWaypoint},
      {options_.read_route_points, PointKind::kRoutePoint},
      {options_.read_track_points, PointKind::kTrackPoint},
  };
  for (const auto& [read, kind] : wanted) {
    if (!read) continue;
    const PointKindNames names = NamesOf(kind);
    PointLayer layer;
    layer.kind = kind;
    layer.points = dataset_->GetLayerByName(names.layer);
    if (layer.points == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("GPX file '", display_, "' has no ", names.layer, " layer"));
    }
    if (options_.tag_from_track_name && names.parent_layer != nullptr) {
      layer.parents = dataset_->GetLayerByName(names.parent_layer);
      if (layer.parents == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat(
            "GPX file '", display_, "' has no ", names.parent_layer, " layer to name its tags"));
      }
    }
    const OGRFeatureDefn& defn = *layer.points->GetLayerDefn();
    layer.time = defn.GetFieldIndex("time");
    layer.hdop = defn.GetFieldIndex("hdop");
    layer.satellites = defn.GetFieldIndex("sat");
    layer.speed = defn.GetFieldIndex("speed");
    layer.course = defn.GetFieldIndex("course");
    if (names.parent_fid != nullptr) layer.parent_fid = defn.GetFieldIndex(names.parent_fid);
    layer.segment = defn.GetFieldIndex("track_seg_id");
    layer.index = defn.GetFieldIndex(kind == PointKind::kTrackPoint ? "track_seg_point_id"
                                                                    : "route_point_id");
    layers_.push_back(layer);
  }
  Absorb(messages);
  return absl::OkStatus();
}

void GpxFixSource::Reader::Absorb(GdalMessages& messages) {
  if (!messages.failures().empty() && status_.ok()) {
    status_ = absl::DataLossError(absl::StrCat("reading GPX file '", display_, "' failed: ",
                                               Scrub(absl::StrJoin(messages.failures(), "; "))));
  }
  for (const std::string& warning : messages.warnings()) {
    if (warnings_.size() < kMaxWarnings) {
      warnings_.push_back(Scrub(warning));
      continue;
    }
    ++warnings_dropped_;
    if (warnings_.size() == kMaxWarnings) warnings_.emplace_back();
    warnings_.back() = absl::StrCat(warnings_dropped_, " more GDAL warning(s) not kept");
  }
  messages.failures().clear();
  messages.warnings().clear();
}

bool GpxFixSource::Reader::Next(FixRowBatch& out, std::size_t max_rows) {
  out.rows.clear();
  out.rejections.clear();
  max_rows = std::max<std::size_t>(max_rows, 1);
  GdalMessages messages;
  while (out.size() < max_rows && layer_ < layers_.size()) {
    const PointLayer& layer = layers_[layer_];
    if (held_ == nullptr) {
      if (!status_.ok()) break;  // after an XML error GDAL has nothing more to give
      held_.reset(layer.points->GetNextFeature());
      Absorb(messages);
      if (held_ == nullptr) {
        if (!status_.ok()) break;
        ordinal_base_ += static_cast<std::size_t>(next_fid_);
        next_fid_ = 0;
        parent_fid_ = -1;
        parent_name_.clear();
        ++layer_;
        continue;
      }
    }
    // GDAL numbers every point but returns only those with lat and lon: a
    // gap in the numbers is points it dropped.
    const GIntBig fid = std::max(held_->GetFID(), next_fid_);
    if (fid > next_fid_) {
      out.rejections.push_back({Ordinal(next_fid_), RejectReason::kMalformedRow, "",
                                absl::StrCat(NamesOf(layer.kind).noun, " ", next_fid_ + 1,
                                             " has no lat or lon attribute (GPX requires both)")});
      ++next_fid_;
      continue;
    }
    next_fid_ = fid + 1;
    AppendPoint(layer, *held_, messages, out);
    held_.reset();
  }
  return !out.empty();
}

void GpxFixSource::Reader::AppendPoint(const PointLayer& layer, const OGRFeature& point,
                                       GdalMessages& messages, FixRowBatch& out) {
  FixRow& row = out.rows.emplace_back();
  row.line = Ordinal(next_fid_ - 1);
  row.individual_local_identifier = options_.individual_id;
  row.sensor_type = "gps";
  std::optional<FieldProblem> problem = ParsePoint(layer, point, messages, row.fix);
  if (!problem) problem = telemetry::ValidateFix(row.fix, now_ms_, options_.limits);
  if (problem) {
    out.rejections.push_back(
        {row.line, problem->reason, std::move(problem->field),
         absl::StrCat(problem->message, " (", Where(layer, point, row.fix.tag_id), ")")});
    out.rows.pop_back();
  }
}

std::optional<FieldProblem> GpxFixSource::Reader::ParsePoint(const PointLayer& layer,
                                                             const OGRFeature& point,
                                                             GdalMessages& messages,
                                                             telemetry::Fix& fix) {
  fix.tag_id = options_.tag_from_track_name ? ParentName(layer, point, messages) : options_.tag_id;
  const OGRGeometry* geometry = point.GetGeometryRef();
  if (geometry == nullptr || wkbFlatten(geometry->getGeometryType()) != wkbPoint) {
    return Problem(RejectReason::kMalformedRow, "", "point has no position");
  }
  fix.lon = geometry->toPoint()->getX();
  fix.lat = geometry->toPoint()->getY();

  if (layer.time < 0 || !point.IsFieldSetAndNotNull(layer.time)) {
    return Problem(RejectReason::kMissingField, "timestamp",
                   "timestamp is missing: the point has no <time> GDAL could read");
  }
  const std::optional<TimestampMs> time = UtcTime(point, layer.time);
  if (!time) {
    return Problem(RejectReason::kBadTimestamp, "timestamp",
                   absl::StrCat("timestamp ", QuotedForMessage(point.GetFieldAsString(layer.time)),
                                " (as GDAL read the <time>) names no real instant"));
  }
  fix.timestamp_ms = *time;

  const auto is_set = [&point](int field) {
    return field >= 0 && point.IsFieldSetAndNotNull(field);
  };
  if (is_set(layer.hdop)) fix.hdop = point.GetFieldAsDouble(layer.hdop);
  if (is_set(layer.satellites)) fix.satellites = point.GetFieldAsInteger(layer.satellites);
  if (is_set(layer.speed)) fix.ground_speed_mps = point.GetFieldAsDouble(layer.speed);
  if (is_set(layer.course)) fix.heading_deg = point.GetFieldAsDouble(layer.course);
  return std::nullopt;
}

std::string GpxFixSource::Reader::ParentName(const PointLayer& layer, const OGRFeature& point,
                                             GdalMessages& messages) {
  if (layer.parents == nullptr || layer.parent_fid < 0) return "";
  const GIntBig wanted = point.GetFieldAsInteger64(layer.parent_fid);
  while (parent_fid_ < wanted) {
    FeaturePtr parent(layer.parents->GetNextFeature());
    Absorb(messages);
    if (parent == nullptr) return "";
    parent_fid_ = parent->GetFID();
    const int name = parent->GetFieldIndex("name");
    parent_name_ =
        name >= 0 && parent->IsFieldSetAndNotNull(name) ? parent->GetFieldAsString(name) : "";
  }
  return parent_fid_ == wanted ? parent_name_ : "";
}

std::string GpxFixSource::Reader::Where(const PointLayer& layer, const OGRFeature& point,
                                        const std::string& tag) const {
  const auto number = [&point](int field) -> GIntBig {
    return field >= 0 && point.IsFieldSetAndNotNull(field) ? point.GetFieldAsInteger64(field) + 1
                                                           : 0;
  };
  std::string name;
  // Quoted and cut like any value: a track name is the file's text, of any
  // length, and would otherwise repeat whole in every point's rejection.
  if (options_.tag_from_track_name) {
    name = tag.empty() ? " (unnamed)" : absl::StrCat(" ", QuotedForMessage(tag));
  }
  switch (layer.kind) {
    case PointKind::kWaypoint:
      return absl::StrCat("waypoint ", point.GetFID() + 1);
    case PointKind::kRoutePoint:
      return absl::StrCat("route ", number(layer.parent_fid), name, ", point ",
                          number(layer.index));
    case PointKind::kTrackPoint:
      break;
  }
  return absl::StrCat("track ", number(layer.parent_fid), name, ", segment ", number(layer.segment),
                      ", point ", number(layer.index));
}

GpxFixSource::GpxFixSource(std::unique_ptr<Reader> reader) : reader_(std::move(reader)) {}
GpxFixSource::GpxFixSource(GpxFixSource&&) noexcept = default;
GpxFixSource& GpxFixSource::operator=(GpxFixSource&&) noexcept = default;
GpxFixSource::~GpxFixSource() = default;

absl::StatusOr<GpxFixSource> GpxFixSource::Open(const std::string& path,
                                                telemetry::TimestampMs now_ms, GpxOptions options) {
  auto reader = std::make_unique<Reader>(path, now_ms, std::move(options));
  if (absl::Status status = reader->Open(); !status.ok()) return status;
  return GpxFixSource(std::move(reader));
}

absl::StatusOr<GpxFixSource> GpxFixSource::OpenBytes(std::string name, std::string content,
                                                     telemetry::TimestampMs now_ms,
                                                     GpxOptions options) {
  auto reader = std::make_unique<Reader>(std::move(name), now_ms, std::move(options));
  if (absl::Status status = reader->StageInMemory(std::move(content)); !status.ok()) {
    return status;
  }
  if (absl::Status status = reader->Open(); !status.ok()) return status;
  return GpxFixSource(std::move(reader));
}

bool GpxFixSource::Next(FixRowBatch& out, std::size_t max_rows) {
  return reader_->Next(out, max_rows);
}

absl::Status GpxFixSource::status() const { return reader_->status(); }

const std::vector<std::string>& GpxFixSource::warnings() const { return reader_->warnings(); }

}  // namespace wetlink::ingest
