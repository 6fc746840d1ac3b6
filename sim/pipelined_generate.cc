#include "sim/pipelined_generate.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace wetlink::sim {
namespace {

constexpr size_t kChunkRows = 16384;
constexpr size_t kMaxQueuedChunks = 4;  // bounds memory: ~4 * 16k rows

}  // namespace

absl::StatusOr<GenerateStats> GenerateFixesPipelined(const SimParams& params, const SimWorld& world,
                                                     const SimPlan& plan, const ChunkSink& consume) {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::vector<SimFix>> queue;
  bool done = false;
  absl::StatusOr<GenerateStats> result;

  std::thread producer([&] {
    std::vector<SimFix> chunk;
    chunk.reserve(kChunkRows);
    auto hand_over = [&] {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return queue.size() < kMaxQueuedChunks; });
      queue.push_back(std::move(chunk));
      cv.notify_all();
      chunk = std::vector<SimFix>();
      chunk.reserve(kChunkRows);
    };
    absl::StatusOr<GenerateStats> stats = GenerateFixes(params, world, plan, [&](const SimFix& f) {
      chunk.push_back(f);
      if (chunk.size() == kChunkRows) hand_over();
    });
    if (!chunk.empty()) hand_over();
    std::lock_guard lock(mu);
    result = std::move(stats);
    done = true;
    cv.notify_all();
  });

  while (true) {
    std::vector<SimFix> chunk;
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return !queue.empty() || done; });
      if (queue.empty()) break;
      chunk = std::move(queue.front());
      queue.pop_front();
      cv.notify_all();
    }
    consume(chunk);
  }
  producer.join();
  return result;
}

}  // namespace wetlink::sim
