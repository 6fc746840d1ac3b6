#ifndef WETLINK_STORE_REGISTRY_CODEC_H_
#define WETLINK_STORE_REGISTRY_CODEC_H_

// Keys and values of the registry column families (docs/STORAGE.md):
// values are the protobuf records of proto/wetlink/store/v1/records.proto.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "store/registry_snapshot.h"
#include "telemetry/registry.h"

namespace wetlink::store {

std::string StudyKey(std::string_view study_id);
std::string IndividualKey(std::string_view study_id, std::string_view individual_id);
std::string TagKey(std::string_view study_id, std::string_view tag_id);
std::string DeploymentKey(std::string_view study_id, std::string_view tag_id,
                          telemetry::TimestampMs start_ms);

std::string EncodeStudy(const telemetry::Study& study);
std::string EncodeIndividual(const RegisteredIndividual& individual);
std::string EncodeTag(const RegisteredTag& tag);
std::string EncodeDeployment(const telemetry::Deployment& deployment);

// DataLoss naming the key when the bytes do not decode.
absl::StatusOr<telemetry::Study> DecodeStudy(std::string_view key, std::string_view bytes);
absl::StatusOr<RegisteredIndividual> DecodeIndividual(std::string_view key,
                                                      std::string_view bytes);
absl::StatusOr<RegisteredTag> DecodeTag(std::string_view key, std::string_view bytes);
absl::StatusOr<telemetry::Deployment> DecodeDeployment(std::string_view key,
                                                       std::string_view bytes);

}  // namespace wetlink::store

#endif  // WETLINK_STORE_REGISTRY_CODEC_H_
