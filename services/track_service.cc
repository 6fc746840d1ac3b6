#include "services/track_service.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/status_mapping.h"
#include "tracks/fix_privacy.h"
#include "tracks/track_export.h"
#include "tracks/track_reader.h"

namespace wetlink::services {
namespace {

constexpr int kPointsPerChunk = 10'000;
constexpr std::size_t kBytesPerChunk = std::size_t{1} << 20;

tracks::TrackSelection SelectionFromProto(const v1::TrackSelection& in) {
  tracks::TrackSelection out;
  if (in.has_from_ms()) out.from_ms = in.from_ms();
  if (in.has_to_ms()) out.to_ms = in.to_ms();
  out.min_interval_ms = in.min_interval_ms();
  out.exclude_outliers = in.exclude_outliers();
  return out;
}

void PointToProto(const store::StoredFix& f, const std::string& tag_id, v1::TrackPoint* out) {
  out->set_tag_id(tag_id);
  out->set_timestamp_ms(f.timestamp_ms);
  out->set_lat(f.lat);
  out->set_lon(f.lon);
  if (f.height_m) out->set_height_m(*f.height_m);
  if (f.hdop) out->set_hdop(*f.hdop);
  if (f.satellites) out->set_satellites(*f.satellites);
  if (f.ground_speed_mps) out->set_ground_speed_mps(*f.ground_speed_mps);
  if (f.heading_deg) out->set_heading_deg(*f.heading_deg);
  if (f.event_id) out->set_event_id(*f.event_id);
  out->set_visible(f.visible);
  if (f.manually_marked_outlier) out->set_manually_marked_outlier(*f.manually_marked_outlier);
  if (f.manually_marked_valid) out->set_manually_marked_valid(*f.manually_marked_valid);
  out->set_site_id(f.site_id);
}

// The registered individual, or NOT_FOUND naming the study or individual.
absl::StatusOr<const store::RegisteredIndividual*> FindIndividual(
    const store::RegistrySnapshot& registry, const std::string& study_id,
    const std::string& individual_id) {
  if (study_id.empty()) return absl::InvalidArgumentError("study_id: must be set");
  if (registry.FindStudy(study_id) == nullptr) {
    return absl::NotFoundError(absl::StrCat("study '", study_id, "' not found"));
  }
  const store::RegisteredIndividual* in = registry.FindIndividual(study_id, individual_id);
  if (in == nullptr) {
    return absl::NotFoundError(absl::StrCat("individual '", individual_id,
                                            "' not found in study '", study_id, "'"));
  }
  return in;
}

std::string TagIdOf(const store::RegistrySnapshot& registry, std::uint32_t number) {
  const store::RegisteredTag* tag = registry.TagByNumber(number);
  return tag != nullptr ? tag->tag.id : std::string();
}

}  // namespace

bool TrackService::MustGeneralise(access::StudyAccess level, const std::string& species_id) const {
  return level == access::StudyAccess::kGeneralised && guard_.privacy().IsSensitive(species_id);
}

grpc::Status TrackService::ListIndividuals(grpc::ServerContext* ctx,
                                           const v1::ListIndividualsRequest* request,
                                           v1::ListIndividualsResponse* response) {
  auto who = guard_.Admit(*ctx, access::Action::kReadStudies, "TrackService.ListIndividuals");
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (request->study_id().empty()) {
    return ToGrpcStatus(absl::InvalidArgumentError("study_id: must be set"));
  }
  if (auto level = guard_.CheckRead(*who, request->study_id()); !level.ok()) {
    return ToGrpcStatus(level.status());
  }
  const auto registry = registry_.Snapshot();
  if (registry->FindStudy(request->study_id()) == nullptr) {
    return ToGrpcStatus(
        absl::NotFoundError(absl::StrCat("study '", request->study_id(), "' not found")));
  }
  for (const tracks::IndividualSummary& s :
       tracks::SummarizeIndividuals(*registry, fixes_, request->study_id())) {
    v1::IndividualSummary* out = response->add_individuals();
    out->set_individual_id(s.individual->individual.id);
    out->set_taxon(s.individual->individual.taxon);
    out->set_species_id(s.individual->individual.species_id);
    for (const std::string& tag : s.tag_ids) out->add_tag_ids(tag);
    out->set_fix_count(s.stats ? s.stats->fix_count : 0);
    if (s.stats) {
      out->set_first_ms(s.stats->first_ms);
      out->set_last_ms(s.stats->last_ms);
    }
  }
  return grpc::Status::OK;
}

grpc::Status TrackService::GetTrack(grpc::ServerContext* ctx, const v1::GetTrackRequest* request,
                                    grpc::ServerWriter<v1::TrackChunk>* writer) {
  auto who = guard_.Admit(*ctx, access::Action::kReadStudies, "TrackService.GetTrack");
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (request->study_id().empty()) {
    return ToGrpcStatus(absl::InvalidArgumentError("study_id: must be set"));
  }
  auto level = guard_.CheckRead(*who, request->study_id());
  if (!level.ok()) return ToGrpcStatus(level.status());
  const auto registry = registry_.Snapshot();
  auto individual = FindIndividual(*registry, request->study_id(), request->individual_id());
  if (!individual.ok()) return ToGrpcStatus(individual.status());
  const bool generalise = MustGeneralise(*level, (*individual)->individual.species_id);
  const std::int64_t now_ms = guard_.now_ms();
  v1::TrackChunk chunk;
  bool client_gone = false;
  absl::Status st = tracks::ReadTrack(
      fixes_, (*individual)->number, SelectionFromProto(request->selection()),
      [&](const store::StoredFix& stored) {
        std::optional<store::StoredFix> shown;
        if (generalise) {
          shown = tracks::GeneraliseFix(stored, guard_.privacy(), now_ms);
          if (!shown) return true;
        }
        const store::StoredFix& fix = shown ? *shown : stored;
        PointToProto(fix, TagIdOf(*registry, fix.tag), chunk.add_points());
        if (chunk.points_size() < kPointsPerChunk) return true;
        if (ctx->IsCancelled() || !writer->Write(chunk)) {
          client_gone = true;
          return false;
        }
        chunk.Clear();
        return true;
      });
  if (!st.ok()) return ToGrpcStatus(st);
  if (client_gone) return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
  if (chunk.points_size() > 0 && !writer->Write(chunk)) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
  }
  return grpc::Status::OK;
}

grpc::Status TrackService::ExportTracks(grpc::ServerContext* ctx,
                                        const v1::ExportTracksRequest* request,
                                        grpc::ServerWriter<v1::ExportChunk>* writer) {
  auto who = guard_.Admit(*ctx, access::Action::kReadStudies, "TrackService.ExportTracks");
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (request->study_id().empty()) {
    return ToGrpcStatus(absl::InvalidArgumentError("study_id: must be set"));
  }
  auto level = guard_.CheckRead(*who, request->study_id());
  if (!level.ok()) return ToGrpcStatus(level.status());
  std::unique_ptr<tracks::TrackDocumentWriter> document;
  switch (request->format()) {
    case v1::TRACK_FORMAT_GEOJSON: document = std::make_unique<tracks::GeoJsonTrackWriter>(); break;
    case v1::TRACK_FORMAT_GPX: document = std::make_unique<tracks::GpxTrackWriter>(); break;
    default:
      return ToGrpcStatus(absl::InvalidArgumentError(
          absl::StrCat("format: ", v1::TrackFormat_Name(request->format()),
                       " is not an export format (GEOJSON or GPX)")));
  }
  const tracks::TrackSelection selection = SelectionFromProto(request->selection());
  if (absl::Status st = tracks::CheckSelection(selection); !st.ok()) return ToGrpcStatus(st);
  const auto registry = registry_.Snapshot();
  std::vector<const store::RegisteredIndividual*> individuals;
  if (request->individual_ids().empty()) {
    if (request->study_id().empty() || registry->FindStudy(request->study_id()) == nullptr) {
      return ToGrpcStatus(absl::NotFoundError(
          absl::StrCat("study '", request->study_id(), "' not found")));
    }
    individuals = registry->IndividualsOf(request->study_id());
  } else {
    for (const std::string& id : request->individual_ids()) {
      auto in = FindIndividual(*registry, request->study_id(), id);
      if (!in.ok()) return ToGrpcStatus(in.status());
      individuals.push_back(*in);
    }
  }

  const std::int64_t now_ms = guard_.now_ms();
  std::string buffer;
  bool client_gone = false;
  auto flush = [&](bool force) {
    if (client_gone || buffer.empty() || (!force && buffer.size() < kBytesPerChunk)) return;
    v1::ExportChunk chunk;
    chunk.set_data(std::move(buffer));
    buffer.clear();
    if (ctx->IsCancelled() || !writer->Write(chunk)) client_gone = true;
  };
  document->Begin(buffer);
  for (const store::RegisteredIndividual* in : individuals) {
    document->BeginIndividual(tracks::IndividualInfo{.study_id = request->study_id(),
                                                     .individual_id = in->individual.id,
                                                     .taxon = in->individual.taxon,
                                                     .species_id = in->individual.species_id},
                              buffer);
    const bool generalise = MustGeneralise(*level, in->individual.species_id);
    absl::Status st = tracks::ReadTrack(
        fixes_, in->number, selection, [&](const store::StoredFix& stored) {
          std::optional<store::StoredFix> shown;
          if (generalise) {
            shown = tracks::GeneraliseFix(stored, guard_.privacy(), now_ms);
            if (!shown) return true;
          }
          const store::StoredFix& fix = shown ? *shown : stored;
          document->Point(fix, TagIdOf(*registry, fix.tag), buffer);
          flush(false);
          return !client_gone;
        });
    if (!st.ok()) return ToGrpcStatus(st);
    document->EndIndividual(buffer);
    if (client_gone) break;
  }
  document->End(buffer);
  flush(true);
  if (client_gone) return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
  return grpc::Status::OK;
}

}  // namespace wetlink::services
