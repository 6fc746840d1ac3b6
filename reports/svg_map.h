#ifndef WETLINK_REPORTS_SVG_MAP_H_
#define WETLINK_REPORTS_SVG_MAP_H_

// Internal to the report renderers: the site map as inline SVG.
//
// Projection: equirectangular about the middle latitude of the frame (x =
// longitude times the cosine of that latitude, y = latitude), which keeps
// distances true to within a few per cent across a frame of a few hundred
// kilometres at these latitudes; the scale bar holds for the middle
// latitude. The frame fits the site's boundary, its linked sites and the
// nearby stopovers with a margin, widened to an aspect between 12:7
// and 8:7. Country outlines are clipped to the frame with
// boost::geometry::intersection and generalised to half a pixel.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "geo/geometry.h"
#include "reports/render.h"

namespace wetlink::reports::internal {

struct MapPlace {
  std::string label{};  // drawn by the marker: "1", "N1"
  std::string title{};  // its tooltip: name, country
  geo::LatLon position{};
  bool nearby = false;        // a stopover outside protected areas (triangle)
  bool is_protected = false;  // a linked site: filled when protected
};

struct MapLink {
  geo::LatLon from{};
  geo::LatLon to{};
  std::uint32_t individuals = 0;
  bool cross_border = false;
  std::string title{};
};

struct SiteMap {
  std::string title{};  // accessible name
  const geo::MultiPolygon* site_geometry = nullptr;
  geo::LatLon site_centre{};
  std::string site_title{};
  std::vector<MapPlace> places{};
  std::vector<MapLink> links{};
  const MapBackground* background = nullptr;
  std::map<std::string, std::string> country_names{};  // code -> tooltip
  std::string scale_label{};  // "{0}" becomes the bar's length in km: "{0} km"
};

std::string SiteMapSvg(const SiteMap& map);

// Small SVG symbols for the legend next to the map.
enum class LegendSymbol {
  kSite,
  kLinkedProtected,
  kLinkedUnprotected,
  kNearby,
  kLink,
  kCrossBorderLink,
  kCountry,
};
std::string LegendSymbolSvg(LegendSymbol symbol);

// The stroke width of a link of `individuals` when the map's largest link
// has `max_individuals`.
double LinkWidth(std::uint32_t individuals, std::uint32_t max_individuals);

}  // namespace wetlink::reports::internal

#endif  // WETLINK_REPORTS_SVG_MAP_H_
