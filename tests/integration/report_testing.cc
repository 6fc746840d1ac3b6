#include "tests/integration/report_testing.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "http/http_message.h"
#include "tests/http/http_test_client.h"

namespace wetlink::testing {
namespace {

std::string SimPath() {
  if (const char* v = std::getenv("WETLINK_SIM_PATH"); v != nullptr && *v != '\0') return v;
  return WETLINK_SIM_PATH;
}
std::string IngestPath() {
  if (const char* v = std::getenv("WETLINK_INGEST_PATH"); v != nullptr && *v != '\0') return v;
  return WETLINK_INGEST_PATH;
}

// "2023/24" for a yyyy-MM-dd date (count seasons run July to June).
std::string SeasonOfDate(const std::string& date) {
  const int year = std::stoi(date.substr(0, 4));
  const int month = std::stoi(date.substr(5, 2));
  const int season = month >= 7 ? year : year - 1;
  char label[16];
  std::snprintf(label, sizeof label, "%d/%02d", season, (season + 1) % 100);
  return label;
}

}  // namespace

bool SimulatedReportWorld::Start(std::string* error) {
  dir_ = server_.scratch().File("sim");
  const RunResult sim = RunProgram(
      SimPath(), {"--seed", "5", "--individuals", "24", "--species", "WNC,HC", "--start-year",
                  "2024", "--years", "1", "--counts", "--out-dir", dir_});
  if (!sim.status.ok()) {
    *error = "wetlink-sim: " + sim.Describe();
    return false;
  }
  server_.set_http(true);
  if (!server_.Start(error)) return false;
  http_port_ = server_.http_port();
  const RunResult push = RunProgram(
      IngestPath(),
      {"--server", server_.address(), "--token-file", server_.admin_token_file(), "--study", "sim",
       "--auto-register", "--state-dir",
       server_.scratch().File("ingest-state"), "--log-level", "warn", "push", dir_ + "/fixes.csv"},
      std::chrono::seconds(120));
  if (!push.status.ok()) {
    *error = "wetlink-ingest: " + push.Describe();
    return false;
  }
  const RunResult counts = server_.Cli({"counts", "import", dir_ + "/counts.csv"});
  if (counts.code() != 0) {
    *error = "wetlink counts import: " + counts.Describe();
    return false;
  }
  const RunResult rebuild = server_.Cli({"flyway", "rebuild"}, std::chrono::seconds(60));
  if (rebuild.code() != 0) {
    *error = "wetlink flyway rebuild: " + rebuild.Describe();
    return false;
  }
  const std::vector<std::vector<std::string>> rows = ParseCsv(ReadFile(dir_ + "/counts.csv"));
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const std::vector<std::string>& r = rows[i];
    if (r.size() < 5) continue;
    counts_.push_back({r[1], r[3], SeasonOfDate(r[2]), std::stoll(r[4])});
  }
  if (counts_.empty()) {
    *error = "the simulator wrote no counts";
    return false;
  }
  return true;
}

std::map<std::string, std::map<std::string, std::int64_t>> SimulatedReportWorld::SeasonPeaks(
    const std::string& site) const {
  std::map<std::string, std::map<std::string, std::int64_t>> peaks;
  for (const CountRow& c : counts_) {
    if (c.site != site) continue;
    auto [it, inserted] = peaks[c.species].try_emplace(c.season, c.count);
    if (!inserted) it->second = std::max(it->second, c.count);
  }
  return peaks;
}

std::map<std::tuple<std::string, std::string, std::string>, std::int64_t>
SimulatedReportWorld::ComplexMaxima(const std::string& complex) const {
  // The bundled catalog's members of the complex, read from its data file.
  std::set<std::string> members;
  const nlohmann::json sites = nlohmann::json::parse(
      ReadFile(std::string(WETLINK_SOURCE_DIR) + "/data/catalog/sites.json"), nullptr, false);
  for (const nlohmann::json& s : sites.at("sites")) {
    if (s.value("complex", nlohmann::json()).is_string() && s.at("complex") == complex) {
      members.insert(s.at("id").get<std::string>());
    }
  }
  std::map<std::tuple<std::string, std::string, std::string>, std::int64_t> maxima;
  for (const CountRow& c : counts_) {
    if (members.count(c.site) == 0) continue;
    auto [it, inserted] = maxima.try_emplace({c.species, c.site, c.season}, c.count);
    if (!inserted) it->second = std::max(it->second, c.count);
  }
  return maxima;
}

std::set<std::string> SimulatedReportWorld::TruthIndividualsAt(const std::string& site) const {
  std::set<std::string> birds;
  const nlohmann::json truth = nlohmann::json::parse(ReadFile(dir_ + "/truth.json"));
  for (const nlohmann::json& ind : truth.at("individuals")) {
    for (const nlohmann::json& stay : ind.at("stays")) {
      if (stay.at("site_id").is_string() && stay.at("site_id") == site) {
        birds.insert(ind.at("individual_id").get<std::string>());
      }
    }
  }
  return birds;
}

std::size_t SimulatedReportWorld::TruthStaysAt(const std::string& site) const {
  std::size_t stays = 0;
  const nlohmann::json truth = nlohmann::json::parse(ReadFile(dir_ + "/truth.json"));
  for (const nlohmann::json& ind : truth.at("individuals")) {
    for (const nlohmann::json& stay : ind.at("stays")) {
      if (stay.at("site_id").is_string() && stay.at("site_id") == site) ++stays;
    }
  }
  return stays;
}

SimulatedReportWorld* SimulatedReportTest::world_ = nullptr;

void SimulatedReportTest::SetUpTestSuite() {
  world_ = new SimulatedReportWorld();
  std::string error;
  if (!world_->Start(&error)) {
    delete world_;
    world_ = nullptr;
    FAIL() << error;
  }
}

void SimulatedReportTest::TearDownTestSuite() {
  delete world_;
  world_ = nullptr;
}

void SimulatedReportTest::SetUp() {
  if (world_ == nullptr) GTEST_SKIP() << "the simulated world did not start";
}

std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  bool any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\r') {
      continue;
    } else if (c == '\n') {
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || !field.empty()) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

std::vector<CsvFigure> ParseReportCsv(const std::string& text) {
  std::vector<CsvFigure> figures;
  const auto rows = ParseCsv(text);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (r.size() != 7) continue;
    figures.push_back({r[0], r[1], r[2], r[3], r[4], r[5], r[6]});
  }
  return figures;
}

std::map<std::tuple<std::string, std::string, std::string>, std::int64_t> ParseSpeciesListCsv(
    const std::string& text) {
  std::map<std::tuple<std::string, std::string, std::string>, std::int64_t> out;
  const auto rows = ParseCsv(text);
  if (rows.empty()) return out;
  const std::vector<std::string>& header = rows[0];
  auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const std::size_t species = column("species_id");
  const std::size_t site = column("site_id");
  const std::size_t season = column("season");
  const std::size_t max_count = column("max_count");
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (r.size() != header.size()) continue;
    out[{r[species], r[site], r[season]}] = std::stoll(r[max_count]);
  }
  return out;
}

bool HtmlShowsFigure(const std::string& html, const CsvFigure& f) {
  const std::string key =
      "data-key=\"" +
      http::HtmlEscape(f.section + "|" + f.item + "|" + f.season + "|" + f.measure) + "\">";
  const std::string value = http::HtmlEscape(f.value);
  for (std::size_t at = html.find(key); at != std::string::npos; at = html.find(key, at + 1)) {
    if (html.compare(at + key.size(), value.size(), value) == 0) return true;
  }
  return false;
}

HttpReply HttpGet(int port, const std::string& target, const std::string& token) {
  HttpReply reply;
  std::string error;
  std::unique_ptr<http::testing::TestConnection> connection =
      http::testing::TestConnection::Open(port, &error);
  if (!connection) return reply;
  if (!connection->Send("GET " + target +
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer " +
                        token + "\r\n\r\n")) {
    return reply;
  }
  // Reports take a while in the sanitizer build.
  std::optional<http::testing::ClientResponse> response =
      connection->ReadResponse(false, std::chrono::seconds(60));
  if (!response) return reply;
  reply.status = response->status;
  reply.content_type = response->Header("content-type");
  reply.body = std::move(response->body);
  return reply;
}

}  // namespace wetlink::testing
