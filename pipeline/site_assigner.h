#ifndef WETLINK_PIPELINE_SITE_ASSIGNER_H_
#define WETLINK_PIPELINE_SITE_ASSIGNER_H_

// Assigns a position to the catalogued site it falls in: the R-tree of the
// catalog finds candidate boundaries by bounding box, then an exact
// point-in-polygon test decides (boundary included).
//
// Where boundaries overlap (a reserve inside a Ramsar site, or two
// approximated discs), the smallest site by geodesic area wins: it is the
// most specific place, and the choice does not depend on the order sites
// were imported. Equal areas fall back to id order.

#include <memory>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "geo/geometry.h"

namespace wetlink::pipeline {

class SiteAssigner {
 public:
  // Keeps `catalog` alive for as long as the assigner lives.
  explicit SiteAssigner(std::shared_ptr<const catalog::Catalog> catalog);

  // The id of the site covering (lat, lon), or "" outside every site. The
  // view lives as long as the assigner.
  //
  // `hint` carries the site of a caller's previous position (a bird's last
  // fix; -1 for none) and is updated: consecutive fixes of a bird are mostly
  // at the same site, and a site overlapping no other needs one
  // point-in-polygon test instead of an R-tree query.
  std::string_view Assign(double lat, double lon, int* hint = nullptr) const;

  const std::shared_ptr<const catalog::Catalog>& catalog() const { return catalog_; }

 private:
  std::shared_ptr<const catalog::Catalog> catalog_;
  std::vector<double> area_m2_;  // by index into catalog_->sites()
  std::vector<geo::Box> bounds_;
  // A box inside the site (empty when none was found): most fixes lie deep
  // inside their site, and a box test is far cheaper than point-in-polygon
  // on a 72-vertex boundary.
  std::vector<geo::Box> inner_;
  std::vector<bool> overlaps_other_;  // bounding box meets another site's
};

}  // namespace wetlink::pipeline

#endif  // WETLINK_PIPELINE_SITE_ASSIGNER_H_
