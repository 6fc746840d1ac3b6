#include "telemetry/reject_reason.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace wetlink::telemetry {
namespace {

TEST(RejectReasonTest, CodesAreUniqueConstantCaseAndRoundTrip) {
  std::set<std::string> seen;
  for (RejectReason reason : kAllRejectReasons) {
    const std::string code(RejectReasonCode(reason));
    ASSERT_FALSE(code.empty());
    for (char c : code) EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') << code;
    EXPECT_TRUE(seen.insert(code).second) << "duplicate code " << code;
    EXPECT_EQ(RejectReasonFromCode(code), reason);
  }
  EXPECT_EQ(seen.size(), kAllRejectReasons.size());
}

TEST(RejectReasonTest, KnownCodes) {
  EXPECT_EQ(RejectReasonCode(RejectReason::kLatitudeOutOfRange), "LATITUDE_OUT_OF_RANGE");
  EXPECT_EQ(RejectReasonCode(RejectReason::kTimestampBefore1990), "TIMESTAMP_BEFORE_1990");
  EXPECT_EQ(RejectReasonCode(RejectReason::kMalformedRow), "MALFORMED_ROW");
  EXPECT_EQ(RejectReasonCode(RejectReason::kMessageTooLarge), "MESSAGE_TOO_LARGE");
  EXPECT_EQ(RejectReasonFromCode("NO_SUCH_CODE"), std::nullopt);
}

}  // namespace
}  // namespace wetlink::telemetry
