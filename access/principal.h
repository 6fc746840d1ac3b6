#ifndef WETLINK_ACCESS_PRINCIPAL_H_
#define WETLINK_ACCESS_PRINCIPAL_H_

// Who a call comes from: the token it presented and what that token grants.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/role.h"
#include "access/token.h"

namespace wetlink::access {

// A token as stored: never its secret, only the secret's hash.
struct TokenRecord {
  std::string id;
  // The person or organisation the token was issued to, e.g.
  // "kim.seoul-nie"; sharing names holders, so a holder's tokens share
  // their access.
  std::string holder;
  Role role = Role::kResearcher;
  // Ingest tokens: the studies it may create and write to. Empty otherwise.
  std::vector<std::string> studies;
  SecretHash secret_hash{};
  std::int64_t created_ms = 0;
  std::optional<std::int64_t> expires_ms;  // refused from then on
  std::optional<std::int64_t> revoked_ms;  // refused from then on
  std::string created_by;                  // holder of the admin token used
  std::string note;
};

struct Principal {
  std::string token_id;
  std::string holder;
  Role role = Role::kResearcher;
  std::vector<std::string> studies;  // as TokenRecord::studies

  bool is_admin() const { return role == Role::kAdmin; }
};

}  // namespace wetlink::access

#endif  // WETLINK_ACCESS_PRINCIPAL_H_
