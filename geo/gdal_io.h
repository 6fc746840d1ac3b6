#ifndef WETLINK_GEO_GDAL_IO_H_
#define WETLINK_GEO_GDAL_IO_H_

// Reading and writing polygon features through GDAL/OGR. This and its .cc are
// the only place in Wetlink that includes GDAL headers.
//
// Reading a local file accepts any vector format GDAL opens (GeoJSON,
// GeoPackage, ESRI Shapefile, KML, zipped shapefiles...), reading uploaded
// bytes only the self-contained ones (ReadPolygonFeaturesFromBlobs), in any
// CRS; geometries come out in
// WGS84 lon/lat. Invalid polygons are repaired with OGR's MakeValid when
// ReadOptions::repair_invalid is set, otherwise refused with a reason.
// Problems with a single feature never fail the whole read: the feature is
// listed in ReadResult::refused with a reason naming file, layer and feature.
// Problems with the file itself (cannot open, no such layer, no polygon layer,
// unknown CRS) are an InvalidArgument status naming the file and layer.
//
// Thread-safe: every call opens its own datasets; GDAL drivers are registered
// once, on first use.

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "geo/geometry.h"

namespace wetlink::geo {

// A feature's position in its source, used in every message about it.
struct FeatureRef {
  std::string file;   // file name as the user gave it (no /vsimem/ prefix)
  std::string layer;  // layer name
  std::int64_t fid = -1;  // GDAL feature id
  std::string label;  // value of an "id" or "name" attribute if present, else ""

  // "file 'sites.gpkg', layer 'sites', feature 3 ('rason')"
  std::string Describe() const;
};

struct ReadFeature {
  FeatureRef ref;
  // Every attribute that is set, as text (numbers in shortest round-trip form).
  std::map<std::string, std::string> attributes;
  MultiPolygon geometry;  // WGS84 lon/lat, valid, oriented (see geometry.h)
  // One entry per repair applied, e.g. "self-intersection repaired by
  // MakeValid into 2 polygons". Empty if the geometry was valid as read.
  std::vector<std::string> repairs;
};

struct RefusedFeature {
  FeatureRef ref;
  // ref.Describe() followed by the problem, e.g. "file 'a.geojson', layer 'a',
  // feature 1 ('bowtie'): polygon is invalid: self-intersection at or near
  // point (130.61, 42.31) (repair disabled)".
  std::string reason;
};

struct ReadOptions {
  std::string layer;          // empty: every layer with polygon geometries
  bool repair_invalid = true; // MakeValid invalid polygons instead of refusing
};

struct ReadResult {
  std::vector<ReadFeature> features;
  std::vector<RefusedFeature> refused;
  // e.g. "EPSG:32652", or the CRS name; layers in different CRSs are listed
  // comma-separated; "EPSG:4326 (assumed, layer has no CRS)" for lon/lat data
  // without a CRS.
  std::string source_crs;
};

// Reads the polygon features of the file at `path`.
absl::StatusOr<ReadResult> ReadPolygonFeatures(const std::string& path,
                                               const ReadOptions& options);

// A file received over the network. For a shapefile, pass the .shp with its
// .shx/.dbf/.prj siblings; a .zip is read through /vsizip/.
struct NamedBlob {
  std::string name;     // base name, e.g. "sites.shp"
  std::string content;  // raw bytes
};

// Like ReadPolygonFeatures, for files held in memory. The primary file is the
// only blob, or the .shp of a shapefile set, or the .zip. InvalidArgument if
// no blob or an ambiguous set is given. Since the files come from elsewhere,
// only formats whose files are self-contained are read: GeoJSON (and
// GeoJSONSeq, Esri JSON, TopoJSON), GeoPackage, ESRI Shapefile, KML,
// FlatGeobuf and File Geodatabase; never an OGR VRT or another format that
// makes GDAL open a path or URL the file names (InvalidArgument).
absl::StatusOr<ReadResult> ReadPolygonFeaturesFromBlobs(const std::vector<NamedBlob>& files,
                                                        const ReadOptions& options);

enum class FieldType { kString, kReal, kInteger };

struct FieldDef {
  std::string name;
  FieldType type = FieldType::kString;
};

// monostate = null.
using FieldValue = std::variant<std::monostate, std::string, double, std::int64_t>;

// WGS84 lon/lat.
using FeatureGeometry = std::variant<MultiPolygon, Point, LineString>;
enum class GeometryKind { kMultiPolygon, kPoint, kLineString };  // the variant's order

struct WriteFeature {
  std::vector<FieldValue> values;  // one per FieldDef, same order
  FeatureGeometry geometry;        // of the layer's kind
};

struct LayerToWrite {
  std::string name;
  GeometryKind kind = GeometryKind::kMultiPolygon;
  std::vector<FieldDef> fields;
  std::vector<WriteFeature> features;
};

enum class VectorFormat { kGeoPackage, kGeoJson };

// Writes `features` as one layer in EPSG:4326 to `path` (overwritten) in
// `format`. Files open in QGIS. InvalidArgument on a value/field mismatch,
// Internal/Unavailable on GDAL write errors, naming the path.
absl::Status WritePolygonFeatures(const std::string& path, VectorFormat format,
                                  const std::string& layer_name,
                                  const std::vector<FieldDef>& fields,
                                  const std::vector<WriteFeature>& features);

// Same, returning the file's bytes (written through /vsimem/).
absl::StatusOr<std::string> WritePolygonFeaturesToBytes(VectorFormat format,
                                                        const std::string& layer_name,
                                                        const std::vector<FieldDef>& fields,
                                                        const std::vector<WriteFeature>& features);

// Several layers of any one geometry kind each, as one GeoPackage, or one
// layer as GeoJSON (which holds no more: InvalidArgument). Errors as above.
absl::Status WriteLayers(const std::string& path, VectorFormat format,
                         const std::vector<LayerToWrite>& layers);
absl::StatusOr<std::string> WriteLayersToBytes(VectorFormat format,
                                               const std::vector<LayerToWrite>& layers);

}  // namespace wetlink::geo

#endif  // WETLINK_GEO_GDAL_IO_H_
