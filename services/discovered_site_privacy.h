#ifndef WETLINK_SERVICES_DISCOVERED_SITE_PRIVACY_H_
#define WETLINK_SERVICES_DISCOVERED_SITE_PRIVACY_H_

// The [privacy] settings as the flyway graph applies them to discovered
// sites: one with a sensitive species' stays among its own is published at
// the centre of its grid cell, to every caller, as an aggregate of the
// scale the catalogued sites have. Exact stopovers stay for callers with
// full access (ListStopovers).

#include "access/location_privacy.h"
#include "graph/flyway_snapshot.h"

namespace wetlink::services {

graph::DiscoveredSitePrivacy DiscoveredSitePrivacyFor(const access::LocationPrivacy& privacy);

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_DISCOVERED_SITE_PRIVACY_H_
