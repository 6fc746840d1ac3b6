#include "ingest/movebank_reference.h"

#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/timestamp.h"

namespace wetlink::ingest {
namespace {

using ::testing::HasSubstr;

constexpr telemetry::TimestampMs kEarliest = 631'152'000'000;  // 1990-01-01

absl::StatusOr<ReferenceData> Read(const std::string& text) {
  std::istringstream in(text);
  return ReadMovebankReference(in, "ref.csv", kEarliest);
}

TEST(MovebankReferenceTest, OneRowPerDeploymentAnimalsAndTagsOnce) {
  auto data = Read(
      "tag-id,animal-id,animal-taxon,animal-sex,deploy-on-date,deploy-off-date,tag-model,extra\n"
      "T1,A,Grus monacha,f,2020-01-05 00:00:00.000,2021-01-01 00:00:00.000,OT-20,x\n"
      "T1,B,Grus monacha,m,2021-02-01 00:00:00.000,,OT-20,y\n"
      "\"T,2\",A,Grus monacha,f,,,,z\n");
  ASSERT_TRUE(data.ok()) << data.status();
  ASSERT_EQ(data->individuals.size(), 2u);
  EXPECT_EQ(data->individuals[0].id, "A");
  EXPECT_EQ(data->individuals[0].taxon, "Grus monacha");
  EXPECT_EQ(data->individuals[1].sex, "m");
  ASSERT_EQ(data->tags.size(), 2u);
  EXPECT_EQ(data->tags[1].id, "T,2");
  ASSERT_EQ(data->deployments.size(), 3u);
  EXPECT_EQ(data->deployments[0].start_ms, telemetry::TimestampFromCivil(2020, 1, 5));
  EXPECT_EQ(data->deployments[0].end_ms, telemetry::TimestampFromCivil(2021, 1, 1));
  EXPECT_FALSE(data->deployments[1].end_ms.has_value());
  EXPECT_EQ(data->deployments[2].start_ms, kEarliest);  // empty deploy-on
}

TEST(MovebankReferenceTest, ErrorsNameFileLineAndColumn) {
  struct Case {
    const char* text;
    const char* expected;
  };
  const Case cases[] = {
      {"animal-id\nA\n", "required column 'tag-id'"},
      {"tag-id,animal-id,tag-id\nT,A,T\n", "'tag-id' appears twice"},
      {"tag-id,animal-id,deploy-on-date\nT,A,2020-02-30 00:00:00\n",
       "ref.csv line 2, column 'deploy-on-date'"},
      {"tag-id,animal-id,animal-sex\nT,A,x\n", "ref.csv line 2, column 'animal-sex': 'x'"},
      {"tag-id,animal-id,deploy-on-date,deploy-off-date\n"
       "T,A,2021-01-01 00:00:00,2020-01-01 00:00:00\n",
       "ref.csv line 2, column 'deploy-off-date'"},
      {"tag-id,animal-id,animal-taxon\nT,A,Grus monacha\nT2,A,Grus vipio\n",
       "ref.csv line 3: animal 'A' has other attributes"},
      {"tag-id,animal-id\n,A\n", "ref.csv line 2"},
      // Found by fuzz/movebank_reference_fuzzer: ids go into protobuf
      // strings, so bytes that are not UTF-8 must be refused, not stored.
      {"tag-id,animal-id\nimal-tax\xefn,A\n",
       "ref.csv line 2: tag-id 'imal-tax\\xEFn' contains invalid UTF-8"},
      {"tag-id,animal-id\nT,\xc3\n", "ref.csv line 2: animal-id '\\xC3' contains invalid UTF-8"},
      {"", "ref.csv: the file is empty"},
  };
  for (const Case& c : cases) {
    auto data = Read(c.text);
    ASSERT_FALSE(data.ok()) << c.text;
    EXPECT_EQ(data.status().code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_THAT(std::string(data.status().message()), HasSubstr(c.expected)) << c.text;
  }
}

}  // namespace
}  // namespace wetlink::ingest
