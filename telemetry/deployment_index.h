#ifndef WETLINK_TELEMETRY_DEPLOYMENT_INDEX_H_
#define WETLINK_TELEMETRY_DEPLOYMENT_INDEX_H_

// Resolves a fix's (study, tag, time) to the deployment, and so the
// individual, it belongs to. Immutable once built; safe to query from any
// number of threads. Built on every registry change (registries are small:
// thousands of deployments, not millions).

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "telemetry/registry.h"

namespace wetlink::telemetry {

enum class ResolveFailure {
  kUnknownTag,          // the study has no deployment of this tag at all
  kOutsideDeployment,   // the tag is deployed, but not at this time
};

class DeploymentIndex {
 public:
  DeploymentIndex() = default;

  // InvalidArgument when two deployments of one tag in one study overlap in
  // time (a tag is on one animal at a time), or a deployment ends before it
  // starts; the message names both deployments.
  static absl::StatusOr<DeploymentIndex> Build(std::vector<Deployment> deployments);

  // The deployment covering `t`, or why there is none.
  std::variant<const Deployment*, ResolveFailure> Resolve(std::string_view study_id,
                                                         std::string_view tag_id,
                                                         TimestampMs t) const;

  // The deployments of one tag, ordered by start; empty for an unknown tag.
  // With DeploymentCovering, resolves many fixes of one tag with a single
  // map lookup.
  std::span<const Deployment> DeploymentsOf(std::string_view study_id,
                                            std::string_view tag_id) const;

  // Every deployment, ordered by (study, tag, start).
  const std::vector<Deployment>& deployments() const { return deployments_; }

 private:
  std::vector<Deployment> deployments_;
  // (study, tag) -> [first, last) range in deployments_.
  std::map<std::pair<std::string, std::string>, std::pair<std::size_t, std::size_t>> ranges_;
};

// The deployment of `of_one_tag` (ordered by start, non-overlapping, as
// DeploymentsOf returns them) covering `t`, or why there is none.
std::variant<const Deployment*, ResolveFailure> DeploymentCovering(
    std::span<const Deployment> of_one_tag, TimestampMs t);

}  // namespace wetlink::telemetry

#endif  // WETLINK_TELEMETRY_DEPLOYMENT_INDEX_H_
