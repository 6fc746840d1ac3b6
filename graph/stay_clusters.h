#ifndef WETLINK_GRAPH_STAY_CLUSTERS_H_
#define WETLINK_GRAPH_STAY_CLUSTERS_H_

// Stays outside every catalogued site, pooled across individuals, grouped
// into discovered candidate sites: single linkage, so two stays belong to
// one candidate when a chain of stays, each within `distance_m` of the
// next, joins them. Single linkage does not depend on the order of the
// stays, so a rebuild and a live update agree.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "geo/geometry.h"

namespace wetlink::graph {

struct StayClusters {
  std::vector<std::uint32_t> cluster_of;  // per input stay
  std::vector<geo::LatLon> centres;       // per cluster: where it is published (below)
  std::vector<geo::LatLon> means;         // per cluster: mean of its stays' positions
  std::vector<std::string> ids;           // per cluster, e.g. "cand_42.351n_130.624e"
};

// Stays whose cluster must not be published at their mean position: that
// of a threatened species' roost would lead a poacher to it within 100 m.
struct SensitiveStays {
  std::vector<bool> flagged;  // per input stay; empty when none is
  // Where a cluster with a flagged stay is published instead, given the
  // mean of all its stays (e.g. the centre of its privacy-grid cell).
  std::function<geo::LatLon(geo::LatLon)> generalise;
};

// A cluster's centre is the mean of its stays' positions, or, when one of
// them is flagged in `sensitive`, the generalised mean. Clusters are
// numbered in order of their ids; ids name the centre to three decimals
// (about 100 m), with a suffix "_2", "_3"... when two centres round alike
// (usual for generalised ones sharing a grid cell).
StayClusters ClusterStays(std::span<const geo::LatLon> stays, double distance_m,
                          const SensitiveStays& sensitive = {});

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_STAY_CLUSTERS_H_
