#include "cli/client.h"

#include <array>
#include <iostream>
#include <utility>

namespace wetlink::cli {

Client::Client(const GlobalOptions& options) : options_(options) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(256 << 20);
  // TLS arrives with access control; until then wetlinkd is plaintext and
  // loopback-only by default.
  channel_ = grpc::CreateCustomChannel(options.server, grpc::InsecureChannelCredentials(), args);
}

std::unique_ptr<grpc::ClientContext> Client::NewContext() const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(static_cast<long long>(options_.timeout_s * 1000)));
  return ctx;
}

std::string_view StatusCodeName(grpc::StatusCode code) {
  static constexpr std::array<std::string_view, 17> kNames = {
      "OK",           "CANCELLED",          "UNKNOWN",   "INVALID_ARGUMENT",  "DEADLINE_EXCEEDED",
      "NOT_FOUND",    "ALREADY_EXISTS",     "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION", "ABORTED",     "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL",
      "UNAVAILABLE",  "DATA_LOSS",          "UNAUTHENTICATED"};
  const auto i = static_cast<std::size_t>(code);
  return i < kNames.size() ? kNames[i] : "UNKNOWN";
}

int Client::Fail(const grpc::Status& status, std::string_view what) const {
  std::cerr << "wetlink: " << what << ": " << status.error_message() << " ("
            << StatusCodeName(status.error_code());
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    std::cerr << "; is wetlinkd running at " << options_.server << "?";
  }
  std::cerr << ")\n";
  return ExitCodeFor(status.error_code());
}

int FailLocal(std::string_view message, ExitCode code) {
  std::cerr << "wetlink: " << message << "\n";
  return code;
}

}  // namespace wetlink::cli
