#include "access/study_sharing.h"

#include <string>
#include <vector>

#include "access/principal.h"
#include "gtest/gtest.h"

namespace wetlink::access {
namespace {

constexpr char kStudy[] = "izumi_2024";
constexpr char kOther[] = "arasaki_2023";

Principal Who(Role role, const std::string& holder, std::vector<std::string> studies = {}) {
  return Principal{.token_id = "0123456789ab", .holder = holder, .role = role, .studies = studies};
}

StudySharing Sharing(const std::string& owner, std::vector<std::string> collaborators,
                     bool is_public, const std::string& study = kStudy) {
  return StudySharing{
      .study_id = study, .owner = owner, .collaborators = collaborators, .is_public = is_public};
}

const char* Name(StudyAccess a) {
  switch (a) {
    case StudyAccess::kNone:
      return "none";
    case StudyAccess::kGeneralised:
      return "generalised";
    case StudyAccess::kFull:
      return "full";
  }
  return "?";
}

#define EXPECT_ACCESS(actual, expected) EXPECT_STREQ(Name(actual), Name(expected))

// --- ReadAccess --------------------------------------------------------------

TEST(StudySharingTest, AdminReadsEveryStudyInFull) {
  const Principal admin = Who(Role::kAdmin, "admin");
  const StudySharing closed = Sharing("kim", {}, false);
  const StudySharing open = Sharing("kim", {}, true);
  EXPECT_ACCESS(ReadAccess(admin, nullptr, kStudy), StudyAccess::kFull);
  EXPECT_ACCESS(ReadAccess(admin, &closed, kStudy), StudyAccess::kFull);
  EXPECT_ACCESS(ReadAccess(admin, &open, kStudy), StudyAccess::kFull);
}

TEST(StudySharingTest, IngestReadsInFullOnlyTheStudiesOfItsToken) {
  const Principal ingest = Who(Role::kIngest, "tag-uploader", {kOther, kStudy});
  const StudySharing open = Sharing("someone", {}, true);
  EXPECT_ACCESS(ReadAccess(ingest, nullptr, kStudy), StudyAccess::kFull);
  EXPECT_ACCESS(ReadAccess(ingest, &open, kStudy), StudyAccess::kFull);
  EXPECT_ACCESS(ReadAccess(ingest, nullptr, kOther), StudyAccess::kFull);
  EXPECT_ACCESS(ReadAccess(ingest, nullptr, "poyang_2022"), StudyAccess::kNone);
  // A public study not in its list: an ingest token is no researcher.
  const StudySharing other_open = Sharing("someone", {}, true, "poyang_2022");
  EXPECT_ACCESS(ReadAccess(ingest, &other_open, "poyang_2022"), StudyAccess::kNone);
}

TEST(StudySharingTest, IngestSharingRecordDoesNotWidenItsTokenList) {
  // Its holder owns the study and is a collaborator, but this token does
  // not name it.
  const Principal ingest = Who(Role::kIngest, "kim", {kOther});
  const StudySharing owned = Sharing("kim", {"kim"}, false);
  EXPECT_ACCESS(ReadAccess(ingest, &owned, kStudy), StudyAccess::kNone);
}

TEST(StudySharingTest, ResearcherOwnerReadsInFull) {
  const Principal kim = Who(Role::kResearcher, "kim");
  const StudySharing closed = Sharing("kim", {}, false);
  const StudySharing open = Sharing("kim", {"lee"}, true);
  EXPECT_ACCESS(ReadAccess(kim, &closed, kStudy), StudyAccess::kFull);
  EXPECT_ACCESS(ReadAccess(kim, &open, kStudy), StudyAccess::kFull);
}

TEST(StudySharingTest, ResearcherCollaboratorReadsInFull) {
  const Principal lee = Who(Role::kResearcher, "lee");
  const StudySharing closed = Sharing("kim", {"amy", "lee", "zoe"}, false);
  const StudySharing open = Sharing("kim", {"lee"}, true);
  EXPECT_ACCESS(ReadAccess(lee, &closed, kStudy), StudyAccess::kFull);
  EXPECT_ACCESS(ReadAccess(lee, &open, kStudy), StudyAccess::kFull);
}

TEST(StudySharingTest, OtherResearcherReadsPublicStudyGeneralised) {
  const Principal other = Who(Role::kResearcher, "park");
  const StudySharing open = Sharing("kim", {"lee"}, true);
  EXPECT_ACCESS(ReadAccess(other, &open, kStudy), StudyAccess::kGeneralised);
}

TEST(StudySharingTest, OtherResearcherMayNotReadPrivateStudy) {
  const Principal other = Who(Role::kResearcher, "park");
  const StudySharing closed = Sharing("kim", {"lee"}, false);
  EXPECT_ACCESS(ReadAccess(other, &closed, kStudy), StudyAccess::kNone);
}

TEST(StudySharingTest, ResearcherMayNotReadAStudyWithoutSharingRecord) {
  EXPECT_ACCESS(ReadAccess(Who(Role::kResearcher, "kim"), nullptr, kStudy), StudyAccess::kNone);
}

TEST(StudySharingTest, ResearcherHolderNamesMatchExactly) {
  const StudySharing closed = Sharing("kim", {"lee"}, false);
  EXPECT_ACCESS(ReadAccess(Who(Role::kResearcher, "Kim"), &closed, kStudy), StudyAccess::kNone);
  EXPECT_ACCESS(ReadAccess(Who(Role::kResearcher, "le"), &closed, kStudy), StudyAccess::kNone);
  EXPECT_ACCESS(ReadAccess(Who(Role::kResearcher, "lee "), &closed, kStudy), StudyAccess::kNone);
}

TEST(StudySharingTest, FocalPointReadsNoStudy) {
  const Principal focal = Who(Role::kFocalPoint, "kim");
  const StudySharing owned_public = Sharing("kim", {"kim"}, true);
  EXPECT_ACCESS(ReadAccess(focal, nullptr, kStudy), StudyAccess::kNone);
  EXPECT_ACCESS(ReadAccess(focal, &owned_public, kStudy), StudyAccess::kNone);
}

// --- MayWrite ----------------------------------------------------------------

TEST(StudySharingTest, MayWrite) {
  EXPECT_TRUE(MayWrite(Who(Role::kAdmin, "admin"), kStudy));
  EXPECT_TRUE(MayWrite(Who(Role::kIngest, "up", {kOther, kStudy}), kStudy));
  EXPECT_TRUE(MayWrite(Who(Role::kIngest, "up", {kOther, kStudy}), kOther));
  EXPECT_FALSE(MayWrite(Who(Role::kIngest, "up", {kOther}), kStudy));
  EXPECT_FALSE(MayWrite(Who(Role::kIngest, "up", {}), kStudy));
  EXPECT_FALSE(MayWrite(Who(Role::kIngest, "up", {"izumi"}), kStudy));  // no prefix match
  // A researcher or focal point never writes, even with a study list.
  EXPECT_FALSE(MayWrite(Who(Role::kResearcher, "kim", {kStudy}), kStudy));
  EXPECT_FALSE(MayWrite(Who(Role::kFocalPoint, "kim", {kStudy}), kStudy));
}

// --- MayShare ----------------------------------------------------------------

TEST(StudySharingTest, AdminMayShareAnyStudy) {
  const StudySharing owned = Sharing("kim", {}, false);
  EXPECT_TRUE(MayShare(Who(Role::kAdmin, "admin"), nullptr));
  EXPECT_TRUE(MayShare(Who(Role::kAdmin, "admin"), &owned));
}

TEST(StudySharingTest, OwnerMayShareUnlessFocalPoint) {
  const StudySharing owned = Sharing("kim", {"lee"}, false);
  EXPECT_TRUE(MayShare(Who(Role::kResearcher, "kim"), &owned));
  EXPECT_TRUE(MayShare(Who(Role::kIngest, "kim", {kStudy}), &owned));
  EXPECT_FALSE(MayShare(Who(Role::kFocalPoint, "kim"), &owned));
}

TEST(StudySharingTest, CollaboratorsAndOthersMayNotShare) {
  const StudySharing owned = Sharing("kim", {"lee"}, true);
  EXPECT_FALSE(MayShare(Who(Role::kResearcher, "lee"), &owned));
  EXPECT_FALSE(MayShare(Who(Role::kResearcher, "park"), &owned));
  EXPECT_FALSE(MayShare(Who(Role::kIngest, "lee", {kStudy}), &owned));
}

TEST(StudySharingTest, NobodyButAdminSharesAStudyWithoutOwner) {
  const StudySharing unowned = Sharing("", {"lee"}, false);
  EXPECT_FALSE(MayShare(Who(Role::kResearcher, ""), &unowned));
  EXPECT_FALSE(MayShare(Who(Role::kResearcher, "kim"), nullptr));
  EXPECT_FALSE(MayShare(Who(Role::kIngest, "kim", {kStudy}), nullptr));
  EXPECT_TRUE(MayShare(Who(Role::kAdmin, "admin"), &unowned));
}

}  // namespace
}  // namespace wetlink::access
