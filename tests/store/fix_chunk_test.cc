#include "store/fix_chunk.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wetlink::store {
namespace {

using ::testing::HasSubstr;

StoredFix MakeFix(std::uint32_t individual, telemetry::TimestampMs t, std::uint32_t tag) {
  StoredFix f;
  f.individual = individual;
  f.tag = tag;
  f.timestamp_ms = t;
  f.lat = 42.25 + static_cast<double>(t % 1000) * 1e-7;
  f.lon = 130.5;
  f.hdop = 1.5;
  f.site_id = "rason";
  return f;
}

TEST(FixChunkTest, RoundTripInOrder) {
  std::vector<StoredFix> fixes = {MakeFix(3, 1000, 1), MakeFix(3, 1000, 2), MakeFix(3, 5000, 1)};
  fixes[1].site_id.clear();
  fixes[2].manually_marked_outlier = true;
  std::string value;
  AppendChunkValue(value, fixes);
  auto decoded = DecodeChunk(ChunkKey(3, 0), value);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, fixes);
}

TEST(FixChunkTest, EmptyChunkDecodesToNothing) {
  std::string value;
  AppendChunkValue(value, {});
  auto decoded = DecodeChunk(ChunkKey(1, 7), value);
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(decoded->empty());
}

TEST(FixChunkTest, KeysSortByIndividualThenDayIncludingBefore1970) {
  EXPECT_EQ(ChunkKey(1, 0).size(), kChunkKeyBytes);
  EXPECT_LT(ChunkKey(1, -1), ChunkKey(1, 0));
  EXPECT_LT(ChunkKey(1, 0), ChunkKey(1, 20000));
  EXPECT_LT(ChunkKey(1, 1'000'000), ChunkKey(2, -1'000'000));
}

TEST(FixChunkTest, CorruptChunksAreDataLossNamingTheKey) {
  std::string value;
  AppendChunkValue(value, {MakeFix(3, 1000, 1)});
  for (const std::string& bad : {std::string(), std::string("\x02"), value.substr(0, value.size() - 1),
                                 value.substr(0, 10), value + "x"}) {
    auto decoded = DecodeChunk(ChunkKey(3, 0), bad);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(std::string(decoded.status().message()), HasSubstr("000000038000000000000000"));
  }
  auto short_key = DecodeChunk("abc", value);
  EXPECT_EQ(short_key.status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace wetlink::store
