#ifndef WETLINK_HTTP_CAT_H_
#define WETLINK_HTTP_CAT_H_

// Internal to http/: Cat() joins strings, string views and numbers. (Debian's
// Abseil has its own string_view type, so absl::StrCat takes no
// std::string_view.)

#include <concepts>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"

namespace wetlink::http::internal {

inline void AppendTo(std::string& out, std::string_view text) { out.append(text); }
template <std::same_as<absl::string_view> T>
void AppendTo(std::string& out, T text) {
  out.append(text.data(), text.size());
}
inline void AppendTo(std::string& out, char c) { out.push_back(c); }
template <std::integral T>
requires(!std::same_as<T, char>) void AppendTo(std::string& out, T number) {
  out.append(std::to_string(number));
}

template <typename... Parts>
std::string Cat(const Parts&... parts) {
  std::string out;
  (AppendTo(out, parts), ...);
  return out;
}

}  // namespace wetlink::http::internal

#endif  // WETLINK_HTTP_CAT_H_
