// The reconnect schedule, exactly, with the jitter's random source injected.

#include "ingest/daemon/backoff.h"

#include <vector>

#include <gtest/gtest.h>

#include "ingest/daemon/uploader.h"

namespace wetlink::ingest::daemon {
namespace {

using std::chrono::milliseconds;

std::vector<long long> Schedule(Backoff& backoff, int n) {
  std::vector<long long> out;
  for (int i = 0; i < n; ++i) out.push_back(backoff.Next().count());
  return out;
}

TEST(BackoffTest, DoublesFrom200MsUpTo30sWithoutJitterAtTheMidpoint) {
  Backoff backoff({}, [] { return 0.5; });  // factor 1 - 0.2 + 0.4 * 0.5 = 1
  EXPECT_EQ(Schedule(backoff, 11),
            (std::vector<long long>{200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000,
                                    30000}));
}

TEST(BackoffTest, JitterStaysWithinTwentyPercent) {
  Backoff low({}, [] { return 0.0; });
  EXPECT_EQ(Schedule(low, 4), (std::vector<long long>{160, 320, 640, 1280}));
  Backoff high({}, [] { return 0.999999; });
  EXPECT_EQ(Schedule(high, 4), (std::vector<long long>{240, 480, 960, 1920}));
  // At the cap: 30 s +- 20 %.
  Backoff capped({.initial = milliseconds(30'000), .multiplier = 2, .max = milliseconds(30'000),
                  .jitter = 0.2},
                 [] { return 0.0; });
  EXPECT_EQ(capped.Next().count(), 24'000);
}

TEST(BackoffTest, FollowsTheRandomSourceDeterministically) {
  const std::vector<double> draws = {0.1, 0.9, 0.25, 0.75};
  std::size_t i = 0;
  Backoff backoff({}, [&] { return draws[i++ % draws.size()]; });
  // base * (0.8 + 0.4 u)
  EXPECT_EQ(Schedule(backoff, 4), (std::vector<long long>{168, 464, 720, 1760}));
}

TEST(BackoffTest, ResetStartsAgainFromTheInitialDelay) {
  Backoff backoff({}, [] { return 0.5; });
  Schedule(backoff, 5);
  backoff.Reset();
  EXPECT_EQ(backoff.Next().count(), 200);
  EXPECT_EQ(backoff.Next().count(), 400);
}

TEST(BackoffTest, DefaultRandomSourceStaysInBounds) {
  Backoff backoff;
  for (int i = 0; i < 20; ++i) {
    const long long base = std::min<long long>(200LL << std::min(i, 10), 30'000);
    const long long d = backoff.Next().count();
    EXPECT_GE(d, base * 8 / 10 - 1) << i;
    EXPECT_LE(d, base * 12 / 10 + 1) << i;
  }
}

TEST(RetryableTest, ServerRestartStatusesAreRetriedOthersAreNot) {
  for (auto code : {grpc::StatusCode::UNAVAILABLE, grpc::StatusCode::DEADLINE_EXCEEDED,
                    grpc::StatusCode::RESOURCE_EXHAUSTED, grpc::StatusCode::INTERNAL,
                    grpc::StatusCode::CANCELLED, grpc::StatusCode::ABORTED,
                    grpc::StatusCode::UNKNOWN}) {
    EXPECT_TRUE(IsRetryable(grpc::Status(code, "x"))) << code;
  }
  for (auto code : {grpc::StatusCode::INVALID_ARGUMENT, grpc::StatusCode::PERMISSION_DENIED,
                    grpc::StatusCode::UNAUTHENTICATED, grpc::StatusCode::FAILED_PRECONDITION,
                    grpc::StatusCode::NOT_FOUND, grpc::StatusCode::UNIMPLEMENTED,
                    grpc::StatusCode::OUT_OF_RANGE, grpc::StatusCode::DATA_LOSS}) {
    EXPECT_FALSE(IsRetryable(grpc::Status(code, "x"))) << code;
  }
  EXPECT_FALSE(IsRetryable(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                        "Received message larger than max (7 vs. 4)")))
      << "no retry makes a batch fit";
}

}  // namespace
}  // namespace wetlink::ingest::daemon
