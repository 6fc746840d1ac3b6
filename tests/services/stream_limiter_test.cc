// StreamLimiter: open fix streams per token and in all.

#include "services/stream_limiter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace wetlink::services {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(StreamLimiterTest, ATokenGetsItsLimitAndNoMore) {
  StreamLimiter limiter({.per_token = 2, .total = 10});
  auto a = limiter.Acquire("aaaaaaaaaaaa");
  auto b = limiter.Acquire("aaaaaaaaaaaa");
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  auto c = limiter.Acquire("aaaaaaaaaaaa");
  ASSERT_EQ(c.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(c.status().message()),
              AllOf(HasSubstr("max_streams_per_token = 2"), Not(HasSubstr("max_streams ="))));
  EXPECT_EQ(limiter.open("aaaaaaaaaaaa"), 2);
  EXPECT_EQ(limiter.open(), 2);
  // Another token is not held back by the first.
  auto d = limiter.Acquire("bbbbbbbbbbbb");
  EXPECT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(limiter.open(), 3);
}

TEST(StreamLimiterTest, AllTokensTogetherGetTheTotalAndTheMessageNamesNoOtherToken) {
  StreamLimiter limiter({.per_token = 2, .total = 3});
  std::vector<StreamLimiter::Slot> slots;
  for (const char* token : {"aaaaaaaaaaaa", "aaaaaaaaaaaa", "bbbbbbbbbbbb"}) {
    auto slot = limiter.Acquire(token);
    ASSERT_TRUE(slot.ok()) << slot.status();
    slots.push_back(*std::move(slot));
  }
  auto refused = limiter.Acquire("cccccccccccc");
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  const std::string message(refused.status().message());
  EXPECT_THAT(message, HasSubstr("max_streams = 3"));
  EXPECT_THAT(message, Not(HasSubstr("aaaaaaaaaaaa")));
  EXPECT_THAT(message, Not(HasSubstr("bbbbbbbbbbbb")));
  EXPECT_EQ(limiter.open("cccccccccccc"), 0);
}

TEST(StreamLimiterTest, TheTokenLimitIsNamedFirstWhenBothAreReached) {
  StreamLimiter limiter({.per_token = 1, .total = 1});
  auto a = limiter.Acquire("aaaaaaaaaaaa");
  ASSERT_TRUE(a.ok());
  auto again = limiter.Acquire("aaaaaaaaaaaa");
  EXPECT_THAT(std::string(again.status().message()), HasSubstr("max_streams_per_token = 1"));
  auto other = limiter.Acquire("bbbbbbbbbbbb");
  EXPECT_THAT(std::string(other.status().message()), HasSubstr("max_streams = 1"));
}

TEST(StreamLimiterTest, ASlotGivesItsPlaceBackWhenItGoesAway) {
  StreamLimiter limiter({.per_token = 1, .total = 1});
  {
    auto slot = limiter.Acquire("aaaaaaaaaaaa");
    ASSERT_TRUE(slot.ok());
    EXPECT_FALSE(limiter.Acquire("aaaaaaaaaaaa").ok());
  }
  EXPECT_EQ(limiter.open(), 0);
  EXPECT_EQ(limiter.open("aaaaaaaaaaaa"), 0);
  EXPECT_TRUE(limiter.Acquire("bbbbbbbbbbbb").ok());
}

TEST(StreamLimiterTest, MovingASlotKeepsOnePlaceAndAssignmentReleasesTheOldOne) {
  StreamLimiter limiter({.per_token = 2, .total = 2});
  auto first = limiter.Acquire("aaaaaaaaaaaa");
  ASSERT_TRUE(first.ok());
  std::optional<StreamLimiter::Slot> moved(*std::move(first));
  EXPECT_EQ(limiter.open(), 1);
  StreamLimiter::Slot again(std::move(*moved));
  moved.reset();  // the moved-from slot holds nothing
  EXPECT_EQ(limiter.open(), 1);
  auto other = limiter.Acquire("bbbbbbbbbbbb");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(limiter.open(), 2);
  again = *std::move(other);  // gives back "aaaaaaaaaaaa"'s place
  EXPECT_EQ(limiter.open("aaaaaaaaaaaa"), 0);
  EXPECT_EQ(limiter.open("bbbbbbbbbbbb"), 1);
  EXPECT_EQ(limiter.open(), 1);
}

TEST(StreamLimiterTest, ConcurrentCallersNeverExceedEitherLimit) {
  constexpr int kPerToken = 3;
  constexpr int kTotal = 7;
  constexpr int kTokens = 4;
  constexpr int kThreadsPerToken = 6;
  constexpr int kRounds = 2000;
  StreamLimiter limiter({.per_token = kPerToken, .total = kTotal});
  std::atomic<int> held{0};
  std::atomic<int> most_held{0};
  std::vector<std::atomic<int>> held_by(kTokens);
  std::atomic<bool> over_limit{false};
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kTokens; ++t) {
    for (int i = 0; i < kThreadsPerToken; ++i) {
      threads.emplace_back([&, t] {
        const std::string token = "token-" + std::to_string(t);
        for (int r = 0; r < kRounds; ++r) {
          auto slot = limiter.Acquire(token);
          if (!slot.ok()) continue;
          admitted.fetch_add(1);
          const int now = held.fetch_add(1) + 1;
          const int of_token = held_by[static_cast<std::size_t>(t)].fetch_add(1) + 1;
          if (now > kTotal || of_token > kPerToken) over_limit = true;
          int seen = most_held.load();
          while (now > seen && !most_held.compare_exchange_weak(seen, now)) {
          }
          std::this_thread::yield();
          held_by[static_cast<std::size_t>(t)].fetch_sub(1);
          held.fetch_sub(1);
        }
      });
    }
  }
  for (std::thread& th : threads) th.join();
  EXPECT_FALSE(over_limit);
  EXPECT_LE(most_held.load(), kTotal);
  EXPECT_GT(admitted.load(), 0);
  EXPECT_EQ(limiter.open(), 0);
  for (int t = 0; t < kTokens; ++t) EXPECT_EQ(limiter.open("token-" + std::to_string(t)), 0);
}

}  // namespace
}  // namespace wetlink::services
