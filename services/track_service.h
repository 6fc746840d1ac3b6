#ifndef WETLINK_SERVICES_TRACK_SERVICE_H_
#define WETLINK_SERVICES_TRACK_SERVICE_H_

// wetlink.v1.TrackService over the registry and fix stores. Server
// streaming through the synchronous API: a track is read from RocksDB and
// written out chunk by chunk, so memory stays bounded whatever its length.

#include <grpcpp/grpcpp.h>

#include "services/access_guard.h"
#include "store/fix_store.h"
#include "store/registry_store.h"
#include "wetlink/v1/tracks.grpc.pb.h"

namespace wetlink::services {

class TrackService final : public v1::TrackService::Service {
 public:
  // All must outlive the service.
  TrackService(AccessGuard& guard, store::RegistryStore& registry, store::FixStore& fixes)
      : guard_(guard), registry_(registry), fixes_(fixes) {}

  grpc::Status ListIndividuals(grpc::ServerContext* ctx, const v1::ListIndividualsRequest* request,
                               v1::ListIndividualsResponse* response) override;
  grpc::Status GetTrack(grpc::ServerContext* ctx, const v1::GetTrackRequest* request,
                        grpc::ServerWriter<v1::TrackChunk>* writer) override;
  grpc::Status ExportTracks(grpc::ServerContext* ctx, const v1::ExportTracksRequest* request,
                            grpc::ServerWriter<v1::ExportChunk>* writer) override;

 private:
  // Whether a caller reading a study at `level` sees the species' fixes
  // generalised.
  bool MustGeneralise(access::StudyAccess level, const std::string& species_id) const;

  AccessGuard& guard_;
  store::RegistryStore& registry_;
  store::FixStore& fixes_;
};

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_TRACK_SERVICE_H_
