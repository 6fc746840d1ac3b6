#ifndef WETLINK_SERVICES_FLYWAY_PROTO_H_
#define WETLINK_SERVICES_FLYWAY_PROTO_H_

// wetlink.v1 flyway messages <-> graph types. Errors name the request field.

#include <optional>
#include <set>

#include "absl/status/statusor.h"
#include "graph/flyway_snapshot.h"
#include "graph/links.h"
#include "graph/segmentation_params.h"
#include "graph/selection.h"
#include "wetlink/v1/flyway.pb.h"

namespace wetlink::services {

graph::FlywayFilter FilterFromProto(const v1::FlywayFilter& proto);

// nullopt when no field is set (the live parameters apply). InvalidArgument
// naming the field for a value that is not finite or out of range.
absl::StatusOr<std::optional<graph::SegmentationParams>> ParamsFromProto(
    const v1::SegmentationParams& proto, const graph::SegmentationParams& live);

void ParamsToProto(const graph::SegmentationParams& params, v1::SegmentationParams* proto);

void NodeToProto(const graph::Node& node, v1::FlywayNode* proto);
void LinkToProto(const graph::FlywaySnapshot& snapshot, const graph::Link& link,
                 v1::FlywayLink* proto);

// Gathers the nodes an answer names, written once each, in node order.
class NodeCollector {
 public:
  explicit NodeCollector(const graph::FlywaySnapshot& snapshot) : snapshot_(snapshot) {}
  void Add(std::int32_t node) { seen_.insert(node); }
  void WriteTo(google::protobuf::RepeatedPtrField<v1::FlywayNode>* nodes) const;

 private:
  const graph::FlywaySnapshot& snapshot_;
  std::set<std::int32_t> seen_;
};

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_FLYWAY_PROTO_H_
