#ifndef WETLINK_ACCESS_PERMISSIONS_H_
#define WETLINK_ACCESS_PERMISSIONS_H_

// What each role may do, before any per-study check (study_sharing.h). Every
// RPC names the one action it performs; docs/SECURITY.md has the table.

#include <string_view>

#include "absl/status/status.h"
#include "access/principal.h"

namespace wetlink::access {

enum class Action {
  kWhoAmI,         // any valid token
  kReadCatalog,    // sites, complexes, species: every role
  kEditCatalog,    // import sites: admin
  kReadStudies,    // studies, reference data, tracks: per-study read access
  kWriteStudies,   // create studies, push fixes and reference data: per study
  kShareStudies,   // change a study's sharing: its owner, admins
  kSubmitCounts,   // ingest, admin
  kReadCounts,     // researcher, focal point, admin
  kReadFlyway,     // links, routes, rankings and the other analyses
  kRebuildFlyway,  // admin
  kReadReports,    // site reports, species lists: focal point, researcher, admin
  kManageAccess,   // tokens and the audit log: admin
};

// "read the site catalog", ... for messages.
std::string_view ActionDescription(Action action);

bool RoleMay(Role role, Action action);

// OK, or PermissionDenied naming the role and the action (and nothing of
// the data the call asked for).
absl::Status CheckAction(const Principal& who, Action action);

}  // namespace wetlink::access

#endif  // WETLINK_ACCESS_PERMISSIONS_H_
