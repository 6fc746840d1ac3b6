#ifndef WETLINK_STORE_KEY_CODEC_H_
#define WETLINK_STORE_KEY_CODEC_H_

// Order-preserving key encodings: bytewise comparison of encoded keys (what
// RocksDB's default comparator does) gives the natural order of the values.
// Layouts are documented in docs/STORAGE.md.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wetlink::store {

// Big-endian unsigned integers.
void AppendUint32(std::string& key, std::uint32_t value);
void AppendUint64(std::string& key, std::uint64_t value);
// Signed 64-bit with the sign bit flipped, so negative values sort first
// (e.g. timestamps in ms before 1970).
void AppendInt64(std::string& key, std::int64_t value);

// Decoders read from the front of `in` and advance it; nullopt when `in` is
// too short.
std::optional<std::uint32_t> ConsumeUint32(std::string_view& in);
std::optional<std::uint64_t> ConsumeUint64(std::string_view& in);
std::optional<std::int64_t> ConsumeInt64(std::string_view& in);

// A text component followed by a 0x00 terminator, so "ab" < "ab\0..." <
// "abc" and composite keys starting with it sort by the text first.
// Text must not contain NUL (site and species ids never do).
void AppendTerminatedString(std::string& key, std::string_view text);
std::optional<std::string_view> ConsumeTerminatedString(std::string_view& in);

}  // namespace wetlink::store

#endif  // WETLINK_STORE_KEY_CODEC_H_
