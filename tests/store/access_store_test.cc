#include "store/access_store.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "access/access_control.h"
#include "access/token.h"
#include "data/bundled_catalog.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/database.h"
#include "store/stores.h"
#include "tests/testing/temp_folder.h"
#include "wetlink/store/v1/records.pb.h"

namespace wetlink::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr std::int64_t kT0 = 1'717'200'000'000;  // 2024-06-01T00:00:00Z

auto Fields(const access::TokenRecord& t) {
  return std::tie(t.id, t.holder, t.role, t.studies, t.secret_hash, t.created_ms, t.expires_ms,
                  t.revoked_ms, t.created_by, t.note);
}

auto Fields(const access::StudySharing& s) {
  return std::tie(s.study_id, s.owner, s.collaborators, s.is_public);
}

// A token with every field set.
access::TokenRecord FullToken() {
  access::SecretHash hash{};
  for (std::size_t i = 0; i < hash.size(); ++i) hash[i] = static_cast<std::uint8_t>(255 - 7 * i);
  hash[3] = 0;  // a NUL byte inside the hash
  return access::TokenRecord{.id = "0123456789ab",
                             .holder = "uploader@kagoshima-u.ac.jp",
                             .role = access::Role::kIngest,
                             .studies = {"izumi_2024", "poyang_2022"},
                             .secret_hash = hash,
                             .created_ms = kT0,
                             .expires_ms = kT0 + 86'400'000,
                             .revoked_ms = kT0 + 3'600'000,
                             .created_by = "admin",
                             .note = "Izumi tags; UTF-8: 鶴"};
}

// A token with the optional fields absent and the lists empty.
access::TokenRecord BareToken(const std::string& id, access::Role role) {
  return access::TokenRecord{.id = id,
                             .holder = "kim",
                             .role = role,
                             .studies = {},
                             .secret_hash = access::HashSecret(id),
                             .created_ms = 0,
                             .expires_ms = std::nullopt,
                             .revoked_ms = std::nullopt,
                             .created_by = "",
                             .note = ""};
}

class AccessStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.sync_writes = false;  // a temp dir needs no fsync
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  void Reopen() {
    store_.reset();
    db_.reset();
    auto db = Database::Open(folder_.path(), options_);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    store_ = std::make_unique<AccessStore>(*db_);
  }

  void PutRaw(ColumnFamily family, const std::string& key, const std::string& value) {
    WriteBatch batch;
    batch.Put(family, key, value);
    ASSERT_TRUE(db_->Write(batch).ok());
  }

  std::vector<access::TokenRecord> Tokens() {
    auto tokens = store_->LoadTokens();
    EXPECT_TRUE(tokens.ok()) << tokens.status();
    return tokens.ok() ? *tokens : std::vector<access::TokenRecord>{};
  }

  std::vector<access::StudySharing> Sharing() {
    auto sharing = store_->LoadSharing();
    EXPECT_TRUE(sharing.ok()) << sharing.status();
    return sharing.ok() ? *sharing : std::vector<access::StudySharing>{};
  }

  testing::TempFolder folder_{"wetlink-access-store"};
  DatabaseOptions options_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<AccessStore> store_;
};

TEST_F(AccessStoreTest, EmptyFolderHasNoTokensOrSharing) {
  EXPECT_THAT(Tokens(), IsEmpty());
  EXPECT_THAT(Sharing(), IsEmpty());
}

TEST_F(AccessStoreTest, TokenWithEveryFieldRoundTrips) {
  const access::TokenRecord token = FullToken();
  ASSERT_TRUE(store_->PutToken(token).ok());
  std::vector<access::TokenRecord> loaded = Tokens();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(Fields(loaded[0]), Fields(token));

  Reopen();
  loaded = Tokens();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(Fields(loaded[0]), Fields(token));
}

TEST_F(AccessStoreTest, TokenWithoutOptionalFieldsRoundTrips) {
  const access::TokenRecord token = BareToken("aaaaaaaaaaaa", access::Role::kResearcher);
  ASSERT_TRUE(store_->PutToken(token).ok());
  Reopen();
  const std::vector<access::TokenRecord> loaded = Tokens();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(Fields(loaded[0]), Fields(token));
  EXPECT_FALSE(loaded[0].expires_ms.has_value());
  EXPECT_FALSE(loaded[0].revoked_ms.has_value());
}

TEST_F(AccessStoreTest, OptionalFieldsSetToZeroStayPresent) {
  // Present-but-zero is not absent: an expiry at the epoch is an expiry.
  access::TokenRecord token = BareToken("bbbbbbbbbbbb", access::Role::kAdmin);
  token.expires_ms = 0;
  token.revoked_ms = 0;
  ASSERT_TRUE(store_->PutToken(token).ok());
  Reopen();
  const std::vector<access::TokenRecord> loaded = Tokens();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].expires_ms, std::optional<std::int64_t>(0));
  EXPECT_EQ(loaded[0].revoked_ms, std::optional<std::int64_t>(0));
}

TEST_F(AccessStoreTest, NegativeTimesRoundTrip) {
  access::TokenRecord token = BareToken("cccccccccccc", access::Role::kFocalPoint);
  token.created_ms = -5;
  token.expires_ms = -1;
  ASSERT_TRUE(store_->PutToken(token).ok());
  const std::vector<access::TokenRecord> loaded = Tokens();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(Fields(loaded[0]), Fields(token));
}

TEST_F(AccessStoreTest, EveryRoleRoundTrips) {
  const std::vector<access::TokenRecord> tokens = {
      BareToken("000000000001", access::Role::kIngest),
      BareToken("000000000002", access::Role::kResearcher),
      BareToken("000000000003", access::Role::kFocalPoint),
      BareToken("000000000004", access::Role::kAdmin),
  };
  for (const access::TokenRecord& t : tokens) ASSERT_TRUE(store_->PutToken(t).ok());
  Reopen();
  const std::vector<access::TokenRecord> loaded = Tokens();
  ASSERT_EQ(loaded.size(), tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    EXPECT_EQ(Fields(loaded[i]), Fields(tokens[i])) << i;  // key order = id order
  }
}

TEST_F(AccessStoreTest, PutTokenReplacesTheRecordOfItsId) {
  access::TokenRecord token = FullToken();
  token.revoked_ms = std::nullopt;
  ASSERT_TRUE(store_->PutToken(token).ok());
  token.revoked_ms = kT0 + 42;
  token.note = "revoked";
  ASSERT_TRUE(store_->PutToken(token).ok());
  Reopen();
  const std::vector<access::TokenRecord> loaded = Tokens();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(Fields(loaded[0]), Fields(token));
}

TEST_F(AccessStoreTest, SharingRoundTrips) {
  const access::StudySharing open{
      .study_id = "izumi_2024", .owner = "kim", .collaborators = {"amy", "lee"}, .is_public = true};
  const access::StudySharing closed{
      .study_id = "arasaki_2023", .owner = "", .collaborators = {}, .is_public = false};
  ASSERT_TRUE(store_->PutSharing(open).ok());
  ASSERT_TRUE(store_->PutSharing(closed).ok());
  Reopen();
  const std::vector<access::StudySharing> loaded = Sharing();
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(Fields(loaded[0]), Fields(closed));  // key order
  EXPECT_EQ(Fields(loaded[1]), Fields(open));
}

TEST_F(AccessStoreTest, PutSharingReplacesTheRecordOfItsStudy) {
  ASSERT_TRUE(store_->PutSharing({"izumi_2024", "kim", {"lee"}, true}).ok());
  ASSERT_TRUE(store_->PutSharing({"izumi_2024", "kim", {}, false}).ok());
  const std::vector<access::StudySharing> loaded = Sharing();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(Fields(loaded[0]), Fields(access::StudySharing{"izumi_2024", "kim", {}, false}));
}

TEST_F(AccessStoreTest, TokensAndSharingLiveInTheirOwnColumnFamilies) {
  ASSERT_TRUE(store_->PutToken(FullToken()).ok());
  ASSERT_TRUE(store_->PutSharing({"izumi_2024", "kim", {}, false}).ok());
  EXPECT_TRUE(db_->Get(ColumnFamily::kTokens, "0123456789ab").ok());
  EXPECT_TRUE(db_->Get(ColumnFamily::kStudySharing, "izumi_2024").ok());
  EXPECT_EQ(db_->Get(ColumnFamily::kStudies, "izumi_2024").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(AccessStoreTest, StoredTokenHoldsOnlyTheHash) {
  const access::NewToken fresh = access::GenerateToken();
  access::TokenRecord token = BareToken(fresh.id, access::Role::kAdmin);
  token.secret_hash = fresh.secret_hash;
  ASSERT_TRUE(store_->PutToken(token).ok());
  auto stored = db_->Get(ColumnFamily::kTokens, fresh.id);
  ASSERT_TRUE(stored.ok()) << stored.status();
  const std::string secret = fresh.text.substr(17);
  EXPECT_EQ(stored->find(secret), std::string::npos);
  EXPECT_EQ(stored->find(fresh.text), std::string::npos);
}

TEST_F(AccessStoreTest, AccessControlOverTheStoreSurvivesAReopen) {
  std::string text;
  {
    auto access = access::AccessControl::Open(*store_, [] { return kT0; });
    ASSERT_TRUE(access.ok()) << access.status();
    auto issued = (*access)->Issue(access::TokenSpec{.holder = "kim",
                                                     .role = access::Role::kResearcher,
                                                     .studies = {},
                                                     .expires_ms = std::nullopt,
                                                     .note = ""},
                                   "admin");
    ASSERT_TRUE(issued.ok()) << issued.status();
    text = issued->text;
    ASSERT_TRUE((*access)->SetSharing({"izumi_2024", "kim", {"lee"}, true}).ok());
  }
  Reopen();
  auto access = access::AccessControl::Open(*store_, [] { return kT0 + 1; });
  ASSERT_TRUE(access.ok()) << access.status();
  auto who = (*access)->Authenticate(text);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->holder, "kim");
  EXPECT_EQ((*access)->ReadAccessTo(*who, "izumi_2024"), access::StudyAccess::kFull);
}

// --- Corruption --------------------------------------------------------------

TEST_F(AccessStoreTest, UndecodableTokenIsDataLossNamingTheKey) {
  ASSERT_TRUE(store_->PutToken(BareToken("000000000001", access::Role::kAdmin)).ok());
  PutRaw(ColumnFamily::kTokens, "0123456789ab", std::string("\x0a\xff\xff", 3));
  const absl::Status st = store_->LoadTokens().status();
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << st;
  EXPECT_THAT(std::string(st.message()), HasSubstr("'0123456789ab'"));
}

TEST_F(AccessStoreTest, TokenWithUnknownRoleIsDataLoss) {
  v1::TokenRecord r;
  r.set_id("0123456789ab");
  r.set_role("superuser");
  r.set_secret_sha256(std::string(32, 'x'));
  PutRaw(ColumnFamily::kTokens, "0123456789ab", r.SerializeAsString());
  const absl::Status st = store_->LoadTokens().status();
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << st;
  EXPECT_THAT(std::string(st.message()), HasSubstr("'0123456789ab'"));
}

TEST_F(AccessStoreTest, TokenWithShortHashIsDataLoss) {
  v1::TokenRecord r;
  r.set_id("0123456789ab");
  r.set_role("admin");
  r.set_secret_sha256(std::string(31, 'x'));
  PutRaw(ColumnFamily::kTokens, "0123456789ab", r.SerializeAsString());
  const absl::Status st = store_->LoadTokens().status();
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << st;
  EXPECT_THAT(std::string(st.message()), HasSubstr("'0123456789ab'"));
}

TEST_F(AccessStoreTest, TokenUnderAnotherKeyIsDataLoss) {
  v1::TokenRecord r;
  r.set_id("0123456789ab");
  r.set_role("admin");
  r.set_secret_sha256(std::string(32, 'x'));
  PutRaw(ColumnFamily::kTokens, "ba9876543210", r.SerializeAsString());
  const absl::Status st = store_->LoadTokens().status();
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << st;
  EXPECT_THAT(std::string(st.message()), HasSubstr("'ba9876543210'"));
}

TEST_F(AccessStoreTest, UndecodableSharingIsDataLossNamingTheStudy) {
  PutRaw(ColumnFamily::kStudySharing, "izumi_2024", std::string("\x12\xff\xff", 3));
  const absl::Status st = store_->LoadSharing().status();
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << st;
  EXPECT_THAT(std::string(st.message()), HasSubstr("'izumi_2024'"));
}

TEST_F(AccessStoreTest, CorruptTokenMakesAccessControlOpenFail) {
  PutRaw(ColumnFamily::kTokens, "0123456789ab", std::string("\x0a\xff\xff", 3));
  auto access = access::AccessControl::Open(*store_, [] { return kT0; });
  EXPECT_EQ(access.status().code(), absl::StatusCode::kDataLoss) << access.status();
}

// --- OpenStores ----------------------------------------------------------------

TEST(AccessStoreOpenStoresTest, OpenStoresOpensTheAccessAndAuditStores) {
  testing::TempFolder folder("wetlink-open-stores");
  DatabaseOptions options;
  options.sync_writes = false;
  {
    auto stores = OpenStores(folder.path(), options, data::BundledCatalogFiles());
    ASSERT_TRUE(stores.ok()) << stores.status();
    ASSERT_NE((*stores)->access, nullptr);
    ASSERT_NE((*stores)->audit, nullptr);
    ASSERT_TRUE((*stores)->access->PutToken(FullToken()).ok());
    ASSERT_TRUE((*stores)->access->PutSharing({"izumi_2024", "kim", {"lee"}, true}).ok());
    ASSERT_TRUE((*stores)->Close().ok());
  }
  auto stores = OpenStores(folder.path(), options, data::BundledCatalogFiles());
  ASSERT_TRUE(stores.ok()) << stores.status();
  auto tokens = (*stores)->access->LoadTokens();
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ(Fields((*tokens)[0]), Fields(FullToken()));
  auto sharing = (*stores)->access->LoadSharing();
  ASSERT_TRUE(sharing.ok()) << sharing.status();
  ASSERT_EQ(sharing->size(), 1u);
  EXPECT_THAT((*sharing)[0].collaborators, ElementsAre("lee"));
}

}  // namespace
}  // namespace wetlink::store
