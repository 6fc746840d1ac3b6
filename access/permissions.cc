#include "access/permissions.h"

#include "absl/strings/str_cat.h"

namespace wetlink::access {

std::string_view ActionDescription(Action action) {
  switch (action) {
    case Action::kWhoAmI:
      return "identify itself";
    case Action::kReadCatalog:
      return "read the site catalog";
    case Action::kEditCatalog:
      return "edit the site catalog";
    case Action::kReadStudies:
      return "read studies";
    case Action::kWriteStudies:
      return "write to studies";
    case Action::kShareStudies:
      return "change the sharing of studies";
    case Action::kSubmitCounts:
      return "submit counts";
    case Action::kReadCounts:
      return "read counts";
    case Action::kReadFlyway:
      return "read flyway analyses";
    case Action::kRebuildFlyway:
      return "rebuild the flyway graph";
    case Action::kReadReports:
      return "read site reports";
    case Action::kManageAccess:
      return "manage tokens and read the audit log";
  }
  return "do that";
}

bool RoleMay(Role role, Action action) {
  if (role == Role::kAdmin) return true;
  switch (action) {
    case Action::kWhoAmI:
    case Action::kReadCatalog:
      return true;
    case Action::kReadStudies:
    case Action::kShareStudies:
      return role == Role::kIngest || role == Role::kResearcher;
    case Action::kWriteStudies:
    case Action::kSubmitCounts:
      return role == Role::kIngest;
    case Action::kReadCounts:
    case Action::kReadReports:
      return role == Role::kResearcher || role == Role::kFocalPoint;
    case Action::kReadFlyway:
      return role == Role::kResearcher;
    case Action::kEditCatalog:
    case Action::kRebuildFlyway:
    case Action::kManageAccess:
      return false;
  }
  return false;
}

absl::Status CheckAction(const Principal& who, Action action) {
  if (RoleMay(who.role, action)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("a token of role '", std::string(RoleName(who.role)),
                                                  "' may not ", std::string(ActionDescription(action))));
}

}  // namespace wetlink::access
