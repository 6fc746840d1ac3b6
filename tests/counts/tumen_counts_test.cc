// End to end: tests/fixtures/counts/tumen_counts.csv read with CountCsvReader
// and every row validated against the bundled catalog, as an upload would be.
//
// The fixture is hand-written: plausible spring and autumn counts at the
// Tumen estuary units (and Hunchun upstream) for the four catalog species.
// The numbers, observers and organisation are invented for the test; they
// are not survey results. Lines 12-20 are each wrong in exactly one way.

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "counts/count_csv.h"
#include "counts/count_validation.h"
#include "telemetry/reject_reason.h"
#include "tests/counts/counts_testing.h"

namespace wetlink::counts {
namespace {

using telemetry::RejectReason;
using ::testing::ElementsAre;

// line, reason code, field: what a client is told about a refused row.
using Refusal = std::tuple<std::size_t, std::string, std::string>;

struct Outcome {
  std::vector<std::pair<std::size_t, Count>> accepted;  // with their lines
  std::vector<Refusal> refused;                         // in line order
};

Outcome ReadAndValidate(const std::string& path) {
  Outcome outcome;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.is_open()) << path;
  absl::StatusOr<CountCsvReader> reader = CountCsvReader::Open(in);
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return outcome;
  CountRowBatch batch;
  std::map<std::size_t, Refusal> refused_by_line;  // the reader's and the validator's, merged
  while (reader->Next(batch, 4)) {
    for (const ingest::RowRejection& r : batch.rejections) {
      refused_by_line[r.line] = {r.line, std::string(telemetry::RejectReasonCode(r.reason)),
                                 r.field};
    }
    for (const CountRow& row : batch.rows) {
      auto result = ValidateCount(row.raw, testing::BundledCatalog(), testing::kToday);
      if (const auto* problem = std::get_if<telemetry::FieldProblem>(&result)) {
        refused_by_line[row.line] = {
            row.line, std::string(telemetry::RejectReasonCode(problem->reason)), problem->field};
      } else {
        outcome.accepted.emplace_back(row.line, std::get<Count>(result));
      }
    }
  }
  EXPECT_TRUE(reader->status().ok()) << reader->status();
  for (auto& [line, refusal] : refused_by_line) outcome.refused.push_back(refusal);
  return outcome;
}

TEST(TumenCountsTest, AcceptsTheGoodRowsAndNamesEveryBadOne) {
  const Outcome outcome =
      ReadAndValidate(std::string(WETLINK_TEST_FIXTURES_DIR) + "/counts/tumen_counts.csv");

  std::vector<std::size_t> accepted_lines;
  for (const auto& [line, count] : outcome.accepted) accepted_lines.push_back(line);
  EXPECT_THAT(accepted_lines, ElementsAre(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 21));

  EXPECT_THAT(outcome.refused,
              ElementsAre(Refusal{12, "UNKNOWN_SITE", "site_id"},           // tumen_delta
                          Refusal{13, "BAD_DATE", "date"},                  // 2023-09-31
                          Refusal{14, "UNKNOWN_SPECIES", "species"},        // Grus grus
                          Refusal{15, "COUNT_OUT_OF_RANGE", "count"},       // 12.5
                          Refusal{16, "BAD_NUMBER", "count"},               // about 40
                          Refusal{17, "MISSING_FIELD", "count"},            // empty cell
                          Refusal{18, "NEGATIVE_COUNT", "count"},           // -4
                          Refusal{19, "UNKNOWN_METHOD", "method"},          // estimate
                          Refusal{20, "MALFORMED_ROW", ""}));               // 5 of 9 cells
}

TEST(TumenCountsTest, AcceptedRowsCarryCatalogIdsAndZeroCounts) {
  const Outcome outcome =
      ReadAndValidate(std::string(WETLINK_TEST_FIXTURES_DIR) + "/counts/tumen_counts.csv");
  ASSERT_EQ(outcome.accepted.size(), 11u);

  // Line 4: a zero count, with a quoted note containing a comma.
  const Count& none_seen = outcome.accepted[2].second;
  EXPECT_EQ(none_seen.site_id, "khasansky_south");
  EXPECT_EQ(none_seen.species_id, "grus_japonensis");  // from "RCC"
  EXPECT_EQ(none_seen.count, 0);
  EXPECT_EQ(none_seen.date_days, ParseSurveyDate("2023-03-28"));
  EXPECT_EQ(none_seen.notes, "Searched all pools, none seen");

  // Line 6: species by scientific name.
  EXPECT_EQ(outcome.accepted[4].second.species_id, "antigone_vipio");
  // Line 7: no method given.
  EXPECT_EQ(outcome.accepted[5].second.method, SurveyMethod::kUnspecified);
  // Line 8: doubled quotes inside a quoted note.
  EXPECT_EQ(outcome.accepted[6].second.notes, "Counted at the \"east\" roost at dusk");
  // Line 10: method in another case.
  EXPECT_EQ(outcome.accepted[8].second.method, SurveyMethod::kAerial);
  // Line 21: the second zero count.
  EXPECT_EQ(outcome.accepted[10].second.species_id, "platalea_minor");
  EXPECT_EQ(outcome.accepted[10].second.count, 0);

  // Totals by species over the accepted rows.
  std::map<std::string, std::int64_t> totals;
  for (const auto& [line, count] : outcome.accepted) totals[count.species_id] += count.count;
  EXPECT_EQ(totals, (std::map<std::string, std::int64_t>{{"antigone_vipio", 100},
                                                         {"grus_japonensis", 2},
                                                         {"grus_monacha", 99},
                                                         {"platalea_minor", 3}}));
}

}  // namespace
}  // namespace wetlink::counts
