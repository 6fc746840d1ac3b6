#include "ingest/daemon/exit_codes.h"

#include <string>

#include "absl/strings/cord.h"

namespace wetlink::ingest::daemon {
namespace {

// The payload carrying an exit code chosen where the error was raised.
constexpr char kExitCodePayload[] = "wetlink.ingest/exit-code";

absl::Status WithExitCode(absl::Status status, ExitCode code) {
  status.SetPayload(kExitCodePayload, absl::Cord(std::to_string(static_cast<int>(code))));
  return status;
}

}  // namespace

ExitCode ExitCodeForStatus(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  if (const auto payload = status.GetPayload(kExitCodePayload)) {
    const std::string text(*payload);
    if (text == "6") return kExitLocalIo;
    if (text == "8") return kExitInterrupted;
  }
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return kExitUnavailable;
    case absl::StatusCode::kNotFound:
      return kExitNotFound;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return kExitRefused;
    case absl::StatusCode::kResourceExhausted:
      return kExitResourceExhausted;
    default:
      return kExitFailure;
  }
}

absl::Status MarkLocalIo(absl::Status status) {
  if (status.ok()) return status;
  return WithExitCode(std::move(status), kExitLocalIo);
}

absl::Status InterruptedError(std::string_view message) {
  return WithExitCode(absl::CancelledError(std::string(message)), kExitInterrupted);
}

}  // namespace wetlink::ingest::daemon
