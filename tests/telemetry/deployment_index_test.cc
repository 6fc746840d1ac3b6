#include "telemetry/deployment_index.h"

#include <variant>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wetlink::telemetry {
namespace {

using ::testing::HasSubstr;

constexpr TimestampMs kDay = 86'400'000;

Deployment On(std::string study, std::string tag, std::string individual, TimestampMs start,
              std::optional<TimestampMs> end) {
  Deployment d;
  d.study_id = std::move(study);
  d.tag_id = std::move(tag);
  d.individual_id = std::move(individual);
  d.start_ms = start;
  d.end_ms = end;
  return d;
}

// Tag "2859" was on "albert" for days [0, 10), then on "berta" from day 20
// onwards. Another study reuses the tag id "2859" for its own bird.
//
//   day:     0         10        20 ....
//   2859:    [-albert-)          [-berta------>
DeploymentIndex Sample() {
  auto index = DeploymentIndex::Build({
      On("storks", "2859", "berta", 20 * kDay, std::nullopt),
      On("storks", "2859", "albert", 0, 10 * kDay),
      On("cranes", "2859", "hana", 0, std::nullopt),
  });
  EXPECT_TRUE(index.ok()) << index.status();
  return *std::move(index);
}

std::string ResolvedIndividual(const DeploymentIndex& index, const char* study, const char* tag,
                               TimestampMs t) {
  auto r = index.Resolve(study, tag, t);
  if (const auto* d = std::get_if<const Deployment*>(&r)) return (*d)->individual_id;
  return std::get<ResolveFailure>(r) == ResolveFailure::kUnknownTag ? "<unknown tag>"
                                                                    : "<outside>";
}

TEST(DeploymentIndexTest, ResolvesTheDeploymentCoveringTheTime) {
  const DeploymentIndex index = Sample();
  EXPECT_EQ(ResolvedIndividual(index, "storks", "2859", 0), "albert");  // start inclusive
  EXPECT_EQ(ResolvedIndividual(index, "storks", "2859", 10 * kDay - 1), "albert");
  EXPECT_EQ(ResolvedIndividual(index, "storks", "2859", 10 * kDay), "<outside>");  // end exclusive
  EXPECT_EQ(ResolvedIndividual(index, "storks", "2859", 15 * kDay), "<outside>");
  EXPECT_EQ(ResolvedIndividual(index, "storks", "2859", 20 * kDay), "berta");
  EXPECT_EQ(ResolvedIndividual(index, "storks", "2859", 9'000 * kDay), "berta");  // open-ended
  EXPECT_EQ(ResolvedIndividual(index, "storks", "2859", -1), "<outside>");  // before any
}

TEST(DeploymentIndexTest, TagsBelongToTheirStudy) {
  const DeploymentIndex index = Sample();
  EXPECT_EQ(ResolvedIndividual(index, "cranes", "2859", 15 * kDay), "hana");
  EXPECT_EQ(ResolvedIndividual(index, "cranes", "9999", 0), "<unknown tag>");
  EXPECT_EQ(ResolvedIndividual(index, "spoonbills", "2859", 0), "<unknown tag>");
}

TEST(DeploymentIndexTest, OverlappingDeploymentsOfOneTagAreRefused) {
  auto index = DeploymentIndex::Build({
      On("storks", "2859", "albert", 0, 10 * kDay),
      On("storks", "2859", "berta", 9 * kDay, std::nullopt),
  });
  ASSERT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(index.status().message()), HasSubstr("'albert'"));
  EXPECT_THAT(std::string(index.status().message()), HasSubstr("'berta'"));

  auto open_ended = DeploymentIndex::Build({
      On("storks", "2859", "albert", 0, std::nullopt),
      On("storks", "2859", "berta", 30 * kDay, std::nullopt),
  });
  EXPECT_EQ(open_ended.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DeploymentIndexTest, BackToBackDeploymentsAreFine) {
  auto index = DeploymentIndex::Build({
      On("storks", "2859", "albert", 0, 10 * kDay),
      On("storks", "2859", "berta", 10 * kDay, std::nullopt),
  });
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ(ResolvedIndividual(*index, "storks", "2859", 10 * kDay), "berta");
}

TEST(DeploymentIndexTest, EndBeforeStartIsRefused) {
  auto index = DeploymentIndex::Build({On("storks", "2859", "albert", 10 * kDay, 10 * kDay)});
  ASSERT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(index.status().message()), HasSubstr("deploy-off must be after"));
}

TEST(DeploymentIndexTest, OneIndividualMayCarryTwoTagsAtOnce) {
  // GPS and accelerometer tags on one bird, as Movebank allows.
  auto index = DeploymentIndex::Build({
      On("storks", "gps-1", "albert", 0, std::nullopt),
      On("storks", "acc-1", "albert", 0, std::nullopt),
  });
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ(ResolvedIndividual(*index, "storks", "acc-1", 5), "albert");
  EXPECT_EQ(ResolvedIndividual(*index, "storks", "gps-1", 5), "albert");
}

}  // namespace
}  // namespace wetlink::telemetry
