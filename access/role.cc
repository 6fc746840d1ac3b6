#include "access/role.h"

namespace wetlink::access {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kIngest:
      return "ingest";
    case Role::kResearcher:
      return "researcher";
    case Role::kFocalPoint:
      return "focal-point";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role role : {Role::kIngest, Role::kResearcher, Role::kFocalPoint, Role::kAdmin}) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

}  // namespace wetlink::access
