#include "floe/data/transform_arrow.h"

#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <arrow/compute/initialize.h>
#include <arrow/extension/uuid.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "floe/data/arrow_schema.h"
#include "floe/data/partition_key.h"

namespace floe::data {
namespace {

using spec::Int128;
using spec::Literal;
using spec::NestedField;
using spec::PartitionField;
using spec::PartitionSpec;
using spec::Transform;
using spec::TransformKind;
using spec::Type;
using spec::TypeId;
using spec::TypePtr;

constexpr int64_t kTs = 1510871468000000;  // 2017-11-16T22:31:08 in µs
constexpr int32_t kDay = 17486;            // 2017-11-16
constexpr int32_t kIntMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kIntMax = std::numeric_limits<int32_t>::max();
constexpr int64_t kLongMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kLongMax = std::numeric_limits<int64_t>::max();

template <typename T>
using Values = std::vector<std::optional<T>>;

// Arrow's compute kernels (casts, Take) are registered once per process.
class ComputeEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { ASSERT_TRUE(arrow::compute::Initialize().ok()); }
};
const auto* const kComputeEnv = ::testing::AddGlobalTestEnvironment(new ComputeEnvironment);

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

const std::string kUuid = Bytes({0xF7, 0x9C, 0x3E, 0x09, 0x67, 0x7C, 0x4B, 0xBD, 0xA4, 0x79, 0x3F,
                                 0x34, 0x9C, 0xB7, 0x85, 0xE7});

Int128 Pow10(int n) {
  Int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

// What a null slot holds: something the transforms would choke on if they
// looked at it (an hour beyond the int range, a decimal beyond precision).
template <typename T>
T Poison() {
  if constexpr (std::is_same_v<T, Int128>) {
    return Int128{1} << 126;
  } else if constexpr (std::is_floating_point_v<T>) {
    return std::numeric_limits<T>::quiet_NaN();
  } else {
    return std::numeric_limits<T>::max();
  }
}

// A fixed-width array of `type` whose storage is T (int32 for int, date32,
// decimal32; int64 for long, time, timestamps, decimal64; Int128 for
// decimal128; float; double).
template <typename T>
std::shared_ptr<arrow::Array> FixedArray(const std::shared_ptr<arrow::DataType>& type,
                                         const Values<T>& values) {
  const auto n = static_cast<int64_t>(values.size());
  std::vector<T> raw(values.size());
  auto bitmap = *arrow::AllocateEmptyBitmap(n);
  int64_t nulls = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i]) {
      raw[i] = *values[i];
      arrow::bit_util::SetBit(bitmap->mutable_data(), static_cast<int64_t>(i));
    } else {
      raw[i] = Poison<T>();
      ++nulls;
    }
  }
  return arrow::MakeArray(arrow::ArrayData::Make(
      type, n, {nulls > 0 ? std::shared_ptr<arrow::Buffer>(std::move(bitmap)) : nullptr,
                arrow::Buffer::FromVector(std::move(raw))},
      nulls));
}

template <typename Builder>
std::shared_ptr<arrow::Array> BuildBytes(Builder* b, const Values<std::string>& values) {
  for (const auto& v : values) {
    EXPECT_TRUE((v ? b->Append(*v) : b->AppendNull()).ok());
  }
  return *b->Finish();
}

// A string, binary or fixed_size_binary array of any Arrow flavour.
std::shared_ptr<arrow::Array> BytesArray(const std::shared_ptr<arrow::DataType>& type,
                                         const Values<std::string>& values) {
  std::unique_ptr<arrow::ArrayBuilder> builder = *arrow::MakeBuilder(type);
  switch (type->id()) {
    case arrow::Type::STRING:
      return BuildBytes(static_cast<arrow::StringBuilder*>(builder.get()), values);
    case arrow::Type::LARGE_STRING:
      return BuildBytes(static_cast<arrow::LargeStringBuilder*>(builder.get()), values);
    case arrow::Type::STRING_VIEW:
      return BuildBytes(static_cast<arrow::StringViewBuilder*>(builder.get()), values);
    case arrow::Type::BINARY:
      return BuildBytes(static_cast<arrow::BinaryBuilder*>(builder.get()), values);
    case arrow::Type::LARGE_BINARY:
      return BuildBytes(static_cast<arrow::LargeBinaryBuilder*>(builder.get()), values);
    case arrow::Type::BINARY_VIEW:
      return BuildBytes(static_cast<arrow::BinaryViewBuilder*>(builder.get()), values);
    case arrow::Type::FIXED_SIZE_BINARY:
      return BuildBytes(static_cast<arrow::FixedSizeBinaryBuilder*>(builder.get()), values);
    default:
      ADD_FAILURE() << "no bytes builder for " << type->ToString();
      return nullptr;
  }
}

std::shared_ptr<arrow::Array> UuidArray(const Values<std::string>& values) {
  return arrow::ExtensionType::WrapArray(arrow::extension::uuid(),
                                         BytesArray(arrow::fixed_size_binary(16), values));
}

std::shared_ptr<arrow::Array> BoolArray(const Values<bool>& values) {
  arrow::BooleanBuilder b;
  for (const auto& v : values) EXPECT_TRUE((v ? b.Append(*v) : b.AppendNull()).ok());
  return *b.Finish();
}

// A dictionary array with `indices` into `dictionary` (both may hold nulls).
std::shared_ptr<arrow::Array> DictArray(const std::shared_ptr<arrow::DataType>& index_type,
                                        const std::shared_ptr<arrow::Array>& dictionary,
                                        const Values<int32_t>& indices) {
  // Null slots hold a poison index (INT32_MAX), wrapped by the unsafe cast.
  auto idx = FixedArray<int32_t>(arrow::int32(), indices);
  if (index_type->id() != arrow::Type::INT32) {
    idx = arrow::compute::Cast(arrow::Datum(idx), arrow::compute::CastOptions::Unsafe(index_type))
              ->make_array();
  }
  return *arrow::DictionaryArray::FromArrays(arrow::dictionary(index_type, dictionary->type()),
                                             idx, dictionary);
}

// ---------------------------------------------------------------------------
// An Arrow element as a Literal, through arrow::Scalar: independent of the
// code under test, and slow, which is fine here.

Literal ScalarToLiteral(const arrow::Scalar& s, const Type& type) {
  if (!s.is_valid) return Literal::Null();
  switch (s.type->id()) {
    case arrow::Type::BOOL:
      return Literal::Boolean(static_cast<const arrow::BooleanScalar&>(s).value);
    case arrow::Type::INT32:
      return Literal::Int(static_cast<const arrow::Int32Scalar&>(s).value);
    case arrow::Type::DATE32:
      return Literal::Int(static_cast<const arrow::Date32Scalar&>(s).value);
    case arrow::Type::INT64:
      return Literal::Long(static_cast<const arrow::Int64Scalar&>(s).value);
    case arrow::Type::TIME64:
      return Literal::Long(static_cast<const arrow::Time64Scalar&>(s).value);
    case arrow::Type::TIMESTAMP:
      return Literal::Long(static_cast<const arrow::TimestampScalar&>(s).value);
    case arrow::Type::FLOAT:
      return Literal::Float(static_cast<const arrow::FloatScalar&>(s).value);
    case arrow::Type::DOUBLE:
      return Literal::Double(static_cast<const arrow::DoubleScalar&>(s).value);
    case arrow::Type::DECIMAL32:
      return Literal::Decimal(static_cast<const arrow::Decimal32Scalar&>(s).value.value());
    case arrow::Type::DECIMAL64:
      return Literal::Decimal(static_cast<const arrow::Decimal64Scalar&>(s).value.value());
    case arrow::Type::DECIMAL128: {
      const auto& d = static_cast<const arrow::Decimal128Scalar&>(s).value;
      const auto u = (static_cast<unsigned __int128>(static_cast<uint64_t>(d.high_bits())) << 64) |
                     d.low_bits();
      return Literal::Decimal(static_cast<Int128>(u));
    }
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING:
    case arrow::Type::STRING_VIEW:
    case arrow::Type::BINARY:
    case arrow::Type::LARGE_BINARY:
    case arrow::Type::BINARY_VIEW:
    case arrow::Type::FIXED_SIZE_BINARY: {
      std::string bytes = static_cast<const arrow::BaseBinaryScalar&>(s).value->ToString();
      return type.id() == TypeId::kString ? Literal::String(std::move(bytes))
                                          : Literal::Binary(std::move(bytes));
    }
    case arrow::Type::EXTENSION:
      return ScalarToLiteral(*static_cast<const arrow::ExtensionScalar&>(s).value, type);
    case arrow::Type::DICTIONARY:
      return ScalarToLiteral(
          *static_cast<const arrow::DictionaryScalar&>(s).GetEncodedValue().ValueOrDie(), type);
    case arrow::Type::NA:
      return Literal::Null();
    default:
      ADD_FAILURE() << "no Literal for Arrow type " << s.type->ToString();
      return Literal::Null();
  }
}

Literal ElementLiteral(const arrow::Array& a, int64_t i, const Type& type) {
  return ScalarToLiteral(*a.GetScalar(i).ValueOrDie(), type);
}

std::string Show(const Literal& v, const Type& type) { return spec::LiteralToString(v, type); }

// ---------------------------------------------------------------------------
// The central check: ApplyTransform equals Transform::Apply element by element

std::vector<Transform> AllTransforms() {
  return {Transform::Identity(),  Transform::Bucket(1),     Transform::Bucket(16),
          Transform::Bucket(100), Transform::Bucket(kIntMax), Transform::Truncate(1),
          Transform::Truncate(3), Transform::Truncate(10),  Transform::Truncate(50),
          Transform::Truncate(kIntMax), Transform::Year(),  Transform::Month(),
          Transform::Day(),       Transform::Hour(),        Transform::Void()};
}

// Checks `t` on `values` against the scalar transform: same values, nulls,
// length and error (when any element's scalar transform fails).
void CheckOne(const Transform& t, const TypePtr& source, const arrow::Array& values,
              const std::string& label, bool utf8_inputs = true) {
  SCOPED_TRACE(label + " " + t.ToString() + " on " + source->ToString() + " (" +
               values.type()->ToString() + ", offset " + std::to_string(values.offset()) + ")");
  std::vector<Literal> expected;
  std::optional<Status> error;
  for (int64_t i = 0; i < values.length(); ++i) {
    auto r = t.Apply(ElementLiteral(values, i, *source), *source);
    if (!r.ok()) {
      if (!error) error = r.status();
      expected.push_back(Literal::Null());
    } else {
      expected.push_back(*r);
    }
  }
  auto out = ApplyTransform(t, *source, values);
  if (error) {
    ASSERT_FALSE(out.ok()) << "scalar failed with " << error->ToString();
    EXPECT_EQ(out.status().code(), error->code()) << out.status().ToString();
    return;
  }
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const arrow::Array& result = **out;
  // Full validation also checks UTF-8 and decimal precision. Truncating a
  // decimal may leave its precision at the extremes, exactly as the scalar
  // transform does (see transform_arrow.h).
  const bool full = utf8_inputs && !(t.kind() == TransformKind::kTruncate &&
                                     source->id() == TypeId::kDecimal);
  const arrow::Status valid = full ? result.ValidateFull() : result.Validate();
  ASSERT_TRUE(valid.ok()) << valid.ToString();
  ASSERT_EQ(result.length(), values.length());
  auto arrow_type = TransformOutputType(t, *source, *values.type());
  ASSERT_TRUE(arrow_type.ok());
  EXPECT_TRUE(result.type()->Equals(**arrow_type)) << result.type()->ToString();
  switch (t.kind()) {
    case TransformKind::kBucket:
    case TransformKind::kYear:
    case TransformKind::kMonth:
    case TransformKind::kHour:
      EXPECT_EQ(result.type_id(), arrow::Type::INT32);
      break;
    case TransformKind::kDay:
      EXPECT_EQ(result.type_id(), arrow::Type::DATE32);
      break;
    default:
      EXPECT_TRUE(result.type()->Equals(*values.type())) << result.type()->ToString();
      break;
  }
  const TypePtr result_type = *t.ResultType(source);
  for (int64_t i = 0; i < values.length(); ++i) {
    const Literal actual = ElementLiteral(result, i, *result_type);
    EXPECT_EQ(actual, expected[static_cast<size_t>(i)])
        << "row " << i << ": input " << Show(ElementLiteral(values, i, *source), *source)
        << ", got " << Show(actual, *result_type) << ", scalar gives "
        << Show(expected[static_cast<size_t>(i)], *result_type);
  }
}

// Every transform on `values`, whole and sliced (so offsets are exercised);
// transforms the source does not allow must be refused with Invalid.
void CheckAllTransforms(const TypePtr& source, const std::shared_ptr<arrow::Array>& values,
                        const std::string& label = "", bool utf8_inputs = true) {
  ASSERT_NE(values, nullptr);
  const arrow::Status valid = utf8_inputs ? values->ValidateFull() : values->Validate();
  ASSERT_TRUE(valid.ok()) << valid.ToString();
  for (const Transform& t : AllTransforms()) {
    if (!t.CanTransform(*source)) {
      auto out = ApplyTransform(t, *source, *values);
      ASSERT_FALSE(out.ok()) << t.ToString() << " on " << source->ToString();
      EXPECT_TRUE(out.status().IsInvalid()) << out.status().ToString();
      EXPECT_NE(out.status().message().find(t.ToString()), std::string::npos)
          << out.status().ToString();
      EXPECT_NE(out.status().message().find(source->ToString()), std::string::npos)
          << out.status().ToString();
      continue;
    }
    CheckOne(t, source, *values, label, utf8_inputs);
    if (values->length() > 2) {
      CheckOne(t, source, *values->Slice(1, values->length() - 2), label, utf8_inputs);
    }
  }
}

// ---------------------------------------------------------------------------
// Every source type

TEST(TransformArrow, IntMatchesScalar) {
  CheckAllTransforms(Type::Int(),
                     FixedArray<int32_t>(arrow::int32(), {0, 1, -1, 34, std::nullopt, kIntMin,
                                                          kIntMax, 9, 10, -10, -11, 49, -51,
                                                          kIntMin + 5, kIntMax - 5, std::nullopt}));
}

TEST(TransformArrow, LongMatchesScalar) {
  CheckAllTransforms(
      Type::Long(),
      FixedArray<int64_t>(arrow::int64(),
                          {0, 1, -1, 34, std::nullopt, kLongMin, kLongMax, int64_t{kIntMin} - 1,
                           int64_t{kIntMax} + 1, -10, -11, kLongMin + 7, kLongMax - 7,
                           std::nullopt}));
}

TEST(TransformArrow, DecimalMatchesScalar) {
  const Int128 max38 = Pow10(38) - 1;
  CheckAllTransforms(Type::Decimal(38, 10),
                     FixedArray<Int128>(arrow::decimal128(38, 10),
                                        {Int128{0}, Int128{1}, Int128{-1}, Int128{1420},
                                         Int128{-1420}, std::nullopt, max38, -max38,
                                         Pow10(20) + 7, -Pow10(20) - 7, Int128{-5},
                                         Int128{1065}, Int128{-1065}, std::nullopt}));
  // decimal(9,2) read from each Arrow decimal width.
  const Values<int32_t> small = {0, 1420, -1420, -5, 1065, -1065, std::nullopt, 999999999,
                                 -999999999, 127, 128, -128, -129};
  CheckAllTransforms(Type::Decimal(9, 2), FixedArray<int32_t>(arrow::decimal32(9, 2), small));
  Values<int64_t> small64;
  Values<Int128> small128;
  for (const auto& v : small) {
    small64.push_back(v ? std::optional<int64_t>(*v) : std::nullopt);
    small128.push_back(v ? std::optional<Int128>(*v) : std::nullopt);
  }
  CheckAllTransforms(Type::Decimal(9, 2), FixedArray<int64_t>(arrow::decimal64(18, 2), small64));
  CheckAllTransforms(Type::Decimal(9, 2), FixedArray<Int128>(arrow::decimal128(9, 2), small128));
  // A wider Arrow type may hold values the column cannot: refused like the
  // scalar transform refuses them (CheckOne expects the error).
  small128.push_back(Int128{1000000000});
  CheckAllTransforms(Type::Decimal(9, 2), FixedArray<Int128>(arrow::decimal128(38, 2), small128));
  // Another scale is another meaning of the unscaled value.
  auto wrong_scale = ApplyTransform(Transform::Bucket(16), *Type::Decimal(9, 2),
                                    *FixedArray<Int128>(arrow::decimal128(9, 3), small128));
  ASSERT_FALSE(wrong_scale.ok());
  EXPECT_NE(wrong_scale.status().message().find("decimal128(9, 3)"), std::string::npos)
      << wrong_scale.status().ToString();
}

TEST(TransformArrow, DateMatchesScalar) {
  CheckAllTransforms(Type::Date(),
                     FixedArray<int32_t>(arrow::date32(),
                                         {0, -1, kDay, std::nullopt, -365, -366, 11016, 10957,
                                          -719528, -719529, 2932896, kIntMin, kIntMax, 59, 58,
                                          std::nullopt}));
}

TEST(TransformArrow, TimeMatchesScalar) {
  CheckAllTransforms(Type::Time(),
                     FixedArray<int64_t>(arrow::time64(arrow::TimeUnit::MICRO),
                                         {0, 81068000000, 86399999999, std::nullopt, 1, 34}));
}

// Edge values of µs timestamps: around 1970, day/month/year boundaries,
// leap days, the far past.
Values<int64_t> MicroTimestamps() {
  return {kTs,
          kTs + 1,
          0,
          -1,
          1,
          std::nullopt,
          -86400000000,
          -86400000001,
          -3600000000,
          -3600000001,
          951782400000000,    // 2000-02-29
          951868799999999,    // 2000-02-29T23:59:59.999999
          -62135596800000000,  // 0001-01-01
          -62135596800000001,
          -210866803200000000,  // -4713-11-24, Julian day 0
          253402300799999999,   // 9999-12-31T23:59:59.999999
          std::nullopt};
}

TEST(TransformArrow, TimestampsMatchScalar) {
  CheckAllTransforms(Type::Timestamp(),
                     FixedArray<int64_t>(arrow::timestamp(arrow::TimeUnit::MICRO),
                                         MicroTimestamps()));
  CheckAllTransforms(Type::TimestampTz(),
                     FixedArray<int64_t>(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"),
                                         MicroTimestamps()));
  // Any zone names the same UTC instants.
  CheckAllTransforms(Type::TimestampTz(),
                     FixedArray<int64_t>(arrow::timestamp(arrow::TimeUnit::MICRO, "+05:30"),
                                         MicroTimestamps()));
  Values<int64_t> nanos;
  for (const auto& v : MicroTimestamps()) {
    // ns reach only 1677-09-21 to 2262-04-11; keep the µs edges in that range.
    if (v && (*v < kLongMin / 1000 + 1 || *v > kLongMax / 1000 - 1)) continue;
    nanos.push_back(v ? std::optional<int64_t>(*v * 1000 + (*v % 3) * 499) : std::nullopt);
  }
  for (int64_t extra : {-1, -999, -1000, -1001, 1, 999, 1000, 1001}) nanos.push_back(extra);
  nanos.push_back(kTs * 1000 + 1001);
  CheckAllTransforms(Type::TimestampNs(),
                     FixedArray<int64_t>(arrow::timestamp(arrow::TimeUnit::NANO), nanos));
  CheckAllTransforms(Type::TimestampTzNs(),
                     FixedArray<int64_t>(arrow::timestamp(arrow::TimeUnit::NANO, "UTC"), nanos));
  // The extremes of the long range: ns always fit; the hour of a µs
  // timestamp this far out does not fit an int, and both forms refuse it.
  const Values<int64_t> extremes = {kLongMin, kLongMax, kLongMin + 1, -1, std::nullopt};
  CheckAllTransforms(Type::TimestampNs(),
                     FixedArray<int64_t>(arrow::timestamp(arrow::TimeUnit::NANO), extremes));
  CheckAllTransforms(Type::Timestamp(),
                     FixedArray<int64_t>(arrow::timestamp(arrow::TimeUnit::MICRO), extremes));
  auto hour = ApplyTransform(Transform::Hour(), *Type::Timestamp(),
                             *FixedArray<int64_t>(arrow::timestamp(arrow::TimeUnit::MICRO),
                                                  {0, kLongMax}));
  ASSERT_FALSE(hour.ok());
  EXPECT_NE(hour.status().message().find("row 1"), std::string::npos) << hour.status().ToString();
}

TEST(TransformArrow, TimestampUnitAndZoneMustMatch) {
  struct Case {
    TypePtr source;
    std::shared_ptr<arrow::DataType> arrow_type;
  };
  for (const Case& c : {Case{Type::Timestamp(), arrow::timestamp(arrow::TimeUnit::NANO)},
                        Case{Type::Timestamp(), arrow::timestamp(arrow::TimeUnit::MILLI)},
                        Case{Type::Timestamp(), arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")},
                        Case{Type::TimestampTz(), arrow::timestamp(arrow::TimeUnit::MICRO)},
                        Case{Type::TimestampNs(), arrow::timestamp(arrow::TimeUnit::MICRO)},
                        Case{Type::Time(), arrow::time64(arrow::TimeUnit::NANO)},
                        Case{Type::Date(), arrow::date64()},
                        Case{Type::Date(), arrow::int32()},
                        Case{Type::Long(), arrow::int32()},
                        Case{Type::Int(), arrow::int64()}}) {
    auto type = TransformOutputType(Transform::Identity(), *c.source, *c.arrow_type);
    ASSERT_FALSE(type.ok()) << c.source->ToString() << " " << c.arrow_type->ToString();
    EXPECT_TRUE(type.status().IsInvalid());
    EXPECT_NE(type.status().message().find(c.arrow_type->ToString()), std::string::npos)
        << type.status().ToString();
  }
}

const Values<std::string> kStrings = {
    "",
    "a",
    "iceberg",
    std::nullopt,
    "34",
    "\xE2\x82\xAC",                                      // €
    "\xF0\x9F\x98\x80\xF0\x9F\x98\x81\xF0\x9F\x98\x82",  // 😀😁😂
    "h\xC3\xA9llo w\xC3\xB6rld, this is longer than twelve",
    "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE6\x96\x87",  // 日本語の文
    "abcdefghijklmnop",
    "ab\xF0\x9F\x98\x80xyz0123456789",
    std::nullopt};

TEST(TransformArrow, StringMatchesScalar) {
  for (const auto& type : {arrow::utf8(), arrow::large_utf8(), arrow::utf8_view()}) {
    CheckAllTransforms(Type::String(), BytesArray(type, kStrings), type->ToString());
  }
  // Arrow does not check UTF-8 unless asked; broken sequences are cut where
  // the scalar transform cuts them (at lead bytes, counting stray bytes).
  for (const auto& type : {arrow::utf8(), arrow::large_utf8(), arrow::utf8_view()}) {
    CheckAllTransforms(Type::String(),
                       BytesArray(type, {"\xFF\xFE broken", "a\x80\x80" "b", "\xE2\x82",
                                         "\xF0\x9F\x98\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80"}),
                       type->ToString() + " invalid UTF-8", /*utf8_inputs=*/false);
  }
  // Strings are not binary, and the reverse.
  auto out = ApplyTransform(Transform::Bucket(16), *Type::String(),
                            *BytesArray(arrow::binary(), {"x"}));
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(out.status().IsInvalid());
}

TEST(TransformArrow, DictionaryStringsMatchScalar) {
  // Duplicate and null dictionary entries, null indices.
  auto dictionary = BytesArray(arrow::utf8(), {"iceberg", "ice", std::nullopt,
                                               "\xF0\x9F\x98\x80\xF0\x9F\x98\x81\xF0\x9F\x98\x82",
                                               "iceberg", "", "icecream"});
  const Values<int32_t> indices = {0, 1, 2, 3, 4, 5, std::nullopt, 0, 4, 6, 6, 1};
  for (const auto& index_type : {arrow::int8(), arrow::int32(), arrow::uint16(), arrow::int64()}) {
    CheckAllTransforms(Type::String(), DictArray(index_type, dictionary, indices),
                       index_type->ToString());
  }
  CheckAllTransforms(Type::String(),
                     DictArray(arrow::int16(), BytesArray(arrow::utf8_view(), kStrings),
                               {0, 1, 2, 3, 11, 10, 9, std::nullopt, 6, 5, 4}),
                     "view dictionary");
  // Truncate keeps the dictionary encoding.
  auto truncated = ApplyTransform(Transform::Truncate(3), *Type::String(),
                                  *DictArray(arrow::int8(), dictionary, indices));
  ASSERT_TRUE(truncated.ok());
  EXPECT_EQ((*truncated)->type_id(), arrow::Type::DICTIONARY);
}

TEST(TransformArrow, BinaryMatchesScalar) {
  const Values<std::string> values = {Bytes({0, 1, 2, 3}), "", std::nullopt, Bytes({0xFF}),
                                      std::string(40, '\x7F'), "iceberg",
                                      Bytes({0xF0, 0x9F, 0x98, 0x80, 0x80, 0x80})};
  for (const auto& type : {arrow::binary(), arrow::large_binary(), arrow::binary_view()}) {
    CheckAllTransforms(Type::Binary(), BytesArray(type, values), type->ToString());
  }
}

TEST(TransformArrow, UuidAndFixedMatchScalar) {
  const Values<std::string> uuids = {kUuid, std::string(16, '\0'), std::nullopt,
                                     std::string(16, '\xFF'), kUuid.substr(8) + kUuid.substr(0, 8)};
  CheckAllTransforms(Type::Uuid(), UuidArray(uuids), "arrow.uuid");
  CheckAllTransforms(Type::Uuid(), BytesArray(arrow::fixed_size_binary(16), uuids), "fsb16");
  CheckAllTransforms(Type::Fixed(4),
                     BytesArray(arrow::fixed_size_binary(4), {Bytes({0, 1, 2, 3}), std::nullopt,
                                                              "abcd", Bytes({0xFF, 0, 0, 1})}));
  auto wrong_width = ApplyTransform(Transform::Bucket(4), *Type::Fixed(3),
                                    *BytesArray(arrow::fixed_size_binary(4), {"abcd"}));
  EXPECT_FALSE(wrong_width.ok());
}

TEST(TransformArrow, BooleanFloatAndUnknownAllowIdentityAndVoid) {
  CheckAllTransforms(Type::Boolean(), BoolArray({true, false, std::nullopt, true}));
  const float fnan = std::numeric_limits<float>::quiet_NaN();
  const double dnan = std::numeric_limits<double>::quiet_NaN();
  const float finf = std::numeric_limits<float>::infinity();
  const double dinf = std::numeric_limits<double>::infinity();
  CheckAllTransforms(Type::Float(), FixedArray<float>(arrow::float32(), {fnan, -0.0f, 0.0f, finf,
                                                                        -finf, std::nullopt, 1.5f,
                                                                        -fnan}));
  CheckAllTransforms(Type::Double(), FixedArray<double>(arrow::float64(), {dnan, -0.0, 0.0, dinf,
                                                                          -dinf, std::nullopt,
                                                                          1.5, -dnan}));
  // NaN passes identity unchanged, bit for bit.
  auto out = ApplyTransform(Transform::Identity(), *Type::Double(),
                            *FixedArray<double>(arrow::float64(), {dnan}));
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(std::isnan(static_cast<const arrow::DoubleArray&>(**out).Value(0)));
  CheckAllTransforms(Type::Unknown(), std::make_shared<arrow::NullArray>(4));
}

TEST(TransformArrow, VoidIsAllNullsOfTheInputType) {
  auto out = ApplyTransform(Transform::Void(), *Type::String(),
                            *BytesArray(arrow::large_utf8(), {"a", "b", std::nullopt}));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)->type_id(), arrow::Type::LARGE_STRING);
  EXPECT_EQ((*out)->null_count(), 3);
}

TEST(TransformArrow, UnknownTransformIsNotSupported) {
  auto t = Transform::Parse("zorder");
  ASSERT_TRUE(t.ok());
  auto out = ApplyTransform(*t, *Type::Int(), *FixedArray<int32_t>(arrow::int32(), {1}));
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(out.status().IsNotSupported()) << out.status().ToString();
  EXPECT_NE(out.status().message().find("zorder"), std::string::npos);
}

TEST(TransformArrow, UnsupportedCombinationsNameTransformAndTypes) {
  auto out = ApplyTransform(Transform::Bucket(16), *Type::Double(),
                            *FixedArray<double>(arrow::float64(), {1.0}));
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(out.status().IsInvalid());
  EXPECT_NE(out.status().message().find("bucket[16]"), std::string::npos);
  EXPECT_NE(out.status().message().find("double"), std::string::npos);
  // A type the column could hold, but not in the Arrow form it came in.
  auto wrong = ApplyTransform(Transform::Day(), *Type::TimestampTz(),
                              *BytesArray(arrow::utf8(), {"2017-11-16"}));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().message(),
            "transform day on Iceberg type timestamptz cannot read Arrow type string (expected "
            "timestamp[us] with a time zone, or a dictionary of it)");
}

TEST(TransformArrow, EmptyArrays) {
  for (const Transform& t : {Transform::Bucket(16), Transform::Truncate(2), Transform::Day(),
                             Transform::Identity(), Transform::Void()}) {
    auto out = ApplyTransform(t, *Type::String(), *BytesArray(arrow::utf8(), {}));
    if (!t.CanTransform(*Type::String())) continue;
    ASSERT_TRUE(out.ok()) << t.ToString() << ": " << out.status().ToString();
    EXPECT_EQ((*out)->length(), 0);
  }
  auto days = ApplyTransform(Transform::Day(), *Type::Date(),
                             *FixedArray<int32_t>(arrow::date32(), {}));
  ASSERT_TRUE(days.ok());
  EXPECT_EQ((*days)->type_id(), arrow::Type::DATE32);
}

TEST(TransformArrow, ChunkedArrays) {
  auto chunked = std::make_shared<arrow::ChunkedArray>(arrow::ArrayVector{
      FixedArray<int64_t>(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"), {kTs, -1}),
      FixedArray<int64_t>(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"), {std::nullopt}),
      FixedArray<int64_t>(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"), {0, kTs + 1})});
  auto out = ApplyTransform(Transform::Hour(), *Type::TimestampTz(), *chunked);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ((*out)->num_chunks(), 3);
  EXPECT_EQ((*out)->type()->id(), arrow::Type::INT32);
  EXPECT_EQ((*out)->length(), 5);
  EXPECT_EQ((*out)->null_count(), 1);
  auto expected = FixedArray<int32_t>(arrow::int32(), {419686, -1, std::nullopt, 0, 419686});
  auto flat = arrow::Concatenate((*out)->chunks());
  ASSERT_TRUE(flat.ok());
  EXPECT_TRUE((*flat)->Equals(*expected)) << (*flat)->ToString();

  auto empty = std::make_shared<arrow::ChunkedArray>(arrow::ArrayVector{}, arrow::date32());
  auto empty_out = ApplyTransform(Transform::Month(), *Type::Date(), *empty);
  ASSERT_TRUE(empty_out.ok()) << empty_out.status().ToString();
  EXPECT_EQ((*empty_out)->num_chunks(), 0);
  EXPECT_EQ((*empty_out)->type()->id(), arrow::Type::INT32);
  auto wrong = ApplyTransform(Transform::Month(), *Type::Date(),
                              arrow::ChunkedArray(arrow::ArrayVector{}, arrow::utf8()));
  EXPECT_FALSE(wrong.ok());
}

// ---------------------------------------------------------------------------
// Spec vectors (App. B, §Partition Transforms; iceberg-spec-notes §12)

int32_t Int32At(const Result<std::shared_ptr<arrow::Array>>& a, int64_t i) {
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  return a.ok() ? (*a)->data()->GetValues<int32_t>(1)[i] : -999;
}

TEST(TransformArrow, SpecVectors) {
  const Transform b16 = Transform::Bucket(16);
  const Transform b100 = Transform::Bucket(100);
  auto ints = FixedArray<int32_t>(arrow::int32(), {34, 0, 1, -1});
  EXPECT_EQ(Int32At(ApplyTransform(b16, *Type::Int(), *ints), 0), 3);
  EXPECT_EQ(Int32At(ApplyTransform(b100, *Type::Int(), *ints), 0), 79);
  EXPECT_EQ(Int32At(ApplyTransform(b16, *Type::Int(), *ints), 1), 12);
  EXPECT_EQ(Int32At(ApplyTransform(b16, *Type::Int(), *ints), 2), 4);
  EXPECT_EQ(Int32At(ApplyTransform(b16, *Type::Int(), *ints), 3), 8);
  EXPECT_EQ(Int32At(ApplyTransform(b16, *Type::Long(),
                                   *FixedArray<int64_t>(arrow::int64(), {34})), 0), 3);
  EXPECT_EQ(Int32At(ApplyTransform(b100, *Type::Decimal(4, 2),
                                   *FixedArray<Int128>(arrow::decimal128(4, 2), {Int128{1420}})),
                    0),
            59);
  EXPECT_EQ(Int32At(ApplyTransform(b16, *Type::Decimal(4, 2),
                                   *FixedArray<int32_t>(arrow::decimal32(4, 2), {1420, 0, -1})),
                    2),
            13);
  EXPECT_EQ(Int32At(ApplyTransform(b100, *Type::Date(),
                                   *FixedArray<int32_t>(arrow::date32(), {kDay})), 0), 26);
  EXPECT_EQ(Int32At(ApplyTransform(b100, *Type::Time(),
                                   *FixedArray<int64_t>(arrow::time64(arrow::TimeUnit::MICRO),
                                                        {81068000000})), 0),
            59);
  auto ts = FixedArray<int64_t>(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"), {kTs, kTs + 1});
  EXPECT_EQ(Int32At(ApplyTransform(b100, *Type::TimestampTz(), *ts), 0), 7);
  EXPECT_EQ(Int32At(ApplyTransform(b100, *Type::TimestampTz(), *ts), 1), 38);
  auto ns = FixedArray<int64_t>(arrow::timestamp(arrow::TimeUnit::NANO), {kTs * 1000 + 1001});
  EXPECT_EQ(Int32At(ApplyTransform(b100, *Type::TimestampNs(), *ns), 0), 38);
  EXPECT_EQ(Int32At(ApplyTransform(b100, *Type::String(),
                                   *BytesArray(arrow::utf8_view(), {"iceberg"})), 0),
            89);
  EXPECT_EQ(Int32At(ApplyTransform(b16, *Type::String(),
                                   *BytesArray(arrow::large_utf8(), {"", "34", "\xE2\x82\xAC"})),
                    2),
            5);
  EXPECT_EQ(Int32At(ApplyTransform(b100, *Type::Uuid(), *UuidArray({kUuid})), 0), 40);
  EXPECT_EQ(Int32At(ApplyTransform(b100, *Type::Binary(),
                                   *BytesArray(arrow::binary(), {Bytes({0, 1, 2, 3})})), 0),
            41);
  EXPECT_EQ(Int32At(ApplyTransform(b100, *Type::Fixed(4),
                                   *BytesArray(arrow::fixed_size_binary(4), {Bytes({0, 1, 2, 3})})),
                    0),
            41);
  // The raw hash, through bucket[2147483647]: (hash & INT_MAX) % INT_MAX.
  EXPECT_EQ(Int32At(ApplyTransform(Transform::Bucket(kIntMax), *Type::String(),
                                   *BytesArray(arrow::utf8(), {"iceberg"})), 0),
            1210000089);

  // 2017-11-16T22:31:08: year 47, month 574, day 17486, hour 419686; -1 µs is -1 for all.
  auto times = FixedArray<int64_t>(arrow::timestamp(arrow::TimeUnit::MICRO), {kTs, -1});
  EXPECT_EQ(Int32At(ApplyTransform(Transform::Year(), *Type::Timestamp(), *times), 0), 47);
  EXPECT_EQ(Int32At(ApplyTransform(Transform::Month(), *Type::Timestamp(), *times), 0), 574);
  EXPECT_EQ(Int32At(ApplyTransform(Transform::Day(), *Type::Timestamp(), *times), 0), 17486);
  EXPECT_EQ(Int32At(ApplyTransform(Transform::Hour(), *Type::Timestamp(), *times), 0), 419686);
  for (const Transform& t : {Transform::Year(), Transform::Month(), Transform::Day(),
                             Transform::Hour()}) {
    EXPECT_EQ(Int32At(ApplyTransform(t, *Type::Timestamp(), *times), 1), -1) << t.ToString();
  }
  auto date = FixedArray<int32_t>(arrow::date32(), {-1});
  for (const Transform& t : {Transform::Year(), Transform::Month(), Transform::Day()}) {
    EXPECT_EQ(Int32At(ApplyTransform(t, *Type::Date(), *date), 0), -1) << t.ToString();
  }

  // truncate[10] of ints; truncate[50] of decimal(·,2); truncate on strings.
  auto tr = ApplyTransform(Transform::Truncate(10), *Type::Int(),
                           *FixedArray<int32_t>(arrow::int32(), {1, -1, 9, 10, -10, -11}));
  ASSERT_TRUE(tr.ok());
  EXPECT_TRUE((*tr)->Equals(*FixedArray<int32_t>(arrow::int32(), {0, -10, 0, 10, -10, -20})));
  auto dec = ApplyTransform(Transform::Truncate(50), *Type::Decimal(9, 2),
                            *FixedArray<Int128>(arrow::decimal128(9, 2),
                                                {Int128{1065}, Int128{-5}, Int128{-1065}}));
  ASSERT_TRUE(dec.ok());
  EXPECT_TRUE((*dec)->Equals(*FixedArray<Int128>(arrow::decimal128(9, 2),
                                                 {Int128{1050}, Int128{-50}, Int128{-1100}})))
      << (*dec)->ToString();
  auto str = ApplyTransform(Transform::Truncate(3), *Type::String(),
                            *BytesArray(arrow::utf8(), {"iceberg"}));
  ASSERT_TRUE(str.ok());
  EXPECT_EQ(static_cast<const arrow::StringArray&>(**str).GetString(0), "ice");
  auto emoji = ApplyTransform(
      Transform::Truncate(2), *Type::String(),
      *BytesArray(arrow::utf8_view(), {"\xF0\x9F\x98\x80\xF0\x9F\x98\x81\xF0\x9F\x98\x82"}));
  ASSERT_TRUE(emoji.ok());
  EXPECT_EQ(static_cast<const arrow::StringViewArray&>(**emoji).GetString(0),
            "\xF0\x9F\x98\x80\xF0\x9F\x98\x81");
}

// Truncating views rewrites the views and shares the input's data buffers.
TEST(TransformArrow, TruncatedViewsShareData) {
  auto in = BytesArray(arrow::utf8_view(), {std::string(40, 'x'), "short", std::string(20, 'y')});
  auto out = ApplyTransform(Transform::Truncate(16), *Type::String(), *in);
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE((*out)->ValidateFull().ok());
  ASSERT_GT(in->data()->buffers.size(), 2u);
  EXPECT_EQ((*out)->data()->buffers[2].get(), in->data()->buffers[2].get());
  const auto& views = static_cast<const arrow::StringViewArray&>(**out);
  EXPECT_EQ(views.GetString(0), std::string(16, 'x'));
  EXPECT_EQ(views.GetString(1), "short");
  EXPECT_EQ(views.GetString(2), std::string(16, 'y'));
}

// ---------------------------------------------------------------------------
// Grouping by partition

// A schema with a nested struct, as a writer's table would have.
spec::Schema EventsSchema() {
  return spec::Schema(
      0, {NestedField{1, "id", true, Type::Long()},
          NestedField{2, "ts", false, Type::TimestampTz()},
          NestedField{3, "user", false,
                      Type::Struct({NestedField{4, "name", false, Type::String()},
                                    NestedField{5, "country", false, Type::String()}})},
          NestedField{6, "amount", false, Type::Decimal(10, 2)},
          NestedField{7, "tags", false,
                      Type::List(NestedField{8, "element", false, Type::String()})}});
}

PartitionSpec EventsSpec() {
  return PartitionSpec(1, {PartitionField{2, {}, 1000, "ts_day", Transform::Day()},
                           PartitionField{1, {}, 1001, "id_bucket", Transform::Bucket(4)},
                           PartitionField{4, {}, 1002, "name_trunc", Transform::Truncate(2)},
                           PartitionField{5, {}, 1003, "country", Transform::Identity()}});
}

struct EventRow {
  int64_t id;
  std::optional<int64_t> ts;
  bool user_null;  // the whole struct is null
  std::optional<std::string> name, country;
};

std::shared_ptr<arrow::RecordBatch> EventsBatch(const std::vector<EventRow>& rows) {
  auto schema = *ToArrowSchema(EventsSchema());
  Values<int64_t> ids, ts;
  Values<std::string> names, countries;
  Values<Int128> amounts;
  std::vector<bool> user_valid;
  for (const EventRow& r : rows) {
    ids.push_back(r.id);
    ts.push_back(r.ts);
    // A null struct's children still hold values: they must not leak.
    names.push_back(r.user_null ? std::optional<std::string>("leaked") : r.name);
    countries.push_back(r.user_null ? std::optional<std::string>("XX") : r.country);
    amounts.push_back(Int128{r.id * 100});
    user_valid.push_back(!r.user_null);
  }
  auto user_type = schema->field(2)->type();
  arrow::TypedBufferBuilder<bool> valid;
  for (bool v : user_valid) EXPECT_TRUE(valid.Append(v).ok());
  auto user = std::make_shared<arrow::StructArray>(
      user_type, static_cast<int64_t>(rows.size()),
      arrow::ArrayVector{BytesArray(arrow::utf8(), names), BytesArray(arrow::utf8(), countries)},
      *valid.Finish());
  arrow::ListBuilder tags(arrow::default_memory_pool(), std::make_shared<arrow::StringBuilder>(),
                          schema->field(4)->type());
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_TRUE(tags.AppendNull().ok());
  return arrow::RecordBatch::Make(
      schema, static_cast<int64_t>(rows.size()),
      {FixedArray<int64_t>(arrow::int64(), ids),
       FixedArray<int64_t>(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"), ts), user,
       FixedArray<Int128>(arrow::decimal128(10, 2), amounts), *tags.Finish()});
}

// The partition tuple of each row, through the scalar transforms.
std::vector<std::vector<Literal>> ScalarTuples(const PartitionSpec& spec,
                                               const spec::Schema& schema,
                                               const std::vector<EventRow>& rows) {
  std::vector<std::vector<Literal>> out;
  for (const EventRow& r : rows) {
    std::vector<Literal> tuple;
    for (const PartitionField& f : spec.fields()) {
      Literal source;
      switch (f.source_id) {
        case 1: source = Literal::Long(r.id); break;
        case 2: source = r.ts ? Literal::Long(*r.ts) : Literal::Null(); break;
        case 4: source = !r.user_null && r.name ? Literal::String(*r.name) : Literal::Null(); break;
        case 5:
          source = !r.user_null && r.country ? Literal::String(*r.country) : Literal::Null();
          break;
        default: ADD_FAILURE() << "unexpected source " << f.source_id;
      }
      tuple.push_back(*f.transform.Apply(source, *schema.FindField(f.source_id)->type));
    }
    out.push_back(std::move(tuple));
  }
  return out;
}

// Checks a grouping against the scalar tuples: every row in exactly one
// group, with its own tuple; tuples distinct; groups in first-row order.
void CheckGroups(const PartitionedBatch& p, const std::vector<std::vector<Literal>>& tuples) {
  const auto n = static_cast<int64_t>(tuples.size());
  std::vector<int> seen(tuples.size(), 0);
  int64_t last_first_row = -1;
  for (size_t g = 0; g < p.groups.size(); ++g) {
    const PartitionGroup& group = p.groups[g];
    ASSERT_GT(group.num_rows, 0);
    std::vector<int64_t> rows;
    if (group.row_indices == nullptr) {
      ASSERT_EQ(p.groups.size(), 1u);
      ASSERT_EQ(group.num_rows, n);
      for (int64_t i = 0; i < n; ++i) rows.push_back(i);
    } else {
      ASSERT_EQ(group.row_indices->length(), group.num_rows);
      ASSERT_EQ(group.row_indices->null_count(), 0);
      for (int64_t i = 0; i < group.row_indices->length(); ++i) {
        rows.push_back(group.row_indices->Value(i));
      }
    }
    EXPECT_GT(rows.front(), last_first_row) << "groups are in first-row order";
    last_first_row = rows.front();
    for (size_t k = 0; k < rows.size(); ++k) {
      if (k > 0) {
        ASSERT_LT(rows[k - 1], rows[k]) << "indices ascend";
      }
      ASSERT_GE(rows[k], 0);
      ASSERT_LT(rows[k], n);
      ++seen[static_cast<size_t>(rows[k])];
      ASSERT_EQ(group.partition, tuples[static_cast<size_t>(rows[k])]) << "row " << rows[k];
    }
    for (size_t h = 0; h < g; ++h) ASSERT_NE(p.groups[h].partition, group.partition);
    for (size_t k = 0; k < group.partition.size(); ++k) {
      EXPECT_TRUE(spec::LiteralMatchesType(group.partition[k],
                                           *p.partition_type->fields()[k].type));
    }
  }
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(seen[static_cast<size_t>(i)], 1) << "row " << i;
}

TEST(PartitionKey, MultiFieldSpecWithNestedAndNullValues) {
  const int64_t day = 86400000000;
  const std::vector<EventRow> rows = {
      {1, kTs, false, "alice", "DE"},
      {2, kTs + 1, false, "alfred", "DE"},  // same day, maybe another bucket
      {1, kTs + 5, false, "al\xC3\xA9", "DE"},
      {1, kTs, false, "alice", "DE"},  // same as row 0
      {5, std::nullopt, false, "bob", std::nullopt},
      {5, std::nullopt, true, std::nullopt, std::nullopt},  // null struct
      {7, -1, false, "", "FR"},
      {7, -day, false, "\xF0\x9F\x98\x80\xF0\x9F\x98\x81\xF0\x9F\x98\x82", "FR"},
      {5, std::nullopt, true, std::nullopt, std::nullopt},
      {1, kTs, false, "alice", "DE"},
  };
  const spec::Schema schema = EventsSchema();
  const PartitionSpec spec = EventsSpec();
  auto batch = EventsBatch(rows);
  auto p = GroupByPartition(spec, schema, *batch);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  const auto tuples = ScalarTuples(spec, schema, rows);
  CheckGroups(*p, tuples);
  // Rows 0, 2 ("alé" cut to "al"), 3 and 9 share a tuple, as do the two
  // null-struct rows 5 and 8; row 1 joins them if ids 1 and 2 share a bucket.
  const bool same_bucket = tuples[0][1] == tuples[1][1];
  EXPECT_EQ(p->groups.size(), same_bucket ? 5u : 6u);
  EXPECT_EQ(p->groups[0].num_rows, same_bucket ? 5 : 4);
  // Row 0's tuple, spelled out: day 17486, bucket of id 1, "al", "DE".
  const PartitionGroup& first = p->groups[0];
  EXPECT_EQ(first.partition[0], Literal::Int(kDay));
  EXPECT_EQ(first.partition[1],
            *Transform::Bucket(4).Apply(Literal::Long(1), *Type::Long()));
  EXPECT_EQ(first.partition[2], Literal::String("al"));
  EXPECT_EQ(first.partition[3], Literal::String("DE"));
  EXPECT_EQ(spec.PartitionPath(first.partition, *p->partition_type),
            "ts_day=2017-11-16/id_bucket=" +
                spec::LiteralToString(first.partition[1], *Type::Int()) +
                "/name_trunc=al/country=DE");
  // The null struct's rows: null name and country, not the leaked values.
  bool found_null_struct = false;
  for (const PartitionGroup& g : p->groups) {
    if (g.partition[0].is_null() && g.partition[2].is_null()) {
      found_null_struct = true;
      EXPECT_TRUE(g.partition[3].is_null());
      EXPECT_EQ(g.num_rows, 2);
    }
  }
  EXPECT_TRUE(found_null_struct);

  // The rows of each group, gathered.
  for (const PartitionGroup& g : p->groups) {
    auto part = SelectRows(batch, g);
    ASSERT_TRUE(part.ok()) << part.status().ToString();
    EXPECT_EQ((*part)->num_rows(), g.num_rows);
    EXPECT_EQ((*part)->schema()->field(0)->metadata()->Get(kParquetFieldIdKey).ValueOr(""), "1");
  }
}

TEST(PartitionKey, UnpartitionedFastPathReadsNothing) {
  // The batch has no partition columns at all: unpartitioned specs never look.
  auto batch = arrow::RecordBatch::Make(arrow::schema({arrow::field("x", arrow::int32())}), 3,
                                        {FixedArray<int32_t>(arrow::int32(), {1, 2, 3})});
  for (const PartitionSpec& spec :
       {PartitionSpec(), PartitionSpec(1, {PartitionField{9, {}, 1000, "gone", Transform::Void()},
                                           PartitionField{1, {}, 1001, "id_null",
                                                          Transform::Void()}})}) {
    auto p = GroupByPartition(spec, EventsSchema(), *batch);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    ASSERT_EQ(p->groups.size(), 1u);
    EXPECT_EQ(p->groups[0].num_rows, 3);
    EXPECT_EQ(p->groups[0].row_indices, nullptr);
    EXPECT_EQ(p->groups[0].partition.size(), spec.fields().size());
    for (const Literal& v : p->groups[0].partition) EXPECT_TRUE(v.is_null());
    auto same = SelectRows(batch, p->groups[0]);
    ASSERT_TRUE(same.ok());
    EXPECT_EQ(same->get(), batch.get());
  }
  auto empty = GroupByPartition(PartitionSpec(), EventsSchema(), *batch->Slice(0, 0));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->groups.empty());
}

TEST(PartitionKey, SinglePartitionNeedsNoIndices) {
  const std::vector<EventRow> rows = {{1, kTs, false, "a", "DE"}, {1, kTs + 1, false, "a", "DE"}};
  auto p = GroupByPartition(EventsSpec(), EventsSchema(), *EventsBatch(rows));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->groups.size(), 1u);
  EXPECT_EQ(p->groups[0].row_indices, nullptr);
  EXPECT_EQ(p->groups[0].num_rows, 2);
}

TEST(PartitionKey, VoidFieldsAreNullAndDoNotSplit) {
  const std::vector<EventRow> rows = {{1, kTs, false, "a", "DE"}, {2, -1, false, "b", "FR"},
                                      {3, kTs, false, "c", "IT"}};
  const PartitionSpec spec(2, {PartitionField{2, {}, 1000, "ts_day", Transform::Day()},
                               PartitionField{5, {}, 1001, "country", Transform::Void()}});
  auto p = GroupByPartition(spec, EventsSchema(), *EventsBatch(rows));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->groups.size(), 2u);
  EXPECT_EQ(p->groups[0].num_rows, 2);
  EXPECT_TRUE(p->groups[0].partition[1].is_null());
  CheckGroups(*p, ScalarTuples(spec, EventsSchema(), rows));
}

TEST(PartitionKey, DictionaryAndFloatColumns) {
  // identity on a dictionary whose dictionary repeats a value; identity on
  // doubles, where NaN is one partition and -0.0 differs from 0.0.
  const spec::Schema schema(0, {NestedField{1, "s", false, Type::String()},
                                NestedField{2, "d", false, Type::Double()}});
  auto arrow_schema = *ToArrowSchema(schema);
  auto dictionary = BytesArray(arrow::utf8(), {"a", "b", "a", std::nullopt});
  auto s = DictArray(arrow::int8(), dictionary, {0, 1, 2, 3, std::nullopt, 2, 0});
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto d = FixedArray<double>(arrow::float64(), {nan, -0.0, 0.0, nan, 1.0, 0.0, nan});
  auto fields = arrow_schema->fields();
  fields[0] = fields[0]->WithType(s->type());
  auto batch = arrow::RecordBatch::Make(arrow::schema(fields), 7, {s, d});
  const PartitionSpec by_s(1, {PartitionField{1, {}, 1000, "s", Transform::Identity()}});
  auto p = GroupByPartition(by_s, schema, *batch);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->groups.size(), 3u);  // "a", "b", null
  EXPECT_EQ(p->groups[0].partition[0], Literal::String("a"));
  EXPECT_EQ(p->groups[0].num_rows, 4);
  EXPECT_EQ(p->groups[1].partition[0], Literal::String("b"));
  EXPECT_TRUE(p->groups[2].partition[0].is_null());
  EXPECT_EQ(p->groups[2].num_rows, 2);
  const PartitionSpec by_d(1, {PartitionField{2, {}, 1000, "d", Transform::Identity()}});
  auto q = GroupByPartition(by_d, schema, *batch);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->groups.size(), 4u);  // NaN, -0.0, 0.0, 1.0
  EXPECT_EQ(q->groups[0].num_rows, 3);
  EXPECT_TRUE(std::isnan(q->groups[0].partition[0].double_value()));
  EXPECT_TRUE(std::signbit(q->groups[1].partition[0].double_value()));
  EXPECT_EQ(q->groups[2].num_rows, 2);
}

TEST(PartitionKey, ManyRowsAreGroupedCorrectlyAndFast) {
  constexpr int kRows = 100000;
  std::vector<EventRow> rows;
  rows.reserve(kRows);
  uint64_t state = 42;
  auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  const char* countries[] = {"DE", "FR", "IT", "\xC3\x96sterreich", "US"};
  for (int i = 0; i < kRows; ++i) {
    EventRow r;
    r.id = static_cast<int64_t>(next() % 100000);
    const int64_t day = 86400000000;
    const auto offset = static_cast<int64_t>((next() << 31) ^ next()) % (40 * day);
    if (next() % 50 != 0) r.ts = kTs - 20 * day + offset;
    r.user_null = next() % 100 == 0;
    r.name = "user" + std::to_string(next() % 300);
    if (next() % 20 != 0) r.country = countries[next() % 5];
    rows.push_back(std::move(r));
  }
  const spec::Schema schema = EventsSchema();
  auto batch = EventsBatch(rows);
  // Specs whose keys take each path: the general one (strings, nulls), and
  // keys of at most 8 bytes compared as integers (with and without nulls).
  const std::vector<PartitionSpec> specs = {
      EventsSpec(),
      PartitionSpec(2, {PartitionField{2, {}, 1000, "ts_day", Transform::Day()},
                        PartitionField{1, {}, 1001, "id_bucket", Transform::Bucket(16)}}),
      PartitionSpec(3, {PartitionField{2, {}, 1000, "ts_hour", Transform::Hour()}}),
      PartitionSpec(4, {PartitionField{1, {}, 1000, "id_bucket", Transform::Bucket(16)},
                        PartitionField{1, {}, 1001, "id_bucket7", Transform::Bucket(7)}}),
      PartitionSpec(5, {PartitionField{1, {}, 1000, "id", Transform::Identity()}}),
  };
  for (const PartitionSpec& spec : specs) {
    SCOPED_TRACE(spec.ToString(&schema));
    const auto start = std::chrono::steady_clock::now();
    auto p = GroupByPartition(spec, schema, *batch);
    const double ms = std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    std::printf("[ perf     ] GroupByPartition %s: %d rows into %zu partitions in %.1f ms\n",
                spec.ToString(&schema).c_str(), kRows, p->groups.size(), ms);
    // Generous, so that sanitizer builds pass: a release build takes ~10 ms.
    EXPECT_LT(ms, 5000);

    // Against a reference grouping by the scalar tuples' text.
    const auto tuples = ScalarTuples(spec, schema, rows);
    const TypePtr& ptype = p->partition_type;
    auto text = [&](const std::vector<Literal>& t) {
      std::string s;
      for (size_t k = 0; k < t.size(); ++k) s += Show(t[k], *ptype->fields()[k].type) + "\x1F";
      return s;
    };
    std::map<std::string, int64_t> counts;
    for (const auto& t : tuples) ++counts[text(t)];
    ASSERT_EQ(p->groups.size(), counts.size());
    int64_t total = 0;
    for (const PartitionGroup& g : p->groups) {
      ASSERT_EQ(counts[text(g.partition)], g.num_rows) << text(g.partition);
      ASSERT_NE(g.row_indices, nullptr);
      for (int64_t i = 0; i < g.row_indices->length(); ++i) {
        ASSERT_EQ(tuples[static_cast<size_t>(g.row_indices->Value(i))], g.partition);
      }
      total += g.num_rows;
    }
    EXPECT_EQ(total, kRows);
  }
}

TEST(PartitionKey, Errors) {
  const spec::Schema schema = EventsSchema();
  auto batch = EventsBatch({{1, kTs, false, "a", "DE"}});

  // The source column is not in the batch.
  auto no_ts = *batch->RemoveColumn(1);
  auto missing = GroupByPartition(EventsSpec(), schema, *no_ts);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsInvalid()) << missing.status().ToString();
  EXPECT_NE(missing.status().message().find("partition field 'ts_day' (source column 'ts', "
                                            "field id 2)"),
            std::string::npos)
      << missing.status().ToString();
  EXPECT_NE(missing.status().message().find("no column with field id 2"), std::string::npos);

  // A column without field ids is not matched by name.
  auto plain = arrow::RecordBatch::Make(
      arrow::schema({arrow::field("ts", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"))}), 1,
      {FixedArray<int64_t>(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"), {kTs})});
  const PartitionSpec by_day(1, {PartitionField{2, {}, 1000, "ts_day", Transform::Day()}});
  EXPECT_FALSE(GroupByPartition(by_day, schema, *plain).ok());

  // The source column has the wrong type.
  auto wrong_schema = arrow::schema({arrow::field(
      "ts", arrow::utf8(), true, arrow::key_value_metadata({kParquetFieldIdKey}, {"2"}))});
  auto wrong = arrow::RecordBatch::Make(wrong_schema, 1, {BytesArray(arrow::utf8(), {"x"})});
  auto bad_type = GroupByPartition(by_day, schema, *wrong);
  ASSERT_FALSE(bad_type.ok());
  EXPECT_TRUE(bad_type.status().IsInvalid());
  EXPECT_NE(bad_type.status().message().find("partition field 'ts_day'"), std::string::npos)
      << bad_type.status().ToString();
  EXPECT_NE(bad_type.status().message().find("cannot read Arrow type string"), std::string::npos)
      << bad_type.status().ToString();

  // A field id twice in the batch.
  auto twice = arrow::RecordBatch::Make(
      arrow::schema({wrong_schema->field(0), wrong_schema->field(0)}), 1,
      {BytesArray(arrow::utf8(), {"x"}), BytesArray(arrow::utf8(), {"y"})});
  EXPECT_FALSE(GroupByPartition(by_day, schema, *twice).ok());

  // A source inside a list has no value per row.
  const PartitionSpec by_tag(1, {PartitionField{8, {}, 1000, "tag", Transform::Identity()}});
  auto in_list = FindColumnByFieldId(*batch, 8);
  ASSERT_FALSE(in_list.ok());
  EXPECT_NE(in_list.status().message().find("inside a list or map"), std::string::npos);
  EXPECT_FALSE(GroupByPartition(by_tag, schema, *batch).ok());

  // A source id the schema lacks, an unknown transform, a bad transform/type pair.
  const PartitionSpec dangling(1, {PartitionField{99, {}, 1000, "x", Transform::Identity()}});
  EXPECT_FALSE(GroupByPartition(dangling, schema, *batch).ok());
  const PartitionSpec unknown(1, {PartitionField{1, {}, 1000, "z", *Transform::Parse("zorder")}});
  auto u = GroupByPartition(unknown, schema, *batch);
  ASSERT_FALSE(u.ok());
  EXPECT_TRUE(u.status().IsNotSupported()) << u.status().ToString();
  const PartitionSpec hour_of_decimal(1, {PartitionField{6, {}, 1000, "h", Transform::Hour()}});
  EXPECT_TRUE(GroupByPartition(hour_of_decimal, schema, *batch).status().IsInvalid());

  // FindColumnByFieldId on its own: nested lookups, NotFound.
  auto country = FindColumnByFieldId(*batch, 5);
  ASSERT_TRUE(country.ok()) << country.status().ToString();
  EXPECT_EQ((*country)->type_id(), arrow::Type::STRING);
  EXPECT_TRUE(FindColumnByFieldId(*batch, 42).status().IsNotFound());
}

// ---------------------------------------------------------------------------
// Throughput (printed, not asserted: the machine decides)

TEST(TransformArrow, Throughput) {
  constexpr int64_t kRows = 1000000;
  Values<int64_t> ids, ts;
  Values<std::string> strings;
  for (int64_t i = 0; i < kRows; ++i) {
    ids.push_back(i * 7919);
    ts.push_back(kTs + (i - kRows / 2) * 1234567);
    if (i < kRows / 4) strings.push_back("customer-" + std::to_string(i));
  }
  auto id_array = FixedArray<int64_t>(arrow::int64(), ids);
  auto ts_array = FixedArray<int64_t>(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"), ts);
  auto string_array = BytesArray(arrow::utf8(), strings);
  auto time = [](const char* what, int64_t rows, auto&& fn) {
    const auto start = std::chrono::steady_clock::now();
    auto r = fn();
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::printf("[ perf     ] %-28s %8.1f M rows/s\n", what, rows / s / 1e6);
  };
  time("bucket[16] long", kRows,
       [&] { return ApplyTransform(Transform::Bucket(16), *Type::Long(), *id_array); });
  time("day timestamptz", kRows,
       [&] { return ApplyTransform(Transform::Day(), *Type::TimestampTz(), *ts_array); });
  time("month timestamptz", kRows,
       [&] { return ApplyTransform(Transform::Month(), *Type::TimestampTz(), *ts_array); });
  time("bucket[16] string", kRows / 4,
       [&] { return ApplyTransform(Transform::Bucket(16), *Type::String(), *string_array); });
  time("truncate[4] string", kRows / 4,
       [&] { return ApplyTransform(Transform::Truncate(4), *Type::String(), *string_array); });
  const spec::Schema schema(0, {NestedField{1, "id", true, Type::Long()},
                                NestedField{2, "ts", false, Type::TimestampTz()}});
  auto batch = arrow::RecordBatch::Make(*ToArrowSchema(schema), kRows, {id_array, ts_array});
  const PartitionSpec spec(1, {PartitionField{2, {}, 1000, "ts_day", Transform::Day()},
                               PartitionField{1, {}, 1001, "id_bucket", Transform::Bucket(16)}});
  time("GroupByPartition day+bucket", kRows,
       [&] { return GroupByPartition(spec, schema, *batch); });
}

}  // namespace
}  // namespace floe::data
