// Value-level helpers shared by the evaluators: three-valued truth, value
// comparison with IEEE semantics for floats, and evaluation of a bound
// expression on one row of spec::Literal values.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "floe/expr/expression.h"
#include "floe/spec/literal.h"

namespace floe::expr::internal {

enum class Truth : uint8_t { kFalse, kUnknown, kTrue };

inline Truth And3(Truth a, Truth b) { return a < b ? a : b; }
inline Truth Or3(Truth a, Truth b) { return a > b ? a : b; }
inline Truth Not3(Truth a) {
  return a == Truth::kUnknown ? a : (a == Truth::kTrue ? Truth::kFalse : Truth::kTrue);
}
inline Truth FromBool(bool b) { return b ? Truth::kTrue : Truth::kFalse; }

// Whether a non-null value of a float/double is NaN (false for other types).
bool IsNanValue(const spec::Literal& v);

// Three-way comparison of two non-null, non-NaN values of `type`. Floats
// compare as IEEE numbers (-0.0 == 0.0); everything else as CompareLiterals.
int CompareValues(const spec::Literal& a, const spec::Literal& b, const spec::Type& type);

// Whether the bytes of string/binary `v` begin with `prefix`.
bool HasPrefix(const spec::Literal& v, std::string_view prefix);

// The first `n` bytes of a string or binary value (all of it if shorter).
std::string_view PrefixBytes(const spec::Literal& v, size_t n);

// Evaluates predicate `pred` on one value (null allowed).
Truth EvalPredicate(const BoundExpr& pred, const spec::Literal& value);

// Evaluates `expr` on a row; `value_of` returns the value of a reference.
using ValueFn = std::function<const spec::Literal&(const BoundReference&)>;
Truth EvalRow(const BoundExpr& expr, const ValueFn& value_of);

}  // namespace floe::expr::internal
