// Iceberg schemas <-> Arrow schemas, carrying field ids as the Parquet field
// id metadata ("PARQUET:field_id") on every node, including list elements and
// map keys/values (spec Appendix A, Parquet).
//
// Type mapping: boolean/int/long/float/double -> bool/int32/int64/float32/
// float64; decimal(P,S) -> decimal128(P,S); date -> date32; time ->
// time64[us]; timestamp -> timestamp[us]; timestamptz -> timestamp[us, UTC];
// timestamp_ns/tz_ns -> timestamp[ns(, UTC)]; string -> utf8; uuid -> the
// arrow.uuid extension type (Parquet UUID logical type); fixed[L] ->
// fixed_size_binary(L); binary -> binary; unknown -> null; geometry and
// geography -> binary (WKB); list -> list<element>; map -> map<key, value>.
#pragma once

#include <arrow/type_fwd.h>

#include <memory>

#include "floe/result.h"
#include "floe/spec/schema.h"

namespace floe::data {

inline constexpr const char* kParquetFieldIdKey = "PARQUET:field_id";

// The Arrow type of an Iceberg type (nested types get field ids on children).
Result<std::shared_ptr<arrow::DataType>> ToArrowType(const spec::Type& type);
// One Arrow field for an Iceberg field, nullable unless required.
Result<std::shared_ptr<arrow::Field>> ToArrowField(const spec::NestedField& field);
Result<std::shared_ptr<arrow::Schema>> ToArrowSchema(const spec::Schema& schema);

// The field id stored on an Arrow field, if any.
std::optional<int32_t> FieldIdOf(const arrow::Field& field);

// Converts an Arrow schema whose every field carries a field id (as Parquet
// files written by Iceberg engines do). Errors name the field without an id
// or with an unsupported Arrow type.
Result<spec::Schema> FromArrowSchema(const arrow::Schema& schema, int32_t schema_id = 0);

// The Iceberg type for an Arrow type, with nested ids from `next_id` when
// the children carry none (used to create tables from plain Arrow data).
Result<spec::TypePtr> FromArrowType(const arrow::DataType& type, int32_t* next_id);

// Converts an Arrow schema without field ids, assigning fresh ids the way
// Java does for a new table: top-level fields 1..n first, then nested fields
// level by level. `last_column_id` receives the highest id assigned.
Result<spec::Schema> FromArrowSchemaAssigningIds(const arrow::Schema& schema,
                                                 int32_t* last_column_id);

}  // namespace floe::data
