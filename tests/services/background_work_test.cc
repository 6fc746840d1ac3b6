// BackgroundWork: the bounded pool the flyway and report services hand slow
// requests to. Also run under ThreadSanitizer (the tsan preset): tasks
// submitted from several threads write plain memory that the submitter
// reads after the pool is gone.

#include "services/background_work.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace wetlink::services {
namespace {

TEST(BackgroundWorkTest, RunsEveryAcceptedTaskBeforeTheDestructorReturns) {
  constexpr int kSubmitters = 4;
  constexpr int kPerSubmitter = 500;
  std::vector<int> results(kSubmitters * kPerSubmitter, 0);  // written by tasks, no lock
  std::vector<char> accepted(results.size(), 0);
  {
    BackgroundWork work(3, results.size());
    std::vector<std::thread> submitters;
    for (int s = 0; s < kSubmitters; ++s) {
      submitters.emplace_back([&, s] {
        for (int i = 0; i < kPerSubmitter; ++i) {
          const int slot = s * kPerSubmitter + i;
          accepted[slot] = work.Submit([&results, slot] { results[slot] = slot + 1; });
        }
      });
    }
    for (std::thread& t : submitters) t.join();
  }
  for (std::size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(accepted[i]) << "the queue holds every task: none may be refused";
    EXPECT_EQ(results[i], static_cast<int>(i) + 1);
  }
}

TEST(BackgroundWorkTest, RefusesTasksBeyondTheQueueBound) {
  std::atomic<bool> started = false;
  std::atomic<bool> release = false;
  std::atomic<int> ran = 0;
  {
    BackgroundWork work(1, 2);
    // The one thread is held by the first task; two more wait in the queue;
    // the fourth finds it full.
    ASSERT_TRUE(work.Submit([&] {
      started = true;
      while (!release) std::this_thread::yield();
      ++ran;
    }));
    while (!started) std::this_thread::yield();
    EXPECT_TRUE(work.Submit([&] { ++ran; }));
    EXPECT_TRUE(work.Submit([&] { ++ran; }));
    EXPECT_FALSE(work.Submit([&] { ++ran; }));
    release = true;
  }  // the destructor runs what was accepted
  EXPECT_EQ(ran.load(), 3);
}

TEST(BackgroundWorkTest, ATaskThatWaitedTooLongRunsItsAlternativeInstead) {
  std::atomic<bool> started = false;
  std::atomic<bool> release = false;
  std::atomic<int> ran = 0;
  std::atomic<int> too_late = 0;
  std::atomic<int> plain = 0;
  {
    BackgroundWork work(1, 4, std::chrono::milliseconds(20));
    ASSERT_TRUE(work.Submit([&] {
      started = true;
      while (!release) std::this_thread::yield();
    }));
    while (!started) std::this_thread::yield();
    EXPECT_TRUE(work.Submit([&] { ++ran; }, [&] { ++too_late; }));
    // Without an alternative, a task runs however long it waited.
    EXPECT_TRUE(work.Submit([&] { ++plain; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    release = true;
  }
  EXPECT_EQ(ran.load(), 0);
  EXPECT_EQ(too_late.load(), 1);
  EXPECT_EQ(plain.load(), 1);
}

TEST(BackgroundWorkTest, ATaskThatDidNotWaitLongRuns) {
  std::atomic<int> ran = 0;
  std::atomic<int> too_late = 0;
  {
    BackgroundWork work(1, 4, std::chrono::seconds(10));
    EXPECT_TRUE(work.Submit([&] { ++ran; }, [&] { ++too_late; }));
  }  // the destructor runs it
  EXPECT_EQ(ran.load(), 1);
  EXPECT_EQ(too_late.load(), 0);
}

TEST(BackgroundWorkTest, WaitedTooLongSaysHowLongAndIsResourceExhausted) {
  const grpc::Status status = WaitedTooLong(std::chrono::seconds(30), "reports");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(status.error_message().find("30 s"), std::string::npos) << status.error_message();
  EXPECT_NE(status.error_message().find("reports"), std::string::npos) << status.error_message();
}

}  // namespace
}  // namespace wetlink::services
