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
// Value: u8 layout version (1), then per fix: its 16-byte identity key
// (fix_codec.h FixKey), u16 little-endian value length, the fix value
// (fix_codec.h AppendFixValue).

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
// and belong to one individual and day.
void AppendChunkValue(std::string& value, const std::vector<StoredFix>& fixes);

// DataLoss naming the key when the chunk does not decode.
absl::StatusOr<std::vector<StoredFix>> DecodeChunk(std::string_view key, std::string_view value);

// Calls `visit` with each fix of a chunk, in order, decoding only its
// position (fix_codec.h DecodeFixPosition), until it returns false.
// DataLoss naming the key when the chunk does not decode.
absl::Status ForEachFixPosition(std::string_view key, std::string_view value,
                                const std::function<bool(const FixPosition&)>& visit);

}  // namespace wetlink::store

#endif  // WETLINK_STORE_FIX_CHUNK_H_
