#include "store/registry_store.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "store/key_codec.h"
#include "store/load_records.h"
#include "store/registry_codec.h"

namespace wetlink::store {
namespace {

constexpr std::size_t kMaxNameBytes = 256;
constexpr std::size_t kMaxCommentBytes = 2000;

absl::Status CheckText(std::string_view text, std::size_t max_bytes, std::string_view what) {
  if (text.size() > max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(what), " is ", text.size(),
                                                   " bytes long; at most ", max_bytes,
                                                   " are accepted"));
  }
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
      return absl::InvalidArgumentError(
          absl::StrCat(std::string(what), " contains a control character"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckStudy(const telemetry::Study& study) {
  if (!telemetry::IsValidStudyId(study.id)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "study id '", study.id, "' is not 1-64 characters of [a-z0-9_-]"));
  }
  for (auto [text, what] : {std::pair{&study.name, "name"}, std::pair{&study.owner, "owner"},
                            std::pair{&study.licence, "licence"}}) {
    if (absl::Status st = CheckText(*text, kMaxNameBytes,
                                    absl::StrCat("study '", study.id, "' ", what));
        !st.ok()) {
      return st;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckIndividual(const telemetry::Individual& in) {
  if (absl::Status st = telemetry::CheckExternalId(in.id, "individual-local-identifier");
      !st.ok()) {
    return st;
  }
  const std::string who = absl::StrCat("individual '", in.id, "'");
  if (in.sex != "" && in.sex != "m" && in.sex != "f" && in.sex != "u") {
    return absl::InvalidArgumentError(
        absl::StrCat(who, " animal-sex '", in.sex, "' is not m, f, u or empty"));
  }
  if (absl::Status st = CheckText(in.taxon, kMaxNameBytes, who + " taxon"); !st.ok()) return st;
  if (absl::Status st = CheckText(in.ring_id, kMaxNameBytes, who + " ring id"); !st.ok()) {
    return st;
  }
  return CheckText(in.comments, kMaxCommentBytes, who + " comments");
}

absl::Status CheckTag(const telemetry::Tag& tag) {
  if (absl::Status st = telemetry::CheckExternalId(tag.id, "tag-local-identifier"); !st.ok()) {
    return st;
  }
  const std::string what = absl::StrCat("tag '", tag.id, "'");
  if (absl::Status st = CheckText(tag.manufacturer, kMaxNameBytes, what + " manufacturer");
      !st.ok()) {
    return st;
  }
  return CheckText(tag.model, kMaxNameBytes, what + " model");
}

std::string NumberValue(std::uint32_t n) {
  std::string value;
  AppendUint32(value, n);
  return value;
}

absl::StatusOr<std::uint32_t> LoadNumber(const Database& db, std::string_view key) {
  auto stored = db.Get(ColumnFamily::kMeta, key);
  if (stored.status().code() == absl::StatusCode::kNotFound) return 1u;
  if (!stored.ok()) return stored.status();
  std::string_view in = *stored;
  auto n = ConsumeUint32(in);
  if (!n || !in.empty()) {
    return absl::DataLossError(absl::StrCat("meta record '", std::string(key), "' is corrupt"));
  }
  return *n;
}


}  // namespace

absl::StatusOr<std::unique_ptr<RegistryStore>> RegistryStore::Open(Database& db) {
  std::unique_ptr<RegistryStore> store(new RegistryStore(db));
  if (absl::Status st = store->Load(); !st.ok()) return st;
  return store;
}

absl::Status RegistryStore::Load() {
  RegistryContents contents;
  auto studies = LoadRecords<telemetry::Study>(db_, ColumnFamily::kStudies, DecodeStudy);
  if (!studies.ok()) return studies.status();
  auto individuals =
      LoadRecords<RegisteredIndividual>(db_, ColumnFamily::kIndividuals, DecodeIndividual);
  if (!individuals.ok()) return individuals.status();
  auto tags = LoadRecords<RegisteredTag>(db_, ColumnFamily::kTags, DecodeTag);
  if (!tags.ok()) return tags.status();
  auto deployments =
      LoadRecords<telemetry::Deployment>(db_, ColumnFamily::kDeployments, DecodeDeployment);
  if (!deployments.ok()) return deployments.status();
  contents.studies = std::move(*studies);
  contents.individuals = std::move(*individuals);
  contents.tags = std::move(*tags);
  contents.deployments = std::move(*deployments);
  auto next_individual = LoadNumber(db_, kNextIndividualNumberKey);
  if (!next_individual.ok()) return next_individual.status();
  auto next_tag = LoadNumber(db_, kNextTagNumberKey);
  if (!next_tag.ok()) return next_tag.status();
  next_individual_number_ = *next_individual;
  next_tag_number_ = *next_tag;
  auto snapshot = RegistrySnapshot::Build(std::move(contents));
  if (!snapshot.ok()) {
    return absl::DataLossError(absl::StrCat("stored registry is inconsistent: ",
                                            std::string(snapshot.status().message())));
  }
  Publish(std::make_shared<const RegistrySnapshot>(std::move(*snapshot)));
  return absl::OkStatus();
}

std::shared_ptr<const RegistrySnapshot> RegistryStore::Snapshot() const {
  std::lock_guard lock(snapshot_mu_);
  return snapshot_;
}

void RegistryStore::Publish(std::shared_ptr<const RegistrySnapshot> snapshot) {
  std::lock_guard lock(snapshot_mu_);
  snapshot_ = std::move(snapshot);
}

absl::StatusOr<RegistryStore::StudyOutcome> RegistryStore::CreateStudy(
    const telemetry::Study& study) {
  if (absl::Status st = CheckStudy(study); !st.ok()) return st;
  std::lock_guard writer(write_mu_);
  const auto current = Snapshot();
  if (const telemetry::Study* existing = current->FindStudy(study.id)) {
    if (*existing == study) return StudyOutcome::kUnchanged;
    return absl::AlreadyExistsError(
        absl::StrCat("study '", study.id, "' already exists with other attributes"));
  }
  RegistryContents next = current->contents();
  next.studies.push_back(study);
  if (absl::Status st = Commit(std::move(next), next_individual_number_, next_tag_number_);
      !st.ok()) {
    return st;
  }
  return StudyOutcome::kCreated;
}

absl::StatusOr<ReferenceChange> RegistryStore::PutReferenceData(
    const std::string& study_id, std::vector<telemetry::Individual> individuals,
    std::vector<telemetry::Tag> tags, std::vector<telemetry::Deployment> deployments,
    bool dry_run) {
  for (auto& in : individuals) {
    in.study_id = study_id;
    if (absl::Status st = CheckIndividual(in); !st.ok()) return st;
  }
  for (auto& tag : tags) {
    tag.study_id = study_id;
    if (absl::Status st = CheckTag(tag); !st.ok()) return st;
  }
  for (auto& d : deployments) {
    d.study_id = study_id;
    if (absl::Status st = telemetry::CheckExternalId(d.tag_id, "deployment tag-id"); !st.ok()) {
      return st;
    }
    if (absl::Status st = telemetry::CheckExternalId(d.individual_id, "deployment animal-id");
        !st.ok()) {
      return st;
    }
  }

  std::lock_guard writer(write_mu_);
  const auto current = Snapshot();
  if (current->FindStudy(study_id) == nullptr) {
    return absl::NotFoundError(absl::StrCat("study '", study_id, "' is not registered"));
  }
  RegistryContents next = current->contents();
  std::uint32_t next_individual = next_individual_number_;
  std::uint32_t next_tag = next_tag_number_;
  ReferenceChange change;

  std::set<std::string> seen;
  for (const telemetry::Individual& in : individuals) {
    if (!seen.insert(in.id).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("individual '", in.id, "' appears twice in the request"));
    }
    if (const RegisteredIndividual* old = current->FindIndividual(study_id, in.id)) {
      if (old->individual == in) {
        ++change.unchanged;
        continue;
      }
      for (RegisteredIndividual& r : next.individuals) {
        if (r.number == old->number) r.individual = in;
      }
      ++change.individuals_updated;
    } else {
      next.individuals.push_back(RegisteredIndividual{.individual = in, .number = next_individual++});
      ++change.individuals_created;
    }
  }
  seen.clear();
  for (const telemetry::Tag& tag : tags) {
    if (!seen.insert(tag.id).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("tag '", tag.id, "' appears twice in the request"));
    }
    if (const RegisteredTag* old = current->FindTag(study_id, tag.id)) {
      if (old->tag == tag) {
        ++change.unchanged;
        continue;
      }
      for (RegisteredTag& r : next.tags) {
        if (r.number == old->number) r.tag = tag;
      }
      ++change.tags_updated;
    } else {
      next.tags.push_back(RegisteredTag{.tag = tag, .number = next_tag++});
      ++change.tags_created;
    }
  }
  std::set<std::pair<std::string, telemetry::TimestampMs>> seen_deployments;
  for (const telemetry::Deployment& d : deployments) {
    if (!seen_deployments.emplace(d.tag_id, d.start_ms).second) {
      return absl::InvalidArgumentError(absl::StrCat("deployment of tag '", d.tag_id,
                                                     "' starting at ", d.start_ms,
                                                     " ms appears twice in the request"));
    }
    auto same = std::find_if(next.deployments.begin(), next.deployments.end(), [&](const auto& o) {
      return o.study_id == study_id && o.tag_id == d.tag_id && o.start_ms == d.start_ms;
    });
    if (same == next.deployments.end()) {
      next.deployments.push_back(d);
      ++change.deployments_created;
    } else if (*same == d) {
      ++change.unchanged;
    } else if (same->individual_id != d.individual_id) {
      return absl::FailedPreconditionError(absl::StrCat(
          "deployment of tag '", d.tag_id, "' starting at ", d.start_ms, " ms is on individual '",
          same->individual_id, "'; it cannot move to '", d.individual_id,
          "' (fixes may be stored under it); end it and add a new deployment instead"));
    } else {
      *same = d;
      ++change.deployments_updated;
    }
  }
  if (dry_run) {
    // Validate the whole result (references, overlaps) without writing.
    auto snapshot = RegistrySnapshot::Build(std::move(next));
    if (!snapshot.ok()) return snapshot.status();
    return change;
  }
  if (absl::Status st = Commit(std::move(next), next_individual, next_tag); !st.ok()) return st;
  return change;
}

absl::StatusOr<std::shared_ptr<const RegistrySnapshot>> RegistryStore::AutoRegister(
    const std::string& study_id, const std::vector<ImpliedDeployment>& implied,
    telemetry::TimestampMs deploy_on_ms) {
  telemetry::Study study{.id = study_id, .name = study_id, .owner = "", .licence = ""};
  if (absl::Status st = CheckStudy(study); !st.ok()) return st;
  for (const ImpliedDeployment& d : implied) {
    if (absl::Status st = telemetry::CheckExternalId(d.tag_id, "tag-local-identifier");
        !st.ok()) {
      return st;
    }
    if (absl::Status st =
            telemetry::CheckExternalId(d.individual_id, "individual-local-identifier");
        !st.ok()) {
      return st;
    }
  }
  std::lock_guard writer(write_mu_);
  const auto current = Snapshot();
  RegistryContents next = current->contents();
  std::uint32_t next_individual = next_individual_number_;
  std::uint32_t next_tag = next_tag_number_;
  bool changed = false;
  if (current->FindStudy(study_id) == nullptr) {
    next.studies.push_back(study);
    changed = true;
  }
  std::set<std::string> new_individuals;
  std::set<std::string> new_tags;
  std::set<std::string> deployed_tags;  // tags given a deployment by this call
  for (const ImpliedDeployment& d : implied) {
    if (current->FindIndividual(study_id, d.individual_id) == nullptr &&
        new_individuals.insert(d.individual_id).second) {
      next.individuals.push_back(RegisteredIndividual{
          .individual = telemetry::Individual{.study_id = study_id,
                                              .id = d.individual_id,
                                              .taxon = d.taxon,
                                              .species_id = d.species_id,
                                              .sex = "",
                                              .ring_id = "",
                                              .comments = ""},
          .number = next_individual++});
      changed = true;
    }
    if (current->FindTag(study_id, d.tag_id) == nullptr && new_tags.insert(d.tag_id).second) {
      next.tags.push_back(RegisteredTag{
          .tag = telemetry::Tag{.study_id = study_id, .id = d.tag_id, .manufacturer = "",
                                .model = ""},
          .number = next_tag++});
      changed = true;
    }
    // A tag with no deployment at all (registered now, or registered before
    // without one): deploy it on the individual the data names, from the
    // earliest time a fix may have. A tag with any deployment is left alone.
    if (current->deployments().DeploymentsOf(study_id, d.tag_id).empty() &&
        deployed_tags.insert(d.tag_id).second) {
      next.deployments.push_back(telemetry::Deployment{.study_id = study_id,
                                                       .tag_id = d.tag_id,
                                                       .individual_id = d.individual_id,
                                                       .start_ms = deploy_on_ms,
                                                       .end_ms = std::nullopt});
      changed = true;
    }
  }
  if (!changed) return current;
  if (absl::Status st = Commit(std::move(next), next_individual, next_tag); !st.ok()) return st;
  return Snapshot();
}

absl::Status RegistryStore::Commit(RegistryContents next, std::uint32_t next_individual,
                                   std::uint32_t next_tag) {
  const auto current = Snapshot();
  auto built = RegistrySnapshot::Build(std::move(next));
  if (!built.ok()) return built.status();
  auto snapshot = std::make_shared<const RegistrySnapshot>(std::move(*built));

  WriteBatch batch;
  for (const telemetry::Study& s : snapshot->studies()) {
    const telemetry::Study* old = current->FindStudy(s.id);
    if (old == nullptr || !(*old == s)) {
      batch.Put(ColumnFamily::kStudies, StudyKey(s.id), EncodeStudy(s));
    }
  }
  for (const RegisteredIndividual& r : snapshot->contents().individuals) {
    const RegisteredIndividual* old = current->FindIndividual(r.individual.study_id, r.individual.id);
    if (old == nullptr || !(*old == r)) {
      batch.Put(ColumnFamily::kIndividuals, IndividualKey(r.individual.study_id, r.individual.id),
                EncodeIndividual(r));
    }
  }
  for (const RegisteredTag& r : snapshot->contents().tags) {
    const RegisteredTag* old = current->FindTag(r.tag.study_id, r.tag.id);
    if (old == nullptr || !(*old == r)) {
      batch.Put(ColumnFamily::kTags, TagKey(r.tag.study_id, r.tag.id), EncodeTag(r));
    }
  }
  for (const telemetry::Deployment& d : snapshot->deployments().deployments()) {
    auto old_span = current->deployments().DeploymentsOf(d.study_id, d.tag_id);
    auto old = std::find_if(old_span.begin(), old_span.end(),
                            [&](const auto& o) { return o.start_ms == d.start_ms; });
    if (old == old_span.end() || !(*old == d)) {
      batch.Put(ColumnFamily::kDeployments, DeploymentKey(d.study_id, d.tag_id, d.start_ms),
                EncodeDeployment(d));
    }
  }
  batch.Put(ColumnFamily::kMeta, kNextIndividualNumberKey, NumberValue(next_individual));
  batch.Put(ColumnFamily::kMeta, kNextTagNumberKey, NumberValue(next_tag));
  if (absl::Status st = db_.Write(batch); !st.ok()) return st;
  next_individual_number_ = next_individual;
  next_tag_number_ = next_tag;
  Publish(std::move(snapshot));
  return absl::OkStatus();
}

}  // namespace wetlink::store
