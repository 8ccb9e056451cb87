// A spec::Literal as an Arrow scalar (and literals as an array) of the Arrow type of its Iceberg type
// (arrow_schema.h's mapping), for columns of one repeated value: constants
// of identity partitions, initial-default and write-default values.
#pragma once

#include <arrow/type_fwd.h>

#include <memory>
#include <vector>

#include "floe/result.h"
#include "floe/spec/literal.h"
#include "floe/spec/type.h"

namespace floe::data {

// A null Literal gives a null scalar. Invalid if `value` does not match
// `type` (spec::LiteralMatchesType); NotSupported for nested types.
Result<std::shared_ptr<arrow::Scalar>> ToArrowScalar(const spec::Literal& value,
                                                     const spec::Type& type);

// The same value as a scalar of `storage_type`, the type a batch's column
// holds it in: an extension type's storage (uuid: fixed_size_binary(16))
// and the column's own time unit or zone spelling, cast when they differ.
// The one converter for filters evaluated on batches (expr/arrow_eval.h).
Result<std::shared_ptr<arrow::Scalar>> ToArrowScalarAs(
    const spec::Literal& value, const spec::Type& type,
    const std::shared_ptr<arrow::DataType>& storage_type);

// An array of `values` (nulls allowed) with the Arrow type of `type`
// (uuid columns are arrow.uuid extension arrays). Errors as ToArrowScalar.
Result<std::shared_ptr<arrow::Array>> ToArrowArray(const std::vector<spec::Literal>& values,
                                                   const spec::Type& type);

}  // namespace floe::data
