#ifndef WETLINK_SERVICES_ACCESS_GUARD_H_
#define WETLINK_SERVICES_ACCESS_GUARD_H_

// The gRPC side of access control: reads the bearer token of a call,
// authenticates it (access::AccessControl), checks the role may perform the
// RPC's action and the study checks, and writes the audit log. Every RPC
// handler starts with Admit().

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <grpcpp/server_context.h>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "access/access_control.h"
#include "access/audit_log.h"
#include "access/location_privacy.h"
#include "access/permissions.h"

namespace wetlink::services {

class AccessGuard {
 public:
  using Clock = std::function<std::int64_t()>;

  // Every argument must outlive the guard.
  AccessGuard(access::AccessControl& access, access::AuditLog& audit,
              access::LocationPrivacy privacy, Clock now);

  // The caller of `ctx`, if its token is valid and its role may perform
  // `action`; else Unauthenticated or PermissionDenied (audited). `rpc`
  // names the call in the audit log, e.g. "RegistryService.CreateStudy".
  absl::StatusOr<access::Principal> Admit(const grpc::ServerContextBase& ctx, access::Action action,
                                          std::string_view rpc);
  // The same for other transports: `token` as presented ("" if none),
  // `peer` the caller's address for the audit log.
  absl::StatusOr<access::Principal> Admit(std::string_view token, std::string_view peer,
                                          access::Action action, std::string_view rpc);

  // How `who` may read the study; PermissionDenied naming the study (and
  // nothing else: an unknown study gets the same answer) when not at all.
  absl::StatusOr<access::StudyAccess> CheckRead(const access::Principal& who,
                                                const std::string& study_id) const;
  // PermissionDenied naming the study unless `who` may write to it.
  absl::Status CheckWrite(const access::Principal& who, const std::string& study_id) const;

  // Records a call refused after admission (e.g. a fix stream beyond the
  // stream limits, docs/SECURITY.md "Overload"), throttled as refusals of
  // bad tokens are, so that a flood of them cannot fill the disk.
  void AuditRefused(const grpc::ServerContextBase& ctx, const access::Principal& who,
                    std::string_view rpc, const absl::Status& refusal);

  // Records a write or administrative call and how it ended.
  void Audit(const grpc::ServerContextBase& ctx, const access::Principal& who, std::string_view rpc,
             std::string_view target, const absl::Status& outcome, std::string detail = "");

  access::AccessControl& access() { return access_; }
  const access::AccessControl& access() const { return access_; }
  access::AuditLog& audit_log() { return audit_; }
  const access::LocationPrivacy& privacy() const { return privacy_; }
  std::int64_t now_ms() const { return now_(); }

 private:
  // Records a refused call, at most kRefusalsPerSecond a second: a flood of
  // bad tokens must not fill the disk. The number left out goes into the
  // next recorded refusal.
  void AuditRefusal(std::string_view peer, const access::Principal* who, std::string_view rpc,
                    const absl::Status& refusal);

  access::AccessControl& access_;
  access::AuditLog& audit_;
  access::LocationPrivacy privacy_;
  Clock now_;

  absl::Mutex refusal_mu_;
  std::int64_t refusal_second_ ABSL_GUARDED_BY(refusal_mu_) = 0;
  int refusals_this_second_ ABSL_GUARDED_BY(refusal_mu_) = 0;
  std::uint64_t refusals_left_out_ ABSL_GUARDED_BY(refusal_mu_) = 0;
};

// The token of an "authorization" header value: "Bearer <token>" (the
// scheme case-insensitive); "" when absent or of another scheme.
std::string_view BearerToken(std::string_view authorization);

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_ACCESS_GUARD_H_
