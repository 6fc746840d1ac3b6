// Progress text and rates; the summary table.

#include "ingest/daemon/progress.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/daemon/summary.h"

namespace wetlink::ingest::daemon {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ProgressTest, Formats) {
  EXPECT_EQ(GroupThousands(0), "0");
  EXPECT_EQ(GroupThousands(999), "999");
  EXPECT_EQ(GroupThousands(1000), "1,000");
  EXPECT_EQ(GroupThousands(1234567), "1,234,567");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(12)), "0:12");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(3725)), "1:02:05");

  ProgressCounters c{.file = "fixes.csv",
                     .rows_sent = 120'000,
                     .rows_acked = 110'000,
                     .fixes_acked = 110'000,
                     .bytes_done = 452,
                     .bytes_total = 1000};
  EXPECT_EQ(FormatProgress(c, 25'300, 10),
            "fixes.csv: sent 120,000 rows, acked 110,000 | 25,300 fixes/s | 45.2 % | ETA 0:55");
  c.bytes_total = 0;  // watch: no end known
  EXPECT_EQ(FormatProgress(c, 0, 0), "fixes.csv: sent 120,000 rows, acked 110,000 | 0 fixes/s");
}

TEST(ProgressTest, RatesComeFromTheLastSecondsOfUpdates) {
  ProgressReporter::Clock::time_point now{};
  ProgressReporter reporter(ProgressMode::kOff, std::chrono::seconds(10), stderr,
                            [&] { return now; });
  EXPECT_EQ(reporter.fixes_per_s(), 0);
  // kOff records nothing; use a log reporter with a long interval instead.
  ProgressReporter log(ProgressMode::kLog, std::chrono::hours(1), stderr, [&] { return now; });
  ProgressCounters c;
  log.Update(c);
  now += std::chrono::seconds(2);
  c.fixes_acked = 20'000;
  c.bytes_done = 4'000;
  log.Update(c);
  EXPECT_DOUBLE_EQ(log.fixes_per_s(), 10'000);
  EXPECT_DOUBLE_EQ(log.bytes_per_s(), 2'000);
  // Older than ten seconds falls out of the window.
  now += std::chrono::seconds(20);
  c.fixes_acked = 30'000;
  log.Update(c);
  now += std::chrono::seconds(1);
  c.fixes_acked = 31'000;
  log.Update(c);
  EXPECT_DOUBLE_EQ(log.fixes_per_s(), 1'000);
}

TEST(SummaryTest, ListsFilesTotalsAndReasons) {
  RunSummary summary;
  FileSummary a;
  a.path = "/d/a.csv";
  a.counts.rows = 50;
  a.counts.accepted = 45;
  a.counts.duplicates = 2;
  a.counts.rejected = {{"LATITUDE_OUT_OF_RANGE", 1}, {"MALFORMED_ROW", 2}};
  FileSummary b;
  b.path = "/d/b.csv";
  b.up_to_date = true;
  FileSummary c;
  c.path = "/d/c.csv";
  c.counts.refused_batches = {{"UNKNOWN_STUDY", 1}};
  c.counts.refused_fixes = 10;
  c.error = absl::FailedPreconditionError("refused");
  summary.files = {a, b, c};
  const std::string text = FormatSummary(summary, "/s/rejects.csv");
  EXPECT_THAT(text, HasSubstr("/d/a.csv"));
  EXPECT_THAT(text, HasSubstr("rejected: MALFORMED_ROW 2, LATITUDE_OUT_OF_RANGE 1"));
  EXPECT_THAT(text, HasSubstr("up to date"));
  EXPECT_THAT(text, HasSubstr("FAILED: refused"));
  EXPECT_THAT(text, HasSubstr("batches refused whole: UNKNOWN_STUDY 1"));
  EXPECT_THAT(text, HasSubstr("rejected records: /s/rejects.csv"));
  const IngestCounts total = summary.Total();
  EXPECT_EQ(total.rows, 50u);
  EXPECT_EQ(total.rejected_total(), 3u);
  EXPECT_EQ(total.refused_fixes, 10u);
  EXPECT_EQ(summary.FirstFileError().code(), absl::StatusCode::kFailedPrecondition);

  RunSummary clean;
  clean.files = {b};
  EXPECT_THAT(FormatSummary(clean, "/s/rejects.csv"), Not(HasSubstr("rejected records")));
}

}  // namespace
}  // namespace wetlink::ingest::daemon
