#include "graph/segmentation_params.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace wetlink::graph {
namespace {

constexpr double kHoursPerDay = 24.0;

// Durations are named and reported in hours, as the configuration file and
// the API give them ("min_stay_hours"), not in the milliseconds held here.
absl::Status CheckHours(const char* field, telemetry::TimestampMs value_ms, double min_h,
                        double max_h) {
  const double hours = static_cast<double>(value_ms) / static_cast<double>(kMsPerHour);
  if (hours < min_h || hours > max_h) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", hours, " h is outside [", min_h, ", ", max_h, "] h"));
  }
  return absl::OkStatus();
}

absl::Status CheckMetres(const char* field, double value, double min, double max) {
  if (!std::isfinite(value) || value < min || value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", value, " m is outside [", min, ", ", max, "] m"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateSegmentationParams(const SegmentationParams& p) {
  const double one_minute_h = 1.0 / 60.0;
  if (auto s = CheckHours("min_stay_hours", p.min_stay_ms, one_minute_h, 365 * kHoursPerDay);
      !s.ok())
    return s;
  if (auto s = CheckHours("max_gap_hours", p.max_gap_ms, one_minute_h, 365 * kHoursPerDay); !s.ok())
    return s;
  if (auto s = CheckHours("max_excursion_hours", p.max_excursion_ms, 0, 30 * kHoursPerDay); !s.ok())
    return s;
  if (auto s = CheckMetres("max_diameter_m", p.max_diameter_m, 10.0, 100'000.0); !s.ok()) return s;
  return CheckMetres("cluster_distance_m", p.cluster_distance_m, 0.0, 200'000.0);
}

}  // namespace wetlink::graph
