#ifndef WETLINK_SERVICES_ANSWER_CACHE_H_
#define WETLINK_SERVICES_ANSWER_CACHE_H_

// Finished answers of one kind, keyed by the request's bytes, valid for one
// live snapshot: researchers' tools ask the same questions again and again
// between two updates, and copying a finished answer costs a fraction of
// building it. Forgets everything when the snapshot changes, and when full.
//
// Thread-safe.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace wetlink::services {

template <typename Response>
class AnswerCache {
 public:
  explicit AnswerCache(std::size_t capacity = 256) : capacity_(capacity) {}

  std::shared_ptr<const Response> Find(std::uint64_t version, const std::string& request) const {
    std::lock_guard lock(mu_);
    if (version != version_) return nullptr;
    auto it = answers_.find(request);
    return it == answers_.end() ? nullptr : it->second;
  }

  void Put(std::uint64_t version, std::string request, const Response& answer) {
    auto copy = std::make_shared<const Response>(answer);
    std::lock_guard lock(mu_);
    if (version < version_) return;  // a newer snapshot is out already
    if (version != version_ || answers_.size() >= capacity_) {
      answers_.clear();
      version_ = version;
    }
    answers_.emplace(std::move(request), std::move(copy));
  }

 private:
  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::uint64_t version_ = 0;
  std::map<std::string, std::shared_ptr<const Response>> answers_;
};

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_ANSWER_CACHE_H_
