#include "geo/gdal_io.h"

#include <algorithm>
#include <atomic>
#include <boost/geometry/algorithms/correct.hpp>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "cpl_conv.h"
#include "cpl_error.h"
#include "cpl_string.h"
#include "cpl_vsi.h"
#include "gdal.h"
#include "gdal_priv.h"
#include "ogr_core.h"
#include "ogr_feature.h"
#include "ogr_geometry.h"
#include "ogr_spatialref.h"
#include "ogrsf_frmts.h"

namespace wetlink::geo {
namespace {

void EnsureGdalRegistered() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

// Names for /vsimem/ directories; /vsimem/ is shared by the whole process, so
// concurrent calls must never pick the same one.
std::string NewVsiMemDir() {
  static std::atomic<std::uint64_t> counter{0};
  return absl::StrCat("/vsimem/wetlink-", counter.fetch_add(1), "/");
}

// Removes a /vsimem/ directory and whatever GDAL left in it (journals,
// sidecars), on every path out of the caller.
class VsiMemDirGuard {
 public:
  explicit VsiMemDirGuard(std::string dir) : dir_(std::move(dir)) { VSIMkdir(dir_.c_str(), 0755); }
  ~VsiMemDirGuard() {
    VSIRmdirRecursive(dir_.c_str());
    // Files created without a directory entry are not found by the
    // recursive walk; unlink any that remain by name.
    char** entries = VSIReadDir(dir_.c_str());
    for (char** entry = entries; entry != nullptr && *entry != nullptr; ++entry) {
      VSIUnlink((dir_ + *entry).c_str());
    }
    CSLDestroy(entries);
    VSIRmdir(dir_.c_str());
  }
  VsiMemDirGuard(const VsiMemDirGuard&) = delete;
  VsiMemDirGuard& operator=(const VsiMemDirGuard&) = delete;

  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

// Captures GDAL's messages on this thread for the lifetime of the object, so
// that they end up in statuses rather than on stderr.
class ErrorCollector {
 public:
  ErrorCollector() {
    CPLPushErrorHandlerEx(&ErrorCollector::Handle, this);
    CPLErrorReset();
  }
  ~ErrorCollector() { CPLPopErrorHandler(); }
  ErrorCollector(const ErrorCollector&) = delete;
  ErrorCollector& operator=(const ErrorCollector&) = delete;

  void Clear() {
    failures_.clear();
    warnings_.clear();
    CPLErrorReset();
  }
  const std::vector<std::string>& failures() const { return failures_; }
  const std::vector<std::string>& warnings() const { return warnings_; }

  // Failures joined for a message, or `fallback` if GDAL said nothing.
  std::string FailureText(std::string_view fallback = "no details from GDAL") const {
    if (failures_.empty()) return std::string(fallback);
    return absl::StrJoin(failures_, "; ");
  }

 private:
  static void CPL_STDCALL Handle(CPLErr level, CPLErrorNum /*number*/, const char* message) {
    auto* self = static_cast<ErrorCollector*>(CPLGetErrorHandlerUserData());
    if (self == nullptr || message == nullptr || level == CE_Debug || level == CE_None) return;
    // An exception must not unwind through GDAL's C frames; losing a message
    // under memory exhaustion is the lesser harm.
    try {
      (level >= CE_Failure ? self->failures_ : self->warnings_).emplace_back(message);
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

struct TransformDeleter {
  void operator()(OGRCoordinateTransformation* transform) const {
    OGRCoordinateTransformation::DestroyCT(transform);
  }
};
using TransformPtr = std::unique_ptr<OGRCoordinateTransformation, TransformDeleter>;

// Where GDAL reads from and how the user knows it.
struct Source {
  std::string gdal_path;      // what GDAL opens, possibly under /vsimem/
  std::string display;        // the name the user gave
  std::string hidden_prefix;  // "/vsimem/wetlink-N/", to keep out of messages
  // The GDAL drivers that may open it (nullptr-terminated), or nullptr for
  // any.
  const char* const* drivers = nullptr;
};

// The drivers of files received over the network: polygon formats whose
// files are self-contained. Others GDAL has would read what the file
// points at on the server: an OGR VRT (whatever the upload is named)
// opens any local path or URL it names, MapInfo seamless tables and GML
// schemas refer to other files.
constexpr const char* kUploadDrivers[] = {
    "GeoJSON", "GeoJSONSeq", "ESRIJSON",    "TopoJSON",   "GPKG",
    "ESRI Shapefile", "KML", "LIBKML", "FlatGeobuf", "OpenFileGDB", nullptr};

// GDAL's messages quote the path it was given; users must see their own.
std::string Scrub(const Source& source, const std::string& message) {
  if (source.hidden_prefix.empty()) return message;
  return absl::StrReplaceAll(message,
                             {{"/vsizip/" + source.hidden_prefix, ""}, {source.hidden_prefix, ""}});
}

std::string FileLayer(const std::string& file, const std::string& layer) {
  return absl::StrCat("file '", file, "', layer '", layer, "'");
}

OGRSpatialReference Wgs84LonLat() {
  OGRSpatialReference srs;
  srs.importFromEPSG(4326);
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

std::string CrsName(const OGRSpatialReference& srs) {
  const char* authority = srs.GetAuthorityName(nullptr);
  const char* code = srs.GetAuthorityCode(nullptr);
  if (authority != nullptr && code != nullptr) return absl::StrCat(authority, ":", code);
  OGRSpatialReference identified(srs);
  if (identified.AutoIdentifyEPSG() == OGRERR_NONE) {
    authority = identified.GetAuthorityName(nullptr);
    code = identified.GetAuthorityCode(nullptr);
    if (authority != nullptr && code != nullptr) return absl::StrCat(authority, ":", code);
  }
  const char* name = srs.GetName();
  return name != nullptr && *name != '\0' ? name : "unnamed CRS";
}

std::string GeometryTypeName(OGRwkbGeometryType type) {
  switch (wkbFlatten(type)) {
    case wkbUnknown:
      return "Geometry";
    case wkbPoint:
      return "Point";
    case wkbMultiPoint:
      return "MultiPoint";
    case wkbLineString:
      return "LineString";
    case wkbMultiLineString:
      return "MultiLineString";
    case wkbCircularString:
      return "CircularString";
    case wkbCompoundCurve:
      return "CompoundCurve";
    case wkbMultiCurve:
      return "MultiCurve";
    case wkbPolygon:
      return "Polygon";
    case wkbMultiPolygon:
      return "MultiPolygon";
    case wkbGeometryCollection:
      return "GeometryCollection";
    case wkbPolyhedralSurface:
      return "PolyhedralSurface";
    case wkbTIN:
      return "TIN";
    case wkbTriangle:
      return "Triangle";
    default:
      return OGRGeometryTypeToName(type);
  }
}

// Layers that can hold polygons; generic layers (GeoJSON and KML mix types)
// are read and their non-polygon features refused one by one.
bool MayHoldPolygons(OGRwkbGeometryType type) {
  switch (wkbFlatten(type)) {
    case wkbUnknown:
    case wkbGeometryCollection:
    case wkbPolygon:
    case wkbMultiPolygon:
    case wkbCurvePolygon:
    case wkbMultiSurface:
      return true;
    default:
      return false;
  }
}

// Adds the polygonal parts of `geometry` to `out`, approximating curves by
// line segments; returns the number of non-polygonal parts left out.
int CollectPolygons(const OGRGeometry& geometry, OGRMultiPolygon& out) {
  const OGRwkbGeometryType type = wkbFlatten(geometry.getGeometryType());
  if (OGR_GT_IsNonLinear(type)) {
    const std::unique_ptr<OGRGeometry> linear(geometry.getLinearGeometry());
    if (linear == nullptr || OGR_GT_IsNonLinear(linear->getGeometryType())) return 1;
    return CollectPolygons(*linear, out);
  }
  switch (type) {
    case wkbPolygon:
      return out.addGeometry(&geometry) == OGRERR_NONE ? 0 : 1;
    case wkbMultiPolygon:
    case wkbGeometryCollection: {
      int dropped = 0;
      for (const OGRGeometry* part : *geometry.toGeometryCollection()) {
        dropped += CollectPolygons(*part, out);
      }
      return dropped;
    }
    default:
      return 1;
  }
}

// "Self-intersection at or near point 0.20000000000000001 1" ->
// "self-intersection at or near point (0.2, 1)".
std::string TidyGeosReason(std::string_view message) {
  constexpr std::string_view kAt = " at or near point ";
  std::string what(message.substr(0, message.find(kAt)));
  if (!what.empty()) {
    what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
  }
  const std::size_t at = message.find(kAt);
  if (at == std::string_view::npos) return what;
  const std::string coordinates(message.substr(at + kAt.size()));
  char* end = nullptr;
  const double x = std::strtod(coordinates.c_str(), &end);
  const double y = std::strtod(end, nullptr);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, " at or near point (%.7g, %.7g)", x, y);
  return what + buffer;
}

// Shortest text that reads back as the same double.
std::string DoubleToText(double value) {
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (error != std::errc()) return std::to_string(value);
  return std::string(buffer, end);
}

std::string FieldText(const OGRFeature& feature, int index) {
  switch (feature.GetFieldDefnRef(index)->GetType()) {
    case OFTReal:
      return DoubleToText(feature.GetFieldAsDouble(index));
    case OFTInteger:
    case OFTInteger64:
      return std::to_string(feature.GetFieldAsInteger64(index));
    default:
      return feature.GetFieldAsString(index);
  }
}

std::string FeatureLabel(const OGRFeature& feature) {
  // GetFieldIndex matches case-insensitively, which covers KML's "Name".
  for (const char* field : {"id", "site_id", "name", "name_en"}) {
    const int index = feature.GetFieldIndex(field);
    if (index < 0 || !feature.IsFieldSetAndNotNull(index)) continue;
    std::string text = FieldText(feature, index);
    if (!text.empty()) return text;
  }
  return "";
}

Ring RingFromOgr(const OGRSimpleCurve& curve) {
  Ring ring;
  const int n = curve.getNumPoints();
  ring.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) ring.emplace_back(curve.getX(i), curve.getY(i));
  return ring;
}

MultiPolygon MultiPolygonFromOgr(const OGRMultiPolygon& ogr) {
  MultiPolygon result;
  for (const OGRPolygon* ogr_polygon : ogr) {
    const OGRLinearRing* exterior = ogr_polygon->getExteriorRing();
    if (exterior == nullptr) continue;
    Polygon& polygon = result.emplace_back();
    polygon.outer() = RingFromOgr(*exterior);
    for (int i = 0; i < ogr_polygon->getNumInteriorRings(); ++i) {
      polygon.inners().push_back(RingFromOgr(*ogr_polygon->getInteriorRing(i)));
    }
  }
  boost::geometry::correct(result);
  return result;
}

std::unique_ptr<OGRLinearRing> RingToOgr(const Ring& ring) {
  auto result = std::make_unique<OGRLinearRing>();
  result->setNumPoints(static_cast<int>(ring.size()), /*bZeroizeNewContent=*/FALSE);
  for (std::size_t i = 0; i < ring.size(); ++i) {
    result->setPoint(static_cast<int>(i), ring[i].x(), ring[i].y());
  }
  return result;
}

std::unique_ptr<OGRMultiPolygon> MultiPolygonToOgr(const MultiPolygon& multipolygon) {
  auto result = std::make_unique<OGRMultiPolygon>();
  for (const Polygon& polygon : multipolygon) {
    auto ogr_polygon = std::make_unique<OGRPolygon>();
    ogr_polygon->addRingDirectly(RingToOgr(polygon.outer()).release());
    for (const Ring& hole : polygon.inners()) {
      ogr_polygon->addRingDirectly(RingToOgr(hole).release());
    }
    ogr_polygon->closeRings();
    result->addGeometryDirectly(ogr_polygon.release());
  }
  return result;
}

std::unique_ptr<OGRGeometry> GeometryToOgr(const FeatureGeometry& geometry) {
  if (const auto* multipolygon = std::get_if<MultiPolygon>(&geometry)) {
    return MultiPolygonToOgr(*multipolygon);
  }
  if (const auto* point = std::get_if<Point>(&geometry)) {
    return std::make_unique<OGRPoint>(point->x(), point->y());
  }
  auto line = std::make_unique<OGRLineString>();
  for (const Point& p : std::get<LineString>(geometry)) line->addPoint(p.x(), p.y());
  return line;
}

// Empty if every coordinate is a finite longitude/latitude, else why not.
std::string CheckLonLat(const OGRMultiPolygon& multipolygon) {
  for (const OGRPolygon* polygon : multipolygon) {
    for (const OGRLinearRing* ring : *polygon) {
      for (int i = 0; i < ring->getNumPoints(); ++i) {
        const double lon = ring->getX(i);
        const double lat = ring->getY(i);
        if (!std::isfinite(lon) || !std::isfinite(lat)) {
          return "coordinates are not finite numbers";
        }
        if (std::abs(lon) > 180.0 || std::abs(lat) > 90.0) {
          return absl::StrCat("coordinate (", DoubleToText(lon), ", ", DoubleToText(lat),
                              ") is outside the longitude/latitude range");
        }
      }
    }
  }
  return "";
}

// GEOS accepts rings whose points are collinear up to rounding; their area
// is rounding noise, far below any real polygon's share of its envelope.
bool HasNoArea(const OGRMultiPolygon& polygons) {
  OGREnvelope envelope;
  polygons.getEnvelope(&envelope);
  const double envelope_area = (envelope.MaxX - envelope.MinX) * (envelope.MaxY - envelope.MinY);
  return polygons.get_Area() <= 1e-12 * envelope_area || polygons.get_Area() <= 0.0;
}

struct PreparedGeometry {
  MultiPolygon geometry;
  std::vector<std::string> repairs;
};

// Turns a feature's geometry into a valid WGS84 multipolygon, or says why it
// cannot be a site (the status message is the reason).
absl::StatusOr<PreparedGeometry> PrepareGeometry(const OGRGeometry* geometry,
                                                 OGRCoordinateTransformation* transform,
                                                 bool repair_invalid, ErrorCollector& errors) {
  if (geometry == nullptr) {
    return absl::InvalidArgumentError("feature has no geometry; a site needs a polygon");
  }
  const OGRwkbGeometryType type = geometry->getGeometryType();
  if (geometry->IsEmpty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("geometry is an empty ", GeometryTypeName(type), "; a site needs a polygon"));
  }
  auto polygons = std::make_unique<OGRMultiPolygon>();
  if (CollectPolygons(*geometry, *polygons) > 0 || polygons->IsEmpty()) {
    const bool collection = wkbFlatten(type) == wkbGeometryCollection;
    return absl::InvalidArgumentError(absl::StrCat("geometry is ", GeometryTypeName(type),
                                                   collection ? " with non-polygon parts" : "",
                                                   "; a site needs a polygon"));
  }
  polygons->flattenTo2D();

  if (transform != nullptr) {
    errors.Clear();
    // A site straddling the antimeridian must come out as two parts, not as a
    // band around the globe from -180 to 180.
    CPLStringList options;
    options.SetNameValue("WRAPDATELINE", "YES");
    const std::unique_ptr<OGRGeometry> projected(
        OGRGeometryFactory::transformWithOptions(polygons.get(), transform, options.List()));
    auto projected_polygons = std::make_unique<OGRMultiPolygon>();
    if (projected == nullptr || CollectPolygons(*projected, *projected_polygons) > 0 ||
        projected_polygons->IsEmpty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot reproject to WGS84 longitude/latitude: ", errors.FailureText()));
    }
    polygons = std::move(projected_polygons);
  }
  if (std::string problem = CheckLonLat(*polygons); !problem.empty()) {
    return absl::InvalidArgumentError(problem);
  }

  PreparedGeometry prepared;
  errors.Clear();
  if (!polygons->IsValid()) {
    // GDAL forwards GEOS's validity reason as a warning; there is no API for it.
    const std::string reason = errors.warnings().empty()
                                   ? "invalid geometry (e.g. self-intersection)"
                                   : TidyGeosReason(errors.warnings().back());
    if (!repair_invalid) {
      return absl::InvalidArgumentError(
          absl::StrCat("polygon is invalid: ", reason, " (repair disabled)"));
    }
    errors.Clear();
    std::unique_ptr<OGRGeometry> repaired(polygons->MakeValid());
    if (repaired == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("polygon is invalid: ", reason,
                                                     "; MakeValid failed: ", errors.FailureText()));
    }
    auto repaired_polygons = std::make_unique<OGRMultiPolygon>();
    const int dropped = CollectPolygons(*repaired, *repaired_polygons);
    if (repaired_polygons->IsEmpty() || HasNoArea(*repaired_polygons)) {
      return absl::InvalidArgumentError(
          absl::StrCat("polygon is degenerate: ", reason, "; repairing it leaves no area"));
    }
    const int parts = repaired_polygons->getNumGeometries();
    std::string note = absl::StrCat(reason, " repaired by MakeValid into ", parts,
                                    parts == 1 ? " polygon" : " polygons");
    if (dropped > 0) absl::StrAppend(&note, ", dropping ", dropped, " non-polygonal part(s)");
    prepared.repairs.push_back(std::move(note));
    polygons = std::move(repaired_polygons);
  } else if (HasNoArea(*polygons)) {
    return absl::InvalidArgumentError(
        "polygon is degenerate: it has no area (collinear or repeated points)");
  }
  prepared.geometry = MultiPolygonFromOgr(*polygons);
  return prepared;
}

// Reads one layer into `result`.
absl::Status ReadLayer(const Source& source, OGRLayer& layer, const ReadOptions& options,
                       ReadResult& result, std::vector<std::string>& crs_names,
                       ErrorCollector& errors) {
  const std::string layer_name = layer.GetName();
  const OGRSpatialReference target = Wgs84LonLat();
  TransformPtr transform;
  const OGRSpatialReference* layer_srs = layer.GetSpatialRef();
  std::string crs_name;
  if (layer_srs == nullptr) {
    // Without a CRS, only data that cannot be anything but lon/lat is safe to
    // take; projected metres read as degrees would land anywhere.
    OGREnvelope extent;
    errors.Clear();
    if (layer.GetExtent(&extent, /*bForce=*/TRUE) == OGRERR_NONE &&
        (std::abs(extent.MinX) > 180.0 || std::abs(extent.MaxX) > 180.0 ||
         std::abs(extent.MinY) > 90.0 || std::abs(extent.MaxY) > 90.0)) {
      return absl::InvalidArgumentError(
          absl::StrCat(FileLayer(source.display, layer_name),
                       ": layer has no coordinate reference system and its coordinates are not "
                       "longitude/latitude (x from ",
                       DoubleToText(extent.MinX), " to ", DoubleToText(extent.MaxX), ", y from ",
                       DoubleToText(extent.MinY), " to ", DoubleToText(extent.MaxY), ")"));
    }
    crs_name = "EPSG:4326 (assumed, layer has no CRS)";
  } else {
    OGRSpatialReference srs(*layer_srs);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    crs_name = CrsName(srs);
    if (!srs.IsSame(&target)) {
      errors.Clear();
      transform.reset(OGRCreateCoordinateTransformation(&srs, &target));
      if (transform == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat(FileLayer(source.display, layer_name), ": cannot transform from ",
                         crs_name, " to WGS84: ", Scrub(source, errors.FailureText())));
      }
    }
  }
  if (std::find(crs_names.begin(), crs_names.end(), crs_name) == crs_names.end()) {
    crs_names.push_back(crs_name);
  }

  layer.ResetReading();
  while (true) {
    errors.Clear();
    OGRFeatureUniquePtr feature(layer.GetNextFeature());
    if (feature == nullptr) {
      if (!errors.failures().empty()) {
        return absl::InvalidArgumentError(absl::StrCat("cannot read ",
                                                       FileLayer(source.display, layer_name), ": ",
                                                       Scrub(source, errors.FailureText())));
      }
      break;
    }
    FeatureRef ref{.file = source.display,
                   .layer = layer_name,
                   .fid = feature->GetFID(),
                   .label = FeatureLabel(*feature)};
    absl::StatusOr<PreparedGeometry> prepared =
        PrepareGeometry(feature->GetGeometryRef(), transform.get(), options.repair_invalid, errors);
    if (!prepared.ok()) {
      std::string reason = absl::StrCat(ref.Describe(), ": ",
                                        Scrub(source, std::string(prepared.status().message())));
      result.refused.push_back({.ref = std::move(ref), .reason = std::move(reason)});
      continue;
    }
    ReadFeature& read = result.features.emplace_back();
    read.ref = std::move(ref);
    read.geometry = std::move(prepared->geometry);
    read.repairs = std::move(prepared->repairs);
    for (int i = 0; i < feature->GetFieldCount(); ++i) {
      if (!feature->IsFieldSetAndNotNull(i)) continue;
      read.attributes.emplace(feature->GetFieldDefnRef(i)->GetNameRef(), FieldText(*feature, i));
    }
  }
  return absl::OkStatus();
}

std::string LayerSummary(GDALDataset& dataset) {
  std::vector<std::string> layers;
  for (OGRLayer* layer : dataset.GetLayers()) {
    layers.push_back(absl::StrCat(
        "'", layer->GetName(), "' (",
        layer->GetGeomType() == wkbNone ? "no geometry" : GeometryTypeName(layer->GetGeomType()),
        ")"));
  }
  return layers.empty() ? "none" : absl::StrJoin(layers, ", ");
}

absl::StatusOr<ReadResult> ReadSource(const Source& source, const ReadOptions& options) {
  EnsureGdalRegistered();
  ErrorCollector errors;
  DatasetPtr dataset(GDALDataset::FromHandle(GDALOpenEx(
      source.gdal_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR,
      source.drivers, nullptr, nullptr)));
  if (dataset == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot open file '", source.display,
                     "' as vector data: ", Scrub(source, errors.FailureText()),
                     source.drivers == nullptr
                         ? ""
                         : " (uploads may be GeoJSON, TopoJSON, Esri JSON, GeoPackage, a "
                           "shapefile with its sidecars or zipped, KML, FlatGeobuf or a zipped "
                           "File Geodatabase)"));
  }

  std::vector<OGRLayer*> layers;
  if (!options.layer.empty()) {
    OGRLayer* layer = dataset->GetLayerByName(options.layer.c_str());
    if (layer == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("file '", source.display, "' has no layer '",
                                                     options.layer,
                                                     "'; layers: ", LayerSummary(*dataset)));
    }
    if (!MayHoldPolygons(layer->GetGeomType())) {
      return absl::InvalidArgumentError(absl::StrCat(
          FileLayer(source.display, options.layer), " holds ",
          layer->GetGeomType() == wkbNone ? "no geometries"
                                          : GeometryTypeName(layer->GetGeomType()) + " geometries",
          ", not polygons"));
    }
    layers.push_back(layer);
  } else {
    for (OGRLayer* layer : dataset->GetLayers()) {
      if (MayHoldPolygons(layer->GetGeomType())) layers.push_back(layer);
    }
    if (layers.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "file '", source.display, "' has no polygon layer; layers: ", LayerSummary(*dataset)));
    }
  }

  ReadResult result;
  std::vector<std::string> crs_names;
  for (OGRLayer* layer : layers) {
    if (absl::Status status = ReadLayer(source, *layer, options, result, crs_names, errors);
        !status.ok()) {
      return status;
    }
  }
  result.source_crs = absl::StrJoin(crs_names, ", ");
  return result;
}

bool HasExtension(std::string_view name, std::string_view extension) {
  if (name.size() <= extension.size()) return false;
  const std::string_view tail = name.substr(name.size() - extension.size());
  return std::equal(tail.begin(), tail.end(), extension.begin(), extension.end(),
                    [](char a, char b) {
                      return std::tolower(static_cast<unsigned char>(a)) ==
                             std::tolower(static_cast<unsigned char>(b));
                    });
}

std::string QuotedNames(const std::vector<NamedBlob>& files) {
  return absl::StrJoin(files, ", ", [](std::string* out, const NamedBlob& blob) {
    absl::StrAppend(out, "'", blob.name, "'");
  });
}

absl::Status CheckBlobNames(const std::vector<NamedBlob>& files) {
  if (files.empty()) return absl::InvalidArgumentError("no file given");
  std::set<std::string> seen;
  for (const NamedBlob& blob : files) {
    if (blob.name.empty() || blob.name == "." || blob.name == ".." ||
        blob.name.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("file name '", blob.name, "' is not a plain file name"));
    }
    if (!seen.insert(blob.name).second) {
      return absl::InvalidArgumentError(absl::StrCat("file '", blob.name, "' is given twice"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<const NamedBlob*> PrimaryBlob(const std::vector<NamedBlob>& files) {
  if (files.size() == 1) return &files.front();
  std::vector<const NamedBlob*> shapefiles;
  std::vector<const NamedBlob*> zips;
  for (const NamedBlob& blob : files) {
    if (HasExtension(blob.name, ".shp")) shapefiles.push_back(&blob);
    if (HasExtension(blob.name, ".zip")) zips.push_back(&blob);
  }
  if (shapefiles.size() == 1) return shapefiles.front();
  if (shapefiles.empty() && zips.size() == 1) return zips.front();
  return absl::InvalidArgumentError(absl::StrCat(
      "cannot tell which file to read: expected one file, one .shp with its sidecar files, or "
      "one .zip; got ",
      QuotedNames(files)));
}

absl::Status CheckWriteInput(const std::string& display, const LayerToWrite& layer) {
  const std::string& layer_name = layer.name;
  const std::vector<FieldDef>& fields = layer.fields;
  const std::vector<WriteFeature>& features = layer.features;
  if (layer_name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("writing '", display, "': empty layer name"));
  }
  std::set<std::string> names;
  for (const FieldDef& field : fields) {
    std::string lower = field.name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (field.name.empty() || !names.insert(lower).second) {
      return absl::InvalidArgumentError(absl::StrCat("writing '", display, "': field name '",
                                                     field.name, "' is empty or repeated"));
    }
  }
  for (std::size_t i = 0; i < features.size(); ++i) {
    const WriteFeature& feature = features[i];
    if (feature.values.size() != fields.size()) {
      return absl::InvalidArgumentError(absl::StrCat("writing '", display, "': feature ", i,
                                                     " has ", feature.values.size(), " values for ",
                                                     fields.size(), " fields"));
    }
    for (std::size_t j = 0; j < fields.size(); ++j) {
      const FieldValue& value = feature.values[j];
      const bool matches =
          std::holds_alternative<std::monostate>(value) ||
          (fields[j].type == FieldType::kString && std::holds_alternative<std::string>(value)) ||
          (fields[j].type == FieldType::kReal && std::holds_alternative<double>(value)) ||
          (fields[j].type == FieldType::kInteger && std::holds_alternative<std::int64_t>(value));
      if (!matches) {
        return absl::InvalidArgumentError(absl::StrCat("writing '", display, "': feature ", i,
                                                       ", field '", fields[j].name,
                                                       "' has a value of the wrong type"));
      }
      if (const double* real = std::get_if<double>(&value);
          real != nullptr && !std::isfinite(*real)) {
        return absl::InvalidArgumentError(absl::StrCat("writing '", display, "': feature ", i,
                                                       ", field '", fields[j].name,
                                                       "' is not a finite number"));
      }
    }
    if (feature.geometry.index() != static_cast<std::size_t>(layer.kind)) {
      return absl::InvalidArgumentError(absl::StrCat("writing '", display, "': feature ", i,
                                                     " of layer '", layer_name,
                                                     "' has another geometry kind than its layer"));
    }
    auto finite_point = [](const Point& p) { return std::isfinite(p.x()) && std::isfinite(p.y()); };
    auto finite = [&](const auto& points) {
      return std::all_of(points.begin(), points.end(), finite_point);
    };
    bool all_finite = true;
    if (const auto* multipolygon = std::get_if<MultiPolygon>(&feature.geometry)) {
      for (const Polygon& polygon : *multipolygon) {
        all_finite = all_finite && finite(polygon.outer()) &&
                     std::all_of(polygon.inners().begin(), polygon.inners().end(), finite);
      }
    } else if (const auto* point = std::get_if<Point>(&feature.geometry)) {
      all_finite = finite_point(*point);
    } else {
      const auto& line = std::get<LineString>(feature.geometry);
      all_finite = finite(line) && line.size() >= 2;
    }
    if (!all_finite) {
      return absl::InvalidArgumentError(absl::StrCat(
          "writing '", display, "': feature ", i, " has non-finite coordinates or too few points"));
    }
  }
  return absl::OkStatus();
}

OGRFieldType OgrFieldType(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return OFTString;
    case FieldType::kReal:
      return OFTReal;
    case FieldType::kInteger:
      return OFTInteger64;
  }
  return OFTString;
}

// Fills a freshly created dataset with one layer of `features`.
absl::Status WriteLayer(GDALDataset& dataset, const std::string& display, VectorFormat format,
                        const LayerToWrite& to_write, ErrorCollector& errors) {
  const std::string& layer_name = to_write.name;
  const std::vector<FieldDef>& fields = to_write.fields;
  const std::vector<WriteFeature>& features = to_write.features;
  auto fail = [&](const std::string& what) {
    return absl::InternalError(
        absl::StrCat("writing '", display, "': ", what, ": ", errors.FailureText()));
  };
  OGRSpatialReference srs = Wgs84LonLat();
  CPLStringList layer_options;
  // RFC 7946 is what web maps expect: lon/lat, counter-clockwise exteriors.
  if (format == VectorFormat::kGeoJson) layer_options.SetNameValue("RFC7946", "YES");
  const OGRwkbGeometryType type = to_write.kind == GeometryKind::kMultiPolygon ? wkbMultiPolygon
                                  : to_write.kind == GeometryKind::kPoint      ? wkbPoint
                                                                                : wkbLineString;
  OGRLayer* layer = dataset.CreateLayer(layer_name.c_str(), &srs, type, layer_options.List());
  if (layer == nullptr) return fail(absl::StrCat("cannot create layer '", layer_name, "'"));
  for (const FieldDef& field : fields) {
    OGRFieldDefn definition(field.name.c_str(), OgrFieldType(field.type));
    if (layer->CreateField(&definition) != OGRERR_NONE) {
      return fail(absl::StrCat("cannot create field '", field.name, "'"));
    }
  }
  // One transaction makes GeoPackage writes fast; GeoJSON has none.
  const bool in_transaction = dataset.StartTransaction() == OGRERR_NONE;
  for (std::size_t i = 0; i < features.size(); ++i) {
    OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    for (std::size_t j = 0; j < fields.size(); ++j) {
      const int index = static_cast<int>(j);
      const FieldValue& value = features[i].values[j];
      if (const auto* text = std::get_if<std::string>(&value)) {
        feature->SetField(index, text->c_str());
      } else if (const auto* real = std::get_if<double>(&value)) {
        feature->SetField(index, *real);
      } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        feature->SetField(index, static_cast<GIntBig>(*integer));
      } else {
        feature->SetFieldNull(index);
      }
    }
    feature->SetGeometryDirectly(GeometryToOgr(features[i].geometry).release());
    if (layer->CreateFeature(feature.get()) != OGRERR_NONE) {
      if (in_transaction) dataset.RollbackTransaction();
      return fail(absl::StrCat("cannot write feature ", i));
    }
  }
  if (in_transaction && dataset.CommitTransaction() != OGRERR_NONE) {
    return fail("cannot commit");
  }
  return absl::OkStatus();
}

// Writes the file at `gdal_path` and closes it, so that its bytes are complete
// on return. Leaves no partial file behind on failure.
absl::Status WriteDataset(const std::string& gdal_path, const std::string& display,
                          VectorFormat format, const std::vector<LayerToWrite>& layers) {
  if (layers.empty() || (format == VectorFormat::kGeoJson && layers.size() > 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "writing '", display, "': ", layers.empty() ? "no layer" : "GeoJSON holds one layer only"));
  }
  for (const LayerToWrite& layer : layers) {
    if (absl::Status status = CheckWriteInput(display, layer); !status.ok()) return status;
  }
  EnsureGdalRegistered();
  ErrorCollector errors;
  const char* driver_name = format == VectorFormat::kGeoPackage ? "GPKG" : "GeoJSON";
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
  if (driver == nullptr) {
    return absl::InternalError(
        absl::StrCat("writing '", display, "': GDAL has no ", driver_name, " driver"));
  }
  VSIStatBufL stat;
  if (VSIStatL(gdal_path.c_str(), &stat) == 0 && VSIUnlink(gdal_path.c_str()) != 0) {
    return absl::InternalError(
        absl::StrCat("cannot overwrite '", display, "': ", std::strerror(errno)));
  }
  DatasetPtr dataset(driver->Create(gdal_path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (dataset == nullptr) {
    return absl::InternalError(
        absl::StrCat("cannot create '", display, "': ", errors.FailureText()));
  }
  absl::Status status;
  for (const LayerToWrite& layer : layers) {
    status = WriteLayer(*dataset, display, format, layer, errors);
    if (!status.ok()) break;
  }
  // Closing flushes; its failures only show up as GDAL errors.
  errors.Clear();
  dataset.reset();
  if (status.ok() && !errors.failures().empty()) {
    status = absl::InternalError(
        absl::StrCat("writing '", display, "': cannot finish the file: ", errors.FailureText()));
  }
  if (!status.ok()) VSIUnlink(gdal_path.c_str());
  return status;
}

}  // namespace

std::string FeatureRef::Describe() const {
  std::string text = absl::StrCat("file '", file, "', layer '", layer, "', ");
  if (fid >= 0) {
    absl::StrAppend(&text, "feature ", fid);
  } else {
    absl::StrAppend(&text, "feature without id");
  }
  if (!label.empty()) absl::StrAppend(&text, " ('", label, "')");
  return text;
}

absl::StatusOr<ReadResult> ReadPolygonFeatures(const std::string& path,
                                               const ReadOptions& options) {
  return ReadSource({.gdal_path = path, .display = path, .hidden_prefix = ""}, options);
}

absl::StatusOr<ReadResult> ReadPolygonFeaturesFromBlobs(const std::vector<NamedBlob>& files,
                                                        const ReadOptions& options) {
  if (absl::Status status = CheckBlobNames(files); !status.ok()) return status;
  absl::StatusOr<const NamedBlob*> primary = PrimaryBlob(files);
  if (!primary.ok()) return primary.status();

  EnsureGdalRegistered();
  VsiMemDirGuard dir(NewVsiMemDir());
  for (const NamedBlob& blob : files) {
    // GDAL frees the copy when the file is unlinked.
    auto* data =
        static_cast<GByte*>(VSI_MALLOC_VERBOSE(std::max<std::size_t>(blob.content.size(), 1)));
    if (data == nullptr) {
      return absl::ResourceExhaustedError(
          absl::StrCat("cannot hold file '", blob.name, "' in memory"));
    }
    std::memcpy(data, blob.content.data(), blob.content.size());
    VSILFILE* file = VSIFileFromMemBuffer((dir.dir() + blob.name).c_str(), data,
                                          static_cast<vsi_l_offset>(blob.content.size()),
                                          /*bTakeOwnership=*/TRUE);
    if (file == nullptr) {
      VSIFree(data);
      return absl::InternalError(absl::StrCat("cannot stage file '", blob.name, "' in memory"));
    }
    VSIFCloseL(file);
  }
  const std::string& name = (*primary)->name;
  Source source{.gdal_path = dir.dir() + name,
                .display = name,
                .hidden_prefix = dir.dir(),
                .drivers = kUploadDrivers};
  if (HasExtension(name, ".zip")) source.gdal_path = "/vsizip/" + source.gdal_path;
  return ReadSource(source, options);
}

absl::Status WritePolygonFeatures(const std::string& path, VectorFormat format,
                                  const std::string& layer_name,
                                  const std::vector<FieldDef>& fields,
                                  const std::vector<WriteFeature>& features) {
  return WriteLayers(path, format,
                     {{.name = layer_name, .kind = GeometryKind::kMultiPolygon, .fields = fields,
                       .features = features}});
}

absl::StatusOr<std::string> WritePolygonFeaturesToBytes(VectorFormat format,
                                                        const std::string& layer_name,
                                                        const std::vector<FieldDef>& fields,
                                                        const std::vector<WriteFeature>& features) {
  return WriteLayersToBytes(format, {{.name = layer_name,
                                      .kind = GeometryKind::kMultiPolygon,
                                      .fields = fields,
                                      .features = features}});
}

absl::Status WriteLayers(const std::string& path, VectorFormat format,
                         const std::vector<LayerToWrite>& layers) {
  return WriteDataset(path, path, format, layers);
}

absl::StatusOr<std::string> WriteLayersToBytes(VectorFormat format,
                                               const std::vector<LayerToWrite>& layers) {
  EnsureGdalRegistered();
  VsiMemDirGuard dir(NewVsiMemDir());
  const std::string file_name =
      format == VectorFormat::kGeoPackage ? "output.gpkg" : "output.geojson";
  const std::string path = dir.dir() + file_name;
  if (absl::Status status =
          WriteDataset(path, absl::StrCat("in-memory ", file_name), format, layers);
      !status.ok()) {
    return status;
  }
  vsi_l_offset length = 0;
  GByte* data = VSIGetMemFileBuffer(path.c_str(), &length, /*bUnlinkAndSeize=*/FALSE);
  if (data == nullptr) {
    return absl::InternalError(absl::StrCat("writing in-memory ", file_name, ": no output"));
  }
  return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(length));
}

}  // namespace wetlink::geo
