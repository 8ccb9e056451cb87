// Parquet through parquet-arrow with zstd and Iceberg field ids on every node:
// the data layer's foundation. With FLOE_TEST_OUTPUT_DIR set, the file is
// also kept there so tests/interop can check that pyarrow reads it.
#include <arrow/api.h>
#include <arrow/extension/uuid.h>
#include <arrow/io/file.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/writer.h>
#include <parquet/file_reader.h>
#include <parquet/schema.h>

#include <cstdlib>
#include <filesystem>

#include "floe/data/arrow_schema.h"
#include "support/test_util.h"

namespace floe::data {
namespace {

using spec::NestedField;
using spec::Type;

spec::Schema TestSchema() {
  return spec::Schema(
      0, {
             NestedField{1, "id", true, Type::Long()},
             NestedField{2, "amount", false, Type::Decimal(12, 2)},
             NestedField{3, "big", false, Type::Decimal(30, 4)},
             NestedField{4, "day", false, Type::Date()},
             NestedField{5, "at", false, Type::TimestampTz()},
             NestedField{6, "local", false, Type::Timestamp()},
             NestedField{7, "tod", false, Type::Time()},
             NestedField{8, "name", false, Type::String()},
             NestedField{9, "key", false, Type::Uuid()},
             NestedField{10, "tags", false,
                         Type::List(NestedField{11, "element", false, Type::String()})},
             NestedField{12, "attrs", false,
                         Type::Map(NestedField{13, "key", true, Type::String()},
                                   NestedField{14, "value", false, Type::Int()})},
             NestedField{15, "payload", false,
                         Type::Struct({NestedField{16, "source", false, Type::String()}})},
         });
}

std::shared_ptr<arrow::Array> Json(const std::shared_ptr<arrow::DataType>& t, const char* json) {
  auto r = arrow::json::ArrayFromJSONString(t, json);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return *r;
}

std::shared_ptr<arrow::Table> TestTable(const std::shared_ptr<arrow::Schema>& schema) {
  // The spec's uuid test value (App. B) in its 16 big-endian bytes.
  arrow::FixedSizeBinaryBuilder uuid_builder(arrow::fixed_size_binary(16));
  EXPECT_TRUE(uuid_builder.Append("\xf7\x9c\x3e\x09\x67\x7c\x4b\xbd\xa4\x79\x3f\x34\x9c\xb7\x85\xe7").ok());
  EXPECT_TRUE(uuid_builder.AppendNull().ok());
  EXPECT_TRUE(uuid_builder.Append("0123456789abcdef").ok());
  std::shared_ptr<arrow::Array> uuid_storage;
  EXPECT_TRUE(uuid_builder.Finish(&uuid_storage).ok());
  auto uuid = arrow::ExtensionType::WrapArray(schema->field(8)->type(), uuid_storage);
  std::vector<std::shared_ptr<arrow::Array>> cols = {
      Json(schema->field(0)->type(), "[1, 2, 3]"),
      Json(schema->field(1)->type(), R"(["14.20", null, "-1.00"])"),
      Json(schema->field(2)->type(), R"(["12345678901234567890123456.7891", "0.0000", null])"),
      Json(schema->field(3)->type(), "[17486, null, -1]"),
      Json(schema->field(4)->type(), "[1510871468000000, 0, null]"),
      Json(schema->field(5)->type(), "[1510871468000001, null, -1]"),
      Json(schema->field(6)->type(), "[81068000000, null, 0]"),
      Json(schema->field(7)->type(), R"(["iceberg", "caf\u00e9", null])"),
      uuid,
      Json(schema->field(9)->type(), R"([["a", "b"], [], null])"),
      Json(schema->field(10)->type(), R"([[["x", 1]], null, [["y", null], ["z", 3]]])"),
      Json(schema->field(11)->type(), R"([{"source": "web"}, null, {"source": null}])"),
  };
  return arrow::Table::Make(schema, cols);
}

TEST(ParquetFieldIds, WriteZstdWithIdsAndReadBack) {
  floe::testing::TempDir dir;
  auto arrow_schema = ToArrowSchema(TestSchema());
  ASSERT_TRUE(arrow_schema.ok()) << arrow_schema.status().ToString();
  auto table = TestTable(*arrow_schema);
  ASSERT_TRUE(table->ValidateFull().ok());

  std::string path = dir.Join("field_ids.parquet");
  {
    auto out = arrow::io::FileOutputStream::Open(path);
    ASSERT_TRUE(out.ok());
    auto props = parquet::WriterProperties::Builder()
                     .compression(parquet::Compression::ZSTD)
                     ->enable_store_decimal_as_integer()
                     ->version(parquet::ParquetVersion::PARQUET_2_6)
                     ->build();
    auto arrow_props = parquet::ArrowWriterProperties::Builder().build();
    ASSERT_TRUE(parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), *out, 1024,
                                           props, arrow_props)
                    .ok());
    ASSERT_TRUE((*out)->Close().ok());
  }

  // The Parquet schema carries the ids on leaves, groups, list elements and
  // map keys/values, but not on the repeated middle groups (spec App. A).
  auto reader = parquet::ParquetFileReader::OpenFile(path);
  const parquet::SchemaDescriptor* pschema = reader->metadata()->schema();
  const parquet::schema::GroupNode* root = pschema->group_node();
  ASSERT_EQ(root->field_count(), 12);
  for (int i = 0; i < root->field_count(); ++i) {
    EXPECT_EQ(root->field(i)->field_id(), i == 9 ? 10 : (i < 9 ? i + 1 : (i == 10 ? 12 : 15)))
        << root->field(i)->name();
  }
  auto tags = std::static_pointer_cast<parquet::schema::GroupNode>(root->field(9));
  auto tags_repeated = std::static_pointer_cast<parquet::schema::GroupNode>(tags->field(0));
  EXPECT_EQ(tags_repeated->field_id(), -1);
  EXPECT_EQ(tags_repeated->field(0)->name(), "element");
  EXPECT_EQ(tags_repeated->field(0)->field_id(), 11);
  auto attrs = std::static_pointer_cast<parquet::schema::GroupNode>(root->field(10));
  auto kv = std::static_pointer_cast<parquet::schema::GroupNode>(attrs->field(0));
  EXPECT_EQ(kv->field_id(), -1);
  EXPECT_EQ(kv->field(0)->field_id(), 13);
  EXPECT_EQ(kv->field(1)->field_id(), 14);
  // Logical types and physical layouts the spec requires.
  EXPECT_TRUE(root->field(8)->logical_type()->is_UUID());
  EXPECT_EQ(pschema->Column(1)->physical_type(), parquet::Type::INT64);  // decimal(12,2)
  EXPECT_EQ(pschema->Column(2)->physical_type(), parquet::Type::FIXED_LEN_BYTE_ARRAY);
  auto at = std::static_pointer_cast<const parquet::TimestampLogicalType>(
      root->field(4)->logical_type());
  EXPECT_TRUE(at->is_adjusted_to_utc());
  EXPECT_EQ(at->time_unit(), parquet::LogicalType::TimeUnit::MICROS);
  auto local = std::static_pointer_cast<const parquet::TimestampLogicalType>(
      root->field(5)->logical_type());
  EXPECT_FALSE(local->is_adjusted_to_utc());
  EXPECT_EQ(reader->metadata()->RowGroup(0)->ColumnChunk(0)->compression(),
            parquet::Compression::ZSTD);

  // Read back through parquet-arrow: same values, and the Iceberg schema
  // recovered from the file's field ids equals the one written.
  auto in = arrow::io::ReadableFile::Open(path);
  ASSERT_TRUE(in.ok());
  parquet::ArrowReaderProperties read_props;
  read_props.set_arrow_extensions_enabled(true);
  parquet::arrow::FileReaderBuilder builder;
  ASSERT_TRUE(builder.Open(*in).ok());
  builder.properties(read_props);
  auto file_reader = builder.Build();
  ASSERT_TRUE(file_reader.ok()) << file_reader.status().ToString();
  auto read = (*file_reader)->ReadTable();
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  std::shared_ptr<arrow::Table> back = *read;
  auto back_schema = FromArrowSchema(*back->schema());
  ASSERT_TRUE(back_schema.ok()) << back_schema.status().ToString();
  EXPECT_TRUE(back_schema->SameStructure(TestSchema())) << back_schema->ToString();
  EXPECT_TRUE(back->Equals(*table, /*check_metadata=*/false))
      << back->ToString() << "\nvs\n" << table->ToString();

  if (const char* keep = std::getenv("FLOE_TEST_OUTPUT_DIR")) {
    std::filesystem::copy_file(path, std::filesystem::path(keep) / "field_ids.parquet",
                               std::filesystem::copy_options::overwrite_existing);
  }
}

}  // namespace
}  // namespace floe::data
