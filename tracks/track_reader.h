#ifndef WETLINK_TRACKS_TRACK_READER_H_
#define WETLINK_TRACKS_TRACK_READER_H_

// Reading tracks back: a study's individuals with what is stored of them,
// and one individual's fixes in a window, optionally thinned by time and
// without flagged outliers.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "store/fix_store.h"
#include "store/registry_snapshot.h"

namespace wetlink::tracks {

struct TrackSelection {
  std::optional<telemetry::TimestampMs> from_ms;  // inclusive
  std::optional<telemetry::TimestampMs> to_ms;    // exclusive
  // Keep a fix only if it is at least this long after the last kept one.
  std::int64_t min_interval_ms = 0;
  bool exclude_outliers = false;
};

// InvalidArgument naming the field for from >= to or a negative interval.
absl::Status CheckSelection(const TrackSelection& selection);

// Flagged upstream as an outlier: not visible, or manually marked as an
// outlier and not also marked valid.
bool IsFlaggedOutlier(const store::StoredFix& fix);

// Calls `visit` with the selected fixes of `individual` in time order until
// it returns false.
absl::Status ReadTrack(const store::FixStore& fixes, std::uint32_t individual,
                       const TrackSelection& selection,
                       const std::function<bool(const store::StoredFix&)>& visit);

struct IndividualSummary {
  const store::RegisteredIndividual* individual = nullptr;
  std::vector<std::string> tag_ids;  // tags ever deployed on it, sorted
  std::optional<store::TrackStats> stats;  // absent without fixes
};

// Every individual of `study_id`, ordered by id.
std::vector<IndividualSummary> SummarizeIndividuals(const store::RegistrySnapshot& registry,
                                                    const store::FixStore& fixes,
                                                    std::string_view study_id);

}  // namespace wetlink::tracks

#endif  // WETLINK_TRACKS_TRACK_READER_H_
