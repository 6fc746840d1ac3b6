#include "sim/sphere.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace wetlink::sim {
namespace {
constexpr double kDeg = std::numbers::pi / 180.0;

struct Vec3 {
  double x, y, z;
};

Vec3 ToVec(geo::LatLon p) {
  const double la = p.lat * kDeg, lo = p.lon * kDeg;
  return {std::cos(la) * std::cos(lo), std::cos(la) * std::sin(lo), std::sin(la)};
}

geo::LatLon FromVec(Vec3 v) {
  return {.lat = std::atan2(v.z, std::hypot(v.x, v.y)) / kDeg, .lon = std::atan2(v.y, v.x) / kDeg};
}
}  // namespace

geo::LatLon Slerp(geo::LatLon a, geo::LatLon b, double f) {
  const Vec3 va = ToVec(a), vb = ToVec(b);
  const double dot = std::clamp(va.x * vb.x + va.y * vb.y + va.z * vb.z, -1.0, 1.0);
  const double omega = std::acos(dot);
  if (omega < 1e-12) return a;
  const double s = std::sin(omega);
  const double wa = std::sin((1 - f) * omega) / s, wb = std::sin(f * omega) / s;
  return FromVec({wa * va.x + wb * vb.x, wa * va.y + wb * vb.y, wa * va.z + wb * vb.z});
}

double BearingDeg(geo::LatLon a, geo::LatLon b) {
  const double la1 = a.lat * kDeg, la2 = b.lat * kDeg, dlo = (b.lon - a.lon) * kDeg;
  const double y = std::sin(dlo) * std::cos(la2);
  const double x = std::cos(la1) * std::sin(la2) - std::sin(la1) * std::cos(la2) * std::cos(dlo);
  double deg = std::atan2(y, x) / kDeg;
  if (deg < 0) deg += 360.0;
  return deg >= 360.0 ? 0.0 : deg;
}

geo::LatLon Offset(geo::LatLon p, double east_m, double north_m) {
  const double lat = std::clamp(p.lat + north_m / kEarthRadiusM / kDeg, -90.0, 90.0);
  const double c = std::max(std::cos(p.lat * kDeg), 1e-6);
  double lon = p.lon + east_m / (kEarthRadiusM * c) / kDeg;
  if (lon >= 180.0 || lon < -180.0) lon = std::remainder(lon, 360.0);
  if (lon >= 180.0) lon -= 360.0;
  return {.lat = lat, .lon = lon};
}

}  // namespace wetlink::sim
