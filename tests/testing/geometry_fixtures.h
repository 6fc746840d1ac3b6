#ifndef WETLINK_TESTS_TESTING_GEOMETRY_FIXTURES_H_
#define WETLINK_TESTS_TESTING_GEOMETRY_FIXTURES_H_

// Small geometry builders shared by the unit tests.

#include <utility>
#include <vector>

#include <boost/geometry/algorithms/correct.hpp>

#include "geo/gdal_io.h"
#include "geo/geometry.h"

namespace wetlink::testing {

// The axis-aligned square [x0, x1] x [y0, y1] (lon, lat), oriented.
inline geo::MultiPolygon Square(double x0, double y0, double x1, double y1) {
  geo::Polygon p;
  p.outer() = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
  geo::MultiPolygon mp{p};
  boost::geometry::correct(mp);
  return mp;
}

// A read result holding `features` and no refusals.
inline geo::ReadResult ReadResultOf(std::vector<geo::ReadFeature> features) {
  geo::ReadResult r;
  r.features = std::move(features);
  return r;
}

}  // namespace wetlink::testing

#endif  // WETLINK_TESTS_TESTING_GEOMETRY_FIXTURES_H_
