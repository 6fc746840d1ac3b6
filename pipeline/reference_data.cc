#include "pipeline/reference_data.h"

#include "ingest/movebank_reference.h"

namespace wetlink::pipeline {

absl::StatusOr<store::ReferenceChange> ReferenceDataEditor::Put(
    const std::string& study_id, std::vector<telemetry::Individual> individuals,
    std::vector<telemetry::Tag> tags, std::vector<telemetry::Deployment> deployments,
    bool dry_run) {
  const auto catalog = catalog_.Snapshot();
  for (telemetry::Individual& in : individuals) {
    const catalog::Species* species = catalog->FindSpeciesByAnyName(in.taxon);
    in.species_id = species != nullptr ? species->id : std::string();
  }
  return registry_.PutReferenceData(study_id, std::move(individuals), std::move(tags),
                                    std::move(deployments), dry_run);
}

absl::StatusOr<store::ReferenceChange> ReferenceDataEditor::ImportMovebankCsv(
    const std::string& study_id, std::istream& csv, const std::string& file_name, bool dry_run) {
  auto data = ingest::ReadMovebankReference(csv, file_name, limits_.earliest_ms);
  if (!data.ok()) return data.status();
  return Put(study_id, std::move(data->individuals), std::move(data->tags),
             std::move(data->deployments), dry_run);
}

}  // namespace wetlink::pipeline
