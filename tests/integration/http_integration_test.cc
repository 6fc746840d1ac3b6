// wetlinkd's HTTP pages end to end: the real daemon with --http-listen on a
// free loopback port, fetched over a plain socket.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/http/http_test_client.h"
#include "tests/integration/wetlinkd_process.h"

namespace wetlink::testing {
namespace {

using ::testing::HasSubstr;

TEST(WetlinkdHttpTest, ServesHealthzAndIndexAndStopsCleanly) {
  WetlinkdProcess server;
  server.set_http(true);
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;
  ASSERT_GT(server.http_port(), 0);
  ASSERT_NE(server.http_port(), server.port());

  auto health = http::testing::Fetch(server.http_port(), "/healthz", "GET", &error);
  ASSERT_TRUE(health.has_value()) << error << "\n" << server.log();
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "SERVING\n");
  EXPECT_EQ(health->Header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(health->Header("cache-control"), "no-store");

  // Pages but /healthz want a token: a browser is asked for it (Basic).
  auto refused = http::testing::Fetch(server.http_port(), "/", "GET", &error);
  ASSERT_TRUE(refused.has_value()) << error;
  EXPECT_EQ(refused->status, 401);
  EXPECT_THAT(refused->Header("www-authenticate"), HasSubstr("Basic realm=\"wetlinkd\""));
  auto forged = http::testing::Fetch(server.http_port(), "/reports/sites/rason", "GET", &error,
                                     "wlk_000000000000_0000000000000000000000000000000000000000000");
  ASSERT_TRUE(forged.has_value()) << error;
  EXPECT_EQ(forged->status, 401);
  EXPECT_THAT(forged->body, HasSubstr("not valid"));

  const std::string token = server.admin_token();
  auto index = http::testing::Fetch(server.http_port(), "/", "GET", &error, token);
  ASSERT_TRUE(index.has_value()) << error;
  EXPECT_EQ(index->status, 200);
  EXPECT_THAT(index->body, HasSubstr("/healthz"));

  auto missing =
      http::testing::Fetch(server.http_port(), "/reports/sites/atlantis", "GET", &error, token);
  ASSERT_TRUE(missing.has_value()) << error;
  EXPECT_EQ(missing->status, 404);

  EXPECT_THAT(server.log(), HasSubstr("serving HTTP on 127.0.0.1:0 (port " +
                                      std::to_string(server.http_port()) + ")"));
  const int http_port = server.http_port();
  ExitStatus stopped = server.Stop();
  EXPECT_TRUE(stopped.ok()) << stopped.Describe() << "\n" << server.log();
  EXPECT_FALSE(http::testing::Fetch(http_port, "/healthz").has_value());
}

TEST(WetlinkdHttpTest, HttpIsOffWithAnEmptyListenAddress) {
  WetlinkdProcess server;  // the harness passes --http-listen ""
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;
  EXPECT_EQ(server.http_port(), 0);
  EXPECT_THAT(server.log(), HasSubstr("HTTP is off"));
  EXPECT_TRUE(server.Stop().ok());
}

TEST(WetlinkdHttpTest, NonLoopbackHttpAddressIsRefusedAtStart) {
  TempDir dir;
  RunResult result = RunProgram(WetlinkdPath(), {"--listen", "127.0.0.1:0", "--data-dir",
                                                 dir.File("data"), "--http-listen", "0.0.0.0:0"});
  EXPECT_EQ(result.code(), 2) << result.Describe();
  EXPECT_THAT(result.err, HasSubstr("0.0.0.0:0"));
  EXPECT_THAT(result.err, HasSubstr("TLS"));
}

}  // namespace
}  // namespace wetlink::testing
