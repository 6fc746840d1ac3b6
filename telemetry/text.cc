#include "telemetry/text.h"

#include <algorithm>

namespace wetlink::telemetry {
namespace {

// Long values are cut in messages so one bad cell cannot flood a report.
constexpr std::size_t kMaxQuotedBytes = 64;

// Bytes of the well-formed UTF-8 sequence at text[pos] (1-4), with its code
// point in `code_point`; 0 if the bytes there are not one (RFC 3629 table).
std::size_t Utf8SequenceAt(std::string_view text, std::size_t pos, char32_t& code_point) {
  const auto byte = [&text](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  std::size_t length = 0;
  unsigned char second_lo = 0x80;
  unsigned char second_hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0Fu;
    if (lead == 0xE0) second_lo = 0xA0;  // overlong
    if (lead == 0xED) second_hi = 0x9F;  // UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07u;
    if (lead == 0xF0) second_lo = 0x90;  // overlong
    if (lead == 0xF4) second_hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (pos + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char lo = i == 1 ? second_lo : 0x80;
    const unsigned char hi = i == 1 ? second_hi : 0xBF;
    if (byte(pos + i) < lo || byte(pos + i) > hi) return 0;
    code_point = (code_point << 6) | (byte(pos + i) & 0x3Fu);
  }
  return length;
}

// C0 controls, DEL and C1 controls (Unicode general category Cc).
bool IsControl(char32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F);
}

}  // namespace

std::optional<std::size_t> FirstUnprintableByte(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    char32_t code_point = 0;
    const std::size_t length = Utf8SequenceAt(text, pos, code_point);
    if (length == 0 || IsControl(code_point)) return pos;
    pos += length;
  }
  return std::nullopt;
}

bool IsPrintableUtf8(std::string_view text) { return !FirstUnprintableByte(text).has_value(); }

std::string QuoteForMessage(std::string_view text) {
  constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "'";
  std::size_t pos = 0;
  while (pos < text.size() && pos < kMaxQuotedBytes) {
    char32_t code_point = 0;
    std::size_t length = Utf8SequenceAt(text, pos, code_point);
    if (length != 0 && !IsControl(code_point)) {
      out.append(text.substr(pos, length));
    } else {
      // An invalid byte alone, or every byte of a control character.
      length = std::max<std::size_t>(length, 1);
      for (std::size_t i = pos; i < pos + length; ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        out += "\\x";
        out += kHex[byte >> 4];
        out += kHex[byte & 0x0F];
      }
    }
    pos += length;
  }
  if (pos < text.size()) out += "...";
  out += "'";
  return out;
}

}  // namespace wetlink::telemetry
