#ifndef WETLINK_HTTP_TLS_CONTEXT_H_
#define WETLINK_HTTP_TLS_CONTEXT_H_

// TLS for the HTTP server: the PEM material it is given and the OpenSSL
// server context built from it (TLS 1.2 at least, forward-secret AEAD
// ciphers for TLS 1.2, OpenSSL's defaults for TLS 1.3, no renegotiation, no
// compression; client certificates required and verified when a client CA
// is given).
//
// The material is given as text, not file names: reading and checking the
// files (with errors naming the setting) is the caller's business
// (server/tls_config.h for wetlinkd). The context is built once at start;
// changing certificates takes a restart.

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace wetlink::http {

struct TlsServerOptions {
  // PEM: the server's certificate first, then any intermediate CA
  // certificates. Empty: plaintext (TLS off).
  std::string certificate_chain_pem;
  // PEM: the private key of the first certificate, unencrypted.
  std::string private_key_pem;
  // PEM: CA certificates clients' certificates must chain to. Empty: no
  // client certificate is asked for; else one is required (mutual TLS).
  std::string client_ca_pem;
  // Time a new connection gets to complete its TLS handshake (counted from
  // accept), after which it is closed. Must be positive.
  std::chrono::milliseconds handshake_timeout = std::chrono::seconds(10);

  bool enabled() const { return !certificate_chain_pem.empty(); }
};

// The OpenSSL server context for `options` (which must be enabled()).
// InvalidArgument naming the part at fault (certificate, key, client CA) and
// OpenSSL's reason when the material cannot be used.
absl::StatusOr<std::unique_ptr<boost::asio::ssl::context>> MakeServerSslContext(
    const TlsServerOptions& options);

}  // namespace wetlink::http

#endif  // WETLINK_HTTP_TLS_CONTEXT_H_
