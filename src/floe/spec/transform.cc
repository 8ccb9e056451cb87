#include "floe/spec/transform.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "floe/spec/format_internal.h"
#include "floe/spec/transform_kernels.h"
#include "floe/util/strings.h"

namespace floe::spec {

using internal::FloorDiv;
using internal::FloorMod;
using internal::FractionStyle;
using internal::kMicrosPerDay;
using internal::kMicrosPerHour;
using internal::kNanosPerDay;
using util::Quote;

namespace {

using kernels::HashDouble;
using kernels::HashLong;
using kernels::TruncateDecimal;
using kernels::TruncateInt;
using kernels::TruncateLong;

// At most `w` code points (§Truncate Transform Details note 3).
std::string TruncateString(const std::string& s, int32_t w) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  return s.substr(0, static_cast<size_t>(
                         kernels::Utf8PrefixBytes(p, static_cast<int64_t>(s.size()), w)));
}

// ---------------------------------------------------------------------------
// Time transforms (§Partition Transforms): counts from 1970 with floor
// semantics, so 1969-12-31T23:59:59.999999 is year, month, day and hour -1.

Result<Literal> ApplyTime(TransformKind kind, const Literal& value, TypeId source) {
  int64_t micros = 0, days;
  if (source == TypeId::kDate) {
    days = value.int_value();
  } else {
    const int64_t v = value.long_value();
    micros = IsNanosecondType(source) ? FloorDiv(v, 1000) : v;
    days = FloorDiv(micros, kMicrosPerDay);
  }
  int64_t ordinal;
  switch (kind) {
    case TransformKind::kYear:
      ordinal = internal::CivilFromDays(days).year - 1970;
      break;
    case TransformKind::kMonth: {
      const internal::CivilDate c = internal::CivilFromDays(days);
      ordinal = (c.year - 1970) * 12 + (c.month - 1);
      break;
    }
    case TransformKind::kDay:
      ordinal = days;
      break;
    default:  // kHour
      ordinal = FloorDiv(micros, kMicrosPerHour);
      break;
  }
  // Only hours can leave the int range: years, months and days of any date
  // or µs timestamp fit, but hours do beyond ±245,000 years from 1970.
  if (ordinal < std::numeric_limits<int32_t>::min() ||
      ordinal > std::numeric_limits<int32_t>::max()) {
    return Status::Invalid("hour transform of timestamp ", value.long_value(),
                           " does not fit the int result (more than 245,000 years from 1970)");
  }
  return Literal::Int(static_cast<int32_t>(ordinal));
}

// ---------------------------------------------------------------------------
// Human strings (Java's Transform.toHumanString, used in partition paths)

// String.format("%04d", year): four digits, or more; negatives as "-001".
std::string JavaPaddedYear(int64_t year) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(year));
  return buf;
}

std::string HumanDay(int64_t days) {
  const internal::CivilDate c = internal::CivilFromDays(days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "-%02d-%02d", c.month, c.day);
  return JavaPaddedYear(c.year) + buf;
}

std::string HumanMonth(int64_t months) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "-%02d", static_cast<int>(FloorMod(months, 12) + 1));
  return JavaPaddedYear(1970 + FloorDiv(months, 12)) + buf;
}

std::string HumanHour(int64_t hours) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "-%02d", static_cast<int>(FloorMod(hours, 24)));
  return HumanDay(FloorDiv(hours, 24)) + buf;
}

// java.time ISO_LOCAL_DATE_TIME: seconds always, fraction without trailing
// zeros; "+00:00" for the tz types (DateTimeUtil.microsToIsoTimestamptz).
std::string HumanTimestamp(int64_t v, TypeId id) {
  const bool nanos_unit = IsNanosecondType(id);
  const int64_t per_day = nanos_unit ? kNanosPerDay : kMicrosPerDay;
  const int64_t rest = FloorMod(v, per_day);
  std::string out = internal::FormatIsoDate(FloorDiv(v, per_day)) + "T" +
                    internal::FormatClock(nanos_unit ? rest : rest * 1000, FractionStyle::kTrimmed);
  if (id == TypeId::kTimestampTz || id == TypeId::kTimestampTzNs) out += "+00:00";
  return out;
}

// java.util.Base64 encoder: standard alphabet, '=' padding.
std::string Base64(std::string_view bytes) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                       static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

// Java's Float.toString / Double.toString: shortest digits that read back
// exactly; plain for 1e-3 <= |v| < 1e7 ("100.0", "0.001"), otherwise
// computerized scientific notation ("1.0E10", "1.5E-5").
template <typename F>
std::string JavaFloating(F v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v < 0 ? "-Infinity" : "Infinity";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(end - buf));  // "-1.2345e+02"
  std::string out;
  if (sci[0] == '-') {
    out = "-";
    sci.remove_prefix(1);
  }
  const size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  std::string_view exp_text = sci.substr(e + 1);
  if (exp_text[0] == '+') exp_text.remove_prefix(1);
  int exponent = 0;
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
  const F magnitude = std::fabs(v);
  if (magnitude >= F(1e-3) && magnitude < F(1e7)) {
    if (exponent >= 0) {
      const auto int_digits = static_cast<size_t>(exponent) + 1;
      if (digits.size() < int_digits) digits.append(int_digits - digits.size(), '0');
      std::string fraction = digits.substr(int_digits);
      out += digits.substr(0, int_digits) + "." + (fraction.empty() ? "0" : fraction);
    } else {
      out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
    }
  } else {
    out += digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0") + "E" +
           std::to_string(exponent);
  }
  return out;
}

// java.math.BigDecimal.toString: plain unless the adjusted exponent is below
// -6 (e.g. 0.0000001 at scale 7 is "1E-7"; zero at scale 7 is "0E-7").
std::string JavaBigDecimal(const Literal& value, const Type& type) {
  const Int128 unscaled = value.decimal_value();
  const std::string coefficient = internal::UInt128Digits(internal::Magnitude(unscaled));
  const int64_t adjusted =
      -static_cast<int64_t>(type.scale()) + static_cast<int64_t>(coefficient.size()) - 1;
  if (type.scale() >= 0 && adjusted >= -6) return LiteralToString(value, type);
  std::string out = unscaled < 0 ? "-" : "";
  out += coefficient.substr(0, 1);
  if (coefficient.size() > 1) out += "." + coefficient.substr(1);
  out += "E";
  if (adjusted >= 0) out += "+";
  return out + std::to_string(adjusted);
}

// The human form of an identity or truncate partition value of `type`.
std::string HumanValue(const Literal& value, const Type& type) {
  if (!LiteralMatchesType(value, type)) return LiteralToString(value, type);
  switch (type.id()) {
    case TypeId::kDate:
      return HumanDay(value.int_value());
    case TypeId::kTime: {
      const int64_t micros = value.long_value();
      if (micros < 0 || micros >= kMicrosPerDay) return LiteralToString(value, type);
      return internal::FormatClock(micros * 1000, FractionStyle::kLocalTime);
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs:
      return HumanTimestamp(value.long_value(), type.id());
    case TypeId::kFixed:
    case TypeId::kBinary:
      return Base64(value.bytes_value());
    case TypeId::kFloat:
      return JavaFloating(value.float_value());
    case TypeId::kDouble:
      return JavaFloating(value.double_value());
    case TypeId::kDecimal:
      return JavaBigDecimal(value, type);
    default:  // boolean, int, long, string, uuid: as LiteralToString writes them
      return LiteralToString(value, type);
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// Transform

Result<Transform> Transform::Parse(std::string_view text) {
  if (text.empty()) return Status::Invalid("empty partition transform name");
  const size_t open = text.find('[');
  const std::string_view name = text.substr(0, open);
  const bool is_bucket = util::EqualsIgnoreCase(name, "bucket");
  const bool is_truncate = util::EqualsIgnoreCase(name, "truncate");
  if (is_bucket || is_truncate) {
    const char* what = is_bucket ? "a positive number of buckets" : "a positive width";
    if (open == std::string_view::npos || text.back() != ']') {
      return Status::Invalid("invalid transform ", Quote(text), ": ", name, " needs ", what,
                             " in brackets, e.g. ", is_bucket ? "bucket[16]" : "truncate[10]");
    }
    const std::string_view arg = text.substr(open + 1, text.size() - open - 2);
    std::optional<int64_t> n;
    if (!arg.empty() && arg.find_first_not_of("0123456789") == std::string_view::npos) {
      n = util::ParseInt64(arg);
    }
    if (!n || *n <= 0 || *n > std::numeric_limits<int32_t>::max()) {
      return Status::Invalid("invalid transform ", Quote(text), ": ", name, " needs ", what,
                             " up to 2147483647, got ", Quote(arg));
    }
    return is_bucket ? Bucket(static_cast<int32_t>(*n)) : Truncate(static_cast<int32_t>(*n));
  }
  static constexpr std::pair<std::string_view, TransformKind> kSimple[] = {
      {"identity", TransformKind::kIdentity}, {"year", TransformKind::kYear},
      {"month", TransformKind::kMonth},       {"day", TransformKind::kDay},
      {"hour", TransformKind::kHour},         {"void", TransformKind::kVoid},
  };
  for (const auto& [simple, kind] : kSimple) {
    if (util::EqualsIgnoreCase(text, simple)) return Transform(kind, 0, "");
  }
  // §Partitioning: readers keep (and ignore) transforms they do not know.
  return Transform(TransformKind::kUnknown, 0, std::string(text));
}

std::string Transform::ToString() const {
  switch (kind_) {
    case TransformKind::kIdentity: return "identity";
    case TransformKind::kBucket: return "bucket[" + std::to_string(param_) + "]";
    case TransformKind::kTruncate: return "truncate[" + std::to_string(param_) + "]";
    case TransformKind::kYear: return "year";
    case TransformKind::kMonth: return "month";
    case TransformKind::kDay: return "day";
    case TransformKind::kHour: return "hour";
    case TransformKind::kVoid: return "void";
    case TransformKind::kUnknown: return text_;
  }
  return text_;
}

bool Transform::CanTransform(const Type& source) const {
  const TypeId id = source.id();
  switch (kind_) {
    case TransformKind::kIdentity:
      return source.is_primitive() && id != TypeId::kGeometry && id != TypeId::kGeography &&
             id != TypeId::kVariant;
    case TransformKind::kBucket:
      // Not boolean, float or double (App. B defines hashes for them, but
      // they are not valid bucket sources).
      switch (id) {
        case TypeId::kInt:
        case TypeId::kLong:
        case TypeId::kDecimal:
        case TypeId::kDate:
        case TypeId::kTime:
        case TypeId::kTimestamp:
        case TypeId::kTimestampTz:
        case TypeId::kTimestampNs:
        case TypeId::kTimestampTzNs:
        case TypeId::kString:
        case TypeId::kUuid:
        case TypeId::kFixed:
        case TypeId::kBinary:
          return true;
        default:
          return false;
      }
    case TransformKind::kTruncate:
      return id == TypeId::kInt || id == TypeId::kLong || id == TypeId::kDecimal ||
             id == TypeId::kString || id == TypeId::kBinary;
    case TransformKind::kYear:
    case TransformKind::kMonth:
    case TransformKind::kDay:
      return id == TypeId::kDate || IsTimestampType(id);
    case TransformKind::kHour:
      return IsTimestampType(id);
    case TransformKind::kVoid:
    case TransformKind::kUnknown:
      return true;
  }
  return false;
}

Result<TypePtr> Transform::ResultType(const TypePtr& source) const {
  if (source == nullptr) return Status::Invalid("transform ", ToString(), ": no source type");
  if (!CanTransform(*source)) {
    return Status::Invalid("transform ", ToString(), " cannot be applied to a column of type ",
                           source->ToString());
  }
  switch (kind_) {
    case TransformKind::kBucket:
    case TransformKind::kYear:
    case TransformKind::kMonth:
    case TransformKind::kHour:
      return Type::Int();
    case TransformKind::kDay:
      return Type::Date();
    case TransformKind::kUnknown:
      // The real result type is unknown; Java reports string, and readers
      // never filter on these fields anyway.
      return Type::String();
    default:  // identity, truncate, void
      return source;
  }
}

Result<Literal> Transform::Apply(const Literal& value, const Type& source) const {
  if (kind_ == TransformKind::kUnknown) {
    return Status::NotSupported("cannot apply the unknown partition transform ", Quote(text_));
  }
  if (!CanTransform(source)) {
    return Status::Invalid("transform ", ToString(), " cannot be applied to a ",
                           source.ToString(), " value");
  }
  if (value.is_null() || kind_ == TransformKind::kVoid) return Literal::Null();
  if (!LiteralMatchesType(value, source)) {
    return Status::Invalid("transform ", ToString(), ": value ", LiteralToString(value, source),
                           " is not a valid ", source.ToString());
  }
  switch (kind_) {
    case TransformKind::kIdentity:
      return value;
    case TransformKind::kBucket:
      return Literal::Int(BucketOf(BucketHash(value, source), param_));
    case TransformKind::kTruncate:
      switch (source.id()) {
        case TypeId::kInt:
          return Literal::Int(TruncateInt(value.int_value(), param_));
        case TypeId::kLong:
          return Literal::Long(TruncateLong(value.long_value(), param_));
        case TypeId::kDecimal:
          // The result may have one digit more than the precision at the
          // extremes (truncate[10] of -99.9 at decimal(3,1) is -100.0); Java
          // computes the same value and then refuses to write it.
          return Literal::Decimal(TruncateDecimal(value.decimal_value(), param_));
        case TypeId::kString:
          return Literal::String(TruncateString(value.string_value(), param_));
        default:  // binary: bytes, not characters (note 4)
          return Literal::Binary(value.bytes_value().substr(0, static_cast<size_t>(param_)));
      }
    default:
      return ApplyTime(kind_, value, source.id());
  }
}

std::string Transform::ToHumanString(const Literal& value, const Type& result_type) const {
  if (value.is_null()) return "null";
  const int32_t* ordinal = std::get_if<int32_t>(&value.storage());
  switch (kind_) {
    case TransformKind::kYear:
      if (ordinal) return JavaPaddedYear(1970 + int64_t{*ordinal});
      break;
    case TransformKind::kMonth:
      if (ordinal) return HumanMonth(*ordinal);
      break;
    case TransformKind::kDay:  // result type date, or int from old writers (§Partition
                               // Transforms note 1): both are days from 1970-01-01
      if (ordinal) return HumanDay(*ordinal);
      break;
    case TransformKind::kHour:
      if (ordinal) return HumanHour(*ordinal);
      break;
    case TransformKind::kVoid:
      return "null";
    default:
      break;
  }
  return HumanValue(value, result_type);
}

bool Transform::operator==(const Transform& other) const {
  return kind_ == other.kind_ && param_ == other.param_ &&
         (kind_ != TransformKind::kUnknown || text_ == other.text_);
}

bool Transform::PreservesOrder() const {
  switch (kind_) {
    case TransformKind::kIdentity:
    case TransformKind::kTruncate:
    case TransformKind::kYear:
    case TransformKind::kMonth:
    case TransformKind::kDay:
    case TransformKind::kHour:
      return true;
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------
// Hashes

int32_t Murmur3Hash32(std::string_view bytes) {
  return kernels::HashBytes(reinterpret_cast<const uint8_t*>(bytes.data()),
                            static_cast<int64_t>(bytes.size()));
}

int32_t BucketHash(const Literal& value, const Type& type) {
  const Literal::Storage& s = value.storage();
  switch (type.id()) {
    case TypeId::kInt:
    case TypeId::kDate:
    case TypeId::kLong:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      // The spec's table says hashInt for date, but Java's hashInt is
      // hashLong, and the spec's test value for 2017-11-16 is the 8-byte hash.
      if (const auto* v = std::get_if<int32_t>(&s)) return HashLong(*v);
      if (const auto* v = std::get_if<int64_t>(&s)) return HashLong(*v);
      return 0;
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs:
      // App. B note 3: microseconds (floor) so µs and ns columns agree.
      if (const auto* v = std::get_if<int64_t>(&s)) return HashLong(FloorDiv(*v, 1000));
      return 0;
    case TypeId::kDecimal:
      if (const auto* v = std::get_if<Int128>(&s)) return kernels::HashDecimal(*v);
      return 0;
    case TypeId::kString:
      if (const auto* v = std::get_if<std::string>(&s)) return Murmur3Hash32(*v);
      return 0;
    case TypeId::kUuid:
    case TypeId::kFixed:
    case TypeId::kBinary:
      if (const auto* v = std::get_if<Bytes>(&s)) return Murmur3Hash32(v->data);
      return 0;
    // Not valid bucket sources; App. B still defines their hashes.
    case TypeId::kBoolean:
      if (const auto* v = std::get_if<bool>(&s)) return HashLong(*v ? 1 : 0);
      return 0;
    case TypeId::kFloat:
      if (const auto* v = std::get_if<float>(&s)) return HashDouble(*v);
      return 0;
    case TypeId::kDouble:
      if (const auto* v = std::get_if<double>(&s)) return HashDouble(*v);
      return 0;
    default:  // unknown, variant, geo, nested: no hash is defined
      return 0;
  }
}

std::string DecimalToMinimalBytes(Int128 unscaled) {
  uint8_t be[16];
  const int start = kernels::MinimalDecimalBytes(unscaled, be);
  return std::string(reinterpret_cast<const char*>(be) + start, static_cast<size_t>(16 - start));
}

}  // namespace floe::spec
