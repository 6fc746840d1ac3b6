#include "graph/segmentation_params.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace wetlink::graph {
namespace {

constexpr telemetry::TimestampMs kMsPerMinute = 60'000;
constexpr telemetry::TimestampMs kMsPerDay = 24 * kMsPerHour;

absl::Status CheckDuration(const char* field, telemetry::TimestampMs value,
                           telemetry::TimestampMs min, telemetry::TimestampMs max) {
  if (value < min || value > max) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", value, " ms is outside [", min,
                                                   ", ", max, "] ms"));
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
  if (auto s = CheckDuration("min_stay", p.min_stay_ms, kMsPerMinute, 365 * kMsPerDay); !s.ok())
    return s;
  if (auto s = CheckDuration("max_gap", p.max_gap_ms, kMsPerMinute, 365 * kMsPerDay); !s.ok())
    return s;
  if (auto s = CheckDuration("max_excursion", p.max_excursion_ms, 0, 30 * kMsPerDay); !s.ok())
    return s;
  if (auto s = CheckMetres("max_diameter", p.max_diameter_m, 10.0, 100'000.0); !s.ok()) return s;
  return CheckMetres("cluster_distance", p.cluster_distance_m, 0.0, 200'000.0);
}

}  // namespace wetlink::graph
