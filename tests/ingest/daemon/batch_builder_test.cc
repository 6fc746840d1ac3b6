// BuildBatch: the per-batch dictionaries of tags and individuals, optional
// values, and the map from fix index back to source line.

#include "ingest/daemon/batch_builder.h"

#include <gtest/gtest.h>

namespace wetlink::ingest::daemon {
namespace {

FixRow Row(std::size_t line, std::string tag, std::string individual = "",
           std::string taxon = "") {
  FixRow row;
  row.line = line;
  row.fix.tag_id = std::move(tag);
  row.fix.timestamp_ms = 1'700'000'000'000 + static_cast<std::int64_t>(line);
  row.fix.lat = 42.3;
  row.fix.lon = 130.6;
  row.individual_local_identifier = std::move(individual);
  row.taxon = std::move(taxon);
  return row;
}

TEST(BatchBuilderTest, ListsEachTagAndIndividualOnceInOrderOfFirstUse) {
  FixRowBatch rows;
  rows.rows = {Row(2, "T2", "bird-b", "Grus monacha"), Row(3, "T1", "bird-a", "Grus vipio"),
               Row(4, "T2", "bird-b", "Grus monacha"), Row(5, "T3"),
               Row(6, "T1", "bird-a", "Grus vipio")};
  const BuiltBatch built =
      BuildBatch(rows, 7, BatchOptions{.study_id = "cranes", .auto_register = true});
  const v1::FixBatch& m = built.message;
  EXPECT_EQ(m.sequence(), 7u);
  EXPECT_EQ(m.study_id(), "cranes");
  EXPECT_TRUE(m.auto_register());
  ASSERT_EQ(m.tags_size(), 3);
  EXPECT_EQ(m.tags(0), "T2");
  EXPECT_EQ(m.tags(1), "T1");
  EXPECT_EQ(m.tags(2), "T3");
  ASSERT_EQ(m.individuals_size(), 2);
  EXPECT_EQ(m.individuals(0).id(), "bird-b");
  EXPECT_EQ(m.individuals(0).taxon(), "Grus monacha");
  EXPECT_EQ(m.individuals(1).id(), "bird-a");
  ASSERT_EQ(m.fixes_size(), 5);
  const std::vector<std::pair<std::uint32_t, std::uint32_t>> refs = {
      {0, 1}, {1, 2}, {0, 1}, {2, 0}, {1, 2}};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(m.fixes(i).tag(), refs[static_cast<std::size_t>(i)].first) << i;
    EXPECT_EQ(m.fixes(i).individual(), refs[static_cast<std::size_t>(i)].second) << i;
  }
}

TEST(BatchBuilderTest, SameIndividualWithAnotherTaxonIsAnotherEntry) {
  FixRowBatch rows;
  rows.rows = {Row(2, "T1", "bird", "Grus monacha"), Row(3, "T1", "bird", "")};
  const BuiltBatch built = BuildBatch(rows, 1, {});
  ASSERT_EQ(built.message.individuals_size(), 2);
  EXPECT_EQ(built.message.fixes(1).individual(), 2u);
}

TEST(BatchBuilderTest, CopiesValuesAndLeavesAbsentOnesAbsent) {
  FixRow full = Row(2, "T1");
  full.fix.height_m = 15.2;
  full.fix.hdop = 1.1;
  full.fix.satellites = 8;
  full.fix.ground_speed_mps = 0.4;
  full.fix.heading_deg = 90;
  full.fix.event_id = 1001;
  full.fix.visible = false;
  full.fix.manually_marked_outlier = true;
  full.fix.manually_marked_valid = false;
  FixRowBatch rows;
  rows.rows = {full, Row(3, "T1")};
  const BuiltBatch built = BuildBatch(rows, 1, {});
  const v1::Fix& a = built.message.fixes(0);
  EXPECT_EQ(a.timestamp_ms(), full.fix.timestamp_ms);
  EXPECT_DOUBLE_EQ(a.lat(), 42.3);
  EXPECT_DOUBLE_EQ(a.lon(), 130.6);
  EXPECT_DOUBLE_EQ(a.height_m(), 15.2);
  EXPECT_DOUBLE_EQ(a.hdop(), 1.1);
  EXPECT_EQ(a.satellites(), 8);
  EXPECT_DOUBLE_EQ(a.ground_speed_mps(), 0.4);
  EXPECT_DOUBLE_EQ(a.heading_deg(), 90);
  EXPECT_EQ(a.event_id(), 1001);
  ASSERT_TRUE(a.has_visible());
  EXPECT_FALSE(a.visible());
  EXPECT_TRUE(a.manually_marked_outlier());
  ASSERT_TRUE(a.has_manually_marked_valid());
  EXPECT_FALSE(a.manually_marked_valid());

  const v1::Fix& b = built.message.fixes(1);
  EXPECT_TRUE(b.has_timestamp_ms() && b.has_lat() && b.has_lon());
  EXPECT_FALSE(b.has_height_m() || b.has_hdop() || b.has_satellites() ||
               b.has_ground_speed_mps() || b.has_heading_deg() || b.has_event_id() ||
               b.has_visible() || b.has_manually_marked_outlier() ||
               b.has_manually_marked_valid());
}

TEST(BatchBuilderTest, MapsFixIndexesBackToSourceLines) {
  FixRowBatch rows;
  rows.rows = {Row(2, "T1"), Row(5, "T1"), Row(9, "T1")};
  rows.rejections = {
      RowRejection{.line = 3, .reason = telemetry::RejectReason::kBadNumber, .field = "location-lat",
                   .message = "bad"},
      RowRejection{.line = 11, .reason = telemetry::RejectReason::kMalformedRow, .field = "",
                   .message = "short row"}};
  const BuiltBatch built = BuildBatch(rows, 1, {});
  EXPECT_EQ(LineOfFix(built.lines, 0), 2u);
  EXPECT_EQ(LineOfFix(built.lines, 1), 5u);
  EXPECT_EQ(LineOfFix(built.lines, 2), 9u);
  EXPECT_EQ(LineOfFix(built.lines, 3), 0u) << "an index the batch does not have";
  EXPECT_EQ(built.lines.source_rows, 5u);
  EXPECT_EQ(built.lines.first_line, 2u);
  EXPECT_EQ(built.lines.last_line, 11u);
  ASSERT_EQ(built.lines.parse_rejections.size(), 2u);
  EXPECT_EQ(built.lines.parse_rejections[1].line, 11u);
  EXPECT_TRUE(rows.rejections.empty()) << "moved out";
}

TEST(BatchBuilderTest, OnlyRejectedRowsMakeAnEmptyMessage) {
  FixRowBatch rows;
  rows.rejections = {RowRejection{.line = 4,
                                  .reason = telemetry::RejectReason::kMalformedRow,
                                  .field = "",
                                  .message = "x"}};
  const BuiltBatch built = BuildBatch(rows, 3, {});
  EXPECT_EQ(built.message.fixes_size(), 0);
  EXPECT_EQ(built.lines.source_rows, 1u);
  EXPECT_EQ(built.lines.first_line, 4u);
  EXPECT_EQ(built.lines.last_line, 4u);
}

}  // namespace
}  // namespace wetlink::ingest::daemon
