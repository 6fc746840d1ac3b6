// Named seasons (graph/seasons.h): month ranges that wrap the year end, the
// season year, intervals, and the bundled data/flyway/seasons.json.

#include "graph/seasons.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "telemetry/timestamp.h"

namespace wetlink::graph {
namespace {

using telemetry::TimestampFromCivil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(SeasonsTest, MonthRangeWrapsTheYearEnd) {
  const MonthRange winter{12, 2};
  EXPECT_TRUE(winter.Contains(12));
  EXPECT_TRUE(winter.Contains(1));
  EXPECT_TRUE(winter.Contains(2));
  EXPECT_FALSE(winter.Contains(3));
  EXPECT_FALSE(winter.Contains(11));
  const MonthRange summer{6, 8};
  EXPECT_TRUE(summer.Contains(6));
  EXPECT_FALSE(summer.Contains(9));
}

TEST(SeasonsTest, SeasonYearOfAWrappingRange) {
  SeasonTable table;
  table.Set("antigone_vipio", "winter", {12, 2});
  table.Set("antigone_vipio", "breeding", {6, 8});
  // December 2023 and January / February 2024 are all winter 2023 (the
  // year of its first month).
  EXPECT_EQ(table.SeasonYear("antigone_vipio", "winter", TimestampFromCivil(2023, 12, 15)), 2023);
  EXPECT_EQ(table.SeasonYear("antigone_vipio", "winter", TimestampFromCivil(2024, 1, 15)), 2023);
  EXPECT_EQ(
      table.SeasonYear("antigone_vipio", "winter", TimestampFromCivil(2024, 2, 29, 23, 59, 59)),
      2023);
  EXPECT_EQ(table.SeasonYear("antigone_vipio", "winter", TimestampFromCivil(2024, 3, 1)),
            std::nullopt);
  EXPECT_EQ(table.SeasonYear("antigone_vipio", "breeding", TimestampFromCivil(2024, 7, 1)), 2024);
  EXPECT_EQ(table.SeasonYear("grus_monacha", "winter", TimestampFromCivil(2024, 1, 15)),
            std::nullopt);
  EXPECT_EQ(table.SeasonYear("antigone_vipio", "monsoon", TimestampFromCivil(2024, 1, 15)),
            std::nullopt);
  EXPECT_THAT(table.SeasonNames(), ElementsAre("breeding", "winter"));
}

TEST(SeasonsTest, SeasonInterval) {
  // Winter 2023: 1 Dec 2023 up to (not including) 1 Mar 2024.
  EXPECT_EQ(SeasonInterval({12, 2}, 2023),
            (TimeWindow{TimestampFromCivil(2023, 12, 1), TimestampFromCivil(2024, 3, 1)}));
  EXPECT_EQ(SeasonInterval({6, 8}, 2024),
            (TimeWindow{TimestampFromCivil(2024, 6, 1), TimestampFromCivil(2024, 9, 1)}));
  EXPECT_EQ(SeasonInterval({12, 12}, 2023),
            (TimeWindow{TimestampFromCivil(2023, 12, 1), TimestampFromCivil(2024, 1, 1)}));
  EXPECT_EQ(SeasonInterval({1, 12}, 2024),
            (TimeWindow{TimestampFromCivil(2024, 1, 1), TimestampFromCivil(2025, 1, 1)}));
  EXPECT_EQ(SeasonInterval({11, 12}, 2024),
            (TimeWindow{TimestampFromCivil(2024, 11, 1), TimestampFromCivil(2025, 1, 1)}));
}

TEST(SeasonsTest, UtcYearMonth) {
  const YearMonth ym = UtcYearMonth(TimestampFromCivil(2024, 2, 29, 23, 59, 59, 999));
  EXPECT_EQ(ym.year, 2024);
  EXPECT_EQ(ym.month, 2);
  EXPECT_EQ(UtcYearMonth(TimestampFromCivil(2024, 3, 1)).month, 3);
}

TEST(SeasonsTest, BundledTableParses) {
  std::ifstream in(std::string(WETLINK_SOURCE_DIR) + "/data/flyway/seasons.json");
  ASSERT_TRUE(in) << "data/flyway/seasons.json";
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<SeasonTable> table = SeasonTable::FromJson(text.str());
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_THAT(table->SeasonNames(), ElementsAre("autumn", "breeding", "spring", "winter"));
  ASSERT_NE(table->Find("grus_monacha", "winter"), nullptr);
  EXPECT_EQ(*table->Find("grus_monacha", "winter"), (MonthRange{12, 1}));
  // The file promises that every month belongs to exactly one season of
  // each species.
  for (const char* species :
       {"antigone_vipio", "grus_monacha", "grus_japonensis", "platalea_minor"}) {
    for (int month = 1; month <= 12; ++month) {
      int seasons = 0;
      for (const std::string& name : table->SeasonNames()) {
        const MonthRange* range = table->Find(species, name);
        ASSERT_NE(range, nullptr) << species << " " << name;
        if (range->Contains(month)) ++seasons;
      }
      EXPECT_EQ(seasons, 1) << species << " month " << month;
    }
  }
}

TEST(SeasonsTest, BadTablesAreRefused) {
  auto bad_month = SeasonTable::FromJson(R"({"species": {"grus_monacha": {"winter": [12, 13]}}})");
  EXPECT_EQ(bad_month.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_month.status().message(), HasSubstr("grus_monacha.winter"));
  auto bad_shape = SeasonTable::FromJson(R"({"species": {"grus_monacha": {"winter": [12]}}})");
  EXPECT_THAT(bad_shape.status().message(), HasSubstr("grus_monacha.winter"));
  EXPECT_FALSE(SeasonTable::FromJson("[").ok());
  EXPECT_FALSE(SeasonTable::FromJson(R"({"seasons": {}})").ok());
}

}  // namespace
}  // namespace wetlink::graph
