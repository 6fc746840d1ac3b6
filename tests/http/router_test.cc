#include "http/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "http/url.h"

namespace wetlink::http {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

HttpRequest Request(std::string method, std::string_view target) {
  HttpRequest request;
  request.method = std::move(method);
  const absl::Status status = ParseTarget(target, request);
  EXPECT_TRUE(status.ok()) << status;
  return request;
}

// A handler that answers with the route's name and its parameters.
RouteHandler Echo(std::string name) {
  return [name](const HttpRequest&, const RouteParams& params) {
    std::string body = name;
    for (const auto& [key, value] : params) body += " " + key + "=" + value;
    return HttpResponse::Text(200, body);
  };
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Get("/", Echo("index"))
        .Get("/healthz", Echo("health"))
        .Get("/reports/sites/{id}", Echo("site"))
        .Get("/reports/sites/new", Echo("new-site"))
        .Get("/reports/{kind}/{id}/map", Echo("map"));
  }
  HttpResponse Get(std::string_view target) const { return router_.Handle(Request("GET", target)); }

  Router router_;
};

TEST_F(RouterTest, MatchesLiteralRoutes) {
  EXPECT_EQ(Get("/").body, "index\n");
  EXPECT_EQ(Get("/healthz").body, "health\n");
  EXPECT_EQ(Get("/healthz?verbose=1").body, "health\n");
}

TEST_F(RouterTest, ParametersAreDecodedSegments) {
  EXPECT_EQ(Get("/reports/sites/rason?lang=ru&format=html").body, "site id=rason\n");
  EXPECT_EQ(Get("/reports/sites/ras%20on").body, "site id=ras on\n");
  EXPECT_EQ(Get("/reports/sites/a%2Fb").body, "site id=a/b\n");
  EXPECT_EQ(Get("/reports/flyways/eaaf/map").body, "map id=eaaf kind=flyways\n");
}

TEST_F(RouterTest, LiteralSegmentsWinOverParameters) {
  EXPECT_EQ(Get("/reports/sites/new").body, "new-site\n");
  // Four segments: only the map route has as many.
  EXPECT_EQ(Get("/reports/sites/x/map").body, "map id=x kind=sites\n");
}

TEST_F(RouterTest, HandlerSeesTheRequest) {
  Router router;
  router.Get("/q", [](const HttpRequest& request, const RouteParams&) {
    return HttpResponse::Text(200, request.QueryValue("lang").value_or("none"));
  });
  EXPECT_EQ(router.Handle(Request("GET", "/q?lang=ru")).body, "ru\n");
  EXPECT_EQ(router.Handle(Request("GET", "/q")).body, "none\n");
}

TEST_F(RouterTest, NoRouteIs404NamingThePath) {
  for (const char* target : {"/nothing", "/healthz/", "/reports/sites", "/reports/sites/",
                             "/reports/sites/a/b", "/HEALTHZ"}) {
    HttpResponse response = Get(target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(response.content_type, "text/plain; charset=utf-8");
    EXPECT_THAT(response.body, HasSubstr(Request("GET", target).path)) << target;
  }
  EXPECT_THAT(Get("/no%20such?x=1").body, HasSubstr("/no such"));
}

TEST_F(RouterTest, HeadRunsTheGetHandler) {
  HttpResponse response = router_.Handle(Request("HEAD", "/reports/sites/rason"));
  EXPECT_EQ(response.status, 200);
  // The server, not the router, leaves the body out.
  EXPECT_EQ(response.body, "site id=rason\n");
}

TEST_F(RouterTest, OtherMethodsAre405WithAllow) {
  for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "get"}) {
    HttpResponse response = router_.Handle(Request(method, "/healthz"));
    EXPECT_EQ(response.status, 405) << method;
    EXPECT_THAT(response.headers, ElementsAre(Pair("Allow", "GET, HEAD"))) << method;
    EXPECT_THAT(response.body, HasSubstr(method));
    EXPECT_THAT(response.body, HasSubstr("/healthz"));
  }
  // A path no route has stays 404 whatever the method.
  EXPECT_EQ(router_.Handle(Request("POST", "/nothing")).status, 404);
}

TEST_F(RouterTest, UndecodableSegmentIs400) {
  HttpRequest request;
  request.method = "GET";
  request.target = "/reports/sites/%zz";
  request.path = request.target;
  HttpResponse response = router_.Handle(request);
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(response.body, HasSubstr("hex digits"));
}

TEST_F(RouterTest, HandlerExceptionsPropagate) {
  Router router;
  router.Get("/boom", [](const HttpRequest&, const RouteParams&) -> HttpResponse {
    throw std::runtime_error("boom");
  });
  EXPECT_THROW(router.Handle(Request("GET", "/boom")), std::runtime_error);
}

TEST_F(RouterTest, PatternsInOrderAdded) {
  EXPECT_THAT(router_.Patterns(), ElementsAre("/", "/healthz", "/reports/sites/{id}",
                                              "/reports/sites/new", "/reports/{kind}/{id}/map"));
}

TEST(RouterPatternTest, CheckPatternAcceptsAndRefuses) {
  for (const char* good : {"/", "/a", "/a/{id}", "/{a}/{b_2}/c", "/a.b/x-y"}) {
    EXPECT_TRUE(Router::CheckPattern(good).ok()) << good;
  }
  for (const char* bad :
       {"", "a", "/a/", "//a", "/{}", "/{1a}", "/{a-b}", "/x{id}", "/{id}.html", "/{a}/{a}"}) {
    absl::Status status = Router::CheckPattern(bad);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_FALSE(status.message().empty());
  }
}

TEST(RouterDeathTest, MalformedOrClashingPatternAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(Router().Get("no-slash", Echo("x")), "must start with '/'");
  EXPECT_DEATH(Router().Get("/a/{id}", Echo("x")).Get("/a/{name}", Echo("y")),
               "matches the same paths as '/a/\\{id\\}'");
  EXPECT_DEATH(Router().Get("/a", nullptr), "no handler");
}

}  // namespace
}  // namespace wetlink::http
