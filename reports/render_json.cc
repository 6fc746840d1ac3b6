#include "reports/render_json.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/site.h"
#include "geo/geodesy.h"
#include "reports/render_text.h"

namespace wetlink::reports::internal {

namespace {

// Keys in the order the structs declare them, which reads better than
// alphabetical.
using Json = nlohmann::ordered_json;

constexpr double kGeodesicStepM = 20'000;

std::string Dump(const Json& json) {
  // Replace, not throw on, text that is not UTF-8 (imports are not checked
  // for it).
  return json.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Json OptionalNumber(const std::optional<double>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json LocalJson(const LocalText& text) {
  return {{"text", text.text}, {"fallback", text.fallback}, {"unverified", text.unverified}};
}

double Round6(double v) { return std::round(v * 1e6) / 1e6; }

Json Position(geo::LatLon p) { return {{"lat", p.lat}, {"lon", p.lon}}; }

Json Coordinate(double lon, double lat) { return Json::array({Round6(lon), Round6(lat)}); }

Json MultiPolygonCoordinates(const geo::MultiPolygon& multipolygon) {
  Json polygons = Json::array();
  for (const geo::Polygon& polygon : multipolygon) {
    Json rings = Json::array();
    auto ring_json = [](const geo::Ring& ring) {
      Json points = Json::array();
      for (const geo::Point& p : ring) points.push_back(Coordinate(p.x(), p.y()));
      return points;
    };
    rings.push_back(ring_json(polygon.outer()));
    for (const geo::Ring& inner : polygon.inners()) rings.push_back(ring_json(inner));
    polygons.push_back(std::move(rings));
  }
  return polygons;
}

Json SiteJson(const catalog::Site& site) {
  Json designations = Json::array();
  for (const catalog::Designation& d : site.designations) {
    designations.push_back({{"kind", std::string(catalog::DesignationKindName(d.kind))},
                            {"title", d.title},
                            {"year", d.year},
                            {"date", d.date},
                            {"number", d.number},
                            {"source", d.source}});
  }
  return {{"id", site.id},
          {"names", site.names},
          {"names_unverified", site.names_unverified},
          {"alt_names", site.alt_names},
          {"country", site.country},
          {"complex_id", site.complex_id},
          {"designations", std::move(designations)},
          {"is_protected", site.is_protected},
          {"stated_area_ha", OptionalNumber(site.stated_area_ha)},
          {"area_source", site.area_source},
          {"centre", Position(site.centre)},
          {"centre_verified", site.centre_verified},
          {"centre_source", site.centre_source},
          {"geometry_surveyed", site.geometry_surveyed},
          {"geometry_note", site.geometry_note},
          {"geometry",
           {{"type", "MultiPolygon"}, {"coordinates", MultiPolygonCoordinates(site.geometry)}}},
          {"sources", site.sources},
          {"notes", site.notes},
          {"origin", site.origin}};
}

Json ComplexJson(const catalog::Complex& complex) {
  return {{"id", complex.id},
          {"names", complex.names},
          {"countries", complex.countries},
          {"kind", complex.kind},
          {"description", complex.description},
          {"sources", complex.sources}};
}

Json OnePercentJson(const catalog::OnePercentThreshold& one) {
  return {
      {"value", one.value}, {"derived", one.derived}, {"basis", one.basis}, {"source", one.source}};
}

Json SpeciesJson(const catalog::Species& species) {
  const catalog::PopulationEstimate& population = species.population;
  return {{"id", species.id},
          {"code", species.code},
          {"scientific_name", species.scientific_name},
          {"names", species.names},
          {"weak_names", species.weak_names},
          {"focal", species.focal},
          {"iucn_category", species.iucn_category},
          {"iucn_year", species.iucn_year},
          {"iucn_criteria", species.iucn_criteria},
          {"iucn_source", species.iucn_source},
          {"population",
           {{"estimate", population.estimate},
            {"min", OptionalNumber(population.min)},
            {"max", OptionalNumber(population.max)},
            {"year", population.year},
            {"basis", population.basis},
            {"source", population.source}}},
          {"published_one_percent",
           species.published_one_percent ? Json(*species.published_one_percent) : Json(nullptr)},
          {"published_one_percent_source", species.published_one_percent_source},
          {"one_percent_note", species.one_percent_note},
          {"one_percent", OnePercentJson(species.OnePercent())},
          {"breeding", species.breeding},
          {"stopover", species.stopover},
          {"wintering", species.wintering},
          {"timing", species.timing},
          {"sources", species.sources}};
}

Json PeaksJson(const std::vector<SeasonPeak>& peaks) {
  Json out = Json::array();
  for (const SeasonPeak& peak : peaks) {
    out.push_back({{"season", CountSeasonLabel(peak.season)},
                   {"season_start_year", peak.season},
                   {"peak", peak.peak},
                   {"peak_date", FormatDate(peak.peak_date_days)},
                   {"surveys", peak.surveys}});
  }
  return out;
}

Json TestJson(const ThresholdTest& test) {
  return {{"threshold", test.threshold},
          {"seasons_with_data", test.seasons_with_data},
          {"seasons_at_or_above", test.seasons_at_or_above},
          {"mean_recent_peaks", test.mean_recent_peaks},
          {"seasons_in_mean", test.seasons_in_mean},
          {"regularity", std::string(RegularityName(test.regularity))},
          {"met", test.met()}};
}

Json SeasonLabels(const std::vector<int>& seasons) {
  Json out = Json::array();
  for (const int season : seasons) out.push_back(CountSeasonLabel(season));
  return out;
}

Json TaggedJson(const TaggedUse& tagged) {
  Json seasons = Json::array();
  for (const TaggedSeasonUse& use : tagged.seasons) {
    seasons.push_back({{"species_id", use.species_id},
                       {"season", use.season},
                       {"season_year", use.season_year},
                       {"individuals", use.individuals},
                       {"visits", use.visits},
                       {"median_stay_days", use.median_stay_days},
                       {"first_arrival", FormatIsoUtc(use.first_arrival_ms)},
                       {"median_arrival", FormatIsoUtc(use.median_arrival_ms)},
                       {"median_departure", FormatIsoUtc(use.median_departure_ms)},
                       {"last_departure", FormatIsoUtc(use.last_departure_ms)}});
  }
  Json months = Json::array();
  for (const std::uint32_t n : tagged.individuals_by_month) months.push_back(n);
  return {{"individuals", tagged.individuals},
          {"visits", tagged.visits},
          {"median_stay_days", tagged.median_stay_days},
          {"seasons", std::move(seasons)},
          {"individuals_by_month", std::move(months)},
          {"tracked_individuals", tagged.tracked_individuals}};
}

std::string_view DirectionName(LinkDirection direction) {
  return direction == LinkDirection::kOut ? "out" : "in";
}

Json LinkedJson(const LinkedSite& link) {
  return {{"direction", std::string(DirectionName(link.direction))},
          {"node_id", link.node_id},
          {"catalogued", link.catalogued},
          {"names", link.names},
          {"names_unverified", link.names_unverified},
          {"country", link.country},
          {"is_protected", link.is_protected},
          {"position", Position(link.position)},
          {"individuals", link.individuals},
          {"transitions", link.transitions},
          {"median_travel_days", link.median_travel_days},
          {"median_distance_km", link.median_distance_km},
          {"species", link.species},
          {"cross_border", link.cross_border}};
}

Json NearbyJson(const NearbyStopoverSite& nearby) {
  return {{"node_id", nearby.node_id},
          {"catalogued", nearby.catalogued},
          {"names", nearby.names},
          {"names_unverified", nearby.names_unverified},
          {"country", nearby.country},
          {"position", Position(nearby.position)},
          {"distance_km", nearby.distance_km},
          {"individuals", nearby.individuals},
          {"stopovers", nearby.stopovers},
          {"stopover_days", nearby.stopover_days},
          {"species", nearby.species}};
}

Json CoverageJson(const SiteReport& report, const Labels& labels) {
  const Coverage& coverage = report.coverage;
  Json caveats = Json::array();
  for (const Caveat& caveat : coverage.caveats) {
    caveats.push_back({{"code", caveat.code},
                       {"args", caveat.args},
                       {"text", LocalJson(CaveatText(report, caveat, labels))}});
  }
  return {{"seasons", SeasonLabels(coverage.seasons)},
          {"seasons_without_counts", SeasonLabels(coverage.seasons_without_counts)},
          {"surveys", coverage.surveys},
          {"counts", coverage.counts},
          {"caveats", std::move(caveats)}};
}

Json LabelsJson(const SiteReport& report, const Labels& labels) {
  Json species = Json::object();
  for (const catalog::Species& s : report.species) {
    species[s.id] = LocalJson(SpeciesName(s, labels));
  }
  Json nodes = Json::object();
  std::set<std::string> countries = {report.site.country};
  for (const auto* links : {&report.links.outgoing, &report.links.incoming}) {
    for (const LinkedSite& link : *links) {
      nodes[link.node_id] = LocalJson(
          NodeName(link.catalogued, link.names, link.names_unverified, link.node_id, labels));
      countries.insert(link.country);
    }
  }
  for (const NearbyStopoverSite& nearby : report.nearby_unprotected) {
    nodes[nearby.node_id] = LocalJson(
        NodeName(nearby.catalogued, nearby.names, nearby.names_unverified, nearby.node_id, labels));
    countries.insert(nearby.country);
  }
  Json country_names = Json::object();
  for (const std::string& code : countries) {
    country_names[code] = LocalJson(labels.Country(code));
  }
  Json out = {{"site", LocalJson(SiteName(report.site, labels))}};
  if (report.complex) out["complex"] = LocalJson(ComplexName(*report.complex, labels));
  out["species"] = std::move(species);
  out["sites"] = std::move(nodes);
  out["countries"] = std::move(country_names);
  return out;
}

bool Usable(geo::LatLon p) {
  return std::isfinite(p.lat) && std::isfinite(p.lon) && p.lat >= -90 && p.lat <= 90 &&
         p.lon >= -180 && p.lon <= 180;
}

Json PointGeometry(geo::LatLon p) {
  if (!Usable(p)) return nullptr;
  return {{"type", "Point"}, {"coordinates", Coordinate(p.lon, p.lat)}};
}

Json LineGeometry(geo::LatLon from, geo::LatLon to) {
  if (!Usable(from) || !Usable(to)) return nullptr;
  Json coordinates = Json::array();
  for (const geo::Point& p : geo::GeodesicLine(from, to, kGeodesicStepM)) {
    coordinates.push_back(Coordinate(p.x(), p.y()));
  }
  if (coordinates.size() < 2) {
    coordinates = Json::array({Coordinate(from.lon, from.lat), Coordinate(to.lon, to.lat)});
  }
  return {{"type", "LineString"}, {"coordinates", std::move(coordinates)}};
}

Json Feature(Json geometry, Json properties) {
  return {{"type", "Feature"},
          {"geometry", std::move(geometry)},
          {"properties", std::move(properties)}};
}

// "Criterion 5: not met. Criterion 6 met for: Hooded Crane."
std::string CriteriaSummary(const SiteReport& report, const Labels& labels) {
  std::vector<std::string> met;
  for (const SpeciesAssessment& assessment : report.assessments) {
    if (assessment.criterion6.met()) met.push_back(assessment.species_id);
  }
  const std::string species =
      met.empty() ? labels.Get("common.none").text : JoinSpeciesNames(report, met, labels);
  return labels
      .Format("summary.criteria", {ThresholdResult(report.total.criterion5, labels).text, species})
      .text;
}

}  // namespace

std::string SiteReportJson(const SiteReport& report, const Labels& labels) {
  Json species = Json::array();
  for (const catalog::Species& s : report.species) species.push_back(SpeciesJson(s));
  Json assessments = Json::array();
  for (const SpeciesAssessment& a : report.assessments) {
    assessments.push_back({{"species_id", a.species_id},
                           {"peaks", PeaksJson(a.peaks)},
                           {"one_percent", OnePercentJson(a.one_percent)},
                           {"percent_of_threshold", OptionalNumber(a.percent_of_threshold)},
                           {"criterion6", TestJson(a.criterion6)}});
  }
  Json outgoing = Json::array();
  for (const LinkedSite& link : report.links.outgoing) outgoing.push_back(LinkedJson(link));
  Json incoming = Json::array();
  for (const LinkedSite& link : report.links.incoming) incoming.push_back(LinkedJson(link));
  Json nearby = Json::array();
  for (const NearbyStopoverSite& n : report.nearby_unprotected) nearby.push_back(NearbyJson(n));

  Json json = {{"language", labels.language()}, {"site", SiteJson(report.site)}};
  json["complex"] = report.complex ? ComplexJson(*report.complex) : Json(nullptr);
  json["period"] = {{"from", FormatDate(report.period.from_days)},
                    {"to", FormatDate(report.period.to_days)}};
  json["species"] = std::move(species);
  json["assessments"] = std::move(assessments);
  json["total"] = {{"peaks", PeaksJson(report.total.peaks)},
                   {"criterion5", TestJson(report.total.criterion5)}};
  json["tagged"] = TaggedJson(report.tagged);
  json["links"] = {{"outgoing", std::move(outgoing)},
                   {"incoming", std::move(incoming)},
                   {"transitions", report.links.transitions},
                   {"cross_border_transitions", report.links.cross_border_transitions},
                   {"cross_border_share", report.links.cross_border_share}};
  json["nearby_radius_km"] = report.nearby_radius_km;
  json["nearby_unprotected"] = std::move(nearby);
  json["coverage"] = CoverageJson(report, labels);
  json["flyway_version"] = report.flyway_version;
  json["generated"] = FormatIsoUtc(report.generated_ms);
  json["labels"] = LabelsJson(report, labels);
  return Dump(json);
}

std::string SiteReportGeoJson(const SiteReport& report, const Labels& labels) {
  const catalog::Site& site = report.site;
  const LocalText site_name = SiteName(site, labels);
  Json features = Json::array();

  Json criterion6 = Json::array();
  for (const SpeciesAssessment& a : report.assessments) {
    criterion6.push_back({{"species_id", a.species_id},
                          {"met", a.criterion6.met()},
                          {"regularity", std::string(RegularityName(a.criterion6.regularity))},
                          {"percent_of_threshold", OptionalNumber(a.percent_of_threshold)}});
  }
  Json site_geometry =
      site.geometry.empty()
          ? PointGeometry(site.centre)
          : Json{{"type", "MultiPolygon"}, {"coordinates", MultiPolygonCoordinates(site.geometry)}};
  features.push_back(Feature(
      std::move(site_geometry),
      {{"kind", "site"},
       {"id", site.id},
       {"name", site_name.text},
       {"name_fallback", site_name.fallback},
       {"country", site.country},
       {"country_name", labels.Country(site.country).text},
       {"geometry_surveyed", site.geometry_surveyed},
       {"criteria",
        {{"criterion5",
          {{"met", report.total.criterion5.met()},
           {"regularity", std::string(RegularityName(report.total.criterion5.regularity))}}},
         {"criterion6", std::move(criterion6)}}},
       {"criteria_summary", CriteriaSummary(report, labels)},
       {"period",
        {{"from", FormatDate(report.period.from_days)}, {"to", FormatDate(report.period.to_days)}}},
       {"language", labels.language()}}));

  // One point per site, linked or nearby or both.
  std::vector<std::string> order;
  std::map<std::string, Json> points;
  auto point = [&](const std::string& id, geo::LatLon position, bool catalogued,
                   const std::map<std::string, std::string>& names,
                   const std::vector<std::string>& unverified, const std::string& country,
                   std::optional<bool> is_protected) -> Json& {
    auto [it, inserted] = points.try_emplace(id);
    if (inserted) {
      order.push_back(id);
      const LocalText name = NodeName(catalogued, names, unverified, id, labels);
      it->second = Feature(PointGeometry(position),
                           {{"kind", "linked_site"},
                            {"id", id},
                            {"name", name.text},
                            {"name_fallback", name.fallback},
                            {"country", country},
                            {"country_name", labels.Country(country).text},
                            {"catalogued", catalogued},
                            {"is_protected", is_protected ? Json(*is_protected) : Json(nullptr)},
                            {"linked", false},
                            {"nearby", false}});
    }
    return it->second["properties"];
  };
  for (const auto* links : {&report.links.outgoing, &report.links.incoming}) {
    for (const LinkedSite& link : *links) {
      Json& properties = point(link.node_id, link.position, link.catalogued, link.names,
                               link.names_unverified, link.country, link.is_protected);
      properties["linked"] = true;
      const std::string key =
          link.direction == LinkDirection::kOut ? "individuals_out" : "individuals_in";
      properties[key] = link.individuals;
    }
  }
  for (const NearbyStopoverSite& nearby : report.nearby_unprotected) {
    Json& properties = point(nearby.node_id, nearby.position, nearby.catalogued, nearby.names,
                             nearby.names_unverified, nearby.country, std::nullopt);
    properties["nearby"] = true;
    if (!properties["linked"].get<bool>()) properties["kind"] = "nearby_stopover";
    if (properties["is_protected"].is_null()) properties["is_protected"] = false;
    properties["distance_km"] = nearby.distance_km;
    properties["stopover_individuals"] = nearby.individuals;
    properties["stopovers"] = nearby.stopovers;
    properties["stopover_days"] = nearby.stopover_days;
  }
  for (const std::string& id : order) features.push_back(std::move(points[id]));

  // One line per link, in the direction the birds moved.
  for (const auto* links : {&report.links.outgoing, &report.links.incoming}) {
    for (const LinkedSite& link : *links) {
      const bool out = link.direction == LinkDirection::kOut;
      features.push_back(Feature(
          LineGeometry(out ? site.centre : link.position, out ? link.position : site.centre),
          {{"kind", "link"},
           {"direction", std::string(DirectionName(link.direction))},
           {"direction_name", labels.Get(out ? "direction.out" : "direction.in").text},
           {"from", out ? site.id : link.node_id},
           {"to", out ? link.node_id : site.id},
           {"individuals", link.individuals},
           {"transitions", link.transitions},
           {"median_travel_days", link.median_travel_days},
           {"median_distance_km", link.median_distance_km},
           {"cross_border", link.cross_border},
           {"species", link.species}}));
    }
  }
  return Dump({{"type", "FeatureCollection"}, {"features", std::move(features)}});
}

std::string SpeciesListJson(const SpeciesList& list, const Labels& labels) {
  Json sites = Json::array();
  for (const SpeciesListSite& site : list.sites) {
    LocalText name = labels.Name(site.names, site.names_unverified);
    if (name.text.empty()) name.text = site.id;
    sites.push_back({{"id", site.id},
                     {"names", site.names},
                     {"names_unverified", site.names_unverified},
                     {"country", site.country},
                     {"name", LocalJson(name)},
                     {"country_name", LocalJson(labels.Country(site.country))}});
  }
  Json species = Json::array();
  for (const catalog::Species& s : list.species) {
    Json entry = SpeciesJson(s);
    entry["name"] = LocalJson(SpeciesName(s, labels));
    species.push_back(std::move(entry));
  }
  Json entries = Json::array();
  for (const SpeciesListEntry& entry : list.entries) {
    Json by_site = Json::array();
    for (const auto& by_season : entry.max_by_site_season) {
      Json row = Json::array();
      for (const std::optional<std::int64_t>& count : by_season) {
        row.push_back(count ? Json(*count) : Json(nullptr));
      }
      by_site.push_back(std::move(row));
    }
    entries.push_back({{"species_id", entry.species_id},
                       {"max_by_site_season", std::move(by_site)},
                       {"overall_max", entry.overall_max}});
  }
  Json json = {{"language", labels.language()}};
  json["complex"] = list.complex ? ComplexJson(*list.complex) : Json(nullptr);
  if (list.complex) json["complex_name"] = LocalJson(ComplexName(*list.complex, labels));
  json["sites"] = std::move(sites);
  json["period"] = {{"from", FormatDate(list.period.from_days)},
                    {"to", FormatDate(list.period.to_days)}};
  json["seasons"] = SeasonLabels(list.seasons);
  json["species"] = std::move(species);
  json["entries"] = std::move(entries);
  json["counts"] = list.counts;
  return Dump(json);
}

}  // namespace wetlink::reports::internal
