#include "sim/sim_world.h"

#include <cmath>
#include <numbers>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "data/bundled_catalog.h"
#include "geo/geodesy.h"

namespace wetlink::sim {

int SimWorld::SiteIndex(std::string_view id) const {
  const auto& sites = catalog.sites();
  for (size_t i = 0; i < sites.size(); ++i) {
    if (sites[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

absl::StatusOr<std::map<std::string, SpeciesSites>> ParseFocalUse(
    const std::string& sites_json, const catalog::Catalog& catalog) {
  // nlohmann throws; nothing escapes this function.
  nlohmann::json doc = nlohmann::json::parse(sites_json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.contains("sites") || !doc["sites"].is_array()) {
    return absl::InvalidArgumentError("sites.json: not a sites document");
  }
  std::map<std::string, int> index;
  for (size_t i = 0; i < catalog.sites().size(); ++i) index[catalog.sites()[i].id] = static_cast<int>(i);

  std::map<std::string, SpeciesSites> out;
  for (const auto& site : doc["sites"]) {
    if (!site.is_object() || !site.contains("id") || !site["id"].is_string()) continue;
    const std::string id = site["id"].get<std::string>();
    auto it = index.find(id);
    if (it == index.end()) return absl::InvalidArgumentError(absl::StrCat("sites.json: unknown site ", id));
    auto fu = site.find("focal_use");
    if (fu == site.end() || !fu->is_array()) continue;
    for (const auto& use : *fu) {
      if (!use.is_object() || !use.contains("species") || !use["species"].is_string() ||
          !use.contains("use") || !use["use"].is_array()) {
        return absl::InvalidArgumentError(absl::StrCat("sites.json: site ", id, ": malformed focal_use"));
      }
      const std::string species = use["species"].get<std::string>();
      if (catalog.FindSpecies(species) == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("sites.json: site ", id, ": focal_use names unknown species ", species));
      }
      SpeciesSites& s = out[species];
      for (const auto& code : use["use"]) {
        if (!code.is_string()) continue;
        const std::string c = code.get<std::string>();
        if (c == "B") s.breeding.push_back(it->second);
        if (c == "S") s.stopover.push_back(it->second);
        if (c == "W") s.wintering.push_back(it->second);
      }
    }
  }
  return out;
}

absl::StatusOr<std::shared_ptr<const SimWorld>> BuildWorld(const catalog::CatalogFiles& files) {
  absl::StatusOr<catalog::CatalogData> data = catalog::ParseCatalog(files);
  if (!data.ok()) return data.status();
  auto world = std::make_shared<SimWorld>();
  world->catalog = catalog::Catalog(std::move(data->sites), std::move(data->complexes),
                                    std::move(data->species));
  absl::StatusOr<std::map<std::string, SpeciesSites>> use =
      ParseFocalUse(files.sites_json, world->catalog);
  if (!use.ok()) return use.status();
  world->sites_by_species = *std::move(use);
  for (const catalog::Site& site : world->catalog.sites()) {
    const double area = geo::GeodesicAreaM2(site.geometry);
    world->site_radius_m.push_back(std::sqrt(std::max(area, 1.0) / std::numbers::pi));
  }
  return std::shared_ptr<const SimWorld>(std::move(world));
}

absl::StatusOr<std::shared_ptr<const SimWorld>> BundledWorld() {
  static const auto* const kWorld =
      new absl::StatusOr<std::shared_ptr<const SimWorld>>(BuildWorld(data::BundledCatalogFiles()));
  return *kWorld;
}

}  // namespace wetlink::sim
