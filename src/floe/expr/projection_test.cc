#include "floe/expr/projection.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "floe/expr/expr_test_util.h"
#include "floe/spec/transform.h"

namespace floe::expr {
namespace {

using internal::Truth;
using spec::Literal;
using spec::PartitionField;
using spec::PartitionSpec;
using spec::Transform;
using spec::Type;
using spec::TypeId;
using spec::TypePtr;
using testing::MustBind;
using testing::TestSchema;
using testing::ValueGen;

PartitionSpec SpecOf(std::vector<PartitionField> fields) {
  return PartitionSpec(1, std::move(fields));
}

PartitionField Field(int32_t source, int32_t id, std::string name, Transform t) {
  PartitionField f;
  f.source_id = source;
  f.field_id = id;
  f.name = std::move(name);
  f.transform = t;
  return f;
}

// Inclusive and strict projections of `filter` onto one partition field.
struct Projected {
  std::string inclusive, strict;
};
Projected Project(std::string_view filter, int32_t source, Transform t, std::string name = "p") {
  const spec::Schema schema = TestSchema();
  const PartitionSpec spec = SpecOf({Field(source, 1000, std::move(name), t)});
  BoundExprPtr e = MustBind(filter, schema);
  Result<BoundExprPtr> inc = InclusiveProjection(e, spec, schema);
  Result<BoundExprPtr> str = StrictProjection(e, spec, schema);
  EXPECT_TRUE(inc.ok()) << inc.status().ToString();
  EXPECT_TRUE(str.ok()) << str.status().ToString();
  if (!inc.ok() || !str.ok()) return {};
  return {(*inc)->ToString(), (*str)->ToString()};
}

void ExpectProjection(std::string_view filter, int32_t source, Transform t,
                      std::string_view inclusive, std::string_view strict) {
  Projected p = Project(filter, source, t);
  EXPECT_EQ(p.inclusive, inclusive) << "inclusive projection of " << filter << " by "
                                    << t.ToString();
  EXPECT_EQ(p.strict, strict) << "strict projection of " << filter << " by " << t.ToString();
}

TEST(ProjectionTest, SpecExampleDayOfTimestamp) {
  // §Scan Planning: ts > X projects to ts_day >= day(X).
  Projected p = Project("ts > timestamp '2024-01-02 10:00:00'", 10, Transform::Day(), "ts_day");
  EXPECT_EQ(p.inclusive, "ts_day >= date '2024-01-02'");
  EXPECT_EQ(p.strict, "ts_day > date '2024-01-02'");
}

TEST(ProjectionTest, Identity) {
  const Transform id = Transform::Identity();
  for (std::string_view op : {"< 5", "<= 5", "> 5", ">= 5", "= 5", "!= 5", "in (1, 2)",
                              "not in (1, 2)", "is null", "is not null"}) {
    const std::string filter = "i " + std::string(op);
    ExpectProjection(filter, 2, id, "p " + std::string(op), "p " + std::string(op));
  }
  ExpectProjection("s starts with 'ab'", 7, id, "p starts with 'ab'", "p starts with 'ab'");
  ExpectProjection("s not starts with 'ab'", 7, id, "p not starts with 'ab'",
                   "p not starts with 'ab'");
  ExpectProjection("d is nan", 5, id, "p is nan", "p is nan");
  ExpectProjection("d is not nan", 5, id, "p is not nan", "p is not nan");
  ExpectProjection("d < 1.5", 5, id, "p < 1.5e+00", "p < 1.5e+00");
}

TEST(ProjectionTest, Bucket) {
  const Transform b = Transform::Bucket(16);
  // Spec App. B: int 34 hashes to bucket 3 of 16; 0 to bucket 12.
  ExpectProjection("i = 34", 2, b, "p = 3", "false");
  ExpectProjection("i in (34, 0)", 2, b, "p in (3, 12)", "false");
  ExpectProjection("i != 34", 2, b, "true", "p != 3");
  ExpectProjection("i not in (34, 0)", 2, b, "true", "p not in (3, 12)");
  ExpectProjection("s = 'iceberg'", 7, b, "p = 9", "false");
  for (std::string_view op : {"< 5", "<= 5", "> 5", ">= 5"}) {
    ExpectProjection("i " + std::string(op), 2, b, "true", "false");
  }
  ExpectProjection("s starts with 'a'", 7, b, "true", "false");
  ExpectProjection("i is null", 2, b, "p is null", "p is null");
  ExpectProjection("i is not null", 2, b, "p is not null", "p is not null");
}

TEST(ProjectionTest, TruncateInt) {
  const Transform t = Transform::Truncate(10);
  ExpectProjection("i < 5", 2, t, "p <= 0", "p < 0");
  ExpectProjection("i < 10", 2, t, "p <= 0", "p < 10");
  ExpectProjection("i <= 5", 2, t, "p <= 0", "p < 0");
  ExpectProjection("i <= 9", 2, t, "p <= 0", "p < 10");
  ExpectProjection("i > 5", 2, t, "p >= 0", "p > 0");
  ExpectProjection("i > 9", 2, t, "p >= 10", "p > 0");
  ExpectProjection("i >= 5", 2, t, "p >= 0", "p > 0");
  ExpectProjection("i >= 10", 2, t, "p >= 10", "p > 0");
  ExpectProjection("i = 5", 2, t, "p = 0", "false");
  ExpectProjection("i != 5", 2, t, "true", "p != 0");
  ExpectProjection("i in (5, 15, -1)", 2, t, "p in (-10, 0, 10)", "false");
  ExpectProjection("i not in (5, 15)", 2, t, "true", "p not in (0, 10)");
  ExpectProjection("i < -1", 2, t, "p <= -10", "p < -10");
  // At the ends of the type: nothing is below the minimum, everything is at
  // most the maximum.
  ExpectProjection("i < -2147483648", 2, t, "false", "false");  // t(min) wraps: no strict
  ExpectProjection("i > 2147483647", 2, t, "false", "p > 2147483640");
  ExpectProjection("i <= 2147483647", 2, t, "p <= 2147483640", "p is not null");
  ExpectProjection("l >= -9223372036854775808", 3, t, "true", "p is not null");
}

TEST(ProjectionTest, TruncateDecimal) {
  const Transform t = Transform::Truncate(50);
  ExpectProjection("dec < 10.65", 6, t, "p <= 10.50", "p < 10.50");
  ExpectProjection("dec <= 10.50", 6, t, "p <= 10.50", "p < 10.50");
  ExpectProjection("dec <= 10.99", 6, t, "p <= 10.50", "p < 11.00");
  ExpectProjection("dec > 10.99", 6, t, "p >= 11.00", "p > 10.50");
  ExpectProjection("dec >= -0.05", 6, t, "p >= -0.50", "p > -0.50");
  ExpectProjection("dec = 10.65", 6, t, "p = 10.50", "false");
}

TEST(ProjectionTest, TruncateString) {
  const Transform t = Transform::Truncate(3);
  ExpectProjection("s < 'abcd'", 7, t, "p <= 'abc'", "p < 'abc'");
  ExpectProjection("s <= 'abcd'", 7, t, "p <= 'abc'", "p < 'abc'");
  ExpectProjection("s > 'abcd'", 7, t, "p >= 'abc'", "p > 'abc'");
  ExpectProjection("s >= 'ab'", 7, t, "p >= 'ab'", "p > 'ab'");
  ExpectProjection("s = 'abcd'", 7, t, "p = 'abc'", "false");
  ExpectProjection("s != 'abcd'", 7, t, "true", "p != 'abc'");
  ExpectProjection("s in ('abcd', 'x')", 7, t, "p in ('abc', 'x')", "false");
  ExpectProjection("s not in ('abcd', 'x')", 7, t, "true", "p not in ('abc', 'x')");
  ExpectProjection("s starts with 'abcd'", 7, t, "p starts with 'abc'", "false");
  ExpectProjection("s starts with 'ab'", 7, t, "p starts with 'ab'", "p starts with 'ab'");
  ExpectProjection("s starts with 'abc'", 7, t, "p starts with 'abc'", "p starts with 'abc'");
  ExpectProjection("s not starts with 'ab'", 7, t, "p not starts with 'ab'",
                   "p not starts with 'ab'");
  ExpectProjection("s not starts with 'abcd'", 7, t, "true", "p not starts with 'abc'");
  // Widths count code points, not bytes.
  ExpectProjection("s starts with 'éé€x'", 7, t, "p starts with 'éé€'", "false");
  ExpectProjection("s not starts with 'éé€'", 7, t, "p not starts with 'éé€'",
                   "p not starts with 'éé€'");
  ExpectProjection("b < X'01020304'", 14, t, "p <= X'010203'", "p < X'010203'");
}

TEST(ProjectionTest, TimeTransforms) {
  ExpectProjection("ts < timestamp '2024-01-02 10:00:00'", 10, Transform::Day(),
                   "p <= date '2024-01-02'", "p < date '2024-01-02'");
  // At midnight the day of the boundary holds nothing below it.
  ExpectProjection("ts < timestamp '2024-01-02 00:00:00'", 10, Transform::Day(),
                   "p <= date '2024-01-01'", "p < date '2024-01-02'");
  ExpectProjection("ts <= timestamp '2024-01-02 23:59:59.999999'", 10, Transform::Day(),
                   "p <= date '2024-01-02'", "p < date '2024-01-03'");
  ExpectProjection("ts >= timestamp '2024-01-02 00:00:00'", 10, Transform::Day(),
                   "p >= date '2024-01-02'", "p > date '2024-01-01'");
  ExpectProjection("ts = timestamp '2024-01-02 10:00:00'", 10, Transform::Day(),
                   "p = date '2024-01-02'", "false");
  ExpectProjection("ts != timestamp '2024-01-02 10:00:00'", 10, Transform::Day(), "true",
                   "p != date '2024-01-02'");
  ExpectProjection("tstz >= '2024-03-05T00:00:00+00:00'", 11, Transform::Month(), "p >= 650",
                   "p > 650");
  ExpectProjection("tsns < timestamp_ns '2017-11-16 22:31:08'", 12, Transform::Hour(),
                   "p <= 419686", "p < 419686");
  ExpectProjection("dt > date '2017-11-16'", 8, Transform::Year(), "p >= 47", "p > 47");
  ExpectProjection("dt in (date '2024-01-02', date '2024-01-31')", 8, Transform::Month(),
                   "p = 648", "false");
  ExpectProjection("dt = date '2024-01-02'", 8, Transform::Day(), "p = date '2024-01-02'",
                   "false");
  ExpectProjection("ts not in (timestamp '2024-01-02 10:00:00', timestamp '2024-01-03 10:00:00')",
                   10, Transform::Day(), "true",
                   "p not in (date '2024-01-02', date '2024-01-03')");
  ExpectProjection("ts is null", 10, Transform::Month(), "p is null", "p is null");
  ExpectProjection("tsns is not null", 12, Transform::Hour(), "p is not null", "p is not null");
  ExpectProjection("s is null", 7, Transform::Truncate(2), "p is null", "p is null");
  ExpectProjection("dec is not null", 6, Transform::Truncate(2), "p is not null",
                   "p is not null");
}

TEST(ProjectionTest, NegativeTimesAreWidenedAsJavaDoes) {
  // 1969-12-31 12:00 is day -1. Old writers wrote -1 + 1 = 0 for such values,
  // so inclusive projections also admit day 0 ...
  ExpectProjection("ts < timestamp '1969-12-31 12:00:00'", 10, Transform::Day(),
                   "p <= date '1970-01-01'", "p < date '1969-12-31'");
  ExpectProjection("ts = timestamp '1969-12-31 12:00:00'", 10, Transform::Day(),
                   "p in (date '1969-12-31', date '1970-01-01')", "false");
  ExpectProjection("ts in (timestamp '1969-12-30 12:00:00', timestamp '1970-01-02 00:00:00')",
                   10, Transform::Day(),
                   "p in (date '1969-12-30', date '1969-12-31', date '1970-01-02')", "false");
  // ... and strict ones exclude it.
  ExpectProjection("ts > timestamp '1969-12-30 12:00:00'", 10, Transform::Day(),
                   "p >= date '1969-12-30'", "p > date '1969-12-31'");
  ExpectProjection("ts >= timestamp '1970-01-01 00:00:00'", 10, Transform::Day(),
                   "p >= date '1970-01-01'", "p > date '1970-01-01'");
  ExpectProjection("ts != timestamp '1969-12-31 12:00:00'", 10, Transform::Day(), "true",
                   "p not in (date '1969-12-31', date '1970-01-01')");
  ExpectProjection("dt < date '1969-01-01'", 8, Transform::Year(), "p <= -1", "p < -1");
  ExpectProjection("ts > timestamp '2024-01-02 10:00:00'", 10, Transform::Hour(), "p >= 473386",
                   "p > 473386");
}

TEST(ProjectionTest, VoidAndUnknownProjectNothing) {
  ExpectProjection("i = 5", 2, Transform::Void(), "true", "false");
  ExpectProjection("i is null", 2, Transform::Void(), "true", "false");
  ExpectProjection("i = 5", 2, *Transform::Parse("zorder"), "true", "false");
  // A predicate on a column that is not partitioned projects to nothing too.
  ExpectProjection("l = 5", 2, Transform::Identity(), "true", "false");
}

TEST(ProjectionTest, SeveralFieldsOnOneSource) {
  const spec::Schema schema = TestSchema();
  const PartitionSpec spec = SpecOf({Field(10, 1000, "ts_day", Transform::Day()),
                                     Field(2, 1001, "i_bucket", Transform::Bucket(16)),
                                     Field(10, 1002, "ts_hour", Transform::Hour())});
  BoundExprPtr e = MustBind("ts > timestamp '2024-01-02 10:00:00'", schema);
  EXPECT_EQ((*InclusiveProjection(e, spec, schema))->ToString(),
            "ts_day >= date '2024-01-02' and ts_hour >= 473386");
  EXPECT_EQ((*StrictProjection(e, spec, schema))->ToString(),
            "ts_day > date '2024-01-02' or ts_hour > 473386");
  BoundExprPtr inc = *InclusiveProjection(e, spec, schema);
  EXPECT_EQ(inc->left()->ref().position, 0);
  EXPECT_EQ(inc->right()->ref().position, 2);
  EXPECT_EQ(inc->right()->ref().field_id, 1002);
  EXPECT_TRUE(inc->left()->ref().type->Equals(*Type::Date()));
}

TEST(ProjectionTest, WholeFilters) {
  const spec::Schema schema = TestSchema();
  const PartitionSpec spec = SpecOf({Field(8, 1000, "dt", Transform::Identity()),
                                     Field(2, 1001, "i_bucket", Transform::Bucket(16))});
  BoundExprPtr e = MustBind(
      "(dt >= '2024-01-01' and i = 34) or not (s = 'x' or dt < '2020-01-01')", schema);
  EXPECT_EQ((*InclusiveProjection(e, spec, schema))->ToString(),
            "dt >= date '2024-01-01' and i_bucket = 3 or dt >= date '2020-01-01'");
  EXPECT_EQ((*StrictProjection(e, spec, schema))->ToString(), "false");
  BoundExprPtr f = MustBind("dt >= '2024-01-01' or i != 34", schema);
  EXPECT_EQ((*StrictProjection(f, spec, schema))->ToString(),
            "dt >= date '2024-01-01' or i_bucket != 3");
  EXPECT_EQ((*InclusiveProjection(f, spec, schema))->ToString(), "true");
  // Unpartitioned: nothing to prune.
  EXPECT_EQ((*InclusiveProjection(f, PartitionSpec(), schema))->ToString(), "true");
  EXPECT_EQ((*StrictProjection(f, PartitionSpec(), schema))->ToString(), "false");
}

// ---------------------------------------------------------------------------
// Property: for every value v, if the row predicate is TRUE for v then the
// inclusive projection is TRUE for t(v); if the strict projection is TRUE
// for t(v) then the row predicate is TRUE for v.

// A value near `lit` (same partition often, boundaries included).
Literal Near(ValueGen& gen, const Literal& lit, const Type& type) {
  if (gen.Chance(30)) return gen.Value(type);
  const int64_t deltas[] = {0, 1, -1, 2, -2, 9, -9, 10, -10, 3600000000LL, -3600000000LL,
                            86400000000LL, -86400000000LL, 2678400000000LL};
  int64_t delta = deltas[gen.Int(0, 13)];
  switch (type.id()) {
    case TypeId::kInt: {
      const int64_t v = int64_t{lit.int_value()} + delta % 100;
      return Literal::Int(static_cast<int32_t>(std::clamp<int64_t>(v, INT32_MIN, INT32_MAX)));
    }
    case TypeId::kDate: {
      const int64_t v = int64_t{lit.int_value()} + delta % 400;
      return Literal::Int(static_cast<int32_t>(v));
    }
    case TypeId::kDecimal:
      return Literal::Decimal(lit.decimal_value() + delta % 1000);
    case TypeId::kLong:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs: {
      if (spec::IsNanosecondType(type.id())) delta *= 1000;
      if (type.id() == TypeId::kLong) delta %= 100;
      const spec::Int128 v = spec::Int128(lit.long_value()) + delta;
      if (v > INT64_MAX || v < INT64_MIN) return lit;
      int64_t r = static_cast<int64_t>(v);
      if (type.id() == TypeId::kTime) r = std::clamp<int64_t>(r, 0, testing::kMicrosPerDay - 1);
      return Literal::Long(r);
    }
    case TypeId::kString: {
      std::string s = lit.string_value();
      if (gen.Chance(50)) return Literal::String(s + gen.RandomString());
      const int64_t keep = gen.Int(0, static_cast<int64_t>(s.size()));
      return Literal::String(s.substr(0, static_cast<size_t>(keep)));
    }
    default:
      return gen.Value(type);
  }
}

// Java's old writers computed day and hour of negative timestamps rounding
// toward zero; the widened projections must hold for those values too.
std::optional<Literal> OldWriterValue(const Transform& t, const Literal& v, const Type& source) {
  if ((t.kind() != spec::TransformKind::kDay && t.kind() != spec::TransformKind::kHour) ||
      (source.id() != TypeId::kTimestamp && source.id() != TypeId::kTimestampTz) ||
      v.is_null()) {
    return std::nullopt;
  }
  const int64_t unit = t.kind() == spec::TransformKind::kDay ? testing::kMicrosPerDay
                                                             : int64_t{3600} * 1000000;
  return Literal::Int(static_cast<int32_t>(v.long_value() / unit));  // C++ truncates toward zero
}

struct PropertyCase {
  int32_t source;
  Transform transform;
};

TEST(ProjectionTest, PropertyAgainstBruteForce) {
  const spec::Schema schema = TestSchema();
  std::vector<PropertyCase> cases;
  for (int32_t id : {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 24}) {
    cases.push_back({id, Transform::Identity()});
  }
  for (int32_t id : {2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 24}) {
    cases.push_back({id, Transform::Bucket(4)});
    cases.push_back({id, Transform::Bucket(1)});
  }
  for (int32_t id : {2, 3, 6, 7, 14}) {
    cases.push_back({id, Transform::Truncate(1)});
    cases.push_back({id, Transform::Truncate(3)});
    cases.push_back({id, Transform::Truncate(10)});
  }
  for (int32_t id : {8, 10, 11, 12, 24}) {
    cases.push_back({id, Transform::Year()});
    cases.push_back({id, Transform::Month()});
    cases.push_back({id, Transform::Day()});
  }
  for (int32_t id : {10, 11, 12, 24}) cases.push_back({id, Transform::Hour()});
  cases.push_back({2, Transform::Void()});
  cases.push_back({7, Transform::Void()});

  ValueGen gen(42);
  int64_t checked = 0, inclusive_hits = 0, strict_hits = 0;
  for (const PropertyCase& c : cases) {
    const PartitionSpec spec = SpecOf({Field(c.source, 1000, "p", c.transform)});
    const PartitionField& field = spec.fields()[0];
    const BoundReference row_ref = testing::RefOf(schema, c.source);
    const spec::Type& source = *row_ref.type;
    Result<BoundReference> part_ref = PartitionReference(spec, schema, 0);
    if (c.transform.kind() == spec::TransformKind::kVoid) {
      EXPECT_FALSE(part_ref.ok());
      BoundExprPtr pred = gen.Predicate(row_ref);
      BoundReference r = row_ref;
      r.position = 0;
      EXPECT_EQ(*ProjectInclusive(*pred, field, r), nullptr);
      EXPECT_EQ(*ProjectStrict(*pred, field, r), nullptr);
      continue;
    }
    ASSERT_TRUE(part_ref.ok()) << part_ref.status().ToString();
    for (int round = 0; round < 150; ++round) {
      BoundExprPtr pred = gen.Predicate(row_ref);
      Result<BoundExprPtr> inc = ProjectInclusive(*pred, field, *part_ref);
      Result<BoundExprPtr> str = ProjectStrict(*pred, field, *part_ref);
      ASSERT_TRUE(inc.ok() && str.ok()) << pred->ToString();
      const Literal anchor = pred->literals().empty() ? gen.Value(source) : pred->literal();
      for (int k = 0; k < 40; ++k) {
        const Literal v = gen.Chance(10) ? Literal::Null() : Near(gen, anchor, source);
        const Truth row = testing::Eval(*pred, v);
        std::vector<Literal> partition_values = {*c.transform.Apply(v, source)};
        if (auto old = OldWriterValue(c.transform, v, source)) partition_values.push_back(*old);
        for (const Literal& tv : partition_values) {
          ++checked;
          if (*inc && row == Truth::kTrue) {
            ++inclusive_hits;
            EXPECT_EQ(testing::Eval(**inc, tv), Truth::kTrue)
                << c.transform.ToString() << ": row " << pred->ToString() << " holds for "
                << spec::LiteralToString(v, source) << " but the inclusive projection "
                << (*inc)->ToString() << " fails for "
                << spec::LiteralToString(tv, *part_ref->type);
          }
          if (*str && testing::Eval(**str, tv) == Truth::kTrue) {
            ++strict_hits;
            EXPECT_EQ(row, Truth::kTrue)
                << c.transform.ToString() << ": strict projection " << (*str)->ToString()
                << " holds for " << spec::LiteralToString(tv, *part_ref->type) << " but "
                << pred->ToString() << " fails for " << spec::LiteralToString(v, source);
          }
        }
      }
    }
  }
  // The property must have been exercised, not vacuously true.
  EXPECT_GT(checked, 200000);
  EXPECT_GT(inclusive_hits, 50000);
  EXPECT_GT(strict_hits, 20000);
}

}  // namespace
}  // namespace floe::expr
