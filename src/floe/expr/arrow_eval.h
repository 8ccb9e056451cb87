// Evaluating a bound row filter on Arrow record batches, a whole column at a
// time with Arrow compute kernels (one kernel call per predicate and per
// and/or, never a call per row).
//
// Columns are found by the "PARQUET:field_id" metadata on the batch's
// fields, including fields inside structs (a null struct makes its fields
// null). The values follow the expression's three-valued logic
// (expression.h): comparisons, in, not in and starts with give null for a
// null value, and a row is kept only where the filter is TRUE. Floats compare
// as IEEE numbers (NaN matches only `!=`, `not in` and `is nan`).
//
// A column whose Arrow type differs from the field's Iceberg type (an int32
// column for a long field after promotion, a dictionary or large_utf8 string
// column) is cast first. uuid columns may be the arrow.uuid extension type or
// plain fixed_size_binary(16).
#pragma once

#include <arrow/type_fwd.h>

#include <memory>

#include "floe/expr/expression.h"
#include "floe/result.h"

namespace floe::expr {

// A mask as long as the batch, true exactly where the filter is TRUE (false
// where it is FALSE or UNKNOWN); it has no nulls. Invalid when a referenced
// field id is not in the batch or a column cannot be cast to its field's type.
Result<std::shared_ptr<arrow::BooleanArray>> EvaluateMask(const BoundExpr& filter,
                                                          const arrow::RecordBatch& batch);

// The rows of `batch` where the filter is TRUE, in order. Returns a batch
// sharing the input's buffers when every row is kept.
Result<std::shared_ptr<arrow::RecordBatch>> FilterBatch(const BoundExpr& filter,
                                                        const arrow::RecordBatch& batch);

}  // namespace floe::expr
