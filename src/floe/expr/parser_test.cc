#include "floe/expr/parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "floe/spec/type.h"

namespace floe::expr {
namespace {

using spec::Literal;
using spec::Type;

ExprPtr MustParse(std::string_view text) {
  Result<ExprPtr> e = ParseFilter(text);
  EXPECT_TRUE(e.ok()) << text << ": " << e.status().ToString();
  return e.ok() ? *e : AlwaysFalse();
}

void ExpectParses(std::string_view text, const ExprPtr& expected) {
  ExprPtr got = MustParse(text);
  EXPECT_TRUE(got->Equals(*expected)) << text << "\n  got:      " << got->ToString()
                                      << "\n  expected: " << expected->ToString();
  // And the printed form reads back to the same tree.
  ExprPtr again = MustParse(got->ToString());
  EXPECT_TRUE(again->Equals(*got)) << got->ToString() << " re-parses as " << again->ToString();
}

UnboundLiteral I(int64_t v) { return UnboundLiteral::Integer(v); }
UnboundLiteral S(std::string v) { return UnboundLiteral::String(std::move(v)); }

TEST(ParserTest, Comparisons) {
  ExpectParses("a = 5", Equal("a", I(5)));
  ExpectParses("a == 5", Equal("a", I(5)));
  ExpectParses("a != 5", NotEqual("a", I(5)));
  ExpectParses("a <> 5", NotEqual("a", I(5)));
  ExpectParses("a < 5", LessThan("a", I(5)));
  ExpectParses("a <= 5", LessThanOrEqual("a", I(5)));
  ExpectParses("a > 5", GreaterThan("a", I(5)));
  ExpectParses("a >= 5", GreaterThanOrEqual("a", I(5)));
  ExpectParses("a>=-5", GreaterThanOrEqual("a", I(-5)));
  ExpectParses("a=+5", Equal("a", I(5)));
}

TEST(ParserTest, LiteralOnTheLeftIsMovedRight) {
  ExpectParses("5 < a", GreaterThan("a", I(5)));
  ExpectParses("5 <= a", GreaterThanOrEqual("a", I(5)));
  ExpectParses("5 > a", LessThan("a", I(5)));
  ExpectParses("5 >= a", LessThanOrEqual("a", I(5)));
  ExpectParses("5 = a", Equal("a", I(5)));
  ExpectParses("'x' != a", NotEqual("a", S("x")));
  ExpectParses("date '2024-01-02' <= d",
               GreaterThanOrEqual("d", UnboundLiteral::Typed(Type::Date(), Literal::Int(19724))));
}

TEST(ParserTest, NullNanInStartsWith) {
  ExpectParses("a is null", IsNull("a"));
  ExpectParses("a IS NOT NULL", NotNull("a"));
  ExpectParses("a is nan", IsNan("a"));
  ExpectParses("a is not NaN", NotNan("a"));
  ExpectParses("a in (1, 2, 3)", In("a", {I(1), I(2), I(3)}));
  ExpectParses("a in ('x')", In("a", {S("x")}));
  ExpectParses("a not in (1,2)", NotIn("a", {I(1), I(2)}));
  ExpectParses("a NOT IN (1)", NotIn("a", {I(1)}));
  ExpectParses("s starts with 'abc'", StartsWith("s", "abc"));
  ExpectParses("s not starts with 'abc'", NotStartsWith("s", "abc"));
  ExpectParses("s STARTS WITH ''", StartsWith("s", ""));
}

TEST(ParserTest, Constants) {
  ExpectParses("true", AlwaysTrue());
  ExpectParses("FALSE", AlwaysFalse());
  ExpectParses("not true", AlwaysFalse());
  ExpectParses("true and a = 1", Equal("a", I(1)));
  ExpectParses("false or a = 1", Equal("a", I(1)));
  ExpectParses("a = 1 or true", AlwaysTrue());
  ExpectParses("flag = true", Equal("flag", UnboundLiteral::Boolean(true)));
  ExpectParses("false = flag", Equal("flag", UnboundLiteral::Boolean(false)));
}

TEST(ParserTest, Precedence) {
  ExprPtr a = Equal("a", I(1)), b = Equal("b", I(2)), c = Equal("c", I(3));
  ExpectParses("a = 1 or b = 2 and c = 3", Or(a, And(b, c)));
  ExpectParses("a = 1 and b = 2 or c = 3", Or(And(a, b), c));
  ExpectParses("(a = 1 or b = 2) and c = 3", And(Or(a, b), c));
  ExpectParses("not a = 1 and b = 2", And(Not(a), b));
  ExpectParses("not (a = 1 and b = 2)", Not(And(a, b)));
  ExpectParses("not not a = 1", a);
  ExpectParses("a = 1 and b = 2 and c = 3", And(And(a, b), c));
  ExpectParses("a = 1 and (b = 2 and c = 3)", And(a, And(b, c)));
  ExpectParses("a = 1 or (b = 2 or c = 3)", Or(a, Or(b, c)));
  ExpectParses("((a = 1))", a);
  ExpectParses("not a = 1 or not b = 2", Or(Not(a), Not(b)));
  ExpectParses("a = 1 AND NOT (b = 2 OR c = 3)", And(a, Not(Or(b, c))));
}

TEST(ParserTest, KeywordsAreCaseInsensitive) {
  ExpectParses("a IN (1) And b Is Null oR c STARTS with 'x'",
               Or(And(In("a", {I(1)}), IsNull("b")), StartsWith("c", "x")));
  ExpectParses("d = DATE '2024-01-02'",
               Equal("d", UnboundLiteral::Typed(Type::Date(), Literal::Int(19724))));
}

TEST(ParserTest, Identifiers) {
  ExpectParses("payload.source = 'x'", Equal("payload.source", S("x")));
  ExpectParses("\"my col\" = 1", Equal("my col", I(1)));
  ExpectParses("`my col` = 1", Equal("my col", I(1)));
  ExpectParses("\"a.b\" = 1", Equal("a.b", I(1)));
  ExpectParses("payload.\"odd name\".x = 1", Equal("payload.odd name.x", I(1)));
  ExpectParses("\"say \"\"hi\"\"\" = 1", Equal("say \"hi\"", I(1)));
  ExpectParses("`back``tick` = 1", Equal("back`tick", I(1)));
  ExpectParses("\"and\" = 1", Equal("and", I(1)));
  ExpectParses("_x9 = 1", Equal("_x9", I(1)));
  ExpectParses("a.1 = 1", Equal("a.1", I(1)));
  ExpectParses("prix_€ = 1", Equal("prix_€", I(1)));
  // Contextual keywords are names where they cannot start a literal.
  ExpectParses("date = date '2024-01-02'",
               Equal("date", UnboundLiteral::Typed(Type::Date(), Literal::Int(19724))));
  ExpectParses("starts starts with 's'", StartsWith("starts", "s"));
  ExpectParses("nan is nan", IsNan("nan"));
  ExpectParses("timestamp is null", IsNull("timestamp"));
  ExpectParses("x = 1", Equal("x", I(1)));
}

TEST(ParserTest, NumberLiterals) {
  ExprPtr e = MustParse("a = 10.50");
  EXPECT_EQ(e->literal().kind(), UnboundLiteral::Kind::kDecimal);
  EXPECT_EQ(e->literal().text(), "10.50");
  e = MustParse("a = -0.5");
  EXPECT_EQ(e->literal().text(), "-0.5");
  e = MustParse("a = .5");
  EXPECT_EQ(e->literal().kind(), UnboundLiteral::Kind::kDecimal);
  e = MustParse("a = 1.5e3");
  EXPECT_EQ(e->literal().kind(), UnboundLiteral::Kind::kFloat);
  EXPECT_EQ(e->literal().text(), "1.5e3");
  e = MustParse("a = 2E-7");
  EXPECT_EQ(e->literal().kind(), UnboundLiteral::Kind::kFloat);
  e = MustParse("a = 9223372036854775807");
  EXPECT_EQ(e->literal().kind(), UnboundLiteral::Kind::kInteger);
  EXPECT_EQ(e->literal().int_value(), INT64_MAX);
  e = MustParse("a = -9223372036854775808");
  EXPECT_EQ(e->literal().int_value(), INT64_MIN);
  // Beyond 64 bits: kept as exact decimal text (for decimal(38,0) columns).
  e = MustParse("a = 123456789012345678901234567890");
  EXPECT_EQ(e->literal().kind(), UnboundLiteral::Kind::kDecimal);
  EXPECT_EQ(e->literal().text(), "123456789012345678901234567890");
}

TEST(ParserTest, StringLiterals) {
  ExpectParses("s = 'it''s'", Equal("s", S("it's")));
  ExpectParses("s = ''", Equal("s", S("")));
  ExpectParses("s = ''''", Equal("s", S("'")));
  ExpectParses("s = 'a \"b\" (c), and d'", Equal("s", S("a \"b\" (c), and d")));
  ExpectParses("s = 'héllo €'", Equal("s", S("héllo €")));
  ExpectParses("s = 'line\nbreak'", Equal("s", S("line\nbreak")));
}

TEST(ParserTest, TypedLiterals) {
  auto typed = [](std::string_view text) { return MustParse(text)->literal(); };
  UnboundLiteral l = typed("c = date '2024-01-02'");
  EXPECT_TRUE(l.type()->Equals(*Type::Date()));
  EXPECT_EQ(l.value(), Literal::Int(19724));

  l = typed("c = time '10:00:00'");
  EXPECT_TRUE(l.type()->Equals(*Type::Time()));
  EXPECT_EQ(l.value(), Literal::Long(int64_t{36000} * 1000000));

  l = typed("c = time '10:00:00.000001'");
  EXPECT_EQ(l.value(), Literal::Long(int64_t{36000} * 1000000 + 1));

  const int64_t ts = int64_t{19724} * 86400 * 1000000 + int64_t{36000} * 1000000;
  l = typed("c = timestamp '2024-01-02 10:00:00'");
  EXPECT_TRUE(l.type()->Equals(*Type::Timestamp()));
  EXPECT_EQ(l.value(), Literal::Long(ts));
  l = typed("c = timestamp '2024-01-02T10:00:00.123456'");
  EXPECT_EQ(l.value(), Literal::Long(ts + 123456));

  l = typed("c = timestamptz '2024-01-02T10:00:00+01:00'");
  EXPECT_TRUE(l.type()->Equals(*Type::TimestampTz()));
  EXPECT_EQ(l.value(), Literal::Long(ts - int64_t{3600} * 1000000));
  l = typed("c = timestamptz '2024-01-02T10:00:00Z'");
  EXPECT_EQ(l.value(), Literal::Long(ts));

  l = typed("c = timestamp_ns '2024-01-02T10:00:00.123456789'");
  EXPECT_TRUE(l.type()->Equals(*Type::TimestampNs()));
  EXPECT_EQ(l.value(), Literal::Long(ts * 1000 + 123456789));
  l = typed("c = timestamptz_ns '2024-01-02T10:00:00.000000001+00:00'");
  EXPECT_TRUE(l.type()->Equals(*Type::TimestampTzNs()));
  EXPECT_EQ(l.value(), Literal::Long(ts * 1000 + 1));

  l = typed("c = uuid 'f79c3e09-677c-4bbd-a479-3f349cb785e7'");
  EXPECT_TRUE(l.type()->Equals(*Type::Uuid()));
  EXPECT_EQ(l.value().bytes_value().size(), 16u);
  EXPECT_EQ(static_cast<unsigned char>(l.value().bytes_value()[0]), 0xF7);

  l = typed("c = decimal '1.23'");
  EXPECT_TRUE(l.type()->Equals(*Type::Decimal(3, 2)));
  EXPECT_EQ(l.value(), Literal::Decimal(123));
  l = typed("c = decimal '-0.05'");
  EXPECT_TRUE(l.type()->Equals(*Type::Decimal(2, 2)));
  EXPECT_EQ(l.value(), Literal::Decimal(-5));
  l = typed("c = decimal '100'");
  EXPECT_TRUE(l.type()->Equals(*Type::Decimal(3, 0)));

  l = typed("c = binary X'0AFF'");
  EXPECT_TRUE(l.type()->Equals(*Type::Binary()));
  EXPECT_EQ(l.value(), Literal::Binary("\x0a\xff"));
  l = typed("c = X'0aff'");
  EXPECT_EQ(l.value(), Literal::Binary("\x0a\xff"));
  l = typed("c = x''");
  EXPECT_EQ(l.value(), Literal::Binary(""));
  l = typed("c = binary '00'");
  EXPECT_EQ(l.value(), Literal::Binary(std::string(1, '\0')));

  // Every typed literal prints back to itself.
  for (std::string_view text :
       {"c = date '2024-01-02'", "c = time '10:00:00.5'",
        "c = timestamp '1969-12-31 23:59:59.999999'",
        "c = timestamptz '2024-01-02T10:00:00-05:30'", "c = timestamp_ns '2024-01-02 10:00:00.1'",
        "c = timestamptz_ns '1900-01-01T00:00:00Z'",
        "c = uuid 'F79C3E09-677C-4BBD-A479-3F349CB785E7'",
        "c = decimal '-12.340'", "c = X'00ff10'", "c in (date '2024-01-01', date '1969-01-01')"}) {
    ExprPtr e = MustParse(text);
    ExprPtr again = MustParse(e->ToString());
    EXPECT_TRUE(again->Equals(*e)) << text << " -> " << e->ToString();
  }
}

TEST(ParserTest, ToStringQuotesWhatNeedsQuoting) {
  EXPECT_EQ(Equal("my col", I(1))->ToString(), "\"my col\" = 1");
  EXPECT_EQ(Equal("and", I(1))->ToString(), "\"and\" = 1");
  EXPECT_EQ(Equal("payload.source", S("it's"))->ToString(), "payload.source = 'it''s'");
  EXPECT_EQ(Equal("1st", I(1))->ToString(), "\"1st\" = 1");
  EXPECT_EQ(Equal("a\"b", I(1))->ToString(), "\"a\"\"b\" = 1");
  EXPECT_EQ(In("a", {I(1), I(2)})->ToString(), "a in (1, 2)");
  EXPECT_EQ(Not(Or(IsNull("a"), NotNan("b")))->ToString(), "not (a is null or b is not nan)");
  EXPECT_EQ(And(Equal("a", I(1)), Or(Equal("b", I(2)), Equal("c", I(3))))->ToString(),
            "a = 1 and (b = 2 or c = 3)");
}

struct BadFilter {
  std::string text;
  std::string fragment;
  size_t position;
};

TEST(ParserTest, MalformedFiltersNameTheProblemAndPosition) {
  const std::vector<BadFilter> cases = {
      {"amount >", "expected a literal after '>'", 8},
      {"", "empty filter", 0},
      {"   ", "empty filter", 0},
      {"a = 5 and", "expected a predicate after 'and'", 9},
      {"a = 5 or", "expected a predicate after 'or'", 8},
      {"(a = 5", "expected ')' to close the '(' at position 0", 6},
      {"a = 5)", "unexpected ')' without a matching '('", 5},
      {"a = 'abc", "unterminated string", 4},
      {"\"abc = 1", "unterminated quoted name", 0},
      {"a in ()", "expected a literal after '('", 6},
      {"a in (1, 2", "expected ',' or ')' in the list after '2'", 10},
      {"a in (1,)", "expected a literal after ','", 8},
      {"a in 1", "expected '(' after 'in'", 5},
      {"a in (b)", "expected a literal in the list, found column 'b'", 6},
      {"a is 5", "expected 'null', 'not null', 'nan' or 'not nan' after 'is'", 5},
      {"a is not 5", "expected 'null' or 'nan' after 'not'", 9},
      {"a starts 'x'", "expected 'with' after 'starts'", 9},
      {"a starts with 5", "expected a string literal such as 'abc' after 'starts with'", 14},
      {"a not 5", "expected 'in' or 'starts with' after 'not'", 6},
      {"5 = 6", "expected a column on one side of '='", 0},
      {"a = b", "comparing two columns ('a' = 'b') is not supported", 4},
      {"a @ 5", "unexpected character '@'", 2},
      {"a = 1.5.5", "malformed number '1.5.5'", 4},
      {"a = 5abc", "malformed number '5abc'", 4},
      {"a = 1e", "malformed number '1e'", 4},
      {"a = X'0AF'", "needs an even number of hex digits", 4},
      {"a = X'0G'", "needs an even number of hex digits", 4},
      {"d = date '2024-13-01'", "invalid date literal '2024-13-01'", 4},
      {"t = timestamp '2024-01-02T10:00:00+01:00'", "invalid timestamp literal", 4},
      {"t = timestamp '2024-01-02 10:00:00.123456789'", "more than microsecond precision", 4},
      {"u = uuid 'xyz'", "invalid uuid literal 'xyz'", 4},
      {"c = decimal '1.2.3'", "invalid decimal literal '1.2.3'", 4},
      {"a = 5 b = 6", "unexpected 'b'; expected 'and', 'or' or the end of the filter", 6},
      {"a", "expected an operator (=, !=, <, <=, >, >=, in, not in, is, starts with) after 'a'",
       1},
      {"and a = 5", "expected a predicate, found 'and'", 0},
      {"a = null", "use 'is null' or 'is not null'", 4},
      {"a ! 5", "unexpected character '!'", 2},
      {"5 in (1)", "expected a column before 'in', found '5'", 0},
      {"a = ", "expected a literal after '='", 4},
      {"not", "expected a predicate after 'not'", 3},
      {"a.", "expected a name after '.'", 2},
      {"a - 1", "arithmetic is not supported", 2},
      {"(", "expected a predicate after '('", 1},
  };
  for (const BadFilter& c : cases) {
    Result<ExprPtr> e = ParseFilter(c.text);
    ASSERT_FALSE(e.ok()) << c.text << " parsed as " << (*e)->ToString();
    const std::string message = e.status().message();
    EXPECT_TRUE(e.status().IsInvalid()) << c.text;
    EXPECT_NE(message.find(c.fragment), std::string::npos) << c.text << ": " << message;
    EXPECT_NE(message.find("at position " + std::to_string(c.position)), std::string::npos)
        << c.text << ": " << message;
    EXPECT_EQ(message.rfind("filter \"", 0), 0u) << message;
  }
  EXPECT_EQ(ParseFilter("amount >").status().message(),
            "filter \"amount >\": expected a literal after '>' at position 8");
}

TEST(ParserTest, DeepOrLongFiltersAreRefusedNotCrashing) {
  // Found by fuzzing: "not (" nested tens of thousands of times overflowed the stack.
  std::string deep;
  for (int i = 0; i < 20000; ++i) deep += "not (";
  auto refused = ParseFilter(deep + "x = 1");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("deeper than 100 levels"), std::string::npos);
  std::string nested;
  for (int i = 0; i < 99; ++i) nested += "(";
  nested += "x = 1";
  for (int i = 0; i < 99; ++i) nested += ")";
  EXPECT_TRUE(ParseFilter(nested).ok());
  std::string chain = "x = 0";
  for (int i = 1; i < 1000; ++i) chain += (i % 2 ? " and x = " : " or x = ") + std::to_string(i);
  auto parsed = ParseFilter(chain);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  auto again = ParseFilter((*parsed)->ToString());  // printing keeps it parseable
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE((*again)->Equals(**parsed));
  auto too_long = ParseFilter(chain + " and x = 5000");
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.status().message().find("more than 1000 terms"), std::string::npos);
}

TEST(ParserTest, FiltersMustBeUtf8) {
  // Found by fuzzing: an invalid literal truncated out of order and pruned a
  // partition holding a matching row.
  auto refused = ParseFilter("s >= '\xC3\xA9t\x80p'");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("not valid UTF-8"), std::string::npos);
  EXPECT_NE(refused.status().message().find("position 9"), std::string::npos) << refused.status().message();
  EXPECT_TRUE(ParseFilter("s >= '\xC3\xA9t\xC3\xA9'").ok());
}

}  // namespace
}  // namespace floe::expr
