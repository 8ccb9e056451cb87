// Filter expressions (spec §Scan Planning): immutable trees shared through
// std::shared_ptr<const ...>.
//
// Two kinds of tree share one set of operations (Op):
//   Expr       unbound: predicates name a column by its dotted name and carry
//              literals as written (UnboundLiteral). ParseFilter builds these.
//   BoundExpr  bound: predicates carry the field id, its Iceberg type and
//              spec::Literal values of that type. Bind() builds these for a
//              schema; projections build them over a partition tuple.
//
// Truth values follow SQL's three-valued logic (Kleene): a comparison with a
// null value is UNKNOWN, NOT UNKNOWN is UNKNOWN, and a row is selected only
// when the filter is TRUE. Details per operation:
//   is null / not null / is nan / not nan   never UNKNOWN. `x is nan` is TRUE
//              only for a NaN; `x is not nan` is TRUE for every other value
//              and for null (as Spark's isnan and Iceberg Java's notNaN).
//   < <= > >= = !=   UNKNOWN on null; IEEE on floats: a NaN is neither less,
//              equal nor greater than anything (NaN != 5 is TRUE), -0.0 == 0.0.
//   in / not in      UNKNOWN on null; `x not in (...)` is NOT (x in (...)).
//   starts with / not starts with   UNKNOWN on null; compares UTF-8 bytes.
//
// The construction helpers below keep trees simplified: And/Or/Not never
// hold a constant child, and Not never wraps a Not.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "floe/spec/literal.h"
#include "floe/spec/type.h"

namespace floe::expr {

enum class Op : uint8_t {
  kTrue,
  kFalse,
  kAnd,
  kOr,
  kNot,
  kIsNull,
  kNotNull,
  kIsNan,
  kNotNan,
  kLt,
  kLtEq,
  kGt,
  kGtEq,
  kEq,
  kNotEq,
  kIn,
  kNotIn,
  kStartsWith,
  kNotStartsWith,
};

// The operator as the filter syntax writes it: "<", "is not null", "not in"...
// ("and", "or", "not", "true", "false" for the others).
std::string_view OpName(Op op);
bool IsPredicateOp(Op op);   // is null ... not starts with
bool IsUnaryOp(Op op);       // is null, not null, is nan, not nan
bool IsComparisonOp(Op op);  // < <= > >= = !=
bool IsSetOp(Op op);         // in, not in
// The predicate that is TRUE exactly where `op` is FALSE, for non-null,
// non-NaN values: < becomes >=, in becomes not in, is null becomes not null.
// REQUIRES: IsPredicateOp(op).
Op NegateOp(Op op);
// The operator with its operands swapped: `5 < x` is `x > 5`.
// REQUIRES: IsComparisonOp(op).
Op FlipOp(Op op);

// ---------------------------------------------------------------------------
// Unbound literals

// A literal as the user wrote it. Numbers keep their exact text so that the
// binder can convert them to the column's type without a detour through
// binary floating point (10.50 is exactly 1050 at scale 2).
class UnboundLiteral {
 public:
  enum class Kind : uint8_t {
    kBoolean,  // true, false
    kInteger,  // 42, -7: whole numbers without a point or exponent
    kDecimal,  // 10.50: a point but no exponent (and integers beyond 64 bits)
    kFloat,    // 1.5e3: an exponent
    kString,   // 'text'
    kTyped,    // date '2024-01-02', X'0AFF', ...: a value of a known type
  };

  static UnboundLiteral Boolean(bool v);
  static UnboundLiteral Integer(int64_t v);
  // REQUIRES: `text` is [+-]digits[.digits] (as the parser produces).
  static UnboundLiteral Decimal(std::string text);
  // REQUIRES: `text` is a number with an exponent, or finite `v`.
  static UnboundLiteral Float(std::string text);
  static UnboundLiteral Float(double v);
  static UnboundLiteral String(std::string v);
  // A value of a primitive type; `value` must match `type`. The parser makes
  // date, time, the four timestamps, uuid, decimal and binary literals.
  static UnboundLiteral Typed(spec::TypePtr type, spec::Literal value);

  Kind kind() const { return kind_; }
  // kInteger, kDecimal, kFloat: the number as written; kString: the string.
  const std::string& text() const { return text_; }
  bool bool_value() const { return bool_value_; }     // kBoolean
  int64_t int_value() const { return int_value_; }    // kInteger
  const spec::TypePtr& type() const { return type_; }  // kTyped
  const spec::Literal& value() const { return value_; }  // kTyped

  // Filter syntax that parses back to an equal literal: 42, 10.50, 'it''s',
  // date '2024-01-02', X'0aff', timestamptz '2024-01-02T10:00:00+00:00'.
  std::string ToString() const;
  bool operator==(const UnboundLiteral& other) const;

 private:
  UnboundLiteral() = default;
  Kind kind_ = Kind::kBoolean;
  bool bool_value_ = false;
  int64_t int_value_ = 0;
  std::string text_;
  spec::TypePtr type_;
  spec::Literal value_;
};

// The literal whose ToString is the filter syntax for `value` of `type`
// (used to print bound expressions so that they parse and bind back).
UnboundLiteral ToUnboundLiteral(const spec::Literal& value, const spec::Type& type);

// ---------------------------------------------------------------------------
// Unbound expressions

class Expr;
using ExprPtr = std::shared_ptr<const Expr>;

class Expr {
 public:
  struct Key {  // only the factories below construct nodes
    explicit Key() = default;
  };
  Expr(Key, Op op, std::vector<ExprPtr> children, std::string column,
       std::vector<UnboundLiteral> literals);

  Op op() const { return op_; }
  bool is_predicate() const { return IsPredicateOp(op_); }
  // kAnd, kOr: two children; kNot: one.
  const std::vector<ExprPtr>& children() const { return children_; }
  const ExprPtr& left() const { return children_[0]; }
  const ExprPtr& right() const { return children_[1]; }
  const ExprPtr& child() const { return children_[0]; }
  // Predicates: the dotted column name ("payload.source") and the literals
  // (none for unary predicates, one for comparisons and starts with, one or
  // more for in and not in).
  const std::string& column() const { return column_; }
  const std::vector<UnboundLiteral>& literals() const { return literals_; }
  const UnboundLiteral& literal() const { return literals_[0]; }

  // Filter syntax; ParseFilter(ToString()) returns an equal expression.
  std::string ToString() const;
  // Structural equality (same tree, columns and literals).
  bool Equals(const Expr& other) const;

 private:
  Op op_;
  std::vector<ExprPtr> children_;
  std::string column_;
  std::vector<UnboundLiteral> literals_;
};

ExprPtr AlwaysTrue();
ExprPtr AlwaysFalse();
// Simplify: and(true, x) = x, and(false, x) = false, or(true, x) = true,
// or(false, x) = x, not(true) = false, not(not x) = x.
ExprPtr And(ExprPtr left, ExprPtr right);
ExprPtr Or(ExprPtr left, ExprPtr right);
ExprPtr Not(ExprPtr child);

ExprPtr IsNull(std::string column);
ExprPtr NotNull(std::string column);
ExprPtr IsNan(std::string column);
ExprPtr NotNan(std::string column);
ExprPtr LessThan(std::string column, UnboundLiteral value);
ExprPtr LessThanOrEqual(std::string column, UnboundLiteral value);
ExprPtr GreaterThan(std::string column, UnboundLiteral value);
ExprPtr GreaterThanOrEqual(std::string column, UnboundLiteral value);
ExprPtr Equal(std::string column, UnboundLiteral value);
ExprPtr NotEqual(std::string column, UnboundLiteral value);
// REQUIRES: values is not empty.
ExprPtr In(std::string column, std::vector<UnboundLiteral> values);
ExprPtr NotIn(std::string column, std::vector<UnboundLiteral> values);
ExprPtr StartsWith(std::string column, std::string prefix);
ExprPtr NotStartsWith(std::string column, std::string prefix);
// Any predicate. REQUIRES: IsPredicateOp(op) and the literal count fits op.
ExprPtr MakePredicate(Op op, std::string column, std::vector<UnboundLiteral> literals);

// Pushes NOT down to the predicates: not(a < 5) = a >= 5, not(a and b) =
// not a or not b, not(a in (1, 2)) = a not in (1, 2). The result has no Not
// node. Exact under three-valued logic except for NaN: a NaN row matches
// neither `a < 5` nor `a >= 5`. Binding knows the column types and negates
// exactly (see Negate(BoundExprPtr)); prefer binding Not and letting the
// binder push it down.
ExprPtr Negate(const ExprPtr& expr);

// ---------------------------------------------------------------------------
// Bound expressions

// A reference to one primitive value: a column of a row (position -1) or a
// field of a partition tuple (position = its index in the tuple).
struct BoundReference {
  int32_t field_id = 0;  // schema field id, or partition field id
  spec::TypePtr type;    // the column's type, or the partition field's result type
  std::string name;      // full dotted column name or partition field name
  int32_t position = -1;

  bool operator==(const BoundReference& other) const;
};

class BoundExpr;
using BoundExprPtr = std::shared_ptr<const BoundExpr>;

class BoundExpr {
 public:
  struct Key {
    explicit Key() = default;
  };
  BoundExpr(Key, Op op, std::vector<BoundExprPtr> children, BoundReference ref,
            std::vector<spec::Literal> literals);

  Op op() const { return op_; }
  bool is_predicate() const { return IsPredicateOp(op_); }
  const std::vector<BoundExprPtr>& children() const { return children_; }
  const BoundExprPtr& left() const { return children_[0]; }
  const BoundExprPtr& right() const { return children_[1]; }
  const BoundExprPtr& child() const { return children_[0]; }
  // Predicates: the referenced value and literals of ref().type; in/not in
  // hold two or more distinct values in CompareLiterals order.
  const BoundReference& ref() const { return ref_; }
  const std::vector<spec::Literal>& literals() const { return literals_; }
  const spec::Literal& literal() const { return literals_[0]; }

  // Filter syntax with column names and typed literals: parsing and binding
  // it to the same schema gives an equal expression.
  std::string ToString() const;
  bool Equals(const BoundExpr& other) const;

 private:
  Op op_;
  std::vector<BoundExprPtr> children_;
  BoundReference ref_;
  std::vector<spec::Literal> literals_;
};

BoundExprPtr BoundAlwaysTrue();
BoundExprPtr BoundAlwaysFalse();
// Simplifying, as for unbound expressions.
BoundExprPtr And(BoundExprPtr left, BoundExprPtr right);
BoundExprPtr Or(BoundExprPtr left, BoundExprPtr right);
BoundExprPtr Not(BoundExprPtr child);
// A bound predicate. REQUIRES: literals of ref.type, as many as op needs
// (unary: none; comparisons and starts with: one; in/not in: any number).
// Set predicates are normalised: values sorted and deduplicated, one value
// becomes = or !=, none becomes false (in) or true (not in).
BoundExprPtr MakeBoundPredicate(Op op, BoundReference ref, std::vector<spec::Literal> literals);

// Pushes NOT down exactly under three-valued logic and IEEE NaN rules: for
// float and double columns not(a < 5) is `a >= 5 or a is nan`; otherwise as
// Negate(ExprPtr). The result has no Not node.
BoundExprPtr Negate(const BoundExprPtr& expr);
// The same expression with every Not pushed down (no Not node left).
BoundExprPtr RewriteNot(const BoundExprPtr& expr);

}  // namespace floe::expr
