#include "sim/itinerary.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "geo/geodesy.h"
#include "sim/civil_time.h"
#include "sim/random.h"
#include "sim/site_spots.h"
#include "sim/sphere.h"

namespace wetlink::sim {

std::string_view StayKindName(StayKind kind) {
  switch (kind) {
    case StayKind::kWintering: return "wintering";
    case StayKind::kStopover: return "stopover";
    case StayKind::kBreeding: return "breeding";
    case StayKind::kOvernight: return "overnight";
  }
  return "overnight";
}

namespace {

// Departure windows in days after 1 January, from the species timing notes
// in species.json (cranes leave Korea/Japan/Poyang in March and arrive from
// mid-October; spoonbills are in Taiwan end Sep to April and breed Mar–Aug).
struct Timing {
  int spring_from, spring_to;  // leaving the wintering site
  int autumn_from, autumn_to;  // leaving the breeding site
};

Timing TimingFor(std::string_view code) {
  if (code == "HC") return {50, 89, 267, 292};   // 20 Feb–31 Mar; 25 Sep–20 Oct
  if (code == "RCC") return {55, 83, 273, 297};  // 25 Feb–25 Mar; 1–25 Oct
  if (code == "BFS") return {68, 94, 262, 287};  // 10 Mar–5 Apr; 20 Sep–15 Oct
  return {59, 89, 267, 292};                     // WNC: 1–31 Mar; 25 Sep–20 Oct
}

constexpr double kMinStopoverSeparationM = 50'000;

double CentreDistanceM(const SimWorld& world, int a, int b) {
  return geo::GeodesicDistanceM(world.catalog.sites()[static_cast<size_t>(a)].centre,
                                world.catalog.sites()[static_cast<size_t>(b)].centre);
}

// The local (solar) calendar day containing t at longitude lon.
std::int64_t LocalDay(telemetry::TimestampMs t, double lon) {
  return DayIndex(t + std::llround(lon / 15.0 * static_cast<double>(kMsPerHour)));
}

struct Route {
  int wintering = -1;
  int breeding = -1;
  bool fixed = false;  // stopovers given by an override
  std::vector<int> spring;
  std::vector<int> autumn;
};

class Planner {
 public:
  Planner(const SimParams& params, const SimWorld& world, SimIndividual* ind, Rng rng,
          telemetry::TimestampMs end_ms)
      : params_(params), world_(world), ind_(*ind), rng_(std::move(rng)), end_ms_(end_ms) {}

  void Run(const Route& route, const std::vector<int>& stopover_pool, const Timing& timing,
           telemetry::TimestampMs start_ms) {
    AddStay(route.wintering, StayKind::kWintering, ChooseRoost(world_, route.wintering, rng_), start_ms);
    for (int y = 0; y < params_.years && !done_; ++y) {
      const std::int64_t day0 = DayIndex(YearStartMs(params_.start_year + y));
      const std::int64_t spring =
          std::max(DrawDay(day0, timing.spring_from, timing.spring_to), ArrivalDay() + 1);
      const std::vector<int> spring_stops =
          route.fixed ? route.spring : ChooseStopovers(route.wintering, route.breeding, stopover_pool);
      Migrate(spring_stops, route.breeding, StayKind::kBreeding, spring);
      if (done_) break;
      const std::int64_t autumn =
          std::max(DrawDay(day0, timing.autumn_from, timing.autumn_to), ArrivalDay() + 7);
      const std::vector<int> autumn_stops =
          route.fixed ? route.autumn : ChooseStopovers(route.breeding, route.wintering, stopover_pool);
      Migrate(autumn_stops, route.wintering, StayKind::kWintering, autumn);
    }
  }

 private:
  // A departure day drawn uniformly from days [from, to] of the year that
  // starts on `day0`.
  std::int64_t DrawDay(std::int64_t day0, int from, int to) {
    return day0 + from +
           static_cast<std::int64_t>(UniformIndex(rng_, static_cast<std::uint64_t>(to - from + 1)));
  }

  std::int64_t ArrivalDay() const {
    const TruthStay& s = ind_.stays.back();
    return LocalDay(s.arrival_ms, s.roost.lon);
  }

  void AddStay(int site, StayKind kind, geo::LatLon roost, telemetry::TimestampMs arrival) {
    TruthStay stay;
    if (site >= 0) stay.site_id = world_.catalog.sites()[static_cast<size_t>(site)].id;
    stay.site_index = site;
    stay.kind = kind;
    stay.roost = roost;
    stay.arrival_ms = arrival;
    stay.departure_ms = std::max(arrival, end_ms_);  // provisional: until the end
    ind_.stays.push_back(std::move(stay));
    if (arrival >= end_ms_) done_ = true;
  }

  // Random stopovers roughly on the way (bounded detour), in flight order.
  std::vector<int> ChooseStopovers(int from, int to, const std::vector<int>& pool) {
    const double direct = CentreDistanceM(world_, from, to);
    std::vector<int> eligible;
    for (int c : pool) {
      if (c == from || c == to) continue;
      const double a = CentreDistanceM(world_, from, c), b = CentreDistanceM(world_, c, to);
      if (a < kMinStopoverSeparationM || b < kMinStopoverSeparationM) continue;
      if (a + b > params_.detour_max_ratio * direct) continue;
      eligible.push_back(c);
    }
    auto k = static_cast<size_t>(params_.stopovers_min) +
             UniformIndex(rng_, static_cast<std::uint64_t>(params_.stopovers_max - params_.stopovers_min + 1));
    k = std::min(k, eligible.size());
    for (size_t i = 0; i < k; ++i) {  // partial Fisher–Yates
      std::swap(eligible[i], eligible[i + UniformIndex(rng_, eligible.size() - i)]);
    }
    eligible.resize(k);
    // Flight order: by progress along the route, d(from, c) - d(c, to).
    auto progress = [&](int c) { return CentreDistanceM(world_, from, c) - CentreDistanceM(world_, c, to); };
    std::sort(eligible.begin(), eligible.end(), [&](int a, int b) { return progress(a) < progress(b); });
    return eligible;
  }

  void Migrate(const std::vector<int>& stops, int final_site, StayKind final_kind, std::int64_t day) {
    for (int s : stops) {
      if (!Leg(s, StayKind::kStopover, day)) return;
      const double days = Uniform(rng_, params_.stopover_min_days, params_.stopover_max_days);
      day = ArrivalDay() + std::max<std::int64_t>(1, std::llround(days));
    }
    Leg(final_site, final_kind, day);
  }

  // Flies from the current stay to a roost in `site`, by daytime legs with
  // overnight stops where a flight day ends. False once the end is reached.
  bool Leg(int site, StayKind kind, std::int64_t day) {
    const geo::LatLon dest = ChooseRoost(world_, site, rng_);
    const double speed =
        Uniform(rng_, params_.flight_speed_min_kmh, params_.flight_speed_max_kmh) / 3.6;
    const geo::LatLon leg_from = ind_.stays.back().roost;
    const double total = geo::GeodesicDistanceM(leg_from, dest);
    double flown = 0;
    while (true) {
      TruthStay& here = ind_.stays.back();
      const geo::LatLon cur = here.roost;
      telemetry::TimestampMs t0 = UtcOfLocalSolar(day, params_.flight_start_hour, cur.lon);
      if (t0 <= here.arrival_ms) {
        ++day;
        continue;
      }
      if (t0 >= end_ms_) {
        done_ = true;
        return false;
      }
      here.departure_ms = t0;
      const telemetry::TimestampMs t1 = UtcOfLocalSolar(day, params_.flight_end_hour, cur.lon);
      const double reach = speed * static_cast<double>(t1 - t0) / 1000.0;
      const bool arrives = reach >= total - flown;
      geo::LatLon next = dest;
      if (!arrives) {
        flown += reach;
        next = Slerp(leg_from, dest, flown / total);
      }
      TruthFlight flight;
      flight.depart_ms = t0;
      flight.from = cur;
      flight.to = next;
      flight.distance_m = geo::GeodesicDistanceM(cur, next);
      flight.speed_mps = speed;
      flight.arrive_ms = t0 + std::llround(flight.distance_m / speed * 1000.0);
      ind_.flights.push_back(flight);
      AddStay(arrives ? site : -1, arrives ? kind : StayKind::kOvernight, next, flight.arrive_ms);
      if (done_) return false;
      if (arrives) return true;
      ++day;
    }
  }

  const SimParams& params_;
  const SimWorld& world_;
  SimIndividual& ind_;
  Rng rng_;
  telemetry::TimestampMs end_ms_;
  bool done_ = false;
};

absl::StatusOr<int> SiteIndexOf(const SimWorld& world, const std::string& id) {
  const int i = world.SiteIndex(id);
  if (i < 0) return absl::InvalidArgumentError(absl::StrCat("SimParams.routes: unknown site '", id, "'"));
  return i;
}

absl::StatusOr<std::vector<int>> SiteIndices(const SimWorld& world, const std::vector<std::string>& ids) {
  std::vector<int> out;
  for (const std::string& id : ids) {
    absl::StatusOr<int> i = SiteIndexOf(world, id);
    if (!i.ok()) return i.status();
    out.push_back(*i);
  }
  return out;
}

std::vector<TruthGap> PlanGaps(const SimParams& params, Rng rng, telemetry::TimestampMs start,
                               telemetry::TimestampMs end) {
  std::vector<TruthGap> gaps;
  if (params.gap_rate_per_day <= 0) return gaps;
  double t = static_cast<double>(start);
  const double day = static_cast<double>(kMsPerDay), hour = static_cast<double>(kMsPerHour);
  while (true) {
    t += Exponential(rng, 1.0 / params.gap_rate_per_day) * day;
    if (t >= static_cast<double>(end)) break;
    const double len = std::clamp(Exponential(rng, params.gap_mean_h), 1.0, params.gap_max_h) * hour;
    TruthGap g;
    g.start_ms = std::llround(t);
    g.end_ms = std::min<telemetry::TimestampMs>(end, std::llround(t + len));
    gaps.push_back(g);
    t += len;
  }
  return gaps;
}

}  // namespace

absl::StatusOr<SimPlan> PlanScenario(const SimParams& params, const SimWorld& world) {
  if (absl::Status s = ValidateParams(params); !s.ok()) return s;
  SimPlan plan;
  plan.start_ms = YearStartMs(params.start_year);
  plan.end_ms = YearStartMs(params.start_year + params.years);

  for (int i = 0; i < params.individuals; ++i) {
    const std::string& wanted = params.species[static_cast<size_t>(i) % params.species.size()];
    const catalog::Species* species = world.catalog.FindSpecies(wanted);
    if (species == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("SimParams.species: unknown species '", wanted, "'"));
    }
    auto use_it = world.sites_by_species.find(species->id);
    const SpeciesSites empty;
    const SpeciesSites& use = use_it == world.sites_by_species.end() ? empty : use_it->second;

    const auto idx = static_cast<std::uint64_t>(i);
    Rng rng = MakeRng(params.seed, RngStream::kPlan, idx);
    Route route;
    const RouteOverride* fixed = nullptr;
    for (const RouteOverride& r : params.routes) {
      const catalog::Species* rs = world.catalog.FindSpecies(r.species);
      if (rs == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat("SimParams.routes: unknown species '", r.species, "'"));
      }
      if (rs->id == species->id) fixed = &r;
    }
    if (fixed != nullptr) {
      absl::StatusOr<int> w = SiteIndexOf(world, fixed->wintering_site);
      absl::StatusOr<int> b = SiteIndexOf(world, fixed->breeding_site);
      absl::StatusOr<std::vector<int>> sp = SiteIndices(world, fixed->spring_stopovers);
      absl::StatusOr<std::vector<int>> au = SiteIndices(world, fixed->autumn_stopovers);
      for (const absl::Status& s : {w.status(), b.status(), sp.status(), au.status()}) {
        if (!s.ok()) return s;
      }
      route = {.wintering = *w, .breeding = *b, .fixed = true, .spring = *sp, .autumn = *au};
    } else {
      if (use.breeding.empty() || use.wintering.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "species ", species->id, " has no breeding or no wintering site in the catalog focal_use"));
      }
      route.wintering = use.wintering[UniformIndex(rng, use.wintering.size())];
      route.breeding = use.breeding[UniformIndex(rng, use.breeding.size())];
    }

    SimIndividual ind;
    ind.individual_id = absl::StrFormat("%s-%d-%03d", species->code, params.start_year, i + 1);
    ind.tag_id = absl::StrFormat("%s%05d", params.tag_prefix, i + 1);
    ind.species_id = species->id;
    ind.species_code = species->code;
    ind.taxon = species->scientific_name;
    ind.sex = std::string(1, Bernoulli(rng, 0.5) ? 'f' : 'm');
    ind.breeding_site = world.catalog.sites()[static_cast<size_t>(route.breeding)].id;
    ind.wintering_site = world.catalog.sites()[static_cast<size_t>(route.wintering)].id;
    ind.deploy_on_ms = plan.start_ms;
    ind.deploy_off_ms = plan.end_ms;
    Planner planner(params, world, &ind, rng, plan.end_ms);
    planner.Run(route, use.stopover, TimingFor(species->code), plan.start_ms);
    ind.gaps = PlanGaps(params, MakeRng(params.seed, RngStream::kGaps, idx), plan.start_ms, plan.end_ms);
    plan.individuals.push_back(std::move(ind));
  }
  return plan;
}

}  // namespace wetlink::sim
