// ParquetWriter: round trips through ParquetReader, the spec's Parquet
// layout, rolling by size, row groups, codecs and properties.
#include "floe/data/parquet_writer.h"

#include <arrow/api.h>
#include <arrow/extension/uuid.h>
#include <gtest/gtest.h>
#include <parquet/file_reader.h>
#include <parquet/metadata.h>
#include <parquet/schema.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "floe/data/parquet_reader.h"
#include "floe/data/parquet_test_util.h"

namespace floe::data {
namespace {

using spec::NestedField;
using spec::Type;
using testing::Batch;
using testing::Json;
using testing::WriteFiles;

std::shared_ptr<arrow::Table> ReadBack(const std::string& path, const spec::Schema& schema,
                                       ParquetReadOptions options = {}) {
  auto t = ReadParquetTable(io::MakeLocalFileIO(), path, schema, std::move(options));
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : nullptr;
}

// Compares column by column, NaN equal to NaN, -0.0 distinct from +0.0.
void ExpectSameRows(const std::vector<std::shared_ptr<arrow::RecordBatch>>& expected,
                    const std::shared_ptr<arrow::Table>& actual) {
  ASSERT_NE(actual, nullptr);
  auto want = *arrow::Table::FromRecordBatches(expected);
  ASSERT_EQ(actual->num_rows(), want->num_rows());
  ASSERT_EQ(actual->num_columns(), want->num_columns());
  auto options = arrow::EqualOptions::Defaults().nans_equal(true).signed_zeros_equal(false);
  for (int i = 0; i < want->num_columns(); ++i) {
    auto a = *arrow::Concatenate(actual->column(i)->chunks());
    auto w = *arrow::Concatenate(want->column(i)->chunks());
    EXPECT_TRUE(a->Equals(*w, options))
        << want->field(i)->name() << ":\n" << a->ToString() << "\nexpected\n" << w->ToString();
  }
  EXPECT_TRUE(actual->schema()->Equals(*want->schema(), /*check_metadata=*/true))
      << actual->schema()->ToString(true) << "\nexpected\n" << want->schema()->ToString(true);
}

std::shared_ptr<parquet::FileMetaData> Footer(const std::string& path) {
  return parquet::ParquetFileReader::OpenFile(path)->metadata();
}

spec::Schema AllTypes() {
  return spec::Schema(0, {
      NestedField{1, "b", true, Type::Boolean()},
      NestedField{2, "i", false, Type::Int()},
      NestedField{3, "l", false, Type::Long()},
      NestedField{4, "f", false, Type::Float()},
      NestedField{5, "d", false, Type::Double()},
      NestedField{6, "dec", false, Type::Decimal(9, 2)},
      NestedField{7, "dec18", false, Type::Decimal(18, 3)},
      NestedField{8, "big", false, Type::Decimal(38, 10)},
      NestedField{9, "day", false, Type::Date()},
      NestedField{10, "tod", false, Type::Time()},
      NestedField{11, "ts", false, Type::Timestamp()},
      NestedField{12, "tstz", false, Type::TimestampTz()},
      NestedField{13, "tsns", false, Type::TimestampNs()},
      NestedField{14, "tstzns", false, Type::TimestampTzNs()},
      NestedField{15, "s", false, Type::String()},
      NestedField{16, "u", false, Type::Uuid()},
      NestedField{17, "fx", false, Type::Fixed(4)},
      NestedField{18, "bin", false, Type::Binary()},
  });
}

std::shared_ptr<arrow::RecordBatch> AllTypesBatch(const spec::Schema& schema) {
  auto arrow_schema = *ToArrowSchema(schema);
  arrow::FixedSizeBinaryBuilder uuids(arrow::fixed_size_binary(16));
  // The spec's uuid test value (App. B) in its 16 big-endian bytes.
  const char* spec_uuid = "\xf7\x9c\x3e\x09\x67\x7c\x4b\xbd\xa4\x79\x3f\x34\x9c\xb7\x85\xe7";
  EXPECT_TRUE(uuids.Append(spec_uuid).ok());
  EXPECT_TRUE(uuids.AppendNull().ok());
  EXPECT_TRUE(uuids.Append("0123456789abcdef").ok());
  auto uuid = arrow::ExtensionType::WrapArray(arrow_schema->field(15)->type(), *uuids.Finish());
  arrow::DoubleBuilder doubles;
  EXPECT_TRUE(doubles.AppendValues({-0.0, std::nan(""), 1e300}).ok());
  std::vector<std::shared_ptr<arrow::Array>> columns = {
      Json(arrow::boolean(), "[true, false, true]"),
      Json(arrow::int32(), "[1, null, -2147483648]"),
      Json(arrow::int64(), "[9223372036854775807, -1, null]"),
      Json(arrow::float32(), "[1.5, null, -3.25]"),
      *doubles.Finish(),
      Json(arrow_schema->field(5)->type(), R"(["14.20", "-9999999.99", null])"),
      Json(arrow_schema->field(6)->type(), R"(["123456789012345.678", null, "0.001"])"),
      Json(arrow_schema->field(7)->type(),
           R"(["1234567890123456789012345678.9012345678", "-0.0000000001", null])"),
      Json(arrow::date32(), "[17486, null, -719162]"),
      Json(arrow_schema->field(9)->type(), "[0, 86399999999, null]"),
      Json(arrow_schema->field(10)->type(), "[1510871468000001, null, -62135596800000000]"),
      Json(arrow_schema->field(11)->type(), "[0, 1, null]"),
      Json(arrow_schema->field(12)->type(), "[1510871468123456789, null, -1]"),
      Json(arrow_schema->field(13)->type(), "[null, 9223372036854775807, 5]"),
      Json(arrow::utf8(), R"(["iceberg", "caf\u00e9 \ud83d\ude00", null])"),
      uuid,
      Json(arrow::fixed_size_binary(4), R"(["abcd", null, "\u0000\u0001\u0002\u0003"])"),
      Json(arrow::binary(), R"(["", "\u00ff\u0000", null])"),
  };
  return arrow::RecordBatch::Make(arrow_schema, 3, columns);
}

TEST(ParquetWriter, RoundTripsEveryPrimitiveType) {
  auto schema = AllTypes();
  auto batch = AllTypesBatch(schema);
  ASSERT_TRUE(batch->ValidateFull().ok());
  floe::testing::TempDir dir;
  auto files = WriteFiles(schema, {batch}, dir);
  ASSERT_EQ(files.size(), 1u);
  const auto& df = files[0];
  EXPECT_EQ(df.file_format, manifest::FileFormat::kParquet);
  EXPECT_EQ(df.content, manifest::FileContent::kData);
  EXPECT_EQ(df.record_count, 3);
  EXPECT_EQ(df.file_size_in_bytes, static_cast<int64_t>(std::filesystem::file_size(df.file_path)));
  EXPECT_FALSE(df.sort_order_id.has_value());
  ExpectSameRows({batch}, ReadBack(df.file_path, schema));

  // The Parquet layout the spec requires (App. A).
  auto footer = Footer(df.file_path);
  const parquet::SchemaDescriptor* ps = footer->schema();
  for (int i = 0; i < ps->num_columns(); ++i) {
    EXPECT_EQ(ps->Column(i)->schema_node()->field_id(), i + 1);
    EXPECT_NE(ps->Column(i)->physical_type(), parquet::Type::INT96);
  }
  EXPECT_EQ(ps->Column(5)->physical_type(), parquet::Type::INT32);   // decimal(9,2)
  EXPECT_EQ(ps->Column(6)->physical_type(), parquet::Type::INT64);   // decimal(18,3)
  EXPECT_EQ(ps->Column(7)->physical_type(), parquet::Type::FIXED_LEN_BYTE_ARRAY);
  auto unit = [&](int col) {
    return std::static_pointer_cast<const parquet::TimestampLogicalType>(
        ps->Column(col)->logical_type());
  };
  EXPECT_EQ(unit(10)->time_unit(), parquet::LogicalType::TimeUnit::MICROS);
  EXPECT_FALSE(unit(10)->is_adjusted_to_utc());
  EXPECT_TRUE(unit(11)->is_adjusted_to_utc());
  EXPECT_EQ(unit(12)->time_unit(), parquet::LogicalType::TimeUnit::NANOS);
  EXPECT_TRUE(unit(13)->is_adjusted_to_utc());
  EXPECT_EQ(unit(13)->time_unit(), parquet::LogicalType::TimeUnit::NANOS);
  EXPECT_TRUE(ps->Column(15)->logical_type()->is_UUID());
  EXPECT_EQ(footer->RowGroup(0)->ColumnChunk(0)->compression(), parquet::Compression::ZSTD);
  auto kv = footer->key_value_metadata();
  ASSERT_NE(kv, nullptr);
  EXPECT_TRUE(kv->Contains("iceberg.schema"));
  EXPECT_FALSE(kv->Contains("ARROW:schema"));
  ASSERT_TRUE(df.split_offsets.has_value());
  EXPECT_EQ(*df.split_offsets, std::vector<int64_t>{4});

  if (const char* keep = std::getenv("FLOE_TEST_OUTPUT_DIR")) {
    std::filesystem::copy_file(df.file_path,
                               std::filesystem::path(keep) / "writer_all_types.parquet",
                               std::filesystem::copy_options::overwrite_existing);
  }
}

spec::Schema NestedSchema() {
  return spec::Schema(0, {
      NestedField{1, "id", true, Type::Long()},
      NestedField{2, "payload", false,
                  Type::Struct({NestedField{3, "source", false, Type::String()},
                                NestedField{4, "geo", false,
                                            Type::Struct({NestedField{5, "lat", true,
                                                                      Type::Double()},
                                                          NestedField{6, "lon", true,
                                                                      Type::Double()}})}})},
      NestedField{7, "tags", false, Type::List(NestedField{8, "element", false, Type::String()})},
      NestedField{9, "points", false,
                  Type::List(NestedField{10, "element", true,
                                         Type::Struct({NestedField{11, "x", true, Type::Int()},
                                                       NestedField{12, "y", false,
                                                                   Type::Double()}})})},
      NestedField{13, "attrs", false,
                  Type::Map(NestedField{14, "key", true, Type::String()},
                            NestedField{15, "value", false, Type::Int()})},
      NestedField{16, "by_day", false,
                  Type::Map(NestedField{17, "key", true, Type::Date()},
                            NestedField{18, "value", false,
                                        Type::List(NestedField{19, "element", false,
                                                               Type::Long()})})},
      NestedField{20, "matrix", false,
                  Type::List(NestedField{21, "element", false,
                                         Type::List(NestedField{22, "element", false,
                                                                Type::Int()})})},
  });
}

std::shared_ptr<arrow::RecordBatch> NestedBatch(const spec::Schema& schema) {
  return Batch(schema, {
      "[1, 2, 3, 4]",
      R"([{"source": "web", "geo": {"lat": 1.5, "lon": -2.5}}, null,
          {"source": null, "geo": null}, {"source": "app", "geo": {"lat": 0, "lon": 0}}])",
      R"([["a", "b"], [], null, [null, "c"]])",
      R"([[{"x": 1, "y": 2.5}, {"x": 2, "y": null}], null, [], [{"x": 3, "y": 1}]])",
      R"([[["k", 1], ["l", null]], null, [], [["m", 3]]])",
      R"([[[17486, [1, 2]], [17487, null]], [[0, []]], null, [[1, [null]]]])",
      R"([[[1, 2], [], null], null, [[3]], []])",
  });
}

TEST(ParquetWriter, RoundTripsNestedTypes) {
  auto schema = NestedSchema();
  auto batch = NestedBatch(schema);
  ASSERT_TRUE(batch->ValidateFull().ok());
  floe::testing::TempDir dir;
  auto files = WriteFiles(schema, {batch, batch->Slice(1, 2)}, dir);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].record_count, 6);
  ExpectSameRows({batch, batch->Slice(1, 2)}, ReadBack(files[0].file_path, schema));

  // Ids on groups and on list elements and map keys/values, none on the
  // repeated middle groups (App. A).
  auto footer = Footer(files[0].file_path);
  const auto* root = footer->schema()->group_node();
  auto group = [](const parquet::schema::NodePtr& n) {
    return std::static_pointer_cast<parquet::schema::GroupNode>(n);
  };
  EXPECT_EQ(root->field(1)->field_id(), 2);
  auto points = group(root->field(3));
  EXPECT_EQ(points->field_id(), 9);
  EXPECT_EQ(points->field(0)->field_id(), -1);
  EXPECT_EQ(group(points->field(0))->field(0)->field_id(), 10);
  auto attrs = group(root->field(4));
  EXPECT_EQ(attrs->field_id(), 13);
  EXPECT_TRUE(attrs->logical_type()->is_map());
  EXPECT_EQ(group(attrs->field(0))->field(0)->field_id(), 14);
  EXPECT_EQ(group(attrs->field(0))->field(1)->field_id(), 15);

  if (const char* keep = std::getenv("FLOE_TEST_OUTPUT_DIR")) {
    std::filesystem::copy_file(files[0].file_path,
                               std::filesystem::path(keep) / "writer_nested.parquet",
                               std::filesystem::copy_options::overwrite_existing);
  }
}

// Bloom filter properties name columns as Iceberg does; nested struct
// fields, list elements and map values get their filters under Arrow's
// Parquet paths (payload.source, tags.list.element, attrs.key_value.value).
TEST(ParquetWriter, BloomFiltersOnNestedColumnsByIcebergName) {
  auto schema = NestedSchema();
  floe::testing::TempDir dir;
  auto files = WriteFiles(schema, {NestedBatch(schema)}, dir,
                          {{"write.parquet.bloom-filter-enabled.column.payload.source", "true"},
                           {"write.parquet.bloom-filter-enabled.column.tags.element", "true"},
                           {"write.parquet.bloom-filter-enabled.column.attrs.value", "true"},
                           {"write.parquet.bloom-filter-enabled.column.gone", "true"}});
  ASSERT_EQ(files.size(), 1u);
  auto footer = Footer(files[0].file_path);
  std::set<std::string> with_filter;
  for (int c = 0; c < footer->num_columns(); ++c) {
    if (footer->RowGroup(0)->ColumnChunk(c)->bloom_filter_offset()) {
      with_filter.insert(footer->schema()->Column(c)->path()->ToDotString());
    }
  }
  EXPECT_EQ(with_filter, (std::set<std::string>{"payload.source", "tags.list.element",
                                                "attrs.key_value.value"}));
}

// An events-like table: ids, users, timestamps, days and ~100-byte payloads
// that do not compress away.
spec::Schema EventsSchema() {
  return spec::Schema(0, {NestedField{1, "event_id", true, Type::String()},
                          NestedField{2, "user_id", false, Type::String()},
                          NestedField{3, "ts", false, Type::TimestampTz()},
                          NestedField{4, "day", false, Type::Date()},
                          NestedField{5, "payload", false, Type::String()}});
}

std::shared_ptr<arrow::RecordBatch> EventsBatch(const spec::Schema& schema, int64_t first,
                                                int64_t rows) {
  auto arrow_schema = *ToArrowSchema(schema);
  arrow::StringBuilder ids, users, payloads;
  arrow::TimestampBuilder ts(arrow_schema->field(2)->type(), arrow::default_memory_pool());
  arrow::Date32Builder days;
  uint64_t state = 0x9E3779B97F4A7C15ULL ^ static_cast<uint64_t>(first);
  auto next = [&]() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string payload(100, ' ');
  for (int64_t r = first; r < first + rows; ++r) {
    char id[40];
    snprintf(id, sizeof id, "evt-%012lld-%08llx", static_cast<long long>(r),
             static_cast<unsigned long long>(next() & 0xffffffff));
    EXPECT_TRUE(ids.Append(id).ok());
    EXPECT_TRUE(users.Append("user-" + std::to_string(next() % 5000)).ok());
    EXPECT_TRUE(ts.Append(1700000000000000LL + r * 1000).ok());
    EXPECT_TRUE(days.Append(static_cast<int32_t>(19000 + r / 100000)).ok());
    for (char& c : payload) c = kAlphabet[next() % 62];
    EXPECT_TRUE(payloads.Append(payload).ok());
  }
  return arrow::RecordBatch::Make(arrow_schema, rows,
                                  {*ids.Finish(), *users.Finish(), *ts.Finish(), *days.Finish(),
                                   *payloads.Finish()});
}

TEST(ParquetWriter, RollsToNewFilesAtTheTargetSize) {
  auto schema = EventsSchema();
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  int64_t rows = 0;
  for (int i = 0; i < 8; ++i) {  // 8 x 1000 rows x ~150 bytes: about 1.2 MB
    batches.push_back(EventsBatch(schema, rows, 1000));
    rows += 1000;
  }
  floe::testing::TempDir dir;
  auto files = WriteFiles(schema, batches, dir, {{"write.target-file-size-bytes", "65536"}});
  ASSERT_GE(files.size(), 5u);
  int64_t total = 0;
  std::vector<std::shared_ptr<arrow::RecordBatch>> read;
  for (size_t i = 0; i < files.size(); ++i) {
    const auto& df = files[i];
    EXPECT_EQ(df.file_path, dir.Join("f" + std::to_string(i) + ".parquet"));
    EXPECT_EQ(df.file_size_in_bytes,
              static_cast<int64_t>(std::filesystem::file_size(df.file_path)));
    // Overshoot is at most one slice: well under twice the target.
    EXPECT_LT(df.file_size_in_bytes, 2 * 65536) << df.file_path;
    if (i + 1 < files.size()) {
      EXPECT_GT(df.file_size_in_bytes, 65536 / 2) << df.file_path;
    }
    total += df.record_count;
    auto t = ReadBack(df.file_path, schema);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->num_rows(), df.record_count);
    read.push_back(*t->CombineChunksToBatch());
  }
  EXPECT_EQ(total, rows);
  // Every row once, in order.
  ExpectSameRows(batches, *arrow::Table::FromRecordBatches(read));
}

TEST(ParquetWriter, CutsRowGroupsBySizeAndRecordsSplitOffsets) {
  auto schema = EventsSchema();
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  for (int i = 0; i < 4; ++i) batches.push_back(EventsBatch(schema, i * 1000, 1000));
  floe::testing::TempDir dir;
  auto files = WriteFiles(schema, batches, dir, {{"write.parquet.row-group-size-bytes", "50000"}});
  ASSERT_EQ(files.size(), 1u);
  auto footer = Footer(files[0].file_path);
  ASSERT_GE(footer->num_row_groups(), 4);
  ASSERT_TRUE(files[0].split_offsets.has_value());
  ASSERT_EQ(files[0].split_offsets->size(), static_cast<size_t>(footer->num_row_groups()));
  for (int rg = 0; rg < footer->num_row_groups(); ++rg) {
    EXPECT_GT(footer->RowGroup(rg)->num_rows(), 0);
    EXPECT_EQ((*files[0].split_offsets)[static_cast<size_t>(rg)],
              footer->RowGroup(rg)->file_offset());
  }
  EXPECT_TRUE(std::is_sorted(files[0].split_offsets->begin(), files[0].split_offsets->end()));
  // Column sizes add up to the chunks' sizes, which exclude the footer.
  int64_t sum = 0;
  for (const auto& [id, size] : *files[0].column_sizes) sum += size;
  EXPECT_LT(sum, files[0].file_size_in_bytes);
  EXPECT_EQ(footer->num_rows(), 4000);
}

TEST(ParquetWriter, HonoursTheCompressionCodec) {
  auto schema = EventsSchema();
  auto batch = EventsBatch(schema, 0, 200);
  const std::pair<const char*, parquet::Compression::type> codecs[] = {
      {"zstd", parquet::Compression::ZSTD},     {"snappy", parquet::Compression::SNAPPY},
      {"GZIP", parquet::Compression::GZIP},     {"lz4", parquet::Compression::LZ4},
      {"brotli", parquet::Compression::BROTLI}, {"uncompressed",
                                                 parquet::Compression::UNCOMPRESSED}};
  for (const auto& [name, codec] : codecs) {
    floe::testing::TempDir dir;
    auto files = WriteFiles(schema, {batch}, dir, {{"write.parquet.compression-codec", name}});
    ASSERT_EQ(files.size(), 1u) << name;
    auto footer = Footer(files[0].file_path);
    for (int c = 0; c < footer->num_columns(); ++c) {
      EXPECT_EQ(footer->RowGroup(0)->ColumnChunk(c)->compression(), codec) << name;
    }
    ExpectSameRows({batch}, ReadBack(files[0].file_path, schema));
  }
  floe::testing::TempDir dir;
  auto leveled = WriteFiles(schema, {batch}, dir,
                            {{"write.parquet.compression-codec", "zstd"},
                             {"write.parquet.compression-level", "9"}});
  EXPECT_EQ(leveled.size(), 1u);
}

TEST(ParquetWriter, RejectsBadProperties) {
  auto check = [](std::map<std::string, std::string> props, const std::string& needle,
                  StatusCode code = StatusCode::kInvalid) {
    auto w = ParquetWriter::Make(EventsSchema(), props, io::MakeLocalFileIO(),
                                 []() -> Result<std::string> { return std::string("x"); });
    ASSERT_FALSE(w.ok()) << needle;
    EXPECT_EQ(w.status().code(), code) << w.status().ToString();
    EXPECT_NE(w.status().message().find(needle), std::string::npos) << w.status().ToString();
  };
  check({{"write.parquet.compression-codec", "zip"}}, "write.parquet.compression-codec");
  check({{"write.parquet.compression-codec", "lzo"}}, "lzo", StatusCode::kNotSupported);
  check({{"write.parquet.compression-level", "99"}}, "write.parquet.compression-level");
  check({{"write.parquet.compression-level", "high"}}, "write.parquet.compression-level");
  check({{"write.target-file-size-bytes", "0"}}, "write.target-file-size-bytes");
  check({{"write.parquet.row-group-size-bytes", "1MB"}}, "write.parquet.row-group-size-bytes");
  check({{"write.parquet.page-size-bytes", "-1"}}, "write.parquet.page-size-bytes");
  check({{"write.parquet.dict-size-bytes", ""}}, "write.parquet.dict-size-bytes");
  check({{"write.metadata.metrics.default", "truncate(0)"}}, "write.metadata.metrics.default");
  // A level for a codec without levels is ignored, as Java does.
  auto snappy = ParquetWriteProperties::FromTableProperties(
      {{"write.parquet.compression-codec", "snappy"}, {"write.parquet.compression-level", "5"}});
  ASSERT_TRUE(snappy.ok());
  EXPECT_FALSE(snappy->compression_level.has_value());
  auto defaults = *ParquetWriteProperties::FromTableProperties({});
  EXPECT_EQ(defaults.codec, "zstd");
  EXPECT_EQ(defaults.row_group_size_bytes, 134217728);
  EXPECT_EQ(defaults.page_size_bytes, 1048576);
  EXPECT_EQ(defaults.dict_size_bytes, 2097152);
  EXPECT_EQ(defaults.target_file_size_bytes, 536870912);
}

TEST(ParquetWriter, RejectsBatchesNotConformedToTheSchema) {
  auto schema = EventsSchema();
  floe::testing::TempDir dir;
  auto w = ParquetWriter::Make(schema, {}, io::MakeLocalFileIO(), [&]() -> Result<std::string> {
             return dir.Join("x.parquet");
           }).value();
  auto good = EventsBatch(schema, 0, 3);
  auto wrong_type = arrow::RecordBatch::Make(
      arrow::schema({arrow::field("event_id", arrow::int64())}), 1,
      {Json(arrow::int64(), "[1]")});
  Status st = w->Write(*wrong_type);
  EXPECT_TRUE(st.IsInvalid());
  std::vector<std::shared_ptr<arrow::Array>> columns = good->columns();
  columns[3] = Json(arrow::int32(), "[1, 2, 3]");
  st = w->Write(*arrow::RecordBatch::Make(good->schema(), 3, columns));
  EXPECT_TRUE(st.IsInvalid());
  EXPECT_NE(st.message().find("'day'"), std::string::npos) << st.ToString();
  columns = good->columns();
  columns[0] = Json(arrow::utf8(), R"(["a", null, null])");
  st = w->Write(*arrow::RecordBatch::Make(good->schema(), 3, columns));
  EXPECT_EQ(st.message(), "column 'event_id' is required but has 2 null values");
  // Nothing was written: no file exists, Finish returns none.
  auto files = w->Finish();
  ASSERT_TRUE(files.ok());
  EXPECT_TRUE(files->empty());
  EXPECT_FALSE(std::filesystem::exists(dir.Join("x.parquet")));
  EXPECT_TRUE(w->Write(*good).IsInvalid());  // finished
}

TEST(ParquetWriter, AbortDeletesEveryFileWritten) {
  auto schema = EventsSchema();
  floe::testing::TempDir dir;
  int n = 0;
  auto w = ParquetWriter::Make(schema, {{"write.target-file-size-bytes", "20000"}},
                               io::MakeLocalFileIO(), [&]() -> Result<std::string> {
                                 return dir.Join("a" + std::to_string(n++) + ".parquet");
                               })
               .value();
  ASSERT_TRUE(w->Write(*EventsBatch(schema, 0, 2000)).ok());
  EXPECT_GE(n, 2);
  EXPECT_EQ(w->rows_written(), 2000);
  ASSERT_TRUE(w->Abort().ok());
  for (int i = 0; i < n; ++i) {
    EXPECT_FALSE(std::filesystem::exists(dir.Join("a" + std::to_string(i) + ".parquet")));
  }
}

TEST(ParquetWriter, NamerErrorsStopTheWrite) {
  auto schema = EventsSchema();
  auto w = ParquetWriter::Make(schema, {}, io::MakeLocalFileIO(), []() -> Result<std::string> {
             return Status::IOError("no more names");
           }).value();
  Status st = w->Write(*EventsBatch(schema, 0, 10));
  EXPECT_TRUE(st.IsIOError());
  EXPECT_FALSE(w->Write(*EventsBatch(schema, 0, 10)).ok());  // unusable after an error
  EXPECT_TRUE(w->Abort().ok());
}

TEST(ParquetWriter, UnknownColumnsAreNotWritten) {
  spec::Schema schema(0, {NestedField{1, "id", true, Type::Long()},
                          NestedField{2, "later", false, Type::Unknown()},
                          NestedField{3, "s", false,
                                      Type::Struct({NestedField{4, "u", false, Type::Unknown()},
                                                    NestedField{5, "v", false, Type::Int()}})}});
  auto batch = Batch(schema, {"[1, 2]", "[null, null]", R"([{"u": null, "v": 7}, null])"});
  ASSERT_TRUE(batch->ValidateFull().ok());
  floe::testing::TempDir dir;
  auto files = WriteFiles(schema, {batch}, dir);
  ASSERT_EQ(files.size(), 1u);
  auto footer = Footer(files[0].file_path);
  ASSERT_EQ(footer->num_columns(), 2);
  EXPECT_EQ(footer->schema()->Column(0)->schema_node()->field_id(), 1);
  EXPECT_EQ(footer->schema()->Column(1)->schema_node()->field_id(), 5);
  ExpectSameRows({batch}, ReadBack(files[0].file_path, schema));
}

TEST(ParquetWriter, ParallelColumnEncodingWritesTheSameRows) {
  auto schema = NestedSchema();
  auto batch = NestedBatch(schema);
  ParquetWriterOptions options;
  options.use_threads = true;
  floe::testing::TempDir dir;
  auto files = WriteFiles(schema, {batch, batch}, dir, {}, options);
  ASSERT_EQ(files.size(), 1u);
  ExpectSameRows({batch, batch}, ReadBack(files[0].file_path, schema));
}


// ---------------------------------------------------------------------------
// Throughput (printed, not asserted). FLOE_PERF_ROWS sets the row count
// (default 100,000; the figures in reviews use 1,000,000).

TEST(ParquetWriter, Throughput) {
  const char* env = std::getenv("FLOE_PERF_ROWS");
  const int64_t rows = env ? std::atoll(env) : 100000;
  constexpr int64_t kBatch = 64 * 1024;
  auto schema = EventsSchema();
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  for (int64_t r = 0; r < rows; r += kBatch) {
    batches.push_back(EventsBatch(schema, r, std::min(kBatch, rows - r)));
  }
  auto seconds_since = [](std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  for (bool threads : {false, true}) {
    floe::testing::TempDir dir;
    ParquetWriterOptions options;
    options.use_threads = threads;
    auto start = std::chrono::steady_clock::now();
    auto files = WriteFiles(schema, batches, dir, {}, options);
    const double write_s = seconds_since(start);
    ASSERT_EQ(files.size(), 1u);
    std::printf("[ perf     ] write %lld events rows (threads %s): %.2f s, %.2f M rows/s, "
                "%.1f MB file\n",
                static_cast<long long>(rows), threads ? "on" : "off", write_s,
                rows / write_s / 1e6, files[0].file_size_in_bytes / 1e6);

    ParquetReadOptions read_options;
    read_options.use_threads = threads;
    start = std::chrono::steady_clock::now();
    auto reader = ParquetReader::Open(io::MakeLocalFileIO(), files[0].file_path, schema,
                                      read_options);
    ASSERT_TRUE(reader.ok());
    auto it = (*reader)->Read();
    ASSERT_TRUE(it.ok());
    int64_t read_rows = 0;
    while (true) {
      auto b = (*it)->Next();
      ASSERT_TRUE(b.ok());
      if (!*b) break;
      read_rows += (*b)->num_rows();
    }
    const double read_s = seconds_since(start);
    EXPECT_EQ(read_rows, rows);
    std::printf("[ perf     ] read  %lld events rows (threads %s): %.2f s, %.2f M rows/s\n",
                static_cast<long long>(read_rows), threads ? "on" : "off", read_s,
                read_rows / read_s / 1e6);
  }
  // How close rolling gets to the target.
  floe::testing::TempDir dir;
  const int64_t target = std::max<int64_t>(64 * 1024, rows * 130 / 5);
  auto files = WriteFiles(schema, batches, dir,
                          {{"write.target-file-size-bytes", std::to_string(target)}});
  std::string sizes;
  for (const auto& f : files) {
    sizes += " " + std::to_string(f.file_size_in_bytes * 100 / target) + "%";
  }
  std::printf("[ perf     ] target %lld bytes: %zu files, sizes as %% of target:%s\n",
              static_cast<long long>(target), files.size(), sizes.c_str());
}

}  // namespace
}  // namespace floe::data
