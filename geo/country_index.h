#ifndef WETLINK_GEO_COUNTRY_INDEX_H_
#define WETLINK_GEO_COUNTRY_INDEX_H_

// Which country a position is in, as an ISO 3166-1 alpha-2 code, from country
// boundary polygons (the bundled ones are Natural Earth 1:50m admin-0, see
// data/countries/README.md: borders are accurate to a few km, so a point that
// close to a border may be attributed to the neighbour).
//
// Built once from GeoJSON or TopoJSON text, read through GDAL (gdal_io.h);
// then immutable and safe to query from any number of threads. Containment is
// an R-tree of the polygons' parts plus an exact point-in-polygon test in
// lon/lat (PolygonIndex). The nearest-country fallback measures the distance
// to the nearest boundary segment, found through an R-tree of all segments,
// in a local plane scaled by the WGS84 radii of curvature at the query point:
// within 0.5 % of the geodesic distance at 20 km at mid-latitudes (about 2 %
// at 100 km), far finer than the data.

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "geo/geometry.h"
#include "geo/polygon_index.h"

namespace wetlink::geo {

struct CountryIndexOptions {
  // The file name used in messages; GDAL detects the format from the text.
  std::string name = "countries.json";
  // The layer to read, e.g. "countries" in world-atlas TopoJSON (which also
  // has "land"); empty: every polygon layer.
  std::string layer;
  // The attribute naming each feature's country: an alpha-2 code ("iso_a2"
  // in Natural Earth GeoJSON), or any key translated through `code_table`
  // ("id" in world-atlas TopoJSON, holding the ISO 3166-1 numeric code).
  std::string code_attribute = "iso_a2";
  // If not empty, attribute values are looked up here (e.g. "410" -> "KR").
  std::map<std::string, std::string, std::less<>> code_table;
};

class CountryIndex {
 public:
  // Reads the polygon features of `text`. A feature whose attribute is
  // missing, empty, Natural Earth's "-99", or absent from a non-empty
  // code_table is kept without a code (see uncoded_features()): it still
  // claims its land, where lookups return "". InvalidArgument naming the
  // source if the text is not readable polygon data, if any feature's
  // geometry is refused, if a code is not two letters A-Z, or if there is no
  // feature at all.
  static absl::StatusOr<CountryIndex> FromText(std::string_view text,
                                               const CountryIndexOptions& options);

  ~CountryIndex();
  CountryIndex(CountryIndex&&) noexcept;
  CountryIndex& operator=(CountryIndex&&) noexcept;
  CountryIndex(const CountryIndex&) = delete;
  CountryIndex& operator=(const CountryIndex&) = delete;

  // The alpha-2 code of the country whose polygon covers `p` (boundary
  // included; on a shared border, the feature first in the source wins).
  // "" at sea, on land without a code, or for a non-finite position or a
  // latitude outside [-90, 90]. Longitudes are taken modulo 360.
  // The view stays valid as long as the index.
  std::string_view CountryAt(LatLon p) const;

  // Like CountryAt; where no polygon covers `p`, the code of the feature
  // whose boundary is nearest, if within `max_distance_m` metres (tidal flats
  // and coastal roosts lie seaward of a 1:50m coastline), else "". Ties go to
  // the feature first in the source.
  std::string_view NearestCountry(LatLon p, double max_distance_m) const;

  std::size_t feature_count() const { return codes_.size(); }
  // Features kept without a code, in source order, each as its "name"
  // attribute (or its position in the source) with the reason, e.g.
  // "Kosovo (no 'id')".
  const std::vector<std::string>& uncoded_features() const { return uncoded_; }

 private:
  struct SegmentTree;
  CountryIndex(std::vector<std::string> codes, std::vector<std::string> uncoded,
               std::vector<std::size_t> part_feature, PolygonIndex parts);

  // The first feature covering `p` (already normalised), or -1.
  std::ptrdiff_t FeatureAt(const Point& p) const;

  std::vector<std::string> codes_;         // per feature; "" if none
  std::vector<std::string> uncoded_;       // see uncoded_features()
  std::vector<std::size_t> part_feature_;  // polygon part -> feature
  PolygonIndex parts_;                     // one single-polygon entry per part
  std::unique_ptr<SegmentTree> segments_;
};

}  // namespace wetlink::geo

#endif  // WETLINK_GEO_COUNTRY_INDEX_H_
