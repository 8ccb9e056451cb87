#include "floe/spec/transform.h"

#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

namespace floe::spec {
namespace {

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

Literal Apply(const Transform& t, const Literal& v, const TypePtr& type) {
  auto r = t.Apply(v, *type);
  EXPECT_TRUE(r.ok()) << t.ToString() << " on " << type->ToString() << ": "
                      << r.status().ToString();
  return r.ok() ? *r : Literal::Null();
}

Literal FromString(const char* text, const TypePtr& type) {
  auto r = LiteralFromString(text, *type);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() ? *r : Literal::Null();
}

// ---------------------------------------------------------------------------
// Parsing and printing

TEST(Transform, ParsesAndPrintsEveryKind) {
  struct Case {
    const char* text;
    TransformKind kind;
    int32_t param;
  };
  for (const Case& c : std::initializer_list<Case>{{"identity", TransformKind::kIdentity, 0},
                                                   {"bucket[16]", TransformKind::kBucket, 16},
                                                   {"truncate[4]", TransformKind::kTruncate, 4},
                                                   {"year", TransformKind::kYear, 0},
                                                   {"month", TransformKind::kMonth, 0},
                                                   {"day", TransformKind::kDay, 0},
                                                   {"hour", TransformKind::kHour, 0},
                                                   {"void", TransformKind::kVoid, 0},
                                                   {"bucket[2147483647]", TransformKind::kBucket,
                                                    2147483647}}) {
    auto t = Transform::Parse(c.text);
    ASSERT_TRUE(t.ok()) << c.text << ": " << t.status().ToString();
    EXPECT_EQ(t->kind(), c.kind) << c.text;
    EXPECT_EQ(t->param(), c.param) << c.text;
    EXPECT_EQ(t->ToString(), c.text);
  }
  // Names are case-insensitive, as in Java's Transforms.fromString; printing is canonical.
  auto upper = Transform::Parse("Bucket[8]");
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(upper->ToString(), "bucket[8]");
  auto day = Transform::Parse("DAY");
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(*day, Transform::Day());
  EXPECT_EQ(Transform().kind(), TransformKind::kIdentity);
}

TEST(Transform, UnknownNamesAreKept) {
  for (const char* text : {"zorder", "custom[3]", "geohash[5]", "years"}) {
    auto t = Transform::Parse(text);
    ASSERT_TRUE(t.ok()) << text;
    EXPECT_EQ(t->kind(), TransformKind::kUnknown) << text;
    EXPECT_EQ(t->ToString(), text);
    EXPECT_TRUE(t->CanTransform(*Type::Struct({})));
    EXPECT_FALSE(t->PreservesOrder());
    auto applied = t->Apply(Literal::Int(1), *Type::Int());
    ASSERT_FALSE(applied.ok());
    EXPECT_TRUE(applied.status().IsNotSupported());
    EXPECT_NE(applied.status().message().find(text), std::string::npos);
  }
  auto a = Transform::Parse("zorder"), b = Transform::Parse("zorder"),
       c = Transform::Parse("hilbert");
  EXPECT_EQ(*a, *b);
  EXPECT_FALSE(*a == *c);
}

TEST(Transform, BadParametersAreErrors) {
  struct Case {
    const char* text;
    const char* fragment;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"bucket[0]", "got '0'"},
           {"truncate[0]", "a positive width"},
           {"bucket[-1]", "got '-1'"},
           {"truncate[-10]", "got '-10'"},
           {"bucket[x]", "got 'x'"},
           {"bucket[]", "got ''"},
           {"bucket[+3]", "got '+3'"},
           {"truncate[2147483648]", "up to 2147483647"},
           {"bucket", "in brackets, e.g. bucket[16]"},
           {"truncate", "in brackets, e.g. truncate[10]"},
           {"bucket[16", "in brackets"},
           {"", "empty partition transform"},
       }) {
    auto t = Transform::Parse(c.text);
    ASSERT_FALSE(t.ok()) << c.text;
    EXPECT_TRUE(t.status().IsInvalid());
    EXPECT_NE(t.status().message().find(c.fragment), std::string::npos)
        << "'" << c.fragment << "' not in: " << t.status().message();
  }
}

TEST(Transform, EqualityAndOrder) {
  EXPECT_EQ(Transform::Bucket(16), Transform::Bucket(16));
  EXPECT_FALSE(Transform::Bucket(16) == Transform::Bucket(8));
  EXPECT_FALSE(Transform::Bucket(4) == Transform::Truncate(4));
  EXPECT_FALSE(Transform::Day() == Transform::Hour());
  EXPECT_EQ(Transform::Identity(), Transform());
  for (const Transform& t : {Transform::Identity(), Transform::Truncate(3), Transform::Year(),
                             Transform::Month(), Transform::Day(), Transform::Hour()}) {
    EXPECT_TRUE(t.PreservesOrder()) << t.ToString();
  }
  EXPECT_FALSE(Transform::Bucket(16).PreservesOrder());
  EXPECT_FALSE(Transform::Void().PreservesOrder());
}

// ---------------------------------------------------------------------------
// Source types and result types (§Partition Transforms table)

TEST(Transform, CanTransformFollowsTheSpecTable) {
  const std::vector<TypePtr> types = {
      Type::Boolean(),  Type::Int(),           Type::Long(),    Type::Float(),
      Type::Double(),   Type::Decimal(9, 2),   Type::Date(),    Type::Time(),
      Type::Timestamp(), Type::TimestampTz(),  Type::TimestampNs(), Type::TimestampTzNs(),
      Type::String(),   Type::Uuid(),          Type::Fixed(4),  Type::Binary(),
      Type::Unknown(),  Type::Variant(),       Type::Geometry(""), Type::Geography("", ""),
      Type::Struct({})};
  // One letter per type above: which transforms accept it.
  struct Row {
    Transform transform;
    const char* accepts;  // 'y' / '.'
  };
  const std::vector<Row> rows = {
      //                      b i l f d D d t T T T T s u f b U V G G S
      {Transform::Identity(), "yyyyyyyyyyyyyyyyy...."},
      {Transform::Bucket(4), ".yy..yyyyyyyyyyy....."},
      {Transform::Truncate(4), ".yy..y......y..y....."},
      {Transform::Year(), "......y.yyyy........."},
      {Transform::Month(), "......y.yyyy........."},
      {Transform::Day(), "......y.yyyy........."},
      {Transform::Hour(), "........yyyy........."},
      {Transform::Void(), "yyyyyyyyyyyyyyyyyyyyy"},
  };
  for (const Row& row : rows) {
    ASSERT_EQ(std::string(row.accepts).size(), types.size());
    for (size_t i = 0; i < types.size(); ++i) {
      EXPECT_EQ(row.transform.CanTransform(*types[i]), row.accepts[i] == 'y')
          << row.transform.ToString() << " on " << types[i]->ToString();
    }
  }
}

TEST(Transform, ResultTypes) {
  auto check = [](const Transform& t, const TypePtr& source, const TypePtr& expected) {
    auto r = t.ResultType(source);
    ASSERT_TRUE(r.ok()) << t.ToString() << ": " << r.status().ToString();
    EXPECT_TRUE((*r)->Equals(*expected)) << t.ToString() << " on " << source->ToString();
  };
  check(Transform::Bucket(16), Type::String(), Type::Int());
  check(Transform::Year(), Type::Timestamp(), Type::Int());
  check(Transform::Month(), Type::Date(), Type::Int());
  check(Transform::Hour(), Type::TimestampTzNs(), Type::Int());
  check(Transform::Day(), Type::TimestampTz(), Type::Date());
  check(Transform::Identity(), Type::Decimal(9, 2), Type::Decimal(9, 2));
  check(Transform::Truncate(3), Type::String(), Type::String());
  check(Transform::Void(), Type::Fixed(3), Type::Fixed(3));
  auto bad = Transform::Bucket(16).ResultType(Type::Double());
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.status().IsInvalid());
  EXPECT_NE(bad.status().message().find("bucket[16] cannot be applied to a column of type double"),
            std::string::npos)
      << bad.status().message();
  EXPECT_FALSE(Transform::Hour().ResultType(Type::Date()).ok());
}

// ---------------------------------------------------------------------------
// Hashes: spec Appendix B and the derived rows in the notes (§12)

TEST(Murmur3, AppendixBValues) {
  EXPECT_EQ(BucketHash(Literal::Int(34), *Type::Int()), 2017239379);
  EXPECT_EQ(BucketHash(Literal::Long(34), *Type::Long()), 2017239379);
  EXPECT_EQ(BucketHash(Literal::Decimal(1420), *Type::Decimal(4, 2)), -500754589);
  EXPECT_EQ(BucketHash(Literal::Int(kDay), *Type::Date()), -653330422);
  EXPECT_EQ(BucketHash(Literal::Long(81068000000), *Type::Time()), -662762989);
  EXPECT_EQ(BucketHash(Literal::Long(kTs), *Type::Timestamp()), -2047944441);
  EXPECT_EQ(BucketHash(Literal::Long(kTs + 1), *Type::Timestamp()), -1207196810);
  EXPECT_EQ(BucketHash(Literal::String("iceberg"), *Type::String()), 1210000089);
  EXPECT_EQ(BucketHash(Literal::Binary(kUuidBytes), *Type::Uuid()), 1488055340);
  EXPECT_EQ(BucketHash(Literal::Binary(B({0, 1, 2, 3})), *Type::Fixed(4)), -188683207);
  EXPECT_EQ(BucketHash(Literal::Binary(B({0, 1, 2, 3})), *Type::Binary()), -188683207);
  EXPECT_EQ(Murmur3Hash32(B({0, 1, 2, 3})), -188683207);
  EXPECT_EQ(Murmur3Hash32("iceberg"), 1210000089);
}

TEST(Murmur3, AppendixBTimestampsFromText) {
  // The spec's test values are written with zones; parse them as a user would.
  struct Case {
    const char* text;
    TypePtr type;
    int32_t hash;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"2017-11-16T22:31:08", Type::Timestamp(), -2047944441},
           {"2017-11-16T22:31:08.000001", Type::Timestamp(), -1207196810},
           {"2017-11-16T14:31:08-08:00", Type::TimestampTz(), -2047944441},
           {"2017-11-16T14:31:08.000001-08:00", Type::TimestampTz(), -1207196810},
           {"2017-11-16T22:31:08", Type::TimestampNs(), -2047944441},
           {"2017-11-16T22:31:08.000001001", Type::TimestampNs(), -1207196810},
           {"2017-11-16T14:31:08-08:00", Type::TimestampTzNs(), -2047944441},
           {"2017-11-16T14:31:08.000001001-08:00", Type::TimestampTzNs(), -1207196810},
           {"2017-11-16", Type::Date(), -653330422},
           {"22:31:08", Type::Time(), -662762989},
           {"14.20", Type::Decimal(4, 2), -500754589},
           {"f79c3e09-677c-4bbd-a479-3f349cb785e7", Type::Uuid(), 1488055340},
       }) {
    EXPECT_EQ(BucketHash(FromString(c.text, c.type), *c.type), c.hash)
        << c.text << " as " << c.type->ToString();
  }
}

TEST(Murmur3, NotBucketableTypesStillHashPerAppendixB) {
  EXPECT_EQ(BucketHash(Literal::Boolean(true), *Type::Boolean()), 1392991556);
  EXPECT_EQ(BucketHash(Literal::Float(1.0f), *Type::Float()), -142385009);
  EXPECT_EQ(BucketHash(Literal::Double(1.0), *Type::Double()), -142385009);
  EXPECT_EQ(BucketHash(Literal::Float(0.0f), *Type::Float()), 1669671676);
  EXPECT_EQ(BucketHash(Literal::Float(-0.0f), *Type::Float()), 1669671676);
  EXPECT_EQ(BucketHash(Literal::Double(0.0), *Type::Double()), 1669671676);
  EXPECT_EQ(BucketHash(Literal::Double(-0.0), *Type::Double()), 1669671676);
  // Every NaN hashes as the canonical one.
  EXPECT_EQ(BucketHash(Literal::Double(-std::nan("")), *Type::Double()),
            BucketHash(Literal::Double(std::nan("")), *Type::Double()));
  EXPECT_EQ(BucketHash(Literal::Float(std::nanf("")), *Type::Float()),
            BucketHash(Literal::Double(std::nan("")), *Type::Double()));
}

TEST(Murmur3, DerivedRows) {
  EXPECT_EQ(BucketHash(Literal::Int(0), *Type::Int()), 1669671676);
  EXPECT_EQ(BucketHash(Literal::Int(1), *Type::Int()), 1392991556);
  EXPECT_EQ(BucketHash(Literal::Int(-1), *Type::Int()), 1651860712);
  EXPECT_EQ(BucketHash(Literal::Long(-1), *Type::Long()), 1651860712);
  EXPECT_EQ(BucketHash(Literal::String(""), *Type::String()), 0);
  EXPECT_EQ(BucketHash(Literal::String("34"), *Type::String()), -427558391);
  EXPECT_EQ(BucketHash(Literal::String("\xE2\x82\xAC"), *Type::String()), 1531182245);  // €
  EXPECT_EQ(BucketHash(Literal::Decimal(0), *Type::Decimal(9, 2)), 1364076727);
  EXPECT_EQ(BucketHash(Literal::Decimal(-1), *Type::Decimal(9, 2)), -43192051);
  // Decimal hashes do not depend on the scale.
  EXPECT_EQ(BucketHash(Literal::Decimal(1420), *Type::Decimal(38, 10)), -500754589);
}

TEST(Murmur3, TailLengths) {
  // Inputs of 0..7 bytes cover every tail length and more than one block.
  const std::string s = "abcdefg";
  std::vector<int32_t> hashes;
  for (size_t n = 0; n <= s.size(); ++n) hashes.push_back(Murmur3Hash32(s.substr(0, n)));
  for (size_t i = 0; i < hashes.size(); ++i) {
    for (size_t j = i + 1; j < hashes.size(); ++j) EXPECT_NE(hashes[i], hashes[j]) << i << j;
  }
  EXPECT_EQ(hashes[0], 0);  // murmur3_32 of nothing with seed 0
}

TEST(Bucket, SpecValuesModuloSixteenAndHundred) {
  struct Case {
    const char* name;
    Literal value;
    TypePtr type;
    int32_t b16, b100;
  };
  const std::vector<Case> cases = {
      {"int 34", Literal::Int(34), Type::Int(), 3, 79},
      {"long 34", Literal::Long(34), Type::Long(), 3, 79},
      {"decimal 14.20", Literal::Decimal(1420), Type::Decimal(4, 2), 3, 59},
      {"date", Literal::Int(kDay), Type::Date(), 10, 26},
      {"time", Literal::Long(81068000000), Type::Time(), 3, 59},
      {"timestamp", Literal::Long(kTs), Type::Timestamp(), 7, 7},
      {"timestamptz", Literal::Long(kTs), Type::TimestampTz(), 7, 7},
      {"timestamp_ns", Literal::Long(kTs * 1000), Type::TimestampNs(), 7, 7},
      {"timestamptz_ns", Literal::Long(kTs * 1000), Type::TimestampTzNs(), 7, 7},
      {"timestamp .000001", Literal::Long(kTs + 1), Type::Timestamp(), 6, 38},
      {"timestamptz .000001", Literal::Long(kTs + 1), Type::TimestampTz(), 6, 38},
      {"timestamp_ns .000001001", Literal::Long(kTs * 1000 + 1001), Type::TimestampNs(), 6, 38},
      {"timestamptz_ns .000001001", Literal::Long(kTs * 1000 + 1001), Type::TimestampTzNs(), 6,
       38},
      {"string", Literal::String("iceberg"), Type::String(), 9, 89},
      {"uuid", Literal::Binary(kUuidBytes), Type::Uuid(), 12, 40},
      {"fixed", Literal::Binary(B({0, 1, 2, 3})), Type::Fixed(4), 9, 41},
      {"binary", Literal::Binary(B({0, 1, 2, 3})), Type::Binary(), 9, 41},
      {"int 0", Literal::Int(0), Type::Int(), 12, 76},
      {"int 1", Literal::Int(1), Type::Int(), 4, 56},
      {"int -1", Literal::Int(-1), Type::Int(), 8, 12},
      {"string empty", Literal::String(""), Type::String(), 0, 0},
      {"string 34", Literal::String("34"), Type::String(), 9, 57},
      {"string euro", Literal::String("\xE2\x82\xAC"), Type::String(), 5, 45},
      {"decimal 0", Literal::Decimal(0), Type::Decimal(9, 2), 7, 27},
      {"decimal -1", Literal::Decimal(-1), Type::Decimal(9, 2), 13, 97},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Apply(Transform::Bucket(16), c.value, c.type), Literal::Int(c.b16)) << c.name;
    EXPECT_EQ(Apply(Transform::Bucket(100), c.value, c.type), Literal::Int(c.b100)) << c.name;
    EXPECT_EQ(BucketOf(BucketHash(c.value, *c.type), 16), c.b16) << c.name;
  }
}

TEST(Bucket, NanosecondsFloorToMicroseconds) {
  // -1 ns is in the microsecond before the epoch (-1 µs), not at 0.
  EXPECT_EQ(BucketHash(Literal::Long(-1), *Type::TimestampNs()),
            BucketHash(Literal::Long(-1), *Type::Timestamp()));
  EXPECT_EQ(BucketHash(Literal::Long(-1000), *Type::TimestampNs()),
            BucketHash(Literal::Long(-1), *Type::Timestamp()));
  EXPECT_EQ(BucketHash(Literal::Long(-1001), *Type::TimestampNs()),
            BucketHash(Literal::Long(-2), *Type::Timestamp()));
  EXPECT_EQ(BucketHash(Literal::Long(999), *Type::TimestampNs()),
            BucketHash(Literal::Long(0), *Type::Timestamp()));
  // Extremes do not overflow.
  EXPECT_EQ(BucketHash(Literal::Long(std::numeric_limits<int64_t>::min()), *Type::TimestampNs()),
            BucketHash(Literal::Long(-9223372036854776), *Type::Timestamp()));
  EXPECT_EQ(Apply(Transform::Bucket(1), Literal::Long(std::numeric_limits<int64_t>::max()),
                  Type::TimestampTzNs()),
            Literal::Int(0));
}

TEST(DecimalMinimalBytes, TwoComplementBigEndian) {
  struct Case {
    Int128 value;
    std::string bytes;
  };
  for (const Case& c : std::initializer_list<Case>{
           {0, B({0x00})},
           {1, B({0x01})},
           {-1, B({0xFF})},
           {127, B({0x7F})},
           {128, B({0x00, 0x80})},
           {-128, B({0x80})},
           {-129, B({0xFF, 0x7F})},
           {255, B({0x00, 0xFF})},
           {1420, B({0x05, 0x8C})},
           {-100, B({0x9C})},
           {32767, B({0x7F, 0xFF})},
           {32768, B({0x00, 0x80, 0x00})},
       }) {
    EXPECT_EQ(DecimalToMinimalBytes(c.value), c.bytes);
  }
  const Int128 max38 = Pow10(38) - 1;  // needs 127 bits: 16 bytes
  EXPECT_EQ(DecimalToMinimalBytes(max38).size(), 16u);
  EXPECT_EQ(DecimalToMinimalBytes(-max38).size(), 16u);
  const Int128 min128 = -(Int128(1) << 126) * 2;
  EXPECT_EQ(DecimalToMinimalBytes(min128), B({0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
}

// ---------------------------------------------------------------------------
// Truncate (§Truncate Transform Details and notes §12)

TEST(Truncate, Integers) {
  struct Case {
    int64_t in, out;
  };
  for (const Case& c : std::initializer_list<Case>{
           {1, 0}, {-1, -10}, {9, 0}, {10, 10}, {-10, -10}, {-11, -20}, {0, 0}, {15, 10}}) {
    EXPECT_EQ(Apply(Transform::Truncate(10), Literal::Int(static_cast<int32_t>(c.in)), Type::Int()),
              Literal::Int(static_cast<int32_t>(c.out)))
        << c.in;
    EXPECT_EQ(Apply(Transform::Truncate(10), Literal::Long(c.in), Type::Long()),
              Literal::Long(c.out))
        << c.in;
  }
  EXPECT_EQ(Apply(Transform::Truncate(1), Literal::Int(-7), Type::Int()), Literal::Int(-7));
  const int32_t int_max = std::numeric_limits<int32_t>::max();
  const int32_t int_min = std::numeric_limits<int32_t>::min();
  EXPECT_EQ(Apply(Transform::Truncate(10), Literal::Int(int_max), Type::Int()),
            Literal::Int(2147483640));
  EXPECT_EQ(Apply(Transform::Truncate(int_max), Literal::Int(int_max), Type::Int()),
            Literal::Int(int_max));
  // INT_MIN: the floor (-2147483650) does not fit in an int. Java's int
  // arithmetic wraps to 2147483646 and writes that partition value, so we do
  // too (without undefined behaviour).
  EXPECT_EQ(Apply(Transform::Truncate(10), Literal::Int(int_min), Type::Int()),
            Literal::Int(2147483646));
  EXPECT_EQ(Apply(Transform::Truncate(2), Literal::Int(int_min), Type::Int()),
            Literal::Int(int_min));  // exact multiple: no wrap
  const int64_t long_min = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(Apply(Transform::Truncate(10), Literal::Long(long_min), Type::Long()),
            Literal::Long(9223372036854775806));
  EXPECT_EQ(Apply(Transform::Truncate(10), Literal::Long(std::numeric_limits<int64_t>::max()),
                  Type::Long()),
            Literal::Long(9223372036854775800));
}

TEST(Truncate, Decimals) {
  const TypePtr d = Type::Decimal(9, 2);
  struct Case {
    Int128 in, out;
  };
  for (const Case& c : std::initializer_list<Case>{
           {1065, 1050}, {-5, -50}, {-1065, -1100}, {0, 0}, {50, 50}, {49, 0}, {-50, -50}}) {
    EXPECT_EQ(Apply(Transform::Truncate(50), Literal::Decimal(c.in), d), Literal::Decimal(c.out))
        << static_cast<int64_t>(c.in);
  }
  // Same via text, as the spec writes them.
  EXPECT_EQ(LiteralToString(Apply(Transform::Truncate(50), FromString("10.65", d), d), *d),
            "10.50");
  EXPECT_EQ(LiteralToString(Apply(Transform::Truncate(50), FromString("-0.05", d), d), *d),
            "-0.50");
  EXPECT_EQ(LiteralToString(Apply(Transform::Truncate(50), FromString("-10.65", d), d), *d),
            "-11.00");
  // Precision 38 extremes stay in 128 bits; the low one gains a digit, as in Java.
  const TypePtr d38 = Type::Decimal(38, 0);
  const Int128 max38 = Pow10(38) - 1;
  EXPECT_EQ(Apply(Transform::Truncate(10), Literal::Decimal(max38), d38),
            Literal::Decimal(max38 - 9));
  EXPECT_EQ(Apply(Transform::Truncate(10), Literal::Decimal(-max38), d38),
            Literal::Decimal(-Pow10(38)));
  EXPECT_EQ(Apply(Transform::Truncate(std::numeric_limits<int32_t>::max()),
                  Literal::Decimal(-max38), d38),
            Literal::Decimal(-max38 - ((-max38 % 2147483647) + 2147483647) % 2147483647));
}

TEST(Truncate, StringsCountCodePoints) {
  const TypePtr s = Type::String();
  EXPECT_EQ(Apply(Transform::Truncate(3), Literal::String("iceberg"), s), Literal::String("ice"));
  EXPECT_EQ(Apply(Transform::Truncate(10), Literal::String("ice"), s), Literal::String("ice"));
  EXPECT_EQ(Apply(Transform::Truncate(3), Literal::String(""), s), Literal::String(""));
  // Three emoji (4 bytes each); two code points are 8 bytes, not 2 bytes or 2 UTF-16 pairs.
  const std::string emoji = "\xF0\x9F\x98\x80\xF0\x9F\x98\x81\xF0\x9F\x98\x82";
  const Literal two = Apply(Transform::Truncate(2), Literal::String(emoji), s);
  EXPECT_EQ(two, Literal::String(B({0xF0, 0x9F, 0x98, 0x80, 0xF0, 0x9F, 0x98, 0x81})));
  EXPECT_EQ(two.string_value().size(), 8u);
  // Mixed widths: a, é (2 bytes), € (3 bytes), 😀 (4 bytes).
  const std::string mixed = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z";
  EXPECT_EQ(Apply(Transform::Truncate(3), Literal::String(mixed), s),
            Literal::String("a\xC3\xA9\xE2\x82\xAC"));
  EXPECT_EQ(Apply(Transform::Truncate(4), Literal::String(mixed), s),
            Literal::String("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));
}

TEST(Truncate, BinaryCountsBytes) {
  const TypePtr b = Type::Binary();
  EXPECT_EQ(Apply(Transform::Truncate(3), Literal::Binary(B({1, 2, 3, 4, 5})), b),
            Literal::Binary(B({1, 2, 3})));
  EXPECT_EQ(Apply(Transform::Truncate(3), Literal::Binary(B({1, 2})), b),
            Literal::Binary(B({1, 2})));
  EXPECT_EQ(Apply(Transform::Truncate(2), Literal::Binary("\xF0\x9F\x98\x80"), b),
            Literal::Binary("\xF0\x9F"));
  EXPECT_EQ(Apply(Transform::Truncate(2), Literal::Binary(""), b), Literal::Binary(""));
}

// ---------------------------------------------------------------------------
// Time transforms

TEST(TimeTransforms, SpecValues) {
  for (const TypePtr& t : {Type::Timestamp(), Type::TimestampTz()}) {
    const Literal v = Literal::Long(kTs);
    EXPECT_EQ(Apply(Transform::Year(), v, t), Literal::Int(47)) << t->ToString();
    EXPECT_EQ(Apply(Transform::Month(), v, t), Literal::Int(574)) << t->ToString();
    EXPECT_EQ(Apply(Transform::Day(), v, t), Literal::Int(17486)) << t->ToString();
    EXPECT_EQ(Apply(Transform::Hour(), v, t), Literal::Int(419686)) << t->ToString();
  }
  for (const TypePtr& t : {Type::TimestampNs(), Type::TimestampTzNs()}) {
    const Literal v = Literal::Long(kTs * 1000 + 999);
    EXPECT_EQ(Apply(Transform::Year(), v, t), Literal::Int(47)) << t->ToString();
    EXPECT_EQ(Apply(Transform::Month(), v, t), Literal::Int(574)) << t->ToString();
    EXPECT_EQ(Apply(Transform::Day(), v, t), Literal::Int(17486)) << t->ToString();
    EXPECT_EQ(Apply(Transform::Hour(), v, t), Literal::Int(419686)) << t->ToString();
  }
  const Literal date = Literal::Int(kDay);
  EXPECT_EQ(Apply(Transform::Year(), date, Type::Date()), Literal::Int(47));
  EXPECT_EQ(Apply(Transform::Month(), date, Type::Date()), Literal::Int(574));
  EXPECT_EQ(Apply(Transform::Day(), date, Type::Date()), Literal::Int(17486));
}

TEST(TimeTransforms, FloorBeforeTheEpoch) {
  // 1969-12-31T23:59:59.999999 is year, month, day and hour -1, not 0.
  const Literal last_us = FromString("1969-12-31T23:59:59.999999", Type::Timestamp());
  ASSERT_EQ(last_us, Literal::Long(-1));
  const Literal last_ns = Literal::Long(-1);
  for (const Transform& t :
       {Transform::Year(), Transform::Month(), Transform::Day(), Transform::Hour()}) {
    EXPECT_EQ(Apply(t, last_us, Type::Timestamp()), Literal::Int(-1)) << t.ToString();
    EXPECT_EQ(Apply(t, last_us, Type::TimestampTz()), Literal::Int(-1)) << t.ToString();
    EXPECT_EQ(Apply(t, last_ns, Type::TimestampNs()), Literal::Int(-1)) << t.ToString();
    EXPECT_EQ(Apply(t, last_ns, Type::TimestampTzNs()), Literal::Int(-1)) << t.ToString();
  }
  // A unit boundary plus .999999 s still floors into that unit. (Java's
  // DateTimeUtil.convertMicros appears to give -2 here; the spec says floor.)
  const Literal edge = FromString("1969-12-31T23:00:00.999999", Type::Timestamp());
  EXPECT_EQ(Apply(Transform::Hour(), edge, Type::Timestamp()), Literal::Int(-1));
  const Literal new_year = FromString("1969-01-01T00:00:00.999999", Type::Timestamp());
  EXPECT_EQ(Apply(Transform::Year(), new_year, Type::Timestamp()), Literal::Int(-1));
  EXPECT_EQ(Apply(Transform::Month(), new_year, Type::Timestamp()), Literal::Int(-12));
  // Date 1969-12-31 (day -1).
  for (const Transform& t : {Transform::Year(), Transform::Month(), Transform::Day()}) {
    EXPECT_EQ(Apply(t, Literal::Int(-1), Type::Date()), Literal::Int(-1)) << t.ToString();
  }
  // The epoch itself is 0 everywhere.
  for (const Transform& t :
       {Transform::Year(), Transform::Month(), Transform::Day(), Transform::Hour()}) {
    EXPECT_EQ(Apply(t, Literal::Long(0), Type::TimestampNs()), Literal::Int(0)) << t.ToString();
  }
  // Further back: 1969-01-01 is month -12; 1900-03-01T05:00 is year -70, month -838.
  EXPECT_EQ(Apply(Transform::Month(), FromString("1969-01-01", Type::Date()), Type::Date()),
            Literal::Int(-12));
  const Literal t1900 = FromString("1900-03-01T05:00:00", Type::Timestamp());
  EXPECT_EQ(Apply(Transform::Year(), t1900, Type::Timestamp()), Literal::Int(-70));
  EXPECT_EQ(Apply(Transform::Month(), t1900, Type::Timestamp()), Literal::Int(-70 * 12 + 2));
  EXPECT_EQ(Apply(Transform::Day(), t1900, Type::Timestamp()), Literal::Int(-25508));
  EXPECT_EQ(Apply(Transform::Hour(), t1900, Type::Timestamp()), Literal::Int(-25508 * 24 + 5));
}

TEST(TimeTransforms, HourOutOfIntRangeIsAnError) {
  const auto r = Transform::Hour().Apply(Literal::Long(std::numeric_limits<int64_t>::max()),
                                         *Type::Timestamp());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalid());
  EXPECT_NE(r.status().message().find("does not fit the int result"), std::string::npos);
  // The same instant in nanoseconds is fine (ns timestamps end in 2262).
  EXPECT_TRUE(Transform::Hour()
                  .Apply(Literal::Long(std::numeric_limits<int64_t>::max()), *Type::TimestampNs())
                  .ok());
  EXPECT_TRUE(Transform::Year()
                  .Apply(Literal::Long(std::numeric_limits<int64_t>::min()), *Type::Timestamp())
                  .ok());
}

// ---------------------------------------------------------------------------
// Identity, void, nulls and errors

TEST(Transform, IdentityVoidAndNull) {
  EXPECT_EQ(Apply(Transform::Identity(), Literal::String("x"), Type::String()),
            Literal::String("x"));
  EXPECT_EQ(Apply(Transform::Identity(), Literal::Double(-0.0), Type::Double()),
            Literal::Double(-0.0));
  EXPECT_EQ(Apply(Transform::Void(), Literal::Int(5), Type::Int()), Literal::Null());
  EXPECT_EQ(Apply(Transform::Void(), Literal::Null(), Type::Struct({})), Literal::Null());
  // Null in, null out (§Partition Transforms).
  for (const Transform& t : {Transform::Identity(), Transform::Bucket(4), Transform::Year(),
                             Transform::Month(), Transform::Day(), Transform::Hour()}) {
    EXPECT_EQ(Apply(t, Literal::Null(), Type::Timestamp()), Literal::Null()) << t.ToString();
  }
  EXPECT_EQ(Apply(Transform::Truncate(2), Literal::Null(), Type::String()), Literal::Null());
}

TEST(Transform, ApplyErrors) {
  auto bad_type = Transform::Bucket(16).Apply(Literal::Double(1.0), *Type::Double());
  ASSERT_FALSE(bad_type.ok());
  EXPECT_TRUE(bad_type.status().IsInvalid());
  EXPECT_NE(bad_type.status().message().find("bucket[16] cannot be applied to a double"),
            std::string::npos)
      << bad_type.status().message();
  auto mismatch = Transform::Day().Apply(Literal::Int(3), *Type::Timestamp());
  ASSERT_FALSE(mismatch.ok());
  EXPECT_TRUE(mismatch.status().IsInvalid());
  EXPECT_NE(mismatch.status().message().find("is not a valid timestamp"), std::string::npos)
      << mismatch.status().message();
  auto too_wide = Transform::Identity().Apply(Literal::Decimal(100000), *Type::Decimal(5, 2));
  ASSERT_FALSE(too_wide.ok());
  EXPECT_TRUE(too_wide.status().IsInvalid());
}

// ---------------------------------------------------------------------------
// Human strings (Java's toHumanString, partition paths)

TEST(HumanString, TimeTransforms) {
  const TypePtr i = Type::Int();
  EXPECT_EQ(Transform::Year().ToHumanString(Literal::Int(47), *i), "2017");
  EXPECT_EQ(Transform::Month().ToHumanString(Literal::Int(574), *i), "2017-11");
  EXPECT_EQ(Transform::Day().ToHumanString(Literal::Int(17486), *Type::Date()), "2017-11-16");
  EXPECT_EQ(Transform::Day().ToHumanString(Literal::Int(17486), *i), "2017-11-16");
  EXPECT_EQ(Transform::Hour().ToHumanString(Literal::Int(419686), *i), "2017-11-16-22");
  EXPECT_EQ(Transform::Year().ToHumanString(Literal::Int(-1), *i), "1969");
  EXPECT_EQ(Transform::Month().ToHumanString(Literal::Int(-1), *i), "1969-12");
  EXPECT_EQ(Transform::Month().ToHumanString(Literal::Int(-12), *i), "1969-01");
  EXPECT_EQ(Transform::Month().ToHumanString(Literal::Int(-13), *i), "1968-12");
  EXPECT_EQ(Transform::Day().ToHumanString(Literal::Int(-1), *Type::Date()), "1969-12-31");
  EXPECT_EQ(Transform::Hour().ToHumanString(Literal::Int(-1), *i), "1969-12-31-23");
  EXPECT_EQ(Transform::Year().ToHumanString(Literal::Int(-1971), *i), "-001");  // %04d
  EXPECT_EQ(Transform::Year().ToHumanString(Literal::Null(), *i), "null");
  // Applied then printed, for each timestamp type.
  for (const TypePtr& t : {Type::Timestamp(), Type::TimestampTz()}) {
    const Literal v = Literal::Long(kTs);
    for (const auto& [transform, text] :
         std::initializer_list<std::pair<Transform, const char*>>{
             {Transform::Year(), "2017"},
             {Transform::Month(), "2017-11"},
             {Transform::Day(), "2017-11-16"},
             {Transform::Hour(), "2017-11-16-22"}}) {
      auto result_type = transform.ResultType(t);
      ASSERT_TRUE(result_type.ok());
      EXPECT_EQ(transform.ToHumanString(Apply(transform, v, t), **result_type), text);
    }
  }
}

TEST(HumanString, IdentityAndTruncateValues) {
  const Transform id = Transform::Identity();
  EXPECT_EQ(id.ToHumanString(Literal::Int(kDay), *Type::Date()), "2017-11-16");
  // java.time ISO_LOCAL_DATE_TIME: seconds always, fraction without trailing zeros.
  EXPECT_EQ(id.ToHumanString(Literal::Long(kTs), *Type::Timestamp()), "2017-11-16T22:31:08");
  EXPECT_EQ(id.ToHumanString(Literal::Long(kTs), *Type::TimestampTz()),
            "2017-11-16T22:31:08+00:00");
  EXPECT_EQ(id.ToHumanString(Literal::Long(kTs + 1), *Type::Timestamp()),
            "2017-11-16T22:31:08.000001");
  EXPECT_EQ(id.ToHumanString(Literal::Long(kTs + 100000), *Type::TimestampTz()),
            "2017-11-16T22:31:08.1+00:00");
  EXPECT_EQ(id.ToHumanString(Literal::Long(kTs - 8000000), *Type::Timestamp()),
            "2017-11-16T22:31:00");
  EXPECT_EQ(id.ToHumanString(Literal::Long(kTs * 1000 + 1001), *Type::TimestampNs()),
            "2017-11-16T22:31:08.000001001");
  EXPECT_EQ(id.ToHumanString(Literal::Long(kTs * 1000), *Type::TimestampTzNs()),
            "2017-11-16T22:31:08+00:00");
  EXPECT_EQ(id.ToHumanString(Literal::Long(-1), *Type::Timestamp()),
            "1969-12-31T23:59:59.999999");
  // LocalTime.toString(): minutes only when seconds are zero, fraction in groups of 3.
  EXPECT_EQ(id.ToHumanString(Literal::Long(81068000000), *Type::Time()), "22:31:08");
  EXPECT_EQ(id.ToHumanString(Literal::Long(81060000000), *Type::Time()), "22:31");
  EXPECT_EQ(id.ToHumanString(Literal::Long(81068100000), *Type::Time()), "22:31:08.100");
  EXPECT_EQ(id.ToHumanString(Literal::Long(81068000001), *Type::Time()), "22:31:08.000001");
  // Bytes as base64 (java.util.Base64), as Java writes partition paths.
  EXPECT_EQ(id.ToHumanString(Literal::Binary(B({0, 1, 2, 3})), *Type::Binary()), "AAECAw==");
  EXPECT_EQ(id.ToHumanString(Literal::Binary(B({0, 1, 2})), *Type::Fixed(3)), "AAEC");
  EXPECT_EQ(id.ToHumanString(Literal::Binary(B({0xff, 0xfe})), *Type::Binary()), "//4=");
  EXPECT_EQ(id.ToHumanString(Literal::Binary(""), *Type::Binary()), "");
  EXPECT_EQ(id.ToHumanString(Literal::Boolean(true), *Type::Boolean()), "true");
  EXPECT_EQ(id.ToHumanString(Literal::Boolean(false), *Type::Boolean()), "false");
  EXPECT_EQ(id.ToHumanString(Literal::Int(-34), *Type::Int()), "-34");
  EXPECT_EQ(id.ToHumanString(Literal::Long(34), *Type::Long()), "34");
  EXPECT_EQ(id.ToHumanString(Literal::String("a/b c"), *Type::String()), "a/b c");
  EXPECT_EQ(id.ToHumanString(Literal::Binary(kUuidBytes), *Type::Uuid()),
            "f79c3e09-677c-4bbd-a479-3f349cb785e7");
  EXPECT_EQ(id.ToHumanString(Literal::Null(), *Type::String()), "null");
  // BigDecimal.toString().
  EXPECT_EQ(id.ToHumanString(Literal::Decimal(1420), *Type::Decimal(4, 2)), "14.20");
  EXPECT_EQ(id.ToHumanString(Literal::Decimal(-5), *Type::Decimal(9, 2)), "-0.05");
  EXPECT_EQ(id.ToHumanString(Literal::Decimal(1), *Type::Decimal(9, 6)), "0.000001");
  EXPECT_EQ(id.ToHumanString(Literal::Decimal(1), *Type::Decimal(9, 7)), "1E-7");
  EXPECT_EQ(id.ToHumanString(Literal::Decimal(-123), *Type::Decimal(9, 10)), "-1.23E-8");
  EXPECT_EQ(id.ToHumanString(Literal::Decimal(0), *Type::Decimal(9, 7)), "0E-7");
  // Float.toString / Double.toString.
  EXPECT_EQ(id.ToHumanString(Literal::Float(1.0f), *Type::Float()), "1.0");
  EXPECT_EQ(id.ToHumanString(Literal::Float(0.1f), *Type::Float()), "0.1");
  EXPECT_EQ(id.ToHumanString(Literal::Double(-0.0), *Type::Double()), "-0.0");
  EXPECT_EQ(id.ToHumanString(Literal::Double(1e10), *Type::Double()), "1.0E10");
  EXPECT_EQ(id.ToHumanString(Literal::Double(1234567.5), *Type::Double()), "1234567.5");
  EXPECT_EQ(id.ToHumanString(Literal::Double(12345678.5), *Type::Double()), "1.23456785E7");
  EXPECT_EQ(id.ToHumanString(Literal::Double(0.001), *Type::Double()), "0.001");
  EXPECT_EQ(id.ToHumanString(Literal::Double(0.0001), *Type::Double()), "1.0E-4");
  EXPECT_EQ(id.ToHumanString(Literal::Double(100.0), *Type::Double()), "100.0");
  EXPECT_EQ(id.ToHumanString(Literal::Double(std::nan("")), *Type::Double()), "NaN");
  EXPECT_EQ(id.ToHumanString(Literal::Float(-std::numeric_limits<float>::infinity()),
                             *Type::Float()),
            "-Infinity");
  // Truncate prints like identity; bucket prints the number; void is always null.
  EXPECT_EQ(Transform::Truncate(3).ToHumanString(Literal::String("ice"), *Type::String()), "ice");
  EXPECT_EQ(Transform::Truncate(50).ToHumanString(Literal::Decimal(1050), *Type::Decimal(9, 2)),
            "10.50");
  EXPECT_EQ(Transform::Bucket(16).ToHumanString(Literal::Int(3), *Type::Int()), "3");
  EXPECT_EQ(Transform::Void().ToHumanString(Literal::Null(), *Type::Int()), "null");
}

}  // namespace
}  // namespace floe::spec
