#include "geo/polygon_index.h"

#include <boost/geometry/algorithms/correct.hpp>
#include <boost/geometry/algorithms/covered_by.hpp>
#include <boost/geometry/algorithms/intersects.hpp>
#include <cstddef>
#include <random>
#include <utility>
#include <vector>

#include "geo/geometry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace wetlink::geo {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Polygon Square(double x0, double y0, double x1, double y1) {
  Polygon polygon;
  polygon.outer() = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
  boost::geometry::correct(polygon);
  return polygon;
}

MultiPolygon Multi(std::vector<Polygon> parts) {
  MultiPolygon multipolygon;
  multipolygon.assign(parts.begin(), parts.end());
  boost::geometry::correct(multipolygon);
  return multipolygon;
}

Box MakeBox(double x0, double y0, double x1, double y1) { return Box({x0, y0}, {x1, y1}); }

// 0: square [0,10]^2 with a hole [4,6]^2.
// 1: two squares [20,30]x[0,10] and [40,50]x[0,10].
// 2: strip [5,25]x[5,8], overlapping 0 and 1 (and the hole of 0).
// 3: empty.
PolygonIndex MakeIndex() {
  Polygon holed = Square(0, 0, 10, 10);
  holed.inners().push_back({{4, 4}, {4, 6}, {6, 6}, {6, 4}, {4, 4}});
  boost::geometry::correct(holed);
  return PolygonIndex({Multi({holed}), Multi({Square(20, 0, 30, 10), Square(40, 0, 50, 10)}),
                       Multi({Square(5, 5, 25, 8)}), MultiPolygon{}});
}

TEST(PolygonIndexTest, Accessors) {
  const PolygonIndex index = MakeIndex();
  ASSERT_EQ(index.size(), 4u);
  EXPECT_EQ(index.polygon(1).size(), 2u);
  EXPECT_EQ(index.bounds(1).min_corner().x(), 20);
  EXPECT_EQ(index.bounds(1).max_corner().x(), 50);
  EXPECT_EQ(index.bounds(0).max_corner().y(), 10);
}

TEST(PolygonIndexTest, ContainingInteriorPoints) {
  const PolygonIndex index = MakeIndex();
  EXPECT_THAT(index.Containing({1, 1}), ElementsAre(0));
  EXPECT_THAT(index.Containing({7, 6}), ElementsAre(0, 2));
  EXPECT_THAT(index.Containing({45, 5}), ElementsAre(1));
  EXPECT_THAT(index.Containing({22, 6}), ElementsAre(1, 2));
}

TEST(PolygonIndexTest, ContainingExcludesHolesAndGaps) {
  const PolygonIndex index = MakeIndex();
  EXPECT_THAT(index.Containing({5, 4.5}), IsEmpty());         // in the hole, below the strip
  EXPECT_THAT(index.Containing({5.5, 5.5}), ElementsAre(2));  // in the hole and the strip
  EXPECT_THAT(index.Containing({35, 5}), IsEmpty());          // between the parts of 1
  EXPECT_THAT(index.Containing({-1, 5}), IsEmpty());
}

TEST(PolygonIndexTest, ContainingIncludesBoundaries) {
  const PolygonIndex index = MakeIndex();
  EXPECT_THAT(index.Containing({0, 0}), ElementsAre(0));      // corner
  EXPECT_THAT(index.Containing({10, 2}), ElementsAre(0));     // edge
  EXPECT_THAT(index.Containing({4, 4.5}), ElementsAre(0));    // hole edge
  EXPECT_THAT(index.Containing({10, 5}), ElementsAre(0, 2));  // edge of 0, inside 2
  EXPECT_THAT(index.Containing({5, 5}), ElementsAre(2));      // corner of the strip, in the hole
  EXPECT_THAT(index.Containing({50, 10}), ElementsAre(1));
}

TEST(PolygonIndexTest, IntersectingBoxes) {
  const PolygonIndex index = MakeIndex();
  EXPECT_THAT(index.Intersecting(MakeBox(-100, -100, 100, 100)), ElementsAre(0, 1, 2));
  EXPECT_THAT(index.Intersecting(MakeBox(1, 1, 2, 2)), ElementsAre(0));
  // Inside the bounding box of 1 but between its parts.
  EXPECT_THAT(index.Intersecting(MakeBox(31, 1, 39, 9)), IsEmpty());
  // Inside the hole of 0, below the strip.
  EXPECT_THAT(index.Intersecting(MakeBox(4.5, 4.2, 5.5, 4.8)), IsEmpty());
  // A box containing a whole part of 1.
  EXPECT_THAT(index.Intersecting(MakeBox(39, -1, 51, 11)), ElementsAre(1));
  EXPECT_THAT(index.Intersecting(MakeBox(60, 60, 70, 70)), IsEmpty());
}

TEST(PolygonIndexTest, IntersectingIncludesTouching) {
  const PolygonIndex index = MakeIndex();
  EXPECT_THAT(index.Intersecting(MakeBox(-2, 2, 0, 3)), ElementsAre(0));     // shares an edge
  EXPECT_THAT(index.Intersecting(MakeBox(50, 10, 51, 11)), ElementsAre(1));  // shares a corner
  EXPECT_THAT(index.Intersecting(MakeBox(30, 1, 31, 2)), ElementsAre(1));
  // Degenerate box: a point on the hole boundary.
  EXPECT_THAT(index.Intersecting(MakeBox(4, 4.5, 4, 4.5)), ElementsAre(0));
}

TEST(PolygonIndexTest, EmptyIndex) {
  const PolygonIndex index({});
  EXPECT_EQ(index.size(), 0u);
  EXPECT_THAT(index.Containing({0, 0}), IsEmpty());
  EXPECT_THAT(index.Intersecting(MakeBox(-1, -1, 1, 1)), IsEmpty());
}

TEST(PolygonIndexTest, Movable) {
  PolygonIndex index = MakeIndex();
  PolygonIndex moved(std::move(index));
  EXPECT_THAT(moved.Containing({1, 1}), ElementsAre(0));
  PolygonIndex assigned({});
  assigned = std::move(moved);
  EXPECT_THAT(assigned.Containing({45, 5}), ElementsAre(1));
  EXPECT_EQ(assigned.size(), 4u);
}

TEST(PolygonIndexTest, AgreesWithBruteForce) {
  std::mt19937 random(42);
  std::uniform_real_distribution<double> coordinate(0, 100);
  std::uniform_real_distribution<double> extent(0.5, 15);
  std::vector<MultiPolygon> polygons;
  for (int i = 0; i < 300; ++i) {
    const double x = coordinate(random);
    const double y = coordinate(random);
    polygons.push_back(Multi({Square(x, y, x + extent(random), y + extent(random))}));
  }
  const PolygonIndex index(polygons);
  for (int i = 0; i < 300; ++i) {
    const Point p(coordinate(random), coordinate(random));
    std::vector<std::size_t> expected;
    for (std::size_t id = 0; id < polygons.size(); ++id) {
      if (boost::geometry::covered_by(p, polygons[id])) expected.push_back(id);
    }
    EXPECT_EQ(index.Containing(p), expected);

    const double x = coordinate(random);
    const double y = coordinate(random);
    const Box box = MakeBox(x, y, x + extent(random), y + extent(random));
    expected.clear();
    for (std::size_t id = 0; id < polygons.size(); ++id) {
      if (boost::geometry::intersects(box, polygons[id])) expected.push_back(id);
    }
    EXPECT_EQ(index.Intersecting(box), expected);
  }
}

}  // namespace
}  // namespace wetlink::geo
