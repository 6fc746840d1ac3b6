#ifndef WETLINK_STORE_AUDIT_STORE_H_
#define WETLINK_STORE_AUDIT_STORE_H_

// The audit log in the audit column family, keyed by time and a sequence
// number so that events of one millisecond keep their order.

#include <cstdint>
#include <memory>
#include <mutex>

#include "access/audit_log.h"
#include "store/database.h"

namespace wetlink::store {

class AuditStore : public access::AuditLog {
 public:
  // Continues the sequence where the last run left it (kept in the meta
  // column family: the wall clock may step back, so the newest key need not
  // hold the largest sequence number).
  static absl::StatusOr<std::unique_ptr<AuditStore>> Open(Database& db);

  absl::Status Append(const access::AuditEvent& event) override;
  absl::StatusOr<std::vector<access::AuditEvent>> List(
      const access::AuditQuery& query) const override;

 private:
  AuditStore(Database& db, std::uint64_t next_sequence) : db_(db), next_sequence_(next_sequence) {}

  Database& db_;
  std::mutex mu_;  // one append at a time: the stored next number only grows
  std::uint64_t next_sequence_;
};

}  // namespace wetlink::store

#endif  // WETLINK_STORE_AUDIT_STORE_H_
