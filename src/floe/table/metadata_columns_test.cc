// Metadata columns selected in scans: _file, _pos, _spec_id, _partition.
#include "floe/table/metadata_columns.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include "floe/table/table_test_util.h"

namespace floe::table {
namespace {

class MetadataColumnsTest : public testing::TableTest {};

TEST_F(MetadataColumnsTest, NameTheFileThePositionAndThePartitionOfEachRow) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", "category", 2));
  FLOE_ASSERT_OK(AppendIds(t, 0, 30).status());
  ScanOptions o;
  o.columns = {"_partition", "id", "_file", "_pos", "_spec_id"};
  FLOE_ASSERT_OK_AND_ASSIGN(auto scan, TableScan::Make(t, o));
  FLOE_ASSERT_OK_AND_ASSIGN(auto result, scan->ToTable());
  ASSERT_EQ(result->num_columns(), 5);
  EXPECT_EQ(result->schema()->field(0)->name(), "_partition");  // in the order asked
  EXPECT_EQ(result->schema()->field(2)->name(), "_file");
  ASSERT_EQ(result->num_rows(), 30);
  FLOE_ASSERT_OK_AND_ASSIGN(auto files, testing::LiveFiles(t));
  std::set<std::string> paths;
  for (const auto& f : files) paths.insert(f.file_path);
  // Within each file, positions count 0, 1, 2, ... and the partition is the file's.
  std::map<std::string, int64_t> next_pos;
  auto combined = result->CombineChunksToBatch();
  ASSERT_TRUE(combined.ok());
  const auto& part = static_cast<const arrow::StructArray&>(*(*combined)->column(0));
  const auto& ids = static_cast<const arrow::Int64Array&>(*(*combined)->column(1));
  const auto& file = static_cast<const arrow::StringArray&>(*(*combined)->column(2));
  const auto& pos = static_cast<const arrow::Int64Array&>(*(*combined)->column(3));
  const auto& spec = static_cast<const arrow::Int32Array&>(*(*combined)->column(4));
  const auto& cat = static_cast<const arrow::StringArray&>(*part.field(0));
  for (int64_t i = 0; i < ids.length(); ++i) {
    std::string f(file.GetView(i));
    EXPECT_TRUE(paths.count(f)) << f;
    EXPECT_EQ(pos.Value(i), next_pos[f]++);
    EXPECT_EQ(spec.Value(i), 0);
    auto want = testing::CategoryOf(ids.Value(i));
    if (want) {
      EXPECT_EQ(cat.GetView(i), *want);
    } else {
      EXPECT_TRUE(cat.IsNull(i));
    }
  }
  EXPECT_EQ(next_pos.size(), paths.size());
}

TEST_F(MetadataColumnsTest, WorkOnUnpartitionedTablesWithFiltersAndDeletes) {
  FLOE_ASSERT_OK_AND_ASSIGN(
      Table t, Create("t", "", 3, {{"write.delete.mode", "merge-on-read"}}));
  FLOE_ASSERT_OK(AppendIds(t, 0, 20).status());
  FLOE_ASSERT_OK(DeleteWhere(t, "id = 4").status());
  ScanOptions o;
  o.columns = {"id", "_pos", "_partition"};
  o.filter = "id >= 3 and id < 7";
  FLOE_ASSERT_OK_AND_ASSIGN(auto scan, TableScan::Make(t, o));
  FLOE_ASSERT_OK_AND_ASSIGN(auto result, scan->ToTable());
  auto batch = *result->CombineChunksToBatch();
  ASSERT_EQ(batch->num_rows(), 3);  // 3, 5, 6: row 4 is deleted
  const auto& pos = static_cast<const arrow::Int64Array&>(*batch->column(1));
  EXPECT_EQ(pos.Value(0), 3);
  EXPECT_EQ(pos.Value(1), 5);
  EXPECT_EQ(pos.Value(2), 6);
  EXPECT_EQ(scan->report().rows_deleted, 1);
  EXPECT_EQ(scan->report().delete_files, 1);
}

TEST_F(MetadataColumnsTest, ATableColumnOfTheSameNameWins) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", "", 2, {}, "id long not null, _file string"));
  auto batch = arrow::RecordBatch::Make(
      arrow::schema({arrow::field("id", arrow::int64(), false), arrow::field("_file", arrow::utf8())}),
      1, {*arrow::MakeArrayFromScalar(arrow::Int64Scalar(1), 1),
          *arrow::MakeArrayFromScalar(arrow::StringScalar("mine"), 1)});
  FLOE_ASSERT_OK(Append(t, testing::SourceOf({batch})).status());
  ScanOptions o;
  o.columns = {"_file"};
  FLOE_ASSERT_OK_AND_ASSIGN(auto scan, TableScan::Make(t, o));
  FLOE_ASSERT_OK_AND_ASSIGN(auto result, scan->ToTable());
  auto col = std::static_pointer_cast<arrow::StringArray>(result->column(0)->chunk(0));
  EXPECT_EQ(col->GetView(0), "mine");
}

}  // namespace
}  // namespace floe::table
