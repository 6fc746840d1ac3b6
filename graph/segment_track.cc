#include "graph/segment_track.h"

#include <cstddef>

#include "graph/local_projection.h"

namespace wetlink::graph {
namespace {

// The visit being grown: its site, its last fix in the site and what it
// holds so far.
struct OpenVisit {
  Visit visit;
  // Index in `points` of the last fix in the site; npos while that fix is
  // the one just before points (a resumed visit).
  std::size_t last = kBeforePoints;

  static constexpr std::size_t kBeforePoints = static_cast<std::size_t>(-1);
};

// Extends `open` over points[from...] while the bird comes back to the site
// within the gap or excursion tolerance. Returns the index after the last
// fix in the site it took (`from` when none).
std::size_t GrowVisit(OpenVisit& open, std::span<const TrackPoint> points, std::size_t from,
                      const SegmentationParams& params) {
  Visit& v = open.visit;
  for (std::size_t j = from; j < points.size(); ++j) {
    const telemetry::TimestampMs since_last = points[j].t_ms - v.departure_ms;
    if (points[j].site == v.site) {
      // Consecutive fixes in the site: only a gap can end the visit. Fixes
      // elsewhere in between: an excursion, tolerated up to its own limit.
      const bool consecutive =
          open.last == OpenVisit::kBeforePoints ? j == from : j == open.last + 1;
      const telemetry::TimestampMs limit =
          consecutive ? params.max_gap_ms : params.max_excursion_ms;
      if (since_last > limit) break;
      open.last = j;
      v.departure_ms = points[j].t_ms;
      v.positions.Add(points[j].lat, points[j].lon);
      ++v.fixes;
    } else if (since_last > params.max_excursion_ms) {
      break;  // away too long: no later fix can bring the visit back
    }
  }
  return open.last == OpenVisit::kBeforePoints ? from : open.last + 1;
}

// Appends the visit, and its stopover when it is long enough.
void EmitVisit(const Visit& v, const SegmentationParams& params, TrackSegmentation& out) {
  if (v.duration_ms() >= params.min_stay_ms) {
    out.stopovers.push_back({.site = v.site,
                             .arrival_ms = v.arrival_ms,
                             .departure_ms = v.departure_ms,
                             .lat = v.positions.lat(),
                             .lon = v.positions.lon(),
                             .fixes = v.fixes});
  }
  out.visits.push_back(v);
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
      PositionSum mean;
      for (std::size_t i = k; i < m; ++i) mean.Add(points[i].lat, points[i].lon);
      out.push_back({.site = kNoSite,
                     .arrival_ms = points[k].t_ms,
                     .departure_ms = points[m - 1].t_ms,
                     .lat = mean.lat(),
                     .lon = mean.lon(),
                     .fixes = mean.n});
      k = m;
    } else {
      ++k;
    }
  }
}

}  // namespace

void PositionSum::Add(double lat, double lon) {
  if (n == 0) lon0 = lon;
  double dlon = lon - lon0;
  if (dlon > 180.0) dlon -= 360.0;
  if (dlon < -180.0) dlon += 360.0;
  lat_sum += lat;
  dlon_sum += dlon;
  ++n;
}

double PositionSum::lat() const { return lat_sum / static_cast<double>(n); }

double PositionSum::lon() const {
  double lon = lon0 + dlon_sum / static_cast<double>(n);
  if (lon > 180.0) lon -= 360.0;
  if (lon < -180.0) lon += 360.0;
  return lon;
}

TrackSegmentation SegmentTrack(std::span<const TrackPoint> points, const SegmentationParams& params,
                               const Visit* resume) {
  TrackSegmentation result;
  std::size_t i = 0;
  if (resume != nullptr) {
    OpenVisit open{.visit = *resume, .last = OpenVisit::kBeforePoints};
    i = GrowVisit(open, points, 0, params);
    EmitVisit(open.visit, params, result);
  }
  std::size_t free_from = i;  // first fix not yet part of a visit or a stay run
  while (i < points.size()) {
    if (points[i].site == kNoSite) {
      ++i;
      continue;
    }
    OpenVisit open{.visit = {.site = points[i].site,
                             .arrival_ms = points[i].t_ms,
                             .departure_ms = points[i].t_ms,
                             .fixes = 1,
                             .positions = {}},
                   .last = i};
    open.visit.positions.Add(points[i].lat, points[i].lon);
    const std::size_t next = GrowVisit(open, points, i + 1, params);
    FindStays(points, free_from, i, params, result.stopovers);
    EmitVisit(open.visit, params, result);
    i = next;
    free_from = i;
  }
  FindStays(points, free_from, points.size(), params, result.stopovers);
  return result;
}

}  // namespace wetlink::graph
