#ifndef WETLINK_SERVICES_FLYWAY_SERVICE_H_
#define WETLINK_SERVICES_FLYWAY_SERVICE_H_

// wetlink.v1.FlywayService: translates requests to graph queries and
// answers back. Callback API, as gRPC recommends: answers from the live
// snapshot take microseconds and run on the callback thread; questions with
// their own segmentation parameters, Mantel permutation tests, exports and
// rebuilds take up to seconds and run on BackgroundWork threads, so a slow
// question never delays the quick ones.

#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "graph/flyway_queries.h"
#include "graph/live_flyway.h"
#include "services/answer_cache.h"
#include "services/arena_allocator.h"
#include "services/access_guard.h"
#include "services/background_work.h"
#include "services/location_filter.h"
#include "wetlink/v1/flyway.grpc.pb.h"

namespace wetlink::services {

struct FlywayServiceLimits {
  int background_threads = 2;
  // Slow questions waiting beyond these many are refused (RESOURCE_EXHAUSTED).
  std::size_t max_queued = 16;
  // A slow question that waited this long for a thread is answered
  // RESOURCE_EXHAUSTED instead of being started; one whose client gave up
  // or whose deadline passed while it waited is not started either.
  std::chrono::seconds max_queue_wait{30};
};

class FlywayService final : public v1::FlywayService::CallbackService {
 public:
  // All must outlive the service.
  FlywayService(AccessGuard& guard, graph::LiveFlyway& live, const graph::SeasonTable& seasons,
                FlywayServiceLimits limits = {});

  grpc::ServerUnaryReactor* ListLinks(grpc::CallbackServerContext* ctx,
                                      const v1::ListLinksRequest* request,
                                      v1::ListLinksResponse* response) override;
  grpc::ServerUnaryReactor* GetNeighbours(grpc::CallbackServerContext* ctx,
                                          const v1::GetNeighboursRequest* request,
                                          v1::GetNeighboursResponse* response) override;
  grpc::ServerUnaryReactor* FindRoutes(grpc::CallbackServerContext* ctx,
                                       const v1::FindRoutesRequest* request,
                                       v1::FindRoutesResponse* response) override;
  grpc::ServerUnaryReactor* RankSites(grpc::CallbackServerContext* ctx,
                                      const v1::RankSitesRequest* request,
                                      v1::RankSitesResponse* response) override;
  grpc::ServerUnaryReactor* SiteLoss(grpc::CallbackServerContext* ctx,
                                     const v1::SiteLossRequest* request,
                                     v1::SiteLossResponse* response) override;
  grpc::ServerUnaryReactor* CountryFlows(grpc::CallbackServerContext* ctx,
                                         const v1::CountryFlowsRequest* request,
                                         v1::CountryFlowsResponse* response) override;
  grpc::ServerUnaryReactor* MigratoryConnectivity(
      grpc::CallbackServerContext* ctx, const v1::MigratoryConnectivityRequest* request,
      v1::MigratoryConnectivityResponse* response) override;
  grpc::ServerUnaryReactor* ProtectionGaps(grpc::CallbackServerContext* ctx,
                                           const v1::ProtectionGapsRequest* request,
                                           v1::ProtectionGapsResponse* response) override;
  grpc::ServerUnaryReactor* ListStopovers(grpc::CallbackServerContext* ctx,
                                          const v1::ListStopoversRequest* request,
                                          v1::ListStopoversResponse* response) override;
  grpc::ServerWriteReactor<v1::FlywayExportChunk>* ExportFlyway(
      grpc::CallbackServerContext* ctx, const v1::ExportFlywayRequest* request) override;
  grpc::ServerUnaryReactor* GetFlywayStatus(grpc::CallbackServerContext* ctx,
                                            const v1::GetFlywayStatusRequest* request,
                                            v1::FlywayStatus* response) override;
  grpc::ServerUnaryReactor* RebuildFlyway(grpc::CallbackServerContext* ctx,
                                          const v1::RebuildFlywayRequest* request,
                                          v1::RebuildFlywayResponse* response) override;

 private:
  class ExportReactor;

  // Finishes the call with what `answer` returns, on this thread or, when
  // `slow`, on a background thread.
  template <typename Answer>
  grpc::ServerUnaryReactor* Reply(grpc::CallbackServerContext* ctx, bool slow, Answer answer);

  grpc::Status DoListLinks(const v1::ListLinksRequest& request, v1::ListLinksResponse* response);
  grpc::Status DoGetNeighbours(const v1::GetNeighboursRequest& request,
                               v1::GetNeighboursResponse* response);
  grpc::Status DoFindRoutes(const v1::FindRoutesRequest& request,
                            v1::FindRoutesResponse* response);
  grpc::Status DoRankSites(const v1::RankSitesRequest& request, v1::RankSitesResponse* response);
  grpc::Status DoSiteLoss(const v1::SiteLossRequest& request, v1::SiteLossResponse* response);
  grpc::Status DoCountryFlows(const v1::CountryFlowsRequest& request,
                              v1::CountryFlowsResponse* response);
  grpc::Status DoMigratoryConnectivity(const v1::MigratoryConnectivityRequest& request,
                                       v1::MigratoryConnectivityResponse* response);
  grpc::Status DoProtectionGaps(const v1::ProtectionGapsRequest& request,
                                v1::ProtectionGapsResponse* response);
  grpc::Status DoListStopovers(const v1::ListStopoversRequest& request, LocationFilter& filter,
                               v1::ListStopoversResponse* response);
  // The whole export document, with the stopovers `filter` lets the caller see.
  absl::StatusOr<std::string> BuildExport(const v1::ExportFlywayRequest& request,
                                          LocationFilter& locations);
  grpc::Status DoGetFlywayStatus(v1::FlywayStatus* response);
  grpc::Status DoRebuildFlyway(v1::RebuildFlywayResponse* response);

  // Admits the caller (AccessGuard::Admit) and checks it may read every
  // study the query names; an empty study list means the aggregate over
  // every study, which any researcher may read.
  absl::StatusOr<access::Principal> AdmitQuery(const grpc::CallbackServerContext& ctx,
                                               access::Action action,
                                               const v1::FlywayQuery* query,
                                               std::string_view rpc);

  absl::StatusOr<std::shared_ptr<const graph::PreparedQuery>> Prepare(
      const v1::FlywayQuery& query) const;
  void FillInfo(const graph::PreparedQuery& q, v1::AnswerInfo* info) const;

  AccessGuard& guard_;
  graph::LiveFlyway& live_;
  graph::FlywayQueries queries_;
  AnswerCache<v1::ListLinksResponse> links_cache_;
  ArenaAllocator<v1::ListLinksRequest, v1::ListLinksResponse> links_allocator_;
  ArenaAllocator<v1::GetNeighboursRequest, v1::GetNeighboursResponse> neighbours_allocator_;
  ArenaAllocator<v1::FindRoutesRequest, v1::FindRoutesResponse> routes_allocator_;
  ArenaAllocator<v1::RankSitesRequest, v1::RankSitesResponse> rank_allocator_;
  ArenaAllocator<v1::ListStopoversRequest, v1::ListStopoversResponse> stopovers_allocator_;
  // Declared last: destroyed first, finishing the slow calls still queued
  // while everything they use is alive.
  BackgroundWork background_;
};

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_FLYWAY_SERVICE_H_
