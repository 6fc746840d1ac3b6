#include "store/fix_chunk.h"

#include <bit>
#include <cassert>
#include <cstring>
#include <limits>
#include <optional>

#include "absl/container/inlined_vector.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "store/key_codec.h"
#include "telemetry/timestamp.h"

namespace wetlink::store {
namespace {

constexpr std::uint8_t kChunkVersion = 2;

// Entry head byte.
enum Head : std::uint8_t {
  kTagFollows = 1 << 0,    // varint tag number (else the previous fix's)
  kMillis = 1 << 1,        // the time delta is in ms (else in whole seconds)
  kSiteFollows = 1 << 2,   // varint site index (else the previous fix's; 0 first)
  kShapeFollows = 1 << 3,  // presence and extra bytes (else the previous fix's; 0, 0 first)
  kVisible = 1 << 4,
  kHeadReserved = 0xE0,
};

// Shape, first byte: which optional values the fix has.
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

// Shape, second byte: the manual flags' values and which scaled values are
// stored as raw doubles.
enum Extra : std::uint8_t {
  kOutlier = 1 << 0,
  kValid = 1 << 1,
  kRawLat = 1 << 2,
  kRawLon = 1 << 3,
  kRawHeight = 1 << 4,
  kRawHdop = 1 << 5,
  kRawSpeed = 1 << 6,
  kRawHeading = 1 << 7,
};

// The scaled values, in entry order, with their scales: lat/lon in 1e-7
// degree, the measurements in hundredths of their unit.
enum Scaled : int { kLat = 0, kLon, kHeightValue, kHdopValue, kSpeedValue, kHeadingValue };
constexpr double kScale[6] = {1e7, 1e7, 100, 100, 100, 100};
constexpr std::uint8_t kRawBit[6] = {kRawLat,  kRawLon,   kRawHeight,
                                     kRawHdop, kRawSpeed, kRawHeading};

constexpr std::uint64_t kMsPerDay = static_cast<std::uint64_t>(telemetry::kMsPerDay);
constexpr std::int64_t kFirstDay = telemetry::DayIndex(std::numeric_limits<std::int64_t>::min());
constexpr std::int64_t kLastDay = telemetry::DayIndex(std::numeric_limits<std::int64_t>::max());

// A head, a tag (5), a time delta (4), a site index (10), the shape (2), six
// scaled values (10 each), satellites (1) and an event id delta (10).
constexpr std::size_t kMaxEntryBytes = 1 + 5 + 4 + 10 + 2 + 6 * 10 + 1 + 10;

static_assert(std::endian::native == std::endian::little,
              "raw doubles are stored little-endian; add byte swaps for this platform");

// The first millisecond of `day` in two's complement (it may precede the
// int64 range for the first day; offsets from it are still exact).
std::uint64_t DayStart(std::int64_t day) { return static_cast<std::uint64_t>(day) * kMsPerDay; }

std::uint64_t ZigZag(std::uint64_t delta) {
  const auto d = static_cast<std::int64_t>(delta);
  return (delta << 1) ^ static_cast<std::uint64_t>(d >> 63);
}

std::uint64_t UnZigZag(std::uint64_t z) { return (z >> 1) ^ (~(z & 1) + 1); }

char* PutVarint(char* p, std::uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(static_cast<std::uint8_t>(v) | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

void AppendVarint(std::string& out, std::uint64_t v) {
  char bytes[10];
  out.append(bytes, static_cast<std::size_t>(PutVarint(bytes, v) - bytes));
}

std::uint64_t Bits(double v) { return std::bit_cast<std::uint64_t>(v); }

// The integer n with n / scale == v bit for bit (|n| < 2^53), if there is
// one: the value as received from a decimal text with at most as many
// decimals as the scale has (strtod's nearest double of n / 10^k is also the
// correctly rounded quotient). -0.0, infinities and NaN have none.
bool ToScaled(double v, double scale, std::int64_t& n) {
  const double x = v * scale;
  if (!(x > -9007199254740992.0 && x < 9007199254740992.0)) return false;
  const auto c = static_cast<std::int64_t>(x < 0 ? x - 0.5 : x + 0.5);
  if (Bits(static_cast<double>(c) / scale) != Bits(v)) return false;
  n = c;
  return true;
}

double FromScaled(std::uint64_t n, double scale) {
  return static_cast<double>(static_cast<std::int64_t>(n)) / scale;
}

// Reads a chunk value front to back; every read checks the bounds.
class Reader {
 public:
  explicit Reader(std::string_view in)
      : p_(reinterpret_cast<const std::uint8_t*>(in.data())), end_(p_ + in.size()) {}

  std::size_t left() const { return static_cast<std::size_t>(end_ - p_); }
  const char* pos() const { return reinterpret_cast<const char*>(p_); }

  bool U8(std::uint8_t& v) {
    if (p_ == end_) return false;
    v = *p_++;
    return true;
  }

  bool Varint(std::uint64_t& v) {
    if (p_ != end_ && *p_ < 0x80) {
      v = *p_++;
      return true;
    }
    std::uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) return false;
      const std::uint8_t b = *p_++;
      if (shift == 63 && b > 1) return false;  // more than 64 bits
      result |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if (b < 0x80) {
        v = result;
        return true;
      }
    }
    return false;
  }

  bool SkipVarint() {
    for (int i = 0; i < 10; ++i) {
      if (p_ == end_) return false;
      if (*p_++ < 0x80) return true;
    }
    return false;
  }

  bool Double(double& v) {
    if (left() < sizeof v) return false;
    std::memcpy(&v, p_, sizeof v);
    p_ += sizeof v;
    return true;
  }

  bool Skip(std::size_t n) {
    if (left() < n) return false;
    p_ += n;
    return true;
  }

 private:
  const std::uint8_t* p_;
  const std::uint8_t* end_;
};

absl::Status Corrupt(std::string_view key, std::string_view what) {
  return absl::DataLossError(absl::StrCat("stored fix chunk '",
                                          absl::BytesToHexString(std::string(key)),
                                          "' is corrupt: ", std::string(what)));
}

// What the key says and the header holds.
struct ChunkHeader {
  std::uint32_t individual = 0;
  std::int64_t day = 0;
  std::uint64_t count = 0;
  absl::InlinedVector<std::string_view, 4> sites;  // into the value
  std::string_view entries;                        // the rest of the value
};

// A decoded entry (the site as an index into the dictionary).
struct Entry {
  std::uint64_t offset_ms = 0;
  std::uint32_t tag = 0;
  bool visible = true;
  double value[6] = {};  // the scaled values present (lat and lon always)
  std::uint8_t satellites = 0;
  std::uint64_t event_id = 0;
};

// Decodes entries one after the other, checking each against the value's
// bounds, the chunk's day and the (time, tag) order. Returns nullptr on
// success, else what is wrong.
class EntryDecoder {
 public:
  EntryDecoder(Reader& in, const ChunkHeader& header, ChunkEncoder::State& state)
      : in_(in), state_(state), sites_(header.sites.size()) {
    // The day's last millisecond may lie past the int64 range (the last
    // day), its first before it (the first day).
    const std::uint64_t start = DayStart(header.day);
    if (header.day == kLastDay) {
      max_offset_ = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) - start;
    }
    if (header.day == kFirstDay) {
      min_offset_ = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::min()) - start;
    }
  }

  // Decodes the next entry; with kPositionOnly, skips the measurements
  // after the position (their state is then not kept).
  template <bool kPositionOnly>
  const char* Next(Entry& e, bool first) {
    std::uint8_t head = 0;
    if (!in_.U8(head)) return "truncated entry";
    if ((head & kHeadReserved) != 0) return "unknown entry bits";
    std::uint32_t tag = state_.tag;
    if ((head & kTagFollows) != 0) {
      std::uint64_t t = 0;
      if (!in_.Varint(t)) return "truncated entry";
      if (t > std::numeric_limits<std::uint32_t>::max()) return "tag number out of range";
      tag = static_cast<std::uint32_t>(t);
    }
    std::uint64_t delta = 0;
    if (!in_.Varint(delta)) return "truncated entry";
    if ((head & kMillis) == 0) {
      if (delta > kMsPerDay) return "time outside the chunk's day";
      delta *= 1000;
    }
    if (delta > max_offset_ - state_.offset_ms) return "time outside the chunk's day";
    if (first) {
      if (delta < min_offset_) return "time outside the chunk's day";
    } else if (delta == 0 && tag <= state_.tag) {
      return "fixes out of order";
    }
    state_.offset_ms += delta;
    state_.tag = tag;
    e.offset_ms = state_.offset_ms;
    e.tag = tag;
    e.visible = (head & kVisible) != 0;
    if ((head & kSiteFollows) != 0 && !in_.Varint(state_.site)) return "truncated entry";
    if (state_.site >= sites_) return "site index out of range";
    if ((head & kShapeFollows) != 0) {
      std::uint8_t presence = 0, extra = 0;
      if (!in_.U8(presence) || !in_.U8(extra)) return "truncated entry";
      std::uint8_t allowed = kRawLat | kRawLon;
      if ((presence & kOutlierFlag) != 0) allowed |= kOutlier;
      if ((presence & kValidFlag) != 0) allowed |= kValid;
      if ((presence & kHeight) != 0) allowed |= kRawHeight;
      if ((presence & kHdop) != 0) allowed |= kRawHdop;
      if ((presence & kGroundSpeed) != 0) allowed |= kRawSpeed;
      if ((presence & kHeading) != 0) allowed |= kRawHeading;
      if ((extra & ~allowed) != 0) return "flags for absent values";
      state_.presence = presence;
      state_.extra = extra;
    }
    if (!TakeScaled(kLat, e) || !TakeScaled(kLon, e)) return "truncated entry";
    const std::uint8_t presence = state_.presence;
    if constexpr (kPositionOnly) {
      if ((presence & kHeight) != 0 && !SkipScaled(kHeightValue)) return "truncated entry";
      if ((presence & kHdop) != 0 && !SkipScaled(kHdopValue)) return "truncated entry";
      if ((presence & kSatellites) != 0 && !in_.Skip(1)) return "truncated entry";
      if ((presence & kGroundSpeed) != 0 && !SkipScaled(kSpeedValue)) return "truncated entry";
      if ((presence & kHeading) != 0 && !SkipScaled(kHeadingValue)) return "truncated entry";
      if ((presence & kEventId) != 0 && !in_.SkipVarint()) return "truncated entry";
    } else {
      if ((presence & kHeight) != 0 && !TakeScaled(kHeightValue, e)) return "truncated entry";
      if ((presence & kHdop) != 0 && !TakeScaled(kHdopValue, e)) return "truncated entry";
      if ((presence & kSatellites) != 0 && !in_.U8(e.satellites)) return "truncated entry";
      if ((presence & kGroundSpeed) != 0 && !TakeScaled(kSpeedValue, e)) return "truncated entry";
      if ((presence & kHeading) != 0 && !TakeScaled(kHeadingValue, e)) return "truncated entry";
      if ((presence & kEventId) != 0) {
        std::uint64_t z = 0;
        if (!in_.Varint(z)) return "truncated entry";
        state_.event_id += UnZigZag(z);
        e.event_id = state_.event_id;
      }
    }
    return nullptr;
  }

 private:
  bool SkipScaled(int v) {
    return (state_.extra & kRawBit[v]) != 0 ? in_.Skip(sizeof(double)) : in_.SkipVarint();
  }

  bool TakeScaled(int v, Entry& e) {
    if ((state_.extra & kRawBit[v]) != 0) return in_.Double(e.value[v]);
    std::uint64_t z = 0;
    if (!in_.Varint(z)) return false;
    state_.scaled[v] += UnZigZag(z);
    e.value[v] = FromScaled(state_.scaled[v], kScale[v]);
    return true;
  }

  Reader& in_;
  ChunkEncoder::State& state_;
  std::uint64_t sites_;
  std::uint64_t min_offset_ = 0;
  std::uint64_t max_offset_ = kMsPerDay - 1;
};

// Checks the key and reads the header. Returns nullptr on success, else
// what is wrong.
const char* ReadHeader(std::string_view key, Reader& in, ChunkHeader& header) {
  if (key.size() != kChunkKeyBytes) return "key is not 12 bytes";
  std::string_view k = key;
  header.individual = *ConsumeUint32(k);
  header.day = *ConsumeInt64(k);
  if (header.day < kFirstDay || header.day > kLastDay) return "day out of range";
  std::uint8_t version = 0;
  if (!in.U8(version) || version != kChunkVersion) return "unknown layout version";
  std::uint64_t sites = 0;
  // Each entry takes at least two bytes, each site at least one.
  if (!in.Varint(header.count) || header.count > in.left() / 2) return "bad fix count";
  if (!in.Varint(sites) || sites > in.left()) return "bad site count";
  header.sites.reserve(sites);
  for (std::uint64_t i = 0; i < sites; ++i) {
    std::uint64_t length = 0;
    if (!in.Varint(length) || length > in.left()) return "truncated site dictionary";
    header.sites.emplace_back(in.pos(), length);
    in.Skip(length);
  }
  header.entries = std::string_view(in.pos(), in.left());
  return nullptr;
}

// Reads the header, calls `on_header(header)`, then `on_entry(header,
// state, entry)` for each entry until it returns false; `state` is the
// encoding state after that entry.
template <bool kPositionOnly, typename OnHeader, typename OnEntry>
absl::Status Walk(std::string_view key, std::string_view value, ChunkEncoder::State& state,
                  OnHeader on_header, OnEntry on_entry) {
  Reader in(value);
  ChunkHeader header;
  if (const char* error = ReadHeader(key, in, header)) return Corrupt(key, error);
  on_header(header);
  EntryDecoder decoder(in, header, state);
  Entry e;
  for (std::uint64_t i = 0; i < header.count; ++i) {
    if (const char* error = decoder.Next<kPositionOnly>(e, i == 0)) return Corrupt(key, error);
    if (!on_entry(header, state, e)) return absl::OkStatus();
  }
  if (in.left() != 0) return Corrupt(key, "trailing bytes");
  return absl::OkStatus();
}

}  // namespace

std::string ChunkKey(std::uint32_t individual, std::int64_t day) {
  std::string key;
  key.reserve(kChunkKeyBytes);
  AppendUint32(key, individual);
  AppendInt64(key, day);
  return key;
}

ChunkEncoder::ChunkEncoder(std::int64_t day) : day_start_(DayStart(day)) {}

absl::StatusOr<ChunkEncoder> ChunkEncoder::Resume(std::string_view key, std::string_view value) {
  std::optional<ChunkEncoder> encoder;
  State state;
  std::string_view entries;
  absl::Status status = Walk</*kPositionOnly=*/false>(
      key, value, state,
      [&](const ChunkHeader& header) {
        encoder.emplace(header.day);
        encoder->count_ = header.count;
        encoder->sites_.assign(header.sites.begin(), header.sites.end());
        entries = header.entries;
      },
      [](const ChunkHeader&, const State&, const Entry&) { return true; });
  if (!status.ok()) return status;
  encoder->entries_.assign(entries);
  encoder->state_ = state;
  return std::move(*encoder);
}

telemetry::TimestampMs ChunkEncoder::last_timestamp_ms() const {
  return static_cast<telemetry::TimestampMs>(day_start_ + state_.offset_ms);
}

void ChunkEncoder::Append(const StoredFix& f) {
  const std::uint64_t offset = static_cast<std::uint64_t>(f.timestamp_ms) - day_start_;
  assert(offset < kMsPerDay);
  assert(count_ == 0 || offset > state_.offset_ms ||
         (offset == state_.offset_ms && f.tag > state_.tag));

  char buf[kMaxEntryBytes];
  char* p = buf + 1;  // after the head
  std::uint8_t head = f.visible ? kVisible : 0;
  if (f.tag != state_.tag) {
    head |= kTagFollows;
    p = PutVarint(p, f.tag);
  }
  std::uint64_t delta = offset - state_.offset_ms;
  if (delta % 1000 == 0) {
    delta /= 1000;
  } else {
    head |= kMillis;
  }
  p = PutVarint(p, delta);
  state_.offset_ms = offset;
  state_.tag = f.tag;

  std::uint64_t site = state_.site;
  if (site >= sites_.size() || sites_[site] != f.site_id) {
    site = 0;
    while (site < sites_.size() && sites_[site] != f.site_id) ++site;
    if (site == sites_.size()) sites_.push_back(f.site_id);
  }
  if (site != state_.site) {
    head |= kSiteFollows;
    p = PutVarint(p, site);
    state_.site = site;
  }

  std::uint8_t presence = 0, extra = 0;
  double values[6] = {f.lat, f.lon, 0, 0, 0, 0};
  if (f.height_m) {
    presence |= kHeight;
    values[kHeightValue] = *f.height_m;
  }
  if (f.hdop) {
    presence |= kHdop;
    values[kHdopValue] = *f.hdop;
  }
  if (f.satellites) presence |= kSatellites;
  if (f.ground_speed_mps) {
    presence |= kGroundSpeed;
    values[kSpeedValue] = *f.ground_speed_mps;
  }
  if (f.heading_deg) {
    presence |= kHeading;
    values[kHeadingValue] = *f.heading_deg;
  }
  if (f.event_id) presence |= kEventId;
  if (f.manually_marked_outlier) {
    presence |= kOutlierFlag;
    if (*f.manually_marked_outlier) extra |= kOutlier;
  }
  if (f.manually_marked_valid) {
    presence |= kValidFlag;
    if (*f.manually_marked_valid) extra |= kValid;
  }
  constexpr std::uint8_t kValueBit[6] = {0, 0, kHeight, kHdop, kGroundSpeed, kHeading};
  bool present[6] = {true, true};
  std::int64_t counts[6] = {};
  for (int v = 0; v < 6; ++v) {
    if (v >= kHeightValue) present[v] = (presence & kValueBit[v]) != 0;
    if (present[v] && !ToScaled(values[v], kScale[v], counts[v])) extra |= kRawBit[v];
  }
  if (presence != state_.presence || extra != state_.extra) {
    head |= kShapeFollows;
    *p++ = static_cast<char>(presence);
    *p++ = static_cast<char>(extra);
    state_.presence = presence;
    state_.extra = extra;
  }

  auto put_value = [&](int v) {
    if ((extra & kRawBit[v]) != 0) {
      std::memcpy(p, &values[v], sizeof(double));
      p += sizeof(double);
      return;
    }
    const auto n = static_cast<std::uint64_t>(counts[v]);
    p = PutVarint(p, ZigZag(n - state_.scaled[v]));
    state_.scaled[v] = n;
  };
  put_value(kLat);
  put_value(kLon);
  if (present[kHeightValue]) put_value(kHeightValue);
  if (present[kHdopValue]) put_value(kHdopValue);
  if (f.satellites) *p++ = static_cast<char>(static_cast<std::uint8_t>(*f.satellites));
  if (present[kSpeedValue]) put_value(kSpeedValue);
  if (present[kHeadingValue]) put_value(kHeadingValue);
  if (f.event_id) {
    const auto id = static_cast<std::uint64_t>(*f.event_id);
    p = PutVarint(p, ZigZag(id - state_.event_id));
    state_.event_id = id;
  }
  buf[0] = static_cast<char>(head);
  entries_.append(buf, static_cast<std::size_t>(p - buf));
  ++count_;
}

void ChunkEncoder::AppendValueTo(std::string& value) const {
  std::size_t sites_bytes = 0;
  for (const std::string& s : sites_) sites_bytes += 2 + s.size();
  value.reserve(value.size() + 1 + 10 + 10 + sites_bytes + entries_.size());
  value.push_back(static_cast<char>(kChunkVersion));
  AppendVarint(value, count_);
  AppendVarint(value, sites_.size());
  for (const std::string& s : sites_) {
    AppendVarint(value, s.size());
    value.append(s);
  }
  value.append(entries_);
}

void AppendChunkValue(std::string& value, const std::vector<StoredFix>& fixes) {
  ChunkEncoder encoder(fixes.empty() ? 0 : telemetry::DayIndex(fixes.front().timestamp_ms));
  for (const StoredFix& f : fixes) encoder.Append(f);
  encoder.AppendValueTo(value);
}

absl::StatusOr<std::vector<StoredFix>> DecodeChunk(std::string_view key, std::string_view value) {
  std::vector<StoredFix> fixes;
  std::uint64_t day_start = 0;
  ChunkEncoder::State walk_state;
  absl::Status status = Walk</*kPositionOnly=*/false>(
      key, value, walk_state,
      [&](const ChunkHeader& header) {
        fixes.reserve(header.count);
        day_start = DayStart(header.day);
      },
      [&](const ChunkHeader& header, const ChunkEncoder::State& state, const Entry& e) {
        StoredFix& f = fixes.emplace_back();
        f.individual = header.individual;
        f.tag = e.tag;
        f.timestamp_ms = static_cast<telemetry::TimestampMs>(day_start + e.offset_ms);
        f.lat = e.value[kLat];
        f.lon = e.value[kLon];
        const std::uint8_t presence = state.presence;
        if ((presence & kHeight) != 0) f.height_m = e.value[kHeightValue];
        if ((presence & kHdop) != 0) f.hdop = e.value[kHdopValue];
        if ((presence & kSatellites) != 0) f.satellites = e.satellites;
        if ((presence & kGroundSpeed) != 0) f.ground_speed_mps = e.value[kSpeedValue];
        if ((presence & kHeading) != 0) f.heading_deg = e.value[kHeadingValue];
        if ((presence & kEventId) != 0) f.event_id = static_cast<std::int64_t>(e.event_id);
        f.visible = e.visible;
        if ((presence & kOutlierFlag) != 0) {
          f.manually_marked_outlier = (state.extra & kOutlier) != 0;
        }
        if ((presence & kValidFlag) != 0) f.manually_marked_valid = (state.extra & kValid) != 0;
        f.site_id.assign(header.sites[state.site]);
        return true;
      });
  if (!status.ok()) return status;
  return fixes;
}

absl::Status ForEachFixPosition(std::string_view key, std::string_view value,
                                const std::function<bool(const FixPosition&)>& visit) {
  std::uint64_t day_start = 0;
  ChunkEncoder::State walk_state;
  return Walk</*kPositionOnly=*/true>(
      key, value, walk_state, [&](const ChunkHeader& header) { day_start = DayStart(header.day); },
      [&](const ChunkHeader& header, const ChunkEncoder::State& state, const Entry& e) {
        FixPosition fix;
        fix.timestamp_ms = static_cast<telemetry::TimestampMs>(day_start + e.offset_ms);
        fix.tag = e.tag;
        fix.lat = e.value[kLat];
        fix.lon = e.value[kLon];
        fix.visible = e.visible;
        fix.manually_marked_outlier = (state.extra & kOutlier) != 0;
        fix.manually_marked_valid = (state.extra & kValid) != 0;
        fix.site_id = header.sites[state.site];
        return visit(fix);
      });
}

}  // namespace wetlink::store
