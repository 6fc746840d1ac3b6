#include "services/registry_proto.h"

namespace wetlink::services {

telemetry::Study StudyFromProto(const v1::Study& in) {
  return telemetry::Study{
      .id = in.id(), .name = in.name(), .owner = in.owner(), .licence = in.licence()};
}

void StudyToProto(const telemetry::Study& study, const store::RegistrySnapshot& registry,
                  v1::Study* out) {
  out->set_id(study.id);
  out->set_name(study.name);
  out->set_owner(study.owner);
  out->set_licence(study.licence);
  out->set_individual_count(static_cast<std::uint32_t>(registry.IndividualsOf(study.id).size()));
  out->set_tag_count(static_cast<std::uint32_t>(registry.TagsOf(study.id).size()));
  out->set_deployment_count(static_cast<std::uint32_t>(registry.DeploymentsOf(study.id).size()));
}

telemetry::Individual IndividualFromProto(const v1::Individual& in) {
  // species_id is derived from the taxon by the server, never taken as given.
  return telemetry::Individual{.study_id = "",
                               .id = in.id(),
                               .taxon = in.taxon(),
                               .species_id = "",
                               .sex = in.sex(),
                               .ring_id = in.ring_id(),
                               .comments = in.comments()};
}

void IndividualToProto(const telemetry::Individual& in, v1::Individual* out) {
  out->set_id(in.id);
  out->set_taxon(in.taxon);
  out->set_species_id(in.species_id);
  out->set_sex(in.sex);
  out->set_ring_id(in.ring_id);
  out->set_comments(in.comments);
}

telemetry::Tag TagFromProto(const v1::Tag& in) {
  return telemetry::Tag{
      .study_id = "", .id = in.id(), .manufacturer = in.manufacturer(), .model = in.model()};
}

void TagToProto(const telemetry::Tag& in, v1::Tag* out) {
  out->set_id(in.id);
  out->set_manufacturer(in.manufacturer);
  out->set_model(in.model);
}

telemetry::Deployment DeploymentFromProto(const v1::Deployment& in) {
  telemetry::Deployment d;
  d.tag_id = in.tag_id();
  d.individual_id = in.individual_id();
  d.start_ms = in.start_ms();
  if (in.has_end_ms()) d.end_ms = in.end_ms();
  return d;
}

void DeploymentToProto(const telemetry::Deployment& in, v1::Deployment* out) {
  out->set_tag_id(in.tag_id);
  out->set_individual_id(in.individual_id);
  out->set_start_ms(in.start_ms);
  if (in.end_ms) out->set_end_ms(*in.end_ms);
}

void ReferenceChangeToProto(const store::ReferenceChange& c, v1::PutReferenceDataResponse* out) {
  out->set_individuals_created(static_cast<std::uint32_t>(c.individuals_created));
  out->set_individuals_updated(static_cast<std::uint32_t>(c.individuals_updated));
  out->set_tags_created(static_cast<std::uint32_t>(c.tags_created));
  out->set_tags_updated(static_cast<std::uint32_t>(c.tags_updated));
  out->set_deployments_created(static_cast<std::uint32_t>(c.deployments_created));
  out->set_deployments_updated(static_cast<std::uint32_t>(c.deployments_updated));
  out->set_unchanged(static_cast<std::uint32_t>(c.unchanged));
}

}  // namespace wetlink::services
