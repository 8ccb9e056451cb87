// ParquetReader: projection by field id (§Column Projection), promotions,
// constants and defaults, row group skipping, name mapping, parallel reads.
#include "floe/data/parquet_reader.h"

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <gtest/gtest.h>
#include <parquet/arrow/writer.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "floe/data/parquet_test_util.h"
#include "floe/spec/json.h"
#include "floe/spec/table_metadata.h"

namespace floe::data {
namespace {

using spec::Literal;
using spec::NestedField;
using spec::Type;
using testing::Batch;
using testing::Json;
using testing::WriteFiles;

Result<std::shared_ptr<arrow::Table>> Read(const std::string& path, const spec::Schema& schema,
                                           ParquetReadOptions options = {}) {
  return ReadParquetTable(io::MakeLocalFileIO(), path, schema, std::move(options));
}

std::shared_ptr<arrow::Table> ReadOk(const std::string& path, const spec::Schema& schema,
                                     ParquetReadOptions options = {}) {
  auto t = Read(path, schema, std::move(options));
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  if (!t.ok()) return nullptr;
  EXPECT_TRUE((*t)->ValidateFull().ok());
  EXPECT_TRUE((*t)->schema()->Equals(**ToArrowSchema(schema), /*check_metadata=*/true))
      << (*t)->schema()->ToString(true);
  return *t;
}

std::string Column(const std::shared_ptr<arrow::Table>& t, int i) {
  return testing::Show(**arrow::Concatenate(t->column(i)->chunks()));
}

std::string WriteOne(const spec::Schema& schema, const std::vector<std::string>& columns,
                     const floe::testing::TempDir& dir,
                     std::map<std::string, std::string> props = {}) {
  auto files = WriteFiles(schema, {Batch(schema, columns)}, dir, std::move(props));
  EXPECT_EQ(files.size(), 1u);
  return files.empty() ? "" : files[0].file_path;
}

TEST(ParquetReader, ProjectsByIdAsTheSpecExample) {
  // §Column Projection: a file written with 1: a int, 2: b string, 3: c double
  // read with 3: measurement, 2: name, 4: a selects c, b and a null column.
  spec::Schema written(0, {NestedField{1, "a", false, Type::Int()},
                           NestedField{2, "b", false, Type::String()},
                           NestedField{3, "c", false, Type::Double()}});
  floe::testing::TempDir dir;
  auto path = WriteOne(written, {"[1, 2]", R"(["x", "y"])", "[1.5, 2.5]"}, dir);
  spec::Schema read(1, {NestedField{3, "measurement", false, Type::Double()},
                        NestedField{2, "name", false, Type::String()},
                        NestedField{4, "a", false, Type::Int()}});
  auto t = ReadOk(path, read);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->schema()->field(0)->name(), "measurement");
  EXPECT_EQ(Column(t, 0), "[1.5, 2.5]");
  EXPECT_EQ(Column(t, 1), "[x, y]");
  EXPECT_EQ(Column(t, 2), "[null, null]");
}

TEST(ParquetReader, PromotesTypes) {
  spec::Schema written(0, {NestedField{1, "i", false, Type::Int()},
                           NestedField{2, "f", false, Type::Float()},
                           NestedField{3, "d", false, Type::Decimal(9, 2)},
                           NestedField{4, "day", false, Type::Date()},
                           NestedField{5, "day2", false, Type::Date()}});
  floe::testing::TempDir dir;
  auto path = WriteOne(written, {"[-5, null]", "[1.5, null]", R"(["14.20", null])",
                                 "[1, null]", "[-1, null]"}, dir);
  spec::Schema read(1, {NestedField{1, "i", false, Type::Long()},
                        NestedField{2, "f", false, Type::Double()},
                        NestedField{3, "d", false, Type::Decimal(20, 2)},
                        NestedField{4, "day", false, Type::Timestamp()},
                        NestedField{5, "day2", false, Type::TimestampNs()}});
  auto t = ReadOk(path, read);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(Column(t, 0), "[-5, null]");
  EXPECT_EQ(Column(t, 1), "[1.5, null]");
  EXPECT_EQ(Column(t, 2), "[14.20, null]");
  EXPECT_EQ(Column(t, 3), "[1970-01-02 00:00:00.000000, null]");
  EXPECT_EQ(Column(t, 4), "[1969-12-31 00:00:00.000000000, null]");

  // Incompatible types are refused, naming the file and the field.
  spec::Schema bad(1, {NestedField{2, "f", false, Type::Int()}});
  auto r = Read(path, bad);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalid());
  EXPECT_NE(r.status().message().find(path), std::string::npos);
  EXPECT_NE(r.status().message().find("field id 2"), std::string::npos) << r.status().message();
}

spec::Schema NestedWritten() {
  return spec::Schema(
      0, {NestedField{1, "id", true, Type::Long()},
          NestedField{2, "payload", false,
                      Type::Struct({NestedField{3, "source", false, Type::String()},
                                    NestedField{4, "count", false, Type::Int()},
                                    NestedField{5, "gone", false, Type::String()}})},
          NestedField{6, "points", false,
                      Type::List(NestedField{7, "element", false,
                                             Type::Struct({NestedField{8, "x", false, Type::Int()},
                                                           NestedField{9, "y", false,
                                                                       Type::Int()}})})},
          NestedField{10, "attrs", false,
                      Type::Map(NestedField{11, "key", true, Type::String()},
                                NestedField{12, "value", false,
                                            Type::Struct({NestedField{13, "v", false,
                                                                      Type::Int()}})})}});
}

TEST(ParquetReader, ProjectsNestedFieldsById) {
  floe::testing::TempDir dir;
  auto path = WriteOne(NestedWritten(),
                       {"[1, 2]",
                        R"([{"source": "web", "count": 3, "gone": "g"}, null])",
                        R"([[{"x": 1, "y": 2}], null])",
                        R"([[["k", {"v": 5}]], null])"},
                       dir);
  // Renamed, reordered, dropped and added fields at every level; int -> long
  // inside a list.
  spec::Schema read(
      1, {NestedField{10, "attributes", false,
                      Type::Map(NestedField{11, "key", true, Type::String()},
                                NestedField{12, "value", false,
                                            Type::Struct({NestedField{14, "w", false,
                                                                      Type::String()},
                                                          NestedField{13, "v", false,
                                                                      Type::Long()}})})},
          NestedField{2, "payload", false,
                      Type::Struct({NestedField{4, "n", false, Type::Long()},
                                    NestedField{15, "added", false, Type::Boolean()},
                                    NestedField{3, "origin", false, Type::String()}})},
          NestedField{6, "points", false,
                      Type::List(NestedField{7, "element", false,
                                             Type::Struct({NestedField{9, "y", false,
                                                                       Type::Long()}})})},
          NestedField{16, "new_struct", false,
                      Type::Struct({NestedField{17, "z", false, Type::Int()}})}});
  auto t = ReadOk(path, read);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(Column(t, 0), "[[{key:k, value:{w:null, v:5}}], null]");
  EXPECT_EQ(Column(t, 1), "[{n:3, added:null, origin:web}, null]");
  EXPECT_EQ(Column(t, 2), "[[{y:2}], null]");
  EXPECT_EQ(Column(t, 3), "[null, null]");

  // A struct whose projected fields are all missing keeps its own nulls.
  spec::Schema only_new(
      1, {NestedField{2, "payload", false,
                      Type::Struct({NestedField{18, "fresh", false, Type::Int()}})}});
  auto t2 = ReadOk(path, only_new);
  ASSERT_NE(t2, nullptr);
  EXPECT_EQ(Column(t2, 0), "[{fresh:null}, null]");
}

TEST(ParquetReader, FillsMissingFieldsWithConstantsAndDefaults) {
  spec::Schema written(0, {NestedField{1, "id", true, Type::Long()}});
  floe::testing::TempDir dir;
  auto path = WriteOne(written, {"[1, 2, 3]"}, dir);
  NestedField with_default{3, "level", false, Type::Int()};
  with_default.initial_default = "7";
  NestedField required_default{4, "flag", true, Type::Boolean()};
  required_default.initial_default = "true";
  NestedField child_default{6, "a", false, Type::String()};
  child_default.initial_default = "\"x\"";
  NestedField struct_default{5, "s", false, Type::Struct({child_default})};
  struct_default.initial_default = "{}";
  spec::Schema read(1, {NestedField{1, "id", true, Type::Long()},
                        NestedField{2, "region", false, Type::String()}, with_default,
                        required_default, struct_default,
                        NestedField{7, "ts", false, Type::TimestampTz()},
                        NestedField{8, "u", false, Type::Unknown()}});
  ParquetReadOptions options;
  options.constants[2] = Literal::String("eu");     // an identity partition value
  options.constants[7] = Literal::Long(1000000);   // 1970-01-01T00:00:01Z
  auto t = ReadOk(path, read, options);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(Column(t, 1), "[eu, eu, eu]");
  EXPECT_EQ(Column(t, 2), "[7, 7, 7]");
  EXPECT_EQ(Column(t, 3), "[true, true, true]");
  EXPECT_EQ(Column(t, 4), "[{a:x}, {a:x}, {a:x}]");
  EXPECT_EQ(Column(t, 5), "[1970-01-01 00:00:01.000000Z, 1970-01-01 00:00:01.000000Z, "
                          "1970-01-01 00:00:01.000000Z]");
  EXPECT_EQ(Column(t, 6), "[null, null, null]");

  // A required field with no value is an error; so is a constant of the wrong type.
  spec::Schema required(1, {NestedField{9, "must", true, Type::Int()}});
  auto r = Read(path, required);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("required field id 9 ('must')"), std::string::npos)
      << r.status().message();
  ParquetReadOptions wrong;
  wrong.constants[2] = Literal::Int(5);
  auto r2 = Read(path, read, wrong);
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.status().message().find("constant for field id 2"), std::string::npos)
      << r2.status().message();
}

TEST(ParquetReader, EmptyProjectionCountsRows) {
  spec::Schema written(0, {NestedField{1, "id", true, Type::Long()}});
  floe::testing::TempDir dir;
  auto path = WriteOne(written, {"[1, 2, 3]"}, dir);
  auto t = ReadOk(path, spec::Schema(1, {}));
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->num_rows(), 3);
  auto only_missing = ReadOk(path, spec::Schema(1, {NestedField{2, "x", false, Type::Int()}}));
  ASSERT_NE(only_missing, nullptr);
  EXPECT_EQ(Column(only_missing, 0), "[null, null, null]");
}

spec::Schema Sorted() {
  return spec::Schema(0, {NestedField{1, "id", true, Type::Int()},
                          NestedField{2, "name", false, Type::String()},
                          NestedField{3, "ts", false, Type::TimestampTz()},
                          NestedField{4, "amount", false, Type::Decimal(10, 2)},
                          NestedField{5, "ratio", false, Type::Float()}});
}

// 10 row groups of 100 rows, ids 0..999 ascending.
std::string WriteSorted(const floe::testing::TempDir& dir) {
  auto schema = Sorted();
  auto arrow_schema = *ToArrowSchema(schema);
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  for (int g = 0; g < 10; ++g) {
    std::string ids = "[", names = "[", ts = "[", amounts = "[", ratios = "[";
    for (int i = g * 100; i < g * 100 + 100; ++i) {
      const char* sep = i % 100 ? ", " : "";
      ids += sep + std::to_string(i);
      names += sep + std::string("\"n") + std::to_string(1000 + i) + "\"";
      ts += sep + std::to_string(int64_t{i} * 1000000);
      amounts += sep + std::string("\"") + std::to_string(i) + ".25\"";
      ratios += sep + (i % 7 == 0 ? std::string("null") : std::to_string(i) + ".5");
    }
    batches.push_back(Batch(schema, {ids + "]", names + "]", ts + "]", amounts + "]",
                                     ratios + "]"}));
  }
  // One row group per batch: a tiny row group size closes each after a write.
  auto files = WriteFiles(schema, batches, dir, {{"write.parquet.row-group-size-bytes", "1"}});
  EXPECT_EQ(files.size(), 1u);
  return files.empty() ? "" : files[0].file_path;
}

TEST(ParquetReader, SkipsRowGroupsWithAPredicateOnTheirStatistics) {
  floe::testing::TempDir dir;
  auto path = WriteSorted(dir);
  // Read id as long (promoted): statistics come in the projection's types.
  spec::Schema read(1, {NestedField{1, "id", true, Type::Long()},
                        NestedField{2, "name", false, Type::String()},
                        NestedField{3, "ts", false, Type::TimestampTz()},
                        NestedField{4, "amount", false, Type::Decimal(12, 2)},
                        NestedField{5, "ratio", false, Type::Double()}});
  std::vector<RowGroupStats> seen;
  ParquetReadOptions options;
  options.row_group_filter = [&](const RowGroupStats& s) {
    seen.push_back(s);
    const ColumnChunkStats& id = s.columns.at(1);
    // id >= 250 AND id < 480
    return !id.upper.is_null() && id.upper.long_value() >= 250 && id.lower.long_value() < 480;
  };
  auto reader = ParquetReader::Open(io::MakeLocalFileIO(), path, read, options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  // Opening reads the footer (small files whole: Parquet reads up to 64 KiB).
  const int64_t footer_bytes = (*reader)->counters().bytes_read;
  ASSERT_EQ((*reader)->num_row_groups(), 10);
  EXPECT_EQ((*reader)->selected_row_groups(), (std::vector<int>{2, 3, 4}));

  ASSERT_EQ(seen.size(), 10u);
  const RowGroupStats& g3 = seen[3];
  EXPECT_EQ(g3.num_rows, 100);
  EXPECT_EQ(g3.columns.at(1).lower, Literal::Long(300));
  EXPECT_EQ(g3.columns.at(1).upper, Literal::Long(399));
  EXPECT_EQ(g3.columns.at(1).null_count, 0);
  EXPECT_EQ(g3.columns.at(1).value_count, 100);
  EXPECT_EQ(g3.columns.at(2).lower, Literal::String("n1300"));
  EXPECT_EQ(g3.columns.at(2).upper, Literal::String("n1399"));
  EXPECT_EQ(g3.columns.at(3).lower, Literal::Long(300000000));
  EXPECT_EQ(g3.columns.at(4).lower, Literal::Decimal(30025));
  EXPECT_EQ(g3.columns.at(4).upper, Literal::Decimal(39925));
  EXPECT_EQ(g3.columns.at(5).lower, Literal::Double(300.5));
  EXPECT_EQ(g3.columns.at(5).null_count, 15);  // multiples of 7 in 300..399

  auto it = (*reader)->Read();
  ASSERT_TRUE(it.ok());
  int64_t rows = 0, first = -1;
  while (true) {
    auto b = (*it)->Next();
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    if (!*b) break;
    if (first < 0) first = std::static_pointer_cast<arrow::Int64Array>((*b)->column(0))->Value(0);
    rows += (*b)->num_rows();
  }
  EXPECT_EQ(rows, 300);
  EXPECT_EQ(first, 200);
  ReadCounters c = (*reader)->counters();
  EXPECT_EQ(c.row_groups_read, 3);
  EXPECT_EQ(c.row_groups_skipped, 7);
  EXPECT_EQ(c.rows_read, 300);
  EXPECT_GT(c.bytes_read, footer_bytes);
  EXPECT_LT(c.bytes_read - footer_bytes,
            static_cast<int64_t>(std::filesystem::file_size(path)) / 2);
}

// Position deletes need each row's position in the file, also when row
// groups are skipped and a batch spans two of them.
TEST(ParquetReader, ReportsTheFilePositionOfEveryRow) {
  floe::testing::TempDir dir;
  auto path = WriteSorted(dir);  // id == position, 100 rows per row group
  spec::Schema read(1, {NestedField{1, "id", true, Type::Long()}});
  for (bool empty_projection : {false, true}) {
    ParquetReadOptions options;
    options.batch_size = 150;
    auto reader = ParquetReader::Open(io::MakeLocalFileIO(), path,
                                      empty_projection ? spec::Schema(1, {}) : read, options);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    auto it = (*reader)->Read(std::vector<int>{1, 4, 5, 9});
    ASSERT_TRUE(it.ok());
    std::vector<int64_t> positions;
    while (true) {
      auto b = (*it)->Next();
      ASSERT_TRUE(b.ok()) << b.status().ToString();
      if (!*b) break;
      int64_t covered = 0;
      for (const RowRange& r : (*it)->positions()) {
        for (int64_t p = r.start; p < r.start + r.count; ++p) positions.push_back(p);
        covered += r.count;
      }
      ASSERT_EQ(covered, (*b)->num_rows());
      if (empty_projection) continue;
      auto ids = std::static_pointer_cast<arrow::Int64Array>((*b)->column(0));
      for (int64_t i = 0; i < ids->length(); ++i) {
        ASSERT_EQ(ids->Value(i), positions[positions.size() - ids->length() + i]);
      }
    }
    std::vector<int64_t> expected;
    for (int g : {1, 4, 5, 9}) {
      for (int64_t p = g * 100; p < g * 100 + 100; ++p) expected.push_back(p);
    }
    EXPECT_EQ(positions, expected);
  }
}

TEST(ParquetReader, ReadsRowGroupsInParallel) {
  floe::testing::TempDir dir;
  auto path = WriteSorted(dir);
  ParquetReadOptions options;
  options.file_size = static_cast<int64_t>(std::filesystem::file_size(path));
  options.batch_size = 30;
  auto reader = ParquetReader::Open(io::MakeLocalFileIO(), path, Sorted(), options).value();
  std::vector<int64_t> sums(10, 0);
  std::vector<std::thread> threads;
  for (int rg = 0; rg < 10; ++rg) {
    threads.emplace_back([&, rg]() {
      auto it = reader->Read(std::vector<int>{rg});
      ASSERT_TRUE(it.ok());
      while (true) {
        auto b = (*it)->Next();
        ASSERT_TRUE(b.ok());
        if (!*b) break;
        EXPECT_LE((*b)->num_rows(), 30);
        auto ids = std::static_pointer_cast<arrow::Int32Array>((*b)->column(0));
        for (int64_t i = 0; i < ids->length(); ++i) sums[static_cast<size_t>(rg)] += ids->Value(i);
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int rg = 0; rg < 10; ++rg) {
    EXPECT_EQ(sums[static_cast<size_t>(rg)], 100 * (rg * 100) + 4950) << rg;
  }
  EXPECT_EQ(reader->counters().row_groups_read, 10);
  EXPECT_EQ(reader->counters().rows_read, 1000);
  EXPECT_FALSE(reader->Read(std::vector<int>{10}).ok());
}

// A file as a non-Iceberg writer leaves it: no field ids.
std::string WriteWithoutIds(const floe::testing::TempDir& dir) {
  auto schema = arrow::schema(
      {arrow::field("ID", arrow::int64()), arrow::field("name", arrow::utf8()),
       arrow::field("attrs", arrow::map(arrow::utf8(), arrow::int32())),
       arrow::field("raw", arrow::binary())});
  auto table = arrow::Table::Make(
      schema, {Json(arrow::int64(), "[1, 2]"), Json(arrow::utf8(), R"(["a", "b"])"),
               Json(arrow::map(arrow::utf8(), arrow::int32()), R"([[["k", 1]], null])"),
               Json(arrow::binary(), R"(["caf\u00e9", null])")});
  std::string path = dir.Join("no_ids.parquet");
  auto out = *arrow::io::FileOutputStream::Open(path);
  EXPECT_TRUE(parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), out).ok());
  EXPECT_TRUE(out->Close().ok());
  return path;
}

TEST(ParquetReader, FilesWithoutFieldIdsNeedANameMapping) {
  floe::testing::TempDir dir;
  auto path = WriteWithoutIds(dir);
  spec::Schema read(0, {NestedField{2, "name", false, Type::String()},
                        NestedField{1, "id", false, Type::Long()},
                        NestedField{3, "attrs", false,
                                    Type::Map(NestedField{4, "key", true, Type::String()},
                                              NestedField{5, "value", false, Type::Long()})},
                        // Unannotated binary, as some writers store strings.
                        NestedField{6, "raw", false, Type::String()}});
  auto r = Read(path, read);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalid());
  EXPECT_NE(r.status().message().find(path + ": the Parquet file has no field ids"),
            std::string::npos)
      << r.status().message();

  ParquetReadOptions options;
  std::vector<std::string> asked;
  options.name_mapping = [&](const std::vector<std::string>& p) -> std::optional<int32_t> {
    std::string joined;
    for (const auto& s : p) joined += (joined.empty() ? "" : ".") + s;
    asked.push_back(joined);
    if (joined == "ID") return 1;
    if (joined == "name") return 2;
    if (joined == "attrs") return 3;
    if (joined == "attrs.key") return 4;
    if (joined == "attrs.value") return 5;
    if (joined == "raw") return 6;
    return std::nullopt;
  };
  auto t = ReadOk(path, read, options);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(Column(t, 0), "[a, b]");
  EXPECT_EQ(Column(t, 1), "[1, 2]");
  EXPECT_EQ(Column(t, 2), "[[{key:k, value:1}], null]");
  EXPECT_EQ(Column(t, 3), "[caf\u00e9, null]");
  EXPECT_NE(std::find(asked.begin(), asked.end(), "attrs.value"), asked.end());
}

TEST(ParquetReader, ErrorsNameTheFile) {
  floe::testing::TempDir dir;
  auto missing = Read(dir.Join("nope.parquet"), spec::Schema());
  EXPECT_TRUE(missing.status().IsNotFound()) << missing.status().ToString();
  floe::testing::WriteFileOrDie(dir.path() / "junk.parquet", "this is not parquet at all");
  auto junk = Read(dir.Join("junk.parquet"), spec::Schema());
  ASSERT_FALSE(junk.ok());
  EXPECT_NE(junk.status().message().find("junk.parquet"), std::string::npos)
      << junk.status().ToString();
}

TEST(ParquetReader, ReadsSparkWrittenPeerFiles) {
  // spark24_v1_nested_hour: parquet-mr files with ids, lists, maps and
  // nested structs. Row id = 1 holds the facts SOURCE.md records.
  auto root = floe::testing::PeerTablesDir() / "spark24_v1_nested_hour";
  auto md_text = floe::testing::ReadFileOrDie(root / "metadata" / "v2.metadata.json");
  auto md = spec::TableMetadataFromJson(md_text);
  ASSERT_TRUE(md.ok()) << md.status().ToString();
  const spec::Schema* schema = md->CurrentSchema();
  ASSERT_NE(schema, nullptr);
  int64_t rows = 0;
  bool found = false;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root / "data")) {
    if (entry.path().extension() != ".parquet") continue;
    auto t = ReadOk(entry.path().string(), *schema);
    ASSERT_NE(t, nullptr);
    rows += t->num_rows();
    auto ids = *arrow::Concatenate(t->GetColumnByName("id")->chunks());
    for (int64_t r = 0; r < ids->length(); ++r) {
      if (!ids->IsValid(r) || std::static_pointer_cast<arrow::Int32Array>(ids)->Value(r) != 1) {
        continue;
      }
      found = true;
      auto phone = *t->GetColumnByName("phone")->GetScalar(r);
      EXPECT_EQ(testing::Show(*phone), "[1-212-100-1111, 1-212-100-1112]");
      auto address = *t->GetColumnByName("current_address")->GetScalar(r);
      EXPECT_NE(address->ToString().find("Wall Street"), std::string::npos)
          << address->ToString();
    }
  }
  EXPECT_EQ(rows, 20);
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace floe::data
