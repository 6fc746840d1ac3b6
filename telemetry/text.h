#ifndef WETLINK_TELEMETRY_TEXT_H_
#define WETLINK_TELEMETRY_TEXT_H_

// Text from tagging teams and surveyors (ids, names, notes) ends up in
// protobuf string fields and JSON, which hold only valid UTF-8, and in
// messages people read. These say whether a text is printable UTF-8 and
// quote any text safely in a message.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wetlink::telemetry {

// Offset of the first byte of `text` that is invalid UTF-8 (an overlong
// form, a surrogate, a code point above U+10FFFF, a cut sequence) or starts a
// control character (C0, DEL, C1; line breaks and tabs included); nullopt
// when there is none.
std::optional<std::size_t> FirstUnprintableByte(std::string_view text);

// True when `text` is valid UTF-8 (no overlong forms, surrogates or code
// points above U+10FFFF) without control characters. "" is valid.
bool IsPrintableUtf8(std::string_view text);

// `text` in single quotes for a problem message: cut after 64 bytes (at a
// character boundary, then "..."), with every byte that is invalid UTF-8 or
// part of a control character written as \xNN. The result is always valid
// UTF-8, so messages can travel in protobuf strings and JSON.
std::string QuoteForMessage(std::string_view text);

}  // namespace wetlink::telemetry

#endif  // WETLINK_TELEMETRY_TEXT_H_
