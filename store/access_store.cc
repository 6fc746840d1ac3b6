#include "store/access_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "wetlink/store/v1/records.pb.h"

namespace wetlink::store {
namespace {

namespace pb = ::wetlink::store::v1;

std::string EncodeToken(const access::TokenRecord& t) {
  pb::TokenRecord r;
  r.set_id(t.id);
  r.set_holder(t.holder);
  r.set_role(std::string(access::RoleName(t.role)));
  for (const std::string& study : t.studies) r.add_studies(study);
  r.set_secret_sha256(std::string(t.secret_hash.begin(), t.secret_hash.end()));
  r.set_created_ms(t.created_ms);
  if (t.expires_ms) r.set_expires_ms(*t.expires_ms);
  if (t.revoked_ms) r.set_revoked_ms(*t.revoked_ms);
  r.set_created_by(t.created_by);
  r.set_note(t.note);
  return r.SerializeAsString();
}

absl::StatusOr<access::TokenRecord> DecodeToken(std::string_view key, std::string_view bytes) {
  pb::TokenRecord r;
  const bool parsed = r.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  std::optional<access::Role> role = parsed ? access::ParseRole(r.role()) : std::nullopt;
  if (!role || r.secret_sha256().size() != access::SecretHash().size() || r.id() != key) {
    return absl::DataLossError(absl::StrCat("stored token '", std::string(key), "' does not decode"));
  }
  access::TokenRecord t;
  t.id = r.id();
  t.holder = r.holder();
  t.role = *role;
  t.studies.assign(r.studies().begin(), r.studies().end());
  std::copy(r.secret_sha256().begin(), r.secret_sha256().end(), t.secret_hash.begin());
  t.created_ms = r.created_ms();
  if (r.has_expires_ms()) t.expires_ms = r.expires_ms();
  if (r.has_revoked_ms()) t.revoked_ms = r.revoked_ms();
  t.created_by = r.created_by();
  t.note = r.note();
  return t;
}

}  // namespace

absl::StatusOr<std::vector<access::TokenRecord>> AccessStore::LoadTokens() const {
  std::vector<access::TokenRecord> tokens;
  absl::Status decode_error;
  absl::Status st = db_.Scan(ColumnFamily::kTokens, "", [&](std::string_view key, std::string_view value) {
    absl::StatusOr<access::TokenRecord> token = DecodeToken(key, value);
    if (!token.ok()) {
      decode_error = token.status();
      return false;
    }
    tokens.push_back(*std::move(token));
    return true;
  });
  if (!st.ok()) return st;
  if (!decode_error.ok()) return decode_error;
  return tokens;
}

absl::Status AccessStore::PutToken(const access::TokenRecord& token) {
  WriteBatch batch;
  batch.Put(ColumnFamily::kTokens, token.id, EncodeToken(token));
  return db_.Write(batch);
}

absl::StatusOr<std::vector<access::StudySharing>> AccessStore::LoadSharing() const {
  std::vector<access::StudySharing> all;
  absl::Status decode_error;
  absl::Status st =
      db_.Scan(ColumnFamily::kStudySharing, "", [&](std::string_view key, std::string_view value) {
        pb::StudySharingRecord r;
        if (!r.ParseFromArray(value.data(), static_cast<int>(value.size())) || r.study_id() != key) {
          decode_error = absl::DataLossError(
              absl::StrCat("stored sharing of study '", std::string(key), "' does not decode"));
          return false;
        }
        all.push_back(access::StudySharing{
            .study_id = r.study_id(),
            .owner = r.owner(),
            .collaborators = {r.collaborators().begin(), r.collaborators().end()},
            .is_public = r.is_public()});
        return true;
      });
  if (!st.ok()) return st;
  if (!decode_error.ok()) return decode_error;
  return all;
}

absl::Status AccessStore::PutSharing(const access::StudySharing& sharing) {
  pb::StudySharingRecord r;
  r.set_study_id(sharing.study_id);
  r.set_owner(sharing.owner);
  for (const std::string& holder : sharing.collaborators) r.add_collaborators(holder);
  r.set_is_public(sharing.is_public);
  WriteBatch batch;
  batch.Put(ColumnFamily::kStudySharing, sharing.study_id, r.SerializeAsString());
  return db_.Write(batch);
}

}  // namespace wetlink::store
