// Column metrics of written files: the truncation rules of §5 and the
// counts and bounds of every type, nested fields and metrics modes.
#include "floe/data/column_metrics.h"

#include <arrow/api.h>
#include <arrow/extension/uuid.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "floe/data/parquet_test_util.h"

namespace floe::data {
namespace {

using spec::Literal;
using spec::NestedField;
using spec::Type;
using testing::Batch;
using testing::Json;
using testing::Lookup;
using testing::WriteFiles;

// --- Truncation -------------------------------------------------------------

TEST(BoundTruncation, AsciiAndShortValues) {
  EXPECT_EQ(TruncateLowerBoundString("iceberg", 3), "ice");
  EXPECT_EQ(TruncateUpperBoundString("iceberg", 3), "icf");
  EXPECT_EQ(TruncateLowerBoundString("ice", 3), "ice");
  EXPECT_EQ(TruncateUpperBoundString("ice", 3), "ice");  // not truncated: kept exact
  EXPECT_EQ(TruncateLowerBoundString("", 16), "");
  EXPECT_EQ(TruncateUpperBoundString("", 16), "");
}

TEST(BoundTruncation, CountsCodePointsNotBytes) {
  // "café au lait": é is two bytes but one code point.
  EXPECT_EQ(TruncateLowerBoundString("caf\u00e9 au lait", 4), "caf\u00e9");
  EXPECT_EQ(TruncateUpperBoundString("caf\u00e9 au lait", 4), "caf\u00ea");
  // An emoji (4 bytes, outside the BMP) counts as one code point.
  EXPECT_EQ(TruncateLowerBoundString("a\U0001F600bc", 2), "a\U0001F600");
  EXPECT_EQ(TruncateUpperBoundString("a\U0001F600bc", 2), "a\U0001F601");
  // Three-byte CJK.
  EXPECT_EQ(TruncateUpperBoundString("\u6c34\u6c34\u6c34", 2), "\u6c34\u6c35");
}

TEST(BoundTruncation, IncrementCrossesEncodingLengths) {
  // U+007F + 1 = U+0080, which takes two bytes.
  EXPECT_EQ(TruncateUpperBoundString("\x7f\x7f", 1), "\u0080");
  // U+07FF + 1 = U+0800 (three bytes), U+FFFF + 1 = U+10000 (four bytes).
  EXPECT_EQ(TruncateUpperBoundString("\u07ffx", 1), "\u0800");
  EXPECT_EQ(TruncateUpperBoundString("\uffffx", 1), "\U00010000");
}

TEST(BoundTruncation, SkipsSurrogates) {
  // U+D7FF + 1 would be a surrogate: the next code point is U+E000.
  EXPECT_EQ(TruncateUpperBoundString("\ud7ffzz", 1), "\ue000");
}

TEST(BoundTruncation, CarriesAndGivesUpWhenImpossible) {
  // The last code point is U+10FFFF: drop it, increment the one before.
  EXPECT_EQ(TruncateUpperBoundString("a\U0010FFFFz", 2), "b");
  EXPECT_EQ(TruncateUpperBoundString("\U0010FFFF\U0010FFFFz", 2), std::nullopt);
  EXPECT_EQ(TruncateLowerBoundString("\U0010FFFF\U0010FFFFz", 2), "\U0010FFFF\U0010FFFF");
}

TEST(BoundTruncation, InvalidUtf8IsKeptWhole) {
  const std::string bad = "ab\xff\xfe" "cd";
  EXPECT_EQ(TruncateLowerBoundString(bad, 1), "a");  // the prefix decodes
  EXPECT_EQ(TruncateLowerBoundString(bad, 3), bad);
  EXPECT_EQ(TruncateUpperBoundString(bad, 3), bad);
}

TEST(BoundTruncation, Binary) {
  EXPECT_EQ(TruncateLowerBoundBinary(std::string("\x01\x02\x03", 3), 2), std::string("\x01\x02"));
  EXPECT_EQ(TruncateUpperBoundBinary(std::string("\x01\x02\x03", 3), 2), std::string("\x01\x03"));
  // 0x7F + 1 = 0x80: no carry, bytes are unsigned.
  EXPECT_EQ(TruncateUpperBoundBinary(std::string("\x7f\x00", 2), 1), std::string("\x80"));
  // 0xFF carries into the byte before it.
  EXPECT_EQ(TruncateUpperBoundBinary(std::string("\x01\xff\x05", 3), 2), std::string("\x02"));
  EXPECT_EQ(TruncateUpperBoundBinary(std::string("\xff\xff\x00", 3), 2), std::nullopt);
  EXPECT_EQ(TruncateUpperBoundBinary(std::string("\xff\xff", 2), 2), std::string("\xff\xff"));
  EXPECT_EQ(TruncateUpperBoundBinary("", 2), "");
}

// --- Metrics of written files -----------------------------------------------

std::string Ser(const Literal& v, const std::shared_ptr<const Type>& t) {
  return spec::SerializeSingleValue(v, *t);
}

std::shared_ptr<arrow::Array> Floats(const std::vector<std::optional<float>>& values) {
  arrow::FloatBuilder b;
  for (const auto& v : values) EXPECT_TRUE((v ? b.Append(*v) : b.AppendNull()).ok());
  return *b.Finish();
}

std::shared_ptr<arrow::Array> Doubles(const std::vector<std::optional<double>>& values) {
  arrow::DoubleBuilder b;
  for (const auto& v : values) EXPECT_TRUE((v ? b.Append(*v) : b.AppendNull()).ok());
  return *b.Finish();
}

std::shared_ptr<arrow::Array> Uuids(const std::vector<std::optional<std::string>>& values) {
  arrow::FixedSizeBinaryBuilder b(arrow::fixed_size_binary(16));
  for (const auto& v : values) EXPECT_TRUE((v ? b.Append(*v) : b.AppendNull()).ok());
  return arrow::ExtensionType::WrapArray(arrow::extension::uuid(), *b.Finish());
}

TEST(ColumnMetrics, EveryPrimitiveType) {
  const double kNaN = std::numeric_limits<double>::quiet_NaN();
  spec::Schema schema(0, {
      NestedField{1, "b", false, Type::Boolean()},
      NestedField{2, "i", false, Type::Int()},
      NestedField{3, "l", false, Type::Long()},
      NestedField{4, "f", false, Type::Float()},
      NestedField{5, "d", false, Type::Double()},
      NestedField{6, "dec", false, Type::Decimal(9, 2)},
      NestedField{7, "big", false, Type::Decimal(30, 4)},
      NestedField{8, "day", false, Type::Date()},
      NestedField{9, "tod", false, Type::Time()},
      NestedField{10, "ts", false, Type::Timestamp()},
      NestedField{11, "tstz", false, Type::TimestampTz()},
      NestedField{12, "tsns", false, Type::TimestampNs()},
      NestedField{13, "tstzns", false, Type::TimestampTzNs()},
      NestedField{14, "s", false, Type::String()},
      NestedField{15, "u", false, Type::Uuid()},
      NestedField{16, "fx", false, Type::Fixed(3)},
      NestedField{17, "bin", false, Type::Binary()},
  });
  auto arrow_schema = *ToArrowSchema(schema);
  const std::string u1("\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff", 16);
  const std::string u2("\xf7\x9c\x3e\x09\x67\x7c\x4b\xbd\xa4\x79\x3f\x34\x9c\xb7\x85\xe7", 16);
  std::vector<std::shared_ptr<arrow::Array>> columns = {
      Json(arrow::boolean(), "[true, null, false, true]"),
      Json(arrow::int32(), "[3, -7, null, 2147483647]"),
      Json(arrow::int64(), "[null, -9000000000, 5, 0]"),
      Floats({1.5f, std::nanf(""), -0.0f, 0.0f}),
      Doubles({kNaN, kNaN, std::nullopt, kNaN}),
      Json(arrow_schema->field(5)->type(), R"(["14.20", "-1.00", null, "0.05"])"),
      Json(arrow_schema->field(6)->type(),
           R"(["-12345678901234567890123456.7891", null, "0.0001", "2.0000"])"),
      Json(arrow::date32(), "[17486, -1, null, 0]"),
      Json(arrow_schema->field(8)->type(), "[81068000000, null, 0, 1]"),
      Json(arrow_schema->field(9)->type(), "[1510871468000001, -1, null, 0]"),
      Json(arrow_schema->field(10)->type(), "[1510871468000000, 0, 7, null]"),
      Json(arrow_schema->field(11)->type(), "[1510871468000000001, null, -5, 9]"),
      Json(arrow_schema->field(12)->type(), "[null, null, 42, 41]"),
      Json(arrow::utf8(), R"(["iceberg", "", "caf\u00e9", null])"),
      Uuids({u2, std::nullopt, u1, u2}),
      Json(arrow::fixed_size_binary(3), R"(["abc", "ab\u0000", null, "zzz"])"),
      Json(arrow::binary(), R"(["\u0001", "", null, "\u007f\u0000"])"),
  };
  auto batch = arrow::RecordBatch::Make(arrow_schema, 4, columns);
  floe::testing::TempDir dir;
  auto files = WriteFiles(schema, {batch}, dir);
  ASSERT_EQ(files.size(), 1u);
  const manifest::DataFile& df = files[0];
  EXPECT_EQ(df.record_count, 4);

  for (int32_t id = 1; id <= 17; ++id) {
    EXPECT_EQ(Lookup(df.value_counts, id), 4) << id;
    EXPECT_TRUE(Lookup(df.column_sizes, id).has_value()) << id;
  }
  EXPECT_EQ(Lookup(df.null_value_counts, 1), 1);
  EXPECT_EQ(Lookup(df.null_value_counts, 13), 2);
  EXPECT_EQ(Lookup(df.null_value_counts, 4), 0);

  auto bounds = [&](int32_t id) {
    return std::make_pair(Lookup(df.lower_bounds, id), Lookup(df.upper_bounds, id));
  };
  auto expect = [&](int32_t id, const Literal& lo, const Literal& hi) {
    const auto& type = schema.FindField(id)->type;
    auto [l, u] = bounds(id);
    EXPECT_EQ(l, Ser(lo, type)) << "lower bound of field " << id;
    EXPECT_EQ(u, Ser(hi, type)) << "upper bound of field " << id;
  };
  expect(1, Literal::Boolean(false), Literal::Boolean(true));
  expect(2, Literal::Int(-7), Literal::Int(2147483647));
  expect(3, Literal::Long(-9000000000), Literal::Long(5));
  // NaN is never a bound; -0.0 sorts before +0.0 (§Data File Fields n.2).
  expect(4, Literal::Float(-0.0f), Literal::Float(1.5f));
  EXPECT_EQ(Lookup(df.nan_value_counts, 4), 1);
  // Only NaNs and nulls: NaN count, no bounds.
  EXPECT_EQ(Lookup(df.nan_value_counts, 5), 3);
  EXPECT_FALSE(bounds(5).first.has_value());
  EXPECT_FALSE(bounds(5).second.has_value());
  EXPECT_FALSE(Lookup(df.nan_value_counts, 2).has_value());  // float/double only
  expect(6, Literal::Decimal(-100), Literal::Decimal(1420));
  spec::Int128 big = 0;
  for (char c : std::string("123456789012345678901234567891")) big = big * 10 + (c - '0');
  expect(7, Literal::Decimal(-big), Literal::Decimal(20000));
  expect(8, Literal::Int(-1), Literal::Int(17486));
  expect(9, Literal::Long(0), Literal::Long(81068000000));
  expect(10, Literal::Long(-1), Literal::Long(1510871468000001));
  expect(11, Literal::Long(0), Literal::Long(1510871468000000));
  expect(12, Literal::Long(-5), Literal::Long(1510871468000000001));
  expect(13, Literal::Long(41), Literal::Long(42));
  expect(14, Literal::String(""), Literal::String("iceberg"));  // empty string is a bound
  expect(15, Literal::Binary(u1), Literal::Binary(u2));         // unsigned byte order
  expect(16, Literal::Binary(std::string("ab\0", 3)), Literal::Binary("zzz"));
  expect(17, Literal::Binary(""), Literal::Binary(std::string("\x7f\x00", 2)));
}

TEST(ColumnMetrics, TruncatesStringAndBinaryBounds) {
  spec::Schema schema(0, {NestedField{1, "s", false, Type::String()},
                          NestedField{2, "e", false, Type::String()},
                          NestedField{3, "max", false, Type::String()},
                          NestedField{4, "bin", false, Type::Binary()},
                          NestedField{5, "ff", false, Type::Binary()},
                          NestedField{6, "full", false, Type::String()}});
  // 17 code points at most; the default truncate(16) applies, "full" is exact.
  const std::string long_a(20, 'a');
  const std::string emoji = "\U0001F600\U0001F600\U0001F600";
  auto batch = Batch(schema, {
      R"(["abcdefghijklmnopq", "abcdefghijklmnopz", null])",
      "[\"" + emoji + "\", \"x\", null]",
      R"(["\udbff\udfff\udbff\udfff", null, null])",
      R"(["0123456789abcdefXYZ", "0", null])",
      R"(["\u00ff", null, null])",
      "[\"" + long_a + "\", null, null]",
  });
  // "max" is U+10FFFF twice: no upper bound of one code point exists.
  std::map<std::string, std::string> props = {
      {"write.metadata.metrics.column.e", "truncate(2)"},
      {"write.metadata.metrics.column.max", "truncate(1)"},
      {"write.metadata.metrics.column.full", "full"}};
  floe::testing::TempDir dir;
  auto files = WriteFiles(schema, {batch}, dir, props);
  ASSERT_EQ(files.size(), 1u);
  const auto& df = files[0];
  EXPECT_EQ(Lookup(df.lower_bounds, 1), "abcdefghijklmnop");
  EXPECT_EQ(Lookup(df.upper_bounds, 1), "abcdefghijklmnoq");
  EXPECT_EQ(Lookup(df.lower_bounds, 2), "x");
  EXPECT_EQ(Lookup(df.upper_bounds, 2), "\U0001F600\U0001F601");
  EXPECT_EQ(Lookup(df.lower_bounds, 3), "\U0010FFFF");
  EXPECT_FALSE(Lookup(df.upper_bounds, 3).has_value());  // impossible: omitted
  EXPECT_EQ(Lookup(df.lower_bounds, 4), "0");
  EXPECT_EQ(Lookup(df.upper_bounds, 4), "0123456789abcdeg");
  EXPECT_EQ(Lookup(df.lower_bounds, 5), "\xc3\xbf");  // 2 bytes: under the limit
  EXPECT_EQ(Lookup(df.lower_bounds, 6), long_a);
  EXPECT_EQ(Lookup(df.upper_bounds, 6), long_a);
}

TEST(ColumnMetrics, ModesPerColumn) {
  spec::Schema schema(0, {NestedField{1, "a", false, Type::Long()},
                          NestedField{2, "b", false, Type::Double()},
                          NestedField{3, "c", false, Type::String()},
                          NestedField{4, "d", false, Type::String()}});
  auto batch = Batch(schema, {"[1, 2]", "[1.5, null]", R"(["x", "y"])", R"(["p", "q"])"});
  floe::testing::TempDir dir;
  auto files = WriteFiles(schema, {batch}, dir,
                          {{"write.metadata.metrics.default", "counts"},
                           {"write.metadata.metrics.column.c", "full"},
                           {"write.metadata.metrics.column.d", "none"}});
  ASSERT_EQ(files.size(), 1u);
  const auto& df = files[0];
  // counts: counts, no bounds (NaN counts are counts).
  EXPECT_EQ(Lookup(df.value_counts, 1), 2);
  EXPECT_FALSE(Lookup(df.lower_bounds, 1).has_value());
  EXPECT_EQ(Lookup(df.null_value_counts, 2), 1);
  EXPECT_EQ(Lookup(df.nan_value_counts, 2), 0);
  EXPECT_FALSE(Lookup(df.upper_bounds, 2).has_value());
  // full: everything.
  EXPECT_EQ(Lookup(df.lower_bounds, 3), "x");
  EXPECT_EQ(Lookup(df.upper_bounds, 3), "y");
  // none: nothing but the column size.
  EXPECT_FALSE(Lookup(df.value_counts, 4).has_value());
  EXPECT_FALSE(Lookup(df.null_value_counts, 4).has_value());
  EXPECT_FALSE(Lookup(df.lower_bounds, 4).has_value());
  EXPECT_TRUE(Lookup(df.column_sizes, 4).has_value());
}

TEST(ColumnMetrics, MaxInferredColumnDefaults) {
  spec::Schema schema(0, {NestedField{1, "a", false, Type::Int()},
                          NestedField{2, "b", false, Type::Int()},
                          NestedField{3, "c", false, Type::Int()}});
  auto batch = Batch(schema, {"[1]", "[2]", "[3]"});
  floe::testing::TempDir dir;
  auto files = WriteFiles(schema, {batch}, dir,
                          {{"write.metadata.metrics.max-inferred-column-defaults", "2"}});
  ASSERT_EQ(files.size(), 1u);
  EXPECT_TRUE(Lookup(files[0].lower_bounds, 2).has_value());
  EXPECT_FALSE(Lookup(files[0].lower_bounds, 3).has_value());
  EXPECT_FALSE(Lookup(files[0].value_counts, 3).has_value());
}

TEST(ColumnMetrics, AllNullColumnsHaveCountsButNoBounds) {
  spec::Schema schema(0, {NestedField{1, "a", false, Type::String()},
                          NestedField{2, "b", false, Type::Double()}});
  auto batch = Batch(schema, {"[null, null, null]", "[null, null, null]"});
  floe::testing::TempDir dir;
  auto files = WriteFiles(schema, {batch}, dir);
  ASSERT_EQ(files.size(), 1u);
  const auto& df = files[0];
  EXPECT_EQ(Lookup(df.value_counts, 1), 3);
  EXPECT_EQ(Lookup(df.null_value_counts, 1), 3);
  EXPECT_EQ(Lookup(df.nan_value_counts, 2), 0);
  EXPECT_FALSE(Lookup(df.lower_bounds, 1).has_value());
  EXPECT_FALSE(Lookup(df.upper_bounds, 2).has_value());
}

TEST(ColumnMetrics, NestedFields) {
  spec::Schema schema(
      0, {NestedField{1, "payload", false,
                      Type::Struct({NestedField{2, "n", false, Type::Long()},
                                    NestedField{3, "inner", false,
                                                Type::Struct({NestedField{4, "s", false,
                                                                          Type::String()}})}})},
          NestedField{5, "points", false, Type::List(NestedField{6, "element", false,
                                                                 Type::Double()})},
          NestedField{7, "attrs", false,
                      Type::Map(NestedField{8, "key", true, Type::String()},
                                NestedField{9, "value", false, Type::Int()})}});
  auto arrow_schema = *ToArrowSchema(schema);
  // The struct's row 1 is null, but its child arrays hold values there (100,
  // "zzz"): they are not written and must not reach the bounds.
  auto inner_type = arrow_schema->field(0)->type()->field(1)->type();
  auto inner = *arrow::StructArray::Make({Json(arrow::utf8(), R"(["b", "zzz", "a"])")},
                                         inner_type->fields());
  std::shared_ptr<arrow::Buffer> validity = *arrow::AllocateBitmap(3);
  validity->mutable_data()[0] = 0b101;  // rows 0 and 2 valid
  auto payload = *arrow::StructArray::Make({Json(arrow::int64(), "[5, 100, 1]"), inner},
                                           arrow_schema->field(0)->type()->fields(), validity,
                                           1, 0);
  ASSERT_TRUE(payload->ValidateFull().ok());
  auto points = arrow::ListArray::FromArrays(*Json(arrow::int32(), "[0, 2, 2, 3]"),
                                             *Doubles({1.0, std::nan(""), -3.0}));
  auto points_typed = std::make_shared<arrow::ListArray>(
      arrow_schema->field(1)->type(), 3, (*points)->value_offsets(), (*points)->values());
  auto attrs = Json(arrow_schema->field(2)->type(),
                    R"([[["x", 1]], null, [["y", null], ["z", 3]]])");
  auto batch = arrow::RecordBatch::Make(arrow_schema, 3, {payload, points_typed, attrs});
  ASSERT_TRUE(batch->ValidateFull().ok());

  floe::testing::TempDir dir;
  auto files = WriteFiles(schema, {batch}, dir);
  ASSERT_EQ(files.size(), 1u);
  const auto& df = files[0];
  // Struct children: counts and bounds, nulls of the parent counted as nulls.
  EXPECT_EQ(Lookup(df.value_counts, 2), 3);
  EXPECT_EQ(Lookup(df.null_value_counts, 2), 1);
  EXPECT_EQ(Lookup(df.lower_bounds, 2), Ser(Literal::Long(1), Type::Long()));
  EXPECT_EQ(Lookup(df.upper_bounds, 2), Ser(Literal::Long(5), Type::Long()));
  EXPECT_EQ(Lookup(df.lower_bounds, 4), "a");
  EXPECT_EQ(Lookup(df.upper_bounds, 4), "b");
  // List and map leaves: counts (levels, as Java) and NaN counts, no bounds.
  EXPECT_EQ(Lookup(df.value_counts, 6), 4);  // 2 values, an empty list, 1 value
  EXPECT_EQ(Lookup(df.nan_value_counts, 6), 1);
  EXPECT_FALSE(Lookup(df.lower_bounds, 6).has_value());
  EXPECT_EQ(Lookup(df.value_counts, 8), 4);
  EXPECT_EQ(Lookup(df.value_counts, 9), 4);
  EXPECT_FALSE(Lookup(df.lower_bounds, 8).has_value());
  EXPECT_FALSE(Lookup(df.upper_bounds, 9).has_value());
  // No metrics for the nested types themselves.
  for (int32_t id : {1, 3, 5, 7}) {
    EXPECT_FALSE(Lookup(df.value_counts, id).has_value()) << id;
    EXPECT_FALSE(Lookup(df.column_sizes, id).has_value()) << id;
  }
}

}  // namespace
}  // namespace floe::data
