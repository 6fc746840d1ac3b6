#ifndef WETLINK_SIM_CIVIL_TIME_H_
#define WETLINK_SIM_CIVIL_TIME_H_

// Solar time of day for the simulated birds' daily rhythm; calendar
// arithmetic itself lives in telemetry/timestamp.h.

#include <cstdint>
#include <string>

#include "telemetry/fix.h"
#include "telemetry/timestamp.h"

namespace wetlink::sim {

using telemetry::DayIndex;
using telemetry::kMsPerDay;
using telemetry::kMsPerHour;
using telemetry::kMsPerSecond;

// Start of 1 January of `year`, UTC.
telemetry::TimestampMs YearStartMs(int year);

// Local mean solar hour [0, 24) at longitude `lon`: what a bird's day follows.
double LocalSolarHour(telemetry::TimestampMs t, double lon);

// UTC time of local solar hour `hour` on the local day whose UTC day index
// is `day` (the local day is shifted by lon/15 hours from the UTC day).
telemetry::TimestampMs UtcOfLocalSolar(std::int64_t day, double hour, double lon);

}  // namespace wetlink::sim

#endif  // WETLINK_SIM_CIVIL_TIME_H_
