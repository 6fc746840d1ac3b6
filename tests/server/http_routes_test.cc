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

// "admin-token" is an admin's, "ingest-token" an ingest token's; the rest
// are not valid.
absl::StatusOr<access::Principal> FakeAdmit(std::string_view token, access::Action action,
                                            std::string_view /*page*/) {
  access::Principal who;
  if (token == "admin-token") {
    who.role = access::Role::kAdmin;
  } else if (token == "ingest-token") {
    who.role = access::Role::kIngest;
  } else {
    return absl::UnauthenticatedError("the access token is not valid");
  }
  if (absl::Status st = access::CheckAction(who, action); !st.ok()) return st;
  return who;
}

http::Router Routes() { return MakeHttpRoutes(EmptyDesk(), FakeAdmit); }

http::HttpResponse Get(const http::Router& router, std::string_view target,
                       std::string method = "GET",
                       std::string authorization = "Bearer admin-token") {
  http::HttpRequest request;
  request.method = std::move(method);
  EXPECT_TRUE(http::ParseTarget(target, request).ok());
  if (!authorization.empty()) request.headers["authorization"] = authorization;
  return router.Handle(request);
}

TEST(HttpRoutesTest, HealthzAnswersServing) {
  const http::Router router = Routes();
  http::HttpResponse response = Get(router, "/healthz");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(response.body, "SERVING\n");
}

TEST(HttpRoutesTest, PagesButHealthzWantAToken) {
  const http::Router router = Routes();
  EXPECT_EQ(Get(router, "/healthz", "GET", "").status, 200);
  for (const char* page : {"/", "/reports/sites/rason", "/reports/species-list"}) {
    SCOPED_TRACE(page);
    http::HttpResponse none = Get(router, page, "GET", "");
    EXPECT_EQ(none.status, 401);
    bool challenged = false;
    for (const auto& [name, value] : none.headers) {
      challenged |= name == "WWW-Authenticate" && value.find("Basic realm=") == 0;
    }
    EXPECT_TRUE(challenged);
    EXPECT_EQ(Get(router, page, "GET", "Bearer forged").status, 401);
  }
  // An ingest token may not read reports; the index is for any token.
  EXPECT_EQ(Get(router, "/reports/sites/rason", "GET", "Bearer ingest-token").status, 403);
  EXPECT_EQ(Get(router, "/", "GET", "Bearer ingest-token").status, 200);
  // Basic, as a browser sends it: any user, the token as the password
  // ("user:admin-token").
  EXPECT_EQ(Get(router, "/", "GET", "Basic dXNlcjphZG1pbi10b2tlbg==").status, 200);
}

TEST(HttpRoutesTest, TokenOfAuthorizationReadsBearerAndBasic) {
  EXPECT_EQ(TokenOfAuthorization("Bearer abc"), "abc");
  EXPECT_EQ(TokenOfAuthorization("bearer   abc"), "abc");
  EXPECT_EQ(TokenOfAuthorization("Basic dXNlcjphZG1pbi10b2tlbg=="), "admin-token");
  EXPECT_EQ(TokenOfAuthorization("Basic bm8tY29sb24="), "");  // "no-colon"
  EXPECT_EQ(TokenOfAuthorization("Basic !!!"), "");
  EXPECT_EQ(TokenOfAuthorization("Digest abc"), "");
  EXPECT_EQ(TokenOfAuthorization("Bearer"), "");
  EXPECT_EQ(TokenOfAuthorization(""), "");
}

TEST(HttpRoutesTest, IndexListsThePages) {
  const http::Router router = Routes();
  http::HttpResponse response = Get(router, "/");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
  EXPECT_THAT(response.body, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(response.body, HasSubstr("<a href=\"./healthz\"><code>/healthz</code></a>"));
  EXPECT_THAT(response.body, HasSubstr("<code>/reports/sites/{id}</code>"));
  EXPECT_THAT(response.body, HasSubstr("/reports/species-list"));
}

TEST(HttpRoutesTest, UnknownPagesAndWritesAreRefused) {
  const http::Router router = Routes();
  EXPECT_EQ(Get(router, "/reports/nothing").status, 404);
  EXPECT_EQ(Get(router, "/healthz", "POST").status, 405);
  EXPECT_EQ(Get(router, "/reports/sites/rason", "DELETE").status, 405);
}

TEST(HttpRoutesTest, ReportErrorsAreReadableFourHundreds) {
  const http::Router router = Routes();
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
