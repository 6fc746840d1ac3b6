#include "access/token.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstdlib>

#include "absl/strings/escaping.h"

namespace wetlink::access {
namespace {

constexpr std::string_view kPrefix = "wlk_";
constexpr std::size_t kIdBytes = 6;
constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kSecretChars = 43;  // unpadded base64url of 32 bytes

template <std::size_t N>
std::array<unsigned char, N> RandomBytes() {
  std::array<unsigned char, N> bytes{};
  // Without randomness no token is safe to issue: stop rather than go on.
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) std::abort();
  return bytes;
}

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

bool IsTokenId(std::string_view id) {
  if (id.size() != 2 * kIdBytes) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

NewToken GenerateToken() {
  const auto id = RandomBytes<kIdBytes>();
  const auto secret = RandomBytes<kSecretBytes>();
  NewToken token;
  // Debian's Abseil has its own string_view type.
  token.id = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(id.data()), id.size()));
  std::string secret_text;
  absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(secret.data()), secret.size()), &secret_text);
  token.text = std::string(kPrefix) + token.id + "_" + secret_text;
  token.secret_hash = HashSecret(secret_text);
  return token;
}

std::optional<ParsedToken> ParseToken(std::string_view text) {
  if (text.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  text.remove_prefix(kPrefix.size());
  if (text.size() != 2 * kIdBytes + 1 + kSecretChars || text[2 * kIdBytes] != '_') {
    return std::nullopt;
  }
  ParsedToken parsed{std::string(text.substr(0, 2 * kIdBytes)),
                     std::string(text.substr(2 * kIdBytes + 1))};
  if (!IsTokenId(parsed.id)) return std::nullopt;
  for (char c : parsed.secret) {
    if (!IsBase64UrlChar(c)) return std::nullopt;
  }
  return parsed;
}

SecretHash HashSecret(std::string_view secret) {
  SecretHash hash{};
  SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), hash.data());
  return hash;
}

bool SameHash(const SecretHash& a, const SecretHash& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace wetlink::access
