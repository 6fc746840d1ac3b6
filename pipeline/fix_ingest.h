#ifndef WETLINK_PIPELINE_FIX_INGEST_H_
#define WETLINK_PIPELINE_FIX_INGEST_H_

// The server side of fix ingest, free of any transport: validate each fix,
// resolve its tag's deployment to an individual (registering Movebank-style
// when asked), assign the catalogued site it falls in, and commit the batch
// durably. Every refused fix gets a reason; good fixes of the same batch are
// stored regardless.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "pipeline/site_assigner.h"
#include "store/catalog_store.h"
#include "store/fix_store.h"
#include "store/registry_store.h"
#include "telemetry/fix.h"
#include "telemetry/fix_validation.h"

namespace wetlink::pipeline {

struct FixInput {
  std::uint32_t index = 0;  // position in the client's batch
  telemetry::Fix fix;
  // What the source names for this fix; "" when it names none. Views into
  // the caller's request, alive for the call.
  std::string_view individual_id;
  std::string_view taxon;
};

struct RecordRejection {
  std::uint32_t index = 0;
  telemetry::FieldProblem problem;
};

struct FixBatchOutcome {
  std::uint32_t accepted = 0;
  std::uint32_t duplicates = 0;
  std::uint32_t updated = 0;
  std::vector<RecordRejection> rejected;  // ordered by index
  // Set when the whole batch was refused; nothing was stored.
  std::optional<telemetry::FieldProblem> batch_rejection;
};

struct FixIngestOptions {
  telemetry::ValidationLimits limits;
  // Fixes per batch, inclusive. 100,000 fixes make a ~5 MB message:
  // large enough that per-batch costs (one synced write, one ack) vanish,
  // small enough to bound the memory a stream holds.
  std::size_t max_fixes_per_batch = 100'000;
};

// Told, after each durable commit that stored or changed fixes, which
// individuals' tracks changed and over which time span (inclusive, UTC ms):
// how the live flyway graph learns of new fixes. Called on the ingest
// thread; must be cheap and must not call back into the ingestor.
using FixCommitListener = std::function<void(std::uint32_t individual,
                                             telemetry::TimestampMs from_ms,
                                             telemetry::TimestampMs to_ms)>;

class FixIngestor {
 public:
  // The stores must outlive the ingestor.
  FixIngestor(store::CatalogStore& catalog, store::RegistryStore& registry,
              store::FixStore& fixes, FixIngestOptions options = {});

  // Ingests one batch of `batch_size` records, of which `fixes` are those
  // that arrived well-formed (the caller reports the others). `now_ms` is
  // the server's clock. A Status error means storage failed and nothing of
  // the batch was stored; refusals of records or of the batch are in the
  // outcome. Safe to call from many threads.
  absl::StatusOr<FixBatchOutcome> Ingest(std::string_view study_id, bool auto_register,
                                         std::vector<FixInput>& fixes, std::size_t batch_size,
                                         telemetry::TimestampMs now_ms);

  const FixIngestOptions& options() const { return options_; }

  // Set before the first Ingest; not synchronised with it.
  void SetCommitListener(FixCommitListener listener) { listener_ = std::move(listener); }

 private:
  std::shared_ptr<const SiteAssigner> Assigner();

  store::CatalogStore& catalog_;
  store::RegistryStore& registry_;
  store::FixStore& fixes_;
  FixIngestOptions options_;
  FixCommitListener listener_;
  std::mutex assigner_mu_;
  std::shared_ptr<const SiteAssigner> assigner_;
};

}  // namespace wetlink::pipeline

#endif  // WETLINK_PIPELINE_FIX_INGEST_H_
