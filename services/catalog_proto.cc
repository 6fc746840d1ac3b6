#include "services/catalog_proto.h"

#include <array>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "boost/geometry/algorithms/envelope.hpp"
#include "geo/geodesy.h"

namespace wetlink::services {
namespace {

using catalog::DesignationKind;

constexpr std::array<std::pair<DesignationKind, v1::DesignationKind>, 11> kDesignations{{
    {DesignationKind::kRamsar, v1::DESIGNATION_KIND_RAMSAR},
    {DesignationKind::kNationalPark, v1::DESIGNATION_KIND_NATIONAL_PARK},
    {DesignationKind::kNatureReserve, v1::DESIGNATION_KIND_NATURE_RESERVE},
    {DesignationKind::kWetlandProtectedArea, v1::DESIGNATION_KIND_WETLAND_PROTECTED_AREA},
    {DesignationKind::kNaturalMonument, v1::DESIGNATION_KIND_NATURAL_MONUMENT},
    {DesignationKind::kBiosphereReserve, v1::DESIGNATION_KIND_BIOSPHERE_RESERVE},
    {DesignationKind::kWorldHeritage, v1::DESIGNATION_KIND_WORLD_HERITAGE},
    {DesignationKind::kScenicArea, v1::DESIGNATION_KIND_SCENIC_AREA},
    {DesignationKind::kRegionalPark, v1::DESIGNATION_KIND_REGIONAL_PARK},
    {DesignationKind::kFlywayNetworkSite, v1::DESIGNATION_KIND_FLYWAY_NETWORK_SITE},
    {DesignationKind::kOtherProtected, v1::DESIGNATION_KIND_OTHER_PROTECTED},
}};

v1::DesignationKind ToProto(DesignationKind kind) {
  for (const auto& [core, proto] : kDesignations) {
    if (core == kind) return proto;
  }
  return v1::DESIGNATION_KIND_UNSPECIFIED;
}

std::optional<DesignationKind> FromProto(v1::DesignationKind kind) {
  for (const auto& [core, proto] : kDesignations) {
    if (proto == kind) return core;
  }
  return std::nullopt;
}

void RingToProto(const geo::Ring& ring, v1::LinearRing* out) {
  out->mutable_points()->Reserve(static_cast<int>(ring.size()));
  for (const geo::Point& p : ring) {
    v1::LatLng* ll = out->add_points();
    ll->set_lat(p.y());
    ll->set_lng(p.x());
  }
}

}  // namespace

void SiteToProto(const catalog::Site& site, bool include_geometry, v1::Site* out) {
  out->set_id(site.id);
  out->mutable_names()->insert(site.names.begin(), site.names.end());
  for (const auto& n : site.alt_names) out->add_alt_names(n);
  out->set_country(site.country);
  out->set_complex_id(site.complex_id);
  for (const catalog::Designation& d : site.designations) {
    v1::Designation* pd = out->add_designations();
    pd->set_kind(ToProto(d.kind));
    pd->set_title(d.title);
    pd->set_year(d.year);
    pd->set_date(d.date);
    pd->set_number(d.number);
    pd->set_source(d.source);
  }
  out->set_is_protected(site.is_protected);
  out->set_stated_area_ha(site.stated_area_ha.value_or(0));
  out->set_geometry_area_ha(geo::GeodesicAreaM2(site.geometry) / geo::kSquareMetresPerHectare);
  out->set_area_source(site.area_source);
  out->mutable_centre()->set_lat(site.centre.lat);
  out->mutable_centre()->set_lng(site.centre.lon);
  out->set_centre_verified(site.centre_verified);
  out->set_centre_source(site.centre_source);
  out->set_geometry_quality(site.geometry_surveyed ? v1::GEOMETRY_QUALITY_SURVEYED
                                                   : v1::GEOMETRY_QUALITY_APPROXIMATED);
  out->set_geometry_note(site.geometry_note);
  if (!site.geometry.empty()) {
    geo::Box box;
    boost::geometry::envelope(site.geometry, box);
    v1::BoundingBox* b = out->mutable_bounds();
    b->set_min_lng(box.min_corner().x());
    b->set_min_lat(box.min_corner().y());
    b->set_max_lng(box.max_corner().x());
    b->set_max_lat(box.max_corner().y());
  }
  if (include_geometry) {
    for (const geo::Polygon& poly : site.geometry) {
      v1::Polygon* pp = out->mutable_geometry()->add_polygons();
      RingToProto(poly.outer(), pp->add_rings());
      for (const geo::Ring& hole : poly.inners()) RingToProto(hole, pp->add_rings());
    }
  }
  for (const auto& s : site.sources) out->add_sources(s);
  out->set_notes(site.notes);
  out->set_origin(site.origin);
}

void ComplexToProto(const catalog::Complex& complex, const catalog::Catalog& catalog,
                    v1::Complex* out) {
  out->set_id(complex.id);
  out->mutable_names()->insert(complex.names.begin(), complex.names.end());
  for (const auto& c : complex.countries) out->add_countries(c);
  out->set_kind(complex.kind);
  out->set_description(complex.description);
  for (const auto& id : catalog.ComplexMembers(complex.id)) out->add_site_ids(id);
  for (const auto& s : complex.sources) out->add_sources(s);
}

void SpeciesToProto(const catalog::Species& s, v1::Species* out) {
  out->set_id(s.id);
  out->set_code(s.code);
  out->set_scientific_name(s.scientific_name);
  out->mutable_names()->insert(s.names.begin(), s.names.end());
  for (const auto& w : s.weak_names) out->add_weak_names(w);
  out->set_focal(s.focal);
  out->set_iucn_category(s.iucn_category);
  out->set_iucn_year(s.iucn_year);
  out->set_iucn_criteria(s.iucn_criteria);
  v1::PopulationEstimate* pop = out->mutable_population();
  pop->set_estimate(s.population.estimate);
  pop->set_min(s.population.min.value_or(0));
  pop->set_max(s.population.max.value_or(0));
  pop->set_year(s.population.year);
  pop->set_basis(s.population.basis);
  pop->set_source(s.population.source);
  const catalog::OnePercentThreshold t = s.OnePercent();
  v1::OnePercentThreshold* pt = out->mutable_one_percent();
  pt->set_value(t.value);
  pt->set_derived(t.derived);
  pt->set_basis(t.basis);
  pt->set_source(t.source);
  out->set_breeding(s.breeding);
  out->set_stopover(s.stopover);
  out->set_wintering(s.wintering);
  out->set_timing(s.timing);
  for (const auto& src : s.sources) out->add_sources(src);
}

absl::StatusOr<catalog::SiteFilter> SiteFilterFromProto(
    const google::protobuf::RepeatedPtrField<std::string>& countries,
    const std::string& complex_id, v1::DesignationKind designation, const v1::BoundingBox* bbox,
    const catalog::Catalog& catalog) {
  catalog::SiteFilter filter;
  for (const std::string& c : countries) {
    if (!catalog::IsCountryCode(c)) {
      return absl::InvalidArgumentError(
          absl::StrCat("countries: '", c, "' is not an ISO 3166-1 alpha-2 code (e.g. KP, CN, RU)"));
    }
    filter.countries.push_back(c);
  }
  if (!complex_id.empty()) {
    if (catalog.FindComplex(complex_id) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("complex_id: complex '", complex_id, "' is not in the catalog"));
    }
    filter.complex_id = complex_id;
  }
  if (designation != v1::DESIGNATION_KIND_UNSPECIFIED) {
    auto kind = FromProto(designation);
    if (!kind) {
      return absl::InvalidArgumentError(
          absl::StrCat("designation: value ", static_cast<int>(designation), " is unknown"));
    }
    filter.designation = kind;
  }
  if (bbox != nullptr) {
    const double values[] = {bbox->min_lng(), bbox->min_lat(), bbox->max_lng(), bbox->max_lat()};
    for (double v : values) {
      if (!std::isfinite(v)) return absl::InvalidArgumentError("bbox: coordinates must be finite");
    }
    if (bbox->min_lat() < -90 || bbox->max_lat() > 90 || bbox->min_lng() < -180 ||
        bbox->max_lng() > 180) {
      return absl::InvalidArgumentError(
          "bbox: latitudes must be in [-90, 90] and longitudes in [-180, 180]");
    }
    if (bbox->min_lat() > bbox->max_lat() || bbox->min_lng() > bbox->max_lng()) {
      return absl::InvalidArgumentError(
          absl::StrCat("bbox: min must not exceed max (got lng ", bbox->min_lng(), "..",
                       bbox->max_lng(), ", lat ", bbox->min_lat(), "..", bbox->max_lat(), ")"));
    }
    filter.bbox = geo::Box(geo::Point(bbox->min_lng(), bbox->min_lat()),
                           geo::Point(bbox->max_lng(), bbox->max_lat()));
  }
  return filter;
}

catalog::ImportMapping ImportMappingFromProto(const v1::ImportMapping& m) {
  return {.id_field = m.id_field(),
          .name_field = m.name_field(),
          .country_field = m.country_field(),
          .complex_field = m.complex_field(),
          .designation_field = m.designation_field(),
          .area_field = m.area_field(),
          .default_country = m.default_country()};
}

void ImportPlanToProto(const catalog::ImportPlan& plan, bool stored,
                       v1::ImportSitesResponse* out) {
  for (const catalog::FeatureReport& r : plan.reports) {
    v1::ImportedFeature* f = out->add_features();
    f->set_feature(r.feature);
    f->set_site_id(r.site_id);
    switch (r.outcome) {
      case catalog::ImportOutcome::kCreated:
        f->set_outcome(v1::ImportedFeature::OUTCOME_CREATED);
        break;
      case catalog::ImportOutcome::kReplaced:
        f->set_outcome(v1::ImportedFeature::OUTCOME_REPLACED);
        break;
      case catalog::ImportOutcome::kRefused:
        f->set_outcome(v1::ImportedFeature::OUTCOME_REFUSED);
        break;
    }
    f->set_geometry_area_ha(r.geometry_area_ha);
    for (const auto& repair : r.repairs) f->add_repairs(repair);
    f->set_reason(r.reason);
  }
  out->set_created(plan.created);
  out->set_replaced(plan.replaced);
  out->set_refused(plan.refused);
  out->set_stored(stored);
}

}  // namespace wetlink::services
