#include "ingest/csv_reader.h"

#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wetlink::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A record as the tests compare it: its line and either fields or an error.
struct Rec {
  std::size_t line;
  std::vector<std::string> fields;
  std::string error;
};

std::vector<Rec> ReadAll(const std::string& text, CsvOptions options = {}) {
  std::istringstream in(text);
  CsvReader reader(in, options);
  std::vector<Rec> out;
  CsvRecord record;
  while (reader.Next(record)) {
    Rec rec{record.line, {}, record.error};
    for (std::string_view f : record.fields) rec.fields.emplace_back(f);
    if (!record.ok()) {
      EXPECT_THAT(record.fields, IsEmpty());
    }
    out.push_back(std::move(rec));
  }
  EXPECT_TRUE(reader.status().ok());
  return out;
}

// The same input read with the smallest chunk size, so that every
// chunk-boundary case (CR/LF split, quote pair split) is crossed.
std::vector<Rec> ReadAllSmallChunks(const std::string& text, CsvOptions options = {}) {
  options.read_chunk_bytes = 1;
  return ReadAll(text, options);
}

TEST(CsvReaderTest, PlainRecords) {
  const auto recs = ReadAll("a,b,c\n1,2,3\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].line, 1u);
  EXPECT_THAT(recs[0].fields, ElementsAre("a", "b", "c"));
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_THAT(recs[1].fields, ElementsAre("1", "2", "3"));
}

TEST(CsvReaderTest, EmptyInput) {
  EXPECT_THAT(ReadAll(""), IsEmpty());
  EXPECT_THAT(ReadAll("\n\n"), IsEmpty());
}

TEST(CsvReaderTest, NoFinalLineBreakAndEmptyFields) {
  const auto recs = ReadAll("a,,c\n,,\nx,y,");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_THAT(recs[0].fields, ElementsAre("a", "", "c"));
  EXPECT_THAT(recs[1].fields, ElementsAre("", "", ""));
  EXPECT_THAT(recs[2].fields, ElementsAre("x", "y", ""));
}

TEST(CsvReaderTest, Quoting) {
  const std::string text =
      "\"a,b\",\"say \"\"hi\"\"\",\"\",plain\n"
      "\"\"\"\",\"x\"\n";
  for (const auto& recs : {ReadAll(text), ReadAllSmallChunks(text)}) {
    ASSERT_EQ(recs.size(), 2u);
    EXPECT_THAT(recs[0].fields, ElementsAre("a,b", "say \"hi\"", "", "plain"));
    EXPECT_THAT(recs[1].fields, ElementsAre("\"", "x"));
  }
}

TEST(CsvReaderTest, CrLf) {
  const std::string text = "a,\"b\"\r\n1,2\r\n\r\n3,4\r\n";
  for (const auto& recs : {ReadAll(text), ReadAllSmallChunks(text)}) {
    ASSERT_EQ(recs.size(), 3u);
    EXPECT_THAT(recs[0].fields, ElementsAre("a", "b"));
    EXPECT_THAT(recs[1].fields, ElementsAre("1", "2"));
    EXPECT_EQ(recs[2].line, 4u);
    EXPECT_THAT(recs[2].fields, ElementsAre("3", "4"));
  }
}

TEST(CsvReaderTest, LoneCrIsData) {
  const auto recs = ReadAll("a\rb,c\n");
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_THAT(recs[0].fields, ElementsAre("a\rb", "c"));
}

TEST(CsvReaderTest, ByteOrderMarkOnHeader) {
  const auto recs = ReadAll("\xEF\xBB\xBFtimestamp,location-lat\n1,2\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_THAT(recs[0].fields, ElementsAre("timestamp", "location-lat"));
  // Only at the start of the input.
  const auto later = ReadAll("a\n\xEF\xBB\xBFx\n");
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[1].fields[0], "\xEF\xBB\xBFx");
}

TEST(CsvReaderTest, EmbeddedLineBreaksKeepLineNumbers) {
  const std::string text =
      "h1,h2\n"
      "\"line one\nline two\r\nline three\",x\n"
      "after,y\n";
  for (const auto& recs : {ReadAll(text), ReadAllSmallChunks(text)}) {
    ASSERT_EQ(recs.size(), 3u);
    EXPECT_EQ(recs[1].line, 2u);
    EXPECT_THAT(recs[1].fields, ElementsAre("line one\nline two\r\nline three", "x"));
    EXPECT_EQ(recs[2].line, 5u);
    EXPECT_THAT(recs[2].fields, ElementsAre("after", "y"));
  }
}

TEST(CsvReaderTest, StrayQuoteThenRecovery) {
  const std::string text = "a,b\nab\"c,d\ne,f\n";
  for (const auto& recs : {ReadAll(text), ReadAllSmallChunks(text)}) {
    ASSERT_EQ(recs.size(), 3u);
    EXPECT_EQ(recs[1].line, 2u);
    EXPECT_THAT(recs[1].error, HasSubstr("stray quote"));
    EXPECT_THAT(recs[1].error, HasSubstr("field 1"));
    EXPECT_EQ(recs[2].line, 3u);
    EXPECT_THAT(recs[2].fields, ElementsAre("e", "f"));
  }
}

TEST(CsvReaderTest, TextAfterClosingQuoteThenRecovery) {
  const std::string text = "x,\"ab\"c,d\r\ne,f\n\"q\"\rz\ng,h\n";
  for (const auto& recs : {ReadAll(text), ReadAllSmallChunks(text)}) {
    ASSERT_EQ(recs.size(), 4u);
    EXPECT_EQ(recs[0].line, 1u);
    EXPECT_THAT(recs[0].error, HasSubstr("after the closing quote of field 2"));
    EXPECT_THAT(recs[1].fields, ElementsAre("e", "f"));
    EXPECT_EQ(recs[1].line, 2u);
    EXPECT_FALSE(recs[2].error.empty());
    EXPECT_EQ(recs[3].line, 4u);
    EXPECT_THAT(recs[3].fields, ElementsAre("g", "h"));
  }
}

TEST(CsvReaderTest, UnterminatedQuoteCostsOneLine) {
  // The bad opening quote on line 2 would swallow the rest of the file; the
  // reader reports it and resumes on line 3.
  const std::string text = "a,b\n\"oops,c\nd,e\nf,g\n";
  for (const auto& recs : {ReadAll(text), ReadAllSmallChunks(text)}) {
    ASSERT_EQ(recs.size(), 4u);
    EXPECT_EQ(recs[1].line, 2u);
    EXPECT_THAT(recs[1].error, HasSubstr("not closed"));
    EXPECT_EQ(recs[2].line, 3u);
    EXPECT_THAT(recs[2].fields, ElementsAre("d", "e"));
    EXPECT_EQ(recs[3].line, 4u);
    EXPECT_THAT(recs[3].fields, ElementsAre("f", "g"));
  }
}

TEST(CsvReaderTest, MissingClosingQuoteClosedByALaterQuoteCostsOneLine) {
  // The quote opened on line 2 is closed by the first quote of line 3, and
  // the record breaks there; line 3 is then read as the record it is.
  const std::string text = "a,b\n\"oops,c\nd,\"e\"\nf,g\n";
  for (const auto& recs : {ReadAll(text), ReadAllSmallChunks(text)}) {
    ASSERT_EQ(recs.size(), 4u);
    EXPECT_EQ(recs[1].line, 2u);
    EXPECT_THAT(recs[1].error, HasSubstr("opened on line 2 may lack its closing quote"));
    EXPECT_EQ(recs[2].line, 3u);
    EXPECT_THAT(recs[2].fields, ElementsAre("d", "e"));
    EXPECT_EQ(recs[3].line, 4u);
    EXPECT_THAT(recs[3].fields, ElementsAre("f", "g"));
  }
}

TEST(CsvReaderTest, UnterminatedQuoteOnLastLine) {
  const auto recs = ReadAll("a,b\nc,\"d");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_THAT(recs[1].error, HasSubstr("quoted field 2 is not closed"));
}

TEST(CsvReaderTest, OversizedUnquotedRecordIsSkipped) {
  CsvOptions options;
  options.max_record_bytes = 100;
  options.read_chunk_bytes = 64;
  const std::string text = "a,b\n" + std::string(100, 'x') + "\n" + std::string(5000, 'y') +
                           ",z\n" + std::string(101, 'w') + "\nc,d\n";
  const auto recs = ReadAll(text, options);
  ASSERT_EQ(recs.size(), 5u);
  EXPECT_EQ(recs[1].fields[0].size(), 100u);  // exactly at the limit
  EXPECT_EQ(recs[2].line, 3u);
  EXPECT_THAT(recs[2].error, HasSubstr("longer than 100 bytes"));
  EXPECT_EQ(recs[3].line, 4u);
  EXPECT_THAT(recs[3].error, HasSubstr("longer than 100 bytes"));
  EXPECT_EQ(recs[4].line, 5u);
  EXPECT_THAT(recs[4].fields, ElementsAre("c", "d"));
}

TEST(CsvReaderTest, OversizedQuotedRecordResumesOnNextLine) {
  CsvOptions options;
  options.max_record_bytes = 100;
  options.read_chunk_bytes = 64;
  std::string text = "a,\"" + std::string(30, 'q') + "\n";
  for (int i = 0; i < 200; ++i) text += "r,s\n";
  const auto recs = ReadAll(text, options);
  ASSERT_EQ(recs.size(), 201u);
  EXPECT_EQ(recs[0].line, 1u);
  EXPECT_THAT(recs[0].error, HasSubstr("longer than 100 bytes"));
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_THAT(recs[1].fields, ElementsAre("r", "s"));
  EXPECT_EQ(recs[200].line, 201u);
}

TEST(CsvReaderTest, OtherDelimiter) {
  CsvOptions options;
  options.delimiter = ';';
  const auto recs = ReadAll("a;\"b;c,d\"\n", options);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_THAT(recs[0].fields, ElementsAre("a", "b;c,d"));
}

TEST(CsvReaderTest, KeepsEmptyLinesWhenAsked) {
  CsvOptions options;
  options.skip_empty_lines = false;
  const auto recs = ReadAll("a\n\nb\n", options);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_THAT(recs[1].fields, ElementsAre(""));
  EXPECT_EQ(recs[2].line, 3u);
}

TEST(CsvReaderTest, ManyRecordsAcrossChunks) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += std::to_string(i) + ",\"v" + std::to_string(i) + "\"\n";
  CsvOptions options;
  options.read_chunk_bytes = 100;
  const auto recs = ReadAll(text, options);
  ASSERT_EQ(recs.size(), 5000u);
  for (int i = 0; i < 5000; ++i) {
    ASSERT_EQ(recs[static_cast<std::size_t>(i)].line, static_cast<std::size_t>(i) + 1);
    ASSERT_THAT(recs[static_cast<std::size_t>(i)].fields,
                ElementsAre(std::to_string(i), "v" + std::to_string(i)));
  }
}

}  // namespace
}  // namespace wetlink::ingest
