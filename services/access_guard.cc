#include "services/access_guard.h"

#include <utility>

#include <spdlog/spdlog.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace wetlink::services {
namespace {

constexpr int kRefusalsPerSecond = 10;

std::string_view AuthorizationHeader(const grpc::ServerContextBase& ctx) {
  const auto& metadata = ctx.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return {};
  return std::string_view(it->second.data(), it->second.size());
}

}  // namespace

std::string_view BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (absl::ascii_tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return {};
  }
  authorization.remove_prefix(kScheme.size());
  while (!authorization.empty() && authorization.front() == ' ') authorization.remove_prefix(1);
  return authorization;
}

AccessGuard::AccessGuard(access::AccessControl& access, access::AuditLog& audit,
                         access::LocationPrivacy privacy, Clock now)
    : access_(access), audit_(audit), privacy_(std::move(privacy)), now_(std::move(now)) {}

absl::StatusOr<access::Principal> AccessGuard::Admit(const grpc::ServerContextBase& ctx,
                                                     access::Action action, std::string_view rpc) {
  return Admit(BearerToken(AuthorizationHeader(ctx)), ctx.peer(), action, rpc);
}

absl::StatusOr<access::Principal> AccessGuard::Admit(std::string_view token, std::string_view peer,
                                                     access::Action action, std::string_view rpc) {
  absl::StatusOr<access::Principal> who = access_.Authenticate(token);
  if (!who.ok()) {
    AuditRefusal(peer, nullptr, rpc, who.status());
    return who.status();
  }
  if (absl::Status allowed = access::CheckAction(*who, action); !allowed.ok()) {
    AuditRefusal(peer, &*who, rpc, allowed);
    return allowed;
  }
  return who;
}

absl::StatusOr<access::StudyAccess> AccessGuard::CheckRead(const access::Principal& who,
                                                           const std::string& study_id) const {
  const access::StudyAccess level = access_.ReadAccessTo(who, study_id);
  if (level == access::StudyAccess::kNone) {
    return absl::PermissionDeniedError(
        absl::StrCat("study '", study_id, "' is not shared with '", who.holder, "'"));
  }
  return level;
}

absl::Status AccessGuard::CheckWrite(const access::Principal& who,
                                     const std::string& study_id) const {
  if (access::MayWrite(who, study_id)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("token ", who.token_id, " may not write to study '", study_id, "'"));
}

void AccessGuard::Audit(const grpc::ServerContextBase& ctx, const access::Principal& who,
                        std::string_view rpc, std::string_view target, const absl::Status& outcome,
                        std::string detail) {
  access::AuditEvent event{.time_ms = now_(),
                           .token_id = who.token_id,
                           .holder = who.holder,
                           .role = std::string(access::RoleName(who.role)),
                           .peer = ctx.peer(),
                           .action = std::string(rpc),
                           .target = std::string(target),
                           .outcome = absl::StatusCodeToString(outcome.code()),
                           .detail = std::move(detail)};
  if (!outcome.ok() && event.detail.empty()) event.detail = std::string(outcome.message());
  if (absl::Status st = audit_.Append(event); !st.ok()) {
    spdlog::error("audit log: cannot record {} by {}: {}", event.action, event.holder,
                  st.ToString());
  }
}

void AccessGuard::AuditRefused(const grpc::ServerContextBase& ctx, const access::Principal& who,
                               std::string_view rpc, const absl::Status& refusal) {
  AuditRefusal(ctx.peer(), &who, rpc, refusal);
}

void AccessGuard::AuditRefusal(std::string_view peer, const access::Principal* who,
                               std::string_view rpc, const absl::Status& refusal) {
  const std::int64_t now = now_();
  std::uint64_t left_out = 0;
  {
    absl::MutexLock lock(&refusal_mu_);
    if (now / 1000 != refusal_second_) {
      refusal_second_ = now / 1000;
      refusals_this_second_ = 0;
    }
    if (++refusals_this_second_ > kRefusalsPerSecond) {
      ++refusals_left_out_;
      return;
    }
    left_out = std::exchange(refusals_left_out_, 0);
  }
  access::AuditEvent event{.time_ms = now,
                           .token_id = who != nullptr ? who->token_id : "",
                           .holder = who != nullptr ? who->holder : "",
                           .role = who != nullptr ? std::string(access::RoleName(who->role)) : "",
                           .peer = std::string(peer),
                           .action = std::string(rpc),
                           .target = "",
                           .outcome = absl::StatusCodeToString(refusal.code()),
                           .detail = std::string(refusal.message())};
  if (left_out > 0) {
    absl::StrAppend(&event.detail, " (", left_out, " earlier refusals not recorded)");
  }
  if (absl::Status st = audit_.Append(event); !st.ok()) {
    spdlog::error("audit log: cannot record a refused {}: {}", event.action, st.ToString());
  }
}

}  // namespace wetlink::services
