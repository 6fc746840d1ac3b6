#ifndef WETLINK_GRAPH_LIVE_FLYWAY_H_
#define WETLINK_GRAPH_LIVE_FLYWAY_H_

// The flyway graph kept current as fixes arrive. Ingest tells it which
// individuals got fixes in which time span (NoteFixes, after the durable
// write); a worker thread re-segments only those stretches
// (incremental_segmentation.h), builds the next immutable snapshot and
// publishes it. Queries take the current snapshot (Snapshot) and never
// wait for ingest or for the worker.
//
// Everything derived is rebuilt from the stored fixes by Rebuild (at start,
// and by the worker within a second of a change of the catalog snapshot,
// since site positions move).
//
// Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "graph/flyway_snapshot.h"
#include "graph/segmentation_params.h"
#include "graph/track_source.h"

namespace wetlink::graph {

struct LiveFlywayOptions {
  // The live segmentation parameters.
  SegmentationParams params;
  // After the first change, the worker waits this long for more before
  // updating, so a burst of batches costs one snapshot; at least four times
  // as long as the previous update took. Default 50 ms.
  std::chrono::milliseconds coalesce{50};
  // How often an idle worker checks whether the site catalog changed (an
  // import), which calls for a full rebuild. Default 1 s.
  std::chrono::milliseconds catalog_check{1000};
  // Threads reading and segmenting tracks in a full rebuild. Default 2.
  int rebuild_threads = 2;
  // Discovered sites with a sensitive species' stays; unset: none is.
  DiscoveredSitePrivacy discovered_sites = {};
};

struct RebuildStats {
  std::uint32_t individuals = 0;
  std::uint64_t fixes = 0;
  double seconds = 0;
};

class LiveFlyway {
 public:
  using CatalogProvider = std::function<std::shared_ptr<const catalog::Catalog>()>;

  // `source` must outlive the engine. Publishes an empty snapshot; call
  // Rebuild, then Start.
  LiveFlyway(const TrackSource& source, CatalogProvider catalog, CountryLookup countries,
             LiveFlywayOptions options);
  ~LiveFlyway();  // stops the worker
  LiveFlyway(const LiveFlyway&) = delete;
  LiveFlyway& operator=(const LiveFlyway&) = delete;

  // Segments every stored track again and publishes the result. Blocks;
  // the live snapshot stays readable meanwhile.
  absl::StatusOr<RebuildStats> Rebuild();

  // Starts / stops the worker that applies NoteFixes. Stop is idempotent.
  void Start();
  void Stop();

  // Fixes of `individual` in [from_ms, to_ms] were stored, or their
  // outlier flags changed. Cheap; never blocks on segmentation.
  void NoteFixes(std::uint32_t individual, telemetry::TimestampMs from_ms,
                 telemetry::TimestampMs to_ms);

  std::shared_ptr<const FlywaySnapshot> Snapshot() const;

  // Waits until every change noted before the call is in the published
  // snapshot: true then (at once when nothing is pending), false on
  // timeout or when the worker stops with changes still pending.
  bool WaitUntilCurrent(std::chrono::milliseconds timeout);

  // A snapshot of the individuals `include` accepts, segmented with
  // `params`, for one request; the live snapshot is not touched.
  absl::StatusOr<std::shared_ptr<const FlywaySnapshot>> ComputeWith(
      const SegmentationParams& params,
      const std::function<bool(const IndividualInfo&)>& include) const;

  const LiveFlywayOptions& options() const { return options_; }
  // The last error of the worker ("" when none): storage failures while
  // updating, reported by wetlinkd's health and logs.
  std::string LastError() const;

 private:
  struct Dirty {
    telemetry::TimestampMs from_ms;
    telemetry::TimestampMs to_ms;
  };
  using Segmented = std::map<std::uint32_t, std::shared_ptr<const SegmentedIndividual>>;

  absl::StatusOr<Segmented> SegmentAll(const SegmentationParams& params,
                                       const catalog::Catalog& catalog,
                                       const std::function<bool(const IndividualInfo&)>& include,
                                       RebuildStats* stats) const;
  absl::Status ApplyChanges(const std::map<std::uint32_t, Dirty>& dirty);
  void Publish(std::shared_ptr<const catalog::Catalog> catalog);
  void Run();

  const TrackSource& source_;
  CatalogProvider catalog_provider_;
  CountryLookup countries_;
  LiveFlywayOptions options_;

  // Worker state: only the worker and Rebuild (under update_mu_) touch it.
  std::mutex update_mu_;
  Segmented segmented_;
  std::shared_ptr<const catalog::Catalog> segmented_catalog_;
  std::uint64_t version_ = 0;

  mutable std::mutex snapshot_mu_;
  std::shared_ptr<const FlywaySnapshot> snapshot_;

  mutable std::mutex dirty_mu_;
  std::condition_variable dirty_cv_;
  std::condition_variable applied_cv_;
  std::map<std::uint32_t, Dirty> dirty_;
  std::uint64_t noted_ = 0;    // NoteFixes calls so far
  std::uint64_t applied_ = 0;  // of which published
  bool stopping_ = false;
  bool running_ = false;
  std::string last_error_;
  std::thread worker_;
};

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_LIVE_FLYWAY_H_
