#ifndef WETLINK_REPORTS_RENDER_CAT_H_
#define WETLINK_REPORTS_RENDER_CAT_H_

// Internal to the report renderers: string concatenation over
// std::string_view. (Debian's Abseil is built with its own string_view
// type, so absl::StrCat does not take std::string_view, which the
// renderers pass everywhere.) Integers are written with std::to_chars;
// there is deliberately no overload for floating point: those go through
// FormatFixed (render_text.h) with an explicit number of decimals.

#include <array>
#include <charconv>
#include <concepts>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace wetlink::reports::internal {

namespace cat_internal {

inline void Piece(std::string& out, std::string_view text) { out.append(text); }
inline void Piece(std::string& out, const char* text) { out.append(text); }

template <typename T>
requires std::integral<T> &&
    (!std::same_as<T, char>)&&(!std::same_as<T, bool>)void Piece(std::string& out, T value) {
  std::array<char, 24> buf;
  const auto result = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  out.append(buf.data(), result.ptr);
}

}  // namespace cat_internal

template <typename... Args>
void Append(std::string* out, const Args&... args) {
  (cat_internal::Piece(*out, args), ...);
}

template <typename... Args>
std::string Cat(const Args&... args) {
  std::string out;
  Append(&out, args...);
  return out;
}

// `parts` with `separator` between them.
template <typename Range>
std::string Join(const Range& parts, std::string_view separator) {
  std::string out;
  bool first = true;
  for (const auto& part : parts) {
    if (!first) out.append(separator);
    first = false;
    out.append(std::string_view(part));
  }
  return out;
}

// `text` with every `from` replaced by `to`.
inline std::string ReplaceAll(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  std::size_t at = 0;
  while (!from.empty()) {
    const std::size_t found = text.find(from, at);
    if (found == std::string_view::npos) break;
    out.append(text.substr(at, found - at));
    out.append(to);
    at = found + from.size();
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace wetlink::reports::internal

#endif  // WETLINK_REPORTS_RENDER_CAT_H_
