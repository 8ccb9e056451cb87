// Snapshot expiry: the retention rules (ages, counts, branches, tags, ref
// ages), a property test over random histories with branches and tags (a
// retained snapshot stays fully readable and keeps every file it reaches;
// every file nothing reaches is deleted), crash recovery through the
// cleanup journal, dry runs and refusals.
#include "floe/maintenance/expire_snapshots.h"

#include <gtest/gtest.h>

#include <random>

#include "floe/table/operations.h"
#include "floe/table/reachable_files.h"
#include "floe/table/row_level.h"
#include "floe/table/table_test_util.h"
#include "floe/util/random_ids.h"
#include "support/fault_injecting_file_io.h"

namespace floe::maintenance {
namespace {

using table::Table;
using table::testing::RowMap;

class ExpireTest : public table::testing::TableTest {
 protected:
  // Files under the location that are not metadata JSON (which expiry
  // leaves to write.metadata.* and orphan removal).
  std::set<std::string> ContentFiles(const Table& t) {
    std::set<std::string> out;
    for (const std::string& f : TableFiles(t)) {
      if (f.find(".metadata.json") == std::string::npos && f.find("floe-cleanup-") == std::string::npos) {
        out.insert(f);
      }
    }
    return out;
  }
  std::set<std::string> Reachable(const Table& t) {
    auto r = table::AllReachableFiles(t.loaded(), *t.io(), 2);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::set<std::string> out;
    for (const auto& f : *r) {
      if (f.find(".metadata.json") == std::string::npos) out.insert(f);
    }
    return out;
  }
  // Every snapshot's rows, by id.
  std::map<int64_t, RowMap> ReadAll(const Table& t) {
    std::map<int64_t, RowMap> out;
    for (const spec::Snapshot& s : t.metadata().snapshots) {
      table::ScanOptions o;
      o.snapshot_id = s.snapshot_id;
      auto rows = table::testing::ScanRows(t, o);
      EXPECT_TRUE(rows.ok()) << "snapshot " << s.snapshot_id << ": " << rows.status().ToString();
      if (rows.ok()) out[s.snapshot_id] = *rows;
    }
    return out;
  }
};

TEST_F(ExpireTest, KeepsTheLastAndDeletesWhatOnlyExpiredSnapshotsReach) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", "category"));
  for (int i = 0; i < 4; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
  FLOE_ASSERT_OK(table::DeleteWhere(t, "category = 'a'").status());  // copy-on-write: files go
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap current, table::testing::ScanRows(t));
  ExpireOptions o;
  o.expiry.older_than_ms = floe::util::NowMillis() + 1;
  o.expiry.retain_last = 1;
  FLOE_ASSERT_OK_AND_ASSIGN(ExpireReport r, ExpireSnapshots(t, o));
  EXPECT_EQ(r.expired_snapshots.size(), 4u);
  ASSERT_EQ(t.metadata().snapshots.size(), 1u);
  EXPECT_GT(r.deleted.files[FileKind::kData], 0);
  EXPECT_EQ(r.deleted.files[FileKind::kManifestList], 4);
  EXPECT_EQ(ContentFiles(t), Reachable(t));
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap after, table::testing::ScanRows(t));
  EXPECT_EQ(after, current);
  EXPECT_EQ(t.metadata().snapshot_log.size(), 1u);
}

TEST_F(ExpireTest, RetentionFollowsRefsAndTheirPolicies) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t"));
  std::vector<int64_t> ids;
  for (int i = 0; i < 6; ++i) {
    FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
    ids.push_back(t.metadata().current_snapshot_id.value());
  }
  // A tag on the first snapshot, a branch on the third with its own policy.
  FLOE_ASSERT_OK(table::CreateRef(t, "v1", spec::RefType::kTag, ids[0]));
  FLOE_ASSERT_OK(table::CreateRef(t, "b", spec::RefType::kBranch, ids[2]));
  spec::TableMetadata md = t.metadata();
  md.refs["b"].min_snapshots_to_keep = 2;
  table::ExpiryOptions e;
  e.older_than_ms = floe::util::NowMillis() + 1;
  e.retain_last = 3;
  FLOE_ASSERT_OK_AND_ASSIGN(table::ExpiryPlan plan, table::PlanExpiry(md, e));
  std::set<int64_t> gone(plan.snapshots.begin(), plan.snapshots.end());
  // main keeps 5, 4, 3; b keeps 2 and 1 (its own min 2); the tag keeps 0.
  EXPECT_EQ(gone, std::set<int64_t>{});
  e.retain_last = 1;
  md.refs["b"].min_snapshots_to_keep = 1;
  FLOE_ASSERT_OK_AND_ASSIGN(plan, table::PlanExpiry(md, e));
  gone = std::set<int64_t>(plan.snapshots.begin(), plan.snapshots.end());
  EXPECT_EQ(gone, (std::set<int64_t>{ids[1], ids[3], ids[4]}));
  // A ref older than its max-ref-age expires with what only it kept; main never.
  md.refs["v1"].max_ref_age_ms = 0;
  md.refs["main"].max_ref_age_ms = 0;
  FLOE_ASSERT_OK_AND_ASSIGN(plan, table::PlanExpiry(md, e));
  EXPECT_EQ(plan.refs, std::vector<std::string>{"v1"});
  gone = std::set<int64_t>(plan.snapshots.begin(), plan.snapshots.end());
  EXPECT_TRUE(gone.count(ids[0]));
  EXPECT_FALSE(gone.count(ids[5]));
  // Snapshots newer than the limit stay whatever the count.
  e.older_than_ms = 0;
  md.refs["v1"].max_ref_age_ms.reset();
  md.refs["main"].max_ref_age_ms.reset();
  FLOE_ASSERT_OK_AND_ASSIGN(plan, table::PlanExpiry(md, e));
  EXPECT_TRUE(plan.empty());
  // A ref's snapshot cannot be expired by id.
  e.snapshot_ids = {ids[2]};
  EXPECT_FALSE(table::PlanExpiry(md, e).ok());
}

// Random histories: appends, copy-on-write and merge-on-read deletes,
// overwrites, branches (with commits of their own), tags, dropped refs,
// then an expiry with random limits. Every retained snapshot must read the
// same rows as before, every file a retained snapshot reaches must exist,
// and every other content file must be gone.
TEST_F(ExpireTest, PropertyRetainedSnapshotsKeepEverythingAndNothingElseStays) {
  for (int round = 0; round < 6; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::mt19937_64 rng(20261207 + round);
    auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
    const std::string name = "p" + std::to_string(round);
    FLOE_ASSERT_OK_AND_ASSIGN(
        Table t, Create(name, round % 2 ? "category" : "", round % 3 == 2 ? 3 : 2,
                        {{"write.delete.mode", round % 2 ? "merge-on-read" : "copy-on-write"},
                         {"commit.manifest.min-count-to-merge", "3"}}));
    int64_t next = 0;
    std::vector<int64_t> times;
    for (int step = 0; step < 18; ++step) {
      const int op = step < 2 ? 0 : static_cast<int>(pick(0, 6));
      const auto& md = t.metadata();
      if (op <= 1) {
        FLOE_ASSERT_OK(AppendIds(t, next, pick(5, 30)).status());
        next += 40;
      } else if (op == 2) {
        FLOE_ASSERT_OK(table::DeleteWhere(t, "id in (" + std::to_string(pick(0, next)) + ", " +
                                              std::to_string(pick(0, next)) + ") or id > " +
                                              std::to_string(pick(0, next + 40))).status());
      } else if (op == 3 && !md.snapshots.empty()) {
        const auto& s = md.snapshots[static_cast<size_t>(pick(0, static_cast<int64_t>(md.snapshots.size()) - 1))];
        (void)table::CreateRef(t, "tag" + std::to_string(step), spec::RefType::kTag, s.snapshot_id);
      } else if (op == 4 && !md.snapshots.empty()) {
        const auto& s = md.snapshots[static_cast<size_t>(pick(0, static_cast<int64_t>(md.snapshots.size()) - 1))];
        (void)table::CreateRef(t, "br" + std::to_string(step), spec::RefType::kBranch, s.snapshot_id);
      } else if (op == 5) {
        std::vector<std::string> refs;
        for (const auto& [n, r] : md.refs) {
          if (n != "main") refs.push_back(n);
        }
        if (!refs.empty()) {
          FLOE_ASSERT_OK(table::DropRef(t, refs[static_cast<size_t>(pick(0, static_cast<int64_t>(refs.size()) - 1))], std::nullopt));
        }
      } else {
        FLOE_ASSERT_OK(table::OverwriteWhere(t, "id < " + std::to_string(pick(0, next)),
                                             table::testing::SourceOf({table::testing::EventsRange(next, 5)}))
                           .status());
        next += 5;
      }
      times.push_back(floe::util::NowMillis());
    }
    FLOE_ASSERT_OK(t.Refresh());
    const std::map<int64_t, RowMap> before = ReadAll(t);
    ExpireOptions o;
    o.expiry.older_than_ms = times[static_cast<size_t>(pick(0, static_cast<int64_t>(times.size()) - 1))];
    o.expiry.retain_last = static_cast<int>(pick(1, 4));
    FLOE_ASSERT_OK_AND_ASSIGN(ExpireReport r, ExpireSnapshots(t, o));
    // Retained snapshots read exactly as before.
    const std::map<int64_t, RowMap> after = ReadAll(t);
    for (const auto& [id, rows] : after) {
      ASSERT_TRUE(before.count(id));
      EXPECT_EQ(rows, before.at(id)) << "snapshot " << id << " changed";
    }
    EXPECT_EQ(after.size() + r.expired_snapshots.size(), before.size());
    // Every reachable file exists; every other content file is gone.
    const auto reachable = Reachable(t);
    const auto present = ContentFiles(t);
    for (const auto& f : reachable) EXPECT_TRUE(present.count(f)) << "deleted a reachable file: " << f;
    for (const auto& f : present) EXPECT_TRUE(reachable.count(f)) << "left an unreachable file: " << f;
  }
}

TEST_F(ExpireTest, ACleanupThatFailsHalfWayIsFinishedByTheNextRun) {
  // Deletes fail after a few files (a process dying mid-cleanup looks the
  // same to the next run: committed metadata, a journal, files left).
  auto faulty = std::make_shared<floe::testing::FaultInjectingFileIO>(io::MakeLocalFileIO());
  FLOE_ASSERT_OK_AND_ASSIGN(auto cat, OpenCatalog(faulty));
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", "category"));
  for (int i = 0; i < 5; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
  FLOE_ASSERT_OK(table::DeleteWhere(t, "id < 25").status());
  FLOE_ASSERT_OK_AND_ASSIGN(Table ft, Load("t", cat));
  faulty->FailFrom(floe::testing::FaultInjectingFileIO::Op::kDelete, 4);
  ExpireOptions o;
  o.expiry.older_than_ms = floe::util::NowMillis() + 1;
  o.expiry.retain_last = 1;
  FLOE_ASSERT_OK_AND_ASSIGN(ExpireReport r, ExpireSnapshots(ft, o));
  EXPECT_FALSE(r.cleanup_error.ok());
  EXPECT_EQ(ft.metadata().snapshots.size(), 1u);
  FLOE_ASSERT_OK(t.Refresh());
  EXPECT_NE(ContentFiles(t), Reachable(t));  // files left behind
  bool journal = false;
  for (const auto& f : TableFiles(t)) journal |= f.find("floe-cleanup-") != std::string::npos;
  EXPECT_TRUE(journal);
  // The next run (nothing more to expire) finishes the cleanup.
  FLOE_ASSERT_OK_AND_ASSIGN(ExpireReport again, ExpireSnapshots(t, o));
  EXPECT_EQ(again.journals_resumed, 1);
  EXPECT_TRUE(again.cleanup_error.ok());
  EXPECT_EQ(ContentFiles(t), Reachable(t));
  for (const auto& f : TableFiles(t)) EXPECT_EQ(f.find("floe-cleanup-"), std::string::npos);
}

TEST_F(ExpireTest, DryRunListsExactlyWhatARunDeletesAndGcDisabledRefuses) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t"));
  for (int i = 0; i < 4; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
  FLOE_ASSERT_OK(table::DeleteWhere(t, "id < 15").status());
  const auto files = TableFiles(t);
  const std::string location = t.metadata_location();
  ExpireOptions o;
  o.expiry.older_than_ms = floe::util::NowMillis() + 1;
  o.expiry.retain_last = 1;
  o.dry_run = true;
  FLOE_ASSERT_OK_AND_ASSIGN(ExpireReport dry, ExpireSnapshots(t, o));
  EXPECT_EQ(TableFiles(t), files);
  EXPECT_EQ(t.metadata_location(), location);
  std::set<std::string> listed;
  for (const auto& item : dry.listed) listed.insert(item.path);
  o.dry_run = false;
  FLOE_ASSERT_OK_AND_ASSIGN(ExpireReport real, ExpireSnapshots(t, o));
  std::set<std::string> gone;
  for (const auto& f : files) {
    if (!TableFiles(t).count(f)) gone.insert(f);
  }
  EXPECT_EQ(listed, gone);
  EXPECT_EQ(real.expired_snapshots, dry.expired_snapshots);

  FLOE_ASSERT_OK(table::UpdateProperties(t, {{"gc.enabled", "false"}}, {}));
  auto refused = ExpireSnapshots(t, o);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("gc.enabled=false"), std::string::npos);
}

}  // namespace
}  // namespace floe::maintenance
