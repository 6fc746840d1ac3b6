#ifndef WETLINK_SERVER_ACCESS_SETUP_H_
#define WETLINK_SERVER_ACCESS_SETUP_H_

// wetlinkd's access set-up at start: the location privacy settings resolved
// against the catalog, and the first admin token of a data folder.

#include <string>

#include "absl/status/statusor.h"
#include "access/access_control.h"
#include "access/location_privacy.h"
#include "catalog/catalog.h"
#include "server/config.h"

namespace wetlink::server {

// The configured sensitive species (each must be in the catalog; a code or
// scientific name is resolved to its id), or, when unset, every species the
// catalog lists as threatened (IUCN CR, EN, VU); with the grid and embargo.
absl::StatusOr<access::LocationPrivacy> LocationPrivacyOf(const Config& config,
                                                          const catalog::Catalog& catalog);

// Where the first admin token goes: [auth] admin_token_file, or
// <data_dir>/admin.token.
std::string AdminTokenPath(const Config& config);

// When no usable admin token exists (a new data folder, or every admin token
// revoked or expired), issues one for holder "admin" and writes it to
// `path`, readable by the owner only. Returns whether it did.
absl::StatusOr<bool> EnsureAdminToken(access::AccessControl& access, const std::string& path);

}  // namespace wetlink::server

#endif  // WETLINK_SERVER_ACCESS_SETUP_H_
