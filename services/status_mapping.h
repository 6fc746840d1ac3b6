#ifndef WETLINK_SERVICES_STATUS_MAPPING_H_
#define WETLINK_SERVICES_STATUS_MAPPING_H_

// The one table that maps Wetlink's error kinds (absl::StatusCode, as every
// core module returns them) to gRPC status codes.

#include <grpcpp/support/server_callback.h>
#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace wetlink::services {

grpc::StatusCode ToGrpcCode(absl::StatusCode code);

// Keeps the message, which names the record and field at fault.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Finishes a callback-API unary call with `status`, mapped.
grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* ctx,
                                      const absl::Status& status);

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_STATUS_MAPPING_H_
