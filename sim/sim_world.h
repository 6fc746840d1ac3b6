#ifndef WETLINK_SIM_SIM_WORLD_H_
#define WETLINK_SIM_SIM_WORLD_H_

// What the simulator knows of the world: the catalog (site geometry and
// species) and, per species, which sites it breeds at (B), stops over at (S)
// and winters at (W). catalog::Site does not carry the bundled `focal_use`
// lists, so they are read from the sites JSON text here.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "catalog/catalog.h"
#include "catalog/catalog_json.h"

namespace wetlink::sim {

// Positions in Catalog::sites().
struct SpeciesSites {
  std::vector<int> breeding;
  std::vector<int> stopover;
  std::vector<int> wintering;
};

struct SimWorld {
  catalog::Catalog catalog;
  std::map<std::string, SpeciesSites> sites_by_species;  // species id -> sites
  // Per site (same positions as catalog.sites()): radius in metres of the
  // disc with the site's geodesic area, the scale of movements inside it.
  std::vector<double> site_radius_m;

  // Position of a site in catalog.sites(), or -1.
  int SiteIndex(std::string_view id) const;
};

// Species id -> site use, from the `focal_use` field of a sites.json text.
absl::StatusOr<std::map<std::string, SpeciesSites>> ParseFocalUse(
    const std::string& sites_json, const catalog::Catalog& catalog);

absl::StatusOr<std::shared_ptr<const SimWorld>> BuildWorld(const catalog::CatalogFiles& files);

// The world from the catalog bundled in the binary (parsed once, cached).
absl::StatusOr<std::shared_ptr<const SimWorld>> BundledWorld();

}  // namespace wetlink::sim

#endif  // WETLINK_SIM_SIM_WORLD_H_
