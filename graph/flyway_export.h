#ifndef WETLINK_GRAPH_FLYWAY_EXPORT_H_
#define WETLINK_GRAPH_FLYWAY_EXPORT_H_

// The flyway as GIS layers for QGIS and web maps: nodes (points), links
// (geodesic lines with their attributes), stopovers (points). Written by
// geo::WriteLayers as GeoPackage or GeoJSON (EPSG:4326).

#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "geo/gdal_io.h"
#include "graph/flyway_snapshot.h"
#include "graph/links.h"
#include "graph/selection.h"

namespace wetlink::graph {

inline constexpr const char* kNodesLayer = "nodes";
inline constexpr const char* kLinksLayer = "links";
inline constexpr const char* kStopoversLayer = "stopovers";

// Nodes that some link or selected stopover uses, in node order.
geo::LayerToWrite NodesLayer(const FlywaySnapshot& snapshot, const std::vector<Link>& links,
                             const Selection& selection);
// One feature per link: the geodesic between its nodes, in steps of at most
// 10 km.
geo::LayerToWrite LinksLayer(const FlywaySnapshot& snapshot, const std::vector<Link>& links);

// Where a stopover is drawn: {lat, lon}, or nullopt to leave it out (a
// caller not allowed to see it). Default: where it is.
using StopoverPlacement = std::function<std::optional<std::pair<double, double>>(
    const SegmentedIndividual& individual, const Stopover& stop)>;

geo::LayerToWrite StopoversLayer(const FlywaySnapshot& snapshot, const Selection& selection,
                                 const StopoverPlacement& place = {});

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_FLYWAY_EXPORT_H_
