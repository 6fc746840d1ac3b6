#ifndef WETLINK_SERVICES_BACKGROUND_WORK_H_
#define WETLINK_SERVICES_BACKGROUND_WORK_H_

// Runs long request handlers (answers with their own segmentation, full
// rebuilds, exports) off gRPC's callback threads, which must never block.
// Bounded: when `max_queued` tasks wait already, Submit refuses, and the
// caller answers RESOURCE_EXHAUSTED rather than piling up memory.
//
// Thread-safe. The destructor runs every queued task, then joins.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace wetlink::services {

class BackgroundWork {
 public:
  BackgroundWork(int threads, std::size_t max_queued);
  ~BackgroundWork();
  BackgroundWork(const BackgroundWork&) = delete;
  BackgroundWork& operator=(const BackgroundWork&) = delete;

  // False (and `task` dropped) when the queue is full.
  bool Submit(std::function<void()> task);

 private:
  void Run();

  const std::size_t max_queued_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_BACKGROUND_WORK_H_
