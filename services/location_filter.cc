#include "services/location_filter.h"

#include <utility>

namespace wetlink::services {

LocationFilter::LocationFilter(const AccessGuard& guard, access::Principal who)
    : guard_(guard), who_(std::move(who)), now_ms_(guard.now_ms()) {}

access::StudyAccess LocationFilter::LevelOf(const std::string& study_id) {
  auto it = levels_.find(study_id);
  if (it == levels_.end()) {
    it = levels_.emplace(study_id, guard_.access().ReadAccessTo(who_, study_id)).first;
  }
  return it->second;
}

bool LocationFilter::MaySee(const std::string& study_id) {
  return LevelOf(study_id) != access::StudyAccess::kNone;
}

std::optional<access::LatLon> LocationFilter::Place(const std::string& study_id,
                                                    const std::string& species_id,
                                                    std::int64_t time_ms, double lat, double lon) {
  const access::StudyAccess level = LevelOf(study_id);
  if (level == access::StudyAccess::kNone) return std::nullopt;
  const access::LocationPrivacy& privacy = guard_.privacy();
  if (level == access::StudyAccess::kFull || !privacy.IsSensitive(species_id)) {
    return access::LatLon{lat, lon};
  }
  if (access::UnderEmbargo(time_ms, now_ms_, privacy.embargo_ms)) return std::nullopt;
  return access::Generalise(lat, lon, privacy.grid_deg);
}

}  // namespace wetlink::services
