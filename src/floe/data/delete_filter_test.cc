#include "floe/data/delete_filter.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include "floe/data/parquet_test_util.h"
#include "floe/puffin/deletion_vector.h"
#include "floe/puffin/puffin_file.h"
#include "support/status_assertions.h"

namespace floe::data {
namespace {

using spec::NestedField;
using spec::Type;
using testing::Batch;

std::vector<bool> Bools(const arrow::BooleanArray& a) {
  std::vector<bool> out;
  for (int64_t i = 0; i < a.length(); ++i) out.push_back(a.Value(i));
  return out;
}

TEST(EncodeKeys, EqualTuplesGiveEqualKeysAndNullEqualsNull) {
  spec::Schema schema(0, {NestedField{1, "id", false, Type::Long()},
                          NestedField{2, "name", false, Type::String()}});
  auto batch = Batch(schema, {"[1, 1, null, null, 1, 12]", R"(["a", "a", null, "a", null, "a"])"});
  FLOE_ASSERT_OK_AND_ASSIGN(auto keys, EncodeKeys(*batch, {0, 1}));
  EXPECT_EQ(keys[0], keys[1]);
  EXPECT_NE(keys[0], keys[2]);
  EXPECT_NE(keys[2], keys[3]);
  EXPECT_NE(keys[0], keys[4]);
  EXPECT_NE(keys[0], keys[5]);
  // ("1", "2a") vs ("12", "a")-style run-ins cannot collide: lengths are encoded.
  spec::Schema strings(0, {NestedField{1, "a", false, Type::String()},
                           NestedField{2, "b", false, Type::String()}});
  auto run_in = Batch(strings, {R"(["x", "xy"])", R"(["yz", "z"])"});
  FLOE_ASSERT_OK_AND_ASSIGN(auto k2, EncodeKeys(*run_in, {0, 1}));
  EXPECT_NE(k2[0], k2[1]);
}

TEST(DeleteFilter, AppliesPositionFilesDeletionVectorsAndEqualityDeletes) {
  floe::testing::TempDir dir;
  auto io = io::MakeLocalFileIO();
  const std::string data_path = "file:///warehouse/t/data/a.parquet";
  // A position delete file covering two data files.
  auto pos_files = testing::WriteFiles(
      PositionDeleteSchema(),
      {Batch(PositionDeleteSchema(),
             {R"([")" + data_path + R"(", ")" + data_path + R"(", "file:///other.parquet"])",
              "[7, 2, 3]"})},
      dir);
  ASSERT_EQ(pos_files.size(), 1u);
  manifest::DataFile pos = pos_files[0];
  pos.content = manifest::FileContent::kPositionDeletes;

  // A deletion vector for the same data file, in a Puffin file.
  puffin::DeletionVector dv;
  FLOE_ASSERT_OK(dv.Add(2));
  FLOE_ASSERT_OK(dv.Add(4));
  puffin::Writer writer;
  puffin::BlobMetadata meta;
  meta.type = std::string(puffin::kDeletionVectorV1);
  FLOE_ASSERT_OK(writer.Add(dv.Serialize(), meta));
  const std::string puffin_path = (dir.path() / "dv.puffin").string();
  FLOE_ASSERT_OK(io->WriteNewFile(puffin_path, writer.Finish("test")));
  manifest::DataFile dv_file;
  dv_file.content = manifest::FileContent::kPositionDeletes;
  dv_file.file_format = manifest::FileFormat::kPuffin;
  dv_file.file_path = puffin_path;
  dv_file.referenced_data_file = data_path;
  dv_file.content_offset = writer.blobs()[0].offset;
  dv_file.content_size_in_bytes = writer.blobs()[0].length;
  dv_file.record_count = 2;

  // Equality deletes on name, one of them null.
  spec::Schema table(0, {NestedField{1, "id", true, Type::Long()},
                         NestedField{2, "name", false, Type::String()}});
  floe::testing::TempDir eq_dir;
  auto eq_files = testing::WriteFiles(
      spec::Schema(0, {NestedField{2, "name", false, Type::String()}}),
      {Batch(spec::Schema(0, {NestedField{2, "name", false, Type::String()}}),
             {R"(["gone", null])"})},
      eq_dir);
  manifest::DataFile eq = eq_files[0];
  eq.content = manifest::FileContent::kEqualityDeletes;
  eq.equality_ids = std::vector<int32_t>{2};

  DeleteLoader loader(io, [&](int32_t id) -> std::optional<NestedField> {
    if (const NestedField* f = table.FindField(id)) return *f;
    return std::nullopt;
  });
  auto batch = Batch(table, {"[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]",
                             R"(["a", "b", "c", "gone", "e", null, "g", "h", "i", "j"])"});
  // Rows are positions 0-4 and 7-11 of the file (a skipped gap).
  std::vector<RowRange> ranges{{0, 5}, {7, 5}};
  {
    FLOE_ASSERT_OK_AND_ASSIGN(
        auto filter, DeleteFilter::Make(&loader, data_path,
                                        {std::make_shared<const manifest::DataFile>(pos),
                                         std::make_shared<const manifest::DataFile>(dv_file),
                                         std::make_shared<const manifest::DataFile>(eq)}));
    EXPECT_EQ(filter.positions(), (PositionList{2, 4, 7}));
    EXPECT_EQ(filter.EqualityFieldIds(), (std::vector<int32_t>{2}));
    int64_t deleted = 0;
    FLOE_ASSERT_OK_AND_ASSIGN(auto mask, filter.KeepMask(*batch, ranges, &deleted));
    // Positions 2, 4, 7 (rows 2, 4, 5), "gone" (row 3), null (row 5).
    EXPECT_EQ(Bools(*mask), (std::vector<bool>{true, true, false, false, false, false, true,
                                               true, true, true}));
    EXPECT_EQ(deleted, 4);
    EXPECT_EQ(filter.DeletedPositionsBelow(5), 2);
  }
  // The other data file in the position delete file gets only its own rows.
  FLOE_ASSERT_OK_AND_ASSIGN(auto other, loader.Positions(pos, "file:///other.parquet"));
  EXPECT_EQ(*other, (PositionList{3}));
  EXPECT_EQ(loader.files_loaded(), 3);  // each delete file read once

  // A DV whose manifest count disagrees with its bitmap is refused.
  dv_file.record_count = 3;
  dv_file.content_offset = *dv_file.content_offset;  // same blob, new cache key below
  dv_file.file_path = puffin_path;
  DeleteLoader fresh(io, [](int32_t) { return std::nullopt; });
  auto bad = fresh.Positions(dv_file, data_path);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("manifest entry says 3"), std::string::npos)
      << bad.status().ToString();
}

}  // namespace
}  // namespace floe::data
