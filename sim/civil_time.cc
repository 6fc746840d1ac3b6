#include "sim/civil_time.h"

#include <cmath>

namespace wetlink::sim {

telemetry::TimestampMs YearStartMs(int year) {
  return telemetry::TimestampFromCivil(year, 1, 1);
}

double LocalSolarHour(telemetry::TimestampMs t, double lon) {
  const std::int64_t in_day = telemetry::MsOfDay(t);
  double h = static_cast<double>(in_day) / static_cast<double>(kMsPerHour) + lon / 15.0;
  h = std::fmod(h, 24.0);
  return h < 0 ? h + 24.0 : h;
}

telemetry::TimestampMs UtcOfLocalSolar(std::int64_t day, double hour, double lon) {
  return day * kMsPerDay + std::llround((hour - lon / 15.0) * static_cast<double>(kMsPerHour));
}

}  // namespace wetlink::sim
