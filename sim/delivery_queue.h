#ifndef WETLINK_SIM_DELIVERY_QUEUE_H_
#define WETLINK_SIM_DELIVERY_QUEUE_H_

// How one tag's recorded fixes reach the server: in upload batches at
// irregular intervals. A fraction is held back one or more batches and
// shuffled into a later batch (late, out of order); a fraction is sent twice,
// either straight after itself or in the next batch.

#include <cstdint>
#include <deque>
#include <vector>

#include "sim/random.h"
#include "sim/sim_fix.h"
#include "sim/sim_params.h"
#include "sim/track_recorder.h"

namespace wetlink::sim {

class DeliveryQueue {
 public:
  DeliveryQueue(const SimParams& params, const SimWorld& world, const SimPlan& plan,
                std::uint32_t individual);

  // Builds the next non-empty batch; false once everything is delivered.
  bool Advance();

  // The batch Advance() built, in delivery order; every delivered_ms is upload_ms().
  const std::vector<SimFix>& batch() const { return out_; }
  telemetry::TimestampMs upload_ms() const { return upload_ms_; }

 private:
  struct Held {
    std::int64_t due_batch;
    SimFix fix;
  };

  const SimParams& params_;
  TrackRecorder recorder_;
  Rng rng_;
  bool has_next_ = false;  // next_ holds the first fix not yet batched
  SimFix next_;
  std::deque<Held> held_;
  std::int64_t batch_no_ = 0;
  telemetry::TimestampMs upload_ms_;
  std::vector<SimFix> in_;
  std::vector<SimFix> out_;
};

}  // namespace wetlink::sim

#endif  // WETLINK_SIM_DELIVERY_QUEUE_H_
