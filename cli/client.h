#ifndef WETLINK_CLI_CLIENT_H_
#define WETLINK_CLI_CLIENT_H_

// What every wetlink subcommand shares: the global options, the channel to
// wetlinkd, per-call deadlines, and uniform error reporting.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include <grpcpp/grpcpp.h>

#include "cli/exit_codes.h"
#include "cli/output.h"

namespace wetlink::cli {

struct GlobalOptions {
  std::string server = "127.0.0.1:50051";  // or $WETLINK_SERVER
  OutputFormat format = OutputFormat::kTable;
  double timeout_s = 30;  // per call
};

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
