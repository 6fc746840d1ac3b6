#include "access/location_privacy.h"

#include <cmath>
#include <cstdint>

#include "gtest/gtest.h"

namespace wetlink::access {
namespace {

constexpr double kTol = 1e-9;
constexpr std::int64_t kDayMs = 24 * 3600 * 1000;

// The cell centre of (in_lat, in_lon) must be (want_lat, want_lon); the
// macro keeps the caller's line in the failure.
#define EXPECT_CELL(in_lat, in_lon, grid, want_lat, want_lon)         \
  do {                                                                \
    const LatLon got_ = Generalise((in_lat), (in_lon), (grid));       \
    EXPECT_NEAR(got_.lat, (want_lat), kTol) << "lat of " << (in_lat); \
    EXPECT_NEAR(got_.lon, (want_lon), kTol) << "lon of " << (in_lon); \
  } while (false)

TEST(LocationPrivacyTest, Defaults) {
  const LocationPrivacy privacy;
  EXPECT_TRUE(privacy.sensitive_species.empty());
  EXPECT_DOUBLE_EQ(privacy.grid_deg, 0.2);
  EXPECT_EQ(privacy.embargo_ms, 30 * kDayMs);
}

TEST(LocationPrivacyTest, IsSensitive) {
  LocationPrivacy privacy;
  privacy.sensitive_species = {"grus_monacha", "platalea_minor"};
  EXPECT_TRUE(privacy.IsSensitive("grus_monacha"));
  EXPECT_TRUE(privacy.IsSensitive("platalea_minor"));
  EXPECT_FALSE(privacy.IsSensitive("anser_fabalis"));
  EXPECT_FALSE(privacy.IsSensitive(""));
  EXPECT_FALSE(privacy.IsSensitive("HC"));  // ids only, not codes
}

TEST(LocationPrivacyTest, GeneraliseKnownAnswers) {
  EXPECT_CELL(42.3456, 130.6789, 0.2, 42.3, 130.7);
  EXPECT_CELL(32.1, 130.3, 0.2, 32.1, 130.3);
  EXPECT_CELL(35.05, 139.95, 0.1, 35.05, 139.95);
  EXPECT_CELL(35.01, 139.99, 0.1, 35.05, 139.95);
  EXPECT_CELL(42.3456, 130.6789, 1.0, 42.5, 130.5);
  EXPECT_CELL(42.3456, 130.6789, 0.5, 42.25, 130.75);
  EXPECT_CELL(0.01, 0.01, 0.2, 0.1, 0.1);
}

TEST(LocationPrivacyTest, GeneraliseNegativeCoordinates) {
  // Cells are floor-aligned: -42.3456 lies in [-42.4, -42.2).
  EXPECT_CELL(-42.3456, -130.6789, 0.2, -42.3, -130.7);
  EXPECT_CELL(-0.01, -0.01, 0.2, -0.1, -0.1);
  EXPECT_CELL(-0.01, 0.01, 0.2, -0.1, 0.1);
  EXPECT_CELL(-42.3456, 130.6789, 1.0, -42.5, 130.5);
  EXPECT_CELL(-34.9, -58.4, 0.5, -34.75, -58.25);
}

TEST(LocationPrivacyTest, GeneraliseKeepsEveryPointOfACellTogether) {
  // Every point of the cell [42.2, 42.4) x [130.6, 130.8) has one centre.
  for (double lat : {42.2001, 42.25, 42.3, 42.35, 42.3999}) {
    for (double lon : {130.6001, 130.65, 130.7, 130.7999}) {
      EXPECT_CELL(lat, lon, 0.2, 42.3, 130.7);
    }
  }
}

TEST(LocationPrivacyTest, GeneraliseMovesAPointByAtMostHalfACell) {
  for (double lat = -89.95; lat < 90; lat += 3.17) {
    for (double lon = -179.95; lon < 180; lon += 7.31) {
      const LatLon got = Generalise(lat, lon, 0.2);
      EXPECT_LE(std::fabs(got.lat - lat), 0.1 + kTol) << lat;
      EXPECT_LE(std::fabs(got.lon - lon), 0.1 + kTol) << lon;
    }
  }
}

TEST(LocationPrivacyTest, PointsOnBinaryExactEdgesGoNorthAndEast) {
  // Grid sizes that binary floating point holds exactly.
  EXPECT_CELL(42.0, 130.0, 1.0, 42.5, 130.5);
  EXPECT_CELL(42.5, 130.5, 0.5, 42.75, 130.75);
  EXPECT_CELL(42.25, 130.75, 0.25, 42.375, 130.875);
  EXPECT_CELL(0.0, 0.0, 0.25, 0.125, 0.125);
  EXPECT_CELL(-42.0, -130.0, 1.0, -41.5, -129.5);
  EXPECT_CELL(-0.5, -0.5, 0.5, -0.25, -0.25);
  EXPECT_CELL(0.0, 0.0, 0.2, 0.1, 0.1);
}

TEST(LocationPrivacyTest, PointsOnDecimalEdgesOfTheDefaultGridGoNorthAndEast) {
  // The documented rule ("a position on a cell edge belongs to the cell
  // north or east of it") for the default 0.2 degree grid, whose edges are
  // the decimal multiples of 0.2 a user configures and GPS data carries.
  // Fails while Generalise floors value / grid in binary floating point:
  // 42.4 / 0.2 == 211.99999999999997, so 42.4 lands in the cell south of
  // its edge (centre 42.3), and so do 130.6 and 0.6.
  EXPECT_CELL(42.2, 130.8, 0.2, 42.3, 130.9);
  EXPECT_CELL(42.4, 130.6, 0.2, 42.5, 130.7);
  EXPECT_CELL(0.6, 0.6, 0.2, 0.7, 0.7);
  EXPECT_CELL(35.0, 139.0, 0.2, 35.1, 139.1);
  EXPECT_CELL(-42.4, -130.6, 0.2, -42.3, -130.5);
  EXPECT_CELL(-0.6, -0.6, 0.2, -0.5, -0.5);
}

TEST(LocationPrivacyTest, NearThePolesTheCentreStaysInRange) {
  EXPECT_CELL(90.0, 10.05, 0.2, 90.0, 10.1);
  EXPECT_CELL(89.95, 10.05, 0.2, 89.9, 10.1);
  EXPECT_CELL(-90.0, 10.05, 0.2, -89.9, 10.1);
  EXPECT_CELL(-89.95, 10.05, 0.2, -89.9, 10.1);
  // A grid that does not divide 90: the cell [89.6, 90.3) straddles the pole.
  EXPECT_CELL(89.9, 0.1, 0.7, 89.95, 0.35);
  // 3 degrees: [87, 90) whole; 7 degrees: [84, 91) straddles.
  EXPECT_CELL(89.0, 0.0, 3.0, 88.5, 1.5);
  const LatLon coarse = Generalise(89.0, 0.0, 7.0);
  EXPECT_LE(coarse.lat, 90.0);
  EXPECT_GE(coarse.lat, -90.0);
  for (double grid : {0.2, 0.3, 0.7, 1.0, 7.0, 50.0}) {
    for (double lat : {-90.0, -89.99, 89.99, 90.0}) {
      const LatLon got = Generalise(lat, 0.0, grid);
      EXPECT_LE(got.lat, 90.0) << lat << " grid " << grid;
      EXPECT_GE(got.lat, -90.0) << lat << " grid " << grid;
    }
  }
}

TEST(LocationPrivacyTest, NearTheAntimeridianTheCentreStaysInRange) {
  EXPECT_CELL(50.05, 179.95, 0.2, 50.1, 179.9);
  EXPECT_CELL(50.05, -179.95, 0.2, 50.1, -179.9);
  EXPECT_CELL(50.05, -180.0, 0.2, 50.1, -179.9);
  EXPECT_CELL(50.05, 180.0, 0.2, 50.1, 180.0);
  // 0.7 does not divide 180: the cell [179.9, 180.6) straddles it.
  EXPECT_CELL(50.05, 179.95, 0.7, 50.05, 180.0);
  for (double grid : {0.2, 0.3, 0.7, 1.0, 7.0, 50.0}) {
    for (double lon : {-180.0, -179.99, 179.99, 180.0}) {
      const LatLon got = Generalise(0.0, lon, grid);
      EXPECT_LE(got.lon, 180.0) << lon << " grid " << grid;
      EXPECT_GE(got.lon, -180.0) << lon << " grid " << grid;
    }
  }
}

TEST(LocationPrivacyTest, UnderEmbargoBoundaries) {
  const std::int64_t now = 1'717'200'000'000;
  const std::int64_t embargo = 30 * kDayMs;
  // Exactly as old as the embargo: released.
  EXPECT_FALSE(UnderEmbargo(now - embargo, now, embargo));
  EXPECT_FALSE(UnderEmbargo(now - embargo - 1, now, embargo));
  EXPECT_FALSE(UnderEmbargo(0, now, embargo));
  // One millisecond younger: withheld.
  EXPECT_TRUE(UnderEmbargo(now - embargo + 1, now, embargo));
  EXPECT_TRUE(UnderEmbargo(now - 1, now, embargo));
  EXPECT_TRUE(UnderEmbargo(now, now, embargo));
  // From the future (a tag's clock ahead): withheld.
  EXPECT_TRUE(UnderEmbargo(now + kDayMs, now, embargo));
}

TEST(LocationPrivacyTest, UnderEmbargoWithoutEmbargoWithholdsOnlyTheFuture) {
  const std::int64_t now = 1'717'200'000'000;
  EXPECT_FALSE(UnderEmbargo(now, now, 0));
  EXPECT_FALSE(UnderEmbargo(now - 1, now, 0));
  EXPECT_TRUE(UnderEmbargo(now + 1, now, 0));
}

TEST(LocationPrivacyTest, UnderEmbargoBeforeNineteenSeventy) {
  const std::int64_t now = 10 * kDayMs;
  const std::int64_t embargo = 30 * kDayMs;
  EXPECT_FALSE(UnderEmbargo(-20 * kDayMs, now, embargo));
  EXPECT_TRUE(UnderEmbargo(-20 * kDayMs + 1, now, embargo));
  EXPECT_TRUE(UnderEmbargo(-5 * kDayMs, now, embargo));
}

}  // namespace
}  // namespace wetlink::access
