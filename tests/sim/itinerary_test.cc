#include "sim/itinerary.h"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "geo/geodesy.h"
#include "sim/civil_time.h"
#include "sim_testing.h"

namespace wetlink::sim {
namespace {

using testing::World;

bool Uses(const std::vector<int>& list, int site) {
  return std::find(list.begin(), list.end(), site) != list.end();
}

TEST(ItineraryTest, PlansEveryIndividualWithConsistentTimetables) {
  SimParams p;
  p.seed = 5;
  p.individuals = 12;
  p.years = 2;
  absl::StatusOr<SimPlan> plan = PlanScenario(p, World());
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->individuals.size(), 12u);
  EXPECT_EQ(plan->start_ms, YearStartMs(2023));
  EXPECT_EQ(plan->end_ms, YearStartMs(2025));
  for (size_t i = 0; i < plan->individuals.size(); ++i) {
    const SimIndividual& ind = plan->individuals[i];
    SCOPED_TRACE(ind.individual_id);
    EXPECT_EQ(ind.species_code, p.species[i % p.species.size()]);
    ASSERT_EQ(ind.stays.size(), ind.flights.size() + 1);
    const SpeciesSites& use = World().sites_by_species.at(ind.species_id);
    EXPECT_TRUE(Uses(use.breeding, World().SiteIndex(ind.breeding_site)));
    EXPECT_TRUE(Uses(use.wintering, World().SiteIndex(ind.wintering_site)));
    EXPECT_EQ(ind.stays.front().arrival_ms, plan->start_ms);
    EXPECT_EQ(ind.stays.back().departure_ms, plan->end_ms);
    int breeding = 0;
    for (size_t s = 0; s < ind.stays.size(); ++s) {
      const TruthStay& st = ind.stays[s];
      EXPECT_LE(st.arrival_ms, st.departure_ms);
      if (s + 1 < ind.stays.size()) {
        const TruthFlight& f = ind.flights[s];
        EXPECT_EQ(f.depart_ms, st.departure_ms);
        EXPECT_EQ(f.arrive_ms, ind.stays[s + 1].arrival_ms);
        EXPECT_GT(f.arrive_ms, f.depart_ms);
        EXPECT_GE(f.speed_mps * 3.6, p.flight_speed_min_kmh);
        EXPECT_LE(f.speed_mps * 3.6, p.flight_speed_max_kmh);
        EXPECT_LE(f.arrive_ms - f.depart_ms, 10 * kMsPerHour);  // daytime legs only
      }
      switch (st.kind) {
        case StayKind::kBreeding:
          ++breeding;
          EXPECT_EQ(st.site_id, ind.breeding_site);
          break;
        case StayKind::kWintering: EXPECT_EQ(st.site_id, ind.wintering_site); break;
        case StayKind::kStopover:
          EXPECT_TRUE(Uses(use.stopover, st.site_index)) << st.site_id;
          EXPECT_GE(st.departure_ms - st.arrival_ms, kMsPerDay);
          break;
        case StayKind::kOvernight:
          EXPECT_TRUE(st.site_id.empty());
          EXPECT_LT(st.departure_ms - st.arrival_ms, kMsPerDay);
          break;
      }
    }
    EXPECT_EQ(breeding, 2);  // one summer per year
    for (const TruthGap& g : ind.gaps) {
      EXPECT_LT(g.start_ms, g.end_ms);
      EXPECT_LE(g.end_ms - g.start_ms, static_cast<std::int64_t>(p.gap_max_h * kMsPerHour) + 1);
    }
  }
}

TEST(ItineraryTest, SameSeedSamePlanAndRouteOverridesAreFollowed) {
  SimParams p;
  p.individuals = 3;
  p.species = {"HC"};
  p.routes = {{.species = "grus_monacha",
               .wintering_site = "izumi",
               .breeding_site = "dalai",
               .spring_stopovers = {"cheorwon", "zhalong"},
               .autumn_stopovers = {"daursky"}}};
  absl::StatusOr<SimPlan> a = PlanScenario(p, World());
  absl::StatusOr<SimPlan> b = PlanScenario(p, World());
  ASSERT_TRUE(a.ok() && b.ok());
  for (size_t i = 0; i < 3; ++i) {
    std::vector<std::string> named;
    for (const TruthStay& s : a->individuals[i].stays) {
      if (!s.site_id.empty()) named.push_back(s.site_id);
    }
    EXPECT_EQ(named, (std::vector<std::string>{"izumi", "cheorwon", "zhalong", "dalai", "daursky", "izumi"}));
    EXPECT_EQ(a->individuals[i].stays.size(), b->individuals[i].stays.size());
    EXPECT_EQ(a->individuals[i].flights.back().arrive_ms, b->individuals[i].flights.back().arrive_ms);
  }
}

TEST(ItineraryTest, RejectsBadParams) {
  SimParams p;
  p.species = {"dodo"};
  EXPECT_FALSE(PlanScenario(p, World()).ok());
  p = SimParams();
  p.start_year = 1980;
  EXPECT_FALSE(PlanScenario(p, World()).ok());
  p = SimParams();
  p.night_interval_min = 90;
  EXPECT_FALSE(PlanScenario(p, World()).ok());
  p = SimParams();
  p.routes = {{.species = "HC", .wintering_site = "atlantis", .breeding_site = "dalai",
               .spring_stopovers = {}, .autumn_stopovers = {}}};
  EXPECT_FALSE(PlanScenario(p, World()).ok());
}

}  // namespace
}  // namespace wetlink::sim
