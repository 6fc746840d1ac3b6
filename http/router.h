#ifndef WETLINK_HTTP_ROUTER_H_
#define WETLINK_HTTP_ROUTER_H_

// Maps GET request paths to handlers. Patterns are paths whose segments are
// literals or "{name}" parameters:
//
//   http::Router router;
//   router.Get("/reports/sites/{id}", [](const HttpRequest& request, const RouteParams& params) {
//     return HttpResponse::Text(200, "site " + params.at("id"));
//   });
//
// The server is read-only, so routes answer GET and HEAD (the GET handler;
// the server sends no body to HEAD). Every other method on a known path gets
// 405 with "Allow: GET, HEAD"; a path no route matches gets 404 naming it.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "http/http_message.h"

namespace wetlink::http {

// Parameter name -> the path segment it matched, percent-decoded.
using RouteParams = std::map<std::string, std::string, std::less<>>;
using RouteHandler = std::function<HttpResponse(const HttpRequest&, const RouteParams&)>;

class Router {
 public:
  // Adds a GET (and HEAD) route. A parameter matches one whole non-empty
  // segment, which may hold an encoded '/' ("%2F"). Where several routes
  // match, literal segments win over parameters, leftmost first
  // ("/a/new" beats "/a/{id}"). Patterns are constants in the code, so a
  // malformed one (see CheckPattern) or one that clashes with an earlier
  // route is a programming error: it aborts with a message.
  Router& Get(std::string_view pattern, RouteHandler handler);

  // OK if `pattern` is "/" or "/seg/..." with non-empty segments that are
  // literals (no '{', '}') or "{name}" (letters, digits, '_'; not starting
  // with a digit), no name twice.
  static absl::Status CheckPattern(std::string_view pattern);

  // Answers `request` by the path of request.target (http/url.h ParseTarget
  // fills the fields): 400 if the path does not decode, 404 if no route
  // matches, 405 for methods other than GET and HEAD, otherwise what the
  // route's handler returns. Exceptions from the handler propagate.
  HttpResponse Handle(const HttpRequest& request) const;

  // The patterns in the order they were added (e.g. for an index page).
  std::vector<std::string> Patterns() const;

 private:
  struct Segment {
    bool is_param = false;
    std::string text;  // the literal, or the parameter's name
  };
  struct Route {
    std::string pattern;
    std::vector<Segment> segments;
    RouteHandler handler;
  };

  // The best route matching `segments`, its parameters in `params`; null if none.
  const Route* Match(const std::vector<std::string>& segments, RouteParams& params) const;

  std::vector<Route> routes_;
};

}  // namespace wetlink::http

#endif  // WETLINK_HTTP_ROUTER_H_
