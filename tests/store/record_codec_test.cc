#include "store/record_codec.h"

#include <bit>
#include <boost/geometry/algorithms/correct.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "catalog/site.h"
#include "catalog/species.h"
#include "geo/geometry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace wetlink::store {
namespace {

using ::testing::HasSubstr;

void ExpectRingsEqual(const geo::Ring& a, const geo::Ring& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].x(), b[i].x()) << i;  // exact: doubles are stored as doubles
    EXPECT_EQ(a[i].y(), b[i].y()) << i;
  }
}

void ExpectSitesEqual(const catalog::Site& a, const catalog::Site& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.names, b.names);
  EXPECT_EQ(a.names_unverified, b.names_unverified);
  EXPECT_EQ(a.alt_names, b.alt_names);
  EXPECT_EQ(a.country, b.country);
  EXPECT_EQ(a.complex_id, b.complex_id);
  EXPECT_EQ(a.designations, b.designations);
  EXPECT_EQ(a.is_protected, b.is_protected);
  EXPECT_EQ(a.stated_area_ha, b.stated_area_ha);
  EXPECT_EQ(a.area_source, b.area_source);
  EXPECT_EQ(a.centre.lat, b.centre.lat);
  EXPECT_EQ(a.centre.lon, b.centre.lon);
  EXPECT_EQ(a.centre_verified, b.centre_verified);
  EXPECT_EQ(a.centre_source, b.centre_source);
  EXPECT_EQ(a.geometry_surveyed, b.geometry_surveyed);
  EXPECT_EQ(a.geometry_note, b.geometry_note);
  ASSERT_EQ(a.geometry.size(), b.geometry.size());
  for (std::size_t p = 0; p < a.geometry.size(); ++p) {
    ExpectRingsEqual(a.geometry[p].outer(), b.geometry[p].outer());
    ASSERT_EQ(a.geometry[p].inners().size(), b.geometry[p].inners().size());
    for (std::size_t h = 0; h < a.geometry[p].inners().size(); ++h) {
      ExpectRingsEqual(a.geometry[p].inners()[h], b.geometry[p].inners()[h]);
    }
  }
  EXPECT_EQ(a.sources, b.sources);
  EXPECT_EQ(a.notes, b.notes);
  EXPECT_EQ(a.origin, b.origin);
}

// Two parts; the first has a hole:
//
//  y=42.4 +-----------+      +----+ y=42.4
//         |  +-----+  |      |    |
//         |  |hole |  |      |    |
//         |  +-----+  |      |    |
//  y=42.3 +-----------+      +----+ y=42.3
//      x=130.5      130.6  130.7  130.8
geo::MultiPolygon HoledMultiPolygon() {
  geo::Polygon outer;
  outer.outer() = {{130.5, 42.3}, {130.6, 42.3}, {130.6, 42.4}, {130.5, 42.4}, {130.5, 42.3}};
  outer.inners().push_back(
      {{130.52, 42.32}, {130.52, 42.38}, {130.58, 42.38}, {130.58, 42.32}, {130.52, 42.32}});
  geo::Polygon second;
  second.outer() = {{130.7, 42.3}, {130.8, 42.3}, {130.8, 42.4}, {130.7, 42.4}, {130.7, 42.3}};
  geo::MultiPolygon mp{outer, second};
  boost::geometry::correct(mp);
  return mp;
}

catalog::Site FullSite() {
  catalog::Site s;
  s.id = "rason";
  s.names = {{"en", "Rason Migratory Bird Reserve"}, {"ko", "라선철새보호구"}, {"ru", "Расон"}};
  s.names_unverified = {"ko", "ru"};
  s.alt_names = {"Sonbong Migratory Bird Reserve", "Rajin-Sonbong"};
  s.country = "KP";
  s.complex_id = "tumen_estuary";
  catalog::Designation ramsar;
  ramsar.kind = catalog::DesignationKind::kRamsar;
  ramsar.title = "Ramsar Site no. 2343";
  ramsar.year = 2018;
  ramsar.date = "2018-01-16";
  ramsar.number = "2343";
  ramsar.source = "S28";
  catalog::Designation flyway;
  flyway.kind = catalog::DesignationKind::kFlywayNetworkSite;
  flyway.title = "EAAF Flyway Network Site";
  s.designations = {ramsar, flyway};
  s.is_protected = true;
  s.stated_area_ha = 3525.7;
  s.area_source = "S1 Table 2";
  s.centre = {.lat = 42.3333, .lon = 130.5833};
  s.centre_verified = true;
  s.centre_source = "S1: 42°20'N 130°35'E";
  s.geometry_surveyed = true;
  s.geometry_note = "boundary imported from file 'x.gpkg'";
  s.geometry = HoledMultiPolygon();
  s.sources = {"S1: NEASPEC", "S28: Ramsar list"};
  s.notes = "Lakes Manpho, Sobonpho and Tongbonpho.";
  s.origin = "import:x.gpkg";
  return s;
}

TEST(RecordCodecTest, SiteRoundTrip) {
  const catalog::Site site = FullSite();
  auto decoded = DecodeSite(site.id, EncodeSite(site));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectSitesEqual(*decoded, site);
  ASSERT_EQ(decoded->geometry.size(), 2u);
  EXPECT_EQ(decoded->geometry[0].inners().size(), 1u);  // the hole survives
}

TEST(RecordCodecTest, SiteAreaPresenceIsKept) {
  catalog::Site site = FullSite();
  site.stated_area_ha.reset();
  auto absent = DecodeSite(site.id, EncodeSite(site));
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->stated_area_ha.has_value());
  // 0 is a value, not "absent" (proto3 optional keeps presence).
  site.stated_area_ha = 0.0;
  auto zero = DecodeSite(site.id, EncodeSite(site));
  ASSERT_TRUE(zero.ok());
  ASSERT_TRUE(zero->stated_area_ha.has_value());
  EXPECT_EQ(*zero->stated_area_ha, 0.0);
}

TEST(RecordCodecTest, MinimalSiteRoundTrip) {
  catalog::Site site;
  site.id = "bare";
  site.names["en"] = "Bare";
  site.country = "MN";
  auto decoded = DecodeSite(site.id, EncodeSite(site));
  ASSERT_TRUE(decoded.ok());
  ExpectSitesEqual(*decoded, site);
}

TEST(RecordCodecTest, ComplexRoundTrip) {
  catalog::Complex c;
  c.id = "dipa";
  c.names = {{"en", "Dauria International Protected Area"}, {"mn", "Дагуур"}};
  c.countries = {"RU", "MN", "CN"};
  c.kind = "international_protected_area";
  c.description = "Intergovernmental agreement 1994";
  c.sources = {"S5: greenpeace", "S9: unesco"};
  auto d = DecodeComplex(c.id, EncodeComplex(c));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->id, c.id);
  EXPECT_EQ(d->names, c.names);
  EXPECT_EQ(d->countries, c.countries);  // order kept
  EXPECT_EQ(d->kind, c.kind);
  EXPECT_EQ(d->description, c.description);
  EXPECT_EQ(d->sources, c.sources);
}

catalog::Species FullSpecies() {
  catalog::Species s;
  s.id = "antigone_vipio";
  s.code = "WNC";
  s.scientific_name = "Antigone vipio";
  s.names = {{"en", "White-naped Crane"}, {"zh", "白枕鹤"}, {"mn", "Цэн тогоруу"}};
  s.weak_names = {"mn"};
  s.focal = true;
  s.iucn_category = "VU";
  s.iucn_year = 2016;
  s.iucn_criteria = "A2bcd+3bcd+4bcd";
  s.iucn_source = "S49";
  s.population.estimate = 6500;
  s.population.min = 6250;
  s.population.max = 6750;
  s.population.year = 2016;
  s.population.basis = "IUCN range; mid-point";
  s.population.source = "S49";
  s.published_one_percent = 65;
  s.published_one_percent_source = "WPE";
  s.one_percent_note = "published";
  s.breeding = "Dauria";
  s.stopover = "Duolun";
  s.wintering = "Izumi";
  s.timing = "Oct-Mar";
  s.sources = {"S49: BirdLife", "S52: Diversity 2025"};
  return s;
}

void ExpectSpeciesEqual(const catalog::Species& a, const catalog::Species& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.code, b.code);
  EXPECT_EQ(a.scientific_name, b.scientific_name);
  EXPECT_EQ(a.names, b.names);
  EXPECT_EQ(a.weak_names, b.weak_names);
  EXPECT_EQ(a.focal, b.focal);
  EXPECT_EQ(a.iucn_category, b.iucn_category);
  EXPECT_EQ(a.iucn_year, b.iucn_year);
  EXPECT_EQ(a.iucn_criteria, b.iucn_criteria);
  EXPECT_EQ(a.iucn_source, b.iucn_source);
  EXPECT_EQ(a.population.estimate, b.population.estimate);
  EXPECT_EQ(a.population.min, b.population.min);
  EXPECT_EQ(a.population.max, b.population.max);
  EXPECT_EQ(a.population.year, b.population.year);
  EXPECT_EQ(a.population.basis, b.population.basis);
  EXPECT_EQ(a.population.source, b.population.source);
  EXPECT_EQ(a.published_one_percent, b.published_one_percent);
  EXPECT_EQ(a.published_one_percent_source, b.published_one_percent_source);
  EXPECT_EQ(a.one_percent_note, b.one_percent_note);
  EXPECT_EQ(a.breeding, b.breeding);
  EXPECT_EQ(a.stopover, b.stopover);
  EXPECT_EQ(a.wintering, b.wintering);
  EXPECT_EQ(a.timing, b.timing);
  EXPECT_EQ(a.sources, b.sources);
}

TEST(RecordCodecTest, SpeciesWithRangeAndPublishedThresholdRoundTrip) {
  const catalog::Species s = FullSpecies();
  auto d = DecodeSpecies(s.id, EncodeSpecies(s));
  ASSERT_TRUE(d.ok()) << d.status();
  ExpectSpeciesEqual(*d, s);
  EXPECT_FALSE(d->OnePercent().derived);
  EXPECT_EQ(d->OnePercent().value, 65);
}

TEST(RecordCodecTest, SpeciesWithoutRangeOrPublishedThresholdRoundTrip) {
  catalog::Species s = FullSpecies();
  s.population.estimate = 13100;
  s.population.min.reset();
  s.population.max.reset();
  s.published_one_percent.reset();
  s.published_one_percent_source.clear();
  auto d = DecodeSpecies(s.id, EncodeSpecies(s));
  ASSERT_TRUE(d.ok()) << d.status();
  ExpectSpeciesEqual(*d, s);
  EXPECT_FALSE(d->population.min.has_value());
  EXPECT_FALSE(d->published_one_percent.has_value());
  EXPECT_TRUE(d->OnePercent().derived);
  EXPECT_EQ(d->OnePercent().value, 130);

  // A published 0 is kept as published, not mistaken for "none".
  s.published_one_percent = 0;
  auto zero = DecodeSpecies(s.id, EncodeSpecies(s));
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->published_one_percent, 0);
}

// A length-delimited field 1 that claims 16 bytes but has 3: no message parses it.
const std::string kTruncated("\x0a\x10" "abc", 5);

TEST(RecordCodecTest, GarbageIsDataLossNamingTheKey) {
  auto site = DecodeSite("rason", kTruncated);
  ASSERT_FALSE(site.ok());
  EXPECT_EQ(site.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(site.status().message()), HasSubstr("site record 'rason'"));

  auto complex = DecodeComplex("dipa", kTruncated);
  ASSERT_FALSE(complex.ok());
  EXPECT_EQ(complex.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(complex.status().message()), HasSubstr("complex record 'dipa'"));

  auto species = DecodeSpecies("grus_monacha", std::string("\xff\xff\xff\xff", 4));
  ASSERT_FALSE(species.ok());
  EXPECT_EQ(species.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(species.status().message()), HasSubstr("species record 'grus_monacha'"));
}

// Protobuf wire bytes, appended to a valid record: a message parsed from
// concatenated bytes gets the repeated fields of both parts.
std::string LengthDelimited(int field, const std::string& payload) {
  std::string out;
  auto varint = [&out](std::uint64_t v) {
    while (v >= 0x80) {
      out.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out.push_back(static_cast<char>(v));
  };
  varint((static_cast<std::uint64_t>(field) << 3) | 2);
  varint(payload.size());
  return out + payload;
}

std::string PackedDoubles(const std::vector<double>& values) {
  std::string out;
  for (double v : values) {
    const auto bits = std::bit_cast<std::uint64_t>(v);
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  }
  return out;
}

TEST(RecordCodecTest, OddCoordinateCountIsDataLoss) {
  // SiteRecord.polygons (16) { rings (1) { lon_lat (1): three doubles } }
  const std::string bad_polygon =
      LengthDelimited(16, LengthDelimited(1, LengthDelimited(1, PackedDoubles({130.5, 42.3, 130.6}))));
  auto site = DecodeSite("rason", EncodeSite(FullSite()) + bad_polygon);
  ASSERT_FALSE(site.ok());
  EXPECT_EQ(site.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(site.status().message()), HasSubstr("site record 'rason'"));
  EXPECT_THAT(std::string(site.status().message()), HasSubstr("odd coordinate count"));

  // The same helper with an even count decodes: the check above is not a fluke.
  const std::string good_polygon = LengthDelimited(
      16, LengthDelimited(1, LengthDelimited(1, PackedDoubles({1, 2, 3, 4, 5, 6, 1, 2}))));
  auto ok = DecodeSite("rason", EncodeSite(FullSite()) + good_polygon);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->geometry.size(), 3u);
}

TEST(RecordCodecTest, UnknownDesignationKindIsDataLoss) {
  // SiteRecord.designations (6) { kind (1): "marine_park" }
  const std::string bad = LengthDelimited(6, LengthDelimited(1, "marine_park"));
  auto site = DecodeSite("rason", EncodeSite(FullSite()) + bad);
  ASSERT_FALSE(site.ok());
  EXPECT_EQ(site.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(site.status().message()), HasSubstr("site record 'rason'"));
  EXPECT_THAT(std::string(site.status().message()), HasSubstr("'marine_park'"));
}

}  // namespace
}  // namespace wetlink::store
