// Test helpers for floe_expr: a schema with every primitive type, random
// values and random predicates for property tests against brute force.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "floe/expr/binder.h"
#include "floe/expr/eval_internal.h"
#include "floe/expr/expression.h"
#include "floe/expr/parser.h"
#include "floe/spec/schema.h"
#include "floe/util/strings.h"

namespace floe::expr::testing {

using spec::Literal;
using spec::NestedField;
using spec::Type;
using spec::TypeId;
using spec::TypePtr;

inline constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;

// id 1..: one optional column per primitive type, a struct and a list.
inline spec::Schema TestSchema() {
  std::vector<NestedField> fields = {
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
      {17, "payload", false,
       Type::Struct({{18, "source", false, Type::String()}, {19, "n", true, Type::Int()}})},
      {20, "tags", false, Type::List({21, "element", false, Type::String()})},
      {22, "event_date", false, Type::Date()},
      {23, "amount", false, Type::Decimal(38, 4)},
      {24, "tsnstz", false, Type::TimestampTzNs()},
  };
  return spec::Schema(3, std::move(fields));
}

inline BoundExprPtr MustBind(std::string_view filter, const spec::Schema& schema) {
  Result<ExprPtr> e = ParseFilter(filter);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  if (!e.ok()) return BoundAlwaysFalse();
  Result<BoundExprPtr> b = Bind(*e, schema);
  EXPECT_TRUE(b.ok()) << filter << ": " << b.status().ToString();
  return b.ok() ? *b : BoundAlwaysFalse();
}

inline BoundReference RefOf(const spec::Schema& schema, int32_t id) {
  BoundReference r;
  r.field_id = id;
  r.type = schema.FindField(id)->type;
  r.name = *schema.FindColumnName(id);
  return r;
}

// Random values of a primitive type, concentrated on few distinct values
// (so that predicates hit), with edge cases (negative times, -0.0, NaN,
// multi-byte UTF-8, long strings).
class ValueGen {
 public:
  explicit ValueGen(uint64_t seed) : rng_(seed) {}
  std::mt19937_64& rng() { return rng_; }

  int64_t Int(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool Chance(int percent) { return Int(0, 99) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Int(0, static_cast<int64_t>(v.size()) - 1))];
  }

  std::string RandomString() {
    static const std::vector<std::string> pieces = {"a", "b", "c", "é", "€", "\xF0\x9F\x98\x80",
                                                    "z", "A", "0"};
    static const std::vector<std::string> fixed = {
        "", "a", "ab", "abc", "abd", "b", "ba", "abcdefghijklmnopqrstuvwxyz",
        "abcdefghijklmnopqrsXYZ", "é", "éa", "zzz"};
    if (Chance(40)) return Pick(fixed);
    std::string s;
    const int64_t n = Int(0, 5);
    for (int64_t i = 0; i < n; ++i) s += Pick(pieces);
    return s;
  }

  std::string RandomBytes(int64_t min_len, int64_t max_len) {
    static const std::vector<char> bytes = {'\x00', '\x01', '\x7f', '\x80', '\xff'};
    std::string s;
    const int64_t n = Int(min_len, max_len);
    for (int64_t i = 0; i < n; ++i) s += Pick(bytes);
    return s;
  }

  // A non-null value. `nan` allows NaN for floats.
  Literal Value(const Type& t, bool nan = true) {
    switch (t.id()) {
      case TypeId::kBoolean:
        return Literal::Boolean(Chance(50));
      case TypeId::kInt: {
        if (Chance(5)) {
          return Literal::Int(Chance(50) ? std::numeric_limits<int32_t>::max()
                                         : std::numeric_limits<int32_t>::min() + 100);
        }
        return Literal::Int(static_cast<int32_t>(Int(-40, 40)));
      }
      case TypeId::kLong: {
        if (Chance(5)) {
          return Literal::Long(Chance(50) ? std::numeric_limits<int64_t>::max()
                                          : std::numeric_limits<int64_t>::min() + 100);
        }
        return Literal::Long(Int(-40, 40));
      }
      case TypeId::kFloat:
      case TypeId::kDouble: {
        static const std::vector<double> v = {-2.5, -1, -0.0, 0.0, 0.5, 1, 3, 1e10,
                                              -std::numeric_limits<double>::infinity(),
                                              std::numeric_limits<double>::infinity()};
        double d = Pick(v);
        if (nan && Chance(10)) d = std::numeric_limits<double>::quiet_NaN();
        if (Chance(30)) d = static_cast<double>(Int(-8, 8)) / 4;
        if (t.id() == TypeId::kFloat) return Literal::Float(static_cast<float>(d));
        return Literal::Double(d);
      }
      case TypeId::kDecimal:
        return Literal::Decimal(Int(-3000, 3000));
      case TypeId::kDate:
        return Literal::Int(static_cast<int32_t>(Chance(50) ? Int(-800, 800) : Int(19700, 19800)));
      case TypeId::kTime:
        return Literal::Long(Chance(30) ? Int(0, 3) * 3600 * int64_t{1000000}
                                        : Int(0, kMicrosPerDay - 1));
      case TypeId::kTimestamp:
      case TypeId::kTimestampTz:
      case TypeId::kTimestampNs:
      case TypeId::kTimestampTzNs: {
        const int64_t day = Chance(50) ? Int(-800, 800) : Int(19700, 19800);
        int64_t micros = day * kMicrosPerDay;
        switch (Int(0, 4)) {
          case 0: break;  // midnight
          case 1: micros += Int(0, 23) * 3600 * int64_t{1000000}; break;  // on the hour
          case 2: micros += Int(-2, 2); break;                          // around midnight
          default: micros += Int(0, kMicrosPerDay - 1); break;
        }
        if (spec::IsNanosecondType(t.id())) return Literal::Long(micros * 1000 + Int(-1, 1));
        return Literal::Long(micros);
      }
      case TypeId::kString:
        return Literal::String(RandomString());
      case TypeId::kUuid: {
        std::string b(16, '\0');
        b[0] = static_cast<char>(Int(0, 2) * 0x7f);
        b[15] = static_cast<char>(Int(0, 3));
        return Literal::Binary(b);
      }
      case TypeId::kFixed:
        return Literal::Binary(RandomBytes(t.length(), t.length()));
      case TypeId::kBinary:
        return Literal::Binary(RandomBytes(0, 4));
      default:
        return Literal::Null();
    }
  }

  // A value, or null with probability `null_percent`.
  Literal MaybeNull(const Type& t, int null_percent) {
    if (Chance(null_percent)) return Literal::Null();
    return Value(t);
  }

  // A random predicate on `ref` whose literals come from the same values.
  BoundExprPtr Predicate(const BoundReference& ref) {
    const Type& t = *ref.type;
    std::vector<Op> ops = {Op::kIsNull, Op::kNotNull, Op::kLt, Op::kLtEq, Op::kGt,
                           Op::kGtEq,   Op::kEq,      Op::kNotEq, Op::kIn, Op::kNotIn};
    if (spec::IsFloatingType(t.id())) {
      ops.push_back(Op::kIsNan);
      ops.push_back(Op::kNotNan);
    }
    if (t.id() == TypeId::kString) {
      for (int i = 0; i < 3; ++i) {
        ops.push_back(Op::kStartsWith);
        ops.push_back(Op::kNotStartsWith);
      }
    }
    const Op op = Pick(ops);
    std::vector<Literal> values;
    if (IsUnaryOp(op)) {
    } else if (IsSetOp(op)) {
      const int64_t n = Int(1, 3);
      for (int64_t i = 0; i < n; ++i) values.push_back(Literal(Normalized(t)));
    } else if (op == Op::kStartsWith || op == Op::kNotStartsWith) {
      std::string p = RandomString();
      if (Chance(50)) {
        p = p.substr(0, static_cast<size_t>(Int(0, 3)));
        // Cut on a character boundary: filters are UTF-8.
        if (auto bad = util::FindInvalidUtf8(p)) p.resize(*bad);
      }
      values.push_back(Literal::String(p));
    } else {
      values.push_back(Normalized(t));
    }
    return MakeBoundPredicate(op, ref, std::move(values));
  }

  // A literal as the binder would produce it: no NaN, no -0.0, finite.
  Literal Normalized(const Type& t) {
    Literal v = Value(t, /*nan=*/false);
    if (t.id() == TypeId::kFloat) {
      float f = v.float_value();
      if (!std::isfinite(f) || f == 0) f = 0;
      return Literal::Float(f);
    }
    if (t.id() == TypeId::kDouble) {
      double d = v.double_value();
      if (!std::isfinite(d) || d == 0) d = 0;
      return Literal::Double(d);
    }
    return v;
  }

  // A random and/or/not tree over predicates drawn from `refs`.
  BoundExprPtr Tree(const std::vector<BoundReference>& refs, int depth) {
    if (depth == 0 || Chance(35)) return Predicate(Pick(refs));
    switch (Int(0, 2)) {
      case 0: return And(Tree(refs, depth - 1), Tree(refs, depth - 1));
      case 1: return Or(Tree(refs, depth - 1), Tree(refs, depth - 1));
      default: return Not(Tree(refs, depth - 1));
    }
  }

 private:
  std::mt19937_64 rng_;
};

inline internal::Truth Eval(const BoundExpr& e, const Literal& value) {
  return internal::EvalRow(e, [&](const BoundReference&) -> const Literal& { return value; });
}

}  // namespace floe::expr::testing
