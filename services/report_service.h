#ifndef WETLINK_SERVICES_REPORT_SERVICE_H_
#define WETLINK_SERVICES_REPORT_SERVICE_H_

// wetlink.v1.ReportService over the report desk. Reports take milliseconds
// to tens of milliseconds: they are built off gRPC's callback threads, and
// answered RESOURCE_EXHAUSTED when too many wait or one waited over
// kReportQueueWait; one whose client gave up meanwhile is not built.

#include <chrono>

#include "reports/report_desk.h"
#include "services/access_guard.h"
#include "services/background_work.h"
#include "wetlink/v1/reports.grpc.pb.h"

namespace wetlink::services {

class ReportService final : public v1::ReportService::CallbackService {
 public:
  // Both must outlive the service.
  ReportService(AccessGuard& guard, const reports::ReportDesk& desk)
      : guard_(guard), desk_(desk), background_(2, 16, kReportQueueWait) {}

  static constexpr std::chrono::seconds kReportQueueWait{30};

  grpc::ServerUnaryReactor* GetSiteReport(grpc::CallbackServerContext* ctx,
                                          const v1::SiteReportRequest* request,
                                          v1::SiteReport* response) override;
  grpc::ServerUnaryReactor* RenderSiteReport(grpc::CallbackServerContext* ctx,
                                             const v1::RenderSiteReportRequest* request,
                                             v1::RenderedDocument* response) override;
  grpc::ServerUnaryReactor* GetSpeciesList(grpc::CallbackServerContext* ctx,
                                           const v1::SpeciesListRequest* request,
                                           v1::SpeciesList* response) override;
  grpc::ServerUnaryReactor* RenderSpeciesList(grpc::CallbackServerContext* ctx,
                                              const v1::RenderSpeciesListRequest* request,
                                              v1::RenderedDocument* response) override;

 private:
  template <typename Answer>
  grpc::ServerUnaryReactor* Reply(grpc::CallbackServerContext* ctx, Answer answer);

  AccessGuard& guard_;
  const reports::ReportDesk& desk_;
  BackgroundWork background_;
};

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_REPORT_SERVICE_H_
