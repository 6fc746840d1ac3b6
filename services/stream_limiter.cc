#include "services/stream_limiter.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace wetlink::services {

StreamLimiter::Slot::Slot(Slot&& other) noexcept
    : limiter_(std::exchange(other.limiter_, nullptr)), token_id_(std::move(other.token_id_)) {}

StreamLimiter::Slot& StreamLimiter::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    Release();
    limiter_ = std::exchange(other.limiter_, nullptr);
    token_id_ = std::move(other.token_id_);
  }
  return *this;
}

StreamLimiter::Slot::~Slot() { Release(); }

void StreamLimiter::Slot::Release() {
  if (limiter_ != nullptr) std::exchange(limiter_, nullptr)->Release(token_id_);
}

absl::StatusOr<StreamLimiter::Slot> StreamLimiter::Acquire(std::string_view token_id) {
  absl::MutexLock lock(&mu_);
  auto it = per_token_.find(token_id);
  const int of_token = it == per_token_.end() ? 0 : it->second;
  if (of_token >= limits_.per_token) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "this token has ", of_token, " fix streams open already, the most one token may have "
        "(max_streams_per_token = ", limits_.per_token,
        "); finish one (or wait for it to end) before opening another"));
  }
  if (total_ >= limits_.total) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "wetlinkd serves as many fix streams as it allows in all (max_streams = ", limits_.total,
        "); try again shortly"));
  }
  ++total_;
  if (it == per_token_.end()) {
    per_token_.emplace(std::string(token_id), 1);
  } else {
    ++it->second;
  }
  return Slot(this, std::string(token_id));
}

void StreamLimiter::Release(const std::string& token_id) {
  absl::MutexLock lock(&mu_);
  auto it = per_token_.find(token_id);
  if (it == per_token_.end()) return;  // not ours: cannot happen through Slot
  --total_;
  if (--it->second == 0) per_token_.erase(it);
}

int StreamLimiter::open() const {
  absl::MutexLock lock(&mu_);
  return total_;
}

int StreamLimiter::open(std::string_view token_id) const {
  absl::MutexLock lock(&mu_);
  auto it = per_token_.find(token_id);
  return it == per_token_.end() ? 0 : it->second;
}

}  // namespace wetlink::services
