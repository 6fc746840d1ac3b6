#include "services/discovered_site_privacy.h"

namespace wetlink::services {

graph::DiscoveredSitePrivacy DiscoveredSitePrivacyFor(const access::LocationPrivacy& privacy) {
  if (privacy.sensitive_species.empty()) return {};
  return {.is_sensitive =
              [species = privacy.sensitive_species](const graph::IndividualInfo& info) {
                return species.count(info.species_id) != 0;
              },
          .generalise =
              [grid = privacy.grid_deg](geo::LatLon p) {
                const access::LatLon cell = access::Generalise(p.lat, p.lon, grid);
                return geo::LatLon{cell.lat, cell.lon};
              }};
}

}  // namespace wetlink::services
