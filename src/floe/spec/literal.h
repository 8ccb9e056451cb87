// Literal: one value of an Iceberg primitive type, or null.
//
// A Literal does not carry its type; the schema, partition type or bound's
// field gives it meaning. The physical representation per type:
//   boolean                         -> bool
//   int, date (days)                -> int32_t
//   long, time (µs), timestamp,
//   timestamptz (µs), *_ns (ns)     -> int64_t
//   float / double                  -> float / double
//   decimal(P,S)                    -> Int128 (the unscaled value; S from the type)
//   string                          -> std::string (UTF-8)
//   uuid (16 bytes, big-endian), fixed[L], binary -> Bytes
// Values of nested types, variant, geometry and geography have no Literal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "floe/result.h"
#include "floe/spec/type.h"

namespace floe::spec {

using Int128 = __int128;

// Raw bytes, distinct from text so that a Literal knows which it holds.
struct Bytes {
  std::string data;
  bool operator==(const Bytes&) const = default;
};

class Literal {
 public:
  using Storage = std::variant<std::monostate, bool, int32_t, int64_t, float, double, Int128,
                               std::string, Bytes>;

  Literal() = default;  // null
  static Literal Null() { return Literal(); }
  static Literal Boolean(bool v) { return Literal(std::in_place_type<bool>, v); }
  static Literal Int(int32_t v) { return Literal(std::in_place_type<int32_t>, v); }  // int, date
  // long, time, timestamps
  static Literal Long(int64_t v) { return Literal(std::in_place_type<int64_t>, v); }
  static Literal Float(float v) { return Literal(std::in_place_type<float>, v); }
  static Literal Double(double v) { return Literal(std::in_place_type<double>, v); }
  static Literal Decimal(Int128 unscaled) { return Literal(std::in_place_type<Int128>, unscaled); }
  static Literal String(std::string v) {
    return Literal(std::in_place_type<std::string>, std::move(v));
  }
  static Literal Binary(std::string bytes) {
    return Literal(std::in_place_type<Bytes>, Bytes{std::move(bytes)});
  }

  bool is_null() const { return std::holds_alternative<std::monostate>(v_); }
  const Storage& storage() const { return v_; }

  // REQUIRES: the Literal holds that alternative.
  bool bool_value() const { return std::get<bool>(v_); }
  int32_t int_value() const { return std::get<int32_t>(v_); }
  int64_t long_value() const { return std::get<int64_t>(v_); }
  float float_value() const { return std::get<float>(v_); }
  double double_value() const { return std::get<double>(v_); }
  Int128 decimal_value() const { return std::get<Int128>(v_); }
  const std::string& string_value() const { return std::get<std::string>(v_); }
  const std::string& bytes_value() const { return std::get<Bytes>(v_).data; }

  // Exact equality of representation. Floats compare by bit pattern, so
  // NaN == NaN and -0.0 != 0.0 (partition equality, spec §Scan Planning).
  bool operator==(const Literal& other) const;

 private:
  // Builds the alternative in place rather than moving a temporary Storage
  // (which GCC 12 under -fsanitize flags with false -Wmaybe-uninitialized).
  template <typename T, typename... Args>
  explicit Literal(std::in_place_type_t<T> tag, Args&&... args)
      : v_(tag, std::forward<Args>(args)...) {}
  Storage v_;
};

// Whether `value` has the representation that `type` requires (or is null).
bool LiteralMatchesType(const Literal& value, const Type& type);

// --- Binary single-value serialization (spec Appendix D) ---

// Serializes a non-null value. REQUIRES: LiteralMatchesType(value, type).
std::string SerializeSingleValue(const Literal& value, const Type& type);

// Reads the binary single-value form of `type`. Values written under a
// narrower type before a promotion are recognised by length (§Schema
// Evolution): a 4-byte long is an int, a 4-byte double a float, a 4-byte
// timestamp a date (converted to µs or ns). Errors say the type and length.
Result<Literal> DeserializeSingleValue(std::string_view bytes, const Type& type);

// --- JSON single-value serialization (spec Appendix D), for primitives ---

// JSON text for `value` (e.g. `"2017-11-16"`, `34`, `"14.20"`); "null" for null.
std::string LiteralToJson(const Literal& value, const Type& type);
// Parses JSON text produced by LiteralToJson (or any spec-conforming writer).
Result<Literal> LiteralFromJson(std::string_view json, const Type& type);

// --- Human-readable forms ---

// Readable text: dates "2017-11-16", timestamps "2017-11-16T22:31:08.000001"
// (+ "+00:00" for tz types), decimals "14.20", uuids in 8-4-4-4-12 form,
// binary as lower-case hex, "null" for null.
std::string LiteralToString(const Literal& value, const Type& type);

// Parses the readable text form (the inverse of LiteralToString; also what
// a filter literal such as date '2024-01-02' carries).
Result<Literal> LiteralFromString(std::string_view text, const Type& type);

// Three-way comparison of two non-null values of `type`: negative, zero or
// positive. Floats order -NaN < -Inf < ... < -0 < 0 < ... < Inf < NaN;
// strings and binary compare as unsigned bytes (UTF-8 order equals code
// point order); uuids as unsigned big-endian bytes.
int CompareLiterals(const Literal& a, const Literal& b, const Type& type);

}  // namespace floe::spec
