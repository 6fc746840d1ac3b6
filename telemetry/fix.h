#ifndef WETLINK_TELEMETRY_FIX_H_
#define WETLINK_TELEMETRY_FIX_H_

// A GPS fix as Wetlink stores it. Field names follow the Movebank attribute
// dictionary (https://www.movebank.org/cms/movebank-content/movebank-attribute-dictionary),
// so researchers recognise them: timestamp, location-lat, location-long,
// height-above-ellipsoid, gps:hdop, gps:satellite-count, ground-speed,
// heading, event-id, visible, manually-marked-outlier, manually-marked-valid.

#include <cstdint>
#include <optional>
#include <string>

namespace wetlink::telemetry {

// UTC milliseconds since 1970-01-01T00:00:00Z.
using TimestampMs = std::int64_t;

struct Fix {
  std::string tag_id;          // tag-local-identifier, as the tagging team names it
  TimestampMs timestamp_ms = 0;
  double lat = 0;              // location-lat, WGS84 degrees
  double lon = 0;              // location-long, WGS84 degrees
  std::optional<double> height_m;         // height-above-ellipsoid, metres
  std::optional<double> hdop;             // gps:hdop, dimensionless
  std::optional<int> satellites;          // gps:satellite-count
  std::optional<double> ground_speed_mps; // ground-speed, metres per second
  std::optional<double> heading_deg;      // heading, degrees clockwise from north [0, 360)
  std::optional<std::int64_t> event_id;   // event-id of the source system
  // Outlier flags are kept and stored, never used to drop a fix.
  bool visible = true;                    // visible (false = marked outlier upstream)
  std::optional<bool> manually_marked_outlier;
  std::optional<bool> manually_marked_valid;

  bool operator==(const Fix&) const = default;
};

}  // namespace wetlink::telemetry

#endif  // WETLINK_TELEMETRY_FIX_H_
