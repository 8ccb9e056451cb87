#include "floe/expr/evaluators.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "floe/expr/expr_test_util.h"
#include "floe/expr/projection.h"

namespace floe::expr {
namespace {

using manifest::DataFile;
using manifest::ManifestFile;
using manifest::PartitionFieldSummary;
using spec::Literal;
using spec::PartitionField;
using spec::PartitionSpec;
using spec::Transform;
using spec::Type;
using testing::MustBind;
using testing::TestSchema;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using Bounds = std::vector<std::pair<int32_t, std::string>>;

PartitionField Field(int32_t source, int32_t id, std::string name, Transform t) {
  PartitionField f;
  f.source_id = source;
  f.field_id = id;
  f.name = std::move(name);
  f.transform = t;
  return f;
}

// ---------------------------------------------------------------------------
// PartitionEvaluator

TEST(PartitionEvaluatorTest, EvaluatesTheInclusiveProjection) {
  const spec::Schema schema = TestSchema();
  const PartitionSpec spec(1, {Field(10, 1000, "ts_day", Transform::Day()),
                               Field(2, 1001, "i_bucket", Transform::Bucket(16)),
                               Field(7, 1002, "s", Transform::Identity())});
  BoundExprPtr filter = MustBind(
      "ts >= timestamp '2024-01-02 10:00:00' and (i = 34 or s starts with 'ab')", schema);
  Result<PartitionEvaluator> eval = PartitionEvaluator::ForRowFilter(filter, spec, schema);
  ASSERT_TRUE(eval.ok()) << eval.status().ToString();
  EXPECT_EQ(eval->expr()->ToString(),
            "ts_day >= date '2024-01-02' and (i_bucket = 3 or s starts with 'ab')");
  auto tuple = [](int32_t day, std::optional<int32_t> bucket, std::optional<std::string> s) {
    return std::vector<Literal>{Literal::Int(day), bucket ? Literal::Int(*bucket) : Literal(),
                                s ? Literal::String(*s) : Literal()};
  };
  EXPECT_TRUE(eval->Evaluate(tuple(19724, 3, "zz")));
  EXPECT_TRUE(eval->Evaluate(tuple(19725, 0, "abc")));
  EXPECT_FALSE(eval->Evaluate(tuple(19723, 3, "abc")));
  EXPECT_FALSE(eval->Evaluate(tuple(19724, 4, "b")));
  // A null partition value makes its predicate UNKNOWN, never TRUE.
  EXPECT_FALSE(eval->Evaluate(tuple(19724, std::nullopt, std::nullopt)));
  EXPECT_TRUE(eval->Evaluate(tuple(19724, std::nullopt, "ab")));
  EXPECT_FALSE(eval->Evaluate({Literal(), Literal::Int(3), Literal()}));
  // Missing trailing values read as null.
  EXPECT_FALSE(eval->Evaluate({Literal::Int(19724)}));

  PartitionEvaluator nulls(*InclusiveProjection(MustBind("s is null", schema), spec, schema));
  EXPECT_TRUE(nulls.Evaluate(tuple(1, 1, std::nullopt)));
  EXPECT_FALSE(nulls.Evaluate(tuple(1, 1, "")));
}

// ---------------------------------------------------------------------------
// ManifestEvaluator

ManifestFile WithSummaries(std::vector<PartitionFieldSummary> s) {
  ManifestFile m;
  m.manifest_path = "s3://b/m.avro";
  m.partitions = std::move(s);
  return m;
}

PartitionFieldSummary Summary(bool contains_null, std::optional<bool> contains_nan,
                              std::optional<Literal> lower, std::optional<Literal> upper,
                              const Type& type) {
  PartitionFieldSummary s;
  s.contains_null = contains_null;
  s.contains_nan = contains_nan;
  if (lower) s.lower_bound = spec::SerializeSingleValue(*lower, type);
  if (upper) s.upper_bound = spec::SerializeSingleValue(*upper, type);
  return s;
}

class ManifestEvaluatorTest : public ::testing::Test {
 protected:
  // Identity partitions on i (int), d (double) and s (string).
  bool MightMatch(std::string_view filter, const ManifestFile& m) {
    const PartitionSpec spec(1, {Field(2, 1000, "i", Transform::Identity()),
                                 Field(5, 1001, "d", Transform::Identity()),
                                 Field(7, 1002, "s", Transform::Identity())});
    Result<ManifestEvaluator> eval =
        ManifestEvaluator::ForRowFilter(MustBind(filter, schema_), spec, schema_);
    EXPECT_TRUE(eval.ok()) << eval.status().ToString();
    Result<bool> r = eval->Evaluate(m);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && *r;
  }
  ManifestFile Manifest(PartitionFieldSummary i, PartitionFieldSummary d,
                        PartitionFieldSummary s) {
    return WithSummaries({std::move(i), std::move(d), std::move(s)});
  }
  PartitionFieldSummary IntRange(int32_t lo, int32_t hi, bool nulls = false) {
    return Summary(nulls, std::nullopt, Literal::Int(lo), Literal::Int(hi), *Type::Int());
  }
  PartitionFieldSummary AnyDouble() {
    return Summary(true, true, std::nullopt, std::nullopt, *Type::Double());
  }
  PartitionFieldSummary AnyString() { return PartitionFieldSummary{true, std::nullopt, {}, {}}; }

  const spec::Schema schema_ = TestSchema();
};

TEST_F(ManifestEvaluatorTest, Bounds) {
  const ManifestFile m = Manifest(IntRange(10, 20), AnyDouble(), AnyString());
  EXPECT_FALSE(MightMatch("i < 10", m));
  EXPECT_TRUE(MightMatch("i < 11", m));
  EXPECT_FALSE(MightMatch("i <= 9", m));
  EXPECT_TRUE(MightMatch("i <= 10", m));
  EXPECT_FALSE(MightMatch("i > 20", m));
  EXPECT_TRUE(MightMatch("i > 19", m));
  EXPECT_FALSE(MightMatch("i >= 21", m));
  EXPECT_TRUE(MightMatch("i >= 20", m));
  EXPECT_FALSE(MightMatch("i = 9", m));
  EXPECT_FALSE(MightMatch("i = 21", m));
  EXPECT_TRUE(MightMatch("i = 15", m));
  EXPECT_FALSE(MightMatch("i in (1, 2, 30)", m));
  EXPECT_TRUE(MightMatch("i in (1, 20)", m));
  EXPECT_TRUE(MightMatch("i != 15", m));
  EXPECT_TRUE(MightMatch("i not in (10, 20)", m));
  EXPECT_FALSE(MightMatch("i is null", m));
  EXPECT_TRUE(MightMatch("i is not null", m));
  EXPECT_FALSE(MightMatch("i < 10 or i > 20", m));
  EXPECT_TRUE(MightMatch("i < 10 or i = 20", m));
  EXPECT_FALSE(MightMatch("i > 12 and i < 5", m));
  // Columns that are not partition fields never prune.
  EXPECT_TRUE(MightMatch("l = 1", m));
}

TEST_F(ManifestEvaluatorTest, NullsAndMissingSummaries) {
  // All partition values null: bounds are null and contains_null is set.
  const ManifestFile all_null = Manifest(
      Summary(true, std::nullopt, std::nullopt, std::nullopt, *Type::Int()), AnyDouble(),
      AnyString());
  EXPECT_TRUE(MightMatch("i is null", all_null));
  EXPECT_FALSE(MightMatch("i is not null", all_null));
  EXPECT_FALSE(MightMatch("i < 5", all_null));
  EXPECT_FALSE(MightMatch("i = 5", all_null));
  EXPECT_FALSE(MightMatch("i in (5, 6)", all_null));
  // Three-valued logic: a null never matches != or not in.
  EXPECT_FALSE(MightMatch("i != 5", all_null));
  EXPECT_FALSE(MightMatch("i not in (5)", all_null));

  ManifestFile none;
  EXPECT_TRUE(MightMatch("i = 5 and s = 'x'", none));  // no summaries at all
  const ManifestFile short_list = WithSummaries({IntRange(1, 2)});
  EXPECT_TRUE(MightMatch("s = 'x'", short_list));  // no summary for that field
  EXPECT_FALSE(MightMatch("i = 5", short_list));
}

TEST_F(ManifestEvaluatorTest, NaN) {
  const Type& dt = *Type::Double();
  auto with_d = [&](PartitionFieldSummary d) { return Manifest(IntRange(0, 1), d, AnyString()); };
  // Only NaN values: no bounds, contains_nan set, no nulls.
  const ManifestFile nan_only = with_d(Summary(false, true, std::nullopt, std::nullopt, dt));
  EXPECT_TRUE(MightMatch("d is nan", nan_only));
  EXPECT_FALSE(MightMatch("d is not nan", nan_only));
  EXPECT_FALSE(MightMatch("d < 5", nan_only));
  EXPECT_TRUE(MightMatch("d != 5", nan_only));  // NaN != 5 is TRUE
  EXPECT_FALSE(MightMatch("d is null", nan_only));
  EXPECT_TRUE(MightMatch("d is not null", nan_only));
  // NaN and null only.
  const ManifestFile nan_null = with_d(Summary(true, true, std::nullopt, std::nullopt, dt));
  EXPECT_TRUE(MightMatch("d is not nan", nan_null));  // a null is not NaN
  EXPECT_TRUE(MightMatch("d is not null", nan_null));
  // Known to hold no NaN.
  const ManifestFile no_nan =
      with_d(Summary(false, false, Literal::Double(-1), Literal::Double(2.5), dt));
  EXPECT_FALSE(MightMatch("d is nan", no_nan));
  EXPECT_FALSE(MightMatch("d > 2.5", no_nan));
  EXPECT_TRUE(MightMatch("d >= 2.5", no_nan));
  // contains_nan unknown (v1): is nan may match.
  const ManifestFile v1 =
      with_d(Summary(false, std::nullopt, Literal::Double(-1), Literal::Double(2.5), dt));
  EXPECT_TRUE(MightMatch("d is nan", v1));
  // -0.0 and 0.0 are equal.
  const ManifestFile zeros =
      with_d(Summary(false, false, Literal::Double(-0.0), Literal::Double(-0.0), dt));
  EXPECT_TRUE(MightMatch("d = 0", zeros));
  EXPECT_TRUE(MightMatch("d >= 0", zeros));
  EXPECT_FALSE(MightMatch("d < 0", zeros));
  // A NaN bound (old writers) is ignored.
  const ManifestFile nan_bound =
      with_d(Summary(false, true, Literal::Double(kNaN), Literal::Double(kNaN), dt));
  EXPECT_TRUE(MightMatch("d < 5", nan_bound));
  EXPECT_TRUE(MightMatch("d > 5", nan_bound));
}

TEST_F(ManifestEvaluatorTest, Strings) {
  const Type& st = *Type::String();
  const ManifestFile m = Manifest(IntRange(0, 1), AnyDouble(),
                                  Summary(false, std::nullopt, Literal::String("abc"),
                                          Literal::String("abz"), st));
  EXPECT_TRUE(MightMatch("s starts with 'ab'", m));
  EXPECT_TRUE(MightMatch("s starts with 'abd'", m));
  EXPECT_TRUE(MightMatch("s starts with 'abc'", m));
  EXPECT_FALSE(MightMatch("s starts with 'abzzz'", m));  // every value is <= "abz"
  EXPECT_FALSE(MightMatch("s starts with 'abb'", m));
  EXPECT_FALSE(MightMatch("s starts with 'ac'", m));
  EXPECT_FALSE(MightMatch("s starts with 'aa'", m));
  EXPECT_TRUE(MightMatch("s starts with ''", m));
  EXPECT_FALSE(MightMatch("s not starts with 'ab'", m));
  EXPECT_TRUE(MightMatch("s not starts with 'abc'", m));
  EXPECT_FALSE(MightMatch("s = 'ab'", m));
  EXPECT_TRUE(MightMatch("s = 'abd'", m));
}

TEST_F(ManifestEvaluatorTest, CorruptBoundsAreReported) {
  PartitionFieldSummary bad;
  bad.lower_bound = "\x01";  // one byte is no int
  bad.upper_bound = std::string(4, '\0');
  const PartitionSpec spec(1, {Field(2, 1000, "i", Transform::Identity())});
  Result<ManifestEvaluator> eval =
      ManifestEvaluator::ForRowFilter(MustBind("i = 1", schema_), spec, schema_);
  Result<bool> r = eval->Evaluate(WithSummaries({bad}));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsCorruption());
  EXPECT_NE(r.status().message().find("manifest s3://b/m.avro: lower bound of partition field i"),
            std::string::npos)
      << r.status().ToString();
}

// ---------------------------------------------------------------------------
// Metrics evaluators

class MetricsTest : public ::testing::Test {
 protected:
  // A file of `rows` rows with metrics for field `id`.
  DataFile File(int64_t rows, int32_t id, std::optional<int64_t> values,
                std::optional<int64_t> nulls, std::optional<int64_t> nans,
                std::optional<Literal> lower, std::optional<Literal> upper) {
    DataFile f;
    f.file_path = "s3://b/data/f.parquet";
    f.record_count = rows;
    const Type& type = *schema_.FindField(id)->type;
    auto count = [&](std::optional<int64_t> v, manifest::CountMap* map) {
      if (v) *map = std::vector<std::pair<int32_t, int64_t>>{{99, 1}, {id, *v}};
    };
    count(values, &f.value_counts);
    count(nulls, &f.null_value_counts);
    count(nans, &f.nan_value_counts);
    if (lower) f.lower_bounds = Bounds{{id, spec::SerializeSingleValue(*lower, type)}};
    if (upper) f.upper_bounds = Bounds{{id, spec::SerializeSingleValue(*upper, type)}};
    return f;
  }
  bool Might(std::string_view filter, const DataFile& f) {
    Result<bool> r = InclusiveMetricsEvaluator(MustBind(filter, schema_)).Evaluate(f);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && *r;
  }
  bool Must(std::string_view filter, const DataFile& f) {
    Result<bool> r = StrictMetricsEvaluator(MustBind(filter, schema_)).Evaluate(f);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && *r;
  }
  const spec::Schema schema_ = TestSchema();
};

TEST_F(MetricsTest, EmptyFilesAndMissingMetrics) {
  DataFile empty = File(0, 2, 0, 0, std::nullopt, std::nullopt, std::nullopt);
  EXPECT_FALSE(Might("i is null or i is not null", empty));
  EXPECT_FALSE(Might("true", empty));
  EXPECT_TRUE(Must("i = 5", empty));
  DataFile none;
  none.record_count = 10;
  for (std::string_view f : {"i = 5", "i is null", "i is not null", "s starts with 'a'",
                             "d is nan", "d is not nan", "i != 5", "i not in (1, 2)",
                             "s not starts with 'a'"}) {
    EXPECT_TRUE(Might(f, none)) << f;
    EXPECT_FALSE(Must(f, none)) << f;
  }
  EXPECT_TRUE(Must("true", none));
  EXPECT_FALSE(Might("false", none));
}

TEST_F(MetricsTest, IntBounds) {
  const DataFile f = File(10, 2, 10, 0, std::nullopt, Literal::Int(30), Literal::Int(79));
  EXPECT_FALSE(Might("i < 30", f));
  EXPECT_TRUE(Might("i < 31", f));
  EXPECT_FALSE(Might("i <= 29", f));
  EXPECT_TRUE(Might("i <= 30", f));
  EXPECT_FALSE(Might("i > 79", f));
  EXPECT_TRUE(Might("i > 78", f));
  EXPECT_FALSE(Might("i >= 80", f));
  EXPECT_TRUE(Might("i >= 79", f));
  EXPECT_FALSE(Might("i = 29", f));
  EXPECT_FALSE(Might("i = 80", f));
  EXPECT_TRUE(Might("i = 30", f));
  EXPECT_FALSE(Might("i in (1, 29, 80)", f));
  EXPECT_TRUE(Might("i in (1, 79)", f));
  EXPECT_TRUE(Might("i != 30", f));
  EXPECT_TRUE(Might("i not in (30, 79)", f));
  EXPECT_FALSE(Might("i is null", f));
  EXPECT_TRUE(Might("i is not null", f));

  EXPECT_TRUE(Must("i < 80", f));
  EXPECT_FALSE(Must("i < 79", f));
  EXPECT_TRUE(Must("i <= 79", f));
  EXPECT_TRUE(Must("i > 29", f));
  EXPECT_FALSE(Must("i > 30", f));
  EXPECT_TRUE(Must("i >= 30", f));
  EXPECT_FALSE(Must("i = 30", f));
  EXPECT_TRUE(Must("i != 29", f));
  EXPECT_TRUE(Must("i != 80", f));
  EXPECT_FALSE(Must("i != 31", f));
  EXPECT_TRUE(Must("i not in (1, 29, 80)", f));
  EXPECT_FALSE(Must("i not in (1, 30)", f));
  EXPECT_TRUE(Must("i is not null", f));
  EXPECT_FALSE(Must("i is null", f));
  EXPECT_TRUE(Must("i >= 30 and i <= 79", f));
  EXPECT_TRUE(Must("i < 0 or i > 29", f));
  EXPECT_FALSE(Must("i < 50 or i > 60", f));

  const DataFile one = File(5, 2, 5, 0, std::nullopt, Literal::Int(7), Literal::Int(7));
  EXPECT_TRUE(Must("i = 7", one));
  EXPECT_TRUE(Must("i in (6, 7)", one));
  EXPECT_FALSE(Must("i in (6, 8)", one));
  EXPECT_FALSE(Might("i != 7", one));  // every value is 7
  EXPECT_FALSE(Might("i not in (7, 8)", one));
}

TEST_F(MetricsTest, Nulls) {
  // Some nulls: inclusive is unaffected, strict fails every comparison.
  const DataFile some = File(10, 2, 10, 3, std::nullopt, Literal::Int(30), Literal::Int(79));
  EXPECT_TRUE(Might("i is null", some));
  EXPECT_TRUE(Might("i > 50", some));
  EXPECT_FALSE(Must("i > 5", some));
  EXPECT_FALSE(Must("i != 5", some));  // null != 5 is UNKNOWN
  EXPECT_FALSE(Must("i not in (1, 2)", some));
  EXPECT_FALSE(Must("i is not null", some));
  EXPECT_FALSE(Must("i is null", some));

  // Only nulls.
  const DataFile all = File(10, 2, 10, 10, std::nullopt, std::nullopt, std::nullopt);
  EXPECT_TRUE(Might("i is null", all));
  EXPECT_FALSE(Might("i is not null", all));
  for (std::string_view f : {"i < 5", "i <= 5", "i > 5", "i >= 5", "i = 5", "i in (1, 2)",
                             "i != 5", "i not in (1, 2)"}) {
    EXPECT_FALSE(Might(f, all)) << f;
    EXPECT_FALSE(Must(f, all)) << f;
  }
  const DataFile all_s = File(10, 7, 10, 10, std::nullopt, std::nullopt, std::nullopt);
  EXPECT_FALSE(Might("s starts with 'a'", all_s));
  EXPECT_FALSE(Might("s not starts with 'a'", all_s));
  EXPECT_TRUE(Must("i is null", all));
  EXPECT_TRUE(Must("i is null or i = 3", all));
}

TEST_F(MetricsTest, NaN) {
  // Only NaN values: no bounds.
  const DataFile nan_only = File(10, 5, 10, 0, 10, std::nullopt, std::nullopt);
  EXPECT_TRUE(Might("d is nan", nan_only));
  EXPECT_FALSE(Might("d is not nan", nan_only));
  EXPECT_FALSE(Might("d < 5", nan_only));
  EXPECT_FALSE(Might("d = 5", nan_only));
  EXPECT_FALSE(Might("d in (5, 6)", nan_only));
  EXPECT_TRUE(Might("d != 5", nan_only));
  EXPECT_TRUE(Must("d is nan", nan_only));
  EXPECT_TRUE(Must("d != 5", nan_only));
  EXPECT_TRUE(Must("d not in (5, 6)", nan_only));
  EXPECT_FALSE(Must("d < 5", nan_only));

  // Some NaNs: bounds cover the rest.
  const DataFile some = File(10, 5, 10, 0, 2, Literal::Double(1), Literal::Double(2));
  EXPECT_TRUE(Might("d is nan", some));
  EXPECT_TRUE(Might("d is not nan", some));
  EXPECT_FALSE(Might("d > 2", some));
  EXPECT_FALSE(Must("d <= 2", some));  // NaN <= 2 is FALSE
  EXPECT_FALSE(Must("d = 1", some));
  EXPECT_TRUE(Must("d != 3", some));  // NaN != 3 is TRUE
  // Sound, not complete: each side alone covers only some rows.
  EXPECT_FALSE(Must("d > 0 or d is nan", some));
  EXPECT_FALSE(Must("d is not nan", some));

  // No NaN.
  const DataFile none = File(10, 5, 10, 0, 0, Literal::Double(1), Literal::Double(2));
  EXPECT_FALSE(Might("d is nan", none));
  EXPECT_TRUE(Must("d is not nan", none));
  EXPECT_TRUE(Must("d <= 2", none));
  EXPECT_TRUE(Must("not d > 2", none));  // d <= 2 or d is nan

  // NaN count unknown: strict cannot exclude NaN.
  const DataFile unknown = File(10, 5, 10, 0, std::nullopt, Literal::Double(1), Literal::Double(2));
  EXPECT_FALSE(Must("d <= 2", unknown));
  EXPECT_TRUE(Might("d is nan", unknown));
  // Nulls are "not NaN".
  const DataFile nulls = File(10, 5, 10, 10, std::nullopt, std::nullopt, std::nullopt);
  EXPECT_TRUE(Must("d is not nan", nulls));
  EXPECT_FALSE(Might("d is nan", nulls));

  // A NaN bound from an old writer is ignored.
  const DataFile nan_bounds =
      File(10, 5, 10, 0, std::nullopt, Literal::Double(kNaN), Literal::Double(kNaN));
  EXPECT_TRUE(Might("d < 1", nan_bounds));
  EXPECT_TRUE(Might("d > 1", nan_bounds));
  EXPECT_FALSE(Must("d < 1e300", nan_bounds));

  // Floats compare as IEEE numbers: -0.0 == 0.0.
  const DataFile zero = File(3, 4, 3, 0, 0, Literal::Float(-0.0f), Literal::Float(-0.0f));
  EXPECT_TRUE(Might("f = 0", zero));
  EXPECT_TRUE(Must("f = 0", zero));
  EXPECT_FALSE(Might("f < 0", zero));
  EXPECT_FALSE(Might("f > 0", zero));
}

TEST_F(MetricsTest, TruncatedStringBounds) {
  // Java keeps 16 characters: values abcdefghijklmnopqrstuvwxyz and
  // abcdefghijklmnopqrsXYZ give lower "abcdefghijklmnop" and an upper bound
  // rounded up to "abcdefghijklmnoq".
  const DataFile f = File(2, 7, 2, 0, std::nullopt, Literal::String("abcdefghijklmnop"),
                          Literal::String("abcdefghijklmnoq"));
  EXPECT_TRUE(Might("s = 'abcdefghijklmnopqrstuvwxyz'", f));
  EXPECT_TRUE(Might("s starts with 'abcdefghijklmnopqrs'", f));
  EXPECT_TRUE(Might("s starts with 'abcdefghijklmnopz'", f));
  EXPECT_TRUE(Might("s starts with 'abc'", f));
  EXPECT_TRUE(Might("s starts with 'abcdefghijklmnoq'", f));
  EXPECT_FALSE(Might("s starts with 'abd'", f));
  EXPECT_FALSE(Might("s starts with 'abcdefghijklmnoqa'", f));
  EXPECT_FALSE(Might("s starts with 'abcdefghijklmnoo'", f));
  EXPECT_FALSE(Might("s = 'abcdefghijklmno'", f));
  EXPECT_FALSE(Might("s > 'abcdefghijklmnoq'", f));
  EXPECT_FALSE(Might("s not starts with 'abcdefghijklmno'", f));
  EXPECT_TRUE(Might("s not starts with 'abcdefghijklmnop'", f));
  EXPECT_FALSE(Must("s = 'abcdefghijklmnop'", f));
  EXPECT_TRUE(Must("s starts with 'abcdefghijklmno'", f));
  // The rounded-up upper bound does not start with the 16-character prefix,
  // though every value might: strict cannot tell.
  EXPECT_FALSE(Must("s starts with 'abcdefghijklmnop'", f));
  EXPECT_TRUE(Must("s not starts with 'abd'", f));
  EXPECT_TRUE(Must("s not starts with 'abcdefghijklmnoqa'", f));
  EXPECT_FALSE(Must("s not starts with 'abcdefghijklmnopqrs'", f));
  EXPECT_FALSE(Must("s < 'abcdefghijklmnoq'", f));
  EXPECT_TRUE(Must("s <= 'abcdefghijklmnoq'", f));

  // A bound shorter than the prefix.
  const DataFile g = File(2, 7, 2, 0, std::nullopt, Literal::String("a"), Literal::String("ab"));
  EXPECT_FALSE(Might("s starts with 'abc'", g));
  EXPECT_TRUE(Might("s starts with 'ab'", g));
  EXPECT_FALSE(Must("s starts with 'ab'", g));  // "a" does not
  EXPECT_TRUE(Must("s starts with 'a'", g));
  EXPECT_TRUE(Must("s not starts with 'abc'", g));  // all values <= "ab" < "abc..."
  EXPECT_TRUE(Must("s not starts with 'b'", g));
}

TEST_F(MetricsTest, CorruptBoundsAreReported) {
  DataFile f = File(3, 2, 3, 0, std::nullopt, Literal::Int(1), Literal::Int(2));
  f.lower_bounds = Bounds{{2, "\x01\x02"}};
  Result<bool> r = InclusiveMetricsEvaluator(MustBind("i = 1", schema_)).Evaluate(f);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsCorruption());
  EXPECT_NE(r.status().message().find(
                "data file s3://b/data/f.parquet: lower bound of field id 2 (i)"),
            std::string::npos)
      << r.status().ToString();
}

TEST_F(MetricsTest, PromotedBoundsAreRead) {
  // A long column whose bounds were written as 4-byte ints before promotion.
  DataFile f;
  f.record_count = 3;
  f.value_counts = std::vector<std::pair<int32_t, int64_t>>{{3, 3}};
  f.null_value_counts = std::vector<std::pair<int32_t, int64_t>>{{3, 0}};
  f.lower_bounds = Bounds{{3, spec::SerializeSingleValue(Literal::Int(10), *Type::Int())}};
  f.upper_bounds = Bounds{{3, spec::SerializeSingleValue(Literal::Int(20), *Type::Int())}};
  EXPECT_FALSE(Might("l > 20", f));
  EXPECT_TRUE(Must("l >= 10", f));
}

TEST_F(MetricsTest, RowGroupStatistics) {
  InclusiveMetricsEvaluator inc(MustBind("i > 5 and s = 'x'", schema_));
  StrictMetricsEvaluator str(MustBind("i > 5 and s = 'x'", schema_));
  ColumnStatsMap stats;
  stats[2] = ColumnStats{Literal::Int(1), Literal::Int(5), 100, 0, std::nullopt};
  EXPECT_FALSE(inc.Evaluate(100, stats));
  stats[2].upper = Literal::Int(6);
  EXPECT_TRUE(inc.Evaluate(100, stats));
  EXPECT_FALSE(inc.Evaluate(0, stats));
  stats[2].lower = Literal::Int(6);
  EXPECT_FALSE(str.Evaluate(100, stats));  // nothing known about s
  stats[7] = ColumnStats{Literal::String("x"), Literal::String("x"), 100, 0, std::nullopt};
  EXPECT_TRUE(str.Evaluate(100, stats));
  stats[7].null_count.reset();
  EXPECT_FALSE(str.Evaluate(100, stats));
  EXPECT_TRUE(str.Evaluate(0, stats));
}

TEST(EvaluatorsTest, ReferencedFields) {
  std::vector<BoundReference> refs =
      ReferencedFields(*MustBind("i = 1 or (s = 'a' and i > 3) or d is nan", TestSchema()));
  ASSERT_EQ(refs.size(), 3u);
  EXPECT_EQ(refs[0].field_id, 2);
  EXPECT_EQ(refs[1].field_id, 7);
  EXPECT_EQ(refs[2].field_id, 5);
}

}  // namespace
}  // namespace floe::expr
