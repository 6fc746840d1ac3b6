#ifndef WETLINK_SIM_TRUTH_JSON_H_
#define WETLINK_SIM_TRUTH_JSON_H_

// The ground truth of a run as JSON (schema "wetlink.sim.truth/1"): per
// individual its ids, species, sites, and the stays, flights and gaps with
// ISO 8601 UTC times and epoch milliseconds.

#include <string>

#include "sim/itinerary.h"

namespace wetlink::sim {

// Pretty-printed with two-space indents; deterministic (keys sorted).
std::string TruthJson(const SimPlan& plan);

}  // namespace wetlink::sim

#endif  // WETLINK_SIM_TRUTH_JSON_H_
