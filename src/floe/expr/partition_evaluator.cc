#include <utility>

#include "floe/expr/eval_internal.h"
#include "floe/expr/evaluators.h"
#include "floe/expr/projection.h"

namespace floe::expr {

PartitionEvaluator::PartitionEvaluator(BoundExprPtr partition_expr)
    : expr_(RewriteNot(partition_expr)) {}

Result<PartitionEvaluator> PartitionEvaluator::ForRowFilter(const BoundExprPtr& row_filter,
                                                            const spec::PartitionSpec& spec,
                                                            const spec::Schema& schema) {
  FLOE_ASSIGN_OR_RAISE(BoundExprPtr projected, InclusiveProjection(row_filter, spec, schema));
  return PartitionEvaluator(std::move(projected));
}

bool PartitionEvaluator::Evaluate(const std::vector<spec::Literal>& partition) const {
  static const spec::Literal kNull;
  const auto value_of = [&](const BoundReference& ref) -> const spec::Literal& {
    const auto pos = static_cast<size_t>(ref.position);
    return ref.position >= 0 && pos < partition.size() ? partition[pos] : kNull;
  };
  return internal::EvalRow(*expr_, value_of) == internal::Truth::kTrue;
}

}  // namespace floe::expr
