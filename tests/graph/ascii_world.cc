#include "tests/graph/ascii_world.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "geo/geodesy.h"
#include "tests/testing/geometry_fixtures.h"

namespace wetlink::graph::testing {
namespace {

std::vector<std::string> MapRows(std::string_view map) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= map.size()) {
    std::size_t end = map.find('\n', start);
    if (end == std::string_view::npos) end = map.size();
    lines.emplace_back(map.substr(start, end - start));
    start = end + 1;
  }
  auto blank = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
  };
  while (!lines.empty() && blank(lines.front())) lines.erase(lines.begin());
  while (!lines.empty() && blank(lines.back())) lines.pop_back();
  // The common indentation of the drawn lines is not part of the map.
  std::size_t indent = std::string::npos;
  for (const std::string& line : lines) {
    if (blank(line)) continue;
    indent = std::min(indent, line.find_first_not_of(' '));
  }
  for (std::string& line : lines) line = line.size() > indent ? line.substr(indent) : "";
  return lines;
}

}  // namespace

std::int32_t AssignSite(const catalog::Catalog& catalog, double lat, double lon) {
  const std::vector<const catalog::Site*> covering = catalog.SitesContaining(geo::Point(lon, lat));
  const catalog::Site* best = nullptr;
  double best_area = 0;
  for (const catalog::Site* site : covering) {  // sorted by id: ties keep the first
    const double area = geo::GeodesicAreaM2(site->geometry);
    if (best == nullptr || area < best_area) {
      best = site;
      best_area = area;
    }
  }
  return best == nullptr ? kNoSite : static_cast<std::int32_t>(best - catalog.sites().data());
}

std::vector<catalog::Species> FocalSpecies() {
  std::vector<catalog::Species> out;
  const std::pair<const char*, const char*> ids[] = {{"antigone_vipio", "WNC"},
                                                     {"grus_monacha", "HC"},
                                                     {"grus_japonensis", "RCC"},
                                                     {"platalea_minor", "BFS"}};
  for (const auto& [id, code] : ids) {
    catalog::Species s;
    s.id = id;
    s.code = code;
    s.names["en"] = id;
    out.push_back(std::move(s));
  }
  return out;
}

AsciiWorld::AsciiWorld(std::string_view map, std::map<char, SiteSpec> sites,
                       std::map<char, std::string> place_countries, geo::LatLon north_west)
    : north_west_(north_west), rows_(MapRows(map)), countries_(std::move(place_countries)) {
  for (int r = 0; r < static_cast<int>(rows_.size()); ++r) {
    for (int c = 0; c < static_cast<int>(rows_[static_cast<std::size_t>(r)].size()); ++c) {
      const char ch = rows_[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
      if (!std::isalpha(static_cast<unsigned char>(ch))) continue;
      Cells& cells = cells_[ch];
      cells.row_min = std::min(cells.row_min, r);
      cells.row_max = std::max(cells.row_max, r);
      cells.col_min = std::min(cells.col_min, c);
      cells.col_max = std::max(cells.col_max, c);
    }
  }
  std::vector<catalog::Site> catalog_sites;
  for (const auto& [letter, cells] : cells_) {
    if (!std::isupper(static_cast<unsigned char>(letter))) continue;
    auto spec = sites.find(letter);
    if (spec == sites.end()) {
      throw std::invalid_argument(std::string("no SiteSpec for site ") + letter);
    }
    countries_[letter] = spec->second.country;
    catalog::Site site;
    site.id = SiteId(letter);
    site.names["en"] = std::string("Site ") + letter;
    site.country = spec->second.country;
    site.is_protected = spec->second.is_protected;
    site.centre = Centre(letter);
    const double west = north_west_.lon + kCellDeg * cells.col_min;
    const double east = north_west_.lon + kCellDeg * (cells.col_max + 1);
    const double north = north_west_.lat - kCellDeg * cells.row_min;
    const double south = north_west_.lat - kCellDeg * (cells.row_max + 1);
    site.geometry = wetlink::testing::Square(west, south, east, north);
    site.geometry_surveyed = true;
    site.origin = "bundled";
    catalog_sites.push_back(std::move(site));
  }
  catalog_ = std::make_shared<const catalog::Catalog>(
      std::move(catalog_sites), std::vector<catalog::Complex>{}, FocalSpecies());
}

geo::LatLon AsciiWorld::Centre(char letter) const {
  auto it = cells_.find(letter);
  if (it == cells_.end()) throw std::invalid_argument(std::string("no letter ") + letter);
  const Cells& c = it->second;
  return {north_west_.lat - kCellDeg * (c.row_min + c.row_max + 1) / 2.0,
          north_west_.lon + kCellDeg * (c.col_min + c.col_max + 1) / 2.0};
}

std::int32_t AsciiWorld::Site(char letter) const {
  const std::string id = SiteId(letter);
  const catalog::Site* site = catalog_->FindSite(id);
  if (site == nullptr) throw std::invalid_argument("no site " + id);
  return static_cast<std::int32_t>(site - catalog_->sites().data());
}

std::string AsciiWorld::SiteId(char letter) {
  return std::string("site_") + static_cast<char>(std::tolower(static_cast<unsigned char>(letter)));
}

std::string AsciiWorld::CountryAt(geo::LatLon p) const {
  const int r = static_cast<int>(std::floor((north_west_.lat - p.lat) / kCellDeg));
  const int c = static_cast<int>(std::floor((p.lon - north_west_.lon) / kCellDeg));
  if (r < 0 || r >= static_cast<int>(rows_.size()) || c < 0 ||
      c >= static_cast<int>(rows_[static_cast<std::size_t>(r)].size())) {
    return "";
  }
  auto it = countries_.find(rows_[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)]);
  return it == countries_.end() ? "" : it->second;
}

CountryLookup AsciiWorld::Countries() const {
  return [this](geo::LatLon p) { return CountryAt(p); };
}

TrackBuilder::TrackBuilder(const AsciiWorld& world, telemetry::TimestampMs start_ms)
    : world_(world), now_ms_(start_ms) {}

void TrackBuilder::AddFix(double lat, double lon) {
  points_.push_back(
      {.t_ms = now_ms_, .lat = lat, .lon = lon, .site = AssignSite(*world_.catalog(), lat, lon)});
}

TrackBuilder& TrackBuilder::Stay(char place, int hours, int every_hours) {
  const geo::LatLon centre = world_.Centre(place);
  const telemetry::TimestampMs end = now_ms_ + hours * kHour;
  telemetry::TimestampMs t = now_ms_;
  if (!points_.empty() && points_.back().t_ms == t) t += every_hours * kHour;
  for (; t <= end; t += every_hours * kHour) {
    // Up to ±0.004° (under 450 m): well inside the cell, and every stay far
    // within the default 5 km diameter.
    const double dlat = 0.002 * static_cast<double>(jitter_ % 5) - 0.004;
    const double dlon = 0.002 * static_cast<double>((jitter_ * 3 + 1) % 5) - 0.004;
    ++jitter_;
    now_ms_ = t;
    AddFix(centre.lat + dlat, centre.lon + dlon);
  }
  now_ms_ = end;
  place_ = place;
  return *this;
}

TrackBuilder& TrackBuilder::Fly(char to, int hours) {
  const geo::LatLon from = world_.Centre(place_);
  const geo::LatLon dest = world_.Centre(to);
  const telemetry::TimestampMs start = now_ms_;
  for (int h = 1; h < hours; ++h) {
    const double f = static_cast<double>(h) / hours;
    now_ms_ = start + h * kHour;
    AddFix(from.lat + f * (dest.lat - from.lat), from.lon + f * (dest.lon - from.lon));
  }
  now_ms_ = start + hours * kHour;
  place_ = to;
  return *this;
}

TrackBuilder& TrackBuilder::Gap(int hours) {
  now_ms_ += hours * kHour;
  return *this;
}

TrackBuilder& TrackBuilder::GapUntil(telemetry::TimestampMs t_ms) {
  now_ms_ = std::max(now_ms_, t_ms);
  return *this;
}

}  // namespace wetlink::graph::testing
