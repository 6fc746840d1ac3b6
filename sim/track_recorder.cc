#include "sim/track_recorder.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "sim/civil_time.h"
#include "sim/site_spots.h"
#include "sim/sphere.h"

namespace wetlink::sim {
namespace {

// Daily cycle inside a site, local solar hours: roost, commute out, forage,
// commute back, roost.
constexpr double kLeaveRoost = 6.0;
constexpr double kReachForage = 6.75;
constexpr double kLeaveForage = 17.75;
constexpr double kReachRoost = 18.5;
// AR(1) memory of the wander around the anchor between fixes.
constexpr double kWalkPhi = 0.5;
constexpr std::int64_t kEventIdBase = 1'000'000'000;

double Quantize(double v, double scale) { return std::round(v * scale) / scale; }

geo::LatLon Lerp(geo::LatLon a, geo::LatLon b, double f) {
  return {.lat = a.lat + (b.lat - a.lat) * f, .lon = a.lon + (b.lon - a.lon) * f};
}

std::int64_t LocalDay(telemetry::TimestampMs t, double lon) {
  return DayIndex(t + std::llround(lon / 15.0 * static_cast<double>(kMsPerHour)));
}

}  // namespace

TrackRecorder::TrackRecorder(const SimParams& params, const SimWorld& world, const SimPlan& plan,
                             std::uint32_t individual)
    : params_(params),
      world_(world),
      ind_(plan.individuals[individual]),
      individual_(individual),
      end_ms_(plan.end_ms),
      grid_ms_(plan.start_ms),
      day_step_ms_(std::int64_t{params.day_interval_min} * 60'000),
      night_step_ms_(std::int64_t{params.night_interval_min} * 60'000),
      rng_(MakeRng(params.seed, RngStream::kPositions, individual)) {}

void TrackRecorder::Seek(telemetry::TimestampMs t) {
  const size_t last = 2 * (ind_.stays.size() - 1);
  while (segment_ < last) {
    const telemetry::TimestampMs seg_end = segment_ % 2 == 0 ? ind_.stays[segment_ / 2].departure_ms
                                                             : ind_.flights[segment_ / 2].arrive_ms;
    if (t < seg_end) break;
    ++segment_;
  }
}

double TrackRecorder::CurrentLon() const {
  return segment_ % 2 == 0 ? ind_.stays[segment_ / 2].roost.lon : ind_.flights[segment_ / 2].from.lon;
}

geo::LatLon TrackRecorder::ForagePoint(std::int64_t local_day) {
  if (forage_segment_ != segment_ || forage_day_ != local_day) {
    const TruthStay& stay = ind_.stays[segment_ / 2];
    // Keyed by (stay, day), not by fix: gaps and sampling leave it unchanged.
    KeyedRng rng = MakeKeyedRng(params_.seed, RngStream::kForage, individual_,
                                (static_cast<std::uint64_t>(segment_) << 32) ^
                                    static_cast<std::uint64_t>(local_day));
    forage_ = ChooseForage(world_, stay.site_index, stay.roost, params_.forage_distance_m, rng);
    forage_segment_ = segment_;
    forage_day_ = local_day;
  }
  return forage_;
}

TrackRecorder::Anchor TrackRecorder::AnchorAt(telemetry::TimestampMs t) {
  Anchor a;
  if (segment_ % 2 == 1) {
    const TruthFlight& f = ind_.flights[segment_ / 2];
    const double span = static_cast<double>(std::max<std::int64_t>(1, f.arrive_ms - f.depart_ms));
    const double frac = std::clamp(static_cast<double>(t - f.depart_ms) / span, 0.0, 1.0);
    a.pos = Slerp(f.from, f.to, frac);
    a.in_flight = true;
    a.speed_mps = f.speed_mps;
    a.heading_deg = BearingDeg(a.pos, f.to);
    return a;
  }
  const TruthStay& stay = ind_.stays[segment_ / 2];
  a.pos = stay.roost;
  if (stay.site_index < 0) {
    a.spread_m = 30.0;
    return a;
  }
  a.spread_m = RoostSpreadM(world_, stay.site_index);
  const std::int64_t day = LocalDay(t, stay.roost.lon);
  // No foraging on the day of arrival or of departure: the bird is at the roost.
  if (day == LocalDay(stay.arrival_ms, stay.roost.lon) ||
      day == LocalDay(stay.departure_ms, stay.roost.lon)) {
    return a;
  }
  const double h = LocalSolarHour(t, stay.roost.lon);
  if (h < kLeaveRoost || h >= kReachRoost) return a;
  const geo::LatLon forage = ForagePoint(day);
  if (h < kReachForage) {
    a.pos = Lerp(stay.roost, forage, (h - kLeaveRoost) / (kReachForage - kLeaveRoost));
  } else if (h < kLeaveForage) {
    a.pos = forage;
    a.spread_m = ForageSpreadM(world_, stay.site_index, params_.walk_sigma_m);
  } else {
    a.pos = Lerp(forage, stay.roost, (h - kLeaveForage) / (kReachRoost - kLeaveForage));
  }
  return a;
}

bool TrackRecorder::Next(SimFix* out) {
  const auto jitter_ms = static_cast<std::uint64_t>(params_.fix_jitter_s) * 1000;
  while (grid_ms_ < end_ms_) {
    const telemetry::TimestampMs t = grid_ms_;
    grid_ms_ += day_step_ms_;
    while (gap_ < ind_.gaps.size() && ind_.gaps[gap_].end_ms <= t) ++gap_;
    if (gap_ < ind_.gaps.size() && ind_.gaps[gap_].start_ms <= t) continue;
    Seek(t);
    const double h = LocalSolarHour(t, CurrentLon());
    const bool day = h >= params_.day_start_hour && h < params_.day_end_hour;
    if (!day && t % night_step_ms_ != 0) continue;

    const telemetry::TimestampMs ts =
        t + static_cast<std::int64_t>(jitter_ms > 0 ? UniformIndex(rng_, jitter_ms) : 0);
    if (ts >= end_ms_) break;
    Seek(ts);
    const Anchor a = AnchorAt(ts);

    double ne = 0, nn = 0;
    if (a.in_flight) {
      walk_e_ = walk_n_ = 0;
    } else {
      StandardNormalPair(rng_, &ne, &nn);
      const double k = std::sqrt(1.0 - kWalkPhi * kWalkPhi) * a.spread_m;
      walk_e_ = kWalkPhi * walk_e_ + k * ne;
      walk_n_ = kWalkPhi * walk_n_ + k * nn;
    }
    StandardNormalPair(rng_, &ne, &nn);
    double east = walk_e_ + params_.noise_sigma_m * ne;
    double north = walk_n_ + params_.noise_sigma_m * nn;
    const bool outlier = Bernoulli(rng_, params_.outlier_rate);
    bool flagged = false;
    if (outlier) {
      const double mag = std::min(params_.outlier_max_m,
                                  params_.outlier_scale_m * (0.1 + std::abs(StandardCauchy(rng_))));
      const double bearing = Uniform(rng_, 0.0, 2.0 * std::numbers::pi);
      east += mag * std::sin(bearing);
      north += mag * std::cos(bearing);
      flagged = Bernoulli(rng_, params_.outlier_flagged_fraction);
    }
    const geo::LatLon p = Offset(a.pos, east, north);

    SimFix& s = *out;
    telemetry::Fix& f = s.fix;
    f = telemetry::Fix();
    f.tag_id = ind_.tag_id;
    f.timestamp_ms = ts;
    // Quantised to what the CSV prints, so a written row reads back exactly.
    f.lat = Quantize(p.lat, 1e7);
    f.lon = Quantize(p.lon, 1e7);
    double hn = 0, hs = 0;
    StandardNormalPair(rng_, &hn, &hs);
    f.height_m = Quantize(a.in_flight ? std::max(20.0, 300.0 + 150.0 * hn) : 40.0 + 8.0 * hn, 10);
    f.hdop = Quantize(outlier ? Uniform(rng_, 4.0, 15.0) : std::min(9.9, 0.6 + Exponential(rng_, 0.6)), 10);
    f.satellites = static_cast<int>(outlier ? 3 + UniformIndex(rng_, 2) : 5 + UniformIndex(rng_, 8));
    f.ground_speed_mps =
        Quantize(a.in_flight ? std::max(0.0, a.speed_mps + hs) : std::abs(hs) * 0.3, 100);
    double heading = Quantize(a.in_flight ? a.heading_deg : Uniform(rng_, 0.0, 360.0), 10);
    f.heading_deg = heading >= 360.0 ? 0.0 : heading;
    f.event_id = static_cast<std::int64_t>(individual_ + 1) * kEventIdBase + seq_++;
    f.visible = !flagged;
    s.individual = individual_;
    s.delivered_ms = 0;
    s.duplicate = false;
    s.late = false;
    s.outlier = outlier;
    s.in_flight = a.in_flight;
    return true;
  }
  return false;
}

}  // namespace wetlink::sim
