// wetlinkd over TLS, end to end: the real daemon with --tls-cert/--tls-key
// (and --tls-client-ca for mutual TLS) on 127.0.0.1, the real wetlink and
// wetlink-ingest with --tls-ca, HTTPS fetched with an OpenSSL client. The
// certificates are made for this test process (tests/testing/
// test_certificates.h); the CLI presents the server's admin token
// (WetlinkdProcess::Cli), wetlink-ingest and the HTTPS clients likewise.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/http/http_test_client.h"
#include "tests/integration/wetlinkd_process.h"
#include "tests/testing/test_certificates.h"
#include "tests/testing/tls_test_client.h"

namespace wetlink::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

// wetlink's exit codes (docs/CLI.md).
constexpr int kExitUnavailable = 3;
constexpr int kExitConfig = 2;

std::string IngestPath() {
  if (const char* env = std::getenv("WETLINK_INGEST_PATH"); env != nullptr && *env != '\0') {
    return env;
  }
  return WETLINK_INGEST_PATH;
}

std::vector<std::string> Join(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// wetlinkd's flags for the test PKI's server certificate; `mutual` also
// requires client certificates of the test CA.
std::vector<std::string> ServerTlsArgs(bool mutual = false) {
  const TestPki& pki = TestCertificates();
  std::vector<std::string> args = {"--tls-cert", pki.server.cert_file, "--tls-key",
                                   pki.server.key_file};
  if (mutual) args.insert(args.end(), {"--tls-client-ca", pki.ca.cert_file});
  return args;
}

// The flags to trust the test CA.
std::vector<std::string> TrustArgs(const std::string& ca_file = TestCertificates().ca.cert_file) {
  return {"--tls-ca", ca_file};
}

std::vector<std::string> ClientCertArgs(const TestCredential& client) {
  return {"--tls-cert", client.cert_file, "--tls-key", client.key_file};
}

TlsClientOptions HttpsClient() {
  TlsClientOptions options;
  options.ca_file = TestCertificates().ca.cert_file;
  return options;
}

class TlsIntegrationTest : public ::testing::Test {
 protected:
  // Starts wetlinkd with TLS and HTTP(S) on 127.0.0.1.
  void StartServer(std::vector<std::string> args = ServerTlsArgs()) {
    server_.set_http(true);
    server_.set_extra_args(std::move(args));
    std::string error;
    ASSERT_TRUE(server_.Start(&error)) << error;
  }

  // `wetlink --server <address> ARGS...`.
  RunResult Cli(const std::vector<std::string>& args) { return server_.Cli(args); }

  WetlinkdProcess server_;
};

TEST_F(TlsIntegrationTest, CliWithTheCaIsServed) {
  StartServer();
  RunResult health = Cli(Join(TrustArgs(), {"health"}));
  ASSERT_EQ(health.code(), 0) << health.Describe() << server_.log();
  EXPECT_EQ(health.out, "SERVING\n");

  RunResult sites = Cli(Join(TrustArgs(), {"--format", "json", "sites", "list"}));
  ASSERT_EQ(sites.code(), 0) << sites.Describe();
  json doc = json::parse(sites.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << sites.out;
  EXPECT_EQ(doc["sites"].size(), 35u);

  // By the name in the certificate rather than the address's IP.
  RunResult by_name =
      Cli(Join(TrustArgs(), {"--tls-server-name", "localhost", "species", "show", "HC"}));
  EXPECT_EQ(by_name.code(), 0) << by_name.Describe();
  EXPECT_THAT(server_.log(), HasSubstr("TLS on for gRPC and HTTP"));
}

TEST_F(TlsIntegrationTest, PlaintextClientOnTheTlsPortIsUnavailableWithAHint) {
  StartServer();
  RunResult plain = Cli({"health"});
  EXPECT_EQ(plain.code(), kExitUnavailable) << plain.Describe();
  EXPECT_THAT(plain.err, AllOf(HasSubstr("UNAVAILABLE"), HasSubstr("--tls-ca")));
  // The server is unharmed.
  EXPECT_EQ(Cli(Join(TrustArgs(), {"health"})).code(), 0);
}

TEST_F(TlsIntegrationTest, WrongCaOrWrongNameIsRefusedByTheClient) {
  StartServer();
  RunResult other_ca = Cli(Join(TrustArgs(TestCertificates().other_ca.cert_file), {"health"}));
  EXPECT_EQ(other_ca.code(), kExitUnavailable) << other_ca.Describe();
  EXPECT_THAT(other_ca.err, HasSubstr("UNAVAILABLE"));

  RunResult wrong_name =
      Cli(Join(TrustArgs(), {"--tls-server-name", "wetlands.example.org", "health"}));
  EXPECT_EQ(wrong_name.code(), kExitUnavailable) << wrong_name.Describe();

  RunResult not_a_ca = Cli(Join(TrustArgs(TestCertificates().server.key_file), {"health"}));
  EXPECT_EQ(not_a_ca.code(), kExitConfig) << not_a_ca.Describe();
  EXPECT_THAT(not_a_ca.err, HasSubstr("no PEM certificate"));
  EXPECT_EQ(Cli(Join(TrustArgs(), {"health"})).code(), 0);
}

TEST_F(TlsIntegrationTest, IngestPushesOverTls) {
  StartServer();
  const std::string fixture =
      std::string(WETLINK_SOURCE_DIR) + "/tests/fixtures/ingest/movebank-sample.csv";
  const std::vector<std::string> push_args = {"--server",
                                              server_.address(),
                                              "--study",
                                              "tls",
                                              "--auto-register",
                                              "--state-dir",
                                              "",
                                              "--log-level",
                                              "warn",
                                              "push",
                                              fixture};
  // Without the CA: the server is never reached.
  std::vector<std::string> plain = push_args;
  plain[6] = server_.scratch().File("state-plain");
  plain.insert(plain.begin(), {"--max-retry-s", "1"});
  const std::vector<std::string> token = {"--token-file", server_.admin_token_file()};
  RunResult refused = RunProgram(IngestPath(), Join(token, plain));
  EXPECT_NE(refused.code(), 0) << refused.Describe();

  std::vector<std::string> tls = push_args;
  tls[6] = server_.scratch().File("state");
  RunResult pushed = RunProgram(IngestPath(), Join(Join(TrustArgs(), token), tls));
  ASSERT_EQ(pushed.code(), 0) << pushed.Describe() << server_.log();

  RunResult individuals =
      Cli(Join(TrustArgs(), {"--format", "json", "tracks", "individuals", "tls"}));
  ASSERT_EQ(individuals.code(), 0) << individuals.Describe();
  json doc = json::parse(individuals.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << individuals.out;
  ASSERT_EQ(doc["individuals"].size(), 1u) << individuals.out;
  EXPECT_EQ(doc["individuals"][0]["individual_id"], "2859/H4839/Albert");
  EXPECT_EQ(doc["individuals"][0]["fix_count"], "50");
}

TEST_F(TlsIntegrationTest, ReportPagesAreServedOverHttps) {
  StartServer();
  ASSERT_GT(server_.http_port(), 0);
  TlsResult health = TlsFetch(server_.http_port(), "/healthz", HttpsClient());
  ASSERT_TRUE(health.response.has_value()) << health.error << server_.log();
  EXPECT_EQ(health.response->status, 200);
  EXPECT_EQ(health.response->body, "SERVING\n");

  TlsClientOptions with_token = HttpsClient();
  with_token.bearer_token = server_.admin_token();
  TlsResult report = TlsFetch(server_.http_port(), "/reports/sites/rason?lang=en", with_token);
  ASSERT_TRUE(report.response.has_value()) << report.error;
  EXPECT_EQ(report.response->status, 200);
  EXPECT_THAT(report.response->headers["content-type"], HasSubstr("text/html"));
  EXPECT_THAT(report.response->body, HasSubstr("Rason"));
  EXPECT_THAT(server_.log(), HasSubstr("serving HTTPS on 127.0.0.1:0"));
}

// curl (Debian's, linked to OpenSSL) as a browser-like client: the CA
// verifies the server by name; without it curl refuses the certificate.
TEST_F(TlsIntegrationTest, CurlFetchesAReportOverHttps) {
  StartServer();
  const std::string url =
      "https://localhost:" + std::to_string(server_.http_port()) + "/reports/sites/rason";
  RunResult fetched =
      RunProgram("/usr/bin/curl", {"--silent", "--show-error", "--fail", "--max-time", "20",
                                   "--cacert", TestCertificates().ca.cert_file, "--header",
                                   "Authorization: Bearer " + server_.admin_token(), url});
  ASSERT_EQ(fetched.code(), 0) << fetched.Describe()
                               << "(scripts/setup-deps.sh --test installs curl)";
  EXPECT_THAT(fetched.out, HasSubstr("Rason"));

  RunResult untrusted =
      RunProgram("/usr/bin/curl", {"--silent", "--show-error", "--max-time", "20", "--cacert",
                                   TestCertificates().other_ca.cert_file, url});
  EXPECT_EQ(untrusted.code(), 60) << untrusted.Describe();  // peer certificate not verified
}

TEST_F(TlsIntegrationTest, PlaintextHttpOnTheHttpsPortFailsCleanlyAndHttpsGoesOn) {
  StartServer();
  std::string error;
  auto plain = http::testing::Fetch(server_.http_port(), "/healthz", "GET", &error);
  ASSERT_TRUE(plain.has_value()) << error;
  EXPECT_EQ(plain->status, 400);
  EXPECT_THAT(plain->body, HasSubstr("https://"));
  EXPECT_THAT(plain->body, Not(HasSubstr("SERVING")));

  TlsResult after = TlsFetch(server_.http_port(), "/healthz", HttpsClient());
  ASSERT_TRUE(after.response.has_value()) << after.error;
  EXPECT_EQ(after.response->status, 200);
  EXPECT_EQ(Cli(Join(TrustArgs(), {"health"})).code(), 0);
}

TEST_F(TlsIntegrationTest, BothPortsRefuseTlsOlderThan12) {
  StartServer();
  for (int port : {server_.port(), server_.http_port()}) {
    TlsClientOptions old = HttpsClient();
    old.max_version = TLS1_1_VERSION;
    TlsResult refused = TlsFetch(port, "", old);
    EXPECT_FALSE(refused.handshake_ok) << port;
    if (port == server_.http_port()) {
      EXPECT_THAT(refused.error, HasSubstr("protocol version"));
    } else {
      // gRPC closes without sending the alert, and logs why.
      EXPECT_THAT(server_.log(), HasSubstr("unsupported protocol"));
    }

    TlsClientOptions tls12 = HttpsClient();
    tls12.max_version = TLS1_2_VERSION;
    TlsResult accepted = TlsFetch(port, "", tls12);
    EXPECT_TRUE(accepted.handshake_ok) << port << ": " << accepted.error;
    EXPECT_EQ(accepted.version, "TLSv1.2");
  }
}

TEST_F(TlsIntegrationTest, MutualTlsRefusesClientsWithoutACertificateOfTheClientCa) {
  StartServer(ServerTlsArgs(/*mutual=*/true));
  EXPECT_THAT(server_.log(), HasSubstr("client certificates required"));
  const TestPki& pki = TestCertificates();

  RunResult anonymous = Cli(Join(TrustArgs(), {"health"}));
  EXPECT_EQ(anonymous.code(), kExitUnavailable) << anonymous.Describe();
  EXPECT_THAT(anonymous.err, HasSubstr("UNAVAILABLE"));

  RunResult foreign = Cli(Join(Join(TrustArgs(), ClientCertArgs(pki.other_client)), {"health"}));
  EXPECT_EQ(foreign.code(), kExitUnavailable) << foreign.Describe();

  RunResult known = Cli(Join(Join(TrustArgs(), ClientCertArgs(pki.client)), {"health"}));
  EXPECT_EQ(known.code(), 0) << known.Describe() << server_.log();
  EXPECT_EQ(known.out, "SERVING\n");

  TlsResult https_anonymous = TlsFetch(server_.http_port(), "/healthz", HttpsClient());
  EXPECT_FALSE(https_anonymous.response.has_value());
  TlsClientOptions with_cert = HttpsClient();
  with_cert.cert_file = pki.client.cert_file;
  with_cert.key_file = pki.client.key_file;
  TlsResult https_known = TlsFetch(server_.http_port(), "/healthz", with_cert);
  ASSERT_TRUE(https_known.response.has_value()) << https_known.error;
  EXPECT_EQ(https_known.response->status, 200);
}

TEST_F(TlsIntegrationTest, TlsFromTheConfigurationFile) {
  const TestPki& pki = TestCertificates();
  const std::string config = server_.scratch().File("wetlinkd.toml");
  ASSERT_TRUE(WriteFile(config, "[tls]\ncert_file = \"" + pki.server_chain_file +
                                    "\"\nkey_file = \"" + pki.server.key_file + "\"\n"));
  StartServer({"--config", config});
  RunResult health = Cli(Join(TrustArgs(), {"health"}));
  EXPECT_EQ(health.code(), 0) << health.Describe() << server_.log();
}

TEST_F(TlsIntegrationTest, NonLoopbackAddressesWithTls) {
  server_.set_listen_host("0.0.0.0");
  StartServer();
  EXPECT_EQ(Cli(Join(TrustArgs(), {"health"})).code(), 0) << server_.log();
  EXPECT_THAT(server_.log(), Not(HasSubstr("PLAINTEXT")));
}

TEST_F(TlsIntegrationTest, NonLoopbackPlaintextOnlyWhenExplicitlyAllowedAndThenLoudly) {
  server_.set_listen_host("0.0.0.0");
  StartServer({"--allow-plaintext-remote"});
  RunResult health = Cli({"health"});
  EXPECT_EQ(health.code(), 0) << health.Describe();
  EXPECT_THAT(server_.log(), AllOf(HasSubstr("PLAINTEXT on 0.0.0.0:0 (server.listen)"),
                                   HasSubstr("PLAINTEXT on 0.0.0.0:0 (http.listen)")));
}

// Start-up refusals: exit code 2, a message naming the setting and the file,
// nothing served.
class TlsStartupTest : public ::testing::Test {
 protected:
  RunResult RunWetlinkd(const std::vector<std::string>& args) {
    return RunProgram(WetlinkdPath(),
                      Join({"--listen", "127.0.0.1:0", "--http-listen", "", "--data-dir",
                            dir_.File("data"), "--port-file", dir_.File("port")},
                           args));
  }
  void ExpectRefused(const RunResult& result, const std::vector<std::string>& mentions) {
    EXPECT_EQ(result.code(), kExitConfig) << result.Describe();
    for (const std::string& text : mentions) EXPECT_THAT(result.err, HasSubstr(text));
    EXPECT_EQ(ReadFile(dir_.File("port")), "") << "wetlinkd listened";
  }

  TempDir dir_;
};

TEST_F(TlsStartupTest, KeyOfAnotherCertificate) {
  const TestPki& pki = TestCertificates();
  ExpectRefused(RunWetlinkd({"--tls-cert", pki.server.cert_file, "--tls-key", pki.client.key_file}),
                {"tls.key_file (--tls-key) '" + pki.client.key_file + "'", "is not the private key",
                 pki.server.cert_file});
}

TEST_F(TlsStartupTest, MissingOrHalfGivenFiles) {
  const TestPki& pki = TestCertificates();
  const std::string missing = dir_.File("missing.pem");
  ExpectRefused(RunWetlinkd({"--tls-cert", missing, "--tls-key", pki.server.key_file}),
                {"tls.cert_file (--tls-cert) '" + missing + "' does not exist"});
  ExpectRefused(RunWetlinkd({"--tls-cert", pki.server.cert_file, "--tls-key", pki.server.key_file,
                             "--tls-client-ca", missing}),
                {"tls.client_ca_file (--tls-client-ca) '" + missing + "'"});
  ExpectRefused(RunWetlinkd({"--tls-cert", pki.server.cert_file}), {"--tls-key"});
}

TEST_F(TlsStartupTest, ExpiredCertificate) {
  const TestPki& pki = TestCertificates();
  ExpectRefused(RunWetlinkd({"--tls-cert", pki.expired_server.cert_file, "--tls-key",
                             pki.expired_server.key_file}),
                {"tls.cert_file", "expired on"});
}

TEST_F(TlsStartupTest, NonLoopbackWithoutTls) {
  RunResult grpc = RunProgram(WetlinkdPath(), {"--listen", "0.0.0.0:0", "--http-listen", "",
                                               "--data-dir", dir_.File("data")});
  EXPECT_EQ(grpc.code(), kExitConfig) << grpc.Describe();
  EXPECT_THAT(grpc.err, AllOf(HasSubstr("server.listen '0.0.0.0:0'"), HasSubstr("--tls-cert"),
                              HasSubstr("--allow-plaintext-remote")));
  RunResult http = RunProgram(WetlinkdPath(), {"--listen", "127.0.0.1:0", "--http-listen", "[::]:0",
                                               "--data-dir", dir_.File("data")});
  EXPECT_EQ(http.code(), kExitConfig) << http.Describe();
  EXPECT_THAT(http.err, HasSubstr("http.listen '[::]:0'"));
}

}  // namespace
}  // namespace wetlink::testing
