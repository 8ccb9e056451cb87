// Delete file compaction, without rewriting data (Java's
// RewritePositionDeleteFiles action and Flink's equality-delete
// conversion):
//
//  - equality deletes become position deletes (v2) or deletion vectors (v3):
//    every data file an equality delete file applies to (spec §Scan
//    Planning: same partition or global, older data sequence number) is
//    read for the delete's key columns, the matching positions are written,
//    and the equality delete file is removed once every file in its scope
//    is done. Readers then do a position lookup instead of a hash probe per
//    row, and engines that cannot read equality deletes (PyIceberg) can read
//    the table;
//  - position delete files are merged into one per partition (v2), or into
//    one deletion vector per data file (v3, where the spec wants DVs);
//  - delete files that apply to nothing are removed.
//
// The new delete files keep the highest data sequence number of what they
// replace, so they reach exactly the data files the old ones reached. One
// "replace" commit, validated like a rewrite: a concurrent commit that
// removes a data file this one writes deletes for, adds a DV for one, or
// adds old-enough data into the scope of a removed equality delete fails it,
// and nothing is left behind.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "floe/table/scan.h"
#include "floe/table/table.h"

namespace floe::maintenance {

struct DeleteCompactionOptions {
  bool convert_equality = true;
  bool merge_position = true;   // v2: one position delete file per partition
  bool remove_dangling = true;
  bool dry_run = false;
  int threads = 0;  // data files read at once; 0: util::DefaultParallelism()
  std::shared_ptr<table::ManifestCache> manifest_cache;  // as CompactionOptions'

  std::function<void(const std::string&)> progress;
};

struct DeleteCompactionReport {
  int64_t equality_files_converted = 0;  // removed, their rows now deleted by position
  int64_t data_files_read = 0;
  int64_t positions_written = 0;
  int64_t position_files_replaced = 0;  // old position delete files and DVs
  int64_t position_files_written = 0;   // new position delete files (v2) or DVs (v3)
  int64_t dangling_removed = 0;
  std::vector<std::string> plan;  // dry run: one line per partition and per removed file
  bool committed = false;
  int64_t snapshot_id = 0;
  double seconds = 0;
};

Result<DeleteCompactionReport> CompactDeletes(table::Table& table,
                                              const DeleteCompactionOptions& options);

}  // namespace floe::maintenance
