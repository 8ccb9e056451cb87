#include "floe/expr/expression.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

#include "floe/expr/syntax_internal.h"
#include "floe/util/strings.h"

namespace floe::expr {

using spec::Literal;
using spec::Type;
using spec::TypeId;

// ---------------------------------------------------------------------------
// Operations

std::string_view OpName(Op op) {
  switch (op) {
    case Op::kTrue: return "true";
    case Op::kFalse: return "false";
    case Op::kAnd: return "and";
    case Op::kOr: return "or";
    case Op::kNot: return "not";
    case Op::kIsNull: return "is null";
    case Op::kNotNull: return "is not null";
    case Op::kIsNan: return "is nan";
    case Op::kNotNan: return "is not nan";
    case Op::kLt: return "<";
    case Op::kLtEq: return "<=";
    case Op::kGt: return ">";
    case Op::kGtEq: return ">=";
    case Op::kEq: return "=";
    case Op::kNotEq: return "!=";
    case Op::kIn: return "in";
    case Op::kNotIn: return "not in";
    case Op::kStartsWith: return "starts with";
    case Op::kNotStartsWith: return "not starts with";
  }
  return "?";
}

bool IsPredicateOp(Op op) { return op >= Op::kIsNull; }
bool IsUnaryOp(Op op) { return op >= Op::kIsNull && op <= Op::kNotNan; }
bool IsComparisonOp(Op op) { return op >= Op::kLt && op <= Op::kNotEq; }
bool IsSetOp(Op op) { return op == Op::kIn || op == Op::kNotIn; }

Op NegateOp(Op op) {
  switch (op) {
    case Op::kIsNull: return Op::kNotNull;
    case Op::kNotNull: return Op::kIsNull;
    case Op::kIsNan: return Op::kNotNan;
    case Op::kNotNan: return Op::kIsNan;
    case Op::kLt: return Op::kGtEq;
    case Op::kLtEq: return Op::kGt;
    case Op::kGt: return Op::kLtEq;
    case Op::kGtEq: return Op::kLt;
    case Op::kEq: return Op::kNotEq;
    case Op::kNotEq: return Op::kEq;
    case Op::kIn: return Op::kNotIn;
    case Op::kNotIn: return Op::kIn;
    case Op::kStartsWith: return Op::kNotStartsWith;
    case Op::kNotStartsWith: return Op::kStartsWith;
    case Op::kTrue: return Op::kFalse;
    case Op::kFalse: return Op::kTrue;
    default: return op;  // and/or/not have no operator negation
  }
}

Op FlipOp(Op op) {
  switch (op) {
    case Op::kLt: return Op::kGt;
    case Op::kLtEq: return Op::kGtEq;
    case Op::kGt: return Op::kLt;
    case Op::kGtEq: return Op::kLtEq;
    default: return op;  // = and != are symmetric
  }
}

// ---------------------------------------------------------------------------
// Syntax helpers

namespace internal {

bool IsReservedWord(std::string_view word) {
  static constexpr std::string_view kWords[] = {"and", "or",   "not",  "in",
                                                "is",  "null", "true", "false"};
  for (std::string_view w : kWords) {
    if (util::EqualsIgnoreCase(word, w)) return true;
  }
  return false;
}

namespace {
bool IsBareSegment(std::string_view s) {
  if (s.empty()) return false;
  const auto c0 = static_cast<unsigned char>(s[0]);
  if (!(std::isalpha(c0) || c0 == '_' || c0 >= 0x80)) return false;
  for (unsigned char c : s) {
    if (!(std::isalnum(c) || c == '_' || c >= 0x80)) return false;
  }
  return !IsReservedWord(s);
}
}  // namespace

std::string FormatColumnName(std::string_view name) {
  std::string out;
  for (std::string_view segment : util::Split(name, '.')) {
    if (!out.empty()) out += '.';
    if (IsBareSegment(segment)) {
      out += segment;
      continue;
    }
    out += '"';
    for (char c : segment) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  return out;
}

std::string QuoteStringLiteral(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string_view TypedKeyword(const Type& type) {
  switch (type.id()) {
    case TypeId::kDate: return "date";
    case TypeId::kTime: return "time";
    case TypeId::kTimestamp: return "timestamp";
    case TypeId::kTimestampTz: return "timestamptz";
    case TypeId::kTimestampNs: return "timestamp_ns";
    case TypeId::kTimestampTzNs: return "timestamptz_ns";
    case TypeId::kUuid: return "uuid";
    case TypeId::kDecimal: return "decimal";
    case TypeId::kBinary:
    case TypeId::kFixed: return "binary";
    default: return "";
  }
}

}  // namespace internal

// ---------------------------------------------------------------------------
// UnboundLiteral

namespace {

// Shortest text that reads back to the same value, always with an exponent
// so that the lexer sees a float ("1.5e+03").
template <typename F>
std::string ScientificText(F v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  return std::string(buf, r.ptr);
}

}  // namespace

UnboundLiteral UnboundLiteral::Boolean(bool v) {
  UnboundLiteral l;
  l.kind_ = Kind::kBoolean;
  l.bool_value_ = v;
  return l;
}

UnboundLiteral UnboundLiteral::Integer(int64_t v) {
  UnboundLiteral l;
  l.kind_ = Kind::kInteger;
  l.int_value_ = v;
  l.text_ = std::to_string(v);
  return l;
}

UnboundLiteral UnboundLiteral::Decimal(std::string text) {
  UnboundLiteral l;
  l.kind_ = Kind::kDecimal;
  l.text_ = std::move(text);
  return l;
}

UnboundLiteral UnboundLiteral::Float(std::string text) {
  UnboundLiteral l;
  l.kind_ = Kind::kFloat;
  l.text_ = std::move(text);
  return l;
}

UnboundLiteral UnboundLiteral::Float(double v) { return Float(ScientificText(v)); }

UnboundLiteral UnboundLiteral::String(std::string v) {
  UnboundLiteral l;
  l.kind_ = Kind::kString;
  l.text_ = std::move(v);
  return l;
}

UnboundLiteral UnboundLiteral::Typed(spec::TypePtr type, Literal value) {
  UnboundLiteral l;
  l.kind_ = Kind::kTyped;
  l.type_ = std::move(type);
  l.value_ = std::move(value);
  return l;
}

std::string UnboundLiteral::ToString() const {
  switch (kind_) {
    case Kind::kBoolean:
      return bool_value_ ? "true" : "false";
    case Kind::kInteger:
    case Kind::kDecimal:
    case Kind::kFloat:
      return text_;
    case Kind::kString:
      return internal::QuoteStringLiteral(text_);
    case Kind::kTyped:
      break;
  }
  const Type& t = *type_;
  switch (t.id()) {
    case TypeId::kBoolean:
    case TypeId::kInt:
    case TypeId::kLong:
      return spec::LiteralToString(value_, t);
    case TypeId::kFloat:
      return ScientificText(value_.float_value());
    case TypeId::kDouble:
      return ScientificText(value_.double_value());
    case TypeId::kString:
      return internal::QuoteStringLiteral(value_.string_value());
    case TypeId::kBinary:
    case TypeId::kFixed:
      return "X'" + util::HexEncode(value_.bytes_value()) + "'";
    default: {
      std::string_view keyword = internal::TypedKeyword(t);
      std::string text = internal::QuoteStringLiteral(spec::LiteralToString(value_, t));
      return keyword.empty() ? text : std::string(keyword) + " " + text;
    }
  }
}

bool UnboundLiteral::operator==(const UnboundLiteral& o) const {
  if (kind_ != o.kind_) return false;
  switch (kind_) {
    case Kind::kBoolean: return bool_value_ == o.bool_value_;
    case Kind::kTyped: return type_->Equals(*o.type_) && value_ == o.value_;
    default: return text_ == o.text_;
  }
}

UnboundLiteral ToUnboundLiteral(const Literal& value, const Type& type) {
  switch (type.id()) {
    case TypeId::kBoolean:
      return UnboundLiteral::Boolean(value.bool_value());
    case TypeId::kInt:
      return UnboundLiteral::Integer(value.int_value());
    case TypeId::kLong:
      return UnboundLiteral::Integer(value.long_value());
    case TypeId::kFloat:
      return UnboundLiteral::Float(ScientificText(value.float_value()));
    case TypeId::kDouble:
      return UnboundLiteral::Float(ScientificText(value.double_value()));
    case TypeId::kDecimal: {
      const spec::Int128 v = value.decimal_value();
      if (type.scale() == 0 && v >= std::numeric_limits<int64_t>::min() &&
          v <= std::numeric_limits<int64_t>::max()) {
        return UnboundLiteral::Integer(static_cast<int64_t>(v));
      }
      return UnboundLiteral::Decimal(spec::LiteralToString(value, type));
    }
    case TypeId::kString:
      return UnboundLiteral::String(value.string_value());
    default:
      spec::TypePtr typed =
          type.id() == TypeId::kFixed ? Type::Binary() : std::make_shared<const Type>(type);
      return UnboundLiteral::Typed(std::move(typed), value);
  }
}

// ---------------------------------------------------------------------------
// Rendering shared by both trees

namespace {

// Binding strength for parentheses: or < and < not < predicate.
int Precedence(Op op) {
  switch (op) {
    case Op::kOr: return 1;
    case Op::kAnd: return 2;
    case Op::kNot: return 3;
    default: return 4;
  }
}

template <typename Node, typename PredicateFn>
void Render(const Node& e, const PredicateFn& predicate, std::string* out) {
  auto child = [&](const auto& c, bool parens) {
    if (parens) *out += '(';
    Render(*c, predicate, out);
    if (parens) *out += ')';
  };
  switch (e.op()) {
    case Op::kTrue:
    case Op::kFalse:
      *out += OpName(e.op());
      return;
    case Op::kAnd:
    case Op::kOr: {
      const int p = Precedence(e.op());
      // The parser is left-associative, so a right child of the same kind
      // needs parentheses to come back as the same tree.
      child(e.left(), Precedence(e.left()->op()) < p);
      *out += e.op() == Op::kAnd ? " and " : " or ";
      child(e.right(), Precedence(e.right()->op()) <= p);
      return;
    }
    case Op::kNot:
      *out += "not ";
      child(e.child(), Precedence(e.child()->op()) < Precedence(Op::kNot));
      return;
    default:
      predicate(e, out);
  }
}

template <typename LiteralToText>
void RenderPredicate(Op op, const std::string& column, size_t count,
                     const LiteralToText& literal, std::string* out) {
  *out += internal::FormatColumnName(column);
  *out += ' ';
  *out += OpName(op);
  if (IsUnaryOp(op)) return;
  if (IsSetOp(op)) {
    *out += " (";
    for (size_t i = 0; i < count; ++i) {
      if (i > 0) *out += ", ";
      *out += literal(i);
    }
    *out += ')';
    return;
  }
  *out += ' ';
  *out += literal(0);
}

}  // namespace

// ---------------------------------------------------------------------------
// Expr

Expr::Expr(Key, Op op, std::vector<ExprPtr> children, std::string column,
           std::vector<UnboundLiteral> literals)
    : op_(op),
      children_(std::move(children)),
      column_(std::move(column)),
      literals_(std::move(literals)) {}

std::string Expr::ToString() const {
  std::string out;
  Render(
      *this,
      [](const Expr& p, std::string* o) {
        RenderPredicate(
            p.op(), p.column(), p.literals().size(),
            [&](size_t i) { return p.literals()[i].ToString(); }, o);
      },
      &out);
  return out;
}

bool Expr::Equals(const Expr& o) const {
  if (op_ != o.op_ || column_ != o.column_ || literals_ != o.literals_ ||
      children_.size() != o.children_.size()) {
    return false;
  }
  for (size_t i = 0; i < children_.size(); ++i) {
    if (!children_[i]->Equals(*o.children_[i])) return false;
  }
  return true;
}

namespace {
ExprPtr MakeNode(Op op, std::vector<ExprPtr> children, std::string column = {},
                 std::vector<UnboundLiteral> literals = {}) {
  return std::make_shared<const Expr>(Expr::Key(), op, std::move(children), std::move(column),
                                      std::move(literals));
}
}  // namespace

ExprPtr AlwaysTrue() {
  static const ExprPtr kTrue = MakeNode(Op::kTrue, {});
  return kTrue;
}

ExprPtr AlwaysFalse() {
  static const ExprPtr kFalse = MakeNode(Op::kFalse, {});
  return kFalse;
}

ExprPtr And(ExprPtr left, ExprPtr right) {
  if (left->op() == Op::kFalse || right->op() == Op::kFalse) return AlwaysFalse();
  if (left->op() == Op::kTrue) return right;
  if (right->op() == Op::kTrue) return left;
  return MakeNode(Op::kAnd, {std::move(left), std::move(right)});
}

ExprPtr Or(ExprPtr left, ExprPtr right) {
  if (left->op() == Op::kTrue || right->op() == Op::kTrue) return AlwaysTrue();
  if (left->op() == Op::kFalse) return right;
  if (right->op() == Op::kFalse) return left;
  return MakeNode(Op::kOr, {std::move(left), std::move(right)});
}

ExprPtr Not(ExprPtr child) {
  switch (child->op()) {
    case Op::kTrue: return AlwaysFalse();
    case Op::kFalse: return AlwaysTrue();
    case Op::kNot: return child->child();  // exact: NOT NOT unknown is unknown
    default: return MakeNode(Op::kNot, {std::move(child)});
  }
}

ExprPtr MakePredicate(Op op, std::string column, std::vector<UnboundLiteral> literals) {
  return MakeNode(op, {}, std::move(column), std::move(literals));
}

ExprPtr IsNull(std::string c) { return MakePredicate(Op::kIsNull, std::move(c), {}); }
ExprPtr NotNull(std::string c) { return MakePredicate(Op::kNotNull, std::move(c), {}); }
ExprPtr IsNan(std::string c) { return MakePredicate(Op::kIsNan, std::move(c), {}); }
ExprPtr NotNan(std::string c) { return MakePredicate(Op::kNotNan, std::move(c), {}); }
ExprPtr LessThan(std::string c, UnboundLiteral v) {
  return MakePredicate(Op::kLt, std::move(c), {std::move(v)});
}
ExprPtr LessThanOrEqual(std::string c, UnboundLiteral v) {
  return MakePredicate(Op::kLtEq, std::move(c), {std::move(v)});
}
ExprPtr GreaterThan(std::string c, UnboundLiteral v) {
  return MakePredicate(Op::kGt, std::move(c), {std::move(v)});
}
ExprPtr GreaterThanOrEqual(std::string c, UnboundLiteral v) {
  return MakePredicate(Op::kGtEq, std::move(c), {std::move(v)});
}
ExprPtr Equal(std::string c, UnboundLiteral v) {
  return MakePredicate(Op::kEq, std::move(c), {std::move(v)});
}
ExprPtr NotEqual(std::string c, UnboundLiteral v) {
  return MakePredicate(Op::kNotEq, std::move(c), {std::move(v)});
}
ExprPtr In(std::string c, std::vector<UnboundLiteral> v) {
  return MakePredicate(Op::kIn, std::move(c), std::move(v));
}
ExprPtr NotIn(std::string c, std::vector<UnboundLiteral> v) {
  return MakePredicate(Op::kNotIn, std::move(c), std::move(v));
}
ExprPtr StartsWith(std::string c, std::string prefix) {
  return MakePredicate(Op::kStartsWith, std::move(c),
                       {UnboundLiteral::String(std::move(prefix))});
}
ExprPtr NotStartsWith(std::string c, std::string prefix) {
  return MakePredicate(Op::kNotStartsWith, std::move(c),
                       {UnboundLiteral::String(std::move(prefix))});
}

namespace {
ExprPtr RewriteNotUnbound(const ExprPtr& e) {
  switch (e->op()) {
    case Op::kAnd: return And(RewriteNotUnbound(e->left()), RewriteNotUnbound(e->right()));
    case Op::kOr: return Or(RewriteNotUnbound(e->left()), RewriteNotUnbound(e->right()));
    case Op::kNot: return Negate(e->child());
    default: return e;
  }
}
}  // namespace

ExprPtr Negate(const ExprPtr& e) {
  switch (e->op()) {
    case Op::kTrue: return AlwaysFalse();
    case Op::kFalse: return AlwaysTrue();
    // De Morgan holds in Kleene logic.
    case Op::kAnd: return Or(Negate(e->left()), Negate(e->right()));
    case Op::kOr: return And(Negate(e->left()), Negate(e->right()));
    case Op::kNot: return RewriteNotUnbound(e->child());
    default: return MakePredicate(NegateOp(e->op()), e->column(), e->literals());
  }
}

// ---------------------------------------------------------------------------
// BoundExpr

bool BoundReference::operator==(const BoundReference& o) const {
  return field_id == o.field_id && position == o.position && name == o.name &&
         (type == o.type || (type && o.type && type->Equals(*o.type)));
}

BoundExpr::BoundExpr(Key, Op op, std::vector<BoundExprPtr> children, BoundReference ref,
                     std::vector<Literal> literals)
    : op_(op),
      children_(std::move(children)),
      ref_(std::move(ref)),
      literals_(std::move(literals)) {}

std::string BoundExpr::ToString() const {
  std::string out;
  Render(
      *this,
      [](const BoundExpr& p, std::string* o) {
        RenderPredicate(
            p.op(), p.ref().name, p.literals().size(),
            [&](size_t i) { return ToUnboundLiteral(p.literals()[i], *p.ref().type).ToString(); },
            o);
      },
      &out);
  return out;
}

bool BoundExpr::Equals(const BoundExpr& o) const {
  if (op_ != o.op_ || children_.size() != o.children_.size() || literals_ != o.literals_) {
    return false;
  }
  if (is_predicate() && !(ref_ == o.ref_)) return false;
  for (size_t i = 0; i < children_.size(); ++i) {
    if (!children_[i]->Equals(*o.children_[i])) return false;
  }
  return true;
}

namespace {
BoundExprPtr MakeBoundNode(Op op, std::vector<BoundExprPtr> children, BoundReference ref = {},
                           std::vector<Literal> literals = {}) {
  return std::make_shared<const BoundExpr>(BoundExpr::Key(), op, std::move(children),
                                           std::move(ref), std::move(literals));
}
}  // namespace

BoundExprPtr BoundAlwaysTrue() {
  static const BoundExprPtr kTrue = MakeBoundNode(Op::kTrue, {});
  return kTrue;
}

BoundExprPtr BoundAlwaysFalse() {
  static const BoundExprPtr kFalse = MakeBoundNode(Op::kFalse, {});
  return kFalse;
}

BoundExprPtr And(BoundExprPtr left, BoundExprPtr right) {
  if (left->op() == Op::kFalse || right->op() == Op::kFalse) return BoundAlwaysFalse();
  if (left->op() == Op::kTrue) return right;
  if (right->op() == Op::kTrue) return left;
  return MakeBoundNode(Op::kAnd, {std::move(left), std::move(right)});
}

BoundExprPtr Or(BoundExprPtr left, BoundExprPtr right) {
  if (left->op() == Op::kTrue || right->op() == Op::kTrue) return BoundAlwaysTrue();
  if (left->op() == Op::kFalse) return right;
  if (right->op() == Op::kFalse) return left;
  return MakeBoundNode(Op::kOr, {std::move(left), std::move(right)});
}

BoundExprPtr Not(BoundExprPtr child) {
  switch (child->op()) {
    case Op::kTrue: return BoundAlwaysFalse();
    case Op::kFalse: return BoundAlwaysTrue();
    case Op::kNot: return child->child();
    default: return MakeBoundNode(Op::kNot, {std::move(child)});
  }
}

BoundExprPtr MakeBoundPredicate(Op op, BoundReference ref, std::vector<Literal> literals) {
  if (IsSetOp(op)) {
    const Type& type = *ref.type;
    std::sort(literals.begin(), literals.end(), [&](const Literal& a, const Literal& b) {
      return spec::CompareLiterals(a, b, type) < 0;
    });
    literals.erase(std::unique(literals.begin(), literals.end()), literals.end());
    // x in () is FALSE and x not in () is TRUE even for a null x: an empty
    // OR is FALSE whatever its operand.
    if (literals.empty()) return op == Op::kIn ? BoundAlwaysFalse() : BoundAlwaysTrue();
    if (literals.size() == 1) op = op == Op::kIn ? Op::kEq : Op::kNotEq;
  }
  return MakeBoundNode(op, {}, std::move(ref), std::move(literals));
}

namespace {
bool IsRangeOp(Op op) { return op >= Op::kLt && op <= Op::kGtEq; }
}  // namespace

BoundExprPtr RewriteNot(const BoundExprPtr& e) {
  switch (e->op()) {
    case Op::kAnd: return And(RewriteNot(e->left()), RewriteNot(e->right()));
    case Op::kOr: return Or(RewriteNot(e->left()), RewriteNot(e->right()));
    case Op::kNot: return Negate(e->child());
    default: return e;
  }
}

BoundExprPtr Negate(const BoundExprPtr& e) {
  switch (e->op()) {
    case Op::kTrue: return BoundAlwaysFalse();
    case Op::kFalse: return BoundAlwaysTrue();
    case Op::kAnd: return Or(Negate(e->left()), Negate(e->right()));
    case Op::kOr: {
      // not(x >= 5 or x is nan), the negation of x < 5 on a float, folds
      // back to x < 5, so that negating twice gives the original.
      const BoundExpr& l = *e->left();
      const BoundExpr& r = *e->right();
      if (IsRangeOp(l.op()) && r.op() == Op::kIsNan && l.ref() == r.ref()) {
        return MakeBoundPredicate(NegateOp(l.op()), l.ref(), l.literals());
      }
      return And(Negate(e->left()), Negate(e->right()));
    }
    case Op::kNot: return RewriteNot(e->child());
    default: {
      BoundExprPtr negated = MakeBoundPredicate(NegateOp(e->op()), e->ref(), e->literals());
      // IEEE: NaN < 5 and NaN >= 5 are both FALSE, so NOT (x < 5) must also
      // hold for NaN. (= and != need nothing: NaN = 5 is FALSE, NaN != 5 TRUE.)
      if (IsRangeOp(e->op()) && spec::IsFloatingType(e->ref().type->id())) {
        return Or(std::move(negated), MakeBoundPredicate(Op::kIsNan, e->ref(), {}));
      }
      return negated;
    }
  }
}

}  // namespace floe::expr
