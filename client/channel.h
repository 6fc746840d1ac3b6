#ifndef WETLINK_CLIENT_CHANNEL_H_
#define WETLINK_CLIENT_CHANNEL_H_

// What every client of wetlinkd shares (the CLI, wetlink-ingest, benches and
// tests): a channel to its address, over TLS when a CA is given, that
// presents the caller's bearer token on every call.

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"

namespace wetlink::client {

struct ChannelOptions {
  std::string address = "127.0.0.1:50051";
  // The bearer token sent as "authorization: Bearer <token>"; "" sends none.
  std::string token;
  // PEM certificates of the CA that signed wetlinkd's certificate (see
  // ReadCaFile); "" means plaintext, which wetlinkd accepts on loopback only
  // unless configured otherwise.
  std::string tls_root_certs;
  // Name to check the server's certificate against when it differs from the
  // address's host (e.g. connecting by IP to a certificate for a name).
  std::string tls_server_name;
  // PEM certificate chain and private key presented to a wetlinkd that
  // requires client certificates (mutual TLS; see ReadClientCertificate).
  // Both or neither; used only with tls_root_certs.
  std::string tls_cert_chain;
  std::string tls_private_key;
  // Extra channel arguments (message sizes, reconnect backoff).
  grpc::ChannelArguments arguments;
};

std::shared_ptr<grpc::Channel> MakeChannel(const ChannelOptions& options);

// The PEM text of a CA file; InvalidArgument naming the file when it cannot
// be read or holds no certificate.
absl::StatusOr<std::string> ReadCaFile(const std::string& path);

// A client certificate for mutual TLS: the PEM texts of `cert_file` (the
// certificate, then any intermediates) and `key_file` (its unencrypted
// key). Both "" gives two empty texts; InvalidArgument naming the file when
// only one is given, a file cannot be read, or holds no certificate or key.
struct ClientCertificate {
  std::string cert_chain;
  std::string private_key;
};
absl::StatusOr<ClientCertificate> ReadClientCertificate(const std::string& cert_file,
                                                        const std::string& key_file);

// The token a client presents, in order of precedence: `token_file` (a
// file holding the token, surrounding whitespace ignored), $WETLINK_TOKEN,
// the file named by $WETLINK_TOKEN_FILE. "" when none is set; an error
// naming the file when it cannot be read or is empty.
absl::StatusOr<std::string> ResolveToken(const std::string& token_file);

}  // namespace wetlink::client

#endif  // WETLINK_CLIENT_CHANNEL_H_
