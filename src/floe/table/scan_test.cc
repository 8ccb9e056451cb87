// TableScan's plan, counted: which files and manifests a filter keeps, what
// the report says about them, and which counts metadata answers without
// opening a data file (proved by deleting the data files first).
#include <gtest/gtest.h>

#include "floe/table/scan.h"
#include "floe/table/table_test_util.h"

namespace floe::table {
namespace {

using namespace testing;  // NOLINT: the shared fixture and helpers

class TableScanTest : public TableTest {
 protected:
  // Three appends, one file each: ids 0..23 (2024-06-01), 24..47
  // (2024-06-02), 100..109 (2024-06-05), partitioned by day(ts) when asked.
  Result<Table> ThreeFiles(const std::string& name, const std::string& partition_by) {
    FLOE_ASSIGN_OR_RAISE(Table t, Create(name, partition_by));
    FLOE_RETURN_NOT_OK(AppendIds(t, 0, 24).status());
    FLOE_RETURN_NOT_OK(AppendIds(t, 24, 24).status());
    FLOE_RETURN_NOT_OK(AppendIds(t, 100, 10).status());
    return Load(name);
  }

  static Result<ScanReport> Plan(const Table& t, const std::string& filter) {
    ScanOptions o;
    o.filter = filter;
    FLOE_ASSIGN_OR_RAISE(auto scan, TableScan::Make(t, o));
    FLOE_ASSIGN_OR_RAISE(auto tasks, scan->PlanFiles());
    EXPECT_EQ(static_cast<int64_t>(tasks.size()), scan->report().files_selected);
    return scan->report();
  }

  // Removes every data file of the table's current snapshot, so that any
  // later read of one fails.
  void DeleteDataFiles(const Table& t) {
    auto files = LiveFiles(t);
    ASSERT_TRUE(files.ok()) << files.status().ToString();
    for (const auto& f : *files) FLOE_ASSERT_OK(t.io()->Delete(f.file_path));
  }
};

TEST_F(TableScanTest, PartitionThenMetricsPruning) {
  auto t = ThreeFiles("p", "day(ts)");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  auto all = Plan(*t, "");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->manifests_total, 3);
  EXPECT_EQ(all->files_total, 3);
  EXPECT_EQ(all->files_selected, 3);

  // A day prunes whole manifests by their partition summaries first.
  auto day = Plan(*t, "ts >= timestamp '2024-06-05T00:00:00' and ts < timestamp '2024-06-06T00:00:00'");
  ASSERT_TRUE(day.ok()) << day.status().ToString();
  EXPECT_EQ(day->manifests_skipped, 2);
  EXPECT_EQ(day->files_selected, 1);

  // Column bounds prune the rest: id 30 lies only in the second file.
  auto id = Plan(*t, "id = 30");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->files_total, 3);
  EXPECT_EQ(id->files_skipped_metrics, 2);
  EXPECT_EQ(id->files_skipped_partition, 0);
  EXPECT_EQ(id->files_selected, 1);

  // Nothing matches: nothing is selected, and a count is zero.
  auto none = Plan(*t, "id > 1000");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->files_selected, 0);
}

TEST_F(TableScanTest, FileLinesOnlyWhenAsked) {
  auto t = ThreeFiles("lines", "");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ScanOptions o;
  o.filter = "id < 10";
  auto quiet = TableScan::Make(*t, o);
  ASSERT_TRUE(quiet.ok());
  ASSERT_TRUE((*quiet)->PlanFiles().ok());
  EXPECT_TRUE((*quiet)->report().files.empty());
  o.report_files = true;
  auto loud = TableScan::Make(*t, o);
  ASSERT_TRUE(loud.ok());
  ASSERT_TRUE((*loud)->PlanFiles().ok());
  const auto& lines = (*loud)->report().files;
  ASSERT_EQ(lines.size(), 3u);
  int read = 0, skipped = 0;
  for (const auto& l : lines) (l.decision == "read" ? read : skipped) += 1;
  EXPECT_EQ(read, 1);
  EXPECT_EQ(skipped, 2);
}

TEST_F(TableScanTest, CountsFromMetadataWithoutOpeningDataFiles) {
  auto t = ThreeFiles("count", "day(ts)");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  DeleteDataFiles(*t);
  auto count = [&](const std::string& filter) {
    ScanOptions o;
    o.filter = filter;
    return CountRows(*t, o);
  };
  // No filter: record counts.
  auto all = count("");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(*all, 58);
  // A filter on the partition source that selects whole partitions.
  auto day = count("ts >= timestamp '2024-06-02T00:00:00'");
  ASSERT_TRUE(day.ok()) << day.status().ToString();
  EXPECT_EQ(*day, 34);
  // A filter the column bounds prove for every row of the files it keeps.
  auto bounds = count("id >= 24");
  ASSERT_TRUE(bounds.ok()) << bounds.status().ToString();
  EXPECT_EQ(*bounds, 34);
  // A filter that needs the rows must read them, and says which file it lost.
  auto rows = count("id >= 30");
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.status().ToString().find(".parquet"), std::string::npos) << rows.status().ToString();
}

TEST_F(TableScanTest, CountSubtractsPositionDeletesWithoutReadingData) {
  auto t = Create("mor", "", 2, {{"write.delete.mode", "merge-on-read"}});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_TRUE(AppendIds(*t, 0, 50).ok());
  ASSERT_TRUE(DeleteWhere(*t, "id < 5 or id = 40").ok());
  auto loaded = Load("mor");
  ASSERT_TRUE(loaded.ok());
  auto report = Plan(*loaded, "");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->delete_files, 1);
  EXPECT_EQ(report->files_with_deletes, 1);
  DeleteDataFiles(*loaded);
  auto n = CountRows(*loaded);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 44);
}

}  // namespace
}  // namespace floe::table
