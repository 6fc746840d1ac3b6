#ifndef WETLINK_GRAPH_LOCAL_PROJECTION_H_
#define WETLINK_GRAPH_LOCAL_PROJECTION_H_

// An equirectangular projection around one point, in metres: accurate to a
// fraction of a percent within tens of kilometres, which is all the stay
// and cluster tests need, and thousands of times cheaper than a geodesic.
// Reported distances use geo::GeodesicDistanceM instead.

#include <cmath>

namespace wetlink::graph {

class LocalProjection {
 public:
  LocalProjection(double lat0, double lon0)
      : lat0_(lat0), lon0_(lon0), x_scale_(kMetresPerDegree * std::cos(lat0 * kRadPerDeg)) {}

  struct Xy {
    double x = 0;  // metres east
    double y = 0;  // metres north
  };

  Xy Project(double lat, double lon) const {
    double dlon = lon - lon0_;
    if (dlon > 180.0) dlon -= 360.0;
    if (dlon < -180.0) dlon += 360.0;
    return {dlon * x_scale_, (lat - lat0_) * kMetresPerDegree};
  }

  static double Distance(Xy a, Xy b) { return std::hypot(a.x - b.x, a.y - b.y); }

 private:
  static constexpr double kRadPerDeg = 3.14159265358979323846 / 180.0;
  // Mean Earth radius (IUGG, 6,371,008.8 m) times pi / 180.
  static constexpr double kMetresPerDegree = 6'371'008.8 * kRadPerDeg;

  double lat0_;
  double lon0_;
  double x_scale_;
};

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_LOCAL_PROJECTION_H_
