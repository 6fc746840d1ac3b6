#include "pipeline/store_track_source.h"

#include <string_view>
#include <unordered_map>

namespace wetlink::pipeline {
namespace {

graph::IndividualInfo InfoOf(const store::RegisteredIndividual& r) {
  return {.number = r.number,
          .study_id = r.individual.study_id,
          .individual_id = r.individual.id,
          .species_id = r.individual.species_id};
}

}  // namespace

absl::StatusOr<std::vector<graph::IndividualInfo>> StoreTrackSource::Individuals() const {
  const std::shared_ptr<const store::RegistrySnapshot> registry = registry_.Snapshot();
  std::vector<graph::IndividualInfo> out;
  for (const auto& [number, stats] : fixes_.AllStats()) {
    if (stats.fix_count == 0) continue;
    if (const store::RegisteredIndividual* r = registry->IndividualByNumber(number)) {
      out.push_back(InfoOf(*r));
    }
  }
  return out;
}

absl::StatusOr<std::optional<graph::IndividualInfo>> StoreTrackSource::Individual(
    std::uint32_t number) const {
  const store::RegisteredIndividual* r = registry_.Snapshot()->IndividualByNumber(number);
  if (r == nullptr) return std::optional<graph::IndividualInfo>();
  return std::optional<graph::IndividualInfo>(InfoOf(*r));
}

absl::Status StoreTrackSource::ReadTrack(std::uint32_t individual, telemetry::TimestampMs from_ms,
                                         telemetry::TimestampMs to_ms,
                                         const catalog::Catalog& catalog,
                                         std::vector<graph::TrackPoint>& out) const {
  out.clear();
  std::unordered_map<std::string_view, std::int32_t> site_position;
  for (std::size_t i = 0; i < catalog.sites().size(); ++i) {
    site_position.emplace(catalog.sites()[i].id, static_cast<std::int32_t>(i));
  }
  return fixes_.ScanPositions(individual, from_ms, to_ms, [&](const store::FixPosition& fix) {
    if (!graph::IsUsableFix(fix.visible, fix.manually_marked_outlier, fix.manually_marked_valid)) {
      return true;
    }
    std::int32_t site = graph::kNoSite;
    if (!fix.site_id.empty()) {
      auto it = site_position.find(fix.site_id);
      if (it != site_position.end()) site = it->second;
    }
    out.push_back({.t_ms = fix.timestamp_ms, .lat = fix.lat, .lon = fix.lon, .site = site});
    return true;
  });
}

}  // namespace wetlink::pipeline
