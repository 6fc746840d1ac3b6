#include "server/http_access.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"

namespace wetlink::server {
namespace {

// `value` without a leading `scheme` and spaces, if it starts with it
// (case-insensitively).
std::optional<std::string_view> AfterScheme(std::string_view value, std::string_view scheme) {
  if (value.size() <= scheme.size() || value[scheme.size()] != ' ') return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (absl::ascii_tolower(static_cast<unsigned char>(value[i])) != scheme[i]) {
      return std::nullopt;
    }
  }
  value.remove_prefix(scheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  return value;
}

}  // namespace

std::string TokenOfAuthorization(std::string_view authorization) {
  if (auto bearer = AfterScheme(authorization, "bearer")) return std::string(*bearer);
  if (auto basic = AfterScheme(authorization, "basic")) {
    std::string decoded;
    // Debian's Abseil has its own string_view type.
    if (!absl::Base64Unescape(absl::string_view(basic->data(), basic->size()), &decoded)) return "";
    const std::size_t colon = decoded.find(':');
    return colon == std::string::npos ? "" : decoded.substr(colon + 1);
  }
  return "";
}

http::RouteHandler RequireAccess(HttpAdmit admit, access::Action action, std::string page,
                                 http::RouteHandler handler) {
  return [admit = std::move(admit), action, page = std::move(page),
          handler = std::move(handler)](const http::HttpRequest& request,
                                        const http::RouteParams& params) {
    const std::string token = TokenOfAuthorization(request.Header("authorization").value_or(""));
    absl::StatusOr<access::Principal> who = admit(token, action, page);
    if (who.ok()) return handler(request, params);
    if (who.status().code() == absl::StatusCode::kUnauthenticated) {
      http::HttpResponse response = http::HttpResponse::Text(
          401, std::string(who.status().message()) +
                   " (send 'Authorization: Bearer <token>', or give the token as the password)");
      response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"wetlinkd\", charset=\"UTF-8\"");
      return response;
    }
    return http::HttpResponse::Text(403, std::string(who.status().message()));
  };
}

}  // namespace wetlink::server
