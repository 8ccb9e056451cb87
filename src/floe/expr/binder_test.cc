#include "floe/expr/binder.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <string>

#include "floe/expr/expr_test_util.h"
#include "floe/expr/parser.h"

namespace floe::expr {
namespace {

using spec::Literal;
using spec::Type;
using testing::MustBind;
using testing::TestSchema;

constexpr int64_t kDay = int64_t{86400} * 1000000;
constexpr int64_t kHour = int64_t{3600} * 1000000;

// The single literal the filter binds to.
Literal Bound(std::string_view filter) {
  BoundExprPtr e = MustBind(filter, TestSchema());
  EXPECT_TRUE(e->is_predicate()) << filter << " -> " << e->ToString();
  if (!e->is_predicate() || e->literals().empty()) return Literal::Null();
  return e->literal();
}

// The error of binding `filter`.
Status BindError(std::string_view filter, bool case_sensitive = true) {
  Result<ExprPtr> e = ParseFilter(filter);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  Result<BoundExprPtr> b = Bind(*e, TestSchema(), case_sensitive);
  EXPECT_FALSE(b.ok()) << filter << " bound as " << (*b)->ToString();
  return b.ok() ? Status::OK() : b.status();
}

void ExpectError(std::string_view filter, std::string_view fragment) {
  Status st = BindError(filter);
  EXPECT_NE(st.message().find(fragment), std::string::npos) << filter << ": " << st.ToString();
}

TEST(BinderTest, ResolvesColumns) {
  BoundExprPtr e = MustBind("payload.source = 'x'", TestSchema());
  EXPECT_EQ(e->ref().field_id, 18);
  EXPECT_EQ(e->ref().name, "payload.source");
  EXPECT_TRUE(e->ref().type->Equals(*Type::String()));
  EXPECT_EQ(e->ref().position, -1);

  Result<BoundExprPtr> ci = Bind(*ParseFilter("PAYLOAD.Source = 'x' and I = 1"), TestSchema(),
                                 /*case_sensitive=*/false);
  ASSERT_TRUE(ci.ok()) << ci.status().ToString();
  EXPECT_EQ((*ci)->ToString(), "payload.source = 'x' and i = 1");
}

TEST(BinderTest, ExactNameWinsWhenIgnoringCase) {
  const spec::Schema schema(1, {{1, "a", false, Type::Int()}, {2, "A", false, Type::Long()}});
  for (bool case_sensitive : {true, false}) {
    Result<BoundExprPtr> e = Bind(*ParseFilter("A = 1 and a = 2"), schema, case_sensitive);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    EXPECT_EQ((*e)->left()->ref().field_id, 2);
    EXPECT_EQ((*e)->right()->ref().field_id, 1);
  }
  // Unknown names still fail.
  EXPECT_FALSE(Bind(*ParseFilter("b = 1"), schema, false).ok());
}

TEST(BinderTest, IntegerLiterals) {
  EXPECT_EQ(Bound("i = 5"), Literal::Int(5));
  EXPECT_EQ(Bound("i = -2147483648"), Literal::Int(INT32_MIN));
  EXPECT_EQ(Bound("l = 3000000000"), Literal::Long(3000000000));
  EXPECT_EQ(Bound("f = 5"), Literal::Float(5));
  EXPECT_EQ(Bound("d = 16777217"), Literal::Double(16777217));
  EXPECT_EQ(Bound("f = 16777217"), Literal::Float(16777216));  // nearest float
  EXPECT_EQ(Bound("dec = 5"), Literal::Decimal(500));
  EXPECT_EQ(Bound("amount = -7"), Literal::Decimal(-70000));
  ExpectError("i = 3000000000",
              "cannot compare column 'i' (int) with 3000000000: out of range for int");
  ExpectError("i = -2147483649", "out of range for int");
  ExpectError("dec = 12345678",
              "cannot compare column 'dec' (decimal(9,2)) with 12345678: it does not fit "
              "decimal(9,2)");
  ExpectError("dt = 5", "cannot compare column 'dt' (date) with 5: not a date");
  ExpectError("s = 5", "cannot compare column 's' (string) with 5: not a string");
  ExpectError("flag = 1", "not a boolean");
}

TEST(BinderTest, DecimalLiterals) {
  EXPECT_EQ(Bound("dec = 10.50"), Literal::Decimal(1050));
  EXPECT_EQ(Bound("dec = 10.5"), Literal::Decimal(1050));
  EXPECT_EQ(Bound("dec = -0.05"), Literal::Decimal(-5));
  EXPECT_EQ(Bound("dec = 10.500"), Literal::Decimal(1050));  // exact: trailing zero
  EXPECT_EQ(Bound("amount = 123456789012345678901234567890"),
            Literal::Decimal(spec::Int128(1234567890123456789LL) * 100000000000LL * 10000 +
                             spec::Int128(1234567890LL) * 10000));
  EXPECT_EQ(Bound("d = 10.50"), Literal::Double(10.5));
  EXPECT_EQ(Bound("f = 0.1"), Literal::Float(0.1f));
  EXPECT_EQ(Bound("d = 0.1"), Literal::Double(0.1));
  ExpectError("dec = 10.555",
              "cannot compare column 'dec' (decimal(9,2)) with 10.555: it has more than 2 "
              "digits after the point");
  ExpectError("dec = 12345678.5", "it does not fit decimal(9,2)");
  EXPECT_EQ(Bound("dec = 1234567.5"), Literal::Decimal(123456750));
  ExpectError("i = 10.5", "cannot compare column 'i' (int) with 10.5: not an integer");
  ExpectError("l = 123456789012345678901234567890", "out of range for long");
  ExpectError("s = 1.5", "not a string");
}

TEST(BinderTest, FloatLiterals) {
  EXPECT_EQ(Bound("d = 1.5e3"), Literal::Double(1500));
  EXPECT_EQ(Bound("f = 1.5e3"), Literal::Float(1500));
  EXPECT_EQ(Bound("d = 2.5E-1"), Literal::Double(0.25));
  EXPECT_EQ(Bound("dec = 1.5e3"), Literal::Decimal(150000));
  EXPECT_EQ(Bound("dec = 125e-2"), Literal::Decimal(125));
  ExpectError("dec = 1.2345e1", "more than 2 digits after the point");
  ExpectError("d = 1e400",
              "cannot compare column 'd' (double) with 1e400: out of range for double");
  ExpectError("f = 1e39", "out of range for float");
  ExpectError("i = 1e3", "not an integer");
  ExpectError("dt = 1e3", "not a date");
}

TEST(BinderTest, NegativeZeroIsZero) {
  const Literal d = Bound("d = -0.0");
  EXPECT_EQ(std::bit_cast<uint64_t>(d.double_value()), 0u);
  const Literal f = Bound("f < -0e0");
  EXPECT_EQ(std::bit_cast<uint32_t>(f.float_value()), 0u);
  BoundExprPtr e = MustBind("d in (0.0, -0.0)", TestSchema());
  EXPECT_EQ(e->op(), Op::kEq);
}

TEST(BinderTest, StringLiterals) {
  EXPECT_EQ(Bound("s = 'abc'"), Literal::String("abc"));
  EXPECT_EQ(Bound("s = '2024-01-02'"), Literal::String("2024-01-02"));
  EXPECT_EQ(Bound("event_date = '2024-01-02'"), Literal::Int(19724));
  EXPECT_EQ(Bound("tm = '10:00:00'"), Literal::Long(10 * kHour));
  EXPECT_EQ(Bound("ts = '2024-01-02 10:00:00'"), Literal::Long(19724 * kDay + 10 * kHour));
  EXPECT_EQ(Bound("ts = '2024-01-02'"), Literal::Long(19724 * kDay));
  EXPECT_EQ(Bound("tstz = '2024-01-02T10:00:00+01:00'"), Literal::Long(19724 * kDay + 9 * kHour));
  EXPECT_EQ(Bound("tstz = '2024-01-02T10:00:00'"), Literal::Long(19724 * kDay + 10 * kHour));
  EXPECT_EQ(Bound("tsns = '2024-01-02T10:00:00.000000001'"),
            Literal::Long((19724 * kDay + 10 * kHour) * 1000 + 1));
  EXPECT_EQ(Bound("u = 'f79c3e09-677c-4bbd-a479-3f349cb785e7'").bytes_value().size(), 16u);
  EXPECT_EQ(Bound("dec = '10.50'"), Literal::Decimal(1050));
  EXPECT_EQ(Bound("s starts with 'ab'"), Literal::String("ab"));
  ExpectError("event_date = 'abc'",
              "cannot compare column 'event_date' (date) with 'abc': not a date");
  ExpectError("ts = '2024-01-02T10:00:00+01:00'", "not a timestamp (");
  ExpectError("tm = '25:00:00'", "not a time");
  ExpectError("u = 'xyz'", "not a uuid");
  ExpectError("dec = '1.234'", "not a decimal(9,2)");
  ExpectError("i = '5'",
              "cannot compare column 'i' (int) with '5': a string is not a int; write the value "
              "without quotes");
  ExpectError("d = '1.5'", "write the value without quotes");
  ExpectError("flag = 'true'", "write the value without quotes");
  ExpectError("b = '0aff'", "write binary values as X'0AFF'");
}

TEST(BinderTest, BooleanLiterals) {
  EXPECT_EQ(Bound("flag = true"), Literal::Boolean(true));
  EXPECT_EQ(Bound("flag != false"), Literal::Boolean(false));
  ExpectError("i = true", "cannot compare column 'i' (int) with true: not a int");
  ExpectError("s = false", "not a string");
}

TEST(BinderTest, TypedLiterals) {
  EXPECT_EQ(Bound("dt = date '2024-01-02'"), Literal::Int(19724));
  // A date on a timestamp column is midnight (UTC for timestamptz).
  EXPECT_EQ(Bound("ts >= date '2024-01-02'"), Literal::Long(19724 * kDay));
  EXPECT_EQ(Bound("tstz >= date '2024-01-02'"), Literal::Long(19724 * kDay));
  EXPECT_EQ(Bound("tsns >= date '1969-12-31'"), Literal::Long(-kDay * 1000));
  EXPECT_EQ(Bound("tsnstz >= date '2024-01-02'"), Literal::Long(19724 * kDay * 1000));
  const Literal ten_am = Literal::Long(19724 * kDay + 10 * kHour);
  EXPECT_EQ(Bound("ts = timestamp '2024-01-02 10:00:00'"), ten_am);
  EXPECT_EQ(Bound("tstz = timestamp '2024-01-02 10:00:00'"), ten_am);
  EXPECT_EQ(Bound("tstz = timestamptz '2024-01-02 10:00:00-01:00'"),
            Literal::Long(19724 * kDay + 11 * kHour));
  EXPECT_EQ(Bound("tsns = timestamp '1970-01-01 00:00:00.000001'"), Literal::Long(1000));
  EXPECT_EQ(Bound("ts = timestamp_ns '1970-01-01 00:00:00.000001000'"), Literal::Long(1));
  EXPECT_EQ(Bound("tsnstz = timestamptz '1970-01-01T00:00:00.000001Z'"), Literal::Long(1000));
  EXPECT_EQ(Bound("tm = time '00:00:01'"), Literal::Long(1000000));
  EXPECT_EQ(Bound("u = uuid 'f79c3e09-677c-4bbd-a479-3f349cb785e7'").bytes_value()[1], '\x9c');
  EXPECT_EQ(Bound("dec = decimal '1.2'"), Literal::Decimal(120));
  EXPECT_EQ(Bound("dec = decimal '1.20'"), Literal::Decimal(120));
  EXPECT_EQ(Bound("d = decimal '1.25'"), Literal::Double(1.25));
  EXPECT_EQ(Bound("b = X'0AFF'"), Literal::Binary("\x0a\xff"));
  EXPECT_EQ(Bound("fx = binary X'01020304'"), Literal::Binary("\x01\x02\x03\x04"));
  EXPECT_EQ(Bound("u = X'00112233445566778899AABBCCDDEEFF'").bytes_value().size(), 16u);

  ExpectError("dt = timestamp '2024-01-02 10:00:00'",
              "cannot compare column 'dt' (date) with timestamp '2024-01-02T10:00:00.000000': "
              "a timestamp "
              "cannot be compared with a date column");
  ExpectError("ts = timestamptz '2024-01-02 10:00:00Z'", "(with time zone) cannot be compared");
  ExpectError("ts = timestamp_ns '1970-01-01 00:00:00.000000001'",
              "it has nanoseconds; the column holds microseconds");
  ExpectError("tsns = timestamp '2300-01-01 00:00:00'", "out of the range of timestamp_ns");
  ExpectError("tm = timestamp '2024-01-02 10:00:00'", "not a time");
  ExpectError("ts = time '10:00:00'", "not a timestamp");
  ExpectError("s = uuid 'f79c3e09-677c-4bbd-a479-3f349cb785e7'", "not a string");
  ExpectError("dec = decimal '1.234'", "more than 2 digits after the point");
  ExpectError("i = decimal '1'", "not a int");
  ExpectError("fx = X'0102'", "it has 2 bytes; fixed[4] holds 4");
  ExpectError("s = X'01'", "not a string");
  ExpectError("dt = date '2024-01-02' and i = 'x'", "column 'i'");
}

TEST(BinderTest, ApiTypedLiterals) {
  const spec::Schema schema = TestSchema();
  auto bind = [&](ExprPtr e) { return Bind(e, schema); };
  Result<BoundExprPtr> r = bind(Equal("i", UnboundLiteral::Typed(Type::Long(), Literal::Long(7))));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->literal(), Literal::Int(7));
  r = bind(Equal("d", UnboundLiteral::Typed(Type::Float(), Literal::Float(0.5f))));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->literal(), Literal::Double(0.5));
  r = bind(Equal("s", UnboundLiteral::Typed(Type::String(), Literal::String("x"))));
  ASSERT_TRUE(r.ok());
  r = bind(Equal("dt", UnboundLiteral::Typed(Type::String(), Literal::String("2024-01-02"))));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->literal(), Literal::Int(19724));
  r = bind(Equal("d", UnboundLiteral::Typed(Type::Double(), Literal::Double(NAN))));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("NaN cannot be compared; use 'is nan'"), std::string::npos);
  r = bind(LessThan("f", UnboundLiteral::Float(std::nan(""))));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("use 'is nan'"), std::string::npos);
  r = bind(Equal("d", UnboundLiteral::Typed(Type::Double(), Literal::Double(-0.0))));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::bit_cast<uint64_t>((*r)->literal().double_value()), 0u);
}

TEST(BinderTest, PredicateTypeRules) {
  ExpectError("i is nan", "cannot use 'is nan' on column 'i' (int): only float and double");
  ExpectError("s is not nan", "cannot use 'is not nan' on column 's' (string)");
  ExpectError("i starts with 'a'",
              "cannot use 'starts with' on column 'i' (int): it needs a string column");
  ExpectError("u not starts with 'a'", "cannot use 'not starts with'");
  EXPECT_EQ(MustBind("d is nan", TestSchema())->ToString(), "d is nan");
  EXPECT_EQ(MustBind("f is not nan", TestSchema())->ToString(), "f is not nan");
}

TEST(BinderTest, ColumnErrors) {
  Status st = BindError("x = 1");
  EXPECT_TRUE(st.IsNotFound());
  EXPECT_EQ(st.message(),
            "column 'x' not found in schema 3; columns are: id, i, l, f, d, dec, s, dt, tm, ts, "
            "tstz, tsns, u, b, fx, flag, payload.source, payload.n, event_date, amount, tsnstz");
  st = BindError("Amount = 1");
  EXPECT_NE(st.message().find("did you mean 'amount'? (names are case-sensitive)"),
            std::string::npos)
      << st.ToString();
  st = BindError("tags.element = 'a'");
  EXPECT_EQ(st.message(), "column 'tags.element' is inside a list; filters can only use columns "
                          "outside lists and maps");
  st = BindError("tags = 'a'");
  EXPECT_NE(st.message().find("column 'tags' is a list<"), std::string::npos) << st.ToString();
  st = BindError("payload is null");
  EXPECT_NE(st.message().find("column 'payload' is a struct<"), std::string::npos);
  st = BindError("payload.missing = 1");
  EXPECT_TRUE(st.IsNotFound());
}

TEST(BinderTest, RequiredColumnsAreNeverNull) {
  const spec::Schema schema = TestSchema();
  EXPECT_EQ(MustBind("id is null", schema)->op(), Op::kFalse);
  EXPECT_EQ(MustBind("id is not null", schema)->op(), Op::kTrue);
  EXPECT_EQ(MustBind("id is null or i = 1", schema)->ToString(), "i = 1");
  EXPECT_EQ(MustBind("not id is null", schema)->op(), Op::kTrue);
  // payload.n is required but its struct is optional: it can be null.
  EXPECT_EQ(MustBind("payload.n is null", schema)->ToString(), "payload.n is null");
}

TEST(BinderTest, BoundToString) {
  const spec::Schema schema = TestSchema();
  EXPECT_EQ(MustBind("dt >= '2024-01-02' and ts < date '2024-02-01'", schema)->ToString(),
            "dt >= date '2024-01-02' and ts < timestamp '2024-02-01T00:00:00.000000'");
  EXPECT_EQ(MustBind("dec in (1.5, 2)", schema)->ToString(), "dec in (1.50, 2.00)");
  EXPECT_EQ(MustBind("u = 'f79c3e09-677c-4bbd-a479-3f349cb785e7'", schema)->ToString(),
            "u = uuid 'f79c3e09-677c-4bbd-a479-3f349cb785e7'");
  EXPECT_EQ(MustBind("fx = X'01020304' or b = X''", schema)->ToString(),
            "fx = X'01020304' or b = X''");
  EXPECT_EQ(MustBind("tstz > '2024-01-02T10:00:00+01:00'", schema)->ToString(),
            "tstz > timestamptz '2024-01-02T09:00:00.000000+00:00'");
}

}  // namespace
}  // namespace floe::expr
