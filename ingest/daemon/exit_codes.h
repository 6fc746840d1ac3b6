#ifndef WETLINK_INGEST_DAEMON_EXIT_CODES_H_
#define WETLINK_INGEST_DAEMON_EXIT_CODES_H_

// Exit codes of wetlink-ingest, documented in docs/INGEST_DAEMON.md. Codes
// 0-7 mean what they mean for the wetlink CLI (docs/CLI.md); 8 is the
// daemon's own.

#include <string_view>

#include "absl/status/status.h"

namespace wetlink::ingest::daemon {

enum ExitCode : int {
  kExitOk = 0,                // every row read was acknowledged (rejected records included)
  kExitFailure = 1,           // anything not listed below
  kExitUsage = 2,             // bad command line
  kExitUnavailable = 3,       // server unreachable for longer than --max-retry-s
  kExitNotFound = 4,          // NOT_FOUND from the server
  kExitRefused = 5,           // the server refused whole batches, a non-retryable
                              // INVALID_ARGUMENT / FAILED_PRECONDITION / OUT_OF_RANGE,
                              // or an input file cannot be read as its format
  kExitLocalIo = 6,           // an input file, the state dir, the checkpoint or the
                              // rejects file could not be read or written
  kExitResourceExhausted = 7, // a batch is larger than the server accepts
  kExitInterrupted = 8,       // push stopped by SIGINT/SIGTERM, or a second signal
                              // abandoned unacknowledged batches; run again to resume
};

// The exit code for a run that ended with `status`: kExitOk for OK; the
// code a MarkLocalIo or InterruptedError status was marked with; otherwise
// by its code, as the CLI maps gRPC codes (UNAVAILABLE and DEADLINE_EXCEEDED
// -> 3, NOT_FOUND -> 4, INVALID_ARGUMENT, FAILED_PRECONDITION and
// OUT_OF_RANGE -> 5, RESOURCE_EXHAUSTED -> 7, anything else -> 1).
ExitCode ExitCodeForStatus(const absl::Status& status);

// `status` (not OK) marked as a failure to read or write a local file, so
// that ExitCodeForStatus answers kExitLocalIo whatever its code.
absl::Status MarkLocalIo(absl::Status status);

// A run interrupted by a signal before everything was acknowledged
// (kExitInterrupted).
absl::Status InterruptedError(std::string_view message);

}  // namespace wetlink::ingest::daemon

#endif  // WETLINK_INGEST_DAEMON_EXIT_CODES_H_
