// Partition transforms (spec §Partition Transforms, App. B) on values the
// input chooses: a source type, a transform and up to 64 values (nulls,
// extremes, invalid UTF-8 included).
// Properties:
//   - the scalar transform (spec/transform.h) and the vectorised one that
//     writers use (data/partition_key.h's GroupByPartition over
//     data/transform_arrow.h) agree on every row, and every row lands in the
//     group of its own partition tuple;
//   - results equal the spec's definitions computed here independently:
//     floor division for day/hour, the civil calendar for year/month,
//     v - floormod(v, W) for truncate of numbers, W code points of strings,
//     W bytes of binary; bucket results in [0, N) and hashes that survive
//     the promotions App. B promises (int as long, date as int, float as
//     double, timestamp_ns as its microseconds);
//   - order-preserving transforms keep order: a <= b implies t(a) <= t(b);
//   - transforms the type does not allow are errors, never crashes.
#include <arrow/api.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "floe/data/arrow_literal.h"
#include "floe/data/arrow_schema.h"
#include "floe/data/partition_key.h"
#include "floe/data/transform_arrow.h"
#include "floe/spec/partition_spec.h"
#include "floe/spec/transform.h"
#include "fuzz_target.h"

namespace {

namespace spec = floe::spec;
using spec::Int128;
using spec::Literal;
using spec::Transform;
using spec::Type;
using spec::TypeId;
using spec::TypePtr;

constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;
constexpr int64_t kMicrosPerHour = int64_t{3600} * 1000000;

// Reads little-endian bytes off the front of the input.
struct Reader {
  std::string_view in;
  bool empty() const { return in.empty(); }
  uint8_t Byte() {
    if (in.empty()) return 0;
    const auto b = static_cast<uint8_t>(in[0]);
    in.remove_prefix(1);
    return b;
  }
  uint64_t Bits(int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= uint64_t{Byte()} << (8 * i);
    return v;
  }
  std::string Bytes(size_t max) {
    // The length byte first: as one expression, the order of Byte() and
    // in.size() is unspecified (gcc reads the size first and overran).
    const size_t want = Byte() % (max + 1);
    const size_t n = std::min(want, in.size());
    std::string out(in.substr(0, n));
    in.remove_prefix(n);
    return out;
  }
};

TypePtr SourceType(uint8_t b) {
  static const TypePtr kTypes[] = {
      Type::Int(),       Type::Long(),        Type::Decimal(9, 2), Type::Decimal(38, 4),
      Type::Date(),      Type::Time(),        Type::Timestamp(),   Type::TimestampTz(),
      Type::TimestampNs(), Type::TimestampTzNs(), Type::String(),  Type::Binary(),
      Type::Uuid(),      Type::Fixed(5),      Type::Float(),       Type::Double(),
      Type::Boolean(),   Type::Decimal(18, 0)};
  return kTypes[b % std::size(kTypes)];
}

Int128 Pow10(int n) {
  Int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

Literal ReadValue(Reader& r, const Type& type) {
  if (r.Byte() % 8 == 0) return Literal::Null();
  switch (type.id()) {
    case TypeId::kBoolean: return Literal::Boolean(r.Byte() & 1);
    case TypeId::kInt:
    case TypeId::kDate: return Literal::Int(static_cast<int32_t>(r.Bits(4)));
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs: return Literal::Long(static_cast<int64_t>(r.Bits(8)));
    case TypeId::kTime: {
      const auto v = static_cast<int64_t>(r.Bits(8) % static_cast<uint64_t>(kMicrosPerDay));
      return Literal::Long(v);
    }
    case TypeId::kFloat: {
      const auto bits = static_cast<uint32_t>(r.Bits(4));
      float f;
      std::memcpy(&f, &bits, 4);
      return Literal::Float(f);
    }
    case TypeId::kDouble: {
      const uint64_t bits = r.Bits(8);
      double d;
      std::memcpy(&d, &bits, 8);
      return Literal::Double(d);
    }
    case TypeId::kDecimal: {
      const Int128 raw = (static_cast<Int128>(static_cast<int64_t>(r.Bits(8))) << 64) |
                         static_cast<Int128>(r.Bits(8));
      const Int128 limit = Pow10(type.precision());
      return Literal::Decimal(raw % limit);  // |v| < 10^P: fits the type
    }
    case TypeId::kString: return Literal::String(r.Bytes(24));
    case TypeId::kBinary: return Literal::Binary(r.Bytes(24));
    case TypeId::kUuid: {
      std::string b(16, '\0');
      for (char& c : b) c = static_cast<char>(r.Byte());
      return Literal::Binary(std::move(b));
    }
    case TypeId::kFixed: {
      std::string b(static_cast<size_t>(type.length()), '\0');
      for (char& c : b) c = static_cast<char>(r.Byte());
      return Literal::Binary(std::move(b));
    }
    default: return Literal::Null();
  }
}

Transform ReadTransform(Reader& r) {
  const uint8_t kind = r.Byte() % 8;
  // Widths and counts: mostly small, sometimes up to the int range.
  const uint32_t raw = static_cast<uint32_t>(r.Bits(2));
  const int32_t param = (raw & 0x8000) ? static_cast<int32_t>((raw & 0x7fff) * 65537u + 1)
                                       : static_cast<int32_t>(raw % 1000 + 1);
  switch (kind) {
    case 0: return Transform::Identity();
    case 1: return Transform::Bucket(param);
    case 2: return Transform::Truncate(param);
    case 3: return Transform::Year();
    case 4: return Transform::Month();
    case 5: return Transform::Day();
    case 6: return Transform::Hour();
    default: return Transform::Void();
  }
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Days since 1970-01-01 to a civil year and month (proleptic Gregorian).
void CivilFromDays(int64_t z, int64_t* year, int64_t* month) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  *year = yoe + era * 400 + (m <= 2 ? 1 : 0);
  *month = m;
}

bool IsNan(const Literal& v, TypeId id) {
  if (id == TypeId::kFloat) return std::isnan(v.float_value());
  if (id == TypeId::kDouble) return std::isnan(v.double_value());
  return false;
}

bool ValidUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    }
    i += n;
  }
  return true;
}

// Truncating an int or long near its minimum wraps around, as Java's
// formula does (spec §Truncate Transform Details note 1 defines the
// formula; Floe follows Java's results): such values keep no order.
bool WrapsLikeJava(const Transform& t, const Literal& v, const Type& type) {
  if (t.kind() != spec::TransformKind::kTruncate) return false;
  if (type.id() != TypeId::kInt && type.id() != TypeId::kLong) return false;
  const Int128 w = t.param();
  const Int128 x = type.id() == TypeId::kInt ? Int128{v.int_value()} : Int128{v.long_value()};
  const Int128 floor = x - (((x % w) + w) % w);
  const Int128 min = type.id() == TypeId::kInt ? Int128{std::numeric_limits<int32_t>::min()}
                                               : Int128{std::numeric_limits<int64_t>::min()};
  const Int128 max = type.id() == TypeId::kInt ? Int128{std::numeric_limits<int32_t>::max()}
                                               : Int128{std::numeric_limits<int64_t>::max()};
  // (v % w) + w overflows the type when w is above half its range.
  return floor < min || w > max / 2;
}

// The spec's definition of the transform of a non-null value, when it is
// simple to state independently; nullopt when the value has no int result
// (an error is then expected) or no reference is given.
struct Expected {
  bool defined = false;  // a reference exists
  bool fits = true;      // the result fits the result type
  Literal value;
};

Expected Reference(const Transform& t, const Literal& v, const Type& type) {
  Expected e;
  const TypeId id = type.id();
  const bool ns = id == TypeId::kTimestampNs || id == TypeId::kTimestampTzNs;
  const bool ts = spec::IsTimestampType(id);
  auto int_result = [&](Int128 x) {
    e.defined = true;
    e.fits = x >= std::numeric_limits<int32_t>::min() && x <= std::numeric_limits<int32_t>::max();
    if (e.fits) e.value = Literal::Int(static_cast<int32_t>(x));
  };
  switch (t.kind()) {
    case spec::TransformKind::kIdentity:
      e.defined = true;
      e.value = v;
      return e;
    case spec::TransformKind::kDay:
      if (id == TypeId::kDate) {
        int_result(v.int_value());
      } else if (ts) {
        int_result(FloorDiv(v.long_value(), ns ? kMicrosPerDay * 1000 : kMicrosPerDay));
      }
      return e;
    case spec::TransformKind::kHour:
      if (ts) int_result(FloorDiv(v.long_value(), ns ? kMicrosPerHour * 1000 : kMicrosPerHour));
      return e;
    case spec::TransformKind::kYear:
    case spec::TransformKind::kMonth: {
      int64_t days;
      if (id == TypeId::kDate) {
        days = v.int_value();
      } else if (ts) {
        days = FloorDiv(v.long_value(), ns ? kMicrosPerDay * 1000 : kMicrosPerDay);
      } else {
        return e;
      }
      int64_t y, m;
      CivilFromDays(days, &y, &m);
      int_result(t.kind() == spec::TransformKind::kYear ? Int128{y - 1970}
                                                        : Int128{(y - 1970) * 12 + (m - 1)});
      return e;
    }
    case spec::TransformKind::kTruncate: {
      const int64_t w = t.param();
      if (id == TypeId::kInt && w <= (1 << 30)) {
        const int64_t x = v.int_value();
        const int64_t r = x - (((x % w) + w) % w);
        e.defined = true;
        e.value = Literal::Int(static_cast<int32_t>(static_cast<uint32_t>(r)));  // Java wraps
      } else if (id == TypeId::kLong && w <= (1 << 30)) {
        const Int128 x = v.long_value();
        const Int128 r = x - (((x % w) + w) % w);
        e.defined = true;
        e.value = Literal::Long(static_cast<int64_t>(static_cast<uint64_t>(r)));
      } else if (id == TypeId::kDecimal) {
        const Int128 x = v.decimal_value();
        e.defined = true;
        e.value = Literal::Decimal(x - (((x % w) + w) % w));
      } else if (id == TypeId::kString && ValidUtf8(v.string_value())) {
        const std::string& s = v.string_value();
        size_t i = 0;
        for (int64_t cps = 0; i < s.size() && cps < w; ++cps) {
          const auto c = static_cast<unsigned char>(s[i]);
          i += c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
        }
        e.defined = true;
        e.value = Literal::String(s.substr(0, i));
      } else if (id == TypeId::kBinary) {
        e.defined = true;
        e.value = Literal::Binary(v.bytes_value().substr(0, static_cast<size_t>(w)));
      }
      return e;
    }
    default:
      return e;
  }
}

floe::Result<std::shared_ptr<arrow::RecordBatch>> MakeBatch(const spec::Schema& schema,
                                                             const std::vector<Literal>& values) {
  FLOE_ASSIGN_OR_RAISE(auto arrow_schema, floe::data::ToArrowSchema(schema));
  FLOE_ASSIGN_OR_RAISE(auto array, floe::data::ToArrowArray(values, *schema.fields()[0].type));
  return arrow::RecordBatch::Make(arrow_schema, static_cast<int64_t>(values.size()), {array});
}

std::string Describe(const Transform& t, const Type& type) {
  return t.ToString() + " of " + type.ToString();
}

}  // namespace

FLOE_FUZZ_TARGET(transform) {
  Reader r{input};
  const TypePtr type = SourceType(r.Byte());
  const Transform t = ReadTransform(r);
  std::vector<Literal> values;
  while (!r.empty() && values.size() < 64) values.push_back(ReadValue(r, *type));
  const std::string what = Describe(t, *type);

  spec::Schema schema(0, {{1, "v", false, type}});
  spec::PartitionSpec pspec(0, {{1, {}, 1000, "p", t}});
  auto batch = MakeBatch(schema, values);
  FLOE_FUZZ_CHECK(batch.ok(), "cannot build a batch of " + type->ToString() + ": " +
                                  batch.status().ToString());

  if (!t.CanTransform(*type)) {
    auto applied = floe::data::ApplyTransform(t, *type, *(*batch)->column(0));
    FLOE_FUZZ_CHECK(!applied.ok(), what + " is not allowed but the vectorised form accepted it");
    FLOE_FUZZ_CHECK(!floe::data::GroupByPartition(pspec, schema, **batch).ok(),
                    what + " is not allowed but grouping accepted it");
    return;
  }
  auto result_type = t.ResultType(type);
  FLOE_FUZZ_CHECK(result_type.ok(), what + ": no result type");

  // The scalar transform against the spec's definitions.
  std::vector<std::optional<Literal>> scalar(values.size());
  bool any_error = false;
  for (size_t i = 0; i < values.size(); ++i) {
    auto out = t.Apply(values[i], *type);
    if (!values[i].is_null() && t.kind() != spec::TransformKind::kVoid) {
      const Expected e = Reference(t, values[i], *type);
      if (e.defined && !e.fits) {
        FLOE_FUZZ_CHECK(!out.ok(), what + ": a result beyond the int range was not refused");
      } else if (e.defined) {
        FLOE_FUZZ_CHECK(out.ok(), what + " failed on a value with a defined result: " +
                                      out.status().ToString());
        FLOE_FUZZ_CHECK(*out == e.value, what + " of " + spec::LiteralToString(values[i], *type) +
                                             " is " + spec::LiteralToString(*out, **result_type) +
                                             ", the spec says " +
                                             spec::LiteralToString(e.value, **result_type));
      }
    }
    if (!out.ok()) {
      any_error = true;
      continue;
    }
    scalar[i] = *out;
    if (values[i].is_null() || t.kind() == spec::TransformKind::kVoid) {
      FLOE_FUZZ_CHECK(out->is_null(), what + ": null or void gave a value");
      continue;
    }
    if (t.kind() == spec::TransformKind::kBucket) {
      const int32_t b = out->int_value();
      FLOE_FUZZ_CHECK(b >= 0 && b < t.param(), what + ": bucket out of range");
      const int32_t h = spec::BucketHash(values[i], *type);
      std::optional<int32_t> promoted;
      switch (type->id()) {
        case TypeId::kInt:
        case TypeId::kDate:
          promoted = spec::BucketHash(Literal::Long(values[i].int_value()), *Type::Long());
          break;
        case TypeId::kTimestampNs:
        case TypeId::kTimestampTzNs:
          promoted = spec::BucketHash(Literal::Long(FloorDiv(values[i].long_value(), 1000)),
                                      *Type::Timestamp());
          break;
        case TypeId::kString:
          promoted = spec::BucketHash(Literal::Binary(values[i].string_value()), *Type::Binary());
          break;
        case TypeId::kUuid:
        case TypeId::kFixed:
          promoted = spec::BucketHash(Literal::Binary(values[i].bytes_value()), *Type::Binary());
          break;
        case TypeId::kDecimal:
          promoted = spec::BucketHash(
              Literal::Binary(spec::DecimalToMinimalBytes(values[i].decimal_value())),
              *Type::Binary());
          break;
        default:
          break;
      }
      if (promoted) {
        FLOE_FUZZ_CHECK(h == *promoted, what + ": the hash differs from its App. B equivalent");
      }
    }
  }

  // Order: for order-preserving transforms, sorted inputs give sorted outputs.
  if (t.PreservesOrder() && t.kind() != spec::TransformKind::kVoid) {
    std::vector<size_t> idx;
    for (size_t i = 0; i < values.size(); ++i) {
      if (!scalar[i] || values[i].is_null() || IsNan(values[i], type->id())) continue;
      if (type->id() == TypeId::kString && !ValidUtf8(values[i].string_value())) continue;
      if (WrapsLikeJava(t, values[i], *type)) continue;
      idx.push_back(i);
    }
    std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
      return spec::CompareLiterals(values[a], values[b], *type) < 0;
    });
    for (size_t k = 1; k < idx.size(); ++k) {
      FLOE_FUZZ_CHECK(spec::CompareLiterals(*scalar[idx[k - 1]], *scalar[idx[k]], **result_type) <= 0,
                      what + " does not preserve order between " +
                          spec::LiteralToString(values[idx[k - 1]], *type) + " and " +
                          spec::LiteralToString(values[idx[k]], *type));
    }
  }

  // The vectorised path writers take: every row in the group of its tuple.
  auto grouped = floe::data::GroupByPartition(pspec, schema, **batch);
  if (any_error) {
    FLOE_FUZZ_CHECK(!grouped.ok(), what + ": grouping accepted a value the scalar form refuses");
    return;
  }
  FLOE_FUZZ_CHECK(grouped.ok(), what + ": grouping failed where the scalar form did not: " +
                                    grouped.status().ToString());
  std::vector<int> seen(values.size(), 0);
  for (const floe::data::PartitionGroup& g : grouped->groups) {
    FLOE_FUZZ_CHECK(g.partition.size() == 1, what + ": tuple of the wrong arity");
    for (int64_t k = 0; k < g.num_rows; ++k) {
      const int64_t row = g.row_indices ? g.row_indices->Value(k) : k;
      FLOE_FUZZ_CHECK(row >= 0 && row < static_cast<int64_t>(values.size()),
                      what + ": row index out of range");
      ++seen[row];
      FLOE_FUZZ_CHECK(g.partition[0] == *scalar[row],
                      what + ": row " + std::to_string(row) + " grouped under " +
                          spec::LiteralToString(g.partition[0], **result_type) +
                          ", the scalar transform gives " +
                          spec::LiteralToString(*scalar[row], **result_type));
    }
  }
  for (size_t i = 0; i < values.size(); ++i) {
    FLOE_FUZZ_CHECK(seen[i] == 1, what + ": row " + std::to_string(i) + " is in " +
                                      std::to_string(seen[i]) + " groups");
  }
}
