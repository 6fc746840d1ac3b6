#include "geo/polygon_index.h"

#include <algorithm>
#include <boost/geometry/algorithms/covered_by.hpp>
#include <boost/geometry/algorithms/intersects.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cstddef>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

namespace wetlink::geo {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

struct PolygonIndex::Tree {
  using Value = std::pair<Box, std::size_t>;
  using RTree = bgi::rtree<Value, bgi::quadratic<16>>;
  RTree rtree;
};

namespace {

// Exterior rings bound their holes, so they alone give the envelope. Written
// out because boost::geometry::envelope trips GCC 12's -Wmaybe-uninitialized
// at -O2. An empty multipolygon gets an inverted box, which nothing intersects.
Box Envelope(const MultiPolygon& multipolygon) {
  double min_x = std::numeric_limits<double>::max();
  double min_y = std::numeric_limits<double>::max();
  double max_x = std::numeric_limits<double>::lowest();
  double max_y = std::numeric_limits<double>::lowest();
  for (const Polygon& polygon : multipolygon) {
    for (const Point& p : polygon.outer()) {
      min_x = std::min(min_x, p.x());
      min_y = std::min(min_y, p.y());
      max_x = std::max(max_x, p.x());
      max_y = std::max(max_y, p.y());
    }
  }
  return Box(Point(min_x, min_y), Point(max_x, max_y));
}

}  // namespace

PolygonIndex::PolygonIndex(std::vector<MultiPolygon> polygons)
    : polygons_(std::move(polygons)), tree_(std::make_unique<Tree>()) {
  bounds_.reserve(polygons_.size());
  std::vector<Tree::Value> values;
  values.reserve(polygons_.size());
  for (std::size_t id = 0; id < polygons_.size(); ++id) {
    const Box& box = bounds_.emplace_back(Envelope(polygons_[id]));
    if (box.min_corner().x() <= box.max_corner().x()) values.emplace_back(box, id);
  }
  // The packing constructor bulk-loads a better-balanced tree than inserts.
  tree_->rtree = Tree::RTree(values.begin(), values.end());
}

PolygonIndex::~PolygonIndex() = default;
PolygonIndex::PolygonIndex(PolygonIndex&&) noexcept = default;
PolygonIndex& PolygonIndex::operator=(PolygonIndex&&) noexcept = default;

std::vector<std::size_t> PolygonIndex::Containing(const Point& p) const {
  std::vector<std::size_t> ids;
  if (!tree_) return ids;  // moved-from
  for (auto it = tree_->rtree.qbegin(bgi::intersects(p)); it != tree_->rtree.qend(); ++it) {
    if (bg::covered_by(p, polygons_[it->second])) ids.push_back(it->second);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

std::vector<std::size_t> PolygonIndex::Intersecting(const Box& box) const {
  std::vector<std::size_t> ids;
  if (!tree_) return ids;  // moved-from
  for (auto it = tree_->rtree.qbegin(bgi::intersects(box)); it != tree_->rtree.qend(); ++it) {
    if (bg::intersects(box, polygons_[it->second])) ids.push_back(it->second);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace wetlink::geo
