#ifndef WETLINK_STORE_REGISTRY_SNAPSHOT_H_
#define WETLINK_STORE_REGISTRY_SNAPSHOT_H_

// An immutable view of the tagging registry: studies, individuals, tags and
// deployments, with the store-wide numbers that fix keys carry. Built by
// RegistryStore on every registry change and shared by readers (ingest
// streams resolve fixes against it without locking).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "telemetry/deployment_index.h"
#include "telemetry/registry.h"

namespace wetlink::store {

struct RegisteredIndividual {
  telemetry::Individual individual;
  std::uint32_t number = 0;  // store-wide, never reused

  bool operator==(const RegisteredIndividual&) const = default;
};

struct RegisteredTag {
  telemetry::Tag tag;
  std::uint32_t number = 0;  // store-wide, never reused

  bool operator==(const RegisteredTag&) const = default;
};

// Everything the registry holds, as loaded or about to be written.
struct RegistryContents {
  std::vector<telemetry::Study> studies;
  std::vector<RegisteredIndividual> individuals;
  std::vector<RegisteredTag> tags;
  std::vector<telemetry::Deployment> deployments;
};

class RegistrySnapshot {
 public:
  // InvalidArgument when deployments overlap or name an individual or tag
  // the contents do not hold (the message names the deployment).
  static absl::StatusOr<RegistrySnapshot> Build(RegistryContents contents);

  const telemetry::Study* FindStudy(std::string_view study_id) const;
  const RegisteredIndividual* FindIndividual(std::string_view study_id,
                                             std::string_view individual_id) const;
  const RegisteredIndividual* IndividualByNumber(std::uint32_t number) const;
  const RegisteredTag* FindTag(std::string_view study_id, std::string_view tag_id) const;
  const RegisteredTag* TagByNumber(std::uint32_t number) const;
  const telemetry::DeploymentIndex& deployments() const { return deployments_; }

  // Ordered by id.
  const std::vector<telemetry::Study>& studies() const { return contents_.studies; }
  // Ordered by (study, id).
  std::vector<const RegisteredIndividual*> IndividualsOf(std::string_view study_id) const;
  std::vector<const RegisteredTag*> TagsOf(std::string_view study_id) const;
  std::vector<const telemetry::Deployment*> DeploymentsOf(std::string_view study_id) const;

  const RegistryContents& contents() const { return contents_; }

 private:
  using Key = std::pair<std::string, std::string>;  // (study, id)

  RegistryContents contents_;
  telemetry::DeploymentIndex deployments_;
  std::map<std::string, std::size_t, std::less<>> study_index_;
  std::map<Key, std::size_t> individual_index_;
  std::map<Key, std::size_t> tag_index_;
  std::unordered_map<std::uint32_t, std::size_t> individual_by_number_;
  std::unordered_map<std::uint32_t, std::size_t> tag_by_number_;
};

}  // namespace wetlink::store

#endif  // WETLINK_STORE_REGISTRY_SNAPSHOT_H_
