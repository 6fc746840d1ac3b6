#ifndef WETLINK_SERVICES_CATALOG_SERVICE_H_
#define WETLINK_SERVICES_CATALOG_SERVICE_H_

// wetlink.v1.CatalogService over the catalog store. Holds no domain logic:
// each handler validates the request, calls the core, and maps the result.

#include "services/access_guard.h"
#include "store/catalog_store.h"
#include "wetlink/v1/catalog.grpc.pb.h"

namespace wetlink::services {

struct CatalogServiceLimits {
  // Upper bound on the bytes of one import request's files. Default 64 MiB.
  std::size_t max_import_bytes = 64u << 20;
};

class CatalogService final : public v1::CatalogService::CallbackService {
 public:
  // `guard` and `store` must outlive the service.
  CatalogService(AccessGuard& guard, store::CatalogStore& store, CatalogServiceLimits limits = {})
      : guard_(guard), store_(store), limits_(limits) {}

  grpc::ServerUnaryReactor* ListSites(grpc::CallbackServerContext* ctx,
                                      const v1::ListSitesRequest* request,
                                      v1::ListSitesResponse* response) override;
  grpc::ServerUnaryReactor* GetSite(grpc::CallbackServerContext* ctx,
                                    const v1::GetSiteRequest* request,
                                    v1::Site* response) override;
  grpc::ServerUnaryReactor* ListComplexes(grpc::CallbackServerContext* ctx,
                                          const v1::ListComplexesRequest* request,
                                          v1::ListComplexesResponse* response) override;
  grpc::ServerUnaryReactor* ImportSites(grpc::CallbackServerContext* ctx,
                                        const v1::ImportSitesRequest* request,
                                        v1::ImportSitesResponse* response) override;
  grpc::ServerUnaryReactor* ExportSites(grpc::CallbackServerContext* ctx,
                                        const v1::ExportSitesRequest* request,
                                        v1::ExportSitesResponse* response) override;
  grpc::ServerUnaryReactor* ListSpecies(grpc::CallbackServerContext* ctx,
                                        const v1::ListSpeciesRequest* request,
                                        v1::ListSpeciesResponse* response) override;
  grpc::ServerUnaryReactor* GetSpecies(grpc::CallbackServerContext* ctx,
                                       const v1::GetSpeciesRequest* request,
                                       v1::Species* response) override;

 private:
  AccessGuard& guard_;
  store::CatalogStore& store_;
  CatalogServiceLimits limits_;
};

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_CATALOG_SERVICE_H_
