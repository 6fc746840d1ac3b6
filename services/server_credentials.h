#ifndef WETLINK_SERVICES_SERVER_CREDENTIALS_H_
#define WETLINK_SERVICES_SERVER_CREDENTIALS_H_

// The credentials wetlinkd's gRPC port listens with: plaintext, or TLS
// (gRPC's SSL credentials: TLS 1.2 at least) with the certificate chain and
// key given, optionally requiring client certificates (mutual TLS).
//
// The material is PEM text, read and checked by the caller (wetlinkd:
// server/tls_config.h). It is used once, when the server starts; changing
// certificates takes a restart.

#include <memory>
#include <string>

namespace grpc {
class ServerCredentials;
}  // namespace grpc

namespace wetlink::services {

struct TlsOptions {
  // PEM: the server certificate first, then intermediate CA certificates.
  // Empty: plaintext.
  std::string certificate_chain_pem;
  // PEM: the certificate's private key, unencrypted.
  std::string private_key_pem;
  // PEM: CA certificates client certificates must chain to. Empty: no client
  // certificate asked for; else every client must present a valid one.
  std::string client_ca_pem;

  bool enabled() const { return !certificate_chain_pem.empty(); }
};

// Insecure credentials when !tls.enabled(), else SSL server credentials.
std::shared_ptr<grpc::ServerCredentials> MakeServerCredentials(const TlsOptions& tls);

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_SERVER_CREDENTIALS_H_
