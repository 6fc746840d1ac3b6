#ifndef WETLINK_ACCESS_ACCESS_STORAGE_H_
#define WETLINK_ACCESS_ACCESS_STORAGE_H_

// Where tokens and sharing records persist (store/access_store.h keeps them
// in RocksDB); an interface so the access rules are tested without a store.

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "access/principal.h"
#include "access/study_sharing.h"

namespace wetlink::access {

class AccessStorage {
 public:
  virtual ~AccessStorage() = default;
  virtual absl::StatusOr<std::vector<TokenRecord>> LoadTokens() const = 0;
  // Durable once it returns OK.
  virtual absl::Status PutToken(const TokenRecord& token) = 0;
  virtual absl::StatusOr<std::vector<StudySharing>> LoadSharing() const = 0;
  virtual absl::Status PutSharing(const StudySharing& sharing) = 0;
};

}  // namespace wetlink::access

#endif  // WETLINK_ACCESS_ACCESS_STORAGE_H_
