// Round trips through the table layer on a real SQLite catalog and real
// Parquet files: create, append, scan, count, delete and overwrite on
// partitioned and unpartitioned tables of format v1, v2 and v3, with the
// commit's bookkeeping checked against the spec: snapshot summaries, fast
// append's manifest reuse, sequence numbers, v3 row ids, snapshot and
// metadata logs.
#include <gtest/gtest.h>

#include "floe/table/table_test_util.h"

namespace floe::table {
namespace {

using manifest::EntryStatus;
using manifest::ManifestFile;
using testing::CategoryOf;
using testing::EventsRange;
using testing::RowMap;
using testing::SourceOf;
using testing::SummaryInt;
using testing::TsOf;

struct Layout {
  int version;
  const char* partition_by;
  const char* label;
};

std::string LayoutName(const ::testing::TestParamInfo<Layout>& info) {
  return "V" + std::to_string(info.param.version) + "_" + info.param.label;
}

class RoundTripTest : public testing::TableTest, public ::testing::WithParamInterface<Layout> {
 protected:
  // The table must hold exactly `expected`, through this Table object and
  // through a fresh load from the catalog.
  void ExpectRows(const Table& t, const RowMap& expected) {
    for (int pass = 0; pass < 2; ++pass) {
      Result<Table> loaded = pass == 0 ? Result<Table>(t) : Load("events");
      ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
      SCOPED_TRACE(pass == 0 ? "same Table" : "reloaded");
      EXPECT_EQ(loaded->metadata_location(), t.metadata_location());
      FLOE_ASSERT_OK_AND_ASSIGN(RowMap rows, testing::ScanRows(*loaded));
      EXPECT_EQ(rows, expected);
      FLOE_ASSERT_OK_AND_ASSIGN(int64_t n, testing::CountRows(*loaded));
      EXPECT_EQ(n, static_cast<int64_t>(expected.size()));
      // A filtered count and a filtered, projected scan.
      int64_t want_a = 0;
      for (const auto& [id, row] : expected) want_a += CategoryOf(id) == std::string("a");
      ScanOptions by_cat;
      by_cat.filter = "category = 'a'";
      FLOE_ASSERT_OK_AND_ASSIGN(int64_t a, testing::CountRows(*loaded, by_cat));
      EXPECT_EQ(a, want_a);
      ScanOptions ids;
      ids.filter = "id < 30";
      ids.columns = {"id"};
      FLOE_ASSERT_OK_AND_ASSIGN(auto scan, TableScan::Make(*loaded, ids));
      FLOE_ASSERT_OK_AND_ASSIGN(auto table, scan->ToTable());
      ASSERT_EQ(table->num_columns(), 1);
      int64_t want_ids = 0;
      for (const auto& [id, row] : expected) want_ids += id < 30;
      EXPECT_EQ(table->num_rows(), want_ids);
    }
  }
};

TEST_P(RoundTripTest, CreateAppendDeleteOverwrite) {
  const Layout& p = GetParam();
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("events", p.partition_by, p.version));
  auto io = t.io();
  EXPECT_EQ(t.metadata().format_version, p.version);
  EXPECT_FALSE(t.metadata().current_snapshot_id.has_value());
  if (p.version >= 3) {
    EXPECT_EQ(t.metadata().next_row_id, 0);
  }
  RowMap expected;
  ExpectRows(t, expected);

  std::vector<std::string> locations{t.metadata_location()};  // every metadata file, in order
  std::vector<std::string> operations;
  auto committed = [&](const WriteReport& r, const std::string& op) {
    EXPECT_TRUE(r.changed);
    EXPECT_EQ(r.attempts, 1);
    EXPECT_EQ(r.snapshot_id, t.metadata().current_snapshot_id.value_or(-1));
    EXPECT_NE(t.metadata_location(), locations.back());
    locations.push_back(t.metadata_location());
    operations.push_back(op);
  };

  // 1. Append two batches (ids 0..59: June 1st to 3rd).
  auto b1 = EventsRange(0, 30);
  auto b2 = EventsRange(30, 30);
  FLOE_ASSERT_OK_AND_ASSIGN(WriteReport r1, Append(t, SourceOf({b1, b2})));
  committed(r1, "append");
  EXPECT_EQ(r1.rows_added, 60);
  testing::AddRows(*b1, &expected);
  testing::AddRows(*b2, &expected);
  ExpectRows(t, expected);
  FLOE_ASSERT_OK_AND_ASSIGN(auto live1, testing::LiveFiles(t));
  EXPECT_EQ(r1.files_added, static_cast<int64_t>(live1.size()));

  // 2. Append ids 80..139 (June 4th to 6th).
  auto b3 = EventsRange(80, 60);
  FLOE_ASSERT_OK_AND_ASSIGN(WriteReport r2, Append(t, SourceOf({b3})));
  committed(r2, "append");
  testing::AddRows(*b3, &expected);
  ExpectRows(t, expected);

  // 3. Delete by a column that some layouts partition by.
  FLOE_ASSERT_OK_AND_ASSIGN(WriteReport r3, DeleteWhere(t, "category = 'b'"));
  int64_t removed = std::erase_if(expected, [](const auto& kv) {
    return CategoryOf(kv.first) == std::string("b");
  });
  EXPECT_EQ(r3.rows_deleted, removed);
  EXPECT_EQ(r3.rows_added, 0);
  committed(r3, r3.files_added == 0 ? "delete" : "overwrite");
  if (std::string(p.label) == "identity") {
    EXPECT_EQ(r3.files_rewritten, 0) << "identity partitions are dropped whole";
    EXPECT_EQ(r3.files_dropped_unread, r3.files_removed);
  }
  ExpectRows(t, expected);

  // 4. Delete by time: whole days in day-partitioned layouts, part of a file otherwise.
  FLOE_ASSERT_OK_AND_ASSIGN(WriteReport r4,
                            DeleteWhere(t, "ts >= timestamp '2024-06-05T00:00:00'"));
  removed = std::erase_if(expected, [](const auto& kv) { return kv.first >= 96; });
  EXPECT_EQ(r4.rows_deleted, removed);
  committed(r4, r4.files_added == 0 ? "delete" : "overwrite");
  ExpectRows(t, expected);

  // 5. A delete that matches nothing makes no snapshot.
  FLOE_ASSERT_OK_AND_ASSIGN(WriteReport r5, DeleteWhere(t, "id > 100000"));
  EXPECT_FALSE(r5.changed);
  EXPECT_EQ(t.metadata_location(), locations.back());
  FLOE_ASSERT_OK_AND_ASSIGN(Table reloaded, Load("events"));
  EXPECT_EQ(reloaded.metadata_location(), locations.back());

  // 6. Overwrite the rows with id < 10 with five new rows.
  auto b4 = EventsRange(1000, 5);
  FLOE_ASSERT_OK_AND_ASSIGN(WriteReport r6, OverwriteWhere(t, "id < 10", SourceOf({b4})));
  removed = std::erase_if(expected, [](const auto& kv) { return kv.first < 10; });
  EXPECT_EQ(r6.rows_deleted, removed);
  EXPECT_EQ(r6.rows_added, 5);
  committed(r6, "overwrite");
  testing::AddRows(*b4, &expected);
  ExpectRows(t, expected);

  // 7. One more append on top of the rewritten state.
  auto b5 = EventsRange(200, 10);
  FLOE_ASSERT_OK_AND_ASSIGN(WriteReport r7, Append(t, SourceOf({b5})));
  committed(r7, "append");
  testing::AddRows(*b5, &expected);
  ExpectRows(t, expected);

  // ---- The history, snapshot by snapshot.
  const spec::TableMetadata& md = t.metadata();
  FLOE_ASSERT_OK(md.Validate());
  ASSERT_EQ(md.snapshots.size(), operations.size());
  spec::SnapshotIndex index(md);
  auto chain = index.Ancestors(*md.current_snapshot_id);
  ASSERT_EQ(chain.size(), operations.size()) << "every snapshot is on main's line";
  std::reverse(chain.begin(), chain.end());

  std::map<std::string, std::pair<int64_t, int64_t>> added_by;  // path -> (snapshot, data seq)
  std::map<std::string, int64_t> first_row_ids;                 // v3: path -> first_row_id
  int64_t next_row_id = 0;
  const spec::Snapshot* parent = nullptr;
  std::vector<ManifestFile> parent_list;
  for (size_t i = 0; i < chain.size(); ++i) {
    const spec::Snapshot& s = *chain[i];
    SCOPED_TRACE("snapshot " + std::to_string(i + 1) + " (" + s.operation + ")");
    EXPECT_EQ(s.operation, operations[i]);
    EXPECT_EQ(s.parent_snapshot_id, parent ? std::optional<int64_t>(parent->snapshot_id)
                                           : std::nullopt);
    EXPECT_EQ(s.schema_id, 0);
    EXPECT_EQ(s.SummaryValue("engine-name"), "floe");
    if (parent) {
      EXPECT_GE(s.timestamp_ms, parent->timestamp_ms);
    }
    // Sequence numbers: 1, 2, 3... in v2+, none (0) in v1 (§Sequence Numbers).
    EXPECT_EQ(s.sequence_number, p.version >= 2 ? static_cast<int64_t>(i + 1) : 0);

    // Summary totals: parent's + added - removed (App. F), all six present.
    auto total = [&](const char* key) { return parent ? SummaryInt(*parent, key) : 0; };
    auto value = [&](const char* key) -> int64_t {
      auto v = s.SummaryValue(key);
      return v ? std::stoll(*v) : 0;
    };
    EXPECT_EQ(SummaryInt(s, "total-records"),
              total("total-records") + value("added-records") - value("deleted-records"));
    EXPECT_EQ(SummaryInt(s, "total-data-files"),
              total("total-data-files") + value("added-data-files") - value("deleted-data-files"));
    EXPECT_EQ(SummaryInt(s, "total-files-size"),
              total("total-files-size") + value("added-files-size") - value("removed-files-size"));
    EXPECT_EQ(SummaryInt(s, "total-delete-files"), 0);
    EXPECT_EQ(SummaryInt(s, "total-position-deletes"), 0);
    EXPECT_EQ(SummaryInt(s, "total-equality-deletes"), 0);

    // Time travel to the snapshot agrees with its summary and its files.
    ScanOptions at;
    at.snapshot_id = s.snapshot_id;
    FLOE_ASSERT_OK_AND_ASSIGN(int64_t count_then, testing::CountRows(t, at));
    EXPECT_EQ(count_then, SummaryInt(s, "total-records"));
    FLOE_ASSERT_OK_AND_ASSIGN(auto live, testing::LiveFiles(t, at));
    EXPECT_EQ(static_cast<int64_t>(live.size()), SummaryInt(s, "total-data-files"));
    int64_t size = 0;
    for (const auto& f : live) size += f.file_size_in_bytes;
    EXPECT_EQ(size, SummaryInt(s, "total-files-size"));

    // The manifest list: manifests from the parent are kept byte for byte
    // (same entry); new ones belong to this snapshot.
    FLOE_ASSERT_OK_AND_ASSIGN(auto list, testing::ReadList(*io, s));
    int64_t expect_row_id = next_row_id;
    int64_t assigned = 0;
    for (const ManifestFile& mf : list.manifests) {
      EXPECT_EQ(mf.content, manifest::ManifestContent::kData);
      bool is_new = mf.added_snapshot_id == s.snapshot_id;
      if (!is_new) {
        bool in_parent = std::find(parent_list.begin(), parent_list.end(), mf) != parent_list.end();
        EXPECT_TRUE(in_parent) << mf.manifest_path << " is neither new nor the parent's";
      } else {
        EXPECT_EQ(mf.sequence_number, s.sequence_number);
        EXPECT_LE(mf.min_sequence_number, mf.sequence_number);
        if (p.version >= 3) {
          // §First Row ID Assignment: consecutive ranges from the snapshot's first-row-id.
          EXPECT_EQ(mf.first_row_id, expect_row_id);
          int64_t rows = mf.added_rows_count.value_or(0) + mf.existing_rows_count.value_or(0);
          expect_row_id += rows;
          assigned += rows;
        }
      }
      // Carried manifests were checked when they were new.
      if (!is_new) continue;
      FLOE_ASSERT_OK_AND_ASSIGN(auto m, testing::ReadManifestOf(*io, md, mf));
      for (const auto& e : m.entries) {
        const std::string& path = e.data_file.file_path;
        switch (e.status) {
          case EntryStatus::kAdded:
            EXPECT_EQ(e.snapshot_id, s.snapshot_id);
            EXPECT_EQ(e.sequence_number.value_or(-1), s.sequence_number);
            EXPECT_TRUE(added_by.emplace(path, std::make_pair(s.snapshot_id, s.sequence_number))
                            .second)
                << path << " added twice";
            if (p.version >= 3) {
              EXPECT_TRUE(e.data_file.first_row_id.has_value());
              first_row_ids[path] = e.data_file.first_row_id.value_or(-1);
            }
            break;
          case EntryStatus::kExisting:
            // Rewritten manifests keep the file's original snapshot, data
            // sequence number and (v3) first row id (§Manifests, §Row Lineage).
            ASSERT_TRUE(added_by.count(path)) << path;
            EXPECT_EQ(e.snapshot_id, added_by[path].first) << path;
            if (p.version >= 2) {
              EXPECT_EQ(e.sequence_number, added_by[path].second) << path;
            }
            if (p.version >= 3) {
              EXPECT_EQ(e.data_file.first_row_id, first_row_ids[path]) << path;
            }
            break;
          case EntryStatus::kDeleted:
            EXPECT_EQ(e.snapshot_id, s.snapshot_id);
            EXPECT_TRUE(added_by.count(path)) << path;
            break;
        }
      }
    }
    if (s.operation == "append") {
      // Fast append: every manifest of the parent, unchanged, plus the new one.
      for (const ManifestFile& old : parent_list) {
        EXPECT_NE(std::find(list.manifests.begin(), list.manifests.end(), old),
                  list.manifests.end())
            << old.manifest_path << " was not carried over unchanged";
      }
      EXPECT_EQ(list.manifests.size(), parent_list.size() + 1);
    }
    if (p.version >= 3) {
      // §Row Lineage: first-row-id is the table's next-row-id before the
      // commit, added-rows the rows given ids.
      EXPECT_EQ(s.first_row_id, next_row_id);
      EXPECT_EQ(s.added_rows, assigned);
      next_row_id += s.added_rows.value_or(0);
    } else {
      EXPECT_FALSE(s.first_row_id.has_value());
    }
    parent = &s;
    parent_list = list.manifests;
  }
  if (p.version >= 2) {
    EXPECT_EQ(md.last_sequence_number, static_cast<int64_t>(chain.size()));
  }
  if (p.version >= 3) {
    EXPECT_EQ(md.next_row_id, next_row_id);
  }

  // The current snapshot's totals are the table's.
  const spec::Snapshot& cur = *md.CurrentSnapshot();
  EXPECT_EQ(SummaryInt(cur, "total-records"), static_cast<int64_t>(expected.size()));

  // Snapshot log: one entry per commit to main, at the snapshot's time.
  ASSERT_EQ(md.snapshot_log.size(), chain.size());
  for (size_t i = 0; i < chain.size(); ++i) {
    EXPECT_EQ(md.snapshot_log[i].snapshot_id, chain[i]->snapshot_id);
    EXPECT_EQ(md.snapshot_log[i].timestamp_ms, chain[i]->timestamp_ms);
  }
  // Metadata log: every earlier file in order, each with that file's
  // last-updated-ms; file names count up from 00000.
  ASSERT_EQ(md.metadata_log.size() + 1, locations.size());
  int64_t previous_ts = 0;
  for (size_t i = 0; i < md.metadata_log.size(); ++i) {
    EXPECT_EQ(md.metadata_log[i].metadata_file, locations[i]);
    EXPECT_EQ(catalog::MetadataVersion(locations[i]), static_cast<int64_t>(i));
    FLOE_ASSERT_OK_AND_ASSIGN(auto old, catalog::ReadMetadataFile(*io, locations[i]));
    EXPECT_EQ(md.metadata_log[i].timestamp_ms, old->last_updated_ms);
    EXPECT_GE(md.metadata_log[i].timestamp_ms, previous_ts);
    previous_ts = md.metadata_log[i].timestamp_ms;
  }
  EXPECT_GE(md.last_updated_ms, previous_ts);
  EXPECT_GE(md.last_updated_ms, cur.timestamp_ms);

  // Every file in the table folder is reachable from the metadata: the
  // operations left no orphans.
  FLOE_ASSERT_OK_AND_ASSIGN(auto reachable, testing::ReachableFiles(*io, t.loaded()));
  EXPECT_EQ(TableFiles(t), reachable);
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, RoundTripTest,
    ::testing::Values(Layout{1, "", "unpartitioned"}, Layout{1, "category", "identity"},
                      Layout{1, "day(ts), bucket(4, id)", "day_bucket"},
                      Layout{2, "", "unpartitioned"}, Layout{2, "category", "identity"},
                      Layout{2, "day(ts), bucket(4, id)", "day_bucket"},
                      Layout{3, "", "unpartitioned"}, Layout{3, "category", "identity"},
                      Layout{3, "day(ts), bucket(4, id)", "day_bucket"}),
    LayoutName);

using TableOpsTest = testing::TableTest;

TEST_F(TableOpsTest, ManifestCountGrowsByOnePerFastAppend) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("events", "category", 2));
  for (int i = 0; i < 5; ++i) {
    FLOE_ASSERT_OK_AND_ASSIGN(auto r, AppendIds(t, i * 10, 10));
    FLOE_ASSERT_OK_AND_ASSIGN(auto list, testing::ReadList(*t.io(), *t.metadata().CurrentSnapshot()));
    EXPECT_EQ(list.manifests.size(), static_cast<size_t>(i + 1));
    // Rows of several partitions go to one manifest per commit.
    EXPECT_GT(r.files_added, 1);
  }
  FLOE_ASSERT_OK_AND_ASSIGN(int64_t n, testing::CountRows(t));
  EXPECT_EQ(n, 50);
}

TEST_F(TableOpsTest, EmptyAppendMakesNoSnapshot) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("events"));
  std::string before = t.metadata_location();
  FLOE_ASSERT_OK_AND_ASSIGN(auto r, Append(t, SourceOf({})));
  EXPECT_FALSE(r.changed);
  FLOE_ASSERT_OK_AND_ASSIGN(auto r2, Append(t, SourceOf({EventsRange(0, 0)})));
  EXPECT_FALSE(r2.changed);
  EXPECT_EQ(t.metadata_location(), before);
  FLOE_ASSERT_OK_AND_ASSIGN(Table again, Load("events"));
  EXPECT_EQ(again.metadata_location(), before);
  EXPECT_TRUE(again.metadata().snapshots.empty());
}

TEST_F(TableOpsTest, DeleteAndOverwriteOnAnEmptyTable) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("events"));
  FLOE_ASSERT_OK_AND_ASSIGN(auto d, DeleteWhere(t, "id = 1"));
  EXPECT_FALSE(d.changed);
  auto b = EventsRange(0, 3);
  FLOE_ASSERT_OK_AND_ASSIGN(auto o, OverwriteWhere(t, "id < 100", SourceOf({b})));
  EXPECT_TRUE(o.changed);
  EXPECT_EQ(o.rows_added, 3);
  // Nothing was removed, so by the spec's definition (§Snapshots: "append:
  // only data files were added and no files were removed") it is an append.
  EXPECT_EQ(t.metadata().CurrentSnapshot()->operation, "append");
  FLOE_ASSERT_OK_AND_ASSIGN(auto rows, testing::ScanRows(t));
  EXPECT_EQ(rows, testing::RowsOf({b}));
}

TEST_F(TableOpsTest, DeleteAndOverwriteNeedAValidFilter) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("events"));
  FLOE_ASSERT_OK(AppendIds(t, 0, 10).status());
  std::string before = t.metadata_location();
  auto files = TableFiles(t);
  auto empty = DeleteWhere(t, "");
  ASSERT_FALSE(empty.ok());
  EXPECT_TRUE(empty.status().IsInvalid()) << empty.status().ToString();
  auto unknown = DeleteWhere(t, "nope = 1");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("nope"), std::string::npos)
      << unknown.status().ToString();
  auto bad_syntax = OverwriteWhere(t, "id <", SourceOf({EventsRange(50, 5)}));
  ASSERT_FALSE(bad_syntax.ok());
  auto bad_column = OverwriteWhere(t, "nope = 1", SourceOf({EventsRange(50, 5)}));
  ASSERT_FALSE(bad_column.ok());
  FLOE_ASSERT_OK_AND_ASSIGN(Table again, Load("events"));
  EXPECT_EQ(again.metadata_location(), before);
  // The overwrite wrote its new rows before the filter failed: they are gone.
  EXPECT_EQ(TableFiles(t), files);
}

TEST_F(TableOpsTest, DeletesKeepV3RowIdsOfUntouchedFiles) {
  // Two files in separate partitions; a delete drops one partition whole:
  // the other file's entry is carried (in a rewritten manifest) with its
  // first_row_id unchanged.
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("events", "category", 3));
  FLOE_ASSERT_OK(AppendIds(t, 0, 30).status());
  FLOE_ASSERT_OK_AND_ASSIGN(auto before, testing::LiveFiles(t));
  std::map<std::string, std::optional<int64_t>> ids_before;
  for (const auto& f : before) ids_before[f.file_path] = f.first_row_id;
  FLOE_ASSERT_OK_AND_ASSIGN(auto r, DeleteWhere(t, "category = 'a'"));
  EXPECT_EQ(r.files_rewritten, 0);
  FLOE_ASSERT_OK_AND_ASSIGN(auto after, testing::LiveFiles(t));
  ASSERT_EQ(after.size() + 1, before.size());
  for (const auto& f : after) {
    ASSERT_TRUE(ids_before.count(f.file_path));
    EXPECT_EQ(f.first_row_id, ids_before[f.file_path]) << f.file_path;
  }
  // The rewritten manifest's existing rows take a new range too (spec §First
  // Row ID Assignment counts added and existing rows).
  EXPECT_EQ(t.metadata().next_row_id, 30 + (30 - r.rows_deleted));
}

TEST_F(TableOpsTest, SnapshotSummaryOfAnAppend) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("events", "category"));
  FLOE_ASSERT_OK_AND_ASSIGN(auto r, AppendIds(t, 0, 21));
  const spec::Snapshot& s = *t.metadata().CurrentSnapshot();
  EXPECT_EQ(SummaryInt(s, "added-records"), 21);
  EXPECT_EQ(SummaryInt(s, "total-records"), 21);
  EXPECT_EQ(SummaryInt(s, "added-data-files"), r.files_added);
  EXPECT_EQ(SummaryInt(s, "total-data-files"), r.files_added);
  // Categories a, b, c and null: four partitions.
  EXPECT_EQ(r.files_added, 4);
  EXPECT_EQ(SummaryInt(s, "changed-partition-count"), 4);
  EXPECT_GT(SummaryInt(s, "added-files-size"), 0);
  EXPECT_EQ(SummaryInt(s, "added-files-size"), SummaryInt(s, "total-files-size"));
  EXPECT_FALSE(s.SummaryValue("deleted-records").has_value());
}

TEST_F(TableOpsTest, MetadataLogIsTrimmedAndOldFilesDeletedWhenAsked) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t,
                            Create("events", "", 2,
                                   {{"write.metadata.previous-versions-max", "2"},
                                    {"write.metadata.delete-after-commit.enabled", "true"}}));
  std::vector<std::string> locations{t.metadata_location()};
  for (int i = 0; i < 4; ++i) {
    FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
    locations.push_back(t.metadata_location());
  }
  const auto& log = t.metadata().metadata_log;
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].metadata_file, locations[2]);
  EXPECT_EQ(log[1].metadata_file, locations[3]);
  auto files = TableFiles(t);
  EXPECT_FALSE(files.count(locations[0]));
  EXPECT_FALSE(files.count(locations[1]));
  for (size_t i = 2; i < locations.size(); ++i) EXPECT_TRUE(files.count(locations[i])) << i;
  // Snapshots are not expired by this: all four are readable.
  ScanOptions first;
  first.snapshot_id = t.metadata().snapshots.front().snapshot_id;
  FLOE_ASSERT_OK_AND_ASSIGN(int64_t n, testing::CountRows(t, first));
  EXPECT_EQ(n, 10);
}

}  // namespace
}  // namespace floe::table
