#include "floe/spec/literal.h"

#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

namespace floe::spec {
namespace {

// Bytes from a list of values 0..255.
std::string B(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

const std::string kUuidBytes =
    B({0xF7, 0x9C, 0x3E, 0x09, 0x67, 0x7C, 0x4B, 0xBD, 0xA4, 0x79, 0x3F, 0x34, 0x9C, 0xB7, 0x85,
       0xE7});
constexpr int64_t kTs = 1510871468000000;  // 2017-11-16T22:31:08 in µs
constexpr int32_t kDay = 17486;            // 2017-11-16

Int128 Pow10(int n) {
  Int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

// Every primitive type that has a Literal.
std::vector<TypePtr> AllLiteralTypes() {
  return {Type::Boolean(),     Type::Int(),         Type::Long(),          Type::Float(),
          Type::Double(),      Type::Decimal(9, 2), Type::Decimal(38, 0),  Type::Decimal(38, 10),
          Type::Date(),        Type::Time(),        Type::Timestamp(),     Type::TimestampTz(),
          Type::TimestampNs(), Type::TimestampTzNs(), Type::String(),      Type::Uuid(),
          Type::Fixed(4),      Type::Binary()};
}

// Several values for `type`, including extremes.
std::vector<Literal> SampleValues(const Type& type) {
  const float kFNaN = std::numeric_limits<float>::quiet_NaN();
  const double kDNaN = std::numeric_limits<double>::quiet_NaN();
  const double kInf = std::numeric_limits<double>::infinity();
  switch (type.id()) {
    case TypeId::kBoolean:
      return {Literal::Boolean(true), Literal::Boolean(false)};
    case TypeId::kInt:
      return {Literal::Int(0), Literal::Int(34), Literal::Int(-1),
              Literal::Int(std::numeric_limits<int32_t>::min()),
              Literal::Int(std::numeric_limits<int32_t>::max())};
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return {Literal::Long(0), Literal::Long(kTs), Literal::Long(kTs + 1), Literal::Long(-1),
              Literal::Long(-62135596800000000),  // 0001-01-01
              Literal::Long(253402300799999999)};  // 9999-12-31T23:59:59.999999
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs:
      return {Literal::Long(0), Literal::Long(kTs * 1000 + 1001), Literal::Long(-1),
              Literal::Long(std::numeric_limits<int64_t>::min()),
              Literal::Long(std::numeric_limits<int64_t>::max())};
    case TypeId::kTime:
      return {Literal::Long(0), Literal::Long(81068000000), Literal::Long(81068123456),
              Literal::Long(86399999999)};
    case TypeId::kFloat:
      return {Literal::Float(1.0f), Literal::Float(-0.0f), Literal::Float(0.1f),
              Literal::Float(3.4028235e38f), Literal::Float(1e-45f), Literal::Float(kFNaN),
              Literal::Float(-std::numeric_limits<float>::infinity())};
    case TypeId::kDouble:
      return {Literal::Double(1.0), Literal::Double(-0.0), Literal::Double(0.1),
              Literal::Double(1e300), Literal::Double(5e-324), Literal::Double(kDNaN),
              Literal::Double(kInf), Literal::Double(-kInf)};
    case TypeId::kDecimal: {
      const Int128 max = Pow10(type.precision()) - 1;
      return {Literal::Decimal(0), Literal::Decimal(1420), Literal::Decimal(-5),
              Literal::Decimal(max), Literal::Decimal(-max)};
    }
    case TypeId::kDate:
      return {Literal::Int(0), Literal::Int(kDay), Literal::Int(-1), Literal::Int(-719162),
              Literal::Int(2932896)};
    case TypeId::kString:
      return {Literal::String(""), Literal::String("iceberg"),
              Literal::String("quote \" backslash \\ newline \n tab \t bell \x07"),
              Literal::String("\xE2\x82\xAC \xF0\x9F\x98\x80")};
    case TypeId::kUuid:
      return {Literal::Binary(kUuidBytes), Literal::Binary(std::string(16, '\0'))};
    case TypeId::kFixed:
      return {Literal::Binary(B({0, 1, 2, 3})), Literal::Binary(B({0xff, 0xfe, 0x80, 0x7f}))};
    case TypeId::kBinary:
      return {Literal::Binary(""), Literal::Binary(B({0, 1, 2, 0xff}))};
    default:
      return {};
  }
}

// ---------------------------------------------------------------------------
// Equality and type matching

TEST(Literal, EqualityComparesFloatsByBitPattern) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(Literal::Float(nan), Literal::Float(nan));
  EXPECT_EQ(Literal::Double(std::nan("")), Literal::Double(std::nan("")));
  EXPECT_NE(Literal::Float(0.0f), Literal::Float(-0.0f));
  EXPECT_NE(Literal::Double(0.0), Literal::Double(-0.0));
  EXPECT_EQ(Literal::Double(1.5), Literal::Double(1.5));
  EXPECT_NE(Literal::Float(1.0f), Literal::Double(1.0));
}

TEST(Literal, EqualityDistinguishesRepresentations) {
  EXPECT_EQ(Literal(), Literal::Null());
  EXPECT_NE(Literal::Null(), Literal::Int(0));
  EXPECT_NE(Literal::Int(1), Literal::Long(1));
  EXPECT_NE(Literal::String("ab"), Literal::Binary("ab"));
  EXPECT_EQ(Literal::Binary("ab"), Literal::Binary("ab"));
  EXPECT_EQ(Literal::Decimal(Pow10(38) - 1), Literal::Decimal(Pow10(38) - 1));
  EXPECT_NE(Literal::Decimal(1), Literal::Decimal(-1));
}

TEST(Literal, MatchesType) {
  EXPECT_TRUE(LiteralMatchesType(Literal::Null(), *Type::Int()));
  EXPECT_TRUE(LiteralMatchesType(Literal::Null(), *Type::Variant()));
  EXPECT_TRUE(LiteralMatchesType(Literal::Int(1), *Type::Int()));
  EXPECT_TRUE(LiteralMatchesType(Literal::Int(1), *Type::Date()));
  EXPECT_FALSE(LiteralMatchesType(Literal::Int(1), *Type::Long()));
  for (const TypePtr& t : {Type::Long(), Type::Time(), Type::Timestamp(), Type::TimestampTz(),
                           Type::TimestampNs(), Type::TimestampTzNs()}) {
    EXPECT_TRUE(LiteralMatchesType(Literal::Long(1), *t)) << t->ToString();
    EXPECT_FALSE(LiteralMatchesType(Literal::Int(1), *t)) << t->ToString();
  }
  EXPECT_TRUE(LiteralMatchesType(Literal::Float(1), *Type::Float()));
  EXPECT_FALSE(LiteralMatchesType(Literal::Float(1), *Type::Double()));
  EXPECT_TRUE(LiteralMatchesType(Literal::Boolean(true), *Type::Boolean()));
  EXPECT_TRUE(LiteralMatchesType(Literal::String("x"), *Type::String()));
  EXPECT_FALSE(LiteralMatchesType(Literal::Binary("x"), *Type::String()));
  EXPECT_TRUE(LiteralMatchesType(Literal::Binary(kUuidBytes), *Type::Uuid()));
  EXPECT_FALSE(LiteralMatchesType(Literal::Binary("short"), *Type::Uuid()));
  EXPECT_FALSE(LiteralMatchesType(Literal::String(std::string(16, 'x')), *Type::Uuid()));
  EXPECT_TRUE(LiteralMatchesType(Literal::Binary("abc"), *Type::Fixed(3)));
  EXPECT_FALSE(LiteralMatchesType(Literal::Binary("abcd"), *Type::Fixed(3)));
  EXPECT_TRUE(LiteralMatchesType(Literal::Binary(""), *Type::Binary()));
  // Decimals must fit their precision.
  EXPECT_TRUE(LiteralMatchesType(Literal::Decimal(99999), *Type::Decimal(5, 2)));
  EXPECT_TRUE(LiteralMatchesType(Literal::Decimal(-99999), *Type::Decimal(5, 2)));
  EXPECT_FALSE(LiteralMatchesType(Literal::Decimal(100000), *Type::Decimal(5, 2)));
  EXPECT_TRUE(LiteralMatchesType(Literal::Decimal(Pow10(38) - 1), *Type::Decimal(38, 0)));
  EXPECT_FALSE(LiteralMatchesType(Literal::Decimal(Pow10(38)), *Type::Decimal(38, 0)));
  EXPECT_FALSE(LiteralMatchesType(Literal::Long(1), *Type::Decimal(5, 2)));
  // No Literal for these types.
  EXPECT_FALSE(LiteralMatchesType(Literal::String("x"), *Type::Variant()));
  EXPECT_FALSE(LiteralMatchesType(Literal::Int(1), *Type::Unknown()));
}

// ---------------------------------------------------------------------------
// Binary single-value serialization: spec App. D examples (notes §12)

struct BinaryVector {
  const char* name;
  Literal value;
  TypePtr type;
  std::string bytes;
};

std::vector<BinaryVector> SpecBinaryVectors() {
  return {
      {"int 34", Literal::Int(34), Type::Int(), B({0x22, 0, 0, 0})},
      {"long 34", Literal::Long(34), Type::Long(), B({0x22, 0, 0, 0, 0, 0, 0, 0})},
      {"float 1.0", Literal::Float(1.0f), Type::Float(), B({0, 0, 0x80, 0x3F})},
      {"double 1.0", Literal::Double(1.0), Type::Double(), B({0, 0, 0, 0, 0, 0, 0xF0, 0x3F})},
      {"float -0.0", Literal::Float(-0.0f), Type::Float(), B({0, 0, 0, 0x80})},
      {"double -0.0", Literal::Double(-0.0), Type::Double(), B({0, 0, 0, 0, 0, 0, 0, 0x80})},
      {"date 2017-11-16", Literal::Int(kDay), Type::Date(), B({0x4E, 0x44, 0, 0})},
      {"time 22:31:08", Literal::Long(81068000000), Type::Time(),
       B({0x00, 0x83, 0x07, 0xE0, 0x12, 0, 0, 0})},
      {"timestamp", Literal::Long(kTs), Type::Timestamp(),
       B({0x00, 0xC3, 0x26, 0x2D, 0x21, 0x5E, 0x05, 0x00})},
      {"timestamptz", Literal::Long(kTs), Type::TimestampTz(),
       B({0x00, 0xC3, 0x26, 0x2D, 0x21, 0x5E, 0x05, 0x00})},
      {"timestamp_ns", Literal::Long(kTs * 1000), Type::TimestampNs(),
       B({0x00, 0xB8, 0x69, 0x5F, 0x98, 0xB1, 0xF7, 0x14})},
      {"timestamptz_ns", Literal::Long(kTs * 1000), Type::TimestampTzNs(),
       B({0x00, 0xB8, 0x69, 0x5F, 0x98, 0xB1, 0xF7, 0x14})},
      {"decimal 14.20", Literal::Decimal(1420), Type::Decimal(4, 2), B({0x05, 0x8C})},
      {"decimal -1.00", Literal::Decimal(-100), Type::Decimal(3, 2), B({0x9C})},
      {"decimal 0", Literal::Decimal(0), Type::Decimal(9, 2), B({0x00})},
      {"decimal -0.01", Literal::Decimal(-1), Type::Decimal(9, 2), B({0xFF})},
      {"decimal 1.28", Literal::Decimal(128), Type::Decimal(9, 2), B({0x00, 0x80})},
      {"uuid", Literal::Binary(kUuidBytes), Type::Uuid(), kUuidBytes},
      {"string", Literal::String("iceberg"), Type::String(),
       B({0x69, 0x63, 0x65, 0x62, 0x65, 0x72, 0x67})},
      {"empty string", Literal::String(""), Type::String(), ""},
      {"true", Literal::Boolean(true), Type::Boolean(), B({0x01})},
      {"false", Literal::Boolean(false), Type::Boolean(), B({0x00})},
      {"fixed", Literal::Binary(B({0, 1, 2, 3})), Type::Fixed(4), B({0, 1, 2, 3})},
      {"binary", Literal::Binary(B({0, 1, 2, 3})), Type::Binary(), B({0, 1, 2, 3})},
  };
}

TEST(SingleValueBinary, SpecExamplesSerialize) {
  for (const auto& v : SpecBinaryVectors()) {
    EXPECT_EQ(SerializeSingleValue(v.value, *v.type), v.bytes) << v.name;
  }
}

TEST(SingleValueBinary, SpecExamplesDeserialize) {
  for (const auto& v : SpecBinaryVectors()) {
    auto r = DeserializeSingleValue(v.bytes, *v.type);
    ASSERT_TRUE(r.ok()) << v.name << ": " << r.status().ToString();
    EXPECT_EQ(*r, v.value) << v.name;
  }
}

TEST(SingleValueBinary, RoundTripsEveryType) {
  for (const TypePtr& type : AllLiteralTypes()) {
    for (const Literal& value : SampleValues(*type)) {
      ASSERT_TRUE(LiteralMatchesType(value, *type)) << type->ToString();
      const std::string bytes = SerializeSingleValue(value, *type);
      auto back = DeserializeSingleValue(bytes, *type);
      ASSERT_TRUE(back.ok()) << type->ToString() << ": " << back.status().ToString();
      EXPECT_EQ(*back, value) << type->ToString() << " " << LiteralToString(value, *type);
    }
  }
}

TEST(SingleValueBinary, DecimalExtremesUseSixteenBytes) {
  const Int128 max = Pow10(38) - 1;
  EXPECT_EQ(SerializeSingleValue(Literal::Decimal(max), *Type::Decimal(38, 0)).size(), 16u);
  EXPECT_EQ(SerializeSingleValue(Literal::Decimal(-max), *Type::Decimal(38, 0)).size(), 16u);
  // 2^63 needs 9 bytes: 00 80 00 ...
  const Int128 two63 = Int128(1) << 63;
  EXPECT_EQ(SerializeSingleValue(Literal::Decimal(two63), *Type::Decimal(20, 0)),
            B({0x00, 0x80, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(SerializeSingleValue(Literal::Decimal(-two63), *Type::Decimal(20, 0)),
            B({0x80, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(SingleValueBinary, BooleanAnyNonZeroByteIsTrue) {
  auto r = DeserializeSingleValue(B({0x02}), *Type::Boolean());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, Literal::Boolean(true));
}

TEST(SingleValueBinary, ReadsValuesWrittenBeforePromotion) {
  // int -> long: 4 bytes, sign-extended.
  auto l = DeserializeSingleValue(B({0x22, 0, 0, 0}), *Type::Long());
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(*l, Literal::Long(34));
  l = DeserializeSingleValue(B({0xFF, 0xFF, 0xFF, 0xFF}), *Type::Long());
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(*l, Literal::Long(-1));
  // float -> double: 4 bytes, widened exactly.
  auto d = DeserializeSingleValue(B({0, 0, 0x80, 0x3F}), *Type::Double());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, Literal::Double(1.0));
  d = DeserializeSingleValue(SerializeSingleValue(Literal::Float(0.1f), *Type::Float()),
                             *Type::Double());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, Literal::Double(static_cast<double>(0.1f)));
  // date -> timestamp, timestamp_ns: days become midnight.
  auto ts = DeserializeSingleValue(B({0x4E, 0x44, 0, 0}), *Type::Timestamp());
  ASSERT_TRUE(ts.ok());
  EXPECT_EQ(*ts, Literal::Long(int64_t{kDay} * 86400000000));
  ts = DeserializeSingleValue(B({0x4E, 0x44, 0, 0}), *Type::TimestampNs());
  ASSERT_TRUE(ts.ok());
  EXPECT_EQ(*ts, Literal::Long(int64_t{kDay} * 86400000000000));
  ts = DeserializeSingleValue(B({0xFF, 0xFF, 0xFF, 0xFF}), *Type::Timestamp());  // 1969-12-31
  ASSERT_TRUE(ts.ok());
  EXPECT_EQ(*ts, Literal::Long(-86400000000));
  // decimal(P,S) -> decimal(P',S): shorter bytes are just smaller values; so
  // are (non-minimal) sign-extended ones.
  auto dec = DeserializeSingleValue(B({0x05, 0x8C}), *Type::Decimal(38, 2));
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(*dec, Literal::Decimal(1420));
  dec = DeserializeSingleValue(B({0x00, 0x00, 0x05, 0x8C}), *Type::Decimal(38, 2));
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(*dec, Literal::Decimal(1420));
  dec = DeserializeSingleValue(B({0xFF, 0xFF, 0x9C}), *Type::Decimal(9, 2));
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(*dec, Literal::Decimal(-100));
}

void ExpectCorruption(std::string_view bytes, const TypePtr& type,
                      std::initializer_list<const char*> fragments) {
  auto r = DeserializeSingleValue(bytes, *type);
  ASSERT_FALSE(r.ok()) << type->ToString();
  EXPECT_TRUE(r.status().IsCorruption()) << r.status().ToString();
  for (const char* f : fragments) {
    EXPECT_NE(r.status().message().find(f), std::string::npos)
        << "'" << f << "' not in: " << r.status().message();
  }
}

// Java truncates fixed[L] metrics like binary (truncate(16) keeps 16 bytes),
// so a shorter fixed bound is a valid prefix bound, not corruption.
TEST(SingleValueBinary, TruncatedFixedBoundsAreReadAsPrefixes) {
  auto r = DeserializeSingleValue(B({1, 2, 3}), *Type::Fixed(32));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->bytes_value(), B({1, 2, 3}));
}

TEST(SingleValueBinary, WrongLengthsAreClearErrors) {
  ExpectCorruption(std::string(17, 'x'), Type::Fixed(16),
                   {"fixed[16]", "17 bytes", "at most 16 bytes"});
  ExpectCorruption(std::string(15, 'x'), Type::Uuid(), {"uuid", "15 bytes", "16 bytes"});
  ExpectCorruption(std::string(17, '\x01'), Type::Decimal(38, 2),
                   {"decimal(38,2)", "17 bytes", "1 to 16 bytes"});
  ExpectCorruption("", Type::Decimal(9, 2), {"decimal(9,2)", "0 bytes"});
  ExpectCorruption(B({1, 2, 3}), Type::Int(), {"int", "3 bytes", "4 bytes"});
  ExpectCorruption(B({1, 2, 3, 4, 5, 6, 7, 8}), Type::Date(), {"date", "8 bytes"});
  ExpectCorruption(B({1, 2}), Type::Boolean(), {"boolean", "2 bytes"});
  ExpectCorruption(B({1, 2, 3, 4, 5}), Type::Long(), {"long", "5 bytes"});
  ExpectCorruption(B({1, 2}), Type::Float(), {"float", "2 bytes"});
  ExpectCorruption(B({1, 2, 3}), Type::Double(), {"double", "3 bytes"});
  ExpectCorruption(B({1, 2, 3, 4}), Type::Time(), {"time", "4 bytes"});
  // No date promotion to the tz types (§Schema Evolution: date -> timestamp only).
  ExpectCorruption(B({1, 2, 3, 4}), Type::TimestampTz(), {"timestamptz", "4 bytes"});
  ExpectCorruption(B({1, 2, 3, 4}), Type::TimestampTzNs(), {"timestamptz_ns", "4 bytes"});
  ExpectCorruption(B({1}), Type::Timestamp(), {"timestamp", "1 byte"});
  // A date beyond 2262 does not fit a nanosecond timestamp.
  ExpectCorruption(B({0x40, 0x0D, 0x03, 0x00}), Type::TimestampNs(),  // day 200000
                   {"timestamp_ns", "out of range"});
}

TEST(SingleValueBinary, TypesWithoutAFormAreNotSupported) {
  for (const TypePtr& t : {Type::Unknown(), Type::Variant(), Type::Geometry(""),
                           Type::Struct({}),
                           Type::List(NestedField{1, "element", false, Type::Int()})}) {
    auto r = DeserializeSingleValue("x", *t);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.status().IsNotSupported()) << r.status().ToString();
    EXPECT_NE(r.status().message().find(t->ToString()), std::string::npos);
  }
  EXPECT_EQ(SerializeSingleValue(Literal::Null(), *Type::Int()), "");
}

// ---------------------------------------------------------------------------
// JSON single-value serialization (App. D)

struct JsonVector {
  Literal value;
  TypePtr type;
  const char* json;
};

std::vector<JsonVector> SpecJsonVectors() {
  return {
      {Literal::Boolean(true), Type::Boolean(), "true"},
      {Literal::Boolean(false), Type::Boolean(), "false"},
      {Literal::Int(34), Type::Int(), "34"},
      {Literal::Int(-34), Type::Int(), "-34"},
      {Literal::Long(34), Type::Long(), "34"},
      {Literal::Long(std::numeric_limits<int64_t>::min()), Type::Long(), "-9223372036854775808"},
      {Literal::Float(1.0f), Type::Float(), "1.0"},
      {Literal::Float(0.1f), Type::Float(), "0.1"},
      {Literal::Double(1.0), Type::Double(), "1.0"},
      {Literal::Double(-2.5), Type::Double(), "-2.5"},
      {Literal::Decimal(1420), Type::Decimal(4, 2), "\"14.20\""},
      {Literal::Decimal(-5), Type::Decimal(9, 2), "\"-0.05\""},
      {Literal::Decimal(0), Type::Decimal(9, 2), "\"0.00\""},
      {Literal::Decimal(1420), Type::Decimal(9, 0), "\"1420\""},
      {Literal::Int(kDay), Type::Date(), "\"2017-11-16\""},
      {Literal::Long(81068123456), Type::Time(), "\"22:31:08.123456\""},
      {Literal::Long(kTs + 123456), Type::Timestamp(), "\"2017-11-16T22:31:08.123456\""},
      {Literal::Long(kTs + 123456), Type::TimestampTz(), "\"2017-11-16T22:31:08.123456+00:00\""},
      {Literal::Long(kTs * 1000 + 123456789), Type::TimestampNs(),
       "\"2017-11-16T22:31:08.123456789\""},
      {Literal::Long(kTs * 1000 + 123456789), Type::TimestampTzNs(),
       "\"2017-11-16T22:31:08.123456789+00:00\""},
      {Literal::String("iceberg"), Type::String(), "\"iceberg\""},
      {Literal::String("a\"b\\c\nd\x01"), Type::String(), "\"a\\\"b\\\\c\\nd\\u0001\""},
      {Literal::Binary(kUuidBytes), Type::Uuid(), "\"f79c3e09-677c-4bbd-a479-3f349cb785e7\""},
      {Literal::Binary(B({0, 1, 2, 0xff})), Type::Fixed(4), "\"000102ff\""},
      {Literal::Binary(B({0, 1, 2, 0xff})), Type::Binary(), "\"000102ff\""},
      {Literal::Null(), Type::Int(), "null"},
  };
}

TEST(SingleValueJson, SpecExamplesWrite) {
  for (const auto& v : SpecJsonVectors()) {
    EXPECT_EQ(LiteralToJson(v.value, *v.type), v.json) << v.type->ToString();
  }
}

TEST(SingleValueJson, SpecExamplesRead) {
  for (const auto& v : SpecJsonVectors()) {
    auto r = LiteralFromJson(v.json, *v.type);
    ASSERT_TRUE(r.ok()) << v.json << ": " << r.status().ToString();
    EXPECT_EQ(*r, v.value) << v.json;
  }
}

TEST(SingleValueJson, RoundTripsEveryType) {
  for (const TypePtr& type : AllLiteralTypes()) {
    for (const Literal& value : SampleValues(*type)) {
      const std::string json = LiteralToJson(value, *type);
      auto back = LiteralFromJson(json, *type);
      ASSERT_TRUE(back.ok()) << type->ToString() << " " << json << ": "
                             << back.status().ToString();
      EXPECT_EQ(*back, value) << type->ToString() << " " << json;
    }
  }
}

TEST(SingleValueJson, SpecialFloatsAreStrings) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(LiteralToJson(Literal::Float(std::nanf("")), *Type::Float()), "\"NaN\"");
  EXPECT_EQ(LiteralToJson(Literal::Float(inf), *Type::Float()), "\"Infinity\"");
  EXPECT_EQ(LiteralToJson(Literal::Double(-double{inf}), *Type::Double()), "\"-Infinity\"");
  auto nan = LiteralFromJson("\"NaN\"", *Type::Double());
  ASSERT_TRUE(nan.ok());
  EXPECT_TRUE(std::isnan(nan->double_value()));
  auto neg = LiteralFromJson("\"-Infinity\"", *Type::Float());
  ASSERT_TRUE(neg.ok());
  EXPECT_EQ(*neg, Literal::Float(-inf));
  EXPECT_FALSE(LiteralFromJson("\"1.5\"", *Type::Double()).ok());  // only the three names
}

TEST(SingleValueJson, FloatsReadFromTheirOwnText) {
  // 1.0000000596046448 lies halfway between two floats only when first
  // rounded to double; read directly it rounds up.
  auto f = LiteralFromJson("1.00000005960464477539062500001", *Type::Float());
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->float_value(), 1.00000012f);
  auto g = LiteralFromJson("1e-50", *Type::Float());  // underflow reads as zero
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(*g, Literal::Float(0.0f));
  auto tiny = LiteralFromJson("-0." + std::string(400, '0') + "1", *Type::Double());
  ASSERT_TRUE(tiny.ok());
  EXPECT_EQ(*tiny, Literal::Double(-0.0));
  auto huge = LiteralFromJson("1e39", *Type::Float());
  ASSERT_FALSE(huge.ok());
  EXPECT_TRUE(huge.status().IsInvalid());
  EXPECT_FALSE(LiteralFromJson("1" + std::string(400, '0'), *Type::Double()).ok());
  auto i = LiteralFromJson("3", *Type::Double());
  ASSERT_TRUE(i.ok());
  EXPECT_EQ(*i, Literal::Double(3.0));
}

TEST(SingleValueJson, DecimalScaleMustMatch) {
  const TypePtr d2 = Type::Decimal(9, 2);
  auto sci = LiteralFromJson("\"1.420E+1\"", *d2);  // BigDecimal scale 3 - 1 = 2
  ASSERT_TRUE(sci.ok()) << sci.status().ToString();
  EXPECT_EQ(*sci, Literal::Decimal(1420));
  auto tiny = LiteralFromJson("\"1E-7\"", *Type::Decimal(9, 7));
  ASSERT_TRUE(tiny.ok());
  EXPECT_EQ(*tiny, Literal::Decimal(1));
  // "2E+20" has scale -20: no Iceberg decimal has a negative scale.
  auto neg_scale = LiteralFromJson("\"2E+20\"", *Type::Decimal(38, 0));
  ASSERT_FALSE(neg_scale.ok());
  EXPECT_TRUE(neg_scale.status().IsInvalid());
  EXPECT_NE(neg_scale.status().message().find("scale is -20"), std::string::npos)
      << neg_scale.status().message();
  auto short_scale = LiteralFromJson("\"14.2\"", *d2);
  ASSERT_FALSE(short_scale.ok());
  EXPECT_NE(short_scale.status().message().find("scale is 1, the type's is 2"),
            std::string::npos)
      << short_scale.status().message();
  auto too_big = LiteralFromJson("\"12345678.00\"", *d2);
  ASSERT_FALSE(too_big.ok());
  EXPECT_NE(too_big.status().message().find("more than 9 digits"), std::string::npos);
  // Lenient: a bare number, read from its text.
  auto bare = LiteralFromJson("14.20", *d2);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(*bare, Literal::Decimal(1420));
  // Precision 38 extremes.
  const std::string max38 = "\"" + std::string(38, '9') + "\"";
  auto max = LiteralFromJson(max38, *Type::Decimal(38, 0));
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(*max, Literal::Decimal(Pow10(38) - 1));
  EXPECT_FALSE(LiteralFromJson("\"1" + std::string(38, '0') + "\"", *Type::Decimal(38, 0)).ok());
}

TEST(SingleValueJson, TimestampOffsets) {
  // tz types must carry an offset (App. D); any offset is converted to UTC.
  auto pst = LiteralFromJson("\"2017-11-16T14:31:08-08:00\"", *Type::TimestampTz());
  ASSERT_TRUE(pst.ok()) << pst.status().ToString();
  EXPECT_EQ(*pst, Literal::Long(kTs));
  auto z = LiteralFromJson("\"2017-11-16T22:31:08Z\"", *Type::TimestampTzNs());
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(*z, Literal::Long(kTs * 1000));
  auto missing = LiteralFromJson("\"2017-11-16T22:31:08\"", *Type::TimestampTz());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("+00:00"), std::string::npos);
  auto extra = LiteralFromJson("\"2017-11-16T22:31:08+00:00\"", *Type::Timestamp());
  ASSERT_FALSE(extra.ok());
  EXPECT_NE(extra.status().message().find("must not have a zone offset"), std::string::npos);
  // Java writes ISO_LOCAL_TIME, which drops a zero fraction.
  auto java = LiteralFromJson("\"2017-11-16T22:31:08\"", *Type::Timestamp());
  ASSERT_TRUE(java.ok());
  EXPECT_EQ(*java, Literal::Long(kTs));
  auto upper_hex = LiteralFromJson("\"000102FF\"", *Type::Binary());  // Java writes upper case
  ASSERT_TRUE(upper_hex.ok());
  EXPECT_EQ(*upper_hex, Literal::Binary(B({0, 1, 2, 0xff})));
}

void ExpectJsonError(const char* json, const TypePtr& type, const char* fragment) {
  auto r = LiteralFromJson(json, *type);
  ASSERT_FALSE(r.ok()) << json << " as " << type->ToString();
  EXPECT_TRUE(r.status().IsInvalid()) << r.status().ToString();
  EXPECT_NE(r.status().message().find(fragment), std::string::npos)
      << "'" << fragment << "' not in: " << r.status().message();
}

TEST(SingleValueJson, Errors) {
  ExpectJsonError("34.5", Type::Int(), "a whole number");
  ExpectJsonError("2147483648", Type::Int(), "32-bit range");
  ExpectJsonError("18446744073709551615", Type::Long(), "64-bit range");
  ExpectJsonError("\"34\"", Type::Long(), "a whole number");
  ExpectJsonError("1", Type::Boolean(), "true or false");
  ExpectJsonError("34", Type::String(), "a JSON string");
  ExpectJsonError("{\"a\":", Type::Int(), "malformed JSON");
  ExpectJsonError("true", Type::Double(), "a number");
  ExpectJsonError("\"2017-11-31\"", Type::Date(), "as a date");
  ExpectJsonError("\"f79c3e09677c4bbda4793f349cb785e7\"", Type::Uuid(), "8-4-4-4-12");
  ExpectJsonError("\"0001\"", Type::Fixed(4), "2 bytes, expected 4");
  ExpectJsonError("\"0g\"", Type::Binary(), "hex digits");
  ExpectJsonError("\"abc\"", Type::Decimal(9, 2), "decimal string");
  auto unsupported = LiteralFromJson("{}", *Type::Struct({}));
  ASSERT_FALSE(unsupported.ok());
  EXPECT_TRUE(unsupported.status().IsNotSupported());
}

// ---------------------------------------------------------------------------
// Human-readable forms

TEST(LiteralString, DocumentedForms) {
  EXPECT_EQ(LiteralToString(Literal::Int(kDay), *Type::Date()), "2017-11-16");
  EXPECT_EQ(LiteralToString(Literal::Long(kTs + 1), *Type::Timestamp()),
            "2017-11-16T22:31:08.000001");
  EXPECT_EQ(LiteralToString(Literal::Long(kTs + 1), *Type::TimestampTz()),
            "2017-11-16T22:31:08.000001+00:00");
  EXPECT_EQ(LiteralToString(Literal::Long(kTs * 1000 + 1001), *Type::TimestampNs()),
            "2017-11-16T22:31:08.000001001");
  EXPECT_EQ(LiteralToString(Literal::Long(81068000000), *Type::Time()), "22:31:08.000000");
  EXPECT_EQ(LiteralToString(Literal::Decimal(1420), *Type::Decimal(4, 2)), "14.20");
  EXPECT_EQ(LiteralToString(Literal::Decimal(-100), *Type::Decimal(3, 2)), "-1.00");
  EXPECT_EQ(LiteralToString(Literal::Binary(kUuidBytes), *Type::Uuid()),
            "f79c3e09-677c-4bbd-a479-3f349cb785e7");
  EXPECT_EQ(LiteralToString(Literal::Binary(B({0, 0xAB})), *Type::Binary()), "00ab");
  EXPECT_EQ(LiteralToString(Literal::Null(), *Type::Int()), "null");
  EXPECT_EQ(LiteralToString(Literal::Boolean(true), *Type::Boolean()), "true");
  EXPECT_EQ(LiteralToString(Literal::String("a b"), *Type::String()), "a b");
  EXPECT_EQ(LiteralToString(Literal::Double(std::nan("")), *Type::Double()), "NaN");
  EXPECT_EQ(LiteralToString(Literal::Float(2.5f), *Type::Float()), "2.5");
  // Before 1970 and outside four-digit years.
  EXPECT_EQ(LiteralToString(Literal::Long(-1), *Type::Timestamp()),
            "1969-12-31T23:59:59.999999");
  EXPECT_EQ(LiteralToString(Literal::Int(-719162), *Type::Date()), "0001-01-01");
  EXPECT_EQ(LiteralToString(Literal::Int(-719163), *Type::Date()), "0000-12-31");
  EXPECT_EQ(LiteralToString(Literal::Int(-719529), *Type::Date()), "-0001-12-31");
  EXPECT_EQ(LiteralToString(Literal::Int(2932897), *Type::Date()), "+10000-01-01");
  // A value of the wrong representation is still shown, not lost.
  EXPECT_EQ(LiteralToString(Literal::Long(5), *Type::Date()), "5");
  EXPECT_EQ(LiteralToJson(Literal::String("x"), *Type::Int()), "\"x\"");
  EXPECT_EQ(LiteralToJson(Literal::Binary(B({1})), *Type::Fixed(2)), "\"01\"");
  EXPECT_EQ(SerializeSingleValue(Literal::Int(1), *Type::Long()), "");  // REQUIRES violated
}

TEST(LiteralString, RoundTripsEveryType) {
  for (const TypePtr& type : AllLiteralTypes()) {
    for (const Literal& value : SampleValues(*type)) {
      const std::string text = LiteralToString(value, *type);
      auto back = LiteralFromString(text, *type);
      ASSERT_TRUE(back.ok()) << type->ToString() << " " << text << ": "
                             << back.status().ToString();
      EXPECT_EQ(*back, value) << type->ToString() << " " << text;
    }
  }
}

TEST(LiteralString, CivilDatesRoundTripOverMillennia) {
  // Every 7th day from -2000 to +3000 (ISO years) survives text and back,
  // and consecutive days print as consecutive, valid dates.
  for (int32_t d = -1'450'000; d < 380'000; d += 7) {
    const std::string text = LiteralToString(Literal::Int(d), *Type::Date());
    auto back = LiteralFromString(text, *Type::Date());
    ASSERT_TRUE(back.ok()) << text;
    ASSERT_EQ(back->int_value(), d) << text;
  }
  struct Known {
    int32_t days;
    const char* text;
  };
  for (const Known& k : std::initializer_list<Known>{{0, "1970-01-01"},
                                                     {-1, "1969-12-31"},
                                                     {59, "1970-03-01"},
                                                     {10956, "1999-12-31"},
                                                     {11016, "2000-02-29"},
                                                     {11017, "2000-03-01"},
                                                     {-25508, "1900-03-01"},
                                                     {-25509, "1900-02-28"},
                                                     {47540, "2100-02-28"},
                                                     {47541, "2100-03-01"},
                                                     {19782, "2024-02-29"},
                                                     {2932896, "9999-12-31"}}) {
    EXPECT_EQ(LiteralToString(Literal::Int(k.days), *Type::Date()), k.text) << k.days;
  }
}

TEST(LiteralString, ParsesWhatUsersTypeInFilters) {
  const int64_t midnight = int64_t{19724} * 86400000000;  // 2024-01-02
  const int64_t ten = midnight + int64_t{10} * 3600000000;
  struct Case {
    const char* text;
    TypePtr type;
    Literal expected;
  };
  const std::vector<Case> cases = {
      {"2024-01-02", Type::Date(), Literal::Int(19724)},
      {" 2024-01-02 ", Type::Date(), Literal::Int(19724)},
      {"2024-01-02", Type::Timestamp(), Literal::Long(midnight)},
      {"2024-01-02T10:00:00", Type::Timestamp(), Literal::Long(ten)},
      {"2024-01-02 10:00:00", Type::Timestamp(), Literal::Long(ten)},
      {"2024-01-02T10:00", Type::Timestamp(), Literal::Long(ten)},
      {"2024-01-02T10:00:00.", Type::Timestamp(), Literal::Null()},  // error marker
      {"2024-01-02T10:00:00.5", Type::Timestamp(), Literal::Long(ten + 500000)},
      {"2024-01-02T10:00:00.123456", Type::Timestamp(), Literal::Long(ten + 123456)},
      {"2024-01-02T10:00:00.123456000", Type::Timestamp(), Literal::Long(ten + 123456)},
      {"2024-01-02T10:00:00.123456789", Type::TimestampNs(),
       Literal::Long(ten * 1000 + 123456789)},
      {"2024-01-02T10:00:00.1", Type::TimestampNs(), Literal::Long(ten * 1000 + 100000000)},
      // tz types: no offset means UTC; Z and ±HH:MM convert to UTC.
      {"2024-01-02 10:00:00", Type::TimestampTz(), Literal::Long(ten)},
      {"2024-01-02T10:00:00Z", Type::TimestampTz(), Literal::Long(ten)},
      {"2024-01-02T10:00:00+00:00", Type::TimestampTz(), Literal::Long(ten)},
      {"2024-01-02T12:30:00+02:30", Type::TimestampTz(), Literal::Long(ten)},
      {"2024-01-02T02:00:00-08:00", Type::TimestampTz(), Literal::Long(ten)},
      {"2024-01-02T02:00:00-0800", Type::TimestampTzNs(), Literal::Long(ten * 1000)},
      {"2024-01-01T23:00:00-11", Type::TimestampTz(), Literal::Long(ten)},
      {"22:31:08", Type::Time(), Literal::Long(81068000000)},
      {"22:31", Type::Time(), Literal::Long(81060000000)},
      {"22:31:08.1", Type::Time(), Literal::Long(81068100000)},
      {"10.5", Type::Decimal(9, 2), Literal::Decimal(1050)},
      {"10.550", Type::Decimal(9, 2), Literal::Decimal(1055)},
      {"-0.05", Type::Decimal(9, 2), Literal::Decimal(-5)},
      {"+7", Type::Decimal(9, 2), Literal::Decimal(700)},
      {"1.5e2", Type::Decimal(9, 2), Literal::Decimal(15000)},
      {".5", Type::Decimal(9, 2), Literal::Decimal(50)},
      {"42", Type::Int(), Literal::Int(42)},
      {" -42 ", Type::Long(), Literal::Long(-42)},
      {"+42", Type::Long(), Literal::Long(42)},
      {"TRUE", Type::Boolean(), Literal::Boolean(true)},
      {"false", Type::Boolean(), Literal::Boolean(false)},
      {"1.5", Type::Double(), Literal::Double(1.5)},
      {"-Infinity", Type::Double(), Literal::Double(-std::numeric_limits<double>::infinity())},
      {"+inf", Type::Float(), Literal::Float(std::numeric_limits<float>::infinity())},
      {"F79C3E09-677C-4BBD-A479-3F349CB785E7", Type::Uuid(), Literal::Binary(kUuidBytes)},
      {"00010203", Type::Fixed(4), Literal::Binary(B({0, 1, 2, 3}))},
      {" keep spaces ", Type::String(), Literal::String(" keep spaces ")},
  };
  for (const Case& c : cases) {
    auto r = LiteralFromString(c.text, *c.type);
    if (c.expected.is_null()) {
      EXPECT_FALSE(r.ok()) << c.text;
      continue;
    }
    ASSERT_TRUE(r.ok()) << c.text << " as " << c.type->ToString() << ": " << r.status().ToString();
    EXPECT_EQ(*r, c.expected) << c.text << " as " << c.type->ToString();
  }
}

void ExpectStringError(const char* text, const TypePtr& type, const char* fragment) {
  auto r = LiteralFromString(text, *type);
  ASSERT_FALSE(r.ok()) << text << " as " << type->ToString();
  EXPECT_TRUE(r.status().IsInvalid()) << r.status().ToString();
  EXPECT_NE(r.status().message().find(fragment), std::string::npos)
      << "'" << fragment << "' not in: " << r.status().message();
}

TEST(LiteralString, Errors) {
  ExpectStringError("2024-13-01", Type::Date(), "expected YYYY-MM-DD");
  ExpectStringError("2023-02-29", Type::Date(), "'2023-02-29'");
  ExpectStringError("2024-1-2", Type::Date(), "expected YYYY-MM-DD");
  ExpectStringError("24:00:00", Type::Time(), "expected HH:MM:SS");
  ExpectStringError("22:31:08.1234567", Type::Time(), "more than microsecond precision");
  ExpectStringError("2024-01-02T10:00:00.1234567", Type::Timestamp(),
                    "more than microsecond precision");
  ExpectStringError("2024-01-02T10:00:00Z", Type::Timestamp(), "must not have a zone offset");
  ExpectStringError("2024-01-02T10:00:00+19:00", Type::TimestampTz(), "[Z|+HH:MM]");
  ExpectStringError("2300-01-01", Type::TimestampNs(), "1677 to 2262");
  ExpectStringError("2024-01-02X", Type::Timestamp(), "expected YYYY-MM-DD[THH:MM:SS");
  ExpectStringError("10.555", Type::Decimal(9, 2), "cannot be represented exactly");
  ExpectStringError("12345678.5", Type::Decimal(9, 2), "more than 9 digits");
  ExpectStringError("1e", Type::Decimal(9, 2), "expected a decimal number");
  ExpectStringError("abc", Type::Decimal(9, 2), "expected a decimal number");
  ExpectStringError("4x", Type::Int(), "whole number");
  ExpectStringError("+-4", Type::Long(), "whole number");
  ExpectStringError("2147483648", Type::Int(), "32-bit range");
  ExpectStringError("9223372036854775808", Type::Long(), "whole number");
  ExpectStringError("yes", Type::Boolean(), "true or false");
  ExpectStringError("1.5.5", Type::Double(), "expected a number");
  ExpectStringError("1e39", Type::Float(), "expected a number");
  ExpectStringError("f79c3e09", Type::Uuid(), "8-4-4-4-12");
  ExpectStringError("000102", Type::Fixed(4), "3 bytes, expected 4");
  ExpectStringError("abc", Type::Binary(), "even number of hex digits");
  auto r = LiteralFromString("x", *Type::Variant());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotSupported());
}

// ---------------------------------------------------------------------------
// Ordering

TEST(CompareLiterals, FloatTotalOrder) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> floats = {-nan, -inf, -1e30f, -1.0f, -1e-45f, -0.0f,
                                     0.0f, 1e-45f, 1.0f,   1e30f, inf,     nan};
  for (size_t i = 0; i < floats.size(); ++i) {
    for (size_t j = 0; j < floats.size(); ++j) {
      const int c = CompareLiterals(Literal::Float(floats[i]), Literal::Float(floats[j]),
                                    *Type::Float());
      EXPECT_EQ(c, i < j ? -1 : (i > j ? 1 : 0)) << i << " vs " << j;
    }
  }
  const double dnan = std::numeric_limits<double>::quiet_NaN();
  const double dinf = std::numeric_limits<double>::infinity();
  const std::vector<double> doubles = {-dnan, -dinf, -1.0, -0.0, 0.0, 5e-324, 1.0, dinf, dnan};
  for (size_t i = 0; i + 1 < doubles.size(); ++i) {
    EXPECT_LT(CompareLiterals(Literal::Double(doubles[i]), Literal::Double(doubles[i + 1]),
                              *Type::Double()),
              0)
        << i;
  }
}

TEST(CompareLiterals, BytesAreUnsigned) {
  const TypePtr s = Type::String();
  EXPECT_LT(CompareLiterals(Literal::String("a"), Literal::String("\xC3\xA9"), *s), 0);
  EXPECT_LT(CompareLiterals(Literal::String("a"), Literal::String("ab"), *s), 0);
  EXPECT_LT(CompareLiterals(Literal::String(""), Literal::String("a"), *s), 0);
  EXPECT_EQ(CompareLiterals(Literal::String("abc"), Literal::String("abc"), *s), 0);
  // U+FFFF (EF BF BF) < U+10000 (F0 90 80 80): UTF-8 order is code point order.
  EXPECT_LT(CompareLiterals(Literal::String("\xEF\xBF\xBF"), Literal::String("\xF0\x90\x80\x80"),
                            *s),
            0);
  const TypePtr b = Type::Binary();
  EXPECT_GT(CompareLiterals(Literal::Binary(B({0x80})), Literal::Binary(B({0x7f})), *b), 0);
  EXPECT_GT(CompareLiterals(Literal::Binary(B({0xff, 0})), Literal::Binary(B({0xff})), *b), 0);
  std::string low(16, '\0'), high(16, '\0');
  high[0] = static_cast<char>(0x80);
  EXPECT_LT(CompareLiterals(Literal::Binary(low), Literal::Binary(high), *Type::Uuid()), 0);
}

TEST(CompareLiterals, NumbersAndNulls) {
  EXPECT_LT(CompareLiterals(Literal::Int(-5), Literal::Int(3), *Type::Int()), 0);
  EXPECT_GT(CompareLiterals(Literal::Long(kTs), Literal::Long(-1), *Type::Timestamp()), 0);
  EXPECT_LT(CompareLiterals(Literal::Decimal(-(Pow10(38) - 1)), Literal::Decimal(Pow10(38) - 1),
                            *Type::Decimal(38, 0)),
            0);
  EXPECT_EQ(CompareLiterals(Literal::Decimal(1420), Literal::Decimal(1420), *Type::Decimal(4, 2)),
            0);
  EXPECT_LT(CompareLiterals(Literal::Boolean(false), Literal::Boolean(true), *Type::Boolean()),
            0);
  // Not required by the contract, but total: nulls sort first.
  EXPECT_LT(CompareLiterals(Literal::Null(), Literal::Int(0), *Type::Int()), 0);
  EXPECT_EQ(CompareLiterals(Literal::Null(), Literal::Null(), *Type::Int()), 0);
}

}  // namespace
}  // namespace floe::spec
