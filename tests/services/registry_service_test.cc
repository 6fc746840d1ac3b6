// RegistryService through a real gRPC server on 127.0.0.1 (a port the OS
// picks) over a temporary RocksDB: studies, reference data given as records
// or as a Movebank reference CSV, status codes and messages.

#include <gmock/gmock.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "data/bundled_catalog.h"
#include "services/server.h"
#include "tests/services/server_testing.h"
#include "store/database.h"
#include "store/stores.h"
#include "telemetry/timestamp.h"
#include "wetlink/v1/registry.grpc.pb.h"

namespace wetlink::services {
namespace {

using telemetry::TimestampFromCivil;
using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr char kStudy[] = "tumen-cranes-2024";

// Equal as protobuf messages; prints both in text format when not.
MATCHER_P(EqualsProto, text, "") {
  std::remove_cvref_t<decltype(arg)> want;
  if (!google::protobuf::TextFormat::ParseFromString(text, &want)) {
    *result_listener << "the expected text does not parse";
    return false;
  }
  if (google::protobuf::util::MessageDifferencer::Equals(arg, want)) return true;
  *result_listener << "\nwhich is:\n" << arg.DebugString() << "\nexpected:\n" << want.DebugString();
  return false;
}

std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(WETLINK_TEST_FIXTURES_DIR) + "/services/" + name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

v1::Individual MakeIndividual(const std::string& id, const std::string& taxon,
                              const std::string& sex = "") {
  v1::Individual in;
  in.set_id(id);
  in.set_taxon(taxon);
  in.set_sex(sex);
  return in;
}

v1::Tag MakeTag(const std::string& id, const std::string& model = "") {
  v1::Tag tag;
  tag.set_id(id);
  tag.set_model(model);
  return tag;
}

v1::Deployment MakeDeployment(const std::string& tag, const std::string& individual,
                              telemetry::TimestampMs start,
                              std::optional<telemetry::TimestampMs> end = std::nullopt) {
  v1::Deployment d;
  d.set_tag_id(tag);
  d.set_individual_id(individual);
  d.set_start_ms(start);
  if (end) d.set_end_ms(*end);
  return d;
}

const telemetry::TimestampMs kJan = TimestampFromCivil(2024, 1, 1);
const telemetry::TimestampMs kMay = TimestampFromCivil(2024, 5, 1);
const telemetry::TimestampMs kJun = TimestampFromCivil(2024, 6, 1);

class RegistryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("wetlink-registry-" + std::to_string(std::random_device{}()));
    auto stores =
        store::OpenStores(dir_.string(), {.sync_writes = false}, data::BundledCatalogFiles());
    ASSERT_TRUE(stores.ok()) << stores.status();
    stores_ = std::move(*stores);
    auto server = WetlinkServer::Start(testing::LoopbackOptions(), *stores_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::RegistryService::NewStub(testing::AdminChannel(*server_));
  }

  void TearDown() override {
    server_.reset();
    stores_.reset();
    std::filesystem::remove_all(dir_);
  }

  grpc::Status CreateStudy(const std::string& id, const std::string& name,
                           v1::Study* out = nullptr) {
    v1::CreateStudyRequest req;
    req.mutable_study()->set_id(id);
    req.mutable_study()->set_name(name);
    req.mutable_study()->set_owner("Tumen River wetland partnership");
    req.mutable_study()->set_licence("CC-BY-4.0");
    grpc::ClientContext ctx;
    v1::Study study;
    grpc::Status s = stub_->CreateStudy(&ctx, req, &study);
    if (out != nullptr) *out = study;
    return s;
  }

  grpc::Status GetStudy(const std::string& id, v1::Study* out) {
    v1::GetStudyRequest req;
    req.set_study_id(id);
    grpc::ClientContext ctx;
    return stub_->GetStudy(&ctx, req, out);
  }

  grpc::Status Put(const v1::ReferenceData& data, bool dry_run, v1::PutReferenceDataResponse* out) {
    v1::PutReferenceDataRequest req;
    *req.mutable_data() = data;
    req.set_dry_run(dry_run);
    grpc::ClientContext ctx;
    return stub_->PutReferenceData(&ctx, req, out);
  }

  grpc::Status Import(const std::string& study, const std::string& csv, bool dry_run,
                      v1::PutReferenceDataResponse* out, const std::string& file_name = "") {
    v1::ImportReferenceDataRequest req;
    req.set_study_id(study);
    req.set_csv(csv);
    req.set_file_name(file_name);
    req.set_dry_run(dry_run);
    grpc::ClientContext ctx;
    return stub_->ImportReferenceData(&ctx, req, out);
  }

  v1::ReferenceData Get(const std::string& study) {
    v1::GetReferenceDataRequest req;
    req.set_study_id(study);
    grpc::ClientContext ctx;
    v1::ReferenceData data;
    grpc::Status s = stub_->GetReferenceData(&ctx, req, &data);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return data;
  }

  // Two cranes, two tags, one deployment each.
  static v1::ReferenceData TwoCranes() {
    v1::ReferenceData data;
    data.set_study_id(kStudy);
    *data.add_individuals() = MakeIndividual("HC-01", "Grus monacha", "f");
    *data.add_individuals() = MakeIndividual("WNC-01", "Antigone vipio", "m");
    *data.add_tags() = MakeTag("T1", "OT-20");
    *data.add_tags() = MakeTag("T2", "OT-20");
    *data.add_deployments() = MakeDeployment("T1", "HC-01", kJan);
    *data.add_deployments() = MakeDeployment("T2", "WNC-01", kJan, kJun);
    return data;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Stores> stores_;
  std::unique_ptr<WetlinkServer> server_;
  std::unique_ptr<v1::RegistryService::Stub> stub_;
};

TEST_F(RegistryServiceTest, CreateStudyCreatesThenReturnsItUnchanged) {
  v1::Study created;
  ASSERT_TRUE(CreateStudy(kStudy, "Cranes of the Tumen estuary", &created).ok());
  EXPECT_THAT(created, EqualsProto(R"pb(
                id: "tumen-cranes-2024"
                name: "Cranes of the Tumen estuary"
                owner: "Tumen River wetland partnership"
                licence: "CC-BY-4.0"
              )pb"));

  v1::Study again;
  ASSERT_TRUE(CreateStudy(kStudy, "Cranes of the Tumen estuary", &again).ok());
  EXPECT_THAT(again, EqualsProto(created.DebugString()));

  grpc::Status s = CreateStudy(kStudy, "Another name");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(s.error_message(), HasSubstr("'tumen-cranes-2024'"));
  v1::Study stored;
  ASSERT_TRUE(GetStudy(kStudy, &stored).ok());
  EXPECT_EQ(stored.name(), "Cranes of the Tumen estuary");
}

TEST_F(RegistryServiceTest, CreateStudyRefusesBadFieldsNamingThem) {
  const std::vector<std::string> bad_ids = {"Tumen Cranes", "tumen/cranes", std::string(65, 'a'),
                                            ""};
  for (const std::string& id : bad_ids) {
    grpc::Status s = CreateStudy(id, "x");
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << id;
    EXPECT_THAT(s.error_message(), HasSubstr("study id '" + id + "'"));
  }
  grpc::Status s = CreateStudy("ok-id", std::string(257, 'n'));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("name"));
  s = CreateStudy("ok-id", "line\nbreak");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("name"));

  grpc::ClientContext ctx;
  v1::ListStudiesResponse list;
  ASSERT_TRUE(stub_->ListStudies(&ctx, {}, &list).ok());
  EXPECT_EQ(list.studies_size(), 0);
}

TEST_F(RegistryServiceTest, GetStudyOfAnUnknownIdIsNotFound) {
  v1::Study study;
  grpc::Status s = GetStudy("no-such-study", &study);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("'no-such-study'"));
  s = GetStudy("", &study);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("study_id"));

  v1::GetReferenceDataRequest req;
  req.set_study_id("no-such-study");
  grpc::ClientContext ctx;
  v1::ReferenceData data;
  s = stub_->GetReferenceData(&ctx, req, &data);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("'no-such-study'"));
}

TEST_F(RegistryServiceTest, ListStudiesIsOrderedByIdWithCounts) {
  ASSERT_TRUE(CreateStudy(kStudy, "Cranes").ok());
  ASSERT_TRUE(CreateStudy("dauria-2023", "Dauria").ok());
  v1::PutReferenceDataResponse resp;
  ASSERT_TRUE(Put(TwoCranes(), false, &resp).ok());

  grpc::ClientContext ctx;
  v1::ListStudiesResponse list;
  ASSERT_TRUE(stub_->ListStudies(&ctx, {}, &list).ok());
  EXPECT_THAT(list, EqualsProto(R"pb(
                studies {
                  id: "dauria-2023"
                  name: "Dauria"
                  owner: "Tumen River wetland partnership"
                  licence: "CC-BY-4.0"
                }
                studies {
                  id: "tumen-cranes-2024"
                  name: "Cranes"
                  owner: "Tumen River wetland partnership"
                  licence: "CC-BY-4.0"
                  individual_count: 2
                  tag_count: 2
                  deployment_count: 2
                }
              )pb"));
}

TEST_F(RegistryServiceTest, PutReferenceDataCountsCreatedUpdatedAndUnchanged) {
  ASSERT_TRUE(CreateStudy(kStudy, "Cranes").ok());
  v1::ReferenceData data = TwoCranes();
  // The species is derived from the taxon, never taken from the client.
  data.mutable_individuals(0)->set_species_id("platalea_minor");

  v1::PutReferenceDataResponse resp;
  ASSERT_TRUE(Put(data, false, &resp).ok());
  EXPECT_THAT(resp, EqualsProto(R"pb(
                individuals_created: 2 tags_created: 2 deployments_created: 2
              )pb"));

  ASSERT_TRUE(Put(data, false, &resp).ok());
  EXPECT_THAT(resp, EqualsProto("unchanged: 6"));

  data.mutable_individuals(1)->set_ring_id("KR-1234");
  data.mutable_tags(0)->set_model("OT-25");
  data.mutable_deployments(0)->set_end_ms(kJun);
  *data.add_individuals() = MakeIndividual("BFS-01", "bfs");
  ASSERT_TRUE(Put(data, false, &resp).ok());
  EXPECT_THAT(resp, EqualsProto(R"pb(
                individuals_created: 1
                individuals_updated: 1
                tags_updated: 1
                deployments_updated: 1
                unchanged: 3
              )pb"));

  const std::string text = R"pb(
    study_id: "tumen-cranes-2024"
    individuals { id: "BFS-01" taxon: "bfs" species_id: "platalea_minor" }
    individuals { id: "HC-01" taxon: "Grus monacha" species_id: "grus_monacha" sex: "f" }
    individuals {
      id: "WNC-01"
      taxon: "Antigone vipio"
      species_id: "antigone_vipio"
      sex: "m"
      ring_id: "KR-1234"
    }
    tags { id: "T1" model: "OT-25" }
    tags { id: "T2" model: "OT-20" }
    deployments {
      tag_id: "T1"
      individual_id: "HC-01"
      start_ms: 1704067200000
      end_ms: 1717200000000
    }
    deployments {
      tag_id: "T2"
      individual_id: "WNC-01"
      start_ms: 1704067200000
      end_ms: 1717200000000
    }
  )pb";
  EXPECT_THAT(Get(kStudy), EqualsProto(text));
}

TEST_F(RegistryServiceTest, DryRunReportsButStoresNothing) {
  ASSERT_TRUE(CreateStudy(kStudy, "Cranes").ok());
  v1::PutReferenceDataResponse resp;
  ASSERT_TRUE(Put(TwoCranes(), true, &resp).ok());
  EXPECT_THAT(resp, EqualsProto(R"pb(
                individuals_created: 2 tags_created: 2 deployments_created: 2
              )pb"));
  EXPECT_THAT(Get(kStudy), EqualsProto(R"pb(study_id: "tumen-cranes-2024")pb"));

  // A dry run checks as much as a real one.
  v1::ReferenceData overlapping = TwoCranes();
  *overlapping.add_deployments() = MakeDeployment("T1", "WNC-01", kMay);
  grpc::Status s = Put(overlapping, true, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  const std::string csv = ReadFixture("reference.csv");
  ASSERT_FALSE(csv.empty());
  s = Import(kStudy, csv, true, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.individuals_created(), 4u);
  EXPECT_THAT(Get(kStudy), EqualsProto(R"pb(study_id: "tumen-cranes-2024")pb"));
  v1::Study study;
  ASSERT_TRUE(GetStudy(kStudy, &study).ok());
  EXPECT_EQ(study.individual_count(), 0u);
}

TEST_F(RegistryServiceTest, OverlappingDeploymentsAreRefusedNamingBoth) {
  ASSERT_TRUE(CreateStudy(kStudy, "Cranes").ok());
  v1::ReferenceData data = TwoCranes();
  // T2 is on WNC-01 until June; putting it on HC-01 from May overlaps.
  *data.add_deployments() = MakeDeployment("T2", "HC-01", kMay);
  v1::PutReferenceDataResponse resp;
  grpc::Status s = Put(data, false, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), AllOf(HasSubstr("tag 'T2' on 'WNC-01'"),
                                       HasSubstr("tag 'T2' on 'HC-01'"), HasSubstr("overlaps")));
  // All or nothing: not even the good records were stored.
  EXPECT_THAT(Get(kStudy), EqualsProto(R"pb(study_id: "tumen-cranes-2024")pb"));
}

TEST_F(RegistryServiceTest, RecordsMustBeValidAndReferenceRegisteredOnes) {
  ASSERT_TRUE(CreateStudy(kStudy, "Cranes").ok());
  struct Case {
    std::function<void(v1::ReferenceData&)> edit;
    std::string names;
  };
  const std::vector<Case> cases = {
      {[](v1::ReferenceData& d) { d.mutable_deployments(0)->set_individual_id("HC-99"); },
       "individual 'HC-99', which is not registered"},
      {[](v1::ReferenceData& d) { d.mutable_deployments(0)->set_tag_id("T9"); },
       "tag 'T9', which is not registered"},
      {[](v1::ReferenceData& d) { d.mutable_individuals(0)->set_sex("x"); }, "animal-sex 'x'"},
      {[](v1::ReferenceData& d) { d.mutable_individuals(0)->set_id(""); },
       "individual-local-identifier is empty"},
      {[](v1::ReferenceData& d) { d.mutable_tags(1)->set_id(std::string(129, 't')); },
       "tag-local-identifier is 129 bytes long"},
      {[](v1::ReferenceData& d) { *d.add_tags() = MakeTag("T1"); }, "tag 'T1' appears twice"},
      {[](v1::ReferenceData& d) { d.mutable_deployments(1)->set_end_ms(kJan); },
       "deploy-off must be after deploy-on"},
  };
  for (const Case& c : cases) {
    v1::ReferenceData data = TwoCranes();
    c.edit(data);
    v1::PutReferenceDataResponse resp;
    grpc::Status s = Put(data, false, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.names;
    EXPECT_THAT(s.error_message(), HasSubstr(c.names));
  }
  EXPECT_THAT(Get(kStudy), EqualsProto(R"pb(study_id: "tumen-cranes-2024")pb"));
}

TEST_F(RegistryServiceTest, MovingADeploymentToAnotherIndividualIsFailedPrecondition) {
  ASSERT_TRUE(CreateStudy(kStudy, "Cranes").ok());
  v1::PutReferenceDataResponse resp;
  ASSERT_TRUE(Put(TwoCranes(), false, &resp).ok());
  v1::ReferenceData moved = TwoCranes();
  moved.mutable_deployments(0)->set_individual_id("WNC-01");
  moved.mutable_deployments()->DeleteSubrange(1, 1);
  grpc::Status s = Put(moved, false, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(),
              AllOf(HasSubstr("'T1'"), HasSubstr("'HC-01'"), HasSubstr("'WNC-01'")));
  const v1::ReferenceData stored = Get(kStudy);
  ASSERT_EQ(stored.deployments_size(), 2);
  EXPECT_EQ(stored.deployments(0).individual_id(), "HC-01");
}

TEST_F(RegistryServiceTest, PutOnAnUnknownStudyIsNotFound) {
  v1::PutReferenceDataResponse resp;
  grpc::Status s = Put(TwoCranes(), false, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("'tumen-cranes-2024'"));

  v1::ReferenceData no_study = TwoCranes();
  no_study.clear_study_id();
  s = Put(no_study, false, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("data.study_id"));

  s = Import("no-such-study", ReadFixture("reference.csv"), false, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("'no-such-study'"));
  s = Import("", ReadFixture("reference.csv"), false, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("study_id"));
}

TEST_F(RegistryServiceTest, ImportsAMovebankReferenceCsv) {
  ASSERT_TRUE(CreateStudy(kStudy, "Cranes").ok());
  const std::string csv = ReadFixture("reference.csv");
  ASSERT_FALSE(csv.empty());
  v1::PutReferenceDataResponse resp;
  grpc::Status s = Import(kStudy, csv, false, &resp, "reference.csv");
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_THAT(resp, EqualsProto(R"pb(
                individuals_created: 4 tags_created: 4 deployments_created: 5
              )pb"));

  // Dates: 2024-01-10 08:00 = 1704873600000, 2024-03-01 = 1709251200000,
  // 2024-05-20 06:30 = 1716186600000, 2024-07-01 = 1719792000000,
  // 2024-09-01 = 1725148800000; an empty deploy-on-date is 1990-01-01
  // (631152000000), an empty deploy-off-date an open deployment.
  EXPECT_THAT(
      Get(kStudy), EqualsProto(R"pb(
        study_id: "tumen-cranes-2024"
        individuals {
          id: "BFS-2024-07"
          taxon: "Platalea minor"
          species_id: "platalea_minor"
          sex: "m"
        }
        individuals { id: "HC-2024-01" taxon: "Grus monacha" species_id: "grus_monacha" sex: "f" }
        individuals { id: "HC-2024-02" taxon: "Grus monacha" species_id: "grus_monacha" sex: "m" }
        individuals { id: "XX-2024-01" taxon: "Anas platyrhynchos" species_id: "" }
        tags { id: "T-101" manufacturer: "Druid" model: "Debut Pro" }
        tags { id: "T-102" manufacturer: "Ornitela, UAB" model: "OT-20" }
        tags { id: "T-103" manufacturer: "Ornitela, UAB" model: "OT-10" }
        tags { id: "T-104" manufacturer: "Druid" model: "Legend" }
        deployments {
          tag_id: "T-101"
          individual_id: "HC-2024-01"
          start_ms: 1704873600000
          end_ms: 1719792000000
        }
        deployments { tag_id: "T-101" individual_id: "HC-2024-02" start_ms: 1725148800000 }
        deployments { tag_id: "T-102" individual_id: "HC-2024-01" start_ms: 1719792000000 }
        deployments { tag_id: "T-103" individual_id: "BFS-2024-07" start_ms: 1716186600000 }
        deployments {
          tag_id: "T-104"
          individual_id: "XX-2024-01"
          start_ms: 631152000000
          end_ms: 1709251200000
        }
      )pb"));

  ASSERT_TRUE(Import(kStudy, csv, false, &resp, "reference.csv").ok());
  EXPECT_THAT(resp, EqualsProto("unchanged: 13"));
  v1::Study study;
  ASSERT_TRUE(GetStudy(kStudy, &study).ok());
  EXPECT_EQ(study.individual_count(), 4u);
  EXPECT_EQ(study.tag_count(), 4u);
  EXPECT_EQ(study.deployment_count(), 5u);
}

TEST_F(RegistryServiceTest, ImportErrorsNameTheFileLineAndColumn) {
  ASSERT_TRUE(CreateStudy(kStudy, "Cranes").ok());
  const std::string header =
      "tag-id,animal-id,animal-taxon,animal-sex,deploy-on-date,deploy-off-date\n";
  const std::string good_row = "T1,HC-01,Grus monacha,f,2024-01-01 00:00:00.000,\n";
  struct Case {
    std::string csv;
    std::vector<std::string> names;
  };
  const std::vector<Case> cases = {
      {header + good_row + "T2,HC-02,Grus monacha,m,2024-02-30 00:00:00.000,\n",
       {"bad.csv line 3", "column 'deploy-on-date'", "2024-02-30"}},
      {header + "T2,HC-02,Grus monacha,m,2024-02-01 00:00:00.000,yesterday\n",
       {"bad.csv line 2", "column 'deploy-off-date'", "yesterday"}},
      {header + good_row + ",HC-02,Grus monacha,m,,\n", {"bad.csv line 3", "tag-id is empty"}},
      {header + good_row + "T2,,Grus monacha,m,,\n", {"bad.csv line 3", "animal-id is empty"}},
      {header + good_row + "T2,HC-01,Antigone vipio,f,2024-06-01 00:00:00.000,\n",
       {"bad.csv line 3", "animal 'HC-01'"}},
      {header + good_row + "T2,\"HC-02,Grus monacha,m,,\n", {"bad.csv line 3", "malformed"}},
      {"tag-id,animal-taxon\nT1,Grus monacha\n", {"bad.csv", "required column 'animal-id'"}},
      {"", {"bad.csv", "empty"}},
  };
  for (const Case& c : cases) {
    v1::PutReferenceDataResponse resp;
    grpc::Status s = Import(kStudy, c.csv, false, &resp, "bad.csv");
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.csv;
    for (const std::string& part : c.names) {
      EXPECT_THAT(s.error_message(), HasSubstr(part)) << c.csv;
    }
  }
  // Without a file name the message still says where.
  v1::PutReferenceDataResponse resp;
  grpc::Status s = Import(kStudy, cases[0].csv, false, &resp);
  EXPECT_THAT(s.error_message(), HasSubstr("line 3"));
  EXPECT_THAT(Get(kStudy), EqualsProto(R"pb(study_id: "tumen-cranes-2024")pb"));
}

TEST_F(RegistryServiceTest, ImportOverTheSizeLimitIsResourceExhausted) {
  ASSERT_TRUE(CreateStudy(kStudy, "Cranes").ok());
  // The server was started with a 1 MiB limit.
  std::string csv = "tag-id,animal-id\n";
  while (csv.size() <= (1u << 20)) csv += "T1,HC-01\n";
  v1::PutReferenceDataResponse resp;
  grpc::Status s = Import(kStudy, csv, false, &resp, "huge.csv");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
  EXPECT_THAT(Get(kStudy), EqualsProto(R"pb(study_id: "tumen-cranes-2024")pb"));
}

}  // namespace
}  // namespace wetlink::services
