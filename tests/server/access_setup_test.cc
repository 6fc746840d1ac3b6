#include "server/access_setup.h"

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "access/access_control.h"
#include "catalog/catalog.h"
#include "catalog/catalog_json.h"
#include "data/bundled_catalog.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_access_storage.h"
#include "tests/testing/temp_folder.h"

namespace wetlink::server {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr std::int64_t kT0 = 1'717'200'000'000;  // 2024-06-01T00:00:00Z
constexpr std::int64_t kDay = 86'400'000;

catalog::Species SpeciesOf(const std::string& id, const std::string& code,
                           const std::string& scientific_name, const std::string& iucn) {
  catalog::Species s;
  s.id = id;
  s.code = code;
  s.scientific_name = scientific_name;
  s.iucn_category = iucn;
  return s;
}

// One species of each IUCN category that matters, and one without.
catalog::Catalog SmallCatalog() {
  return catalog::Catalog(
      {}, {},
      {
          SpeciesOf("numenius_madagascariensis", "FEC", "Numenius madagascariensis", "EN"),
          SpeciesOf("calidris_pygmaea", "SBS", "Calidris pygmaea", "CR"),
          SpeciesOf("grus_monacha", "HC", "Grus monacha", "VU"),
          SpeciesOf("anser_cygnoides", "SG", "Anser cygnoides", "NT"),
          SpeciesOf("anas_crecca", "TEAL", "Anas crecca", "LC"),
          SpeciesOf("mystery_bird", "MB", "Avis incognita", "DD"),
          SpeciesOf("unassessed", "UN", "Avis nova", ""),
          SpeciesOf("lower_case", "LC1", "Avis minor", "vu"),
      });
}

// --- LocationPrivacyOf -------------------------------------------------------

TEST(LocationPrivacyOfTest, UnsetTakesTheThreatenedSpeciesOfTheCatalog) {
  const Config config;
  ASSERT_FALSE(config.sensitive_species.has_value());
  auto privacy = LocationPrivacyOf(config, SmallCatalog());
  ASSERT_TRUE(privacy.ok()) << privacy.status();
  EXPECT_THAT(privacy->sensitive_species, UnorderedElementsAre("numenius_madagascariensis",
                                                               "calidris_pygmaea", "grus_monacha"));
}

TEST(LocationPrivacyOfTest, UnsetWithTheBundledCatalog) {
  auto data = catalog::ParseCatalog(data::BundledCatalogFiles());
  ASSERT_TRUE(data.ok()) << data.status();
  std::set<std::string> threatened;
  for (const catalog::Species& s : data->species) {
    if (s.iucn_category == "CR" || s.iucn_category == "EN" || s.iucn_category == "VU") {
      threatened.insert(s.id);
    }
  }
  const catalog::Catalog catalog(data->sites, data->complexes, data->species);
  auto privacy = LocationPrivacyOf(Config{}, catalog);
  ASSERT_TRUE(privacy.ok()) << privacy.status();
  EXPECT_EQ(privacy->sensitive_species, threatened);
  // The hooded crane (VU) is among them.
  EXPECT_TRUE(privacy->IsSensitive("grus_monacha"));
}

TEST(LocationPrivacyOfTest, GridAndEmbargoComeFromTheConfig) {
  Config config;
  config.privacy_grid_deg = 0.5;
  config.privacy_embargo_days = 7;
  auto privacy = LocationPrivacyOf(config, SmallCatalog());
  ASSERT_TRUE(privacy.ok()) << privacy.status();
  EXPECT_DOUBLE_EQ(privacy->grid_deg, 0.5);
  EXPECT_EQ(privacy->embargo_ms, 7 * kDay);

  config.privacy_embargo_days = 3650;  // the largest allowed: no int overflow
  privacy = LocationPrivacyOf(config, SmallCatalog());
  ASSERT_TRUE(privacy.ok()) << privacy.status();
  EXPECT_EQ(privacy->embargo_ms, 3650 * kDay);

  config.privacy_embargo_days = 0;
  privacy = LocationPrivacyOf(config, SmallCatalog());
  ASSERT_TRUE(privacy.ok()) << privacy.status();
  EXPECT_EQ(privacy->embargo_ms, 0);
}

TEST(LocationPrivacyOfTest, DefaultsMatchLocationPrivacyDefaults) {
  auto privacy = LocationPrivacyOf(Config{}, SmallCatalog());
  ASSERT_TRUE(privacy.ok()) << privacy.status();
  const access::LocationPrivacy defaults;
  EXPECT_DOUBLE_EQ(privacy->grid_deg, defaults.grid_deg);
  EXPECT_EQ(privacy->embargo_ms, defaults.embargo_ms);
}

TEST(LocationPrivacyOfTest, ConfiguredSpeciesResolveIdsCodesAndScientificNames) {
  Config config;
  config.sensitive_species = std::vector<std::string>{"anas_crecca", "HC", "sg", "Calidris pygmaea",
                                                      "numenius MADAGASCARIENSIS"};
  auto privacy = LocationPrivacyOf(config, SmallCatalog());
  ASSERT_TRUE(privacy.ok()) << privacy.status();
  // Exactly the configured ones: the IUCN list is not added.
  EXPECT_THAT(privacy->sensitive_species,
              UnorderedElementsAre("anas_crecca", "grus_monacha", "anser_cygnoides",
                                   "calidris_pygmaea", "numenius_madagascariensis"));
}

TEST(LocationPrivacyOfTest, ConfiguredDuplicatesCollapse) {
  Config config;
  config.sensitive_species = std::vector<std::string>{"HC", "grus_monacha", "Grus monacha"};
  auto privacy = LocationPrivacyOf(config, SmallCatalog());
  ASSERT_TRUE(privacy.ok()) << privacy.status();
  EXPECT_THAT(privacy->sensitive_species, UnorderedElementsAre("grus_monacha"));
}

TEST(LocationPrivacyOfTest, ConfiguredEmptyListGeneralisesNothing) {
  Config config;
  config.sensitive_species = std::vector<std::string>{};
  auto privacy = LocationPrivacyOf(config, SmallCatalog());
  ASSERT_TRUE(privacy.ok()) << privacy.status();
  EXPECT_THAT(privacy->sensitive_species, IsEmpty());
}

TEST(LocationPrivacyOfTest, UnknownNameIsRefusedNamingIt) {
  Config config;
  config.sensitive_species = std::vector<std::string>{"HC", "Grus nonexistens"};
  auto privacy = LocationPrivacyOf(config, SmallCatalog());
  ASSERT_FALSE(privacy.ok());
  EXPECT_EQ(privacy.status().code(), absl::StatusCode::kInvalidArgument) << privacy.status();
  EXPECT_THAT(std::string(privacy.status().message()), HasSubstr("'Grus nonexistens'"));
  EXPECT_THAT(std::string(privacy.status().message()), HasSubstr("sensitive_species"));

  config.sensitive_species = std::vector<std::string>{""};
  EXPECT_EQ(LocationPrivacyOf(config, SmallCatalog()).status().code(),
            absl::StatusCode::kInvalidArgument);
  config.sensitive_species = std::vector<std::string>{"Grus"};
  EXPECT_THAT(std::string(LocationPrivacyOf(config, SmallCatalog()).status().message()),
              HasSubstr("'Grus'"));
}

// --- AdminTokenPath ----------------------------------------------------------

TEST(AdminTokenPathTest, ConfiguredOrInTheDataFolder) {
  Config config;
  config.data_dir = "/var/lib/wetlink";
  EXPECT_EQ(AdminTokenPath(config), "/var/lib/wetlink/admin.token");
  config.admin_token_file = "/etc/wetlink/admin.token";
  EXPECT_EQ(AdminTokenPath(config), "/etc/wetlink/admin.token");
}

// --- EnsureAdminToken --------------------------------------------------------

class EnsureAdminTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = access::AccessControl::Open(storage_, [this] { return now_; });
    ASSERT_TRUE(opened.ok()) << opened.status();
    access_ = std::move(*opened);
    path_ = folder_.File("admin.token");
  }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  static unsigned Mode(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
  }

  std::string TokenInFile() { return std::string(absl::StripAsciiWhitespace(ReadFile(path_))); }

  std::int64_t now_ = kT0;
  testing::FakeAccessStorage storage_;
  std::unique_ptr<access::AccessControl> access_;
  testing::TempFolder folder_{"wetlink-admin-token"};
  std::string path_;
};

TEST_F(EnsureAdminTokenTest, NewFolderGetsAnAdminTokenFileOfMode0600) {
  absl::StatusOr<bool> wrote = EnsureAdminToken(*access_, path_);
  ASSERT_TRUE(wrote.ok()) << wrote.status();
  EXPECT_TRUE(*wrote);
  EXPECT_EQ(Mode(path_), 0600u);

  const std::string text = ReadFile(path_);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find('\n'), text.size() - 1);  // one line
  absl::StatusOr<access::Principal> who = access_->Authenticate(TokenInFile());
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_TRUE(who->is_admin());
  EXPECT_EQ(who->holder, "admin");

  const std::vector<access::TokenRecord> tokens = access_->Tokens();
  ASSERT_EQ(tokens.size(), 1u);
  const access::TokenRecord& record = tokens[0];
  EXPECT_EQ(record.created_by, "wetlinkd");
  EXPECT_EQ(record.expires_ms, std::nullopt);
  EXPECT_THAT(record.note, HasSubstr(path_));
  EXPECT_TRUE(access_->HasUsableAdminToken());
}

TEST_F(EnsureAdminTokenTest, ModeIs0600WhateverTheUmask) {
  const mode_t old = ::umask(0);
  absl::StatusOr<bool> wrote = EnsureAdminToken(*access_, path_);
  ::umask(old);
  ASSERT_TRUE(wrote.ok()) << wrote.status();
  EXPECT_EQ(Mode(path_), 0600u);
}

TEST_F(EnsureAdminTokenTest, AnExistingReadableFileIsMadeOwnerOnly) {
  std::ofstream(path_) << "an old token that is much longer than the new one will be, so "
                          "truncation matters: "
                       << std::string(200, 'x') << "\n";
  ASSERT_EQ(::chmod(path_.c_str(), 0644), 0);
  absl::StatusOr<bool> wrote = EnsureAdminToken(*access_, path_);
  ASSERT_TRUE(wrote.ok()) << wrote.status();
  EXPECT_TRUE(*wrote);
  EXPECT_EQ(Mode(path_), 0600u);
  EXPECT_TRUE(access_->Authenticate(TokenInFile()).ok()) << ReadFile(path_);
}

TEST_F(EnsureAdminTokenTest, DoesNothingWhenAUsableAdminTokenExists) {
  ASSERT_TRUE(EnsureAdminToken(*access_, path_).value_or(false));
  const std::string first = ReadFile(path_);
  absl::StatusOr<bool> again = EnsureAdminToken(*access_, path_);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(*again);
  EXPECT_EQ(ReadFile(path_), first);
  EXPECT_EQ(access_->Tokens().size(), 1u);

  // An admin token issued by other means counts too; nothing is written.
  const std::string elsewhere = folder_.File("other.token");
  EXPECT_FALSE(EnsureAdminToken(*access_, elsewhere).value_or(true));
  EXPECT_FALSE(std::filesystem::exists(elsewhere));
}

TEST_F(EnsureAdminTokenTest, ExistingAdminOfAnotherHolderIsEnough) {
  auto issued = access_->Issue(access::TokenSpec{.holder = "ops",
                                                 .role = access::Role::kAdmin,
                                                 .studies = {},
                                                 .expires_ms = std::nullopt,
                                                 .note = ""},
                               "ops");
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_FALSE(EnsureAdminToken(*access_, path_).value_or(true));
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(EnsureAdminTokenTest, NonAdminTokensDoNotCount) {
  auto issued = access_->Issue(access::TokenSpec{.holder = "kim",
                                                 .role = access::Role::kResearcher,
                                                 .studies = {},
                                                 .expires_ms = std::nullopt,
                                                 .note = ""},
                               "admin");
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_TRUE(EnsureAdminToken(*access_, path_).value_or(false));
}

TEST_F(EnsureAdminTokenTest, IssuesANewTokenWhenTheAdminTokenWasRevoked) {
  ASSERT_TRUE(EnsureAdminToken(*access_, path_).value_or(false));
  const std::string old_text = TokenInFile();
  const std::string old_id = access_->Tokens()[0].id;
  now_ = kT0 + kDay;
  ASSERT_TRUE(access_->Revoke(old_id).ok());

  absl::StatusOr<bool> wrote = EnsureAdminToken(*access_, path_);
  ASSERT_TRUE(wrote.ok()) << wrote.status();
  EXPECT_TRUE(*wrote);
  const std::string new_text = TokenInFile();
  EXPECT_NE(new_text, old_text);
  EXPECT_FALSE(access_->Authenticate(old_text).ok());
  absl::StatusOr<access::Principal> who = access_->Authenticate(new_text);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_TRUE(who->is_admin());
  EXPECT_NE(who->token_id, old_id);
  EXPECT_EQ(Mode(path_), 0600u);
  EXPECT_EQ(access_->Tokens().size(), 2u);
}

TEST_F(EnsureAdminTokenTest, IssuesANewTokenWhenTheAdminTokenExpired) {
  auto issued = access_->Issue(access::TokenSpec{.holder = "ops",
                                                 .role = access::Role::kAdmin,
                                                 .studies = {},
                                                 .expires_ms = kT0 + kDay,
                                                 .note = ""},
                               "ops");
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_FALSE(EnsureAdminToken(*access_, path_).value_or(true));
  now_ = kT0 + kDay;
  EXPECT_TRUE(EnsureAdminToken(*access_, path_).value_or(false));
  EXPECT_TRUE(access_->Authenticate(TokenInFile()).ok());
}

TEST_F(EnsureAdminTokenTest, UnwritablePathIsFailedPreconditionNamingIt) {
  const std::string missing = folder_.File("no-such-folder/admin.token");
  absl::StatusOr<bool> wrote = EnsureAdminToken(*access_, missing);
  ASSERT_FALSE(wrote.ok());
  EXPECT_EQ(wrote.status().code(), absl::StatusCode::kFailedPrecondition) << wrote.status();
  EXPECT_THAT(std::string(wrote.status().message()), HasSubstr(missing));
}

TEST_F(EnsureAdminTokenTest, StorageFailureWritesNoFile) {
  storage_.put_token_error = absl::InternalError("disk full");
  absl::StatusOr<bool> wrote = EnsureAdminToken(*access_, path_);
  EXPECT_EQ(wrote.status(), absl::InternalError("disk full"));
  EXPECT_FALSE(std::filesystem::exists(path_));
  EXPECT_FALSE(access_->HasUsableAdminToken());
}

}  // namespace
}  // namespace wetlink::server
