#include "sim/truth_json.h"

#include <nlohmann/json.hpp>

#include "sim/civil_time.h"
#include "telemetry/timestamp.h"

namespace wetlink::sim {
namespace {

using nlohmann::json;

std::string Iso(telemetry::TimestampMs t) {
  std::string s = telemetry::FormatTimestamp(t);
  s[10] = 'T';
  s += 'Z';
  return s;
}

json Pos(geo::LatLon p) { return json{{"lat", p.lat}, {"lon", p.lon}}; }

}  // namespace

std::string TruthJson(const SimPlan& plan) {
  json inds = json::array();
  for (const SimIndividual& ind : plan.individuals) {
    json stays = json::array();
    for (const TruthStay& s : ind.stays) {
      stays.push_back({{"site_id", s.site_id.empty() ? json(nullptr) : json(s.site_id)},
                       {"kind", std::string(StayKindName(s.kind))},
                       {"roost", Pos(s.roost)},
                       {"arrival", Iso(s.arrival_ms)},
                       {"departure", Iso(s.departure_ms)},
                       {"arrival_ms", s.arrival_ms},
                       {"departure_ms", s.departure_ms}});
    }
    json flights = json::array();
    for (const TruthFlight& f : ind.flights) {
      flights.push_back({{"depart", Iso(f.depart_ms)},
                         {"arrive", Iso(f.arrive_ms)},
                         {"depart_ms", f.depart_ms},
                         {"arrive_ms", f.arrive_ms},
                         {"from", Pos(f.from)},
                         {"to", Pos(f.to)},
                         {"distance_m", f.distance_m},
                         {"speed_mps", f.speed_mps}});
    }
    json gaps = json::array();
    for (const TruthGap& g : ind.gaps) {
      gaps.push_back({{"start", Iso(g.start_ms)}, {"end", Iso(g.end_ms)},
                      {"start_ms", g.start_ms}, {"end_ms", g.end_ms}});
    }
    inds.push_back({{"individual_id", ind.individual_id},
                    {"tag_id", ind.tag_id},
                    {"species_id", ind.species_id},
                    {"species_code", ind.species_code},
                    {"taxon", ind.taxon},
                    {"sex", ind.sex},
                    {"breeding_site", ind.breeding_site},
                    {"wintering_site", ind.wintering_site},
                    {"deploy_on", Iso(ind.deploy_on_ms)},
                    {"deploy_off", Iso(ind.deploy_off_ms)},
                    {"stays", std::move(stays)},
                    {"flights", std::move(flights)},
                    {"gaps", std::move(gaps)}});
  }
  json doc = {{"schema", "wetlink.sim.truth/1"},
              {"start", Iso(plan.start_ms)},
              {"end", Iso(plan.end_ms)},
              {"individuals", std::move(inds)}};
  return doc.dump(2) + "\n";
}

}  // namespace wetlink::sim
