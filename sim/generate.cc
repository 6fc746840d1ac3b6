#include "sim/generate.h"

#include <memory>
#include <queue>
#include <utility>

#include "sim/delivery_queue.h"

namespace wetlink::sim {

absl::StatusOr<GenerateStats> GenerateFixes(const SimParams& params, const SimWorld& world,
                                            const SimPlan& plan, const FixSink& sink) {
  if (absl::Status s = ValidateParams(params); !s.ok()) return s;
  GenerateStats stats;
  if (params.max_fixes == 0) return stats;

  std::vector<std::unique_ptr<DeliveryQueue>> queues;
  // Min-heap on (upload time, individual): ties go to the lower index, so
  // the order is fully determined.
  using Key = std::pair<telemetry::TimestampMs, std::uint32_t>;
  std::priority_queue<Key, std::vector<Key>, std::greater<>> heap;
  for (size_t i = 0; i < plan.individuals.size(); ++i) {
    const auto idx = static_cast<std::uint32_t>(i);
    queues.push_back(std::make_unique<DeliveryQueue>(params, world, plan, idx));
    if (queues.back()->Advance()) heap.emplace(queues.back()->upload_ms(), idx);
  }
  while (!heap.empty()) {
    const std::uint32_t idx = heap.top().second;
    heap.pop();
    DeliveryQueue& q = *queues[idx];
    for (const SimFix& f : q.batch()) {
      sink(f);
      ++stats.rows;
      stats.duplicates += f.duplicate ? 1 : 0;
      stats.late += f.late ? 1 : 0;
      stats.outliers += f.outlier ? 1 : 0;
      if (stats.rows >= params.max_fixes) return stats;
    }
    if (q.Advance()) heap.emplace(q.upload_ms(), idx);
  }
  return stats;
}

absl::StatusOr<SimResult> Simulate(const SimParams& params, const SimWorld& world) {
  absl::StatusOr<SimPlan> plan = PlanScenario(params, world);
  if (!plan.ok()) return plan.status();
  SimResult result;
  result.plan = *std::move(plan);
  absl::StatusOr<GenerateStats> stats = GenerateFixes(
      params, world, result.plan, [&](const SimFix& f) { result.fixes.push_back(f); });
  if (!stats.ok()) return stats.status();
  result.stats = *stats;
  return result;
}

}  // namespace wetlink::sim
