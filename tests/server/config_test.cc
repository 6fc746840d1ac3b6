#include "server/config.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wetlink::server {
namespace {

using ::testing::HasSubstr;

class ConfigTest : public ::testing::Test {
 protected:
  // Writes `text` to a fresh file and returns its path. The name carries
  // the process id: ctest runs these tests in parallel processes, each
  // counting from 0, and they must not share a file.
  std::string Write(const std::string& text) {
    path_ = std::filesystem::path(::testing::TempDir()) /
            ("wetlinkd-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++) +
             ".toml");
    std::ofstream(path_) << text;
    return path_.string();
  }
  void TearDown() override { std::filesystem::remove(path_); }

  std::filesystem::path path_;
  static inline int counter_ = 0;
};

TEST_F(ConfigTest, ExampleConfigShippedInDeployParses) {
  auto config = LoadConfigFile(WETLINK_EXAMPLE_CONFIG, Config{});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen, "127.0.0.1:50051");
  EXPECT_EQ(config->data_dir, "/var/lib/wetlink");
  EXPECT_EQ(config->max_message_mb, 64);
  EXPECT_EQ(config->log_level, "info");
  EXPECT_TRUE(config->sync_writes);
  EXPECT_EQ(config->http_listen, "127.0.0.1:8080");
  EXPECT_EQ(config->max_streams_per_token, 4);
  EXPECT_EQ(config->max_streams, 64);
}

TEST_F(ConfigTest, FileOverridesDefaultsAndKeepsTheRest) {
  auto config = LoadConfigFile(Write("[log]\nlevel = \"debug\"\n"), Config{});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->log_level, "debug");
  EXPECT_EQ(config->listen, Config{}.listen);
  EXPECT_EQ(config->data_dir, Config{}.data_dir);
}

TEST_F(ConfigTest, UnknownKeyIsRefusedWithFileLineAndKey) {
  const std::string path = Write("[server]\nlisten = \"127.0.0.1:1\"\nlistne = \"x\"\n");
  auto config = LoadConfigFile(path, Config{});
  ASSERT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()), HasSubstr(path + ":3"));
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("server.listne"));
}

TEST_F(ConfigTest, UnknownTableIsRefused) {
  auto config = LoadConfigFile(Write("[sever]\nlisten = \"x:1\"\n"), Config{});
  ASSERT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("'sever'"));
}

TEST_F(ConfigTest, WrongTypeNamesTheKey) {
  auto config = LoadConfigFile(Write("[server]\nmax_message_mb = \"big\"\n"), Config{});
  ASSERT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("server.max_message_mb"));
}

TEST_F(ConfigTest, OutOfRangeValuesAreRefused) {
  EXPECT_FALSE(LoadConfigFile(Write("[server]\nmax_message_mb = 0\n"), Config{}).ok());
  EXPECT_FALSE(LoadConfigFile(Write("[server]\nshutdown_grace_ms = -1\n"), Config{}).ok());
  auto level = LoadConfigFile(Write("[log]\nlevel = \"loud\"\n"), Config{});
  ASSERT_FALSE(level.ok());
  EXPECT_THAT(std::string(level.status().message()), HasSubstr("'loud'"));
}

TEST_F(ConfigTest, SyntaxErrorNamesFileAndLine) {
  const std::string path = Write("[server]\nlisten = \n");
  auto config = LoadConfigFile(path, Config{});
  ASSERT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()), HasSubstr(path + ":2"));
}

TEST(ValidateConfigTest, ListenNeedsHostAndPort) {
  Config config;
  config.listen = "localhost";
  EXPECT_EQ(ValidateConfig(config).code(), absl::StatusCode::kInvalidArgument);
  config.listen = "127.0.0.1:0";
  EXPECT_TRUE(ValidateConfig(config).ok());
}

TEST_F(ConfigTest, HttpListenIsReadFromTheHttpTable) {
  auto config = LoadConfigFile(Write("[http]\nlisten = \"127.0.0.1:9090\"\n"), Config{});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->http_listen, "127.0.0.1:9090");
  EXPECT_EQ(config->listen, Config{}.listen);

  auto off = LoadConfigFile(Write("[http]\nlisten = \"\"\n"), Config{});
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_EQ(off->http_listen, "");
}

TEST_F(ConfigTest, HttpTableRefusesUnknownKeysAndWrongTypes) {
  auto typo = LoadConfigFile(Write("[http]\nlisten_on = \"127.0.0.1:1\"\n"), Config{});
  ASSERT_EQ(typo.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(typo.status().message()), HasSubstr("http.listen_on"));
  auto number = LoadConfigFile(Write("[http]\nlisten = 8080\n"), Config{});
  ASSERT_EQ(number.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(number.status().message()), HasSubstr("http.listen"));
}

TEST_F(ConfigTest, NonLoopbackHttpListenInTheFileIsRefused) {
  const std::string path = Write("[http]\nlisten = \"0.0.0.0:8080\"\n");
  auto config = LoadConfigFile(path, Config{});
  ASSERT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()), HasSubstr(path));
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("TLS"));
}

TEST(ValidateConfigTest, HttpListenMustBeEmptyOrALoopbackAddress) {
  Config config;
  for (const char* ok : {"", "127.0.0.1:8080", "127.0.0.1:0", "localhost:8080", "[::1]:8080"}) {
    config.http_listen = ok;
    EXPECT_TRUE(ValidateConfig(config).ok()) << ok << ": " << ValidateConfig(config);
  }
  for (const char* remote : {"0.0.0.0:8080", "192.0.2.10:80", "[::]:8080"}) {
    config.http_listen = remote;
    absl::Status status = ValidateConfig(config);
    ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << remote;
    EXPECT_THAT(std::string(status.message()), HasSubstr(remote));
    EXPECT_THAT(std::string(status.message()), HasSubstr("TLS is not configured"));
  }
  for (const char* malformed : {"8080", "127.0.0.1:http", "wetlands.example:80"}) {
    config.http_listen = malformed;
    absl::Status status = ValidateConfig(config);
    ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << malformed;
    EXPECT_THAT(std::string(status.message()), HasSubstr("http.listen"));
  }
}

TEST(ValidateConfigTest, HttpAndGrpcCannotShareAPort) {
  Config config;
  config.listen = "127.0.0.1:7000";
  config.http_listen = "127.0.0.1:7000";
  EXPECT_EQ(ValidateConfig(config).code(), absl::StatusCode::kInvalidArgument);
  config.listen = config.http_listen = "127.0.0.1:0";
  EXPECT_TRUE(ValidateConfig(config).ok());
}

TEST(ConfigDefaultsTest, StreamLimitsDefaultToFourPerTokenAndSixtyFourInAll) {
  EXPECT_EQ(Config{}.max_streams_per_token, 4);
  EXPECT_EQ(Config{}.max_streams, 64);
  EXPECT_TRUE(ValidateConfig(Config{}).ok());
}

TEST_F(ConfigTest, StreamLimitsAreReadFromTheServerTable) {
  auto config = LoadConfigFile(Write("[server]\nmax_streams_per_token = 2\nmax_streams = 10\n"),
                               Config{});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->max_streams_per_token, 2);
  EXPECT_EQ(config->max_streams, 10);
  // The edges of the ranges.
  config = LoadConfigFile(Write("[server]\nmax_streams_per_token = 1\nmax_streams = 1\n"), Config{});
  ASSERT_TRUE(config.ok()) << config.status();
  config = LoadConfigFile(
      Write("[server]\nmax_streams_per_token = 1024\nmax_streams = 1024\n"), Config{});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->max_streams, 1024);
}

TEST_F(ConfigTest, StreamLimitsOutOfRangeAreRefusedNamingTheKey) {
  for (const char* text :
       {"[server]\nmax_streams_per_token = 0\n", "[server]\nmax_streams_per_token = -3\n",
        "[server]\nmax_streams = 0\n", "[server]\nmax_streams = 1025\n",
        "[server]\nmax_streams_per_token = 1025\nmax_streams = 1024\n"}) {
    auto config = LoadConfigFile(Write(text), Config{});
    ASSERT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(config.status().message()), HasSubstr("max_streams")) << text;
  }
  auto wrong_type = LoadConfigFile(Write("[server]\nmax_streams = \"many\"\n"), Config{});
  ASSERT_EQ(wrong_type.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(wrong_type.status().message()), HasSubstr("server.max_streams"));
}

TEST_F(ConfigTest, MoreStreamsPerTokenThanInAllIsRefused) {
  auto config =
      LoadConfigFile(Write("[server]\nmax_streams_per_token = 8\nmax_streams = 4\n"), Config{});
  ASSERT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()),
              HasSubstr("max_streams_per_token 8 must be in [1, max_streams = 4]"));
  // The same when the values come from flags (ValidateConfig alone).
  Config flags;
  flags.max_streams = 2;  // per token still the default, 4
  EXPECT_EQ(ValidateConfig(flags).code(), absl::StatusCode::kInvalidArgument);
  flags.max_streams_per_token = 2;
  EXPECT_TRUE(ValidateConfig(flags).ok());
  flags.max_streams = 0;
  EXPECT_EQ(ValidateConfig(flags).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace wetlink::server
