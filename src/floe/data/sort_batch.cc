#include "floe/data/sort_batch.h"

#include <arrow/api.h>
#include <arrow/compute/api.h>

#include "floe/data/arrow_internal.h"
#include "floe/data/partition_key.h"
#include "floe/data/transform_arrow.h"

namespace floe::data {

using internal::FromArrow;

Result<std::shared_ptr<arrow::RecordBatch>> SortBatch(
    const std::shared_ptr<arrow::RecordBatch>& batch, const spec::SortOrder& order,
    const spec::Schema& schema) {
  if (order.IsUnsorted() || batch->num_rows() < 2) return batch;
  FLOE_RETURN_NOT_OK(internal::EnsureArrowCompute());
  // One boolean null-placement key, then the value key, per sort field:
  // Arrow's sort has one null placement for all keys, Iceberg one per field.
  arrow::FieldVector fields;
  arrow::ArrayVector keys;
  std::vector<arrow::compute::SortKey> sort_keys;
  for (size_t i = 0; i < order.fields.size(); ++i) {
    const spec::SortField& sf = order.fields[i];
    const spec::NestedField* source = schema.FindField(sf.source_id);
    if (!source) return Status::Invalid("sort order field ", i, ": source column ", sf.source_id, " is not in the schema");
    FLOE_ASSIGN_OR_RAISE(auto column, FindColumnByFieldId(*batch, sf.source_id));
    std::shared_ptr<arrow::Array> value = column;
    if (sf.transform.kind() != spec::TransformKind::kIdentity) {
      FLOE_ASSIGN_OR_RAISE(value, ApplyTransform(sf.transform, *source->type, *column));
    }
    FLOE_ASSIGN_OR_RAISE(auto is_null, FromArrow(arrow::compute::IsNull(value), "sorting"));
    std::shared_ptr<arrow::Array> placement = is_null.make_array();
    if (sf.null_order == spec::NullOrder::kNullsFirst) {
      FLOE_ASSIGN_OR_RAISE(auto inverted, FromArrow(arrow::compute::Invert(placement), "sorting"));
      placement = inverted.make_array();
    }
    const std::string n = std::to_string(i);
    fields.push_back(arrow::field("n" + n, arrow::boolean()));
    keys.push_back(placement);
    sort_keys.emplace_back("n" + n, arrow::compute::SortOrder::Ascending);
    fields.push_back(arrow::field("v" + n, value->type()));
    keys.push_back(value);
    sort_keys.emplace_back("v" + n, sf.direction == spec::SortDirection::kAsc
                                        ? arrow::compute::SortOrder::Ascending
                                        : arrow::compute::SortOrder::Descending);
  }
  auto key_batch = arrow::RecordBatch::Make(arrow::schema(fields), batch->num_rows(), keys);
  arrow::compute::SortOptions options(sort_keys);
  FLOE_ASSIGN_OR_RAISE(auto indices,
                       FromArrow(arrow::compute::SortIndices(arrow::Datum(key_batch), options),
                                 "sorting rows by the write order"));
  FLOE_ASSIGN_OR_RAISE(auto sorted, FromArrow(arrow::compute::Take(batch, indices), "sorting"));
  return sorted.record_batch();
}

}  // namespace floe::data
