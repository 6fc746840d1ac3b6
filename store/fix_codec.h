#ifndef WETLINK_STORE_FIX_CODEC_H_
#define WETLINK_STORE_FIX_CODEC_H_

// A fix as the store keeps it (StoredFix) and the part of it that track
// analyses read (FixPosition). Both are coded in day chunks: fix_chunk.h.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "telemetry/fix.h"

namespace wetlink::store {

// A fix as stored: resolved to an individual and a tag (by store number),
// with the catalogued site it fell in when it was ingested.
struct StoredFix {
  std::uint32_t individual = 0;
  std::uint32_t tag = 0;
  telemetry::TimestampMs timestamp_ms = 0;
  double lat = 0;
  double lon = 0;
  std::optional<double> height_m;
  std::optional<double> hdop;
  std::optional<int> satellites;
  std::optional<double> ground_speed_mps;
  std::optional<double> heading_deg;
  std::optional<std::int64_t> event_id;
  bool visible = true;
  std::optional<bool> manually_marked_outlier;
  std::optional<bool> manually_marked_valid;
  std::string site_id;

  bool operator==(const StoredFix&) const = default;

  // Same position and measurements; outlier flags and site may differ.
  bool SameMeasurement(const StoredFix& other) const;
  // Same outlier flags (visible, manually-marked-outlier/-valid).
  bool SameFlags(const StoredFix& other) const;
};

// The part of a stored fix that track analyses read: time, position, the
// outlier flags and the site, decoded without copying or allocating (the
// other measurements are skipped). Absent flags read as false.
struct FixPosition {
  telemetry::TimestampMs timestamp_ms = 0;
  std::uint32_t tag = 0;
  double lat = 0;
  double lon = 0;
  bool visible = true;
  bool manually_marked_outlier = false;
  bool manually_marked_valid = false;
  std::string_view site_id;  // into the chunk value it was decoded from
};

}  // namespace wetlink::store

#endif  // WETLINK_STORE_FIX_CODEC_H_
