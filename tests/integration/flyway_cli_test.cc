// End to end: the flyway analytics through the real binaries. A real
// wetlinkd on loopback; fixes sent by the real wetlink-ingest daemon; every
// answer read with the real `wetlink flyway ... --format json`.
//
// - FlywayKnownAnswerTest: the hand-made fixture tests/fixtures/flyway/
//   known_answer.csv, whose README.md works out every expected answer
//   (links, routes, betweenness, loss, flows, gaps, rM, ...) by hand.
// - FlywayLiveTest: a late, out-of-order batch that adds a stopover between
//   two stored ones replaces exactly one link by two, within a second.
// - FlywaySimTest: a simulated year (wetlink-sim) against its ground truth.
//
// Every wait is bounded; the whole file runs in well under a minute.

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gdal.h"
#include "gdal_priv.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ogrsf_frmts.h"
#include "tests/integration/wetlinkd_process.h"

namespace wetlink::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

// Exit codes of the CLI (docs/CLI.md).
constexpr int kOk = 0;
constexpr int kUsage = 2;
constexpr int kNotFound = 4;
constexpr int kInvalid = 5;

constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kDayMs = 24 * kHourMs;

// The discovered site of the fixture (README.md: the mean of the two stays,
// 43.857 N 131.961 E). Its stays are of two threatened cranes, sensitive by
// wetlinkd's default [privacy], so it is published on its 0.2-degree cell.
const std::string kCand = "cand_43.900n_131.900e";

std::string FromEnvOr(const char* env, const char* fallback) {
  if (const char* v = std::getenv(env); v != nullptr && *v != '\0') return v;
  return fallback;
}
std::string IngestPath() { return FromEnvOr("WETLINK_INGEST_PATH", WETLINK_INGEST_PATH); }
std::string SimPath() { return FromEnvOr("WETLINK_SIM_PATH", WETLINK_SIM_PATH); }
std::string FlywayFixture(const std::string& name) {
  return std::string(WETLINK_FLYWAY_FIXTURES_DIR) + "/" + name;
}

// "2024-03-06 06:00" (UTC) as ms since 1970.
std::int64_t Utc(const std::string& text) {
  tm t{};
  int year = 0;
  int month = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%d %d:%d", &year, &month, &t.tm_mday, &t.tm_hour,
                  &t.tm_min) != 5) {
    ADD_FAILURE() << "bad time " << text;
    return 0;
  }
  t.tm_year = year - 1900;
  t.tm_mon = month - 1;
  return static_cast<std::int64_t>(timegm(&t)) * 1000;
}

// Movebank's "yyyy-MM-dd HH:mm:ss.SSS" of a UTC time in ms.
std::string MovebankTime(std::int64_t ms) {
  const time_t secs = static_cast<time_t>(ms / 1000);
  tm t{};
  gmtime_r(&secs, &t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S.000", &t);
  return buf;
}

// proto3 JSON writes 64-bit integers as strings.
std::string Ms(std::int64_t ms) { return std::to_string(ms); }

// Sends `file` to `server` with the real wetlink-ingest daemon
// (Movebank-style auto-registration into `study`), in batches of
// `batch_size` rows: each acknowledged batch is one update of the live graph.
RunResult Push(const WetlinkdProcess& server, const std::string& study, const std::string& file,
               const std::string& state_dir, int batch_size = 10'000) {
  return RunProgram(
      IngestPath(),
      {"--server", server.address(), "--token-file", server.admin_token_file(), "--study", study,
       "--auto-register", "--state-dir", state_dir, "--log-level", "warn", "--batch-size",
       std::to_string(batch_size), "push", file},
      std::chrono::seconds(60));
}

// The daemon's totals (its checkpoint, docs/INGEST_DAEMON.md).
json IngestTotals(const std::string& state_dir) {
  json doc = json::parse(ReadFile(state_dir + "/checkpoint.json"), nullptr, false);
  if (doc.is_discarded() || !doc.contains("totals")) return json();
  return doc["totals"];
}

// `wetlink --format json ARGS...`: the parsed answer, or null (with a
// failure recorded) when the command failed.
json CliJson(const WetlinkdProcess& server, std::vector<std::string> args) {
  args.insert(args.begin(), {"--format", "json"});
  const RunResult r = server.Cli(args);
  if (r.code() != kOk) {
    ADD_FAILURE() << "wetlink " << ::testing::PrintToString(args) << ": " << r.Describe();
    return json();
  }
  json doc = json::parse(r.out, nullptr, false);
  if (doc.is_discarded()) {
    ADD_FAILURE() << "not JSON: " << r.Describe();
    return json();
  }
  return doc;
}

// Polls `done` every `every` until it holds or `limit` has passed.
bool WaitUntil(const std::function<bool()>& done, milliseconds limit,
               milliseconds every = milliseconds(50)) {
  const Clock::time_point deadline = Clock::now() + limit;
  while (true) {
    if (done()) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(every);
  }
}

// Waits until the live flyway status satisfies `want` and its snapshot
// version has not moved for `quiet` (the live engine gathers changes for
// 50 ms before publishing; a quiet snapshot has taken every noted change).
bool WaitForSettledFlyway(const WetlinkdProcess& server,
                          const std::function<bool(const json&)>& want, milliseconds limit,
                          std::string* last) {
  const Clock::time_point deadline = Clock::now() + limit;
  std::string version;
  Clock::time_point since = Clock::now();
  while (Clock::now() < deadline) {
    const RunResult r = server.Cli({"--format", "json", "flyway", "status"});
    json status = json::parse(r.out, nullptr, false);
    if (r.code() == kOk && !status.is_discarded()) {
      *last = status.dump();
      const std::string v = status.value("snapshot_version", "");
      if (v != version) {
        version = v;
        since = Clock::now();
      } else if (want(status) && Clock::now() - since >= milliseconds(300)) {
        return true;
      }
    }
    std::this_thread::sleep_for(milliseconds(50));
  }
  return false;
}

using LinkKey = std::pair<std::string, std::string>;

std::map<LinkKey, json> LinksByKey(const json& links) {
  std::map<LinkKey, json> out;
  if (!links.is_array()) return out;
  for (const json& l : links) out[{l.value("from_id", ""), l.value("to_id", "")}] = l;
  return out;
}

// (individuals, transitions) per link.
std::map<LinkKey, std::pair<int, int>> LinkCounts(const json& links) {
  std::map<LinkKey, std::pair<int, int>> out;
  for (const auto& [key, l] : LinksByKey(links)) {
    out[key] = {l.value("individuals", 0), l.value("transitions", 0)};
  }
  return out;
}

std::vector<std::string> Strings(const json& array) {
  std::vector<std::string> out;
  if (!array.is_array()) return out;
  for (const json& v : array) out.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  return out;
}

std::vector<std::string> Field(const json& array, const std::string& name) {
  std::vector<std::string> out;
  if (!array.is_array()) return out;
  for (const json& v : array) out.push_back(v.value(name, ""));
  return out;
}

const json* FindBy(const json& array, const std::string& field, const std::string& value) {
  if (!array.is_array()) return nullptr;
  for (const json& v : array) {
    if (v.value(field, "") == value) return &v;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// GDAL

struct DatasetCloser {
  void operator()(GDALDataset* d) const { GDALClose(GDALDataset::ToHandle(d)); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

DatasetPtr OpenVector(const std::string& path) {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
  return DatasetPtr(GDALDataset::FromHandle(
      GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
}

// ---------------------------------------------------------------------------
// The known-answer fixture, shared by the tests of one run (they only read).

// Its links (README.md): (from, to) -> (individuals, transitions).
std::map<LinkKey, std::pair<int, int>> KnownAnswerLinks() {
  return {{{"izumi", "cheorwon"}, {4, 4}},   {{"cheorwon", "rason"}, {3, 3}},
          {{"cheorwon", "jingxin"}, {1, 1}}, {{"cheorwon", kCand}, {1, 1}},
          {{"rason", "khanka_ru"}, {2, 2}},  {{"rason", "daursky"}, {1, 1}},
          {{"jingxin", kCand}, {1, 1}},      {{kCand, "khanka_ru"}, {2, 2}},
          {{"maipo", "chongming"}, {1, 1}},  {{"chongming", "ganghwa"}, {1, 1}}};
}

bool IsKnownAnswerStatus(const json& s) {
  return s.value("individuals", 0) == 6 && s.value("stopovers", 0) == 23 &&
         s.value("transitions", 0) == 17;
}

class FlywayKnownAnswerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new WetlinkdProcess();
    std::string error;
    if (!server_->Start(&error)) {
      setup_error_ = error;
      return;
    }
    // In batches of 500 rows, one bird after the other: the live graph is
    // built by 14 incremental updates, not by the start-up rebuild.
    const std::string state = server_->scratch().File("ingest-state");
    const RunResult push = Push(*server_, "ka", FlywayFixture("known_answer.csv"), state, 500);
    if (!push.status.ok()) {
      setup_error_ = "wetlink-ingest push: " + push.Describe();
      return;
    }
    const json totals = IngestTotals(state);
    if (totals.value("accepted", 0) != 6561 || totals.value("duplicates", 0) != 1) {
      setup_error_ = "ingest totals: " + totals.dump() + "\n" + push.Describe();
      return;
    }
    std::string last;
    if (!WaitForSettledFlyway(*server_, IsKnownAnswerStatus, std::chrono::seconds(10), &last)) {
      setup_error_ = "the live flyway never showed the fixture; last status " + last;
    }
  }

  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    if (!setup_error_.empty()) FAIL() << setup_error_;
  }

  static const WetlinkdProcess& server() { return *server_; }
  static json Flyway(std::vector<std::string> args) {
    args.insert(args.begin(), "flyway");
    return CliJson(*server_, std::move(args));
  }

 private:
  static WetlinkdProcess* server_;
  static std::string setup_error_;
};

WetlinkdProcess* FlywayKnownAnswerTest::server_ = nullptr;
std::string FlywayKnownAnswerTest::setup_error_;

TEST_F(FlywayKnownAnswerTest, StatusAndLinks) {
  const json status = Flyway({"status"});
  EXPECT_EQ(status["individuals"], 6);
  EXPECT_EQ(status["stopovers"], 23);
  EXPECT_EQ(status["transitions"], 17);
  EXPECT_EQ(status["nodes"], 36);  // 35 catalogued + 1 discovered
  EXPECT_EQ(status["discovered_sites"], 1);
  EXPECT_EQ(status["params"]["min_stay_hours"], 24);
  EXPECT_EQ(status["params"]["max_gap_hours"], 72);
  EXPECT_EQ(status["last_error"], "");

  const json doc = Flyway({"links"});
  const json& links = doc["links"];
  EXPECT_EQ(LinkCounts(links), KnownAnswerLinks()) << doc.dump(1);
  // The API orders links by (from_id, to_id), discovered ids included.
  std::vector<LinkKey> order;
  for (const json& l : links) order.push_back({l.value("from_id", ""), l.value("to_id", "")});
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end())) << doc.dump(1);

  auto by_key = LinksByKey(links);
  const std::map<LinkKey, double> probability = {
      {{"izumi", "cheorwon"}, 1.0},      {{"cheorwon", "rason"}, 0.6},
      {{"cheorwon", "jingxin"}, 0.2},    {{"cheorwon", kCand}, 0.2},
      {{"rason", "khanka_ru"}, 2.0 / 3}, {{"rason", "daursky"}, 1.0 / 3},
      {{"jingxin", kCand}, 1.0},         {{kCand, "khanka_ru"}, 1.0}};
  for (const auto& [key, p] : probability) {
    EXPECT_NEAR(by_key[key].value("probability", -1.0), p, 1e-9) << key.first << "→" << key.second;
  }
  const json& ic = by_key[{"izumi", "cheorwon"}];
  EXPECT_THAT(Strings(ic["species"]), ElementsAre("antigone_vipio", "grus_monacha"));
  EXPECT_EQ(ic["median_travel_ms"], Ms(kDayMs));
  EXPECT_EQ(ic["first_departure_ms"], Ms(Utc("2024-02-20 06:00")));  // WNC-1
  EXPECT_EQ(ic["last_arrival_ms"], Ms(Utc("2024-02-27 06:00")));     // HC-2
  EXPECT_NEAR(ic.value("median_distance_m", 0.0), 728'600, 1'000);
  EXPECT_EQ(ic["cross_border"], true);
  // WNC-2 left Cheorwon 48 h before reaching the candidate: the 9 h Rason
  // visit between is no stopover.
  EXPECT_EQ(by_key[LinkKey("cheorwon", kCand)]["median_travel_ms"], Ms(2 * kDayMs));
  EXPECT_EQ(by_key[LinkKey(kCand, "khanka_ru")]["cross_border"], false);  // RU → RU

  const json* cand = FindBy(doc["nodes"], "id", kCand);
  ASSERT_NE(cand, nullptr) << doc.dump(1);
  EXPECT_EQ((*cand)["catalogued"], false);
  EXPECT_EQ((*cand)["is_protected"], false);
  EXPECT_EQ((*cand)["country"], "RU");
  EXPECT_EQ((*cand)["name"], "");
  EXPECT_NEAR((*cand).value("lat", 0.0), 43.9, 1e-9);
  EXPECT_NEAR((*cand).value("lon", 0.0), 131.9, 1e-9);
  for (const auto& [id, is_protected] : std::map<std::string, bool>{
           {"jingxin", false}, {"cheorwon", false}, {"rason", true}, {"izumi", true}}) {
    const json* n = FindBy(doc["nodes"], "id", id);
    ASSERT_NE(n, nullptr) << id;
    EXPECT_EQ((*n)["is_protected"], is_protected) << id;
    EXPECT_EQ((*n)["catalogued"], true) << id;
  }

  // Link filters.
  auto keys = [](const json& d) {
    std::set<LinkKey> k;
    for (const auto& [key, l] : LinksByKey(d["links"])) k.insert(key);
    return k;
  };
  EXPECT_EQ(keys(Flyway({"links", "--min-individuals", "2"})),
            (std::set<LinkKey>{{"izumi", "cheorwon"},
                               {"cheorwon", "rason"},
                               {"rason", "khanka_ru"},
                               {kCand, "khanka_ru"}}));
  EXPECT_EQ(keys(Flyway({"links", "--site", kCand})),
            (std::set<LinkKey>{{"cheorwon", kCand}, {"jingxin", kCand}, {kCand, "khanka_ru"}}));
  EXPECT_EQ(keys(Flyway({"links", "--country", "RU"})), (std::set<LinkKey>{{"cheorwon", kCand},
                                                                           {"rason", "khanka_ru"},
                                                                           {"rason", "daursky"},
                                                                           {"jingxin", kCand},
                                                                           {kCand, "khanka_ru"}}));
  std::set<LinkKey> cross = keys(doc);
  cross.erase({kCand, "khanka_ru"});
  EXPECT_EQ(keys(Flyway({"links", "--cross-border"})), cross);
}

TEST_F(FlywayKnownAnswerTest, WindowsSeasonsAndSpecies) {
  // Transitions are selected by their departure time.
  const json march = Flyway({"links", "--from", "2024-03-01", "--to", "2024-04-01"});
  EXPECT_EQ(LinkCounts(march["links"]),
            (std::map<LinkKey, std::pair<int, int>>{{{"cheorwon", "rason"}, {3, 3}},
                                                    {{"cheorwon", "jingxin"}, {1, 1}},
                                                    {{"cheorwon", kCand}, {1, 1}},
                                                    {{"rason", "khanka_ru"}, {2, 2}},
                                                    {{"rason", "daursky"}, {1, 1}},
                                                    {{"jingxin", kCand}, {1, 1}},
                                                    {{kCand, "khanka_ru"}, {1, 1}},
                                                    {{"maipo", "chongming"}, {1, 1}}}))
      << march.dump(1);
  EXPECT_EQ(march["info"]["on_demand"], false);

  // Winter is per species: HC Dec–Jan, WNC and BFS Dec–Feb; only WNC-1
  // leaves a site in winter (Izumi, 20 February).
  const json winter = Flyway({"links", "--season", "winter"});
  EXPECT_EQ(LinkCounts(winter["links"]),
            (std::map<LinkKey, std::pair<int, int>>{{{"izumi", "cheorwon"}, {1, 1}}}))
      << winter.dump(1);
  EXPECT_THAT(Strings(winter["links"][0]["species"]), ElementsAre("antigone_vipio"));

  // By code: the three Hooded cranes; probabilities within the selection.
  const json hc = Flyway({"links", "--species", "HC"});
  EXPECT_EQ(LinkCounts(hc["links"]),
            (std::map<LinkKey, std::pair<int, int>>{{{"izumi", "cheorwon"}, {3, 3}},
                                                    {{"cheorwon", "rason"}, {2, 2}},
                                                    {{"cheorwon", "jingxin"}, {1, 1}},
                                                    {{"rason", "khanka_ru"}, {2, 2}},
                                                    {{"jingxin", kCand}, {1, 1}},
                                                    {{kCand, "khanka_ru"}, {1, 1}}}))
      << hc.dump(1);
  EXPECT_NEAR(LinksByKey(hc["links"])[LinkKey("cheorwon", "rason")].value("probability", 0.0),
              2.0 / 3, 1e-9);
  EXPECT_TRUE(Flyway({"links", "--study", "no-such-study"})["links"].empty());

  // A stopover is selected when its stay overlaps the window or season.
  const json day = Flyway({"stopovers", "--from", "2024-03-06", "--to", "2024-03-07"});
  EXPECT_THAT(Field(day["stopovers"], "individual_id"),
              UnorderedElementsAre("HC-1", "HC-2", "WNC-1", "BFS-1", "HC-3"));
  const json breeding = Flyway({"stopovers", "--season", "breeding"});
  EXPECT_THAT(Field(breeding["stopovers"], "site_id"),
              UnorderedElementsAre("khanka_ru", "khanka_ru", "khanka_ru", "khanka_ru", "daursky",
                                   "ganghwa"));
  // WNC-2 that day: between stopovers, only the short Rason visit.
  const json wnc2 = Flyway({"stopovers", "--study", "ka", "--individual", "WNC-2", "--visits",
                            "--from", "2024-03-06", "--to", "2024-03-07"});
  EXPECT_TRUE(wnc2["stopovers"].empty()) << wnc2.dump(1);
  EXPECT_THAT(Field(wnc2["visits"], "site_id"), ElementsAre("rason"));
  const json three = Flyway({"stopovers", "--limit", "3"});
  EXPECT_EQ(three["stopovers"].size(), 3u);
  EXPECT_EQ(three["truncated"], true);
}

TEST_F(FlywayKnownAnswerTest, NeighboursAndStopovers) {
  const json nb = Flyway({"neighbours", "cheorwon"});
  EXPECT_EQ(nb["site"]["id"], "cheorwon");
  EXPECT_EQ(nb["site"]["country"], "KR");
  EXPECT_THAT(Field(nb["incoming"], "from_id"), ElementsAre("izumi"));
  EXPECT_EQ(nb["incoming"][0]["individuals"], 4);
  // By individuals, then transitions, then ids.
  EXPECT_THAT(Field(nb["outgoing"], "to_id"), ElementsAre("rason", kCand, "jingxin"));
  const json cand = Flyway({"neighbours", kCand});
  EXPECT_THAT(Field(cand["incoming"], "from_id"), UnorderedElementsAre("cheorwon", "jingxin"));
  EXPECT_THAT(Field(cand["outgoing"], "to_id"), ElementsAre("khanka_ru"));
  EXPECT_EQ(cand["site"]["catalogued"], false);

  EXPECT_EQ(Flyway({"stopovers"})["stopovers"].size(), 23u);

  // WNC-2: the 9 h Rason visit is a visit, not a stopover.
  const json wnc2 = Flyway({"stopovers", "--study", "ka", "--individual", "WNC-2", "--visits"});
  const json& stops = wnc2["stopovers"];
  ASSERT_EQ(stops.size(), 3u) << wnc2.dump(1);
  EXPECT_THAT(Field(stops, "site_id"), ElementsAre("cheorwon", kCand, "khanka_ru"));
  EXPECT_EQ(stops[0]["arrival_ms"], Ms(Utc("2024-01-20 00:00")));
  EXPECT_EQ(stops[0]["departure_ms"], Ms(Utc("2024-03-05 06:00")));
  EXPECT_EQ(stops[1]["arrival_ms"], Ms(Utc("2024-03-07 06:00")));
  EXPECT_EQ(stops[1]["departure_ms"], Ms(Utc("2024-03-12 06:00")));
  EXPECT_EQ(stops[1]["catalogued"], false);
  EXPECT_EQ(stops[1]["fixes"], 41);  // 5 days, every 3 h
  EXPECT_EQ(stops[2]["catalogued"], true);
  EXPECT_EQ(stops[2]["species_id"], "antigone_vipio");
  const json& visits = wnc2["visits"];
  EXPECT_THAT(Field(visits, "site_id"), ElementsAre("cheorwon", "rason", "khanka_ru"));
  ASSERT_EQ(visits.size(), 3u);
  EXPECT_EQ(visits[1]["arrival_ms"], Ms(Utc("2024-03-06 06:00")));
  EXPECT_EQ(visits[1]["departure_ms"], Ms(Utc("2024-03-06 15:00")));
  EXPECT_EQ(visits[1]["fixes"], 4);

  // HC-1: the 9 h excursion out of Khanka does not cut the visit; its two
  // fixes belong to the visit but are not fixes in the site.
  const json hc1 = Flyway({"stopovers", "--study", "ka", "--individual", "HC-1", "--visits"});
  EXPECT_THAT(Field(hc1["stopovers"], "site_id"),
              ElementsAre("izumi", "cheorwon", "rason", "khanka_ru"));
  EXPECT_THAT(Field(hc1["visits"], "site_id"),
              ElementsAre("izumi", "cheorwon", "rason", "khanka_ru"));
  ASSERT_EQ(hc1["visits"].size(), 4u);
  const json& khanka = hc1["visits"][3];
  EXPECT_EQ(khanka["arrival_ms"], Ms(Utc("2024-03-29 06:00")));
  EXPECT_EQ(khanka["departure_ms"], Ms(Utc("2024-06-05 00:00")));
  EXPECT_EQ(khanka["fixes"], 543 - 2);

  const json at_cand = Flyway({"stopovers", "--site", kCand});
  EXPECT_THAT(Field(at_cand["stopovers"], "individual_id"), UnorderedElementsAre("HC-2", "WNC-2"));
  for (const json& s : at_cand["stopovers"]) {
    EXPECT_EQ(std::stoll(s.value("departure_ms", "0")) - std::stoll(s.value("arrival_ms", "0")),
              5 * kDayMs);
  }
}

TEST_F(FlywayKnownAnswerTest, RoutesImportanceAndLoss) {
  const json routes = Flyway({"routes", "izumi", "khanka_ru"});
  ASSERT_TRUE(routes.contains("most_probable")) << routes.dump(1);
  const json& best = routes["most_probable"];
  EXPECT_THAT(Strings(best["site_ids"]), ElementsAre("izumi", "cheorwon", "rason", "khanka_ru"));
  ASSERT_EQ(best["hop_probabilities"].size(), 3u);
  EXPECT_NEAR(best["hop_probabilities"][0].get<double>(), 1.0, 1e-12);
  EXPECT_NEAR(best["hop_probabilities"][1].get<double>(), 0.6, 1e-12);
  EXPECT_NEAR(best["hop_probabilities"][2].get<double>(), 2.0 / 3, 1e-12);
  EXPECT_NEAR(best.value("probability", 0.0), 0.4, 1e-12);
  const json& used = routes["most_used"];
  ASSERT_EQ(used.size(), 2u) << routes.dump(1);
  EXPECT_THAT(Strings(used[0]["site_ids"]), ElementsAre("izumi", "cheorwon", "rason", "khanka_ru"));
  EXPECT_EQ(used[0]["individuals"], 2);
  EXPECT_EQ(used[0]["journeys"], 2);
  EXPECT_EQ(used[0]["median_duration_ms"], Ms(792 * kHourMs));
  EXPECT_THAT(Strings(used[1]["site_ids"]),
              ElementsAre("izumi", "cheorwon", "jingxin", kCand, "khanka_ru"));
  EXPECT_EQ(used[1]["individuals"], 1);
  EXPECT_EQ(used[1]["median_duration_ms"], Ms(864 * kHourMs));
  EXPECT_EQ(Flyway({"routes", "izumi", "khanka_ru", "-k", "1"})["most_used"].size(), 1u);
  // No bird flew back, and Mai Po is not linked to the cranes' sites.
  for (const auto& [from, to] : std::vector<LinkKey>{{"khanka_ru", "izumi"}, {"maipo", "izumi"}}) {
    const json none = Flyway({"routes", from, to});
    EXPECT_FALSE(none.contains("most_probable")) << none.dump(1);
    EXPECT_TRUE(none["most_used"].empty()) << none.dump(1);
  }

  // Betweenness, worked out by hand in the README (n = 10, (n-1)(n-2) = 72).
  const json imp = Flyway({"importance"});
  const json& sites = imp["sites"];
  ASSERT_EQ(sites.size(), 10u) << imp.dump(1);
  std::vector<std::string> ranked = Field(sites, "site_id");
  ranked.resize(4);
  EXPECT_THAT(ranked, ElementsAre("cheorwon", "rason", kCand, "chongming"));
  const std::map<std::string, double> betweenness = {
      {"cheorwon", 5},  {"rason", 3},   {kCand, 2},     {"chongming", 1}, {"izumi", 0},
      {"khanka_ru", 0}, {"jingxin", 0}, {"daursky", 0}, {"maipo", 0},     {"ganghwa", 0}};
  for (const auto& [id, b] : betweenness) {
    const json* s = FindBy(sites, "site_id", id);
    ASSERT_NE(s, nullptr) << id;
    EXPECT_NEAR(s->value("betweenness", -1.0), b, 1e-9) << id;
    EXPECT_NEAR(s->value("betweenness_normalized", -1.0), b / 72, 1e-9) << id;
  }
  const json* c = FindBy(sites, "site_id", "cheorwon");
  EXPECT_EQ((*c)["individuals"], 5);
  EXPECT_NEAR(c->value("individual_share", 0.0), 5.0 / 6, 1e-9);
  EXPECT_EQ((*c)["transitions_in"], 4);
  EXPECT_EQ((*c)["transitions_out"], 5);
  EXPECT_EQ((*c)["links_in"], 1);
  EXPECT_EQ((*c)["links_out"], 3);
  EXPECT_EQ((*FindBy(sites, "site_id", "izumi"))["individuals"], 4);
  EXPECT_EQ((*FindBy(sites, "site_id", "khanka_ru"))["individuals"], 4);
  EXPECT_EQ(Flyway({"importance", "--limit", "2"})["sites"].size(), 2u);

  const json loss = Flyway({"loss", "cheorwon"});
  EXPECT_THAT(Strings(loss["site_ids"]), ElementsAre("cheorwon"));
  EXPECT_EQ(loss["reachable_pairs_before"], "19");
  EXPECT_EQ(loss["reachable_pairs_after"], "8");
  EXPECT_NEAR(loss.value("connectivity_lost", 0.0), 11.0 / 19, 1e-12);
  EXPECT_EQ(loss["links_lost"], 4);
  EXPECT_EQ(loss["transitions_lost"], 9);
  EXPECT_EQ(loss["individuals_affected"], 5);
  EXPECT_NEAR(loss.value("individual_share_affected", 0.0), 5.0 / 6, 1e-12);

  const json both = Flyway({"loss", "rason", "cheorwon"});
  EXPECT_THAT(Strings(both["site_ids"]), ElementsAre("cheorwon", "rason"));
  EXPECT_EQ(both["reachable_pairs_after"], "6");
  EXPECT_EQ(both["links_lost"], 6);
  EXPECT_EQ(both["transitions_lost"], 12);

  const json cand = Flyway({"loss", kCand});
  EXPECT_EQ(cand["reachable_pairs_after"], "14");
  EXPECT_NEAR(cand.value("connectivity_lost", 0.0), 5.0 / 19, 1e-12);
  EXPECT_EQ(cand["links_lost"], 3);
  EXPECT_EQ(cand["transitions_lost"], 4);
  EXPECT_EQ(cand["individuals_affected"], 2);
}

TEST_F(FlywayKnownAnswerTest, FlowsGapsAndConnectivity) {
  const json flows = Flyway({"flows"});
  std::map<LinkKey, std::pair<int, int>> cells;
  for (const json& f : flows["flows"]) {
    cells[{f.value("from_country", ""), f.value("to_country", "")}] = {f.value("individuals", 0),
                                                                       f.value("transitions", 0)};
  }
  EXPECT_EQ(cells, (std::map<LinkKey, std::pair<int, int>>{{{"CN", "KR"}, {1, 1}},
                                                           {{"CN", "RU"}, {1, 1}},
                                                           {{"HK", "CN"}, {1, 1}},
                                                           {{"JP", "KR"}, {4, 4}},
                                                           {{"KP", "RU"}, {3, 3}},
                                                           {{"KR", "CN"}, {1, 1}},
                                                           {{"KR", "KP"}, {3, 3}},
                                                           {{"KR", "RU"}, {1, 1}},
                                                           {{"RU", "RU"}, {2, 2}}}))
      << flows.dump(1);

  const json gaps = Flyway({"gaps"});
  struct Row {
    int stopovers;
    double days;
    int unprotected;
    double unprotected_days;
    int individuals;
  };
  const std::map<LinkKey, Row> expected = {
      {{"antigone_vipio", "JP"}, {1, 31.25, 0, 0, 0}},
      {{"antigone_vipio", "KP"}, {1, 14, 0, 0, 0}},
      {{"antigone_vipio", "KR"}, {2, 63.25, 2, 63.25, 2}},
      {{"antigone_vipio", "RU"}, {3, 159.5, 1, 5, 1}},
      {{"grus_monacha", "CN"}, {1, 11, 1, 11, 1}},  // Jingxin: not protected
      {{"grus_monacha", "JP"}, {3, 106.75, 0, 0, 0}},
      {{"grus_monacha", "KP"}, {2, 30, 0, 0, 0}},
      {{"grus_monacha", "KR"}, {3, 46, 3, 46, 3}},     // Cheorwon: not protected
      {{"grus_monacha", "RU"}, {4, 205.25, 1, 5, 1}},  // the candidate
      {{"platalea_minor", "CN"}, {1, 20, 0, 0, 0}},
      {{"platalea_minor", "HK"}, {1, 60.25, 0, 0, 0}},
      {{"platalea_minor", "KR"}, {1, 54.75, 0, 0, 0}}};
  ASSERT_EQ(gaps["rows"].size(), expected.size()) << gaps.dump(1);
  for (const json& r : gaps["rows"]) {
    const LinkKey key{r.value("species_id", ""), r.value("country", "")};
    ASSERT_TRUE(expected.contains(key)) << r.dump();
    const Row& want = expected.at(key);
    EXPECT_EQ(r["stopovers"], want.stopovers) << r.dump();
    EXPECT_NEAR(r.value("stopover_days", 0.0), want.days, 1e-9) << r.dump();
    EXPECT_EQ(r["unprotected_stopovers"], want.unprotected) << r.dump();
    EXPECT_NEAR(r.value("unprotected_days", 0.0), want.unprotected_days, 1e-9) << r.dump();
    EXPECT_EQ(r["unprotected_individuals"], want.individuals) << r.dump();
  }
  ASSERT_EQ(gaps["candidates"].size(), 1u) << gaps.dump(1);
  const json& cand = gaps["candidates"][0];
  EXPECT_EQ(cand["node"]["id"], kCand);
  EXPECT_EQ(cand["node"]["country"], "RU");
  EXPECT_EQ(cand["node"]["is_protected"], false);
  EXPECT_EQ(cand["individuals"], 2);
  EXPECT_EQ(cand["stopovers"], 2);
  EXPECT_NEAR(cand.value("stopover_days", 0.0), 10.0, 1e-9);
  EXPECT_THAT(Strings(cand["species"]), ElementsAre("antigone_vipio", "grus_monacha"));

  const json mantel = Flyway({"connectivity"});
  // make_known_answer.py --check: Vincenty distances between the mean
  // stopover positions.
  EXPECT_NEAR(mantel.value("r_m", 0.0), 0.290348, 5e-6) << mantel.dump(1);
  EXPECT_EQ(mantel["permutations"], 999);
  const double p = mantel.value("p_value", -1.0);
  EXPECT_GT(p, 0.0);
  EXPECT_LE(p, 1.0);
  std::map<std::string, std::pair<std::string, std::string>> ends;
  for (const json& e : mantel["individuals"]) {
    ends[e.value("individual_id", "")] = {e.value("breeding_site_id", ""),
                                          e.value("non_breeding_site_id", "")};
  }
  using Ends = std::pair<std::string, std::string>;
  EXPECT_EQ(ends, (std::map<std::string, Ends>{{"HC-1", {"khanka_ru", "izumi"}},
                                               {"HC-2", {"khanka_ru", "izumi"}},
                                               {"HC-3", {"khanka_ru", "izumi"}},
                                               {"WNC-1", {"daursky", "izumi"}},
                                               {"WNC-2", {"khanka_ru", "cheorwon"}},
                                               {"BFS-1", {"ganghwa", "maipo"}}}));
  // Seeded: the same test twice gives the same p.
  const json again = Flyway({"connectivity", "--permutations", "199", "--seed", "7"});
  EXPECT_EQ(again["permutations"], 199);
  EXPECT_EQ(again["p_value"],
            Flyway({"connectivity", "--permutations", "199", "--seed", "7"})["p_value"]);
}

TEST_F(FlywayKnownAnswerTest, ExportGeoPackageAndGeoJson) {
  const std::string gpkg = server().scratch().File("flyway.gpkg");
  RunResult r = server().Cli({"flyway", "export", "-o", gpkg});
  ASSERT_EQ(r.code(), kOk) << r.Describe();
  {
    DatasetPtr ds = OpenVector(gpkg);
    ASSERT_NE(ds, nullptr) << gpkg;
    std::map<std::string, GIntBig> counts;
    for (OGRLayer* layer : ds->GetLayers()) counts[layer->GetName()] = layer->GetFeatureCount();
    EXPECT_EQ(counts,
              (std::map<std::string, GIntBig>{{"nodes", 10}, {"links", 10}, {"stopovers", 23}}));
    OGRLayer* links = ds->GetLayerByName("links");
    ASSERT_NE(links, nullptr);
    EXPECT_EQ(wkbFlatten(links->GetGeomType()), wkbLineString);
    bool found = false;
    for (auto& feature : *links) {
      if (std::string(feature->GetFieldAsString("from_id")) != "cheorwon" ||
          std::string(feature->GetFieldAsString("to_id")) != "rason") {
        continue;
      }
      found = true;
      EXPECT_EQ(feature->GetFieldAsInteger("individuals"), 3);
      EXPECT_EQ(std::string(feature->GetFieldAsString("to_country")), "KP");
      const OGRGeometry* g = feature->GetGeometryRef();
      ASSERT_NE(g, nullptr);
      // A geodesic in steps of at most 10 km over 537 km.
      EXPECT_GE(g->toLineString()->getNumPoints(), 54);
    }
    EXPECT_TRUE(found);
  }
  const std::string strong = server().scratch().File("strong.gpkg");
  r = server().Cli({"flyway", "export", "-o", strong, "--min-individuals", "2"});
  ASSERT_EQ(r.code(), kOk) << r.Describe();
  {
    DatasetPtr ds = OpenVector(strong);
    ASSERT_NE(ds, nullptr);
    ASSERT_NE(ds->GetLayerByName("links"), nullptr);
    EXPECT_EQ(ds->GetLayerByName("links")->GetFeatureCount(), 4);
  }

  for (const auto& [layer, count] : std::vector<std::pair<std::string, std::size_t>>{
           {"links", 10}, {"nodes", 10}, {"stopovers", 23}}) {
    const std::string file = server().scratch().File(layer + ".geojson");
    r = server().Cli({"flyway", "export", "-o", file, "--layer", layer});
    ASSERT_EQ(r.code(), kOk) << r.Describe();
    const json doc = json::parse(ReadFile(file), nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << file;
    EXPECT_EQ(doc["type"], "FeatureCollection");
    ASSERT_EQ(doc["features"].size(), count) << layer;
    if (layer == "links") {
      const json& f = doc["features"][0];
      EXPECT_EQ(f["geometry"]["type"], "LineString");
      EXPECT_TRUE(f["properties"].contains("from_id"));
      EXPECT_TRUE(f["properties"].contains("individuals"));
    }
  }
}

TEST_F(FlywayKnownAnswerTest, OwnParametersAreComputedOnDemand) {
  const json before = Flyway({"status"});
  const json live = Flyway({"links"});

  // With a 6 h minimum stay, WNC-2's 9 h visit to Rason is a stopover.
  const json six = Flyway({"links", "--min-stay-h", "6"});
  EXPECT_EQ(six["info"]["on_demand"], true);
  EXPECT_EQ(six["info"]["snapshot_version"], "0");
  EXPECT_EQ(six["info"]["params"]["min_stay_hours"], 6);
  EXPECT_EQ(six["info"]["params"]["max_gap_hours"], 72);
  std::map<LinkKey, std::pair<int, int>> want = LinkCounts(live["links"]);
  want.erase({"cheorwon", kCand});
  want[{"cheorwon", "rason"}] = {4, 4};
  want[{"rason", kCand}] = {1, 1};
  EXPECT_EQ(LinkCounts(six["links"]), want) << six.dump(1);
  auto by_key = LinksByKey(six["links"]);
  EXPECT_NEAR(by_key[LinkKey("cheorwon", "rason")].value("probability", 0.0), 0.8, 1e-12);
  EXPECT_EQ(by_key[LinkKey("rason", kCand)]["median_travel_ms"], Ms(15 * kHourMs));

  const json wnc2 =
      Flyway({"stopovers", "--study", "ka", "--individual", "WNC-2", "--min-stay-h", "6"});
  EXPECT_THAT(Field(wnc2["stopovers"], "site_id"),
              ElementsAre("cheorwon", "rason", kCand, "khanka_ru"));
  EXPECT_EQ(wnc2["info"]["on_demand"], true);

  // The live parameters given explicitly answer from the live snapshot.
  const json same = Flyway({"links", "--min-stay-h", "24"});
  EXPECT_EQ(same["info"]["on_demand"], false);
  EXPECT_EQ(same["info"]["snapshot_version"], before["snapshot_version"]);
  EXPECT_EQ(same["links"], live["links"]);

  EXPECT_EQ(Flyway({"status"}), before);  // the live graph is untouched
}

TEST_F(FlywayKnownAnswerTest, BadQueriesNameTheField) {
  struct Case {
    std::vector<std::string> args;
    int code;
    std::vector<std::string> says;
  };
  const std::string bad_geojson = server().scratch().File("bogus.geojson");
  const std::vector<Case> cases = {
      {{"neighbours", "nowhere"}, kNotFound, {"site_id", "'nowhere'", "(NOT_FOUND)"}},
      {{"links", "--site", "nowhere"}, kNotFound, {"site_id", "'nowhere'"}},
      {{"links", "--species", "XX"}, kNotFound, {"query.filter.species", "'XX'", "(NOT_FOUND)"}},
      {{"links", "--species", "Anser anser"}, kNotFound, {"species", "Anser anser"}},
      {{"links", "--from", "2024-03-01", "--to", "2024-03-01"},
       kInvalid,
       {"query.filter.window", "(INVALID_ARGUMENT)"}},
      {{"links", "--from", "2024-04-01", "--to", "2024-03-01"}, kInvalid, {"query.filter.window"}},
      {{"links", "--season", "monsoon"}, kInvalid, {"query.filter.season", "'monsoon'"}},
      {{"links", "--year", "1800"}, kInvalid, {"query.filter.years", "1800"}},
      {{"routes", "izumi", "izumi"}, kInvalid, {"to_site_id", "'izumi'"}},
      {{"routes", "izumi", "nowhere"}, kNotFound, {"to_site_id", "'nowhere'"}},
      {{"routes", "izumi", "khanka_ru", "-k", "0"}, kInvalid, {"k:", "got 0"}},
      {{"routes", "izumi", "khanka_ru", "-k", "-1"}, kInvalid, {"k:", "got -1"}},
      {{"routes", "izumi", "khanka_ru", "-k", "101"}, kInvalid, {"k:", "got 101"}},
      {{"loss", "nowhere"}, kNotFound, {"site_ids[0]", "'nowhere'"}},
      {{"loss", "izumi", "nowhere"}, kNotFound, {"site_ids[1]", "'nowhere'"}},
      {{"links", "--min-stay-h", "-1"}, kInvalid, {"query.params.min_stay_hours", "-1"}},
      {{"links", "--max-diameter-m", "5"}, kInvalid, {"query.params.max_diameter", "[10, "}},
      {{"export", "-o", bad_geojson, "--layer", "bogus"}, kInvalid, {"layer", "'bogus'"}},
      {{"connectivity", "--species", "BFS"},
       kInvalid,
       {"at least 3 individuals", "(FAILED_PRECONDITION)"}},
      {{"stopovers", "--study", "ka", "--individual", "nobody"},
       kNotFound,
       {"individual_id", "'nobody'"}},
      {{"stopovers", "--visits"}, kInvalid, {"include_visits"}},
      {{"links", "--country", "XX1"}, kInvalid, {"country", "'XX1'"}},
      {{"connectivity", "--permutations", "100000"}, kInvalid, {"permutations", "100000"}},
      {{"links", "--cluster-distance-m", "300000"}, kInvalid, {"query.params.cluster_distance"}},
      // Refused by the CLI itself (exit 2) before anything is sent.
      {{"links", "--from", "yesterday"}, kUsage, {"--from", "'yesterday'"}},
      {{"stopovers", "--individual", "WNC-2"}, kUsage, {"--individual needs exactly one --study"}},
      {{"export", "-o", server().scratch().File("flyway.shp")}, kUsage, {".gpkg or .geojson"}},
  };
  const json before = Flyway({"status"});
  for (const Case& c : cases) {
    std::vector<std::string> args = {"flyway"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const RunResult r = server().Cli(args);
    EXPECT_EQ(r.code(), c.code) << ::testing::PrintToString(c.args) << r.Describe();
    for (const std::string& s : c.says) {
      EXPECT_THAT(r.err, HasSubstr(s)) << ::testing::PrintToString(c.args);
    }
  }
  EXPECT_FALSE(fs::exists(bad_geojson));  // a refused export leaves no file
  EXPECT_EQ(Flyway({"status"}), before);
}

// ---------------------------------------------------------------------------
// Live update: one bird's track with a hole, then the late batch filling it.

struct TrackFix {
  std::int64_t t_ms;
  double lat;
  double lon;
};

// Fixes every 3 h from `from` to `to` (inclusive) within ~150 m of
// (lat, lon), in a fixed pattern.
void AddStay(std::vector<TrackFix>& out, double lat, double lon, const std::string& from,
             const std::string& to) {
  int i = 0;
  for (std::int64_t t = Utc(from); t <= Utc(to); t += 3 * kHourMs, ++i) {
    out.push_back({t, lat + 0.0012 * std::sin(i * 1.7), lon + 0.0012 * std::cos(i * 2.3)});
  }
}

// Flight fixes every 3 h strictly between the two times, on the straight
// lat/lon line.
void AddFlight(std::vector<TrackFix>& out, double lat0, double lon0, const std::string& from,
               double lat1, double lon1, const std::string& to) {
  const std::int64_t t0 = Utc(from);
  const std::int64_t t1 = Utc(to);
  for (std::int64_t t = t0 + 3 * kHourMs; t < t1; t += 3 * kHourMs) {
    const double f = static_cast<double>(t - t0) / static_cast<double>(t1 - t0);
    out.push_back({t, lat0 + f * (lat1 - lat0), lon0 + f * (lon1 - lon0)});
  }
}

std::string MovebankCsv(const std::vector<TrackFix>& fixes, std::int64_t first_event_id,
                        bool visible = true) {
  std::ostringstream csv;
  csv << "event-id,visible,timestamp,location-long,location-lat,individual-taxon-canonical-name,"
         "tag-local-identifier,individual-local-identifier,study-name\n";
  csv.precision(10);
  std::int64_t event = first_event_id;
  for (const TrackFix& f : fixes) {
    csv << event++ << (visible ? ",true," : ",false,") << MovebankTime(f.t_ms) << "," << f.lon
        << "," << f.lat << ",Grus monacha,LV-1,HC-L,live\n";
  }
  return csv.str();
}

TEST(FlywayLiveTest, LateBatchReplacesOneLinkByTwo) {
  WetlinkdProcess server;
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;
  const std::string state = server.scratch().File("ingest-state");
  RunResult push = Push(server, "ka", FlywayFixture("known_answer.csv"), state);
  ASSERT_TRUE(push.status.ok()) << push.Describe();

  // Site centres (data/catalog/sites.json).
  constexpr double kChilsando[] = {35.35, 126.41};
  constexpr double kSuncheon[] = {34.80, 127.40};
  constexpr double kHanEstuary[] = {37.70, 126.68};
  constexpr double kMuraviovka[] = {49.8397, 127.7269};
  constexpr double kKhingansky[] = {49.1667, 130.0};
  // HC-L: chilsando → suncheon → [hole] → muraviovka → khingansky.
  std::vector<TrackFix> first;
  AddStay(first, kChilsando[0], kChilsando[1], "2024-01-10 00:00", "2024-01-25 06:00");
  AddStay(first, kSuncheon[0], kSuncheon[1], "2024-01-27 06:00", "2024-02-20 06:00");
  AddStay(first, kMuraviovka[0], kMuraviovka[1], "2024-03-14 06:00", "2024-04-30 06:00");
  AddStay(first, kKhingansky[0], kKhingansky[1], "2024-05-05 06:00", "2024-05-30 00:00");
  // The late batch: the flight to the Han estuary, two weeks there and the
  // flight on, all earlier than the stored Muraviovka and Khingansky fixes,
  // sent newest first.
  std::vector<TrackFix> late;
  AddFlight(late, kSuncheon[0], kSuncheon[1], "2024-02-20 06:00", kHanEstuary[0], kHanEstuary[1],
            "2024-02-21 06:00");
  AddStay(late, kHanEstuary[0], kHanEstuary[1], "2024-02-21 06:00", "2024-03-12 06:00");
  AddFlight(late, kHanEstuary[0], kHanEstuary[1], "2024-03-12 06:00", kMuraviovka[0],
            kMuraviovka[1], "2024-03-14 06:00");
  std::reverse(late.begin(), late.end());
  const std::string first_csv = server.scratch().File("hc-l-first.csv");
  const std::string late_csv = server.scratch().File("hc-l-late.csv");
  ASSERT_TRUE(WriteFile(first_csv, MovebankCsv(first, 1)));
  ASSERT_TRUE(WriteFile(late_csv, MovebankCsv(late, 100'000)));

  push = Push(server, "live", first_csv, state);
  ASSERT_TRUE(push.status.ok()) << push.Describe();
  std::map<LinkKey, json> before;
  ASSERT_TRUE(WaitUntil(
      [&] {
        const json doc = CliJson(server, {"flyway", "links"});
        before = LinksByKey(doc["links"]);
        return before.contains({"suncheon", "muraviovka"}) &&
               before.contains({"muraviovka", "khingansky"}) && before.size() == 13;
      },
      std::chrono::seconds(5)))
      << "the first part never showed; links: " << json(before).dump(1);

  push = Push(server, "live", late_csv, state);
  ASSERT_TRUE(push.status.ok()) << push.Describe();
  // Acknowledged means stored: from here the live graph has 1 s.
  const Clock::time_point stored = Clock::now();
  std::map<LinkKey, json> after;
  const bool changed = WaitUntil(
      [&] {
        after = LinksByKey(CliJson(server, {"flyway", "links"})["links"]);
        return after.contains({"han_estuary", "muraviovka"});
      },
      std::chrono::seconds(5), milliseconds(50));
  const auto delay = std::chrono::duration_cast<milliseconds>(Clock::now() - stored);
  std::cout << "[ live     ] late batch visible in `flyway links` after " << delay.count()
            << " ms\n";
  ::testing::Test::RecordProperty("live_update_delay_ms", static_cast<int>(delay.count()));
  ASSERT_TRUE(changed) << "no change within 5 s";
  EXPECT_LE(delay, milliseconds(1000));

  // Exactly suncheon → muraviovka replaced by suncheon → han_estuary →
  // muraviovka; every other link identical in every field.
  std::map<LinkKey, json> expected = before;
  expected.erase({"suncheon", "muraviovka"});
  ASSERT_TRUE(after.contains({"suncheon", "han_estuary"}));
  expected[{"suncheon", "han_estuary"}] = after[{"suncheon", "han_estuary"}];
  expected[{"han_estuary", "muraviovka"}] = after[{"han_estuary", "muraviovka"}];
  EXPECT_EQ(json(after).dump(1), json(expected).dump(1));
  for (const LinkKey& key :
       std::vector<LinkKey>{{"suncheon", "han_estuary"}, {"han_estuary", "muraviovka"}}) {
    EXPECT_EQ(after[key]["individuals"], 1);
    EXPECT_EQ(after[key]["transitions"], 1);
    EXPECT_EQ(after[key]["probability"], 1);
  }
  EXPECT_EQ(after[LinkKey("suncheon", "han_estuary")]["median_travel_ms"], Ms(kDayMs));
  EXPECT_EQ(after[LinkKey("han_estuary", "muraviovka")]["median_travel_ms"], Ms(2 * kDayMs));

  // The spliced segmentation, stopover by stopover.
  const json stops =
      CliJson(server, {"flyway", "stopovers", "--study", "live", "--individual", "HC-L"});
  EXPECT_THAT(Field(stops["stopovers"], "site_id"),
              ElementsAre("chilsando", "suncheon", "han_estuary", "muraviovka", "khingansky"));
  const std::vector<std::pair<std::string, std::string>> spans = {
      {"2024-01-10 00:00", "2024-01-25 06:00"},
      {"2024-01-27 06:00", "2024-02-20 06:00"},
      {"2024-02-21 06:00", "2024-03-12 06:00"},
      {"2024-03-14 06:00", "2024-04-30 06:00"},
      {"2024-05-05 06:00", "2024-05-30 00:00"}};
  for (std::size_t i = 0; i < spans.size() && i < stops["stopovers"].size(); ++i) {
    EXPECT_EQ(stops["stopovers"][i]["arrival_ms"], Ms(Utc(spans[i].first))) << i;
    EXPECT_EQ(stops["stopovers"][i]["departure_ms"], Ms(Utc(spans[i].second))) << i;
  }

  // The incremental update equals segmenting every track again.
  const json rebuilt = CliJson(server, {"flyway", "rebuild"});
  EXPECT_EQ(rebuilt["individuals"], 7);
  EXPECT_EQ(json(LinksByKey(CliJson(server, {"flyway", "links"})["links"])).dump(1),
            json(after).dump(1));

  // The same fixes sent again flagged as outliers (visible = false): stored
  // as flag updates, they leave the track, and the link is as before.
  const std::string hidden_csv = server.scratch().File("hc-l-hidden.csv");
  ASSERT_TRUE(WriteFile(hidden_csv, MovebankCsv(late, 100'000, /*visible=*/false)));
  const int updated_before = IngestTotals(state).value("updated", -1);
  push = Push(server, "live", hidden_csv, state);
  ASSERT_TRUE(push.status.ok()) << push.Describe();
  EXPECT_EQ(IngestTotals(state).value("updated", -1) - updated_before,
            static_cast<int>(late.size()));
  std::map<LinkKey, json> hidden;
  EXPECT_TRUE(WaitUntil(
      [&] {
        hidden = LinksByKey(CliJson(server, {"flyway", "links"})["links"]);
        return hidden.contains({"suncheon", "muraviovka"});
      },
      std::chrono::seconds(5)));
  EXPECT_EQ(json(hidden).dump(1), json(before).dump(1));
}

// The fixture's rows in a random order, 100 to a batch: every batch touches
// every bird somewhere in its track, and the live graph, updated stretch by
// stretch, still gives the known answers and equals a full rebuild.
TEST(FlywayLiveTest, ShuffledSmallBatchesGiveTheKnownAnswers) {
  WetlinkdProcess server;
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;
  std::istringstream in(ReadFile(FlywayFixture("known_answer.csv")));
  std::string header;
  std::getline(in, header);
  std::vector<std::string> rows;
  for (std::string line; std::getline(in, line);) rows.push_back(line);
  ASSERT_EQ(rows.size(), 6562u);
  std::uint64_t state = 88172645463325252ULL;  // xorshift64: the same order everywhere
  for (std::size_t i = rows.size() - 1; i > 0; --i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    std::swap(rows[i], rows[state % (i + 1)]);
  }
  std::string csv = header + "\n";
  for (const std::string& row : rows) csv += row + "\n";
  const std::string file = server.scratch().File("shuffled.csv");
  ASSERT_TRUE(WriteFile(file, csv));
  const RunResult push = Push(server, "ka", file, server.scratch().File("ingest-state"), 100);
  ASSERT_TRUE(push.status.ok()) << push.Describe();
  std::string last;
  ASSERT_TRUE(WaitForSettledFlyway(server, IsKnownAnswerStatus, std::chrono::seconds(10), &last))
      << last;

  const json links = CliJson(server, {"flyway", "links"});
  EXPECT_EQ(LinkCounts(links["links"]), KnownAnswerLinks()) << links.dump(1);
  const json stopovers = CliJson(server, {"flyway", "stopovers"});
  EXPECT_EQ(stopovers["stopovers"].size(), 23u);
  CliJson(server, {"flyway", "rebuild"});
  EXPECT_EQ(CliJson(server, {"flyway", "links"})["links"], links["links"]);
  EXPECT_EQ(CliJson(server, {"flyway", "stopovers"})["stopovers"], stopovers["stopovers"]);
}

// ---------------------------------------------------------------------------
// A simulated year against the simulator's ground truth.

struct TruthIndividual {
  std::vector<std::string> sites;  // catalogued stays >= 24 h, consecutive repeats merged
  bool disturbed = false;          // a tag gap overlaps a stay or a flight
};

TEST(FlywaySimTest, SimulatedYearAgreesWithTruth) {
  WetlinkdProcess server;
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;
  const std::string dir = server.scratch().File("sim");
  const RunResult sim = RunProgram(
      SimPath(), {"--seed", "7", "--individuals", "12", "--years", "1", "--out-dir", dir});
  ASSERT_TRUE(sim.status.ok()) << sim.Describe();
  // In batches of 500 rows (about 130 live updates); late fixes come up to
  // three upload batches late, shuffled in.
  const RunResult push =
      Push(server, "sim", dir + "/fixes.csv", server.scratch().File("ingest-state"), 500);
  ASSERT_TRUE(push.status.ok()) << push.Describe();
  std::string last;
  ASSERT_TRUE(WaitForSettledFlyway(
      server, [](const json& s) { return s.value("individuals", 0) == 12; },
      std::chrono::seconds(15), &last))
      << last;

  const json truth = json::parse(ReadFile(dir + "/truth.json"), nullptr, false);
  ASSERT_FALSE(truth.is_discarded());
  std::map<std::string, TruthIndividual> expected;
  for (const json& ind : truth["individuals"]) {
    TruthIndividual& t = expected[ind.value("individual_id", "")];
    for (const json& s : ind["stays"]) {
      if (s["site_id"].is_null()) continue;  // overnight stops on migration
      if (s["departure_ms"].get<std::int64_t>() - s["arrival_ms"].get<std::int64_t>() < kDayMs) {
        continue;
      }
      const std::string site = s.value("site_id", "");
      if (t.sites.empty() || t.sites.back() != site) t.sites.push_back(site);
      for (const json& g : ind["gaps"]) {
        if (g["start_ms"] < s["departure_ms"] && g["end_ms"] > s["arrival_ms"]) t.disturbed = true;
      }
    }
    for (const json& f : ind["flights"]) {
      for (const json& g : ind["gaps"]) {
        if (g["start_ms"] < f["arrive_ms"] && g["end_ms"] > f["depart_ms"]) t.disturbed = true;
      }
    }
  }
  ASSERT_EQ(expected.size(), 12u);

  // What wetlinkd made of each bird: its stopovers, in order.
  const json stopovers = CliJson(server, {"flyway", "stopovers", "--study", "sim"});
  std::map<std::string, std::vector<std::string>> observed;
  for (const json& s : stopovers["stopovers"]) {
    std::vector<std::string>& seq = observed[s.value("individual_id", "")];
    const std::string site = s.value("site_id", "");
    if (seq.empty() || seq.back() != site) seq.push_back(site);
  }
  int agree = 0;
  for (const auto& [id, t] : expected) {
    if (observed[id] == t.sites) {
      ++agree;
      continue;
    }
    // Only a gap in the recording may explain a difference.
    EXPECT_TRUE(t.disturbed) << id << ": truth " << ::testing::PrintToString(t.sites)
                             << ", observed " << ::testing::PrintToString(observed[id]);
    std::cout << "[ sim      ] " << id << " differs (explained by a tag gap): truth "
              << ::testing::PrintToString(t.sites) << ", observed "
              << ::testing::PrintToString(observed[id]) << "\n";
  }
  EXPECT_GE(agree, 10) << "of 12 individuals";

  // Links from the truth: (from, to) → individuals and transitions.
  std::map<LinkKey, std::set<std::string>> truth_who;
  std::map<LinkKey, int> truth_transitions;
  for (const auto& [id, t] : expected) {
    for (std::size_t i = 0; i + 1 < t.sites.size(); ++i) {
      truth_who[{t.sites[i], t.sites[i + 1]}].insert(id);
      ++truth_transitions[{t.sites[i], t.sites[i + 1]}];
    }
  }
  const json links = CliJson(server, {"flyway", "links"});
  const std::map<LinkKey, std::pair<int, int>> got = LinkCounts(links["links"]);
  int exact = 0;
  for (const auto& [key, who] : truth_who) {
    const auto it = got.find(key);
    const int n = static_cast<int>(who.size());
    if (it != got.end() && it->second == std::pair(n, truth_transitions[key])) ++exact;
    if (n >= 2) {
      ASSERT_NE(it, got.end()) << key.first << "→" << key.second << " (" << n << " individuals)";
      EXPECT_EQ(it->second.first, n) << key.first << "→" << key.second;
    }
  }
  for (const auto& [key, counts] : got) {
    if (!truth_who.contains(key)) {
      EXPECT_LE(counts.first, 1) << "link absent from the truth: " << key.first << "→"
                                 << key.second;
    }
  }
  EXPECT_GE(exact * 10, static_cast<int>(truth_who.size()) * 9)
      << exact << " of " << truth_who.size() << " truth links exact";
  std::cout << "[ sim      ] " << agree << "/12 itineraries and " << exact << "/"
            << truth_who.size() << " links exactly as in the truth\n";

  // Country flows from the truth, with the catalogue's countries.
  const json catalog = CliJson(server, {"sites", "list"});
  std::map<std::string, std::string> country;
  for (const json& s : catalog["sites"]) country[s.value("id", "")] = s.value("country", "");
  std::map<LinkKey, std::set<std::string>> flow_who;
  std::map<LinkKey, int> flow_transitions;
  for (const auto& [key, who] : truth_who) {
    const LinkKey cell{country[key.first], country[key.second]};
    flow_who[cell].insert(who.begin(), who.end());
    flow_transitions[cell] += truth_transitions[key];
  }
  std::map<LinkKey, std::pair<int, int>> truth_flows;
  for (const auto& [cell, who] : flow_who) {
    truth_flows[cell] = {static_cast<int>(who.size()), flow_transitions[cell]};
  }
  std::map<LinkKey, std::pair<int, int>> flows;
  const json flows_doc = CliJson(server, {"flyway", "flows"});
  for (const json& f : flows_doc["flows"]) {
    flows[{f.value("from_country", ""), f.value("to_country", "")}] = {f.value("individuals", 0),
                                                                       f.value("transitions", 0)};
  }
  if (agree == 12) {
    EXPECT_EQ(flows, truth_flows);
  } else {
    for (const auto& [cell, counts] : truth_flows) {
      if (counts.first >= 2) {
        EXPECT_TRUE(flows.contains(cell)) << cell.first << "→" << cell.second;
      }
    }
  }

  // A most probable route between two well-used sites: the busiest link's
  // end, on along the busiest link out of it.
  LinkKey busiest;
  std::size_t most = 0;
  for (const auto& [key, who] : truth_who) {
    if (who.size() > most) {
      most = who.size();
      busiest = key;
    }
  }
  std::string onward;
  most = 0;
  for (const auto& [key, who] : truth_who) {
    if (key.first == busiest.second && key.second != busiest.first && who.size() > most) {
      most = who.size();
      onward = key.second;
    }
  }
  ASSERT_FALSE(onward.empty()) << "no onward link from " << busiest.second;
  const json routes = CliJson(server, {"flyway", "routes", busiest.first, onward});
  ASSERT_TRUE(routes.contains("most_probable")) << busiest.first << "→" << onward;
  const std::vector<std::string> path = Strings(routes["most_probable"]["site_ids"]);
  ASSERT_GE(path.size(), 2u);
  EXPECT_EQ(path.front(), busiest.first);
  EXPECT_EQ(path.back(), onward);
  double product = 1;
  for (const json& p : routes["most_probable"]["hop_probabilities"]) product *= p.get<double>();
  const double p = routes["most_probable"].value("probability", 0.0);
  EXPECT_NEAR(p, product, 1e-12);
  EXPECT_GT(p, 0.0);
  EXPECT_LE(p, 1.0);

  // The live graph, built batch by batch from late and out-of-order uploads,
  // equals a full re-segmentation.
  const json rebuilt = CliJson(server, {"flyway", "rebuild"});
  EXPECT_EQ(rebuilt["individuals"], 12);
  EXPECT_EQ(CliJson(server, {"flyway", "links"})["links"], links["links"]);
  EXPECT_EQ(CliJson(server, {"flyway", "stopovers"})["stopovers"], stopovers["stopovers"]);
}

}  // namespace
}  // namespace wetlink::testing
