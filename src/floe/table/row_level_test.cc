// Row-level deletes and upserts in both strategies, checked against an
// in-memory model after every commit (a property test over random
// operation sequences), plus the spec's bookkeeping (one DV per data file,
// file-scoped position deletes), refusals, and concurrent writers.
#include "floe/table/row_level.h"

#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "floe/data/delete_writer.h"
#include "floe/table/snapshot_update.h"
#include "floe/table/table_test_util.h"
#include "floe/table/table_writer.h"
#include "floe/table/transaction.h"

namespace floe::table {
namespace {

using manifest::EntryStatus;
using manifest::FileContent;
using testing::EventsBatch;
using testing::RowMap;
using testing::SourceOf;

// Rows for `ids` whose amount is `tag` (so a replaced row is visible).
std::shared_ptr<arrow::RecordBatch> Tagged(const std::vector<int64_t>& ids, double tag) {
  auto batch = EventsBatch(ids);
  arrow::DoubleBuilder amount;
  for (size_t i = 0; i < ids.size(); ++i) (void)amount.Append(tag);
  std::shared_ptr<arrow::Array> a;
  (void)amount.Finish(&a);
  return *batch->SetColumn(4, batch->schema()->field(4), a);
}

void ModelAdd(const arrow::RecordBatch& batch, RowMap* model) {
  const auto& ids = static_cast<const arrow::Int64Array&>(*batch.column(0));
  for (int64_t r = 0; r < batch.num_rows(); ++r) {
    (*model)[ids.Value(r)] = testing::RowText(batch.columns(), r);
  }
}

struct Case {
  int version;
  const char* partition_by;
  const char* mode;
  bool equality;  // upserts with equality deletes
  const char* label;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.label; }

class RowLevelProperty : public testing::TableTest, public ::testing::WithParamInterface<Case> {};

// Random appends, deletes, upserts and overwrites; after each commit the
// table must hold exactly the model's rows, and counts must agree.
TEST_P(RowLevelProperty, MatchesTheModelAfterEveryCommit) {
  const Case& c = GetParam();
  FLOE_ASSERT_OK_AND_ASSIGN(
      Table t, Create("t", c.partition_by, c.version,
                      {{"write.delete.mode", c.mode},
                       {"write.merge.mode", c.mode},
                       {"write.update.mode", c.mode},
                       {"write.parquet.row-group-size-bytes", "4096"}}));
  std::mt19937_64 rng(20261126 + c.version * 7 + (c.equality ? 3 : 0));
  RowMap model;
  int64_t next_id = 0;
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  for (int step = 0; step < 24; ++step) {
    const int op = step < 2 ? 0 : static_cast<int>(pick(0, 4));
    std::string what;
    if (op == 0) {  // append new ids
      int64_t n = pick(20, 120);
      auto batch = EventsBatch(testing::Range(next_id, n));
      next_id += n;
      FLOE_ASSERT_OK(Append(t, SourceOf({batch})).status());
      ModelAdd(*batch, &model);
      what = "append";
    } else if (op == 1 || op == 2) {  // delete by a filter
      std::string filter;
      switch (pick(0, 3)) {
        case 0: {
          int64_t lo = pick(0, next_id), hi = lo + pick(1, 40);
          filter = "id >= " + std::to_string(lo) + " and id < " + std::to_string(hi);
          for (auto it = model.lower_bound(lo); it != model.end() && it->first < hi;) it = model.erase(it);
          break;
        }
        case 1: {
          int64_t id = pick(0, next_id);
          filter = "id = " + std::to_string(id);
          model.erase(id);
          break;
        }
        case 2:
          filter = "category = 'b' and id > " + std::to_string(next_id / 2);
          for (auto it = model.begin(); it != model.end();) {
            bool hit = testing::CategoryOf(it->first) == "b" && it->first > next_id / 2;
            it = hit ? model.erase(it) : std::next(it);
          }
          break;
        default:
          filter = "category is null and id < " + std::to_string(next_id / 3);
          for (auto it = model.begin(); it != model.end();) {
            bool hit = !testing::CategoryOf(it->first) && it->first < next_id / 3;
            it = hit ? model.erase(it) : std::next(it);
          }
      }
      auto r = DeleteWhere(t, filter);
      ASSERT_TRUE(r.ok()) << filter << ": " << r.status().ToString();
      what = "delete " + filter;
    } else if (op == 3) {  // upsert: some existing ids (maybe deleted), some new
      std::vector<int64_t> ids;
      std::set<int64_t> seen;
      for (int64_t i = pick(5, 40); i > 0; --i) {
        int64_t id = pick(0, next_id - 1);
        if (seen.insert(id).second) ids.push_back(id);
      }
      for (int64_t i = pick(0, 10); i > 0; --i) ids.push_back(next_id++);
      auto batch = Tagged(ids, 1000.0 + step);
      UpsertOptions o;
      o.key_columns = {"id"};
      o.equality_deletes = c.equality;
      auto r = Upsert(t, SourceOf({batch}), o);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      ModelAdd(*batch, &model);
      what = "upsert";
    } else {  // overwrite a range with new rows
      int64_t lo = pick(0, next_id), hi = lo + pick(1, 30);
      std::string filter = "id >= " + std::to_string(lo) + " and id < " + std::to_string(hi);
      for (auto it = model.lower_bound(lo); it != model.end() && it->first < hi;) it = model.erase(it);
      auto batch = Tagged(testing::Range(lo, hi - lo), -5.0 - step);
      auto r = OverwriteWhere(t, filter, SourceOf({batch}));
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      ModelAdd(*batch, &model);
      next_id = std::max(next_id, hi);
      what = "overwrite " + filter;
    }
    FLOE_ASSERT_OK_AND_ASSIGN(RowMap rows, testing::ScanRows(t));
    ASSERT_EQ(rows, model) << "after step " << step << ": " << what;
    FLOE_ASSERT_OK_AND_ASSIGN(int64_t count, testing::CountRows(t));
    ASSERT_EQ(count, static_cast<int64_t>(model.size())) << "after " << what;
  }
  // A fresh load sees the same table (nothing cached in the handle).
  FLOE_ASSERT_OK_AND_ASSIGN(Table again, Load("t"));
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap rows, testing::ScanRows(again));
  EXPECT_EQ(rows, model);
  // Merge-on-read left delete files; copy-on-write never does.
  const spec::Snapshot* s = again.metadata().CurrentSnapshot();
  ASSERT_NE(s, nullptr);
  if (std::string(c.mode) == "copy-on-write") {
    EXPECT_EQ(testing::SummaryInt(*s, "total-delete-files"), 0);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Modes, RowLevelProperty,
    ::testing::Values(Case{2, "", "copy-on-write", false, "V2_CoW"},
                      Case{2, "category", "copy-on-write", false, "V2_CoW_ByCategory"},
                      Case{2, "", "merge-on-read", false, "V2_MoR"},
                      Case{2, "category", "merge-on-read", false, "V2_MoR_ByCategory"},
                      Case{2, "bucket(4, id)", "merge-on-read", true, "V2_MoR_Equality"},
                      Case{3, "", "merge-on-read", false, "V3_MoR"},
                      Case{3, "day(ts)", "merge-on-read", false, "V3_MoR_ByDay"},
                      Case{3, "", "merge-on-read", true, "V3_MoR_Equality"},
                      Case{3, "category", "copy-on-write", false, "V3_CoW_ByCategory"}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.label); });

class RowLevelTest : public testing::TableTest {};

// Live delete entries of the current snapshot.
std::vector<manifest::DataFile> LiveDeletes(const Table& t) {
  std::vector<manifest::DataFile> out;
  auto io = t.io();
  const spec::Snapshot* s = t.metadata().CurrentSnapshot();
  auto list = testing::ReadList(*io, *s);
  EXPECT_TRUE(list.ok());
  for (const auto& mf : list->manifests) {
    auto m = testing::ReadManifestOf(*io, t.metadata(), mf);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    for (const auto& e : m->entries) {
      if (e.status != EntryStatus::kDeleted && e.data_file.content != FileContent::kData) {
        out.push_back(e.data_file);
      }
    }
  }
  return out;
}

TEST_F(RowLevelTest, V3KeepsOneDeletionVectorPerDataFile) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", "", 3, {{"write.delete.mode", "merge-on-read"}}));
  FLOE_ASSERT_OK(AppendIds(t, 0, 100).status());
  FLOE_ASSERT_OK_AND_ASSIGN(auto r1, DeleteWhere(t, "id = 3"));
  EXPECT_EQ(r1.delete_files_added, 1);
  EXPECT_EQ(t.metadata().CurrentSnapshot()->operation, "delete");
  FLOE_ASSERT_OK_AND_ASSIGN(auto r2, DeleteWhere(t, "id in (5, 7)"));
  EXPECT_EQ(r2.rows_deleted, 2);
  auto live = LiveDeletes(t);
  ASSERT_EQ(live.size(), 1u);  // the first DV was replaced by the merged one
  EXPECT_EQ(live[0].file_format, manifest::FileFormat::kPuffin);
  EXPECT_EQ(live[0].record_count, 3);
  ASSERT_TRUE(live[0].referenced_data_file.has_value());
  const spec::Snapshot& s = *t.metadata().CurrentSnapshot();
  EXPECT_EQ(testing::SummaryInt(s, "added-dvs"), 1);
  EXPECT_EQ(testing::SummaryInt(s, "removed-dvs"), 1);
  EXPECT_EQ(testing::SummaryInt(s, "total-delete-files"), 1);
  FLOE_ASSERT_OK_AND_ASSIGN(int64_t n, testing::CountRows(t));
  EXPECT_EQ(n, 97);
  // Copy-on-write of that file (a property change) takes its DV with it.
  FLOE_ASSERT_OK(UpdateProperties(t, {{"write.delete.mode", "copy-on-write"}}, {}));
  FLOE_ASSERT_OK(DeleteWhere(t, "id = 9").status());
  EXPECT_TRUE(LiveDeletes(t).empty());
  FLOE_ASSERT_OK_AND_ASSIGN(n, testing::CountRows(t));
  EXPECT_EQ(n, 96);
}

TEST_F(RowLevelTest, V2WritesFileScopedPositionDeletes) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t,
                            Create("t", "category", 2, {{"write.delete.mode", "merge-on-read"}}));
  FLOE_ASSERT_OK(AppendIds(t, 0, 60).status());
  FLOE_ASSERT_OK_AND_ASSIGN(auto r, DeleteWhere(t, "id < 10"));
  auto live = LiveDeletes(t);
  ASSERT_EQ(static_cast<int64_t>(live.size()), r.delete_files_added);
  int64_t positions = 0;
  for (const auto& d : live) {
    EXPECT_EQ(d.content, FileContent::kPositionDeletes);
    EXPECT_EQ(d.file_format, manifest::FileFormat::kParquet);
    EXPECT_TRUE(d.referenced_data_file.has_value());
    EXPECT_FALSE(d.sort_order_id.has_value());
    positions += d.record_count;
  }
  EXPECT_EQ(positions, 10);
  EXPECT_EQ(testing::SummaryInt(*t.metadata().CurrentSnapshot(), "added-position-deletes"), 10);
  // Deleting an already deleted row changes nothing.
  FLOE_ASSERT_OK_AND_ASSIGN(auto again, DeleteWhere(t, "id = 4"));
  EXPECT_FALSE(again.changed);
}

TEST_F(RowLevelTest, DeletesNamingTheDataFileOtherwiseStillApply) {
  // Another writer's position delete file or DV names the data file as
  // "file:/..." (Hadoop's spelling) where the manifest says "file:///...":
  // the rows are deleted all the same (Iceberg readers resolve both).
  for (int version : {2, 3}) {
    SCOPED_TRACE(version);
    FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t" + std::to_string(version), "", version));
    FLOE_ASSERT_OK(AppendIds(t, 0, 10).status());
    FLOE_ASSERT_OK_AND_ASSIGN(auto scan, TableScan::Make(t, {}));
    FLOE_ASSERT_OK_AND_ASSIGN(auto tasks, scan->PlanFiles());
    ASSERT_EQ(tasks.size(), 1u);
    const std::string path = tasks[0].file.file_path;
    const std::string other = "file:" + io::LocalPath(path);
    ASSERT_NE(other, path);
    const std::string location = io::JoinLocation(DataFolder(t.metadata()), "other-writer-deletes");
    manifest::DataFile del;
    if (version == 2) {
      FLOE_ASSERT_OK_AND_ASSIGN(del, data::WritePositionDeleteFile(t.io(), location + ".parquet",
                                                                   t.metadata().properties,
                                                                   {{other, {1, 3}}}));
    } else {
      FLOE_ASSERT_OK_AND_ASSIGN(auto dvs, data::WriteDeletionVectors(t.io(), location + ".puffin",
                                                                     {{other, {1, 3}}}, "test"));
      del = dvs.at(0);
    }
    ASSERT_EQ(del.referenced_data_file.value_or(""), other);
    del.spec_id = t.metadata().default_spec_id;
    auto update = std::make_unique<SnapshotUpdate>(t.io().get(), spec::kMainBranch);
    update->AddFile(del, /*owned=*/true);
    Transaction tx(&t);
    tx.Add(std::move(update));
    FLOE_ASSERT_OK(tx.Commit().status());
    FLOE_ASSERT_OK_AND_ASSIGN(testing::RowMap rows, testing::ScanRows(t));
    EXPECT_EQ(rows.size(), 8u);
    EXPECT_FALSE(rows.count(1)) << "the delete naming file:/... was not applied";
    EXPECT_FALSE(rows.count(3));
    FLOE_ASSERT_OK_AND_ASSIGN(int64_t n, testing::CountRows(t));
    EXPECT_EQ(n, 8);
  }
}

TEST_F(RowLevelTest, RefusesBadRequestsAndLeavesTheTableAlone) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table v1, Create("v1", "", 1, {{"write.delete.mode", "merge-on-read"}}));
  FLOE_ASSERT_OK(AppendIds(v1, 0, 10).status());
  auto r = DeleteWhere(v1, "id = 1");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("format version 1"), std::string::npos) << r.status().ToString();

  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", "category", 2, {{"write.merge.mode", "merge-on-read"}}));
  FLOE_ASSERT_OK(AppendIds(t, 0, 10).status());
  const auto before = TableFiles(t);
  const auto snapshot = t.metadata().current_snapshot_id;
  UpsertOptions o;
  o.key_columns = {"id"};
  auto dup = Upsert(t, SourceOf({EventsBatch({1, 2, 1})}), o);
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("id=1"), std::string::npos) << dup.status().ToString();
  o.equality_deletes = true;  // the key does not decide the partition
  auto eq = Upsert(t, SourceOf({EventsBatch({1})}), o);
  ASSERT_FALSE(eq.ok());
  EXPECT_NE(eq.status().message().find("partition"), std::string::npos);
  o = UpsertOptions{};
  auto nokey = Upsert(t, SourceOf({EventsBatch({1})}), o);
  ASSERT_FALSE(nokey.ok());
  EXPECT_NE(nokey.status().message().find("identifier"), std::string::npos);
  o.key_columns = {"nope"};
  EXPECT_FALSE(Upsert(t, SourceOf({EventsBatch({1})}), o).ok());
  FLOE_ASSERT_OK(UpdateProperties(t, {{"write.delete.mode", "merge-on-write"}}, {}));
  auto bad_mode = DeleteWhere(t, "id = 1");
  ASSERT_FALSE(bad_mode.ok());
  EXPECT_NE(bad_mode.status().message().find("write.delete.mode"), std::string::npos);

  FLOE_ASSERT_OK(t.Refresh());
  EXPECT_EQ(t.metadata().current_snapshot_id, snapshot);
  auto after = TableFiles(t);
  for (const auto& f : after) {
    if (!before.count(f)) EXPECT_NE(f.find(".metadata.json"), std::string::npos) << f;
  }
}

TEST_F(RowLevelTest, UpsertUsesTheIdentifierFieldsByDefault) {
  // Identifier fields come from the schema.
  NewTableOptions o;
  o.format_version = 2;
  FLOE_ASSERT_OK_AND_ASSIGN(auto parsed, expr::ParseSchema(testing::kEventsSchema));
  o.schema = spec::Schema(0, parsed.fields(), {1});
  FLOE_ASSERT_OK_AND_ASSIGN(Table keyed, CreateTable(catalog_, Id("keyed"), std::move(o)));
  FLOE_ASSERT_OK(AppendIds(keyed, 0, 10).status());
  FLOE_ASSERT_OK_AND_ASSIGN(auto r, Upsert(keyed, SourceOf({Tagged({3, 4, 50}, 7.0)}), {}));
  EXPECT_EQ(r.rows_deleted, 2);
  EXPECT_EQ(r.rows_added, 3);
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap rows, testing::ScanRows(keyed));
  EXPECT_EQ(rows.size(), 11u);
  ScanOptions f;
  f.filter = "amount = 7";
  FLOE_ASSERT_OK_AND_ASSIGN(int64_t n, testing::CountRows(keyed, f));
  EXPECT_EQ(n, 3);
}

// Several writers upsert the same keys and delete some, concurrently, each
// through its own catalog connection: afterwards every key is there at most
// once (no lost delete, no resurrected row), and the never-deleted keys
// exactly once.
class RowLevelConcurrency : public testing::TableTest,
                            public ::testing::WithParamInterface<Case> {};

TEST_P(RowLevelConcurrency, NeverLosesOrResurrectsARow) {
  const Case& c = GetParam();
  {
    FLOE_ASSERT_OK_AND_ASSIGN(
        Table t, Create("t", c.partition_by, c.version,
                        {{"write.delete.mode", c.mode}, {"write.merge.mode", c.mode},
                         {"commit.retry.num-retries", "50"}, {"commit.retry.min-wait-ms", "5"},
                         {"commit.retry.max-wait-ms", "50"}}));
    FLOE_ASSERT_OK(AppendIds(t, 0, 200).status());
  }
  std::vector<std::thread> threads;
  std::vector<Status> results(4);
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      auto cat = OpenCatalog();
      if (!cat.ok()) {
        results[w] = cat.status();
        return;
      }
      auto loaded = (*cat)->LoadTable(Id("t"));
      if (!loaded.ok()) {
        results[w] = loaded.status();
        return;
      }
      Table t(*cat, std::move(*loaded));
      for (int round = 0; round < 5 && results[w].ok(); ++round) {
        Status st;
        if (w == 3) {
          st = DeleteWhere(t, "id >= " + std::to_string(150 + round * 10)).status();
        } else {
          UpsertOptions o;
          o.key_columns = {"id"};
          o.equality_deletes = c.equality;
          // Overlapping key ranges across writers.
          st = Upsert(t, SourceOf({Tagged(testing::Range(w * 30 + round * 5, 60), w * 10 + round)}), o)
                   .status();
        }
        if (!st.ok()) results[w] = st;
        if (st.ok()) st = t.Refresh();
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int w = 0; w < 4; ++w) EXPECT_TRUE(results[w].ok()) << "writer " << w << ": " << results[w].ToString();
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Load("t"));
  FLOE_ASSERT_OK_AND_ASSIGN(auto scan, TableScan::Make(t, {}));
  FLOE_ASSERT_OK_AND_ASSIGN(auto table, scan->ToTable());
  std::map<int64_t, int> seen;
  auto ids = table->GetColumnByName("id");
  for (const auto& chunk : ids->chunks()) {
    const auto& a = static_cast<const arrow::Int64Array&>(*chunk);
    for (int64_t i = 0; i < a.length(); ++i) ++seen[a.Value(i)];
  }
  for (const auto& [id, n] : seen) EXPECT_EQ(n, 1) << "id " << id << " appears " << n << " times";
  for (int64_t id = 0; id < 150; ++id) EXPECT_EQ(seen.count(id), 1u) << "id " << id << " was lost";
}

INSTANTIATE_TEST_SUITE_P(
    Modes, RowLevelConcurrency,
    ::testing::Values(Case{2, "", "copy-on-write", false, "V2_CoW"},
                      Case{2, "bucket(4, id)", "merge-on-read", false, "V2_MoR"},
                      Case{2, "bucket(4, id)", "merge-on-read", true, "V2_MoR_Equality"},
                      Case{3, "", "merge-on-read", false, "V3_MoR"}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.label); });

}  // namespace
}  // namespace floe::table
