#include "access/token.h"

#include <cstddef>
#include <set>
#include <string>
#include <string_view>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace wetlink::access {
namespace {

constexpr std::string_view kId = "0123456789ab";
// 43 base64url characters, using both '-' and '_'.
constexpr std::string_view kSecret = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";

std::string Hex(const SecretHash& hash) {
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

std::string Token(std::string_view id, std::string_view secret) {
  return "wlk_" + std::string(id) + "_" + std::string(secret);
}

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool IsBase64Url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

TEST(TokenTest, TestConstantsHaveTheDocumentedLengths) {
  ASSERT_EQ(kId.size(), 12u);
  ASSERT_EQ(kSecret.size(), 43u);
}

TEST(TokenTest, GeneratedTokenParsesBackToItsIdAndSecret) {
  const NewToken token = GenerateToken();
  const std::optional<ParsedToken> parsed = ParseToken(token.text);
  ASSERT_TRUE(parsed.has_value()) << token.text;
  EXPECT_EQ(parsed->id, token.id);
  EXPECT_EQ(token.text, Token(parsed->id, parsed->secret));
  EXPECT_TRUE(SameHash(token.secret_hash, HashSecret(parsed->secret)));
}

TEST(TokenTest, GeneratedTokenHasTheDocumentedShape) {
  for (int i = 0; i < 100; ++i) {
    const NewToken token = GenerateToken();
    SCOPED_TRACE(token.text);
    ASSERT_EQ(token.text.size(), 4u + 12u + 1u + 43u);
    EXPECT_EQ(token.text.substr(0, 4), "wlk_");
    EXPECT_EQ(token.text.substr(4, 12), token.id);
    EXPECT_EQ(token.text[16], '_');
    EXPECT_TRUE(IsTokenId(token.id));
    for (char c : token.id) EXPECT_TRUE(IsLowerHex(c)) << c;
    const std::string secret = token.text.substr(17);
    for (char c : secret) EXPECT_TRUE(IsBase64Url(c)) << c;
    // The secret is the unpadded base64url of 32 bytes.
    std::string bytes;
    ASSERT_TRUE(absl::WebSafeBase64Unescape(secret, &bytes));
    EXPECT_EQ(bytes.size(), 32u);
  }
}

TEST(TokenTest, GeneratedTokensAreUniqueOverManyDraws) {
  constexpr int kDraws = 5000;
  std::set<std::string> ids;
  std::set<std::string> texts;
  std::set<std::string> hashes;
  for (int i = 0; i < kDraws; ++i) {
    const NewToken token = GenerateToken();
    ids.insert(token.id);
    texts.insert(token.text.substr(17));
    hashes.insert(Hex(token.secret_hash));
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kDraws));
  EXPECT_EQ(texts.size(), static_cast<std::size_t>(kDraws));
  EXPECT_EQ(hashes.size(), static_cast<std::size_t>(kDraws));
}

TEST(TokenTest, GeneratedIdsAndSecretsUseEveryCharacterPosition) {
  // 200 random draws leave no position of the id stuck at one digit (a
  // constant or truncated random source would): each varies.
  std::set<char> seen_per_position[12];
  std::set<char> seen_secret_first;
  for (int i = 0; i < 200; ++i) {
    const NewToken token = GenerateToken();
    for (std::size_t p = 0; p < 12; ++p) seen_per_position[p].insert(token.id[p]);
    seen_secret_first.insert(token.text[17]);
  }
  for (const auto& seen : seen_per_position) EXPECT_GT(seen.size(), 4u);
  EXPECT_GT(seen_secret_first.size(), 10u);
}

TEST(TokenTest, ParseAcceptsAWellFormedToken) {
  const std::optional<ParsedToken> parsed = ParseToken(Token(kId, kSecret));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->id, kId);
  EXPECT_EQ(parsed->secret, kSecret);
}

TEST(TokenTest, ParseAcceptsASecretMadeOfSeparatorCharacters) {
  const std::string secret(43, '_');
  const std::optional<ParsedToken> parsed = ParseToken(Token(kId, secret));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->id, kId);
  EXPECT_EQ(parsed->secret, secret);
}

TEST(TokenTest, ParseRejectsMissingOrWrongPrefix) {
  const std::string rest = std::string(kId) + "_" + std::string(kSecret);
  EXPECT_FALSE(ParseToken(""));
  EXPECT_FALSE(ParseToken("wlk_"));
  EXPECT_FALSE(ParseToken("wlk"));
  EXPECT_FALSE(ParseToken(rest));
  EXPECT_FALSE(ParseToken("WLK_" + rest));
  EXPECT_FALSE(ParseToken("wlx_" + rest));
  EXPECT_FALSE(ParseToken("wlk-" + rest));
  EXPECT_FALSE(ParseToken("xwlk_" + rest));
  EXPECT_FALSE(ParseToken("Bearer wlk_" + rest));
  EXPECT_FALSE(ParseToken(" wlk_" + rest));
}

TEST(TokenTest, ParseRejectsWrongLengths) {
  // Id one short or long (total length changes).
  EXPECT_FALSE(ParseToken(Token(kId.substr(0, 11), kSecret)));
  EXPECT_FALSE(ParseToken(Token(std::string(kId) + "c", kSecret)));
  // Secret one short or long.
  EXPECT_FALSE(ParseToken(Token(kId, kSecret.substr(0, 42))));
  EXPECT_FALSE(ParseToken(Token(kId, std::string(kSecret) + "A")));
  // Padded base64.
  EXPECT_FALSE(ParseToken(Token(kId, std::string(kSecret) + "=")));
  // Trailing newline, as a token file holds it.
  EXPECT_FALSE(ParseToken(Token(kId, kSecret) + "\n"));
  EXPECT_FALSE(ParseToken(Token(kId, kSecret) + " "));
  // Empty id or secret.
  EXPECT_FALSE(ParseToken(Token("", kSecret)));
  EXPECT_FALSE(ParseToken(Token(kId, "")));
}

TEST(TokenTest, ParseRejectsTheSeparatorInTheWrongPlace) {
  // Same total length, separator one place early or late.
  EXPECT_FALSE(ParseToken("wlk_" + std::string(kId.substr(0, 11)) + "_A" + std::string(kSecret)));
  EXPECT_FALSE(ParseToken("wlk_" + std::string(kId) + "a_" + std::string(kSecret.substr(1))));
  // Other separators.
  for (char sep : {'-', '.', ':', ' ', '\0'}) {
    std::string text = Token(kId, kSecret);
    text[16] = sep;
    EXPECT_FALSE(ParseToken(text)) << "separator " << static_cast<int>(sep);
  }
}

TEST(TokenTest, ParseRejectsBadCharactersInTheSecret) {
  for (char bad : {'+', '/', '=', ' ', '.', '~', '\n', '\0', '\x80', '\xff'}) {
    for (std::size_t at : {std::size_t{0}, std::size_t{20}, std::size_t{42}}) {
      std::string secret(kSecret);
      secret[at] = bad;
      EXPECT_FALSE(ParseToken(Token(kId, secret)))
          << "character " << static_cast<int>(static_cast<unsigned char>(bad)) << " at " << at;
    }
  }
}

TEST(TokenTest, ParseRejectsBadCharactersInTheId) {
  for (char bad : {'A', 'B', 'C', 'D', 'E', 'F', 'g', 'z', 'G', '-', '_', ' ', '\0'}) {
    for (std::size_t at : {std::size_t{0}, std::size_t{5}, std::size_t{11}}) {
      std::string id(kId);
      id[at] = bad;
      EXPECT_FALSE(ParseToken(Token(id, kSecret)))
          << "character " << static_cast<int>(bad) << " at " << at;
    }
  }
}

TEST(TokenTest, ParseRejectsAnUppercaseHexId) {
  EXPECT_FALSE(ParseToken(Token("0123456789AB", kSecret)));
  EXPECT_FALSE(ParseToken(Token("ABCDEF012345", kSecret)));
  EXPECT_TRUE(ParseToken(Token("abcdef012345", kSecret)));
}

TEST(TokenTest, IsTokenId) {
  EXPECT_TRUE(IsTokenId("0123456789ab"));
  EXPECT_TRUE(IsTokenId("ffffffffffff"));
  EXPECT_TRUE(IsTokenId("000000000000"));
  EXPECT_FALSE(IsTokenId(""));
  EXPECT_FALSE(IsTokenId("0123456789a"));
  EXPECT_FALSE(IsTokenId("0123456789abc"));
  EXPECT_FALSE(IsTokenId("0123456789AB"));
  EXPECT_FALSE(IsTokenId("0123456789ag"));
  EXPECT_FALSE(IsTokenId("01234567-9ab"));
  EXPECT_FALSE(IsTokenId(std::string_view("0123456789a\0", 12)));
}

TEST(TokenTest, HashSecretIsSha256) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(Hex(HashSecret("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(HashSecret("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(HashSecret("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(TokenTest, HashSecretHashesEveryByteIncludingNul) {
  EXPECT_NE(Hex(HashSecret(std::string_view("a\0b", 3))), Hex(HashSecret("a")));
  EXPECT_NE(Hex(HashSecret(std::string_view("a\0b", 3))),
            Hex(HashSecret(std::string_view("a\0c", 3))));
}

TEST(TokenTest, GeneratedHashIsTheHashOfTheSecretText) {
  const NewToken token = GenerateToken();
  EXPECT_EQ(Hex(token.secret_hash), Hex(HashSecret(token.text.substr(17))));
}

TEST(TokenTest, SameHash) {
  const SecretHash a = HashSecret("abc");
  EXPECT_TRUE(SameHash(a, a));
  EXPECT_TRUE(SameHash(a, HashSecret("abc")));
  EXPECT_FALSE(SameHash(a, HashSecret("abd")));
  SecretHash first = a;
  first[0] ^= 1;
  EXPECT_FALSE(SameHash(a, first));
  SecretHash last = a;
  last[31] ^= 0x80;
  EXPECT_FALSE(SameHash(a, last));
  EXPECT_TRUE(SameHash(SecretHash{}, SecretHash{}));
  EXPECT_FALSE(SameHash(SecretHash{}, a));
}

}  // namespace
}  // namespace wetlink::access
