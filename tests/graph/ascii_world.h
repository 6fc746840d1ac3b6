#ifndef WETLINK_TESTS_GRAPH_ASCII_WORLD_H_
#define WETLINK_TESTS_GRAPH_ASCII_WORLD_H_

// Scenarios for the flyway tests drawn as ASCII maps, as OSRM's behaviour
// tests draw their road networks, so a reader sees the geography:
//
//     A.........B        each character is a cell of 0.1° x 0.1°; rows go
//     ..........         south from the north-west corner (45.0 N 125.0 E by
//     x.........C        default), columns east
//
//   - an upper-case letter is a catalogued site: a square polygon covering
//     its cell (or the box of all its cells), with the country and
//     protection the test gives; its id is "site_<letter>", so sites sort
//     (and become graph nodes) in letter order;
//   - a lower-case letter is a named place outside every site (where
//     stays happen); the test may give it a country for the candidate
//     site's CountryLookup;
//   - anything else ('.', ' ') is an empty cell.
//
// TrackBuilder writes an individual's track through the map: stays at a
// letter with a fix every K hours (small deterministic jitter, well inside
// the cell), flights with hourly fixes along the straight line between two
// cell centres, and gaps; each fix's site is looked up in the catalog.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "geo/geometry.h"
#include "graph/flyway_snapshot.h"
#include "graph/track_point.h"
#include "telemetry/fix.h"

namespace wetlink::graph::testing {

inline constexpr double kCellDeg = 0.1;

struct SiteSpec {
  std::string country;  // ISO 3166-1 alpha-2
  bool is_protected = false;
};

// The position of the smallest catalogued site covering (lat, lon), as a
// position in catalog.sites(), or kNoSite: pipeline::SiteAssigner's rule
// (smallest geodesic area, ties to the lower id).
std::int32_t AssignSite(const catalog::Catalog& catalog, double lat, double lon);

// The focal species of the bundled catalog (ids and codes as in
// data/catalog/species.json), enough for filters by species.
std::vector<catalog::Species> FocalSpecies();

class AsciiWorld {
 public:
  // Every upper-case letter of `map` needs an entry in `sites`.
  AsciiWorld(std::string_view map, std::map<char, SiteSpec> sites,
             std::map<char, std::string> place_countries = {},
             geo::LatLon north_west = {45.0, 125.0});

  const std::shared_ptr<const catalog::Catalog>& catalog() const { return catalog_; }

  // Centre of the letter's cell (the mean of its cells).
  geo::LatLon Centre(char letter) const;
  // Position of an upper-case letter's site in catalog().sites(): its node
  // in a snapshot.
  std::int32_t Site(char letter) const;
  static std::string SiteId(char letter);

  // Country of the lettered cell containing `p` ("" elsewhere): sites'
  // countries for upper-case letters, the given ones for lower-case.
  std::string CountryAt(geo::LatLon p) const;
  CountryLookup Countries() const;

 private:
  struct Cells {
    int row_min = 1 << 30;
    int row_max = -1;
    int col_min = 1 << 30;
    int col_max = -1;
  };

  geo::LatLon north_west_;
  std::vector<std::string> rows_;
  std::map<char, Cells> cells_;
  std::map<char, std::string> countries_;
  std::shared_ptr<const catalog::Catalog> catalog_;
};

// One individual's track through an AsciiWorld, hour by hour.
class TrackBuilder {
 public:
  TrackBuilder(const AsciiWorld& world, telemetry::TimestampMs start_ms);

  // At `place` for `hours`, a fix every `every_hours`: fixes at now, now +
  // K, ..., now + hours (the one at now is left out when the previous fix
  // was at now); then now += hours.
  TrackBuilder& Stay(char place, int hours, int every_hours = 1);
  // From the last stay's place to `to` in `hours`: fixes at now + 1 h, ...,
  // now + hours - 1 h on the straight line between the cell centres (no
  // jitter); then now += hours, and the next Stay's first fix arrives.
  TrackBuilder& Fly(char to, int hours);
  // No fix for `hours`: now += hours.
  TrackBuilder& Gap(int hours);
  // No fix until `t_ms` (>= now).
  TrackBuilder& GapUntil(telemetry::TimestampMs t_ms);

  telemetry::TimestampMs now_ms() const { return now_ms_; }
  const std::vector<TrackPoint>& points() const { return points_; }

 private:
  void AddFix(double lat, double lon);

  const AsciiWorld& world_;
  telemetry::TimestampMs now_ms_;
  char place_ = 0;
  std::uint32_t jitter_ = 0;
  std::vector<TrackPoint> points_;
};

inline constexpr telemetry::TimestampMs kHour = 3'600'000;
inline constexpr telemetry::TimestampMs kDay = 24 * kHour;

}  // namespace wetlink::graph::testing

#endif  // WETLINK_TESTS_GRAPH_ASCII_WORLD_H_
