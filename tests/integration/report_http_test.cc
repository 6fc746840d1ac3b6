// End to end: site reports over wetlinkd's read-only HTTP, as a Ramsar
// focal point opens them in a browser. The Rason report of a simulated
// year in each language is loaded in headless Chromium from Debian
// (tests/browser/check_page.mjs): no console error, the map and both charts
// drawn, the language's own script rendered with a real font; a screenshot
// of each is kept under <build>/test-artifacts/reports/. Bad requests get
// 4xx with a readable message.

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
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

const std::string kPeriod = "from=2023-07-01&to=2025-06-30";

class ReportHttpTest : public SimulatedReportTest {
 protected:
  static HttpReply Get(const std::string& target) {
    return HttpGet(world().http_port(), target, world().server().admin_token());
  }
};

TEST_F(ReportHttpTest, EveryFormatOverHttp) {
  HttpReply r = Get("/reports/sites/rason?lang=ru&format=html&" + kPeriod);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(r.content_type, HasSubstr("text/html"));
  EXPECT_THAT(r.body, HasSubstr("<html lang=\"ru\""));
  r = Get("/reports/sites/rason?format=csv&" + kPeriod);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(r.content_type, HasSubstr("text/csv"));
  EXPECT_GT(ParseReportCsv(r.body).size(), 20u);
  r = Get("/reports/sites/rason?format=json&lang=zh&" + kPeriod);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(json::parse(r.body, nullptr, false).is_discarded());
  r = Get("/reports/sites/rason?format=geojson&" + kPeriod);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body, nullptr, false).value("type", ""), "FeatureCollection");
  r = Get("/reports/species-list?format=csv");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(ParseSpeciesListCsv(r.body), world().ComplexMaxima("tumen_estuary"));
  r = Get("/reports/species-list?lang=ko&sites=rason,jingxin");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(r.body, HasSubstr("species-list"));
}

TEST_F(ReportHttpTest, BadRequestsGetFourHundredsWithAReason) {
  HttpReply r = Get("/reports/sites/atlantis");
  EXPECT_EQ(r.status, 404);
  EXPECT_THAT(r.body, HasSubstr("'atlantis'"));
  EXPECT_THAT(r.content_type, HasSubstr("text/plain"));
  r = Get("/reports/sites/rason?lang=fr");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("lang: 'fr'"));
  r = Get("/reports/sites/rason?format=docx");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("'docx'"));
  r = Get("/reports/sites/rason?from=2025-01-02&to=2025-01-01");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("is empty"));
  r = Get("/reports/sites/rason?colour=blue");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("colour"));
  r = Get("/reports/species-list?complex=nowhere");
  EXPECT_EQ(r.status, 404);
  EXPECT_THAT(r.body, HasSubstr("'nowhere'"));
  r = Get("/reports/nothing-here");
  EXPECT_EQ(r.status, 404);
}

struct BrowserCase {
  std::string lang;
  std::string script;  // Unicode script of the language's labels
};

TEST_F(ReportHttpTest, RasonRendersInChromiumInEachLanguage) {
  ASSERT_TRUE(std::filesystem::exists("/usr/bin/chromium"))
      << "Debian's chromium is needed (scripts/setup-deps.sh --test installs it)";
  const std::string artifacts = std::string(WETLINK_ARTIFACTS_DIR) + "/reports";
  std::filesystem::create_directories(artifacts);
  for (const BrowserCase& c : std::vector<BrowserCase>{
           {"en", "Latin"}, {"zh", "Han"}, {"ru", "Cyrillic"}, {"ko", "Hangul"}}) {
    SCOPED_TRACE(c.lang);
    const std::string url = "http://127.0.0.1:" + std::to_string(world().http_port()) +
                            "/reports/sites/rason?format=html&lang=" + c.lang + "&" + kPeriod;
    const std::string shot = artifacts + "/rason-" + c.lang + ".png";
    const RunResult r = RunProgram(
        "/usr/bin/env",
        {"node", std::string(WETLINK_BROWSER_DIR) + "/check_page.mjs", "--url", url, "--token-file",
         world().server().admin_token_file(), "--screenshot",
         shot, "--expect", "#site-map svg", "--expect", "#chart-peaks svg", "--expect",
         "#chart-presence svg", "--expect", "#species table", "--script-sample",
         "#species h2=" + c.script, "--script-sample", "#tagged h2=" + c.script},
        std::chrono::seconds(90));
    const json result = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(result.is_discarded()) << r.Describe();
    EXPECT_EQ(r.code(), 0) << result.dump(2);
    EXPECT_TRUE(result.value("ok", false)) << result.dump(2);
    EXPECT_TRUE(result.at("consoleErrors").empty()) << result.dump(2);
    EXPECT_TRUE(result.at("pageErrors").empty()) << result.dump(2);
    EXPECT_TRUE(std::filesystem::exists(shot));
  }
}

}  // namespace
}  // namespace wetlink::testing
