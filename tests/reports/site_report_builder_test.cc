// Known answers for a site report built from hand-drawn tracks and
// hand-written counts (reports/site_report_builder.h): tagged use per
// season, links in and out with the cross-border share, stopovers outside
// protected areas nearby, coverage and caveats.

#include "reports/site_report_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "graph/flyway_snapshot.h"
#include "reports/species_list.h"
#include "telemetry/timestamp.h"
#include "tests/graph/ascii_world.h"
#include "tests/graph/flyway_testing.h"

namespace wetlink::reports {
namespace {

using graph::testing::AsciiWorld;
using graph::testing::kHoodedCrane;
using graph::testing::kWhiteNapedCrane;
using graph::testing::TrackBuilder;
using telemetry::TimestampFromCivil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A and B (China), C (Russia) are protected; D (North Korea) is not; x is
// a place outside every site (North Korea). B is the report's site.
const AsciiWorld& World() {
  static const AsciiWorld kWorld(
      R"(
    A.........B.........C
    .....................
    .....................
    ..........x..........
    .....................
    .....................
    D....................
  )",
      {{'A', {"CN", true}}, {'B', {"CN", true}}, {'C', {"RU", true}}, {'D', {"KP", false}}},
      {{'x', "KP"}});
  return kWorld;
}

// Every stay lasts 48 h (fixes hourly from arrival to departure):
//   bird 1 (HC),  from 2024-03-01: A -5h-> B (03-03 05:00 .. 03-05 05:00) -10h-> C
//   bird 2 (HC),  from 2024-03-10: A -6h-> B (03-12 06:00 .. 03-14 06:00) -12h-> C
//   bird 3 (WNC), from 2023-04-01: A -8h-> x -8h-> C            (before the period)
//   bird 4 (WNC), from 2024-09-01: A -8h-> B (09-03 08:00 .. 09-05 08:00) -7h-> A
//                                    -9h-> B (09-08 00:00 .. 09-10 00:00) -9h-> D
std::shared_ptr<const graph::FlywaySnapshot> Snapshot() {
  static const std::shared_ptr<const graph::FlywaySnapshot> kSnapshot = [] {
    const AsciiWorld& w = World();
    auto bird1 = TrackBuilder(w, TimestampFromCivil(2024, 3, 1))
                     .Stay('A', 48)
                     .Fly('B', 5)
                     .Stay('B', 48)
                     .Fly('C', 10)
                     .Stay('C', 48);
    auto bird2 = TrackBuilder(w, TimestampFromCivil(2024, 3, 10))
                     .Stay('A', 48)
                     .Fly('B', 6)
                     .Stay('B', 48)
                     .Fly('C', 12)
                     .Stay('C', 48);
    auto bird3 = TrackBuilder(w, TimestampFromCivil(2023, 4, 1))
                     .Stay('A', 48)
                     .Fly('x', 8)
                     .Stay('x', 48, 2)
                     .Fly('C', 8)
                     .Stay('C', 48);
    auto bird4 = TrackBuilder(w, TimestampFromCivil(2024, 9, 1))
                     .Stay('A', 48)
                     .Fly('B', 8)
                     .Stay('B', 48)
                     .Fly('A', 7)
                     .Stay('A', 48)
                     .Fly('B', 9)
                     .Stay('B', 48)
                     .Fly('D', 9)
                     .Stay('D', 48);
    return graph::testing::SnapshotOf(
        w, {graph::testing::Segmented(1, kHoodedCrane, bird1.points()),
            graph::testing::Segmented(2, kHoodedCrane, bird2.points()),
            graph::testing::Segmented(3, kWhiteNapedCrane, bird3.points()),
            graph::testing::Segmented(4, kWhiteNapedCrane, bird4.points())});
  }();
  return kSnapshot;
}

graph::SeasonTable Seasons() {
  graph::SeasonTable table;
  table.Set(kHoodedCrane, "spring", {2, 5});
  table.Set(kWhiteNapedCrane, "spring", {3, 5});
  table.Set(kHoodedCrane, "autumn", {9, 11});
  table.Set(kWhiteNapedCrane, "autumn", {9, 11});
  return table;
}

// The world's sites with species that have thresholds: HC published 150,
// WNC derived from 6,500 (65).
std::shared_ptr<const catalog::Catalog> Catalog() {
  static const auto kCatalog = [] {
    std::vector<catalog::Species> species = graph::testing::FocalSpecies();
    for (catalog::Species& s : species) {
      if (s.id == kHoodedCrane) {
        s.population.estimate = 15000;
        s.published_one_percent = 150;
        s.published_one_percent_source = "S1";
      } else {
        s.population.estimate = 6500;
      }
    }
    std::vector<catalog::Complex> complexes = {catalog::Complex{.id = "ab",
                                                                .names = {{"en", "A and B"}},
                                                                .countries = {"CN"},
                                                                .kind = "test",
                                                                .description = "",
                                                                .sources = {}}};
    std::vector<catalog::Site> sites = World().catalog()->sites();
    for (catalog::Site& s : sites) {
      if (s.id == "site_a" || s.id == "site_b") s.complex_id = "ab";
    }
    return std::make_shared<const catalog::Catalog>(std::move(sites), std::move(complexes),
                                                    std::move(species));
  }();
  return kCatalog;
}

std::int32_t Day(int y, unsigned m, unsigned d) {
  return static_cast<std::int32_t>(telemetry::DaysFromCivil(y, m, d));
}

counts::Count C(const std::string& site, const std::string& species, std::int32_t day,
                std::int64_t n) {
  counts::Count c;
  c.survey_id = site + "-" + counts::FormatSurveyDate(day);
  c.site_id = site;
  c.species_id = species;
  c.date_days = day;
  c.count = n;
  return c;
}

std::vector<counts::Count> Counts() {
  return {C("site_b", kHoodedCrane, Day(2023, 10, 1), 150),
          C("site_b", kHoodedCrane, Day(2024, 1, 15), 200),
          C("site_b", kWhiteNapedCrane, Day(2024, 1, 15), 70),
          C("site_b", kHoodedCrane, Day(2024, 11, 1), 90),
          C("site_a", kHoodedCrane, Day(2024, 1, 15), 5000)};
}

const graph::SeasonTable& SeasonTable() {
  static const graph::SeasonTable kSeasons = Seasons();
  return kSeasons;
}

SiteReport Build(ReportPeriod period, double radius_km) {
  SiteReportInputs inputs{.catalog = Catalog().get(),
                          .snapshot = Snapshot().get(),
                          .seasons = &SeasonTable(),
                          .counts = Counts(),
                          .period = period,
                          .nearby_radius_km = radius_km,
                          .now_ms = TimestampFromCivil(2025, 7, 1)};
  auto report = BuildSiteReport("site_b", inputs);
  EXPECT_TRUE(report.ok()) << report.status();
  return *report;
}

const ReportPeriod kTwoSeasons{Day(2023, 7, 1), Day(2025, 6, 30)};

TEST(SiteReportBuilderTest, FactsAndCountsOfTheSiteOnly) {
  const SiteReport r = Build(kTwoSeasons, 150);
  EXPECT_EQ(r.site.id, "site_b");
  ASSERT_TRUE(r.complex.has_value());
  EXPECT_EQ(r.complex->id, "ab");
  ASSERT_EQ(r.assessments.size(), 2u);  // by species id: WNC, HC
  EXPECT_EQ(r.assessments[0].species_id, kWhiteNapedCrane);
  EXPECT_EQ(r.assessments[0].one_percent.value, 65);
  EXPECT_TRUE(r.assessments[0].one_percent.derived);
  const SpeciesAssessment& hc = r.assessments[1];
  ASSERT_EQ(hc.peaks.size(), 2u);
  EXPECT_EQ(hc.peaks[0].peak, 200);  // site_a's 5,000 is not this site's
  EXPECT_EQ(hc.peaks[1].peak, 90);
  EXPECT_DOUBLE_EQ(hc.criterion6.mean_recent_peaks, 145);
  // Site total: 2024-01-15 survey 200 + 70 = 270.
  ASSERT_EQ(r.total.peaks.size(), 2u);
  EXPECT_EQ(r.total.peaks[0].peak, 270);
  EXPECT_EQ(r.coverage.surveys, 3u);
  EXPECT_EQ(r.coverage.counts, 4u);
  EXPECT_THAT(r.coverage.seasons, ElementsAre(2023, 2024));
  EXPECT_TRUE(r.coverage.seasons_without_counts.empty());
  ASSERT_EQ(r.species.size(), 2u);
  EXPECT_EQ(r.species[0].id, kWhiteNapedCrane);
}

TEST(SiteReportBuilderTest, TaggedBirdsPerSpeciesAndSeason) {
  const TaggedUse t = Build(kTwoSeasons, 150).tagged;
  EXPECT_EQ(t.individuals, 3u);  // birds 1, 2, 4
  EXPECT_EQ(t.visits, 4u);
  EXPECT_DOUBLE_EQ(t.median_stay_days, 2.0);
  EXPECT_EQ(t.tracked_individuals, 3u);  // bird 3 flew before the period
  ASSERT_EQ(t.seasons.size(), 2u);
  const TaggedSeasonUse& wnc = t.seasons[0];
  EXPECT_EQ(wnc.species_id, kWhiteNapedCrane);
  EXPECT_EQ(wnc.season, "autumn");
  EXPECT_EQ(wnc.season_year, 2024);
  EXPECT_EQ(wnc.individuals, 1u);
  EXPECT_EQ(wnc.visits, 2u);
  EXPECT_DOUBLE_EQ(wnc.median_stay_days, 2.0);
  EXPECT_EQ(wnc.first_arrival_ms, TimestampFromCivil(2024, 9, 3, 8));
  EXPECT_EQ(wnc.median_arrival_ms, TimestampFromCivil(2024, 9, 5, 16));
  EXPECT_EQ(wnc.median_departure_ms, TimestampFromCivil(2024, 9, 7, 16));
  EXPECT_EQ(wnc.last_departure_ms, TimestampFromCivil(2024, 9, 10, 0));
  const TaggedSeasonUse& hc = t.seasons[1];
  EXPECT_EQ(hc.species_id, kHoodedCrane);
  EXPECT_EQ(hc.season, "spring");
  EXPECT_EQ(hc.individuals, 2u);
  EXPECT_EQ(hc.first_arrival_ms, TimestampFromCivil(2024, 3, 3, 5));
  EXPECT_EQ(hc.median_arrival_ms, TimestampFromCivil(2024, 3, 7, 17, 30));
  EXPECT_EQ(hc.last_departure_ms, TimestampFromCivil(2024, 3, 14, 6));
  std::array<std::uint32_t, 12> months{};
  months[2] = 2;  // March: birds 1 and 2
  months[8] = 1;  // September: bird 4
  EXPECT_EQ(t.individuals_by_month, months);
}

TEST(SiteReportBuilderTest, LinksInAndOutWithTheCrossBorderShare) {
  const SiteLinks l = Build(kTwoSeasons, 150).links;
  ASSERT_EQ(l.incoming.size(), 1u);
  EXPECT_EQ(l.incoming[0].node_id, "site_a");
  EXPECT_EQ(l.incoming[0].individuals, 3u);
  EXPECT_EQ(l.incoming[0].transitions, 4u);
  EXPECT_FALSE(l.incoming[0].cross_border);
  ASSERT_EQ(l.outgoing.size(), 3u);
  EXPECT_EQ(l.outgoing[0].node_id, "site_c");
  EXPECT_EQ(l.outgoing[0].individuals, 2u);
  EXPECT_EQ(l.outgoing[0].country, "RU");
  EXPECT_TRUE(l.outgoing[0].cross_border);
  EXPECT_EQ(l.outgoing[0].direction, LinkDirection::kOut);
  // Bird 1 flew 10 h, bird 2 12 h: median 11 h.
  EXPECT_NEAR(l.outgoing[0].median_travel_days, 11.0 / 24, 1e-9);
  EXPECT_EQ(l.outgoing[1].node_id, "site_a");
  EXPECT_EQ(l.outgoing[2].node_id, "site_d");
  EXPECT_TRUE(l.outgoing[2].cross_border);
  // In 4 + out 2 + 1 + 1; across a border: C (2) and D (1).
  EXPECT_EQ(l.transitions, 8u);
  EXPECT_EQ(l.cross_border_transitions, 3u);
  EXPECT_DOUBLE_EQ(l.cross_border_share, 0.375);
}

TEST(SiteReportBuilderTest, StopoversOutsideProtectedAreasNearby) {
  // D (unprotected, about 103 km away) within 150 km; bird 3's stay at x
  // (33 km) is before the period.
  SiteReport r = Build(kTwoSeasons, 150);
  ASSERT_EQ(r.nearby_unprotected.size(), 1u);
  EXPECT_EQ(r.nearby_unprotected[0].node_id, "site_d");
  EXPECT_TRUE(r.nearby_unprotected[0].catalogued);
  EXPECT_EQ(r.nearby_unprotected[0].individuals, 1u);
  EXPECT_EQ(r.nearby_unprotected[0].stopovers, 1u);
  EXPECT_DOUBLE_EQ(r.nearby_unprotected[0].stopover_days, 2.0);
  EXPECT_NEAR(r.nearby_unprotected[0].distance_km, 103, 3);
  EXPECT_TRUE(Build(kTwoSeasons, 50).nearby_unprotected.empty());

  // From January 2023 the stay at x counts, within 50 km.
  r = Build({Day(2023, 1, 1), Day(2025, 6, 30)}, 50);
  ASSERT_EQ(r.nearby_unprotected.size(), 1u);
  EXPECT_FALSE(r.nearby_unprotected[0].catalogued);
  EXPECT_EQ(r.nearby_unprotected[0].country, "KP");
  EXPECT_NEAR(r.nearby_unprotected[0].distance_km, 33, 2);
  EXPECT_EQ(r.nearby_unprotected[0].species, std::vector<std::string>{kWhiteNapedCrane});
}

TEST(SiteReportBuilderTest, CaveatsSayWhatTheDataCannot) {
  const SiteReport r = Build({Day(2022, 9, 1), Day(2025, 3, 31)}, 50);
  const std::vector<Caveat>& c = r.coverage.caveats;
  auto has = [&](const Caveat& caveat) { return std::find(c.begin(), c.end(), caveat) != c.end(); };
  EXPECT_TRUE(has({"seasons_without_counts", {"2022/23"}}));
  EXPECT_TRUE(has({"partial_season", {"2022/23"}}));
  EXPECT_TRUE(has({"partial_season", {"2024/25"}}));
  EXPECT_TRUE(has({"few_tagged_birds", {"3"}}));
  EXPECT_TRUE(has({"threshold_derived", {kWhiteNapedCrane}}));
  EXPECT_FALSE(has({"threshold_derived", {kHoodedCrane}}));
  EXPECT_TRUE(has({"site_total_partial", {}}));

  // No counts and no birds at all in 2010.
  const SiteReport empty = Build({Day(2010, 7, 1), Day(2011, 6, 30)}, 50);
  EXPECT_TRUE(empty.assessments.empty());
  EXPECT_EQ(empty.tagged.individuals, 0u);
  EXPECT_THAT(empty.coverage.caveats, ::testing::Contains(Caveat{"no_counts", {}}));
  EXPECT_THAT(empty.coverage.caveats, ::testing::Contains(Caveat{"no_tagged_birds", {}}));
}

TEST(SiteReportBuilderTest, UnknownSiteIsNotFoundNamingTheField) {
  SiteReportInputs inputs{.catalog = Catalog().get(),
                          .snapshot = Snapshot().get(),
                          .seasons = &SeasonTable(),
                          .counts = {},
                          .period = kTwoSeasons};
  auto report = BuildSiteReport("atlantis", inputs, "report.site_id");
  EXPECT_EQ(report.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(report.status().message(),
              HasSubstr("report.site_id: no catalogued site has the id 'atlantis'"));
}

TEST(SpeciesListTest, MaximaPerSiteAndSeason) {
  const catalog::Catalog& catalog = *Catalog();
  auto sites = ResolveScope(catalog, {.complex_id = "ab", .site_ids = {}});
  ASSERT_TRUE(sites.ok()) << sites.status();
  ASSERT_EQ(sites->size(), 2u);
  const SpeciesList list = BuildSpeciesList(catalog, *sites, {.complex_id = "ab", .site_ids = {}},
                                            Counts(), {Day(2020, 1, 1), Day(2026, 1, 1)});
  ASSERT_TRUE(list.complex.has_value());
  EXPECT_THAT(list.seasons, ElementsAre(2023, 2024));
  ASSERT_EQ(list.entries.size(), 2u);
  const SpeciesListEntry& hc = list.entries[1];
  EXPECT_EQ(hc.species_id, kHoodedCrane);
  EXPECT_EQ(hc.overall_max, 5000);
  // [site_a, site_b] x [2023/24, 2024/25]
  EXPECT_EQ(hc.max_by_site_season[0][0], 5000);
  EXPECT_EQ(hc.max_by_site_season[0][1], std::nullopt);
  EXPECT_EQ(hc.max_by_site_season[1][0], 200);
  EXPECT_EQ(hc.max_by_site_season[1][1], 90);
  EXPECT_EQ(list.counts, 5u);
}

TEST(SpeciesListTest, ScopeErrorsNameTheValue) {
  const catalog::Catalog& catalog = *Catalog();
  auto bad = ResolveScope(catalog, {.complex_id = "nowhere", .site_ids = {}});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(bad.status().message(), HasSubstr("complex: no site complex has the id 'nowhere'"));
  bad = ResolveScope(catalog, {.complex_id = "", .site_ids = {"site_a", "atlantis"}});
  EXPECT_THAT(bad.status().message(), HasSubstr("sites: no catalogued site has the id 'atlantis'"));
  bad = ResolveScope(catalog, {.complex_id = "", .site_ids = {"site_a", "site_a"}});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  auto ok = ResolveScope(catalog, {.complex_id = "", .site_ids = {"site_d", "site_a"}});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)[0]->id, "site_d");
}

}  // namespace
}  // namespace wetlink::reports
