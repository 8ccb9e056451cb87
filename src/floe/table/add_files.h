// Registering existing Parquet files in a table without rewriting them (as
// Spark's add_files procedure), and creating a table from such files. Files
// without field ids are read through the table's name mapping
// (schema.name-mapping.default), which these calls write from the schema
// when the table has none (spec §Column Projection).
#pragma once

#include <string>
#include <vector>

#include "floe/table/operations.h"

namespace floe::table {

// Adds the files, in one snapshot. Each must be Parquet whose columns map to
// the table's schema (by field id, else by name) with readable types; its
// metrics come from the footer statistics; in a partitioned table all its
// rows must fall in one partition (else: append it, which rewrites). Files
// already in the table are refused. The files stay where they are and are
// never deleted by Floe, even when the commit fails.
Result<WriteReport> AddFiles(Table& table, const std::vector<std::string>& locations);

// Creates `id` with the first file's schema (its field ids if it has them,
// else fresh ones and a name mapping), partitioned by `partition_by`
// (ddl.h syntax; empty: unpartitioned), then adds the files.
Result<Table> ImportTable(std::shared_ptr<catalog::Catalog> catalog,
                          const catalog::TableIdentifier& id,
                          const std::vector<std::string>& locations,
                          const std::string& partition_by, int format_version);

// `location` as an absolute URI: local paths become file:///abs/path.
std::string AbsoluteLocation(const std::string& location);

}  // namespace floe::table
