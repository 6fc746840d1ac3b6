#ifndef WETLINK_SERVICES_FIX_PROTO_H_
#define WETLINK_SERVICES_FIX_PROTO_H_

// Conversions between the wetlink.v1 ingest messages and the pipeline's
// types. Shape problems of a message (a missing position, an index outside
// the batch's tag list) are refusals of that record, reported like any
// other.

#include <vector>

#include "pipeline/fix_ingest.h"
#include "wetlink/v1/ingest.pb.h"

namespace wetlink::services {

// Fills `inputs` with the well-formed fixes of `batch` (views into `batch`,
// which must outlive them) and `rejected` with the others.
void FixInputsFromProto(const v1::FixBatch& batch, std::vector<pipeline::FixInput>& inputs,
                        std::vector<pipeline::RecordRejection>& rejected);

void RejectionToProto(const pipeline::RecordRejection& rejection, v1::Rejection* out);

// The ack for `batch`: the outcome's counts and refusals merged with the
// shape refusals, ordered by index.
void FixAckFromOutcome(const v1::FixBatch& batch, pipeline::FixBatchOutcome outcome,
                       std::vector<pipeline::RecordRejection> shape_rejections, v1::FixAck* ack);

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_FIX_PROTO_H_
