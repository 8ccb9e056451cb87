// Sorting rows by a table's sort order (spec §Sorting): each sort field's
// transform is applied to its source column, then rows are ordered by the
// fields in turn, each ascending or descending with nulls first or last.
#pragma once

#include <arrow/type_fwd.h>

#include <memory>

#include "floe/result.h"
#include "floe/spec/schema.h"
#include "floe/spec/sort_order.h"

namespace floe::data {

// `batch` (columns carrying field ids, as ConformBatch makes them) in
// `order`; stable, so equal rows keep their input order. Invalid when a
// source column is missing or inside a list or map.
Result<std::shared_ptr<arrow::RecordBatch>> SortBatch(
    const std::shared_ptr<arrow::RecordBatch>& batch, const spec::SortOrder& order,
    const spec::Schema& schema);

}  // namespace floe::data
