#include "sim/random.h"

#include <cmath>

#include <gtest/gtest.h>

namespace wetlink::sim {
namespace {

TEST(RandomTest, Uniform01IsTheTop53BitsOfTheEngine) {
  Rng a(12345), b(12345);
  for (int i = 0; i < 100; ++i) {
    const double u = Uniform01(a);
    EXPECT_EQ(u, static_cast<double>(b() >> 11) / 9007199254740992.0);
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
  }
}

TEST(RandomTest, StreamsAreReproducibleAndDistinct) {
  Rng a = MakeRng(7, RngStream::kPositions, 3), b = MakeRng(7, RngStream::kPositions, 3);
  Rng c = MakeRng(7, RngStream::kPositions, 4), d = MakeRng(7, RngStream::kDelivery, 3);
  const auto x = a();
  EXPECT_EQ(x, b());
  EXPECT_NE(x, c());
  EXPECT_NE(x, d());
}

TEST(RandomTest, NormalHasUnitMomentsAndUniformIndexStaysInRange) {
  Rng rng(99);
  double sum = 0, sq = 0;
  constexpr int kN = 200'000;
  for (int i = 0; i < kN / 2; ++i) {
    double a = 0, b = 0;
    StandardNormalPair(rng, &a, &b);
    sum += a + b;
    sq += a * a + b * b;
  }
  EXPECT_NEAR(sum / kN, 0.0, 0.01);
  EXPECT_NEAR(sq / kN, 1.0, 0.02);
  for (int i = 0; i < 1000; ++i) EXPECT_LT(UniformIndex(rng, 7), 7u);
  EXPECT_NEAR(Exponential(rng, 2.0), 2.0, 20.0);  // finite and positive
}

}  // namespace
}  // namespace wetlink::sim

namespace wetlink::sim {
namespace {

TEST(RandomTest, KeyedRngIsSplitMixOnACounter) {
  KeyedRng a = MakeKeyedRng(1, RngStream::kForage, 2, 3), b = MakeKeyedRng(1, RngStream::kForage, 2, 3);
  KeyedRng c = MakeKeyedRng(1, RngStream::kForage, 2, 4);
  const auto x = a();
  EXPECT_EQ(x, b());
  EXPECT_NE(x, c());
  EXPECT_NE(a(), x);
  EXPECT_EQ(Mix64(0), 0xe220a8397b1dcdafULL);  // the published SplitMix64 value for state 0
}

}  // namespace
}  // namespace wetlink::sim
