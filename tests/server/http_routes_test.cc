#include "server/http_routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/url.h"

namespace wetlink::server {
namespace {

using ::testing::HasSubstr;

http::HttpResponse Get(const http::Router& router, std::string_view target,
                       std::string method = "GET") {
  http::HttpRequest request;
  request.method = std::move(method);
  EXPECT_TRUE(http::ParseTarget(target, request).ok());
  return router.Handle(request);
}

TEST(HttpRoutesTest, HealthzAnswersServing) {
  const http::Router router = MakeHttpRoutes();
  http::HttpResponse response = Get(router, "/healthz");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(response.body, "SERVING\n");
}

TEST(HttpRoutesTest, IndexListsThePages) {
  const http::Router router = MakeHttpRoutes();
  http::HttpResponse response = Get(router, "/");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
  EXPECT_THAT(response.body, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(response.body, HasSubstr("<a href=\"./healthz\"><code>/healthz</code></a>"));
}

TEST(HttpRoutesTest, UnknownPagesAndWritesAreRefused) {
  const http::Router router = MakeHttpRoutes();
  EXPECT_EQ(Get(router, "/reports/sites/rason").status, 404);
  EXPECT_EQ(Get(router, "/healthz", "POST").status, 405);
}

}  // namespace
}  // namespace wetlink::server
