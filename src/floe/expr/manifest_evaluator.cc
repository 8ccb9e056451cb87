// Manifest pruning by partition summaries (spec §Manifest Lists, field_summary).
// A summary's bounds cover the non-null, non-NaN partition values and are
// null when every value is null or NaN; contains_nan is unknown in v1.
#include <optional>
#include <string>
#include <utility>

#include "floe/expr/eval_internal.h"
#include "floe/expr/evaluators.h"
#include "floe/expr/projection.h"

namespace floe::expr {

namespace {

using internal::CompareValues;
using spec::Literal;

// One field summary, decoded.
struct Summary {
  bool contains_null = false;
  std::optional<bool> contains_nan;
  bool has_lower = false, has_upper = false;  // bytes present (even if NaN)
  std::optional<Literal> lower, upper;        // decoded, NaN dropped
  bool floating = false;

  // No non-null value, taking NaNs into account for floats (a NaN is not null).
  bool AllNull() const {
    if (!contains_null || has_lower) return false;
    return !floating || contains_nan == false;
  }
};

Result<std::optional<Literal>> DecodeBound(const std::optional<std::string>& bytes,
                                           const BoundReference& ref,
                                           const manifest::ManifestFile& m, const char* which) {
  if (!bytes) return std::optional<Literal>();
  Result<Literal> v = spec::DeserializeSingleValue(*bytes, *ref.type);
  if (!v.ok()) {
    return Status::Corruption("manifest ", m.manifest_path, ": ", which,
                              " bound of partition field ", ref.name, " (", ref.field_id,
                              "): ", v.status().message());
  }
  if (internal::IsNanValue(*v)) return std::optional<Literal>();
  return std::optional<Literal>(std::move(*v));
}

class SummaryVisitor {
 public:
  explicit SummaryVisitor(const manifest::ManifestFile& m) : m_(m) {}

  Result<bool> Eval(const BoundExpr& e) {
    switch (e.op()) {
      case Op::kTrue: return true;
      case Op::kFalse: return false;
      case Op::kAnd: {
        FLOE_ASSIGN_OR_RAISE(bool l, Eval(*e.left()));
        if (!l) return false;
        return Eval(*e.right());
      }
      case Op::kOr: {
        FLOE_ASSIGN_OR_RAISE(bool l, Eval(*e.left()));
        if (l) return true;
        return Eval(*e.right());
      }
      case Op::kNot: return true;  // not reached: expressions are rewritten without Not
      default: return Predicate(e);
    }
  }

 private:
  Result<bool> Predicate(const BoundExpr& e) {
    const BoundReference& ref = e.ref();
    if (!m_.partitions || ref.position < 0 ||
        static_cast<size_t>(ref.position) >= m_.partitions->size()) {
      return true;  // no summary: cannot prune
    }
    const manifest::PartitionFieldSummary& raw = (*m_.partitions)[ref.position];
    Summary s;
    s.contains_null = raw.contains_null;
    s.contains_nan = raw.contains_nan;
    s.has_lower = raw.lower_bound.has_value();
    s.has_upper = raw.upper_bound.has_value();
    s.floating = spec::IsFloatingType(ref.type->id());
    FLOE_ASSIGN_OR_RAISE(s.lower, DecodeBound(raw.lower_bound, ref, m_, "lower"));
    FLOE_ASSIGN_OR_RAISE(s.upper, DecodeBound(raw.upper_bound, ref, m_, "upper"));
    return MightMatch(e, s);
  }

  static bool MightMatch(const BoundExpr& e, const Summary& s) {
    const spec::Type& type = *e.ref().type;
    const auto below_lower = [&](const Literal& v) {
      return s.lower && CompareValues(v, *s.lower, type) < 0;
    };
    const auto above_upper = [&](const Literal& v) {
      return s.upper && CompareValues(v, *s.upper, type) > 0;
    };
    switch (e.op()) {
      case Op::kIsNull: return s.contains_null;
      case Op::kNotNull: return !s.AllNull();
      case Op::kIsNan: return s.contains_nan != false && !s.AllNull();
      case Op::kNotNan:
        // Only NaNs: contains_nan, no null, and no bound for other values.
        return !(s.contains_nan == true && !s.contains_null && !s.has_lower);
      case Op::kNotEq:
      case Op::kNotIn:
      case Op::kNotStartsWith:
        if (s.AllNull()) return false;  // null never matches (three-valued logic)
        if (e.op() == Op::kNotStartsWith && s.lower && s.upper) {
          // Both bounds start with the prefix: so does every value between.
          const std::string& p = e.literal().string_value();
          return !(internal::HasPrefix(*s.lower, p) && internal::HasPrefix(*s.upper, p));
        }
        return true;
      default:
        break;
    }
    // Comparisons, in and starts with need a non-null, non-NaN value; the
    // spec leaves the bounds null when there is none (as Java reads it).
    if (e.op() == Op::kGt || e.op() == Op::kGtEq ? !s.has_upper : !s.has_lower) return false;
    switch (e.op()) {
      case Op::kLt: return !(s.lower && CompareValues(*s.lower, e.literal(), type) >= 0);
      case Op::kLtEq: return !(s.lower && CompareValues(*s.lower, e.literal(), type) > 0);
      case Op::kGt: return !(s.upper && CompareValues(*s.upper, e.literal(), type) <= 0);
      case Op::kGtEq: return !(s.upper && CompareValues(*s.upper, e.literal(), type) < 0);
      case Op::kEq: return !below_lower(e.literal()) && !above_upper(e.literal());
      case Op::kIn:
        for (const Literal& v : e.literals()) {
          if (!below_lower(v) && !above_upper(v)) return true;
        }
        return false;
      case Op::kStartsWith: {
        const std::string& p = e.literal().string_value();
        if (s.lower && internal::PrefixBytes(*s.lower, p.size()) > p) return false;
        if (s.upper && internal::PrefixBytes(*s.upper, p.size()) < p) return false;
        return true;
      }
      default:
        return true;
    }
  }

  const manifest::ManifestFile& m_;
};

}  // namespace

ManifestEvaluator::ManifestEvaluator(BoundExprPtr partition_expr)
    : expr_(RewriteNot(partition_expr)) {}

Result<ManifestEvaluator> ManifestEvaluator::ForRowFilter(const BoundExprPtr& row_filter,
                                                          const spec::PartitionSpec& spec,
                                                          const spec::Schema& schema) {
  FLOE_ASSIGN_OR_RAISE(BoundExprPtr projected, InclusiveProjection(row_filter, spec, schema));
  return ManifestEvaluator(std::move(projected));
}

Result<bool> ManifestEvaluator::Evaluate(const manifest::ManifestFile& manifest) const {
  return SummaryVisitor(manifest).Eval(*expr_);
}

}  // namespace floe::expr
