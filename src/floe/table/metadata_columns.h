// Metadata columns a scan can select beside the table's own (spec §Reserved
// Field IDs): `_file` (the data file's location), `_pos` (the row's position
// in it), `_spec_id` (the file's partition spec) and `_partition` (its
// partition tuple, as a struct of every partition field any spec of the
// table has, null where the file's spec lacks one).
#pragma once

#include <arrow/type_fwd.h>

#include <optional>
#include <string>
#include <vector>

#include "floe/data/parquet_reader.h"
#include "floe/manifest/data_file.h"
#include "floe/spec/table_metadata.h"

namespace floe::table {

inline constexpr int32_t kFileColumnId = 2147483646;
inline constexpr int32_t kPosColumnId = 2147483645;
inline constexpr int32_t kSpecIdColumnId = 2147483643;
inline constexpr int32_t kPartitionColumnId = 2147483642;

bool IsMetadataColumnId(int32_t id);

// The metadata column called `name`, or nullopt if it is not one.
std::optional<spec::NestedField> MetadataColumn(const std::string& name,
                                                const spec::TableMetadata& md);

// The column `field` (a metadata column) for `rows` rows of `file`, whose
// positions are `positions`.
Result<std::shared_ptr<arrow::Array>> MetadataColumnValues(
    const spec::NestedField& field, const manifest::DataFile& file,
    const spec::TableMetadata& md, const std::vector<data::RowRange>& positions, int64_t rows);

// An Int64 array of the positions in `ranges`.
Result<std::shared_ptr<arrow::Array>> PositionArray(const std::vector<data::RowRange>& ranges);

}  // namespace floe::table
