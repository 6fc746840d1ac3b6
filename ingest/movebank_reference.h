#ifndef WETLINK_INGEST_MOVEBANK_REFERENCE_H_
#define WETLINK_INGEST_MOVEBANK_REFERENCE_H_

// Reads Movebank reference data: one row per deployment, naming the tag,
// the animal and the deployment's time span, with the animal's and the
// tag's attributes. Columns (by name, any order, others ignored):
//   tag-id, animal-id                        required
//   animal-taxon, animal-sex, animal-ring-id, animal-comments,
//   deploy-on-date, deploy-off-date, tag-manufacturer-name, tag-model
// Dates use the event timestamp format ("yyyy-MM-dd HH:mm:ss.SSS", UTC). An
// empty deploy-on-date means "since before the first fix" (the earliest
// accepted fix time); an empty deploy-off-date, "still deployed".
//
// All or nothing: reference data defines identities, so a file with any bad
// row is refused whole, with an error naming the line and column. An animal
// or tag listed on several rows (one per deployment) must carry the same
// attributes on each.

#include <istream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "telemetry/registry.h"

namespace wetlink::ingest {

struct ReferenceData {
  std::vector<telemetry::Individual> individuals;  // study_id left empty
  std::vector<telemetry::Tag> tags;
  std::vector<telemetry::Deployment> deployments;
};

// `earliest_ms` stands in for an empty deploy-on-date. InvalidArgument
// naming `file_name`, the line and the column on any problem.
absl::StatusOr<ReferenceData> ReadMovebankReference(std::istream& in,
                                                    const std::string& file_name,
                                                    telemetry::TimestampMs earliest_ms);

}  // namespace wetlink::ingest

#endif  // WETLINK_INGEST_MOVEBANK_REFERENCE_H_
