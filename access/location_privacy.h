#ifndef WETLINK_ACCESS_LOCATION_PRIVACY_H_
#define WETLINK_ACCESS_LOCATION_PRIVACY_H_

// Generalisation and embargo of sensitive species' locations, for callers
// with generalised access to a study (study_sharing.h): positions are moved
// to the centre of their grid cell, and positions newer than the embargo are
// withheld, so a poacher cannot learn where a bird is now or was precisely.
// Aggregates over sites (links, reports) are not affected.

#include <cstdint>
#include <set>
#include <string>

namespace wetlink::access {

struct LocationPrivacy {
  // Catalog species ids whose locations are generalised.
  std::set<std::string> sensitive_species;
  // Cell size of the generalisation grid, in degrees of latitude and
  // longitude (0.2 degrees: about 22 km north-south, 14-18 km east-west
  // between 35 and 50 N).
  double grid_deg = 0.2;
  // Positions newer than this are withheld.
  std::int64_t embargo_ms = std::int64_t{30} * 24 * 3600 * 1000;

  bool IsSensitive(const std::string& species_id) const {
    return sensitive_species.count(species_id) != 0;
  }
};

struct LatLon {
  double lat = 0;
  double lon = 0;
};

// The centre of the grid cell holding (lat, lon). Cells are aligned to
// multiples of grid_deg from (0, 0); a position on a cell edge belongs to
// the cell north or east of it.
LatLon Generalise(double lat, double lon, double grid_deg);

// Whether a position taken at `time_ms` is still under embargo at `now_ms`.
inline bool UnderEmbargo(std::int64_t time_ms, std::int64_t now_ms, std::int64_t embargo_ms) {
  return time_ms > now_ms - embargo_ms;
}

}  // namespace wetlink::access

#endif  // WETLINK_ACCESS_LOCATION_PRIVACY_H_
