// Table path rewrites: a copy under another prefix reads the same rows at
// every snapshot (position deletes, DVs and equality deletes included), its
// metadata names only the new prefix, the source is untouched, and paths
// outside --from are refused.
#include "floe/maintenance/table_path_rewrite.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "floe/catalog/metadata_files.h"
#include "floe/table/reachable_files.h"
#include "floe/table/row_level.h"
#include "floe/table/table_test_util.h"

namespace floe::maintenance {
namespace {

using table::Table;
using table::testing::EventsBatch;
using table::testing::RowMap;
using table::testing::SourceOf;

class TablePathRewriteTest : public table::testing::TableTest {};

TEST_F(TablePathRewriteTest, TheCopyReadsTheSameRowsAtEverySnapshot) {
  for (int version : {2, 3}) {
    SCOPED_TRACE("v" + std::to_string(version));
    const std::string name = "t" + std::to_string(version);
    FLOE_ASSERT_OK_AND_ASSIGN(
        Table t, Create(name, "category", version,
                        {{"write.delete.mode", "merge-on-read"}, {"write.merge.mode", "merge-on-read"}}));
    for (int i = 0; i < 3; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
    FLOE_ASSERT_OK(table::DeleteWhere(t, "id in (1, 12, 25)").status());
    table::UpsertOptions uo;
    uo.key_columns = {"id", "category"};
    uo.equality_deletes = true;
    FLOE_ASSERT_OK(table::Upsert(t, SourceOf({EventsBatch({4, 14})}), uo).status());
    const auto source_files = TableFiles(t);

    const std::string from = t.metadata().location;
    const std::string to = "file://" + temp_.Join("moved/" + name);
    TablePathRewriteOptions o;
    o.from = from;
    o.to = to;
    o.copy_data = true;
    FLOE_ASSERT_OK_AND_ASSIGN(auto r, RewriteTablePath(t.loaded(), t.io(), t.io(), o));
    EXPECT_EQ(TableFiles(t), source_files);  // the source is only read
    EXPECT_GT(r.delete_files_rewritten, 0);

    FLOE_ASSERT_OK(catalog_->RegisterTable(Id(name + "_copy"), r.metadata_location).status());
    FLOE_ASSERT_OK_AND_ASSIGN(Table copy, Load(name + "_copy"));
    EXPECT_EQ(copy.metadata().location, to);
    for (const spec::Snapshot& s : t.metadata().snapshots) {
      table::ScanOptions so;
      so.snapshot_id = s.snapshot_id;
      FLOE_ASSERT_OK_AND_ASSIGN(RowMap a, table::testing::ScanRows(t, so));
      FLOE_ASSERT_OK_AND_ASSIGN(RowMap b, table::testing::ScanRows(copy, so));
      EXPECT_EQ(a, b) << "snapshot " << s.snapshot_id;
    }
    // Nothing the copy reaches lies under the old prefix.
    FLOE_ASSERT_OK_AND_ASSIGN(auto reachable, table::AllReachableFiles(copy.loaded(), *copy.io(), 2, true));
    for (const auto& f : reachable) EXPECT_EQ(f.rfind(to, 0), 0u) << f;
    // A second rewrite into the same place refuses to overwrite.
    auto again = RewriteTablePath(t.loaded(), t.io(), t.io(), o);
    ASSERT_FALSE(again.ok());
    EXPECT_TRUE(again.status().IsAlreadyExists()) << again.status().ToString();
  }
}

TEST_F(TablePathRewriteTest, PathsOutsideTheSourcePrefixAreRefused) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t"));
  FLOE_ASSERT_OK(AppendIds(t, 0, 10).status());
  TablePathRewriteOptions o;
  o.from = "s3://elsewhere/";
  o.to = "file://" + temp_.Join("x");
  auto r = RewriteTablePath(t.loaded(), t.io(), t.io(), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a prefix of the table location"), std::string::npos);
}

}  // namespace
}  // namespace floe::maintenance
