#ifndef WETLINK_ACCESS_AUDIT_LOG_H_
#define WETLINK_ACCESS_AUDIT_LOG_H_

// The audit log: one event per write, per administrative action and per
// refused call, kept with the data (store/audit_store.h) so that the
// partners can see who changed what, and who tried.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace wetlink::access {

struct AuditEvent {
  std::int64_t time_ms = 0;
  std::string token_id;  // "" when the call presented no valid token
  std::string holder;
  std::string role;
  std::string peer;      // the caller's address, e.g. "ipv4:127.0.0.1:53122"
  std::string action;    // the RPC, e.g. "IngestService.StreamFixes"
  std::string target;    // what it acted on: a study, a token id, a site
  std::string outcome;   // "OK" or the status code's name
  std::string detail;    // e.g. "fixes: 10000 stored, 3 refused"
};

struct AuditQuery {
  std::optional<std::int64_t> from_ms;  // inclusive
  std::optional<std::int64_t> to_ms;    // exclusive
  std::string holder;                   // "" = every holder
  std::size_t limit = 1000;             // newest first
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Durable once it returns OK.
  virtual absl::Status Append(const AuditEvent& event) = 0;
  // Newest first.
  virtual absl::StatusOr<std::vector<AuditEvent>> List(const AuditQuery& query) const = 0;
};

}  // namespace wetlink::access

#endif  // WETLINK_ACCESS_AUDIT_LOG_H_
