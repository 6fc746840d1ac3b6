#ifndef WETLINK_SERVICES_CATALOG_PROTO_H_
#define WETLINK_SERVICES_CATALOG_PROTO_H_

// Translation between catalog core types and wetlink.v1 messages, including
// validation of request fields (errors name the field).

#include <string>

#include "absl/status/statusor.h"
#include "catalog/catalog.h"
#include "catalog/site_import.h"
#include "wetlink/v1/catalog.pb.h"

namespace wetlink::services {

void SiteToProto(const catalog::Site& site, bool include_geometry, v1::Site* out);
void ComplexToProto(const catalog::Complex& complex, const catalog::Catalog& catalog,
                    v1::Complex* out);
void SpeciesToProto(const catalog::Species& species, v1::Species* out);

// The filter of a ListSites/ExportSites request. InvalidArgument naming the
// field for a malformed country code, an unknown complex or a bad bbox.
absl::StatusOr<catalog::SiteFilter> SiteFilterFromProto(
    const google::protobuf::RepeatedPtrField<std::string>& countries,
    const std::string& complex_id, v1::DesignationKind designation, const v1::BoundingBox* bbox,
    const catalog::Catalog& catalog);

catalog::ImportMapping ImportMappingFromProto(const v1::ImportMapping& mapping);
void ImportPlanToProto(const catalog::ImportPlan& plan, bool stored, v1::ImportSitesResponse* out);

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_CATALOG_PROTO_H_
