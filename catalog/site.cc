#include "catalog/site.h"

#include <algorithm>
#include <array>
#include <utility>

namespace wetlink::catalog {
namespace {

constexpr std::array<std::pair<DesignationKind, std::string_view>, 11> kKindNames{{
    {DesignationKind::kRamsar, "ramsar"},
    {DesignationKind::kNationalPark, "national_park"},
    {DesignationKind::kNatureReserve, "nature_reserve"},
    {DesignationKind::kWetlandProtectedArea, "wetland_protected_area"},
    {DesignationKind::kNaturalMonument, "natural_monument"},
    {DesignationKind::kBiosphereReserve, "biosphere_reserve"},
    {DesignationKind::kWorldHeritage, "world_heritage"},
    {DesignationKind::kScenicArea, "scenic_area"},
    {DesignationKind::kRegionalPark, "regional_park"},
    {DesignationKind::kFlywayNetworkSite, "flyway_network_site"},
    {DesignationKind::kOtherProtected, "other_protected"},
}};

}  // namespace

std::string_view DesignationKindName(DesignationKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "other_protected";
}

std::optional<DesignationKind> ParseDesignationKind(std::string_view name) {
  for (const auto& [k, n] : kKindNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

const std::vector<DesignationKind>& AllDesignationKinds() {
  static const std::vector<DesignationKind> kinds = [] {
    std::vector<DesignationKind> v;
    for (const auto& entry : kKindNames) v.push_back(entry.first);
    return v;
  }();
  return kinds;
}

const std::string& Site::EnglishName() const {
  static const std::string kEmpty;
  auto it = names.find("en");
  return it == names.end() ? kEmpty : it->second;
}

bool Site::HasDesignation(DesignationKind kind) const {
  return std::any_of(designations.begin(), designations.end(),
                     [kind](const Designation& d) { return d.kind == kind; });
}

bool IsValidSiteId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool IsCountryCode(std::string_view code) {
  return code.size() == 2 && std::all_of(code.begin(), code.end(),
                                         [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace wetlink::catalog
