// Conforms a user's Arrow batch (from CSV, Parquet, NDJSON: columns in any
// order, types as the input format inferred them) to a table schema, giving
// the batch ParquetWriter::Write expects: the schema's columns in order,
// with its Arrow types and field ids (ToArrowSchema).
//
// Columns are matched by name, at the top level and inside structs: the
// exact name first, then a case-insensitive match if exactly one column
// qualifies. Lists and maps are matched by position (element; key, value).
// A missing optional field becomes its v3 write-default, else nulls; a
// missing required field is an error unless it has a write-default.
//
// Conversions (nothing else; strings are never parsed here):
//   int          int8/16/32, uint8/16; int64, uint32/64 when every value fits
//   long         any integer type (uint64 when every value fits)
//   float        float; int8/16, uint8/16 (exact)
//   double       float, double; 8- to 32-bit integers (exact); int64/uint64
//                when every value is within +-2^53 (exact in a double)
//   decimal(P,S) any decimal or integer type, when no value loses digits
//   date         date32, date64 (whole days)
//   time         time32, time64, to microseconds when lossless
//   timestamp*   timestamp of any unit to the column's unit when lossless;
//                a zone is required for timestamptz and refused for timestamp
//                (any zone is accepted: Arrow stores UTC instants)
//   string       string, large_string, string_view
//   binary       binary, large_binary, binary_view, and the string types
//   uuid         the arrow.uuid extension, fixed_size_binary(16)
//   fixed[L]     fixed_size_binary(L)
//   any          a dictionary of a convertible type; the null type for an
//                optional field
// Errors (Invalid) name the column by its dotted path and say what to do:
//   missing required column 'event_id' (string, field id 1)
//   column 'user_id': cannot write int64 into string
//   column 'event_id' is required but has 3 null values
//   column 'extra' is not in the table schema (add the column to the table first, or drop
//   it from the input)
#pragma once

#include <arrow/type_fwd.h>

#include <memory>

#include "floe/result.h"
#include "floe/spec/schema.h"

namespace floe::data {

Result<std::shared_ptr<arrow::RecordBatch>> ConformBatch(const arrow::RecordBatch& batch,
                                                         const spec::Schema& schema);

}  // namespace floe::data
