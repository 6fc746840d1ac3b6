#include "reports/site_report_builder.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "geo/geodesy.h"
#include "graph/links.h"
#include "graph/selection.h"
#include "telemetry/timestamp.h"

namespace wetlink::reports {
namespace {

using telemetry::TimestampMs;

constexpr double kMsPerDay = static_cast<double>(telemetry::kMsPerDay);

TimestampMs MedianMs(std::vector<TimestampMs> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  if (values.size() % 2 == 1) return values[mid];
  return values[mid - 1] + (values[mid] - values[mid - 1]) / 2;
}

// The named season of `species_id` whose months hold `t`, with its year;
// ("", calendar year) when the species has none.
std::pair<std::string, int> SeasonOf(const graph::SeasonTable& seasons,
                                     const std::string& species_id, TimestampMs t) {
  for (const std::string& name : seasons.SeasonNames()) {
    if (std::optional<int> year = seasons.SeasonYear(species_id, name, t)) return {name, *year};
  }
  return {"", graph::UtcYearMonth(t).year};
}

// Calendar order of the bundled season names, unknown names last.
int SeasonRank(const std::string& season) {
  static const std::vector<std::string> kOrder = {"winter", "spring", "breeding", "autumn"};
  auto it = std::find(kOrder.begin(), kOrder.end(), season);
  return static_cast<int>(it - kOrder.begin());
}

struct SeasonKey {
  std::string species;
  int year = 0;
  int rank = 0;
  std::string season;
  auto operator<=>(const SeasonKey&) const = default;
};

struct SeasonAcc {
  std::set<std::uint32_t> individuals;
  std::vector<double> stays_days;
  std::vector<TimestampMs> arrivals;
  std::vector<TimestampMs> departures;
};

TaggedUse CollectTaggedUse(const graph::FlywaySnapshot& snapshot, const graph::SeasonTable& seasons,
                           std::int32_t site, const ReportPeriod& period,
                           std::set<std::string>& species_seen) {
  TaggedUse use;
  const TimestampMs from = period.from_ms();
  const TimestampMs end = period.end_ms();
  std::set<std::uint32_t> individuals;
  std::array<std::set<std::uint32_t>, 12> by_month;
  std::vector<double> stays;
  std::map<SeasonKey, SeasonAcc> by_season;
  for (std::uint32_t i = 0; i < snapshot.individuals().size(); ++i) {
    const graph::SegmentedIndividual& ind = *snapshot.individuals()[i];
    bool tracked = false;
    for (const graph::Stopover& s : ind.segmentation.stopovers) {
      tracked = tracked || (s.departure_ms >= from && s.arrival_ms < end);
    }
    for (const graph::Visit& v : ind.segmentation.visits) {
      if (v.departure_ms < from || v.arrival_ms >= end) continue;
      tracked = true;
      if (v.site != site) continue;
      individuals.insert(i);
      ++use.visits;
      const double stay = static_cast<double>(v.duration_ms()) / kMsPerDay;
      stays.push_back(stay);
      species_seen.insert(ind.info.species_id);
      auto [season, year] = SeasonOf(seasons, ind.info.species_id, v.arrival_ms);
      SeasonAcc& acc = by_season[SeasonKey{.species = ind.info.species_id,
                                           .year = year,
                                           .rank = SeasonRank(season),
                                           .season = season}];
      acc.individuals.insert(i);
      acc.stays_days.push_back(stay);
      acc.arrivals.push_back(v.arrival_ms);
      acc.departures.push_back(v.departure_ms);
      // Every calendar month the visit overlaps, within the period.
      graph::YearMonth ym = graph::UtcYearMonth(std::max(v.arrival_ms, from));
      const graph::YearMonth last = graph::UtcYearMonth(std::min(v.departure_ms, end - 1));
      while (std::tie(ym.year, ym.month) <= std::tie(last.year, last.month)) {
        by_month[static_cast<std::size_t>(ym.month - 1)].insert(i);
        if (++ym.month > 12) {
          ym.month = 1;
          ++ym.year;
        }
      }
    }
    if (tracked) ++use.tracked_individuals;
  }
  use.individuals = static_cast<std::uint32_t>(individuals.size());
  use.median_stay_days = graph::Median(stays);
  for (std::size_t m = 0; m < 12; ++m) {
    use.individuals_by_month[m] = static_cast<std::uint32_t>(by_month[m].size());
  }
  for (auto& [key, acc] : by_season) {
    TaggedSeasonUse row;
    row.species_id = key.species;
    row.season = key.season;
    row.season_year = key.year;
    row.individuals = static_cast<std::uint32_t>(acc.individuals.size());
    row.visits = static_cast<std::uint32_t>(acc.arrivals.size());
    row.median_stay_days = graph::Median(acc.stays_days);
    row.first_arrival_ms = *std::min_element(acc.arrivals.begin(), acc.arrivals.end());
    row.last_departure_ms = *std::max_element(acc.departures.begin(), acc.departures.end());
    row.median_arrival_ms = MedianMs(acc.arrivals);
    row.median_departure_ms = MedianMs(acc.departures);
    use.seasons.push_back(std::move(row));
  }
  return use;
}

LinkedSite MakeLinkedSite(const graph::FlywaySnapshot& snapshot, const graph::Link& link,
                          LinkDirection direction) {
  const std::int32_t other = direction == LinkDirection::kOut ? link.to_node : link.from_node;
  const graph::Node& node = snapshot.nodes()[static_cast<std::size_t>(other)];
  LinkedSite s;
  s.direction = direction;
  s.node_id = node.id;
  s.catalogued = node.catalogued();
  if (node.catalogued()) {
    const catalog::Site& site = snapshot.catalog().sites()[static_cast<std::size_t>(node.site)];
    s.names = site.names;
    s.names_unverified = site.names_unverified;
  }
  s.country = node.country;
  s.is_protected = node.is_protected;
  s.position = node.position;
  s.individuals = link.individuals;
  s.transitions = link.transitions;
  s.median_travel_days = static_cast<double>(link.median_travel_ms) / kMsPerDay;
  s.median_distance_km = link.median_distance_m / 1000.0;
  s.species = link.species;
  s.cross_border = graph::IsCrossBorder(snapshot, link);
  return s;
}

void SortLinked(std::vector<LinkedSite>& sites) {
  std::sort(sites.begin(), sites.end(), [](const LinkedSite& a, const LinkedSite& b) {
    return std::tie(b.individuals, b.transitions, a.node_id) <
           std::tie(a.individuals, a.transitions, b.node_id);
  });
}

SiteLinks CollectLinks(const graph::FlywaySnapshot& snapshot, const graph::Selection& selection,
                       std::int32_t node) {
  SiteLinks links;
  for (const graph::Link& link : graph::AggregateLinks(snapshot, selection)) {
    if (link.from_node != node && link.to_node != node) continue;
    const LinkDirection direction =
        link.from_node == node ? LinkDirection::kOut : LinkDirection::kIn;
    LinkedSite s = MakeLinkedSite(snapshot, link, direction);
    links.transitions += s.transitions;
    if (s.cross_border) links.cross_border_transitions += s.transitions;
    (direction == LinkDirection::kOut ? links.outgoing : links.incoming).push_back(std::move(s));
  }
  SortLinked(links.outgoing);
  SortLinked(links.incoming);
  if (links.transitions > 0) {
    links.cross_border_share =
        static_cast<double>(links.cross_border_transitions) / links.transitions;
  }
  return links;
}

std::vector<NearbyStopoverSite> CollectNearby(const graph::FlywaySnapshot& snapshot,
                                              const graph::Selection& selection, std::int32_t node,
                                              geo::LatLon centre, double radius_km) {
  struct Acc {
    std::set<std::uint32_t> individuals;
    std::set<std::string> species;
    std::uint32_t stopovers = 0;
    double days = 0;
    double distance_km = 0;
  };
  std::map<std::int32_t, Acc> by_node;
  std::map<std::int32_t, std::optional<double>> distance_of;  // memo: km, nullopt beyond radius
  for (const graph::StopoverRef& ref : selection.stopovers) {
    if (ref.node == node) continue;
    const graph::Node& n = snapshot.nodes()[static_cast<std::size_t>(ref.node)];
    if (n.catalogued() && n.is_protected) continue;
    auto [memo, inserted] = distance_of.try_emplace(ref.node);
    if (inserted) {
      const double km = geo::GeodesicDistanceM(centre, n.position) / 1000.0;
      if (km <= radius_km) memo->second = km;
    }
    if (!memo->second) continue;
    const graph::SegmentedIndividual& ind = *snapshot.individuals()[ref.individual];
    const graph::Stopover& stop = ind.segmentation.stopovers[ref.stop];
    Acc& acc = by_node[ref.node];
    acc.distance_km = *memo->second;
    acc.individuals.insert(ref.individual);
    if (!ind.info.species_id.empty()) acc.species.insert(ind.info.species_id);
    ++acc.stopovers;
    acc.days += static_cast<double>(stop.duration_ms()) / kMsPerDay;
  }
  std::vector<NearbyStopoverSite> nearby;
  for (const auto& [id, acc] : by_node) {
    const graph::Node& n = snapshot.nodes()[static_cast<std::size_t>(id)];
    NearbyStopoverSite s;
    s.node_id = n.id;
    s.catalogued = n.catalogued();
    if (n.catalogued()) {
      const catalog::Site& site = snapshot.catalog().sites()[static_cast<std::size_t>(n.site)];
      s.names = site.names;
      s.names_unverified = site.names_unverified;
    }
    s.country = n.country;
    s.position = n.position;
    s.distance_km = acc.distance_km;
    s.individuals = static_cast<std::uint32_t>(acc.individuals.size());
    s.stopovers = acc.stopovers;
    s.stopover_days = acc.days;
    s.species.assign(acc.species.begin(), acc.species.end());
    nearby.push_back(std::move(s));
  }
  std::sort(nearby.begin(), nearby.end(),
            [](const NearbyStopoverSite& a, const NearbyStopoverSite& b) {
              return std::tie(a.distance_km, a.node_id) < std::tie(b.distance_km, b.node_id);
            });
  return nearby;
}

Coverage CollectCoverage(const SiteReport& report, const std::vector<counts::Count>& counts) {
  Coverage c;
  c.seasons = CountSeasonsOf(report.period);
  std::set<std::pair<std::int32_t, std::string>> surveys;
  std::set<int> surveyed;
  for (const counts::Count& count : counts) {
    if (!report.period.Contains(count.date_days)) continue;
    ++c.counts;
    surveys.emplace(count.date_days, count.survey_id);
    surveyed.insert(CountSeasonOf(count.date_days));
  }
  c.surveys = static_cast<std::uint32_t>(surveys.size());
  std::vector<std::string> missing_labels;
  for (int season : c.seasons) {
    if (surveyed.count(season) == 0) {
      c.seasons_without_counts.push_back(season);
      missing_labels.push_back(CountSeasonLabel(season));
    }
  }
  if (c.counts == 0) {
    c.caveats.push_back({"no_counts", {}});
  } else if (!missing_labels.empty()) {
    c.caveats.push_back({"seasons_without_counts", {absl::StrJoin(missing_labels, ", ")}});
  }
  // A season cut by the period may miss its peak.
  const telemetry::CivilDate first = telemetry::CivilFromDays(report.period.from_days);
  const telemetry::CivilDate last = telemetry::CivilFromDays(report.period.to_days);
  const bool starts_season = first.month == kCountSeasonFirstMonth && first.day == 1;
  const bool ends_season = last.month == kCountSeasonFirstMonth - 1 && last.day == 30;
  if (!starts_season) {
    c.caveats.push_back({"partial_season", {CountSeasonLabel(c.seasons.front())}});
  }
  if (!ends_season && (c.seasons.size() > 1 || starts_season)) {
    c.caveats.push_back({"partial_season", {CountSeasonLabel(c.seasons.back())}});
  }
  if (!report.site.geometry_surveyed) {
    c.caveats.push_back({"approximate_geometry", {report.site.geometry_note}});
  }
  if (report.tagged.individuals == 0) {
    c.caveats.push_back({"no_tagged_birds", {}});
  } else if (report.tagged.individuals < kFewTaggedBirds) {
    c.caveats.push_back({"few_tagged_birds", {absl::StrCat(report.tagged.individuals)}});
  }
  for (const SpeciesAssessment& a : report.assessments) {
    if (a.one_percent.value <= 0) {
      c.caveats.push_back({"no_threshold", {a.species_id}});
    } else if (a.one_percent.derived) {
      c.caveats.push_back({"threshold_derived", {a.species_id}});
    }
  }
  if (c.counts > 0) c.caveats.push_back({"site_total_partial", {}});
  return c;
}

}  // namespace

absl::StatusOr<SiteReport> BuildSiteReport(std::string_view site_id, const SiteReportInputs& inputs,
                                           std::string_view field) {
  const catalog::Catalog& catalog = *inputs.catalog;
  const graph::FlywaySnapshot& snapshot = *inputs.snapshot;
  const catalog::Site* site = catalog.FindSite(site_id);
  if (site == nullptr) {
    return absl::NotFoundError(absl::StrCat(std::string(field), ": no catalogued site has the id '",
                                            std::string(site_id), "'"));
  }
  SiteReport report;
  report.site = *site;
  if (const catalog::Complex* complex = catalog.FindComplex(site->complex_id)) {
    report.complex = *complex;
  }
  report.period = inputs.period;
  report.nearby_radius_km = inputs.nearby_radius_km;
  report.flyway_version = snapshot.version();
  report.generated_ms = inputs.now_ms;

  std::vector<counts::Count> site_counts;
  for (const counts::Count& c : inputs.counts) {
    if (c.site_id == site->id) site_counts.push_back(c);
  }
  std::set<std::string> species_ids;
  std::set<std::string> counted;
  for (const counts::Count& c : site_counts) {
    if (report.period.Contains(c.date_days)) counted.insert(c.species_id);
  }
  for (const std::string& id : counted) {
    if (const catalog::Species* species = catalog.FindSpecies(id)) {
      report.assessments.push_back(AssessSpecies(site_counts, *species, report.period));
      species_ids.insert(id);
    }
  }
  report.total = AssessSiteTotal(site_counts, report.period);

  // Tagged birds, links and nearby stopovers come from the snapshot, whose
  // catalog may predate a site import: a site it does not know has none.
  graph::FlywayFilter filter;
  filter.window = graph::TimeWindow{report.period.from_ms(), report.period.end_ms()};
  const graph::Selection selection = graph::Select(snapshot, *inputs.seasons, filter);
  if (std::optional<std::int32_t> node = snapshot.FindNode(site->id);
      node && snapshot.nodes()[static_cast<std::size_t>(*node)].catalogued()) {
    const std::int32_t site_position = snapshot.nodes()[static_cast<std::size_t>(*node)].site;
    report.tagged =
        CollectTaggedUse(snapshot, *inputs.seasons, site_position, report.period, species_ids);
    report.links = CollectLinks(snapshot, selection, *node);
    report.nearby_unprotected =
        CollectNearby(snapshot, selection, *node, site->centre, inputs.nearby_radius_km);
  }
  for (const std::string& id : species_ids) {
    if (const catalog::Species* species = catalog.FindSpecies(id)) {
      report.species.push_back(*species);
    }
  }
  report.coverage = CollectCoverage(report, site_counts);
  return report;
}

}  // namespace wetlink::reports
