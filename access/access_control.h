#ifndef WETLINK_ACCESS_ACCESS_CONTROL_H_
#define WETLINK_ACCESS_ACCESS_CONTROL_H_

// The tokens and the study sharing of one wetlinkd, held in memory over their
// storage: authenticates bearer tokens, issues and revokes them, and answers
// how a caller may read a study. Thread-safe.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "access/access_storage.h"
#include "access/principal.h"
#include "access/study_sharing.h"

namespace wetlink::access {

struct TokenSpec {
  std::string holder;                // [A-Za-z0-9._@-]{1,128}
  Role role = Role::kResearcher;
  std::vector<std::string> studies;  // ingest only, at least one
  std::optional<std::int64_t> expires_ms;
  std::string note;                  // at most 1000 bytes
};

struct IssuedToken {
  TokenRecord record;
  std::string text;  // the token itself: shown once, never stored
};

class AccessControl {
 public:
  using Clock = std::function<std::int64_t()>;

  // Loads every token and sharing record. `storage` must outlive this.
  static absl::StatusOr<std::unique_ptr<AccessControl>> Open(AccessStorage& storage, Clock now);

  // The principal of a token's text (without "Bearer "). Unauthenticated
  // when it is missing, malformed, unknown, wrong, revoked or expired; the
  // message tells which without revealing whether an unknown id exists.
  absl::StatusOr<Principal> Authenticate(std::string_view token_text) const;

  // InvalidArgument naming the field when `spec` is not valid.
  absl::StatusOr<IssuedToken> Issue(const TokenSpec& spec, const std::string& issued_by);
  // NotFound for an unknown id; a revoked token stays revoked (idempotent).
  absl::StatusOr<TokenRecord> Revoke(const std::string& token_id);
  std::vector<TokenRecord> Tokens() const;  // by holder, then creation
  bool HasUsableAdminToken() const;

  std::optional<StudySharing> SharingOf(const std::string& study_id) const;
  StudyAccess ReadAccessTo(const Principal& who, const std::string& study_id) const;
  // Replaces the sharing of a study; InvalidArgument naming a bad holder.
  absl::Status SetSharing(StudySharing sharing);
  // Makes `owner` the owner of a study that has no sharing record yet (the
  // holder whose token created it); no change otherwise.
  absl::Status ClaimStudy(const std::string& study_id, const std::string& owner);

 private:
  AccessControl(AccessStorage& storage, Clock now) : storage_(storage), now_(std::move(now)) {}

  AccessStorage& storage_;
  Clock now_;
  mutable absl::Mutex mu_;
  std::map<std::string, TokenRecord> tokens_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, StudySharing> sharing_ ABSL_GUARDED_BY(mu_);
};

// Whether `holder` is a well-formed holder name.
bool IsHolderName(std::string_view holder);

}  // namespace wetlink::access

#endif  // WETLINK_ACCESS_ACCESS_CONTROL_H_
