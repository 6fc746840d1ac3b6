#ifndef WETLINK_SIM_GENERATE_H_
#define WETLINK_SIM_GENERATE_H_

// Entry points of the simulator. GenerateFixes streams rows in delivery
// order (all tags' upload batches merged by upload time) so that 10^8 rows
// never sit in memory; Simulate collects everything for small runs.

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "sim/itinerary.h"
#include "sim/sim_fix.h"
#include "sim/sim_params.h"
#include "sim/sim_world.h"

namespace wetlink::sim {

using FixSink = std::function<void(const SimFix&)>;

struct GenerateStats {
  std::int64_t rows = 0;        // delivered rows, duplicates included (<= max_fixes)
  std::int64_t duplicates = 0;  // rows that re-send an earlier row
  std::int64_t late = 0;        // rows held back at least one batch
  std::int64_t outliers = 0;    // rows with a gross position error
};

// Calls `sink` for each delivered row of `plan` (from PlanScenario with the
// same params and world), in delivery order, up to params.max_fixes rows.
absl::StatusOr<GenerateStats> GenerateFixes(const SimParams& params, const SimWorld& world,
                                            const SimPlan& plan, const FixSink& sink);

struct SimResult {
  SimPlan plan;                // ground truth
  std::vector<SimFix> fixes;   // delivery order
  GenerateStats stats;
};

absl::StatusOr<SimResult> Simulate(const SimParams& params, const SimWorld& world);

}  // namespace wetlink::sim

#endif  // WETLINK_SIM_GENERATE_H_
