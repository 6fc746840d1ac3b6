#ifndef WETLINK_PIPELINE_COUNT_INGEST_H_
#define WETLINK_PIPELINE_COUNT_INGEST_H_

// The server side of count-survey ingest: validate each record against the
// catalog (site, species, date, count, method), then store the good ones in
// one durable write. Refused records get a reason; the others are stored.

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "counts/count.h"
#include "counts/count_validation.h"
#include "pipeline/fix_ingest.h"
#include "store/catalog_store.h"
#include "store/count_store.h"

namespace wetlink::pipeline {

struct CountBatchOutcome {
  std::uint32_t accepted = 0;
  std::uint32_t duplicates = 0;
  std::uint32_t updated = 0;
  std::vector<RecordRejection> rejected;  // ordered by index
};

class CountIngestor {
 public:
  // The stores must outlive the ingestor.
  CountIngestor(store::CatalogStore& catalog, store::CountStore& counts,
                counts::CountLimits limits = {})
      : catalog_(catalog), counts_(counts), limits_(limits) {}

  // `today_days` is the server's date (days since 1970). With `dry_run`
  // nothing is stored and every valid record counts as accepted. A Status
  // error means storage failed and nothing was stored.
  absl::StatusOr<CountBatchOutcome> Submit(const std::vector<counts::RawCount>& raw,
                                           std::int32_t today_days, bool dry_run);

 private:
  store::CatalogStore& catalog_;
  store::CountStore& counts_;
  counts::CountLimits limits_;
};

}  // namespace wetlink::pipeline

#endif  // WETLINK_PIPELINE_COUNT_INGEST_H_
