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
  // Extra channel arguments (message sizes, reconnect backoff).
  grpc::ChannelArguments arguments;
};

std::shared_ptr<grpc::Channel> MakeChannel(const ChannelOptions& options);

// The PEM text of a CA file; InvalidArgument naming the file when it cannot
// be read or holds no certificate.
absl::StatusOr<std::string> ReadCaFile(const std::string& path);

// The token a client presents, in order of precedence: `token_file` (a
// file holding the token, surrounding whitespace ignored), $WETLINK_TOKEN,
// the file named by $WETLINK_TOKEN_FILE. "" when none is set; an error
// naming the file when it cannot be read or is empty.
absl::StatusOr<std::string> ResolveToken(const std::string& token_file);

}  // namespace wetlink::client

#endif  // WETLINK_CLIENT_CHANNEL_H_
