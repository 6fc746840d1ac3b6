#ifndef WETLINK_CATALOG_SITE_H_
#define WETLINK_CATALOG_SITE_H_

// A catalogued wetland site and the complexes sites are grouped into.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geo/geometry.h"

namespace wetlink::catalog {

enum class DesignationKind {
  kRamsar,
  kNationalPark,
  kNatureReserve,
  kWetlandProtectedArea,
  kNaturalMonument,
  kBiosphereReserve,
  kWorldHeritage,
  kScenicArea,
  kRegionalPark,
  kFlywayNetworkSite,  // EAAFP recognition, not legal protection
  kOtherProtected,
};

// Snake-case names used in data files and on disk ("ramsar", "national_park").
std::string_view DesignationKindName(DesignationKind kind);
std::optional<DesignationKind> ParseDesignationKind(std::string_view name);
// Every kind, in declaration order.
const std::vector<DesignationKind>& AllDesignationKinds();

struct Designation {
  DesignationKind kind = DesignationKind::kOtherProtected;
  std::string title;   // e.g. "Ramsar Site no. 2343"
  int year = 0;        // 0 when unknown
  std::string date;    // ISO 8601, "" when unknown
  std::string number;  // e.g. Ramsar site number, "" when none
  std::string source;  // source code, e.g. "S28"

  bool operator==(const Designation&) const = default;
};

struct Site {
  std::string id;                            // stable, [a-z0-9_]+
  std::map<std::string, std::string> names;  // language code -> name; "en" set
  std::vector<std::string> names_unverified; // languages without a source
  std::vector<std::string> alt_names;
  std::string country;     // ISO 3166-1 alpha-2
  std::string complex_id;  // "" when none
  std::vector<Designation> designations;
  bool is_protected = false;
  std::optional<double> stated_area_ha;  // as a source states it
  std::string area_source;
  geo::LatLon centre;
  bool centre_verified = false;
  std::string centre_source;
  bool geometry_surveyed = false;  // false: an approximation, see geometry_note
  std::string geometry_note;
  geo::MultiPolygon geometry;      // WGS84, valid, oriented
  std::vector<std::string> sources;
  std::string notes;
  std::string origin;  // "bundled" or "import:<file>"

  const std::string& EnglishName() const;
  bool HasDesignation(DesignationKind kind) const;
};

struct Complex {
  std::string id;
  std::map<std::string, std::string> names;
  std::vector<std::string> countries;
  std::string kind;
  std::string description;
  std::vector<std::string> sources;
};

// True for ids of the form [a-z0-9_]{1,64}.
bool IsValidSiteId(std::string_view id);

// True for two upper-case ASCII letters (ISO 3166-1 alpha-2 shape).
bool IsCountryCode(std::string_view code);

}  // namespace wetlink::catalog

#endif  // WETLINK_CATALOG_SITE_H_
