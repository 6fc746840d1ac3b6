#ifndef WETLINK_SERVICES_INGEST_SERVICE_H_
#define WETLINK_SERVICES_INGEST_SERVICE_H_

// wetlink.v1.IngestService. StreamFixes uses the synchronous API: each
// stream is served by one thread that reads a batch, ingests it (the
// durable write included) and acknowledges it before reading the next, so
// a stream holds at most one batch in memory and a client faster than the
// store is held back by HTTP/2 flow control. A stream beyond the stream
// limits (per token and in all, services/stream_limiter.h) is refused at
// once with RESOURCE_EXHAUSTED.

#include <grpcpp/grpcpp.h>

#include "pipeline/count_ingest.h"
#include "pipeline/fix_ingest.h"
#include "services/access_guard.h"
#include "services/stream_limiter.h"
#include "store/catalog_store.h"
#include "store/count_store.h"
#include "wetlink/v1/ingest.grpc.pb.h"

namespace wetlink::services {

class IngestService final : public v1::IngestService::Service {
 public:
  // All must outlive the service.
  IngestService(AccessGuard& guard, pipeline::FixIngestor& fixes,
                pipeline::CountIngestor& count_ingestor, store::CountStore& counts,
                store::CatalogStore& catalog, StreamLimits stream_limits = {})
      : guard_(guard),
        fixes_(fixes),
        count_ingestor_(count_ingestor),
        counts_(counts),
        catalog_(catalog),
        streams_(stream_limits) {}

  grpc::Status StreamFixes(grpc::ServerContext* ctx,
                           grpc::ServerReaderWriter<v1::FixAck, v1::FixBatch>* stream) override;
  grpc::Status SubmitCounts(grpc::ServerContext* ctx, const v1::SubmitCountsRequest* request,
                            v1::SubmitCountsResponse* response) override;
  grpc::Status ListCounts(grpc::ServerContext* ctx, const v1::ListCountsRequest* request,
                          v1::ListCountsResponse* response) override;

 private:
  AccessGuard& guard_;
  pipeline::FixIngestor& fixes_;
  pipeline::CountIngestor& count_ingestor_;
  store::CountStore& counts_;
  store::CatalogStore& catalog_;
  StreamLimiter streams_;
};

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_INGEST_SERVICE_H_
