#include "store/registry_codec.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "store/key_codec.h"
#include "wetlink/store/v1/records.pb.h"

namespace wetlink::store {
namespace {

namespace pb = ::wetlink::store::v1;

absl::Status Corrupt(std::string_view what, std::string_view key) {
  return absl::DataLossError(absl::StrCat("stored ", std::string(what), " record '",
                                          absl::CHexEscape(std::string(key)),
                                          "' does not decode"));
}

template <typename Record>
bool Parse(Record& r, std::string_view bytes) {
  return r.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

}  // namespace

std::string StudyKey(std::string_view study_id) { return std::string(study_id); }

std::string IndividualKey(std::string_view study_id, std::string_view individual_id) {
  std::string key;
  AppendTerminatedString(key, study_id);
  AppendTerminatedString(key, individual_id);
  return key;
}

std::string TagKey(std::string_view study_id, std::string_view tag_id) {
  return IndividualKey(study_id, tag_id);  // same two-component layout
}

std::string DeploymentKey(std::string_view study_id, std::string_view tag_id,
                          telemetry::TimestampMs start_ms) {
  std::string key = TagKey(study_id, tag_id);
  AppendInt64(key, start_ms);
  return key;
}

std::string EncodeStudy(const telemetry::Study& study) {
  pb::StudyRecord r;
  r.set_id(study.id);
  r.set_name(study.name);
  r.set_owner(study.owner);
  r.set_licence(study.licence);
  return r.SerializeAsString();
}

std::string EncodeIndividual(const RegisteredIndividual& in) {
  pb::IndividualRecord r;
  r.set_study_id(in.individual.study_id);
  r.set_id(in.individual.id);
  r.set_number(in.number);
  r.set_taxon(in.individual.taxon);
  r.set_species_id(in.individual.species_id);
  r.set_sex(in.individual.sex);
  r.set_ring_id(in.individual.ring_id);
  r.set_comments(in.individual.comments);
  return r.SerializeAsString();
}

std::string EncodeTag(const RegisteredTag& in) {
  pb::TagRecord r;
  r.set_study_id(in.tag.study_id);
  r.set_id(in.tag.id);
  r.set_number(in.number);
  r.set_manufacturer(in.tag.manufacturer);
  r.set_model(in.tag.model);
  return r.SerializeAsString();
}

std::string EncodeDeployment(const telemetry::Deployment& d) {
  pb::DeploymentRecord r;
  r.set_study_id(d.study_id);
  r.set_tag_id(d.tag_id);
  r.set_individual_id(d.individual_id);
  r.set_start_ms(d.start_ms);
  if (d.end_ms) r.set_end_ms(*d.end_ms);
  return r.SerializeAsString();
}

absl::StatusOr<telemetry::Study> DecodeStudy(std::string_view key, std::string_view bytes) {
  pb::StudyRecord r;
  if (!Parse(r, bytes)) return Corrupt("study", key);
  return telemetry::Study{.id = r.id(), .name = r.name(), .owner = r.owner(),
                          .licence = r.licence()};
}

absl::StatusOr<RegisteredIndividual> DecodeIndividual(std::string_view key,
                                                      std::string_view bytes) {
  pb::IndividualRecord r;
  if (!Parse(r, bytes) || r.number() == 0) return Corrupt("individual", key);
  RegisteredIndividual out;
  out.individual = telemetry::Individual{.study_id = r.study_id(),
                                         .id = r.id(),
                                         .taxon = r.taxon(),
                                         .species_id = r.species_id(),
                                         .sex = r.sex(),
                                         .ring_id = r.ring_id(),
                                         .comments = r.comments()};
  out.number = r.number();
  return out;
}

absl::StatusOr<RegisteredTag> DecodeTag(std::string_view key, std::string_view bytes) {
  pb::TagRecord r;
  if (!Parse(r, bytes) || r.number() == 0) return Corrupt("tag", key);
  RegisteredTag out;
  out.tag = telemetry::Tag{.study_id = r.study_id(),
                           .id = r.id(),
                           .manufacturer = r.manufacturer(),
                           .model = r.model()};
  out.number = r.number();
  return out;
}

absl::StatusOr<telemetry::Deployment> DecodeDeployment(std::string_view key,
                                                       std::string_view bytes) {
  pb::DeploymentRecord r;
  if (!Parse(r, bytes)) return Corrupt("deployment", key);
  telemetry::Deployment d;
  d.study_id = r.study_id();
  d.tag_id = r.tag_id();
  d.individual_id = r.individual_id();
  d.start_ms = r.start_ms();
  if (r.has_end_ms()) d.end_ms = r.end_ms();
  return d;
}

}  // namespace wetlink::store
