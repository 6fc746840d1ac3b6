#ifndef WETLINK_SERVICES_REGISTRY_SERVICE_H_
#define WETLINK_SERVICES_REGISTRY_SERVICE_H_

// wetlink.v1.RegistryService over the registry store and the reference-data
// editor. No domain logic: validate the request's shape, call, map.

#include "pipeline/reference_data.h"
#include "services/access_guard.h"
#include "store/registry_store.h"
#include "wetlink/v1/registry.grpc.pb.h"

namespace wetlink::services {

class RegistryService final : public v1::RegistryService::CallbackService {
 public:
  // All must outlive the service. `max_csv_bytes` bounds an imported file.
  RegistryService(AccessGuard& guard, store::RegistryStore& registry,
                  pipeline::ReferenceDataEditor& editor, std::size_t max_csv_bytes)
      : guard_(guard), registry_(registry), editor_(editor), max_csv_bytes_(max_csv_bytes) {}

  grpc::ServerUnaryReactor* CreateStudy(grpc::CallbackServerContext* ctx,
                                        const v1::CreateStudyRequest* request,
                                        v1::Study* response) override;
  grpc::ServerUnaryReactor* GetStudy(grpc::CallbackServerContext* ctx,
                                     const v1::GetStudyRequest* request,
                                     v1::Study* response) override;
  grpc::ServerUnaryReactor* ListStudies(grpc::CallbackServerContext* ctx,
                                        const v1::ListStudiesRequest* request,
                                        v1::ListStudiesResponse* response) override;
  grpc::ServerUnaryReactor* PutReferenceData(grpc::CallbackServerContext* ctx,
                                             const v1::PutReferenceDataRequest* request,
                                             v1::PutReferenceDataResponse* response) override;
  grpc::ServerUnaryReactor* ImportReferenceData(grpc::CallbackServerContext* ctx,
                                                const v1::ImportReferenceDataRequest* request,
                                                v1::PutReferenceDataResponse* response) override;
  grpc::ServerUnaryReactor* GetReferenceData(grpc::CallbackServerContext* ctx,
                                             const v1::GetReferenceDataRequest* request,
                                             v1::ReferenceData* response) override;

 private:
  AccessGuard& guard_;
  store::RegistryStore& registry_;
  pipeline::ReferenceDataEditor& editor_;
  std::size_t max_csv_bytes_;
};

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_REGISTRY_SERVICE_H_
