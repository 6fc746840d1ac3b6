// End to end: site reports and the joint species list through the real
// binaries. A simulated year of tracks (wetlink-sim) is pushed by the real
// wetlink-ingest, its simulated count surveys imported with the real CLI,
// and the Rason report read back with `wetlink report ...` in every format
// and language. Expected figures are worked out here independently, from
// the simulator's counts.csv and truth.json.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/report_testing.h"
#include "tests/integration/wetlinkd_process.h"

namespace wetlink::testing {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;

constexpr int kOk = 0;
constexpr int kNotFound = 4;
constexpr int kInvalid = 5;

// The period of the simulated year's two count seasons.
const std::vector<std::string> kPeriod = {"--from", "2023-07-01", "--to", "2025-06-30"};

class ReportCliTest : public SimulatedReportTest {
 protected:
  static RunResult Report(std::vector<std::string> args) {
    std::vector<std::string> all = {"report"};
    all.insert(all.end(), args.begin(), args.end());
    return world().server().Cli(all, std::chrono::seconds(60));
  }
};

TEST_F(ReportCliTest, RasonJsonMatchesTheSimulatedCountsAndTracks) {
  std::vector<std::string> args = {"site", "rason", "--format", "json", "-o", "-"};
  args.insert(args.end(), kPeriod.begin(), kPeriod.end());
  const RunResult r = Report(args);
  ASSERT_EQ(r.code(), kOk) << r.Describe();
  const json report = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << r.out.substr(0, 500);

  // Counts: every species' season peaks equal the maxima of counts.csv.
  const auto expected_peaks = world().SeasonPeaks("rason");
  ASSERT_FALSE(expected_peaks.empty());
  std::map<std::string, std::map<std::string, std::int64_t>> got_peaks;
  for (const json& a : report.at("assessments")) {
    for (const json& p : a.at("peaks")) {
      got_peaks[a.at("species_id").get<std::string>()][p.at("season").get<std::string>()] =
          p.at("peak").get<std::int64_t>();
    }
  }
  EXPECT_EQ(got_peaks, expected_peaks);

  // Tagged birds: the individuals whose simulated itinerary stops at Rason.
  const std::set<std::string> truth_birds = world().TruthIndividualsAt("rason");
  ASSERT_GE(truth_birds.size(), 3u) << "the simulation must route birds through Rason";
  EXPECT_EQ(report.at("tagged").at("individuals").get<std::size_t>(), truth_birds.size());
  EXPECT_EQ(report.at("tagged").at("visits").get<std::size_t>(), world().TruthStaysAt("rason"));
}

TEST_F(ReportCliTest, CsvAndHtmlCarryTheSameFiguresInEveryLanguage) {
  for (const std::string lang : {"en", "zh", "ru", "ko"}) {
    SCOPED_TRACE(lang);
    std::vector<std::string> csv_args = {"site",     "rason", "--lang", lang,
                                         "--format", "csv",   "-o",     "-"};
    csv_args.insert(csv_args.end(), kPeriod.begin(), kPeriod.end());
    const RunResult csv = Report(csv_args);
    ASSERT_EQ(csv.code(), kOk) << csv.Describe();
    std::vector<std::string> html_args = {"site", "rason", "--lang", lang, "-o", "-"};
    html_args.insert(html_args.end(), kPeriod.begin(), kPeriod.end());
    const RunResult html = Report(html_args);
    ASSERT_EQ(html.code(), kOk) << html.Describe();
    ASSERT_THAT(html.out, HasSubstr("<html lang=\"" + lang + "\""));

    const std::vector<CsvFigure> figures = ParseReportCsv(csv.out);
    ASSERT_GT(figures.size(), 20u);
    std::size_t peaks = 0;
    for (const CsvFigure& f : figures) {
      if (f.section == "species" && f.measure == "peak") {
        ++peaks;
        const auto expected = world().SeasonPeaks("rason");
        auto species = expected.find(f.item);
        ASSERT_NE(species, expected.end()) << f.item;
        auto season = species->second.find(f.season);
        ASSERT_NE(season, species->second.end()) << f.season;
        EXPECT_EQ(f.value, std::to_string(season->second));
      }
      // Every figure the CSV gives is printed in the HTML, in the same form.
      if (!f.value.empty()) {
        EXPECT_TRUE(HtmlShowsFigure(html.out, f))
            << f.section << " " << f.item << " " << f.measure << " = " << f.value;
      }
    }
    EXPECT_GT(peaks, 0u);
  }
}

TEST_F(ReportCliTest, JointSpeciesListOfTheTumenEstuary) {
  const RunResult r = Report({"species-list", "--format", "csv", "-o", "-"});
  ASSERT_EQ(r.code(), kOk) << r.Describe();
  // Expected: per (species, site, season) the highest count at the
  // complex's sites, straight from counts.csv.
  const auto expected = world().ComplexMaxima("tumen_estuary");
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(ParseSpeciesListCsv(r.out), expected);
}

TEST_F(ReportCliTest, BadRequestsNameTheValue) {
  RunResult r = Report({"site", "atlantis", "-o", "-"});
  EXPECT_EQ(r.code(), kNotFound) << r.Describe();
  EXPECT_THAT(r.err, HasSubstr("atlantis"));
  r = Report({"site", "rason", "--lang", "fr", "-o", "-"});
  EXPECT_EQ(r.code(), kInvalid) << r.Describe();
  EXPECT_THAT(r.err, HasSubstr("'fr'"));
  r = Report({"site", "rason", "--format", "pdf", "-o", "-"});
  EXPECT_EQ(r.code(), kInvalid) << r.Describe();
  EXPECT_THAT(r.err, HasSubstr("'pdf'"));
  r = Report({"site", "rason", "--from", "2025-01-02", "--to", "2025-01-01", "-o", "-"});
  EXPECT_EQ(r.code(), kInvalid) << r.Describe();
  EXPECT_THAT(r.err, HasSubstr("2025-01-02 to 2025-01-01 is empty"));
  r = Report({"site", "rason", "--from", "2025-02-30", "-o", "-"});
  EXPECT_EQ(r.code(), kInvalid) << r.Describe();
  EXPECT_THAT(r.err, HasSubstr("'2025-02-30'"));
  r = Report({"species-list", "--complex", "nowhere", "-o", "-"});
  EXPECT_EQ(r.code(), kNotFound) << r.Describe();
  EXPECT_THAT(r.err, HasSubstr("'nowhere'"));
  r = Report({"species-list", "--format", "geojson", "-o", "-"});
  EXPECT_EQ(r.code(), kInvalid) << r.Describe();
}

TEST_F(ReportCliTest, WritesTheSuggestedFileName) {
  const std::string dir = world().server().scratch().File("out");
  std::filesystem::create_directories(dir);
  std::vector<std::string> args = {"site",     "rason",   "--lang", "ko",
                                   "--format", "geojson", "-o",     dir + "/rason.geojson"};
  args.insert(args.end(), kPeriod.begin(), kPeriod.end());
  const RunResult r = Report(args);
  ASSERT_EQ(r.code(), kOk) << r.Describe();
  const json doc = json::parse(ReadFile(dir + "/rason.geojson"), nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc.value("type", ""), "FeatureCollection");
  EXPECT_FALSE(doc.at("features").empty());
}

}  // namespace
}  // namespace wetlink::testing
