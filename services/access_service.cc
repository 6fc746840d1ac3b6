#include "services/access_service.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/status_mapping.h"

namespace wetlink::services {
namespace {

using access::Action;

void TokenToProto(const access::TokenRecord& t, v1::TokenInfo* out) {
  out->set_id(t.id);
  out->set_holder(t.holder);
  out->set_role(std::string(access::RoleName(t.role)));
  for (const std::string& study : t.studies) out->add_studies(study);
  out->set_created_ms(t.created_ms);
  if (t.expires_ms) out->set_expires_ms(*t.expires_ms);
  if (t.revoked_ms) out->set_revoked_ms(*t.revoked_ms);
  out->set_created_by(t.created_by);
  out->set_note(t.note);
}

void SharingToProto(const access::StudySharing& s, v1::StudySharing* out) {
  out->set_study_id(s.study_id);
  out->set_owner(s.owner);
  for (const std::string& holder : s.collaborators) out->add_collaborators(holder);
  out->set_public_(s.is_public);
}

constexpr std::uint32_t kDefaultAuditLimit = 100;
constexpr std::uint32_t kMaxAuditLimit = 10'000;

}  // namespace

grpc::ServerUnaryReactor* AccessService::WhoAmI(grpc::CallbackServerContext* ctx,
                                                const v1::WhoAmIRequest* /*request*/,
                                                v1::TokenInfo* response) {
  auto who = guard_.Admit(*ctx, Action::kWhoAmI, "AccessService.WhoAmI");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  for (const access::TokenRecord& token : guard_.access().Tokens()) {
    if (token.id == who->token_id) TokenToProto(token, response);
  }
  return FinishUnary(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* AccessService::CreateToken(grpc::CallbackServerContext* ctx,
                                                     const v1::CreateTokenRequest* request,
                                                     v1::CreateTokenResponse* response) {
  constexpr std::string_view kRpc = "AccessService.CreateToken";
  auto who = guard_.Admit(*ctx, Action::kManageAccess, kRpc);
  if (!who.ok()) return FinishUnary(ctx, who.status());
  std::optional<access::Role> role = access::ParseRole(request->role());
  if (!role) {
    return FinishUnary(ctx, absl::InvalidArgumentError(absl::StrCat(
                                "role: '", request->role(),
                                "' is not a role (ingest, researcher, focal-point, admin)")));
  }
  access::TokenSpec spec{.holder = request->holder(),
                         .role = *role,
                         .studies = {request->studies().begin(), request->studies().end()},
                         .expires_ms = std::nullopt,
                         .note = request->note()};
  if (request->has_expires_ms()) spec.expires_ms = request->expires_ms();
  auto issued = guard_.access().Issue(spec, who->holder);
  guard_.Audit(*ctx, *who, kRpc, issued.ok() ? issued->record.id : "", issued.status(),
               absl::StrCat("holder ", request->holder(), ", role ", request->role()));
  if (!issued.ok()) return FinishUnary(ctx, issued.status());
  TokenToProto(issued->record, response->mutable_token());
  response->set_token_text(issued->text);
  return FinishUnary(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* AccessService::RevokeToken(grpc::CallbackServerContext* ctx,
                                                     const v1::RevokeTokenRequest* request,
                                                     v1::TokenInfo* response) {
  constexpr std::string_view kRpc = "AccessService.RevokeToken";
  auto who = guard_.Admit(*ctx, Action::kManageAccess, kRpc);
  if (!who.ok()) return FinishUnary(ctx, who.status());
  auto revoked = guard_.access().Revoke(request->token_id());
  guard_.Audit(*ctx, *who, kRpc, request->token_id(), revoked.status());
  if (!revoked.ok()) return FinishUnary(ctx, revoked.status());
  TokenToProto(*revoked, response);
  return FinishUnary(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* AccessService::ListTokens(grpc::CallbackServerContext* ctx,
                                                    const v1::ListTokensRequest* /*request*/,
                                                    v1::ListTokensResponse* response) {
  auto who = guard_.Admit(*ctx, Action::kManageAccess, "AccessService.ListTokens");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  for (const access::TokenRecord& token : guard_.access().Tokens()) {
    TokenToProto(token, response->add_tokens());
  }
  return FinishUnary(ctx, absl::OkStatus());
}

absl::StatusOr<access::StudySharing> AccessService::SharingToChange(
    const access::Principal& who, const std::string& study_id) const {
  if (study_id.empty()) return absl::InvalidArgumentError("study_id: must be set");
  std::optional<access::StudySharing> sharing = guard_.access().SharingOf(study_id);
  if (!access::MayShare(who, sharing ? &*sharing : nullptr)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "only the owner of study '", study_id, "' or an admin may see or change its sharing"));
  }
  if (registry_.Snapshot()->FindStudy(study_id) == nullptr) {
    return absl::NotFoundError(absl::StrCat("study '", study_id, "' not found"));
  }
  if (!sharing) {
    sharing = access::StudySharing{
        .study_id = study_id, .owner = "", .collaborators = {}, .is_public = false};
  }
  return *sharing;
}

grpc::ServerUnaryReactor* AccessService::GetStudySharing(
    grpc::CallbackServerContext* ctx, const v1::GetStudySharingRequest* request,
    v1::StudySharing* response) {
  auto who = guard_.Admit(*ctx, Action::kShareStudies, "AccessService.GetStudySharing");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  auto sharing = SharingToChange(*who, request->study_id());
  if (!sharing.ok()) return FinishUnary(ctx, sharing.status());
  SharingToProto(*sharing, response);
  return FinishUnary(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* AccessService::SetStudySharing(
    grpc::CallbackServerContext* ctx, const v1::SetStudySharingRequest* request,
    v1::StudySharing* response) {
  constexpr std::string_view kRpc = "AccessService.SetStudySharing";
  auto who = guard_.Admit(*ctx, Action::kShareStudies, kRpc);
  if (!who.ok()) return FinishUnary(ctx, who.status());
  const v1::StudySharing& in = request->sharing();
  auto current = SharingToChange(*who, in.study_id());
  if (!current.ok()) return FinishUnary(ctx, current.status());
  access::StudySharing sharing{.study_id = in.study_id(),
                               .owner = in.owner(),
                               .collaborators = {in.collaborators().begin(),
                                                 in.collaborators().end()},
                               .is_public = in.public_()};
  // Only an admin may hand a study to another owner: an owner giving it
  // away by mistake would lock themselves out.
  if (!who->is_admin() && sharing.owner != current->owner) {
    absl::Status refused = absl::PermissionDeniedError(absl::StrCat(
        "sharing.owner: only an admin may change the owner of study '", in.study_id(), "'"));
    guard_.Audit(*ctx, *who, kRpc, in.study_id(), refused);
    return FinishUnary(ctx, refused);
  }
  absl::Status st = guard_.access().SetSharing(sharing);
  guard_.Audit(*ctx, *who, kRpc, in.study_id(), st,
               absl::StrCat("owner ", sharing.owner, ", ", sharing.collaborators.size(),
                            " collaborators, ", sharing.is_public ? "public" : "not public"));
  if (!st.ok()) return FinishUnary(ctx, st);
  SharingToProto(*guard_.access().SharingOf(in.study_id()), response);
  return FinishUnary(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* AccessService::ListAuditEvents(
    grpc::CallbackServerContext* ctx, const v1::ListAuditEventsRequest* request,
    v1::ListAuditEventsResponse* response) {
  auto who = guard_.Admit(*ctx, Action::kManageAccess, "AccessService.ListAuditEvents");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  if (request->limit() > kMaxAuditLimit) {
    return FinishUnary(ctx, absl::InvalidArgumentError(absl::StrCat(
                                "limit: ", request->limit(), " is more than ", kMaxAuditLimit)));
  }
  access::AuditQuery query;
  if (request->has_from_ms()) query.from_ms = request->from_ms();
  if (request->has_to_ms()) query.to_ms = request->to_ms();
  query.holder = request->holder();
  query.limit = request->limit() == 0 ? kDefaultAuditLimit : request->limit();
  auto events = guard_.audit_log().List(query);
  if (!events.ok()) return FinishUnary(ctx, events.status());
  for (const access::AuditEvent& e : *events) {
    v1::AuditEvent* out = response->add_events();
    out->set_time_ms(e.time_ms);
    out->set_token_id(e.token_id);
    out->set_holder(e.holder);
    out->set_role(e.role);
    out->set_peer(e.peer);
    out->set_action(e.action);
    out->set_target(e.target);
    out->set_outcome(e.outcome);
    out->set_detail(e.detail);
  }
  return FinishUnary(ctx, absl::OkStatus());
}

}  // namespace wetlink::services
