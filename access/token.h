#ifndef WETLINK_ACCESS_TOKEN_H_
#define WETLINK_ACCESS_TOKEN_H_

// Bearer tokens: "wlk_<id>_<secret>", where the id (12 hex digits) names the
// token in lists, logs and the audit log, and the secret (43 base64url
// characters, 256 random bits) is shown once, at creation, and stored only
// as its SHA-256. A secret of 256 random bits needs no slow password hash:
// guessing it is infeasible however fast the hash.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wetlink::access {

using SecretHash = std::array<std::uint8_t, 32>;

struct ParsedToken {
  std::string id;
  std::string secret;
};

struct NewToken {
  std::string id;
  std::string text;  // the whole token, to hand to its holder
  SecretHash secret_hash;
};

// A token with fresh random id and secret (from the OS's CSPRNG).
NewToken GenerateToken();

// The id and secret of `text`, or nullopt when it is not a well-formed token.
std::optional<ParsedToken> ParseToken(std::string_view text);

SecretHash HashSecret(std::string_view secret);

// Compares in time independent of where the hashes differ.
bool SameHash(const SecretHash& a, const SecretHash& b);

// Well-formed token id (12 lowercase hex digits).
bool IsTokenId(std::string_view id);

}  // namespace wetlink::access

#endif  // WETLINK_ACCESS_TOKEN_H_
