#ifndef WETLINK_GRAPH_TRACK_SOURCE_H_
#define WETLINK_GRAPH_TRACK_SOURCE_H_

// Where the flyway engine reads tracks. wetlinkd implements it over the fix
// store and the registry (pipeline/store_track_source.h); tests implement
// it in memory. Implementations must be safe to call from several threads.

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "catalog/catalog.h"
#include "graph/segmented_individual.h"
#include "graph/track_point.h"

namespace wetlink::graph {

class TrackSource {
 public:
  virtual ~TrackSource() = default;

  // Every individual with stored fixes.
  virtual absl::StatusOr<std::vector<IndividualInfo>> Individuals() const = 0;
  // One individual by its number; nullopt when the registry has none.
  virtual absl::StatusOr<std::optional<IndividualInfo>> Individual(std::uint32_t number) const = 0;
  // Replaces `out` with the usable fixes (IsUsableFix) of `individual` with
  // from_ms <= t < to_ms, in time order, their sites given as positions in
  // `catalog` (a fix's site id that `catalog` no longer holds reads as
  // kNoSite).
  virtual absl::Status ReadTrack(std::uint32_t individual, telemetry::TimestampMs from_ms,
                                 telemetry::TimestampMs to_ms, const catalog::Catalog& catalog,
                                 std::vector<TrackPoint>& out) const = 0;
};

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_TRACK_SOURCE_H_
