#include "graph/segment_track.h"

#include <cstddef>

#include "graph/local_projection.h"

namespace wetlink::graph {
namespace {

// Mean position of points, with longitudes unwrapped around the first one so
// a cluster on the antimeridian does not average to the far side.
class MeanPosition {
 public:
  void Add(const TrackPoint& p) {
    if (n_ == 0) lon0_ = p.lon;
    double dlon = p.lon - lon0_;
    if (dlon > 180.0) dlon -= 360.0;
    if (dlon < -180.0) dlon += 360.0;
    lat_sum_ += p.lat;
    dlon_sum_ += dlon;
    ++n_;
  }
  double lat() const { return lat_sum_ / static_cast<double>(n_); }
  double lon() const {
    double lon = lon0_ + dlon_sum_ / static_cast<double>(n_);
    if (lon > 180.0) lon -= 360.0;
    if (lon < -180.0) lon += 360.0;
    return lon;
  }
  std::uint32_t count() const { return n_; }

 private:
  double lon0_ = 0;
  double lat_sum_ = 0;
  double dlon_sum_ = 0;
  std::uint32_t n_ = 0;
};

struct VisitSpan {
  Visit visit;
  std::size_t first = 0;  // index of the first fix in the site
  std::size_t last = 0;   // index of the last fix in the site
  MeanPosition mean;
};

// The visit that starts at points[first] (a fix in a site): extended while
// the bird comes back to the site within the gap or excursion tolerance.
VisitSpan GrowVisit(std::span<const TrackPoint> points, std::size_t first,
                    const SegmentationParams& params) {
  const std::int32_t site = points[first].site;
  VisitSpan span;
  span.first = first;
  span.last = first;
  span.mean.Add(points[first]);
  for (std::size_t j = first + 1; j < points.size(); ++j) {
    const telemetry::TimestampMs since_last = points[j].t_ms - points[span.last].t_ms;
    if (points[j].site == site) {
      // Consecutive fixes in the site: only a gap can end the visit. Fixes
      // elsewhere in between: an excursion, tolerated up to its own limit.
      const telemetry::TimestampMs limit =
          j == span.last + 1 ? params.max_gap_ms : params.max_excursion_ms;
      if (since_last > limit) break;
      span.last = j;
      span.mean.Add(points[j]);
    } else if (since_last > params.max_excursion_ms) {
      break;  // away too long: no later fix can bring the visit back
    }
  }
  span.visit = {.site = site,
                .arrival_ms = points[first].t_ms,
                .departure_ms = points[span.last].t_ms,
                .fixes = span.mean.count()};
  return span;
}

// Stays among points[begin, end), all outside every visit; appends the
// long-enough ones to `out`.
void FindStays(std::span<const TrackPoint> points, std::size_t begin, std::size_t end,
               const SegmentationParams& params, std::vector<Stopover>& out) {
  std::vector<LocalProjection::Xy> window;
  std::size_t k = begin;
  while (k < end) {
    const LocalProjection projection(points[k].lat, points[k].lon);
    window.assign(1, projection.Project(points[k].lat, points[k].lon));
    std::size_t m = k + 1;
    for (; m < end; ++m) {
      if (points[m].t_ms - points[m - 1].t_ms > params.max_gap_ms) break;
      const LocalProjection::Xy xy = projection.Project(points[m].lat, points[m].lon);
      bool within = true;
      for (const LocalProjection::Xy& w : window) {
        if (LocalProjection::Distance(w, xy) > params.max_diameter_m) {
          within = false;
          break;
        }
      }
      if (!within) break;
      window.push_back(xy);
    }
    if (points[m - 1].t_ms - points[k].t_ms >= params.min_stay_ms) {
      MeanPosition mean;
      for (std::size_t i = k; i < m; ++i) mean.Add(points[i]);
      out.push_back({.site = kNoSite,
                     .arrival_ms = points[k].t_ms,
                     .departure_ms = points[m - 1].t_ms,
                     .lat = mean.lat(),
                     .lon = mean.lon(),
                     .fixes = mean.count()});
      k = m;
    } else {
      ++k;
    }
  }
}

}  // namespace

TrackSegmentation SegmentTrack(std::span<const TrackPoint> points,
                               const SegmentationParams& params) {
  TrackSegmentation result;
  std::size_t free_from = 0;  // first fix not yet part of a visit or a stay run
  std::size_t i = 0;
  while (i < points.size()) {
    if (points[i].site == kNoSite) {
      ++i;
      continue;
    }
    VisitSpan span = GrowVisit(points, i, params);
    FindStays(points, free_from, span.first, params, result.stopovers);
    if (span.visit.duration_ms() >= params.min_stay_ms) {
      result.stopovers.push_back({.site = span.visit.site,
                                  .arrival_ms = span.visit.arrival_ms,
                                  .departure_ms = span.visit.departure_ms,
                                  .lat = span.mean.lat(),
                                  .lon = span.mean.lon(),
                                  .fixes = span.visit.fixes});
    }
    result.visits.push_back(span.visit);
    i = span.last + 1;
    free_from = i;
  }
  FindStays(points, free_from, points.size(), params, result.stopovers);
  return result;
}

}  // namespace wetlink::graph
