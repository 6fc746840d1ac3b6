#ifndef WETLINK_CLI_EXIT_CODES_H_
#define WETLINK_CLI_EXIT_CODES_H_

// Exit codes of the wetlink CLI, documented in docs/CLI.md.

#include <grpcpp/support/status.h>

namespace wetlink::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,          // anything not listed below
  kExitUsage = 2,            // bad command line
  kExitUnavailable = 3,      // server unreachable or deadline exceeded
  kExitNotFound = 4,         // NOT_FOUND
  kExitInvalid = 5,          // INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE
  kExitLocalIo = 6,          // a local file could not be read or written
  kExitResourceExhausted = 7, // RESOURCE_EXHAUSTED (e.g. a file over the limit)
  // The whole input was processed and some records were refused (reported
  // by line); the others were stored. Used by record-by-record imports
  // (`counts import`).
  kExitSomeRejected = 8,
  kExitDenied = 9,  // UNAUTHENTICATED (no or bad token), PERMISSION_DENIED
};

ExitCode ExitCodeFor(grpc::StatusCode code);

}  // namespace wetlink::cli

#endif  // WETLINK_CLI_EXIT_CODES_H_
