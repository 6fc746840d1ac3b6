#ifndef WETLINK_ACCESS_ROLE_H_
#define WETLINK_ACCESS_ROLE_H_

// The roles a token carries (docs/SECURITY.md has what each may do).

#include <optional>
#include <string_view>

namespace wetlink::access {

enum class Role {
  kIngest,      // pushes fixes, reference data and counts to its own studies
  kResearcher,  // reads the analyses and the studies shared with its holder
  kFocalPoint,  // a Ramsar focal point: site reports and the catalog
  kAdmin,       // everything, including tokens, sharing and the audit log
};

// "ingest", "researcher", "focal-point", "admin".
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

}  // namespace wetlink::access

#endif  // WETLINK_ACCESS_ROLE_H_
