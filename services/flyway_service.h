#ifndef WETLINK_SERVICES_FLYWAY_SERVICE_H_
#define WETLINK_SERVICES_FLYWAY_SERVICE_H_

// wetlink.v1.FlywayService: translates requests to graph queries and
// answers back. Synchronous API: a question with its own segmentation
// parameters can take seconds and must not hold a callback thread.

#include <grpcpp/grpcpp.h>

#include "graph/flyway_queries.h"
#include "graph/live_flyway.h"
#include "wetlink/v1/flyway.grpc.pb.h"

namespace wetlink::services {

class FlywayService final : public v1::FlywayService::Service {
 public:
  // Both must outlive the service.
  FlywayService(graph::LiveFlyway& live, const graph::SeasonTable& seasons)
      : live_(live), queries_(live, seasons) {}

  grpc::Status ListLinks(grpc::ServerContext* ctx, const v1::ListLinksRequest* request,
                         v1::ListLinksResponse* response) override;
  grpc::Status GetNeighbours(grpc::ServerContext* ctx, const v1::GetNeighboursRequest* request,
                             v1::GetNeighboursResponse* response) override;
  grpc::Status FindRoutes(grpc::ServerContext* ctx, const v1::FindRoutesRequest* request,
                          v1::FindRoutesResponse* response) override;
  grpc::Status RankSites(grpc::ServerContext* ctx, const v1::RankSitesRequest* request,
                         v1::RankSitesResponse* response) override;
  grpc::Status SiteLoss(grpc::ServerContext* ctx, const v1::SiteLossRequest* request,
                        v1::SiteLossResponse* response) override;
  grpc::Status CountryFlows(grpc::ServerContext* ctx, const v1::CountryFlowsRequest* request,
                            v1::CountryFlowsResponse* response) override;
  grpc::Status MigratoryConnectivity(grpc::ServerContext* ctx,
                                     const v1::MigratoryConnectivityRequest* request,
                                     v1::MigratoryConnectivityResponse* response) override;
  grpc::Status ProtectionGaps(grpc::ServerContext* ctx, const v1::ProtectionGapsRequest* request,
                              v1::ProtectionGapsResponse* response) override;
  grpc::Status ListStopovers(grpc::ServerContext* ctx, const v1::ListStopoversRequest* request,
                             v1::ListStopoversResponse* response) override;
  grpc::Status ExportFlyway(grpc::ServerContext* ctx, const v1::ExportFlywayRequest* request,
                            grpc::ServerWriter<v1::FlywayExportChunk>* writer) override;
  grpc::Status GetFlywayStatus(grpc::ServerContext* ctx, const v1::GetFlywayStatusRequest* request,
                               v1::FlywayStatus* response) override;
  grpc::Status RebuildFlyway(grpc::ServerContext* ctx, const v1::RebuildFlywayRequest* request,
                             v1::RebuildFlywayResponse* response) override;

 private:
  absl::StatusOr<std::shared_ptr<const graph::PreparedQuery>> Prepare(
      const v1::FlywayQuery& query) const;
  void FillInfo(const graph::PreparedQuery& q, v1::AnswerInfo* info) const;

  graph::LiveFlyway& live_;
  graph::FlywayQueries queries_;
};

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_FLYWAY_SERVICE_H_
