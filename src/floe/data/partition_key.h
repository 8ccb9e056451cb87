// Splitting an Arrow record batch by partition, for writers that route rows
// to one data file per partition (spec §Partitioning).
//
// The batch's columns are matched to the table schema by field id: every
// Arrow field carries it as "PARQUET:field_id" metadata (arrow_schema.h;
// ToArrowSchema produces such schemas). A partition source may sit inside
// structs at any depth (not inside lists or maps, which PartitionSpec::
// Validate forbids); a row whose enclosing struct is null has a null source
// value. Columns the spec does not use are never read, and may be of any type.
//
// All functions are thread-safe. Results share buffers with the batch where
// they can, so keep the batch alive while using them.
#pragma once

#include <arrow/type_fwd.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "floe/result.h"
#include "floe/spec/literal.h"
#include "floe/spec/partition_spec.h"
#include "floe/spec/schema.h"

namespace floe::data {

// The rows of one batch that belong to one partition.
struct PartitionGroup {
  // The partition tuple: one value per spec field, in spec order, with the
  // representation literal.h gives the field's type in the partition type
  // (int32 for int, date and the bucket/year/month/day/hour results; int64
  // for long, time and timestamps; Int128 for decimals; std::string for
  // strings; Bytes for uuid, fixed and binary). Null for a null partition
  // value and for void fields. Ready for PartitionSpec::PartitionPath.
  std::vector<spec::Literal> partition;
  // Rows in this partition; always > 0.
  int64_t num_rows = 0;
  // The rows' indices into the batch, ascending, for arrow::compute::Take.
  // Null when the group is every row of the batch in order (unpartitioned
  // specs, or a batch that falls in a single partition): write the batch as
  // it is. SelectRows below handles both cases.
  std::shared_ptr<arrow::Int64Array> row_indices;
};

struct PartitionedBatch {
  // spec.PartitionType(schema): the struct type of every `partition` tuple.
  spec::TypePtr partition_type;
  // One group per distinct partition tuple, in the order of each tuple's
  // first row; every row is in exactly one group. Empty for an empty batch.
  std::vector<PartitionGroup> groups;
};

// Groups the rows of `batch` by their partition tuple under `spec`, whose
// source fields are resolved in `schema`.
//
// Unpartitioned specs (no fields, or only void ones) take a fast path that
// reads no column: one group of all rows, `row_indices` null, every value
// null. Otherwise the partition columns are computed with ApplyTransform and
// rows are grouped by a hash of their encoded tuple.
//
// Errors: Invalid when a source column is missing from the batch (or its
// field id appears twice), has an Arrow type that does not hold the source's
// Iceberg type, holds a value the transform refuses (a decimal wider than its
// precision, an hour beyond the int range), or is inside a list or map; the
// message names the partition field and the source column. spec errors from
// PartitionSpec::PartitionType (unknown transforms are NotSupported).
Result<PartitionedBatch> GroupByPartition(const spec::PartitionSpec& spec,
                                          const spec::Schema& schema,
                                          const arrow::RecordBatch& batch);

// The transformed partition columns of `batch`: one array per spec field, in
// spec order, each batch.num_rows() long and typed as TransformOutputType
// says. Void fields read no column: they give all-null arrays of the source's
// Arrow type (ToArrowType), or of type null when the schema has no such
// field. Errors as for GroupByPartition.
Result<std::vector<std::shared_ptr<arrow::Array>>> ComputePartitionColumns(
    const spec::PartitionSpec& spec, const spec::Schema& schema, const arrow::RecordBatch& batch);

// The column of `batch` whose Arrow field carries `field_id`, looking inside
// struct columns (not lists or maps). A nested column comes with its parents'
// nulls merged into its own. NotFound when no field has the id; Invalid when
// several do.
Result<std::shared_ptr<arrow::Array>> FindColumnByFieldId(const arrow::RecordBatch& batch,
                                                          int32_t field_id);

// The rows of `group` as a batch: `batch` itself when `row_indices` is null,
// else the rows gathered with arrow::compute::Take.
Result<std::shared_ptr<arrow::RecordBatch>> SelectRows(
    const std::shared_ptr<arrow::RecordBatch>& batch, const PartitionGroup& group);

}  // namespace floe::data
