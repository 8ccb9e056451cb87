// Iceberg types (spec §Schemas and Data Types), versions 1 to 3.
//
// A Type is immutable and shared through TypePtr. Nested types keep their
// children as NestedFields, uniformly: a struct has its fields, a list has
// one field (the element, named "element"), a map has two ("key", "value").
// That makes every id-carrying node a NestedField, so walks by field id need
// no special cases.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "floe/result.h"

namespace floe::spec {

enum class TypeId : uint8_t {
  kBoolean,
  kInt,
  kLong,
  kFloat,
  kDouble,
  kDecimal,
  kDate,
  kTime,
  kTimestamp,
  kTimestampTz,
  kTimestampNs,    // v3
  kTimestampTzNs,  // v3
  kString,
  kUuid,
  kFixed,
  kBinary,
  kUnknown,    // v3
  kVariant,    // v3
  kGeometry,   // v3
  kGeography,  // v3
  kStruct,
  kList,
  kMap,
};

class Type;
using TypePtr = std::shared_ptr<const Type>;

// A named, id-carrying child of a nested type: a struct field, a list
// element or a map key/value.
struct NestedField {
  int32_t id = 0;
  std::string name;
  bool required = false;
  TypePtr type;
  std::optional<std::string> doc;
  // v3 default values (§Default values) as the spec's JSON single-value
  // serialization (App. D), kept as JSON text so round trips are exact.
  std::optional<std::string> initial_default;
  std::optional<std::string> write_default;

  bool operator==(const NestedField& other) const;
};

class Type {
 public:
  // Primitive singletons.
  static TypePtr Boolean();
  static TypePtr Int();
  static TypePtr Long();
  static TypePtr Float();
  static TypePtr Double();
  static TypePtr Date();
  static TypePtr Time();
  static TypePtr Timestamp();
  static TypePtr TimestampTz();
  static TypePtr TimestampNs();
  static TypePtr TimestampTzNs();
  static TypePtr String();
  static TypePtr Uuid();
  static TypePtr Binary();
  static TypePtr Unknown();
  static TypePtr Variant();
  // REQUIRES: 1 <= precision <= 38, 0 <= scale (checked by ParseType, not here).
  static TypePtr Decimal(int32_t precision, int32_t scale);
  static TypePtr Fixed(int32_t length);
  // `crs` may be empty (the spec's default, OGC:CRS84). `algorithm` may be empty (spherical).
  static TypePtr Geometry(std::string crs);
  static TypePtr Geography(std::string crs, std::string algorithm);
  static TypePtr Struct(std::vector<NestedField> fields);
  static TypePtr List(NestedField element);
  static TypePtr Map(NestedField key, NestedField value);

  TypeId id() const { return id_; }
  bool is_primitive() const { return id_ < TypeId::kStruct; }
  bool is_nested() const { return !is_primitive(); }

  int32_t precision() const { return precision_; }  // decimal
  int32_t scale() const { return scale_; }          // decimal
  int32_t length() const { return precision_; }     // fixed
  const std::string& crs() const { return crs_; }   // geometry, geography
  const std::string& algorithm() const { return algorithm_; }  // geography

  // Struct fields; the list element; the map key and value.
  const std::vector<NestedField>& fields() const { return fields_; }
  const NestedField& element() const { return fields_[0]; }  // REQUIRES: list
  const NestedField& key() const { return fields_[0]; }      // REQUIRES: map
  const NestedField& value() const { return fields_[1]; }    // REQUIRES: map

  // The spec's type string for primitives ("decimal(9,2)", "fixed[16]",
  // "timestamptz"); "struct<...>", "list<...>", "map<...>" for nested types.
  std::string ToString() const;

  // Deep equality, including nested field ids, names, docs and defaults.
  bool Equals(const Type& other) const;

  // The lowest table format version that allows this type (1 or 3).
  int MinFormatVersion() const;

  Type(TypeId id, int32_t precision, int32_t scale, std::string crs, std::string algorithm,
       std::vector<NestedField> fields);

 private:
  TypeId id_;
  int32_t precision_ = 0;
  int32_t scale_ = 0;
  std::string crs_;
  std::string algorithm_;
  std::vector<NestedField> fields_;
};

// Parses a primitive type string (App. C): "int", "decimal(9, 2)",
// "fixed[16]", "geometry(srid:4326)", ... Whitespace inside parameters is
// accepted. Errors name the string and say what is allowed.
Result<TypePtr> ParsePrimitiveType(std::string_view text);

bool IsTimestampType(TypeId id);    // any of the four timestamp types
bool IsNanosecondType(TypeId id);   // timestamp_ns, timestamptz_ns
bool IsFloatingType(TypeId id);     // float, double

// Minimum bytes to hold a decimal of `precision` digits (spec §Primitive Types).
int32_t DecimalRequiredBytes(int32_t precision);

}  // namespace floe::spec
