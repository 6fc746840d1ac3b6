#ifndef WETLINK_HTTP_HTTP_MESSAGE_H_
#define WETLINK_HTTP_HTTP_MESSAGE_H_

// The request and response a handler sees: plain values, independent of the
// transport (http/http_server.h) and of what is served.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wetlink::http {

struct HttpRequest {
  // As sent, upper case: "GET", "HEAD", ...
  std::string method;
  // The request-target as sent, e.g. "/reports/sites/rason?lang=ru".
  std::string target;
  // The path of `target`, percent-decoded ("+" stays "+").
  std::string path;
  // The query parameters in order, percent-decoded, "+" read as a space.
  // A key may appear more than once; "?a" gives {"a", ""}.
  std::vector<std::pair<std::string, std::string>> query;
  // Header fields by lower-case name; repeated fields are joined by ", ".
  std::map<std::string, std::string, std::less<>> headers;
  // The body, if the server allows one (HttpServerOptions::max_body_bytes).
  std::string body;

  // The first value of query parameter `key`, if present.
  std::optional<std::string> QueryValue(std::string_view key) const;
  // The value of header `lower_case_name`, if present.
  std::optional<std::string> Header(std::string_view lower_case_name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // Further header fields (name, value). The server adds Content-Length,
  // Content-Type, Cache-Control: no-store, X-Content-Type-Options: nosniff,
  // Date and Connection itself.
  std::vector<std::pair<std::string, std::string>> headers;

  // text/plain; charset=utf-8 with `message` as the body (a newline is added
  // if missing, so it reads well in a terminal). For errors: say what is wrong.
  static HttpResponse Text(int status, std::string_view message);
  // text/html; charset=utf-8.
  static HttpResponse Html(int status, std::string html);
};

// `text` with &, <, >, " and ' replaced by character references, for HTML.
std::string HtmlEscape(std::string_view text);

}  // namespace wetlink::http

#endif  // WETLINK_HTTP_HTTP_MESSAGE_H_
