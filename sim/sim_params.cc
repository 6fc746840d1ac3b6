#include "sim/sim_params.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace wetlink::sim {
namespace {

absl::Status Bad(const char* field, const std::string& why) {
  return absl::InvalidArgumentError(absl::StrCat("SimParams.", field, ": ", why));
}

bool IsFraction(double v) { return v >= 0.0 && v <= 1.0; }

}  // namespace

absl::Status ValidateParams(const SimParams& p) {
  if (p.individuals < 0) return Bad("individuals", "must be >= 0");
  if (p.individuals > 0 && p.species.empty()) return Bad("species", "must not be empty");
  if (p.start_year < 1990 || p.start_year > 9000) return Bad("start_year", "must be in 1990..9000");
  if (p.years < 1 || p.years > 100) return Bad("years", "must be in 1..100");
  if (p.day_interval_min < 1) return Bad("day_interval_min", "must be >= 1");
  if (p.night_interval_min < p.day_interval_min || p.night_interval_min % p.day_interval_min != 0) {
    return Bad("night_interval_min", "must be a multiple of day_interval_min");
  }
  if (!(p.day_start_hour >= 0 && p.day_start_hour < p.day_end_hour && p.day_end_hour <= 24)) {
    return Bad("day_start_hour", "need 0 <= day_start_hour < day_end_hour <= 24");
  }
  if (p.fix_jitter_s < 0 || p.fix_jitter_s * 1000 >= p.day_interval_min * 60'000) {
    return Bad("fix_jitter_s", "must be >= 0 and shorter than the day interval");
  }
  if (!(p.noise_sigma_m >= 0)) return Bad("noise_sigma_m", "must be >= 0");
  if (!IsFraction(p.outlier_rate)) return Bad("outlier_rate", "must be in [0, 1]");
  if (!(p.outlier_scale_m >= 0 && p.outlier_max_m >= 0)) return Bad("outlier_scale_m", "must be >= 0");
  if (!IsFraction(p.outlier_flagged_fraction)) return Bad("outlier_flagged_fraction", "must be in [0, 1]");
  if (!(p.gap_rate_per_day >= 0)) return Bad("gap_rate_per_day", "must be >= 0");
  if (!(p.gap_mean_h > 0 && p.gap_max_h >= 1)) return Bad("gap_mean_h", "need gap_mean_h > 0, gap_max_h >= 1");
  if (!(p.upload_min_h > 0 && p.upload_min_h <= p.upload_max_h)) {
    return Bad("upload_min_h", "need 0 < upload_min_h <= upload_max_h");
  }
  if (!IsFraction(p.late_fraction)) return Bad("late_fraction", "must be in [0, 1]");
  if (p.late_max_batches < 1) return Bad("late_max_batches", "must be >= 1");
  if (!IsFraction(p.duplicate_rate)) return Bad("duplicate_rate", "must be in [0, 1]");
  if (!(p.flight_speed_min_kmh > 0 && p.flight_speed_min_kmh <= p.flight_speed_max_kmh)) {
    return Bad("flight_speed_min_kmh", "need 0 < min <= max");
  }
  if (!(p.flight_start_hour >= 0 && p.flight_start_hour + 1 <= p.flight_end_hour &&
        p.flight_end_hour <= 24)) {
    return Bad("flight_start_hour", "need a flight window of at least one hour within the day");
  }
  if (p.stopovers_min < 0 || p.stopovers_min > p.stopovers_max) {
    return Bad("stopovers_min", "need 0 <= stopovers_min <= stopovers_max");
  }
  if (!(p.stopover_min_days >= 1 && p.stopover_min_days <= p.stopover_max_days &&
        p.stopover_max_days <= 60)) {
    return Bad("stopover_min_days", "need 1 <= min <= max <= 60");
  }
  if (!(p.detour_max_ratio >= 1)) return Bad("detour_max_ratio", "must be >= 1");
  if (!(p.forage_distance_m >= 0 && p.walk_sigma_m >= 0)) {
    return Bad("forage_distance_m", "forage_distance_m and walk_sigma_m must be >= 0");
  }
  if (p.tag_prefix.find_first_of(",\"\n\r") != std::string::npos) {
    return Bad("tag_prefix", "must not contain commas, quotes or line breaks");
  }
  if (p.max_fixes < 0) return Bad("max_fixes", "must be >= 0");
  return absl::OkStatus();
}

}  // namespace wetlink::sim
