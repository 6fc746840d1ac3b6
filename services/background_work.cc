#include "services/background_work.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace wetlink::services {

BackgroundWork::BackgroundWork(int threads, std::size_t max_queued, Clock::duration max_wait)
    : max_queued_(max_queued), max_wait_(max_wait) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

BackgroundWork::~BackgroundWork() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

bool BackgroundWork::Submit(std::function<void()> task, std::function<void()> too_late) {
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= max_queued_) return false;
    queue_.push_back(Queued{std::move(task), std::move(too_late), Clock::now()});
  }
  cv_.notify_one();
  return true;
}

void BackgroundWork::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left to finish
    Queued next = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    if (next.too_late && Clock::now() - next.since > max_wait_) {
      next.too_late();
    } else {
      next.task();
    }
    lock.lock();
  }
}

bool BackgroundWork::SubmitCall(const grpc::ServerContextBase& ctx, std::string what,
                                std::function<void()> answer,
                                std::function<void(grpc::Status)> refuse) {
  // `ctx` outlives the call, which ends only through `answer` or `refuse`.
  auto run = [&ctx, answer = std::move(answer), refuse] {
    if (grpc::Status wanted = StillWanted(ctx); !wanted.ok()) {
      refuse(std::move(wanted));
      return;
    }
    answer();
  };
  auto too_late = [refuse, what = std::move(what), max_wait = max_wait_] {
    refuse(WaitedTooLong(max_wait, what));
  };
  return Submit(std::move(run), std::move(too_late));
}

grpc::Status StillWanted(const grpc::ServerContextBase& ctx) {
  if (!ctx.IsCancelled()) return grpc::Status::OK;
  if (ctx.deadline() <= std::chrono::system_clock::now()) {
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                        "the call's deadline passed while it waited for a worker");
  }
  return grpc::Status(grpc::StatusCode::CANCELLED, "the call was cancelled while it waited");
}

grpc::Status WaitedTooLong(BackgroundWork::Clock::duration max_wait, const std::string& what) {
  return grpc::Status(
      grpc::StatusCode::RESOURCE_EXHAUSTED,
      absl::StrCat("waited over ",
                   std::chrono::duration_cast<std::chrono::seconds>(max_wait).count(),
                   " s behind other ", what, "; wetlinkd is overloaded, try again later"));
}

}  // namespace wetlink::services
