#ifndef WETLINK_CLI_CLIENT_H_
#define WETLINK_CLI_CLIENT_H_

// What every wetlink subcommand shares: the global options, the channel to
// wetlinkd, per-call deadlines, and uniform error reporting.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>
#include <grpcpp/grpcpp.h>

#include "cli/exit_codes.h"
#include "cli/output.h"

namespace wetlink::cli {

struct GlobalOptions {
  std::string server = "127.0.0.1:50051";  // or $WETLINK_SERVER
  OutputFormat format = OutputFormat::kTable;
  double timeout_s = 30;  // per call
  // --token-file, else $WETLINK_TOKEN, else $WETLINK_TOKEN_FILE.
  std::string token_file;
  // --tls-ca (or $WETLINK_TLS_CA): the CA of wetlinkd's certificate; unset
  // means plaintext. --tls-server-name overrides the name checked.
  std::string tls_ca_file;
  std::string tls_server_name;
  // --tls-cert and --tls-key (or $WETLINK_TLS_CERT, $WETLINK_TLS_KEY): the
  // client certificate for a wetlinkd that requires one (mutual TLS).
  std::string tls_cert_file;
  std::string tls_key_file;
  // Resolved from the above once the command line is parsed.
  std::string token;
  std::string tls_root_certs;
  std::string tls_cert_chain;
  std::string tls_private_key;
};

// Adds --server, --format, --timeout, --token-file, --tls-ca,
// --tls-server-name, --tls-cert and --tls-key to `app`, and resolves the
// token, the CA and the client certificate once the command line is parsed
// (a usage error naming the file if one cannot be read).
void AddGlobalOptions(CLI::App& app, GlobalOptions& global);

class Client {
 public:
  explicit Client(const GlobalOptions& options);

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  const GlobalOptions& options() const { return options_; }

  // A context carrying the per-call deadline.
  std::unique_ptr<grpc::ClientContext> NewContext() const;

  // Prints "wetlink: <what>: <message> (<CODE>)" to stderr and returns the
  // exit code for the status.
  int Fail(const grpc::Status& status, std::string_view what) const;

 private:
  GlobalOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
};

// Prints "wetlink: <message>" to stderr and returns `code`.
int FailLocal(std::string_view message, ExitCode code);

// Name of a gRPC status code, e.g. "NOT_FOUND".
std::string_view StatusCodeName(grpc::StatusCode code);

}  // namespace wetlink::cli

#endif  // WETLINK_CLI_CLIENT_H_
