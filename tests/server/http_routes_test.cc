#include "server/http_routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "graph/flyway_snapshot.h"
#include "http/url.h"

namespace wetlink::server {
namespace {

using ::testing::HasSubstr;

// A report desk over an empty catalog, no counts and an empty flyway.
const reports::ReportDesk& EmptyDesk() {
  static const reports::ReportDesk kDesk(reports::ReportSources{
      .catalog = [] { return std::make_shared<const catalog::Catalog>(); },
      .counts_of_sites =
          [](const std::vector<std::string>&) -> absl::StatusOr<std::vector<counts::Count>> {
        return std::vector<counts::Count>{};
      },
      .snapshot =
          [] {
            return graph::FlywaySnapshot::Build(std::make_shared<const catalog::Catalog>(), {}, {},
                                                {}, 1);
          },
      .seasons = std::make_shared<const graph::SeasonTable>(),
      .background = std::make_shared<const reports::MapBackground>(),
      .now = [] { return telemetry::TimestampMs{1'700'000'000'000}; },
  });
  return kDesk;
}

http::HttpResponse Get(const http::Router& router, std::string_view target,
                       std::string method = "GET") {
  http::HttpRequest request;
  request.method = std::move(method);
  EXPECT_TRUE(http::ParseTarget(target, request).ok());
  return router.Handle(request);
}

TEST(HttpRoutesTest, HealthzAnswersServing) {
  const http::Router router = MakeHttpRoutes(EmptyDesk());
  http::HttpResponse response = Get(router, "/healthz");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(response.body, "SERVING\n");
}

TEST(HttpRoutesTest, IndexListsThePages) {
  const http::Router router = MakeHttpRoutes(EmptyDesk());
  http::HttpResponse response = Get(router, "/");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
  EXPECT_THAT(response.body, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(response.body, HasSubstr("<a href=\"./healthz\"><code>/healthz</code></a>"));
  EXPECT_THAT(response.body, HasSubstr("<code>/reports/sites/{id}</code>"));
  EXPECT_THAT(response.body, HasSubstr("/reports/species-list"));
}

TEST(HttpRoutesTest, UnknownPagesAndWritesAreRefused) {
  const http::Router router = MakeHttpRoutes(EmptyDesk());
  EXPECT_EQ(Get(router, "/reports/nothing").status, 404);
  EXPECT_EQ(Get(router, "/healthz", "POST").status, 405);
  EXPECT_EQ(Get(router, "/reports/sites/rason", "DELETE").status, 405);
}

TEST(HttpRoutesTest, ReportErrorsAreReadableFourHundreds) {
  const http::Router router = MakeHttpRoutes(EmptyDesk());
  http::HttpResponse r = Get(router, "/reports/sites/rason");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_THAT(r.body, HasSubstr("no catalogued site has the id 'rason'"));
  r = Get(router, "/reports/sites/rason?lang=fr");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("'fr'"));
  r = Get(router, "/reports/sites/rason?colour=blue");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("'colour' is not a parameter of this page"));
  r = Get(router, "/reports/sites/rason?nearby_km=far");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("nearby_km: 'far' is not a number"));
  r = Get(router, "/reports/species-list");
  EXPECT_EQ(r.status, 404);
  EXPECT_THAT(r.body, HasSubstr("'tumen_estuary'"));
}

}  // namespace
}  // namespace wetlink::server
