#include "access/access_control.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace wetlink::access {
namespace {

bool IsStudyId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

absl::Status ValidateHolder(std::string_view field, std::string_view holder) {
  if (IsHolderName(holder)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(std::string(field), ": '", std::string(holder),
                   "' is not a holder name (1 to 128 of A-Z a-z 0-9 . _ @ -)"));
}

void SortUnique(std::vector<std::string>& names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
}

}  // namespace

bool IsHolderName(std::string_view holder) {
  if (holder.empty() || holder.size() > 128) return false;
  return std::all_of(holder.begin(), holder.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '@' || c == '-';
  });
}

absl::StatusOr<std::unique_ptr<AccessControl>> AccessControl::Open(AccessStorage& storage,
                                                                   Clock now) {
  std::unique_ptr<AccessControl> access(new AccessControl(storage, std::move(now)));
  absl::StatusOr<std::vector<TokenRecord>> tokens = storage.LoadTokens();
  if (!tokens.ok()) return tokens.status();
  absl::StatusOr<std::vector<StudySharing>> sharing = storage.LoadSharing();
  if (!sharing.ok()) return sharing.status();
  absl::MutexLock lock(&access->mu_);
  for (TokenRecord& token : *tokens) access->tokens_[token.id] = std::move(token);
  for (StudySharing& s : *sharing) access->sharing_[s.study_id] = std::move(s);
  return access;
}

absl::StatusOr<Principal> AccessControl::Authenticate(std::string_view token_text) const {
  if (token_text.empty()) {
    return absl::UnauthenticatedError("no access token: send 'authorization: Bearer <token>'");
  }
  std::optional<ParsedToken> parsed = ParseToken(token_text);
  if (!parsed) return absl::UnauthenticatedError("the access token is malformed");
  const SecretHash hash = HashSecret(parsed->secret);
  absl::MutexLock lock(&mu_);
  auto it = tokens_.find(parsed->id);
  // Unknown ids and wrong secrets get the same answer.
  if (it == tokens_.end() || !SameHash(it->second.secret_hash, hash)) {
    return absl::UnauthenticatedError("the access token is not valid");
  }
  const TokenRecord& token = it->second;
  const std::int64_t now = now_();
  if (token.revoked_ms && *token.revoked_ms <= now) {
    return absl::UnauthenticatedError(absl::StrCat("token ", token.id, " has been revoked"));
  }
  if (token.expires_ms && *token.expires_ms <= now) {
    return absl::UnauthenticatedError(absl::StrCat("token ", token.id, " has expired"));
  }
  return Principal{token.id, token.holder, token.role, token.studies};
}

absl::StatusOr<IssuedToken> AccessControl::Issue(const TokenSpec& spec,
                                                 const std::string& issued_by) {
  if (absl::Status st = ValidateHolder("holder", spec.holder); !st.ok()) return st;
  std::vector<std::string> studies = spec.studies;
  SortUnique(studies);
  if (spec.role == Role::kIngest && studies.empty()) {
    return absl::InvalidArgumentError("studies: an ingest token needs at least one study");
  }
  if (spec.role != Role::kIngest && !studies.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("studies: only ingest tokens are bound to studies; a ",
                     std::string(RoleName(spec.role)),
                     " reads the studies shared with its holder"));
  }
  for (const std::string& study : studies) {
    if (!IsStudyId(study)) {
      return absl::InvalidArgumentError(
          absl::StrCat("studies: '", study, "' is not a study id ([a-z0-9_-]{1,64})"));
    }
  }
  if (spec.note.size() > 1000) {
    return absl::InvalidArgumentError("note: longer than 1000 bytes");
  }
  const std::int64_t now = now_();
  if (spec.expires_ms && *spec.expires_ms <= now) {
    return absl::InvalidArgumentError("expires: must be in the future");
  }
  NewToken fresh = GenerateToken();
  IssuedToken issued;
  issued.record = TokenRecord{.id = fresh.id,
                              .holder = spec.holder,
                              .role = spec.role,
                              .studies = std::move(studies),
                              .secret_hash = fresh.secret_hash,
                              .created_ms = now,
                              .expires_ms = spec.expires_ms,
                              .revoked_ms = std::nullopt,
                              .created_by = issued_by,
                              .note = spec.note};
  issued.text = std::move(fresh.text);
  absl::MutexLock lock(&mu_);
  // 48 random bits of id: a collision is improbable, but must not overwrite.
  if (tokens_.count(issued.record.id) != 0) {
    return absl::AbortedError("token id collision; try again");
  }
  if (absl::Status st = storage_.PutToken(issued.record); !st.ok()) return st;
  tokens_[issued.record.id] = issued.record;
  return issued;
}

absl::StatusOr<TokenRecord> AccessControl::Revoke(const std::string& token_id) {
  absl::MutexLock lock(&mu_);
  auto it = tokens_.find(token_id);
  if (it == tokens_.end()) {
    return absl::NotFoundError(absl::StrCat("token '", token_id, "' not found"));
  }
  if (it->second.revoked_ms) return it->second;
  TokenRecord revoked = it->second;
  revoked.revoked_ms = now_();
  if (absl::Status st = storage_.PutToken(revoked); !st.ok()) return st;
  it->second = revoked;
  return revoked;
}

std::vector<TokenRecord> AccessControl::Tokens() const {
  std::vector<TokenRecord> out;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, token] : tokens_) out.push_back(token);
  }
  std::sort(out.begin(), out.end(), [](const TokenRecord& a, const TokenRecord& b) {
    return std::tie(a.holder, a.created_ms, a.id) < std::tie(b.holder, b.created_ms, b.id);
  });
  return out;
}

bool AccessControl::HasUsableAdminToken() const {
  const std::int64_t now = now_();
  absl::MutexLock lock(&mu_);
  return std::any_of(tokens_.begin(), tokens_.end(), [now](const auto& entry) {
    const TokenRecord& t = entry.second;
    return t.role == Role::kAdmin && !t.revoked_ms && (!t.expires_ms || *t.expires_ms > now);
  });
}

std::optional<StudySharing> AccessControl::SharingOf(const std::string& study_id) const {
  absl::MutexLock lock(&mu_);
  auto it = sharing_.find(study_id);
  if (it == sharing_.end()) return std::nullopt;
  return it->second;
}

StudyAccess AccessControl::ReadAccessTo(const Principal& who, const std::string& study_id) const {
  absl::MutexLock lock(&mu_);
  auto it = sharing_.find(study_id);
  return ReadAccess(who, it == sharing_.end() ? nullptr : &it->second, study_id);
}

absl::Status AccessControl::SetSharing(StudySharing sharing) {
  if (!sharing.owner.empty()) {
    if (absl::Status st = ValidateHolder("owner", sharing.owner); !st.ok()) return st;
  }
  for (const std::string& holder : sharing.collaborators) {
    if (absl::Status st = ValidateHolder("collaborators", holder); !st.ok()) return st;
  }
  SortUnique(sharing.collaborators);
  absl::MutexLock lock(&mu_);
  if (absl::Status st = storage_.PutSharing(sharing); !st.ok()) return st;
  sharing_[sharing.study_id] = std::move(sharing);
  return absl::OkStatus();
}

absl::Status AccessControl::ClaimStudy(const std::string& study_id, const std::string& owner) {
  absl::MutexLock lock(&mu_);
  if (sharing_.count(study_id) != 0) return absl::OkStatus();
  StudySharing sharing{.study_id = study_id, .owner = owner, .collaborators = {}, .is_public = false};
  if (absl::Status st = storage_.PutSharing(sharing); !st.ok()) return st;
  sharing_[study_id] = std::move(sharing);
  return absl::OkStatus();
}

}  // namespace wetlink::access
