#ifndef WETLINK_PIPELINE_REFERENCE_DATA_H_
#define WETLINK_PIPELINE_REFERENCE_DATA_H_

// Registry changes from reference data, given as records or as a Movebank
// reference-data CSV: resolves each individual's taxon to a catalog species
// and hands the records to the registry store (all or nothing).

#include <istream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "store/catalog_store.h"
#include "store/registry_store.h"
#include "telemetry/fix_validation.h"
#include "telemetry/registry.h"

namespace wetlink::pipeline {

class ReferenceDataEditor {
 public:
  // The stores must outlive the editor.
  ReferenceDataEditor(store::CatalogStore& catalog, store::RegistryStore& registry,
                      telemetry::ValidationLimits limits = {})
      : catalog_(catalog), registry_(registry), limits_(limits) {}

  // See RegistryStore::PutReferenceData. Each individual's species_id is
  // set from its taxon (catalog id, code or scientific name; "" if none).
  absl::StatusOr<store::ReferenceChange> Put(const std::string& study_id,
                                             std::vector<telemetry::Individual> individuals,
                                             std::vector<telemetry::Tag> tags,
                                             std::vector<telemetry::Deployment> deployments,
                                             bool dry_run);

  // The same from a Movebank reference-data CSV (ingest/movebank_reference.h).
  absl::StatusOr<store::ReferenceChange> ImportMovebankCsv(const std::string& study_id,
                                                           std::istream& csv,
                                                           const std::string& file_name,
                                                           bool dry_run);

 private:
  store::CatalogStore& catalog_;
  store::RegistryStore& registry_;
  telemetry::ValidationLimits limits_;
};

}  // namespace wetlink::pipeline

#endif  // WETLINK_PIPELINE_REFERENCE_DATA_H_
