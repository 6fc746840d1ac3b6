#include "store/fix_codec.h"

#include <bit>
#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "store/key_codec.h"

namespace wetlink::store {
namespace {

constexpr std::uint8_t kVersion = 1;

enum Presence : std::uint8_t {
  kHeight = 1 << 0,
  kHdop = 1 << 1,
  kSatellites = 1 << 2,
  kGroundSpeed = 1 << 3,
  kHeading = 1 << 4,
  kEventId = 1 << 5,
  kOutlierFlag = 1 << 6,
  kValidFlag = 1 << 7,
};

enum Flag : std::uint8_t {
  kVisible = 1 << 0,
  kOutlier = 1 << 1,
  kValid = 1 << 2,
};

static_assert(std::endian::native == std::endian::little,
              "the fix value layout is little-endian; add byte swaps for this platform");

void PutDouble(std::string& out, double v) {
  char bytes[sizeof v];
  std::memcpy(bytes, &v, sizeof v);
  out.append(bytes, sizeof v);
}

void PutU64(std::string& out, std::uint64_t v) {
  char bytes[sizeof v];
  std::memcpy(bytes, &v, sizeof v);
  out.append(bytes, sizeof v);
}

bool TakeDouble(std::string_view& in, double& v) {
  if (in.size() < sizeof v) return false;
  std::memcpy(&v, in.data(), sizeof v);
  in.remove_prefix(sizeof v);
  return true;
}

bool TakeU64(std::string_view& in, std::uint64_t& v) {
  if (in.size() < sizeof v) return false;
  std::memcpy(&v, in.data(), sizeof v);
  in.remove_prefix(sizeof v);
  return true;
}

bool TakeU8(std::string_view& in, std::uint8_t& v) {
  if (in.empty()) return false;
  v = static_cast<std::uint8_t>(in.front());
  in.remove_prefix(1);
  return true;
}

bool TakeOptionalDouble(std::string_view& in, bool present, std::optional<double>& v) {
  if (!present) return true;
  double d = 0;
  if (!TakeDouble(in, d)) return false;
  v = d;
  return true;
}

}  // namespace

bool StoredFix::SameMeasurement(const StoredFix& o) const {
  // Bitwise equality of doubles: a re-sent fix carries the very same values,
  // and -0.0 vs 0.0 or two NaNs are not questions here (NaN is refused).
  return individual == o.individual && tag == o.tag && timestamp_ms == o.timestamp_ms &&
         lat == o.lat && lon == o.lon && height_m == o.height_m && hdop == o.hdop &&
         satellites == o.satellites && ground_speed_mps == o.ground_speed_mps &&
         heading_deg == o.heading_deg && event_id == o.event_id;
}

bool StoredFix::SameFlags(const StoredFix& o) const {
  return visible == o.visible && manually_marked_outlier == o.manually_marked_outlier &&
         manually_marked_valid == o.manually_marked_valid;
}

void AppendFixKey(std::string& key, std::uint32_t individual, telemetry::TimestampMs timestamp_ms,
                  std::uint32_t tag) {
  AppendUint32(key, individual);
  AppendInt64(key, timestamp_ms);
  AppendUint32(key, tag);
}

std::string FixKey(std::uint32_t individual, telemetry::TimestampMs timestamp_ms,
                   std::uint32_t tag) {
  std::string key;
  key.reserve(kFixKeyBytes);
  AppendFixKey(key, individual, timestamp_ms, tag);
  return key;
}

void AppendFixValue(std::string& out, const StoredFix& fix) {
  std::uint8_t presence = 0;
  if (fix.height_m) presence |= kHeight;
  if (fix.hdop) presence |= kHdop;
  if (fix.satellites) presence |= kSatellites;
  if (fix.ground_speed_mps) presence |= kGroundSpeed;
  if (fix.heading_deg) presence |= kHeading;
  if (fix.event_id) presence |= kEventId;
  if (fix.manually_marked_outlier) presence |= kOutlierFlag;
  if (fix.manually_marked_valid) presence |= kValidFlag;
  std::uint8_t flags = 0;
  if (fix.visible) flags |= kVisible;
  if (fix.manually_marked_outlier.value_or(false)) flags |= kOutlier;
  if (fix.manually_marked_valid.value_or(false)) flags |= kValid;
  out.push_back(static_cast<char>(kVersion));
  out.push_back(static_cast<char>(presence));
  out.push_back(static_cast<char>(flags));
  PutDouble(out, fix.lat);
  PutDouble(out, fix.lon);
  if (fix.height_m) PutDouble(out, *fix.height_m);
  if (fix.hdop) PutDouble(out, *fix.hdop);
  if (fix.satellites) out.push_back(static_cast<char>(static_cast<std::uint8_t>(*fix.satellites)));
  if (fix.ground_speed_mps) PutDouble(out, *fix.ground_speed_mps);
  if (fix.heading_deg) PutDouble(out, *fix.heading_deg);
  if (fix.event_id) PutU64(out, static_cast<std::uint64_t>(*fix.event_id));
  out.push_back(static_cast<char>(static_cast<std::uint8_t>(fix.site_id.size())));
  out.append(fix.site_id);
}

absl::StatusOr<StoredFix> DecodeFix(std::string_view key, std::string_view value) {
  auto corrupt = [&](std::string_view what) {
    return absl::DataLossError(absl::StrCat("stored fix '", absl::BytesToHexString(std::string(key)),
                                            "' is corrupt: ", std::string(what)));
  };
  StoredFix fix;
  std::string_view k = key;
  auto individual = ConsumeUint32(k);
  auto timestamp = ConsumeInt64(k);
  auto tag = ConsumeUint32(k);
  if (!individual || !timestamp || !tag || !k.empty()) return corrupt("key is not 16 bytes");
  fix.individual = *individual;
  fix.timestamp_ms = *timestamp;
  fix.tag = *tag;

  std::string_view in = value;
  std::uint8_t version = 0, presence = 0, flags = 0;
  if (!TakeU8(in, version) || version != kVersion) return corrupt("unknown value version");
  if (!TakeU8(in, presence) || !TakeU8(in, flags)) return corrupt("value truncated");
  if (!TakeDouble(in, fix.lat) || !TakeDouble(in, fix.lon)) return corrupt("value truncated");
  bool ok = TakeOptionalDouble(in, presence & kHeight, fix.height_m) &&
            TakeOptionalDouble(in, presence & kHdop, fix.hdop);
  if (ok && (presence & kSatellites)) {
    std::uint8_t sats = 0;
    ok = TakeU8(in, sats);
    fix.satellites = sats;
  }
  ok = ok && TakeOptionalDouble(in, presence & kGroundSpeed, fix.ground_speed_mps) &&
       TakeOptionalDouble(in, presence & kHeading, fix.heading_deg);
  if (ok && (presence & kEventId)) {
    std::uint64_t id = 0;
    ok = TakeU64(in, id);
    fix.event_id = static_cast<std::int64_t>(id);
  }
  std::uint8_t site_bytes = 0;
  if (!ok || !TakeU8(in, site_bytes) || in.size() != site_bytes) {
    return corrupt("value truncated or too long");
  }
  fix.site_id.assign(in);
  fix.visible = (flags & kVisible) != 0;
  if (presence & kOutlierFlag) fix.manually_marked_outlier = (flags & kOutlier) != 0;
  if (presence & kValidFlag) fix.manually_marked_valid = (flags & kValid) != 0;
  return fix;
}

absl::StatusOr<FixPosition> DecodeFixPosition(std::string_view key, std::string_view value) {
  auto corrupt = [&](std::string_view what) {
    return absl::DataLossError(absl::StrCat("stored fix '", absl::BytesToHexString(std::string(key)),
                                            "' is corrupt: ", std::string(what)));
  };
  FixPosition fix;
  std::string_view k = key;
  auto individual = ConsumeUint32(k);
  auto timestamp = ConsumeInt64(k);
  auto tag = ConsumeUint32(k);
  if (!individual || !timestamp || !tag || !k.empty()) return corrupt("key is not 16 bytes");
  fix.timestamp_ms = *timestamp;
  fix.tag = *tag;

  std::string_view in = value;
  std::uint8_t version = 0, presence = 0, flags = 0;
  if (!TakeU8(in, version) || version != kVersion) return corrupt("unknown value version");
  if (!TakeU8(in, presence) || !TakeU8(in, flags)) return corrupt("value truncated");
  if (!TakeDouble(in, fix.lat) || !TakeDouble(in, fix.lon)) return corrupt("value truncated");
  // The optional measurements, in bit order: skipped by their widths.
  const std::size_t skip = 8 * (((presence & kHeight) != 0) + ((presence & kHdop) != 0) +
                                ((presence & kGroundSpeed) != 0) + ((presence & kHeading) != 0) +
                                ((presence & kEventId) != 0)) +
                           ((presence & kSatellites) != 0);
  std::uint8_t site_bytes = 0;
  if (in.size() < skip) return corrupt("value truncated");
  in.remove_prefix(skip);
  if (!TakeU8(in, site_bytes) || in.size() != site_bytes) {
    return corrupt("value truncated or too long");
  }
  fix.site_id = in;
  fix.visible = (flags & kVisible) != 0;
  fix.manually_marked_outlier = (presence & kOutlierFlag) != 0 && (flags & kOutlier) != 0;
  fix.manually_marked_valid = (presence & kValidFlag) != 0 && (flags & kValid) != 0;
  return fix;
}

}  // namespace wetlink::store
