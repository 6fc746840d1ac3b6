#include "telemetry/deployment_index.h"

#include <algorithm>
#include <tuple>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "telemetry/timestamp.h"

namespace wetlink::telemetry {
namespace {

std::string Describe(const Deployment& d) {
  return absl::StrCat("deployment of tag '", d.tag_id, "' on '", d.individual_id, "' in study '",
                      d.study_id, "' from ", FormatTimestamp(d.start_ms),
                      d.end_ms ? absl::StrCat(" to ", FormatTimestamp(*d.end_ms))
                               : std::string(" (open-ended)"));
}

}  // namespace

absl::StatusOr<DeploymentIndex> DeploymentIndex::Build(std::vector<Deployment> deployments) {
  std::sort(deployments.begin(), deployments.end(), [](const Deployment& a, const Deployment& b) {
    return std::tie(a.study_id, a.tag_id, a.start_ms) < std::tie(b.study_id, b.tag_id, b.start_ms);
  });
  DeploymentIndex index;
  for (std::size_t i = 0; i < deployments.size(); ++i) {
    const Deployment& d = deployments[i];
    if (d.end_ms && *d.end_ms <= d.start_ms) {
      return absl::InvalidArgumentError(
          absl::StrCat(Describe(d), ": deploy-off must be after deploy-on"));
    }
    if (i > 0) {
      const Deployment& prev = deployments[i - 1];
      if (prev.study_id == d.study_id && prev.tag_id == d.tag_id &&
          (!prev.end_ms || *prev.end_ms > d.start_ms)) {
        return absl::InvalidArgumentError(absl::StrCat(Describe(prev), " overlaps ", Describe(d),
                                                       ": a tag is on one animal at a time"));
      }
    }
    auto key = std::make_pair(d.study_id, d.tag_id);
    auto [it, inserted] = index.ranges_.emplace(key, std::make_pair(i, i + 1));
    if (!inserted) it->second.second = i + 1;
  }
  index.deployments_ = std::move(deployments);
  return index;
}

std::span<const Deployment> DeploymentIndex::DeploymentsOf(std::string_view study_id,
                                                           std::string_view tag_id) const {
  auto it = ranges_.find(std::make_pair(std::string(study_id), std::string(tag_id)));
  if (it == ranges_.end()) return {};
  return std::span<const Deployment>(deployments_).subspan(it->second.first,
                                                           it->second.second - it->second.first);
}

std::variant<const Deployment*, ResolveFailure> DeploymentIndex::Resolve(
    std::string_view study_id, std::string_view tag_id, TimestampMs t) const {
  std::span<const Deployment> of_tag = DeploymentsOf(study_id, tag_id);
  if (of_tag.empty()) return ResolveFailure::kUnknownTag;
  return DeploymentCovering(of_tag, t);
}

std::variant<const Deployment*, ResolveFailure> DeploymentCovering(
    std::span<const Deployment> of_one_tag, TimestampMs t) {
  if (of_one_tag.empty()) return ResolveFailure::kUnknownTag;
  // The last deployment starting at or before t is the only candidate:
  // deployments of one tag never overlap.
  auto after = std::upper_bound(of_one_tag.begin(), of_one_tag.end(), t,
                                [](TimestampMs time, const Deployment& d) {
                                  return time < d.start_ms;
                                });
  if (after == of_one_tag.begin()) return ResolveFailure::kOutsideDeployment;
  const Deployment& candidate = *(after - 1);
  if (!candidate.Covers(t)) return ResolveFailure::kOutsideDeployment;
  return &candidate;
}

}  // namespace wetlink::telemetry
