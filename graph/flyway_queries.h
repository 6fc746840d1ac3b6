#ifndef WETLINK_GRAPH_FLYWAY_QUERIES_H_
#define WETLINK_GRAPH_FLYWAY_QUERIES_H_

// The front door of the analyses for any transport: picks the snapshot a
// question is answered from (the live one, or one computed on demand with
// the request's own segmentation parameters), validates the filter and
// resolves site ids, with errors that name the field.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "graph/links.h"
#include "graph/live_flyway.h"
#include "graph/seasons.h"
#include "graph/selection.h"

namespace wetlink::graph {

struct PreparedQuery {
  std::shared_ptr<const FlywaySnapshot> snapshot;
  Selection selection;
  std::vector<Link> links;  // AggregateLinks of the selection
  FlywayFilter filter;      // species given by code resolved to catalog ids
  bool on_demand = false;
};

class FlywayQueries {
 public:
  // Both must outlive this object.
  FlywayQueries(const LiveFlyway& live, const SeasonTable& seasons)
      : live_(live), seasons_(seasons) {}

  // `params`: nullopt, or equal to the live ones, answers from the live
  // snapshot; anything else segments the filter's individuals on demand.
  // Errors name the field with `field_prefix` ("query.filter.species: ...").
  // Answers from the live snapshot are cached per filter until the next
  // snapshot is published, so repeated questions cost a lookup.
  absl::StatusOr<std::shared_ptr<const PreparedQuery>> Prepare(
      FlywayFilter filter, const std::optional<SegmentationParams>& params,
      std::string_view field_prefix) const;

  // The node of a catalog site id or a discovered site id of `snapshot`.
  // InvalidArgument for an empty id, NotFound for an unknown one, both
  // naming `field`.
  static absl::StatusOr<std::int32_t> ResolveSite(const FlywaySnapshot& snapshot,
                                                  std::string_view id, std::string_view field);

  const SeasonTable& seasons() const { return seasons_; }
  const LiveFlyway& live() const { return live_; }

 private:
  const LiveFlyway& live_;
  const SeasonTable& seasons_;

  mutable std::mutex cache_mu_;
  mutable std::uint64_t cache_version_ = 0;
  mutable std::map<std::string, std::shared_ptr<const PreparedQuery>> cache_;
};

}  // namespace wetlink::graph

#endif  // WETLINK_GRAPH_FLYWAY_QUERIES_H_
