#ifndef WETLINK_SERVICES_COUNT_PROTO_H_
#define WETLINK_SERVICES_COUNT_PROTO_H_

// Conversions between wetlink.v1 count messages and the counts library.

#include "counts/count.h"
#include "wetlink/v1/ingest.pb.h"

namespace wetlink::services {

counts::RawCount RawCountFromProto(const v1::Count& in);
void CountToProto(const counts::Count& count, v1::Count* out);

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_COUNT_PROTO_H_
