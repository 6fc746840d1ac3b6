// The HTTP server over TLS: certificates and names, protocol versions,
// plaintext sent to the HTTPS port, stalled and broken handshakes, mutual
// TLS. Certificates come from the test PKI made for this process.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http/http_server.h"
#include "http/router.h"
#include "http/tls_context.h"
#include "tests/http/http_test_client.h"
#include "tests/testing/test_certificates.h"
#include "tests/testing/tls_test_client.h"

namespace wetlink::http {
namespace {

using ::testing::HasSubstr;
using ::wetlink::testing::TestCertificates;
using ::wetlink::testing::TlsClientOptions;
using ::wetlink::testing::TlsFetch;
using ::wetlink::testing::TlsResult;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

TlsServerOptions ServerTls(bool mutual = false) {
  TlsServerOptions tls;
  tls.certificate_chain_pem = TestCertificates().server.cert_pem;
  tls.private_key_pem = TestCertificates().server.key_pem;
  if (mutual) tls.client_ca_pem = TestCertificates().ca.cert_pem;
  return tls;
}

TlsClientOptions Verified() {
  TlsClientOptions options;
  options.ca_file = TestCertificates().ca.cert_file;
  return options;
}

class HttpsServerTest : public ::testing::Test {
 protected:
  void Start(TlsServerOptions tls = ServerTls(),
             milliseconds read_timeout = std::chrono::seconds(10)) {
    HttpServerOptions options;
    options.listen = "127.0.0.1:0";
    options.tls = std::move(tls);
    options.read_timeout = read_timeout;
    Router router;
    router.Get("/hello", [](const HttpRequest&, const RouteParams&) {
      return HttpResponse::Text(200, "hello, wetlands");
    });
    auto server = HttpServer::Start(
        options, [router = std::move(router)](const HttpRequest& r) { return router.Handle(r); });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  // Fetches /hello over verified TLS and expects the answer.
  void ExpectServed(TlsClientOptions options = Verified()) {
    TlsResult result = TlsFetch(server_->port(), "/hello", options);
    ASSERT_TRUE(result.response.has_value()) << result.error;
    EXPECT_EQ(result.response->status, 200);
    EXPECT_EQ(result.response->body, "hello, wetlands\n");
    EXPECT_EQ(result.response->headers["cache-control"], "no-store");
  }

  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpsServerTest, ServesOverTlsVerifiedByNameAndByAddress) {
  Start();
  ExpectServed();
  TlsClientOptions by_ip = Verified();
  by_ip.server_name = "127.0.0.1";
  ExpectServed(by_ip);
  TlsResult result = TlsFetch(server_->port(), "", Verified());
  EXPECT_TRUE(result.handshake_ok) << result.error;
  EXPECT_EQ(result.version, "TLSv1.3");
}

TEST_F(HttpsServerTest, ClientsOfAnotherCaOrNameRefuseTheServer) {
  Start();
  TlsClientOptions other_ca;
  other_ca.ca_file = TestCertificates().other_ca.cert_file;
  TlsResult result = TlsFetch(server_->port(), "/hello", other_ca);
  EXPECT_FALSE(result.handshake_ok);
  EXPECT_THAT(result.error, HasSubstr("certificate verify failed"));

  TlsClientOptions wrong_name = Verified();
  wrong_name.server_name = "wetlands.example.org";
  result = TlsFetch(server_->port(), "/hello", wrong_name);
  EXPECT_FALSE(result.handshake_ok);
  ExpectServed();
}

TEST_F(HttpsServerTest, Tls12IsAcceptedOlderVersionsAreNot) {
  Start();
  TlsClientOptions tls12 = Verified();
  tls12.max_version = TLS1_2_VERSION;
  TlsResult result = TlsFetch(server_->port(), "/hello", tls12);
  ASSERT_TRUE(result.response.has_value()) << result.error;
  EXPECT_EQ(result.version, "TLSv1.2");

  for (int old : {TLS1_1_VERSION, TLS1_VERSION}) {
    TlsClientOptions options = Verified();
    options.max_version = old;
    result = TlsFetch(server_->port(), "/hello", options);
    EXPECT_FALSE(result.handshake_ok) << old;
    EXPECT_THAT(result.error, HasSubstr("protocol version")) << old;
  }
  ExpectServed();
}

TEST_F(HttpsServerTest, PlaintextHttpOnTheHttpsPortGetsA400SayingHttps) {
  Start();
  std::string error;
  auto response = testing::Fetch(server_->port(), "/hello", "GET", &error);
  ASSERT_TRUE(response.has_value()) << error;
  EXPECT_EQ(response->status, 400);
  EXPECT_THAT(response->body, HasSubstr("https://"));
  EXPECT_EQ(response->Header("connection"), "close");
  ExpectServed();
}

TEST_F(HttpsServerTest, StalledAndBrokenHandshakesAreClosedAndBlockNobody) {
  TlsServerOptions tls = ServerTls();
  tls.handshake_timeout = milliseconds(300);
  Start(tls);
  const Clock::time_point start = Clock::now();
  // Connects and says nothing.
  auto silent = testing::TestConnection::Open(server_->port());
  ASSERT_NE(silent, nullptr);
  // Starts a TLS record, then stops.
  auto stalled = testing::TestConnection::Open(server_->port());
  ASSERT_NE(stalled, nullptr);
  ASSERT_TRUE(stalled->Send(std::string("\x16\x03\x01\x02\x00\x01", 6)));
  // The start of a ClientHello followed by garbage: the server answers with
  // a TLS alert and closes.
  auto garbage = testing::TestConnection::Open(server_->port());
  ASSERT_NE(garbage, nullptr);
  ASSERT_TRUE(garbage->Send(std::string("\x16\x03\x01\x00\x10\x01", 6) + std::string(15, '\x7f')));

  // Meanwhile others are served, more of them than the server has threads.
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i) clients.emplace_back([this] { ExpectServed(); });
  for (std::thread& client : clients) client.join();

  // (The first wait reads the alert, the second sees the end.)
  EXPECT_TRUE(garbage->WaitClosed(milliseconds(3000)) || garbage->WaitClosed(milliseconds(3000)))
      << garbage->error();
  EXPECT_TRUE(silent->WaitClosed(milliseconds(3000))) << silent->error();
  EXPECT_TRUE(stalled->WaitClosed(milliseconds(3000))) << stalled->error();
  EXPECT_GE(Clock::now() - start, milliseconds(250));
  ExpectServed();
}

TEST_F(HttpsServerTest, MutualTlsRequiresAClientCertificateOfTheClientCa) {
  Start(ServerTls(/*mutual=*/true));
  TlsResult none = TlsFetch(server_->port(), "/hello", Verified());
  EXPECT_FALSE(none.response.has_value());
  EXPECT_THAT(none.error, HasSubstr("certificate required"));

  TlsClientOptions foreign = Verified();
  foreign.cert_file = TestCertificates().other_client.cert_file;
  foreign.key_file = TestCertificates().other_client.key_file;
  TlsResult refused = TlsFetch(server_->port(), "/hello", foreign);
  EXPECT_FALSE(refused.response.has_value());
  EXPECT_THAT(refused.error, HasSubstr("unknown ca"));

  TlsClientOptions client = Verified();
  client.cert_file = TestCertificates().client.cert_file;
  client.key_file = TestCertificates().client.key_file;
  ExpectServed(client);
  client.max_version = TLS1_2_VERSION;
  ExpectServed(client);
}

TEST(HttpsContextTest, UnusableMaterialIsInvalidArgumentNamingThePart) {
  TlsServerOptions mismatched = ServerTls();
  mismatched.private_key_pem = TestCertificates().client.key_pem;
  auto context = MakeServerSslContext(mismatched);
  ASSERT_EQ(context.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(context.status().message()), HasSubstr("private key"));

  TlsServerOptions garbage = ServerTls();
  garbage.certificate_chain_pem = "not a certificate";
  context = MakeServerSslContext(garbage);
  ASSERT_EQ(context.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(context.status().message()), HasSubstr("certificate chain"));

  TlsServerOptions no_ca = ServerTls();
  no_ca.client_ca_pem = "nothing here";
  context = MakeServerSslContext(no_ca);
  ASSERT_EQ(context.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(context.status().message()), HasSubstr("client CA"));

  HttpServerOptions options;
  options.tls = mismatched;
  auto server =
      HttpServer::Start(options, [](const HttpRequest&) { return HttpResponse::Text(200, ""); });
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace wetlink::http
