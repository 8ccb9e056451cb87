// Row-level changes in both of Spark's strategies (spec §Row-level Deletes):
//
//   copy-on-write   files holding changed rows are rewritten without them
//   merge-on-read   the rows are marked deleted: position delete files (v2,
//                   one per data file, file-scoped) or deletion vectors (v3,
//                   one Puffin file per commit, each DV merged with the data
//                   file's earlier DV and position deletes, which it
//                   replaces); upserts may use equality deletes instead
//
// The table properties write.delete.mode (delete), write.update.mode and
// write.merge.mode (upsert) choose, as in Spark; copy-on-write is the
// default. A file whose rows all match by partition or metrics is dropped
// whole in either mode, unread.
//
// Serializable isolation (write.<op>.isolation-level, default serializable):
// a commit fails validation, and is planned again on the new state, when a
// concurrent commit added data the filter may match, removed a data file
// this one changes or references, or added deletes to such a file; with
// `snapshot` the first check is skipped.
#pragma once

#include <string>
#include <vector>

#include "floe/table/operations.h"

namespace floe::table {

enum class RowLevelMode { kCopyOnWrite, kMergeOnRead };

// The mode `property` (write.delete.mode, ...) selects. Invalid for a value
// other than copy-on-write / merge-on-read, and for merge-on-read on a v1
// table (no row-level deletes before v2).
Result<RowLevelMode> ModeFromProperty(const spec::TableMetadata& md, const std::string& property);

struct UpsertOptions {
  // Key columns (top-level, primitive); empty: the schema's identifier fields.
  std::vector<std::string> key_columns;
  // Merge-on-read only: write equality deletes on the key (as Flink does)
  // instead of finding the old rows and writing position deletes or DVs.
  // Needs every partition source column among the keys.
  bool equality_deletes = false;
};

// Rows of `source` whose key exists in the table replace those rows; the
// others are inserted; one snapshot. Invalid if two input rows share a key.
// WriteReport: rows_deleted = rows replaced (unknown, 0, with equality
// deletes), rows_added = input rows.
Result<WriteReport> Upsert(Table& table, const BatchSource& source, const UpsertOptions& options);

}  // namespace floe::table
