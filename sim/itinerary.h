#ifndef WETLINK_SIM_ITINERARY_H_
#define WETLINK_SIM_ITINERARY_H_

// Ground truth of a simulation: who was tagged and where each bird was when.
// Small (a few hundred records per bird-year), so it is always returned whole.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "geo/geometry.h"
#include "sim/sim_params.h"
#include "sim/sim_world.h"
#include "telemetry/fix.h"

namespace wetlink::sim {

enum class StayKind { kWintering, kStopover, kBreeding, kOvernight };

// "wintering", "stopover", "breeding", "overnight".
std::string_view StayKindName(StayKind kind);

// A time spent in one place. Overnight stops on migration are at unnamed
// places (site_id empty) wherever a flight day ended.
struct TruthStay {
  std::string site_id;  // "" for an overnight stop
  int site_index = -1;  // position in SimWorld::catalog.sites(), -1 when unnamed
  StayKind kind = StayKind::kOvernight;
  geo::LatLon roost;    // where the bird spends the nights
  telemetry::TimestampMs arrival_ms = 0;    // clipped to the simulation start
  telemetry::TimestampMs departure_ms = 0;  // clipped to the simulation end
};

// A daytime flight between two consecutive stays, at constant ground speed
// along the great circle (distance measured on the ellipsoid).
struct TruthFlight {
  telemetry::TimestampMs depart_ms = 0;
  telemetry::TimestampMs arrive_ms = 0;
  geo::LatLon from;
  geo::LatLon to;
  double distance_m = 0;
  double speed_mps = 0;
};

// A span in which the tag recorded nothing.
struct TruthGap {
  telemetry::TimestampMs start_ms = 0;
  telemetry::TimestampMs end_ms = 0;
};

struct SimIndividual {
  std::string individual_id;  // individual-local-identifier, "<CODE>-<year>-<NNN>"
  std::string tag_id;         // tag-local-identifier, "<tag_prefix><NNNNN>"
  std::string species_id;     // "grus_monacha"
  std::string species_code;   // "HC"
  std::string taxon;          // individual-taxon-canonical-name, "Grus monacha"
  std::string sex;            // "f" or "m"
  std::string breeding_site;
  std::string wintering_site;
  telemetry::TimestampMs deploy_on_ms = 0;
  telemetry::TimestampMs deploy_off_ms = 0;
  // stays[i] -> flights[i] -> stays[i + 1]; stays.size() == flights.size() + 1.
  std::vector<TruthStay> stays;
  std::vector<TruthFlight> flights;
  std::vector<TruthGap> gaps;  // sorted, disjoint
};

struct SimPlan {
  telemetry::TimestampMs start_ms = 0;  // 1 Jan start_year, 00:00 UTC
  telemetry::TimestampMs end_ms = 0;    // 1 Jan start_year + years
  std::vector<SimIndividual> individuals;
};

// Chooses every individual's sites and timetable. Deterministic in
// params.seed. InvalidArgument for bad params, unknown species or sites, or a
// species without breeding or wintering sites in the catalog.
absl::StatusOr<SimPlan> PlanScenario(const SimParams& params, const SimWorld& world);

}  // namespace wetlink::sim

#endif  // WETLINK_SIM_ITINERARY_H_
