// Table path rewrite (Java's RewriteTablePath action): a copy of a table's
// metadata — every metadata version of the log, every manifest list and
// manifest, the file_path column of position delete files and the
// referenced-data-file of deletion vectors — with one location prefix
// replaced by another, for moving a table from HDFS or another bucket onto
// SeaweedFS. File names are kept; each file is written at its own path with
// the prefix replaced (so the metadata lands under the target location's
// metadata/). The source is only read. With copy_data, data files and
// equality delete files are copied to their new paths too; `floe register`
// then makes the copy a table.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "floe/catalog/catalog.h"
#include "floe/io/file_io.h"

namespace floe::maintenance {

struct TablePathRewriteOptions {
  std::string from;             // prefix to replace
  std::string to;               // its replacement
  std::string target_location;  // the copy's table location; default: the source's, rewritten
  bool copy_data = false;
  bool dry_run = false;
  int threads = 0;
  std::function<void(const std::string&)> progress;
};

struct TablePathRewriteReport {
  std::string metadata_location;  // the copy's current metadata file (register this)
  int64_t metadata_files = 0;
  int64_t manifest_lists = 0;
  int64_t manifests = 0;
  int64_t delete_files_rewritten = 0;  // position delete files and Puffin files
  int64_t files_copied = 0;            // data and equality delete files (copy_data)
  int64_t bytes_copied = 0;
  std::vector<std::pair<std::string, std::string>> copy_plan;  // data files: source, target
  double seconds = 0;
};

// `source` is the table as loaded (its metadata file and content); files
// are read through `source_io` (which may map paths) and written through
// `target_io`. Invalid when `from` does not prefix the table's location, or
// a path in the metadata does not start with it (naming the path: such a
// table cannot be moved by prefix); AlreadyExists when a target file exists
// (nothing is overwritten: pick an empty target).
Result<TablePathRewriteReport> RewriteTablePath(const catalog::LoadedTable& source,
                                                std::shared_ptr<io::FileIO> source_io,
                                                std::shared_ptr<io::FileIO> target_io,
                                                const TablePathRewriteOptions& options);

}  // namespace floe::maintenance
