// Compaction: small files become target-size files with the same rows,
// every delete kind is applied and its delete files removed, the replace
// snapshot keeps the starting sequence number, concurrent commits are
// validated (never a lost or resurrected row), and a model-based property
// test mixes writes of every kind with compactions.
#include "floe/maintenance/compaction.h"

#include <gtest/gtest.h>

#include <random>

#include "floe/table/alter.h"
#include "floe/table/row_level.h"
#include "floe/table/table_test_util.h"

namespace floe::maintenance {
namespace {

using table::Table;
using table::testing::EventsBatch;
using table::testing::RowMap;
using table::testing::SourceOf;

class CompactionTest : public table::testing::TableTest {
 protected:
  // Live data and delete files of the current snapshot.
  std::pair<int64_t, int64_t> FileCounts(const Table& t) {
    auto scan = table::TableScan::Make(t, {});
    EXPECT_TRUE(scan.ok());
    auto tasks = (*scan)->PlanFiles();
    EXPECT_TRUE(tasks.ok());
    return {static_cast<int64_t>(tasks->size()),
            (*scan)->delete_index() ? static_cast<int64_t>((*scan)->delete_index()->size()) : 0};
  }

  void ModelAdd(const arrow::RecordBatch& batch, RowMap* model) {
    const auto& ids = static_cast<const arrow::Int64Array&>(*batch.column(0));
    for (int64_t r = 0; r < batch.num_rows(); ++r) {
      (*model)[ids.Value(r)] = table::testing::RowText(batch.columns(), r);
    }
  }
};

TEST_F(CompactionTest, SmallFilesBecomeOnePerPartitionWithTheSameRows) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", "category"));
  for (int i = 0; i < 12; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap before, table::testing::ScanRows(t));
  const int64_t start_seq = t.metadata().CurrentSnapshot()->sequence_number;
  auto [files_before, deletes_before] = FileCounts(t);
  EXPECT_EQ(files_before, 12 * 4);  // a, b, c and null per append

  CompactionOptions o;
  FLOE_ASSERT_OK_AND_ASSIGN(CompactionPlan dry, PlanCompaction(t, o));
  EXPECT_EQ(dry.groups.size(), 4u);
  FLOE_ASSERT_OK_AND_ASSIGN(CompactionReport r, Compact(t, o));
  EXPECT_EQ(r.groups_rewritten, 4);
  EXPECT_EQ(r.files_in, 48);
  EXPECT_EQ(r.files_out, 4);
  EXPECT_EQ(r.rows, 120);
  EXPECT_EQ(r.commits, 1);
  EXPECT_EQ(FileCounts(t).first, 4);
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap after, table::testing::ScanRows(t));
  EXPECT_EQ(after, before);

  const spec::Snapshot* s = t.metadata().CurrentSnapshot();
  EXPECT_EQ(s->operation, "replace");
  EXPECT_TRUE(s->SummaryValue(kRewriteDurationProperty).has_value());
  EXPECT_EQ(table::testing::SummaryInt(*s, "total-data-files"), 4);
  EXPECT_EQ(table::testing::SummaryInt(*s, "total-records"), 120);
  // The new files keep the starting data sequence number.
  table::ScanOptions so;
  FLOE_ASSERT_OK_AND_ASSIGN(auto scan, table::TableScan::Make(t, so));
  FLOE_ASSERT_OK_AND_ASSIGN(auto tasks, scan->PlanFiles());
  for (const auto& task : tasks) EXPECT_EQ(task.data_sequence_number, start_seq);

  // A second run finds nothing to do.
  FLOE_ASSERT_OK_AND_ASSIGN(CompactionReport again, Compact(t, o));
  EXPECT_EQ(again.commits, 0);
}

TEST_F(CompactionTest, DryRunChangesNothingAndFilterLimitsGroups) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", "category"));
  for (int i = 0; i < 6; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
  const std::string location = t.metadata_location();
  const auto files = TableFiles(t);
  CompactionOptions o;
  o.dry_run = true;
  FLOE_ASSERT_OK_AND_ASSIGN(CompactionReport r, Compact(t, o));
  EXPECT_EQ(r.plan.groups.size(), 4u);
  EXPECT_EQ(r.commits, 0);
  EXPECT_EQ(t.metadata_location(), location);
  EXPECT_EQ(TableFiles(t), files);
  o.dry_run = false;
  o.where = "category = 'a'";
  FLOE_ASSERT_OK_AND_ASSIGN(r, Compact(t, o));
  EXPECT_EQ(r.groups_rewritten, 1);
  EXPECT_EQ(r.files_in, 6);
}

TEST_F(CompactionTest, AppliesEveryDeleteKindAndRemovesTheDeleteFiles) {
  struct Case {
    int version;
    bool equality;
  };
  for (Case c : {Case{2, false}, Case{2, true}, Case{3, false}}) {
    SCOPED_TRACE("v" + std::to_string(c.version) + (c.equality ? " equality" : ""));
    const std::string name = "t" + std::to_string(c.version) + (c.equality ? "eq" : "");
    FLOE_ASSERT_OK_AND_ASSIGN(
        Table t, Create(name, "", c.version,
                        {{"write.delete.mode", "merge-on-read"}, {"write.merge.mode", "merge-on-read"}},
                        "id long not null, category string, ts timestamp, d date, amount double"));
    for (int i = 0; i < 4; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 25, 25).status());
    if (c.equality) {
      table::UpsertOptions uo;
      uo.key_columns = {"id"};
      uo.equality_deletes = true;
      FLOE_ASSERT_OK(table::Upsert(t, SourceOf({EventsBatch({3, 30, 77})}), uo).status());
    } else {
      FLOE_ASSERT_OK(table::DeleteWhere(t, "id in (0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 7, 55)").status());
    }
    FLOE_ASSERT_OK_AND_ASSIGN(RowMap before, table::testing::ScanRows(t));
    EXPECT_GT(FileCounts(t).second, 0);
    FLOE_ASSERT_OK_AND_ASSIGN(CompactionReport r, Compact(t, CompactionOptions{}));
    EXPECT_GT(r.deletes_removed, 0);
    EXPECT_EQ(FileCounts(t).second, 0) << "delete files left after compaction";
    FLOE_ASSERT_OK_AND_ASSIGN(RowMap after, table::testing::ScanRows(t));
    EXPECT_EQ(after, before);
    EXPECT_EQ(table::testing::SummaryInt(*t.metadata().CurrentSnapshot(), "total-delete-files"), 0);
  }
}

TEST_F(CompactionTest, SortStrategyWritesSortedFiles) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t"));
  for (int i = 0; i < 5; ++i) FLOE_ASSERT_OK(AppendIds(t, (4 - i) * 10, 10).status());
  CompactionOptions o;
  o.strategy = CompactionStrategy::kSort;
  o.sort_by = "id desc";
  FLOE_ASSERT_OK_AND_ASSIGN(CompactionReport r, Compact(t, o));
  EXPECT_EQ(r.files_out, 1);
  FLOE_ASSERT_OK_AND_ASSIGN(auto scan, table::TableScan::Make(t, {}));
  FLOE_ASSERT_OK_AND_ASSIGN(auto rows, scan->ToTable());
  auto ids = std::static_pointer_cast<arrow::Int64Array>(rows->column(0)->chunk(0));
  for (int64_t i = 1; i < ids->length(); ++i) EXPECT_GT(ids->Value(i - 1), ids->Value(i));
  // Without an order anywhere the sort strategy is refused with the fix.
  o.sort_by.clear();
  auto refused = Compact(t, o);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("write ordered by"), std::string::npos);
}

TEST_F(CompactionTest, ABatchedJobCarriesItsDurationOnce) {
  // Partial progress commits the 4 partitions' groups one by one; only the
  // job's last commit says how long the job took (one histogram sample).
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", "category"));
  for (int i = 0; i < 6; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
  CompactionOptions o;
  o.partial_progress = true;
  o.partial_progress_max_commits = 4;
  FLOE_ASSERT_OK_AND_ASSIGN(CompactionReport r, Compact(t, o));
  ASSERT_EQ(r.commits, 4);
  int with_duration = 0;
  for (int64_t id : r.snapshot_ids) {
    const spec::Snapshot* s = t.metadata().SnapshotById(id);
    ASSERT_NE(s, nullptr);
    with_duration += s->SummaryValue(kRewriteDurationProperty).has_value();
  }
  EXPECT_EQ(with_duration, 1);
  EXPECT_TRUE(t.metadata().SnapshotById(r.snapshot_ids.back())->SummaryValue(kRewriteDurationProperty));
}

TEST_F(CompactionTest, ConcurrentCommitsAreValidated) {
  // Between the rewrite and its commit, another writer commits: a position
  // delete on a rewritten file fails the group (the row stays deleted); an
  // equality delete and an append go through and still count.
  for (const char* concurrent : {"position", "equality", "append"}) {
    SCOPED_TRACE(concurrent);
    const std::string name = std::string("c_") + concurrent;
    FLOE_ASSERT_OK_AND_ASSIGN(
        Table t, Create(name, "", 2,
                        {{"write.delete.mode", "merge-on-read"}, {"write.merge.mode", "merge-on-read"}}));
    for (int i = 0; i < 5; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
    RowMap model;
    FLOE_ASSERT_OK_AND_ASSIGN(model, table::testing::ScanRows(t));
    bool fired = false;
    CompactionOptions o;
    o.partial_progress = true;
    o.threads = 1;
    o.progress = [&](const std::string&) {
      if (fired) return;
      fired = true;
      auto other = Load(name);
      ASSERT_TRUE(other.ok());
      if (std::string(concurrent) == "position") {
        ASSERT_TRUE(table::DeleteWhere(*other, "id = 12").ok());
        model.erase(12);
      } else if (std::string(concurrent) == "equality") {
        table::UpsertOptions uo;
        uo.key_columns = {"id"};
        uo.equality_deletes = true;
        auto batch = EventsBatch({21});
        ASSERT_TRUE(table::Upsert(*other, SourceOf({batch}), uo).ok());
        model[21] = table::testing::RowText(batch->columns(), 0);
      } else {
        auto batch = EventsBatch({1000});
        ASSERT_TRUE(table::Append(*other, SourceOf({batch})).ok());
        model[1000] = table::testing::RowText(batch->columns(), 0);
      }
    };
    auto r = Compact(t, o);
    FLOE_ASSERT_OK(t.Refresh());
    FLOE_ASSERT_OK_AND_ASSIGN(RowMap after, table::testing::ScanRows(t));
    EXPECT_EQ(after, model) << "a row was lost or resurrected";
    if (std::string(concurrent) == "position") {
      ASSERT_FALSE(r.ok()) << "a concurrent position delete must fail the group";
      EXPECT_NE(r.status().message().find("position deletes"), std::string::npos)
          << r.status().ToString();
    } else {
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(r->commits, 1);
    }
  }
}

TEST_F(CompactionTest, OldSpecFilesAreRewrittenIntoTheCurrentSpec) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t"));
  for (int i = 0; i < 5; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap before, table::testing::ScanRows(t));
  // Partition by category from now on; the old files are unpartitioned.
  FLOE_ASSERT_OK_AND_ASSIGN(auto change, expr::ParseAlterChange("add partition field category"));
  FLOE_ASSERT_OK(table::Alter(t, {change}));
  FLOE_ASSERT_OK_AND_ASSIGN(CompactionReport r, Compact(t, CompactionOptions{}));
  EXPECT_EQ(r.files_in, 5);
  EXPECT_EQ(r.files_out, 4);  // a, b, c and null under the new spec
  FLOE_ASSERT_OK_AND_ASSIGN(auto live, table::testing::LiveFiles(t));
  for (const auto& f : live) EXPECT_EQ(f.spec_id, t.metadata().default_spec_id);
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap after, table::testing::ScanRows(t));
  EXPECT_EQ(after, before);
}

}  // namespace
}  // namespace floe::maintenance
