#include "store/record_codec.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "wetlink/store/v1/records.pb.h"

namespace wetlink::store {
namespace {

namespace pb = ::wetlink::store::v1;

template <typename Repeated>
std::vector<std::string> ToVector(const Repeated& items) {
  return {items.begin(), items.end()};
}

template <typename Map>
std::map<std::string, std::string> ToMap(const Map& items) {
  return {items.begin(), items.end()};
}

void EncodeRing(const geo::Ring& ring, pb::RingRecord* out) {
  out->mutable_lon_lat()->Reserve(static_cast<int>(ring.size() * 2));
  for (const geo::Point& p : ring) {
    out->add_lon_lat(p.x());
    out->add_lon_lat(p.y());
  }
}

bool DecodeRing(const pb::RingRecord& in, geo::Ring& out) {
  if (in.lon_lat_size() % 2 != 0) return false;
  for (int i = 0; i < in.lon_lat_size(); i += 2) {
    out.emplace_back(in.lon_lat(i), in.lon_lat(i + 1));
  }
  return true;
}

absl::Status Corrupt(const std::string& kind, std::string_view key, const std::string& what) {
  return absl::DataLossError(
      absl::StrCat(kind, " record '", std::string(key), "' is corrupt: ", what));
}

}  // namespace

std::string EncodeSite(const catalog::Site& site) {
  pb::SiteRecord r;
  r.set_id(site.id);
  r.mutable_names()->insert(site.names.begin(), site.names.end());
  for (const auto& lang : site.names_unverified) r.add_names_unverified(lang);
  for (const auto& n : site.alt_names) r.add_alt_names(n);
  r.set_country(site.country);
  r.set_complex_id(site.complex_id);
  for (const catalog::Designation& d : site.designations) {
    pb::DesignationRecord* dr = r.add_designations();
    dr->set_kind(std::string(catalog::DesignationKindName(d.kind)));
    dr->set_title(d.title);
    dr->set_year(d.year);
    dr->set_date(d.date);
    dr->set_number(d.number);
    dr->set_source(d.source);
  }
  r.set_is_protected(site.is_protected);
  if (site.stated_area_ha) r.set_stated_area_ha(*site.stated_area_ha);
  r.set_area_source(site.area_source);
  r.set_centre_lat(site.centre.lat);
  r.set_centre_lon(site.centre.lon);
  r.set_centre_verified(site.centre_verified);
  r.set_centre_source(site.centre_source);
  r.set_geometry_surveyed(site.geometry_surveyed);
  r.set_geometry_note(site.geometry_note);
  for (const geo::Polygon& poly : site.geometry) {
    pb::PolygonRecord* pr = r.add_polygons();
    EncodeRing(poly.outer(), pr->add_rings());
    for (const geo::Ring& hole : poly.inners()) EncodeRing(hole, pr->add_rings());
  }
  for (const auto& s : site.sources) r.add_sources(s);
  r.set_notes(site.notes);
  r.set_origin(site.origin);
  return r.SerializeAsString();
}

absl::StatusOr<catalog::Site> DecodeSite(std::string_view key, std::string_view bytes) {
  pb::SiteRecord r;
  if (!r.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Corrupt("site", key, "not a SiteRecord");
  }
  catalog::Site site;
  site.id = r.id();
  site.names = ToMap(r.names());
  site.names_unverified = ToVector(r.names_unverified());
  site.alt_names = ToVector(r.alt_names());
  site.country = r.country();
  site.complex_id = r.complex_id();
  for (const pb::DesignationRecord& dr : r.designations()) {
    auto kind = catalog::ParseDesignationKind(dr.kind());
    if (!kind) return Corrupt("site", key, absl::StrCat("unknown designation '", dr.kind(), "'"));
    site.designations.push_back({.kind = *kind,
                                 .title = dr.title(),
                                 .year = dr.year(),
                                 .date = dr.date(),
                                 .number = dr.number(),
                                 .source = dr.source()});
  }
  site.is_protected = r.is_protected();
  if (r.has_stated_area_ha()) site.stated_area_ha = r.stated_area_ha();
  site.area_source = r.area_source();
  site.centre = {.lat = r.centre_lat(), .lon = r.centre_lon()};
  site.centre_verified = r.centre_verified();
  site.centre_source = r.centre_source();
  site.geometry_surveyed = r.geometry_surveyed();
  site.geometry_note = r.geometry_note();
  for (const pb::PolygonRecord& pr : r.polygons()) {
    geo::Polygon poly;
    for (int i = 0; i < pr.rings_size(); ++i) {
      geo::Ring ring;
      if (!DecodeRing(pr.rings(i), ring)) return Corrupt("site", key, "odd coordinate count");
      if (i == 0) {
        poly.outer() = std::move(ring);
      } else {
        poly.inners().push_back(std::move(ring));
      }
    }
    site.geometry.push_back(std::move(poly));
  }
  site.sources = ToVector(r.sources());
  site.notes = r.notes();
  site.origin = r.origin();
  return site;
}

std::string EncodeComplex(const catalog::Complex& complex) {
  pb::ComplexRecord r;
  r.set_id(complex.id);
  r.mutable_names()->insert(complex.names.begin(), complex.names.end());
  for (const auto& c : complex.countries) r.add_countries(c);
  r.set_kind(complex.kind);
  r.set_description(complex.description);
  for (const auto& s : complex.sources) r.add_sources(s);
  return r.SerializeAsString();
}

absl::StatusOr<catalog::Complex> DecodeComplex(std::string_view key, std::string_view bytes) {
  pb::ComplexRecord r;
  if (!r.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Corrupt("complex", key, "not a ComplexRecord");
  }
  return catalog::Complex{.id = r.id(),
                          .names = ToMap(r.names()),
                          .countries = ToVector(r.countries()),
                          .kind = r.kind(),
                          .description = r.description(),
                          .sources = ToVector(r.sources())};
}

std::string EncodeSpecies(const catalog::Species& s) {
  pb::SpeciesRecord r;
  r.set_id(s.id);
  r.set_code(s.code);
  r.set_scientific_name(s.scientific_name);
  r.mutable_names()->insert(s.names.begin(), s.names.end());
  for (const auto& w : s.weak_names) r.add_weak_names(w);
  r.set_focal(s.focal);
  r.set_iucn_category(s.iucn_category);
  r.set_iucn_year(s.iucn_year);
  r.set_iucn_criteria(s.iucn_criteria);
  r.set_iucn_source(s.iucn_source);
  pb::PopulationRecord* pop = r.mutable_population();
  pop->set_estimate(s.population.estimate);
  if (s.population.min) pop->set_min(*s.population.min);
  if (s.population.max) pop->set_max(*s.population.max);
  pop->set_year(s.population.year);
  pop->set_basis(s.population.basis);
  pop->set_source(s.population.source);
  if (s.published_one_percent) r.set_published_one_percent(*s.published_one_percent);
  r.set_published_one_percent_source(s.published_one_percent_source);
  r.set_one_percent_note(s.one_percent_note);
  r.set_breeding(s.breeding);
  r.set_stopover(s.stopover);
  r.set_wintering(s.wintering);
  r.set_timing(s.timing);
  for (const auto& src : s.sources) r.add_sources(src);
  return r.SerializeAsString();
}

absl::StatusOr<catalog::Species> DecodeSpecies(std::string_view key, std::string_view bytes) {
  pb::SpeciesRecord r;
  if (!r.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Corrupt("species", key, "not a SpeciesRecord");
  }
  catalog::Species s;
  s.id = r.id();
  s.code = r.code();
  s.scientific_name = r.scientific_name();
  s.names = ToMap(r.names());
  s.weak_names = ToVector(r.weak_names());
  s.focal = r.focal();
  s.iucn_category = r.iucn_category();
  s.iucn_year = r.iucn_year();
  s.iucn_criteria = r.iucn_criteria();
  s.iucn_source = r.iucn_source();
  const pb::PopulationRecord& pop = r.population();
  s.population.estimate = pop.estimate();
  if (pop.has_min()) s.population.min = pop.min();
  if (pop.has_max()) s.population.max = pop.max();
  s.population.year = pop.year();
  s.population.basis = pop.basis();
  s.population.source = pop.source();
  if (r.has_published_one_percent()) s.published_one_percent = r.published_one_percent();
  s.published_one_percent_source = r.published_one_percent_source();
  s.one_percent_note = r.one_percent_note();
  s.breeding = r.breeding();
  s.stopover = r.stopover();
  s.wintering = r.wintering();
  s.timing = r.timing();
  s.sources = ToVector(r.sources());
  return s;
}

}  // namespace wetlink::store
