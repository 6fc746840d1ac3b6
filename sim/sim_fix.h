#ifndef WETLINK_SIM_SIM_FIX_H_
#define WETLINK_SIM_SIM_FIX_H_

// One delivered row of a simulated data set: the fix as a tag reports it,
// plus who sent it and the truth about it that a real data set would hide.

#include <cstdint>

#include "telemetry/fix.h"

namespace wetlink::sim {

struct SimFix {
  // fix.event_id is set on every fix: (individual + 1) * 10^9 + the fix's
  // number on its tag, so a duplicate shares the event id of its original.
  telemetry::Fix fix;
  std::uint32_t individual = 0;             // index into SimPlan::individuals
  telemetry::TimestampMs delivered_ms = 0;  // upload time of its batch
  // Ground truth, not part of a Movebank row:
  bool duplicate = false;  // a re-send of an earlier row (equal fix)
  bool late = false;       // held back at least one upload batch
  bool outlier = false;    // position carries a gross error
  bool in_flight = false;  // recorded during a migration flight
};

}  // namespace wetlink::sim

#endif  // WETLINK_SIM_SIM_FIX_H_
