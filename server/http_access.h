#ifndef WETLINK_SERVER_HTTP_ACCESS_H_
#define WETLINK_SERVER_HTTP_ACCESS_H_

// Access control of wetlinkd's HTTP pages, with the same tokens as gRPC:
// "Authorization: Bearer <token>" for programs, or HTTP Basic with the token
// as the password (any user name) so that a browser asks for it.

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "access/permissions.h"
#include "access/principal.h"
#include "http/router.h"

namespace wetlink::server {

// Authenticates `token` ("" if none) and checks it may perform `action`;
// `page` names the page in the audit log (services::AccessGuard::Admit).
using HttpAdmit = std::function<absl::StatusOr<access::Principal>(
    std::string_view token, access::Action action, std::string_view page)>;

// The token of an Authorization header value: "Bearer <token>", or "Basic
// base64(user:token)"; "" for anything else.
std::string TokenOfAuthorization(std::string_view authorization);

// `handler`, run only for callers `admit` lets perform `action`: else 401
// with a Basic challenge (no or invalid token) or 403 (a role that may not).
http::RouteHandler RequireAccess(HttpAdmit admit, access::Action action, std::string page,
                                 http::RouteHandler handler);

}  // namespace wetlink::server

#endif  // WETLINK_SERVER_HTTP_ACCESS_H_
