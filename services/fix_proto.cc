#include "services/fix_proto.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "telemetry/reject_reason.h"

namespace wetlink::services {
namespace {

using telemetry::FieldProblem;
using telemetry::RejectReason;

pipeline::RecordRejection Missing(std::uint32_t index, const char* field) {
  return pipeline::RecordRejection{
      .index = index,
      .problem = FieldProblem{.reason = RejectReason::kMissingField,
                              .field = field,
                              .message = absl::StrCat(field, " is missing: a fix needs a time and a position")}};
}

}  // namespace

void FixInputsFromProto(const v1::FixBatch& batch, std::vector<pipeline::FixInput>& inputs,
                        std::vector<pipeline::RecordRejection>& rejected) {
  inputs.clear();
  inputs.reserve(static_cast<std::size_t>(batch.fixes_size()));
  for (int i = 0; i < batch.fixes_size(); ++i) {
    const v1::Fix& f = batch.fixes(i);
    const auto index = static_cast<std::uint32_t>(i);
    if (f.tag() >= static_cast<std::uint32_t>(batch.tags_size())) {
      rejected.push_back(pipeline::RecordRejection{
          .index = index,
          .problem = FieldProblem{
              .reason = RejectReason::kBadIndex,
              .field = "tag-local-identifier",
              .message = absl::StrCat("fix refers to tag #", f.tag(), " but the batch lists ",
                                      batch.tags_size(), " tags")}});
      continue;
    }
    if (f.individual() > static_cast<std::uint32_t>(batch.individuals_size())) {
      rejected.push_back(pipeline::RecordRejection{
          .index = index,
          .problem = FieldProblem{
              .reason = RejectReason::kBadIndex,
              .field = "individual-local-identifier",
              .message = absl::StrCat("fix refers to individual #", f.individual(),
                                      " but the batch lists ", batch.individuals_size(),
                                      " individuals")}});
      continue;
    }
    if (!f.has_timestamp_ms()) {
      rejected.push_back(Missing(index, "timestamp"));
      continue;
    }
    if (!f.has_lat()) {
      rejected.push_back(Missing(index, "location-lat"));
      continue;
    }
    if (!f.has_lon()) {
      rejected.push_back(Missing(index, "location-long"));
      continue;
    }
    pipeline::FixInput& in = inputs.emplace_back();
    in.index = index;
    telemetry::Fix& fix = in.fix;
    fix.tag_id = batch.tags(static_cast<int>(f.tag()));
    fix.timestamp_ms = f.timestamp_ms();
    fix.lat = f.lat();
    fix.lon = f.lon();
    if (f.has_height_m()) fix.height_m = f.height_m();
    if (f.has_hdop()) fix.hdop = f.hdop();
    if (f.has_satellites()) fix.satellites = f.satellites();
    if (f.has_ground_speed_mps()) fix.ground_speed_mps = f.ground_speed_mps();
    if (f.has_heading_deg()) fix.heading_deg = f.heading_deg();
    if (f.has_event_id()) fix.event_id = f.event_id();
    fix.visible = !f.has_visible() || f.visible();
    if (f.has_manually_marked_outlier()) fix.manually_marked_outlier = f.manually_marked_outlier();
    if (f.has_manually_marked_valid()) fix.manually_marked_valid = f.manually_marked_valid();
    if (f.individual() > 0) {
      const v1::IndividualRef& ref = batch.individuals(static_cast<int>(f.individual() - 1));
      in.individual_id = ref.id();
      in.taxon = ref.taxon();
    }
  }
}

void RejectionToProto(const pipeline::RecordRejection& rejection, v1::Rejection* out) {
  out->set_index(rejection.index);
  out->set_field(rejection.problem.field);
  out->set_reason(std::string(telemetry::RejectReasonCode(rejection.problem.reason)));
  out->set_message(rejection.problem.message);
}

void FixAckFromOutcome(const v1::FixBatch& batch, pipeline::FixBatchOutcome outcome,
                       std::vector<pipeline::RecordRejection> shape_rejections, v1::FixAck* ack) {
  ack->set_sequence(batch.sequence());
  if (outcome.batch_rejection) {
    RejectionToProto(pipeline::RecordRejection{.index = 0, .problem = *outcome.batch_rejection},
                     ack->mutable_batch_rejection());
    return;
  }
  ack->set_accepted(outcome.accepted);
  ack->set_duplicates(outcome.duplicates);
  ack->set_updated(outcome.updated);
  std::vector<pipeline::RecordRejection> all;
  all.reserve(outcome.rejected.size() + shape_rejections.size());
  std::merge(std::make_move_iterator(outcome.rejected.begin()),
             std::make_move_iterator(outcome.rejected.end()),
             std::make_move_iterator(shape_rejections.begin()),
             std::make_move_iterator(shape_rejections.end()), std::back_inserter(all),
             [](const auto& a, const auto& b) { return a.index < b.index; });
  for (const auto& r : all) RejectionToProto(r, ack->add_rejected());
}

}  // namespace wetlink::services
