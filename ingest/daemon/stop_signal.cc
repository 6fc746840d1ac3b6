#include "ingest/daemon/stop_signal.h"

namespace wetlink::ingest::daemon {

void StopSignal::RequestStop() {
  std::lock_guard lock(mu_);
  stop_ = true;
  cv_.notify_all();
}

void StopSignal::RequestAbort() {
  std::lock_guard lock(mu_);
  stop_ = true;
  abort_ = true;
  cv_.notify_all();
}

bool StopSignal::stop_requested() const {
  std::lock_guard lock(mu_);
  return stop_;
}

bool StopSignal::abort_requested() const {
  std::lock_guard lock(mu_);
  return abort_;
}

bool StopSignal::WaitForStop(std::chrono::milliseconds duration) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, duration, [this] { return stop_; });
}

bool StopSignal::WaitForAbort(std::chrono::milliseconds duration) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, duration, [this] { return abort_; });
}

}  // namespace wetlink::ingest::daemon
