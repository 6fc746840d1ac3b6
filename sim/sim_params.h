#ifndef WETLINK_SIM_SIM_PARAMS_H_
#define WETLINK_SIM_SIM_PARAMS_H_

// The scenario a simulation run follows. Every field has a unit and a
// default; the defaults describe a typical GSM-GPS crane tag study.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace wetlink::sim {

// A fixed route for every individual of one species, replacing the random
// choice from the catalog's focal_use lists. Site ids must exist.
struct RouteOverride {
  std::string species;                     // code ("HC") or id ("grus_monacha")
  std::string wintering_site;
  std::string breeding_site;
  std::vector<std::string> spring_stopovers;  // in flight order
  std::vector<std::string> autumn_stopovers;  // in flight order
};

struct SimParams {
  // --- Scenario ---
  std::uint64_t seed = 1;  // the only source of randomness
  int individuals = 4;     // total number of tagged birds
  // Species codes or ids; individual i gets species[i % size()].
  std::vector<std::string> species = {"WNC", "HC", "RCC", "BFS"};
  int start_year = 2023;  // tracks start 1 Jan of this year, 00:00 UTC (>= 1990)
  int years = 1;          // tracks end 1 Jan of start_year + years
  std::vector<RouteOverride> routes;  // optional fixed itineraries

  // --- Sampling schedule (tags record on a UTC grid) ---
  int day_interval_min = 60;     // minutes between fixes by day
  int night_interval_min = 240;  // minutes between fixes at night; a multiple of day_interval_min
  double day_start_hour = 6.0;   // local solar hour the day schedule starts
  double day_end_hour = 18.0;    // local solar hour the night schedule starts
  int fix_jitter_s = 30;         // seconds a fix takes to acquire, uniform [0, this)

  // --- GPS error ---
  double noise_sigma_m = 15.0;        // per-axis Gaussian error, metres
  double outlier_rate = 0.002;        // fraction of fixes with a gross error
  double outlier_scale_m = 2000.0;    // Cauchy scale of the gross error, metres
  double outlier_max_m = 100'000.0;   // gross errors are capped here, metres
  double outlier_flagged_fraction = 0.5;  // outliers delivered with visible=false

  // --- Gaps (battery or fix failures: nothing is recorded) ---
  double gap_rate_per_day = 0.01;  // expected gap starts per tag-day
  double gap_mean_h = 36.0;        // mean gap length, hours (exponential)
  double gap_max_h = 240.0;        // longest gap, hours

  // --- Delivery (GSM upload batches) ---
  double upload_min_h = 12.0;   // shortest time between uploads, hours
  double upload_max_h = 48.0;   // longest time between uploads, hours
  double late_fraction = 0.01;  // fixes held back to a later batch and shuffled into it
  int late_max_batches = 3;     // a late fix arrives 1..this many batches late
  double duplicate_rate = 0.005;  // fixes sent twice (same event-id and content)

  // --- Behaviour ---
  double flight_speed_min_kmh = 50.0;  // migration ground speed, per leg uniform
  double flight_speed_max_kmh = 70.0;
  double flight_start_hour = 8.0;  // local solar hour migration flights start
  double flight_end_hour = 17.0;   // local solar hour a flight day ends (overnight stop)
  int stopovers_min = 1;           // catalogued stopovers per migration, if the
  int stopovers_max = 3;           //   catalog offers that many on the route
  double stopover_min_days = 3.0;
  double stopover_max_days = 21.0;
  double detour_max_ratio = 1.35;   // stopover allowed if it lengthens the route at most this much
  double forage_distance_m = 3000.0;  // roost -> daily foraging area, capped by site size
  double walk_sigma_m = 150.0;        // spread of positions around the foraging point

  // --- Identifiers ---
  std::string tag_prefix = "WL";  // tag-local-identifier = prefix + 5-digit number
  std::string study_name = "Wetlink simulated tracks";

  // --- Size ---
  // Rows delivered (duplicates included) stop here; ground truth is not cut.
  std::int64_t max_fixes = std::numeric_limits<std::int64_t>::max();
};

// InvalidArgument naming the first field out of range.
absl::Status ValidateParams(const SimParams& params);

}  // namespace wetlink::sim

#endif  // WETLINK_SIM_SIM_PARAMS_H_
