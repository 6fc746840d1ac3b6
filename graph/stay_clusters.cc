#include "graph/stay_clusters.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>

#include "geo/geodesy.h"

namespace wetlink::graph {
namespace {

class DisjointSets {
 public:
  explicit DisjointSets(std::size_t n) : parent_(n) {
    std::iota(parent_.begin(), parent_.end(), 0);
  }
  std::size_t Find(std::size_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void Join(std::size_t a, std::size_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::size_t> parent_;
};

std::string CentreId(geo::LatLon c) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "cand_%.3f%c_%.3f%c", std::fabs(c.lat), c.lat < 0 ? 's' : 'n',
                std::fabs(c.lon), c.lon < 0 ? 'w' : 'e');
  return buf;
}

}  // namespace

StayClusters ClusterStays(std::span<const geo::LatLon> stays, double distance_m,
                          const SensitiveStays& sensitive) {
  const std::size_t n = stays.size();
  DisjointSets sets(n);
  // Sweep in latitude order: only stays within distance_m in latitude can
  // be within distance_m at all.
  std::vector<std::size_t> by_lat(n);
  std::iota(by_lat.begin(), by_lat.end(), 0);
  std::sort(by_lat.begin(), by_lat.end(),
            [&](std::size_t a, std::size_t b) { return stays[a].lat < stays[b].lat; });
  constexpr double kMetresPerDegreeLat = 110'574.0;  // the least, at the equator
  const double lat_window = distance_m / kMetresPerDegreeLat + 1e-9;
  for (std::size_t i = 0; i < n; ++i) {
    const geo::LatLon a = stays[by_lat[i]];
    // Metres per degree of longitude shrink towards the poles: widen the
    // window to the band's polar edge.
    const double polar_edge = std::min(89.0, std::fabs(a.lat) + lat_window);
    const double lon_window =
        1.01 * lat_window / std::cos(polar_edge * 3.14159265358979323846 / 180.0);
    for (std::size_t j = i + 1; j < n && stays[by_lat[j]].lat - a.lat <= lat_window; ++j) {
      const geo::LatLon b = stays[by_lat[j]];
      double dlon = std::fabs(b.lon - a.lon);
      if (dlon > 180.0) dlon = 360.0 - dlon;
      if (dlon > lon_window) continue;
      if (geo::GeodesicDistanceM(a, b) <= distance_m) sets.Join(by_lat[i], by_lat[j]);
    }
  }

  // Centres of the provisional clusters (keyed by their smallest member).
  struct Sum {
    double lat = 0;
    double dlon = 0;
    double lon0 = 0;
    std::size_t n = 0;
    bool sensitive = false;
  };
  std::map<std::size_t, Sum> sums;
  for (std::size_t i = 0; i < n; ++i) {
    Sum& s = sums[sets.Find(i)];
    if (s.n == 0) s.lon0 = stays[i].lon;
    double dlon = stays[i].lon - s.lon0;
    if (dlon > 180.0) dlon -= 360.0;
    if (dlon < -180.0) dlon += 360.0;
    s.lat += stays[i].lat;
    s.dlon += dlon;
    ++s.n;
    if (i < sensitive.flagged.size() && sensitive.flagged[i]) s.sensitive = true;
  }
  struct Provisional {
    std::size_t root;
    geo::LatLon mean;
    geo::LatLon centre;
    std::string id;
  };
  std::vector<Provisional> clusters;
  for (const auto& [root, s] : sums) {
    double lon = s.lon0 + s.dlon / static_cast<double>(s.n);
    if (lon > 180.0) lon -= 360.0;
    if (lon < -180.0) lon += 360.0;
    const geo::LatLon mean{s.lat / static_cast<double>(s.n), lon};
    const geo::LatLon centre =
        s.sensitive && sensitive.generalise ? sensitive.generalise(mean) : mean;
    clusters.push_back({root, mean, centre, CentreId(centre)});
  }
  std::sort(clusters.begin(), clusters.end(), [](const Provisional& a, const Provisional& b) {
    return a.id != b.id ? a.id < b.id : a.root < b.root;
  });
  StayClusters result;
  std::map<std::size_t, std::uint32_t> number_of_root;
  for (std::size_t c = 0; c < clusters.size(); ++c) {
    std::string id = clusters[c].id;
    int suffix = 1;
    for (std::size_t d = c; d > 0 && clusters[d - 1].id == clusters[c].id; --d) ++suffix;
    if (suffix > 1) id += "_" + std::to_string(suffix);
    number_of_root[clusters[c].root] = static_cast<std::uint32_t>(c);
    result.centres.push_back(clusters[c].centre);
    result.means.push_back(clusters[c].mean);
    result.ids.push_back(std::move(id));
  }
  result.cluster_of.resize(n);
  for (std::size_t i = 0; i < n; ++i) result.cluster_of[i] = number_of_root[sets.Find(i)];
  return result;
}

}  // namespace wetlink::graph
