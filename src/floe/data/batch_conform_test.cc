#include "floe/data/batch_conform.h"

#include <arrow/api.h>
#include <arrow/extension/uuid.h>
#include <gtest/gtest.h>

#include "floe/data/parquet_test_util.h"

namespace floe::data {
namespace {

using spec::NestedField;
using spec::Type;
using testing::Json;

std::shared_ptr<arrow::RecordBatch> Input(
    const std::vector<std::pair<std::string, std::shared_ptr<arrow::Array>>>& columns) {
  arrow::FieldVector fields;
  arrow::ArrayVector arrays;
  for (const auto& [name, array] : columns) {
    fields.push_back(arrow::field(name, array->type()));
    arrays.push_back(array);
  }
  const int64_t rows = arrays.empty() ? 0 : arrays[0]->length();
  return arrow::RecordBatch::Make(arrow::schema(fields), rows, arrays);
}

spec::Schema Events() {
  return spec::Schema(0, {NestedField{1, "event_id", true, Type::String()},
                          NestedField{2, "user_id", false, Type::String()},
                          NestedField{3, "count", false, Type::Long()}});
}

std::string Conformed(const arrow::RecordBatch& batch, const spec::Schema& schema) {
  auto r = ConformBatch(batch, schema);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return "";
  EXPECT_TRUE((*r)->ValidateFull().ok());
  EXPECT_TRUE((*r)->schema()->Equals(**ToArrowSchema(schema), /*check_metadata=*/true))
      << (*r)->schema()->ToString(true);
  std::string out;
  for (int i = 0; i < (*r)->num_columns(); ++i) {
    out += (i ? " | " : "") + testing::Show(*(*r)->column(i));
  }
  return out;
}

std::string Error(const arrow::RecordBatch& batch, const spec::Schema& schema) {
  auto r = ConformBatch(batch, schema);
  EXPECT_FALSE(r.ok());
  if (r.ok()) return "";
  EXPECT_TRUE(r.status().IsInvalid()) << r.status().ToString();
  return r.status().message();
}

TEST(ConformBatch, ReordersMatchesCaseAndAddsMissingColumns) {
  auto in = Input({{"COUNT", Json(arrow::int32(), "[1, 2]")},
                   {"event_id", Json(arrow::utf8(), R"(["a", "b"])")}});
  EXPECT_EQ(Conformed(*in, Events()), "[a, b] | [null, null] | [1, 2]");
}

TEST(ConformBatch, ErrorMessages) {
  auto schema = Events();
  EXPECT_EQ(Error(*Input({{"user_id", Json(arrow::utf8(), R"(["u"])")}}), schema),
            "missing required column 'event_id' (string, field id 1)");
  EXPECT_EQ(Error(*Input({{"event_id", Json(arrow::utf8(), R"(["e"])")},
                          {"user_id", Json(arrow::int64(), "[5]")}}),
                  schema),
            "column 'user_id': cannot write int64 into string");
  EXPECT_EQ(Error(*Input({{"event_id", Json(arrow::utf8(), R"(["a", null, null, "b", null])")}}),
                  schema),
            "column 'event_id' is required but has 3 null values");
  EXPECT_EQ(Error(*Input({{"event_id", Json(arrow::utf8(), R"(["e"])")},
                          {"extra", Json(arrow::utf8(), R"(["x"])")}}),
                  schema),
            "column 'extra' is not in the table schema (add the column to the table first, or "
            "drop it from the input)");
  EXPECT_EQ(Error(*Input({{"event_id", Json(arrow::utf8(), R"(["e"])")},
                          {"x", Json(arrow::utf8(), R"(["x"])")},
                          {"y", Json(arrow::utf8(), R"(["y"])")}}),
                  schema),
            "columns 'x', 'y' are not in the table schema (add the columns to the table first, or "
            "drop them from the input)");
  EXPECT_EQ(Error(*Input({{"Event_Id", Json(arrow::utf8(), R"(["e"])")},
                          {"EVENT_ID", Json(arrow::utf8(), R"(["f"])")}}),
                  schema),
            "column 'event_id' matches both 'Event_Id' and 'EVENT_ID' of the input when case is "
            "ignored; rename one");
  // A null-typed column (an empty CSV column) cannot fill a required field.
  EXPECT_EQ(Error(*Input({{"event_id", std::make_shared<arrow::NullArray>(2)}}), schema),
            "column 'event_id' is required but has 2 null values");
}

TEST(ConformBatch, IntegerAndFloatingConversions) {
  spec::Schema schema(0, {NestedField{1, "i", false, Type::Int()},
                          NestedField{2, "l", false, Type::Long()},
                          NestedField{3, "f", false, Type::Float()},
                          NestedField{4, "d", false, Type::Double()},
                          NestedField{5, "d2", false, Type::Double()}});
  auto in = Input({{"i", Json(arrow::uint16(), "[65535]")},
                   {"l", Json(arrow::uint32(), "[4294967295]")},
                   {"f", Json(arrow::int16(), "[-32768]")},
                   {"d", Json(arrow::float32(), "[1.5]")},
                   {"d2", Json(arrow::int64(), "[9007199254740992]")}});
  EXPECT_EQ(Conformed(*in, schema),
            "[65535] | [4294967295] | [-32768] | [1.5] | [9.007199254740992e+15]");
  // Narrowing succeeds only when every value fits.
  auto fits = Input({{"i", Json(arrow::int64(), "[2147483647]")}});
  EXPECT_EQ(Conformed(*fits, schema), "[2147483647] | [null] | [null] | [null] | [null]");
  auto overflow = Input({{"i", Json(arrow::int64(), "[2147483648]")}});
  EXPECT_NE(Error(*overflow, schema).find("column 'i': cannot write int64 into int: "),
            std::string::npos)
      << Error(*overflow, schema);
  auto inexact = Input({{"d", Json(arrow::int64(), "[9007199254740993]")}});
  EXPECT_EQ(Error(*inexact, schema),
            "column 'd': cannot write int64 into double: value 9007199254740993 has no exact "
            "double value");
  EXPECT_EQ(Error(*Input({{"f", Json(arrow::float64(), "[1.5]")}}), schema),
            "column 'f': cannot write double into float");
  EXPECT_EQ(Error(*Input({{"f", Json(arrow::int32(), "[1]")}}), schema),
            "column 'f': cannot write int32 into float");
  EXPECT_EQ(Error(*Input({{"l", Json(arrow::float64(), "[1]")}}), schema),
            "column 'l': cannot write double into long");
}

TEST(ConformBatch, TemporalConversions) {
  spec::Schema schema(0, {NestedField{1, "day", false, Type::Date()},
                          NestedField{2, "ts", false, Type::Timestamp()},
                          NestedField{3, "tstz", false, Type::TimestampTz()},
                          NestedField{4, "ns", false, Type::TimestampNs()},
                          NestedField{5, "tod", false, Type::Time()}});
  auto in = Input(
      {{"day", Json(arrow::date64(), "[86400000]")},
       {"ts", Json(arrow::timestamp(arrow::TimeUnit::MILLI), "[1000]")},
       {"tstz", Json(arrow::timestamp(arrow::TimeUnit::SECOND, "America/New_York"), "[1]")},
       {"ns", Json(arrow::timestamp(arrow::TimeUnit::MICRO), "[2]")},
       {"tod", Json(arrow::time32(arrow::TimeUnit::SECOND), "[3600]")}});
  EXPECT_EQ(Conformed(*in, schema),
            "[1970-01-02] | [1970-01-01 00:00:01.000000] | [1970-01-01 00:00:01.000000Z] | "
            "[1970-01-01 00:00:00.000002000] | [01:00:00.000000]");
  // Losing precision is refused.
  auto lossy = Input({{"ts", Json(arrow::timestamp(arrow::TimeUnit::NANO), "[1001]")}});
  EXPECT_NE(Error(*lossy, schema).find("column 'ts': cannot write timestamp[ns] into timestamp: "),
            std::string::npos);
  // Time zones must match the column.
  auto no_zone = Input({{"tstz", Json(arrow::timestamp(arrow::TimeUnit::MICRO), "[1]")}});
  EXPECT_EQ(Error(*no_zone, schema),
            "column 'tstz': cannot write timestamp[us] into timestamptz: the input has no time "
            "zone (give it one, or store it in a timestamp column)");
  auto zone = Input({{"ts", Json(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"), "[1]")}});
  EXPECT_EQ(Error(*zone, schema),
            "column 'ts': cannot write timestamp[us, tz=UTC] into timestamp: the input has a "
            "time zone and the column has none (store it in a timestamptz column, or drop the "
            "zone from the input)");
  // Strings are not parsed here.
  EXPECT_EQ(Error(*Input({{"day", Json(arrow::utf8(), R"(["2024-01-02"])")}}), schema),
            "column 'day': cannot write string into date");
}

TEST(ConformBatch, StringsBinaryUuidDecimalsDictionaries) {
  spec::Schema schema(0, {NestedField{1, "s", false, Type::String()},
                          NestedField{2, "b", false, Type::Binary()},
                          NestedField{3, "u", false, Type::Uuid()},
                          NestedField{4, "dec", false, Type::Decimal(10, 2)},
                          NestedField{5, "cat", false, Type::String()},
                          NestedField{6, "fx", false, Type::Fixed(2)}});
  auto dict = *arrow::DictionaryArray::FromArrays(
      arrow::dictionary(arrow::int8(), arrow::utf8()), Json(arrow::int8(), "[1]"),
      Json(arrow::utf8(), R"(["a", "b"])"));
  auto in = Input({{"s", Json(arrow::large_utf8(), R"(["x"])")},
                   {"b", Json(arrow::utf8(), R"(["y"])")},
                   {"u", Json(arrow::fixed_size_binary(16), R"(["0123456789abcdef"])")},
                   {"dec", Json(arrow::decimal128(5, 1), R"(["1234.5"])")},
                   {"cat", dict},
                   {"fx", Json(arrow::fixed_size_binary(2), R"(["zz"])")}});
  auto r = ConformBatch(*in, schema);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->column(2)->type()->ToString(), arrow::extension::uuid()->ToString());
  EXPECT_EQ((*r)->column(3)->ToString(), "[\n  1234.50\n]");
  EXPECT_EQ((*r)->column(4)->ToString(), "[\n  \"b\"\n]");
  auto lossy = Input({{"dec", Json(arrow::decimal128(6, 3), R"(["1.234"])")}});
  EXPECT_NE(Error(*lossy, schema).find("column 'dec': cannot write decimal128(6, 3) into "
                                       "decimal(10,2): "),
            std::string::npos)
      << Error(*lossy, schema);
  EXPECT_EQ(Error(*Input({{"fx", Json(arrow::fixed_size_binary(3), R"(["abc"])")}}), schema),
            "column 'fx': cannot write fixed_size_binary[3] into fixed[2]");
}

TEST(ConformBatch, NestedTypes) {
  spec::Schema schema(
      0, {NestedField{1, "payload", false,
                      Type::Struct({NestedField{2, "source", true, Type::String()},
                                    NestedField{3, "n", false, Type::Long()},
                                    NestedField{4, "extra", false, Type::Int()}})},
          NestedField{5, "tags", false, Type::List(NestedField{6, "element", true,
                                                               Type::Long()})},
          NestedField{7, "attrs", false,
                      Type::Map(NestedField{8, "key", true, Type::String()},
                                NestedField{9, "value", false, Type::Double()})}});
  auto payload_type = arrow::struct_({arrow::field("N", arrow::int32()),
                                      arrow::field("source", arrow::large_utf8())});
  auto in = Input({{"attrs", Json(arrow::map(arrow::utf8(), arrow::float32()),
                                  R"([[["k", 1.5]], null])")},
                   {"tags", Json(arrow::large_list(arrow::int32()), "[[1, 2], null]")},
                   {"payload", Json(payload_type, R"([{"N": 1, "source": "web"}, null])")}});
  EXPECT_EQ(Conformed(*in, schema),
            "[{source:web, n:1, extra:null}, null] | [[1, 2], null] | "
            "[[{key:k, value:1.5}], null]");

  // Errors name the nested path.
  auto bad_child = Input({{"payload", Json(arrow::struct_({arrow::field("n", arrow::utf8()),
                                                           arrow::field("source", arrow::utf8())}),
                                           R"([{"n": "1", "source": "x"}])")}});
  EXPECT_EQ(Error(*bad_child, schema), "column 'payload.n': cannot write string into long");
  auto extra_child = Input({{"payload", Json(arrow::struct_({arrow::field("source", arrow::utf8()),
                                                             arrow::field("zzz", arrow::utf8())}),
                                             R"([{"source": "x", "zzz": "y"}])")}});
  EXPECT_EQ(Error(*extra_child, schema),
            "column 'payload.zzz' is not in the table schema (add the column to the table first, or "
            "drop it from the input)");
  // Required child: nulls count only where the parent is valid.
  auto missing_source = Input({{"payload", Json(arrow::struct_({arrow::field("source",
                                                                             arrow::utf8())}),
                                                R"([{"source": null}, null])")}});
  EXPECT_EQ(Error(*missing_source, schema),
            "column 'payload.source' is required but has 1 null values");
  auto no_source = Input({{"payload", Json(arrow::struct_({arrow::field("n", arrow::int64())}),
                                           R"([{"n": 1}])")}});
  EXPECT_EQ(Error(*no_source, schema),
            "missing required column 'payload.source' (string, field id 2)");
  auto null_element = Input({{"tags", Json(arrow::list(arrow::int64()), "[[1, null], null]")}});
  EXPECT_EQ(Error(*null_element, schema),
            "column 'tags.element' is required but has 1 null values");
  auto bad_value = Input({{"attrs", Json(arrow::map(arrow::utf8(), arrow::utf8()),
                                         R"([[["k", "v"]]])")}});
  EXPECT_EQ(Error(*bad_value, schema), "column 'attrs.value': cannot write string into double");
}

TEST(ConformBatch, WriteDefaultsFillMissingColumns) {
  NestedField region{2, "region", true, Type::String()};
  region.write_default = "\"eu\"";
  spec::Schema schema(0, {NestedField{1, "id", true, Type::Long()}, region});
  auto in = Input({{"id", Json(arrow::int64(), "[1, 2]")}});
  EXPECT_EQ(Conformed(*in, schema), "[1, 2] | [eu, eu]");
}

TEST(ConformBatch, UnknownColumnsHoldOnlyNulls) {
  spec::Schema schema(0, {NestedField{1, "id", true, Type::Long()},
                          NestedField{2, "later", false, Type::Unknown()}});
  auto nulls = Input({{"id", Json(arrow::int64(), "[1]")},
                      {"later", Json(arrow::utf8(), "[null]")}});
  EXPECT_EQ(Conformed(*nulls, schema), "[1] | [null]");
  auto values = Input({{"id", Json(arrow::int64(), "[1]")},
                       {"later", Json(arrow::utf8(), R"(["x"])")}});
  EXPECT_EQ(Error(*values, schema),
            "column 'later' has type unknown, which can only hold nulls; drop it or change its "
            "type in the table");
}

}  // namespace
}  // namespace floe::data
