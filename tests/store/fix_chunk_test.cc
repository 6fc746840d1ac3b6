#include "store/fix_chunk.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "telemetry/timestamp.h"

namespace wetlink::store {
namespace {

using ::testing::HasSubstr;

constexpr std::int64_t kMinTime = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMaxTime = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kT0 = 1'717'200'000'000;  // 2024-06-01T00:00:00Z
constexpr std::int64_t kDay0 = kT0 / telemetry::kMsPerDay;

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

// Every optional value present, none of them a round number.
StoredFix Full(telemetry::TimestampMs t = kT0 + 43'200'000) {
  StoredFix f;
  f.individual = 7;
  f.tag = 3;
  f.timestamp_ms = t;
  f.lat = 32.0876543;
  f.lon = 130.3612345;
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

std::uint64_t Bits(double v) { return std::bit_cast<std::uint64_t>(v); }
std::optional<std::uint64_t> Bits(std::optional<double> v) {
  if (!v) return std::nullopt;
  return Bits(*v);
}

// operator== and, for the doubles, bit for bit (-0.0 vs 0.0, NaN).
bool Identical(const StoredFix& a, const StoredFix& b) {
  return a.individual == b.individual && a.tag == b.tag && a.timestamp_ms == b.timestamp_ms &&
         Bits(a.lat) == Bits(b.lat) && Bits(a.lon) == Bits(b.lon) &&
         Bits(a.height_m) == Bits(b.height_m) && Bits(a.hdop) == Bits(b.hdop) &&
         a.satellites == b.satellites && Bits(a.ground_speed_mps) == Bits(b.ground_speed_mps) &&
         Bits(a.heading_deg) == Bits(b.heading_deg) && a.event_id == b.event_id &&
         a.visible == b.visible && a.manually_marked_outlier == b.manually_marked_outlier &&
         a.manually_marked_valid == b.manually_marked_valid && a.site_id == b.site_id;
}

std::string KeyOf(const std::vector<StoredFix>& fixes) {
  if (fixes.empty()) return ChunkKey(1, 0);
  return ChunkKey(fixes.front().individual, telemetry::DayIndex(fixes.front().timestamp_ms));
}

std::string Encode(const std::vector<StoredFix>& fixes) {
  std::string value;
  AppendChunkValue(value, fixes);
  return value;
}

// Encodes, decodes in full and by position, resumes at every split point
// (and the result must be the same bytes), and checks each read back bit
// for bit.
void ExpectRoundTrip(const std::vector<StoredFix>& fixes, const std::string& context = "") {
  const std::string key = KeyOf(fixes);
  const std::string value = Encode(fixes);
  auto decoded = DecodeChunk(key, value);
  ASSERT_TRUE(decoded.ok()) << decoded.status() << " " << context;
  ASSERT_EQ(decoded->size(), fixes.size()) << context;
  for (std::size_t i = 0; i < fixes.size(); ++i) {
    EXPECT_EQ((*decoded)[i], fixes[i]) << "fix " << i << " " << context;
    EXPECT_TRUE(Identical((*decoded)[i], fixes[i])) << "fix " << i << " " << context;
  }
  std::size_t i = 0;
  absl::Status positions = ForEachFixPosition(key, value, [&](const FixPosition& p) {
    if (i >= fixes.size()) {
      ADD_FAILURE() << "more positions than fixes " << context;
      return false;
    }
    const StoredFix& f = fixes[i++];
    EXPECT_EQ(p.timestamp_ms, f.timestamp_ms) << context;
    EXPECT_EQ(p.tag, f.tag) << context;
    EXPECT_EQ(Bits(p.lat), Bits(f.lat)) << context;
    EXPECT_EQ(Bits(p.lon), Bits(f.lon)) << context;
    EXPECT_EQ(p.visible, f.visible) << context;
    EXPECT_EQ(p.manually_marked_outlier, f.manually_marked_outlier.value_or(false)) << context;
    EXPECT_EQ(p.manually_marked_valid, f.manually_marked_valid.value_or(false)) << context;
    EXPECT_EQ(p.site_id, f.site_id) << context;
    // The site id points into the value.
    if (!p.site_id.empty()) {
      EXPECT_GE(p.site_id.data(), value.data());
      EXPECT_LE(p.site_id.data() + p.site_id.size(), value.data() + value.size());
    }
    return true;
  });
  ASSERT_TRUE(positions.ok()) << positions << " " << context;
  EXPECT_EQ(i, fixes.size()) << context;

  // Resuming anywhere and appending the rest gives the same value.
  const std::size_t step = std::max<std::size_t>(1, fixes.size() / 7);
  for (std::size_t split = 0; split <= fixes.size(); split += step) {
    const std::vector<StoredFix> head(fixes.begin(), fixes.begin() + split);
    auto encoder = ChunkEncoder::Resume(key, Encode(head));
    ASSERT_TRUE(encoder.ok()) << encoder.status() << " " << context;
    ASSERT_EQ(encoder->size(), split);
    if (split > 0) {
      EXPECT_EQ(encoder->last_timestamp_ms(), fixes[split - 1].timestamp_ms);
      EXPECT_EQ(encoder->last_tag(), fixes[split - 1].tag);
    }
    for (std::size_t k = split; k < fixes.size(); ++k) encoder->Append(fixes[k]);
    std::string resumed;
    encoder->AppendValueTo(resumed);
    EXPECT_EQ(resumed, value) << "split at " << split << " " << context;
  }
}

void ExpectDataLoss(const std::string& key, const std::string& value, const std::string& context) {
  auto decoded = DecodeChunk(key, value);
  ASSERT_FALSE(decoded.ok()) << context;
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss) << context;
  EXPECT_THAT(std::string(decoded.status().message()),
              HasSubstr(absl::BytesToHexString(key.substr(0, 12))))
      << context;
  absl::Status positions = ForEachFixPosition(key, value, [](const FixPosition&) { return true; });
  EXPECT_EQ(positions.code(), absl::StatusCode::kDataLoss) << context;
  EXPECT_EQ(ChunkEncoder::Resume(key, value).status().code(), absl::StatusCode::kDataLoss)
      << context;
}

// Decoding a garbled value either fails with DataLoss naming the key or
// succeeds; it never reads outside the value (the sanitizer build checks).
void ExpectNoCrash(const std::string& key, const std::string& value, const std::string& context) {
  auto decoded = DecodeChunk(key, value);
  if (!decoded.ok()) {
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss) << context;
    EXPECT_THAT(std::string(decoded.status().message()), HasSubstr(absl::BytesToHexString(key)))
        << context;
  }
  std::size_t n = 0;
  absl::Status positions = ForEachFixPosition(key, value, [&](const FixPosition& p) {
    n += p.site_id.size();
    return true;
  });
  if (!positions.ok()) {
    EXPECT_EQ(positions.code(), absl::StatusCode::kDataLoss) << context;
  }
  // Position and full decoding check the same things except the skipped
  // values' bytes, so a full success implies a positions success.
  if (decoded.ok()) {
    EXPECT_TRUE(positions.ok()) << context;
  }
  auto encoder = ChunkEncoder::Resume(key, value);
  EXPECT_EQ(encoder.ok(), decoded.ok()) << context;
  if (decoded.ok() && encoder.ok()) {
    // What decodes re-encodes to a value that decodes the same.
    const std::string again = Encode(*decoded);
    auto twice = DecodeChunk(key, again);
    ASSERT_TRUE(twice.ok()) << context;
    ASSERT_EQ(twice->size(), decoded->size()) << context;
    for (std::size_t i = 0; i < decoded->size(); ++i) {
      EXPECT_TRUE(Identical((*twice)[i], (*decoded)[i])) << context;
    }
  }
}

// ---------------------------------------------------------------------------

TEST(FixChunkTest, RoundTripInOrder) {
  std::vector<StoredFix> fixes = {MakeFix(3, 1000, 1), MakeFix(3, 1000, 2), MakeFix(3, 5000, 1)};
  fixes[1].site_id.clear();
  fixes[2].manually_marked_outlier = true;
  std::string value;
  AppendChunkValue(value, fixes);
  auto decoded = DecodeChunk(ChunkKey(3, 0), value);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, fixes);
  ExpectRoundTrip(fixes);
}

TEST(FixChunkTest, EmptyChunkDecodesToNothing) {
  std::string value;
  AppendChunkValue(value, {});
  EXPECT_EQ(value, std::string("\x02\x00\x00", 3));  // version, no fixes, no sites
  auto decoded = DecodeChunk(ChunkKey(1, 7), value);
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(decoded->empty());
  auto encoder = ChunkEncoder::Resume(ChunkKey(1, 7), value);
  ASSERT_TRUE(encoder.ok());
  EXPECT_EQ(encoder->size(), 0u);
}

TEST(FixChunkTest, KeysSortByIndividualThenDayIncludingBefore1970) {
  EXPECT_EQ(ChunkKey(1, 0).size(), kChunkKeyBytes);
  EXPECT_LT(ChunkKey(1, -1), ChunkKey(1, 0));
  EXPECT_LT(ChunkKey(1, 0), ChunkKey(1, 20000));
  EXPECT_LT(ChunkKey(1, 1'000'000), ChunkKey(2, -1'000'000));
}

// The layout of docs/STORAGE.md, byte by byte, for two fixes.
TEST(FixChunkTest, ValueLayout) {
  StoredFix a;
  a.individual = 5;
  a.tag = 2;
  a.timestamp_ms = kDay0 * telemetry::kMsPerDay + 61'000;  // 00:01:01
  a.lat = 0.0000003;
  a.lon = -0.0000001;
  a.site_id = "ab";
  StoredFix b = a;
  b.timestamp_ms += 1;  // 1 ms later, same tag and site
  b.lat = 0.0000002;
  b.lon = 0.1 + 0.2;  // not a count of 1e-7 degree: raw
  b.satellites = 9;
  b.event_id = -1;
  b.visible = false;
  const std::string value = Encode({a, b});
  std::string expected(
      "\x02"      // layout version
      "\x02"      // fixes
      "\x01\x02"  // sites: one, "ab"
      "ab",
      6);
  // a: head (tag follows, visible), tag 2, 61 s from the day's start, lat +3
  // (zigzag 6), lon -1 (zigzag 1).
  expected += std::string("\x11\x02\x3D\x06\x01", 5);
  // b: head (ms, shape follows, not visible), 1 ms, shape (satellites and
  // event id; raw lon), lat -1, lon raw, satellites, event id -1 (zigzag 1).
  expected += std::string("\x0A\x01\x24\x08\x01", 5);
  const double lon = 0.1 + 0.2;
  expected.append(reinterpret_cast<const char*>(&lon), sizeof lon);
  expected += std::string("\x09\x01", 2);
  EXPECT_EQ(absl::BytesToHexString(value), absl::BytesToHexString(expected));
  ExpectRoundTrip({a, b});
}

TEST(FixChunkTest, TypicalFixesTakeAboutTwentyBytes) {
  // Hourly fixes as a GPS tag reports them: 7 decimals, heights and hdop
  // in tenths, whole seconds, consecutive event ids, one or two sites.
  std::mt19937_64 rng(7);
  std::vector<StoredFix> fixes;
  for (int i = 0; i < 24; ++i) {
    StoredFix f;
    f.individual = 12;
    f.tag = 4;
    f.timestamp_ms = kT0 + i * 3'600'000 + static_cast<std::int64_t>(rng() % 60) * 1000;
    f.lat = std::round((32.08 + static_cast<double>(rng() % 2000) * 1e-6) * 1e7) / 1e7;
    f.lon = std::round((130.36 + static_cast<double>(rng() % 2000) * 1e-6) * 1e7) / 1e7;
    f.height_m = std::round(400 + static_cast<double>(rng() % 100)) / 10;
    f.hdop = static_cast<double>(8 + rng() % 10) / 10;
    f.satellites = 7 + static_cast<int>(rng() % 5);
    f.ground_speed_mps = static_cast<double>(rng() % 300) / 100;
    f.heading_deg = static_cast<double>(rng() % 3600) / 10;
    f.event_id = 5'000'000'000 + i;
    f.site_id = i < 12 ? "izumi_crane_grounds" : "";
    fixes.push_back(f);
  }
  const std::string value = Encode(fixes);
  EXPECT_LT(value.size(), 24u * 24u) << value.size() / 24.0 << " bytes per fix";
  ExpectRoundTrip(fixes);
}

TEST(FixChunkTest, EachOptionalAloneRoundTrips) {
  for (int which = 0; which < 6; ++which) {
    StoredFix f = MakeFix(1, kT0 + 5, 1);
    switch (which) {
      case 0:
        f.height_m = -12.5;
        break;
      case 1:
        f.hdop = 25.5;
        break;
      case 2:
        f.satellites = 4;
        break;
      case 3:
        f.ground_speed_mps = 0.0;
        break;
      case 4:
        f.heading_deg = 0.0;
        break;
      case 5:
        f.event_id = 1;
        break;
    }
    StoredFix g = f;
    g.timestamp_ms += 1;
    StoredFix full = Full(kT0 + 10);
    full.individual = f.individual;
    ExpectRoundTrip({f, g, full}, "optional #" + std::to_string(which));
  }
}

TEST(FixChunkTest, FlagsInEveryCombinationRoundTrip) {
  const std::optional<bool> tri[] = {std::nullopt, false, true};
  std::vector<StoredFix> fixes;
  for (bool visible : {false, true}) {
    for (std::optional<bool> outlier : tri) {
      for (std::optional<bool> valid : tri) {
        for (bool full : {false, true}) {
          StoredFix f = full ? Full() : MakeFix(7, 0, 3);
          f.timestamp_ms = kT0 + static_cast<std::int64_t>(fixes.size()) * 1000;
          f.visible = visible;
          f.manually_marked_outlier = outlier;
          f.manually_marked_valid = valid;
          fixes.push_back(f);
        }
      }
    }
  }
  ASSERT_EQ(fixes.size(), 36u);
  ExpectRoundTrip(fixes);
  std::vector<StoredFix> reversed(fixes.rbegin(), fixes.rend());
  for (std::size_t i = 0; i < reversed.size(); ++i) reversed[i].timestamp_ms = kT0 + 7 * i;
  ExpectRoundTrip(reversed);
}

TEST(FixChunkTest, SiteIdsEmptyLongestAndMany) {
  std::vector<StoredFix> fixes;
  const std::string sites[] = {"", "mankyung_estuary_k20", std::string(255, 'z'), "a"};
  for (int i = 0; i < 40; ++i) {
    StoredFix f = Full(kT0 + i);
    f.site_id = sites[(i * 7) % 4];
    fixes.push_back(f);
  }
  ExpectRoundTrip(fixes);
  // More sites than a one-byte index holds, each coming back later.
  fixes.clear();
  for (int i = 0; i < 1000; ++i) {
    StoredFix f = MakeFix(2, kT0 + i * 60'000, 1);
    f.site_id = "site_" + std::to_string((i * 37) % 300);
    fixes.push_back(f);
  }
  ExpectRoundTrip(fixes);
}

TEST(FixChunkTest, DoublesRoundTripExactly) {
  const double values[] = {43.12345678912345,
                           -179.99999999999997,
                           0.1 + 0.2,  // not 0.3
                           0.3,
                           -0.0,
                           0.0,
                           1e-7,
                           -1e-7,
                           3 * 1e-7,  // not 3 / 1e7
                           180.0,
                           -180.0,
                           90.0000001,
                           12.345,
                           std::numeric_limits<double>::min(),
                           std::numeric_limits<double>::denorm_min(),
                           -std::numeric_limits<double>::denorm_min(),
                           std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::lowest(),
                           std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::epsilon(),
                           9007199254740992.0 / 1e7,  // 2^53 counts: just too many
                           9007199254740991.0 / 1e7,
                           -9007199254740991.0 / 1e7,
                           9007199254740991.0 / 100,
                           4503599627370496.5,
                           1e300,
                           -1e-300};
  std::vector<StoredFix> fixes;
  for (double v : values) {
    StoredFix f = Full(kT0 + static_cast<std::int64_t>(fixes.size()));
    f.lat = v;
    f.lon = -v;
    f.height_m = v;
    f.hdop = v;
    f.ground_speed_mps = -v;
    f.heading_deg = v;
    fixes.push_back(f);
  }
  ExpectRoundTrip(fixes);
  // Each value after each other one, so deltas span the whole range.
  std::vector<StoredFix> pairs;
  for (double a : values) {
    for (double b : values) {
      for (double v : {a, b}) {
        StoredFix f = Full(kT0 + static_cast<std::int64_t>(pairs.size()));
        f.lat = v;
        f.lon = v;
        f.height_m = v;
        f.hdop = -v;
        f.ground_speed_mps = v;
        f.heading_deg = v;
        pairs.push_back(f);
      }
    }
  }
  ExpectRoundTrip(pairs);
}

TEST(FixChunkTest, NaNComesBackBitForBit) {
  StoredFix f = Full();
  f.height_m = std::numeric_limits<double>::quiet_NaN();
  f.hdop = -std::numeric_limits<double>::quiet_NaN();
  f.heading_deg = std::bit_cast<double>(std::uint64_t{0x7FF0000000000001});  // signalling
  const std::string value = Encode({f});
  auto decoded = DecodeChunk(ChunkKey(f.individual, telemetry::DayIndex(f.timestamp_ms)), value);
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(Identical(decoded->front(), f));
}

TEST(FixChunkTest, EveryCountOfTenMillionthsRoundTrips) {
  // Degrees with up to 7 decimals, as parsed from text (n / 1e7): coded as
  // counts, every one of them exactly. A slice of every magnitude.
  std::vector<StoredFix> fixes;
  std::int64_t t = kT0;
  auto add = [&](double lat, double lon) {
    StoredFix f = MakeFix(1, t++, 1);
    f.lat = lat;
    f.lon = lon;
    f.hdop = std::nullopt;
    fixes.push_back(f);
  };
  for (std::int64_t n = -2000; n <= 2000; ++n) add(n / 1e7, -n / 1e7);
  for (std::int64_t n = 1'799'990'000; n <= 1'800'000'000; n += 3) add(n / 1e7, -n / 1e7);
  for (std::int64_t n = 899'990'000; n <= 900'000'000; n += 7) add(n / 1e7, n * 1e-7);
  const std::size_t count = fixes.size();
  ASSERT_LT(count, 86'400'000u);
  const std::string value = Encode(fixes);
  // Small steps cost a few bytes, never a raw double (8) for lat.
  EXPECT_LT(value.size(), count * 16);
  ExpectRoundTrip(fixes);
}

TEST(FixChunkTest, ParsedDecimalsAreCountsAndStaySmall) {
  // Values as strtod makes them from decimal text, in the measurements'
  // hundredths and the positions' 1e-7 degrees.
  std::mt19937_64 rng(11);
  std::vector<StoredFix> fixes;
  for (int i = 0; i < 2000; ++i) {
    StoredFix f = MakeFix(1, kT0 + i * 1000, 1);
    char text[64];
    std::snprintf(text, sizeof text, "%.7f",
                  -90 + static_cast<double>(rng() % 1'800'000'000) / 1e7);
    f.lat = std::strtod(text, nullptr);
    std::snprintf(text, sizeof text, "%.2f", static_cast<double>(rng() % 100'000) / 100);
    f.height_m = std::strtod(text, nullptr);
    std::snprintf(text, sizeof text, "%.1f", static_cast<double>(rng() % 100) / 10);
    f.hdop = std::strtod(text, nullptr);
    fixes.push_back(f);
  }
  ExpectRoundTrip(fixes);
  // Random latitudes are far apart (up to 5 bytes per delta), the rest are
  // small counts: well under the 8 + 8 + 8 raw bytes.
  EXPECT_LT(Encode(fixes).size(), fixes.size() * 14);
}

TEST(FixChunkTest, TimesAndTagsAtTheEdges) {
  // Many fixes on one day, ms and second steps, two tags at one time.
  std::vector<StoredFix> fixes;
  for (int i = 0; i < 600; ++i) {
    const std::int64_t t = kT0 + i * (i % 3 == 0 ? 1000 : 777);
    fixes.push_back(MakeFix(9, t, 1));
    if (i % 5 == 0) fixes.push_back(MakeFix(9, t, 2));
    if (i % 50 == 0) fixes.push_back(MakeFix(9, t, 0xFFFFFFFF));
  }
  std::sort(fixes.begin(), fixes.end(), [](const StoredFix& a, const StoredFix& b) {
    return std::tie(a.timestamp_ms, a.tag) < std::tie(b.timestamp_ms, b.tag);
  });
  ExpectRoundTrip(fixes);
  // The first and last millisecond of a day, tag 0.
  ExpectRoundTrip({MakeFix(1, kT0, 0), MakeFix(1, kT0 + telemetry::kMsPerDay - 1, 0)});
  // Before 1970.
  ExpectRoundTrip({MakeFix(1, -telemetry::kMsPerDay, 3), MakeFix(1, -1001, 3), MakeFix(1, -1000, 3),
                   MakeFix(1, -1, 3)});
  // The first and last days of the int64 range.
  ExpectRoundTrip({MakeFix(0xFFFFFFFF, kMinTime, 1), MakeFix(0xFFFFFFFF, kMinTime, 2),
                   MakeFix(0xFFFFFFFF, kMinTime + 1, 1), MakeFix(0xFFFFFFFF, kMinTime + 3000, 1)});
  ExpectRoundTrip({MakeFix(0, kMaxTime - 3000, 1), MakeFix(0, kMaxTime - 1, 1),
                   MakeFix(0, kMaxTime, 1), MakeFix(0, kMaxTime, 0xFFFFFFFF)});
}

TEST(FixChunkTest, EventIdsAnywhereInTheirRange) {
  const std::int64_t ids[] = {0, -1, 1, kMinTime, kMaxTime, kMinTime, 5'000'000'000, -7, kMaxTime};
  std::vector<StoredFix> fixes;
  for (std::int64_t id : ids) {
    StoredFix f = Full(kT0 + static_cast<std::int64_t>(fixes.size()) * 1000);
    f.event_id = id;
    fixes.push_back(f);
    StoredFix g = f;
    g.timestamp_ms += 1;
    g.event_id = std::nullopt;  // absent in between
    fixes.push_back(g);
  }
  ExpectRoundTrip(fixes);
  for (int sats : {0, 1, 255}) {
    StoredFix f = Full();
    f.satellites = sats;
    ExpectRoundTrip({f});
  }
}

// Random fixes of every kind, in random numbers per chunk.
std::vector<StoredFix> RandomChunk(std::mt19937_64& rng) {
  const std::int64_t days[] = {
      kDay0, -1, 0, kDay0 + 1000, telemetry::DayIndex(kMinTime), telemetry::DayIndex(kMaxTime)};
  const std::int64_t day = days[rng() % 6];
  // The day's milliseconds within the int64 range.
  std::int64_t lo = 0, hi = telemetry::kMsPerDay - 1;
  if (day == telemetry::DayIndex(kMinTime)) lo = telemetry::MsOfDay(kMinTime);
  if (day == telemetry::DayIndex(kMaxTime)) hi = telemetry::MsOfDay(kMaxTime);
  const std::uint64_t start = static_cast<std::uint64_t>(day) * telemetry::kMsPerDay;
  const std::size_t n = rng() % 4 == 0 ? rng() % 700 : rng() % 30;
  std::set<std::pair<std::int64_t, std::uint32_t>> ids;
  const bool seconds = rng() % 2 == 0;
  while (ids.size() < n) {
    std::int64_t offset =
        lo + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
    if (seconds) offset = std::max(lo, offset - offset % 1000);
    const std::uint32_t tag = rng() % 5 == 0 ? static_cast<std::uint32_t>(rng()) : 1 + rng() % 2;
    ids.emplace(static_cast<std::int64_t>(start + static_cast<std::uint64_t>(offset)), tag);
  }
  auto random_double = [&](double scale) -> double {
    switch (rng() % 8) {
      case 0:
        return std::bit_cast<double>(rng() & 0x7FEFFFFFFFFFFFFFull) * (rng() % 2 ? 1 : -1);
      case 1: {
        const double special[] = {-0.0,
                                  0.0,
                                  std::numeric_limits<double>::max(),
                                  std::numeric_limits<double>::denorm_min(),
                                  std::numeric_limits<double>::infinity(),
                                  1e-7,
                                  0.1 + 0.2};
        return special[rng() % 7];
      }
      case 2:
        return static_cast<double>(static_cast<std::int64_t>(rng() >> 11)) / scale;
      default:
        return static_cast<double>(static_cast<std::int64_t>(rng() % 4'000'000'000) -
                                   2'000'000'000) /
               scale;
    }
  };
  std::vector<std::string> sites = {""};
  const std::size_t site_count = rng() % 3 == 0 ? 1 + rng() % 300 : 1 + rng() % 3;
  for (std::size_t i = 0; i < site_count; ++i) {
    sites.push_back(
        std::string(1 + rng() % (rng() % 10 == 0 ? 255 : 24), static_cast<char>('a' + rng() % 26)) +
        std::to_string(i));
    if (sites.back().size() > 255) sites.back().resize(255);
  }
  const std::uint32_t individual = static_cast<std::uint32_t>(rng());
  std::int64_t event = static_cast<std::int64_t>(rng());
  std::vector<StoredFix> fixes;
  for (const auto& [t, tag] : ids) {
    StoredFix f;
    f.individual = individual;
    f.timestamp_ms = t;
    f.tag = tag;
    f.lat = random_double(1e7);
    f.lon = random_double(1e7);
    if (rng() % 4 != 0) f.height_m = random_double(100);
    if (rng() % 4 != 0) f.hdop = random_double(100);
    if (rng() % 4 != 0) f.satellites = static_cast<int>(rng() % 256);
    if (rng() % 4 != 0) f.ground_speed_mps = random_double(100);
    if (rng() % 4 != 0) f.heading_deg = random_double(100);
    if (rng() % 4 != 0) {
      event = rng() % 3 == 0 ? static_cast<std::int64_t>(rng()) : event + 1;
      f.event_id = event;
    }
    f.visible = rng() % 5 != 0;
    if (rng() % 6 == 0) f.manually_marked_outlier = rng() % 2 == 0;
    if (rng() % 6 == 0) f.manually_marked_valid = rng() % 2 == 0;
    f.site_id = rng() % 3 == 0 ? sites[rng() % sites.size()] : sites[1];
    fixes.push_back(f);
  }
  return fixes;
}

TEST(FixChunkTest, RandomChunksRoundTrip) {
  std::mt19937_64 rng(20261206);
  for (int i = 0; i < 300; ++i) {
    const std::vector<StoredFix> fixes = RandomChunk(rng);
    ExpectRoundTrip(fixes, "chunk " + std::to_string(i));
    if (HasFailure()) break;
  }
}

TEST(FixChunkTest, CorruptChunksAreDataLossNamingTheKey) {
  std::string value;
  AppendChunkValue(value, {MakeFix(3, 1000, 1)});
  for (const std::string& bad :
       {std::string(), std::string("\x01"), std::string("\x03"), value.substr(0, value.size() - 1),
        value.substr(0, 3), value + "x", value + std::string(1, '\0')}) {
    ExpectDataLoss(ChunkKey(3, 0), bad, absl::BytesToHexString(bad));
    auto decoded = DecodeChunk(ChunkKey(3, 0), bad);
    EXPECT_THAT(std::string(decoded.status().message()), HasSubstr("000000038000000000000000"));
  }
  auto short_key = DecodeChunk("abc", value);
  EXPECT_EQ(short_key.status().code(), absl::StatusCode::kDataLoss);
}

TEST(FixChunkTest, OtherLayoutVersionsAreDataLoss) {
  std::string value = Encode({Full()});
  const std::string key = ChunkKey(7, telemetry::DayIndex(Full().timestamp_ms));
  for (char version : {'\x00', '\x01', '\x03', '\xff'}) {
    value[0] = version;
    ExpectDataLoss(key, value, "version");
    EXPECT_THAT(std::string(DecodeChunk(key, value).status().message()), HasSubstr("version"));
  }
}

TEST(FixChunkTest, AFixOutsideTheKeysDayIsDataLoss) {
  // Times are offsets from the key's day: a value under another key reads
  // as that day's, but no offset may leave the day.
  const std::string key = ChunkKey(3, kDay0);
  std::string header("\x02\x02\x01\x00", 4);  // two fixes, one site: ""
  auto entry = [](std::uint32_t ms_delta) {
    std::string e(1, '\x12');  // ms, visible
    do {                       // varint
      e.push_back(static_cast<char>((ms_delta & 0x7F) | (ms_delta >= 0x80 ? 0x80 : 0)));
      ms_delta >>= 7;
    } while (ms_delta != 0);
    return e + std::string("\x00\x00", 2);  // lat, lon: 0
  };
  ASSERT_TRUE(DecodeChunk(key, header + entry(86'399'998) + entry(1)).ok());
  ExpectDataLoss(key, header + entry(86'399'998) + entry(2), "one ms past the day");
  ExpectDataLoss(key, header + entry(86'400'000) + entry(0), "the next day");
  ExpectDataLoss(key, header + entry(1) + entry(0xFFFFFFFF), "far past");
  // A day out of the int64 range of milliseconds.
  ExpectDataLoss(ChunkKey(3, telemetry::DayIndex(kMaxTime) + 1), Encode({}), "day after the last");
  ExpectDataLoss(ChunkKey(3, telemetry::DayIndex(kMinTime) - 1), Encode({}),
                 "day before the first");
  // Times past the int64 range on its last day, or before it on the first.
  const std::string late = Encode({MakeFix(0, kT0 + telemetry::MsOfDay(kMaxTime) + 1, 1)});
  ASSERT_TRUE(DecodeChunk(ChunkKey(0, kDay0), late).ok());
  ExpectDataLoss(ChunkKey(0, telemetry::DayIndex(kMaxTime)), late, "past the last ms");
  const std::string early = Encode({MakeFix(0, kT0 + telemetry::MsOfDay(kMinTime) - 1, 1)});
  ASSERT_TRUE(DecodeChunk(ChunkKey(0, kDay0), early).ok());
  ExpectDataLoss(ChunkKey(0, telemetry::DayIndex(kMinTime)), early, "before the first ms");
}

TEST(FixChunkTest, FixesOutOfOrderAreDataLoss) {
  // Two fixes at one time with the tags the wrong way round: their
  // encoding as if sorted, then the second tag changed to the first's.
  StoredFix a = MakeFix(1, kT0, 5);
  StoredFix b = MakeFix(1, kT0, 6);
  std::string value = Encode({a, b});
  const std::string key = ChunkKey(1, kDay0);
  ASSERT_TRUE(DecodeChunk(key, value).ok());
  // Find b's tag byte (6) after a's (5) and make it 5, then 4.
  const std::size_t at = value.rfind('\x06');
  ASSERT_NE(at, std::string::npos);
  for (char tag : {'\x05', '\x04'}) {
    value[at] = tag;
    ExpectDataLoss(key, value, "tag " + std::to_string(tag));
    EXPECT_THAT(std::string(DecodeChunk(key, value).status().message()), HasSubstr("order"));
  }
}

TEST(FixChunkTest, TruncatedAtEveryByteIsDataLoss) {
  std::mt19937_64 rng(3);
  std::vector<std::vector<StoredFix>> chunks = {{Full()}, {MakeFix(3, kT0, 1)}};
  std::vector<StoredFix> mixed;
  for (int i = 0; i < 20; ++i) {
    StoredFix f = i % 2 ? Full(kT0 + i * 1001) : MakeFix(7, kT0 + i * 1001, 3);
    if (i % 3 == 0) f.lat = 0.1 + 0.2;  // raw
    if (i % 4 == 0) f.site_id = "site_" + std::to_string(i);
    mixed.push_back(f);
  }
  chunks.push_back(mixed);
  for (int i = 0; i < 10; ++i) {
    chunks.push_back(RandomChunk(rng));
    if (chunks.back().size() > 60) chunks.back().resize(60);  // every prefix: quadratic
  }
  for (const std::vector<StoredFix>& fixes : chunks) {
    if (fixes.empty()) continue;
    const std::string key = KeyOf(fixes);
    const std::string value = Encode(fixes);
    for (std::size_t n = 0; n < value.size(); ++n) {
      ExpectDataLoss(key, value.substr(0, n), "prefix of " + std::to_string(n) + " bytes");
      if (HasFailure()) return;
    }
  }
}

TEST(FixChunkTest, GarbledBytesNeverCrash) {
  std::mt19937_64 rng(5);
  std::vector<std::vector<StoredFix>> chunks;
  std::vector<StoredFix> mixed;
  for (int i = 0; i < 12; ++i) {
    StoredFix f = i % 2 ? Full(kT0 + i * 1001) : MakeFix(7, kT0 + i * 1001, 3);
    if (i % 3 == 0) f.lon = 0.1 + 0.2;
    if (i % 4 == 0) f.site_id = "s" + std::to_string(i);
    mixed.push_back(f);
  }
  chunks.push_back(mixed);
  for (int i = 0; i < 6; ++i) {
    std::vector<StoredFix> fixes = RandomChunk(rng);
    if (fixes.size() > 40) fixes.resize(40);
    chunks.push_back(fixes);
  }
  int data_loss = 0, decoded = 0;
  for (const std::vector<StoredFix>& fixes : chunks) {
    const std::string key = KeyOf(fixes);
    const std::string value = Encode(fixes);
    for (std::size_t at = 0; at < value.size(); ++at) {
      for (std::uint8_t x : {std::uint8_t{0x01}, std::uint8_t{0x80}, std::uint8_t{0xFF},
                             static_cast<std::uint8_t>(rng() | 1)}) {
        std::string bad = value;
        bad[at] = static_cast<char>(static_cast<std::uint8_t>(bad[at]) ^ x);
        ExpectNoCrash(key, bad, "byte " + std::to_string(at));
        DecodeChunk(key, bad).ok() ? ++decoded : ++data_loss;
      }
      // A byte inserted and a byte removed.
      ExpectNoCrash(key, value.substr(0, at) + '\x7f' + value.substr(at), "insert");
      ExpectNoCrash(key, value.substr(0, at) + value.substr(at + 1), "remove");
      if (HasFailure()) return;
    }
  }
  // Much garbling is caught; the rest changes a value, a flag or a time.
  EXPECT_GT(data_loss, decoded / 2);
}

}  // namespace
}  // namespace wetlink::store
