#include "floe/expr/arrow_eval.h"

#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "floe/data/arrow_schema.h"
#include "floe/expr/expr_test_util.h"

namespace floe::expr {
namespace {

using internal::Truth;
using spec::Literal;
using spec::Type;
using spec::TypeId;
using testing::MustBind;
using testing::RefOf;
using testing::TestSchema;
using testing::ValueGen;

// An Arrow scalar of `arrow_type` (the storage type for uuid) for a literal.
std::shared_ptr<arrow::Scalar> ScalarOf(const Literal& v, const Type& t,
                                        const std::shared_ptr<arrow::DataType>& arrow_type) {
  switch (t.id()) {
    case TypeId::kBoolean: return arrow::MakeScalar(v.bool_value());
    case TypeId::kInt: return arrow::MakeScalar(v.int_value());
    case TypeId::kDate: return std::make_shared<arrow::Date32Scalar>(v.int_value());
    case TypeId::kLong: return arrow::MakeScalar(v.long_value());
    case TypeId::kTime: return std::make_shared<arrow::Time64Scalar>(v.long_value(), arrow_type);
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs:
      return std::make_shared<arrow::TimestampScalar>(v.long_value(), arrow_type);
    case TypeId::kFloat: return arrow::MakeScalar(v.float_value());
    case TypeId::kDouble: return arrow::MakeScalar(v.double_value());
    case TypeId::kDecimal: {
      const spec::Int128 u = v.decimal_value();
      return std::make_shared<arrow::Decimal128Scalar>(
          arrow::Decimal128(static_cast<int64_t>(u >> 64), static_cast<uint64_t>(u)), arrow_type);
    }
    case TypeId::kString: return std::make_shared<arrow::StringScalar>(v.string_value());
    case TypeId::kBinary:
      return std::make_shared<arrow::BinaryScalar>(arrow::Buffer::FromString(v.bytes_value()));
    default:
      return std::make_shared<arrow::FixedSizeBinaryScalar>(
          arrow::Buffer::FromString(v.bytes_value()), arrow_type);
  }
}

// An Arrow array of the Iceberg type's Arrow type holding `values`.
std::shared_ptr<arrow::Array> ArrayOf(const Type& t, const std::vector<Literal>& values) {
  std::shared_ptr<arrow::DataType> type = *data::ToArrowType(t);
  std::shared_ptr<arrow::DataType> storage = type;
  if (type->id() == arrow::Type::EXTENSION) {
    storage = static_cast<const arrow::ExtensionType&>(*type).storage_type();
  }
  std::unique_ptr<arrow::ArrayBuilder> builder;
  EXPECT_TRUE(arrow::MakeBuilder(arrow::default_memory_pool(), storage, &builder).ok());
  for (const Literal& v : values) {
    if (v.is_null()) {
      EXPECT_TRUE(builder->AppendNull().ok());
    } else {
      EXPECT_TRUE(builder->AppendScalar(*ScalarOf(v, t, storage)).ok());
    }
  }
  std::shared_ptr<arrow::Array> array = *builder->Finish();
  if (type != storage) return arrow::ExtensionType::WrapArray(type, array);
  return array;
}

// A batch of the test schema with random rows; `rows[r][id]` is the value
// each column (by field id) holds in row r, null under a null struct.
struct TestBatch {
  std::shared_ptr<arrow::RecordBatch> batch;
  std::vector<std::map<int32_t, Literal>> rows;
};

TestBatch RandomBatch(ValueGen& gen, int64_t n) {
  const spec::Schema schema = TestSchema();
  std::shared_ptr<arrow::Schema> arrow_schema = *data::ToArrowSchema(schema);
  TestBatch out;
  out.rows.resize(static_cast<size_t>(n));
  std::vector<std::shared_ptr<arrow::Array>> columns;
  auto column_values = [&](int32_t id, int null_percent) {
    std::vector<Literal> values;
    for (int64_t r = 0; r < n; ++r) {
      values.push_back(gen.MaybeNull(*schema.FindField(id)->type, null_percent));
      out.rows[static_cast<size_t>(r)][id] = values.back();
    }
    return values;
  };
  for (const spec::NestedField& f : schema.fields()) {
    if (f.type->id() == TypeId::kStruct) {
      std::vector<bool> valid;
      for (int64_t r = 0; r < n; ++r) valid.push_back(!gen.Chance(20));
      std::vector<std::shared_ptr<arrow::Array>> children;
      for (const spec::NestedField& c : f.type->fields()) {
        children.push_back(ArrayOf(*c.type, column_values(c.id, c.required ? 0 : 20)));
        for (int64_t r = 0; r < n; ++r) {
          if (!valid[static_cast<size_t>(r)]) out.rows[static_cast<size_t>(r)][c.id] = Literal();
        }
      }
      arrow::TypedBufferBuilder<bool> bits;
      for (bool b : valid) EXPECT_TRUE(bits.Append(b).ok());
      std::shared_ptr<arrow::Buffer> bitmap = *bits.Finish();
      const auto& struct_type = static_cast<const arrow::StructType&>(
          *arrow_schema->GetFieldByName(f.name)->type());
      columns.push_back(*arrow::StructArray::Make(children, struct_type.fields(), bitmap));
    } else if (f.type->id() == TypeId::kList) {
      columns.push_back(*arrow::MakeArrayOfNull(arrow_schema->GetFieldByName(f.name)->type(), n));
    } else {
      columns.push_back(ArrayOf(*f.type, column_values(f.id, f.required ? 0 : 20)));
    }
  }
  out.batch = arrow::RecordBatch::Make(arrow_schema, n, columns);
  EXPECT_TRUE(out.batch->ValidateFull().ok());
  return out;
}

std::vector<bool> MaskOf(const BoundExpr& e, const arrow::RecordBatch& batch) {
  Result<std::shared_ptr<arrow::BooleanArray>> mask = EvaluateMask(e, batch);
  EXPECT_TRUE(mask.ok()) << e.ToString() << ": " << mask.status().ToString();
  std::vector<bool> out;
  if (!mask.ok()) return out;
  EXPECT_EQ((*mask)->null_count(), 0);
  for (int64_t i = 0; i < (*mask)->length(); ++i) out.push_back((*mask)->Value(i));
  return out;
}

std::vector<bool> Reference(const BoundExpr& e, const TestBatch& b) {
  std::vector<bool> out;
  for (const auto& row : b.rows) {
    const auto value_of = [&](const BoundReference& ref) -> const Literal& {
      return row.at(ref.field_id);
    };
    out.push_back(internal::EvalRow(e, value_of) == Truth::kTrue);
  }
  return out;
}

TEST(ArrowEvalTest, RandomFiltersMatchRowByRowReference) {
  const spec::Schema schema = TestSchema();
  std::vector<BoundReference> refs;
  for (int32_t id : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 22, 23, 24}) {
    refs.push_back(RefOf(schema, id));
  }
  ValueGen gen(123);
  int64_t selected = 0, total = 0;
  for (int batch_no = 0; batch_no < 40; ++batch_no) {
    TestBatch b = RandomBatch(gen, gen.Int(0, 200));
    for (int f = 0; f < 60; ++f) {
      // Mostly single predicates (every type and operation), some trees.
      BoundExprPtr filter = gen.Chance(60) ? gen.Predicate(gen.Pick(refs)) : gen.Tree(refs, 3);
      const std::vector<bool> got = MaskOf(*filter, *b.batch);
      const std::vector<bool> want = Reference(*filter, b);
      ASSERT_EQ(got.size(), want.size());
      for (size_t r = 0; r < got.size(); ++r) {
        ++total;
        selected += want[r];
        if (got[r] != want[r]) {
          std::string row;
          for (const auto& [id, v] : b.rows[r]) {
            row += " " + std::to_string(id) + "=" +
                   spec::LiteralToString(v, *schema.FindField(id)->type);
          }
          ADD_FAILURE() << filter->ToString() << " row " << r << ": arrow " << got[r]
                        << ", reference " << want[r] << "\n " << row;
          break;
        }
      }
    }
  }
  EXPECT_GT(total, 100000);
  EXPECT_GT(selected, 20000);
}

// A small hand-made batch: columns x (double), s (string), n (long).
std::shared_ptr<arrow::RecordBatch> SmallBatch() {
  auto field = [](std::string name, std::shared_ptr<arrow::DataType> t, int id) {
    return arrow::field(std::move(name), std::move(t), true,
                        arrow::key_value_metadata({"PARQUET:field_id"}, {std::to_string(id)}));
  };
  auto schema = arrow::schema({field("x", arrow::float64(), 5), field("s", arrow::utf8(), 7),
                               field("n", arrow::int32(), 3)});
  arrow::DoubleBuilder x;
  EXPECT_TRUE(x.AppendValues({1.0, std::nan(""), -0.0, 0.0, 7.0}).ok());
  EXPECT_TRUE(x.AppendNull().ok());
  arrow::StringBuilder s;
  for (const char* v : {"apple", "", "€uro", "banana"}) EXPECT_TRUE(s.Append(v).ok());
  EXPECT_TRUE(s.AppendNull().ok());
  EXPECT_TRUE(s.Append("ap").ok());
  // n is an int32 column read for a long field (promotion): cast on the fly.
  arrow::Int32Builder n;
  EXPECT_TRUE(n.AppendValues({5, 6, 7}).ok());
  EXPECT_TRUE(n.AppendNull().ok());
  EXPECT_TRUE(n.AppendValues({5, 3000}).ok());
  return arrow::RecordBatch::Make(schema, 6, {*x.Finish(), *s.Finish(), *n.Finish()});
}

std::vector<bool> SmallMask(std::string_view filter) {
  return MaskOf(*MustBind(filter, TestSchema()), *SmallBatch());
}

using Mask = std::vector<bool>;

TEST(ArrowEvalTest, ThreeValuedLogic) {
  // x: 1, NaN, -0.0, 0.0, 7, null
  EXPECT_EQ(SmallMask("d = 1"), (Mask{1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(SmallMask("d != 1"), (Mask{0, 1, 1, 1, 1, 0}));  // NaN != 1; null dropped
  EXPECT_EQ(SmallMask("d < 1"), (Mask{0, 0, 1, 1, 0, 0}));   // NaN < 1 is FALSE
  EXPECT_EQ(SmallMask("d >= 1"), (Mask{1, 0, 0, 0, 1, 0}));
  EXPECT_EQ(SmallMask("not d < 1"), (Mask{1, 1, 0, 0, 1, 0}));  // NaN matches, null does not
  EXPECT_EQ(SmallMask("d = 0"), (Mask{0, 0, 1, 1, 0, 0}));      // -0.0 == 0.0
  EXPECT_EQ(SmallMask("d in (0, 7)"), (Mask{0, 0, 1, 1, 1, 0}));
  EXPECT_EQ(SmallMask("d not in (0, 7)"), (Mask{1, 1, 0, 0, 0, 0}));
  EXPECT_EQ(SmallMask("d is nan"), (Mask{0, 1, 0, 0, 0, 0}));
  EXPECT_EQ(SmallMask("d is not nan"), (Mask{1, 0, 1, 1, 1, 1}));
  EXPECT_EQ(SmallMask("d is null"), (Mask{0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(SmallMask("d is not null"), (Mask{1, 1, 1, 1, 1, 0}));
  // s: apple, '', €uro, banana, null, ap
  EXPECT_EQ(SmallMask("s starts with 'ap'"), (Mask{1, 0, 0, 0, 0, 1}));
  EXPECT_EQ(SmallMask("s not starts with 'ap'"), (Mask{0, 1, 1, 1, 0, 0}));
  EXPECT_EQ(SmallMask("s starts with '€'"), (Mask{0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(SmallMask("s starts with ''"), (Mask{1, 1, 1, 1, 0, 1}));
  EXPECT_EQ(SmallMask("s > 'b'"), (Mask{0, 0, 1, 1, 0, 0}));  // UTF-8 byte order
  // Kleene and/or: UNKNOWN or TRUE is TRUE, UNKNOWN and FALSE is FALSE.
  EXPECT_EQ(SmallMask("s = 'x' or d is null"), (Mask{0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(SmallMask("not (s = 'apple' and d = 5)"), (Mask{1, 1, 1, 1, 1, 1}));
  EXPECT_EQ(SmallMask("not (s = 'zzz' or d = 5)"), (Mask{1, 1, 1, 1, 0, 0}));
  // n: 5, 6, 7, null, 5, 3000 (an int32 column for the long field l)
  EXPECT_EQ(SmallMask("l not in (5, 6)"), (Mask{0, 0, 1, 0, 0, 1}));
  EXPECT_EQ(SmallMask("l > 2147483648 or l = 3000"), (Mask{0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(SmallMask("true"), (Mask{1, 1, 1, 1, 1, 1}));
  EXPECT_EQ(SmallMask("false"), (Mask{0, 0, 0, 0, 0, 0}));
}

TEST(ArrowEvalTest, FilterBatch) {
  std::shared_ptr<arrow::RecordBatch> batch = SmallBatch();
  Result<std::shared_ptr<arrow::RecordBatch>> out =
      FilterBatch(*MustBind("d != 1 and s is not null", TestSchema()), *batch);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ((*out)->num_rows(), 3);
  EXPECT_EQ((*out)->schema()->ToString(), batch->schema()->ToString());
  auto s = std::static_pointer_cast<arrow::StringArray>((*out)->column(1));
  EXPECT_EQ(s->GetString(0), "");
  EXPECT_EQ(s->GetString(1), "€uro");
  EXPECT_EQ(s->GetString(2), "banana");

  out = FilterBatch(*MustBind("l is not null or l is null", TestSchema()), *batch);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)->num_rows(), 6);
  EXPECT_EQ((*out)->column(0)->data()->buffers[1], batch->column(0)->data()->buffers[1]);

  out = FilterBatch(*MustBind("false", TestSchema()), *batch);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)->num_rows(), 0);
  EXPECT_EQ((*out)->num_columns(), 3);

  std::shared_ptr<arrow::RecordBatch> empty = batch->Slice(0, 0);
  out = FilterBatch(*MustBind("d = 1", TestSchema()), *empty);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)->num_rows(), 0);
}

TEST(ArrowEvalTest, ColumnsAreFoundAndCastByFieldId) {
  std::shared_ptr<arrow::RecordBatch> batch = SmallBatch();
  Result<std::shared_ptr<arrow::BooleanArray>> mask =
      EvaluateMask(*MustBind("i = 1", TestSchema()), *batch);
  ASSERT_FALSE(mask.ok());
  EXPECT_NE(mask.status().message().find("column i (field id 2) is not in the record batch"),
            std::string::npos)
      << mask.status().ToString();

  // Dictionary and large strings, and a uuid stored as fixed_size_binary(16).
  auto meta = [](int id) {
    return arrow::key_value_metadata({"PARQUET:field_id"}, {std::to_string(id)});
  };
  arrow::StringDictionaryBuilder dict;
  ASSERT_TRUE(dict.Append("b").ok());
  ASSERT_TRUE(dict.Append("a").ok());
  ASSERT_TRUE(dict.AppendNull().ok());
  ASSERT_TRUE(dict.Append("b").ok());
  arrow::LargeStringBuilder large;
  ASSERT_TRUE(large.AppendValues({"x", "y", "z", "x"}).ok());
  arrow::FixedSizeBinaryBuilder uuid(arrow::fixed_size_binary(16));
  for (char c : {'\x01', '\x02', '\x01', '\x03'}) ASSERT_TRUE(uuid.Append(std::string(16, c)).ok());
  auto schema = arrow::schema({arrow::field("s", arrow::dictionary(arrow::int32(), arrow::utf8()),
                                            true, meta(7)),
                               arrow::field("p", arrow::large_utf8(), true, meta(18)),
                               arrow::field("u", arrow::fixed_size_binary(16), true, meta(13))});
  auto b2 = arrow::RecordBatch::Make(schema, 4, {*dict.Finish(), *large.Finish(), *uuid.Finish()});
  EXPECT_EQ(MaskOf(*MustBind("s = 'b' or payload.source = 'y'", TestSchema()), *b2),
            (Mask{1, 1, 0, 1}));
  EXPECT_EQ(MaskOf(*MustBind("u = X'01010101010101010101010101010101'", TestSchema()), *b2),
            (Mask{1, 0, 1, 0}));
  EXPECT_EQ(MaskOf(*MustBind("u in (X'02020202020202020202020202020202', "
                             "X'03030303030303030303030303030303')",
                             TestSchema()),
                   *b2),
            (Mask{0, 1, 0, 1}));
}

}  // namespace
}  // namespace floe::expr
