// Delete compaction and manifest rewrites: equality deletes become position
// deletes (v2) or DVs (v3) with the same rows read, position delete files
// merge per partition, dangling deletes go, a concurrent rewrite of a data
// file fails the commit cleanly; manifests regroup without changing rows.
#include "floe/maintenance/delete_compaction.h"

#include <gtest/gtest.h>

#include "floe/maintenance/compaction.h"
#include "floe/maintenance/rewrite_manifests.h"
#include "floe/table/row_level.h"
#include "floe/table/table_test_util.h"

namespace floe::maintenance {
namespace {

using manifest::FileContent;
using table::Table;
using table::testing::EventsBatch;
using table::testing::RowMap;
using table::testing::SourceOf;

class DeleteCompactionTest : public table::testing::TableTest {
 protected:
  std::map<std::string, int> DeleteKinds(const Table& t) {
    std::map<std::string, int> out;
    auto scan = table::TableScan::Make(t, {});
    EXPECT_TRUE(scan.ok());
    EXPECT_TRUE((*scan)->PlanFiles().ok());
    if (!(*scan)->delete_index()) return out;
    for (const auto& e : (*scan)->delete_index()->entries()) {
      const auto& f = *e.file;
      ++out[f.content == FileContent::kEqualityDeletes ? "equality"
            : f.file_format == manifest::FileFormat::kPuffin ? "dv" : "position"];
    }
    return out;
  }
  Status UpsertEq(Table& t, const std::vector<int64_t>& ids) {
    table::UpsertOptions uo;
    uo.key_columns = {"id", "category"};
    uo.equality_deletes = true;
    return table::Upsert(t, SourceOf({EventsBatch(ids)}), uo).status();
  }
};

TEST_F(DeleteCompactionTest, EqualityDeletesBecomePositionDeletesOrDvs) {
  for (int version : {2, 3}) {
    SCOPED_TRACE("v" + std::to_string(version));
    const std::string name = "t" + std::to_string(version);
    FLOE_ASSERT_OK_AND_ASSIGN(
        Table t, Create(name, "category", version,
                        {{"write.delete.mode", "merge-on-read"}, {"write.merge.mode", "merge-on-read"}}));
    for (int i = 0; i < 3; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 20, 20).status());
    FLOE_ASSERT_OK(UpsertEq(t, {1, 5, 22, 40}));
    FLOE_ASSERT_OK(UpsertEq(t, {2, 5, 41}));
    FLOE_ASSERT_OK(table::DeleteWhere(t, "id in (7, 8, 30)").status());
    FLOE_ASSERT_OK_AND_ASSIGN(RowMap before, table::testing::ScanRows(t));
    EXPECT_GT(DeleteKinds(t)["equality"], 0);

    DeleteCompactionOptions dry;
    dry.dry_run = true;
    FLOE_ASSERT_OK_AND_ASSIGN(auto plan, CompactDeletes(t, dry));
    EXPECT_FALSE(plan.plan.empty());
    FLOE_ASSERT_OK_AND_ASSIGN(RowMap still, table::testing::ScanRows(t));
    EXPECT_EQ(still, before);

    FLOE_ASSERT_OK_AND_ASSIGN(auto r, CompactDeletes(t, DeleteCompactionOptions{}));
    EXPECT_TRUE(r.committed);
    EXPECT_GT(r.equality_files_converted, 0);
    auto kinds = DeleteKinds(t);
    EXPECT_EQ(kinds["equality"], 0);
    if (version == 3) {
      EXPECT_EQ(kinds["position"], 0);
      EXPECT_GT(kinds["dv"], 0);
    } else {
      EXPECT_LE(kinds["position"], 4);  // at most one per partition
    }
    FLOE_ASSERT_OK_AND_ASSIGN(RowMap after, table::testing::ScanRows(t));
    EXPECT_EQ(after, before);
    // Later upserts of the same keys still land (the new deletes do not
    // reach data committed after them).
    FLOE_ASSERT_OK(UpsertEq(t, {5, 22}));
    FLOE_ASSERT_OK_AND_ASSIGN(RowMap later, table::testing::ScanRows(t));
    EXPECT_EQ(later.size(), before.size());
    EXPECT_TRUE(later.count(5) && later.count(22));
  }
}

TEST_F(DeleteCompactionTest, PositionDeleteFilesMergePerPartition) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", "", 2, {{"write.delete.mode", "merge-on-read"}}));
  FLOE_ASSERT_OK(AppendIds(t, 0, 100).status());
  for (int i = 0; i < 5; ++i) {
    FLOE_ASSERT_OK(table::DeleteWhere(t, "id = " + std::to_string(i * 7)).status());
  }
  EXPECT_EQ(DeleteKinds(t)["position"], 5);
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap before, table::testing::ScanRows(t));
  FLOE_ASSERT_OK_AND_ASSIGN(auto r, CompactDeletes(t, DeleteCompactionOptions{}));
  EXPECT_EQ(r.position_files_replaced, 5);
  EXPECT_EQ(r.position_files_written, 1);
  EXPECT_EQ(DeleteKinds(t)["position"], 1);
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap after, table::testing::ScanRows(t));
  EXPECT_EQ(after, before);
}

TEST_F(DeleteCompactionTest, AConcurrentRewriteOfADataFileFailsTheCommitCleanly) {
  FLOE_ASSERT_OK_AND_ASSIGN(
      Table t, Create("t", "", 2, {{"write.delete.mode", "merge-on-read"}, {"write.merge.mode", "merge-on-read"}}));
  for (int i = 0; i < 6; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
  FLOE_ASSERT_OK(UpsertEq(t, {3, 13}));
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap before, table::testing::ScanRows(t));
  const auto files = TableFiles(t);
  bool fired = false;
  DeleteCompactionOptions o;
  o.threads = 1;
  o.progress = [&](const std::string&) {
    if (fired) return;
    fired = true;
    auto other = Load("t");
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE(Compact(*other, CompactionOptions{}).ok());  // rewrites every data file
  };
  auto r = CompactDeletes(t, o);
  ASSERT_FALSE(r.ok()) << "converting deletes of rewritten files must fail";
  FLOE_ASSERT_OK(t.Refresh());
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap after, table::testing::ScanRows(t));
  EXPECT_EQ(after, before);
}

TEST_F(DeleteCompactionTest, ManifestsRegroupWithoutChangingRows) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", "category", 2, {{"commit.manifest-merge.enabled", "false"}}));
  for (int i = 0; i < 12; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap before, table::testing::ScanRows(t));
  RewriteManifestsOptions o;
  o.dry_run = true;
  FLOE_ASSERT_OK_AND_ASSIGN(auto dry, RewriteManifests(t, o));
  EXPECT_EQ(dry.manifests_before, 12);
  EXPECT_FALSE(dry.rewritten);
  o.dry_run = false;
  FLOE_ASSERT_OK_AND_ASSIGN(auto r, RewriteManifests(t, o));
  EXPECT_TRUE(r.rewritten);
  EXPECT_EQ(r.manifests_after, 1);
  const spec::Snapshot* s = t.metadata().CurrentSnapshot();
  EXPECT_EQ(s->operation, "replace");
  EXPECT_EQ(table::testing::SummaryInt(*s, "manifests-replaced"), 12);
  FLOE_ASSERT_OK_AND_ASSIGN(auto list, table::testing::ReadList(*t.io(), *s));
  EXPECT_EQ(list.manifests.size(), 1u);
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap after, table::testing::ScanRows(t));
  EXPECT_EQ(after, before);
  // With a small target, entries spread over several manifests in
  // partition order, so the partition summaries prune.
  o.force = true;
  o.target_bytes = 2000;
  FLOE_ASSERT_OK_AND_ASSIGN(r, RewriteManifests(t, o));
  EXPECT_GT(r.manifests_after, 1);
  table::ScanOptions so;
  so.filter = "category = 'a'";
  FLOE_ASSERT_OK_AND_ASSIGN(auto scan, table::TableScan::Make(t, so));
  FLOE_ASSERT_OK(scan->PlanFiles().status());
  EXPECT_GT(scan->report().manifests_skipped, 0);
}

TEST_F(DeleteCompactionTest, AppendsMergeManifestsOnceThereAreEnough) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", "", 2, {{"commit.manifest.min-count-to-merge", "5"}}));
  for (int i = 0; i < 20; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
  FLOE_ASSERT_OK_AND_ASSIGN(auto list, table::testing::ReadList(*t.io(), *t.metadata().CurrentSnapshot()));
  EXPECT_LT(list.manifests.size(), 6u);
  FLOE_ASSERT_OK_AND_ASSIGN(auto count, table::testing::CountRows(t));
  EXPECT_EQ(count, 200);
  // Time travel to any snapshot still reads its rows.
  for (const spec::Snapshot& s : t.metadata().snapshots) {
    table::ScanOptions o;
    o.snapshot_id = s.snapshot_id;
    FLOE_ASSERT_OK_AND_ASSIGN(auto n, table::testing::CountRows(t, o));
    EXPECT_EQ(n, table::testing::SummaryInt(s, "total-records"));
  }
}

}  // namespace
}  // namespace floe::maintenance
