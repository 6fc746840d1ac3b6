#ifndef WETLINK_TESTS_INTEGRATION_REPORT_TESTING_H_
#define WETLINK_TESTS_INTEGRATION_REPORT_TESTING_H_

// A simulated world for the report tests: wetlinkd (gRPC and HTTP on
// loopback) holding a simulated year of tracks pushed by the real
// wetlink-ingest and the simulator's count surveys imported with the real
// CLI; and the expected figures, worked out from the simulator's files
// without any Wetlink code.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/wetlinkd_process.h"

namespace wetlink::testing {

class SimulatedReportWorld {
 public:
  // Simulates, starts wetlinkd, pushes, imports and rebuilds the flyway.
  bool Start(std::string* error);

  const WetlinkdProcess& server() const { return server_; }
  int http_port() const { return http_port_; }

  // species id -> count season label ("2023/24") -> highest count at `site`.
  std::map<std::string, std::map<std::string, std::int64_t>> SeasonPeaks(
      const std::string& site) const;
  // (species id, site id, season label) -> highest count, over the sites of
  // `complex` (members from the bundled catalog).
  std::map<std::tuple<std::string, std::string, std::string>, std::int64_t> ComplexMaxima(
      const std::string& complex) const;
  // individual ids whose simulated itinerary stays at `site`.
  std::set<std::string> TruthIndividualsAt(const std::string& site) const;
  // Simulated stays at `site`.
  std::size_t TruthStaysAt(const std::string& site) const;

 private:
  struct CountRow {
    std::string site;
    std::string species;
    std::string season;
    std::int64_t count = 0;
  };
  WetlinkdProcess server_;
  int http_port_ = 0;
  std::string dir_;
  std::vector<CountRow> counts_;
};

// A test suite sharing one SimulatedReportWorld, started once per suite.
class SimulatedReportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;

  static SimulatedReportWorld& world() { return *world_; }

 private:
  static SimulatedReportWorld* world_;
};

// One row of a site report CSV.
struct CsvFigure {
  std::string section;
  std::string item;
  std::string item_name;
  std::string season;
  std::string measure;
  std::string value;
  std::string unit;
};

// RFC 4180 records of `text` (quoted fields, CRLF or LF).
std::vector<std::vector<std::string>> ParseCsv(const std::string& text);
std::vector<CsvFigure> ParseReportCsv(const std::string& text);
// (species, site, season) -> max_count of a species-list CSV.
std::map<std::tuple<std::string, std::string, std::string>, std::int64_t> ParseSpeciesListCsv(
    const std::string& text);

// The HTML has the cell of `figure` (data-key="section|item|season|measure")
// and its text starts with the CSV's value.
bool HtmlShowsFigure(const std::string& html, const CsvFigure& figure);

// An HTTP/1.1 GET on 127.0.0.1:`port`: status code and body ("" and 0 when
// the server cannot be reached).
struct HttpReply {
  int status = 0;
  std::string content_type;
  std::string body;
};
// GET `target` presenting `token` as a bearer token.
HttpReply HttpGet(int port, const std::string& target, const std::string& token);

}  // namespace wetlink::testing

#endif  // WETLINK_TESTS_INTEGRATION_REPORT_TESTING_H_
