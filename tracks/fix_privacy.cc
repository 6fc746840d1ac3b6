#include "tracks/fix_privacy.h"

namespace wetlink::tracks {

std::optional<store::StoredFix> GeneraliseFix(const store::StoredFix& fix,
                                              const access::LocationPrivacy& privacy,
                                              std::int64_t now_ms) {
  if (access::UnderEmbargo(fix.timestamp_ms, now_ms, privacy.embargo_ms)) return std::nullopt;
  store::StoredFix out;
  out.individual = fix.individual;
  out.tag = fix.tag;
  out.timestamp_ms = fix.timestamp_ms;
  const access::LatLon cell = access::Generalise(fix.lat, fix.lon, privacy.grid_deg);
  out.lat = cell.lat;
  out.lon = cell.lon;
  out.visible = fix.visible;
  out.manually_marked_outlier = fix.manually_marked_outlier;
  out.manually_marked_valid = fix.manually_marked_valid;
  // The catalogued wetland it lies in is public knowledge at site level.
  out.site_id = fix.site_id;
  return out;
}

}  // namespace wetlink::tracks
