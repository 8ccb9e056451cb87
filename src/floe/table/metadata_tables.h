// Metadata tables (Java's MetadataTableType), as Arrow tables an operator
// can print or query: what a table is made of, and so what maintenance
// will do to it.
//
//   manifests     the manifests of a snapshot, with file and row counts
//   entries       every manifest entry of a snapshot (status, sequence numbers)
//   files         live data and delete files of a snapshot
//   data-files    live data files;  delete-files: live delete files
//   partitions    per partition: records, files, bytes, position and
//                 equality delete counts, last update
//   refs          branches and tags with their retention settings
//   all-files     distinct files of every snapshot (live entries)
//   all-manifests distinct manifests of every snapshot
//
// Partition tuples are shown as their partition path ("event_date=2024-06-15"),
// and nested metrics maps are left out: the tables are for people and
// scripts; the manifests themselves are one `floe inspect` away.
#pragma once

#include <arrow/type_fwd.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "floe/result.h"
#include "floe/table/scan.h"
#include "floe/table/table.h"

namespace floe::table {

// The names above, in that order.
const std::vector<std::string>& MetadataTableNames();

// `snapshot_id` selects the snapshot (default: the current one) for the
// per-snapshot tables. NotFound for an unknown name (listing the names) or
// snapshot.
Result<std::shared_ptr<arrow::Table>> ReadMetadataTable(const Table& table, const std::string& name,
                                                        std::optional<int64_t> snapshot_id = std::nullopt,
                                                        int threads = 0);

// The "files" table restricted to what a scan with `options` would read:
// the data files left after pruning (filter, snapshot) and the delete files
// that apply to them, each once. Plans only; reads no data file.
Result<std::shared_ptr<arrow::Table>> PlannedFiles(const Table& table, const ScanOptions& options);

}  // namespace floe::table
