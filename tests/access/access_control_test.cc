#include "access/access_control.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "access/token.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_access_storage.h"

namespace wetlink::access {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

constexpr std::int64_t kT0 = 1'717'200'000'000;  // 2024-06-01T00:00:00Z
constexpr std::int64_t kDay = 86'400'000;

auto Fields(const TokenRecord& t) {
  return std::tie(t.id, t.holder, t.role, t.studies, t.secret_hash, t.created_ms, t.expires_ms,
                  t.revoked_ms, t.created_by, t.note);
}

auto Fields(const StudySharing& s) {
  return std::tie(s.study_id, s.owner, s.collaborators, s.is_public);
}

TokenSpec Researcher(const std::string& holder) {
  return TokenSpec{
      .holder = holder, .role = Role::kResearcher, .studies = {}, .expires_ms = {}, .note = ""};
}

TokenSpec Ingest(const std::string& holder, std::vector<std::string> studies) {
  return TokenSpec{.holder = holder,
                   .role = Role::kIngest,
                   .studies = std::move(studies),
                   .expires_ms = {},
                   .note = ""};
}

TokenSpec Admin(const std::string& holder = "admin") {
  return TokenSpec{
      .holder = holder, .role = Role::kAdmin, .studies = {}, .expires_ms = {}, .note = ""};
}

class AccessControlTest : public ::testing::Test {
 protected:
  void SetUp() override { access_ = OpenOver(storage_); }

  std::unique_ptr<AccessControl> OpenOver(testing::FakeAccessStorage& storage) {
    auto opened = AccessControl::Open(storage, [this] { return now_.load(); });
    EXPECT_TRUE(opened.ok()) << opened.status();
    return opened.ok() ? std::move(*opened) : nullptr;
  }

  IssuedToken MustIssue(const TokenSpec& spec, const std::string& by = "admin") {
    absl::StatusOr<IssuedToken> issued = access_->Issue(spec, by);
    EXPECT_TRUE(issued.ok()) << issued.status();
    return issued.ok() ? *std::move(issued) : IssuedToken{};
  }

  // Issue must refuse `spec` with InvalidArgument whose message starts with
  // `field` + ":", and store nothing.
  void ExpectInvalid(const TokenSpec& spec, const std::string& field,
                     const std::string& also = "") {
    const int calls = storage_.put_token_calls;
    absl::StatusOr<IssuedToken> issued = access_->Issue(spec, "admin");
    ASSERT_FALSE(issued.ok()) << "holder '" << spec.holder << "'";
    EXPECT_EQ(issued.status().code(), absl::StatusCode::kInvalidArgument) << issued.status();
    EXPECT_THAT(std::string(issued.status().message()), StartsWith(field + ":"));
    if (!also.empty()) {
      EXPECT_THAT(std::string(issued.status().message()), HasSubstr(also));
    }
    EXPECT_EQ(storage_.put_token_calls, calls);
    EXPECT_THAT(access_->Tokens(), IsEmpty());
  }

  std::atomic<std::int64_t> now_{kT0};
  testing::FakeAccessStorage storage_;
  std::unique_ptr<AccessControl> access_;
};

// --- Issue: validation -------------------------------------------------------

TEST_F(AccessControlTest, IssueRefusesBadHolderNamingTheField) {
  ExpectInvalid(Researcher(""), "holder");
  ExpectInvalid(Researcher("kim lee"), "holder", "'kim lee'");
  ExpectInvalid(Researcher("kim/lee"), "holder");
  ExpectInvalid(Researcher("kim:lee"), "holder");
  ExpectInvalid(Researcher("kim\nlee"), "holder");
  ExpectInvalid(Researcher("김"), "holder");
  ExpectInvalid(Researcher(std::string(129, 'a')), "holder");
}

TEST_F(AccessControlTest, IssueAcceptsEveryHolderCharacterAndTheLongestHolder) {
  EXPECT_TRUE(access_->Issue(Researcher("Kim.Seoul-NIE_2@example.org"), "admin").ok());
  EXPECT_TRUE(access_->Issue(Researcher(std::string(128, 'a')), "admin").ok());
  EXPECT_TRUE(access_->Issue(Researcher("a"), "admin").ok());
}

TEST_F(AccessControlTest, IssueRefusesIngestWithoutStudies) {
  ExpectInvalid(Ingest("uploader", {}), "studies");
}

TEST_F(AccessControlTest, IssueRefusesStudiesOnOtherRoles) {
  TokenSpec researcher = Researcher("kim");
  researcher.studies = {"izumi_2024"};
  ExpectInvalid(researcher, "studies", "researcher");
  TokenSpec admin = Admin();
  admin.studies = {"izumi_2024"};
  ExpectInvalid(admin, "studies", "admin");
  TokenSpec focal = Researcher("kim");
  focal.role = Role::kFocalPoint;
  focal.studies = {"izumi_2024"};
  ExpectInvalid(focal, "studies", "focal-point");
}

TEST_F(AccessControlTest, IssueRefusesBadStudyIdsNamingThem) {
  ExpectInvalid(Ingest("uploader", {"izumi_2024", "Izumi 2024"}), "studies", "'Izumi 2024'");
  ExpectInvalid(Ingest("uploader", {"IZUMI"}), "studies", "'IZUMI'");
  ExpectInvalid(Ingest("uploader", {""}), "studies");
  ExpectInvalid(Ingest("uploader", {"izumi.2024"}), "studies", "'izumi.2024'");
  ExpectInvalid(Ingest("uploader", {std::string(65, 'a')}), "studies");
  EXPECT_TRUE(access_->Issue(Ingest("uploader", {std::string(64, 'a'), "a-b_9"}), "admin").ok());
}

TEST_F(AccessControlTest, IssueRefusesLongNote) {
  TokenSpec spec = Researcher("kim");
  spec.note = std::string(1001, 'n');
  ExpectInvalid(spec, "note");
  spec.note = std::string(1000, 'n');
  EXPECT_TRUE(access_->Issue(spec, "admin").ok());
}

TEST_F(AccessControlTest, IssueRefusesExpiryNotInTheFuture) {
  TokenSpec spec = Researcher("kim");
  spec.expires_ms = kT0;
  ExpectInvalid(spec, "expires");
  spec.expires_ms = kT0 - kDay;
  ExpectInvalid(spec, "expires");
  spec.expires_ms = kT0 + 1;
  EXPECT_TRUE(access_->Issue(spec, "admin").ok());
}

// --- Issue: the record -------------------------------------------------------

TEST_F(AccessControlTest, IssueFillsTheRecordAndStoresIt) {
  TokenSpec spec = Ingest("uploader", {"poyang_2022", "izumi_2024", "poyang_2022"});
  spec.expires_ms = kT0 + 90 * kDay;
  spec.note = "Izumi tags";
  const IssuedToken issued = MustIssue(spec, "root-admin");

  const std::optional<ParsedToken> parsed = ParseToken(issued.text);
  ASSERT_TRUE(parsed.has_value()) << issued.text;
  const TokenRecord& r = issued.record;
  EXPECT_EQ(r.id, parsed->id);
  EXPECT_EQ(r.holder, "uploader");
  EXPECT_EQ(r.role, Role::kIngest);
  EXPECT_THAT(r.studies, ElementsAre("izumi_2024", "poyang_2022"));  // sorted, unique
  EXPECT_TRUE(SameHash(r.secret_hash, HashSecret(parsed->secret)));
  EXPECT_EQ(r.created_ms, kT0);
  EXPECT_EQ(r.expires_ms, kT0 + 90 * kDay);
  EXPECT_EQ(r.revoked_ms, std::nullopt);
  EXPECT_EQ(r.created_by, "root-admin");
  EXPECT_EQ(r.note, "Izumi tags");

  ASSERT_EQ(storage_.tokens.count(r.id), 1u);
  EXPECT_EQ(Fields(storage_.tokens.at(r.id)), Fields(r));
  ASSERT_EQ(access_->Tokens().size(), 1u);
  EXPECT_EQ(Fields(access_->Tokens()[0]), Fields(r));
}

TEST_F(AccessControlTest, StoredRecordHoldsNoSecret) {
  const IssuedToken issued = MustIssue(Researcher("kim"));
  const std::string secret = ParseToken(issued.text)->secret;
  const TokenRecord& stored = storage_.tokens.at(issued.record.id);
  for (const std::string* field : {&stored.id, &stored.holder, &stored.created_by, &stored.note}) {
    EXPECT_THAT(*field, Not(HasSubstr(secret)));
  }
  const std::string hash_bytes(stored.secret_hash.begin(), stored.secret_hash.end());
  EXPECT_THAT(hash_bytes, Not(HasSubstr(secret.substr(0, 8))));
}

TEST_F(AccessControlTest, IssuedTokensDiffer) {
  const IssuedToken a = MustIssue(Researcher("kim"));
  const IssuedToken b = MustIssue(Researcher("kim"));
  EXPECT_NE(a.record.id, b.record.id);
  EXPECT_NE(a.text, b.text);
  EXPECT_EQ(access_->Tokens().size(), 2u);
}

TEST_F(AccessControlTest, StorageFailureOnIssueLeavesNothingIssued) {
  storage_.put_token_error = absl::InternalError("disk full");
  absl::StatusOr<IssuedToken> issued = access_->Issue(Admin(), "wetlinkd");
  ASSERT_FALSE(issued.ok());
  EXPECT_EQ(issued.status(), absl::InternalError("disk full"));
  EXPECT_EQ(storage_.put_token_calls, 1);
  EXPECT_THAT(access_->Tokens(), IsEmpty());
  EXPECT_THAT(storage_.tokens, IsEmpty());
  EXPECT_FALSE(access_->HasUsableAdminToken());

  // Once storage works again, issuing works.
  storage_.put_token_error = absl::OkStatus();
  const IssuedToken ok = MustIssue(Admin(), "wetlinkd");
  EXPECT_TRUE(access_->Authenticate(ok.text).ok());
  EXPECT_EQ(access_->Tokens().size(), 1u);
}

// --- Authenticate ------------------------------------------------------------

TEST_F(AccessControlTest, AuthenticateIssuedTokenGivesItsPrincipal) {
  const IssuedToken issued = MustIssue(Ingest("uploader", {"poyang_2022", "izumi_2024"}));
  absl::StatusOr<Principal> who = access_->Authenticate(issued.text);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->token_id, issued.record.id);
  EXPECT_EQ(who->holder, "uploader");
  EXPECT_EQ(who->role, Role::kIngest);
  EXPECT_THAT(who->studies, ElementsAre("izumi_2024", "poyang_2022"));
  EXPECT_FALSE(who->is_admin());

  const IssuedToken admin = MustIssue(Admin("ops"));
  absl::StatusOr<Principal> admin_who = access_->Authenticate(admin.text);
  ASSERT_TRUE(admin_who.ok()) << admin_who.status();
  EXPECT_EQ(admin_who->holder, "ops");
  EXPECT_TRUE(admin_who->is_admin());
  EXPECT_THAT(admin_who->studies, IsEmpty());
}

TEST_F(AccessControlTest, UnknownIdAndWrongSecretGiveTheSameAnswer) {
  const IssuedToken issued = MustIssue(Researcher("kim"));
  const ParsedToken parsed = *ParseToken(issued.text);

  // A well-formed id nobody holds, with the right secret.
  std::string other_id = parsed.id;
  other_id[0] = other_id[0] == '0' ? '1' : '0';
  const std::string unknown = "wlk_" + other_id + "_" + parsed.secret;
  // The right id with a wrong secret.
  std::string other_secret = parsed.secret;
  other_secret[5] = other_secret[5] == 'A' ? 'B' : 'A';
  const std::string wrong = "wlk_" + parsed.id + "_" + other_secret;
  ASSERT_TRUE(ParseToken(unknown).has_value());
  ASSERT_TRUE(ParseToken(wrong).has_value());

  const absl::Status unknown_st = access_->Authenticate(unknown).status();
  const absl::Status wrong_st = access_->Authenticate(wrong).status();
  EXPECT_EQ(unknown_st.code(), absl::StatusCode::kUnauthenticated) << unknown_st;
  EXPECT_EQ(wrong_st.code(), absl::StatusCode::kUnauthenticated) << wrong_st;
  EXPECT_EQ(unknown_st.message(), wrong_st.message());
  // Neither names the id (which would confirm it exists).
  EXPECT_THAT(std::string(wrong_st.message()), Not(HasSubstr(parsed.id)));
}

TEST_F(AccessControlTest, MalformedAndEmptyTokensAreUnauthenticated) {
  const IssuedToken issued = MustIssue(Researcher("kim"));
  for (const std::string& text :
       {std::string("garbage"), "Bearer " + issued.text, issued.text + "\n", issued.text + "x",
        issued.text.substr(0, issued.text.size() - 1), std::string("wlk_")}) {
    const absl::Status st = access_->Authenticate(text).status();
    EXPECT_EQ(st.code(), absl::StatusCode::kUnauthenticated) << text << ": " << st;
    EXPECT_THAT(std::string(st.message()), HasSubstr("malformed")) << text;
  }
  const absl::Status empty = access_->Authenticate("").status();
  EXPECT_EQ(empty.code(), absl::StatusCode::kUnauthenticated) << empty;
  EXPECT_THAT(std::string(empty.message()), HasSubstr("Bearer"));
}

TEST_F(AccessControlTest, RevokedTokenIsRefused) {
  const IssuedToken issued = MustIssue(Researcher("kim"));
  now_ = kT0 + kDay;
  absl::StatusOr<TokenRecord> revoked = access_->Revoke(issued.record.id);
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(revoked->revoked_ms, kT0 + kDay);
  EXPECT_EQ(storage_.tokens.at(issued.record.id).revoked_ms, kT0 + kDay);

  const absl::Status st = access_->Authenticate(issued.text).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kUnauthenticated) << st;
  EXPECT_THAT(std::string(st.message()), HasSubstr("revoked"));
  now_ = kT0 + 100 * kDay;
  EXPECT_FALSE(access_->Authenticate(issued.text).ok());
}

TEST_F(AccessControlTest, ExpiredTokenIsRefusedFromItsExpiry) {
  TokenSpec spec = Researcher("kim");
  spec.expires_ms = kT0 + kDay;
  const IssuedToken issued = MustIssue(spec);
  now_ = kT0 + kDay - 1;
  EXPECT_TRUE(access_->Authenticate(issued.text).ok());
  now_ = kT0 + kDay;
  const absl::Status st = access_->Authenticate(issued.text).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kUnauthenticated) << st;
  EXPECT_THAT(std::string(st.message()), HasSubstr("expired"));
  now_ = kT0 + 10 * kDay;
  EXPECT_FALSE(access_->Authenticate(issued.text).ok());
}

TEST_F(AccessControlTest, OtherTokensOfTheHolderSurviveARevocation) {
  const IssuedToken first = MustIssue(Researcher("kim"));
  const IssuedToken second = MustIssue(Researcher("kim"));
  ASSERT_TRUE(access_->Revoke(first.record.id).ok());
  EXPECT_FALSE(access_->Authenticate(first.text).ok());
  EXPECT_TRUE(access_->Authenticate(second.text).ok());
}

// --- Revoke ------------------------------------------------------------------

TEST_F(AccessControlTest, RevokeIsIdempotent) {
  const IssuedToken issued = MustIssue(Researcher("kim"));
  now_ = kT0 + 1000;
  absl::StatusOr<TokenRecord> first = access_->Revoke(issued.record.id);
  ASSERT_TRUE(first.ok()) << first.status();
  const int calls = storage_.put_token_calls;
  now_ = kT0 + 5000;
  absl::StatusOr<TokenRecord> again = access_->Revoke(issued.record.id);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->revoked_ms, kT0 + 1000);  // the first revocation's time
  EXPECT_EQ(Fields(*again), Fields(*first));
  EXPECT_EQ(storage_.put_token_calls, calls);
  EXPECT_EQ(access_->Tokens().at(0).revoked_ms, kT0 + 1000);
}

TEST_F(AccessControlTest, RevokeUnknownIsNotFoundNamingTheId) {
  MustIssue(Researcher("kim"));
  const absl::Status st = access_->Revoke("0123456789ab").status();
  EXPECT_EQ(st.code(), absl::StatusCode::kNotFound) << st;
  EXPECT_THAT(std::string(st.message()), HasSubstr("0123456789ab"));
  EXPECT_EQ(access_->Revoke("").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(AccessControlTest, StorageFailureOnRevokeLeavesTheTokenUsable) {
  const IssuedToken issued = MustIssue(Researcher("kim"));
  storage_.put_token_error = absl::UnavailableError("disk gone");
  EXPECT_EQ(access_->Revoke(issued.record.id).status(), absl::UnavailableError("disk gone"));
  EXPECT_TRUE(access_->Authenticate(issued.text).ok());
  EXPECT_EQ(access_->Tokens().at(0).revoked_ms, std::nullopt);
  EXPECT_EQ(storage_.tokens.at(issued.record.id).revoked_ms, std::nullopt);
}

// --- Tokens ------------------------------------------------------------------

TEST_F(AccessControlTest, TokensAreListedByHolderThenCreation) {
  now_ = kT0 + 3;
  const IssuedToken zoe = MustIssue(Researcher("zoe"));
  now_ = kT0 + 2;
  const IssuedToken kim_late = MustIssue(Researcher("kim"));
  now_ = kT0 + 1;
  const IssuedToken kim_early = MustIssue(Researcher("kim"));
  const IssuedToken amy = MustIssue(Researcher("amy"));
  std::vector<std::string> ids;
  for (const TokenRecord& t : access_->Tokens()) ids.push_back(t.id);
  EXPECT_THAT(ids,
              ElementsAre(amy.record.id, kim_early.record.id, kim_late.record.id, zoe.record.id));
}

// --- Open --------------------------------------------------------------------

TEST_F(AccessControlTest, OpenReloadsTokensAndSharingFromStorage) {
  const IssuedToken kim = MustIssue(Researcher("kim"));
  TokenSpec expiring = Ingest("uploader", {"izumi_2024"});
  expiring.expires_ms = kT0 + kDay;
  const IssuedToken uploader = MustIssue(expiring);
  const IssuedToken revoked = MustIssue(Researcher("lee"));
  ASSERT_TRUE(access_->Revoke(revoked.record.id).ok());
  ASSERT_TRUE(access_
                  ->SetSharing(StudySharing{.study_id = "izumi_2024",
                                            .owner = "uploader",
                                            .collaborators = {"kim"},
                                            .is_public = true})
                  .ok());

  std::unique_ptr<AccessControl> reopened = OpenOver(storage_);
  ASSERT_NE(reopened, nullptr);
  const std::vector<TokenRecord> before = access_->Tokens();
  const std::vector<TokenRecord> after = reopened->Tokens();
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < before.size(); ++i) EXPECT_EQ(Fields(after[i]), Fields(before[i]));

  absl::StatusOr<Principal> who = reopened->Authenticate(kim.text);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->holder, "kim");
  EXPECT_TRUE(reopened->Authenticate(uploader.text).ok());
  EXPECT_THAT(std::string(reopened->Authenticate(revoked.text).status().message()),
              HasSubstr("revoked"));
  now_ = kT0 + kDay;
  EXPECT_THAT(std::string(reopened->Authenticate(uploader.text).status().message()),
              HasSubstr("expired"));

  const std::optional<StudySharing> sharing = reopened->SharingOf("izumi_2024");
  ASSERT_TRUE(sharing.has_value());
  EXPECT_EQ(Fields(*sharing), Fields(*access_->SharingOf("izumi_2024")));
  EXPECT_EQ(reopened->ReadAccessTo(*who, "izumi_2024"), StudyAccess::kFull);
}

TEST_F(AccessControlTest, OpenOverRecordsWrittenByAnotherProcess) {
  testing::FakeAccessStorage storage;
  const NewToken fresh = GenerateToken();
  storage.tokens[fresh.id] = TokenRecord{.id = fresh.id,
                                         .holder = "park",
                                         .role = Role::kFocalPoint,
                                         .studies = {},
                                         .secret_hash = fresh.secret_hash,
                                         .created_ms = kT0 - kDay,
                                         .expires_ms = std::nullopt,
                                         .revoked_ms = std::nullopt,
                                         .created_by = "admin",
                                         .note = ""};
  storage.sharing["poyang_2022"] = StudySharing{
      .study_id = "poyang_2022", .owner = "park", .collaborators = {}, .is_public = false};
  std::unique_ptr<AccessControl> access = OpenOver(storage);
  ASSERT_NE(access, nullptr);
  absl::StatusOr<Principal> who = access->Authenticate(fresh.text);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->role, Role::kFocalPoint);
  EXPECT_EQ(who->token_id, fresh.id);
  EXPECT_EQ(access->SharingOf("poyang_2022")->owner, "park");
  EXPECT_EQ(access->SharingOf("izumi_2024"), std::nullopt);
}

TEST_F(AccessControlTest, OpenPassesOnStorageErrors) {
  testing::FakeAccessStorage broken_tokens;
  broken_tokens.load_tokens_error = absl::DataLossError("stored token 'x' does not decode");
  EXPECT_EQ(AccessControl::Open(broken_tokens, [] { return kT0; }).status(),
            absl::DataLossError("stored token 'x' does not decode"));
  testing::FakeAccessStorage broken_sharing;
  broken_sharing.load_sharing_error = absl::InternalError("io");
  EXPECT_EQ(AccessControl::Open(broken_sharing, [] { return kT0; }).status(),
            absl::InternalError("io"));
}

// --- HasUsableAdminToken -----------------------------------------------------

TEST_F(AccessControlTest, HasUsableAdminTokenWithNone) {
  EXPECT_FALSE(access_->HasUsableAdminToken());
  MustIssue(Researcher("kim"));
  MustIssue(Ingest("uploader", {"izumi_2024"}));
  TokenSpec focal = Researcher("park");
  focal.role = Role::kFocalPoint;
  MustIssue(focal);
  EXPECT_FALSE(access_->HasUsableAdminToken());
}

TEST_F(AccessControlTest, HasUsableAdminTokenWithValidAdmin) {
  MustIssue(Admin());
  EXPECT_TRUE(access_->HasUsableAdminToken());
}

TEST_F(AccessControlTest, HasUsableAdminTokenWithRevokedAdmin) {
  const IssuedToken admin = MustIssue(Admin());
  ASSERT_TRUE(access_->Revoke(admin.record.id).ok());
  EXPECT_FALSE(access_->HasUsableAdminToken());
  MustIssue(Admin("second"));
  EXPECT_TRUE(access_->HasUsableAdminToken());
}

TEST_F(AccessControlTest, HasUsableAdminTokenWithExpiredAdmin) {
  TokenSpec spec = Admin();
  spec.expires_ms = kT0 + kDay;
  MustIssue(spec);
  now_ = kT0 + kDay - 1;
  EXPECT_TRUE(access_->HasUsableAdminToken());
  now_ = kT0 + kDay;
  EXPECT_FALSE(access_->HasUsableAdminToken());
}

// --- Sharing -----------------------------------------------------------------

TEST_F(AccessControlTest, SetSharingSortsAndDedupesCollaborators) {
  ASSERT_TRUE(access_
                  ->SetSharing(StudySharing{.study_id = "izumi_2024",
                                            .owner = "kim",
                                            .collaborators = {"zoe", "amy", "zoe", "lee", "amy"},
                                            .is_public = true})
                  .ok());
  const std::optional<StudySharing> sharing = access_->SharingOf("izumi_2024");
  ASSERT_TRUE(sharing.has_value());
  EXPECT_EQ(sharing->owner, "kim");
  EXPECT_THAT(sharing->collaborators, ElementsAre("amy", "lee", "zoe"));
  EXPECT_TRUE(sharing->is_public);
  EXPECT_THAT(storage_.sharing.at("izumi_2024").collaborators, ElementsAre("amy", "lee", "zoe"));
}

TEST_F(AccessControlTest, SetSharingReplacesTheWholeRecord) {
  ASSERT_TRUE(access_->SetSharing({"izumi_2024", "kim", {"lee"}, true}).ok());
  ASSERT_TRUE(access_->SetSharing({"izumi_2024", "kim", {}, false}).ok());
  EXPECT_EQ(Fields(*access_->SharingOf("izumi_2024")),
            Fields(StudySharing{"izumi_2024", "kim", {}, false}));
}

TEST_F(AccessControlTest, SetSharingValidatesHolders) {
  absl::Status owner = access_->SetSharing({"izumi_2024", "kim lee", {}, false});
  EXPECT_EQ(owner.code(), absl::StatusCode::kInvalidArgument) << owner;
  EXPECT_THAT(std::string(owner.message()), StartsWith("owner:"));
  EXPECT_THAT(std::string(owner.message()), HasSubstr("'kim lee'"));

  absl::Status collaborator =
      access_->SetSharing({"izumi_2024", "kim", {"lee", "bad/name"}, false});
  EXPECT_EQ(collaborator.code(), absl::StatusCode::kInvalidArgument) << collaborator;
  EXPECT_THAT(std::string(collaborator.message()), StartsWith("collaborators:"));
  EXPECT_THAT(std::string(collaborator.message()), HasSubstr("'bad/name'"));

  absl::Status empty = access_->SetSharing({"izumi_2024", "kim", {""}, false});
  EXPECT_EQ(empty.code(), absl::StatusCode::kInvalidArgument) << empty;

  EXPECT_EQ(access_->SharingOf("izumi_2024"), std::nullopt);
  EXPECT_EQ(storage_.put_sharing_calls, 0);
}

TEST_F(AccessControlTest, SetSharingAllowsNoOwner) {
  EXPECT_TRUE(access_->SetSharing({"izumi_2024", "", {"lee"}, false}).ok());
  EXPECT_EQ(access_->SharingOf("izumi_2024")->owner, "");
}

TEST_F(AccessControlTest, StorageFailureOnSetSharingChangesNothing) {
  ASSERT_TRUE(access_->SetSharing({"izumi_2024", "kim", {}, false}).ok());
  storage_.put_sharing_error = absl::InternalError("disk full");
  EXPECT_EQ(access_->SetSharing({"izumi_2024", "kim", {"lee"}, true}),
            absl::InternalError("disk full"));
  EXPECT_EQ(Fields(*access_->SharingOf("izumi_2024")),
            Fields(StudySharing{"izumi_2024", "kim", {}, false}));
}

TEST_F(AccessControlTest, ClaimStudySetsTheOwnerOnlyOnce) {
  ASSERT_TRUE(access_->ClaimStudy("izumi_2024", "uploader").ok());
  EXPECT_EQ(Fields(*access_->SharingOf("izumi_2024")),
            Fields(StudySharing{"izumi_2024", "uploader", {}, false}));
  EXPECT_EQ(Fields(storage_.sharing.at("izumi_2024")),
            Fields(StudySharing{"izumi_2024", "uploader", {}, false}));
  ASSERT_TRUE(access_->ClaimStudy("izumi_2024", "someone-else").ok());
  EXPECT_EQ(access_->SharingOf("izumi_2024")->owner, "uploader");
  EXPECT_EQ(storage_.put_sharing_calls, 1);
}

TEST_F(AccessControlTest, ClaimStudyDoesNotTouchAnExistingSharing) {
  ASSERT_TRUE(access_->SetSharing({"izumi_2024", "kim", {"lee"}, true}).ok());
  ASSERT_TRUE(access_->ClaimStudy("izumi_2024", "uploader").ok());
  EXPECT_EQ(Fields(*access_->SharingOf("izumi_2024")),
            Fields(StudySharing{"izumi_2024", "kim", {"lee"}, true}));
  // Even one without owner: a claim only creates.
  ASSERT_TRUE(access_->SetSharing({"poyang_2022", "", {}, false}).ok());
  ASSERT_TRUE(access_->ClaimStudy("poyang_2022", "uploader").ok());
  EXPECT_EQ(access_->SharingOf("poyang_2022")->owner, "");
}

TEST_F(AccessControlTest, ClaimStudyStorageFailureClaimsNothing) {
  storage_.put_sharing_error = absl::InternalError("disk full");
  EXPECT_EQ(access_->ClaimStudy("izumi_2024", "uploader"), absl::InternalError("disk full"));
  EXPECT_EQ(access_->SharingOf("izumi_2024"), std::nullopt);
  storage_.put_sharing_error = absl::OkStatus();
  ASSERT_TRUE(access_->ClaimStudy("izumi_2024", "later").ok());
  EXPECT_EQ(access_->SharingOf("izumi_2024")->owner, "later");
}

TEST_F(AccessControlTest, ReadAccessToUsesTheStoredSharing) {
  const Principal kim{"000000000001", "kim", Role::kResearcher, {}};
  const Principal lee{"000000000002", "lee", Role::kResearcher, {}};
  const Principal park{"000000000003", "park", Role::kResearcher, {}};
  const Principal focal{"000000000004", "kim", Role::kFocalPoint, {}};
  const Principal admin{"000000000005", "admin", Role::kAdmin, {}};
  const Principal uploader{"000000000006", "uploader", Role::kIngest, {"izumi_2024"}};

  // No record yet.
  EXPECT_EQ(access_->ReadAccessTo(kim, "izumi_2024"), StudyAccess::kNone);
  EXPECT_EQ(access_->ReadAccessTo(admin, "izumi_2024"), StudyAccess::kFull);
  EXPECT_EQ(access_->ReadAccessTo(uploader, "izumi_2024"), StudyAccess::kFull);

  ASSERT_TRUE(access_->ClaimStudy("izumi_2024", "kim").ok());
  EXPECT_EQ(access_->ReadAccessTo(kim, "izumi_2024"), StudyAccess::kFull);
  EXPECT_EQ(access_->ReadAccessTo(lee, "izumi_2024"), StudyAccess::kNone);
  EXPECT_EQ(access_->ReadAccessTo(park, "izumi_2024"), StudyAccess::kNone);

  ASSERT_TRUE(access_->SetSharing({"izumi_2024", "kim", {"lee"}, true}).ok());
  EXPECT_EQ(access_->ReadAccessTo(kim, "izumi_2024"), StudyAccess::kFull);
  EXPECT_EQ(access_->ReadAccessTo(lee, "izumi_2024"), StudyAccess::kFull);
  EXPECT_EQ(access_->ReadAccessTo(park, "izumi_2024"), StudyAccess::kGeneralised);
  EXPECT_EQ(access_->ReadAccessTo(focal, "izumi_2024"), StudyAccess::kNone);
  // Another study's record does not leak.
  EXPECT_EQ(access_->ReadAccessTo(park, "poyang_2022"), StudyAccess::kNone);

  ASSERT_TRUE(access_->SetSharing({"izumi_2024", "kim", {}, false}).ok());
  EXPECT_EQ(access_->ReadAccessTo(lee, "izumi_2024"), StudyAccess::kNone);
  EXPECT_EQ(access_->ReadAccessTo(park, "izumi_2024"), StudyAccess::kNone);
}

// --- Threads -----------------------------------------------------------------

TEST_F(AccessControlTest, ConcurrentIssueAuthenticateAndRevoke) {
  const IssuedToken stable = MustIssue(Researcher("stable"));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        absl::StatusOr<IssuedToken> issued =
            access_->Issue(Researcher("worker" + std::to_string(t)), "admin");
        if (!issued.ok() || !access_->Authenticate(issued->text).ok() ||
            !access_->Authenticate(stable.text).ok() || !access_->Revoke(issued->record.id).ok() ||
            access_->Authenticate(issued->text).ok()) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(access_->Tokens().size(), 201u);
  EXPECT_EQ(storage_.tokens.size(), 201u);
}

// --- IsHolderName ------------------------------------------------------------

TEST(IsHolderNameTest, Characters) {
  EXPECT_TRUE(IsHolderName("kim.seoul-nie"));
  EXPECT_TRUE(IsHolderName("A_Z@a.z-0.9"));
  EXPECT_FALSE(IsHolderName(""));
  EXPECT_FALSE(IsHolderName(" kim"));
  EXPECT_FALSE(IsHolderName("kim,lee"));
  EXPECT_FALSE(IsHolderName(std::string(129, 'x')));
  EXPECT_TRUE(IsHolderName(std::string(128, 'x')));
}

}  // namespace
}  // namespace wetlink::access
