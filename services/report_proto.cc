#include "services/report_proto.h"

#include "counts/count.h"
#include "services/catalog_proto.h"
#include "telemetry/timestamp.h"

namespace wetlink::services {
namespace {

std::string_view RegularityName(reports::Regularity r) {
  switch (r) {
    case reports::Regularity::kInsufficientData:
      return "insufficient_data";
    case reports::Regularity::kNotMet:
      return "not_met";
    case reports::Regularity::kTwoThirdsOfSeasons:
      return "two_thirds_of_seasons";
    case reports::Regularity::kFiveSeasonMean:
      return "five_season_mean";
  }
  return "not_met";
}

void PeakToProto(const reports::SeasonPeak& p, v1::SeasonPeak* out) {
  out->set_season(p.season);
  out->set_season_label(reports::CountSeasonLabel(p.season));
  out->set_peak(p.peak);
  out->set_peak_date(counts::FormatSurveyDate(p.peak_date_days));
  out->set_surveys(p.surveys);
}

void TestToProto(const reports::ThresholdTest& t, v1::ThresholdTest* out) {
  out->set_threshold(t.threshold);
  out->set_seasons_with_data(t.seasons_with_data);
  out->set_seasons_at_or_above(t.seasons_at_or_above);
  out->set_mean_recent_peaks(t.mean_recent_peaks);
  out->set_seasons_in_mean(t.seasons_in_mean);
  out->set_regularity(std::string(RegularityName(t.regularity)));
  out->set_met(t.met());
}

template <typename Ref>
void SiteRefToProto(const Ref& s, v1::ReportSiteRef* out) {
  out->set_node_id(s.node_id);
  out->set_catalogued(s.catalogued);
  for (const auto& [lang, name] : s.names) (*out->mutable_names())[lang] = name;
  out->set_country(s.country);
  out->set_lat(s.position.lat);
  out->set_lon(s.position.lon);
}

void LinkedToProto(const reports::LinkedSite& s, v1::LinkedSite* out) {
  SiteRefToProto(s, out->mutable_site());
  out->mutable_site()->set_is_protected(s.is_protected);
  out->set_individuals(s.individuals);
  out->set_transitions(s.transitions);
  out->set_median_travel_days(s.median_travel_days);
  out->set_median_distance_km(s.median_distance_km);
  for (const std::string& sp : s.species) out->add_species(sp);
  out->set_cross_border(s.cross_border);
}

}  // namespace

reports::SiteReportQuery SiteReportQueryFromProto(const v1::SiteReportRequest& request) {
  return {.site_id = request.site_id(),
          .from = request.from(),
          .to = request.to(),
          .nearby_radius_km = request.nearby_radius_km()};
}

reports::SpeciesListQuery SpeciesListQueryFromProto(const v1::SpeciesListRequest& request) {
  return {.complex_id = request.complex_id(),
          .site_ids = {request.site_ids().begin(), request.site_ids().end()},
          .from = request.from(),
          .to = request.to()};
}

void SiteReportToProto(const reports::SiteReport& r, v1::SiteReport* out) {
  SiteToProto(r.site, /*include_geometry=*/true, out->mutable_site());
  if (r.complex) {
    v1::Complex* c = out->mutable_complex();
    c->set_id(r.complex->id);
    for (const auto& [lang, name] : r.complex->names) (*c->mutable_names())[lang] = name;
    for (const std::string& country : r.complex->countries) c->add_countries(country);
    c->set_kind(r.complex->kind);
    c->set_description(r.complex->description);
  }
  out->set_from(counts::FormatSurveyDate(r.period.from_days));
  out->set_to(counts::FormatSurveyDate(r.period.to_days));
  for (const catalog::Species& s : r.species) SpeciesToProto(s, out->add_species());
  for (const reports::SpeciesAssessment& a : r.assessments) {
    v1::SpeciesAssessment* pa = out->add_assessments();
    pa->set_species_id(a.species_id);
    for (const reports::SeasonPeak& p : a.peaks) PeakToProto(p, pa->add_peaks());
    pa->mutable_one_percent()->set_value(a.one_percent.value);
    pa->mutable_one_percent()->set_derived(a.one_percent.derived);
    pa->mutable_one_percent()->set_basis(a.one_percent.basis);
    pa->mutable_one_percent()->set_source(a.one_percent.source);
    pa->set_percent_of_threshold(a.percent_of_threshold.value_or(0));
    TestToProto(a.criterion6, pa->mutable_criterion6());
  }
  for (const reports::SeasonPeak& p : r.total.peaks) PeakToProto(p, out->add_site_total_peaks());
  TestToProto(r.total.criterion5, out->mutable_criterion5());

  v1::TaggedUse* t = out->mutable_tagged();
  t->set_individuals(r.tagged.individuals);
  t->set_visits(r.tagged.visits);
  t->set_median_stay_days(r.tagged.median_stay_days);
  t->set_tracked_individuals(r.tagged.tracked_individuals);
  for (std::uint32_t n : r.tagged.individuals_by_month) t->add_individuals_by_month(n);
  for (const reports::TaggedSeasonUse& s : r.tagged.seasons) {
    v1::TaggedSeasonUse* ps = t->add_seasons();
    ps->set_species_id(s.species_id);
    ps->set_season(s.season);
    ps->set_season_year(s.season_year);
    ps->set_individuals(s.individuals);
    ps->set_visits(s.visits);
    ps->set_median_stay_days(s.median_stay_days);
    ps->set_first_arrival(telemetry::FormatTimestamp(s.first_arrival_ms));
    ps->set_median_arrival(telemetry::FormatTimestamp(s.median_arrival_ms));
    ps->set_median_departure(telemetry::FormatTimestamp(s.median_departure_ms));
    ps->set_last_departure(telemetry::FormatTimestamp(s.last_departure_ms));
  }
  for (const reports::LinkedSite& s : r.links.outgoing) LinkedToProto(s, out->add_links_out());
  for (const reports::LinkedSite& s : r.links.incoming) LinkedToProto(s, out->add_links_in());
  out->set_link_transitions(r.links.transitions);
  out->set_cross_border_transitions(r.links.cross_border_transitions);
  out->set_cross_border_share(r.links.cross_border_share);
  out->set_nearby_radius_km(r.nearby_radius_km);
  for (const reports::NearbyStopoverSite& s : r.nearby_unprotected) {
    v1::NearbyStopoverSite* ps = out->add_nearby_unprotected();
    SiteRefToProto(s, ps->mutable_site());
    ps->set_distance_km(s.distance_km);
    ps->set_individuals(s.individuals);
    ps->set_stopovers(s.stopovers);
    ps->set_stopover_days(s.stopover_days);
    for (const std::string& sp : s.species) ps->add_species(sp);
  }
  for (int season : r.coverage.seasons) out->add_count_seasons(reports::CountSeasonLabel(season));
  for (int season : r.coverage.seasons_without_counts) {
    out->add_seasons_without_counts(reports::CountSeasonLabel(season));
  }
  out->set_surveys(r.coverage.surveys);
  out->set_counts(r.coverage.counts);
  for (const reports::Caveat& c : r.coverage.caveats) {
    v1::Caveat* pc = out->add_caveats();
    pc->set_code(c.code);
    for (const std::string& arg : c.args) pc->add_args(arg);
  }
  out->set_flyway_version(r.flyway_version);
  out->set_generated(telemetry::FormatTimestamp(r.generated_ms));
}

void SpeciesListToProto(const reports::SpeciesList& list, v1::SpeciesList* out) {
  if (list.complex) {
    v1::Complex* c = out->mutable_complex();
    c->set_id(list.complex->id);
    for (const auto& [lang, name] : list.complex->names) (*c->mutable_names())[lang] = name;
    for (const std::string& country : list.complex->countries) c->add_countries(country);
    c->set_kind(list.complex->kind);
    c->set_description(list.complex->description);
  }
  for (const reports::SpeciesListSite& s : list.sites) {
    v1::ReportSiteRef* ps = out->add_sites();
    ps->set_node_id(s.id);
    ps->set_catalogued(true);
    for (const auto& [lang, name] : s.names) (*ps->mutable_names())[lang] = name;
    ps->set_country(s.country);
  }
  out->set_from(counts::FormatSurveyDate(list.period.from_days));
  out->set_to(counts::FormatSurveyDate(list.period.to_days));
  for (int season : list.seasons) out->add_seasons(reports::CountSeasonLabel(season));
  for (std::size_t i = 0; i < list.entries.size(); ++i) {
    const reports::SpeciesListEntry& e = list.entries[i];
    v1::SpeciesListEntry* pe = out->add_entries();
    SpeciesToProto(list.species[i], pe->mutable_species());
    pe->set_overall_max(e.overall_max);
    for (std::size_t s = 0; s < e.max_by_site_season.size(); ++s) {
      for (std::size_t k = 0; k < e.max_by_site_season[s].size(); ++k) {
        if (!e.max_by_site_season[s][k]) continue;
        v1::SpeciesListCell* cell = pe->add_maxima();
        cell->set_site_id(list.sites[s].id);
        cell->set_season_label(reports::CountSeasonLabel(list.seasons[k]));
        cell->set_max_count(*e.max_by_site_season[s][k]);
      }
    }
  }
  out->set_counts(list.counts);
}

void DocumentToProto(reports::RenderedDocument document, v1::RenderedDocument* out) {
  out->set_content_type(std::move(document.content_type));
  out->set_file_name(std::move(document.file_name));
  out->set_content(std::move(document.body));
}

}  // namespace wetlink::services
