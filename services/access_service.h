#ifndef WETLINK_SERVICES_ACCESS_SERVICE_H_
#define WETLINK_SERVICES_ACCESS_SERVICE_H_

// wetlink.v1.AccessService: tokens, study sharing and the audit log, over
// the access guard. Administrative calls are audited.

#include "services/access_guard.h"
#include "store/registry_store.h"
#include "wetlink/v1/access.grpc.pb.h"

namespace wetlink::services {

class AccessService final : public v1::AccessService::CallbackService {
 public:
  // Both must outlive the service.
  AccessService(AccessGuard& guard, const store::RegistryStore& registry)
      : guard_(guard), registry_(registry) {}

  grpc::ServerUnaryReactor* WhoAmI(grpc::CallbackServerContext* ctx,
                                   const v1::WhoAmIRequest* request,
                                   v1::TokenInfo* response) override;
  grpc::ServerUnaryReactor* CreateToken(grpc::CallbackServerContext* ctx,
                                        const v1::CreateTokenRequest* request,
                                        v1::CreateTokenResponse* response) override;
  grpc::ServerUnaryReactor* RevokeToken(grpc::CallbackServerContext* ctx,
                                        const v1::RevokeTokenRequest* request,
                                        v1::TokenInfo* response) override;
  grpc::ServerUnaryReactor* ListTokens(grpc::CallbackServerContext* ctx,
                                       const v1::ListTokensRequest* request,
                                       v1::ListTokensResponse* response) override;
  grpc::ServerUnaryReactor* GetStudySharing(grpc::CallbackServerContext* ctx,
                                            const v1::GetStudySharingRequest* request,
                                            v1::StudySharing* response) override;
  grpc::ServerUnaryReactor* SetStudySharing(grpc::CallbackServerContext* ctx,
                                            const v1::SetStudySharingRequest* request,
                                            v1::StudySharing* response) override;
  grpc::ServerUnaryReactor* ListAuditEvents(grpc::CallbackServerContext* ctx,
                                            const v1::ListAuditEventsRequest* request,
                                            v1::ListAuditEventsResponse* response) override;

 private:
  // The sharing of a study `who` may change: PermissionDenied unless an
  // admin or its owner; NotFound (admins only) for an unknown study.
  absl::StatusOr<access::StudySharing> SharingToChange(const access::Principal& who,
                                                       const std::string& study_id) const;

  AccessGuard& guard_;
  const store::RegistryStore& registry_;
};

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_ACCESS_SERVICE_H_
