// The filter language (expr/parser.h) and everything a filter drives in a
// scan, on a fixed table of 64 rows with edge values (nulls, NaN, -0.0,
// extremes, multi-byte UTF-8) in every primitive type and a struct.
// Properties, for any text that parses:
//   - round trips: ParseFilter(e.ToString()) equals e; a bound filter's
//     ToString parses and binds back to an equal filter;
//   - vectorised evaluation on an Arrow batch (expr/arrow_eval.h) equals
//     evaluation row by row (internal::EvalRow);
//   - pruning is sound on files cut from the rows: the inclusive metrics
//     evaluator keeps every file with a matching row, the strict one claims
//     "all rows match" only when they do;
//   - partitions: the inclusive projection keeps the partition of every
//     matching row, and a partition's residual selects exactly the rows the
//     filter selects there.
#include <arrow/api.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "floe/data/arrow_literal.h"
#include "floe/data/arrow_schema.h"
#include "floe/expr/arrow_eval.h"
#include "floe/expr/binder.h"
#include "floe/expr/eval_internal.h"
#include "floe/expr/evaluators.h"
#include "floe/expr/parser.h"
#include "floe/spec/schema.h"
#include "fuzz_target.h"

namespace {

namespace spec = floe::spec;
namespace expr = floe::expr;
using expr::internal::Truth;
using spec::Literal;
using spec::Type;

constexpr int kRows = 64;
constexpr int32_t kPayloadId = 17;

struct Table {
  spec::Schema schema;
  std::vector<spec::NestedField> columns;  // primitive leaves, by position in `values`
  // values[c][r]: leaf column c at row r (null when its struct is null).
  std::vector<std::vector<Literal>> values;
  std::vector<int> column_of_id;           // field id -> index in values, -1 if none
  std::shared_ptr<arrow::RecordBatch> batch;
  spec::PartitionSpec partition_spec;
};

spec::Schema MakeSchema() {
  std::vector<spec::NestedField> fields = {
      {1, "id", true, Type::Long()},
      {2, "i", false, Type::Int()},
      {3, "l", false, Type::Long()},
      {4, "f", false, Type::Float()},
      {5, "d", false, Type::Double()},
      {6, "dec", false, Type::Decimal(9, 2)},
      {7, "s", false, Type::String()},
      {8, "dt", false, Type::Date()},
      {9, "tm", false, Type::Time()},
      {10, "ts", false, Type::Timestamp()},
      {11, "tstz", false, Type::TimestampTz()},
      {12, "tsns", false, Type::TimestampNs()},
      {13, "u", false, Type::Uuid()},
      {14, "b", false, Type::Binary()},
      {15, "fx", false, Type::Fixed(4)},
      {16, "flag", false, Type::Boolean()},
      {kPayloadId, "payload", false,
       Type::Struct({{18, "source", false, Type::String()}, {19, "n", true, Type::Int()}})},
  };
  return spec::Schema(1, std::move(fields));
}

// Candidate values of each type: the edges a filter should get right.
std::vector<Literal> Candidates(const Type& type) {
  const int64_t day_us = int64_t{86400} * 1000000;
  const int64_t jun15 = int64_t{19889} * day_us;  // 2024-06-15
  switch (type.id()) {
    case spec::TypeId::kBoolean:
      return {Literal::Boolean(true), Literal::Boolean(false)};
    case spec::TypeId::kInt:
      return {Literal::Int(0), Literal::Int(1), Literal::Int(-1), Literal::Int(5),
              Literal::Int(42), Literal::Int(100), Literal::Int(std::numeric_limits<int32_t>::min()),
              Literal::Int(std::numeric_limits<int32_t>::max())};
    case spec::TypeId::kLong:
      return {Literal::Long(0), Literal::Long(1), Literal::Long(-7), Literal::Long(42),
              Literal::Long(int64_t{1} << 40), Literal::Long(std::numeric_limits<int64_t>::min()),
              Literal::Long(std::numeric_limits<int64_t>::max())};
    case spec::TypeId::kFloat:
      return {Literal::Float(0.0f), Literal::Float(-0.0f), Literal::Float(1.5f),
              Literal::Float(-2.5f), Literal::Float(std::numeric_limits<float>::quiet_NaN()),
              Literal::Float(std::numeric_limits<float>::infinity()),
              Literal::Float(-std::numeric_limits<float>::infinity()), Literal::Float(5.0f)};
    case spec::TypeId::kDouble:
      return {Literal::Double(0.0), Literal::Double(-0.0), Literal::Double(1.5),
              Literal::Double(-2.5), Literal::Double(std::numeric_limits<double>::quiet_NaN()),
              Literal::Double(std::numeric_limits<double>::infinity()), Literal::Double(1e300),
              Literal::Double(5.0)};
    case spec::TypeId::kDecimal:
      return {Literal::Decimal(0), Literal::Decimal(1050), Literal::Decimal(-1050),
              Literal::Decimal(999999999), Literal::Decimal(-999999999), Literal::Decimal(500)};
    case spec::TypeId::kString:
      return {Literal::String(""), Literal::String("a"), Literal::String("abc"),
              Literal::String("abd"), Literal::String("\xC3\xA9t\xC3\xA9"),
              Literal::String("\xE6\x97\xA5\xE6\x9C\xAC"), Literal::String("zzzz"),
              Literal::String("user-00042"), Literal::String(std::string(40, 'q'))};
    case spec::TypeId::kDate:
      return {Literal::Int(0), Literal::Int(-1), Literal::Int(19889), Literal::Int(19890),
              Literal::Int(-719162)};
    case spec::TypeId::kTime:
      return {Literal::Long(0), Literal::Long(day_us - 1), Literal::Long(3600000000),
              Literal::Long(45296789012)};
    case spec::TypeId::kTimestamp:
    case spec::TypeId::kTimestampTz:
      return {Literal::Long(0), Literal::Long(-1), Literal::Long(jun15),
              Literal::Long(jun15 + 3600000000), Literal::Long(jun15 + day_us - 1),
              Literal::Long(-day_us * 400)};
    case spec::TypeId::kTimestampNs:
      return {Literal::Long(0), Literal::Long(-1), Literal::Long(jun15 * 1000 + 1),
              Literal::Long(jun15 * 1000), Literal::Long(std::numeric_limits<int64_t>::max())};
    case spec::TypeId::kUuid:
      return {Literal::Binary(std::string(16, '\0')), Literal::Binary(std::string(16, '\xff')),
              Literal::Binary("\x12\x34\x56\x78\x9a\xbc\xde\xf0\x12\x34\x56\x78\x9a\xbc\xde\xf0")};
    case spec::TypeId::kBinary:
      return {Literal::Binary(""), Literal::Binary(std::string(1, '\0')),
              Literal::Binary("\x0a\xff"), Literal::Binary("abc")};
    case spec::TypeId::kFixed:
      return {Literal::Binary("abcd"), Literal::Binary(std::string(4, '\0')),
              Literal::Binary("\xff\xff\xff\xff")};
    default:
      return {};
  }
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "fuzz target filter: cannot build its table: %s\n", what.c_str());
  std::abort();
}

// Builds the table once; a failure here is a bug in Floe or in this target.
const Table& TheTable() {
  static const Table* table = [] {
    auto* t = new Table{MakeSchema(), {}, {}, {}, nullptr, {}};
    std::mt19937_64 rng(20261207);
    auto pick = [&](const std::vector<Literal>& c, int null_in) -> Literal {
      if (rng() % static_cast<uint64_t>(null_in) == 0) return Literal::Null();
      return c[rng() % c.size()];
    };
    std::vector<bool> payload_null(kRows);
    for (int r = 0; r < kRows; ++r) payload_null[r] = rng() % 6 == 0;
    t->column_of_id.assign(32, -1);
    for (const spec::NestedField& f : t->schema.fields()) {
      if (f.type->is_primitive()) {
        std::vector<Literal> col;
        for (int r = 0; r < kRows; ++r) {
          col.push_back(f.id == 1 ? Literal::Long(r) : pick(Candidates(*f.type), 5));
        }
        t->column_of_id[f.id] = static_cast<int>(t->values.size());
        t->columns.push_back(f);
        t->values.push_back(std::move(col));
      } else {
        for (const spec::NestedField& c : f.type->fields()) {
          std::vector<Literal> col;
          for (int r = 0; r < kRows; ++r) {
            // A required child of a null struct is null; of a present one, never.
            Literal v = pick(Candidates(*c.type), c.required ? 1 << 30 : 5);
            col.push_back(payload_null[r] ? Literal::Null() : v);
          }
          t->column_of_id[c.id] = static_cast<int>(t->values.size());
          t->columns.push_back(c);
          t->values.push_back(std::move(col));
        }
      }
    }
    auto arrow_schema = floe::data::ToArrowSchema(t->schema);
    if (!arrow_schema.ok()) std::abort();
    std::vector<std::shared_ptr<arrow::Array>> arrays;
    for (int i = 0; i < (*arrow_schema)->num_fields(); ++i) {
      const auto& af = (*arrow_schema)->field(i);
      const spec::NestedField& f = t->schema.fields()[static_cast<size_t>(i)];
      if (f.type->is_primitive()) {
        auto a = floe::data::ToArrowArray(t->values[t->column_of_id[f.id]], *f.type);
        if (!a.ok()) Die(f.name + ": " + a.status().ToString());
        arrays.push_back(*a);
        continue;
      }
      std::vector<std::shared_ptr<arrow::Array>> children;
      for (size_t k = 0; k < f.type->fields().size(); ++k) {
        const spec::NestedField& c = f.type->fields()[k];
        auto a = floe::data::ToArrowArray(t->values[t->column_of_id[c.id]], *c.type);
        if (!a.ok()) Die(c.name + ": " + a.status().ToString());
        children.push_back(*a);
      }
      arrow::TypedBufferBuilder<bool> validity;
      for (int r = 0; r < kRows; ++r) (void)validity.Append(!payload_null[r]);
      auto bitmap = validity.Finish();
      if (!bitmap.ok()) std::abort();
      auto s = arrow::StructArray::Make(children, af->type()->fields(), *bitmap);
      if (!s.ok()) std::abort();
      arrays.push_back(*s);
    }
    t->batch = arrow::RecordBatch::Make(*arrow_schema, kRows, arrays);
    using spec::Transform;
    t->partition_spec = spec::PartitionSpec(
        0, {{2, {}, 1000, "i", Transform::Identity()},
            {3, {}, 1001, "l_bucket", Transform::Bucket(8)},
            {7, {}, 1002, "s_trunc", Transform::Truncate(2)},
            {10, {}, 1003, "ts_day", Transform::Day()},
            {8, {}, 1004, "dt_month", Transform::Month()},
            {11, {}, 1005, "tstz_hour", Transform::Hour()},
            {6, {}, 1006, "dec_trunc", Transform::Truncate(100)},
            {12, {}, 1007, "tsns_year", Transform::Year()},
            {5, {}, 1008, "d", Transform::Identity()},
            {18, {}, 1009, "source_trunc", Transform::Truncate(1)}});
    return t;
  }();
  return *table;
}

Truth EvalRow(const Table& t, const expr::BoundExpr& e, int row) {
  return expr::internal::EvalRow(e, [&](const expr::BoundReference& ref) -> const Literal& {
    return t.values[t.column_of_id[ref.field_id]][row];
  });
}

// Statistics of rows [begin, end) as a writer computes them (§Field-level
// Metrics): bounds over non-null, non-NaN values.
expr::ColumnStatsMap StatsOf(const Table& t, int begin, int end) {
  expr::ColumnStatsMap out;
  for (size_t c = 0; c < t.columns.size(); ++c) {
    const spec::NestedField& f = t.columns[c];
    expr::ColumnStats s;
    int64_t nulls = 0, nans = 0;
    for (int r = begin; r < end; ++r) {
      const Literal& v = t.values[c][r];
      if (v.is_null()) {
        ++nulls;
      } else if (expr::internal::IsNanValue(v)) {
        ++nans;
      } else {
        if (!s.lower || expr::internal::CompareValues(v, *s.lower, *f.type) < 0) s.lower = v;
        if (!s.upper || expr::internal::CompareValues(v, *s.upper, *f.type) > 0) s.upper = v;
      }
    }
    s.value_count = end - begin;
    s.null_count = nulls;
    if (f.type->id() == spec::TypeId::kFloat || f.type->id() == spec::TypeId::kDouble) {
      s.nan_count = nans;
    }
    out[f.id] = std::move(s);
  }
  return out;
}

}  // namespace

FLOE_FUZZ_TARGET(filter) {
  auto parsed = expr::ParseFilter(input);
  if (!parsed.ok()) return;
  const expr::ExprPtr& e = *parsed;
  const std::string text = e->ToString();
  auto reparsed = expr::ParseFilter(text);
  FLOE_FUZZ_CHECK(reparsed.ok(), "printed filter does not parse: " + text + ": " +
                                     reparsed.status().ToString());
  FLOE_FUZZ_CHECK((*reparsed)->Equals(*e), "filter changed in a print/parse round trip: " + text);

  const Table& t = TheTable();
  auto bound = expr::Bind(e, t.schema);
  if (!bound.ok()) return;
  const expr::BoundExpr& b = **bound;
  const std::string bound_text = b.ToString();
  auto rebound = expr::ParseFilter(bound_text);
  FLOE_FUZZ_CHECK(rebound.ok(), "printed bound filter does not parse: " + bound_text);
  auto rebound_b = expr::Bind(*rebound, t.schema);
  FLOE_FUZZ_CHECK(rebound_b.ok() && (*rebound_b)->Equals(b),
                  "bound filter changed in a print/parse/bind round trip: " + bound_text);

  // Row by row versus the whole batch.
  std::vector<Truth> rows(kRows);
  for (int r = 0; r < kRows; ++r) rows[r] = EvalRow(t, b, r);
  auto mask = expr::EvaluateMask(b, *t.batch);
  FLOE_FUZZ_CHECK(mask.ok(), "vectorised evaluation failed: " + bound_text + ": " +
                                 mask.status().ToString());
  FLOE_FUZZ_CHECK((*mask)->length() == kRows && (*mask)->null_count() == 0,
                  "mask has the wrong length or nulls: " + bound_text);
  for (int r = 0; r < kRows; ++r) {
    FLOE_FUZZ_CHECK((*mask)->Value(r) == (rows[r] == Truth::kTrue),
                    "batch and row evaluation disagree on row " + std::to_string(r) + ": " +
                        bound_text);
  }

  // Files cut from the rows at points chosen by the input.
  expr::InclusiveMetricsEvaluator inclusive(*bound);
  expr::StrictMetricsEvaluator strict(*bound);
  uint64_t h = std::hash<std::string_view>()(input);
  for (int begin = 0; begin < kRows;) {
    int end = std::min(kRows, begin + 1 + static_cast<int>(h % 9));
    h = h * 6364136223846793005ULL + 1442695040888963407ULL;
    expr::ColumnStatsMap stats = StatsOf(t, begin, end);
    bool any = false, all = true;
    for (int r = begin; r < end; ++r) {
      any |= rows[r] == Truth::kTrue;
      all &= rows[r] == Truth::kTrue;
    }
    const std::string where = "rows " + std::to_string(begin) + ".." + std::to_string(end) + ": ";
    FLOE_FUZZ_CHECK(!any || inclusive.Evaluate(end - begin, stats),
                    where + "inclusive metrics pruned a file with a matching row: " + bound_text);
    FLOE_FUZZ_CHECK(all || !strict.Evaluate(end - begin, stats),
                    where + "strict metrics said every row matches, one does not: " + bound_text);
    begin = end;
  }

  // Partition pruning and residuals.
  auto partition_type = t.partition_spec.PartitionType(t.schema);
  FLOE_FUZZ_CHECK(partition_type.ok(), "partition spec of the target is invalid");
  auto projected = expr::PartitionEvaluator::ForRowFilter(*bound, t.partition_spec, t.schema);
  FLOE_FUZZ_CHECK(projected.ok(), "inclusive projection failed: " + bound_text + ": " +
                                      projected.status().ToString());
  auto residuals = expr::ResidualEvaluator::Make(*bound, t.partition_spec, t.schema);
  FLOE_FUZZ_CHECK(residuals.ok(), "residual evaluator failed: " + bound_text);
  for (int r = 0; r < kRows; ++r) {
    std::vector<Literal> tuple;
    for (const spec::PartitionField& pf : t.partition_spec.fields()) {
      const int c = t.column_of_id[pf.source_id];
      auto v = pf.transform.Apply(t.values[c][r], *t.columns[c].type);
      FLOE_FUZZ_CHECK(v.ok(), "transform failed on a table value");
      tuple.push_back(*v);
    }
    if (rows[r] == Truth::kTrue) {
      FLOE_FUZZ_CHECK(projected->Evaluate(tuple), "inclusive projection pruned the partition of "
                                                  "matching row " + std::to_string(r) + ": " +
                                                      bound_text);
    }
    expr::BoundExprPtr residual = residuals->ResidualFor(tuple);
    const bool by_residual = EvalRow(t, *residual, r) == Truth::kTrue;
    FLOE_FUZZ_CHECK(by_residual == (rows[r] == Truth::kTrue),
                    "residual " + residual->ToString() + " disagrees with the filter on row " +
                        std::to_string(r) + ": " + bound_text);
  }
}
