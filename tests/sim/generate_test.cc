#include "sim/generate.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "geo/geodesy.h"
#include "sim/civil_time.h"
#include "sim/pipelined_generate.h"
#include "sim_testing.h"

namespace wetlink::sim {
namespace {

using testing::World;

SimParams EightBirds() {
  SimParams p;
  p.seed = 11;
  p.individuals = 8;
  p.years = 1;
  return p;
}

const SimResult& Result() {
  static const SimResult* const kResult = [] {
    absl::StatusOr<SimResult> r = Simulate(EightBirds(), World());
    EXPECT_TRUE(r.ok()) << r.status();
    return new SimResult(*std::move(r));
  }();
  return *kResult;
}

// Originals only (first delivery of each event), in delivery order.
std::vector<const SimFix*> Originals() {
  std::vector<const SimFix*> out;
  std::set<std::int64_t> seen;
  for (const SimFix& f : Result().fixes) {
    if (seen.insert(*f.fix.event_id).second) out.push_back(&f);
  }
  return out;
}

// Originals without gross errors, per individual, in time order.
std::vector<std::vector<const SimFix*>> CleanTracks() {
  std::vector<std::vector<const SimFix*>> tracks(Result().plan.individuals.size());
  for (const SimFix* f : Originals()) {
    if (!f->outlier) tracks[f->individual].push_back(f);
  }
  for (auto& t : tracks) {
    std::sort(t.begin(), t.end(),
              [](const SimFix* a, const SimFix* b) { return a->fix.timestamp_ms < b->fix.timestamp_ms; });
  }
  return tracks;
}

bool InSite(const std::string& site_id, double lat, double lon) {
  for (const catalog::Site* s : World().catalog.SitesContaining(geo::Point(lon, lat))) {
    if (s->id == site_id) return true;
  }
  return false;
}

double Median(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

TEST(GenerateTest, CountsAndRanges) {
  const SimResult& r = Result();
  ASSERT_EQ(r.plan.individuals.size(), 8u);
  EXPECT_EQ(r.stats.rows, static_cast<std::int64_t>(r.fixes.size()));
  // ~15 fixes a day (hourly by day, 4-hourly at night) minus gaps.
  EXPECT_GT(r.fixes.size(), 8u * 365 * 11);
  EXPECT_LT(r.fixes.size(), 8u * 365 * 17);
  std::set<std::uint32_t> individuals;
  const telemetry::TimestampMs y1990 = YearStartMs(1990);
  for (const SimFix& f : r.fixes) {
    individuals.insert(f.individual);
    EXPECT_GE(f.fix.lat, -90.0);
    EXPECT_LE(f.fix.lat, 90.0);
    EXPECT_GE(f.fix.lon, -180.0);
    EXPECT_LE(f.fix.lon, 180.0);
    EXPECT_GE(f.fix.timestamp_ms, r.plan.start_ms);
    EXPECT_LT(f.fix.timestamp_ms, r.plan.end_ms);
    EXPECT_GT(f.fix.timestamp_ms, y1990);
    EXPECT_GE(f.delivered_ms, f.fix.timestamp_ms);
    EXPECT_EQ(f.fix.tag_id, r.plan.individuals[f.individual].tag_id);
    ASSERT_TRUE(f.fix.event_id.has_value());
    if (!f.outlier) {
      EXPECT_TRUE(f.fix.visible);
    }
  }
  EXPECT_EQ(individuals.size(), 8u);
  // Delivery order: upload times never go back.
  for (size_t i = 1; i < r.fixes.size(); ++i) {
    ASSERT_LE(r.fixes[i - 1].delivered_ms, r.fixes[i].delivered_ms);
  }
}

TEST(GenerateTest, NoFixesInGapsAndNightsAreSparser) {
  const SimResult& r = Result();
  int day = 0, night = 0;
  for (const SimFix* f : Originals()) {
    const SimIndividual& ind = r.plan.individuals[f->individual];
    for (const TruthGap& g : ind.gaps) {
      EXPECT_FALSE(f->fix.timestamp_ms >= g.start_ms + 60'000 && f->fix.timestamp_ms < g.end_ms);
    }
    const double h = LocalSolarHour(f->fix.timestamp_ms, f->fix.lon);
    if (h >= 8 && h < 16) ++day;
    if (h >= 20 || h < 4) ++night;
  }
  // 8 hourly day slots vs 2 four-hourly night slots per day.
  EXPECT_NEAR(static_cast<double>(night) / day, 2.0 / 8.0, 0.05);
}

TEST(GenerateTest, DuplicatesShareEventIdAndContent) {
  const SimResult& r = Result();
  std::map<std::int64_t, const SimFix*> first;
  std::int64_t dups = 0;
  for (const SimFix& f : r.fixes) {
    auto [it, fresh] = first.emplace(*f.fix.event_id, &f);
    EXPECT_EQ(fresh, !f.duplicate);
    if (!fresh) {
      ++dups;
      EXPECT_EQ(it->second->fix, f.fix);
      EXPECT_EQ(it->second->individual, f.individual);
    }
  }
  EXPECT_EQ(dups, r.stats.duplicates);
  const double rate = static_cast<double>(dups) / static_cast<double>(first.size());
  EXPECT_NEAR(rate, 0.005, 0.002);
}

TEST(GenerateTest, OutOfOrderFractionFollowsLateFraction) {
  const SimResult& r = Result();
  std::vector<telemetry::TimestampMs> newest(r.plan.individuals.size(), 0);
  std::int64_t n = 0, out_of_order = 0;
  for (const SimFix* f : Originals()) {
    ++n;
    if (f->fix.timestamp_ms < newest[f->individual]) ++out_of_order;
    newest[f->individual] = std::max(newest[f->individual], f->fix.timestamp_ms);
  }
  const double frac = static_cast<double>(out_of_order) / static_cast<double>(n);
  EXPECT_GT(frac, 0.5 * 0.01);
  EXPECT_LT(frac, 1.5 * 0.01);
  const double outliers = static_cast<double>(r.stats.outliers) / static_cast<double>(r.stats.rows);
  EXPECT_NEAR(outliers, 0.002, 0.001);
}

TEST(GenerateTest, StaysLieInsideTheirSites) {
  const SimResult& r = Result();
  const auto tracks = CleanTracks();
  std::int64_t inside = 0, total = 0, stays = 0;
  for (size_t i = 0; i < tracks.size(); ++i) {
    for (const TruthStay& s : r.plan.individuals[i].stays) {
      if (s.site_id.empty()) continue;
      std::vector<double> lats, lons;
      for (const SimFix* f : tracks[i]) {
        if (f->fix.timestamp_ms < s.arrival_ms || f->fix.timestamp_ms > s.departure_ms) continue;
        lats.push_back(f->fix.lat);
        lons.push_back(f->fix.lon);
        ++total;
        inside += InSite(s.site_id, f->fix.lat, f->fix.lon) ? 1 : 0;
      }
      if (lats.size() < 5) continue;
      ++stays;
      EXPECT_TRUE(InSite(s.site_id, Median(lats), Median(lons)))
          << r.plan.individuals[i].individual_id << " at " << s.site_id;
    }
  }
  EXPECT_GT(stays, 8 * 3);
  EXPECT_GE(static_cast<double>(inside) / static_cast<double>(total), 0.95);
}

TEST(GenerateTest, NightFixesClusterAtTheRoost) {
  const SimResult& r = Result();
  const auto tracks = CleanTracks();
  std::int64_t near = 0, total = 0;
  for (size_t i = 0; i < tracks.size(); ++i) {
    const SimIndividual& ind = r.plan.individuals[i];
    size_t s = 0;
    for (const SimFix* f : tracks[i]) {
      while (s + 1 < ind.stays.size() && f->fix.timestamp_ms >= ind.stays[s].departure_ms) ++s;
      const TruthStay& st = ind.stays[s];
      if (st.site_id.empty() || f->fix.timestamp_ms < st.arrival_ms) continue;
      const double h = LocalSolarHour(f->fix.timestamp_ms, f->fix.lon);
      if (h > 4 && h < 20) continue;
      const double d = geo::GeodesicDistanceM(st.roost, {.lat = f->fix.lat, .lon = f->fix.lon});
      ++total;
      near += d < 300 ? 1 : 0;
      EXPECT_LT(d, 2000);
    }
  }
  EXPECT_GT(total, 1000);
  EXPECT_GE(static_cast<double>(near) / static_cast<double>(total), 0.95);
}

TEST(GenerateTest, FlightSpeedsWithinConfiguredRange) {
  const SimResult& r = Result();
  const SimParams p = EightBirds();
  const auto tracks = CleanTracks();
  int pairs = 0;
  for (size_t i = 0; i < tracks.size(); ++i) {
    const SimIndividual& ind = r.plan.individuals[i];
    for (size_t k = 1; k < tracks[i].size(); ++k) {
      const telemetry::Fix& a = tracks[i][k - 1]->fix;
      const telemetry::Fix& b = tracks[i][k]->fix;
      bool same_flight = false;
      for (const TruthFlight& fl : ind.flights) {
        same_flight |= a.timestamp_ms > fl.depart_ms && b.timestamp_ms < fl.arrive_ms;
      }
      if (!same_flight) continue;
      ++pairs;
      const double kmh = geo::GeodesicDistanceM({.lat = a.lat, .lon = a.lon}, {.lat = b.lat, .lon = b.lon}) /
                         (static_cast<double>(b.timestamp_ms - a.timestamp_ms) / 1000.0) * 3.6;
      EXPECT_GE(kmh, p.flight_speed_min_kmh * 0.9);
      EXPECT_LE(kmh, p.flight_speed_max_kmh * 1.1);
      EXPECT_TRUE(tracks[i][k]->in_flight);
    }
  }
  EXPECT_GT(pairs, 100);
}

TEST(GenerateTest, OvernightStopsOutsideCataloguedSitesExist) {
  int outside = 0;
  for (const SimIndividual& ind : Result().plan.individuals) {
    for (const TruthStay& s : ind.stays) {
      if (s.kind == StayKind::kOvernight &&
          World().catalog.SitesContaining(geo::Point(s.roost.lon, s.roost.lat)).empty()) {
        ++outside;
      }
    }
  }
  EXPECT_GT(outside, 8);
}

TEST(GenerateTest, MaxFixesCutsTheSameStream) {
  for (std::int64_t cap : {1, 3, 1000}) {
    SimParams p = EightBirds();
    p.max_fixes = cap;
    absl::StatusOr<SimResult> r = Simulate(p, World());
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(static_cast<std::int64_t>(r->fixes.size()), cap);
    for (size_t i = 0; i < r->fixes.size(); ++i) {
      EXPECT_EQ(r->fixes[i].fix, Result().fixes[i].fix);
    }
  }
  SimParams p = EightBirds();
  p.max_fixes = 0;
  absl::StatusOr<SimResult> none = Simulate(p, World());
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->fixes.empty());
}

TEST(GenerateTest, DeliveryKnobsLeavePositionsUnchanged) {
  SimParams p = EightBirds();
  p.individuals = 2;
  p.duplicate_rate = 0.05;
  p.late_fraction = 0.1;
  absl::StatusOr<SimResult> a = Simulate(p, World());
  p.duplicate_rate = 0;
  p.late_fraction = 0;
  absl::StatusOr<SimResult> b = Simulate(p, World());
  ASSERT_TRUE(a.ok() && b.ok());
  std::map<std::int64_t, telemetry::Fix> by_id;
  for (const SimFix& f : b->fixes) by_id[*f.fix.event_id] = f.fix;
  std::set<std::int64_t> ids;
  for (const SimFix& f : a->fixes) {
    ids.insert(*f.fix.event_id);
    EXPECT_EQ(by_id.at(*f.fix.event_id), f.fix);
  }
  EXPECT_EQ(ids.size(), by_id.size());
  EXPECT_GT(a->stats.duplicates, 0);
  EXPECT_EQ(b->stats.duplicates, 0);
  EXPECT_EQ(b->stats.late, 0);
}

TEST(GenerateTest, PipelinedGivesTheSameRows) {
  std::vector<SimFix> rows;
  absl::StatusOr<GenerateStats> stats = GenerateFixesPipelined(
      EightBirds(), World(), Result().plan,
      [&](std::span<const SimFix> chunk) { rows.insert(rows.end(), chunk.begin(), chunk.end()); });
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->rows, Result().stats.rows);
  ASSERT_EQ(rows.size(), Result().fixes.size());
  for (size_t i = 0; i < rows.size(); ++i) ASSERT_EQ(rows[i].fix, Result().fixes[i].fix) << i;
}

}  // namespace
}  // namespace wetlink::sim
