// TableStatsTracker: the gauges equal the summary totals (and the manifests
// when a writer left them out), only unseen manifests are read, and each
// commit is reported once — compactions with their duration.
#include "floe/server/table_stats.h"

#include <gtest/gtest.h>

#include <limits>

#include "floe/maintenance/compaction.h"
#include "floe/table/snapshot_summary.h"
#include "floe/table/table_test_util.h"
#include "floe/util/random_ids.h"

namespace floe::server {
namespace {

using table::Table;

constexpr int64_t kAll = std::numeric_limits<int64_t>::max();

class TableStatsTest : public table::testing::TableTest {
 protected:
  static void ExpectSummaryTotals(const TableStats& s, const Table& t) {
    const spec::Snapshot* cur = t.metadata().CurrentSnapshot();
    ASSERT_NE(cur, nullptr);
    const table::SummaryTotals totals = table::ReadSummaryTotals(*cur);
    EXPECT_EQ(s.data_files, totals.data_files.value());
    EXPECT_EQ(s.total_records, totals.records.value());
    EXPECT_EQ(s.total_size_bytes, totals.files_size.value());
    EXPECT_EQ(s.delete_files, totals.delete_files.value());
    EXPECT_EQ(s.position_deletes, totals.position_deletes.value());
    EXPECT_EQ(s.equality_deletes, totals.equality_deletes.value());
    EXPECT_EQ(s.snapshot_count, static_cast<int64_t>(t.metadata().snapshots.size()));
  }
};

TEST_F(TableStatsTest, FollowsTheSummaryAndReadsOnlyNewManifests) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", "category", 2,
                                            {{"write.delete.mode", "merge-on-read"}}));
  TableStatsTracker tracker(kAll);
  // No snapshot yet: zeros, and no oldest snapshot.
  FLOE_ASSERT_OK_AND_ASSIGN(auto none, tracker.Update(t.metadata(), *t.io(), 2));
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(tracker.stats().snapshot_count, 0);
  EXPECT_FALSE(tracker.stats().oldest_snapshot_ms.has_value());

  for (int i = 0; i < 3; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
  FLOE_ASSERT_OK_AND_ASSIGN(auto events, tracker.Update(t.metadata(), *t.io(), 2));
  EXPECT_EQ(events.size(), 3u) << "commits after the first look are news";
  ExpectSummaryTotals(tracker.stats(), t);
  EXPECT_EQ(tracker.stats().data_files, 12);        // a, b, c, null per append
  EXPECT_EQ(tracker.stats().small_data_files, 12);  // all far under 384 MiB
  EXPECT_EQ(tracker.stats().manifests, 3);
  EXPECT_EQ(tracker.manifests_read(), 3);
  EXPECT_EQ(tracker.stats().oldest_snapshot_ms, t.metadata().snapshots.front().timestamp_ms);
  EXPECT_EQ(tracker.stats().last_commit_ms, t.metadata().CurrentSnapshot()->timestamp_ms);

  // One more append: one new manifest read, one commit reported.
  FLOE_ASSERT_OK(AppendIds(t, 30, 10).status());
  FLOE_ASSERT_OK_AND_ASSIGN(events, tracker.Update(t.metadata(), *t.io(), 2));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].operation, "append");
  EXPECT_EQ(events[0].snapshot_id, *t.metadata().current_snapshot_id);
  EXPECT_FALSE(events[0].compaction_seconds.has_value());
  EXPECT_EQ(tracker.manifests_read(), 4);
  ExpectSummaryTotals(tracker.stats(), t);

  // The same metadata again: nothing read, nothing reported.
  FLOE_ASSERT_OK_AND_ASSIGN(events, tracker.Update(t.metadata(), *t.io(), 2));
  EXPECT_TRUE(events.empty());
  EXPECT_EQ(tracker.manifests_read(), 4);

  // Deletes by position: delete debt.
  FLOE_ASSERT_OK(table::DeleteWhere(t, "id in (1, 11, 21, 31)").status());
  FLOE_ASSERT_OK_AND_ASSIGN(events, tracker.Update(t.metadata(), *t.io(), 2));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].operation, "delete");
  ExpectSummaryTotals(tracker.stats(), t);
  EXPECT_GT(tracker.stats().delete_files, 0);
  EXPECT_EQ(tracker.stats().position_deletes, 4);

  // A compaction: a replace with its duration, small files gone.
  FLOE_ASSERT_OK_AND_ASSIGN(auto report, maintenance::Compact(t, maintenance::CompactionOptions{}));
  ASSERT_EQ(report.commits, 1);
  FLOE_ASSERT_OK_AND_ASSIGN(events, tracker.Update(t.metadata(), *t.io(), 2));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].operation, "replace");
  ASSERT_TRUE(events[0].compaction_seconds.has_value());
  EXPECT_GE(*events[0].compaction_seconds, 0.0);
  ExpectSummaryTotals(tracker.stats(), t);
  EXPECT_EQ(tracker.stats().data_files, 4);
  EXPECT_EQ(tracker.stats().small_data_files, 4);
  EXPECT_EQ(tracker.stats().delete_files, 0);
  // Only the current snapshot's manifests are kept.
  EXPECT_EQ(tracker.cached_manifests(), static_cast<size_t>(tracker.stats().manifests));
}

TEST_F(TableStatsTest, HistoryIsNotNews) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t"));
  for (int i = 0; i < 3; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
  TableStatsTracker tracker(kAll);
  FLOE_ASSERT_OK_AND_ASSIGN(auto events, tracker.Update(t.metadata(), *t.io(), 2));
  EXPECT_TRUE(events.empty()) << "history of a table there from the start is not news";
  FLOE_ASSERT_OK(AppendIds(t, 30, 10).status());
  FLOE_ASSERT_OK_AND_ASSIGN(events, tracker.Update(t.metadata(), *t.io(), 2));
  EXPECT_EQ(events.size(), 1u);
}

TEST_F(TableStatsTest, ManifestsStandInForMissingTotals) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", "category", 2,
                                            {{"write.delete.mode", "merge-on-read"}}));
  for (int i = 0; i < 2; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
  FLOE_ASSERT_OK(table::DeleteWhere(t, "id = 4 or id = 14").status());
  TableStatsTracker with_totals(kAll);
  FLOE_ASSERT_OK(with_totals.Update(t.metadata(), *t.io(), 1).status());
  // The same table as a writer that keeps no totals would leave it.
  spec::TableMetadata stripped = t.metadata();
  for (spec::Snapshot& s : stripped.snapshots) {
    std::erase_if(s.summary, [](const auto& kv) { return kv.first.rfind("total-", 0) == 0; });
  }
  TableStatsTracker without(kAll);
  FLOE_ASSERT_OK(without.Update(stripped, *t.io(), 1).status());
  const TableStats& a = with_totals.stats();
  const TableStats& b = without.stats();
  EXPECT_EQ(b.data_files, a.data_files);
  EXPECT_EQ(b.total_records, a.total_records);
  EXPECT_EQ(b.total_size_bytes, a.total_size_bytes);
  EXPECT_EQ(b.delete_files, a.delete_files);
  EXPECT_EQ(b.position_deletes, a.position_deletes);
  EXPECT_EQ(b.position_deletes, 2);
  EXPECT_EQ(b.equality_deletes, 0);
}

TEST_F(TableStatsTest, SmallFilesFollowTheTargetSize) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t"));
  for (int i = 0; i < 3; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
  TableStatsTracker tracker(kAll);
  FLOE_ASSERT_OK(tracker.Update(t.metadata(), *t.io(), 1).status());
  EXPECT_EQ(tracker.stats().small_data_files, 3);
  // A target of 1 byte: nothing is small (0.75 rounds to 0). The rule
  // changed, so the manifests are counted again.
  FLOE_ASSERT_OK(table::UpdateProperties(t, {{"write.target-file-size-bytes", "1"}}, {}));
  FLOE_ASSERT_OK(tracker.Update(t.metadata(), *t.io(), 1).status());
  EXPECT_EQ(tracker.stats().small_data_files, 0);
  EXPECT_EQ(tracker.manifests_read(), 6);
}

TEST_F(TableStatsTest, ATableThatAppearsLaterReportsOnlyRecentCommits) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t"));
  FLOE_ASSERT_OK(AppendIds(t, 0, 10).status());
  FLOE_ASSERT_OK(AppendIds(t, 10, 10).status());
  const int64_t cutoff = t.metadata().CurrentSnapshot()->timestamp_ms + 1;
  // Snapshots are stamped in milliseconds: make sure the next one is later.
  while (util::NowMillis() <= cutoff) {
  }
  FLOE_ASSERT_OK(AppendIds(t, 20, 10).status());
  TableStatsTracker tracker(cutoff);
  FLOE_ASSERT_OK_AND_ASSIGN(auto events, tracker.Update(t.metadata(), *t.io(), 1));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].snapshot_id, *t.metadata().current_snapshot_id);
}

TEST_F(TableStatsTest, AnUnreadableManifestKeepsThePreviousStats) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t"));
  FLOE_ASSERT_OK(AppendIds(t, 0, 10).status());
  TableStatsTracker tracker(kAll);
  FLOE_ASSERT_OK(tracker.Update(t.metadata(), *t.io(), 1).status());
  FLOE_ASSERT_OK(AppendIds(t, 10, 10).status());
  // The new manifest is gone (a storage fault).
  FLOE_ASSERT_OK_AND_ASSIGN(auto list, t.io()->ReadFile(t.metadata().CurrentSnapshot()->manifest_list));
  FLOE_ASSERT_OK_AND_ASSIGN(auto ml, manifest::ReadManifestList("list", list));
  for (const auto& mf : ml.manifests) {
    if (mf.added_snapshot_id == *t.metadata().current_snapshot_id) {
      FLOE_ASSERT_OK(t.io()->Delete(mf.manifest_path));
    }
  }
  auto failed = tracker.Update(t.metadata(), *t.io(), 1);
  ASSERT_FALSE(failed.ok());
  EXPECT_TRUE(failed.status().IsNotFound() || failed.status().IsIOError()) << failed.status().ToString();
  EXPECT_EQ(tracker.stats().total_records, 10);
  EXPECT_EQ(tracker.stats().snapshot_count, 1);
}

}  // namespace
}  // namespace floe::server
