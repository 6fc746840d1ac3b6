// wetlinkd's [tls] settings and the rule for listen addresses other machines
// can reach: parsing, shape, the files' checks at start-up.

#include "server/tls_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "server/config.h"
#include "tests/testing/test_certificates.h"

namespace wetlink::server {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::wetlink::testing::TestCertificates;

std::string Message(const absl::Status& status) { return std::string(status.message()); }

// Files of one test, under the test's temporary folder, removed after it.
class TlsFilesTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text, mode_t mode = 0600) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::trunc) << text;
    ::chmod(path.c_str(), mode);
    return path;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_ = [] {
    std::filesystem::path dir =
        std::filesystem::path(::testing::TempDir()) /
        ("wetlinkd-tls-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(dir);
    return dir;
  }();
  static inline int counter_ = 0;
};

TlsConfig ServerTls() {
  return {.cert_file = TestCertificates().server.cert_file,
          .key_file = TestCertificates().server.key_file,
          .client_ca_file = ""};
}

// --- the configuration file ---------------------------------------------

TEST_F(TlsFilesTest, TlsTableAndAllowPlaintextRemoteAreRead) {
  const std::string path = Write("wetlinkd.toml",
                                 "[server]\n"
                                 "listen = \"0.0.0.0:50051\"\n"
                                 "allow_plaintext_remote = true\n"
                                 "[tls]\n"
                                 "cert_file = \"/etc/wetlink/cert.pem\"\n"
                                 "key_file = \"/etc/wetlink/key.pem\"\n"
                                 "client_ca_file = \"/etc/wetlink/clients.pem\"\n");
  absl::StatusOr<Config> config = LoadConfigFile(path, Config{});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->tls.cert_file, "/etc/wetlink/cert.pem");
  EXPECT_EQ(config->tls.key_file, "/etc/wetlink/key.pem");
  EXPECT_EQ(config->tls.client_ca_file, "/etc/wetlink/clients.pem");
  EXPECT_TRUE(config->allow_plaintext_remote);
}

TEST_F(TlsFilesTest, DefaultsAreNoTlsAndNoPlaintextRemote) {
  const Config config;
  EXPECT_FALSE(config.tls.enabled());
  EXPECT_FALSE(config.allow_plaintext_remote);
  absl::StatusOr<Config> example = LoadConfigFile(WETLINK_EXAMPLE_CONFIG, Config{});
  ASSERT_TRUE(example.ok()) << example.status();
  EXPECT_FALSE(example->tls.enabled());
  EXPECT_FALSE(example->allow_plaintext_remote);
}

TEST_F(TlsFilesTest, UnknownTlsKeyIsRefusedWithFileLineAndKey) {
  const std::string path = Write("typo.toml", "[tls]\ncert_file = \"a\"\nkey_fle = \"b\"\n");
  absl::StatusOr<Config> config = LoadConfigFile(path, Config{});
  ASSERT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(config.status()), AllOf(HasSubstr(path + ":3"), HasSubstr("tls.key_fle")));
}

TEST_F(TlsFilesTest, TlsValuesMustBeStrings) {
  const std::string path = Write("type.toml", "[tls]\ncert_file = 1\n");
  absl::StatusOr<Config> config = LoadConfigFile(path, Config{});
  ASSERT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(config.status()), AllOf(HasSubstr(path + ":2"), HasSubstr("tls.cert_file")));
  auto flag =
      LoadConfigFile(Write("flag.toml", "[server]\nallow_plaintext_remote = \"yes\"\n"), Config{});
  ASSERT_EQ(flag.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(flag.status()), HasSubstr("server.allow_plaintext_remote"));
}

TEST_F(TlsFilesTest, NonLoopbackAddressWithTlsInTheFileIsAccepted) {
  const std::string path = Write("remote.toml",
                                 "[server]\nlisten = \"0.0.0.0:50051\"\n"
                                 "[http]\nlisten = \"0.0.0.0:8443\"\n"
                                 "[tls]\ncert_file = \"c.pem\"\nkey_file = \"k.pem\"\n");
  absl::StatusOr<Config> config = LoadConfigFile(path, Config{});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->http_listen, "0.0.0.0:8443");
}

// --- the shape of the settings -------------------------------------------

TEST(ValidateTlsConfigTest, CertificateAndKeyComeTogether) {
  EXPECT_TRUE(ValidateTlsConfig({}).ok());
  EXPECT_TRUE(ValidateTlsConfig({.cert_file = "c", .key_file = "k", .client_ca_file = ""}).ok());
  EXPECT_TRUE(ValidateTlsConfig({.cert_file = "c", .key_file = "k", .client_ca_file = "ca"}).ok());

  absl::Status no_key = ValidateTlsConfig({.cert_file = "c", .key_file = "", .client_ca_file = ""});
  ASSERT_EQ(no_key.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(no_key), AllOf(HasSubstr("tls.key_file"), HasSubstr("--tls-key")));

  absl::Status no_cert =
      ValidateTlsConfig({.cert_file = "", .key_file = "k", .client_ca_file = ""});
  ASSERT_EQ(no_cert.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(no_cert), HasSubstr("tls.cert_file"));

  absl::Status ca_only =
      ValidateTlsConfig({.cert_file = "", .key_file = "", .client_ca_file = "a"});
  ASSERT_EQ(ca_only.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(ca_only), HasSubstr("tls.client_ca_file"));
}

TEST(ValidateConfigTlsTest, HalfAConfiguredTlsIsRefusedByValidateConfig) {
  Config config;
  config.tls.cert_file = "cert.pem";
  EXPECT_EQ(ValidateConfig(config).code(), absl::StatusCode::kInvalidArgument);
}

// --- which addresses other machines may reach ------------------------------

TEST(RemoteListenTest, LoopbackAddressesAndUnixSocketsAreLocal) {
  for (const char* local : {"127.0.0.1:50051", "127.0.0.2:1", "localhost:50051", "[::1]:50051",
                            "unix:/run/wetlink/grpc.sock", "unix-abstract:wetlink"}) {
    EXPECT_TRUE(IsLoopbackListenAddress(local)) << local;
  }
  for (const char* remote : {"0.0.0.0:50051", "[::]:50051", "192.0.2.7:50051",
                             "wetlands.example.org:50051", "garbage"}) {
    EXPECT_FALSE(IsLoopbackListenAddress(remote)) << remote;
  }
}

TEST(RemoteListenTest, NonLoopbackGrpcWithoutTlsIsRefusedNamingTheWaysOut) {
  Config config;
  config.listen = "0.0.0.0:50051";
  absl::Status status = ValidateConfig(config);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(status),
              AllOf(HasSubstr("server.listen '0.0.0.0:50051'"), HasSubstr("TLS is not configured"),
                    HasSubstr("--tls-cert"), HasSubstr("allow_plaintext_remote"),
                    HasSubstr("--allow-plaintext-remote")));
}

TEST(RemoteListenTest, NonLoopbackHttpWithoutTlsIsRefused) {
  Config config;
  config.http_listen = "[::]:8080";
  absl::Status status = ValidateConfig(config);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(status), HasSubstr("http.listen '[::]:8080'"));
}

TEST(RemoteListenTest, NonLoopbackIsAcceptedWithTls) {
  Config config;
  config.listen = "0.0.0.0:50051";
  config.http_listen = "0.0.0.0:8443";
  config.tls = {.cert_file = "cert.pem", .key_file = "key.pem", .client_ca_file = ""};
  EXPECT_TRUE(ValidateConfig(config).ok()) << ValidateConfig(config);
}

TEST(RemoteListenTest, NonLoopbackIsAcceptedWithAllowPlaintextRemote) {
  Config config;
  config.listen = "192.0.2.7:50051";
  config.http_listen = "0.0.0.0:8080";
  config.allow_plaintext_remote = true;
  EXPECT_TRUE(ValidateConfig(config).ok()) << ValidateConfig(config);
}

TEST(RemoteListenTest, HostNamesCountAsRemote) {
  Config config;
  config.listen = "wetlands.example.org:50051";
  EXPECT_EQ(ValidateConfig(config).code(), absl::StatusCode::kInvalidArgument);
  config.allow_plaintext_remote = true;
  EXPECT_TRUE(ValidateConfig(config).ok());
}

// --- the files, read and checked at start-up --------------------------------

TEST_F(TlsFilesTest, TestCertificateAndKeyLoad) {
  absl::StatusOr<TlsMaterial> material = LoadTlsMaterial(ServerTls());
  ASSERT_TRUE(material.ok()) << material.status();
  EXPECT_EQ(material->certificate_chain_pem, TestCertificates().server.cert_pem);
  EXPECT_EQ(material->private_key_pem, TestCertificates().server.key_pem);
  EXPECT_EQ(material->client_ca_pem, "");
  EXPECT_THAT(material->warnings, IsEmpty());
}

TEST_F(TlsFilesTest, ChainFileWithIntermediatesAndClientCaLoad) {
  TlsConfig tls = ServerTls();
  tls.cert_file = TestCertificates().server_chain_file;
  tls.client_ca_file = TestCertificates().ca.cert_file;
  absl::StatusOr<TlsMaterial> material = LoadTlsMaterial(tls);
  ASSERT_TRUE(material.ok()) << material.status();
  EXPECT_EQ(material->certificate_chain_pem,
            TestCertificates().server.cert_pem + TestCertificates().ca.cert_pem);
  EXPECT_EQ(material->client_ca_pem, TestCertificates().ca.cert_pem);
  EXPECT_THAT(material->warnings, IsEmpty());
}

TEST_F(TlsFilesTest, MissingFilesNameTheSettingAndThePath) {
  const std::string missing = (dir_ / "nowhere.pem").string();
  TlsConfig tls = ServerTls();
  tls.cert_file = missing;
  absl::Status cert = LoadTlsMaterial(tls).status();
  ASSERT_EQ(cert.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(cert), AllOf(HasSubstr("tls.cert_file (--tls-cert) '" + missing + "'"),
                                   HasSubstr("does not exist")));

  tls = ServerTls();
  tls.key_file = missing;
  EXPECT_THAT(
      Message(LoadTlsMaterial(tls).status()),
      AllOf(HasSubstr("tls.key_file (--tls-key) '" + missing + "'"), HasSubstr("does not exist")));

  tls = ServerTls();
  tls.client_ca_file = missing;
  EXPECT_THAT(Message(LoadTlsMaterial(tls).status()),
              AllOf(HasSubstr("tls.client_ca_file (--tls-client-ca) '" + missing + "'"),
                    HasSubstr("does not exist")));
}

TEST_F(TlsFilesTest, AFolderIsNotAFile) {
  TlsConfig tls = ServerTls();
  tls.key_file = dir_.string();
  EXPECT_THAT(Message(LoadTlsMaterial(tls).status()),
              AllOf(HasSubstr("tls.key_file"), HasSubstr("is not a file")));
}

TEST_F(TlsFilesTest, UnreadableFileIsNamed) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode";
  TlsConfig tls = ServerTls();
  tls.key_file = Write("locked.key", TestCertificates().server.key_pem, 0000);
  absl::Status status = LoadTlsMaterial(tls).status();
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(status), AllOf(HasSubstr("tls.key_file (--tls-key) '" + tls.key_file + "'"),
                                     HasSubstr("cannot be read"), HasSubstr("Permission denied")));
}

TEST_F(TlsFilesTest, ReadErrorIsNamed) {
  // A regular file whose reads fail (EIO), for root too.
  TlsConfig tls = ServerTls();
  tls.cert_file = "/proc/self/mem";
  absl::Status status = LoadTlsMaterial(tls).status();
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(status), AllOf(HasSubstr("tls.cert_file (--tls-cert) '/proc/self/mem'"),
                                     HasSubstr("cannot be read")));
}

TEST_F(TlsFilesTest, KeyOfAnotherCertificateIsRefused) {
  TlsConfig tls = ServerTls();
  tls.key_file = TestCertificates().client.key_file;
  absl::Status status = LoadTlsMaterial(tls).status();
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(status),
              AllOf(HasSubstr("tls.key_file (--tls-key) '" + tls.key_file + "'"),
                    HasSubstr("is not the private key of the certificate"),
                    HasSubstr("tls.cert_file (--tls-cert) '" + tls.cert_file + "'"),
                    HasSubstr("CN=localhost")));
}

TEST_F(TlsFilesTest, SwappedCertificateAndKeyFilesAreNamedAsSuch) {
  TlsConfig tls = ServerTls();
  std::swap(tls.cert_file, tls.key_file);
  absl::Status status = LoadTlsMaterial(tls).status();
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(status), AllOf(HasSubstr("tls.cert_file"), HasSubstr("swapped")));
}

TEST_F(TlsFilesTest, EmptyAndMalformedFilesAreRefused) {
  TlsConfig tls = ServerTls();
  tls.cert_file = Write("empty.pem", "");
  EXPECT_THAT(Message(LoadTlsMaterial(tls).status()),
              AllOf(HasSubstr("tls.cert_file"), HasSubstr("holds no PEM certificate")));

  tls = ServerTls();
  tls.cert_file = Write("broken.pem",
                        "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n"
                        "-----END CERTIFICATE-----\n");
  EXPECT_THAT(Message(LoadTlsMaterial(tls).status()),
              AllOf(HasSubstr("tls.cert_file"), HasSubstr("malformed")));

  tls = ServerTls();
  tls.key_file = Write("empty.key", "not a key\n");
  EXPECT_THAT(Message(LoadTlsMaterial(tls).status()),
              AllOf(HasSubstr("tls.key_file"), HasSubstr("no usable PEM private key")));

  tls = ServerTls();
  tls.client_ca_file = Write("empty-ca.pem", "\n");
  EXPECT_THAT(Message(LoadTlsMaterial(tls).status()),
              AllOf(HasSubstr("tls.client_ca_file"), HasSubstr("holds no PEM certificate")));
}

TEST_F(TlsFilesTest, EncryptedKeyIsRefusedWithoutAskingForAPassphrase) {
  TlsConfig tls = ServerTls();
  tls.key_file = Write("encrypted.key",
                       "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqG\n"
                       "-----END ENCRYPTED PRIVATE KEY-----\n");
  absl::Status status = LoadTlsMaterial(tls).status();
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(status), AllOf(HasSubstr("tls.key_file"), HasSubstr("encrypted")));
}

TEST_F(TlsFilesTest, ExpiredCertificateIsRefusedNotYetValidIsAWarning) {
  TlsConfig tls = {.cert_file = TestCertificates().expired_server.cert_file,
                   .key_file = TestCertificates().expired_server.key_file,
                   .client_ca_file = ""};
  absl::Status expired = LoadTlsMaterial(tls).status();
  ASSERT_EQ(expired.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(expired), AllOf(HasSubstr("tls.cert_file"), HasSubstr("expired on")));

  tls = {.cert_file = TestCertificates().future_server.cert_file,
         .key_file = TestCertificates().future_server.key_file,
         .client_ca_file = ""};
  absl::StatusOr<TlsMaterial> future = LoadTlsMaterial(tls);
  ASSERT_TRUE(future.ok()) << future.status();
  EXPECT_THAT(future->warnings, Contains(HasSubstr("is not valid before")));
}

TEST_F(TlsFilesTest, WorldReadableKeyAndNonCaClientCaAreWarnings) {
  TlsConfig tls = ServerTls();
  tls.key_file = Write("open.key", TestCertificates().server.key_pem, 0644);
  tls.client_ca_file = TestCertificates().client.cert_file;  // not a CA
  absl::StatusOr<TlsMaterial> material = LoadTlsMaterial(tls);
  ASSERT_TRUE(material.ok()) << material.status();
  EXPECT_THAT(material->warnings, Contains(HasSubstr("readable by every user")));
  EXPECT_THAT(material->warnings, Contains(HasSubstr("is not a CA certificate")));
}

}  // namespace
}  // namespace wetlink::server
