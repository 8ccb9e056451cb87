// Orphan file removal (Java's DeleteOrphanFiles action): deletes files
// under the table's location that no metadata references — left by writers
// that died, failed commits whose cleanup was interrupted, or jobs of other
// engines — and that are older than a safety window, so files a running
// writer has just written (and not committed yet) are never touched.
//
// In use: every file live in any snapshot of the current metadata (data and
// delete files of non-DELETED manifest entries, manifests, manifest lists;
// a file only DELETED entries name was live only in expired snapshots),
// the metadata files of the log,
// statistics files, version-hint.text and Floe's bookkeeping beside the
// metadata (metadata/floe-*.json: cleanup journals, maintenance state).
//
// Locations are compared by path after the scheme and authority: s3, s3a
// and s3n are one scheme (plus --equal-scheme pairs). A listed file whose
// path is referenced under another scheme or authority could mean the
// table was moved or its metadata names another bucket: by default that is
// an error and nothing is deleted (Java's prefix_mismatch_mode=ERROR).
//
// Memory stays flat for millions of files: referenced paths go into an
// on-disk SQLite set, and the listing streams past it a page at a time.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "floe/maintenance/file_cleanup.h"
#include "floe/table/table.h"

namespace floe::maintenance {

enum class PrefixMismatchMode { kError, kIgnore, kDelete };

struct OrphanOptions {
  // Files modified at or after this time are kept. Default: 3 days ago.
  std::optional<int64_t> older_than_ms;
  std::string location;  // what to list; default the table location
  std::map<std::string, std::string> equal_schemes;     // scheme -> the one it equals
  std::map<std::string, std::string> equal_authorities;  // authority -> the one it equals
  PrefixMismatchMode prefix_mismatch = PrefixMismatchMode::kError;
  bool dry_run = false;
  int threads = 0;          // 0: util::DefaultParallelism()
  std::string work_dir;     // for the on-disk set; default the system temp folder
};

struct OrphanReport {
  int64_t listed = 0;        // files under the location
  int64_t referenced = 0;    // distinct paths the metadata references
  int64_t in_use = 0;        // listed files that are referenced
  int64_t too_new = 0;       // orphans inside the safety window (kept)
  int64_t orphans = 0;       // deleted, or in a dry run to be deleted
  int64_t orphan_bytes = 0;
  int64_t mismatched = 0;    // referenced under another scheme/authority
  std::vector<std::string> examples;  // up to 20 orphans (all of them in a dry run)
  DeletedCounts deleted;
  Status cleanup_error;
  double seconds = 0;
};

// Errors: Invalid for gc.enabled=false, for a prefix mismatch in error mode
// (naming examples and the options that resolve it; nothing is deleted),
// and for a location that is not the table's or under it; I/O errors of the
// listing or of reading metadata (nothing is deleted then either).
Result<OrphanReport> RemoveOrphanFiles(const table::Table& table, const OrphanOptions& options);

}  // namespace floe::maintenance
