// Footer statistics of Parquet column chunks as Iceberg literals
// (parquet_stats.h).
#include "floe/data/parquet_stats.h"

#include <parquet/schema.h>
#include <parquet/types.h>

#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace floe::data {

using spec::Literal;
using spec::Type;
using spec::TypeId;

namespace {

template <typename T>
T LoadLittleEndian(const std::string& bytes) {
  T v{};
  std::memcpy(&v, bytes.data(), sizeof(T));
  return v;
}

std::optional<spec::Int128> BigEndianToInt128(std::string_view bytes) {
  if (bytes.empty() || bytes.size() > 16) return std::nullopt;
  unsigned __int128 v = (static_cast<unsigned char>(bytes[0]) & 0x80) ? ~static_cast<
      unsigned __int128>(0) : 0;
  for (char c : bytes) v = (v << 8) | static_cast<unsigned char>(c);
  return static_cast<spec::Int128>(v);
}

// Converts `v` in `unit` (per second) to `target` units per second, rounding
// down for a lower bound and up for an upper one; nullopt on overflow.
std::optional<int64_t> Rescale(int64_t v, int64_t unit, int64_t target, bool upper) {
  if (unit == target) return v;
  if (unit < target) {
    const int64_t factor = target / unit;
    int64_t out;
    if (__builtin_mul_overflow(v, factor, &out)) return std::nullopt;
    return out;
  }
  const int64_t factor = unit / target;
  int64_t q = v / factor;
  const int64_t r = v % factor;
  if (r != 0 && (r < 0) != upper) q += upper ? 1 : -1;
  return q;
}

int64_t UnitsPerSecond(parquet::LogicalType::TimeUnit::unit u) {
  switch (u) {
    case parquet::LogicalType::TimeUnit::MILLIS: return 1000;
    case parquet::LogicalType::TimeUnit::MICROS: return 1000000;
    case parquet::LogicalType::TimeUnit::NANOS: return 1000000000;
    default: return 0;
  }
}

}  // namespace

Literal DecodeStat(const std::string& bytes, const parquet::ColumnDescriptor& col,
                   const Type& t, bool upper) {
  const parquet::Type::type phys = col.physical_type();
  const auto& logical = col.logical_type();
  const bool is_int32 = phys == parquet::Type::INT32 && bytes.size() == 4;
  const bool is_int64 = phys == parquet::Type::INT64 && bytes.size() == 8;
  auto unsigned_int = [&]() {
    return logical && logical->is_int() &&
           !static_cast<const parquet::IntLogicalType&>(*logical).is_signed();
  };
  switch (t.id()) {
    case TypeId::kBoolean:
      if (phys == parquet::Type::BOOLEAN && bytes.size() == 1) return Literal::Boolean(bytes[0]);
      return {};
    case TypeId::kInt:
      if (is_int32 && !unsigned_int()) return Literal::Int(LoadLittleEndian<int32_t>(bytes));
      return {};
    case TypeId::kLong:
      if (is_int32) {
        return Literal::Long(unsigned_int() ? int64_t{LoadLittleEndian<uint32_t>(bytes)}
                                            : int64_t{LoadLittleEndian<int32_t>(bytes)});
      }
      if (is_int64 && !unsigned_int()) return Literal::Long(LoadLittleEndian<int64_t>(bytes));
      return {};
    case TypeId::kFloat:
    case TypeId::kDouble: {
      double v;
      if (phys == parquet::Type::FLOAT && bytes.size() == 4) {
        v = LoadLittleEndian<float>(bytes);
      } else if (phys == parquet::Type::DOUBLE && bytes.size() == 8) {
        v = LoadLittleEndian<double>(bytes);
      } else {
        return {};
      }
      if (std::isnan(v)) return {};
      // Parquet writers may store either zero; read a zero bound as the
      // widest one (PARQUET-1222).
      if (v == 0) v = upper ? 0.0 : -0.0;
      return t.id() == TypeId::kFloat ? Literal::Float(static_cast<float>(v)) : Literal::Double(v);
    }
    case TypeId::kDecimal: {
      if (!logical || !logical->is_decimal() ||
          static_cast<const parquet::DecimalLogicalType&>(*logical).scale() != t.scale()) {
        return {};
      }
      if (is_int32) return Literal::Decimal(LoadLittleEndian<int32_t>(bytes));
      if (is_int64) return Literal::Decimal(LoadLittleEndian<int64_t>(bytes));
      if (phys == parquet::Type::FIXED_LEN_BYTE_ARRAY || phys == parquet::Type::BYTE_ARRAY) {
        auto v = BigEndianToInt128(bytes);
        if (v) return Literal::Decimal(*v);
      }
      return {};
    }
    case TypeId::kDate:
      if (is_int32 && logical && logical->is_date()) {
        return Literal::Int(LoadLittleEndian<int32_t>(bytes));
      }
      return {};
    case TypeId::kTime: {
      if (!logical || !logical->is_time()) return {};
      const auto unit = static_cast<const parquet::TimeLogicalType&>(*logical).time_unit();
      const int64_t raw = is_int32 ? LoadLittleEndian<int32_t>(bytes)
                                   : is_int64 ? LoadLittleEndian<int64_t>(bytes) : 0;
      if (!is_int32 && !is_int64) return {};
      auto v = Rescale(raw, UnitsPerSecond(unit), 1000000, upper);
      return v ? Literal::Long(*v) : Literal();
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs: {
      const int64_t target = spec::IsNanosecondType(t.id()) ? 1000000000 : 1000000;
      if (is_int32 && logical && logical->is_date()) {  // date -> timestamp promotion
        int64_t v;
        if (__builtin_mul_overflow(int64_t{LoadLittleEndian<int32_t>(bytes)}, 86400 * target,
                                   &v)) {
          return {};
        }
        return Literal::Long(v);
      }
      if (!is_int64 || !logical || !logical->is_timestamp()) return {};
      const auto unit = static_cast<const parquet::TimestampLogicalType&>(*logical).time_unit();
      auto v = Rescale(LoadLittleEndian<int64_t>(bytes), UnitsPerSecond(unit), target, upper);
      return v ? Literal::Long(*v) : Literal();
    }
    case TypeId::kString:
      if (phys == parquet::Type::BYTE_ARRAY) return Literal::String(bytes);
      return {};
    case TypeId::kBinary:
      if (phys == parquet::Type::BYTE_ARRAY || phys == parquet::Type::FIXED_LEN_BYTE_ARRAY) {
        return Literal::Binary(bytes);
      }
      return {};
    case TypeId::kUuid:
    case TypeId::kFixed: {
      const size_t want = t.id() == TypeId::kUuid ? 16 : static_cast<size_t>(t.length());
      if (phys == parquet::Type::FIXED_LEN_BYTE_ARRAY && bytes.size() == want) {
        return Literal::Binary(bytes);
      }
      return {};
    }
    default:
      return {};
  }
}

}  // namespace floe::data
