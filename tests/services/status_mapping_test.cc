#include "services/status_mapping.h"

#include <gtest/gtest.h>

namespace wetlink::services {
namespace {

TEST(StatusMappingTest, EveryAbslCodeMapsToTheGrpcCodeOfTheSameMeaning) {
  // absl and gRPC share the canonical code numbering; the table must agree.
  for (int code = 0; code <= 16; ++code) {
    EXPECT_EQ(static_cast<int>(ToGrpcCode(static_cast<absl::StatusCode>(code))), code)
        << "code " << code;
  }
}

TEST(StatusMappingTest, KeepsTheMessageThatNamesTheRecord) {
  grpc::Status s = ToGrpcStatus(absl::NotFoundError("site 'nope' not found"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "site 'nope' not found");
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(StatusMappingTest, UnknownCodesBecomeUnknown) {
  EXPECT_EQ(ToGrpcCode(static_cast<absl::StatusCode>(999)), grpc::StatusCode::UNKNOWN);
}

}  // namespace
}  // namespace wetlink::services
