#include "floe/spec/literal.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

#include <nlohmann/json.hpp>

#include "floe/spec/format_internal.h"
#include "floe/spec/transform.h"  // DecimalToMinimalBytes
#include "floe/util/strings.h"

namespace floe::spec {

using internal::FloorDiv;
using internal::FloorMod;
using internal::FractionStyle;
using internal::kMicrosPerDay;
using internal::kMicrosPerSecond;
using internal::kNanosPerDay;
using internal::kNanosPerSecond;
using util::Quote;

namespace {

using UInt128 = unsigned __int128;

// ---------------------------------------------------------------------------
// Representation checks

// Whether `value` holds the storage alternative `type` uses (see literal.h),
// and for uuid and fixed the right number of bytes. Decimal precision is not
// checked here.
bool HoldsRepresentation(const Literal& value, const Type& type) {
  const Literal::Storage& s = value.storage();
  switch (type.id()) {
    case TypeId::kBoolean:
      return std::holds_alternative<bool>(s);
    case TypeId::kInt:
    case TypeId::kDate:
      return std::holds_alternative<int32_t>(s);
    case TypeId::kLong:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs:
      return std::holds_alternative<int64_t>(s);
    case TypeId::kFloat:
      return std::holds_alternative<float>(s);
    case TypeId::kDouble:
      return std::holds_alternative<double>(s);
    case TypeId::kDecimal:
      return std::holds_alternative<Int128>(s);
    case TypeId::kString:
      return std::holds_alternative<std::string>(s);
    case TypeId::kUuid:
      return std::holds_alternative<Bytes>(s) && std::get<Bytes>(s).data.size() == 16;
    case TypeId::kFixed:
      return std::holds_alternative<Bytes>(s) &&
             std::get<Bytes>(s).data.size() == static_cast<size_t>(type.length());
    case TypeId::kBinary:
      return std::holds_alternative<Bytes>(s);
    default:
      return false;
  }
}

// 10^n for 0 <= n <= 38 (10^38 < 2^127, so every entry fits).
UInt128 Pow10(int n) {
  UInt128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

bool FitsPrecision(Int128 unscaled, int32_t precision) {
  if (precision < 1 || precision > 38) return false;
  return internal::Magnitude(unscaled) < Pow10(precision);
}

// ---------------------------------------------------------------------------
// Little-endian integers (App. D: every fixed-width number is little-endian)

void AppendLittleEndian(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

uint64_t ReadLittleEndian(std::string_view b) {
  uint64_t v = 0;
  for (size_t i = b.size(); i-- > 0;) v = (v << 8) | static_cast<unsigned char>(b[i]);
  return v;
}

// ---------------------------------------------------------------------------
// Floating point text

// Shortest text that reads back to the same value ("1.0", "1.5e+20").
// Integral values get ".0" so that a JSON reader sees a floating-point number.
// REQUIRES: finite.
template <typename F>
std::string FormatFinite(F v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string out(buf, end);
  if (out.find_first_of(".e") == std::string::npos) out += ".0";
  return out;
}

// NaN and the infinities have no JSON number form; we write them as the
// strings "NaN", "Infinity" and "-Infinity" (what Jackson's default
// QUOTE_NON_NUMERIC_NUMBERS writes for Java) and accept them back.
template <typename F>
std::string FormatFloating(F v, bool json) {
  const char* special = nullptr;
  if (std::isnan(v)) {
    special = "NaN";
  } else if (std::isinf(v)) {
    special = v < 0 ? "-Infinity" : "Infinity";
  }
  if (special == nullptr) return FormatFinite(v);
  return json ? "\"" + std::string(special) + "\"" : std::string(special);
}

// Whether the decimal number `text`, already known to be out of range for
// its type, is too small rather than too large: whether the power of ten of
// its first significant digit ("123.4" -> 2, "0.001" -> -3, "1e-50" -> -50)
// is negative.
bool IsUnderflow(std::string_view text) {
  const size_t e = text.find_first_of("eE");
  std::string_view mantissa = text.substr(0, e);
  if (!mantissa.empty() && (mantissa[0] == '-' || mantissa[0] == '+')) mantissa.remove_prefix(1);
  const size_t point = std::min(mantissa.find('.'), mantissa.size());
  const size_t first = mantissa.find_first_of("123456789");
  if (first == std::string_view::npos) return true;  // zero
  int64_t power = first < point ? static_cast<int64_t>(point - first) - 1
                                : -static_cast<int64_t>(first - point);
  if (e != std::string_view::npos) {
    auto exponent = util::ParseInt64(text.substr(e + 1));
    if (exponent) power += std::clamp<int64_t>(*exponent, -100000, 100000);
  }
  return power < 0;
}

// Parses a float or double written as a decimal number or one of "NaN",
// "Infinity", "-Infinity" (also "inf", any case, and a leading '+').
template <typename F>
std::optional<F> ParseFloating(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') {
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  F v{};
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ptr != text.data() + text.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    // Too large is an error; too small reads as zero, as in Java.
    if (!IsUnderflow(text)) return std::nullopt;
    return text[0] == '-' ? -F(0) : F(0);
  }
  if (ec != std::errc()) return std::nullopt;
  return v;
}

// ---------------------------------------------------------------------------
// Decimals

// "14.20" for unscaled 1420 at scale 2; "-0.05"; "1420" at scale 0.
std::string FormatDecimalPlain(Int128 unscaled, int32_t scale) {
  std::string digits = internal::UInt128Digits(internal::Magnitude(unscaled));
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale)) {
      digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(scale), 1, '.');
  }
  return unscaled < 0 ? "-" + digits : digits;
}

// A decimal number as written: sign, significant digits and the scale that
// java.math.BigDecimal(String) would give it ("14.20" -> 1420 scale 2,
// "2E+20" -> 2 scale -20, "1.420E+1" -> 1420 scale 2).
struct DecimalText {
  bool negative = false;
  std::string digits;  // without leading zeros; empty for zero
  int64_t scale = 0;
};

std::optional<DecimalText> ParseDecimalText(std::string_view text) {
  DecimalText out;
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) out.negative = text[i++] == '-';
  bool any_digit = false, in_fraction = false;
  int64_t fraction_digits = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !in_fraction) {
      in_fraction = true;
    } else if (c >= '0' && c <= '9') {
      any_digit = true;
      if (in_fraction) ++fraction_digits;
      if (c != '0' || !out.digits.empty()) out.digits.push_back(c);
      if (out.digits.size() > 200) return std::nullopt;  // far beyond any precision
    } else {
      break;
    }
  }
  if (!any_digit) return std::nullopt;
  int64_t exponent = 0;
  if (i < text.size()) {
    if (text[i] != 'e' && text[i] != 'E') return std::nullopt;
    std::string_view exp_text = text.substr(i + 1);
    if (exp_text.size() > 1 && exp_text[0] == '+' && exp_text[1] == '-') return std::nullopt;
    auto e = util::ParseInt64(exp_text);
    if (!e || *e < -100000 || *e > 100000) return std::nullopt;
    exponent = *e;
  }
  out.scale = fraction_digits - exponent;
  return out;
}

// The unscaled value of `text` at `type`'s scale. Exact only: "10.5" is 1050
// at scale 2, "10.555" is an error. The result must fit the precision.
Result<Int128> DecimalAtScale(const DecimalText& d, std::string_view text, const Type& type) {
  std::string digits = d.digits;
  const int64_t shift = type.scale() - d.scale;  // positive: append zeros
  if (!digits.empty()) {
    if (shift >= 0) {
      if (static_cast<int64_t>(digits.size()) + shift > type.precision()) {
        return Status::Invalid("decimal ", Quote(text), " does not fit ", type.ToString(),
                               ": more than ", type.precision(), " digits");
      }
      digits.append(static_cast<size_t>(shift), '0');
    } else {
      const int64_t drop = -shift;
      const bool exact = drop <= static_cast<int64_t>(digits.size()) &&
                         digits.find_first_not_of('0', digits.size() - drop) == std::string::npos;
      if (!exact) {
        return Status::Invalid("decimal ", Quote(text), " cannot be represented exactly in ",
                               type.ToString(), ": it has more than ", type.scale(),
                               " digits after the decimal point");
      }
      digits.resize(digits.size() - static_cast<size_t>(drop));
      if (static_cast<int64_t>(digits.size()) > type.precision()) {
        return Status::Invalid("decimal ", Quote(text), " does not fit ", type.ToString(),
                               ": more than ", type.precision(), " digits");
      }
    }
  }
  UInt128 magnitude = 0;
  for (char c : digits) magnitude = magnitude * 10 + static_cast<unsigned>(c - '0');
  const Int128 v = static_cast<Int128>(magnitude);
  return d.negative ? -v : v;
}

// ---------------------------------------------------------------------------
// Dates and times as text

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool AtEnd() const { return pos_ == s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[pos_]; }
  bool Consume(char c) {
    if (AtEnd() || s_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  // Reads between `min` and `max` decimal digits.
  bool Digits(int min, int max, int64_t* out, int* count = nullptr) {
    int n = 0;
    int64_t v = 0;
    while (n < max && !AtEnd() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      v = v * 10 + (s_[pos_++] - '0');
      ++n;
    }
    if (count) *count = n;
    *out = v;
    return n >= min;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

// [+-]YYYY-MM-DD (more year digits allowed, as java.time writes them).
bool ScanDate(Scanner& sc, int64_t* days) {
  const bool negative = sc.Consume('-');
  if (!negative) sc.Consume('+');
  int64_t year, month, day;
  if (!sc.Digits(4, 9, &year) || !sc.Consume('-') || !sc.Digits(2, 2, &month) ||
      !sc.Consume('-') || !sc.Digits(2, 2, &day)) {
    return false;
  }
  if (negative) year = -year;
  if (month < 1 || month > 12) return false;
  if (day < 1 || day > internal::DaysInMonth(year, static_cast<int>(month))) return false;
  *days = internal::DaysFromCivil(year, static_cast<int>(month), static_cast<int>(day));
  return true;
}

// HH:MM[:SS[.F]] with 1 to 9 fraction digits, as nanoseconds after midnight.
bool ScanClock(Scanner& sc, int64_t* nanos) {
  int64_t hh, mm, ss = 0, fraction = 0;
  if (!sc.Digits(2, 2, &hh) || !sc.Consume(':') || !sc.Digits(2, 2, &mm)) return false;
  if (sc.Consume(':')) {
    if (!sc.Digits(2, 2, &ss)) return false;
    if (sc.Consume('.')) {
      int n;
      if (!sc.Digits(1, 9, &fraction, &n)) return false;
      for (; n < 9; ++n) fraction *= 10;
    }
  }
  if (hh > 23 || mm > 59 || ss > 59) return false;
  *nanos = ((hh * 60 + mm) * 60 + ss) * kNanosPerSecond + fraction;
  return true;
}

// Z, or +HH:MM, +HHMM, +HH (and '-'), as seconds east of UTC.
bool ScanOffset(Scanner& sc, int64_t* seconds) {
  if (sc.Consume('Z') || sc.Consume('z')) {
    *seconds = 0;
    return true;
  }
  int sign;
  if (sc.Consume('+')) {
    sign = 1;
  } else if (sc.Consume('-')) {
    sign = -1;
  } else {
    return false;
  }
  int64_t hh, mm = 0;
  if (!sc.Digits(2, 2, &hh)) return false;
  if (sc.Consume(':')) {
    if (!sc.Digits(2, 2, &mm)) return false;
  } else if (!sc.AtEnd() && !sc.Digits(2, 2, &mm)) {
    return false;
  }
  if (hh > 18 || mm > 59) return false;
  *seconds = sign * (hh * 3600 + mm * 60);
  return true;
}

Result<int32_t> ParseDateText(std::string_view text) {
  Scanner sc(text);
  int64_t days;
  if (!ScanDate(sc, &days) || !sc.AtEnd()) {
    return Status::Invalid("cannot parse ", Quote(text),
                           " as a date: expected YYYY-MM-DD, e.g. 2017-11-16");
  }
  if (days < std::numeric_limits<int32_t>::min() || days > std::numeric_limits<int32_t>::max()) {
    return Status::Invalid("date ", Quote(text), " is out of range");
  }
  return static_cast<int32_t>(days);
}

Result<int64_t> ParseTimeText(std::string_view text) {
  Scanner sc(text);
  int64_t nanos;
  if (!ScanClock(sc, &nanos) || !sc.AtEnd()) {
    return Status::Invalid("cannot parse ", Quote(text),
                           " as a time: expected HH:MM:SS with up to 6 fraction digits, e.g. "
                           "22:31:08.123456");
  }
  if (nanos % 1000 != 0) {
    return Status::Invalid("time ", Quote(text), " has more than microsecond precision");
  }
  return nanos / 1000;
}

// How strictly timestamps treat zone offsets.
enum class OffsetRule {
  kHuman,  // tz types: optional offset (none means UTC); other types: none allowed
  kJson,   // tz types: offset required (App. D); other types: none allowed
};

// Timestamps of any of the four types: a date, optionally 'T' or ' ' and a
// clock time, optionally a zone offset (converted to UTC).
Result<int64_t> ParseTimestampText(std::string_view text, const Type& type, OffsetRule rule) {
  const bool tz = type.id() == TypeId::kTimestampTz || type.id() == TypeId::kTimestampTzNs;
  const bool nanos_unit = IsNanosecondType(type.id());
  Scanner sc(text);
  int64_t days, nanos_of_day = 0, offset_seconds = 0;
  bool ok = ScanDate(sc, &days);
  if (ok && (sc.Consume('T') || sc.Consume('t') || sc.Consume(' '))) {
    ok = ScanClock(sc, &nanos_of_day);
  }
  bool has_offset = false;
  if (ok && !sc.AtEnd()) ok = has_offset = ScanOffset(sc, &offset_seconds);
  if (!ok || !sc.AtEnd()) {
    return Status::Invalid("cannot parse ", Quote(text), " as a ", type.ToString(),
                           ": expected YYYY-MM-DD[THH:MM:SS[.fraction]]",
                           tz ? "[Z|+HH:MM]" : "", ", e.g. 2017-11-16T22:31:08",
                           tz ? "+00:00" : "");
  }
  if (has_offset && !tz) {
    return Status::Invalid("cannot parse ", Quote(text), " as a ", type.ToString(),
                           ": a timestamp without time zone must not have a zone offset");
  }
  if (!has_offset && tz && rule == OffsetRule::kJson) {
    return Status::Invalid("cannot parse ", Quote(text), " as a ", type.ToString(),
                           ": the JSON form must end with the offset +00:00");
  }
  if (!nanos_unit && nanos_of_day % 1000 != 0) {
    return Status::Invalid(type.ToString(), " ", Quote(text),
                           " has more than microsecond precision");
  }
  const Int128 per_second = nanos_unit ? kNanosPerSecond : kMicrosPerSecond;
  const Int128 value = Int128(days) * (nanos_unit ? kNanosPerDay : kMicrosPerDay) +
                       (nanos_unit ? nanos_of_day : nanos_of_day / 1000) -
                       Int128(offset_seconds) * per_second;
  if (value < std::numeric_limits<int64_t>::min() || value > std::numeric_limits<int64_t>::max()) {
    return Status::Invalid(type.ToString(), " ", Quote(text), " is out of range",
                           nanos_unit ? " (nanosecond timestamps cover 1677 to 2262)" : "");
  }
  return static_cast<int64_t>(value);
}

std::string FormatTime(int64_t micros) {
  if (micros < 0 || micros >= kMicrosPerDay) return std::to_string(micros);  // not a valid time
  return internal::FormatClock(micros * 1000, FractionStyle::kMicros);
}

std::string FormatTimestamp(int64_t v, TypeId id) {
  const bool nanos_unit = IsNanosecondType(id);
  const int64_t per_day = nanos_unit ? kNanosPerDay : kMicrosPerDay;
  const int64_t days = FloorDiv(v, per_day);
  const int64_t rest = FloorMod(v, per_day);
  std::string out = internal::FormatIsoDate(days) + "T" +
                    internal::FormatClock(nanos_unit ? rest : rest * 1000,
                                          nanos_unit ? FractionStyle::kNanos
                                                     : FractionStyle::kMicros);
  if (id == TypeId::kTimestampTz || id == TypeId::kTimestampTzNs) out += "+00:00";
  return out;
}

// "f79c3e09-677c-4bbd-a479-3f349cb785e7", either case, as 16 big-endian bytes.
std::optional<std::string> ParseUuid(std::string_view text) {
  if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' ||
      text[23] != '-') {
    return std::nullopt;
  }
  std::string hex;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i != 8 && i != 13 && i != 18 && i != 23) hex.push_back(text[i]);
  }
  return util::HexDecode(hex);
}

// ---------------------------------------------------------------------------
// Text forms shared by LiteralToString and LiteralToJson

// The stored value without its type, for a Literal that does not match the
// type it is printed as: better a faithful rendering than a lost value.
std::string FormatUntyped(const Literal& value, bool json) {
  return std::visit(
      [&](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return "null";
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
          return FormatFloating(v, json);
        } else if constexpr (std::is_same_v<T, Int128>) {
          return FormatDecimalPlain(v, 0);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return json ? util::JsonQuote(v) : v;
        } else if constexpr (std::is_same_v<T, Bytes>) {
          return json ? util::JsonQuote(util::HexEncode(v.data)) : util::HexEncode(v.data);
        } else {
          return std::to_string(v);
        }
      },
      value.storage());
}

// The text form of a non-null value; JSON strings are not yet quoted.
// `json` only changes how NaN and the infinities are written.
std::string FormatTyped(const Literal& value, const Type& type, bool json) {
  switch (type.id()) {
    case TypeId::kBoolean:
      return value.bool_value() ? "true" : "false";
    case TypeId::kInt:
      return std::to_string(value.int_value());
    case TypeId::kLong:
      return std::to_string(value.long_value());
    case TypeId::kFloat:
      return FormatFloating(value.float_value(), json);
    case TypeId::kDouble:
      return FormatFloating(value.double_value(), json);
    case TypeId::kDecimal:
      return FormatDecimalPlain(value.decimal_value(), type.scale());
    case TypeId::kDate:
      return internal::FormatIsoDate(value.int_value());
    case TypeId::kTime:
      return FormatTime(value.long_value());
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs:
      return FormatTimestamp(value.long_value(), type.id());
    case TypeId::kString:
      return value.string_value();
    case TypeId::kUuid:
      return internal::FormatUuid(value.bytes_value());
    case TypeId::kFixed:
    case TypeId::kBinary:
      return util::HexEncode(value.bytes_value());
    default:
      return FormatUntyped(value, json);
  }
}

// Whether the JSON form of `type` is a JSON string (App. D).
bool IsJsonString(TypeId id) {
  switch (id) {
    case TypeId::kBoolean:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kFloat:
    case TypeId::kDouble:
      return false;
    default:
      return true;
  }
}

Status NoSingleValueForm(const Type& type) {
  return Status::NotSupported("type ", type.ToString(), " has no single-value form");
}

// Parses a string the way LiteralFromString and LiteralFromJson share:
// every type whose JSON form is a string. `rule` picks the offset rule.
Result<Literal> ParseTextValue(std::string_view text, const Type& type, OffsetRule rule) {
  switch (type.id()) {
    case TypeId::kDate: {
      FLOE_ASSIGN_OR_RAISE(int32_t days, ParseDateText(text));
      return Literal::Int(days);
    }
    case TypeId::kTime: {
      FLOE_ASSIGN_OR_RAISE(int64_t micros, ParseTimeText(text));
      return Literal::Long(micros);
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs: {
      FLOE_ASSIGN_OR_RAISE(int64_t v, ParseTimestampText(text, type, rule));
      return Literal::Long(v);
    }
    case TypeId::kString:
      return Literal::String(std::string(text));
    case TypeId::kUuid: {
      auto bytes = ParseUuid(text);
      if (!bytes) {
        return Status::Invalid("cannot parse ", Quote(text),
                               " as a uuid: expected 8-4-4-4-12 hex digits, e.g. "
                               "f79c3e09-677c-4bbd-a479-3f349cb785e7");
      }
      return Literal::Binary(std::move(*bytes));
    }
    case TypeId::kFixed:
    case TypeId::kBinary: {
      auto bytes = util::HexDecode(text);
      if (!bytes) {
        return Status::Invalid("cannot parse ", Quote(text), " as ", type.ToString(),
                               ": expected an even number of hex digits");
      }
      if (type.id() == TypeId::kFixed && bytes->size() != static_cast<size_t>(type.length())) {
        return Status::Invalid("cannot parse ", Quote(text), " as ", type.ToString(), ": it has ",
                               bytes->size(), " bytes, expected ", type.length());
      }
      return Literal::Binary(std::move(*bytes));
    }
    default:
      return NoSingleValueForm(type);
  }
}

template <typename F>
Result<Literal> ParseFloatingValue(std::string_view text, const Type& type) {
  auto v = ParseFloating<F>(text);
  if (!v) {
    return Status::Invalid("cannot parse ", Quote(text), " as a ", type.ToString(),
                           ": expected a number, NaN, Infinity or -Infinity");
  }
  if constexpr (std::is_same_v<F, float>) {
    return Literal::Float(*v);
  } else {
    return Literal::Double(*v);
  }
}

Result<Literal> ParseIntegral(std::string_view text, const Type& type) {
  // An optional sign and decimal digits, nothing else.
  std::string_view digits = text;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.remove_prefix(1);
  std::optional<int64_t> v;
  if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos) {
    v = util::ParseInt64(text);
  }
  if (!v) {
    return Status::Invalid("cannot parse ", Quote(text), " as ", type.ToString(),
                           ": expected a whole number in the 64-bit range");
  }
  if (type.id() == TypeId::kInt) {
    if (*v < std::numeric_limits<int32_t>::min() || *v > std::numeric_limits<int32_t>::max()) {
      return Status::Invalid("cannot parse ", Quote(text),
                             " as int: out of the 32-bit range; use a long column");
    }
    return Literal::Int(static_cast<int32_t>(*v));
  }
  return Literal::Long(*v);
}

}  // namespace

// ---------------------------------------------------------------------------
// Literal

bool Literal::operator==(const Literal& other) const {
  if (v_.index() != other.v_.index()) return false;
  // Bit patterns, not IEEE equality: NaN equals itself and -0.0 differs from 0.0.
  if (const float* f = std::get_if<float>(&v_)) {
    return std::bit_cast<uint32_t>(*f) == std::bit_cast<uint32_t>(other.float_value());
  }
  if (const double* d = std::get_if<double>(&v_)) {
    return std::bit_cast<uint64_t>(*d) == std::bit_cast<uint64_t>(other.double_value());
  }
  return v_ == other.v_;
}

bool LiteralMatchesType(const Literal& value, const Type& type) {
  if (value.is_null()) return true;
  if (!HoldsRepresentation(value, type)) return false;
  // A decimal must fit its precision, or it could not be written to the
  // type's Avro fixed or Parquet column (§Primitive Types).
  if (type.id() == TypeId::kDecimal) return FitsPrecision(value.decimal_value(), type.precision());
  return true;
}

// ---------------------------------------------------------------------------
// Binary single-value serialization (App. D)

std::string SerializeSingleValue(const Literal& value, const Type& type) {
  if (value.is_null() || !HoldsRepresentation(value, type)) return {};  // REQUIRES violated
  std::string out;
  switch (type.id()) {
    case TypeId::kBoolean:
      out.push_back(value.bool_value() ? '\x01' : '\x00');
      break;
    case TypeId::kInt:
    case TypeId::kDate:
      AppendLittleEndian(&out, static_cast<uint32_t>(value.int_value()), 4);
      break;
    case TypeId::kLong:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs:
      AppendLittleEndian(&out, static_cast<uint64_t>(value.long_value()), 8);
      break;
    case TypeId::kFloat:
      AppendLittleEndian(&out, std::bit_cast<uint32_t>(value.float_value()), 4);
      break;
    case TypeId::kDouble:
      AppendLittleEndian(&out, std::bit_cast<uint64_t>(value.double_value()), 8);
      break;
    case TypeId::kDecimal:
      out = DecimalToMinimalBytes(value.decimal_value());
      break;
    case TypeId::kString:
      out = value.string_value();
      break;
    case TypeId::kUuid:  // already the 16 big-endian bytes
    case TypeId::kFixed:
    case TypeId::kBinary:
      out = value.bytes_value();
      break;
    default:
      break;
  }
  return out;
}

Result<Literal> DeserializeSingleValue(std::string_view bytes, const Type& type) {
  const size_t n = bytes.size();
  auto wrong_length = [&](std::string_view expected) {
    return Status::Corruption("cannot read a ", type.ToString(), " single value from ", n,
                              n == 1 ? " byte" : " bytes", ": expected ", expected);
  };
  switch (type.id()) {
    case TypeId::kBoolean:
      if (n != 1) return wrong_length("1 byte");
      return Literal::Boolean(bytes[0] != 0);  // App. D: any non-zero byte is true
    case TypeId::kInt:
    case TypeId::kDate:
      if (n != 4) return wrong_length("4 bytes");
      return Literal::Int(static_cast<int32_t>(ReadLittleEndian(bytes)));
    case TypeId::kLong:
      // §Schema Evolution: bounds written before int -> long keep 4 bytes.
      if (n == 4) return Literal::Long(static_cast<int32_t>(ReadLittleEndian(bytes)));
      if (n != 8) return wrong_length("8 bytes (or 4 for a value written as int)");
      return Literal::Long(static_cast<int64_t>(ReadLittleEndian(bytes)));
    case TypeId::kFloat:
      if (n != 4) return wrong_length("4 bytes");
      return Literal::Float(std::bit_cast<float>(static_cast<uint32_t>(ReadLittleEndian(bytes))));
    case TypeId::kDouble:
      // float -> double promotion: a 4-byte value is a float (exactly widened).
      if (n == 4) {
        return Literal::Double(
            std::bit_cast<float>(static_cast<uint32_t>(ReadLittleEndian(bytes))));
      }
      if (n != 8) return wrong_length("8 bytes (or 4 for a value written as float)");
      return Literal::Double(std::bit_cast<double>(ReadLittleEndian(bytes)));
    case TypeId::kTimestamp:
    case TypeId::kTimestampNs:
      // v3 date -> timestamp(_ns) promotion: a 4-byte value is days, i.e. midnight.
      if (n == 4) {
        const int64_t days = static_cast<int32_t>(ReadLittleEndian(bytes));
        const Int128 v = Int128(days) * (type.id() == TypeId::kTimestamp ? kMicrosPerDay
                                                                          : kNanosPerDay);
        if (v < std::numeric_limits<int64_t>::min() || v > std::numeric_limits<int64_t>::max()) {
          return Status::Corruption("cannot read a ", type.ToString(), " from the date ",
                                    internal::FormatIsoDate(days), ": out of range");
        }
        return Literal::Long(static_cast<int64_t>(v));
      }
      [[fallthrough]];
    case TypeId::kTime:
    case TypeId::kTimestampTz:
    case TypeId::kTimestampTzNs:
      if (n != 8) {
        return wrong_length(type.id() == TypeId::kTimestamp || type.id() == TypeId::kTimestampNs
                                ? "8 bytes (or 4 for a value written as date)"
                                : "8 bytes");
      }
      return Literal::Long(static_cast<int64_t>(ReadLittleEndian(bytes)));
    case TypeId::kDecimal: {
      // Minimal big-endian two's complement; values written at a lower
      // precision before a promotion are just shorter (§Schema Evolution).
      if (n == 0 || n > 16) return wrong_length("1 to 16 bytes");
      UInt128 u = (static_cast<unsigned char>(bytes[0]) & 0x80) ? ~UInt128(0) : UInt128(0);
      for (unsigned char c : bytes) u = (u << 8) | c;
      return Literal::Decimal(static_cast<Int128>(u));
    }
    case TypeId::kString:
      return Literal::String(std::string(bytes));
    case TypeId::kUuid:
      if (n != 16) return wrong_length("16 bytes");
      return Literal::Binary(std::string(bytes));
    case TypeId::kFixed:
      // Bounds may be shorter: Java truncates fixed metrics like binary
      // (truncate(16)), and a prefix is still a valid lower/upper bound.
      if (n > static_cast<size_t>(type.length())) {
        return wrong_length("at most " + std::to_string(type.length()) + " bytes");
      }
      return Literal::Binary(std::string(bytes));
    case TypeId::kBinary:
      return Literal::Binary(std::string(bytes));
    default:
      return NoSingleValueForm(type);
  }
}

// ---------------------------------------------------------------------------
// JSON single-value serialization (App. D)

std::string LiteralToJson(const Literal& value, const Type& type) {
  if (value.is_null()) return "null";
  if (!HoldsRepresentation(value, type)) return FormatUntyped(value, /*json=*/true);
  std::string text = FormatTyped(value, type, /*json=*/true);
  return IsJsonString(type.id()) ? util::JsonQuote(text) : text;
}

Result<Literal> LiteralFromJson(std::string_view json, const Type& type) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return Status::Invalid("cannot parse ", Quote(json), " as the JSON of a ", type.ToString(),
                           " value: malformed JSON");
  }
  if (j.is_null()) return Literal::Null();
  auto wrong = [&](std::string_view expected) {
    return Status::Invalid("cannot parse JSON ", Quote(json), " as a ", type.ToString(),
                           " value: expected ", expected);
  };
  switch (type.id()) {
    case TypeId::kBoolean:
      if (!j.is_boolean()) return wrong("true or false");
      return Literal::Boolean(j.get<bool>());
    case TypeId::kInt:
    case TypeId::kLong: {
      if (!j.is_number_integer()) return wrong("a whole number");
      if (j.is_number_unsigned() &&
          j.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return wrong("a number in the 64-bit range");
      }
      const int64_t v = j.get<int64_t>();
      if (type.id() == TypeId::kLong) return Literal::Long(v);
      if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
        return wrong("a number in the 32-bit range");
      }
      return Literal::Int(static_cast<int32_t>(v));
    }
    case TypeId::kFloat:
    case TypeId::kDouble: {
      // Re-read the number's own text so a float is rounded once, from
      // decimal, rather than through a double.
      std::string text;
      if (j.is_number()) {
        text = std::string(util::Trim(json));
      } else if (j.is_string() && (j.get<std::string>() == "NaN" ||
                                   j.get<std::string>() == "Infinity" ||
                                   j.get<std::string>() == "-Infinity")) {
        text = j.get<std::string>();
      } else {
        return wrong("a number, or one of the strings \"NaN\", \"Infinity\", \"-Infinity\"");
      }
      return type.id() == TypeId::kFloat ? ParseFloatingValue<float>(text, type)
                                         : ParseFloatingValue<double>(text, type);
    }
    case TypeId::kDecimal: {
      // App. D: a string whose digits after the point give the scale. A
      // bare JSON number is accepted too, read from its text the same way.
      std::string text;
      if (j.is_string()) {
        text = j.get<std::string>();
      } else if (j.is_number()) {
        text = std::string(util::Trim(json));
      } else {
        return wrong("a string such as \"14.20\"");
      }
      auto d = ParseDecimalText(text);
      if (!d) return wrong("a decimal string such as \"14.20\"");
      if (d->scale != type.scale()) {
        return Status::Invalid("cannot parse JSON ", Quote(json), " as a ", type.ToString(),
                               " value: its scale is ", d->scale, ", the type's is ",
                               type.scale(), " (write exactly ", type.scale(),
                               " digits after the point)");
      }
      FLOE_ASSIGN_OR_RAISE(Int128 unscaled, DecimalAtScale(*d, text, type));
      return Literal::Decimal(unscaled);
    }
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs:
    case TypeId::kString:
    case TypeId::kUuid:
    case TypeId::kFixed:
    case TypeId::kBinary: {
      if (!j.is_string()) return wrong("a JSON string");
      return ParseTextValue(j.get<std::string>(), type, OffsetRule::kJson);
    }
    default:
      return NoSingleValueForm(type);
  }
}

// ---------------------------------------------------------------------------
// Human-readable forms

std::string LiteralToString(const Literal& value, const Type& type) {
  if (value.is_null()) return "null";
  if (!HoldsRepresentation(value, type)) return FormatUntyped(value, /*json=*/false);
  return FormatTyped(value, type, /*json=*/false);
}

Result<Literal> LiteralFromString(std::string_view text, const Type& type) {
  // Strings and bytes are taken as given; everything else may carry the
  // spaces a user types around a filter literal.
  const std::string_view trimmed = util::Trim(text);
  switch (type.id()) {
    case TypeId::kBoolean:
      if (util::EqualsIgnoreCase(trimmed, "true")) return Literal::Boolean(true);
      if (util::EqualsIgnoreCase(trimmed, "false")) return Literal::Boolean(false);
      return Status::Invalid("cannot parse ", Quote(text), " as a boolean: expected true or false");
    case TypeId::kInt:
    case TypeId::kLong:
      return ParseIntegral(trimmed, type);
    case TypeId::kFloat:
      return ParseFloatingValue<float>(trimmed, type);
    case TypeId::kDouble:
      return ParseFloatingValue<double>(trimmed, type);
    case TypeId::kDecimal: {
      auto d = ParseDecimalText(trimmed);
      if (!d) {
        return Status::Invalid("cannot parse ", Quote(text), " as ", type.ToString(),
                               ": expected a decimal number such as 14.20");
      }
      FLOE_ASSIGN_OR_RAISE(Int128 unscaled, DecimalAtScale(*d, trimmed, type));
      return Literal::Decimal(unscaled);
    }
    case TypeId::kString:
    case TypeId::kBinary:
    case TypeId::kFixed:
      return ParseTextValue(text, type, OffsetRule::kHuman);
    default:
      return ParseTextValue(trimmed, type, OffsetRule::kHuman);
  }
}

// ---------------------------------------------------------------------------
// Ordering

namespace {

// Maps float bits to unsigned keys whose order is the spec's total order
// (§Sorting): -NaN < -Inf < ... < -0 < 0 < ... < Inf < NaN. Negative values
// are flipped whole so larger magnitudes sort first; positive ones get the
// sign bit set so they sort after every negative.
uint32_t FloatKey(float f) {
  const uint32_t bits = std::bit_cast<uint32_t>(f);
  return (bits & 0x80000000u) ? ~bits : bits | 0x80000000u;
}

uint64_t DoubleKey(double d) {
  const uint64_t bits = std::bit_cast<uint64_t>(d);
  return (bits & 0x8000000000000000ull) ? ~bits : bits | 0x8000000000000000ull;
}

template <typename T>
int ThreeWay(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int CompareBytes(std::string_view a, std::string_view b) {
  const int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  if (c != 0) return c < 0 ? -1 : 1;  // memcmp compares as unsigned char
  return ThreeWay(a.size(), b.size());
}

}  // namespace

int CompareLiterals(const Literal& a, const Literal& b, const Type& type) {
  // Defined for every pair so that sorting never misbehaves: nulls first,
  // then mismatched representations by kind.
  if (a.is_null() || b.is_null()) return ThreeWay(!a.is_null(), !b.is_null());
  if (a.storage().index() != b.storage().index()) {
    return ThreeWay(a.storage().index(), b.storage().index());
  }
  return std::visit(
      [&](const auto& x) -> int {
        using T = std::decay_t<decltype(x)>;
        const T& y = std::get<T>(b.storage());
        if constexpr (std::is_same_v<T, float>) {
          return ThreeWay(FloatKey(x), FloatKey(y));
        } else if constexpr (std::is_same_v<T, double>) {
          return ThreeWay(DoubleKey(x), DoubleKey(y));
        } else if constexpr (std::is_same_v<T, std::string>) {
          return CompareBytes(x, y);
        } else if constexpr (std::is_same_v<T, Bytes>) {
          return CompareBytes(x.data, y.data);
        } else if constexpr (std::is_same_v<T, std::monostate>) {
          return 0;
        } else {
          return ThreeWay(x, y);
        }
      },
      a.storage());
}

}  // namespace floe::spec
