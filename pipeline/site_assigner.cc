#include "pipeline/site_assigner.h"

#include <boost/geometry.hpp>

#include "geo/geodesy.h"

namespace wetlink::pipeline {
namespace {

// The largest box, centred on the bounding box's centre and of its
// proportions, that lies within `geometry` (bisection on its scale); an
// inverted (empty) box when even a small one does not.
geo::Box InnerBox(const geo::MultiPolygon& geometry, const geo::Box& bounds) {
  const double cx = (bounds.min_corner().x() + bounds.max_corner().x()) / 2;
  const double cy = (bounds.min_corner().y() + bounds.max_corner().y()) / 2;
  const double hw = (bounds.max_corner().x() - bounds.min_corner().x()) / 2;
  const double hh = (bounds.max_corner().y() - bounds.min_corner().y()) / 2;
  auto box_at = [&](double scale) {
    return geo::Box(geo::Point(cx - hw * scale, cy - hh * scale),
                    geo::Point(cx + hw * scale, cy + hh * scale));
  };
  auto fits = [&](double scale) {
    geo::Polygon ring;
    boost::geometry::convert(box_at(scale), ring);
    return boost::geometry::within(ring, geometry);
  };
  double lo = 0, hi = 1;
  if (!fits(0.05)) return geo::Box(geo::Point(1, 1), geo::Point(0, 0));
  lo = 0.05;
  for (int i = 0; i < 20; ++i) {
    const double mid = (lo + hi) / 2;
    (fits(mid) ? lo : hi) = mid;
  }
  return box_at(lo);
}

}  // namespace

SiteAssigner::SiteAssigner(std::shared_ptr<const catalog::Catalog> catalog)
    : catalog_(std::move(catalog)) {
  area_m2_.reserve(catalog_->sites().size());
  for (const catalog::Site& site : catalog_->sites()) {
    area_m2_.push_back(geo::GeodesicAreaM2(site.geometry));
    bounds_.push_back(boost::geometry::return_envelope<geo::Box>(site.geometry));
    inner_.push_back(InnerBox(site.geometry, bounds_.back()));
  }
  overlaps_other_.assign(bounds_.size(), false);
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    for (std::size_t j = i + 1; j < bounds_.size(); ++j) {
      if (boost::geometry::intersects(bounds_[i], bounds_[j])) {
        overlaps_other_[i] = true;
        overlaps_other_[j] = true;
      }
    }
  }
}

std::string_view SiteAssigner::Assign(double lat, double lon, int* hint) const {
  const geo::Point p(lon, lat);
  if (hint != nullptr && *hint >= 0) {
    const auto h = static_cast<std::size_t>(*hint);
    // Only a site that overlaps no other can answer alone: elsewhere the
    // smallest covering site must be found among all.
    if (!overlaps_other_[h] &&
        (boost::geometry::covered_by(p, inner_[h]) ||
         (boost::geometry::covered_by(p, bounds_[h]) &&
          boost::geometry::covered_by(p, catalog_->sites()[h].geometry)))) {
      return catalog_->sites()[h].id;
    }
  }
  const std::vector<const catalog::Site*> covering =
      catalog_->SitesContaining(p);
  const catalog::Site* best = nullptr;
  double best_area = 0;
  for (const catalog::Site* site : covering) {  // sorted by id: ties keep the first
    const double area = area_m2_[static_cast<std::size_t>(site - catalog_->sites().data())];
    if (best == nullptr || area < best_area) {
      best = site;
      best_area = area;
    }
  }
  if (hint != nullptr) {
    *hint = best == nullptr ? -1 : static_cast<int>(best - catalog_->sites().data());
  }
  return best == nullptr ? std::string_view() : std::string_view(best->id);
}

}  // namespace wetlink::pipeline
