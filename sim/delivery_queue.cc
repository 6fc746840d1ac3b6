#include "sim/delivery_queue.h"

#include <cmath>
#include <utility>

#include "sim/civil_time.h"

namespace wetlink::sim {

DeliveryQueue::DeliveryQueue(const SimParams& params, const SimWorld& world, const SimPlan& plan,
                             std::uint32_t individual)
    : params_(params),
      recorder_(params, world, plan, individual),
      rng_(MakeRng(params.seed, RngStream::kDelivery, individual)),
      upload_ms_(plan.start_ms) {
  has_next_ = recorder_.Next(&next_);
}

bool DeliveryQueue::Advance() {
  while (has_next_ || !held_.empty()) {
    ++batch_no_;
    upload_ms_ += std::llround(Uniform(rng_, params_.upload_min_h, params_.upload_max_h) *
                               static_cast<double>(kMsPerHour));
    in_.clear();
    while (has_next_ && next_.fix.timestamp_ms <= upload_ms_) {
      if (Bernoulli(rng_, params_.late_fraction)) {
        next_.late = true;
        const auto delay = 1 + static_cast<std::int64_t>(
                                   UniformIndex(rng_, static_cast<std::uint64_t>(params_.late_max_batches)));
        held_.push_back({batch_no_ + delay, next_});
      } else {
        in_.push_back(next_);
      }
      has_next_ = recorder_.Next(&next_);
    }
    // Held fixes that are due land at random places in the batch.
    for (auto it = held_.begin(); it != held_.end();) {
      if (it->due_batch > batch_no_) {
        ++it;
        continue;
      }
      const auto pos = static_cast<std::ptrdiff_t>(UniformIndex(rng_, in_.size() + 1));
      in_.insert(in_.begin() + pos, std::move(it->fix));
      it = held_.erase(it);
    }
    out_.clear();
    for (SimFix& f : in_) {
      f.delivered_ms = upload_ms_;
      if (f.duplicate || !Bernoulli(rng_, params_.duplicate_rate)) {
        out_.push_back(std::move(f));
        continue;
      }
      out_.push_back(f);
      SimFix& dup = f;  // the copy in in_ becomes the re-send
      dup.duplicate = true;
      if (Bernoulli(rng_, 0.5)) {
        out_.push_back(std::move(dup));
      } else {
        held_.push_back({batch_no_ + 1, std::move(dup)});
      }
    }
    if (!out_.empty()) return true;
  }
  return false;
}

}  // namespace wetlink::sim
