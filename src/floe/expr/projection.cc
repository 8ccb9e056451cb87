#include "floe/expr/projection.h"

#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace floe::expr {

namespace {

using spec::Int128;
using spec::Literal;
using spec::TransformKind;
using spec::Type;
using spec::TypeId;

// `v` plus `delta` (±1) in the source's unit; nullopt past the type's range.
std::optional<Literal> Step(const Literal& v, const Type& type, int delta) {
  switch (type.id()) {
    case TypeId::kInt:
    case TypeId::kDate: {
      const int64_t r = int64_t{v.int_value()} + delta;
      if (r < std::numeric_limits<int32_t>::min() || r > std::numeric_limits<int32_t>::max()) {
        return std::nullopt;
      }
      return Literal::Int(static_cast<int32_t>(r));
    }
    case TypeId::kDecimal:
      // Unscaled values of precision <= 38 are far from the 128-bit limits.
      return Literal::Decimal(v.decimal_value() + delta);
    default: {  // long, time, timestamps
      const int64_t x = v.long_value();
      if ((delta > 0 && x == std::numeric_limits<int64_t>::max()) ||
          (delta < 0 && x == std::numeric_limits<int64_t>::min())) {
        return std::nullopt;
      }
      return Literal::Long(x + delta);
    }
  }
}

// Number of UTF-8 code points (continuation bytes are 10xxxxxx).
int64_t CodePoints(const std::string& s) {
  int64_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

class Projector {
 public:
  Projector(const BoundExpr& pred, const spec::PartitionField& field, const BoundReference& ref)
      : pred_(pred), transform_(field.transform), ref_(ref), source_(*pred.ref().type) {}

  Result<BoundExprPtr> Inclusive() {
    const TransformKind kind = transform_.kind();
    if (!Projectable()) return BoundExprPtr();
    const Op op = pred_.op();
    if (kind == TransformKind::kIdentity) return Same();
    if (op == Op::kIsNull || op == Op::kNotNull) return Make(op, {});
    if (IsUnaryOp(op)) return BoundExprPtr();
    switch (kind) {
      case TransformKind::kBucket:
        if (op == Op::kEq || op == Op::kIn) return Transformed(op);
        return BoundExprPtr();
      case TransformKind::kTruncate:
        if (source_.id() == TypeId::kString || source_.id() == TypeId::kBinary) {
          return InclusiveBytes();
        }
        return InclusiveNumeric();
      default: {  // year, month, day, hour
        FLOE_ASSIGN_OR_RAISE(BoundExprPtr p, InclusiveNumeric());
        return FixInclusiveTime(p);
      }
    }
  }

  Result<BoundExprPtr> Strict() {
    const TransformKind kind = transform_.kind();
    if (!Projectable()) return BoundExprPtr();
    const Op op = pred_.op();
    if (kind == TransformKind::kIdentity) return Same();
    if (op == Op::kIsNull || op == Op::kNotNull) return Make(op, {});
    if (IsUnaryOp(op)) return BoundExprPtr();
    switch (kind) {
      case TransformKind::kBucket:
        if (op == Op::kNotEq || op == Op::kNotIn) return Transformed(op);
        return BoundExprPtr();
      case TransformKind::kTruncate:
        if (source_.id() == TypeId::kString || source_.id() == TypeId::kBinary) {
          return StrictBytes();
        }
        return StrictNumeric();
      default: {
        FLOE_ASSIGN_OR_RAISE(BoundExprPtr p, StrictNumeric());
        return FixStrictTime(p);
      }
    }
  }

 private:
  bool Projectable() const {
    const TransformKind kind = transform_.kind();
    return kind != TransformKind::kVoid && kind != TransformKind::kUnknown &&
           transform_.CanTransform(source_);
  }

  BoundExprPtr Make(Op op, std::vector<Literal> values) const {
    return MakeBoundPredicate(op, ref_, std::move(values));
  }
  BoundExprPtr Same() const { return Make(pred_.op(), pred_.literals()); }

  Result<Literal> Apply(const Literal& v) const { return transform_.Apply(v, source_); }

  // Truncating an int or long within W of the type's minimum wraps around
  // (as Java computes it), so t(b) > b; no projection is made from there.
  bool Wrapped(const Literal& b, const Literal& t) const {
    return transform_.kind() == TransformKind::kTruncate &&
           (source_.id() == TypeId::kInt || source_.id() == TypeId::kLong) &&
           spec::CompareLiterals(t, b, source_) > 0;
  }

  // op(t(b)) for every literal b.
  Result<BoundExprPtr> Transformed(Op op) const {
    std::vector<Literal> values;
    for (const Literal& v : pred_.literals()) {
      FLOE_ASSIGN_OR_RAISE(Literal t, Apply(v));
      if (Wrapped(v, t)) return BoundExprPtr();
      values.push_back(std::move(t));
    }
    return Make(op, std::move(values));
  }

  // op(t(b + delta)); `overflow` when b + delta leaves the type.
  Result<BoundExprPtr> Stepped(Op op, int delta, BoundExprPtr overflow) const {
    std::optional<Literal> b = Step(pred_.literal(), source_, delta);
    if (!b) return overflow;
    FLOE_ASSIGN_OR_RAISE(Literal t, Apply(*b));
    if (Wrapped(*b, t)) return BoundExprPtr();
    return Make(op, {std::move(t)});
  }

  Result<BoundExprPtr> InclusiveNumeric() const {
    switch (pred_.op()) {
      // Nothing is below the minimum or above the maximum: no row matches.
      case Op::kLt: return Stepped(Op::kLtEq, -1, BoundAlwaysFalse());
      case Op::kLtEq: return Transformed(Op::kLtEq);
      case Op::kGt: return Stepped(Op::kGtEq, +1, BoundAlwaysFalse());
      case Op::kGtEq: return Transformed(Op::kGtEq);
      case Op::kEq: return Transformed(Op::kEq);
      case Op::kIn: return Transformed(Op::kIn);
      default: return BoundExprPtr();
    }
  }

  Result<BoundExprPtr> StrictNumeric() const {
    switch (pred_.op()) {
      case Op::kLt: return Transformed(Op::kLt);
      // x <= max holds for every non-null x, and a partition value is null
      // exactly when its source is.
      case Op::kLtEq: return Stepped(Op::kLt, +1, Make(Op::kNotNull, {}));
      case Op::kGt: return Transformed(Op::kGt);
      case Op::kGtEq: return Stepped(Op::kGt, -1, Make(Op::kNotNull, {}));
      case Op::kNotEq: return Transformed(Op::kNotEq);
      case Op::kNotIn: return Transformed(Op::kNotIn);
      default: return BoundExprPtr();
    }
  }

  Result<BoundExprPtr> InclusiveBytes() const {
    switch (pred_.op()) {
      case Op::kLt:
      case Op::kLtEq: return Transformed(Op::kLtEq);
      case Op::kGt:
      case Op::kGtEq: return Transformed(Op::kGtEq);
      case Op::kEq: return Transformed(Op::kEq);
      case Op::kIn: return Transformed(Op::kIn);
      // v starts with p => t(v) starts with t(p).
      case Op::kStartsWith: return Transformed(Op::kStartsWith);
      case Op::kNotStartsWith:
        // With p no longer than W, t(v) starts with p iff v does.
        if (CodePoints(pred_.literal().string_value()) <= transform_.param()) return Same();
        return BoundExprPtr();
      default: return BoundExprPtr();
    }
  }

  Result<BoundExprPtr> StrictBytes() const {
    switch (pred_.op()) {
      // Truncation keeps order, so t(v) < t(b) implies v < b.
      case Op::kLt:
      case Op::kLtEq: return Transformed(Op::kLt);
      case Op::kGt:
      case Op::kGtEq: return Transformed(Op::kGt);
      case Op::kNotEq: return Transformed(Op::kNotEq);
      case Op::kNotIn: return Transformed(Op::kNotIn);
      // v starts with t(v), so t(v) starts with p implies v does.
      case Op::kStartsWith:
        if (CodePoints(pred_.literal().string_value()) <= transform_.param()) return Same();
        return BoundExprPtr();
      // v starts with p => t(v) starts with t(p); the contrapositive.
      case Op::kNotStartsWith: return Transformed(Op::kNotStartsWith);
      default: return BoundExprPtr();
    }
  }

  // Time transforms: old writers computed negative partition values rounding
  // toward zero (one more than the floor), so Java widens inclusive
  // projections to admit value + 1 for negative values.
  BoundExprPtr FixInclusiveTime(const BoundExprPtr& p) const {
    if (!p || !p->is_predicate() || p->literals().empty()) return p;
    const Op op = p->op();
    switch (op) {
      case Op::kLt:
      case Op::kLtEq: {
        const int32_t v = p->literal().int_value();
        return v < 0 ? Make(op, {Literal::Int(v + 1)}) : p;
      }
      case Op::kEq:
      case Op::kIn: {
        std::vector<Literal> values;
        bool negative = false;
        for (const Literal& l : p->literals()) {
          values.push_back(l);
          if (l.int_value() < 0) {
            negative = true;
            values.push_back(Literal::Int(l.int_value() + 1));
          }
        }
        return negative ? Make(Op::kIn, std::move(values)) : p;
      }
      default:
        return p;  // >, >= already admit the larger value
    }
  }

  // And narrows strict projections so that a value + 1 written by an old
  // writer for a row outside the range does not count as matching.
  BoundExprPtr FixStrictTime(const BoundExprPtr& p) const {
    if (!p || !p->is_predicate() || p->literals().empty()) return p;
    const Op op = p->op();
    switch (op) {
      case Op::kGt:
      case Op::kGtEq: {
        const int32_t v = p->literal().int_value();
        return v <= 0 ? Make(op, {Literal::Int(v + 1)}) : p;
      }
      case Op::kNotEq:
      case Op::kNotIn: {
        std::vector<Literal> values;
        bool negative = false;
        for (const Literal& l : p->literals()) {
          values.push_back(l);
          if (l.int_value() < 0) {
            negative = true;
            values.push_back(Literal::Int(l.int_value() + 1));
          }
        }
        return negative ? Make(Op::kNotIn, std::move(values)) : p;
      }
      default:
        return p;  // <, <= stay correct for the values old writers produced
    }
  }

  const BoundExpr& pred_;
  const spec::Transform& transform_;
  const BoundReference& ref_;
  const Type& source_;
};

bool TakesPart(const spec::PartitionField& f) {
  const TransformKind k = f.transform.kind();
  return k != TransformKind::kVoid && k != TransformKind::kUnknown && f.source_ids.size() <= 1;
}

Result<BoundExprPtr> Project(const BoundExprPtr& e, const spec::PartitionSpec& spec,
                             const spec::Schema& schema, bool strict) {
  switch (e->op()) {
    case Op::kTrue:
    case Op::kFalse:
      return e;
    case Op::kAnd:
    case Op::kOr: {
      FLOE_ASSIGN_OR_RAISE(BoundExprPtr l, Project(e->left(), spec, schema, strict));
      FLOE_ASSIGN_OR_RAISE(BoundExprPtr r, Project(e->right(), spec, schema, strict));
      return e->op() == Op::kAnd ? And(std::move(l), std::move(r)) : Or(std::move(l), std::move(r));
    }
    case Op::kNot:
      return Project(RewriteNot(e), spec, schema, strict);
    default:
      break;
  }
  BoundExprPtr result = strict ? BoundAlwaysFalse() : BoundAlwaysTrue();
  const auto& fields = spec.fields();
  for (size_t i = 0; i < fields.size(); ++i) {
    const spec::PartitionField& f = fields[i];
    if (f.source_id != e->ref().field_id || !TakesPart(f)) continue;
    if (!schema.FindField(f.source_id)) continue;
    FLOE_ASSIGN_OR_RAISE(BoundReference ref,
                         PartitionReference(spec, schema, static_cast<int32_t>(i)));
    FLOE_ASSIGN_OR_RAISE(BoundExprPtr p, strict ? ProjectStrict(*e, f, ref)
                                                : ProjectInclusive(*e, f, ref));
    if (!p) continue;
    result = strict ? Or(std::move(result), std::move(p)) : And(std::move(result), std::move(p));
  }
  return result;
}

}  // namespace

Result<BoundReference> PartitionReference(const spec::PartitionSpec& spec,
                                          const spec::Schema& schema, int32_t position) {
  const spec::PartitionField& f = spec.fields().at(static_cast<size_t>(position));
  if (!TakesPart(f)) {
    return Status::NotSupported("partition field ", f.name, " (", f.transform.ToString(),
                                ") cannot be used to filter");
  }
  const spec::NestedField* source = schema.FindField(f.source_id);
  if (!source) {
    return Status::NotFound("partition field ", f.name, ": source field id ", f.source_id,
                            " is not in schema ", schema.schema_id());
  }
  BoundReference ref;
  ref.field_id = f.field_id;
  ref.name = f.name;
  ref.position = position;
  FLOE_ASSIGN_OR_RAISE(ref.type, f.transform.ResultType(source->type));
  return ref;
}

Result<BoundExprPtr> ProjectInclusive(const BoundExpr& pred, const spec::PartitionField& partition,
                                      const BoundReference& ref) {
  return Projector(pred, partition, ref).Inclusive();
}

Result<BoundExprPtr> ProjectStrict(const BoundExpr& pred, const spec::PartitionField& partition,
                                   const BoundReference& ref) {
  return Projector(pred, partition, ref).Strict();
}

Result<BoundExprPtr> InclusiveProjection(const BoundExprPtr& row_filter,
                                         const spec::PartitionSpec& spec,
                                         const spec::Schema& schema) {
  return Project(RewriteNot(row_filter), spec, schema, /*strict=*/false);
}

Result<BoundExprPtr> StrictProjection(const BoundExprPtr& row_filter,
                                      const spec::PartitionSpec& spec,
                                      const spec::Schema& schema) {
  return Project(RewriteNot(row_filter), spec, schema, /*strict=*/true);
}

}  // namespace floe::expr
