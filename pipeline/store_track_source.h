#ifndef WETLINK_PIPELINE_STORE_TRACK_SOURCE_H_
#define WETLINK_PIPELINE_STORE_TRACK_SOURCE_H_

// The flyway engine's view of the stores: individuals from the registry,
// tracks from the fix store, outliers left out, site ids turned into
// positions in the catalog snapshot.

#include "graph/track_source.h"
#include "store/fix_store.h"
#include "store/registry_store.h"

namespace wetlink::pipeline {

class StoreTrackSource final : public graph::TrackSource {
 public:
  // The stores must outlive the source.
  StoreTrackSource(const store::RegistryStore& registry, const store::FixStore& fixes)
      : registry_(registry), fixes_(fixes) {}

  absl::StatusOr<std::vector<graph::IndividualInfo>> Individuals() const override;
  absl::StatusOr<std::optional<graph::IndividualInfo>> Individual(
      std::uint32_t number) const override;
  absl::Status ReadTrack(std::uint32_t individual, telemetry::TimestampMs from_ms,
                         telemetry::TimestampMs to_ms, const catalog::Catalog& catalog,
                         std::vector<graph::TrackPoint>& out) const override;

 private:
  const store::RegistryStore& registry_;
  const store::FixStore& fixes_;
};

}  // namespace wetlink::pipeline

#endif  // WETLINK_PIPELINE_STORE_TRACK_SOURCE_H_
