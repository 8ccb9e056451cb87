#include "floe/expr/eval_internal.h"

#include <cmath>
#include <string>
#include <variant>

namespace floe::expr::internal {

using spec::Literal;

bool IsNanValue(const Literal& v) {
  if (const float* f = std::get_if<float>(&v.storage())) return std::isnan(*f);
  if (const double* d = std::get_if<double>(&v.storage())) return std::isnan(*d);
  return false;
}

int CompareValues(const Literal& a, const Literal& b, const spec::Type& type) {
  if (spec::IsFloatingType(type.id())) {
    const auto as_double = [](const Literal& v) {
      if (const float* f = std::get_if<float>(&v.storage())) return double{*f};
      if (const double* d = std::get_if<double>(&v.storage())) return *d;
      return 0.0;  // not a float: never happens for bound values
    };
    const double x = as_double(a), y = as_double(b);
    return x < y ? -1 : (y < x ? 1 : 0);
  }
  return spec::CompareLiterals(a, b, type);
}

namespace {
std::string_view Bytes(const Literal& v) {
  if (const std::string* s = std::get_if<std::string>(&v.storage())) return *s;
  if (const spec::Bytes* b = std::get_if<spec::Bytes>(&v.storage())) return b->data;
  return {};
}
}  // namespace

bool HasPrefix(const Literal& v, std::string_view prefix) {
  return Bytes(v).substr(0, prefix.size()) == prefix;
}

std::string_view PrefixBytes(const Literal& v, size_t n) { return Bytes(v).substr(0, n); }

Truth EvalPredicate(const BoundExpr& pred, const Literal& value) {
  const Op op = pred.op();
  switch (op) {
    case Op::kIsNull: return FromBool(value.is_null());
    case Op::kNotNull: return FromBool(!value.is_null());
    case Op::kIsNan: return FromBool(!value.is_null() && IsNanValue(value));
    case Op::kNotNan: return FromBool(value.is_null() || !IsNanValue(value));
    default: break;
  }
  if (value.is_null()) return Truth::kUnknown;
  const spec::Type& type = *pred.ref().type;
  // IEEE: a NaN is unordered, so only != (and not in) hold for it.
  const bool nan = IsNanValue(value);
  switch (op) {
    case Op::kLt: return FromBool(!nan && CompareValues(value, pred.literal(), type) < 0);
    case Op::kLtEq: return FromBool(!nan && CompareValues(value, pred.literal(), type) <= 0);
    case Op::kGt: return FromBool(!nan && CompareValues(value, pred.literal(), type) > 0);
    case Op::kGtEq: return FromBool(!nan && CompareValues(value, pred.literal(), type) >= 0);
    case Op::kEq: return FromBool(!nan && CompareValues(value, pred.literal(), type) == 0);
    case Op::kNotEq: return FromBool(nan || CompareValues(value, pred.literal(), type) != 0);
    case Op::kIn:
    case Op::kNotIn: {
      bool found = false;
      if (!nan) {
        for (const Literal& l : pred.literals()) {
          if (CompareValues(value, l, type) == 0) {
            found = true;
            break;
          }
        }
      }
      return FromBool(op == Op::kIn ? found : !found);
    }
    case Op::kStartsWith: return FromBool(HasPrefix(value, Bytes(pred.literal())));
    case Op::kNotStartsWith: return FromBool(!HasPrefix(value, Bytes(pred.literal())));
    default: return Truth::kUnknown;
  }
}

Truth EvalRow(const BoundExpr& e, const ValueFn& value_of) {
  switch (e.op()) {
    case Op::kTrue: return Truth::kTrue;
    case Op::kFalse: return Truth::kFalse;
    case Op::kAnd: {
      const Truth l = EvalRow(*e.left(), value_of);
      if (l == Truth::kFalse) return l;
      return And3(l, EvalRow(*e.right(), value_of));
    }
    case Op::kOr: {
      const Truth l = EvalRow(*e.left(), value_of);
      if (l == Truth::kTrue) return l;
      return Or3(l, EvalRow(*e.right(), value_of));
    }
    case Op::kNot: return Not3(EvalRow(*e.child(), value_of));
    default: return EvalPredicate(e, value_of(e.ref()));
  }
}

}  // namespace floe::expr::internal
