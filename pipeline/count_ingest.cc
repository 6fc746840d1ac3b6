#include "pipeline/count_ingest.h"

#include <variant>

namespace wetlink::pipeline {

absl::StatusOr<CountBatchOutcome> CountIngestor::Submit(const std::vector<counts::RawCount>& raw,
                                                        std::int32_t today_days, bool dry_run) {
  CountBatchOutcome out;
  const auto catalog = catalog_.Snapshot();
  std::vector<counts::Count> valid;
  valid.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    auto checked = counts::ValidateCount(raw[i], *catalog, today_days, limits_);
    if (auto* problem = std::get_if<telemetry::FieldProblem>(&checked)) {
      out.rejected.push_back(
          RecordRejection{.index = static_cast<std::uint32_t>(i), .problem = std::move(*problem)});
    } else {
      valid.push_back(std::move(std::get<counts::Count>(checked)));
    }
  }
  if (dry_run) {
    out.accepted = static_cast<std::uint32_t>(valid.size());
    return out;
  }
  auto report = counts_.Put(valid);
  if (!report.ok()) return report.status();
  out.accepted = report->accepted;
  out.duplicates = report->duplicates;
  out.updated = report->updated;
  return out;
}

}  // namespace wetlink::pipeline
