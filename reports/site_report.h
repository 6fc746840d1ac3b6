#ifndef WETLINK_REPORTS_SITE_REPORT_H_
#define WETLINK_REPORTS_SITE_REPORT_H_

// The site report a Ramsar focal point reads: what one catalogued site holds
// against the international thresholds, how tagged birds use it, which
// sites it is linked to, and how complete the data are. This is the
// structure every format (HTML, CSV, JSON, GeoJSON) and the gRPC answer are
// rendered from; language enters only at rendering (labels.h).

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/site.h"
#include "catalog/species.h"
#include "geo/geometry.h"
#include "reports/count_assessment.h"
#include "reports/report_period.h"
#include "telemetry/fix.h"

namespace wetlink::reports {

// Tagged birds of one species at the site in one named season of one year.
struct TaggedSeasonUse {
  std::string species_id;
  std::string season;   // a season name of the SeasonTable, "" when none applies
  int season_year = 0;  // SeasonTable::SeasonYear of the arrival
  std::uint32_t individuals = 0;
  std::uint32_t visits = 0;
  double median_stay_days = 0;
  telemetry::TimestampMs first_arrival_ms = 0;
  telemetry::TimestampMs median_arrival_ms = 0;
  telemetry::TimestampMs median_departure_ms = 0;
  telemetry::TimestampMs last_departure_ms = 0;
};

struct TaggedUse {
  std::uint32_t individuals = 0;  // distinct, every species
  std::uint32_t visits = 0;
  double median_stay_days = 0;
  // By species, then season year, then season (in calendar order).
  std::vector<TaggedSeasonUse> seasons;
  // Distinct individuals present at the site in each calendar month
  // (January first) over the period: a visit counts in every month it
  // overlaps.
  std::array<std::uint32_t, 12> individuals_by_month{};
  // Tagged individuals anywhere in the flyway with a visit or stopover in
  // the period: how many birds could have come.
  std::uint32_t tracked_individuals = 0;
};

enum class LinkDirection { kOut, kIn };

// A site linked to the report's site by transitions of tagged birds.
struct LinkedSite {
  LinkDirection direction = LinkDirection::kOut;
  std::string node_id;  // catalog site id, or a discovered site id
  bool catalogued = false;
  std::map<std::string, std::string> names;  // catalogued: its names by language
  std::vector<std::string> names_unverified;
  std::string country;  // ISO 3166-1 alpha-2, "" when unknown
  bool is_protected = false;
  geo::LatLon position;
  std::uint32_t individuals = 0;
  std::uint32_t transitions = 0;
  double median_travel_days = 0;
  double median_distance_km = 0;
  std::vector<std::string> species;  // catalog ids, sorted
  bool cross_border = false;         // both countries known and different
};

struct SiteLinks {
  std::vector<LinkedSite> outgoing;  // by individuals (descending), then id
  std::vector<LinkedSite> incoming;
  std::uint32_t transitions = 0;               // in and out
  std::uint32_t cross_border_transitions = 0;  // of those, with the other end across a border
  // cross_border_transitions / transitions; 0 when there are none.
  double cross_border_share = 0;
};

// Where tagged birds stopped near the site outside any protected area: a
// discovered candidate site, or a catalogued site without protection.
struct NearbyStopoverSite {
  std::string node_id;
  bool catalogued = false;
  std::map<std::string, std::string> names;  // catalogued: its names
  std::vector<std::string> names_unverified;
  std::string country;
  geo::LatLon position;
  double distance_km = 0;  // geodesic, from the report site's centre
  std::uint32_t individuals = 0;
  std::uint32_t stopovers = 0;
  double stopover_days = 0;
  std::vector<std::string> species;
};

// A limitation of the data a reader must know, as a code with arguments
// that the labels turn into a sentence ("caveat.<code>" with {0}, {1}...).
struct Caveat {
  std::string code;
  std::vector<std::string> args;

  bool operator==(const Caveat&) const = default;
};

struct Coverage {
  std::vector<int> seasons;                 // count seasons the period spans
  std::vector<int> seasons_without_counts;  // of those, with no survey at the site
  std::uint32_t surveys = 0;                // distinct (date, survey id) in the period
  std::uint32_t counts = 0;                 // count records in the period
  std::vector<Caveat> caveats;
};

struct SiteReport {
  catalog::Site site;
  std::optional<catalog::Complex> complex;
  ReportPeriod period;
  // The species the report covers (with counts at the site in the period,
  // or tagged birds there), as the catalog holds them, by id.
  std::vector<catalog::Species> species;
  std::vector<SpeciesAssessment> assessments;  // by species id, those with counts
  SiteTotalAssessment total;
  TaggedUse tagged;
  SiteLinks links;
  double nearby_radius_km = 0;
  std::vector<NearbyStopoverSite> nearby_unprotected;  // by distance
  Coverage coverage;
  std::uint64_t flyway_version = 0;  // the snapshot the tagged figures come from
  telemetry::TimestampMs generated_ms = 0;

  const catalog::Species* FindSpecies(std::string_view id) const;
};

}  // namespace wetlink::reports

#endif  // WETLINK_REPORTS_SITE_REPORT_H_
