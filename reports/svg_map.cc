#include "reports/svg_map.h"

#include <algorithm>
#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/algorithms/convert.hpp>
#include <boost/geometry/algorithms/envelope.hpp>
#include <boost/geometry/algorithms/expand.hpp>
#include <boost/geometry/algorithms/intersection.hpp>
#include <boost/geometry/algorithms/intersects.hpp>
#include <boost/geometry/algorithms/simplify.hpp>
#include <boost/geometry/strategies/strategies.hpp>
#include <cmath>
#include <cstddef>
#include <exception>
#include <numbers>
#include <string>
#include <utility>

#include "reports/html_text.h"
#include "reports/render_cat.h"
#include "reports/render_text.h"

namespace wetlink::reports::internal {

namespace bg = boost::geometry;

namespace {

constexpr double kWidth = 720;
constexpr double kMinHeight = 420;  // 12:7
constexpr double kMaxHeight = 630;  // 8:7
constexpr double kMarginShare = 0.12;
constexpr double kMinSpanDeg = 0.12;  // about 13 km of latitude
constexpr double kKmPerDegree = 111.195;
constexpr double kPlaceRadius = 5.5;

constexpr std::string_view kDomesticColour = "#2b5c8a";
constexpr std::string_view kCrossBorderColour = "#c0392b";

std::string Px(double v) { return FormatFixed(v, 1); }

bool Usable(geo::LatLon p) {
  return std::isfinite(p.lat) && std::isfinite(p.lon) && p.lat >= -90 && p.lat <= 90 &&
         p.lon >= -180 && p.lon <= 180;
}

// The frame: a lon/lat box and the projection of it onto kWidth x height px.
struct Frame {
  double lon_min = 0;
  double lon_max = 0;
  double lat_min = 0;
  double lat_max = 0;
  double k = 1;      // cos(middle latitude)
  double scale = 1;  // px per degree of latitude
  double height = kMinHeight;

  geo::Point Project(double lon, double lat) const {
    return {(lon - lon_min) * k * scale, (lat_max - lat) * scale};
  }
  geo::Point Project(geo::LatLon p) const { return Project(p.lon, p.lat); }
  geo::Box Box() const { return {{lon_min, lat_min}, {lon_max, lat_max}}; }
};

Frame FitFrame(const SiteMap& map) {
  double lon_min = 1e9;
  double lon_max = -1e9;
  double lat_min = 1e9;
  double lat_max = -1e9;
  auto add = [&](double lon, double lat) {
    if (!Usable({.lat = lat, .lon = lon})) return;
    lon_min = std::min(lon_min, lon);
    lon_max = std::max(lon_max, lon);
    lat_min = std::min(lat_min, lat);
    lat_max = std::max(lat_max, lat);
  };
  add(map.site_centre.lon, map.site_centre.lat);
  if (map.site_geometry != nullptr && !map.site_geometry->empty()) {
    geo::Box envelope;
    bg::envelope(*map.site_geometry, envelope);
    add(envelope.min_corner().x(), envelope.min_corner().y());
    add(envelope.max_corner().x(), envelope.max_corner().y());
  }
  for (const MapPlace& place : map.places) add(place.position.lon, place.position.lat);
  if (lon_min > lon_max) {  // nothing usable at all
    lon_min = lon_max = 0;
    lat_min = lat_max = 0;
  }
  const double lat_mid = (lat_min + lat_max) / 2;
  Frame frame;
  frame.k = std::max(0.1, std::cos(lat_mid * std::numbers::pi / 180));
  double lat_span = std::max(lat_max - lat_min, kMinSpanDeg);
  double lon_span = std::max(lon_max - lon_min, kMinSpanDeg / frame.k);
  lat_span *= 1 + 2 * kMarginShare;
  lon_span *= 1 + 2 * kMarginShare;
  // Widen one side to an aspect the page can hold.
  const double ratio = lat_span / (lon_span * frame.k);
  if (ratio * kWidth > kMaxHeight) lon_span = lat_span / (kMaxHeight / kWidth) / frame.k;
  if (ratio * kWidth < kMinHeight) lat_span = lon_span * frame.k * (kMinHeight / kWidth);
  const double lon_mid = (lon_min + lon_max) / 2;
  frame.lon_min = lon_mid - lon_span / 2;
  frame.lon_max = lon_mid + lon_span / 2;
  frame.lat_min = std::max(-89.9, lat_mid - lat_span / 2);
  frame.lat_max = std::min(89.9, lat_mid + lat_span / 2);
  frame.scale = kWidth / ((frame.lon_max - frame.lon_min) * frame.k);
  frame.height = (frame.lat_max - frame.lat_min) * frame.scale;
  return frame;
}

// Pixel rings of a lon/lat polygon, each generalised to `tolerance_px`;
// rings left with fewer than four points are dropped.
std::vector<geo::Ring> ProjectPolygon(const geo::Polygon& polygon, const Frame& frame,
                                      double tolerance_px) {
  std::vector<geo::Ring> rings;
  auto project = [&](const geo::Ring& ring) {
    geo::Ring px;
    for (const geo::Point& p : ring) px.push_back(frame.Project(p.x(), p.y()));
    if (tolerance_px > 0) {
      geo::Ring simple;
      bg::simplify(px, simple, tolerance_px);
      px = std::move(simple);
    }
    if (px.size() >= 4) rings.push_back(std::move(px));
  };
  project(polygon.outer());
  for (const geo::Ring& inner : polygon.inners()) project(inner);
  return rings;
}

std::string PathData(const std::vector<geo::Ring>& rings) {
  std::string d;
  for (const geo::Ring& ring : rings) {
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {  // closed: skip the repeat
      Append(&d, i == 0 ? "M" : "L", Px(ring[i].x()), " ", Px(ring[i].y()));
    }
    d += "Z";
  }
  return d;
}

// Where to write a label inside a pixel polygon (outer ring first, then
// holes): the middle of the widest stretch of the horizontal line through
// the middle of its bounding box that lies inside it (even-odd over every
// ring). Returns false for a polygon with no such stretch.
bool LabelPoint(const std::vector<geo::Ring>& rings, geo::Point& at, double& width) {
  geo::Box box;
  bg::envelope(rings.front(), box);
  const double y = (box.min_corner().y() + box.max_corner().y()) / 2;
  std::vector<double> crossings;
  for (const geo::Ring& ring : rings) {
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
      const geo::Point& a = ring[i];
      const geo::Point& b = ring[i + 1];
      // Half-open in y, so a vertex on the line counts once.
      if ((a.y() <= y) != (b.y() <= y)) {
        crossings.push_back(a.x() + (y - a.y()) / (b.y() - a.y()) * (b.x() - a.x()));
      }
    }
  }
  std::sort(crossings.begin(), crossings.end());
  width = 0;
  for (std::size_t i = 0; i + 1 < crossings.size(); i += 2) {
    if (crossings[i + 1] - crossings[i] > width) {
      width = crossings[i + 1] - crossings[i];
      at = geo::Point((crossings[i] + crossings[i + 1]) / 2, y);
    }
  }
  return width > 0;
}

void DrawCountries(const SiteMap& map, const Frame& frame, std::string& svg) {
  if (map.background == nullptr) return;
  geo::Polygon clip;
  bg::convert(frame.Box(), clip);
  std::string labels;
  Append(&svg, "<g class=\"countries\">\n");
  for (const auto& [code, outline] : map.background->countries) {
    if (outline.empty()) continue;
    geo::MultiPolygon clipped;
    // Boost.Geometry throws on input it cannot overlay; such a country is
    // left out of the picture rather than failing the report.
    try {
      geo::Box envelope;
      bg::envelope(outline, envelope);
      if (!bg::intersects(envelope, frame.Box())) continue;
      bg::intersection(clip, outline, clipped);
    } catch (const std::exception&) {
      continue;
    }
    std::vector<geo::Ring> rings;
    double largest_area = 0;
    geo::Point label_at;
    for (const geo::Polygon& part : clipped) {
      std::vector<geo::Ring> part_rings = ProjectPolygon(part, frame, 0.5);
      if (part_rings.empty()) continue;
      const double area = std::abs(bg::area(part_rings.front()));
      geo::Point at;
      double width = 0;
      geo::Box extent;
      bg::envelope(part_rings.front(), extent);
      const bool roomy = extent.max_corner().y() - extent.min_corner().y() > 18;
      if (area > largest_area && roomy && LabelPoint(part_rings, at, width) && width > 30) {
        largest_area = area;
        label_at = at;
      }
      for (geo::Ring& ring : part_rings) rings.push_back(std::move(ring));
    }
    if (rings.empty()) continue;
    const auto name = map.country_names.find(code);
    const std::string title =
        HtmlEscape(name == map.country_names.end() ? code : name->second + " (" + code + ")");
    Append(&svg, "<path class=\"country\" data-country=\"", HtmlEscape(code), "\" d=\"",
           PathData(rings), "\"><title>", title, "</title></path>\n");
    if (largest_area > 900 && !code.empty()) {
      Append(&labels, "<text class=\"country-code\" x=\"", Px(label_at.x()), "\" y=\"",
             Px(label_at.y() + 4), "\" text-anchor=\"middle\"><title>", title, "</title>",
             HtmlEscape(code), "</text>\n");
    }
  }
  Append(&svg, "</g>\n<g class=\"country-codes\">\n", labels, "</g>\n");
}

// Graticule lines every "nice" number of degrees, labelled on the left
// and top edges.
void DrawGraticule(const Frame& frame, std::string& svg) {
  const double span = std::max(frame.lat_max - frame.lat_min, (frame.lon_max - frame.lon_min));
  double step = 10;
  for (const double s : {0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0}) {
    if (span / s <= 7) {
      step = s;
      break;
    }
  }
  const int decimals = step < 0.1 ? 2 : (step < 1 ? 1 : 0);
  Append(&svg, "<g class=\"graticule\">\n");
  for (double lat = std::ceil(frame.lat_min / step) * step; lat <= frame.lat_max; lat += step) {
    const double y = frame.Project(frame.lon_min, lat).y();
    Append(&svg, "<line x1=\"0\" y1=\"", Px(y), "\" x2=\"", Px(kWidth), "\" y2=\"", Px(y),
           "\"/><text x=\"3\" y=\"", Px(y - 3), "\">", FormatFixed(std::abs(lat), decimals),
           lat < 0 ? "°S" : "°N", "</text>\n");
  }
  for (double lon = std::ceil(frame.lon_min / step) * step; lon <= frame.lon_max; lon += step) {
    const double x = frame.Project(lon, frame.lat_max).x();
    Append(&svg, "<line x1=\"", Px(x), "\" y1=\"0\" x2=\"", Px(x), "\" y2=\"", Px(frame.height),
           "\"/><text x=\"", Px(x + 3), "\" y=\"11\">", FormatFixed(std::abs(lon), decimals),
           lon < 0 ? "°W" : "°E", "</text>\n");
  }
  Append(&svg, "</g>\n");
}

void DrawSite(const SiteMap& map, const Frame& frame, std::string& svg) {
  std::vector<geo::Ring> rings;
  if (map.site_geometry != nullptr) {
    for (const geo::Polygon& part : *map.site_geometry) {
      for (geo::Ring& ring : ProjectPolygon(part, frame, 0.25)) rings.push_back(std::move(ring));
    }
  }
  const std::string title = HtmlEscape(map.site_title);
  Append(&svg, "<g class=\"site\">\n");
  double extent = 0;
  if (!rings.empty()) {
    geo::Box box;
    bg::envelope(rings.front(), box);
    for (const geo::Ring& ring : rings) {
      geo::Box b;
      bg::envelope(ring, b);
      bg::expand(box, b);
    }
    extent = std::max(box.max_corner().x() - box.min_corner().x(),
                      box.max_corner().y() - box.min_corner().y());
    Append(&svg, "<path class=\"site-area\" d=\"", PathData(rings), "\"><title>", title,
           "</title></path>\n");
  }
  if (extent < 14) {
    // Too small to see at this scale: a ring around the centre.
    const geo::Point c = frame.Project(map.site_centre);
    Append(&svg, "<circle class=\"site-marker\" cx=\"", Px(c.x()), "\" cy=\"", Px(c.y()),
           "\" r=\"8\"><title>", title, "</title></circle>\n");
  }
  Append(&svg, "</g>\n");
}

geo::Point Unit(double dx, double dy) {
  const double len = std::hypot(dx, dy);
  if (len < 1e-9) return {0, 0};
  return {dx / len, dy / len};
}

void DrawLinks(const SiteMap& map, const Frame& frame, std::string& svg) {
  std::uint32_t max_individuals = 1;
  for (const MapLink& link : map.links)
    max_individuals = std::max(max_individuals, link.individuals);
  // Thick lines first, so thin ones stay visible on top.
  std::vector<const MapLink*> order;
  for (const MapLink& link : map.links) order.push_back(&link);
  std::stable_sort(order.begin(), order.end(), [](const MapLink* a, const MapLink* b) {
    return a->individuals > b->individuals;
  });
  Append(&svg, "<g class=\"links\">\n");
  for (const MapLink* link : order) {
    if (!Usable(link->from) || !Usable(link->to)) continue;
    const geo::Point a = frame.Project(link->from);
    const geo::Point b = frame.Project(link->to);
    const double len = std::hypot(b.x() - a.x(), b.y() - a.y());
    if (len < 2 * kPlaceRadius + 4) continue;
    // A gentle curve bending to the right of the direction of travel, so
    // the two directions between one pair of sites run apart.
    const geo::Point along = Unit(b.x() - a.x(), b.y() - a.y());
    const geo::Point right{-along.y(), along.x()};
    const double bend = std::min(0.16 * len, 60.0);
    const geo::Point control{(a.x() + b.x()) / 2 + right.x() * bend,
                             (a.y() + b.y()) / 2 + right.y() * bend};
    const double width = LinkWidth(link->individuals, max_individuals);
    const geo::Point start_dir = Unit(control.x() - a.x(), control.y() - a.y());
    const geo::Point end_dir = Unit(b.x() - control.x(), b.y() - control.y());
    const geo::Point start{a.x() + start_dir.x() * (kPlaceRadius + 1),
                           a.y() + start_dir.y() * (kPlaceRadius + 1)};
    const geo::Point tip{b.x() - end_dir.x() * (kPlaceRadius + 1.5),
                         b.y() - end_dir.y() * (kPlaceRadius + 1.5)};
    // The arrowhead, smaller on a short link so that some line shows.
    const double head = std::min(7 + 1.6 * width, 0.45 * (len - 2 * kPlaceRadius));
    const geo::Point base{tip.x() - end_dir.x() * head, tip.y() - end_dir.y() * head};
    const double half = head * 0.45;
    const std::string_view colour = link->cross_border ? kCrossBorderColour : kDomesticColour;
    Append(&svg, "<g class=\"link", link->cross_border ? " cross-border" : "", "\"><title>",
           HtmlEscape(link->title), "</title><path d=\"M", Px(start.x()), " ", Px(start.y()), "Q",
           Px(control.x()), " ", Px(control.y()), " ", Px(base.x()), " ", Px(base.y()),
           "\" fill=\"none\" stroke=\"", colour, "\" stroke-width=\"", Px(width),
           "\" stroke-linecap=\"round\"/>");
    Append(&svg, "<path d=\"M", Px(tip.x()), " ", Px(tip.y()), "L",
           Px(base.x() - end_dir.y() * half), " ", Px(base.y() + end_dir.x() * half), "L",
           Px(base.x() + end_dir.y() * half), " ", Px(base.y() - end_dir.x() * half), "Z\" fill=\"",
           colour, "\"/></g>\n");
  }
  Append(&svg, "</g>\n");
}

void DrawPlaces(const SiteMap& map, const Frame& frame, std::string& svg) {
  Append(&svg, "<g class=\"places\">\n");
  for (const MapPlace& place : map.places) {
    if (!Usable(place.position)) continue;
    const geo::Point p = frame.Project(place.position);
    const std::string title = Cat("<title>", HtmlEscape(place.title), "</title>");
    if (place.nearby) {
      const double r = kPlaceRadius + 1;
      Append(&svg, "<path class=\"nearby\" d=\"M", Px(p.x()), " ", Px(p.y() - r), "L",
             Px(p.x() + r * 0.95), " ", Px(p.y() + r * 0.7), "L", Px(p.x() - r * 0.95), " ",
             Px(p.y() + r * 0.7), "Z\">", title, "</path>\n");
    } else {
      Append(&svg, "<circle class=\"linked", place.is_protected ? " protected" : "", "\" cx=\"",
             Px(p.x()), "\" cy=\"", Px(p.y()), "\" r=\"", Px(kPlaceRadius), "\">", title,
             "</circle>\n");
    }
    Append(&svg, "<text class=\"place-label\" x=\"", Px(p.x() + kPlaceRadius + 2), "\" y=\"",
           Px(p.y() - kPlaceRadius - 1), "\">", HtmlEscape(place.label), "</text>\n");
  }
  Append(&svg, "</g>\n");
}

void DrawScaleBar(const SiteMap& map, const Frame& frame, std::string& svg) {
  const double km_per_px = kKmPerDegree / frame.scale;
  const double raw = 120 * km_per_px;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double km = magnitude;
  for (const double factor : {5.0, 2.0, 1.0}) {
    if (magnitude * factor <= raw) {
      km = magnitude * factor;
      break;
    }
  }
  const double length = km / km_per_px;
  const double x = 12;
  const double y = frame.height - 14;
  const std::string text = ReplaceAll(map.scale_label, "{0}", FormatFixed(km, km < 1 ? 1 : 0));
  Append(&svg, "<g class=\"scale-bar\">\n<rect class=\"scale-bg\" x=\"", Px(x - 6), "\" y=\"",
         Px(y - 22), "\" width=\"", Px(length + 12), "\" height=\"32\"/>\n");
  Append(&svg, "<rect x=\"", Px(x), "\" y=\"", Px(y), "\" width=\"", Px(length / 2),
         "\" height=\"5\" fill=\"#333\"/><rect x=\"", Px(x + length / 2), "\" y=\"", Px(y),
         "\" width=\"", Px(length / 2),
         "\" height=\"5\" fill=\"#fff\" stroke=\"#333\" stroke-width=\"0.8\"/>\n");
  Append(&svg, "<text x=\"", Px(x), "\" y=\"", Px(y - 5), "\">0</text><text x=\"", Px(x + length),
         "\" y=\"", Px(y - 5), "\" text-anchor=\"end\">", HtmlEscape(text), "</text>\n</g>\n");
}

}  // namespace

double LinkWidth(std::uint32_t individuals, std::uint32_t max_individuals) {
  if (max_individuals == 0) return 1.5;
  const double share =
      std::sqrt(static_cast<double>(individuals) / static_cast<double>(max_individuals));
  return 1.5 + 5.5 * std::clamp(share, 0.0, 1.0);
}

std::string SiteMapSvg(const SiteMap& map) {
  const Frame frame = FitFrame(map);
  const bool has_background = map.background != nullptr && !map.background->countries.empty();
  std::string svg =
      Cat("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" viewBox=\"0 0 ", Px(kWidth), " ",
          Px(frame.height), "\" role=\"img\" aria-label=\"", HtmlEscape(map.title),
          "\" data-frame=\"", FormatFixed(frame.lon_min, 4), " ", FormatFixed(frame.lat_min, 4),
          " ", FormatFixed(frame.lon_max, 4), " ", FormatFixed(frame.lat_max, 4), "\">\n<title>",
          HtmlEscape(map.title), "</title>\n");
  Append(&svg, "<rect class=\"", has_background ? "sea" : "no-background",
         "\" x=\"0\" y=\"0\" width=\"", Px(kWidth), "\" height=\"", Px(frame.height), "\"/>\n");
  DrawCountries(map, frame, svg);
  DrawGraticule(frame, svg);
  DrawSite(map, frame, svg);
  DrawLinks(map, frame, svg);
  DrawPlaces(map, frame, svg);
  DrawScaleBar(map, frame, svg);
  Append(&svg, "<rect class=\"frame\" x=\"0.5\" y=\"0.5\" width=\"", Px(kWidth - 1), "\" height=\"",
         Px(frame.height - 1), "\"/>\n</svg>\n");
  return svg;
}

std::string LegendSymbolSvg(LegendSymbol symbol) {
  std::string body;
  switch (symbol) {
    case LegendSymbol::kSite:
      body = "<rect class=\"site-area\" x=\"3\" y=\"3\" width=\"22\" height=\"12\"/>";
      break;
    case LegendSymbol::kLinkedProtected:
      body = "<circle class=\"linked protected\" cx=\"14\" cy=\"9\" r=\"5.5\"/>";
      break;
    case LegendSymbol::kLinkedUnprotected:
      body = "<circle class=\"linked\" cx=\"14\" cy=\"9\" r=\"5.5\"/>";
      break;
    case LegendSymbol::kNearby:
      body = "<path class=\"nearby\" d=\"M14 2.5L20.2 13.5L7.8 13.5Z\"/>";
      break;
    case LegendSymbol::kLink:
    case LegendSymbol::kCrossBorderLink: {
      const std::string_view colour =
          symbol == LegendSymbol::kLink ? kDomesticColour : kCrossBorderColour;
      body =
          Cat("<path d=\"M2 9L19 9\" stroke=\"", colour,
              "\" stroke-width=\"3\"/><path d=\"M27 9L18 4.5L18 13.5Z\" fill=\"", colour, "\"/>");
      break;
    }
    case LegendSymbol::kCountry:
      body = "<rect class=\"country\" x=\"3\" y=\"3\" width=\"22\" height=\"12\"/>";
      break;
  }
  return Cat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"legend-symbol\" viewBox=\"0 0 28 18\" "
      "width=\"28\" height=\"18\" aria-hidden=\"true\">",
      body, "</svg>");
}

}  // namespace wetlink::reports::internal
