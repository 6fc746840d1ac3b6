#include "telemetry/deployment_index.h"

#include <algorithm>
#include <tuple>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace wetlink::telemetry {
namespace {

std::string Describe(const Deployment& d) {
  return absl::StrCat("deployment of tag '", d.tag_id, "' on '", d.individual_id, "' in study '",
                      d.study_id, "' from ", d.start_ms, d.end_ms ? " to " : " (open-ended)",
                      d.end_ms ? std::to_string(*d.end_ms) : std::string(), " ms");
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

std::variant<const Deployment*, ResolveFailure> DeploymentIndex::Resolve(
    std::string_view study_id, std::string_view tag_id, TimestampMs t) const {
  auto it = ranges_.find(std::make_pair(std::string(study_id), std::string(tag_id)));
  if (it == ranges_.end()) return ResolveFailure::kUnknownTag;
  const auto first = deployments_.begin() + static_cast<std::ptrdiff_t>(it->second.first);
  const auto last = deployments_.begin() + static_cast<std::ptrdiff_t>(it->second.second);
  // The last deployment starting at or before t is the only candidate:
  // deployments of one tag never overlap.
  auto after = std::upper_bound(first, last, t, [](TimestampMs time, const Deployment& d) {
    return time < d.start_ms;
  });
  if (after == first) return ResolveFailure::kOutsideDeployment;
  const Deployment& candidate = *(after - 1);
  if (!candidate.Covers(t)) return ResolveFailure::kOutsideDeployment;
  return &candidate;
}

}  // namespace wetlink::telemetry
