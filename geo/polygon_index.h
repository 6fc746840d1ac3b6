#ifndef WETLINK_GEO_POLYGON_INDEX_H_
#define WETLINK_GEO_POLYGON_INDEX_H_

// An immutable spatial index over multipolygons: an R-tree of their bounding
// boxes for candidates, then exact tests with Boost.Geometry. Built once,
// then safe to query from any number of threads.

#include <cstddef>
#include <memory>
#include <vector>

#include "geo/geometry.h"

namespace wetlink::geo {

class PolygonIndex {
 public:
  // Indexes `polygons`; the id of a polygon is its position in the vector.
  explicit PolygonIndex(std::vector<MultiPolygon> polygons);
  ~PolygonIndex();
  PolygonIndex(PolygonIndex&&) noexcept;
  PolygonIndex& operator=(PolygonIndex&&) noexcept;
  PolygonIndex(const PolygonIndex&) = delete;
  PolygonIndex& operator=(const PolygonIndex&) = delete;

  // Ids of the polygons that cover `p` (boundary included), ascending.
  std::vector<std::size_t> Containing(const Point& p) const;

  // Ids of the polygons that intersect `box` (touching included), ascending.
  std::vector<std::size_t> Intersecting(const Box& box) const;

  const MultiPolygon& polygon(std::size_t id) const { return polygons_[id]; }
  const Box& bounds(std::size_t id) const { return bounds_[id]; }
  std::size_t size() const { return polygons_.size(); }

 private:
  struct Tree;
  std::vector<MultiPolygon> polygons_;
  std::vector<Box> bounds_;
  std::unique_ptr<Tree> tree_;
};

}  // namespace wetlink::geo

#endif  // WETLINK_GEO_POLYGON_INDEX_H_
