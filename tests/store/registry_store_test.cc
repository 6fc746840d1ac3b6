#include "store/registry_store.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/database.h"
#include "store/registry_snapshot.h"
#include "telemetry/registry.h"

namespace wetlink::store {

// For readable failures of EXPECT_EQ on ReferenceChange (found by ADL).
std::ostream& operator<<(std::ostream& os, const ReferenceChange& c) {
  return os << "{individuals +" << c.individuals_created << " ~" << c.individuals_updated
            << ", tags +" << c.tags_created << " ~" << c.tags_updated << ", deployments +"
            << c.deployments_created << " ~" << c.deployments_updated << ", unchanged "
            << c.unchanged << "}";
}

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using telemetry::Deployment;
using telemetry::Individual;
using telemetry::Study;
using telemetry::Tag;
using telemetry::TimestampMs;

constexpr char kStudy[] = "izumi_2024";
constexpr TimestampMs kDay = 86'400'000;
constexpr TimestampMs kT0 = 1'717'200'000'000;  // 2024-06-01T00:00:00Z

Study MakeStudy(const std::string& id = kStudy, const std::string& name = "Hooded cranes, Izumi") {
  return Study{.id = id, .name = name, .owner = "Kagoshima University", .licence = "CC-BY-4.0"};
}

Individual Ind(const std::string& id, const std::string& sex = "",
               const std::string& comments = "") {
  return Individual{.study_id = "",  // PutReferenceData sets it
                    .id = id,
                    .taxon = "Grus monacha",
                    .species_id = "grus_monacha",
                    .sex = sex,
                    .ring_id = "",
                    .comments = comments};
}

Tag TagOf(const std::string& id, const std::string& model = "OrniTrack-25") {
  return Tag{.study_id = "", .id = id, .manufacturer = "Ornitela", .model = model};
}

Deployment Dep(const std::string& tag, const std::string& individual, TimestampMs start,
               std::optional<TimestampMs> end = std::nullopt) {
  return Deployment{
      .study_id = "", .tag_id = tag, .individual_id = individual, .start_ms = start, .end_ms = end};
}

ReferenceChange Change(int individuals_created, int individuals_updated, int tags_created,
                       int tags_updated, int deployments_created, int deployments_updated,
                       int unchanged) {
  return ReferenceChange{.individuals_created = individuals_created,
                         .individuals_updated = individuals_updated,
                         .tags_created = tags_created,
                         .tags_updated = tags_updated,
                         .deployments_created = deployments_created,
                         .deployments_updated = deployments_updated,
                         .unchanged = unchanged};
}

// Everything a snapshot holds, for before/after comparisons.
void ExpectSameContents(const RegistrySnapshot& a, const RegistrySnapshot& b) {
  EXPECT_TRUE(a.contents().studies == b.contents().studies);
  EXPECT_TRUE(a.contents().individuals == b.contents().individuals);
  EXPECT_TRUE(a.contents().tags == b.contents().tags);
  EXPECT_TRUE(a.contents().deployments == b.contents().deployments);
}

std::vector<std::string> IndividualIds(const RegistrySnapshot& s, const std::string& study) {
  std::vector<std::string> ids;
  for (const RegisteredIndividual* r : s.IndividualsOf(study)) ids.push_back(r->individual.id);
  return ids;
}

std::vector<std::string> TagIds(const RegistrySnapshot& s, const std::string& study) {
  std::vector<std::string> ids;
  for (const RegisteredTag* r : s.TagsOf(study)) ids.push_back(r->tag.id);
  return ids;
}

class RegistryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    path_ = (std::filesystem::path(::testing::TempDir()) /
             ("wetlink_registry_store_test_" + std::to_string(rd()) + "_" + std::to_string(rd())))
                .string();
    options_.sync_writes = false;  // a temp dir needs no fsync
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }

  void Reopen() {
    store_.reset();
    db_.reset();
    auto db = Database::Open(path_, options_);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    auto store = RegistryStore::Open(*db_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  void CreateStudy(const std::string& id = kStudy) {
    auto created = store_->CreateStudy(MakeStudy(id));
    ASSERT_TRUE(created.ok()) << created.status();
  }

  absl::StatusOr<ReferenceChange> Put(std::vector<Individual> individuals, std::vector<Tag> tags,
                                      std::vector<Deployment> deployments, bool dry_run = false,
                                      const std::string& study = kStudy) {
    return store_->PutReferenceData(study, std::move(individuals), std::move(tags),
                                    std::move(deployments), dry_run);
  }

  // Two individuals, three tags, a closed and an open deployment.
  void PutBasics() {
    auto change = Put({Ind("Albert", "m"), Ind("Bea", "f")},
                      {TagOf("T1"), TagOf("T2"), TagOf("T3")},
                      {Dep("T1", "Albert", kT0, kT0 + 30 * kDay), Dep("T2", "Bea", kT0)});
    ASSERT_TRUE(change.ok()) << change.status();
    EXPECT_EQ(*change, Change(2, 0, 3, 0, 2, 0, 0));
  }

  std::shared_ptr<const RegistrySnapshot> Snap() const { return store_->Snapshot(); }

  std::string path_;
  DatabaseOptions options_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<RegistryStore> store_;
};

TEST_F(RegistryStoreTest, EmptyRegistry) {
  auto s = Snap();
  ASSERT_NE(s, nullptr);
  EXPECT_THAT(s->studies(), IsEmpty());
  EXPECT_EQ(s->FindStudy(kStudy), nullptr);
  EXPECT_EQ(s->IndividualByNumber(1), nullptr);
  EXPECT_EQ(s->TagByNumber(1), nullptr);
  EXPECT_THAT(s->deployments().deployments(), IsEmpty());
}

TEST_F(RegistryStoreTest, CreateStudyCreatedUnchangedAlreadyExists) {
  auto created = store_->CreateStudy(MakeStudy());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(*created, RegistryStore::StudyOutcome::kCreated);
  auto again = store_->CreateStudy(MakeStudy());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, RegistryStore::StudyOutcome::kUnchanged);

  auto other = store_->CreateStudy(MakeStudy(kStudy, "Another name"));
  EXPECT_EQ(other.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(other.status().message()), HasSubstr(kStudy));

  Reopen();
  ASSERT_NE(Snap()->FindStudy(kStudy), nullptr);
  EXPECT_EQ(*Snap()->FindStudy(kStudy), MakeStudy());  // the stored one is kept
  auto after_reopen = store_->CreateStudy(MakeStudy());
  ASSERT_TRUE(after_reopen.ok());
  EXPECT_EQ(*after_reopen, RegistryStore::StudyOutcome::kUnchanged);
}

TEST_F(RegistryStoreTest, CreateStudyRefusesBadIdsAndTexts) {
  for (const std::string& id :
       {std::string(), std::string("Izumi"), std::string("izumi 2024"), std::string("izumi/2024"),
        std::string(65, 'a')}) {
    auto created = store_->CreateStudy(MakeStudy(id));
    EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument) << "'" << id << "'";
  }
  auto control = store_->CreateStudy(MakeStudy(kStudy, "line\nbreak"));
  EXPECT_EQ(control.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(control.status().message()), HasSubstr("name"));
  auto too_long = store_->CreateStudy(MakeStudy(kStudy, std::string(257, 'x')));
  EXPECT_EQ(too_long.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Snap()->studies(), IsEmpty());

  // The longest valid id and every allowed character.
  const std::string longest(64, 'z');
  EXPECT_TRUE(store_->CreateStudy(MakeStudy(longest)).ok());
  EXPECT_TRUE(store_->CreateStudy(MakeStudy("a-z_0-9")).ok());
  Reopen();
  EXPECT_EQ(Snap()->studies().size(), 2u);
}

TEST_F(RegistryStoreTest, PutReferenceDataOnUnknownStudyIsNotFound) {
  auto change = Put({Ind("Albert")}, {}, {}, false, "no_such_study");
  EXPECT_EQ(change.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(change.status().message()), HasSubstr("no_such_study"));
  EXPECT_THAT(Snap()->contents().individuals, IsEmpty());
}

TEST_F(RegistryStoreTest, CreatesThenLeavesUnchanged) {
  CreateStudy();
  PutBasics();
  auto s = Snap();
  const RegisteredIndividual* albert = s->FindIndividual(kStudy, "Albert");
  ASSERT_NE(albert, nullptr);
  EXPECT_EQ(albert->individual.study_id, kStudy);  // filled in from the request's study
  EXPECT_EQ(albert->individual.sex, "m");
  EXPECT_THAT(IndividualIds(*s, kStudy), ElementsAre("Albert", "Bea"));
  EXPECT_THAT(TagIds(*s, kStudy), ElementsAre("T1", "T2", "T3"));
  ASSERT_EQ(s->DeploymentsOf(kStudy).size(), 2u);

  auto repeat = Put({Ind("Albert", "m"), Ind("Bea", "f")}, {TagOf("T1"), TagOf("T2"), TagOf("T3")},
                    {Dep("T1", "Albert", kT0, kT0 + 30 * kDay), Dep("T2", "Bea", kT0)});
  ASSERT_TRUE(repeat.ok()) << repeat.status();
  EXPECT_EQ(*repeat, Change(0, 0, 0, 0, 0, 0, 7));
  ExpectSameContents(*s, *Snap());

  // Partial repeats count only what they name.
  auto partial = Put({Ind("Bea", "f")}, {}, {Dep("T2", "Bea", kT0)});
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(*partial, Change(0, 0, 0, 0, 0, 0, 2));
}

TEST_F(RegistryStoreTest, UpdatesIndividualAndTagAttributes) {
  CreateStudy();
  PutBasics();
  const std::uint32_t albert_number = Snap()->FindIndividual(kStudy, "Albert")->number;
  const std::uint32_t t3_number = Snap()->FindTag(kStudy, "T3")->number;
  auto change = Put({Ind("Albert", "m", "lost ring in 2025"), Ind("Bea", "f")},
                    {TagOf("T3", "OrniTrack-50")}, {});
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(*change, Change(0, 1, 0, 1, 0, 0, 1));

  Reopen();
  const RegisteredIndividual* albert = Snap()->FindIndividual(kStudy, "Albert");
  ASSERT_NE(albert, nullptr);
  EXPECT_EQ(albert->individual.comments, "lost ring in 2025");
  EXPECT_EQ(albert->number, albert_number);  // an update keeps the number
  const RegisteredTag* t3 = Snap()->FindTag(kStudy, "T3");
  ASSERT_NE(t3, nullptr);
  EXPECT_EQ(t3->tag.model, "OrniTrack-50");
  EXPECT_EQ(t3->number, t3_number);
  // Deployments are untouched by an update of their individual.
  EXPECT_EQ(Snap()->DeploymentsOf(kStudy).size(), 2u);
}

TEST_F(RegistryStoreTest, ClosingADeploymentIsAnUpdate) {
  CreateStudy();
  PutBasics();
  // T2 on Bea was open-ended; end it.
  auto change = Put({}, {}, {Dep("T2", "Bea", kT0, kT0 + 10 * kDay)});
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(*change, Change(0, 0, 0, 0, 0, 1, 0));
  // Then the tag may go on another bird from the end on (end is exclusive).
  auto redeploy = Put({}, {}, {Dep("T2", "Albert", kT0 + 10 * kDay)});
  ASSERT_TRUE(redeploy.ok()) << redeploy.status();
  EXPECT_EQ(*redeploy, Change(0, 0, 0, 0, 1, 0, 0));

  Reopen();
  auto of_t2 = Snap()->deployments().DeploymentsOf(kStudy, "T2");
  ASSERT_EQ(of_t2.size(), 2u);
  EXPECT_EQ(of_t2[0].individual_id, "Bea");
  EXPECT_EQ(of_t2[0].end_ms, kT0 + 10 * kDay);
  EXPECT_EQ(of_t2[1].individual_id, "Albert");
  EXPECT_EQ(of_t2[1].end_ms, std::nullopt);
}

TEST_F(RegistryStoreTest, MovingADeploymentToAnotherIndividualIsRefused) {
  CreateStudy();
  PutBasics();
  const auto before = Snap();
  auto change = Put({Ind("Chiyo")}, {TagOf("T4")}, {Dep("T2", "Albert", kT0)});
  EXPECT_EQ(change.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(change.status().message()), HasSubstr("Bea"));
  EXPECT_THAT(std::string(change.status().message()), HasSubstr("Albert"));
  ExpectSameContents(*before, *Snap());
  Reopen();
  ExpectSameContents(*before, *Snap());
  EXPECT_EQ(Snap()->FindIndividual(kStudy, "Chiyo"), nullptr);
  EXPECT_EQ(Snap()->FindTag(kStudy, "T4"), nullptr);
}

TEST_F(RegistryStoreTest, OverlappingDeploymentsAreRefusedNamingBoth) {
  CreateStudy();
  PutBasics();
  const auto before = Snap();
  // T1 is on Albert for 30 days from kT0; putting it on Bea on day 20
  // overlaps.
  auto change = Put({Ind("Chiyo")}, {TagOf("T4")},
                    {Dep("T4", "Chiyo", kT0), Dep("T1", "Bea", kT0 + 20 * kDay)});
  ASSERT_EQ(change.status().code(), absl::StatusCode::kInvalidArgument) << change.status();
  const std::string message(change.status().message());
  EXPECT_THAT(message, HasSubstr("'T1'"));
  EXPECT_THAT(message, HasSubstr("'Albert'"));
  EXPECT_THAT(message, HasSubstr("'Bea'"));
  ExpectSameContents(*before, *Snap());

  // Within one request, too (T3 twice, the first one open-ended).
  auto within = Put({}, {}, {Dep("T3", "Albert", kT0), Dep("T3", "Bea", kT0 + kDay)});
  EXPECT_EQ(within.status().code(), absl::StatusCode::kInvalidArgument);

  Reopen();
  ExpectSameContents(*before, *Snap());
  EXPECT_EQ(Snap()->FindIndividual(kStudy, "Chiyo"), nullptr);
  EXPECT_EQ(Snap()->FindTag(kStudy, "T4"), nullptr);
  EXPECT_EQ(Snap()->deployments().DeploymentsOf(kStudy, "T1").size(), 1u);
  EXPECT_TRUE(Snap()->deployments().DeploymentsOf(kStudy, "T3").empty());
}

TEST_F(RegistryStoreTest, DeploymentMustNameRegisteredIndividualAndTag) {
  CreateStudy();
  PutBasics();
  const auto before = Snap();
  auto ghost = Put({}, {}, {Dep("T3", "Ghost", kT0)});
  EXPECT_EQ(ghost.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(ghost.status().message()), HasSubstr("Ghost"));
  auto no_tag = Put({}, {}, {Dep("T9", "Albert", kT0 + 100 * kDay)});
  EXPECT_EQ(no_tag.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(no_tag.status().message()), HasSubstr("T9"));
  // Registered in another study does not count.
  CreateStudy("other_study");
  ASSERT_TRUE(Put({Ind("Dora")}, {}, {}, false, "other_study").ok());
  auto other_study = Put({}, {}, {Dep("T3", "Dora", kT0)});
  EXPECT_EQ(other_study.status().code(), absl::StatusCode::kInvalidArgument);
  // The same request with the individual in it is fine.
  auto with_it = Put({Ind("Dora")}, {}, {Dep("T3", "Dora", kT0)});
  ASSERT_TRUE(with_it.ok()) << with_it.status();
  EXPECT_EQ(*with_it, Change(1, 0, 0, 0, 1, 0, 0));
  EXPECT_EQ(before->FindIndividual(kStudy, "Dora"), nullptr);  // snapshots are immutable
}

TEST_F(RegistryStoreTest, RefusesBadRecordsAndRepeatsWithinARequest) {
  CreateStudy();
  EXPECT_EQ(Put({Ind("")}, {}, {}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Put({Ind("A", "x")}, {}, {}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Put({}, {TagOf(std::string(129, 't'))}, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Put({Ind("A"), Ind("A")}, {}, {}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Put({}, {TagOf("T"), TagOf("T")}, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Put({Ind("A")}, {TagOf("T")}, {Dep("T", "A", kT0), Dep("T", "A", kT0)})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Put({Ind("A")}, {TagOf("T")}, {Dep("T", "A", kT0, kT0)}).status().code(),
            absl::StatusCode::kInvalidArgument);  // ends when it starts
  EXPECT_THAT(Snap()->contents().individuals, IsEmpty());
  EXPECT_THAT(Snap()->contents().tags, IsEmpty());
}

TEST_F(RegistryStoreTest, DryRunReportsButStoresNothing) {
  CreateStudy();
  const auto before = Snap();
  auto dry = Put({Ind("Albert"), Ind("Bea")}, {TagOf("T1"), TagOf("T2")},
                 {Dep("T1", "Albert", kT0), Dep("T2", "Bea", kT0)}, /*dry_run=*/true);
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_EQ(*dry, Change(2, 0, 2, 0, 2, 0, 0));
  ExpectSameContents(*before, *Snap());
  // A dry run validates like the real thing.
  auto bad = Put({Ind("Albert")}, {TagOf("T1")}, {Dep("T1", "Ghost", kT0)}, /*dry_run=*/true);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);

  Reopen();
  ExpectSameContents(*before, *Snap());
  // The real run reports the same, and the dry run used up no numbers.
  auto real = Put({Ind("Albert"), Ind("Bea")}, {TagOf("T1"), TagOf("T2")},
                  {Dep("T1", "Albert", kT0), Dep("T2", "Bea", kT0)});
  ASSERT_TRUE(real.ok()) << real.status();
  EXPECT_EQ(*real, Change(2, 0, 2, 0, 2, 0, 0));
  EXPECT_EQ(Snap()->FindIndividual(kStudy, "Albert")->number, 1u);
  EXPECT_EQ(Snap()->FindTag(kStudy, "T1")->number, 1u);

  // A dry run of an update reports it and changes nothing.
  const auto stored = Snap();
  auto dry_update = Put({Ind("Albert", "m")}, {}, {Dep("T2", "Bea", kT0, kT0 + kDay)}, true);
  ASSERT_TRUE(dry_update.ok()) << dry_update.status();
  EXPECT_EQ(*dry_update, Change(0, 1, 0, 0, 0, 1, 0));
  Reopen();
  ExpectSameContents(*stored, *Snap());
}

TEST_F(RegistryStoreTest, NumbersAreUniqueStartAtOneAndSurviveReopen) {
  CreateStudy();
  CreateStudy("other_study");
  ASSERT_TRUE(Put({Ind("A1"), Ind("A2")}, {TagOf("TA")}, {}).ok());
  ASSERT_TRUE(Put({Ind("B1")}, {TagOf("TB1"), TagOf("TB2")}, {}, false, "other_study").ok());
  // Refused requests and dry runs hand out no numbers.
  ASSERT_FALSE(Put({Ind("X")}, {}, {Dep("TA", "Ghost", kT0)}).ok());
  ASSERT_TRUE(Put({Ind("Y")}, {TagOf("TY")}, {}, /*dry_run=*/true).ok());

  std::set<std::uint32_t> individual_numbers;
  std::set<std::uint32_t> tag_numbers;
  for (const RegisteredIndividual& r : Snap()->contents().individuals) {
    EXPECT_TRUE(individual_numbers.insert(r.number).second) << r.number;
  }
  for (const RegisteredTag& r : Snap()->contents().tags) {
    EXPECT_TRUE(tag_numbers.insert(r.number).second) << r.number;
  }
  EXPECT_THAT(individual_numbers, ElementsAre(1u, 2u, 3u));  // store-wide
  EXPECT_THAT(tag_numbers, ElementsAre(1u, 2u, 3u));
  EXPECT_EQ(Snap()->FindIndividual(kStudy, "A1")->number, 1u);

  Reopen();
  // Same numbers after reopening...
  for (const auto& [study, id, number] :
       {std::tuple{std::string(kStudy), "A1", 1u}, std::tuple{std::string(kStudy), "A2", 2u},
        std::tuple{std::string("other_study"), "B1", 3u}}) {
    const RegisteredIndividual* r = Snap()->FindIndividual(study, id);
    ASSERT_NE(r, nullptr) << id;
    EXPECT_EQ(r->number, number) << id;
  }
  // ...and new records get new ones, by PutReferenceData and by AutoRegister.
  ASSERT_TRUE(Put({Ind("A3")}, {TagOf("TA2")}, {}).ok());
  ImpliedDeployment implied{.tag_id = "AUTO-T", .individual_id = "Auto bird", .taxon = "",
                            .species_id = ""};
  ASSERT_TRUE(store_->AutoRegister("auto_study", {implied}, kT0).ok());
  Reopen();
  ASSERT_TRUE(Put({Ind("A4")}, {TagOf("TA3")}, {}).ok());

  std::set<std::uint32_t> individuals_after;
  for (const RegisteredIndividual& r : Snap()->contents().individuals) {
    EXPECT_TRUE(individuals_after.insert(r.number).second) << "reused " << r.number;
  }
  std::set<std::uint32_t> tags_after;
  for (const RegisteredTag& r : Snap()->contents().tags) {
    EXPECT_TRUE(tags_after.insert(r.number).second) << "reused " << r.number;
  }
  EXPECT_THAT(individuals_after, ElementsAre(1u, 2u, 3u, 4u, 5u, 6u));
  EXPECT_THAT(tags_after, ElementsAre(1u, 2u, 3u, 4u, 5u, 6u));
  EXPECT_EQ(Snap()->FindIndividual(kStudy, "A3")->number, 4u);
  EXPECT_EQ(Snap()->FindIndividual("auto_study", "Auto bird")->number, 5u);
  EXPECT_EQ(Snap()->FindIndividual(kStudy, "A4")->number, 6u);
}

TEST_F(RegistryStoreTest, AutoRegisterCreatesStudyIndividualsTagsAndDeployments) {
  const TimestampMs deploy_on = -1'000;  // e.g. the earliest time a fix may have
  const std::vector<ImpliedDeployment> implied = {
      {.tag_id = "T1", .individual_id = "Albert", .taxon = "Grus monacha",
       .species_id = "grus_monacha"},
      {.tag_id = "T2", .individual_id = "Bea", .taxon = "Grus vipio", .species_id = "grus_vipio"},
      {.tag_id = "T3", .individual_id = "Albert", .taxon = "Grus monacha",
       .species_id = "grus_monacha"},
  };
  auto registered = store_->AutoRegister("auto_study", implied, deploy_on);
  ASSERT_TRUE(registered.ok()) << registered.status();
  const auto s = *registered;
  EXPECT_EQ(s, Snap());

  const Study* study = s->FindStudy("auto_study");
  ASSERT_NE(study, nullptr);
  EXPECT_EQ(study->name, "auto_study");
  EXPECT_THAT(IndividualIds(*s, "auto_study"), ElementsAre("Albert", "Bea"));
  EXPECT_THAT(TagIds(*s, "auto_study"), ElementsAre("T1", "T2", "T3"));
  const RegisteredIndividual* bea = s->FindIndividual("auto_study", "Bea");
  ASSERT_NE(bea, nullptr);
  EXPECT_EQ(bea->individual.taxon, "Grus vipio");
  EXPECT_EQ(bea->individual.species_id, "grus_vipio");
  const std::vector<const Deployment*> deployments = s->DeploymentsOf("auto_study");
  ASSERT_EQ(deployments.size(), 3u);
  const char* tag[] = {"T1", "T2", "T3"};
  const char* on[] = {"Albert", "Bea", "Albert"};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(deployments[i]->tag_id, tag[i]);
    EXPECT_EQ(deployments[i]->individual_id, on[i]);
    EXPECT_EQ(deployments[i]->start_ms, deploy_on);
    EXPECT_EQ(deployments[i]->end_ms, std::nullopt);
  }
  const auto resolution = s->deployments().Resolve("auto_study", "T2", kT0);
  const auto* resolved = std::get_if<const Deployment*>(&resolution);
  ASSERT_NE(resolved, nullptr);
  EXPECT_EQ((*resolved)->individual_id, "Bea");

  // Idempotent: the same call changes nothing and returns the current snapshot.
  auto again = store_->AutoRegister("auto_study", implied, deploy_on + 5 * kDay);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, s);
  ExpectSameContents(*s, *Snap());

  Reopen();
  ExpectSameContents(*s, *Snap());
  auto after_reopen = store_->AutoRegister("auto_study", implied, deploy_on + 9 * kDay);
  ASSERT_TRUE(after_reopen.ok()) << after_reopen.status();
  ExpectSameContents(*s, **after_reopen);
}

TEST_F(RegistryStoreTest, AutoRegisterNeverRedeploysOrChangesExistingRecords) {
  CreateStudy();
  PutBasics();  // T1 on Albert for 30 days, T2 on Bea open-ended, T3 undeployed
  const auto before = Snap();
  const std::vector<ImpliedDeployment> implied = {
      // T1 and T2 already have deployments, on other birds than named here.
      {.tag_id = "T1", .individual_id = "Chiyo", .taxon = "Grus grus", .species_id = ""},
      {.tag_id = "T2", .individual_id = "Albert", .taxon = "Grus grus", .species_id = ""},
      // Albert exists with another taxon: kept as stored.
      {.tag_id = "T5", .individual_id = "Albert", .taxon = "Grus grus", .species_id = ""},
  };
  auto registered = store_->AutoRegister(kStudy, implied, kT0 + 100 * kDay);
  ASSERT_TRUE(registered.ok()) << registered.status();
  const auto s = *registered;

  // The study is kept as created (not renamed to its id).
  EXPECT_EQ(*s->FindStudy(kStudy), MakeStudy());
  // Chiyo and T5 are new.
  ASSERT_NE(s->FindIndividual(kStudy, "Chiyo"), nullptr);
  ASSERT_NE(s->FindTag(kStudy, "T5"), nullptr);
  EXPECT_EQ(*s->FindIndividual(kStudy, "Albert"), *before->FindIndividual(kStudy, "Albert"));
  EXPECT_EQ(s->FindIndividual(kStudy, "Albert")->individual.taxon, "Grus monacha");
  // T1 and T2 keep exactly their deployments.
  for (const char* tag : {"T1", "T2"}) {
    auto was = before->deployments().DeploymentsOf(kStudy, tag);
    auto now = s->deployments().DeploymentsOf(kStudy, tag);
    ASSERT_EQ(now.size(), was.size()) << tag;
    EXPECT_TRUE(std::equal(was.begin(), was.end(), now.begin())) << tag;
  }
  // T5 got an open-ended deployment on Albert from the given time.
  auto t5 = s->deployments().DeploymentsOf(kStudy, "T5");
  ASSERT_EQ(t5.size(), 1u);
  EXPECT_EQ(t5[0].individual_id, "Albert");
  EXPECT_EQ(t5[0].start_ms, kT0 + 100 * kDay);
  EXPECT_EQ(t5[0].end_ms, std::nullopt);

  Reopen();
  ExpectSameContents(*s, *Snap());
}

TEST_F(RegistryStoreTest, AutoRegisterDeploysARegisteredTagThatHasNoDeployment) {
  // registry_store.h: "for each tag with no deployment at all an open-ended
  // deployment from `deploy_on_ms` on its individual".
  CreateStudy();
  PutBasics();  // T3 is registered but deployed nowhere
  auto registered = store_->AutoRegister(
      kStudy, {{.tag_id = "T3", .individual_id = "Bea", .taxon = "", .species_id = ""}}, kT0);
  ASSERT_TRUE(registered.ok()) << registered.status();
  auto t3 = (*registered)->deployments().DeploymentsOf(kStudy, "T3");
  ASSERT_EQ(t3.size(), 1u);
  EXPECT_EQ(t3[0].individual_id, "Bea");
  EXPECT_EQ(t3[0].start_ms, kT0);
  EXPECT_EQ(t3[0].end_ms, std::nullopt);
}

TEST_F(RegistryStoreTest, AutoRegisterRefusesBadIds) {
  EXPECT_EQ(store_->AutoRegister("Bad Study", {}, kT0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_
                ->AutoRegister("auto_study",
                               {{.tag_id = "", .individual_id = "A", .taxon = "", .species_id = ""}},
                               kT0)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_
                ->AutoRegister("auto_study",
                               {{.tag_id = "T", .individual_id = "a\tb", .taxon = "",
                                 .species_id = ""}},
                               kT0)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Snap()->studies(), IsEmpty());
}

TEST_F(RegistryStoreTest, SnapshotLookupsAfterReopen) {
  CreateStudy();
  CreateStudy("other_study");
  PutBasics();
  // The same ids in another study are other records.
  ASSERT_TRUE(Put({Ind("Albert", "f"), Ind("Zoe")}, {TagOf("T1")}, {Dep("T1", "Zoe", kT0)}, false,
                  "other_study")
                  .ok());
  // A second deployment of T1 in the first study, after the first one ended.
  ASSERT_TRUE(Put({}, {}, {Dep("T1", "Bea", kT0 + 40 * kDay)}).ok());
  Reopen();
  const auto s = Snap();

  EXPECT_THAT(IndividualIds(*s, kStudy), ElementsAre("Albert", "Bea"));
  EXPECT_THAT(IndividualIds(*s, "other_study"), ElementsAre("Albert", "Zoe"));
  EXPECT_THAT(IndividualIds(*s, "no_study"), IsEmpty());

  const RegisteredIndividual* albert = s->FindIndividual(kStudy, "Albert");
  const RegisteredIndividual* other_albert = s->FindIndividual("other_study", "Albert");
  ASSERT_NE(albert, nullptr);
  ASSERT_NE(other_albert, nullptr);
  EXPECT_NE(albert->number, other_albert->number);
  EXPECT_EQ(albert->individual.sex, "m");
  EXPECT_EQ(other_albert->individual.sex, "f");
  EXPECT_EQ(s->IndividualByNumber(albert->number), albert);
  EXPECT_EQ(s->IndividualByNumber(other_albert->number), other_albert);
  EXPECT_EQ(s->IndividualByNumber(0), nullptr);
  EXPECT_EQ(s->IndividualByNumber(999), nullptr);
  EXPECT_EQ(s->FindIndividual(kStudy, "Zoe"), nullptr);
  EXPECT_EQ(s->FindIndividual(kStudy, "albert"), nullptr);  // ids are case-sensitive

  const RegisteredTag* t1 = s->FindTag(kStudy, "T1");
  const RegisteredTag* other_t1 = s->FindTag("other_study", "T1");
  ASSERT_NE(t1, nullptr);
  ASSERT_NE(other_t1, nullptr);
  EXPECT_NE(t1->number, other_t1->number);
  EXPECT_EQ(s->TagByNumber(t1->number), t1);
  EXPECT_EQ(s->TagByNumber(other_t1->number), other_t1);
  EXPECT_EQ(s->TagByNumber(0), nullptr);
  EXPECT_EQ(s->FindTag("other_study", "T2"), nullptr);

  // Deployments of a study, ordered by (tag, start).
  std::vector<std::tuple<std::string, std::string, TimestampMs>> deployments;
  for (const Deployment* d : s->DeploymentsOf(kStudy)) {
    EXPECT_EQ(d->study_id, kStudy);
    deployments.emplace_back(d->tag_id, d->individual_id, d->start_ms);
  }
  using D = std::tuple<std::string, std::string, TimestampMs>;
  EXPECT_THAT(deployments, ElementsAre(D("T1", "Albert", kT0), D("T1", "Bea", kT0 + 40 * kDay),
                                       D("T2", "Bea", kT0)));
  ASSERT_EQ(s->DeploymentsOf("other_study").size(), 1u);
  EXPECT_EQ(s->DeploymentsOf("other_study")[0]->individual_id, "Zoe");

  // Resolution by time through the index.
  auto resolve = [&](TimestampMs t) -> std::string {
    auto r = s->deployments().Resolve(kStudy, "T1", t);
    if (auto* d = std::get_if<const Deployment*>(&r)) return (*d)->individual_id;
    return std::get<telemetry::ResolveFailure>(r) == telemetry::ResolveFailure::kUnknownTag
               ? "unknown tag"
               : "outside";
  };
  EXPECT_EQ(resolve(kT0 - 1), "outside");
  EXPECT_EQ(resolve(kT0), "Albert");
  EXPECT_EQ(resolve(kT0 + 30 * kDay - 1), "Albert");
  EXPECT_EQ(resolve(kT0 + 30 * kDay), "outside");
  EXPECT_EQ(resolve(kT0 + 40 * kDay), "Bea");
  EXPECT_TRUE(std::holds_alternative<telemetry::ResolveFailure>(
      s->deployments().Resolve(kStudy, "T3", kT0)));
}

}  // namespace
}  // namespace wetlink::store
