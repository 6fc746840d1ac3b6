#ifndef WETLINK_SERVICES_LOCATION_FILTER_H_
#define WETLINK_SERVICES_LOCATION_FILTER_H_

// Where one caller may see an individual's position (a stopover, a visit):
// not at all when the study is not shared with it or the position is under
// embargo, at its grid cell's centre when the caller has generalised access
// and the species is sensitive, else exactly. For the answers that list
// individuals' positions among those of many studies.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "access/location_privacy.h"
#include "access/principal.h"
#include "access/study_sharing.h"
#include "services/access_guard.h"

namespace wetlink::services {

class LocationFilter {
 public:
  // `guard` must outlive the filter.
  LocationFilter(const AccessGuard& guard, access::Principal who);

  // Whether the caller may see the study's individuals at all.
  bool MaySee(const std::string& study_id);

  // The position to show for one taken until `time_ms`, or nullopt.
  std::optional<access::LatLon> Place(const std::string& study_id, const std::string& species_id,
                                      std::int64_t time_ms, double lat, double lon);

 private:
  access::StudyAccess LevelOf(const std::string& study_id);

  const AccessGuard& guard_;
  access::Principal who_;
  std::int64_t now_ms_;
  std::map<std::string, access::StudyAccess> levels_;  // per study, asked once
};

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_LOCATION_FILTER_H_
