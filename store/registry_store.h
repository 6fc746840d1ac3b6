#ifndef WETLINK_STORE_REGISTRY_STORE_H_
#define WETLINK_STORE_REGISTRY_STORE_H_

// The durable tagging registry (studies, individuals, tags, deployments).
// Same concurrency model as CatalogStore: readers take an immutable
// RegistrySnapshot; writers are serialised, write one atomic batch, then
// publish the next snapshot. A refused change writes nothing.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "store/database.h"
#include "store/registry_snapshot.h"
#include "telemetry/registry.h"

namespace wetlink::store {

// What a reference-data change did (or would do, on a dry run).
struct ReferenceChange {
  int individuals_created = 0;
  int individuals_updated = 0;
  int tags_created = 0;
  int tags_updated = 0;
  int deployments_created = 0;
  int deployments_updated = 0;
  int unchanged = 0;

  bool operator==(const ReferenceChange&) const = default;
};

// One (tag, individual) pair a Movebank export implies, for auto-registration.
struct ImpliedDeployment {
  std::string tag_id;
  std::string individual_id;
  std::string taxon;
  std::string species_id;  // resolved from taxon by the caller, "" if none
};

class RegistryStore {
 public:
  // Loads the registry from `db`, which must outlive the store. DataLoss
  // naming the key when a record does not decode.
  static absl::StatusOr<std::unique_ptr<RegistryStore>> Open(Database& db);

  // The current snapshot. Never null.
  std::shared_ptr<const RegistrySnapshot> Snapshot() const;

  enum class StudyOutcome { kCreated, kUnchanged };
  // Creates `study`. InvalidArgument naming the field for a bad id or an
  // over-long text; AlreadyExists when the id holds a study with other
  // attributes (the stored one is kept).
  absl::StatusOr<StudyOutcome> CreateStudy(const telemetry::Study& study);

  // Adds or updates individuals, tags and deployments of one study, all or
  // nothing. Individuals and tags are matched by id and replaced; a
  // deployment is matched by (tag, start) and may change its end, but not
  // its individual (FailedPrecondition: fixes may already be stored under
  // it). NotFound for an unknown study; InvalidArgument naming the record
  // for bad ids, references to unregistered individuals or tags, and
  // overlapping deployments of one tag.
  absl::StatusOr<ReferenceChange> PutReferenceData(const std::string& study_id,
                                                   std::vector<telemetry::Individual> individuals,
                                                   std::vector<telemetry::Tag> tags,
                                                   std::vector<telemetry::Deployment> deployments,
                                                   bool dry_run);

  // Movebank-style registration from the data itself: creates the study if
  // absent, each individual and tag not yet registered, and for each tag
  // with no deployment at all an open-ended deployment from `deploy_on_ms`
  // on its individual. Existing records are never changed. Returns the
  // snapshot that includes them.
  absl::StatusOr<std::shared_ptr<const RegistrySnapshot>> AutoRegister(
      const std::string& study_id, const std::vector<ImpliedDeployment>& implied,
      telemetry::TimestampMs deploy_on_ms);

 private:
  explicit RegistryStore(Database& db) : db_(db) {}
  absl::Status Load();
  // Writes the records of `next` that differ from the current snapshot and
  // publishes it. Caller holds write_mu_.
  absl::Status Commit(RegistryContents next, std::uint32_t next_individual,
                      std::uint32_t next_tag);
  void Publish(std::shared_ptr<const RegistrySnapshot> snapshot);

  Database& db_;
  std::mutex write_mu_;  // serialises writers
  std::uint32_t next_individual_number_ = 1;
  std::uint32_t next_tag_number_ = 1;
  mutable std::mutex snapshot_mu_;
  std::shared_ptr<const RegistrySnapshot> snapshot_;
};

}  // namespace wetlink::store

#endif  // WETLINK_STORE_REGISTRY_STORE_H_
