#ifndef WETLINK_SIM_TRACK_RECORDER_H_
#define WETLINK_SIM_TRACK_RECORDER_H_

// What one tag records, in time order: fixes on the sampling grid (dense by
// day, sparse at night), none during gaps, each placed by the movement model
// (roost at night, forage by day, great-circle flights) plus GPS error.

#include <cstdint>

#include "geo/geometry.h"
#include "sim/itinerary.h"
#include "sim/random.h"
#include "sim/sim_fix.h"
#include "sim/sim_params.h"
#include "sim/sim_world.h"

namespace wetlink::sim {

class TrackRecorder {
 public:
  // `params`, `world` and `plan` must outlive the recorder.
  TrackRecorder(const SimParams& params, const SimWorld& world, const SimPlan& plan,
                std::uint32_t individual);

  // The next recorded fix; false when the track has ended.
  bool Next(SimFix* out);

 private:
  struct Anchor {
    geo::LatLon pos;
    double spread_m = 0;  // walk around pos; 0 in flight
    bool in_flight = false;
    double speed_mps = 0;
    double heading_deg = 0;
  };

  void Seek(telemetry::TimestampMs t);  // moves segment_ forward to t
  double CurrentLon() const;
  Anchor AnchorAt(telemetry::TimestampMs t);
  geo::LatLon ForagePoint(std::int64_t local_day);

  const SimParams& params_;
  const SimWorld& world_;
  const SimIndividual& ind_;
  std::uint32_t individual_;
  telemetry::TimestampMs end_ms_;
  telemetry::TimestampMs grid_ms_;
  std::int64_t day_step_ms_;
  std::int64_t night_step_ms_;
  size_t segment_ = 0;  // even: stays[segment_ / 2]; odd: flights[segment_ / 2]
  size_t gap_ = 0;
  std::int64_t seq_ = 0;
  Rng rng_;
  double walk_e_ = 0, walk_n_ = 0;  // AR(1) offset from the anchor, metres
  size_t forage_segment_ = SIZE_MAX;
  std::int64_t forage_day_ = 0;
  geo::LatLon forage_;
};

}  // namespace wetlink::sim

#endif  // WETLINK_SIM_TRACK_RECORDER_H_
