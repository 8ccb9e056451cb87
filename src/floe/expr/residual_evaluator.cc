// Residuals (spec §Scan Planning note 1): the part of a row filter that a
// partition's values do not settle, evaluated as Java's ResidualEvaluator.
#include <unordered_map>
#include <utility>
#include <vector>

#include "floe/expr/eval_internal.h"
#include "floe/expr/evaluators.h"
#include "floe/expr/projection.h"

namespace floe::expr {

struct ResidualEvaluator::Projections {
  struct Pair {
    BoundExprPtr strict;     // nullptr: no strict projection (never settles to true)
    BoundExprPtr inclusive;  // nullptr: no inclusive projection (never settles to false)
  };
  // Keyed by the predicate node of the (Not-free) filter.
  std::unordered_map<const BoundExpr*, std::vector<Pair>> by_predicate;
};

namespace {

using internal::Truth;

Status Collect(const BoundExprPtr& e, const spec::PartitionSpec& spec, const spec::Schema& schema,
               ResidualEvaluator::Projections* out) {
  if (!e->is_predicate()) {
    for (const BoundExprPtr& c : e->children()) FLOE_RETURN_NOT_OK(Collect(c, spec, schema, out));
    return Status::OK();
  }
  std::vector<ResidualEvaluator::Projections::Pair>& pairs = out->by_predicate[e.get()];
  const auto& fields = spec.fields();
  for (size_t i = 0; i < fields.size(); ++i) {
    const spec::PartitionField& f = fields[i];
    if (f.source_id != e->ref().field_id) continue;
    Result<BoundReference> ref = PartitionReference(spec, schema, static_cast<int32_t>(i));
    if (!ref.ok()) continue;  // void, unknown or dropped source: says nothing
    ResidualEvaluator::Projections::Pair pair;
    FLOE_ASSIGN_OR_RAISE(pair.strict, ProjectStrict(*e, f, *ref));
    FLOE_ASSIGN_OR_RAISE(pair.inclusive, ProjectInclusive(*e, f, *ref));
    if (pair.strict || pair.inclusive) pairs.push_back(std::move(pair));
  }
  return Status::OK();
}

}  // namespace

Result<ResidualEvaluator> ResidualEvaluator::Make(const BoundExprPtr& row_filter,
                                                  const spec::PartitionSpec& spec,
                                                  const spec::Schema& schema) {
  BoundExprPtr filter = RewriteNot(row_filter);
  auto projections = std::make_shared<Projections>();
  FLOE_RETURN_NOT_OK(Collect(filter, spec, schema, projections.get()));
  return ResidualEvaluator(std::move(filter), std::move(projections));
}

namespace {

BoundExprPtr Residual(const BoundExprPtr& e, const ResidualEvaluator::Projections& p,
                      const std::vector<spec::Literal>& partition) {
  switch (e->op()) {
    case Op::kAnd:
      return And(Residual(e->left(), p, partition), Residual(e->right(), p, partition));
    case Op::kOr:
      return Or(Residual(e->left(), p, partition), Residual(e->right(), p, partition));
    default:
      break;
  }
  if (!e->is_predicate()) return e;
  auto it = p.by_predicate.find(e.get());
  if (it == p.by_predicate.end()) return e;
  static const spec::Literal kNull;
  const auto value_of = [&](const BoundReference& ref) -> const spec::Literal& {
    const auto pos = static_cast<size_t>(ref.position);
    return pos < partition.size() ? partition[pos] : kNull;
  };
  for (const auto& pair : it->second) {
    // Every row of the partition satisfies the predicate.
    if (pair.strict && internal::EvalRow(*pair.strict, value_of) == Truth::kTrue) {
      return BoundAlwaysTrue();
    }
    // No row of the partition can satisfy it. Replacing a predicate that is
    // FALSE or UNKNOWN on every row by FALSE keeps which rows the (Not-free,
    // hence monotone) filter makes TRUE.
    if (pair.inclusive && internal::EvalRow(*pair.inclusive, value_of) != Truth::kTrue) {
      return BoundAlwaysFalse();
    }
  }
  return e;
}

}  // namespace

BoundExprPtr ResidualEvaluator::ResidualFor(const std::vector<spec::Literal>& partition) const {
  return Residual(filter_, *projections_, partition);
}

}  // namespace floe::expr
