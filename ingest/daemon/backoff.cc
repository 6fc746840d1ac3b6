#include "ingest/daemon/backoff.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

namespace wetlink::ingest::daemon {

Backoff::Backoff(BackoffPolicy policy, std::function<double()> uniform01)
    : policy_(policy),
      uniform01_(std::move(uniform01)),
      base_ms_(static_cast<double>(policy.initial.count())) {
  if (!uniform01_) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    uniform01_ = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
  }
}

std::chrono::milliseconds Backoff::Next() {
  const double capped = std::min(base_ms_, static_cast<double>(policy_.max.count()));
  const double u = std::clamp(uniform01_(), 0.0, 1.0);
  const double factor = 1.0 - policy_.jitter + 2.0 * policy_.jitter * u;
  base_ms_ = std::min(capped * policy_.multiplier, static_cast<double>(policy_.max.count()));
  return std::chrono::milliseconds(std::max<long long>(0, std::llround(capped * factor)));
}

void Backoff::Reset() { base_ms_ = static_cast<double>(policy_.initial.count()); }

}  // namespace wetlink::ingest::daemon
