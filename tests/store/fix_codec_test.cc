#include "store/fix_codec.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace wetlink::store {
namespace {

using ::testing::HasSubstr;

constexpr std::int64_t kMinTime = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMaxTime = std::numeric_limits<std::int64_t>::max();

// A fix with only the required values: position, visible, no site.
StoredFix Minimal() {
  StoredFix f;
  f.individual = 7;
  f.tag = 3;
  f.timestamp_ms = 1'717'243'200'000;  // 2024-06-01T12:00:00Z
  f.lat = 32.0876543;
  f.lon = 130.3612345;
  return f;
}

// Every optional value present, none of them a round number.
StoredFix Full() {
  StoredFix f = Minimal();
  f.height_m = 123.456789;
  f.hdop = 0.9;
  f.satellites = 11;
  f.ground_speed_mps = 14.375;
  f.heading_deg = 359.999;
  f.event_id = 31'337'424'242;
  f.visible = false;
  f.manually_marked_outlier = true;
  f.manually_marked_valid = false;
  f.site_id = "izumi_crane_grounds";
  return f;
}

std::string Value(const StoredFix& f) {
  std::string value;
  AppendFixValue(value, f);
  return value;
}

StoredFix RoundTrip(const StoredFix& f) {
  auto decoded = DecodeFix(FixKey(f.individual, f.timestamp_ms, f.tag), Value(f));
  EXPECT_TRUE(decoded.ok()) << decoded.status();
  return decoded.ok() ? *decoded : StoredFix{};
}

TEST(FixCodecTest, RoundTripWithEveryOptionalPresent) {
  const StoredFix f = Full();
  EXPECT_EQ(RoundTrip(f), f);
}

TEST(FixCodecTest, RoundTripWithNoOptional) {
  const StoredFix f = Minimal();
  const StoredFix back = RoundTrip(f);
  EXPECT_EQ(back, f);
  EXPECT_FALSE(back.height_m.has_value());
  EXPECT_FALSE(back.hdop.has_value());
  EXPECT_FALSE(back.satellites.has_value());
  EXPECT_FALSE(back.ground_speed_mps.has_value());
  EXPECT_FALSE(back.heading_deg.has_value());
  EXPECT_FALSE(back.event_id.has_value());
  EXPECT_FALSE(back.manually_marked_outlier.has_value());
  EXPECT_FALSE(back.manually_marked_valid.has_value());
  EXPECT_TRUE(back.visible);
  EXPECT_EQ(back.site_id, "");
}

TEST(FixCodecTest, ValueLayoutSizes) {
  // version, presence, flags, lat, lon, site length.
  EXPECT_EQ(Value(Minimal()).size(), 3u + 16u + 1u);
  // + height, hdop, satellites (1 byte), speed, heading, event id, site bytes.
  const StoredFix f = Full();
  EXPECT_EQ(Value(f).size(), 3u + 16u + 8u + 8u + 1u + 8u + 8u + 8u + 1u + f.site_id.size());
  const std::string v = Value(Minimal());
  EXPECT_EQ(v[0], '\x01');  // version 1
  EXPECT_EQ(v[1], '\x00');  // nothing optional present
  EXPECT_EQ(v[2], '\x01');  // visible
  EXPECT_EQ(v.back(), '\x00');  // empty site id
}

TEST(FixCodecTest, EachOptionalAloneRoundTrips) {
  for (int which = 0; which < 6; ++which) {
    StoredFix f = Minimal();
    switch (which) {
      case 0: f.height_m = -12.5; break;
      case 1: f.hdop = 25.5; break;
      case 2: f.satellites = 4; break;
      case 3: f.ground_speed_mps = 0.0; break;
      case 4: f.heading_deg = 0.0; break;
      case 5: f.event_id = 1; break;
    }
    EXPECT_EQ(RoundTrip(f), f) << "optional #" << which;
  }
}

TEST(FixCodecTest, FlagsInEveryCombinationRoundTrip) {
  const std::optional<bool> tri[] = {std::nullopt, false, true};
  int combinations = 0;
  for (bool visible : {false, true}) {
    for (std::optional<bool> outlier : tri) {
      for (std::optional<bool> valid : tri) {
        StoredFix f = Minimal();
        f.visible = visible;
        f.manually_marked_outlier = outlier;
        f.manually_marked_valid = valid;
        const StoredFix back = RoundTrip(f);
        EXPECT_EQ(back.visible, visible);
        EXPECT_EQ(back.manually_marked_outlier, outlier);
        EXPECT_EQ(back.manually_marked_valid, valid);
        EXPECT_EQ(back, f);
        // And with every other optional present, the flags stay independent.
        StoredFix g = Full();
        g.visible = visible;
        g.manually_marked_outlier = outlier;
        g.manually_marked_valid = valid;
        EXPECT_EQ(RoundTrip(g), g);
        ++combinations;
      }
    }
  }
  EXPECT_EQ(combinations, 18);
}

TEST(FixCodecTest, SiteIdEmptyTwentyBytesAndLongest) {
  for (const std::string& site : {std::string(), std::string("mankyung_estuary_k20"),
                                  std::string(255, 'z')}) {
    StoredFix f = Full();
    f.site_id = site;
    const StoredFix back = RoundTrip(f);
    EXPECT_EQ(back.site_id, site);
    EXPECT_EQ(back, f);
  }
  EXPECT_EQ(std::string("mankyung_estuary_k20").size(), 20u);
}

TEST(FixCodecTest, DoublesRoundTripExactly) {
  const double values[] = {43.12345678912345,
                           -179.99999999999997,
                           0.1 + 0.2,  // not 0.3
                           std::numeric_limits<double>::min(),
                           std::numeric_limits<double>::denorm_min(),
                           std::numeric_limits<double>::max(),
                           -std::numeric_limits<double>::epsilon()};
  for (double v : values) {
    StoredFix f = Full();
    f.lat = v;
    f.lon = -v;
    f.height_m = v;
    f.hdop = v;
    f.ground_speed_mps = v;
    f.heading_deg = v;
    const StoredFix back = RoundTrip(f);
    EXPECT_EQ(back.lat, v);
    EXPECT_EQ(back.lon, -v);
    EXPECT_EQ(*back.height_m, v);
    EXPECT_EQ(*back.hdop, v);
    EXPECT_EQ(*back.ground_speed_mps, v);
    EXPECT_EQ(*back.heading_deg, v);
  }
}

TEST(FixCodecTest, IntegerExtremesRoundTrip) {
  for (int sats : {0, 1, 255}) {
    StoredFix f = Minimal();
    f.satellites = sats;
    EXPECT_EQ(RoundTrip(f).satellites, sats);
  }
  for (std::int64_t id : {std::int64_t{0}, std::int64_t{-1},
                          std::numeric_limits<std::int64_t>::min(),
                          std::numeric_limits<std::int64_t>::max()}) {
    StoredFix f = Minimal();
    f.event_id = id;
    EXPECT_EQ(RoundTrip(f).event_id, id);
  }
  for (std::int64_t t : {kMinTime, std::int64_t{-1}, std::int64_t{0}, kMaxTime}) {
    for (std::uint32_t n : {0u, 1u, 0xFFFFFFFFu}) {
      StoredFix f = Minimal();
      f.timestamp_ms = t;
      f.individual = n;
      f.tag = n;
      EXPECT_EQ(RoundTrip(f), f) << t << " " << n;
    }
  }
}

TEST(FixCodecTest, KeyLayout) {
  const std::string key = FixKey(1, 0, 2);
  ASSERT_EQ(key.size(), kFixKeyBytes);
  EXPECT_EQ(key, std::string("\x00\x00\x00\x01"
                             "\x80\x00\x00\x00\x00\x00\x00\x00"
                             "\x00\x00\x00\x02",
                             16));
  std::string appended = "prefix";
  AppendFixKey(appended, 1, 0, 2);
  EXPECT_EQ(appended, "prefix" + key);
  // The key is the identity; the value does not repeat it.
  StoredFix f = Minimal();
  auto decoded = DecodeFix(FixKey(9, -5, 4), Value(f));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->individual, 9u);
  EXPECT_EQ(decoded->timestamp_ms, -5);
  EXPECT_EQ(decoded->tag, 4u);
}

TEST(FixCodecTest, KeysSortByIndividualThenTimeThenTag) {
  const std::int64_t times[] = {kMinTime,
                                -2'208'988'800'000,  // 1900-01-01
                                -86'400'000,         // 1969-12-31
                                -1,
                                0,
                                1,
                                255,
                                256,
                                1'717'243'200'000,
                                kMaxTime};
  const std::uint32_t numbers[] = {0, 1, 2, 255, 256, 65'536, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF};
  using Id = std::tuple<std::uint32_t, std::int64_t, std::uint32_t>;
  std::vector<Id> ids;
  for (std::uint32_t individual : {1u, 2u, 256u, 0xFFFFFFFFu}) {
    for (std::int64_t t : times) {
      for (std::uint32_t tag : numbers) ids.emplace_back(individual, t, tag);
    }
  }
  // Encode in a scrambled order, sort the encodings bytewise, decode.
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const Id& id = ids[(i * 7919) % ids.size()];
    keys.push_back(FixKey(std::get<0>(id), std::get<1>(id), std::get<2>(id)));
  }
  std::sort(keys.begin(), keys.end());  // std::string compares bytes as unsigned
  std::sort(ids.begin(), ids.end());
  ASSERT_EQ(keys.size(), ids.size());
  const std::string value = Value(Minimal());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    auto f = DecodeFix(keys[i], value);
    ASSERT_TRUE(f.ok()) << f.status();
    EXPECT_EQ(Id(f->individual, f->timestamp_ms, f->tag), ids[i]) << "position " << i;
  }
}

TEST(FixCodecTest, NegativeTimesSortBeforeTheEpoch) {
  EXPECT_LT(FixKey(5, -1, 0xFFFFFFFF), FixKey(5, 0, 0));
  EXPECT_LT(FixKey(5, kMinTime, 1), FixKey(5, -1, 1));
  EXPECT_LT(FixKey(5, 0, 1), FixKey(5, 1, 0));
  // Individual dominates time.
  EXPECT_LT(FixKey(5, kMaxTime, 9), FixKey(6, kMinTime, 0));
  // Tag is the last tie-break.
  EXPECT_LT(FixKey(5, 1000, 1), FixKey(5, 1000, 2));
}

void ExpectDataLoss(std::string_view key, std::string_view value, const std::string& context) {
  auto decoded = DecodeFix(key, value);
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss) << context;
}

TEST(FixCodecTest, TruncatedValueIsDataLoss) {
  for (const StoredFix& f : {Minimal(), Full()}) {
    const std::string key = FixKey(f.individual, f.timestamp_ms, f.tag);
    const std::string value = Value(f);
    for (std::size_t n = 0; n < value.size(); ++n) {
      ExpectDataLoss(key, value.substr(0, n), "prefix of " + std::to_string(n) + " bytes");
    }
  }
}

TEST(FixCodecTest, WrongVersionIsDataLoss) {
  const StoredFix f = Full();
  const std::string key = FixKey(f.individual, f.timestamp_ms, f.tag);
  for (char version : {'\x00', '\x02', '\xff'}) {
    std::string value = Value(f);
    value[0] = version;
    auto decoded = DecodeFix(key, value);
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(std::string(decoded.status().message()), HasSubstr("version"));
  }
}

TEST(FixCodecTest, TrailingBytesAreDataLoss) {
  for (const StoredFix& f : {Minimal(), Full()}) {
    const std::string key = FixKey(f.individual, f.timestamp_ms, f.tag);
    ExpectDataLoss(key, Value(f) + '\0', "one trailing NUL");
    ExpectDataLoss(key, Value(f) + "xyz", "three trailing bytes");
  }
}

TEST(FixCodecTest, PresenceBitWithoutItsValueIsDataLoss) {
  // Claiming a height that is not there shifts everything: the site length
  // no longer matches what is left.
  const StoredFix f = Minimal();
  std::string value = Value(f);
  value[1] = '\x01';
  ExpectDataLoss(FixKey(f.individual, f.timestamp_ms, f.tag), value, "height bit without height");
}

TEST(FixCodecTest, KeyOfWrongLengthIsDataLoss) {
  const StoredFix f = Minimal();
  const std::string key = FixKey(f.individual, f.timestamp_ms, f.tag);
  const std::string value = Value(f);
  ExpectDataLoss("", value, "empty key");
  ExpectDataLoss(key.substr(0, 15), value, "15-byte key");
  ExpectDataLoss(key.substr(0, 4), value, "4-byte key");
  ExpectDataLoss(key + '\x00', value, "17-byte key");
  auto decoded = DecodeFix(key + "\x01\x02", value);
  ASSERT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
  // The message names the key (in hex).
  EXPECT_THAT(std::string(decoded.status().message()), HasSubstr("0102"));
}

TEST(FixCodecTest, SameMeasurementIgnoresFlagsAndSite) {
  const StoredFix a = Full();
  StoredFix b = a;
  b.visible = !a.visible;
  b.manually_marked_outlier = std::nullopt;
  b.manually_marked_valid = true;
  b.site_id = "elsewhere";
  EXPECT_TRUE(a.SameMeasurement(b));
  EXPECT_TRUE(b.SameMeasurement(a));
  EXPECT_FALSE(a.SameFlags(b));
  EXPECT_FALSE(a == b);
}

TEST(FixCodecTest, SameMeasurementSeesEveryMeasuredValue) {
  const StoredFix a = Full();
  EXPECT_TRUE(a.SameMeasurement(a));
  for (int which = 0; which < 11; ++which) {
    StoredFix b = a;
    switch (which) {
      case 0: b.individual += 1; break;
      case 1: b.tag += 1; break;
      case 2: b.timestamp_ms += 1; break;
      case 3: b.lat = 32.08765430000001; break;  // one ulp-ish away
      case 4: b.lon = -b.lon; break;
      case 5: b.height_m = std::nullopt; break;  // absent is not equal to any value
      case 6: b.hdop = 1.0; break;
      case 7: b.satellites = 12; break;
      case 8: b.ground_speed_mps = std::nullopt; break;
      case 9: b.heading_deg = 0.0; break;
      case 10: b.event_id = *a.event_id + 1; break;
    }
    EXPECT_FALSE(a.SameMeasurement(b)) << "field #" << which;
    EXPECT_FALSE(b.SameMeasurement(a)) << "field #" << which;
    EXPECT_TRUE(a.SameFlags(b)) << "field #" << which;
  }
  // An absent optional and a zero are different measurements.
  StoredFix zero_height = Minimal();
  zero_height.height_m = 0.0;
  EXPECT_FALSE(Minimal().SameMeasurement(zero_height));
}

TEST(FixCodecTest, SameFlagsSeesEachFlagIncludingPresence) {
  const StoredFix a = Minimal();  // visible, both manual flags absent
  EXPECT_TRUE(a.SameFlags(a));
  StoredFix b = a;
  b.visible = false;
  EXPECT_FALSE(a.SameFlags(b));
  b = a;
  b.manually_marked_outlier = false;  // absent vs explicit false differ
  EXPECT_FALSE(a.SameFlags(b));
  b = a;
  b.manually_marked_valid = false;
  EXPECT_FALSE(a.SameFlags(b));
  b = a;
  b.manually_marked_valid = true;
  EXPECT_FALSE(a.SameFlags(b));
  // Measurements and site do not matter to SameFlags.
  b = a;
  b.lat += 1;
  b.site_id = "other_site";
  b.hdop = 3.0;
  EXPECT_TRUE(a.SameFlags(b));
  EXPECT_FALSE(a.SameMeasurement(b));
}

}  // namespace
}  // namespace wetlink::store
