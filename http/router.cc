#include "http/router.h"

#include <cstdio>
#include <cstdlib>
#include <set>
#include <utility>

#include "http/cat.h"
#include "http/url.h"

namespace wetlink::http {
namespace {

bool IsParam(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

bool IsParamName(std::string_view name) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::vector<std::string_view> PatternSegments(std::string_view pattern) {
  if (pattern == "/") return {};
  return Split(pattern.substr(1), '/');
}

// Router::Get's answer to a programming error (see router.h).
[[noreturn]] void Abort(const absl::Status& status) {
  std::fprintf(stderr, "http::Router: %s\n", std::string(status.message()).c_str());
  std::abort();
}

}  // namespace

absl::Status Router::CheckPattern(std::string_view pattern) {
  if (!pattern.starts_with('/')) {
    return absl::InvalidArgumentError(
        internal::Cat("route pattern '", pattern, "' must start with '/'"));
  }
  std::set<std::string_view> names;
  for (std::string_view segment : PatternSegments(pattern)) {
    if (segment.empty()) {
      return absl::InvalidArgumentError(
          internal::Cat("route pattern '", pattern, "' has an empty segment"));
    }
    if (IsParam(segment)) {
      const std::string_view name = segment.substr(1, segment.size() - 2);
      if (!IsParamName(name)) {
        return absl::InvalidArgumentError(internal::Cat(
            "route pattern '", pattern, "': parameter '", segment,
            "' must be {name} with letters, digits and '_', not starting with a digit"));
      }
      if (!names.insert(name).second) {
        return absl::InvalidArgumentError(
            internal::Cat("route pattern '", pattern, "' names parameter '", name, "' twice"));
      }
    } else if (segment.find_first_of("{}") != std::string_view::npos) {
      return absl::InvalidArgumentError(internal::Cat("route pattern '", pattern, "': segment '",
                                                      segment, "' mixes '{' '}' with text"));
    }
  }
  return absl::OkStatus();
}

Router& Router::Get(std::string_view pattern, RouteHandler handler) {
  if (absl::Status status = CheckPattern(pattern); !status.ok()) Abort(status);
  if (!handler)
    Abort(absl::InvalidArgumentError(internal::Cat("route '", pattern, "' has no handler")));
  Route route{.pattern = std::string(pattern), .segments = {}, .handler = std::move(handler)};
  for (std::string_view segment : PatternSegments(pattern)) {
    if (IsParam(segment)) {
      route.segments.push_back(
          {.is_param = true, .text = std::string(segment.substr(1, segment.size() - 2))});
    } else {
      route.segments.push_back({.is_param = false, .text = std::string(segment)});
    }
  }
  for (const Route& other : routes_) {
    if (other.segments.size() != route.segments.size()) continue;
    bool same = true;
    for (size_t i = 0; i < route.segments.size() && same; ++i) {
      const Segment& a = route.segments[i];
      const Segment& b = other.segments[i];
      same = a.is_param == b.is_param && (a.is_param || a.text == b.text);
    }
    if (same) {
      Abort(absl::InvalidArgumentError(internal::Cat(
          "route pattern '", pattern, "' matches the same paths as '", other.pattern, "'")));
    }
  }
  routes_.push_back(std::move(route));
  return *this;
}

const Router::Route* Router::Match(const std::vector<std::string>& segments,
                                   RouteParams& params) const {
  const Route* best = nullptr;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    bool matches = true;
    for (size_t i = 0; i < segments.size() && matches; ++i) {
      const Segment& s = route.segments[i];
      matches = s.is_param ? !segments[i].empty() : s.text == segments[i];
    }
    if (!matches) continue;
    if (best != nullptr) {
      // Literal beats parameter at the first segment where the two differ.
      for (size_t i = 0; i < segments.size(); ++i) {
        if (route.segments[i].is_param != best->segments[i].is_param) {
          if (!route.segments[i].is_param) best = &route;
          break;
        }
      }
    } else {
      best = &route;
    }
  }
  if (best != nullptr) {
    params.clear();
    for (size_t i = 0; i < segments.size(); ++i) {
      if (best->segments[i].is_param) params.emplace(best->segments[i].text, segments[i]);
    }
  }
  return best;
}

HttpResponse Router::Handle(const HttpRequest& request) const {
  absl::StatusOr<std::vector<std::string>> segments = SplitPath(RawPath(request.target));
  if (!segments.ok()) return HttpResponse::Text(400, std::string(segments.status().message()));
  RouteParams params;
  const Route* route = Match(*segments, params);
  if (route == nullptr) {
    return HttpResponse::Text(404, internal::Cat("not found: no page at ", request.path));
  }
  if (request.method != "GET" && request.method != "HEAD") {
    HttpResponse response = HttpResponse::Text(
        405, internal::Cat("method ", request.method, " is not allowed on ", request.path,
                           ": this server is read-only (GET and HEAD)"));
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }
  return route->handler(request, params);
}

std::vector<std::string> Router::Patterns() const {
  std::vector<std::string> patterns;
  for (const Route& route : routes_) patterns.push_back(route.pattern);
  return patterns;
}

}  // namespace wetlink::http
