#include "sim/civil_time.h"

#include <gtest/gtest.h>

namespace wetlink::sim {
namespace {

TEST(CivilTimeTest, YearStart) {
  EXPECT_EQ(YearStartMs(1970), 0);
  EXPECT_EQ(YearStartMs(2023), 1672531200000);
  EXPECT_EQ(YearStartMs(2024) - YearStartMs(2023), 365 * kMsPerDay);
  EXPECT_EQ(YearStartMs(2025) - YearStartMs(2024), 366 * kMsPerDay);  // leap year
}

TEST(CivilTimeTest, LocalSolarTime) {
  const telemetry::TimestampMs noon_utc = YearStartMs(2023) + 12 * kMsPerHour;
  EXPECT_DOUBLE_EQ(LocalSolarHour(noon_utc, 0), 12.0);
  EXPECT_DOUBLE_EQ(LocalSolarHour(noon_utc, 120), 20.0);
  EXPECT_DOUBLE_EQ(LocalSolarHour(noon_utc, 210), 2.0);
  const std::int64_t day = DayIndex(noon_utc);
  EXPECT_NEAR(LocalSolarHour(UtcOfLocalSolar(day, 8.0, 127.5), 127.5), 8.0, 1e-9);
}

}  // namespace
}  // namespace wetlink::sim
