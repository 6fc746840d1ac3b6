#include "access/permissions.h"

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "access/principal.h"
#include "access/role.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace wetlink::access {
namespace {

using ::testing::HasSubstr;

const std::vector<Role> kRoles = {Role::kIngest, Role::kResearcher, Role::kFocalPoint,
                                  Role::kAdmin};
const std::vector<Action> kActions = {
    Action::kWhoAmI,       Action::kReadCatalog,   Action::kEditCatalog,  Action::kReadStudies,
    Action::kWriteStudies, Action::kShareStudies,  Action::kSubmitCounts, Action::kReadCounts,
    Action::kReadFlyway,   Action::kRebuildFlyway, Action::kReadReports,  Action::kManageAccess,
};

struct Row {
  Action action;
  const char* name;
  // ingest, researcher, focal point, admin
  bool ingest;
  bool researcher;
  bool focal_point;
  bool admin;
};

// The table of access/permissions.h, written out by hand. kReadStudies,
// kWriteStudies and kShareStudies are refined per study (study_sharing.h):
// here is only whether the role may attempt them at all.
constexpr bool Y = true;
constexpr bool N = false;
const std::vector<Row> kTable = {
    // action, name, ingest, researcher, focal point, admin
    {Action::kWhoAmI, "WhoAmI", Y, Y, Y, Y},
    {Action::kReadCatalog, "ReadCatalog", Y, Y, Y, Y},
    {Action::kEditCatalog, "EditCatalog", N, N, N, Y},
    {Action::kReadStudies, "ReadStudies", Y, Y, N, Y},
    {Action::kWriteStudies, "WriteStudies", Y, N, N, Y},
    {Action::kShareStudies, "ShareStudies", Y, Y, N, Y},
    {Action::kSubmitCounts, "SubmitCounts", Y, N, N, Y},
    {Action::kReadCounts, "ReadCounts", N, Y, Y, Y},
    {Action::kReadFlyway, "ReadFlyway", N, Y, N, Y},
    {Action::kRebuildFlyway, "RebuildFlyway", N, N, N, Y},
    {Action::kReadReports, "ReadReports", N, Y, Y, Y},
    {Action::kManageAccess, "ManageAccess", N, N, N, Y},
};

bool Expected(const Row& row, Role role) {
  switch (role) {
    case Role::kIngest:
      return row.ingest;
    case Role::kResearcher:
      return row.researcher;
    case Role::kFocalPoint:
      return row.focal_point;
    case Role::kAdmin:
      return row.admin;
  }
  return false;
}

Principal Of(Role role) {
  return Principal{.token_id = "0123456789ab", .holder = "kim", .role = role, .studies = {}};
}

TEST(PermissionsTest, TableCoversEveryAction) {
  std::set<Action> in_table;
  for (const Row& row : kTable) in_table.insert(row.action);
  EXPECT_EQ(in_table.size(), kActions.size());
  EXPECT_EQ(kTable.size(), kActions.size());
}

TEST(PermissionsTest, RoleMayMatchesTheTableForEveryRoleAndAction) {
  for (const Row& row : kTable) {
    for (Role role : kRoles) {
      EXPECT_EQ(RoleMay(role, row.action), Expected(row, role))
          << "role " << RoleName(role) << ", action " << row.name;
    }
  }
}

TEST(PermissionsTest, AdminMayDoEverything) {
  for (Action action : kActions) EXPECT_TRUE(RoleMay(Role::kAdmin, action));
}

TEST(PermissionsTest, OnlyAdminManagesAccessEditsTheCatalogAndRebuilds) {
  for (Role role : {Role::kIngest, Role::kResearcher, Role::kFocalPoint}) {
    EXPECT_FALSE(RoleMay(role, Action::kManageAccess)) << RoleName(role);
    EXPECT_FALSE(RoleMay(role, Action::kEditCatalog)) << RoleName(role);
    EXPECT_FALSE(RoleMay(role, Action::kRebuildFlyway)) << RoleName(role);
  }
}

TEST(PermissionsTest, CheckActionIsOkExactlyWhenRoleMay) {
  for (const Row& row : kTable) {
    for (Role role : kRoles) {
      const absl::Status st = CheckAction(Of(role), row.action);
      EXPECT_EQ(st.ok(), Expected(row, role))
          << "role " << RoleName(role) << ", action " << row.name << ": " << st;
    }
  }
}

TEST(PermissionsTest, CheckActionRefusalIsPermissionDeniedNamingRoleAndAction) {
  int refusals = 0;
  for (const Row& row : kTable) {
    for (Role role : kRoles) {
      if (Expected(row, role)) continue;
      ++refusals;
      const absl::Status st = CheckAction(Of(role), row.action);
      EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied) << st;
      EXPECT_THAT(std::string(st.message()), HasSubstr("'" + std::string(RoleName(role)) + "'"));
      EXPECT_THAT(std::string(st.message()), HasSubstr(std::string(ActionDescription(row.action))));
      // Nothing of the caller beyond its role.
      EXPECT_THAT(std::string(st.message()), ::testing::Not(HasSubstr("kim")));
      EXPECT_THAT(std::string(st.message()), ::testing::Not(HasSubstr("0123456789ab")));
    }
  }
  EXPECT_EQ(refusals, 19);
}

TEST(PermissionsTest, CheckActionKnownMessage) {
  const absl::Status st = CheckAction(Of(Role::kFocalPoint), Action::kReadFlyway);
  EXPECT_EQ(st, absl::PermissionDeniedError(
                    "a token of role 'focal-point' may not read flyway analyses"));
}

TEST(PermissionsTest, EveryActionHasItsOwnDescription) {
  std::set<std::string> descriptions;
  for (Action action : kActions) {
    const std::string d(ActionDescription(action));
    EXPECT_FALSE(d.empty());
    EXPECT_NE(d, "do that");
    descriptions.insert(d);
  }
  EXPECT_EQ(descriptions.size(), kActions.size());
}

TEST(RoleTest, NamesAndParseRoundTrip) {
  EXPECT_EQ(RoleName(Role::kIngest), "ingest");
  EXPECT_EQ(RoleName(Role::kResearcher), "researcher");
  EXPECT_EQ(RoleName(Role::kFocalPoint), "focal-point");
  EXPECT_EQ(RoleName(Role::kAdmin), "admin");
  for (Role role : kRoles) EXPECT_EQ(ParseRole(RoleName(role)), role);
}

TEST(RoleTest, ParseRejectsOtherSpellings) {
  EXPECT_EQ(ParseRole(""), std::nullopt);
  EXPECT_EQ(ParseRole("Admin"), std::nullopt);
  EXPECT_EQ(ParseRole("focal_point"), std::nullopt);
  EXPECT_EQ(ParseRole("focalpoint"), std::nullopt);
  EXPECT_EQ(ParseRole("admin "), std::nullopt);
  EXPECT_EQ(ParseRole("unknown"), std::nullopt);
}

}  // namespace
}  // namespace wetlink::access
