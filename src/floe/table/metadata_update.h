// Changes to table metadata, applied to a copy of the base metadata when a
// commit is prepared (and re-applied to a newer base when it is retried).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "floe/catalog/catalog.h"
#include "floe/result.h"
#include "floe/spec/table_metadata.h"

namespace floe::table {

// Table properties that are never persisted: they are requests (spec §10).
bool IsReservedProperty(const std::string& key);

struct NewTableOptions {
  int format_version = 2;
  std::string location;
  spec::Schema schema;             // field ids are reassigned fresh (1..n, Java order)
  bool keep_field_ids = false;     // ...unless the ids are the data files' own (import)
  spec::PartitionSpec spec;        // source ids refer to `schema` as given
  spec::SortOrder sort_order;      // source ids refer to `schema` as given
  std::map<std::string, std::string> properties;
};

// The first metadata of a new table: fresh field ids, partition field ids
// from 1000, sort order id 1 when sorted, `write.parquet.compression-codec`
// persisted as zstd unless given (Java >= 1.4 and PyIceberg do the same).
// Validates the schema, spec and order for the format version.
Result<spec::TableMetadata> NewTableMetadata(const NewTableOptions& options);

// Adds `snapshot` and moves `branch` to it (creating the branch if needed).
// For main also sets current-snapshot-id and appends to the snapshot log.
// Updates last-sequence-number (v2+) and next-row-id (v3).
Status AddSnapshot(spec::TableMetadata* md, spec::Snapshot snapshot, const std::string& branch);

// Creates or moves a branch or tag. `main` must stay a branch.
Status SetRef(spec::TableMetadata* md, const std::string& name, const spec::SnapshotRef& ref);
// Drops a branch or tag; `main` cannot be dropped.
Status RemoveRef(spec::TableMetadata* md, const std::string& name);

// Stamps metadata about to be committed on top of `base`: last-updated-ms
// (never below a snapshot's timestamp or the previous value) and the
// metadata-log entry for the base file, trimmed to
// write.metadata.previous-versions-max (default 100).
void PrepareForCommit(spec::TableMetadata* md, const catalog::LoadedTable& base);

}  // namespace floe::table
