#include "geo/gdal_io.h"

#include <stdlib.h>

#include <algorithm>
#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/algorithms/correct.hpp>
#include <boost/geometry/algorithms/is_valid.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "cpl_conv.h"
#include "cpl_string.h"
#include "cpl_vsi.h"
#include "gdal.h"
#include "gdal_priv.h"
#include "geo/geodesy.h"
#include "geo/geometry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ogr_feature.h"
#include "ogr_geometry.h"
#include "ogr_spatialref.h"
#include "ogrsf_frmts.h"

namespace wetlink::geo {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

const std::string kFixtures = std::string(WETLINK_TEST_FIXTURES_DIR) + "/geo/";

// Near the Tumen estuary; UTM zone 52N has its central meridian at 129E.
constexpr double kCentreLat = 42.35;
constexpr double kCentreLon = 130.6;

struct DatasetCloser {
  void operator()(GDALDataset* dataset) const { GDALClose(GDALDataset::ToHandle(dataset)); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

OGRSpatialReference Srs(int epsg) {
  OGRSpatialReference srs;
  srs.importFromEPSG(epsg);
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

std::string ReadBytes(const fs::path& path) {
  // Not istreambuf_iterator: it trips GCC 12's -Wnull-dereference at -O2.
  std::string bytes(fs::file_size(path), '\0');
  std::ifstream in(path, std::ios::binary);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

void WriteBytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

Polygon Square(double x0, double y0, double x1, double y1) {
  Polygon polygon;
  polygon.outer() = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
  boost::geometry::correct(polygon);
  return polygon;
}

std::string Message(const absl::Status& status) { return std::string(status.message()); }

// What GDAL still holds in memory for this module: its directories under
// /vsimem/, and files in the first few of them even if their directory entry
// is gone (a /vsimem/ file needs no directory).
std::vector<std::string> WetlinkVsiMemEntries() {
  std::vector<std::string> entries;
  char** list = VSIReadDir("/vsimem/");
  for (char** entry = list; entry != nullptr && *entry != nullptr; ++entry) {
    if (std::string(*entry).find("wetlink") != std::string::npos) entries.emplace_back(*entry);
  }
  CSLDestroy(list);
  for (int i = 0; i < 1000; ++i) {
    const std::string dir = "/vsimem/wetlink-" + std::to_string(i) + "/";
    list = VSIReadDir(dir.c_str());
    for (char** entry = list; entry != nullptr && *entry != nullptr; ++entry) {
      entries.push_back(dir + *entry);
    }
    CSLDestroy(list);
  }
  return entries;
}

class GdalIoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { GDALAllRegister(); }

  void SetUp() override {
    std::string pattern = (fs::path(::testing::TempDir()) / "wetlink-geo-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // Writes a 2 km x 2 km square centred on kCentreLat/kCentreLon, in UTM 52N
  // metres, with a "name" field. `with_crs` false leaves the layer without a
  // CRS (for a shapefile: no .prj).
  void WriteUtmSquare(const char* driver_name, const fs::path& path, const char* layer_name,
                      bool with_crs = true, int epsg = 32652, double lat = kCentreLat,
                      double lon = kCentreLon) {
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
    ASSERT_NE(driver, nullptr);
    DatasetPtr dataset(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    ASSERT_NE(dataset, nullptr);
    OGRSpatialReference utm = Srs(epsg);
    OGRSpatialReference wgs84 = Srs(4326);
    std::unique_ptr<OGRCoordinateTransformation> to_utm(
        OGRCreateCoordinateTransformation(&wgs84, &utm));
    ASSERT_NE(to_utm, nullptr);
    double x = lon;
    double y = lat;
    ASSERT_TRUE(to_utm->Transform(1, &x, &y));
    OGRLayer* layer =
        dataset->CreateLayer(layer_name, with_crs ? &utm : nullptr, wkbPolygon, nullptr);
    ASSERT_NE(layer, nullptr);
    OGRFieldDefn name("name", OFTString);
    ASSERT_EQ(layer->CreateField(&name), OGRERR_NONE);
    OGRFeature feature(layer->GetLayerDefn());
    feature.SetField("name", "tumen");
    OGRLinearRing ring;
    ring.addPoint(x - 1000, y - 1000);
    ring.addPoint(x + 1000, y - 1000);
    ring.addPoint(x + 1000, y + 1000);
    ring.addPoint(x - 1000, y + 1000);
    ring.closeRings();
    OGRPolygon polygon;
    polygon.addRing(&ring);
    feature.SetGeometry(&polygon);
    ASSERT_EQ(layer->CreateFeature(&feature), OGRERR_NONE);
  }

  // Writes `wkts` as features of one layer of type `type` in EPSG:4326.
  void WriteWkts(const char* driver_name, const fs::path& path, OGRwkbGeometryType type,
                 const std::vector<std::string>& wkts, bool with_crs = true) {
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
    ASSERT_NE(driver, nullptr);
    DatasetPtr dataset(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    ASSERT_NE(dataset, nullptr);
    OGRSpatialReference wgs84 = Srs(4326);
    OGRLayer* layer = dataset->CreateLayer("shapes", with_crs ? &wgs84 : nullptr, type, nullptr);
    ASSERT_NE(layer, nullptr);
    for (const std::string& wkt : wkts) {
      OGRGeometry* geometry = nullptr;
      ASSERT_EQ(OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &geometry), OGRERR_NONE)
          << wkt;
      OGRFeature feature(layer->GetLayerDefn());
      feature.SetGeometryDirectly(geometry);
      ASSERT_EQ(layer->CreateFeature(&feature), OGRERR_NONE);
    }
  }

  std::vector<NamedBlob> BlobsOf(const std::string& prefix) const {
    std::vector<NamedBlob> blobs;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir_)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind(prefix, 0) == 0) blobs.push_back({name, ReadBytes(entry.path())});
    }
    std::sort(blobs.begin(), blobs.end(),
              [](const NamedBlob& a, const NamedBlob& b) { return a.name < b.name; });
    return blobs;
  }

  fs::path dir_;
};

void ExpectTumenSquare(const ReadResult& result) {
  ASSERT_THAT(result.features, SizeIs(1));
  EXPECT_THAT(result.refused, IsEmpty());
  const ReadFeature& feature = result.features.front();
  EXPECT_EQ(feature.ref.label, "tumen");
  EXPECT_THAT(feature.repairs, IsEmpty());
  ASSERT_THAT(feature.geometry, SizeIs(1));
  for (const Point& p : feature.geometry.front().outer()) {
    // A 2 km square spans ~0.025 degrees of longitude and 0.018 of latitude.
    EXPECT_NEAR(p.x(), kCentreLon, 0.02);
    EXPECT_NEAR(p.y(), kCentreLat, 0.015);
  }
  // 400 ha; UTM's scale error 1.6 degrees off the central meridian is ~0.04 %.
  EXPECT_NEAR(GeodesicAreaM2(feature.geometry) / (400 * kSquareMetresPerHectare), 1.0, 0.005);
  EXPECT_GT(boost::geometry::area(feature.geometry), 0.0);
}

TEST(FeatureRefTest, Describe) {
  EXPECT_EQ(
      (FeatureRef{.file = "sites.gpkg", .layer = "sites", .fid = 3, .label = "rason"}).Describe(),
      "file 'sites.gpkg', layer 'sites', feature 3 ('rason')");
  EXPECT_EQ((FeatureRef{.file = "a.geojson", .layer = "a", .fid = 0, .label = ""}).Describe(),
            "file 'a.geojson', layer 'a', feature 0");
}

TEST_F(GdalIoTest, ReadsProjectedGeoPackage) {
  const fs::path path = dir_ / "tumen.gpkg";
  WriteUtmSquare("GPKG", path, "sites");
  absl::StatusOr<ReadResult> result = ReadPolygonFeatures(path.string(), {});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->source_crs, "EPSG:32652");
  ExpectTumenSquare(*result);
  const ReadFeature& feature = result->features.front();
  EXPECT_EQ(feature.ref.file, path.string());
  EXPECT_EQ(feature.ref.layer, "sites");
  EXPECT_EQ(feature.ref.fid, 1);
  EXPECT_THAT(feature.attributes,
              ElementsAre(std::pair<const std::string, std::string>("name", "tumen")));
}

TEST_F(GdalIoTest, SplitsSitesAcrossTheAntimeridian) {
  // UTM zone 60N (central meridian 177E), a 2 km square centred on 180E.
  const fs::path path = dir_ / "chukotka.gpkg";
  WriteUtmSquare("GPKG", path, "sites", /*with_crs=*/true, 32660, 65.0, 180.0);
  absl::StatusOr<ReadResult> result = ReadPolygonFeatures(path.string(), {});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_THAT(result->features, SizeIs(1));
  const MultiPolygon& geometry = result->features[0].geometry;
  ASSERT_THAT(geometry, SizeIs(2));
  for (const Polygon& part : geometry) {
    double min_lon = 180;
    double max_lon = -180;
    for (const Point& p : part.outer()) {
      min_lon = std::min(min_lon, p.x());
      max_lon = std::max(max_lon, p.x());
    }
    EXPECT_LT(max_lon - min_lon, 0.05);  // each part hugs its side of 180
  }
  EXPECT_TRUE(boost::geometry::is_valid(geometry));
  // Scale error 3 degrees off the central meridian at 65N: ~0.015 %.
  EXPECT_NEAR(GeodesicAreaM2(geometry) / (400 * kSquareMetresPerHectare), 1.0, 0.005);
}

TEST_F(GdalIoTest, RepairsBowTie) {
  absl::StatusOr<ReadResult> result = ReadPolygonFeatures(kFixtures + "invalid_sites.geojson",
                                                          {.layer = "", .repair_invalid = true});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->source_crs, "EPSG:4326");
  ASSERT_THAT(result->features, SizeIs(2));
  EXPECT_EQ(result->features[0].ref.label, "good");
  EXPECT_THAT(result->features[0].repairs, IsEmpty());

  const ReadFeature& bowtie = result->features[1];
  EXPECT_EQ(bowtie.ref.label, "bowtie");
  ASSERT_THAT(bowtie.geometry, SizeIs(2));
  EXPECT_TRUE(boost::geometry::is_valid(bowtie.geometry));
  ASSERT_THAT(bowtie.repairs, SizeIs(1));
  EXPECT_THAT(bowtie.repairs[0], AllOf(HasSubstr("self-intersection"), HasSubstr("MakeValid"),
                                       HasSubstr("2 polygons")));
  // The two triangles either side of the crossing at (130.61, 42.31).
  MultiPolygon triangles;
  Polygon& left = triangles.emplace_back();
  left.outer() = {{130.60, 42.30}, {130.61, 42.31}, {130.60, 42.32}, {130.60, 42.30}};
  Polygon& right = triangles.emplace_back();
  right.outer() = {{130.62, 42.30}, {130.62, 42.32}, {130.61, 42.31}, {130.62, 42.30}};
  EXPECT_NEAR(GeodesicAreaM2(bowtie.geometry) / GeodesicAreaM2(triangles), 1.0, 1e-6);
  // Half the square the bow-tie spans.
  EXPECT_NEAR(
      GeodesicAreaM2(bowtie.geometry) / GeodesicAreaM2(Square(130.60, 42.30, 130.62, 42.32)), 0.5,
      1e-4);
}

TEST_F(GdalIoTest, RefusesBowTieWhenRepairDisabled) {
  absl::StatusOr<ReadResult> result = ReadPolygonFeatures(kFixtures + "invalid_sites.geojson",
                                                          {.layer = "", .repair_invalid = false});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_THAT(result->features, SizeIs(1));
  const auto bowtie = std::find_if(result->refused.begin(), result->refused.end(),
                                   [](const RefusedFeature& r) { return r.ref.label == "bowtie"; });
  ASSERT_NE(bowtie, result->refused.end());
  EXPECT_THAT(bowtie->reason, AllOf(HasSubstr("invalid_sites.geojson"), HasSubstr("'bowtie'"),
                                    HasSubstr("layer 'invalid_sites'"),
                                    HasSubstr("self-intersection"), HasSubstr("repair disabled")));
}

TEST_F(GdalIoTest, RefusesWhatCannotBeASite) {
  absl::StatusOr<ReadResult> result = ReadPolygonFeatures(kFixtures + "invalid_sites.geojson",
                                                          {.layer = "", .repair_invalid = true});
  ASSERT_TRUE(result.ok()) << result.status();
  std::vector<std::string> labels;
  for (const RefusedFeature& refused : result->refused) {
    labels.push_back(refused.ref.label);
    EXPECT_THAT(refused.reason, HasSubstr("file '" + kFixtures + "invalid_sites.geojson'"));
    EXPECT_THAT(refused.reason, HasSubstr(refused.ref.Describe()));
  }
  ASSERT_THAT(labels, ElementsAre("sliver", "needle", "nest", "nowhere", "lost"));
  // Exactly collinear points: invalid, and MakeValid leaves only lines.
  EXPECT_THAT(result->refused[0].reason,
              AllOf(HasSubstr("polygon is degenerate"), HasSubstr("leaves no area")));
  // Collinear up to rounding: valid for GEOS, but without area.
  EXPECT_THAT(result->refused[1].reason,
              AllOf(HasSubstr("polygon is degenerate"), HasSubstr("no area")));
  EXPECT_THAT(result->refused[2].reason, HasSubstr("geometry is Point; a site needs a polygon"));
  EXPECT_THAT(result->refused[3].reason, HasSubstr("outside the longitude/latitude range"));
  EXPECT_THAT(result->refused[4].reason, HasSubstr("no geometry"));
}

TEST_F(GdalIoTest, ReadsAttributesHolesAndMultiPolygons) {
  absl::StatusOr<ReadResult> result = ReadPolygonFeatures(kFixtures + "attributes.geojson", {});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_THAT(result->features, SizeIs(2));
  const ReadFeature& dalai = result->features[0];
  EXPECT_EQ(dalai.ref.label, "dalai");  // "site_id" wins over "name"
  EXPECT_EQ(dalai.ref.layer, "lakes");
  EXPECT_EQ(dalai.attributes.at("area_ha"), "3525.7");
  EXPECT_EQ(dalai.attributes.at("count"), "12");
  EXPECT_EQ(dalai.attributes.at("ratio"), "0.1");
  EXPECT_EQ(dalai.attributes.at("name"), "Dalai Lake");
  EXPECT_FALSE(dalai.attributes.contains("note"));  // null
  ASSERT_THAT(dalai.geometry, SizeIs(1));
  ASSERT_THAT(dalai.geometry[0].inners(), SizeIs(1));
  EXPECT_TRUE(boost::geometry::is_valid(dalai.geometry));
  EXPECT_NEAR(
      GeodesicAreaM2(dalai.geometry),
      GeodesicAreaM2(Square(117, 48, 118, 49)) - GeodesicAreaM2(Square(117.4, 48.4, 117.6, 48.6)),
      1.0);

  const ReadFeature& two = result->features[1];
  EXPECT_EQ(two.ref.label, "two lakes");
  EXPECT_THAT(two.geometry, SizeIs(2));
}

TEST_F(GdalIoTest, ReadsKml) {
  absl::StatusOr<ReadResult> result = ReadPolygonFeatures(kFixtures + "wetland.kml", {});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_THAT(result->features, SizeIs(1));
  const ReadFeature& feature = result->features[0];
  EXPECT_EQ(feature.ref.label, "Tumen estuary");
  ASSERT_THAT(feature.geometry, SizeIs(1));
  for (const Point& p : feature.geometry[0].outer()) {
    EXPECT_GE(p.x(), 130.55);
    EXPECT_LE(p.x(), 130.65);
    EXPECT_GE(p.y(), 42.30);
    EXPECT_LE(p.y(), 42.38);
  }
  EXPECT_NEAR(
      GeodesicAreaM2(feature.geometry) / GeodesicAreaM2(Square(130.55, 42.30, 130.65, 42.38)), 1.0,
      1e-9);
}

TEST_F(GdalIoTest, LinearizesCurvesAndDropsZ) {
  const fs::path path = dir_ / "curves.gpkg";
  WriteWkts("GPKG", path, wkbUnknown,
            {"CURVEPOLYGON(CIRCULARSTRING(130 42,130.02 42.02,130 42.04,129.98 42.02,130 42))",
             "POLYGON Z((130 42 5,130.1 42 5,130.1 42.1 7,130 42 5))",
             "GEOMETRYCOLLECTION(POLYGON((131 42,131.1 42,131.1 42.1,131 42)),"
             "POLYGON((132 42,132.1 42,132.1 42.1,132 42)))",
             "GEOMETRYCOLLECTION(POLYGON((131 42,131.1 42,131.1 42.1,131 42)),"
             "POINT(1 2))"});
  absl::StatusOr<ReadResult> result = ReadPolygonFeatures(path.string(), {});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_THAT(result->features, SizeIs(3));
  EXPECT_GT(result->features[0].geometry[0].outer().size(), 16u);  // circle, linearized
  // A circle of radius ~0.02 degrees.
  EXPECT_NEAR(boost::geometry::area(result->features[0].geometry), 3.14159 * 0.02 * 0.02, 2e-5);
  EXPECT_THAT(result->features[1].geometry[0].outer(), SizeIs(4));
  EXPECT_THAT(result->features[2].geometry, SizeIs(2));
  ASSERT_THAT(result->refused, SizeIs(1));
  EXPECT_THAT(result->refused[0].reason,
              HasSubstr("GeometryCollection with non-polygon parts; a site needs a polygon"));
}

TEST_F(GdalIoTest, MalformedFileNamesTheFile) {
  const fs::path path = dir_ / "broken.geojson";
  WriteBytes(path, std::string("\x00\x13garbage{{{\xff not json", 21));
  absl::StatusOr<ReadResult> result = ReadPolygonFeatures(path.string(), {});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(result.status()), HasSubstr("broken.geojson"));
}

TEST_F(GdalIoTest, MissingFileNamesTheFile) {
  absl::StatusOr<ReadResult> result = ReadPolygonFeatures((dir_ / "nope.gpkg").string(), {});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(result.status()), HasSubstr("nope.gpkg"));
}

TEST_F(GdalIoTest, UnknownLayerNamesTheLayer) {
  absl::StatusOr<ReadResult> result =
      ReadPolygonFeatures(kFixtures + "attributes.geojson", {.layer = "ponds"});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(result.status()),
              AllOf(HasSubstr("'ponds'"), HasSubstr("attributes.geojson"), HasSubstr("'lakes'")));

  result = ReadPolygonFeatures(kFixtures + "attributes.geojson", {.layer = "lakes"});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(result->features, SizeIs(2));
}

TEST_F(GdalIoTest, FileWithoutPolygonLayer) {
  const fs::path path = dir_ / "nests.geojson";
  WriteWkts("GeoJSON", path, wkbPoint, {"POINT(130 42)"});
  absl::StatusOr<ReadResult> result = ReadPolygonFeatures(path.string(), {});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(result.status()),
              AllOf(HasSubstr("nests.geojson"), HasSubstr("no polygon layer"), HasSubstr("Point")));
  result = ReadPolygonFeatures(path.string(), {.layer = "shapes"});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(result.status()), AllOf(HasSubstr("'shapes'"), HasSubstr("not polygons")));
}

TEST_F(GdalIoTest, LayerWithoutCrs) {
  WriteUtmSquare("ESRI Shapefile", dir_ / "utm.shp", "utm", /*with_crs=*/false);
  ASSERT_FALSE(fs::exists(dir_ / "utm.prj"));
  absl::StatusOr<ReadResult> result = ReadPolygonFeatures((dir_ / "utm.shp").string(), {});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(result.status()),
              AllOf(HasSubstr("utm.shp"), HasSubstr("layer 'utm'"),
                    HasSubstr("layer has no coordinate reference system")));

  // Coordinates that can only be lon/lat are taken as WGS84.
  WriteWkts("ESRI Shapefile", dir_ / "lonlat.shp", wkbPolygon,
            {"POLYGON((130 42,130.1 42,130.1 42.1,130 42.1,130 42))"}, /*with_crs=*/false);
  result = ReadPolygonFeatures((dir_ / "lonlat.shp").string(), {});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(result->source_crs, HasSubstr("assumed"));
  EXPECT_THAT(result->features, SizeIs(1));
}

TEST_F(GdalIoTest, BlobsOfAShapefileSet) {
  WriteUtmSquare("ESRI Shapefile", dir_ / "sites.shp", "sites");
  std::vector<NamedBlob> blobs = BlobsOf("sites.");
  std::vector<std::string> names;
  for (const NamedBlob& blob : blobs) names.push_back(blob.name);
  ASSERT_THAT(names, testing::IsSupersetOf({"sites.dbf", "sites.prj", "sites.shp", "sites.shx"}));

  absl::StatusOr<ReadResult> result = ReadPolygonFeaturesFromBlobs(blobs, {});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->source_crs, "EPSG:32652");
  ExpectTumenSquare(*result);
  EXPECT_EQ(result->features[0].ref.file, "sites.shp");
  EXPECT_EQ(result->features[0].ref.layer, "sites");
  EXPECT_THAT(WetlinkVsiMemEntries(), IsEmpty());

  // Without the .shx, GDAL cannot read it; the message names the upload.
  blobs.erase(std::remove_if(blobs.begin(), blobs.end(),
                             [](const NamedBlob& b) { return b.name == "sites.shx"; }),
              blobs.end());
  result = ReadPolygonFeaturesFromBlobs(blobs, {});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(result.status()),
              AllOf(HasSubstr("'sites.shp'"), HasSubstr("sites.shx"), Not(HasSubstr("vsimem"))));
  EXPECT_THAT(WetlinkVsiMemEntries(), IsEmpty());
}

TEST_F(GdalIoTest, BlobOfAZippedShapefile) {
  WriteUtmSquare("ESRI Shapefile", dir_ / "sites.shp", "sites");
  const fs::path zip = dir_ / "upload.zip";
  for (const NamedBlob& blob : BlobsOf("sites.")) {
    const std::string member = "/vsizip/" + zip.string() + "/" + blob.name;
    VSILFILE* file = VSIFOpenL(member.c_str(), "wb");
    ASSERT_NE(file, nullptr) << member;
    ASSERT_EQ(VSIFWriteL(blob.content.data(), 1, blob.content.size(), file), blob.content.size());
    ASSERT_EQ(VSIFCloseL(file), 0);
  }
  absl::StatusOr<ReadResult> result = ReadPolygonFeaturesFromBlobs(
      {{"upload.zip", ReadBytes(zip)}, {"README.txt", "site boundaries"}}, {});
  ASSERT_TRUE(result.ok()) << result.status();
  ExpectTumenSquare(*result);
  EXPECT_EQ(result->features[0].ref.file, "upload.zip");
  EXPECT_THAT(WetlinkVsiMemEntries(), IsEmpty());
}

TEST_F(GdalIoTest, BlobOfOneGeoJson) {
  absl::StatusOr<ReadResult> result = ReadPolygonFeaturesFromBlobs(
      {{"lakes.geojson", ReadBytes(kFixtures + "attributes.geojson")}}, {});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_THAT(result->features, SizeIs(2));
  EXPECT_EQ(result->features[0].ref.file, "lakes.geojson");

  result =
      ReadPolygonFeaturesFromBlobs({{"sites.json", ReadBytes(kFixtures + "invalid_sites.geojson")}},
                                   {.layer = "", .repair_invalid = false});
  ASSERT_TRUE(result.ok()) << result.status();
  for (const RefusedFeature& refused : result->refused) {
    EXPECT_THAT(refused.reason, AllOf(HasSubstr("file 'sites.json'"), Not(HasSubstr("vsimem"))));
  }
  EXPECT_THAT(WetlinkVsiMemEntries(), IsEmpty());
}

TEST_F(GdalIoTest, BrokenBlobNamesTheBlob) {
  absl::StatusOr<ReadResult> result =
      ReadPolygonFeaturesFromBlobs({{"broken.geojson", "{\"type\": \"FeatureCollection\", ["}}, {});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(result.status()),
              AllOf(HasSubstr("broken.geojson"), Not(HasSubstr("vsimem"))));
  result = ReadPolygonFeaturesFromBlobs({{"empty.gpkg", ""}}, {});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(result.status()), AllOf(HasSubstr("empty.gpkg"), Not(HasSubstr("vsimem"))));
  EXPECT_THAT(WetlinkVsiMemEntries(), IsEmpty());
}

TEST_F(GdalIoTest, RejectsAmbiguousOrEmptyUploads) {
  absl::StatusOr<ReadResult> result = ReadPolygonFeaturesFromBlobs({}, {});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);

  result = ReadPolygonFeaturesFromBlobs({{"a.geojson", "{}"}, {"b.geojson", "{}"}}, {});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(result.status()), AllOf(HasSubstr("'a.geojson'"), HasSubstr("'b.geojson'")));

  result = ReadPolygonFeaturesFromBlobs({{"a.shp", ""}, {"b.shp", ""}}, {});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  result = ReadPolygonFeaturesFromBlobs({{"../etc/passwd", ""}}, {});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  result = ReadPolygonFeaturesFromBlobs({{"a.shp", ""}, {"a.shp", ""}}, {});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(WetlinkVsiMemEntries(), IsEmpty());
}

// An upload is read only in formats whose files are self-contained: an OGR
// VRT, whatever the upload is called, would make GDAL open any path or URL
// it names on the server (here a local CSV of polygons), and the import's
// answer would echo that file's attributes. Found while writing
// fuzz/site_import_fuzzer, which feeds uploads in any format GDAL opens.
TEST_F(GdalIoTest, UploadsCannotMakeGdalOpenLocalFiles) {
  const fs::path secret = dir_ / "secret.csv";
  {
    std::ofstream out(secret);
    out << "WKT,name\n\"POLYGON((130 42,130.1 42,130.1 42.1,130 42.1,130 42))\",secret-name\n";
  }
  const std::string vrt = "<OGRVRTDataSource><OGRVRTLayer name=\"sites\"><SrcDataSource>" +
                          secret.string() +
                          "</SrcDataSource><SrcLayer>secret</SrcLayer><GeometryType>wkbPolygon"
                          "</GeometryType><GeometryField encoding=\"WKT\" field=\"WKT\"/>"
                          "</OGRVRTLayer></OGRVRTDataSource>";
  // The same file read locally is the user's own business: any format.
  absl::StatusOr<ReadResult> local = ReadPolygonFeatures((dir_ / "sites.vrt").string(), {});
  EXPECT_FALSE(local.ok());  // not written yet
  {
    std::ofstream out(dir_ / "sites.vrt");
    out << vrt;
  }
  local = ReadPolygonFeatures((dir_ / "sites.vrt").string(), {});
  ASSERT_TRUE(local.ok()) << local.status();
  EXPECT_EQ(local->features.size(), 1u);

  for (const char* name : {"sites.geojson", "sites.vrt", "sites.kml"}) {
    absl::StatusOr<ReadResult> result = ReadPolygonFeaturesFromBlobs({{name, vrt}}, {});
    ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_THAT(Message(result.status()),
                AllOf(HasSubstr(name), HasSubstr("uploads may be GeoJSON"),
                      Not(HasSubstr("secret-name")), Not(HasSubstr("vsimem"))));
  }
  EXPECT_THAT(WetlinkVsiMemEntries(), IsEmpty());
}

TEST_F(GdalIoTest, ConcurrentReads) {
  const std::string geojson = ReadBytes(kFixtures + "invalid_sites.geojson");
  std::vector<std::thread> threads;
  std::vector<int> counts(4, -1);
  for (std::size_t i = 0; i < counts.size(); ++i) {
    threads.emplace_back([&, i] {
      int total = 0;
      for (int round = 0; round < 5; ++round) {
        absl::StatusOr<ReadResult> result =
            ReadPolygonFeaturesFromBlobs({{"sites.geojson", geojson}}, {});
        if (result.ok()) total += static_cast<int>(result->features.size());
      }
      counts[i] = total;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(counts, ElementsAre(10, 10, 10, 10));
  EXPECT_THAT(WetlinkVsiMemEntries(), IsEmpty());
}

std::vector<FieldDef> TestFields() {
  return {{"site_id", FieldType::kString},
          {"area_ha", FieldType::kReal},
          {"birds", FieldType::kInteger}};
}

std::vector<WriteFeature> TestFeatures() {
  Polygon holed = Square(117, 48, 118, 49);
  holed.inners().push_back(
      {{117.4, 48.4}, {117.4, 48.6}, {117.6, 48.6}, {117.6, 48.4}, {117.4, 48.4}});
  boost::geometry::correct(holed);
  return {
      {{std::string("dalai"), 3525.7, std::int64_t{9'000'000'000}}, MultiPolygon{holed}},
      {{std::string("two ponds"), FieldValue{}, std::int64_t{-3}},
       MultiPolygon{Square(130.5, 42.3, 130.6, 42.4), Square(130.7, 42.3, 130.8, 42.4)}},
  };
}

// Reads back what WritePolygonFeatures wrote, with GDAL directly.
void ExpectWrittenFeatures(const std::string& path, const std::string& layer_name) {
  DatasetPtr dataset(GDALDataset::FromHandle(
      GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
  ASSERT_NE(dataset, nullptr) << path;
  OGRLayer* layer = dataset->GetLayerByName(layer_name.c_str());
  ASSERT_NE(layer, nullptr);
  ASSERT_NE(layer->GetSpatialRef(), nullptr);
  EXPECT_STREQ(layer->GetSpatialRef()->GetAuthorityCode(nullptr), "4326");
  ASSERT_EQ(layer->GetFeatureCount(), 2);
  const std::vector<WriteFeature> expected = TestFeatures();
  layer->ResetReading();
  for (const WriteFeature& want : expected) {
    OGRFeatureUniquePtr feature(layer->GetNextFeature());
    ASSERT_NE(feature, nullptr);
    EXPECT_STREQ(feature->GetFieldAsString("site_id"),
                 std::get<std::string>(want.values[0]).c_str());
    if (std::holds_alternative<double>(want.values[1])) {
      EXPECT_DOUBLE_EQ(feature->GetFieldAsDouble("area_ha"), std::get<double>(want.values[1]));
    } else {
      EXPECT_FALSE(feature->IsFieldSetAndNotNull(feature->GetFieldIndex("area_ha")));
    }
    EXPECT_EQ(feature->GetFieldAsInteger64("birds"), std::get<std::int64_t>(want.values[2]));
    ASSERT_NE(feature->GetGeometryRef(), nullptr);
    // RFC 7946 GeoJSON writes one-part multipolygons as polygons.
    std::unique_ptr<OGRGeometry> geometry(
        OGRGeometryFactory::forceToMultiPolygon(feature->StealGeometry()));
    ASSERT_EQ(wkbFlatten(geometry->getGeometryType()), wkbMultiPolygon);
    const OGRMultiPolygon* multipolygon = geometry->toMultiPolygon();
    const MultiPolygon& want_geometry = std::get<MultiPolygon>(want.geometry);
    ASSERT_EQ(static_cast<std::size_t>(multipolygon->getNumGeometries()), want_geometry.size());
    for (int i = 0; i < multipolygon->getNumGeometries(); ++i) {
      const OGRPolygon* polygon = multipolygon->getGeometryRef(i);
      const Polygon& want_polygon = want_geometry[static_cast<std::size_t>(i)];
      ASSERT_EQ(static_cast<std::size_t>(polygon->getNumInteriorRings()),
                want_polygon.inners().size());
      const OGRLinearRing* ring = polygon->getExteriorRing();
      ASSERT_EQ(static_cast<std::size_t>(ring->getNumPoints()), want_polygon.outer().size());
      // Ring start and direction are the writer's choice; area and extent are not.
      OGREnvelope envelope;
      ring->getEnvelope(&envelope);
      EXPECT_NEAR(envelope.MinX, want_polygon.outer()[0].x(), 1e-7);
      EXPECT_NEAR(envelope.MinY, want_polygon.outer()[0].y(), 1e-7);
    }
    EXPECT_NEAR(multipolygon->get_Area(), boost::geometry::area(want_geometry), 1e-9);
  }
}

TEST_F(GdalIoTest, WritesGeoPackage) {
  const std::string path = (dir_ / "out.gpkg").string();
  ASSERT_TRUE(
      WritePolygonFeatures(path, VectorFormat::kGeoPackage, "sites", TestFields(), TestFeatures())
          .ok());
  ExpectWrittenFeatures(path, "sites");

  // Round trip through the reader as well.
  absl::StatusOr<ReadResult> result = ReadPolygonFeatures(path, {});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_THAT(result->features, SizeIs(2));
  EXPECT_EQ(result->features[0].ref.label, "dalai");
  EXPECT_EQ(result->features[0].attributes.at("area_ha"), "3525.7");
  EXPECT_EQ(result->features[0].attributes.at("birds"), "9000000000");
  EXPECT_FALSE(result->features[1].attributes.contains("area_ha"));

  // Overwrites, rather than appending to, an existing file.
  ASSERT_TRUE(
      WritePolygonFeatures(path, VectorFormat::kGeoPackage, "sites", TestFields(), TestFeatures())
          .ok());
  ExpectWrittenFeatures(path, "sites");
}

TEST_F(GdalIoTest, WritesGeoJson) {
  const std::string path = (dir_ / "out.geojson").string();
  ASSERT_TRUE(
      WritePolygonFeatures(path, VectorFormat::kGeoJson, "sites", TestFields(), TestFeatures())
          .ok());
  ExpectWrittenFeatures(path, "sites");
  ASSERT_TRUE(
      WritePolygonFeatures(path, VectorFormat::kGeoJson, "sites", TestFields(), TestFeatures())
          .ok());
  ExpectWrittenFeatures(path, "sites");
}

TEST_F(GdalIoTest, WritesBytes) {
  absl::StatusOr<std::string> gpkg =
      WritePolygonFeaturesToBytes(VectorFormat::kGeoPackage, "sites", TestFields(), TestFeatures());
  ASSERT_TRUE(gpkg.ok()) << gpkg.status();
  EXPECT_EQ(gpkg->rfind("SQLite format 3", 0), 0u);
  WriteBytes(dir_ / "bytes.gpkg", *gpkg);
  ExpectWrittenFeatures((dir_ / "bytes.gpkg").string(), "sites");

  absl::StatusOr<std::string> geojson =
      WritePolygonFeaturesToBytes(VectorFormat::kGeoJson, "sites", TestFields(), TestFeatures());
  ASSERT_TRUE(geojson.ok()) << geojson.status();
  EXPECT_THAT(*geojson, HasSubstr("\"FeatureCollection\""));
  WriteBytes(dir_ / "bytes.geojson", *geojson);
  ExpectWrittenFeatures((dir_ / "bytes.geojson").string(), "sites");
  EXPECT_THAT(WetlinkVsiMemEntries(), IsEmpty());
}

TEST_F(GdalIoTest, WritesEmptyLayer) {
  absl::StatusOr<std::string> gpkg =
      WritePolygonFeaturesToBytes(VectorFormat::kGeoPackage, "sites", TestFields(), {});
  ASSERT_TRUE(gpkg.ok()) << gpkg.status();
  EXPECT_FALSE(gpkg->empty());
}

TEST_F(GdalIoTest, RejectsMismatchedValues) {
  const std::string path = (dir_ / "bad.gpkg").string();
  std::vector<WriteFeature> features = TestFeatures();
  features[1].values.pop_back();
  absl::Status status =
      WritePolygonFeatures(path, VectorFormat::kGeoPackage, "sites", TestFields(), features);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(status), AllOf(HasSubstr("bad.gpkg"), HasSubstr("feature 1")));

  features = TestFeatures();
  features[0].values[2] = std::string("many");
  status = WritePolygonFeatures(path, VectorFormat::kGeoPackage, "sites", TestFields(), features);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(status), HasSubstr("'birds'"));
  EXPECT_FALSE(fs::exists(path));

  EXPECT_EQ(WritePolygonFeaturesToBytes(VectorFormat::kGeoJson, "sites",
                                        {{"a", FieldType::kString}, {"A", FieldType::kString}}, {})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(GdalIoTest, UnwritablePathIsAnError) {
  const std::string path = (dir_ / "no-such-dir" / "out.gpkg").string();
  absl::Status status =
      WritePolygonFeatures(path, VectorFormat::kGeoPackage, "sites", TestFields(), TestFeatures());
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(Message(status), HasSubstr(path));
}

}  // namespace
}  // namespace wetlink::geo
