#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "floe/expr/evaluators.h"
#include "floe/expr/expr_test_util.h"

namespace floe::expr {
namespace {

using internal::Truth;
using spec::Literal;
using spec::PartitionField;
using spec::PartitionSpec;
using spec::Transform;
using testing::MustBind;
using testing::RefOf;
using testing::TestSchema;
using testing::ValueGen;

PartitionField Field(int32_t source, int32_t id, std::string name, Transform t) {
  PartitionField f;
  f.source_id = source;
  f.field_id = id;
  f.name = std::move(name);
  f.transform = t;
  return f;
}

std::string Residual(std::string_view filter, const PartitionSpec& spec,
                     const std::vector<Literal>& partition) {
  const spec::Schema schema = TestSchema();
  Result<ResidualEvaluator> eval = ResidualEvaluator::Make(MustBind(filter, schema), spec, schema);
  EXPECT_TRUE(eval.ok()) << eval.status().ToString();
  if (!eval.ok()) return "";
  return eval->ResidualFor(partition)->ToString();
}

TEST(ResidualTest, IdentityAndDay) {
  const PartitionSpec spec(1, {Field(8, 1000, "dt", Transform::Identity()),
                               Field(10, 1001, "ts_day", Transform::Day())});
  const std::vector<Literal> jan2 = {Literal::Int(19724), Literal::Int(19724)};
  EXPECT_EQ(Residual("dt = '2024-01-02' and i > 5", spec, jan2), "i > 5");
  EXPECT_EQ(Residual("dt = '2024-01-03' and i > 5", spec, jan2), "false");
  EXPECT_EQ(Residual("dt = '2024-01-03' or i > 5", spec, jan2), "i > 5");
  EXPECT_EQ(Residual("dt >= '2024-01-01' or i > 5", spec, jan2), "true");
  // A range that covers the whole day leaves nothing; one that cuts it stays.
  EXPECT_EQ(Residual("ts >= timestamp '2024-01-02 00:00:00'", spec, jan2), "true");
  EXPECT_EQ(Residual("ts >= timestamp '2024-01-02 10:00:00'", spec, jan2),
            "ts >= timestamp '2024-01-02T10:00:00.000000'");
  EXPECT_EQ(Residual("ts < timestamp '2024-01-02 00:00:00'", spec, jan2), "false");
  EXPECT_EQ(Residual("ts < timestamp '2024-01-03 00:00:00'", spec, jan2), "true");
  EXPECT_EQ(Residual("not (dt = '2024-01-02') and i = 1", spec, jan2), "false");
  EXPECT_EQ(Residual("dt is null", spec, {Literal(), Literal()}), "true");
  EXPECT_EQ(Residual("dt is not null and i = 1", spec, {Literal(), Literal()}), "false");
  // A null partition value makes comparisons UNKNOWN: no row can match.
  EXPECT_EQ(Residual("dt = '2024-01-02' and i = 1", spec, {Literal(), Literal()}), "false");
  EXPECT_EQ(Residual("dt != '2024-01-02' or i = 1", spec, {Literal(), Literal()}), "i = 1");
}

TEST(ResidualTest, BucketAndUnpartitioned) {
  const PartitionSpec spec(1, {Field(2, 1000, "i_bucket", Transform::Bucket(16))});
  EXPECT_EQ(Residual("i = 34", spec, {Literal::Int(3)}), "i = 34");
  EXPECT_EQ(Residual("i = 34", spec, {Literal::Int(4)}), "false");
  EXPECT_EQ(Residual("i != 34", spec, {Literal::Int(4)}), "true");
  EXPECT_EQ(Residual("i != 34", spec, {Literal::Int(3)}), "i != 34");
  EXPECT_EQ(Residual("i < 34", spec, {Literal::Int(3)}), "i < 34");
  EXPECT_EQ(Residual("i = 34 and s = 'x'", PartitionSpec(), {}), "i = 34 and s = 'x'");
  const PartitionSpec void_spec(1, {Field(2, 1000, "i_null", Transform::Void())});
  EXPECT_EQ(Residual("i = 34", void_spec, {Literal()}), "i = 34");
}

// For random specs, filters and rows: within a partition, the residual is
// TRUE for exactly the rows for which the filter is TRUE.
TEST(ResidualTest, PropertyAgainstBruteForce) {
  const spec::Schema schema = TestSchema();
  const std::vector<PartitionSpec> specs = {
      PartitionSpec(1, {Field(2, 1000, "i", Transform::Identity()),
                        Field(7, 1001, "s_trunc", Transform::Truncate(2))}),
      PartitionSpec(2, {Field(10, 1000, "ts_day", Transform::Day()),
                        Field(10, 1001, "ts_hour", Transform::Hour()),
                        Field(3, 1002, "l_bucket", Transform::Bucket(3))}),
      PartitionSpec(3, {Field(6, 1000, "dec_trunc", Transform::Truncate(500)),
                        Field(8, 1001, "dt_month", Transform::Month()),
                        Field(5, 1002, "d", Transform::Identity())}),
  };
  ValueGen gen(99);
  int64_t rows_checked = 0, simplified = 0;
  for (const PartitionSpec& spec : specs) {
    std::vector<BoundReference> refs;
    for (const PartitionField& f : spec.fields()) {
      bool seen = false;
      for (const BoundReference& r : refs) seen |= r.field_id == f.source_id;
      if (!seen) refs.push_back(RefOf(schema, f.source_id));
    }
    refs.push_back(RefOf(schema, 7));  // and a column that may not be partitioned
    for (int round = 0; round < 400; ++round) {
      BoundExprPtr filter = gen.Tree(refs, 3);
      Result<ResidualEvaluator> eval = ResidualEvaluator::Make(filter, spec, schema);
      ASSERT_TRUE(eval.ok()) << eval.status().ToString();
      // Rows grouped by partition tuple.
      std::map<std::string, std::vector<std::map<int32_t, Literal>>> by_partition;
      std::map<std::string, std::vector<Literal>> tuples;
      for (int r = 0; r < 60; ++r) {
        std::map<int32_t, Literal> row;
        for (const BoundReference& ref : refs) row[ref.field_id] = gen.MaybeNull(*ref.type, 15);
        std::vector<Literal> tuple;
        std::string key;
        for (const PartitionField& f : spec.fields()) {
          const spec::Type& source = *schema.FindField(f.source_id)->type;
          Literal v = *f.transform.Apply(row[f.source_id], source);
          const spec::TypePtr result = *f.transform.ResultType(schema.FindField(f.source_id)->type);
          key += spec::LiteralToString(v, *result) + "|";
          tuple.push_back(std::move(v));
        }
        by_partition[key].push_back(std::move(row));
        tuples[key] = std::move(tuple);
      }
      for (const auto& [key, rows] : by_partition) {
        BoundExprPtr residual = eval->ResidualFor(tuples[key]);
        if (!residual->Equals(*RewriteNot(filter))) ++simplified;
        for (const auto& row : rows) {
          const auto value_of = [&](const BoundReference& ref) -> const Literal& {
            return row.at(ref.field_id);
          };
          ++rows_checked;
          EXPECT_EQ(internal::EvalRow(*residual, value_of) == Truth::kTrue,
                    internal::EvalRow(*filter, value_of) == Truth::kTrue)
              << "filter " << filter->ToString() << "\n residual " << residual->ToString()
              << "\n partition " << key;
        }
      }
    }
  }
  EXPECT_GT(rows_checked, 50000);
  EXPECT_GT(simplified, 5000);
}

}  // namespace
}  // namespace floe::expr
