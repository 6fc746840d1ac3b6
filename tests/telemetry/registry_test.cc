#include "telemetry/registry.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wetlink::telemetry {
namespace {

using ::testing::HasSubstr;

TEST(RegistryTest, StudyIds) {
  EXPECT_TRUE(IsValidStudyId("hooded-crane_izumi-2024"));
  EXPECT_FALSE(IsValidStudyId(""));
  EXPECT_FALSE(IsValidStudyId("Hooded"));
  EXPECT_FALSE(IsValidStudyId("a b"));
  EXPECT_FALSE(IsValidStudyId(std::string(65, 'a')));
  EXPECT_TRUE(IsValidStudyId(std::string(64, 'a')));
}

TEST(RegistryTest, ExternalIdsAreFreeTextWithinLimits) {
  EXPECT_TRUE(CheckExternalId("2859/H4839/Albert", "individual-local-identifier").ok());
  EXPECT_TRUE(CheckExternalId("흑두루미 #7", "individual-local-identifier").ok());
  auto empty = CheckExternalId("", "tag-local-identifier");
  EXPECT_EQ(empty.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(empty.message()), HasSubstr("tag-local-identifier"));
  EXPECT_FALSE(CheckExternalId(std::string(129, 'x'), "tag-local-identifier").ok());
  EXPECT_TRUE(CheckExternalId(std::string(128, 'x'), "tag-local-identifier").ok());
  EXPECT_FALSE(CheckExternalId("a\tb", "tag-local-identifier").ok());
  EXPECT_FALSE(CheckExternalId("a\nb", "tag-local-identifier").ok());
  // Ids go into protobuf strings: invalid UTF-8 and C1 controls are refused
  // (found by fuzz/movebank_reference_fuzzer), with the bytes escaped.
  for (const std::string bad : {"\xef", "tag\xc3", "\xed\xa0\x80", "\xc0\xaf", "a\xc2\x85" "b"}) {
    const absl::Status status = CheckExternalId(bad, "tag-local-identifier");
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(std::string(status.message()), HasSubstr("invalid UTF-8 or a control character"))
        << bad;
    EXPECT_THAT(std::string(status.message()), HasSubstr("\\x")) << bad;
  }
}

TEST(RegistryTest, DeploymentCoversHalfOpenInterval) {
  Deployment d;
  d.start_ms = 100;
  d.end_ms = 200;
  EXPECT_FALSE(d.Covers(99));
  EXPECT_TRUE(d.Covers(100));
  EXPECT_TRUE(d.Covers(199));
  EXPECT_FALSE(d.Covers(200));
  d.end_ms.reset();
  EXPECT_TRUE(d.Covers(1'000'000'000'000));
}

}  // namespace
}  // namespace wetlink::telemetry
