#ifndef WETLINK_STORE_FIX_CHUNK_H_
#define WETLINK_STORE_FIX_CHUNK_H_

// The `fixes` column family stores one record per individual and UTC day: a
// day chunk holding that day's fixes in (time, tag) order. A commit reads the
// chunks it touches (mostly today's, hot in the memtable or block cache),
// merges and writes them back, so RocksDB handles one record per bird-day
// instead of one per fix: ingest cost no longer grows with RocksDB's per-key
// overhead, and a track read is one range scan over consecutive days.
//
// Key (12 bytes): individual number (u32 BE), day index (int64, sign
// flipped, BE; days since 1970-01-01 UTC, negative before).
//
// Value, layout version 2 (docs/STORAGE.md has the table): a header (u8
// layout version 2, varint fix count, the chunk's site dictionary: varint
// site count, then each distinct site id once as varint length and bytes),
// then one self-delimiting entry per fix. The key supplies the individual
// and the day; each entry codes its time as a delta from the previous fix
// (the first from the day's start), repeats nothing that did not change
// (tag, site index, which optional values are present), and codes the
// position and measurements as zigzag varint deltas of integer counts
// (1e-7 degree, 1e-2 unit) whenever the double is exactly such a count
// divided by its scale, else as the raw IEEE 754 double. Lossless: a fix
// decodes to the very bits it was committed with.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "store/fix_codec.h"

namespace wetlink::store {

inline constexpr std::size_t kChunkKeyBytes = 12;

std::string ChunkKey(std::uint32_t individual, std::int64_t day);

// Appends the chunk value of `fixes`, which must be sorted by (time, tag)
// without repeats and belong to one individual and day.
void AppendChunkValue(std::string& value, const std::vector<StoredFix>& fixes);

// DataLoss naming the key when the chunk does not decode.
absl::StatusOr<std::vector<StoredFix>> DecodeChunk(std::string_view key, std::string_view value);

// Calls `visit` with each fix of a chunk, in order, decoding only its time,
// tag, position, flags and site (FixPosition::site_id points into `value`),
// until it returns false. DataLoss naming the key when the chunk does not
// decode.
absl::Status ForEachFixPosition(std::string_view key, std::string_view value,
                                const std::function<bool(const FixPosition&)>& visit);

// Builds a chunk value fix by fix. Resume() continues a stored value, so
// fixes that sort after its last one are appended without decoding the
// stored fixes into StoredFix records and encoding them again.
class ChunkEncoder {
 public:
  // An empty chunk of the UTC day `day`.
  explicit ChunkEncoder(std::int64_t day);

  // Continues the stored chunk `value` of `key`, checking it all the way.
  // DataLoss naming the key when it does not decode.
  static absl::StatusOr<ChunkEncoder> Resume(std::string_view key, std::string_view value);

  // Fixes in the chunk so far.
  std::uint64_t size() const { return count_; }
  // Time and tag of the last fix; meaningful only when size() > 0.
  telemetry::TimestampMs last_timestamp_ms() const;
  std::uint32_t last_tag() const { return state_.tag; }

  // Appends `fix`, which must fall on the chunk's day and sort after the
  // last fix by (time, tag). Its individual is not stored (the key has it).
  void Append(const StoredFix& fix);

  // Appends the value of the chunk as it is now.
  void AppendValueTo(std::string& value) const;

  // The encoding state after the last entry: what the next entry is coded
  // against. The decoder keeps the same.
  struct State {
    std::uint64_t offset_ms = 0;  // the last fix's time since the day's start
    std::uint32_t tag = 0;
    std::uint64_t site = 0;  // index into the site dictionary
    std::uint8_t presence = 0;
    std::uint8_t extra = 0;
    // Last integer count of each scaled value (lat, lon, height, hdop,
    // ground speed, heading), two's complement.
    std::uint64_t scaled[6] = {};
    std::uint64_t event_id = 0;
  };

 private:
  std::uint64_t day_start_ = 0;  // the day's first millisecond, two's complement
  std::uint64_t count_ = 0;
  std::vector<std::string> sites_;
  std::string entries_;
  State state_;
};

}  // namespace wetlink::store

#endif  // WETLINK_STORE_FIX_CHUNK_H_
