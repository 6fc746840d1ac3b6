#ifndef WETLINK_SERVICES_REGISTRY_PROTO_H_
#define WETLINK_SERVICES_REGISTRY_PROTO_H_

// Conversions between wetlink.v1 registry messages and telemetry types.

#include "store/registry_snapshot.h"
#include "store/registry_store.h"
#include "telemetry/registry.h"
#include "wetlink/v1/registry.pb.h"

namespace wetlink::services {

telemetry::Study StudyFromProto(const v1::Study& in);
void StudyToProto(const telemetry::Study& study, const store::RegistrySnapshot& registry,
                  v1::Study* out);

telemetry::Individual IndividualFromProto(const v1::Individual& in);
void IndividualToProto(const telemetry::Individual& in, v1::Individual* out);
telemetry::Tag TagFromProto(const v1::Tag& in);
void TagToProto(const telemetry::Tag& in, v1::Tag* out);
telemetry::Deployment DeploymentFromProto(const v1::Deployment& in);
void DeploymentToProto(const telemetry::Deployment& in, v1::Deployment* out);

void ReferenceChangeToProto(const store::ReferenceChange& change,
                            v1::PutReferenceDataResponse* out);

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_REGISTRY_PROTO_H_
