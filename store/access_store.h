#ifndef WETLINK_STORE_ACCESS_STORE_H_
#define WETLINK_STORE_ACCESS_STORE_H_

// Tokens (by id, the secret's hash only) and study sharing records, in the
// tokens and study_sharing column families.

#include "access/access_storage.h"
#include "store/database.h"

namespace wetlink::store {

class AccessStore : public access::AccessStorage {
 public:
  explicit AccessStore(Database& db) : db_(db) {}

  absl::StatusOr<std::vector<access::TokenRecord>> LoadTokens() const override;
  absl::Status PutToken(const access::TokenRecord& token) override;
  absl::StatusOr<std::vector<access::StudySharing>> LoadSharing() const override;
  absl::Status PutSharing(const access::StudySharing& sharing) override;

 private:
  Database& db_;
};

}  // namespace wetlink::store

#endif  // WETLINK_STORE_ACCESS_STORE_H_
