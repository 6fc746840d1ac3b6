#include "store/fix_codec.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace wetlink::store {
namespace {

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
