#include "counts/count_csv.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/reject_reason.h"

namespace wetlink::counts {
namespace {

using telemetry::RejectReason;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kHeader[] =
    "survey_id,site_id,date,species,count,method,observer,organisation,notes\n";

struct ReadResult {
  std::vector<CountRow> rows;
  std::vector<ingest::RowRejection> rejections;
};

// Reads everything in small batches, to exercise batch boundaries.
ReadResult ReadText(const std::string& text, std::size_t batch = 2) {
  ReadResult result;
  std::istringstream in(text);
  absl::StatusOr<CountCsvReader> reader = CountCsvReader::Open(in);
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return result;
  CountRowBatch out;
  while (reader->Next(out, batch)) {
    EXPECT_LE(out.size(), batch);
    EXPECT_FALSE(out.empty());
    for (auto& row : out.rows) result.rows.push_back(std::move(row));
    for (auto& rejection : out.rejections) result.rejections.push_back(std::move(rejection));
  }
  EXPECT_TRUE(reader->status().ok());
  return result;
}

absl::Status OpenError(const std::string& text) {
  std::istringstream in(text);
  return CountCsvReader::Open(in).status();
}

// The one row of a file with the standard header and a row whose count
// cell is `count_cell`.
ReadResult ReadCountCell(const std::string& count_cell) {
  return ReadText(std::string(kHeader) + "S1,rason,2023-10-21,HC," + count_cell + ",,,,\n");
}

TEST(CountCsvTest, ReadsEveryColumn) {
  const ReadResult result = ReadText(
      std::string(kHeader) +
      "TUM-2023-AUT-01,rason,2023-10-21,HC,120,ground,Observer A,Example Survey Group,rice "
      "fields\n"
      "TUM-2023-AUT-01,fangchuan,2023-10-21,Grus monacha,0,,,,\n");
  EXPECT_THAT(result.rejections, IsEmpty());
  ASSERT_EQ(result.rows.size(), 2u);

  RawCount expected;
  expected.survey_id = "TUM-2023-AUT-01";
  expected.site_id = "rason";
  expected.date = "2023-10-21";
  expected.species = "HC";
  expected.count = 120;
  expected.method = "ground";
  expected.observer = "Observer A";
  expected.organisation = "Example Survey Group";
  expected.notes = "rice fields";
  EXPECT_EQ(result.rows[0].line, 2u);
  EXPECT_EQ(result.rows[0].raw, expected);

  EXPECT_EQ(result.rows[1].line, 3u);
  EXPECT_EQ(result.rows[1].raw.species, "Grus monacha");
  EXPECT_EQ(result.rows[1].raw.count, 0);
  EXPECT_EQ(result.rows[1].raw.method, "");
}

TEST(CountCsvTest, QuotedFields) {
  const ReadResult result = ReadText(
      std::string(kHeader) +
      "\"TUM,01\",rason,2023-10-21,\"Grus monacha\",\"35\",ground,\"Lee, K.\",,"
      "\"counted at the \"\"east\"\" roost\"\n"
      "S2,rason,2023-10-21,HC,1,ground,,,\"two\nlines\"\n"
      "S3,rason,2023-10-21,HC,2,ground,,,\n");
  EXPECT_THAT(result.rejections, IsEmpty());
  ASSERT_EQ(result.rows.size(), 3u);
  EXPECT_EQ(result.rows[0].raw.survey_id, "TUM,01");
  EXPECT_EQ(result.rows[0].raw.species, "Grus monacha");
  EXPECT_EQ(result.rows[0].raw.count, 35);
  EXPECT_EQ(result.rows[0].raw.observer, "Lee, K.");
  EXPECT_EQ(result.rows[0].raw.notes, "counted at the \"east\" roost");
  // The reader keeps a quoted line break (ValidateCount refuses it later);
  // lines stay those of the file.
  EXPECT_EQ(result.rows[1].raw.notes, "two\nlines");
  EXPECT_EQ(result.rows[1].line, 3u);
  EXPECT_EQ(result.rows[2].line, 5u);
}

TEST(CountCsvTest, ColumnsInAnyOrderWithAliasesCaseAndUnknownColumns) {
  const ReadResult result = ReadText(
      "Count, Species ,weather,Organization,DATE,site,survey,Observer_Phone\n"
      "42,WNC,fog,Example Survey Group,2023-03-28,khasansky_south,TUM-SPR-1,000\n");
  EXPECT_THAT(result.rejections, IsEmpty());
  ASSERT_EQ(result.rows.size(), 1u);
  const RawCount& raw = result.rows[0].raw;
  EXPECT_EQ(raw.survey_id, "TUM-SPR-1");
  EXPECT_EQ(raw.site_id, "khasansky_south");
  EXPECT_EQ(raw.date, "2023-03-28");
  EXPECT_EQ(raw.species, "WNC");
  EXPECT_EQ(raw.count, 42);
  EXPECT_EQ(raw.organisation, "Example Survey Group");
  EXPECT_EQ(raw.method, "");  // no method column
  EXPECT_EQ(raw.observer, "");
  EXPECT_EQ(raw.notes, "");
}

TEST(CountCsvTest, CrlfLineBreaksAndByteOrderMark) {
  const ReadResult result = ReadText(
      "\xEF\xBB\xBFsurvey_id,site_id,date,species,count\r\n"
      "S1,rason,2023-10-21,HC,7\r\n"
      "\r\n"
      "S1,jingxin,2023-10-21,BFS,0\r\n");
  EXPECT_THAT(result.rejections, IsEmpty());
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.rows[0].raw.survey_id, "S1");  // the BOM is not part of the name
  EXPECT_EQ(result.rows[0].raw.count, 7);
  EXPECT_EQ(result.rows[1].raw.site_id, "jingxin");
  EXPECT_EQ(result.rows[1].raw.count, 0);
  EXPECT_EQ(result.rows[1].line, 4u);
}

TEST(CountCsvTest, EmptyCountCellIsAbsent) {
  const ReadResult result = ReadCountCell("");
  EXPECT_THAT(result.rejections, IsEmpty());
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].raw.count, std::nullopt);
}

TEST(CountCsvTest, IntegerCountCells) {
  const std::pair<std::string, std::int64_t> cases[] = {
      {"0", 0},
      {"-3", -3},  // read; ValidateCount refuses it as negative
      {"007", 7},
      {"12.0", 12},  // a zero fraction is still a whole number
      {"-0", 0},
      {"9223372036854775807", std::numeric_limits<std::int64_t>::max()},
      {"-9223372036854775808", std::numeric_limits<std::int64_t>::min()},
  };
  for (const auto& [cell, value] : cases) {
    const ReadResult result = ReadCountCell(cell);
    EXPECT_THAT(result.rejections, IsEmpty()) << cell;
    ASSERT_EQ(result.rows.size(), 1u) << cell;
    EXPECT_EQ(result.rows[0].raw.count, value) << cell;
  }
}

TEST(CountCsvTest, FractionalCountIsOutOfRange) {
  const ReadResult result = ReadCountCell("12.5");
  EXPECT_THAT(result.rows, IsEmpty());
  ASSERT_EQ(result.rejections.size(), 1u);
  const ingest::RowRejection& rejection = result.rejections[0];
  EXPECT_EQ(rejection.line, 2u);
  EXPECT_EQ(rejection.reason, RejectReason::kCountOutOfRange);
  EXPECT_EQ(rejection.field, "count");
  EXPECT_EQ(rejection.message, "count 12.5 is not a whole number");
  EXPECT_EQ(ReadCountCell("-0.25").rejections.at(0).message, "count -0.25 is not a whole number");
}

TEST(CountCsvTest, CountThatIsNotANumberIsBadNumber) {
  for (const char* cell : {"12 birds", "abc", "+5", " 5", "5 ", "1e3", "12.", ".5", "-", "--5",
                           "1,000", "0x10", "12.5.0", "ca. 40"}) {
    const std::string quoted_cell =
        std::string(cell).find(',') == std::string::npos ? cell : "\"" + std::string(cell) + "\"";
    const ReadResult result = ReadCountCell(quoted_cell);
    EXPECT_THAT(result.rows, IsEmpty()) << cell;
    ASSERT_EQ(result.rejections.size(), 1u) << cell;
    EXPECT_EQ(result.rejections[0].reason, RejectReason::kBadNumber) << cell;
    EXPECT_EQ(result.rejections[0].field, "count");
    EXPECT_EQ(result.rejections[0].message, "count '" + std::string(cell) + "' is not a number");
  }
}

TEST(CountCsvTest, CountThatOverflowsIsBadNumber) {
  const ReadResult result = ReadCountCell("9223372036854775808");
  ASSERT_EQ(result.rejections.size(), 1u);
  EXPECT_EQ(result.rejections[0].reason, RejectReason::kBadNumber);
  EXPECT_EQ(result.rejections[0].field, "count");
  EXPECT_EQ(result.rejections[0].message,
            "count 9223372036854775808 does not fit in a 64-bit integer");
}

TEST(CountCsvTest, MalformedRowsAreRejectedAndReadingGoesOn) {
  const ReadResult result = ReadText(std::string(kHeader) +
                                     "S1,rason,2023-10-21,HC,5\n"            // 5 of 9 fields
                                     "S1,rason,2023-10-21,H\"C,5,,,,\n"      // stray quote
                                     "S1,rason,2023-10-21,HC,5,,,,,extra\n"  // 10 fields
                                     "S1,rason,2023-10-21,HC,6,,,,\n");
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].line, 5u);
  EXPECT_EQ(result.rows[0].raw.count, 6);
  ASSERT_EQ(result.rejections.size(), 3u);
  for (const ingest::RowRejection& rejection : result.rejections) {
    EXPECT_EQ(rejection.reason, RejectReason::kMalformedRow);
    EXPECT_EQ(rejection.field, "");
  }
  EXPECT_EQ(result.rejections[0].line, 2u);
  EXPECT_EQ(result.rejections[0].message, "row has 5 fields, the header has 9");
  EXPECT_EQ(result.rejections[1].line, 3u);
  EXPECT_EQ(result.rejections[2].line, 4u);
  EXPECT_EQ(result.rejections[2].message, "row has 10 fields, the header has 9");
}

TEST(CountCsvTest, BatchesHoldAtMostMaxRows) {
  std::string text = kHeader;
  for (int i = 0; i < 10; ++i) text += "S1,rason,2023-10-21,HC," + std::to_string(i) + ",,,,\n";
  std::istringstream in(text);
  absl::StatusOr<CountCsvReader> reader = CountCsvReader::Open(in);
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::vector<std::size_t> sizes;
  CountRowBatch batch;
  while (reader->Next(batch, 4)) sizes.push_back(batch.size());
  EXPECT_THAT(sizes, ElementsAre(4u, 4u, 2u));
  EXPECT_TRUE(batch.empty());
  EXPECT_FALSE(reader->Next(batch, 0));  // exhausted; 0 is read as 1
}

TEST(CountCsvTest, HeaderLacksRequiredColumns) {
  const absl::Status status = OpenError("survey_id,site_id,species,method\nS1,rason,HC,ground\n");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(status.message()),
            "count CSV header lacks required column(s): date, count");
}

TEST(CountCsvTest, HeaderRepeatsAColumn) {
  const absl::Status status =
      OpenError("survey_id,site_id,date,species,count,site,notes,NOTES\n");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(status.message()),
            "count CSV header repeats column(s): site_id (columns 2 and 6), notes (columns 7 "
            "and 8)");
}

TEST(CountCsvTest, NoHeaderOrMalformedHeader) {
  EXPECT_EQ(OpenError("").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(OpenError("").message()), HasSubstr("no header"));
  const absl::Status malformed = OpenError("survey_id,\"site_id\"x,date,species,count\n");
  EXPECT_EQ(malformed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(malformed.message()), HasSubstr("header (line 1) is malformed"));
}

TEST(CountCsvTest, HeaderOnlyHasNoRows) {
  const ReadResult result = ReadText(kHeader);
  EXPECT_THAT(result.rows, IsEmpty());
  EXPECT_THAT(result.rejections, IsEmpty());
}

}  // namespace
}  // namespace wetlink::counts
