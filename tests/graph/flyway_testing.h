#ifndef WETLINK_TESTS_GRAPH_FLYWAY_TESTING_H_
#define WETLINK_TESTS_GRAPH_FLYWAY_TESTING_H_

// Shared helpers of the flyway tests: individuals segmented from builder
// tracks, snapshots of an AsciiWorld, and hour arithmetic.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "graph/flyway_snapshot.h"
#include "graph/segment_track.h"
#include "graph/segmented_individual.h"
#include "telemetry/timestamp.h"
#include "tests/graph/ascii_world.h"

namespace wetlink::graph::testing {

inline constexpr const char* kHoodedCrane = "grus_monacha";        // code HC
inline constexpr const char* kWhiteNapedCrane = "antigone_vipio";  // code WNC

// 2024-03-01T00:00:00Z.
inline constexpr telemetry::TimestampMs kT0 = telemetry::TimestampFromCivil(2024, 3, 1);

inline telemetry::TimestampMs Hours(double h) {
  return static_cast<telemetry::TimestampMs>(h * static_cast<double>(kHour));
}

inline std::shared_ptr<const SegmentedIndividual> Segmented(std::uint32_t number,
                                                            const std::string& species,
                                                            const std::vector<TrackPoint>& points,
                                                            const SegmentationParams& params = {},
                                                            const std::string& study = "study1") {
  return MakeSegmentedIndividual({.number = number,
                                  .study_id = study,
                                  .individual_id = "bird" + std::to_string(number),
                                  .species_id = species},
                                 SegmentTrack(points, params));
}

inline std::shared_ptr<const FlywaySnapshot> SnapshotOf(
    const AsciiWorld& world, std::vector<std::shared_ptr<const SegmentedIndividual>> individuals,
    const SegmentationParams& params = {}) {
  return FlywaySnapshot::Build(world.catalog(), world.Countries(), std::move(individuals), params,
                               1);
}

}  // namespace wetlink::graph::testing

#endif  // WETLINK_TESTS_GRAPH_FLYWAY_TESTING_H_
