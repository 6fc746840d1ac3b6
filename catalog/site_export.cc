#include "catalog/site_export.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "geo/geodesy.h"

namespace wetlink::catalog {
namespace {

using geo::FieldType;
using geo::FieldValue;

FieldValue NameOrNull(const Site& site, const char* lang) {
  auto it = site.names.find(lang);
  if (it == site.names.end()) return std::monostate{};
  return it->second;
}

std::string DesignationText(const Site& site) {
  std::vector<std::string> parts;
  for (const Designation& d : site.designations) {
    std::string part(DesignationKindName(d.kind));
    if (!d.number.empty()) absl::StrAppend(&part, " no. ", d.number);
    if (d.year > 0) absl::StrAppend(&part, " (", d.year, ")");
    parts.push_back(std::move(part));
  }
  return absl::StrJoin(parts, "; ");
}

}  // namespace

const std::vector<geo::FieldDef>& SiteExportFields() {
  static const std::vector<geo::FieldDef> fields = {
      {"id", FieldType::kString},           {"name_en", FieldType::kString},
      {"name_zh", FieldType::kString},      {"name_ru", FieldType::kString},
      {"name_ko", FieldType::kString},      {"name_ja", FieldType::kString},
      {"name_mn", FieldType::kString},      {"country", FieldType::kString},
      {"complex", FieldType::kString},      {"designations", FieldType::kString},
      {"protected", FieldType::kInteger},   {"area_ha", FieldType::kReal},
      {"geometry_area_ha", FieldType::kReal}, {"geometry_quality", FieldType::kString},
      {"geometry_note", FieldType::kString}, {"centre_lat", FieldType::kReal},
      {"centre_lon", FieldType::kReal},     {"origin", FieldType::kString},
  };
  return fields;
}

std::vector<geo::WriteFeature> SitesToFeatures(const std::vector<const Site*>& sites) {
  std::vector<geo::WriteFeature> out;
  out.reserve(sites.size());
  for (const Site* s : sites) {
    geo::WriteFeature f;
    f.geometry = s->geometry;
    f.values = {
        s->id,
        s->EnglishName(),
        NameOrNull(*s, "zh"),
        NameOrNull(*s, "ru"),
        NameOrNull(*s, "ko"),
        NameOrNull(*s, "ja"),
        NameOrNull(*s, "mn"),
        s->country,
        s->complex_id.empty() ? FieldValue{} : FieldValue{s->complex_id},
        DesignationText(*s),
        std::int64_t{s->is_protected ? 1 : 0},
        s->stated_area_ha.has_value() ? FieldValue{*s->stated_area_ha} : FieldValue{},
        geo::GeodesicAreaM2(s->geometry) / geo::kSquareMetresPerHectare,
        std::string(s->geometry_surveyed ? "surveyed" : "approximated"),
        s->geometry_note,
        s->centre.lat,
        s->centre.lon,
        s->origin,
    };
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace wetlink::catalog
