#include "access/location_privacy.h"

#include <algorithm>
#include <cmath>

namespace wetlink::access {
namespace {

double CellCentre(double value, double grid, double min, double max) {
  // 42.4 / 0.2 is 211.99999999999997 in binary: a ratio within rounding of
  // a whole number is on an edge, which belongs to the cell north or east.
  const double ratio = value / grid;
  const double nearest = std::round(ratio);
  const double cell = std::abs(ratio - nearest) < 1e-9 ? nearest : std::floor(ratio);
  const double centre = (cell + 0.5) * grid;
  // A cell straddling a pole or the antimeridian keeps its centre in range.
  return std::clamp(centre, min, max);
}

}  // namespace

LatLon Generalise(double lat, double lon, double grid_deg) {
  return {CellCentre(lat, grid_deg, -90, 90), CellCentre(lon, grid_deg, -180, 180)};
}

}  // namespace wetlink::access
