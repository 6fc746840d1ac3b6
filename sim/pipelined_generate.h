#ifndef WETLINK_SIM_PIPELINED_GENERATE_H_
#define WETLINK_SIM_PIPELINED_GENERATE_H_

// GenerateFixes on a worker thread, handing rows to the caller's thread in
// chunks, so generating and formatting/writing overlap on two cores. The
// rows and their order are exactly those of GenerateFixes.

#include <functional>
#include <span>

#include "absl/status/statusor.h"
#include "sim/generate.h"

namespace wetlink::sim {

using ChunkSink = std::function<void(std::span<const SimFix>)>;

// `consume` runs on the calling thread, chunk after chunk, in delivery order.
absl::StatusOr<GenerateStats> GenerateFixesPipelined(const SimParams& params, const SimWorld& world,
                                                     const SimPlan& plan, const ChunkSink& consume);

}  // namespace wetlink::sim

#endif  // WETLINK_SIM_PIPELINED_GENERATE_H_
