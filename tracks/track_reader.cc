#include "tracks/track_reader.h"

#include <algorithm>
#include <limits>
#include <set>

#include "absl/strings/str_cat.h"

namespace wetlink::tracks {

absl::Status CheckSelection(const TrackSelection& s) {
  if (s.from_ms && s.to_ms && *s.from_ms >= *s.to_ms) {
    return absl::InvalidArgumentError(absl::StrCat("selection: from_ms ", *s.from_ms,
                                                   " is not before to_ms ", *s.to_ms));
  }
  if (s.min_interval_ms < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("selection.min_interval_ms: ", s.min_interval_ms, " is negative"));
  }
  return absl::OkStatus();
}

bool IsFlaggedOutlier(const store::StoredFix& fix) {
  if (!fix.visible) return true;
  return fix.manually_marked_outlier.value_or(false) && !fix.manually_marked_valid.value_or(false);
}

absl::Status ReadTrack(const store::FixStore& fixes, std::uint32_t individual,
                       const TrackSelection& selection,
                       const std::function<bool(const store::StoredFix&)>& visit) {
  if (absl::Status st = CheckSelection(selection); !st.ok()) return st;
  const telemetry::TimestampMs from =
      selection.from_ms.value_or(std::numeric_limits<telemetry::TimestampMs>::min());
  const telemetry::TimestampMs to =
      selection.to_ms.value_or(std::numeric_limits<telemetry::TimestampMs>::max());
  std::optional<telemetry::TimestampMs> last_kept;
  return fixes.ScanTrack(individual, from, to, [&](const store::StoredFix& fix) {
    if (selection.exclude_outliers && IsFlaggedOutlier(fix)) return true;
    if (selection.min_interval_ms > 0 && last_kept &&
        fix.timestamp_ms - *last_kept < selection.min_interval_ms) {
      return true;
    }
    last_kept = fix.timestamp_ms;
    return visit(fix);
  });
}

std::vector<IndividualSummary> SummarizeIndividuals(const store::RegistrySnapshot& registry,
                                                    const store::FixStore& fixes,
                                                    std::string_view study_id) {
  std::vector<IndividualSummary> out;
  for (const store::RegisteredIndividual* in : registry.IndividualsOf(study_id)) {
    IndividualSummary summary;
    summary.individual = in;
    std::set<std::string> tags;
    for (const telemetry::Deployment* d : registry.DeploymentsOf(study_id)) {
      if (d->individual_id == in->individual.id) tags.insert(d->tag_id);
    }
    summary.tag_ids.assign(tags.begin(), tags.end());
    summary.stats = fixes.Stats(in->number);
    out.push_back(std::move(summary));
  }
  return out;
}

}  // namespace wetlink::tracks
