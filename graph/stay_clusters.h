#ifndef WETLINK_GRAPH_STAY_CLUSTERS_H_
#define WETLINK_GRAPH_STAY_CLUSTERS_H_

// Stays outside every catalogued site, pooled across individuals, grouped
// into discovered candidate sites: single linkage, so two stays belong to
// one candidate when a chain of stays, each within `distance_m` of the
// next, joins them. Single linkage does not depend on the order of the
// stays, so a rebuild and a live update agree.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/geometry.h"

namespace wetlink::graph {

struct StayClusters {
  std::vector<std::uint32_t> cluster_of;  // per input stay
  std::vector<geo::LatLon> centres;       // per cluster: mean of its stays' positions
  std::vector<std::string> ids;           // per cluster, e.g. "cand_42.351n_130.624e"
};

// Clusters are numbered in order of their ids; ids name the centre to
// three decimals (about 100 m), with a suffix "_2", "_3"... in the rare
// case two centres round alike.
StayClusters ClusterStays(std::span<const geo::LatLon> stays, double distance_m);

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_STAY_CLUSTERS_H_
