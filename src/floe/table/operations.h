// Table operations as one call each: create, append, delete and overwrite
// by filter (copy-on-write), branches and tags. Each commits atomically with
// retries (transaction.h) and leaves the table unchanged when it fails.
#pragma once

#include <arrow/type_fwd.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "floe/catalog/catalog.h"
#include "floe/table/metadata_update.h"
#include "floe/table/table.h"
#include "floe/table/transaction.h"

namespace floe::table {

// Creates a table (options.location empty: the catalog's default location).
Result<Table> CreateTable(std::shared_ptr<catalog::Catalog> catalog,
                          const catalog::TableIdentifier& id, NewTableOptions options);

// A source of batches: returns nullptr when exhausted.
using BatchSource = std::function<Result<std::shared_ptr<arrow::RecordBatch>>()>;

struct WriteReport {
  int64_t snapshot_id = 0;
  int64_t rows_added = 0;
  int64_t rows_deleted = 0;
  int64_t files_added = 0;
  int64_t files_removed = 0;       // whole files dropped or rewritten
  int64_t files_rewritten = 0;     // of which rewritten (partly matched)
  int64_t files_dropped_unread = 0;  // wholly matched by partition or metrics
  int64_t delete_files_added = 0;    // merge-on-read: position, DV or equality deletes
  bool merge_on_read = false;
  int attempts = 0;
  bool changed = true;  // false when nothing matched (no snapshot made)
};

// Appends the batches as one snapshot (fast append: one new manifest).
// Columns are matched to the table schema by name (see batch_conform.h).
Result<WriteReport> Append(Table& table, const BatchSource& source);

// Deletes the rows matching `filter`, by the table's write.delete.mode
// (row_level.h): files wholly matched by their partition or metrics are
// dropped without being read; files partly matched are rewritten without
// the matching rows (copy-on-write) or get position deletes / deletion
// vectors for them (merge-on-read). Serializable: if a concurrent commit
// added data the filter may match, or removed or added deletes to a file
// this one changes, the operation is planned again on the new state.
Result<WriteReport> DeleteWhere(Table& table, const std::string& filter);

// Replaces the rows matching `filter` with the batches, in one snapshot
// (copy-on-write).
Result<WriteReport> OverwriteWhere(Table& table, const std::string& filter,
                                   const BatchSource& source);

// Branches and tags. Create: AlreadyExists if the name is taken; the
// snapshot defaults to the current one.
Status CreateRef(Table& table, const std::string& name, spec::RefType type,
                 std::optional<int64_t> snapshot_id);
Status DropRef(Table& table, const std::string& name, std::optional<spec::RefType> type);

// Sets and removes table properties (reserved ones are refused).
Status UpdateProperties(Table& table, const std::map<std::string, std::string>& set,
                        const std::vector<std::string>& remove);

}  // namespace floe::table
