#include "store/registry_snapshot.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"

namespace wetlink::store {

absl::StatusOr<RegistrySnapshot> RegistrySnapshot::Build(RegistryContents contents) {
  RegistrySnapshot snapshot;
  std::sort(contents.studies.begin(), contents.studies.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  std::sort(contents.individuals.begin(), contents.individuals.end(),
            [](const auto& a, const auto& b) {
              return std::tie(a.individual.study_id, a.individual.id) <
                     std::tie(b.individual.study_id, b.individual.id);
            });
  std::sort(contents.tags.begin(), contents.tags.end(), [](const auto& a, const auto& b) {
    return std::tie(a.tag.study_id, a.tag.id) < std::tie(b.tag.study_id, b.tag.id);
  });
  for (std::size_t i = 0; i < contents.studies.size(); ++i) {
    snapshot.study_index_.emplace(contents.studies[i].id, i);
  }
  for (std::size_t i = 0; i < contents.individuals.size(); ++i) {
    const RegisteredIndividual& r = contents.individuals[i];
    snapshot.individual_index_.emplace(Key(r.individual.study_id, r.individual.id), i);
    snapshot.individual_by_number_.emplace(r.number, i);
  }
  for (std::size_t i = 0; i < contents.tags.size(); ++i) {
    const RegisteredTag& r = contents.tags[i];
    snapshot.tag_index_.emplace(Key(r.tag.study_id, r.tag.id), i);
    snapshot.tag_by_number_.emplace(r.number, i);
  }
  for (const telemetry::Deployment& d : contents.deployments) {
    if (!snapshot.individual_index_.contains(Key(d.study_id, d.individual_id))) {
      return absl::InvalidArgumentError(
          absl::StrCat("deployment of tag '", d.tag_id, "' in study '", d.study_id,
                       "' names individual '", d.individual_id, "', which is not registered"));
    }
    if (!snapshot.tag_index_.contains(Key(d.study_id, d.tag_id))) {
      return absl::InvalidArgumentError(absl::StrCat("deployment on individual '",
                                                     d.individual_id, "' in study '", d.study_id,
                                                     "' names tag '", d.tag_id,
                                                     "', which is not registered"));
    }
  }
  auto index = telemetry::DeploymentIndex::Build(contents.deployments);
  if (!index.ok()) return index.status();
  snapshot.deployments_ = std::move(*index);
  contents.deployments = snapshot.deployments_.deployments();  // ordered
  snapshot.contents_ = std::move(contents);
  return snapshot;
}

const telemetry::Study* RegistrySnapshot::FindStudy(std::string_view study_id) const {
  auto it = study_index_.find(study_id);
  return it == study_index_.end() ? nullptr : &contents_.studies[it->second];
}

const RegisteredIndividual* RegistrySnapshot::FindIndividual(
    std::string_view study_id, std::string_view individual_id) const {
  auto it = individual_index_.find(Key(study_id, individual_id));
  return it == individual_index_.end() ? nullptr : &contents_.individuals[it->second];
}

const RegisteredIndividual* RegistrySnapshot::IndividualByNumber(std::uint32_t number) const {
  auto it = individual_by_number_.find(number);
  return it == individual_by_number_.end() ? nullptr : &contents_.individuals[it->second];
}

const RegisteredTag* RegistrySnapshot::FindTag(std::string_view study_id,
                                               std::string_view tag_id) const {
  auto it = tag_index_.find(Key(study_id, tag_id));
  return it == tag_index_.end() ? nullptr : &contents_.tags[it->second];
}

const RegisteredTag* RegistrySnapshot::TagByNumber(std::uint32_t number) const {
  auto it = tag_by_number_.find(number);
  return it == tag_by_number_.end() ? nullptr : &contents_.tags[it->second];
}

std::vector<const RegisteredIndividual*> RegistrySnapshot::IndividualsOf(
    std::string_view study_id) const {
  std::vector<const RegisteredIndividual*> out;
  for (const RegisteredIndividual& r : contents_.individuals) {
    if (r.individual.study_id == study_id) out.push_back(&r);
  }
  return out;
}

std::vector<const RegisteredTag*> RegistrySnapshot::TagsOf(std::string_view study_id) const {
  std::vector<const RegisteredTag*> out;
  for (const RegisteredTag& r : contents_.tags) {
    if (r.tag.study_id == study_id) out.push_back(&r);
  }
  return out;
}

std::vector<const telemetry::Deployment*> RegistrySnapshot::DeploymentsOf(
    std::string_view study_id) const {
  std::vector<const telemetry::Deployment*> out;
  for (const telemetry::Deployment& d : deployments_.deployments()) {
    if (d.study_id == study_id) out.push_back(&d);
  }
  return out;
}

}  // namespace wetlink::store
