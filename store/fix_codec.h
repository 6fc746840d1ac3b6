#ifndef WETLINK_STORE_FIX_CODEC_H_
#define WETLINK_STORE_FIX_CODEC_H_

// Keys and values of the `fixes` column family, the bulk of the store.
//
// Key (16 bytes): individual number (u32 BE), timestamp (int64, sign
// flipped, BE), tag number (u32 BE). One individual's track is one range
// scan in time order, and a re-sent fix lands on the key it already has.
// The tag is part of the key because a bird may carry two tags at once.
//
// Value: a compact binary record, not protobuf: it is written a million
// times a second and decoded on every track read. Layout (version 1):
//   u8 version = 1
//   u8 presence bits: 0 height, 1 hdop, 2 satellites, 3 ground speed,
//      4 heading, 5 event id, 6 manually-marked-outlier, 7 manually-marked-valid
//   u8 flag values: 0 visible, 1 manually-marked-outlier, 2 manually-marked-valid
//   f64 lat, f64 lon (little-endian IEEE 754, stored exactly as received)
//   the present optional values in bit order: f64 height, f64 hdop,
//      u8 satellites, f64 ground speed, f64 heading, u64 event id (LE)
//   u8 site id length, site id bytes ("" = outside every catalogued site)

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
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

inline constexpr std::size_t kFixKeyBytes = 16;

void AppendFixKey(std::string& key, std::uint32_t individual, telemetry::TimestampMs timestamp_ms,
                  std::uint32_t tag);
std::string FixKey(std::uint32_t individual, telemetry::TimestampMs timestamp_ms,
                   std::uint32_t tag);

// Appends the value encoding of `fix` (key fields are not part of it).
// Satellite counts outside [0, 255] and site ids over 255 bytes must have
// been refused before (ValidateFix and the catalog do).
void AppendFixValue(std::string& value, const StoredFix& fix);

// DataLoss naming the key when the key or value does not decode.
absl::StatusOr<StoredFix> DecodeFix(std::string_view key, std::string_view value);

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
  std::string_view site_id;  // into the value it was decoded from
};

// DataLoss naming the key when the key or value does not decode.
absl::StatusOr<FixPosition> DecodeFixPosition(std::string_view key, std::string_view value);

}  // namespace wetlink::store

#endif  // WETLINK_STORE_FIX_CODEC_H_
