#include "floe/data/transform_arrow.h"

#include <arrow/api.h>
#include <arrow/compute/api_vector.h>
#include <arrow/compute/initialize.h>
#include <arrow/util/binary_view_util.h>
#include <arrow/util/bit_util.h>
#include <arrow/util/bitmap_ops.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <string_view>

#include "floe/data/arrow_internal.h"
// Calendar arithmetic shared with the scalar transforms, so that both use
// the very same floor division and civil-date conversion.
#include "floe/spec/format_internal.h"
#include "floe/spec/transform_kernels.h"

namespace floe::data {

using spec::Int128;
using spec::Transform;
using spec::TransformKind;
using spec::Type;
using spec::TypeId;
using spec::internal::FloorDiv;
using spec::internal::kMicrosPerDay;
using spec::internal::kMicrosPerHour;

static_assert(std::endian::native == std::endian::little,
              "Arrow buffers are read as little-endian values");

namespace internal {

Status EnsureArrowCompute() {
  static const Status status = FromArrow(arrow::compute::Initialize(),
                                         "initializing Arrow compute");
  return status;
}

}  // namespace internal

namespace {

using internal::FromArrow;
using UInt128 = unsigned __int128;

// ---------------------------------------------------------------------------
// Checking the input once

// The physical layout of an accepted (non-dictionary) input. uuid extension
// arrays are read through their fixed_size_binary(16) storage layout.
enum class Layout : uint8_t {
  kNull,
  kBool,
  kInt32,  // int32, date32
  kInt64,  // int64, time64, timestamp
  kFloat,
  kDouble,
  kDecimal32,
  kDecimal64,
  kDecimal128,
  kFixed,      // fixed_size_binary(width)
  kOffsets32,  // utf8, binary
  kOffsets64,  // large_utf8, large_binary
  kView,       // utf8_view, binary_view
};

struct Input {
  Layout layout = Layout::kNull;
  int32_t width = 0;      // kFixed
  int32_t precision = 0;  // decimals: the Arrow type's precision
};

// What each Iceberg type accepts, for error messages.
const char* ExpectedArrowTypes(const Type& source) {
  switch (source.id()) {
    case TypeId::kBoolean: return "bool";
    case TypeId::kInt: return "int32";
    case TypeId::kLong: return "int64";
    case TypeId::kFloat: return "float";
    case TypeId::kDouble: return "double";
    case TypeId::kDecimal: return "decimal128, decimal64 or decimal32 of the same scale";
    case TypeId::kDate: return "date32";
    case TypeId::kTime: return "time64[us]";
    case TypeId::kTimestamp: return "timestamp[us] without a time zone";
    case TypeId::kTimestampTz: return "timestamp[us] with a time zone";
    case TypeId::kTimestampNs: return "timestamp[ns] without a time zone";
    case TypeId::kTimestampTzNs: return "timestamp[ns] with a time zone";
    case TypeId::kString: return "string, large_string or string_view";
    case TypeId::kUuid: return "arrow.uuid or fixed_size_binary[16]";
    case TypeId::kFixed: return "fixed_size_binary of the same width";
    case TypeId::kBinary: return "binary, large_binary or binary_view";
    case TypeId::kUnknown: return "null";
    default: return "nothing (no Arrow input is supported for this type)";
  }
}

Status WrongArrowType(const Transform& t, const Type& source, const arrow::DataType& type) {
  return Status::Invalid("transform ", t.ToString(), " on Iceberg type ", source.ToString(),
                         " cannot read Arrow type ", type.ToString(), " (expected ",
                         ExpectedArrowTypes(source), ", or a dictionary of it)");
}

bool IsTimestampOf(const arrow::DataType& type, arrow::TimeUnit::type unit, bool with_zone) {
  if (type.id() != arrow::Type::TIMESTAMP) return false;
  const auto& ts = static_cast<const arrow::TimestampType&>(type);
  return ts.unit() == unit && ts.timezone().empty() != with_zone;
}

// The layout of a non-dictionary Arrow type holding values of `source`, or
// an error naming both types.
Result<Input> Classify(const Transform& t, const Type& source, const arrow::DataType& type) {
  const arrow::Type::type id = type.id();
  Input in;
  bool ok = false;
  switch (source.id()) {
    case TypeId::kBoolean:
      ok = id == arrow::Type::BOOL;
      in.layout = Layout::kBool;
      break;
    case TypeId::kInt:
      ok = id == arrow::Type::INT32;
      in.layout = Layout::kInt32;
      break;
    case TypeId::kLong:
      ok = id == arrow::Type::INT64;
      in.layout = Layout::kInt64;
      break;
    case TypeId::kFloat:
      ok = id == arrow::Type::FLOAT;
      in.layout = Layout::kFloat;
      break;
    case TypeId::kDouble:
      ok = id == arrow::Type::DOUBLE;
      in.layout = Layout::kDouble;
      break;
    case TypeId::kDecimal:
      if (id == arrow::Type::DECIMAL32 || id == arrow::Type::DECIMAL64 ||
          id == arrow::Type::DECIMAL128) {
        const auto& d = static_cast<const arrow::DecimalType&>(type);
        // The scale fixes what the unscaled value means; bucket and truncate
        // work on the unscaled value, so it must be the column's.
        ok = d.scale() == source.scale();
        in.precision = d.precision();
        in.layout = id == arrow::Type::DECIMAL32   ? Layout::kDecimal32
                    : id == arrow::Type::DECIMAL64 ? Layout::kDecimal64
                                                   : Layout::kDecimal128;
      }
      break;
    case TypeId::kDate:
      ok = id == arrow::Type::DATE32;
      in.layout = Layout::kInt32;
      break;
    case TypeId::kTime:
      ok = id == arrow::Type::TIME64 &&
           static_cast<const arrow::Time64Type&>(type).unit() == arrow::TimeUnit::MICRO;
      in.layout = Layout::kInt64;
      break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs:
      // Zone-less Iceberg timestamps are wall-clock values and Arrow stores
      // zoned timestamps as UTC instants, so zone presence must agree; any
      // zone names the same instant, so its name does not matter.
      ok = IsTimestampOf(type,
                         spec::IsNanosecondType(source.id()) ? arrow::TimeUnit::NANO
                                                             : arrow::TimeUnit::MICRO,
                         source.id() == TypeId::kTimestampTz ||
                             source.id() == TypeId::kTimestampTzNs);
      in.layout = Layout::kInt64;
      break;
    case TypeId::kString:
    case TypeId::kBinary: {
      const bool text = source.id() == TypeId::kString;
      if (id == (text ? arrow::Type::STRING : arrow::Type::BINARY)) {
        ok = true;
        in.layout = Layout::kOffsets32;
      } else if (id == (text ? arrow::Type::LARGE_STRING : arrow::Type::LARGE_BINARY)) {
        ok = true;
        in.layout = Layout::kOffsets64;
      } else if (id == (text ? arrow::Type::STRING_VIEW : arrow::Type::BINARY_VIEW)) {
        ok = true;
        in.layout = Layout::kView;
      }
      break;
    }
    case TypeId::kUuid:
      if (id == arrow::Type::EXTENSION) {
        const auto& ext = static_cast<const arrow::ExtensionType&>(type);
        ok = ext.extension_name() == "arrow.uuid";
      } else {
        ok = id == arrow::Type::FIXED_SIZE_BINARY &&
             static_cast<const arrow::FixedSizeBinaryType&>(type).byte_width() == 16;
      }
      in.layout = Layout::kFixed;
      in.width = 16;
      break;
    case TypeId::kFixed:
      ok = id == arrow::Type::FIXED_SIZE_BINARY &&
           static_cast<const arrow::FixedSizeBinaryType&>(type).byte_width() == source.length();
      in.layout = Layout::kFixed;
      in.width = source.length();
      break;
    case TypeId::kUnknown:
      ok = id == arrow::Type::NA;
      in.layout = Layout::kNull;
      break;
    default:
      break;
  }
  if (!ok) return WrongArrowType(t, source, type);
  return in;
}

// Transform-level checks shared by every entry point.
Status CheckTransform(const Transform& t, const Type& source) {
  if (t.kind() == TransformKind::kUnknown) {
    return Status::NotSupported("cannot apply the unknown partition transform '", t.ToString(),
                                "'");
  }
  if (!t.CanTransform(source)) {
    return Status::Invalid("transform ", t.ToString(), " cannot be applied to Iceberg type ",
                           source.ToString());
  }
  return Status::OK();
}

// Checks everything about `type` (unwrapping one dictionary level) and
// returns the layout of its values.
Result<Input> CheckInput(const Transform& t, const Type& source, const arrow::DataType& type) {
  FLOE_RETURN_NOT_OK(CheckTransform(t, source));
  if (type.id() == arrow::Type::DICTIONARY) {
    const auto& dict = static_cast<const arrow::DictionaryType&>(type);
    return Classify(t, source, *dict.value_type());
  }
  return Classify(t, source, type);
}

// ---------------------------------------------------------------------------
// Per-value operations: spec/transform_kernels.h, shared with the scalar
// transforms.

using spec::kernels::BucketOf;
using spec::kernels::HashBytes;
using spec::kernels::HashDecimal;
using spec::kernels::HashLong;
using spec::kernels::TruncateDecimal;
using spec::kernels::TruncateInt;
using spec::kernels::TruncateLong;
using spec::kernels::Utf8PrefixBytes;

inline int64_t PrefixBytes(const uint8_t* s, int64_t size, int32_t w, bool code_points) {
  return code_points ? Utf8PrefixBytes(s, size, w) : std::min<int64_t>(size, w);
}

// ---------------------------------------------------------------------------
// Buffers

// Element i's validity, the array's offset applied.
struct Validity {
  const uint8_t* bits = nullptr;  // null when no element is null
  int64_t offset = 0;
  bool operator()(int64_t i) const {
    return bits == nullptr || arrow::bit_util::GetBit(bits, offset + i);
  }
};

Validity ValidityOf(const arrow::ArrayData& d) {
  if (d.buffers.empty() || d.buffers[0] == nullptr || d.GetNullCount() == 0) return {};
  return {d.buffers[0]->data(), d.offset};
}

// The output's validity bitmap: the input's, re-based to offset 0 (shared
// when the input starts at bit 0).
Result<std::shared_ptr<arrow::Buffer>> OutputValidity(const arrow::ArrayData& in) {
  if (in.buffers.empty() || in.buffers[0] == nullptr || in.GetNullCount() == 0) return nullptr;
  if (in.offset == 0) return in.buffers[0];
  return FromArrow(arrow::internal::CopyBitmap(arrow::default_memory_pool(),
                                               in.buffers[0]->data(), in.offset, in.length),
                   "copying a validity bitmap");
}

Result<std::shared_ptr<arrow::Buffer>> Allocate(int64_t bytes) {
  auto r = arrow::AllocateBuffer(bytes);
  if (!r.ok()) return FromArrow(r.status(), "allocating a transform output");
  return std::shared_ptr<arrow::Buffer>(std::move(r).ValueUnsafe());
}

// A fixed-width output of `type` over `values`, with the input's nulls.
Result<std::shared_ptr<arrow::Array>> FixedOutput(const arrow::ArrayData& in,
                                                  std::shared_ptr<arrow::DataType> type,
                                                  std::shared_ptr<arrow::Buffer> values) {
  FLOE_ASSIGN_OR_RAISE(auto validity, OutputValidity(in));
  const int64_t nulls = validity ? in.GetNullCount() : 0;
  return arrow::MakeArray(arrow::ArrayData::Make(std::move(type), in.length,
                                                 {std::move(validity), std::move(values)}, nulls));
}

template <typename T>
T* MutableData(const std::shared_ptr<arrow::Buffer>& b) {
  return reinterpret_cast<T*>(b->mutable_data());
}

// Decimal storage of each Arrow width, read and written as Int128.
template <int kBytes>
inline Int128 LoadDecimal(const uint8_t* base, int64_t i) {
  if constexpr (kBytes == 4) {
    int32_t v;
    std::memcpy(&v, base + i * 4, 4);
    return v;
  } else if constexpr (kBytes == 8) {
    int64_t v;
    std::memcpy(&v, base + i * 8, 8);
    return v;
  } else {
    Int128 v;
    std::memcpy(&v, base + i * 16, 16);
    return v;
  }
}

template <int kBytes>
inline void StoreDecimal(uint8_t* base, int64_t i, Int128 v) {
  if constexpr (kBytes == 4) {
    const auto n = static_cast<int32_t>(v);
    std::memcpy(base + i * 4, &n, 4);
  } else if constexpr (kBytes == 8) {
    const auto n = static_cast<int64_t>(v);
    std::memcpy(base + i * 8, &n, 8);
  } else {
    std::memcpy(base + i * 16, &v, 16);
  }
}

UInt128 Pow10(int n) {
  UInt128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

inline UInt128 Magnitude(Int128 v) {
  return v < 0 ? UInt128{0} - static_cast<UInt128>(v) : static_cast<UInt128>(v);
}

// The scalar transform refuses decimals that do not fit the column's
// precision (LiteralMatchesType), and so do we.
Status DecimalTooWide(const Transform& t, const Type& source, int64_t row, Int128 v) {
  return Status::Invalid("transform ", t.ToString(), ": row ", row, " holds ",
                         spec::LiteralToString(spec::Literal::Decimal(v), source),
                         ", which does not fit ", source.ToString());
}

// ---------------------------------------------------------------------------
// The kernels: one loop per (operation, layout)

struct Kernel {
  const Transform& t;
  const Type& source;
  const arrow::ArrayData& in;
  Input input;

  int64_t n() const { return in.length; }
  template <typename T>
  const T* values() const { return in.GetValues<T>(1); }
  // Start of a fixed-width layout's bytes, the offset applied.
  const uint8_t* fixed_bytes(int width) const {
    return in.buffers[1]->data() + in.offset * static_cast<int64_t>(width);
  }
  // Data of an offsets layout (absent when every value is empty).
  const uint8_t* var_data() const {
    return in.buffers.size() > 2 && in.buffers[2] ? in.buffers[2]->data() : nullptr;
  }
  std::string_view View(const arrow::BinaryViewType::c_type& v) const {
    return arrow::util::FromBinaryView(v, in.buffers.data() + 2);
  }

  // --- bucket ---

  template <typename O>
  void BucketOffsets(int32_t* out, int32_t buckets) const {
    const O* off = values<O>();
    const uint8_t* data = var_data();
    // Null slots have valid (usually empty) ranges too, so hash every row
    // without branching.
    for (int64_t i = 0; i < n(); ++i) {
      out[i] = BucketOf(HashBytes(data + off[i], off[i + 1] - off[i]), buckets);
    }
  }

  template <int kBytes>
  Status BucketDecimal(int32_t* out, int32_t buckets) const {
    const uint8_t* base = fixed_bytes(kBytes);
    const Validity valid = ValidityOf(in);
    const UInt128 limit = Pow10(source.precision());
    for (int64_t i = 0; i < n(); ++i) {
      if (!valid(i)) {
        out[i] = 0;
        continue;
      }
      const Int128 v = LoadDecimal<kBytes>(base, i);
      if (Magnitude(v) >= limit) [[unlikely]] return DecimalTooWide(t, source, i, v);
      out[i] = BucketOf(HashDecimal(v), buckets);
    }
    return Status::OK();
  }

  Result<std::shared_ptr<arrow::Array>> Bucket() const {
    const int32_t buckets = t.param();
    FLOE_ASSIGN_OR_RAISE(auto buffer, Allocate(n() * 4));
    int32_t* out = MutableData<int32_t>(buffer);
    switch (input.layout) {
      case Layout::kInt32: {
        const int32_t* v = values<int32_t>();
        for (int64_t i = 0; i < n(); ++i) out[i] = BucketOf(HashLong(v[i]), buckets);
        break;
      }
      case Layout::kInt64: {
        const int64_t* v = values<int64_t>();
        if (spec::IsNanosecondType(source.id())) {
          // App. B note 3: nanoseconds hash as floor(µs).
          for (int64_t i = 0; i < n(); ++i) {
            out[i] = BucketOf(HashLong(FloorDiv(v[i], 1000)), buckets);
          }
        } else {
          for (int64_t i = 0; i < n(); ++i) out[i] = BucketOf(HashLong(v[i]), buckets);
        }
        break;
      }
      case Layout::kDecimal32: FLOE_RETURN_NOT_OK(BucketDecimal<4>(out, buckets)); break;
      case Layout::kDecimal64: FLOE_RETURN_NOT_OK(BucketDecimal<8>(out, buckets)); break;
      case Layout::kDecimal128: FLOE_RETURN_NOT_OK(BucketDecimal<16>(out, buckets)); break;
      case Layout::kFixed: {
        const int32_t w = input.width;
        const uint8_t* base = fixed_bytes(w);
        for (int64_t i = 0; i < n(); ++i) out[i] = BucketOf(HashBytes(base + i * w, w), buckets);
        break;
      }
      case Layout::kOffsets32: BucketOffsets<int32_t>(out, buckets); break;
      case Layout::kOffsets64: BucketOffsets<int64_t>(out, buckets); break;
      case Layout::kView: {
        // Views of null slots need not point anywhere valid: skip them.
        const auto* views = values<arrow::BinaryViewType::c_type>();
        const Validity valid = ValidityOf(in);
        for (int64_t i = 0; i < n(); ++i) {
          if (!valid(i)) {
            out[i] = 0;
            continue;
          }
          const std::string_view s = View(views[i]);
          out[i] = BucketOf(spec::Murmur3Hash32(s), buckets);
        }
        break;
      }
      default:  // CanTransform excluded the rest
        return Status::Invalid("transform ", t.ToString(), " has no kernel for ",
                               in.type->ToString());
    }
    return FixedOutput(in, arrow::int32(), std::move(buffer));
  }

  // --- year, month, day, hour ---

  // Writes f(v[i]) for every row; an ordinal outside int32 is an error when
  // the row is valid (null slots may hold anything).
  template <typename T, typename F>
  Status TimeLoop(const T* v, int32_t* out, F f) const {
    const Validity valid = ValidityOf(in);
    for (int64_t i = 0; i < n(); ++i) {
      const int64_t ordinal = f(v[i]);
      if (ordinal < std::numeric_limits<int32_t>::min() ||
          ordinal > std::numeric_limits<int32_t>::max()) [[unlikely]] {
        if (valid(i)) {
          return Status::Invalid("hour transform of timestamp ", int64_t{v[i]}, " in row ", i,
                                 " does not fit the int result (more than 245,000 years "
                                 "from 1970)");
        }
        out[i] = 0;
        continue;
      }
      out[i] = static_cast<int32_t>(ordinal);
    }
    return Status::OK();
  }

  // Runs the transform's loop over days (dates) or over µs obtained by
  // `to_micros` (timestamps).
  template <typename ToMicros>
  Status TimestampLoop(TransformKind kind, int32_t* out, ToMicros to_micros) const {
    const int64_t* v = values<int64_t>();
    switch (kind) {
      case TransformKind::kYear:
        return TimeLoop(v, out, [&](int64_t x) {
          return spec::internal::CivilFromDays(FloorDiv(to_micros(x), kMicrosPerDay)).year - 1970;
        });
      case TransformKind::kMonth:
        return TimeLoop(v, out, [&](int64_t x) {
          const auto c = spec::internal::CivilFromDays(FloorDiv(to_micros(x), kMicrosPerDay));
          return (c.year - 1970) * 12 + (c.month - 1);
        });
      case TransformKind::kDay:
        return TimeLoop(v, out, [&](int64_t x) { return FloorDiv(to_micros(x), kMicrosPerDay); });
      default:  // hour
        return TimeLoop(v, out, [&](int64_t x) { return FloorDiv(to_micros(x), kMicrosPerHour); });
    }
  }

  Result<std::shared_ptr<arrow::Array>> Time() const {
    const TransformKind kind = t.kind();
    FLOE_ASSIGN_OR_RAISE(auto buffer, Allocate(n() * 4));
    int32_t* out = MutableData<int32_t>(buffer);
    if (source.id() == TypeId::kDate) {
      const int32_t* v = values<int32_t>();
      switch (kind) {
        case TransformKind::kYear:
          FLOE_RETURN_NOT_OK(TimeLoop(v, out, [](int32_t d) {
            return spec::internal::CivilFromDays(d).year - 1970;
          }));
          break;
        case TransformKind::kMonth:
          FLOE_RETURN_NOT_OK(TimeLoop(v, out, [](int32_t d) {
            const auto c = spec::internal::CivilFromDays(d);
            return (c.year - 1970) * 12 + (c.month - 1);
          }));
          break;
        default:  // day of a date is the date; CanTransform excluded hour
          std::memcpy(out, v, static_cast<size_t>(n()) * 4);
          break;
      }
    } else if (spec::IsNanosecondType(source.id())) {
      FLOE_RETURN_NOT_OK(TimestampLoop(kind, out, [](int64_t ns) { return FloorDiv(ns, 1000); }));
    } else {
      FLOE_RETURN_NOT_OK(TimestampLoop(kind, out, [](int64_t us) { return us; }));
    }
    return FixedOutput(in, kind == TransformKind::kDay ? arrow::date32() : arrow::int32(),
                       std::move(buffer));
  }

  // --- truncate ---

  template <int kBytes>
  Status TruncateDecimals(uint8_t* out) const {
    const uint8_t* base = fixed_bytes(kBytes);
    const Validity valid = ValidityOf(in);
    const UInt128 limit = Pow10(source.precision());
    for (int64_t i = 0; i < n(); ++i) {
      if (!valid(i)) {
        StoreDecimal<kBytes>(out, i, 0);
        continue;
      }
      const Int128 v = LoadDecimal<kBytes>(base, i);
      if (Magnitude(v) >= limit) [[unlikely]] return DecimalTooWide(t, source, i, v);
      // Fits the storage width again: |v| < 10^precision of that width
      // and W < 2^31, so the result stays within the width's range.
      StoreDecimal<kBytes>(out, i, TruncateDecimal(v, t.param()));
    }
    return Status::OK();
  }

  // Strings and binary with offsets: the kept prefixes, copied into a new
  // data buffer no larger than the input's.
  template <typename O>
  Result<std::shared_ptr<arrow::Array>> TruncateOffsets(bool code_points) const {
    const O* off = values<O>();
    const uint8_t* data = var_data();
    const Validity valid = ValidityOf(in);
    const int32_t w = t.param();
    FLOE_ASSIGN_OR_RAISE(auto offsets, Allocate((n() + 1) * static_cast<int64_t>(sizeof(O))));
    auto bytes_r = arrow::AllocateResizableBuffer(off[n()] - off[0]);
    if (!bytes_r.ok()) return FromArrow(bytes_r.status(), "allocating a truncate output");
    std::shared_ptr<arrow::ResizableBuffer> bytes = std::move(bytes_r).ValueUnsafe();
    O* out_off = MutableData<O>(offsets);
    uint8_t* out = bytes->mutable_data();
    O pos = 0;
    out_off[0] = 0;
    for (int64_t i = 0; i < n(); ++i) {
      if (valid(i)) {
        const uint8_t* s = data + off[i];
        const auto keep = static_cast<O>(PrefixBytes(s, off[i + 1] - off[i], w, code_points));
        if (keep > 0) std::memcpy(out + pos, s, static_cast<size_t>(keep));
        pos += keep;
      }
      out_off[i + 1] = pos;
    }
    auto st = bytes->Resize(pos);
    if (!st.ok()) return FromArrow(st, "shrinking a truncate output");
    FLOE_ASSIGN_OR_RAISE(auto validity, OutputValidity(in));
    const int64_t nulls = validity ? in.GetNullCount() : 0;
    return arrow::MakeArray(arrow::ArrayData::Make(
        in.type, n(), {std::move(validity), std::move(offsets), std::move(bytes)}, nulls));
  }

  // Views: a prefix of a viewed value is a shorter view of the same bytes,
  // so the output shares the input's data buffers and only rewrites views.
  Result<std::shared_ptr<arrow::Array>> TruncateViews(bool code_points) const {
    using View16 = arrow::BinaryViewType::c_type;
    const View16* views = values<View16>();
    const Validity valid = ValidityOf(in);
    const int32_t w = t.param();
    FLOE_ASSIGN_OR_RAISE(auto buffer, Allocate(n() * static_cast<int64_t>(sizeof(View16))));
    View16* out = MutableData<View16>(buffer);
    for (int64_t i = 0; i < n(); ++i) {
      if (!valid(i)) {
        out[i] = View16{};  // the empty inline view
        continue;
      }
      const std::string_view s = View(views[i]);
      const auto* p = reinterpret_cast<const uint8_t*>(s.data());
      const auto keep = static_cast<int32_t>(PrefixBytes(p, views[i].size(), w, code_points));
      if (keep == views[i].size()) {
        out[i] = views[i];
      } else if (keep <= arrow::BinaryViewType::kInlineSize) {
        out[i] = arrow::util::ToInlineBinaryView(p, keep);
      } else {  // still out of line: same buffer, offset and prefix, shorter
        out[i] = views[i];
        out[i].ref.size = keep;
      }
    }
    FLOE_ASSIGN_OR_RAISE(auto validity, OutputValidity(in));
    const int64_t nulls = validity ? in.GetNullCount() : 0;
    std::vector<std::shared_ptr<arrow::Buffer>> buffers = {std::move(validity), std::move(buffer)};
    buffers.insert(buffers.end(), in.buffers.begin() + 2, in.buffers.end());
    return arrow::MakeArray(arrow::ArrayData::Make(in.type, n(), std::move(buffers), nulls));
  }

  Result<std::shared_ptr<arrow::Array>> Truncate() const {
    const bool code_points = source.id() == TypeId::kString;
    switch (input.layout) {
      case Layout::kInt32: {
        FLOE_ASSIGN_OR_RAISE(auto buffer, Allocate(n() * 4));
        int32_t* out = MutableData<int32_t>(buffer);
        const int32_t* v = values<int32_t>();
        for (int64_t i = 0; i < n(); ++i) out[i] = TruncateInt(v[i], t.param());
        return FixedOutput(in, in.type, std::move(buffer));
      }
      case Layout::kInt64: {
        FLOE_ASSIGN_OR_RAISE(auto buffer, Allocate(n() * 8));
        int64_t* out = MutableData<int64_t>(buffer);
        const int64_t* v = values<int64_t>();
        for (int64_t i = 0; i < n(); ++i) out[i] = TruncateLong(v[i], t.param());
        return FixedOutput(in, in.type, std::move(buffer));
      }
      case Layout::kDecimal32:
      case Layout::kDecimal64:
      case Layout::kDecimal128: {
        const int bytes = input.layout == Layout::kDecimal32   ? 4
                          : input.layout == Layout::kDecimal64 ? 8
                                                               : 16;
        FLOE_ASSIGN_OR_RAISE(auto buffer, Allocate(n() * bytes));
        uint8_t* out = buffer->mutable_data();
        if (bytes == 4) FLOE_RETURN_NOT_OK(TruncateDecimals<4>(out));
        if (bytes == 8) FLOE_RETURN_NOT_OK(TruncateDecimals<8>(out));
        if (bytes == 16) FLOE_RETURN_NOT_OK(TruncateDecimals<16>(out));
        return FixedOutput(in, in.type, std::move(buffer));
      }
      case Layout::kOffsets32: return TruncateOffsets<int32_t>(code_points);
      case Layout::kOffsets64: return TruncateOffsets<int64_t>(code_points);
      case Layout::kView: return TruncateViews(code_points);
      default:  // CanTransform excluded the rest
        return Status::Invalid("transform ", t.ToString(), " has no kernel for ",
                               in.type->ToString());
    }
  }

  // --- identity ---

  template <int kBytes>
  Status CheckDecimals() const {
    const uint8_t* base = fixed_bytes(kBytes);
    const Validity valid = ValidityOf(in);
    const UInt128 limit = Pow10(source.precision());
    for (int64_t i = 0; i < n(); ++i) {
      if (!valid(i)) continue;
      const Int128 v = LoadDecimal<kBytes>(base, i);
      if (Magnitude(v) >= limit) [[unlikely]] return DecimalTooWide(t, source, i, v);
    }
    return Status::OK();
  }

  Result<std::shared_ptr<arrow::Array>> Identity() const {
    // A valid Arrow decimal fits its own precision; only a wider Arrow type
    // than the column's can hold values the column cannot.
    if (input.precision > source.precision()) {
      switch (input.layout) {
        case Layout::kDecimal32: FLOE_RETURN_NOT_OK(CheckDecimals<4>()); break;
        case Layout::kDecimal64: FLOE_RETURN_NOT_OK(CheckDecimals<8>()); break;
        case Layout::kDecimal128: FLOE_RETURN_NOT_OK(CheckDecimals<16>()); break;
        default: break;
      }
    }
    return arrow::MakeArray(std::make_shared<arrow::ArrayData>(in));
  }
};

Result<std::shared_ptr<arrow::Array>> ApplyChecked(const Transform& t, const Type& source,
                                                   const arrow::ArrayData& in, Input input);

// A dictionary array: the transform runs over the dictionary only. Value
// transforms gather the transformed dictionary by the indices; identity and
// truncate keep the indices over a transformed dictionary.
Result<std::shared_ptr<arrow::Array>> ApplyToDictionary(const Transform& t, const Type& source,
                                                        const arrow::ArrayData& in, Input input) {
  if (t.kind() == TransformKind::kIdentity && input.precision <= source.precision()) {
    return arrow::MakeArray(std::make_shared<arrow::ArrayData>(in));
  }
  if (in.dictionary == nullptr) {
    return Status::Invalid("dictionary array of type ", in.type->ToString(), " has no dictionary");
  }
  FLOE_ASSIGN_OR_RAISE(auto dict, ApplyChecked(t, source, *in.dictionary, input));
  if (t.kind() == TransformKind::kIdentity || t.kind() == TransformKind::kTruncate) {
    auto out = std::make_shared<arrow::ArrayData>(in);
    out->dictionary = dict->data();
    return arrow::MakeArray(std::move(out));
  }
  FLOE_RETURN_NOT_OK(internal::EnsureArrowCompute());
  const auto& dict_type = static_cast<const arrow::DictionaryType&>(*in.type);
  auto indices = std::make_shared<arrow::ArrayData>(in);
  indices->type = dict_type.index_type();
  indices->dictionary = nullptr;
  return FromArrow(arrow::compute::Take(*dict, *arrow::MakeArray(std::move(indices))),
                   "gathering a transformed dictionary");
}

// The output type for inputs of `type`, once they are known to be accepted.
std::shared_ptr<arrow::DataType> OutputType(const Transform& t,
                                            std::shared_ptr<arrow::DataType> type) {
  switch (t.kind()) {
    case TransformKind::kBucket:
    case TransformKind::kYear:
    case TransformKind::kMonth:
    case TransformKind::kHour: return arrow::int32();
    case TransformKind::kDay: return arrow::date32();
    default: return type;  // identity, truncate, void
  }
}

Result<std::shared_ptr<arrow::Array>> ApplyChecked(const Transform& t, const Type& source,
                                                   const arrow::ArrayData& in, Input input) {
  // Empty arrays may lack their buffers altogether.
  if (in.length == 0) {
    return FromArrow(arrow::MakeEmptyArray(OutputType(t, in.type)), "building an empty array");
  }
  if (in.type->id() == arrow::Type::DICTIONARY) return ApplyToDictionary(t, source, in, input);
  const Kernel k{t, source, in, input};
  switch (t.kind()) {
    case TransformKind::kIdentity: return k.Identity();
    case TransformKind::kBucket: return k.Bucket();
    case TransformKind::kTruncate: return k.Truncate();
    case TransformKind::kYear:
    case TransformKind::kMonth:
    case TransformKind::kDay:
    case TransformKind::kHour: return k.Time();
    default:  // void and unknown are handled before
      return Status::Invalid("transform ", t.ToString(), " has no kernel");
  }
}

}  // namespace

Result<std::shared_ptr<arrow::DataType>> TransformOutputType(const Transform& t,
                                                             const Type& source_type,
                                                             const arrow::DataType& input_type) {
  FLOE_RETURN_NOT_OK(CheckInput(t, source_type, input_type).status());
  return OutputType(t, input_type.GetSharedPtr());
}

Result<std::shared_ptr<arrow::Array>> ApplyTransform(const Transform& t, const Type& source_type,
                                                     const arrow::Array& values) {
  FLOE_ASSIGN_OR_RAISE(Input input, CheckInput(t, source_type, *values.type()));
  if (t.kind() == TransformKind::kVoid) {
    return FromArrow(arrow::MakeArrayOfNull(values.type(), values.length()),
                     "building a void partition column");
  }
  return ApplyChecked(t, source_type, *values.data(), input);
}

Result<std::shared_ptr<arrow::ChunkedArray>> ApplyTransform(const Transform& t,
                                                            const Type& source_type,
                                                            const arrow::ChunkedArray& values) {
  FLOE_ASSIGN_OR_RAISE(auto type, TransformOutputType(t, source_type, *values.type()));
  arrow::ArrayVector chunks;
  chunks.reserve(static_cast<size_t>(values.num_chunks()));
  for (const auto& chunk : values.chunks()) {
    FLOE_ASSIGN_OR_RAISE(auto out, ApplyTransform(t, source_type, *chunk));
    chunks.push_back(std::move(out));
  }
  return FromArrow(arrow::ChunkedArray::Make(std::move(chunks), std::move(type)),
                   "assembling transformed chunks");
}

}  // namespace floe::data
