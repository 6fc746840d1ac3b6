#include "sim/movebank_csv.h"
#include "telemetry/timestamp.h"

#include <charconv>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/str_split.h"
#include "sim/civil_time.h"
#include "sim/generate.h"
#include "sim/truth_json.h"
#include "sim_testing.h"

namespace wetlink::sim {
namespace {

using testing::World;

std::string FixesCsv(const SimParams& p) {
  absl::StatusOr<SimPlan> plan = PlanScenario(p, World());
  EXPECT_TRUE(plan.ok()) << plan.status();
  std::ostringstream out;
  {
    MovebankEventWriter w(out, *plan, p.study_name);
    EXPECT_TRUE(GenerateFixes(p, World(), *plan, [&](const SimFix& f) { w.Write(f); }).ok());
  }
  return out.str();
}

SimParams Small(std::uint64_t seed) {
  SimParams p;
  p.seed = seed;
  p.individuals = 4;
  p.years = 1;
  return p;
}

TEST(MovebankCsvTest, SameSeedSameBytesOtherSeedOtherBytes) {
  const std::string a = FixesCsv(Small(42)), b = FixesCsv(Small(42)), c = FixesCsv(Small(43));
  EXPECT_GT(a.size(), 1'000'000u);
  EXPECT_EQ(std::hash<std::string>()(a), std::hash<std::string>()(b));
  EXPECT_EQ(a, b);
  EXPECT_NE(std::hash<std::string>()(a), std::hash<std::string>()(c));
}

// A deliberately tiny reader: no quoting (the simulated fields need none).
std::vector<std::string> Fields(const std::string& line) { return absl::StrSplit(line, ','); }

double Num(const std::string& s) {
  double v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  EXPECT_EQ(r.ec, std::errc()) << s;
  return v;
}

TEST(MovebankCsvTest, HeaderAndRowsRoundTrip) {
  SimParams p = Small(7);
  absl::StatusOr<SimResult> r = Simulate(p, World());
  ASSERT_TRUE(r.ok());
  std::ostringstream out;
  {
    MovebankEventWriter w(out, r->plan, p.study_name);
    for (const SimFix& f : r->fixes) w.Write(f);
  }
  std::vector<std::string> lines = absl::StrSplit(out.str(), '\n');
  ASSERT_EQ(lines.back(), "");
  lines.pop_back();
  ASSERT_EQ(lines.size(), r->fixes.size() + 1);
  EXPECT_EQ(lines[0], kMovebankEventHeader);
  const std::vector<std::string> header = Fields(lines[0]);
  ASSERT_EQ(header.size(), 16u);
  EXPECT_EQ(header[2], "timestamp");
  EXPECT_EQ(header[3], "location-long");
  for (size_t i = 0; i < r->fixes.size(); i += 97) {
    const SimFix& s = r->fixes[i];
    const telemetry::Fix& f = s.fix;
    const std::vector<std::string> row = Fields(lines[i + 1]);
    ASSERT_EQ(row.size(), 16u) << lines[i + 1];
    EXPECT_EQ(row[0], std::to_string(*f.event_id));
    EXPECT_EQ(row[1], f.visible ? "true" : "false");
    EXPECT_EQ(row[2], telemetry::FormatTimestamp(f.timestamp_ms));
    // Positions are quantised to 1e-7 degrees, so they read back exactly.
    EXPECT_EQ(Num(row[3]), f.lon);
    EXPECT_EQ(Num(row[4]), f.lat);
    EXPECT_NEAR(Num(row[5]), *f.height_m, 1e-9);
    EXPECT_NEAR(Num(row[6]), *f.hdop, 1e-9);
    EXPECT_EQ(row[7], std::to_string(*f.satellites));
    EXPECT_NEAR(Num(row[8]), *f.ground_speed_mps, 1e-9);
    EXPECT_NEAR(Num(row[9]), *f.heading_deg, 1e-9);
    EXPECT_EQ(row[10], "");
    EXPECT_EQ(row[11], "gps");
    const SimIndividual& ind = r->plan.individuals[s.individual];
    EXPECT_EQ(row[12], ind.taxon);
    EXPECT_EQ(row[13], ind.tag_id);
    EXPECT_EQ(row[14], ind.individual_id);
    EXPECT_EQ(row[15], p.study_name);
    std::string single;
    AppendMovebankEventRow(s, ind, p.study_name, &single);
    EXPECT_EQ(single, lines[i + 1] + "\n");
  }
}

TEST(MovebankCsvTest, QuotesFieldsThatNeedIt) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
}

TEST(MovebankCsvTest, ReferenceDataAndTruthJson) {
  SimParams p = Small(3);
  absl::StatusOr<SimPlan> plan = PlanScenario(p, World());
  ASSERT_TRUE(plan.ok());
  std::ostringstream ref;
  WriteMovebankReference(*plan, ref);
  std::vector<std::string> lines = absl::StrSplit(ref.str(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0], kMovebankReferenceHeader);
  const std::vector<std::string> row = Fields(lines[1]);
  ASSERT_EQ(row.size(), 10u);
  EXPECT_EQ(row[0], plan->individuals[0].tag_id);
  EXPECT_EQ(row[1], plan->individuals[0].individual_id);
  EXPECT_EQ(row[5], "2023-01-01 00:00:00.000");
  EXPECT_EQ(row[6], "2024-01-01 00:00:00.000");
  EXPECT_EQ(row[9], plan->individuals[0].wintering_site);

  const nlohmann::json truth = nlohmann::json::parse(TruthJson(*plan));
  EXPECT_EQ(truth["schema"], "wetlink.sim.truth/1");
  ASSERT_EQ(truth["individuals"].size(), 4u);
  const auto& ind = truth["individuals"][0];
  EXPECT_EQ(ind["individual_id"], plan->individuals[0].individual_id);
  EXPECT_EQ(ind["stays"].size(), plan->individuals[0].stays.size());
  EXPECT_EQ(ind["flights"].size(), plan->individuals[0].flights.size());
  EXPECT_EQ(ind["stays"][0]["arrival"], "2023-01-01T00:00:00.000Z");
  EXPECT_EQ(TruthJson(*plan), TruthJson(*PlanScenario(p, World())));
}

}  // namespace
}  // namespace wetlink::sim
