// End to end through the real wetlinkd and wetlink binaries: the tagging
// registry (`wetlink studies`, `wetlink reference`) and count surveys
// (`wetlink counts import|list`).
//
// tests/fixtures/integration/reference.csv: 4 deployments of 3 tags on 4
// cranes (HC-T01 moves from HC-Izumi-01 to HC-Izumi-03 on 2024-07-01).
// tests/fixtures/counts/tumen_counts.csv: 20 count rows, lines 2-11 and 21
// good, lines 12-20 each wrong in one way (see tests/counts/tumen_counts_test.cc).

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/integration/wetlinkd_process.h"

namespace wetlink::testing {
namespace {

using json = nlohmann::json;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

// Exit codes of the CLI (cli/exit_codes.h), spelled out so that a change to
// them shows up here.
constexpr int kOk = 0;
constexpr int kFailure = 1;
constexpr int kUsage = 2;
constexpr int kUnavailable = 3;
constexpr int kNotFound = 4;
constexpr int kInvalid = 5;
constexpr int kLocalIo = 6;
constexpr int kSomeRejected = 8;

const std::string kFixtures = WETLINK_INTEGRATION_FIXTURES_DIR;
const std::string kReferenceCsv = kFixtures + "/reference.csv";
const std::string kTumenCounts = kFixtures + "/../counts/tumen_counts.csv";

constexpr const char* kStudy = "hc-izumi-2024";

// Non-empty lines, without their CR.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// The refusals of tumen_counts.csv as `--rejects` writes them: line, field,
// reason (the message column is checked separately).
const std::vector<std::string> kTumenRefusals = {
    "12,site_id,UNKNOWN_SITE",     "13,date,BAD_DATE",         "14,species,UNKNOWN_SPECIES",
    "15,count,COUNT_OUT_OF_RANGE", "16,count,BAD_NUMBER",      "17,count,MISSING_FIELD",
    "18,count,NEGATIVE_COUNT",     "19,method,UNKNOWN_METHOD", "20,,MALFORMED_ROW",
};

// "line,field,reason" of each record of a rejects file (after the header).
// Those three columns never need quoting; the message column is dropped.
std::vector<std::string> RefusalKeys(const std::string& rejects_csv) {
  std::vector<std::string> keys;
  std::vector<std::string> lines = Lines(rejects_csv);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::string key;
    std::size_t pos = 0;
    for (int column = 0; column < 3; ++column) {
      const std::size_t comma = lines[i].find(',', pos);
      key += (column > 0 ? "," : "") + lines[i].substr(pos, comma - pos);
      pos = comma + 1;
    }
    keys.push_back(key);
  }
  return keys;
}

class RegistryCountsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(server_.Start(&error)) << error;
  }

  void TearDown() override {
    if (server_.running()) {
      const ExitStatus stopped = server_.Stop(std::chrono::seconds(10));
      EXPECT_TRUE(stopped.ok()) << "wetlinkd on SIGTERM: " << stopped.Describe();
    }
    if (HasFailure()) std::cerr << "--- wetlinkd log ---\n" << server_.log() << "\n";
  }

  // Runs the CLI and expects `code`.
  RunResult Expect(int code, const std::vector<std::string>& args) const {
    RunResult r = server_.Cli(args);
    std::string joined;
    for (const auto& a : args) joined += " " + a;
    EXPECT_EQ(r.code(), code) << "wetlink" << joined << "\n" << r.Describe();
    return r;
  }

  // Runs the CLI with --format json, expects `code` and parses stdout.
  json ExpectJson(int code, std::vector<std::string> args) const {
    args.insert(args.begin(), {"--format", "json"});
    RunResult r = Expect(code, args);
    json parsed = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) ADD_FAILURE() << "output is not JSON: " << r.Describe();
    return parsed;
  }

  void CreateStudy() const {
    Expect(kOk, {"studies", "create", kStudy, "--name", "Hooded crane, Izumi 2024", "--owner",
                 "Example Crane Group", "--licence", "CC-BY-4.0"});
  }

  std::string Scratch(const std::string& name) const { return server_.scratch().File(name); }

  // The counts stored, as "site_id species date count" strings, for `filters`.
  std::vector<std::string> ListedCounts(const std::vector<std::string>& filters) const {
    std::vector<std::string> args = {"counts", "list"};
    args.insert(args.end(), filters.begin(), filters.end());
    const json doc = ExpectJson(kOk, args);
    std::vector<std::string> out;
    if (!doc.contains("counts")) return out;
    for (const json& c : doc["counts"]) {
      out.push_back(c.value("site_id", "") + " " + c.value("species", "") + " " +
                    c.value("date", "") + " " + c.value("count", "?"));
    }
    return out;
  }

  WetlinkdProcess server_;
};

// ---------------------------------------------------------------------------
// studies

TEST_F(RegistryCountsCliTest, StudiesCreateListShow) {
  json created = ExpectJson(kOk, {"studies", "create", kStudy, "--name", "Hooded crane, Izumi 2024",
                                  "--owner", "Example Crane Group", "--licence", "CC-BY-4.0"});
  EXPECT_EQ(created.value("id", ""), kStudy);
  EXPECT_EQ(created.value("name", ""), "Hooded crane, Izumi 2024");
  EXPECT_EQ(created.value("owner", ""), "Example Crane Group");
  EXPECT_EQ(created.value("licence", ""), "CC-BY-4.0");
  EXPECT_EQ(created.value("individual_count", -1), 0);

  // The same again is harmless; the id with other attributes is refused.
  Expect(kOk, {"studies", "create", kStudy, "--name", "Hooded crane, Izumi 2024", "--owner",
               "Example Crane Group", "--licence", "CC-BY-4.0"});
  RunResult taken = Expect(kFailure, {"studies", "create", kStudy, "--name", "Another"});
  EXPECT_THAT(taken.err, AllOf(HasSubstr(kStudy), HasSubstr("ALREADY_EXISTS")));
  RunResult bad = Expect(kInvalid, {"studies", "create", "Not An Id!"});
  EXPECT_THAT(bad.err, HasSubstr("INVALID_ARGUMENT"));
  Expect(kOk, {"studies", "create", "wnc-dauria-2023", "--name", "White-naped crane, Dauria"});

  json list = ExpectJson(kOk, {"studies", "list"});
  ASSERT_TRUE(list.contains("studies")) << list;
  std::vector<std::string> ids;
  for (const json& s : list["studies"]) ids.push_back(s.value("id", ""));
  EXPECT_THAT(ids, ElementsAre(kStudy, "wnc-dauria-2023"));

  RunResult table = Expect(kOk, {"studies", "list"});
  EXPECT_THAT(Lines(table.out)[0], AllOf(HasSubstr("id"), HasSubstr("licence"),
                                         HasSubstr("individuals"), HasSubstr("deployments")));
  EXPECT_THAT(table.out, HasSubstr("Hooded crane, Izumi 2024"));
  RunResult csv = Expect(kOk, {"--format", "csv", "studies", "list"});
  EXPECT_THAT(Lines(csv.out),
              ElementsAre("id,name,owner,licence,individuals,tags,deployments",
                          "hc-izumi-2024,\"Hooded crane, Izumi 2024\",Example Crane Group,"
                          "CC-BY-4.0,0,0,0",
                          "wnc-dauria-2023,\"White-naped crane, Dauria\",,,0,0,0"));

  RunResult show = Expect(kOk, {"studies", "show", kStudy});
  EXPECT_THAT(show.out, AllOf(HasSubstr("owner:"), HasSubstr("Example Crane Group"),
                              HasSubstr("individuals:"), HasSubstr("deployments:")));
  RunResult missing = Expect(kNotFound, {"studies", "show", "no-such-study"});
  EXPECT_THAT(missing.err, AllOf(HasSubstr("no-such-study"), HasSubstr("NOT_FOUND")));
  Expect(kUsage, {"studies", "show"});
}

// ---------------------------------------------------------------------------
// reference

TEST_F(RegistryCountsCliTest, ReferenceImportDryRunThenStoreThenUnchanged) {
  RunResult no_study = Expect(kNotFound, {"reference", "import", kStudy, kReferenceCsv});
  EXPECT_THAT(no_study.err, HasSubstr("NOT_FOUND"));
  CreateStudy();

  json dry = ExpectJson(kOk, {"reference", "import", kStudy, kReferenceCsv, "--dry-run"});
  EXPECT_EQ(dry.value("individuals_created", -1), 4) << dry;
  EXPECT_EQ(dry.value("tags_created", -1), 3) << dry;
  EXPECT_EQ(dry.value("deployments_created", -1), 4) << dry;
  json nothing = ExpectJson(kOk, {"studies", "show", kStudy});
  EXPECT_EQ(nothing.value("deployment_count", -1), 0) << "a dry run stores nothing";

  RunResult stored = Expect(kOk, {"reference", "import", kStudy, kReferenceCsv});
  EXPECT_THAT(stored.out, HasSubstr("stored: 11 created, 0 updated, 0 unchanged"));
  EXPECT_THAT(Lines(stored.out), Contains(AllOf(HasSubstr("deployments"), HasSubstr("4"))));

  json study = ExpectJson(kOk, {"studies", "show", kStudy});
  EXPECT_EQ(study.value("individual_count", -1), 4);
  EXPECT_EQ(study.value("tag_count", -1), 3);
  EXPECT_EQ(study.value("deployment_count", -1), 4);

  json again = ExpectJson(kOk, {"reference", "import", kStudy, kReferenceCsv});
  EXPECT_EQ(again.value("individuals_created", -1), 0) << again;
  EXPECT_EQ(again.value("deployments_created", -1), 0) << again;
  EXPECT_EQ(again.value("deployments_updated", -1), 0) << again;
  EXPECT_EQ(again.value("unchanged", -1), 11) << again;

  RunResult csv =
      Expect(kOk, {"--format", "csv", "reference", "import", kStudy, kReferenceCsv, "--dry-run"});
  EXPECT_THAT(Lines(csv.out), Contains("unchanged,11"));
  EXPECT_THAT(Lines(csv.out), Contains("stored,false"));
}

TEST_F(RegistryCountsCliTest, ReferenceShowInEveryFormat) {
  CreateStudy();
  Expect(kOk, {"reference", "import", kStudy, kReferenceCsv});

  json doc = ExpectJson(kOk, {"reference", "show", kStudy});
  EXPECT_EQ(doc.value("study_id", ""), kStudy);
  ASSERT_EQ(doc["individuals"].size(), 4u) << doc;
  ASSERT_EQ(doc["tags"].size(), 3u) << doc;
  ASSERT_EQ(doc["deployments"].size(), 4u) << doc;
  std::map<std::string, std::string> species;
  for (const json& in : doc["individuals"]) species[in["id"]] = in["species_id"];
  EXPECT_EQ(species["HC-Izumi-01"], "grus_monacha");
  EXPECT_EQ(species["WNC-Izumi-01"], "antigone_vipio");

  RunResult table = Expect(kOk, {"reference", "show", kStudy});
  EXPECT_THAT(table.out,
              AllOf(HasSubstr("individuals: 4"), HasSubstr("tags: 3"), HasSubstr("deployments: 4"),
                    HasSubstr("Antigone vipio"), HasSubstr("antigone_vipio")));
  // Deployment times in UTC, with milliseconds; open deployments say so.
  EXPECT_THAT(table.out,
              AllOf(HasSubstr("2024-01-15 07:30:00.000"), HasSubstr("2024-06-30 12:00:00.000"),
                    HasSubstr("2024-01-16 08:05:30.250"), HasSubstr("still deployed")));

  RunResult csv = Expect(kOk, {"--format", "csv", "reference", "show", kStudy});
  const std::vector<std::string> rows = Lines(csv.out);
  ASSERT_EQ(rows.size(), 5u) << csv.out;
  EXPECT_EQ(rows[0],
            "tag-id,animal-id,animal-taxon,animal-sex,animal-ring-id,animal-comments,"
            "deploy-on-date,deploy-off-date,tag-manufacturer-name,tag-model");
  EXPECT_THAT(rows, Contains("HC-T01,HC-Izumi-01,Grus monacha,f,,,"
                             "2024-01-15 07:30:00.000,2024-06-30 12:00:00.000,,"));
  EXPECT_THAT(rows, Contains("WNC-T01,WNC-Izumi-01,Antigone vipio,f,,,"
                             "2024-01-20 09:15:00.000,,,"));
  // The CSV is Movebank reference data: it imports back, changing nothing.
  ASSERT_TRUE(WriteFile(Scratch("shown.csv"), csv.out));
  json back = ExpectJson(kOk, {"reference", "import", kStudy, Scratch("shown.csv")});
  EXPECT_EQ(back.value("unchanged", -1), 11) << back;

  Expect(kNotFound, {"reference", "show", "no-such-study"});
}

TEST_F(RegistryCountsCliTest, OverlappingDeploymentIsRefusedWhole) {
  CreateStudy();
  Expect(kOk, {"reference", "import", kStudy, kReferenceCsv});
  // WNC-T01 is still on WNC-Izumi-01; putting it on a new crane from March
  // overlaps. The new crane on the same file must not be stored either.
  const std::string overlap = Scratch("overlap.csv");
  ASSERT_TRUE(WriteFile(overlap,
                        "tag-id,animal-id,animal-taxon,animal-sex,deploy-on-date,deploy-off-date\n"
                        "HC-T03,HC-Izumi-04,Grus monacha,m,2024-02-01 00:00:00.000,\n"
                        "WNC-T01,WNC-Izumi-02,Antigone vipio,m,2024-03-01 00:00:00.000,\n"));
  RunResult r = Expect(kInvalid, {"reference", "import", kStudy, overlap});
  EXPECT_THAT(r.err,
              AllOf(HasSubstr("WNC-T01"), HasSubstr("WNC-Izumi-01"), HasSubstr("WNC-Izumi-02"),
                    HasSubstr("overlaps"), HasSubstr("INVALID_ARGUMENT")));
  EXPECT_THAT(r.err, HasSubstr("overlap.csv"));  // the command names the file

  json study = ExpectJson(kOk, {"studies", "show", kStudy});
  EXPECT_EQ(study.value("individual_count", -1), 4);
  EXPECT_EQ(study.value("tag_count", -1), 3);
  EXPECT_EQ(study.value("deployment_count", -1), 4);

  // A file the server cannot read as reference data names line and column.
  const std::string bad_date = Scratch("bad_date.csv");
  ASSERT_TRUE(WriteFile(bad_date,
                        "tag-id,animal-id,deploy-on-date\n"
                        "HC-T09,HC-Izumi-09,2024-02-30 00:00:00.000\n"));
  RunResult bad = Expect(kInvalid, {"reference", "import", kStudy, bad_date});
  EXPECT_THAT(bad.err, AllOf(HasSubstr("bad_date.csv line 2"), HasSubstr("deploy-on-date")));

  Expect(kUsage, {"reference", "import", kStudy, Scratch("does-not-exist.csv")});
}

// ---------------------------------------------------------------------------
// counts

TEST_F(RegistryCountsCliTest, CountsImportReportsEveryRefusedLine) {
  const std::string rejects = Scratch("rejects.csv");
  RunResult first = Expect(kSomeRejected, {"counts", "import", kTumenCounts, "--rejects", rejects});
  EXPECT_THAT(first.out, HasSubstr("20 records: 11 accepted, 0 duplicates, 0 updated, 9 rejected"));
  EXPECT_THAT(first.err, HasSubstr("9 rejected records listed in " + rejects));
  const std::string written = ReadFile(rejects);
  EXPECT_EQ(Lines(written).at(0), "line,field,reason,message");
  EXPECT_THAT(RefusalKeys(written), ElementsAreArray(kTumenRefusals)) << written;
  EXPECT_THAT(written, AllOf(HasSubstr("tumen_delta"), HasSubstr("2023-09-31"),
                             HasSubstr("Grus grus"), HasSubstr("estimate")));

  // Again: the good rows are duplicates, the bad ones refused again, now on
  // standard error.
  RunResult again = Expect(kSomeRejected, {"--format", "json", "counts", "import", kTumenCounts});
  const json totals = json::parse(again.out, nullptr, false);
  ASSERT_FALSE(totals.is_discarded()) << again.out;
  EXPECT_EQ(totals.value("file", ""), kTumenCounts);
  EXPECT_EQ(totals.value("dry_run", true), false);
  EXPECT_EQ(totals.value("accepted", -1), 0) << totals;
  EXPECT_EQ(totals.value("duplicates", -1), 11) << totals;
  EXPECT_EQ(totals.value("updated", -1), 0) << totals;
  EXPECT_EQ(totals.value("rejected", -1), 9) << totals;
  EXPECT_EQ(totals.value("records", -1), 20) << totals;
  std::vector<std::string> err_lines = Lines(again.err);
  ASSERT_EQ(err_lines.size(), 9u) << again.err;
  EXPECT_EQ(err_lines[0],
            "wetlink: tumen_counts.csv line 12, column site_id: site_id 'tumen_delta' is not a "
            "site in the catalog (UNKNOWN_SITE)");
  EXPECT_EQ(err_lines[3],
            "wetlink: tumen_counts.csv line 15, column count: count 12.5 is not a whole number "
            "(COUNT_OUT_OF_RANGE)");
  EXPECT_EQ(err_lines[8],
            "wetlink: tumen_counts.csv line 20: row has 5 fields, the header has 9 "
            "(MALFORMED_ROW)");

  // Small batches: server refusals still map to the right lines, merged in
  // line order with the parser's.
  const std::string small = Scratch("rejects-small.csv");
  RunResult batched = Expect(kSomeRejected, {"--format", "csv", "counts", "import", kTumenCounts,
                                             "--batch-size", "3", "--dry-run", "--rejects", small});
  EXPECT_THAT(Lines(batched.out), Contains("accepted,11")) << batched.out;
  EXPECT_THAT(Lines(batched.out), Contains("dry_run,true")) << batched.out;
  EXPECT_THAT(RefusalKeys(ReadFile(small)), ElementsAreArray(kTumenRefusals));
  EXPECT_EQ(ReadFile(small), written) << "the same report whatever the batch size";
}

TEST_F(RegistryCountsCliTest, CountsImportCorrectionsCleanFilesAndBadFiles) {
  Expect(kSomeRejected, {"counts", "import", kTumenCounts, "--rejects", Scratch("r.csv")});

  // A corrected count replaces the stored one; a clean file exits 0.
  const std::string fix = Scratch("correction.csv");
  ASSERT_TRUE(
      WriteFile(fix,
                "survey_id,site_id,date,species,count,method,observer,organisation\n"
                "TUM-2023-SPR-03,rason,2023-04-02,HC,19,roost,Observer C,Example Survey Group\n"
                "TUM-2023-SPR-03,rason,2023-04-02,BFS,3,boat,Observer C,Example Survey Group\n"
                "TUM-2023-SPR-04,rason,2023-04-09,HC,7,ground,Observer C,Example Survey Group\n"));
  RunResult r = Expect(kOk, {"counts", "import", fix});
  EXPECT_THAT(r.out, HasSubstr("3 records: 1 accepted, 1 duplicates, 1 updated, 0 rejected"));
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_THAT(ListedCounts({"--site", "rason", "--species", "HC"}),
              ElementsAre("rason grus_monacha 2023-04-02 19", "rason grus_monacha 2023-04-09 7"));

  // A header without a required column: nothing is sent.
  const std::string no_count = Scratch("no_count.csv");
  ASSERT_TRUE(WriteFile(no_count, "survey_id,site_id,date,species\nS,rason,2023-04-02,HC\n"));
  RunResult bad = Expect(kInvalid, {"counts", "import", no_count});
  EXPECT_THAT(bad.err, AllOf(HasSubstr("no_count.csv"), HasSubstr("count")));
  Expect(kUsage, {"counts", "import", Scratch("missing.csv")});
  Expect(kUsage, {"counts", "import", kTumenCounts, "--batch-size", "0"});
  Expect(kLocalIo,
         {"counts", "import", kTumenCounts, "--rejects", Scratch("no-such-dir/rejects.csv")});

  // No server: the command says so, and leaves no rejects file behind.
  const std::string address = server_.address();
  ASSERT_TRUE(server_.Stop().ok());
  const std::string rejects = Scratch("rejects-unsent.csv");
  RunResult down =
      RunCli({"--server", address, "counts", "import", kTumenCounts, "--rejects", rejects});
  EXPECT_EQ(down.code(), kUnavailable) << down.Describe();
  EXPECT_THAT(down.err, HasSubstr("UNAVAILABLE"));
  EXPECT_FALSE(std::filesystem::exists(rejects));
  EXPECT_FALSE(std::filesystem::exists(rejects + ".part"));
}

TEST_F(RegistryCountsCliTest, CountsListFiltersAndFollowsPages) {
  Expect(kSomeRejected, {"counts", "import", kTumenCounts, "--rejects", Scratch("r.csv")});

  const std::vector<std::string> all = ListedCounts({});
  EXPECT_EQ(all.size(), 11u);
  EXPECT_EQ(ListedCounts({"--page-size", "2"}), all) << "every page is fetched";
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end())) << "ordered by site, species, date";

  EXPECT_THAT(ListedCounts({"--site", "rason"}),
              ElementsAre("rason grus_monacha 2023-04-02 18", "rason platalea_minor 2023-04-02 3"));
  // By code, id or scientific name.
  const std::vector<std::string> hooded = ListedCounts({"--species", "HC"});
  EXPECT_THAT(hooded, ElementsAre("hunchun grus_monacha 2023-10-19 64",
                                  "khasansky_mramornoye grus_monacha 2023-03-28 5",
                                  "khasansky_south grus_monacha 2023-03-28 12",
                                  "rason grus_monacha 2023-04-02 18"));
  EXPECT_EQ(ListedCounts({"--species", "grus_monacha"}), hooded);
  EXPECT_EQ(ListedCounts({"--species", "Antigone vipio"}).size(), 3u);
  EXPECT_THAT(
      ListedCounts({"--from", "2023-10-01"}),
      ElementsAre("hunchun grus_monacha 2023-10-19 64", "jingxin grus_japonensis 2023-10-19 2",
                  "khasansky_mramornoye platalea_minor 2023-10-22 0"));
  EXPECT_THAT(
      ListedCounts({"--from", "2023-03-29", "--to", "2023-04-02"}),
      ElementsAre("fangchuan antigone_vipio 2023-03-30 23", "jingxin antigone_vipio 2023-03-30 31",
                  "rason grus_monacha 2023-04-02 18", "rason platalea_minor 2023-04-02 3"));

  RunResult table = Expect(kOk, {"counts", "list", "--site", "rason"});
  EXPECT_THAT(table.out,
              AllOf(HasSubstr("Counted at the \"east\" roost at dusk"), HasSubstr("2 counts")));

  // CSV output uses the count CSV columns, so it imports back: all duplicates.
  RunResult csv = Expect(kOk, {"--format", "csv", "counts", "list"});
  EXPECT_EQ(Lines(csv.out).at(0),
            "survey_id,site_id,date,species,count,method,observer,organisation,notes");
  EXPECT_EQ(Lines(csv.out).size(), 12u);
  ASSERT_TRUE(WriteFile(Scratch("listed.csv"), csv.out));
  RunResult back = Expect(kOk, {"counts", "import", Scratch("listed.csv")});
  EXPECT_THAT(back.out, HasSubstr("11 records: 0 accepted, 11 duplicates, 0 updated, 0 rejected"));

  RunResult unknown_site = Expect(kNotFound, {"counts", "list", "--site", "atlantis"});
  EXPECT_THAT(unknown_site.err, HasSubstr("atlantis"));
  Expect(kNotFound, {"counts", "list", "--species", "Grus grus"});
  RunResult bad_date = Expect(kUsage, {"counts", "list", "--from", "2023-02-30"});
  EXPECT_THAT(bad_date.err, HasSubstr("--from"));
}

}  // namespace
}  // namespace wetlink::testing
