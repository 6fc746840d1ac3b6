#include "store/key_codec.h"

namespace wetlink::store {
namespace {

template <typename T>
void AppendBigEndian(std::string& key, T value) {
  for (int shift = static_cast<int>(sizeof(T) * 8) - 8; shift >= 0; shift -= 8) {
    key.push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

template <typename T>
std::optional<T> ConsumeBigEndian(std::string_view& in) {
  if (in.size() < sizeof(T)) return std::nullopt;
  T value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    value = static_cast<T>((value << 8) | static_cast<unsigned char>(in[i]));
  }
  in.remove_prefix(sizeof(T));
  return value;
}

constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;

}  // namespace

void AppendUint32(std::string& key, std::uint32_t value) { AppendBigEndian(key, value); }
void AppendUint64(std::string& key, std::uint64_t value) { AppendBigEndian(key, value); }
void AppendInt64(std::string& key, std::int64_t value) {
  AppendBigEndian(key, static_cast<std::uint64_t>(value) ^ kSignBit);
}

std::optional<std::uint32_t> ConsumeUint32(std::string_view& in) {
  return ConsumeBigEndian<std::uint32_t>(in);
}
std::optional<std::uint64_t> ConsumeUint64(std::string_view& in) {
  return ConsumeBigEndian<std::uint64_t>(in);
}
std::optional<std::int64_t> ConsumeInt64(std::string_view& in) {
  auto raw = ConsumeBigEndian<std::uint64_t>(in);
  if (!raw) return std::nullopt;
  return static_cast<std::int64_t>(*raw ^ kSignBit);
}

void AppendTerminatedString(std::string& key, std::string_view text) {
  key.append(text);
  key.push_back('\0');
}

std::optional<std::string_view> ConsumeTerminatedString(std::string_view& in) {
  const auto end = in.find('\0');
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view text = in.substr(0, end);
  in.remove_prefix(end + 1);
  return text;
}

}  // namespace wetlink::store
