#include "store/key_codec.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace wetlink::store {
namespace {

// RocksDB's default comparator: unsigned bytewise, shorter prefix first.
bool BytewiseLess(const std::string& a, const std::string& b) {
  const int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  return c != 0 ? c < 0 : a.size() < b.size();
}

std::string U64(std::uint64_t v) {
  std::string k;
  AppendUint64(k, v);
  return k;
}

std::string I64(std::int64_t v) {
  std::string k;
  AppendInt64(k, v);
  return k;
}

TEST(KeyCodecTest, BigEndianLayout) {
  std::string k;
  AppendUint32(k, 0x01020304u);
  EXPECT_EQ(k, std::string("\x01\x02\x03\x04", 4));
  EXPECT_EQ(U64(0x0102030405060708ull), std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  // The sign bit is flipped: INT64_MIN is all zeros, 0 is 0x80 00..., -1 is 0x7f ff...
  EXPECT_EQ(I64(std::numeric_limits<std::int64_t>::min()), std::string(8, '\0'));
  EXPECT_EQ(I64(0), std::string("\x80\0\0\0\0\0\0\0", 8));
  EXPECT_EQ(I64(-1), std::string("\x7f\xff\xff\xff\xff\xff\xff\xff", 8));
}

TEST(KeyCodecTest, RoundTrips) {
  for (std::uint32_t v : {0u, 1u, 255u, 256u, 0xdeadbeefu, std::numeric_limits<std::uint32_t>::max()}) {
    std::string k;
    AppendUint32(k, v);
    std::string_view in = k;
    EXPECT_EQ(ConsumeUint32(in), v);
    EXPECT_TRUE(in.empty());
  }
  for (std::uint64_t v : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{1} << 63,
                          std::numeric_limits<std::uint64_t>::max()}) {
    const std::string k = U64(v);
    std::string_view in = k;
    EXPECT_EQ(ConsumeUint64(in), v);
    EXPECT_TRUE(in.empty());
  }
  for (std::int64_t v : {std::numeric_limits<std::int64_t>::min(), std::int64_t{-1},
                         std::int64_t{0}, std::int64_t{1}, std::numeric_limits<std::int64_t>::max()}) {
    const std::string k = I64(v);
    std::string_view in = k;
    EXPECT_EQ(ConsumeInt64(in), v);
    EXPECT_TRUE(in.empty());
  }
}

TEST(KeyCodecTest, ConsecutiveComponentsDecodeInOrder) {
  std::string k;
  AppendTerminatedString(k, "rason");
  AppendInt64(k, -1'700'000'000'000);
  AppendUint32(k, 7);
  k += "tail";
  std::string_view in = k;
  EXPECT_EQ(ConsumeTerminatedString(in), "rason");
  EXPECT_EQ(ConsumeInt64(in), -1'700'000'000'000);
  EXPECT_EQ(ConsumeUint32(in), 7u);
  EXPECT_EQ(in, "tail");
}

TEST(KeyCodecTest, Uint64BytewiseOrderIsNumericOrder) {
  std::mt19937_64 rng(20240611);
  std::vector<std::uint64_t> values = {0, 1, 255, 256, (std::uint64_t{1} << 63) - 1,
                                       std::uint64_t{1} << 63,
                                       std::numeric_limits<std::uint64_t>::max()};
  for (int i = 0; i < 200; ++i) values.push_back(rng() >> (rng() % 64));  // all magnitudes
  for (std::uint64_t a : values) {
    for (std::uint64_t b : values) {
      ASSERT_EQ(BytewiseLess(U64(a), U64(b)), a < b) << a << " vs " << b;
    }
  }
}

TEST(KeyCodecTest, Int64BytewiseOrderIsNumericOrderIncludingNegatives) {
  std::mt19937_64 rng(19700101);
  std::vector<std::int64_t> values = {std::numeric_limits<std::int64_t>::min(),
                                      std::numeric_limits<std::int64_t>::min() + 1,
                                      -256, -255, -1, 0, 1, 255, 256,
                                      std::numeric_limits<std::int64_t>::max() - 1,
                                      std::numeric_limits<std::int64_t>::max()};
  for (int i = 0; i < 200; ++i) {
    // Random bits, sometimes shifted down so small magnitudes of both signs occur.
    const auto raw = static_cast<std::int64_t>(rng());
    values.push_back(i % 2 == 0 ? raw : raw >> (rng() % 63));
  }
  for (std::int64_t a : values) {
    for (std::int64_t b : values) {
      ASSERT_EQ(BytewiseLess(I64(a), I64(b)), a < b) << a << " vs " << b;
    }
  }
}

TEST(KeyCodecTest, TerminatedStringsSortByTextFirst) {
  auto key = [](std::string_view text, std::uint64_t n) {
    std::string k;
    AppendTerminatedString(k, text);
    AppendUint64(k, n);
    return k;
  };
  std::string ab, abc;
  AppendTerminatedString(ab, "ab");
  AppendTerminatedString(abc, "abc");
  EXPECT_TRUE(BytewiseLess(ab, abc));
  EXPECT_EQ(ab, std::string("ab\0", 3));
  // The terminator decides even when the number after "ab" is as large as it gets.
  EXPECT_TRUE(BytewiseLess(key("ab", std::numeric_limits<std::uint64_t>::max()), key("abc", 0)));
  EXPECT_TRUE(BytewiseLess(key("", 5), key("a", 0)));
  // Same text: the number decides.
  EXPECT_TRUE(BytewiseLess(key("rason", 2), key("rason", 10)));
  EXPECT_FALSE(BytewiseLess(key("rason", 10), key("rason", 2)));
}

TEST(KeyCodecTest, ConsumeTerminatedString) {
  const std::string k("ab\0rest", 7);
  std::string_view in = k;
  EXPECT_EQ(ConsumeTerminatedString(in), "ab");
  EXPECT_EQ(in, "rest");
  const std::string empty_text("\0x", 2);
  in = empty_text;
  EXPECT_EQ(ConsumeTerminatedString(in), "");
  EXPECT_EQ(in, "x");
}

// On failure a decoder consumes nothing: the view is exactly as before.
TEST(KeyCodecTest, ShortInputFailsAndLeavesTheViewUnchanged) {
  const std::string bytes("\x01\x02\x03\x04\x05\x06\x07", 7);
  std::string_view in(bytes.data(), 3);
  EXPECT_EQ(ConsumeUint32(in), std::nullopt);
  EXPECT_EQ(in.data(), bytes.data());
  EXPECT_EQ(in.size(), 3u);

  in = bytes;  // 7 bytes: one short of a 64-bit value
  EXPECT_EQ(ConsumeUint64(in), std::nullopt);
  EXPECT_EQ(ConsumeInt64(in), std::nullopt);
  EXPECT_EQ(in.data(), bytes.data());
  EXPECT_EQ(in.size(), 7u);

  std::string_view unterminated = "abc";
  const char* before = unterminated.data();
  EXPECT_EQ(ConsumeTerminatedString(unterminated), std::nullopt);
  EXPECT_EQ(unterminated.data(), before);
  EXPECT_EQ(unterminated, "abc");

  std::string_view empty;
  EXPECT_EQ(ConsumeUint32(empty), std::nullopt);
  EXPECT_EQ(ConsumeTerminatedString(empty), std::nullopt);
}

}  // namespace
}  // namespace wetlink::store
