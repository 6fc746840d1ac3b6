#ifndef WETLINK_SERVICES_BACKGROUND_WORK_H_
#define WETLINK_SERVICES_BACKGROUND_WORK_H_

// Runs long request handlers (answers with their own segmentation, full
// rebuilds, exports) off gRPC's callback threads, which must never block.
// Bounded: when `max_queued` tasks wait already, Submit refuses, and the
// caller answers RESOURCE_EXHAUSTED rather than piling up memory. Bounded in
// time too: a task that waited longer than `max_wait` for a thread runs its
// `too_late` alternative instead (the caller answers RESOURCE_EXHAUSTED),
// so that a caller without a deadline of its own waits at most that long
// for the work to start.
//
// Thread-safe. The destructor runs every queued task (or its `too_late`),
// then joins.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

namespace wetlink::services {

class BackgroundWork {
 public:
  using Clock = std::chrono::steady_clock;

  BackgroundWork(int threads, std::size_t max_queued,
                 Clock::duration max_wait = Clock::duration::max());
  ~BackgroundWork();
  BackgroundWork(const BackgroundWork&) = delete;
  BackgroundWork& operator=(const BackgroundWork&) = delete;

  // False (and both dropped) when the queue is full. Otherwise a worker
  // runs `task` or, when it waited longer than max_wait and `too_late` is
  // set, `too_late` instead.
  bool Submit(std::function<void()> task, std::function<void()> too_late = nullptr);

  // Submit for the gRPC call `ctx`: a worker runs `answer` unless by then
  // the call is no longer wanted (StillWanted) or it waited longer than
  // max_wait; then `refuse` gets the status to finish the call with (the
  // latter naming `what`, e.g. "reports"). False when the queue is full.
  bool SubmitCall(const grpc::ServerContextBase& ctx, std::string what,
                  std::function<void()> answer, std::function<void(grpc::Status)> refuse);

 private:
  struct Queued {
    std::function<void()> task;
    std::function<void()> too_late;
    Clock::time_point since;
  };
  void Run();

  const std::size_t max_queued_;
  const Clock::duration max_wait_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Queued> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// Whether a call that waited in a BackgroundWork queue is still worth
// answering: OK to go on; CANCELLED or DEADLINE_EXCEEDED when its client
// gave up or its deadline passed meanwhile (gRPC cancels the call then), so
// no thread computes an answer nobody waits for.
grpc::Status StillWanted(const grpc::ServerContextBase& ctx);

// The answer to a call that waited longer than `max_wait` in the queue of
// `what` ("long flyway computations").
grpc::Status WaitedTooLong(BackgroundWork::Clock::duration max_wait, const std::string& what);

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_BACKGROUND_WORK_H_
