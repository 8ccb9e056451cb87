#include "floe/expr/expression.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "floe/expr/binder.h"
#include "floe/expr/expr_test_util.h"
#include "floe/expr/parser.h"

namespace floe::expr {
namespace {

using spec::Literal;
using spec::Type;
using testing::MustBind;
using testing::RefOf;
using testing::TestSchema;
using testing::ValueGen;

UnboundLiteral I(int64_t v) { return UnboundLiteral::Integer(v); }

TEST(ExpressionTest, HelpersSimplify) {
  ExprPtr a = Equal("a", I(1));
  EXPECT_EQ(And(AlwaysTrue(), a), a);
  EXPECT_EQ(And(a, AlwaysTrue()), a);
  EXPECT_EQ(And(a, AlwaysFalse())->op(), Op::kFalse);
  EXPECT_EQ(And(AlwaysFalse(), a)->op(), Op::kFalse);
  EXPECT_EQ(Or(AlwaysTrue(), a)->op(), Op::kTrue);
  EXPECT_EQ(Or(a, AlwaysFalse()), a);
  EXPECT_EQ(Or(AlwaysFalse(), a), a);
  EXPECT_EQ(Not(AlwaysTrue())->op(), Op::kFalse);
  EXPECT_EQ(Not(AlwaysFalse())->op(), Op::kTrue);
  EXPECT_EQ(Not(Not(a)), a);
  EXPECT_EQ(Not(a)->op(), Op::kNot);
  EXPECT_EQ(And(a, a)->op(), Op::kAnd);

  BoundExprPtr b = MustBind("i = 1", TestSchema());
  EXPECT_EQ(And(BoundAlwaysTrue(), b), b);
  EXPECT_EQ(Or(b, BoundAlwaysTrue())->op(), Op::kTrue);
  EXPECT_EQ(And(b, BoundAlwaysFalse())->op(), Op::kFalse);
  EXPECT_EQ(Or(BoundAlwaysFalse(), b), b);
  EXPECT_EQ(Not(Not(b)), b);
}

TEST(ExpressionTest, NegateUnbound) {
  auto negated = [](std::string_view text) {
    return Negate(*ParseFilter(text))->ToString();
  };
  EXPECT_EQ(negated("a < 5"), "a >= 5");
  EXPECT_EQ(negated("a <= 5"), "a > 5");
  EXPECT_EQ(negated("a > 5"), "a <= 5");
  EXPECT_EQ(negated("a >= 5"), "a < 5");
  EXPECT_EQ(negated("a = 5"), "a != 5");
  EXPECT_EQ(negated("a != 5"), "a = 5");
  EXPECT_EQ(negated("a in (1, 2)"), "a not in (1, 2)");
  EXPECT_EQ(negated("a not in (1, 2)"), "a in (1, 2)");
  EXPECT_EQ(negated("a is null"), "a is not null");
  EXPECT_EQ(negated("a is not null"), "a is null");
  EXPECT_EQ(negated("a is nan"), "a is not nan");
  EXPECT_EQ(negated("a is not nan"), "a is nan");
  EXPECT_EQ(negated("s starts with 'x'"), "s not starts with 'x'");
  EXPECT_EQ(negated("s not starts with 'x'"), "s starts with 'x'");
  EXPECT_EQ(negated("true"), "false");
  EXPECT_EQ(negated("a < 5 and b = 1"), "a >= 5 or b != 1");
  EXPECT_EQ(negated("a < 5 or b = 1"), "a >= 5 and b != 1");
  EXPECT_EQ(negated("not (a < 5 or b = 1)"), "a < 5 or b = 1");
  EXPECT_EQ(negated("not a < 5 and b = 1"), "a < 5 or b != 1");
  EXPECT_EQ(negated("(a = 1 or not b = 2) and c = 3"), "a != 1 and b = 2 or c != 3");
}

TEST(ExpressionTest, NegateBoundIsExactForNan) {
  const spec::Schema schema = TestSchema();
  BoundExprPtr lt = MustBind("d < 5", schema);
  BoundExprPtr n = Negate(lt);
  EXPECT_EQ(n->ToString(), "d >= 5e+00 or d is nan");
  EXPECT_TRUE(Negate(n)->Equals(*lt));
  EXPECT_EQ(MustBind("not d < 5", schema)->ToString(), "d >= 5e+00 or d is nan");
  EXPECT_EQ(MustBind("not f = 5", schema)->ToString(), "f != 5e+00");
  EXPECT_EQ(MustBind("not i < 5", schema)->ToString(), "i >= 5");
  EXPECT_EQ(MustBind("not (i < 5 and s = 'x')", schema)->ToString(), "i >= 5 or s != 'x'");

  // For every value, not(p) is TRUE exactly where p is FALSE, and UNKNOWN
  // where p is: the truth table of three-valued NOT.
  ValueGen gen(7);
  for (int32_t id : {2, 4, 5, 6, 7, 8, 10, 16}) {
    const BoundReference ref = RefOf(schema, id);
    for (int round = 0; round < 300; ++round) {
      BoundExprPtr p = gen.Predicate(ref);
      BoundExprPtr q = Negate(p);
      const Literal v = gen.MaybeNull(*ref.type, 15);
      const internal::Truth tp = testing::Eval(*p, v), tq = testing::Eval(*q, v);
      EXPECT_EQ(tq, internal::Not3(tp)) << p->ToString() << " / " << q->ToString() << " on "
                                        << spec::LiteralToString(v, *ref.type);
      EXPECT_TRUE(Negate(q)->Equals(*p)) << p->ToString();
    }
  }
}

TEST(ExpressionTest, SetPredicatesAreNormalised) {
  const spec::Schema schema = TestSchema();
  const BoundReference ref = RefOf(schema, 2);
  BoundExprPtr p =
      MakeBoundPredicate(Op::kIn, ref, {Literal::Int(3), Literal::Int(1), Literal::Int(3)});
  EXPECT_EQ(p->ToString(), "i in (1, 3)");
  EXPECT_EQ(MakeBoundPredicate(Op::kIn, ref, {Literal::Int(3)})->ToString(), "i = 3");
  EXPECT_EQ(MakeBoundPredicate(Op::kNotIn, ref, {Literal::Int(3), Literal::Int(3)})->ToString(),
            "i != 3");
  EXPECT_EQ(MakeBoundPredicate(Op::kIn, ref, {})->op(), Op::kFalse);
  EXPECT_EQ(MakeBoundPredicate(Op::kNotIn, ref, {})->op(), Op::kTrue);
  EXPECT_EQ(MustBind("i in (5, 1, 5, 2)", schema)->ToString(), "i in (1, 2, 5)");
}

TEST(ExpressionTest, OpHelpers) {
  EXPECT_EQ(FlipOp(Op::kLt), Op::kGt);
  EXPECT_EQ(FlipOp(Op::kGtEq), Op::kLtEq);
  EXPECT_EQ(FlipOp(Op::kEq), Op::kEq);
  EXPECT_TRUE(IsUnaryOp(Op::kNotNan));
  EXPECT_FALSE(IsUnaryOp(Op::kLt));
  EXPECT_TRUE(IsSetOp(Op::kNotIn));
  EXPECT_TRUE(IsComparisonOp(Op::kNotEq));
  EXPECT_FALSE(IsPredicateOp(Op::kAnd));
  EXPECT_EQ(OpName(Op::kNotStartsWith), "not starts with");
}

// Random unbound trees print to text that parses back to the same tree.
TEST(ExpressionTest, UnboundToStringRoundTrips) {
  ValueGen gen(11);
  const std::vector<std::string> columns = {"a", "payload.source", "my col", "and", "x.\"y\"",
                                            "Δ", "_1", "1a", "a`b", "date", "nan"};
  std::vector<UnboundLiteral> literals = {
      UnboundLiteral::Integer(0), UnboundLiteral::Integer(-42), UnboundLiteral::Integer(INT64_MIN),
      UnboundLiteral::Decimal("10.50"), UnboundLiteral::Decimal("-0.001"),
      UnboundLiteral::Float("1.5e3"), UnboundLiteral::Float(0.1), UnboundLiteral::Float(-2e-300),
      UnboundLiteral::String(""), UnboundLiteral::String("it's"), UnboundLiteral::String("a\"b\\c"),
      UnboundLiteral::Boolean(true), UnboundLiteral::Boolean(false),
      UnboundLiteral::Typed(Type::Date(), Literal::Int(-1)),
      UnboundLiteral::Typed(Type::Time(), Literal::Long(1)),
      UnboundLiteral::Typed(Type::Timestamp(), Literal::Long(-1)),
      UnboundLiteral::Typed(Type::TimestampTz(), Literal::Long(1700000000000000)),
      UnboundLiteral::Typed(Type::TimestampNs(), Literal::Long(1)),
      UnboundLiteral::Typed(Type::TimestampTzNs(), Literal::Long(-1)),
      UnboundLiteral::Typed(Type::Uuid(), Literal::Binary(std::string(16, '\x7f'))),
      UnboundLiteral::Typed(Type::Decimal(5, 3), Literal::Decimal(-12345)),
      UnboundLiteral::Typed(Type::Binary(), Literal::Binary(std::string("\x00\xff", 2))),
  };
  std::function<ExprPtr(int)> tree = [&](int depth) -> ExprPtr {
    if (depth > 0 && gen.Chance(60)) {
      switch (gen.Int(0, 2)) {
        case 0: return And(tree(depth - 1), tree(depth - 1));
        case 1: return Or(tree(depth - 1), tree(depth - 1));
        default: return Not(tree(depth - 1));
      }
    }
    const std::string column = gen.Pick(columns);
    switch (gen.Int(0, 6)) {
      case 0: return gen.Chance(50) ? IsNull(column) : NotNan(column);
      case 1: return StartsWith(column, gen.RandomString());
      case 2: return NotStartsWith(column, gen.RandomString());
      case 3: return In(column, {gen.Pick(literals), gen.Pick(literals)});
      case 4: return NotIn(column, {gen.Pick(literals)});
      default: {
        const Op ops[] = {Op::kLt, Op::kLtEq, Op::kGt, Op::kGtEq, Op::kEq, Op::kNotEq};
        return MakePredicate(ops[gen.Int(0, 5)], column, {gen.Pick(literals)});
      }
    }
  };
  for (int i = 0; i < 500; ++i) {
    ExprPtr e = tree(4);
    Result<ExprPtr> again = ParseFilter(e->ToString());
    ASSERT_TRUE(again.ok()) << e->ToString() << ": " << again.status().ToString();
    EXPECT_TRUE((*again)->Equals(*e)) << e->ToString() << "\n  re-parsed: " << (*again)->ToString();
  }
}

// Random bound trees print to text that parses and binds back to the same
// (Not-free) tree.
TEST(ExpressionTest, BoundToStringRoundTrips) {
  const spec::Schema schema = TestSchema();
  std::vector<BoundReference> refs;
  for (int32_t id : {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 22, 23, 24}) {
    refs.push_back(RefOf(schema, id));
  }
  ValueGen gen(5);
  for (int i = 0; i < 1000; ++i) {
    BoundExprPtr e = gen.Tree(refs, 3);
    Result<ExprPtr> parsed = ParseFilter(e->ToString());
    ASSERT_TRUE(parsed.ok()) << e->ToString() << ": " << parsed.status().ToString();
    Result<BoundExprPtr> bound = Bind(*parsed, schema);
    ASSERT_TRUE(bound.ok()) << e->ToString() << ": " << bound.status().ToString();
    BoundExprPtr expected = RewriteNot(e);
    EXPECT_TRUE((*bound)->Equals(*expected)) << e->ToString() << "\n  bound:    "
                                             << (*bound)->ToString() << "\n  expected: "
                                             << expected->ToString();
  }
}

}  // namespace
}  // namespace floe::expr
