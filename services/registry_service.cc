#include "services/registry_service.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/registry_proto.h"
#include "services/status_mapping.h"

namespace wetlink::services {
namespace {

absl::Status StudyExists(const store::RegistrySnapshot& registry, const std::string& study_id) {
  if (study_id.empty()) return absl::InvalidArgumentError("study_id: must be set");
  if (registry.FindStudy(study_id) == nullptr) {
    return absl::NotFoundError(absl::StrCat("study '", study_id, "' not found"));
  }
  return absl::OkStatus();
}

using access::Action;

// A reference-data change for the audit log.
std::string Describe(const store::ReferenceChange& c, bool dry_run) {
  return absl::StrCat(dry_run ? "dry run: " : "", "individuals +", c.individuals_created, " ~",
                      c.individuals_updated, ", tags +", c.tags_created, " ~", c.tags_updated,
                      ", deployments +", c.deployments_created, " ~", c.deployments_updated);
}

}  // namespace

grpc::ServerUnaryReactor* RegistryService::CreateStudy(grpc::CallbackServerContext* ctx,
                                                       const v1::CreateStudyRequest* request,
                                                       v1::Study* response) {
  constexpr std::string_view kRpc = "RegistryService.CreateStudy";
  auto who = guard_.Admit(*ctx, Action::kWriteStudies, kRpc);
  if (!who.ok()) return FinishUnary(ctx, who.status());
  const telemetry::Study study = StudyFromProto(request->study());
  if (absl::Status st = guard_.CheckWrite(*who, study.id); !st.ok()) {
    guard_.Audit(*ctx, *who, kRpc, study.id, st);
    return FinishUnary(ctx, st);
  }
  auto outcome = registry_.CreateStudy(study);
  absl::Status claimed = outcome.status();
  // The holder of the ingest token that creates a study owns it.
  if (outcome.ok() && who->role == access::Role::kIngest) {
    claimed = guard_.access().ClaimStudy(study.id, who->holder);
  }
  guard_.Audit(*ctx, *who, kRpc, study.id, claimed);
  if (!claimed.ok()) return FinishUnary(ctx, claimed);
  const auto snapshot = registry_.Snapshot();
  StudyToProto(*snapshot->FindStudy(study.id), *snapshot, response);
  return FinishUnary(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* RegistryService::GetStudy(grpc::CallbackServerContext* ctx,
                                                    const v1::GetStudyRequest* request,
                                                    v1::Study* response) {
  auto who = guard_.Admit(*ctx, Action::kReadStudies, "RegistryService.GetStudy");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  if (auto level = guard_.CheckRead(*who, request->study_id()); !level.ok()) {
    return FinishUnary(ctx, level.status());
  }
  const auto snapshot = registry_.Snapshot();
  if (absl::Status st = StudyExists(*snapshot, request->study_id()); !st.ok()) {
    return FinishUnary(ctx, st);
  }
  StudyToProto(*snapshot->FindStudy(request->study_id()), *snapshot, response);
  return FinishUnary(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* RegistryService::ListStudies(grpc::CallbackServerContext* ctx,
                                                       const v1::ListStudiesRequest* /*request*/,
                                                       v1::ListStudiesResponse* response) {
  auto who = guard_.Admit(*ctx, Action::kReadStudies, "RegistryService.ListStudies");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  const auto snapshot = registry_.Snapshot();
  for (const telemetry::Study& study : snapshot->studies()) {
    // Studies not shared with the caller are not listed at all.
    if (guard_.access().ReadAccessTo(*who, study.id) == access::StudyAccess::kNone) continue;
    StudyToProto(study, *snapshot, response->add_studies());
  }
  return FinishUnary(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* RegistryService::PutReferenceData(
    grpc::CallbackServerContext* ctx, const v1::PutReferenceDataRequest* request,
    v1::PutReferenceDataResponse* response) {
  constexpr std::string_view kRpc = "RegistryService.PutReferenceData";
  auto who = guard_.Admit(*ctx, Action::kWriteStudies, kRpc);
  if (!who.ok()) return FinishUnary(ctx, who.status());
  const v1::ReferenceData& data = request->data();
  if (data.study_id().empty()) {
    return FinishUnary(ctx, absl::InvalidArgumentError("data.study_id: must be set"));
  }
  if (absl::Status st = guard_.CheckWrite(*who, data.study_id()); !st.ok()) {
    guard_.Audit(*ctx, *who, kRpc, data.study_id(), st);
    return FinishUnary(ctx, st);
  }
  std::vector<telemetry::Individual> individuals;
  for (const v1::Individual& in : data.individuals()) {
    individuals.push_back(IndividualFromProto(in));
  }
  std::vector<telemetry::Tag> tags;
  for (const v1::Tag& tag : data.tags()) tags.push_back(TagFromProto(tag));
  std::vector<telemetry::Deployment> deployments;
  for (const v1::Deployment& d : data.deployments()) deployments.push_back(DeploymentFromProto(d));
  auto change = editor_.Put(data.study_id(), std::move(individuals), std::move(tags),
                            std::move(deployments), request->dry_run());
  guard_.Audit(*ctx, *who, kRpc, data.study_id(), change.status(),
               change.ok() ? Describe(*change, request->dry_run()) : "");
  if (!change.ok()) return FinishUnary(ctx, change.status());
  ReferenceChangeToProto(*change, response);
  return FinishUnary(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* RegistryService::ImportReferenceData(
    grpc::CallbackServerContext* ctx, const v1::ImportReferenceDataRequest* request,
    v1::PutReferenceDataResponse* response) {
  constexpr std::string_view kRpc = "RegistryService.ImportReferenceData";
  auto who = guard_.Admit(*ctx, Action::kWriteStudies, kRpc);
  if (!who.ok()) return FinishUnary(ctx, who.status());
  if (request->study_id().empty()) {
    return FinishUnary(ctx, absl::InvalidArgumentError("study_id: must be set"));
  }
  if (absl::Status st = guard_.CheckWrite(*who, request->study_id()); !st.ok()) {
    guard_.Audit(*ctx, *who, kRpc, request->study_id(), st);
    return FinishUnary(ctx, st);
  }
  const std::string file_name =
      request->file_name().empty() ? std::string("reference data") : request->file_name();
  if (request->csv().size() > max_csv_bytes_) {
    return FinishUnary(ctx, absl::ResourceExhaustedError(absl::StrCat(
                           file_name, " is ", request->csv().size(), " bytes; at most ",
                           max_csv_bytes_, " are accepted")));
  }
  std::istringstream csv(request->csv());
  auto change =
      editor_.ImportMovebankCsv(request->study_id(), csv, file_name, request->dry_run());
  guard_.Audit(*ctx, *who, kRpc, request->study_id(), change.status(),
               change.ok() ? Describe(*change, request->dry_run()) : "");
  if (!change.ok()) return FinishUnary(ctx, change.status());
  ReferenceChangeToProto(*change, response);
  return FinishUnary(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* RegistryService::GetReferenceData(
    grpc::CallbackServerContext* ctx, const v1::GetReferenceDataRequest* request,
    v1::ReferenceData* response) {
  auto who = guard_.Admit(*ctx, Action::kReadStudies, "RegistryService.GetReferenceData");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  if (auto level = guard_.CheckRead(*who, request->study_id()); !level.ok()) {
    return FinishUnary(ctx, level.status());
  }
  const auto snapshot = registry_.Snapshot();
  if (absl::Status st = StudyExists(*snapshot, request->study_id()); !st.ok()) {
    return FinishUnary(ctx, st);
  }
  response->set_study_id(request->study_id());
  for (const auto* in : snapshot->IndividualsOf(request->study_id())) {
    IndividualToProto(in->individual, response->add_individuals());
  }
  for (const auto* tag : snapshot->TagsOf(request->study_id())) {
    TagToProto(tag->tag, response->add_tags());
  }
  for (const auto* d : snapshot->DeploymentsOf(request->study_id())) {
    DeploymentToProto(*d, response->add_deployments());
  }
  return FinishUnary(ctx, absl::OkStatus());
}

}  // namespace wetlink::services
