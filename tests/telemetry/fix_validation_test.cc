#include "telemetry/fix_validation.h"

#include <cmath>
#include <limits>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wetlink::telemetry {
namespace {

using ::testing::HasSubstr;

constexpr TimestampMs kNow = TimestampFromCivil(2024, 6, 1, 12);

Fix GoodFix() {
  Fix fix;
  fix.tag_id = "HC-0421";
  fix.timestamp_ms = TimestampFromCivil(2024, 4, 2, 6, 30);
  fix.lat = 42.31;
  fix.lon = 130.61;
  fix.height_m = 12.5;
  fix.hdop = 1.2;
  fix.satellites = 9;
  fix.ground_speed_mps = 14.0;
  fix.heading_deg = 45.0;
  fix.event_id = 123456789;
  return fix;
}

std::optional<FieldProblem> Validate(const Fix& fix) {
  return ValidateFix(fix, kNow, ValidationLimits{});
}

// Expects `fix` refused for `reason` on `field`.
void ExpectRefused(const Fix& fix, RejectReason reason, const std::string& field) {
  const auto problem = Validate(fix);
  ASSERT_TRUE(problem.has_value()) << "expected " << RejectReasonCode(reason);
  EXPECT_EQ(RejectReasonCode(problem->reason), RejectReasonCode(reason)) << problem->message;
  EXPECT_EQ(problem->field, field);
  EXPECT_THAT(problem->message, HasSubstr(field));
}

TEST(FixValidationTest, GoodFixPasses) {
  EXPECT_EQ(Validate(GoodFix()), std::nullopt);
  Fix minimal;  // optional fields absent
  minimal.tag_id = "t";
  minimal.timestamp_ms = TimestampFromCivil(2000, 1, 1);
  EXPECT_EQ(Validate(minimal), std::nullopt);
}

TEST(FixValidationTest, EmptyTagId) {
  Fix fix = GoodFix();
  fix.tag_id = "";
  ExpectRefused(fix, RejectReason::kEmptyTagId, "tag-local-identifier");
}

TEST(FixValidationTest, TagIdTooLong) {
  Fix fix = GoodFix();
  fix.tag_id = std::string(64, 'x');
  EXPECT_EQ(Validate(fix), std::nullopt);
  fix.tag_id = std::string(65, 'x');
  ExpectRefused(fix, RejectReason::kTagIdTooLong, "tag-local-identifier");
}

TEST(FixValidationTest, TimestampBefore1990) {
  Fix fix = GoodFix();
  fix.timestamp_ms = TimestampFromCivil(1990, 1, 1);
  EXPECT_EQ(Validate(fix), std::nullopt);
  fix.timestamp_ms -= 1;
  ExpectRefused(fix, RejectReason::kTimestampBefore1990, "timestamp");
  EXPECT_THAT(Validate(fix)->message, HasSubstr("1989-12-31 23:59:59.999"));
}

TEST(FixValidationTest, TimestampInFuture) {
  Fix fix = GoodFix();
  fix.timestamp_ms = kNow + kMsPerDay;
  EXPECT_EQ(Validate(fix), std::nullopt);
  fix.timestamp_ms += 1;
  ExpectRefused(fix, RejectReason::kTimestampInFuture, "timestamp");
}

TEST(FixValidationTest, ExtremeNowDoesNotOverflow) {
  Fix fix = GoodFix();
  const auto problem = ValidateFix(fix, std::numeric_limits<TimestampMs>::min(), ValidationLimits{});
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->reason, RejectReason::kTimestampInFuture);
  EXPECT_EQ(ValidateFix(fix, std::numeric_limits<TimestampMs>::max(), ValidationLimits{}),
            std::nullopt);
}

TEST(FixValidationTest, Latitude) {
  Fix fix = GoodFix();
  fix.lat = 90;
  EXPECT_EQ(Validate(fix), std::nullopt);
  fix.lat = -90;
  EXPECT_EQ(Validate(fix), std::nullopt);
  fix.lat = 90.000001;
  ExpectRefused(fix, RejectReason::kLatitudeOutOfRange, "location-lat");
  fix.lat = 95.2;
  EXPECT_EQ(Validate(fix)->message, "location-lat 95.2 is outside [-90, 90]");
  fix.lat = -90.000001;
  ExpectRefused(fix, RejectReason::kLatitudeOutOfRange, "location-lat");
  fix.lat = std::nan("");
  ExpectRefused(fix, RejectReason::kNotFinite, "location-lat");
  fix.lat = std::numeric_limits<double>::infinity();
  ExpectRefused(fix, RejectReason::kNotFinite, "location-lat");
}

TEST(FixValidationTest, Longitude) {
  Fix fix = GoodFix();
  fix.lon = 180;
  EXPECT_EQ(Validate(fix), std::nullopt);
  fix.lon = -180;
  EXPECT_EQ(Validate(fix), std::nullopt);
  fix.lon = -180.000001;
  ExpectRefused(fix, RejectReason::kLongitudeOutOfRange, "location-long");
  fix.lon = -std::numeric_limits<double>::infinity();
  ExpectRefused(fix, RejectReason::kNotFinite, "location-long");
}

TEST(FixValidationTest, Height) {
  Fix fix = GoodFix();
  fix.height_m = 12000;
  EXPECT_EQ(Validate(fix), std::nullopt);
  fix.height_m = -500;
  EXPECT_EQ(Validate(fix), std::nullopt);
  fix.height_m = 20000;
  ExpectRefused(fix, RejectReason::kHeightOutOfRange, "height-above-ellipsoid");
  fix.height_m = -501;
  ExpectRefused(fix, RejectReason::kHeightOutOfRange, "height-above-ellipsoid");
  fix.height_m = std::nan("");
  ExpectRefused(fix, RejectReason::kNotFinite, "height-above-ellipsoid");
}

TEST(FixValidationTest, Hdop) {
  Fix fix = GoodFix();
  fix.hdop = 0;
  EXPECT_EQ(Validate(fix), std::nullopt);
  fix.hdop = 100;
  EXPECT_EQ(Validate(fix), std::nullopt);
  fix.hdop = -1;
  ExpectRefused(fix, RejectReason::kHdopOutOfRange, "gps:hdop");
  fix.hdop = 100.5;
  ExpectRefused(fix, RejectReason::kHdopOutOfRange, "gps:hdop");
  fix.hdop = std::numeric_limits<double>::infinity();
  ExpectRefused(fix, RejectReason::kNotFinite, "gps:hdop");
}

TEST(FixValidationTest, Satellites) {
  Fix fix = GoodFix();
  fix.satellites = 0;
  EXPECT_EQ(Validate(fix), std::nullopt);
  fix.satellites = 64;
  EXPECT_EQ(Validate(fix), std::nullopt);
  fix.satellites = 65;
  ExpectRefused(fix, RejectReason::kSatelliteCountOutOfRange, "gps:satellite-count");
  fix.satellites = -1;
  ExpectRefused(fix, RejectReason::kSatelliteCountOutOfRange, "gps:satellite-count");
}

TEST(FixValidationTest, GroundSpeed) {
  Fix fix = GoodFix();
  fix.ground_speed_mps = 100;
  EXPECT_EQ(Validate(fix), std::nullopt);
  fix.ground_speed_mps = 100.01;
  ExpectRefused(fix, RejectReason::kGroundSpeedOutOfRange, "ground-speed");
  fix.ground_speed_mps = -0.5;
  ExpectRefused(fix, RejectReason::kGroundSpeedOutOfRange, "ground-speed");
  fix.ground_speed_mps = std::nan("");
  ExpectRefused(fix, RejectReason::kNotFinite, "ground-speed");
}

TEST(FixValidationTest, Heading) {
  Fix fix = GoodFix();
  fix.heading_deg = 0;
  EXPECT_EQ(Validate(fix), std::nullopt);
  fix.heading_deg = 359.99;
  EXPECT_EQ(Validate(fix), std::nullopt);
  fix.heading_deg = 360;
  ExpectRefused(fix, RejectReason::kHeadingOutOfRange, "heading");
  EXPECT_EQ(Validate(fix)->message, "heading 360 is outside [0, 360)");
  fix.heading_deg = -1;
  ExpectRefused(fix, RejectReason::kHeadingOutOfRange, "heading");
  fix.heading_deg = std::nan("");
  ExpectRefused(fix, RejectReason::kNotFinite, "heading");
}

TEST(FixValidationTest, NegativeEventId) {
  Fix fix = GoodFix();
  fix.event_id = 0;
  EXPECT_EQ(Validate(fix), std::nullopt);
  fix.event_id = -5;
  ExpectRefused(fix, RejectReason::kBadEventId, "event-id");
}

TEST(FixValidationTest, FirstProblemInDocumentedOrder) {
  Fix fix = GoodFix();
  fix.heading_deg = 400;
  fix.hdop = -1;
  fix.lon = 200;
  fix.lat = 100;
  fix.timestamp_ms = 0;
  fix.tag_id = "";
  EXPECT_EQ(Validate(fix)->reason, RejectReason::kEmptyTagId);
  fix.tag_id = "t";
  EXPECT_EQ(Validate(fix)->reason, RejectReason::kTimestampBefore1990);
  fix.timestamp_ms = kNow;
  EXPECT_EQ(Validate(fix)->reason, RejectReason::kLatitudeOutOfRange);
  fix.lat = 0;
  EXPECT_EQ(Validate(fix)->reason, RejectReason::kLongitudeOutOfRange);
  fix.lon = 0;
  EXPECT_EQ(Validate(fix)->reason, RejectReason::kHdopOutOfRange);
  fix.hdop = 1;
  EXPECT_EQ(Validate(fix)->reason, RejectReason::kHeadingOutOfRange);
}

TEST(FixValidationTest, CustomLimits) {
  ValidationLimits limits;
  limits.max_ground_speed_mps = 30;
  Fix fix = GoodFix();
  fix.ground_speed_mps = 31;
  EXPECT_EQ(ValidateFix(fix, kNow, limits)->reason, RejectReason::kGroundSpeedOutOfRange);
  EXPECT_EQ(ValidateFix(fix, kNow, ValidationLimits{}), std::nullopt);
}

}  // namespace
}  // namespace wetlink::telemetry
