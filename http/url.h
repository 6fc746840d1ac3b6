#ifndef WETLINK_HTTP_URL_H_
#define WETLINK_HTTP_URL_H_

// The parts of a request-target: percent-decoding, the query string, the
// path's segments. Malformed input is an InvalidArgument status whose message
// says what is wrong (the server answers it with 400 Bad Request).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "http/http_message.h"

namespace wetlink::http {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Splits `text` at every `separator`: "a//b" -> {"a", "", "b"}, "" -> {""}.
std::vector<std::string_view> Split(std::string_view text, char separator);

// Decodes %XX escapes (either case of hex digits); with `plus_as_space`, also
// '+' as ' ' (query strings). InvalidArgument for a '%' not followed by two
// hex digits and for an escape that decodes to NUL ("%00").
absl::StatusOr<std::string> PercentDecode(std::string_view text, bool plus_as_space = false);

// Parses "a=1&b=x+y&c" into {{"a","1"},{"b","x y"},{"c",""}}, in order,
// keys and values decoded with '+' as space. Empty pieces ("a=1&&b=2") are
// skipped. `query` excludes the '?'.
absl::StatusOr<QueryParams> ParseQuery(std::string_view query);

// The path part of a request-target, still encoded: "/a/b?x=1" -> "/a/b".
// For the absolute form ("http://host/a?x") the scheme and authority are
// dropped; "http://host" gives "/".
std::string_view RawPath(std::string_view target);

// Splits an encoded path into its decoded segments: "/" -> {},
// "/a/b%2Fc" -> {"a", "b/c"}, "/a/" -> {"a", ""}. Decoding each segment after
// splitting keeps an encoded '/' inside its segment. InvalidArgument if the
// path does not start with '/' or a segment does not decode.
absl::StatusOr<std::vector<std::string>> SplitPath(std::string_view raw_path);

// Sets request.target to `target` and fills request.path (decoded) and
// request.query from it. InvalidArgument for a target that is neither a path
// ("/...") nor an absolute http(s) URL, or that does not decode.
absl::Status ParseTarget(std::string_view target, HttpRequest& request);

}  // namespace wetlink::http

#endif  // WETLINK_HTTP_URL_H_
