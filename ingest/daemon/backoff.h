#ifndef WETLINK_INGEST_DAEMON_BACKOFF_H_
#define WETLINK_INGEST_DAEMON_BACKOFF_H_

// The reconnect schedule: exponential backoff with jitter, as gRPC's
// connection-backoff document describes. Deterministic given its random
// source, so tests check the schedule exactly.

#include <chrono>
#include <functional>

namespace wetlink::ingest::daemon {

struct BackoffPolicy {
  std::chrono::milliseconds initial{200};  // first delay
  double multiplier = 2.0;                 // each delay is the previous one times this
  std::chrono::milliseconds max{30'000};   // delays grow up to this (before jitter)
  double jitter = 0.2;                     // each delay is scaled by a uniform factor in [1-j, 1+j]
};

class Backoff {
 public:
  // `uniform01` returns values uniform in [0, 1); it is called once per
  // delay. Default: a std::mt19937_64 seeded from std::random_device.
  explicit Backoff(BackoffPolicy policy = {}, std::function<double()> uniform01 = {});

  // The next delay: base * (1 - jitter + 2 * jitter * u), where base starts
  // at `initial` and is multiplied by `multiplier` after each call, up to
  // `max`. Never negative.
  std::chrono::milliseconds Next();

  // Back to `initial` (after a success).
  void Reset();

  const BackoffPolicy& policy() const { return policy_; }

 private:
  BackoffPolicy policy_;
  std::function<double()> uniform01_;
  double base_ms_;
};

}  // namespace wetlink::ingest::daemon

#endif  // WETLINK_INGEST_DAEMON_BACKOFF_H_
