// The simulator's Movebank export read back by the real Movebank reader:
// every delivered row parses, none is rejected, and each fix comes back
// exactly as simulated (outlier flags included). Ties the two modules'
// views of the format together.

#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "ingest/movebank_csv.h"
#include "sim/generate.h"
#include "sim/movebank_csv.h"
#include "sim/sim_world.h"
#include "telemetry/timestamp.h"

namespace wetlink::ingest {
namespace {

TEST(SimulatedExportTest, EveryRowReadsBackExactly) {
  auto world = sim::BundledWorld();
  ASSERT_TRUE(world.ok()) << world.status();
  sim::SimParams params;
  params.seed = 7;
  params.individuals = 3;
  params.start_year = 2023;
  params.years = 1;
  auto result = sim::Simulate(params, **world);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_GT(result->fixes.size(), 1000u);

  std::stringstream csv;
  {
    sim::MovebankEventWriter writer(csv, result->plan, "simulated study");
    for (const sim::SimFix& f : result->fixes) writer.Write(f);
  }

  // "Now" after the simulated year, so no timestamp is in the future.
  const telemetry::TimestampMs now = telemetry::TimestampFromCivil(2030, 1, 1);
  auto reader = MovebankCsvReader::Open(csv, now);
  ASSERT_TRUE(reader.ok()) << reader.status();
  FixRowBatch batch;
  std::size_t i = 0;
  std::size_t outliers_kept = 0;
  while (reader->Next(batch, 4096)) {
    for (const RowRejection& r : batch.rejections) {
      ADD_FAILURE() << "line " << r.line << ": " << r.field << ": " << r.message;
    }
    for (const FixRow& row : batch.rows) {
      ASSERT_LT(i, result->fixes.size());
      const sim::SimFix& expected = result->fixes[i++];
      const sim::SimIndividual& ind = result->plan.individuals[expected.individual];
      EXPECT_EQ(row.fix, expected.fix) << "line " << row.line;
      EXPECT_EQ(row.fix.tag_id, ind.tag_id);
      EXPECT_EQ(row.individual_local_identifier, ind.individual_id);
      EXPECT_EQ(row.study_name, "simulated study");
      if (!row.fix.visible) ++outliers_kept;
    }
  }
  EXPECT_TRUE(reader->status().ok()) << reader->status();
  EXPECT_EQ(i, result->fixes.size());
  EXPECT_GT(outliers_kept, 0u) << "outliers must be flagged and kept, not dropped";
}

}  // namespace
}  // namespace wetlink::ingest
