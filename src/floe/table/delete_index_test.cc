// The delete scope rules of spec §Scan Planning, one case each.
#include "floe/table/delete_index.h"

#include <gtest/gtest.h>

#include "support/status_assertions.h"

namespace floe::table {
namespace {

using manifest::DataFile;
using manifest::FileContent;
using manifest::FileFormat;
using spec::Literal;

spec::TableMetadata TwoSpecs() {
  spec::TableMetadata md;
  md.format_version = 2;
  md.schemas.push_back(spec::Schema(0, {spec::NestedField{1, "id", true, spec::Type::Long()},
                                        spec::NestedField{2, "d", true, spec::Type::Date()}}));
  md.current_schema_id = 0;
  md.partition_specs.push_back(spec::PartitionSpec(0, {}));  // unpartitioned
  spec::PartitionField by_day;
  by_day.source_id = 2;
  by_day.field_id = 1000;
  by_day.name = "d";
  by_day.transform = spec::Transform::Identity();
  md.partition_specs.push_back(spec::PartitionSpec(1, {by_day}));
  md.default_spec_id = 1;
  return md;
}

DataFile File(std::string path, FileContent content, int32_t spec_id, std::vector<Literal> partition) {
  DataFile f;
  f.file_path = std::move(path);
  f.content = content;
  f.spec_id = spec_id;
  f.partition = std::move(partition);
  if (content == FileContent::kEqualityDeletes) f.equality_ids = std::vector<int32_t>{1};
  return f;
}

DeleteFileEntry Entry(DataFile f, int64_t seq) {
  return {std::make_shared<const DataFile>(std::move(f)), seq};
}

std::vector<std::string> Paths(const std::vector<std::shared_ptr<const DataFile>>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f->file_path);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(DeleteIndex, AppliesEachKindWithinItsScope) {
  spec::TableMetadata md = TwoSpecs();
  const Literal day1 = Literal::Int(19715), day2 = Literal::Int(19716);
  std::vector<DeleteFileEntry> deletes;
  // Partition-scoped position deletes (no referenced file, no equal bounds).
  deletes.push_back(Entry(File("pos-day1", FileContent::kPositionDeletes, 1, {day1}), 5));
  // File-scoped position deletes.
  DataFile scoped = File("pos-a", FileContent::kPositionDeletes, 1, {day1});
  scoped.referenced_data_file = "a.parquet";
  deletes.push_back(Entry(scoped, 5));
  // File-scoped through equal file_path bounds [Java].
  DataFile bounded = File("pos-b", FileContent::kPositionDeletes, 1, {day1});
  bounded.lower_bounds = std::vector<std::pair<int32_t, std::string>>{{2147483546, "b.parquet"}};
  bounded.upper_bounds = bounded.lower_bounds;
  deletes.push_back(Entry(bounded, 5));
  // Equality deletes in day 1, and global ones (unpartitioned spec).
  deletes.push_back(Entry(File("eq-day1", FileContent::kEqualityDeletes, 1, {day1}), 5));
  deletes.push_back(Entry(File("eq-global", FileContent::kEqualityDeletes, 0, {}), 5));
  FLOE_ASSERT_OK_AND_ASSIGN(DeleteIndex index, DeleteIndex::Make(md, deletes));
  EXPECT_EQ(index.size(), 5u);

  DataFile a = File("a.parquet", FileContent::kData, 1, {day1});
  // Older data: everything in scope applies.
  EXPECT_EQ(Paths(index.ForDataFile(a, 4)),
            (std::vector<std::string>{"eq-day1", "eq-global", "pos-a", "pos-day1"}));
  // Same sequence number: position deletes apply (<=), equality deletes do not (<).
  EXPECT_EQ(Paths(index.ForDataFile(a, 5)), (std::vector<std::string>{"pos-a", "pos-day1"}));
  // Newer data: nothing applies.
  EXPECT_TRUE(index.ForDataFile(a, 6).empty());
  // Another partition: only the global equality delete.
  DataFile c = File("c.parquet", FileContent::kData, 1, {day2});
  EXPECT_EQ(Paths(index.ForDataFile(c, 1)), (std::vector<std::string>{"eq-global"}));
  // Same values, other spec: a different partition.
  DataFile d = File("d.parquet", FileContent::kData, 0, {});
  EXPECT_EQ(Paths(index.ForDataFile(d, 1)), (std::vector<std::string>{"eq-global"}));
  DataFile b = File("b.parquet", FileContent::kData, 1, {day1});
  EXPECT_EQ(Paths(index.ForDataFile(b, 1)),
            (std::vector<std::string>{"eq-day1", "eq-global", "pos-b", "pos-day1"}));
}

TEST(DeleteIndex, ADeletionVectorReplacesPositionDeleteFiles) {
  spec::TableMetadata md = TwoSpecs();
  md.format_version = 3;
  const Literal day1 = Literal::Int(19715);
  DataFile dv = File("dvs.puffin", FileContent::kPositionDeletes, 1, {day1});
  dv.file_format = FileFormat::kPuffin;
  dv.referenced_data_file = "a.parquet";
  dv.content_offset = 4;
  dv.content_size_in_bytes = 40;
  std::vector<DeleteFileEntry> deletes{
      Entry(dv, 7), Entry(File("pos-day1", FileContent::kPositionDeletes, 1, {day1}), 5)};
  FLOE_ASSERT_OK_AND_ASSIGN(DeleteIndex index, DeleteIndex::Make(md, deletes));
  DataFile a = File("a.parquet", FileContent::kData, 1, {day1});
  EXPECT_EQ(Paths(index.ForDataFile(a, 3)), (std::vector<std::string>{"dvs.puffin"}));
  // A DV older than the data file does not apply, so the v2 file does again.
  EXPECT_EQ(Paths(index.ForDataFile(a, 8)), (std::vector<std::string>{}));
  DataFile other = File("o.parquet", FileContent::kData, 1, {day1});
  EXPECT_EQ(Paths(index.ForDataFile(other, 3)), (std::vector<std::string>{"pos-day1"}));
}

TEST(DeleteIndex, MatchesDataFilesByAnySpellingOfTheirPath) {
  // Hadoop writers say s3a://, S3FileIO s3://; a moved table reads two old
  // prefixes mapped to one place. A DV or file-scoped delete still applies.
  spec::TableMetadata md = TwoSpecs();
  md.format_version = 3;
  const Literal day1 = Literal::Int(19715);
  DataFile dv = File("dvs.puffin", FileContent::kPositionDeletes, 1, {day1});
  dv.file_format = FileFormat::kPuffin;
  dv.referenced_data_file = "s3a://bucket/t//data/a.parquet";
  dv.content_offset = 4;
  dv.content_size_in_bytes = 40;
  DataFile pos = File("pos.parquet", FileContent::kPositionDeletes, 1, {day1});
  pos.referenced_data_file = "hdfs://nn:8020/wh/t/data/b.parquet";
  std::vector<DeleteFileEntry> deletes{Entry(dv, 7), Entry(pos, 7)};
  FLOE_ASSERT_OK_AND_ASSIGN(DeleteIndex plain, DeleteIndex::Make(md, deletes));
  EXPECT_EQ(Paths(plain.ForDataFile(File("s3://bucket/t/data/a.parquet", FileContent::kData, 1, {day1}), 3)),
            (std::vector<std::string>{"dvs.puffin"}));
  // Without a mapping, another authority is another file.
  EXPECT_TRUE(plain.ForDataFile(File("s3://other/t/data/a.parquet", FileContent::kData, 1, {day1}), 3).empty());
  auto mapped = io::MakePathMappingFileIO(io::MakeLocalFileIO(), {{"hdfs://nn:8020/wh/", "file:///data/wh/"},
                                                                   {"s3://old/wh/", "/data/wh/"}});
  FLOE_ASSERT_OK_AND_ASSIGN(DeleteIndex index, DeleteIndex::Make(md, deletes, mapped));
  EXPECT_EQ(Paths(index.ForDataFile(File("s3://old/wh/t/data/b.parquet", FileContent::kData, 1, {day1}), 3)),
            (std::vector<std::string>{"pos.parquet"}));
  EXPECT_TRUE(index.ForDataFile(File("s3://old/wh/t/data/c.parquet", FileContent::kData, 1, {day1}), 3).empty());
}

TEST(DeleteIndex, RefusesEntriesThatBreakTheSpec) {
  spec::TableMetadata md = TwoSpecs();
  DataFile dv = File("dvs.puffin", FileContent::kPositionDeletes, 1, {Literal::Int(1)});
  dv.file_format = FileFormat::kPuffin;
  auto r = DeleteIndex::Make(md, {Entry(dv, 1)});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("referenced_data_file"), std::string::npos);
  DataFile eq = File("eq", FileContent::kEqualityDeletes, 1, {Literal::Int(1)});
  eq.equality_ids.reset();
  r = DeleteIndex::Make(md, {Entry(eq, 1)});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("equality_ids"), std::string::npos);
}

}  // namespace
}  // namespace floe::table
