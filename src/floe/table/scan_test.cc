// TableScan's plan, counted: which files and manifests a filter keeps, what
// the report says about them, and which counts metadata answers without
// opening a data file (proved by deleting the data files first).
#include <gtest/gtest.h>

#include "floe/table/manifest_cache.h"
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

// Delete manifests are decoded in the same pass as the first window of data
// manifests; files of that window and of later windows (more than 16
// manifests, one thread) all get the deletes that apply to them.
TEST_F(TableScanTest, DeletesReachFilesOfEveryManifestWindow) {
  auto t = Create("windows", "", 2, {{"write.delete.mode", "merge-on-read"}});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(AppendIds(*t, i * 10, 10).ok());  // 20 manifests
  // One row of the first file and one of the last (another window).
  ASSERT_TRUE(DeleteWhere(*t, "id = 3 or id = 196").ok());
  auto loaded = Load("windows");
  ASSERT_TRUE(loaded.ok());
  ScanOptions o;
  o.threads = 1;
  auto scan = TableScan::Make(*loaded, o);
  ASSERT_TRUE(scan.ok());
  auto tasks = (*scan)->PlanFiles();
  ASSERT_TRUE(tasks.ok()) << tasks.status().ToString();
  EXPECT_EQ((*scan)->report().manifests_total - (*scan)->report().delete_manifests, 20);
  EXPECT_EQ((*scan)->report().files_with_deletes, 2);
  auto n = CountRows(*loaded);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 198);
}

TEST_F(TableScanTest, ManifestCacheServesLaterScansWithinItsBound) {
  auto t = ThreeFiles("cached", "day(ts)");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  auto cache = std::make_shared<ManifestCache>(int64_t{64} << 20);
  ScanOptions o;
  o.manifest_cache = cache;
  auto first = ScanRows(*t, o);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(cache->stats().misses, 3);
  EXPECT_EQ(cache->stats().hits, 0);
  o.filter = "id >= 24";
  auto second = ScanRows(*t, o);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(cache->stats().misses, 3) << "the second scan read a manifest again";
  EXPECT_EQ(cache->stats().hits, 3);
  EXPECT_EQ(second->size(), 34u);
  EXPECT_EQ(*first, *ScanRows(*t));  // cached or not, the same rows

  // A bound smaller than the manifests keeps at most what fits.
  auto small = std::make_shared<ManifestCache>(1);
  o.manifest_cache = small;
  ASSERT_TRUE(ScanRows(*t, o).ok());
  ASSERT_TRUE(ScanRows(*t, o).ok());
  EXPECT_EQ(small->stats().entries, 0);
  EXPECT_EQ(small->stats().hits, 0);
  EXPECT_LE(small->stats().bytes, 1);
}

// Ids spread so that every row group's [min, max] covers almost the whole
// range: statistics cannot skip a group for `id = X`, bloom filters can.
class BloomFilterScanTest : public TableScanTest {
 protected:
  Result<Table> Spread(const std::string& name, bool bloom) {
    std::map<std::string, std::string> props{{"write.parquet.row-group-size-bytes", "16384"}};
    if (bloom) {
      props["write.parquet.bloom-filter-enabled.column.id"] = "true";
      props["write.parquet.bloom-filter-enabled.column.category"] = "true";
      props["write.parquet.bloom-filter-fpp.column.id"] = "0.01";
    }
    FLOE_ASSIGN_OR_RAISE(Table t, Create(name, "", 2, props));
    std::vector<int64_t> ids;
    for (int64_t i = 0; i < 20000; ++i) ids.push_back((i * 7919) % 20000);
    FLOE_RETURN_NOT_OK(Append(t, SourceOf({EventsBatch(ids)})).status());
    return Load(name);
  }
  static Result<std::pair<int64_t, ScanReport>> Rows(const Table& t, const std::string& filter) {
    ScanOptions o;
    o.filter = filter;
    FLOE_ASSIGN_OR_RAISE(auto scan, TableScan::Make(t, o));
    FLOE_ASSIGN_OR_RAISE(auto result, scan->ToTable());
    return std::make_pair(result->num_rows(), scan->report());
  }
};

TEST_F(BloomFilterScanTest, EqualityAndInSkipRowGroupsStatisticsCannot) {
  auto t = Spread("bloom", true);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  auto one = Rows(*t, "id = 4242");
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  const ScanReport& r = one->second;
  EXPECT_EQ(one->first, 1);
  ASSERT_GT(r.row_groups_read + r.row_groups_skipped_bloom, 4) << "expected several row groups";
  EXPECT_EQ(r.row_groups_skipped, 0) << "the ids were meant to defeat min/max statistics";
  EXPECT_GE(r.row_groups_skipped_bloom, r.row_groups_read + r.row_groups_skipped_bloom - 2);
  EXPECT_NE(r.ToText(true, false).find(" skipped by bloom filter"), std::string::npos);

  auto in = Rows(*t, "id in (7, 19999) and category is not null or id = -1");
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ(in->second.row_groups_skipped_bloom, 0) << "a conjunct under OR must not skip";
  auto in_and = Rows(*t, "id in (7, 19998) and amount is not null");
  ASSERT_TRUE(in_and.ok()) << in_and.status().ToString();
  EXPECT_EQ(in_and->first, 2);  // ids 7 and 19998: neither a multiple of 5
  EXPECT_GT(in_and->second.row_groups_skipped_bloom, 0);
  auto absent = Rows(*t, "category = 'zz'");
  ASSERT_TRUE(absent.ok()) << absent.status().ToString();
  EXPECT_EQ(absent->first, 0);

  // Never a false negative: every probed id is found.
  for (int64_t id = 3; id < 20000; id += 997) {
    auto n = Rows(*t, "id = " + std::to_string(id));
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    EXPECT_EQ(n->first, 1) << "id " << id;
  }
}

TEST_F(BloomFilterScanTest, NoFiltersWithoutTheProperty) {
  auto t = Spread("plain", false);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  auto one = Rows(*t, "id = 4242");
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->first, 1);
  EXPECT_EQ(one->second.row_groups_skipped_bloom, 0);
  EXPECT_GT(one->second.row_groups_read, 4);
}

TEST_F(BloomFilterScanTest, BadPropertiesAreRefusedByName) {
  auto fpp = Create("badfpp", "", 2, {{"write.parquet.bloom-filter-enabled.column.id", "true"},
                                       {"write.parquet.bloom-filter-fpp.column.id", "1.5"}});
  ASSERT_TRUE(fpp.ok()) << fpp.status().ToString();
  auto st = AppendIds(*fpp, 0, 10);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.status().message().find("write.parquet.bloom-filter-fpp.column.id"), std::string::npos)
      << st.status().ToString();
  auto flag = Create("badflag", "", 2, {{"write.parquet.bloom-filter-enabled.column.id", "yes"}});
  ASSERT_TRUE(flag.ok()) << flag.status().ToString();
  EXPECT_FALSE(AppendIds(*flag, 0, 10).ok());
}

}  // namespace
}  // namespace floe::table
