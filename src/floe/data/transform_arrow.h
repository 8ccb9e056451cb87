// Partition transforms over Arrow arrays: the vectorised counterpart of the
// scalar spec::Transform::Apply (floe/spec/transform.h).
//
// Each call checks the transform, the Iceberg source type and the Arrow type
// once, then runs one tight loop over the array's raw buffers: no per-row
// virtual calls, Literals or allocations. Every output element equals what
// Transform::Apply returns for the same value (transform_arrow_test.cc checks
// this element by element for every transform and source type).
//
// Accepted Arrow input per Iceberg source type (arrow_schema.h's mapping,
// plus the variants a user's batch may carry):
//   boolean bool; int int32; long int64; float float32; double float64;
//   decimal(P,S) decimal128/decimal64/decimal32 with scale S (any precision;
//     values that do not fit P are an error, as for the scalar transform);
//   date date32; time time64[us];
//   timestamp / timestamp_ns       timestamp[us] / timestamp[ns] without a zone;
//   timestamptz / timestamptz_ns   timestamp[us] / timestamp[ns] with any zone
//                                  (Arrow stores UTC instants whatever the zone);
//   string utf8, large_utf8, string_view; binary binary, large_binary,
//     binary_view; uuid arrow.uuid or fixed_size_binary(16) (big-endian
//     bytes); fixed[L] fixed_size_binary(L); unknown null (identity, void);
//   and a dictionary array whose values are any of the above for the source.
// Anything else, and transforms the source type does not allow (bucket on a
// double), is Invalid naming the transform and both types. Unknown
// transforms are NotSupported.
//
// Output type:
//   bucket, year, month, hour  int32
//   day                        date32
//   identity                   the input itself (zero copy, same Arrow type)
//   truncate                   the input's Arrow type (a dictionary stays a
//                              dictionary over truncated values; string_view
//                              and binary_view outputs share the input's data)
//   void                       all nulls of the input's Arrow type
// Nulls map to nulls. The hour of a µs timestamp more than 245,000 years
// from 1970 does not fit an int and is Invalid, as for the scalar transform.
// Truncating a decimal within W of its precision's limit gives a value one
// digit wider than the type (truncate[10] of -9.99 at decimal(3,2) is
// -10.00), again as the scalar transform does; Java computes it too, then
// refuses to write it, and Array::ValidateFull would reject such an output.
//
// REQUIRES: `values` is valid Arrow data (Array::Validate). Decimal
// identity checks precision only when the Arrow type is wider than the
// column's. For dictionary arrays the transform runs over the dictionary,
// so a dictionary value the transform refuses fails the call even when no
// row refers to it.
//
// All functions are thread-safe; outputs may share buffers with `values`.
#pragma once

#include <arrow/type_fwd.h>

#include <memory>

#include "floe/result.h"
#include "floe/spec/transform.h"
#include "floe/spec/type.h"

namespace floe::data {

// Applies `t` to every element of `values`, whose elements are values of the
// Iceberg type `source_type`. Returns a new array of values.length() elements.
Result<std::shared_ptr<arrow::Array>> ApplyTransform(const spec::Transform& t,
                                                     const spec::Type& source_type,
                                                     const arrow::Array& values);

// The same, chunk by chunk; the result has the same chunk boundaries. A
// ChunkedArray with no chunks gives one with no chunks, of the output type.
Result<std::shared_ptr<arrow::ChunkedArray>> ApplyTransform(const spec::Transform& t,
                                                            const spec::Type& source_type,
                                                            const arrow::ChunkedArray& values);

// The Arrow type ApplyTransform returns for inputs of `input_type`, or the
// error it would return for them (without looking at any values).
Result<std::shared_ptr<arrow::DataType>> TransformOutputType(const spec::Transform& t,
                                                             const spec::Type& source_type,
                                                             const arrow::DataType& input_type);

}  // namespace floe::data
