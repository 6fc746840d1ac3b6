#ifndef WETLINK_TESTS_TESTING_TLS_TEST_CLIENT_H_
#define WETLINK_TESTS_TESTING_TLS_TEST_CLIENT_H_

// A small blocking TLS client over the OpenSSL API, for tests of servers'
// TLS: it connects to 127.0.0.1, verifies the server against a CA and a
// name (or not), may present a client certificate, may be limited to old
// protocol versions, and fetches one HTTP/1.1 response. Every wait is
// bounded.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace wetlink::testing {

struct TlsClientOptions {
  // PEM file of the CA to verify the server with; "" verifies nothing.
  std::string ca_file;
  // The name sent as SNI and checked against the certificate (an IP address
  // is checked against its IP subjectAltNames).
  std::string server_name = "localhost";
  // Sent as "Authorization: Bearer <token>"; "" sends none.
  std::string bearer_token;
  // Client certificate and key (PEM files); "" presents none.
  std::string cert_file;
  std::string key_file;
  // Highest protocol version offered, e.g. TLS1_1_VERSION (0: the newest).
  // Below TLS 1.2 the client also lowers its own security level, so that
  // only the server can refuse.
  int max_version = 0;
  // Each connect, read and write.
  std::chrono::milliseconds timeout = std::chrono::seconds(5);
};

struct TlsHttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

struct TlsResult {
  // The TLS handshake completed (from the client's side: with TLS 1.3 a
  // server may still refuse a client certificate afterwards).
  bool handshake_ok = false;
  // The negotiated protocol, e.g. "TLSv1.3".
  std::string version;
  // Set when a whole HTTP response was read.
  std::optional<TlsHttpResponse> response;
  // Why it failed (connect, handshake with OpenSSL's reason, read...).
  std::string error;
};

// Connects to 127.0.0.1:`port` and completes a TLS handshake; with a
// non-empty `target`, then sends "GET <target> HTTP/1.1" (Host, Connection:
// close) and reads the response to the end of the connection.
TlsResult TlsFetch(int port, std::string_view target, const TlsClientOptions& options);

}  // namespace wetlink::testing

#endif  // WETLINK_TESTS_TESTING_TLS_TEST_CLIENT_H_
