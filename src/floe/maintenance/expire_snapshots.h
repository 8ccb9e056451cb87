// Snapshot expiry (Java's ExpireSnapshots action): removes the snapshots
// and refs the retention policy lets go (table/snapshot_expiry.h), then
// deletes the files only they reached — data and delete files, manifests,
// manifest lists, statistics files — never one that a retained snapshot,
// branch or tag still reaches.
//
// Safety: the metadata commit comes first, deletion after, recorded in a
// cleanup journal (file_cleanup.h), so a process killed at any point leaves
// the table at its previous or next state and the next expiry finishes the
// deletion. gc.enabled=false refuses to delete files (they may be shared).
// Memory: the manifests of retained snapshots are read one at a time per
// thread; what is held is the set of files that may be deleted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "floe/maintenance/file_cleanup.h"
#include "floe/table/snapshot_expiry.h"
#include "floe/table/table.h"

namespace floe::maintenance {

struct ExpireOptions {
  table::ExpiryOptions expiry;
  bool dry_run = false;
  bool delete_files = true;  // false: only remove snapshots from the metadata
  int threads = 0;           // 0: util::DefaultParallelism()
};

struct ExpireReport {
  std::vector<int64_t> expired_snapshots;
  std::vector<std::string> expired_refs;
  DeletedCounts deleted;                  // or, in a dry run, what would be
  std::vector<FileDeleter::Item> listed;  // dry run: the files
  int journals_resumed = 0;
  int attempts = 0;
  double seconds = 0;
  Status cleanup_error;  // a delete that failed (the rest went on); rerun to finish
};

// Errors: Invalid for gc.enabled=false with delete_files, or an explicit
// snapshot that is a ref's; commit errors as Transaction's. A failure to
// delete some file is not an error of the call: cleanup_error tells it.
Result<ExpireReport> ExpireSnapshots(table::Table& table, const ExpireOptions& options);

}  // namespace floe::maintenance
