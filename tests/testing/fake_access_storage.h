#ifndef WETLINK_TESTS_TESTING_FAKE_ACCESS_STORAGE_H_
#define WETLINK_TESTS_TESTING_FAKE_ACCESS_STORAGE_H_

// An in-memory access::AccessStorage whose every call can be made to fail,
// for tests of access::AccessControl and of what builds on it.

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "access/access_storage.h"

namespace wetlink::testing {

class FakeAccessStorage : public access::AccessStorage {
 public:
  absl::StatusOr<std::vector<access::TokenRecord>> LoadTokens() const override {
    if (!load_tokens_error.ok()) return load_tokens_error;
    std::vector<access::TokenRecord> out;
    for (const auto& [id, token] : tokens) out.push_back(token);
    return out;
  }
  absl::Status PutToken(const access::TokenRecord& token) override {
    ++put_token_calls;
    if (!put_token_error.ok()) return put_token_error;
    tokens[token.id] = token;
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<access::StudySharing>> LoadSharing() const override {
    if (!load_sharing_error.ok()) return load_sharing_error;
    std::vector<access::StudySharing> out;
    for (const auto& [id, s] : sharing) out.push_back(s);
    return out;
  }
  absl::Status PutSharing(const access::StudySharing& s) override {
    ++put_sharing_calls;
    if (!put_sharing_error.ok()) return put_sharing_error;
    sharing[s.study_id] = s;
    return absl::OkStatus();
  }

  std::map<std::string, access::TokenRecord> tokens;
  std::map<std::string, access::StudySharing> sharing;
  absl::Status load_tokens_error;
  absl::Status load_sharing_error;
  absl::Status put_token_error;
  absl::Status put_sharing_error;
  int put_token_calls = 0;
  int put_sharing_calls = 0;
};

}  // namespace wetlink::testing

#endif  // WETLINK_TESTS_TESTING_FAKE_ACCESS_STORAGE_H_
