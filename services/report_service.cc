#include "services/report_service.h"

#include "services/report_proto.h"
#include "services/status_mapping.h"

namespace wetlink::services {

using access::Action;

template <typename Answer>
grpc::ServerUnaryReactor* ReportService::Reply(grpc::CallbackServerContext* ctx, Answer answer) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  if (!background_.SubmitCall(
          *ctx, "reports", [reactor, answer] { reactor->Finish(ToGrpcStatus(answer())); },
          [reactor](grpc::Status status) { reactor->Finish(status); })) {
    reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                 "too many reports are being prepared; try again shortly"));
  }
  return reactor;
}

grpc::ServerUnaryReactor* ReportService::GetSiteReport(grpc::CallbackServerContext* ctx,
                                                       const v1::SiteReportRequest* request,
                                                       v1::SiteReport* response) {
  auto who = guard_.Admit(*ctx, Action::kReadReports, "ReportService.GetSiteReport");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  return Reply(ctx, [this, request, response]() -> absl::Status {
    auto report = desk_.SiteReportFor(SiteReportQueryFromProto(*request), "");
    if (!report.ok()) return report.status();
    SiteReportToProto(*report, response);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ReportService::RenderSiteReport(
    grpc::CallbackServerContext* ctx, const v1::RenderSiteReportRequest* request,
    v1::RenderedDocument* response) {
  auto who = guard_.Admit(*ctx, Action::kReadReports, "ReportService.RenderSiteReport");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  return Reply(ctx, [this, request, response]() -> absl::Status {
    auto document = desk_.RenderSiteReport(SiteReportQueryFromProto(request->report()),
                                           request->lang(), request->format(), "");
    if (!document.ok()) return document.status();
    DocumentToProto(*std::move(document), response);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ReportService::GetSpeciesList(grpc::CallbackServerContext* ctx,
                                                        const v1::SpeciesListRequest* request,
                                                        v1::SpeciesList* response) {
  auto who = guard_.Admit(*ctx, Action::kReadReports, "ReportService.GetSpeciesList");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  return Reply(ctx, [this, request, response]() -> absl::Status {
    auto list = desk_.SpeciesListFor(SpeciesListQueryFromProto(*request), "");
    if (!list.ok()) return list.status();
    SpeciesListToProto(*list, response);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ReportService::RenderSpeciesList(
    grpc::CallbackServerContext* ctx, const v1::RenderSpeciesListRequest* request,
    v1::RenderedDocument* response) {
  auto who = guard_.Admit(*ctx, Action::kReadReports, "ReportService.RenderSpeciesList");
  if (!who.ok()) return FinishUnary(ctx, who.status());
  return Reply(ctx, [this, request, response]() -> absl::Status {
    auto document = desk_.RenderSpeciesList(SpeciesListQueryFromProto(request->list()),
                                            request->lang(), request->format(), "");
    if (!document.ok()) return document.status();
    DocumentToProto(*std::move(document), response);
    return absl::OkStatus();
  });
}

}  // namespace wetlink::services
