#include "access/location_privacy.h"

#include <algorithm>
#include <cmath>

namespace wetlink::access {
namespace {

double CellCentre(double value, double grid, double min, double max) {
  const double centre = (std::floor(value / grid) + 0.5) * grid;
  // A cell straddling a pole or the antimeridian keeps its centre in range.
  return std::clamp(centre, min, max);
}

}  // namespace

LatLon Generalise(double lat, double lon, double grid_deg) {
  return {CellCentre(lat, grid_deg, -90, 90), CellCentre(lon, grid_deg, -180, 180)};
}

}  // namespace wetlink::access
