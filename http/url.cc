#include "http/url.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "http/cat.h"

namespace wetlink::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `text` for an error message: at most 120 characters.
std::string Shown(std::string_view text) {
  constexpr size_t kMax = 120;
  if (text.size() <= kMax) return std::string(text);
  return std::string(text.substr(0, kMax)) + "...";
}

// The request-target with the scheme and authority of the absolute form
// removed; empty if it has neither form.
std::string_view OriginForm(std::string_view target) {
  if (target.starts_with('/')) return target;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.size() >= scheme.size() &&
        std::equal(scheme.begin(), scheme.end(), target.begin(),
                   [](char a, char b) { return a == absl::ascii_tolower(b); })) {
      std::string_view rest = target.substr(scheme.size());
      const size_t end_of_authority = rest.find_first_of("/?");
      if (end_of_authority == std::string_view::npos) return "/";
      rest.remove_prefix(end_of_authority);
      // "http://host?x" has an empty path, which means "/".
      return rest.front() == '?' ? std::string_view("/") : rest;
    }
  }
  return {};
}

}  // namespace

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  while (true) {
    const size_t at = text.find(separator);
    pieces.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return pieces;
    text.remove_prefix(at + 1);
  }
}

absl::StatusOr<std::string> PercentDecode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const int high = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return absl::InvalidArgumentError(
            internal::Cat("malformed percent-escape '", std::string(text.substr(i, 3)), "' in '",
                          Shown(text), "': '%' must be followed by two hex digits"));
      }
      const int value = high * 16 + low;
      if (value == 0) {
        return absl::InvalidArgumentError(
            internal::Cat("'%00' (NUL) is not allowed in '", Shown(text), "'"));
      }
      out += static_cast<char>(value);
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out += ' ';
    } else if (c == '\0') {
      return absl::InvalidArgumentError("NUL is not allowed in a URL");
    } else {
      out += c;
    }
  }
  return out;
}

absl::StatusOr<QueryParams> ParseQuery(std::string_view query) {
  QueryParams params;
  for (std::string_view piece : Split(query, '&')) {
    if (piece.empty()) continue;
    const size_t eq = piece.find('=');
    const std::string_view raw_key = piece.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
    absl::StatusOr<std::string> key = PercentDecode(raw_key, /*plus_as_space=*/true);
    if (!key.ok()) return key.status();
    absl::StatusOr<std::string> value = PercentDecode(raw_value, /*plus_as_space=*/true);
    if (!value.ok()) return value.status();
    params.emplace_back(*std::move(key), *std::move(value));
  }
  return params;
}

std::string_view RawPath(std::string_view target) {
  std::string_view path = OriginForm(target);
  return path.substr(0, path.find('?'));
}

absl::StatusOr<std::vector<std::string>> SplitPath(std::string_view raw_path) {
  if (!raw_path.starts_with('/')) {
    return absl::InvalidArgumentError(
        internal::Cat("path '", Shown(raw_path), "' must start with '/'"));
  }
  std::vector<std::string> segments;
  if (raw_path == "/") return segments;
  for (std::string_view raw : Split(raw_path.substr(1), '/')) {
    absl::StatusOr<std::string> segment = PercentDecode(raw);
    if (!segment.ok()) return segment.status();
    segments.push_back(*std::move(segment));
  }
  return segments;
}

absl::Status ParseTarget(std::string_view target, HttpRequest& request) {
  const std::string_view origin = OriginForm(target);
  if (origin.empty()) {
    return absl::InvalidArgumentError(
        internal::Cat("request target '", Shown(target), "' is not a path starting with '/'"));
  }
  const size_t question = origin.find('?');
  absl::StatusOr<std::string> path = PercentDecode(origin.substr(0, question));
  if (!path.ok()) return path.status();
  QueryParams query;
  if (question != std::string_view::npos) {
    absl::StatusOr<QueryParams> parsed = ParseQuery(origin.substr(question + 1));
    if (!parsed.ok()) return parsed.status();
    query = *std::move(parsed);
  }
  request.target = std::string(target);
  request.path = *std::move(path);
  request.query = std::move(query);
  return absl::OkStatus();
}

}  // namespace wetlink::http
