#ifndef WETLINK_SERVICES_REPORT_PROTO_H_
#define WETLINK_SERVICES_REPORT_PROTO_H_

// Reports (reports/) <-> wetlink.v1 report messages.

#include "reports/report_desk.h"
#include "reports/site_report.h"
#include "reports/species_list.h"
#include "wetlink/v1/reports.pb.h"

namespace wetlink::services {

reports::SiteReportQuery SiteReportQueryFromProto(const v1::SiteReportRequest& request);
reports::SpeciesListQuery SpeciesListQueryFromProto(const v1::SpeciesListRequest& request);

void SiteReportToProto(const reports::SiteReport& report, v1::SiteReport* out);
void SpeciesListToProto(const reports::SpeciesList& list, v1::SpeciesList* out);
void DocumentToProto(reports::RenderedDocument document, v1::RenderedDocument* out);

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_REPORT_PROTO_H_
