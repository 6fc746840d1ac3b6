#ifndef WETLINK_SERVICES_STREAM_LIMITER_H_
#define WETLINK_SERVICES_STREAM_LIMITER_H_

// Counts the open fix streams, per token and in all, and refuses one more
// beyond either limit (docs/SECURITY.md, "Overload"). A stream of the
// synchronous API holds a server thread for as long as it is open, so
// without a bound a misbehaving client could hold every thread.
//
// Thread-safe. Acquire() hands out a Slot that gives its place back when
// it goes away (RAII); the limiter must outlive its slots.

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace wetlink::services {

struct StreamLimits {
  // Open streams one token may have ([server] max_streams_per_token).
  int per_token = 4;
  // Open streams of all tokens together ([server] max_streams).
  int total = 64;
};

class StreamLimiter {
 public:
  // One open stream's place; gives it back on destruction. Move-only.
  class Slot {
   public:
    Slot(Slot&& other) noexcept;
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot();

   private:
    friend class StreamLimiter;
    Slot(StreamLimiter* limiter, std::string token_id)
        : limiter_(limiter), token_id_(std::move(token_id)) {}
    void Release();

    StreamLimiter* limiter_;
    std::string token_id_;
  };

  explicit StreamLimiter(StreamLimits limits) : limits_(limits) {}
  StreamLimiter(const StreamLimiter&) = delete;
  StreamLimiter& operator=(const StreamLimiter&) = delete;

  // A place for one more stream of `token_id`; ResourceExhausted naming the
  // limit reached and its value (and nothing about other callers) when the
  // token has `per_token` streams open already, or all tokens together
  // `total`. The per-token limit is checked first.
  absl::StatusOr<Slot> Acquire(std::string_view token_id);

  // Streams open now, in all and of one token.
  int open() const;
  int open(std::string_view token_id) const;

  const StreamLimits& limits() const { return limits_; }

 private:
  void Release(const std::string& token_id);

  const StreamLimits limits_;
  mutable absl::Mutex mu_;
  int total_ ABSL_GUARDED_BY(mu_) = 0;
  // Only tokens with an open stream: an entry goes when its count is 0.
  std::map<std::string, int, std::less<>> per_token_ ABSL_GUARDED_BY(mu_);
};

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_STREAM_LIMITER_H_
