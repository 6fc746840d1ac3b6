#include "graph/migratory_connectivity.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <random>

#include "absl/strings/str_cat.h"
#include "geo/geodesy.h"

namespace wetlink::graph {
namespace {

// The stopover of `ind` overlapping `season` most, within the filter's
// years and window; nullopt when none overlaps.
std::optional<std::uint32_t> SeasonalStopover(const SegmentedIndividual& ind,
                                              const SeasonTable& seasons, std::string_view season,
                                              const FlywayFilter& filter) {
  const MonthRange* range = seasons.Find(ind.info.species_id, season);
  if (range == nullptr) return std::nullopt;
  std::optional<std::uint32_t> best;
  telemetry::TimestampMs best_overlap = 0;
  const std::vector<Stopover>& stops = ind.segmentation.stopovers;
  for (std::uint32_t k = 0; k < stops.size(); ++k) {
    telemetry::TimestampMs overlap = 0;
    for (int y = UtcYearMonth(stops[k].arrival_ms).year - 1;
         y <= UtcYearMonth(stops[k].departure_ms).year; ++y) {
      if (!filter.years.empty() &&
          std::find(filter.years.begin(), filter.years.end(), y) == filter.years.end()) {
        continue;
      }
      TimeWindow w = SeasonInterval(*range, y);
      if (filter.window) {
        w.from_ms = std::max(w.from_ms, filter.window->from_ms);
        w.to_ms = std::min(w.to_ms, filter.window->to_ms);
      }
      overlap += OverlapMs(stops[k].arrival_ms, stops[k].departure_ms, w);
    }
    if (overlap > best_overlap) {
      best_overlap = overlap;
      best = k;
    }
  }
  return best;
}

// Pearson correlation of the upper triangles of a[i][j] and b[p[i]][p[j]].
double PairCorrelation(const std::vector<std::vector<double>>& a,
                       const std::vector<std::vector<double>>& b,
                       const std::vector<std::size_t>& p) {
  const std::size_t n = a.size();
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, m = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const double x = a[i][j];
      const double y = b[p[i]][p[j]];
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
      m += 1;
    }
  }
  const double cov = sxy - sx * sy / m;
  const double vx = sxx - sx * sx / m;
  const double vy = syy - sy * sy / m;
  return cov / std::sqrt(vx * vy);
}

std::vector<std::vector<double>> DistanceMatrix(const std::vector<geo::LatLon>& points) {
  const std::size_t n = points.size();
  std::vector<std::vector<double>> d(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      d[i][j] = d[j][i] = geo::GeodesicDistanceM(points[i], points[j]);
    }
  }
  return d;
}

// All pairwise distances equal (all positions coincide, or three at the
// corners of an equilateral triangle): no variance, r undefined.
bool NoVariance(const std::vector<std::vector<double>>& d) {
  const double first = d.size() > 1 ? d[0][1] : 0.0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    for (std::size_t j = i + 1; j < d.size(); ++j) {
      if (std::fabs(d[i][j] - first) > 1e-6) return false;
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<MantelResult> MantelConnectivity(const FlywaySnapshot& snapshot,
                                                const SeasonTable& seasons,
                                                const FlywayFilter& filter,
                                                const Selection& selection,
                                                std::uint32_t permutations, std::uint64_t seed) {
  MantelResult result;
  std::vector<geo::LatLon> breeding;
  std::vector<geo::LatLon> non_breeding;
  for (std::uint32_t i = 0; i < snapshot.individuals().size(); ++i) {
    if (!selection.individuals[i]) continue;
    const SegmentedIndividual& ind = *snapshot.individuals()[i];
    const auto b = SeasonalStopover(ind, seasons, kBreedingSeason, filter);
    const auto w = SeasonalStopover(ind, seasons, kNonBreedingSeason, filter);
    if (!b || !w) continue;
    const Stopover& bs = ind.segmentation.stopovers[*b];
    const Stopover& ws = ind.segmentation.stopovers[*w];
    result.individuals.push_back({.individual = i,
                                  .breeding_node = snapshot.StopoverNode(i, *b),
                                  .non_breeding_node = snapshot.StopoverNode(i, *w),
                                  .breeding = {bs.lat, bs.lon},
                                  .non_breeding = {ws.lat, ws.lon}});
    breeding.push_back({bs.lat, bs.lon});
    non_breeding.push_back({ws.lat, ws.lon});
  }
  if (result.individuals.size() < 3) {
    return absl::FailedPreconditionError(absl::StrCat(
        "migratory connectivity needs at least 3 individuals with both a breeding and a "
        "non-breeding stopover in the selection; it has ",
        result.individuals.size()));
  }
  const auto db = DistanceMatrix(breeding);
  const auto dw = DistanceMatrix(non_breeding);
  if (NoVariance(db) || NoVariance(dw)) {
    return absl::FailedPreconditionError(
        "migratory connectivity is undefined: the selected individuals' breeding (or "
        "non-breeding) positions are all equally far apart, most likely all at one place");
  }
  std::vector<std::size_t> order(breeding.size());
  std::iota(order.begin(), order.end(), 0);
  result.r_m = PairCorrelation(db, dw, order);
  std::mt19937_64 rng(seed);
  std::uint32_t at_least = 1;  // the observed order
  for (std::uint32_t k = 0; k < permutations; ++k) {
    std::shuffle(order.begin(), order.end(), rng);
    if (PairCorrelation(db, dw, order) >= result.r_m - 1e-12) ++at_least;
  }
  result.permutations = permutations;
  result.p_value = static_cast<double>(at_least) / static_cast<double>(permutations + 1);
  return result;
}

}  // namespace wetlink::graph
