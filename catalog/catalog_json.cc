#include "catalog/catalog_json.h"

#include <cmath>
#include <limits>
#include <numbers>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "catalog/format.h"
#include "geo/geodesy.h"

namespace wetlink::catalog {
namespace {

using nlohmann::json;

// Schema errors travel as this exception inside this file only; ParseCatalog
// turns it into a status, so nothing is thrown across the module boundary.
struct SchemaError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void Fail(const std::string& where, const std::string& what) {
  throw SchemaError(where + ": " + what);
}

const json& Required(const json& obj, const std::string& where, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) Fail(where, absl::StrCat("field '", key, "' is missing"));
  return *it;
}

std::string RequiredString(const json& obj, const std::string& where, const char* key) {
  const json& v = Required(obj, where, key);
  if (!v.is_string()) Fail(where, absl::StrCat("field '", key, "' must be a string"));
  return v.get<std::string>();
}

std::string OptionalString(const json& obj, const std::string& where, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return "";
  if (!it->is_string()) Fail(where, absl::StrCat("field '", key, "' must be a string"));
  return it->get<std::string>();
}

std::optional<double> OptionalNumber(const json& obj, const std::string& where, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) Fail(where, absl::StrCat("field '", key, "' must be a number"));
  double v = it->get<double>();
  if (!std::isfinite(v)) Fail(where, absl::StrCat("field '", key, "' must be finite"));
  return v;
}

// A whole number (years, counts, reference numbers) that fits an int, 0
// when absent. Checked before the conversion: casting a double outside the
// int range is undefined behaviour, and 2005.7 is not a year.
int OptionalInt(const json& obj, const std::string& where, const char* key) {
  const std::optional<double> v = OptionalNumber(obj, where, key);
  if (!v) return 0;
  if (*v != std::trunc(*v) || *v < std::numeric_limits<int>::min() ||
      *v > std::numeric_limits<int>::max()) {
    Fail(where, absl::StrCat("field '", key, "' must be a whole number that fits 32 bits"));
  }
  return static_cast<int>(*v);
}

bool OptionalBool(const json& obj, const std::string& where, const char* key, bool fallback) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) Fail(where, absl::StrCat("field '", key, "' must be true or false"));
  return it->get<bool>();
}

std::vector<std::string> StringList(const json& obj, const std::string& where, const char* key) {
  std::vector<std::string> out;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return out;
  if (!it->is_array()) Fail(where, absl::StrCat("field '", key, "' must be a list of strings"));
  for (const json& v : *it) {
    if (!v.is_string()) Fail(where, absl::StrCat("field '", key, "' must be a list of strings"));
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::map<std::string, std::string> Names(const json& obj, const std::string& where) {
  const json& names = Required(obj, where, "names");
  if (!names.is_object()) Fail(where, "field 'names' must be an object");
  std::map<std::string, std::string> out;
  for (const auto& [lang, value] : names.items()) {
    if (value.is_null()) continue;  // "not found" in the sources
    if (!value.is_string()) Fail(where, absl::StrCat("names.", lang, " must be a string"));
    out[lang] = value.get<std::string>();
  }
  if (!out.contains("en")) Fail(where, "names.en is missing");
  return out;
}

json ParseDocument(const std::string& text, const std::string& file, const std::string& schema,
                   const char* list_key) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) Fail(file, "not valid JSON");
  if (!doc.is_object()) Fail(file, "top level must be an object");
  if (OptionalString(doc, file, "schema") != schema) {
    Fail(file, absl::StrCat("field 'schema' must be \"", schema, "\""));
  }
  const json& list = Required(doc, file, list_key);
  if (list.is_array() || list.is_object()) return list;
  Fail(file, absl::StrCat("field '", list_key, "' has the wrong type"));
}

class Parser {
 public:
  explicit Parser(const CatalogFiles& files) : files_(files) {}

  CatalogData Run() {
    ParseSources();
    ParseComplexes();
    ParseSpecies();
    ParseSites();
    return std::move(data_);
  }

 private:
  void CheckSource(const std::string& where, const std::string& code) {
    if (!code.empty() && !data_.sources.contains(code)) {
      Fail(where, absl::StrCat("source '", code, "' is not defined in sources.json"));
    }
  }

  std::vector<std::string> Citations(const std::string& where, const std::vector<std::string>& codes) {
    std::vector<std::string> out;
    for (const std::string& code : codes) {
      // Unlike a single optional `source` field, a list entry must not be
      // empty (at() below would throw past ParseCatalog).
      auto it = data_.sources.find(code);
      if (it == data_.sources.end()) {
        Fail(where, absl::StrCat("source '", code, "' is not defined in sources.json"));
      }
      out.push_back(absl::StrCat(code, ": ", it->second));
    }
    return out;
  }

  void ParseSources() {
    const json& sources = ParseDocument(files_.sources_json, "sources.json",
                                        "wetlink.catalog.sources/1", "sources");
    if (!sources.is_object()) Fail("sources.json", "field 'sources' must be an object");
    for (const auto& [code, citation] : sources.items()) {
      if (!citation.is_string()) Fail("sources.json", absl::StrCat(code, " must be a string"));
      data_.sources[code] = citation.get<std::string>();
    }
  }

  void ParseComplexes() {
    const json& list = ParseDocument(files_.complexes_json, "complexes.json",
                                     "wetlink.catalog.complexes/1", "complexes");
    std::set<std::string> seen;
    for (const json& c : list) {
      Complex complex;
      complex.id = RequiredString(c, "complexes.json", "id");
      const std::string where = absl::StrCat("complexes.json: complex '", complex.id, "'");
      if (!IsValidSiteId(complex.id)) Fail(where, "id must match [a-z0-9_]{1,64}");
      if (!seen.insert(complex.id).second) Fail(where, "duplicate id");
      complex.names = Names(c, where);
      complex.countries = StringList(c, where, "countries");
      complex.kind = OptionalString(c, where, "kind");
      complex.description = OptionalString(c, where, "description");
      complex.sources = Citations(where, StringList(c, where, "sources"));
      data_.complexes.push_back(std::move(complex));
    }
  }

  void ParseSpecies() {
    const json& list = ParseDocument(files_.species_json, "species.json",
                                     "wetlink.catalog.species/1", "species");
    std::set<std::string> seen;
    for (const json& j : list) {
      Species s;
      s.id = RequiredString(j, "species.json", "id");
      const std::string where = absl::StrCat("species.json: species '", s.id, "'");
      if (!IsValidSiteId(s.id)) Fail(where, "id must match [a-z0-9_]{1,64}");
      if (!seen.insert(s.id).second) Fail(where, "duplicate id");
      s.code = RequiredString(j, where, "code");
      s.scientific_name = RequiredString(j, where, "scientific_name");
      s.names = Names(j, where);
      s.weak_names = StringList(j, where, "names_weak");
      s.focal = OptionalBool(j, where, "focal", false);
      if (auto it = j.find("iucn"); it != j.end() && it->is_object()) {
        s.iucn_category = OptionalString(*it, where, "category");
        s.iucn_year = OptionalInt(*it, where, "year");
        s.iucn_criteria = OptionalString(*it, where, "criteria");
        s.iucn_source = OptionalString(*it, where, "source");
        CheckSource(where, s.iucn_source);
      }
      const json& pop = Required(j, where, "population");
      const std::string pop_where = absl::StrCat(where, ": population");
      const std::optional<double> estimate = OptionalNumber(pop, pop_where, "estimate");
      if (!estimate) Fail(pop_where, "field 'estimate' is missing");
      s.population.estimate = *estimate;
      if (!(s.population.estimate > 0)) Fail(pop_where, "estimate must be > 0");
      s.population.min = OptionalNumber(pop, pop_where, "min");
      s.population.max = OptionalNumber(pop, pop_where, "max");
      s.population.year = OptionalInt(pop, pop_where, "year");
      s.population.basis = OptionalString(pop, pop_where, "basis");
      s.population.source = OptionalString(pop, pop_where, "source");
      CheckSource(pop_where, s.population.source);
      if (auto it = j.find("one_percent"); it != j.end() && it->is_object()) {
        if (OptionalNumber(*it, where, "published")) {
          s.published_one_percent = OptionalInt(*it, where, "published");
        }
        s.published_one_percent_source = OptionalString(*it, where, "published_source");
        s.one_percent_note = OptionalString(*it, where, "note");
      }
      s.timing = OptionalString(j, where, "timing");
      s.breeding = OptionalString(j, where, "breeding");
      s.stopover = OptionalString(j, where, "stopover");
      s.wintering = OptionalString(j, where, "wintering");
      s.sources = Citations(where, StringList(j, where, "sources"));
      data_.species.push_back(std::move(s));
    }
  }

  Designation ParseDesignation(const json& d, const std::string& where) {
    Designation out;
    const std::string kind = RequiredString(d, where, "kind");
    auto parsed = ParseDesignationKind(kind);
    if (!parsed) Fail(where, absl::StrCat("designation kind '", kind, "' is unknown"));
    out.kind = *parsed;
    out.title = OptionalString(d, where, "title");
    out.year = OptionalInt(d, where, "year");
    out.date = OptionalString(d, where, "date");
    auto number = d.find("number");
    if (number != d.end() && number->is_number()) {
      out.number = std::to_string(OptionalInt(d, where, "number"));
    } else {
      out.number = OptionalString(d, where, "number");
    }
    out.source = OptionalString(d, where, "source");
    CheckSource(where, out.source);
    return out;
  }

  void ApproximateGeometry(Site& site, std::optional<double> nominal_radius_km,
                           const std::string& where) {
    double area_m2 = 0;
    std::string basis;
    if (site.stated_area_ha.has_value()) {
      if (!(*site.stated_area_ha > 0)) Fail(where, "area_ha must be > 0");
      area_m2 = *site.stated_area_ha * geo::kSquareMetresPerHectare;
      basis = absl::StrCat("the stated area (", FormatHectares(*site.stated_area_ha), ")");
    } else {
      if (!nominal_radius_km || !(*nominal_radius_km > 0)) {
        Fail(where, "a site without area_ha needs nominal_radius_km > 0");
      }
      const double r = *nominal_radius_km * 1000.0;
      area_m2 = std::numbers::pi * r * r;
      basis = absl::StrFormat("a nominal radius of %g km (the sources state no area)",
                              *nominal_radius_km);
    }
    auto disc = geo::DiscOfArea(site.centre, area_m2);
    if (!disc.ok()) Fail(where, std::string(disc.status().message()));
    site.geometry = geo::MultiPolygon{std::move(*disc)};
    site.geometry_surveyed = false;
    site.geometry_note = absl::StrCat(
        "approximated: a geodesic disc of ", basis, " around the ",
        site.centre_verified ? "stated" : "estimated (unverified)",
        " centre; not a surveyed boundary");
  }

  void ParseSites() {
    const json& list =
        ParseDocument(files_.sites_json, "sites.json", "wetlink.catalog.sites/1", "sites");
    std::set<std::string> complex_ids;
    for (const Complex& c : data_.complexes) complex_ids.insert(c.id);
    std::set<std::string> species_ids;
    for (const Species& s : data_.species) species_ids.insert(s.id);
    std::set<std::string> seen;
    for (const json& j : list) {
      Site site;
      site.id = RequiredString(j, "sites.json", "id");
      const std::string where = absl::StrCat("sites.json: site '", site.id, "'");
      if (!IsValidSiteId(site.id)) Fail(where, "id must match [a-z0-9_]{1,64}");
      if (!seen.insert(site.id).second) Fail(where, "duplicate id");
      site.names = Names(j, where);
      site.names_unverified = StringList(j, where, "names_unverified");
      site.alt_names = StringList(j, where, "alt_names");
      site.country = RequiredString(j, where, "country");
      if (!IsCountryCode(site.country)) Fail(where, "country must be ISO 3166-1 alpha-2");
      site.complex_id = OptionalString(j, where, "complex");
      if (!site.complex_id.empty() && !complex_ids.contains(site.complex_id)) {
        Fail(where, absl::StrCat("complex '", site.complex_id, "' is not in complexes.json"));
      }
      if (auto it = j.find("designations"); it != j.end() && !it->is_null()) {
        if (!it->is_array()) Fail(where, "field 'designations' must be a list");
        for (const json& d : *it) site.designations.push_back(ParseDesignation(d, where));
      }
      site.is_protected = OptionalBool(j, where, "protected", !site.designations.empty());
      site.stated_area_ha = OptionalNumber(j, where, "area_ha");
      site.area_source = OptionalString(j, where, "area_source");
      const json& centre = Required(j, where, "centre");
      const std::string centre_where = absl::StrCat(where, ": centre");
      site.centre.lat = OptionalNumber(centre, centre_where, "lat").value_or(NAN);
      site.centre.lon = OptionalNumber(centre, centre_where, "lon").value_or(NAN);
      if (!(site.centre.lat >= -90 && site.centre.lat <= 90) ||
          !(site.centre.lon >= -180 && site.centre.lon <= 180)) {
        Fail(centre_where, "lat must be in [-90, 90] and lon in [-180, 180]");
      }
      site.centre_verified = OptionalBool(j, where, "centre_verified", false);
      site.centre_source = OptionalString(j, where, "centre_source");
      if (auto it = j.find("focal_use"); it != j.end() && it->is_array()) {
        for (const json& use : *it) {
          const std::string species = RequiredString(use, where, "species");
          if (!species_ids.contains(species)) {
            Fail(where, absl::StrCat("focal_use species '", species, "' is not in species.json"));
          }
        }
      }
      site.sources = Citations(where, StringList(j, where, "sources"));
      site.notes = OptionalString(j, where, "notes");
      site.origin = "bundled";
      ApproximateGeometry(site, OptionalNumber(j, where, "nominal_radius_km"), where);
      data_.sites.push_back(std::move(site));
    }
  }

  const CatalogFiles& files_;
  CatalogData data_;
};

}  // namespace

absl::StatusOr<CatalogData> ParseCatalog(const CatalogFiles& files) {
  try {
    return Parser(files).Run();
  } catch (const SchemaError& e) {
    return absl::InvalidArgumentError(absl::StrCat("catalog data: ", e.what()));
  } catch (const json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("catalog data: malformed JSON value: ", e.what()));
  }
}

}  // namespace wetlink::catalog
