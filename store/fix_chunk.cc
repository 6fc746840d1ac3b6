#include "store/fix_chunk.h"

#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "store/key_codec.h"

namespace wetlink::store {
namespace {

constexpr std::uint8_t kChunkVersion = 1;

}  // namespace

std::string ChunkKey(std::uint32_t individual, std::int64_t day) {
  std::string key;
  key.reserve(kChunkKeyBytes);
  AppendUint32(key, individual);
  AppendInt64(key, day);
  return key;
}

void AppendChunkValue(std::string& value, const std::vector<StoredFix>& fixes) {
  value.push_back(static_cast<char>(kChunkVersion));
  std::string fix_value;
  for (const StoredFix& f : fixes) {
    AppendFixKey(value, f.individual, f.timestamp_ms, f.tag);
    fix_value.clear();
    AppendFixValue(fix_value, f);
    const auto length = static_cast<std::uint16_t>(fix_value.size());
    char bytes[2];
    std::memcpy(bytes, &length, sizeof length);  // little-endian, as fix values
    value.append(bytes, sizeof bytes);
    value.append(fix_value);
  }
}

namespace {

// Walks a chunk's entries: (16-byte fix key, value) pairs, in order.
template <typename Entry>
absl::Status ForEachEntry(std::string_view key, std::string_view value, Entry entry) {
  auto corrupt = [&](std::string_view what) {
    return absl::DataLossError(absl::StrCat("stored fix chunk '",
                                            absl::BytesToHexString(std::string(key)),
                                            "' is corrupt: ", std::string(what)));
  };
  if (key.size() != kChunkKeyBytes) return corrupt("key is not 12 bytes");
  if (value.empty() || static_cast<std::uint8_t>(value.front()) != kChunkVersion) {
    return corrupt("unknown layout version");
  }
  value.remove_prefix(1);
  while (!value.empty()) {
    if (value.size() < kFixKeyBytes + 2) return corrupt("truncated entry");
    const std::string_view fix_key = value.substr(0, kFixKeyBytes);
    std::uint16_t length = 0;
    std::memcpy(&length, value.data() + kFixKeyBytes, sizeof length);
    value.remove_prefix(kFixKeyBytes + 2);
    if (value.size() < length) return corrupt("truncated entry");
    absl::StatusOr<bool> more = entry(fix_key, value.substr(0, length));
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
    value.remove_prefix(length);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<StoredFix>> DecodeChunk(std::string_view key, std::string_view value) {
  std::vector<StoredFix> fixes;
  absl::Status status = ForEachEntry(
      key, value, [&](std::string_view fix_key, std::string_view fix_value) -> absl::StatusOr<bool> {
        auto fix = DecodeFix(fix_key, fix_value);
        if (!fix.ok()) return fix.status();
        fixes.push_back(std::move(*fix));
        return true;
      });
  if (!status.ok()) return status;
  return fixes;
}

absl::Status ForEachFixPosition(std::string_view key, std::string_view value,
                                const std::function<bool(const FixPosition&)>& visit) {
  return ForEachEntry(
      key, value, [&](std::string_view fix_key, std::string_view fix_value) -> absl::StatusOr<bool> {
        auto fix = DecodeFixPosition(fix_key, fix_value);
        if (!fix.ok()) return fix.status();
        return visit(*fix);
      });
}

}  // namespace wetlink::store
