// Deleting files, the most dangerous thing Floe does, in one place:
//
//  - FileDeleter deletes (or, in a dry run, only lists) files in parallel
//    and counts them by kind. A file that is already gone counts as
//    deleted (a rerun after a crash); any other failure is reported and
//    counted, never retried silently.
//  - Cleanup journals make a deletion that runs after a commit finish even
//    when the process dies half way: the journal names what the commit made
//    unreachable (as manifest lists of removed snapshots), is written before
//    the commit and removed when everything is deleted; the next run of the
//    same operation resumes any journal it finds, re-checking every file
//    against the table's metadata of that moment.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "floe/io/file_io.h"
#include "floe/result.h"

namespace floe::maintenance {

// What a cleanup deletes, by kind, for reports.
enum class FileKind { kData, kDeletes, kManifest, kManifestList, kStatistics, kMetadata, kOther };
std::string_view FileKindName(FileKind kind);  // "data", "delete", "manifest", ...

struct DeletedCounts {
  std::map<FileKind, int64_t> files;
  int64_t bytes = 0;     // where known (content files carry their size)
  int64_t failed = 0;
  int64_t total() const;
};

class FileDeleter {
 public:
  // In a dry run nothing is deleted; listed() tells what would have been.
  FileDeleter(std::shared_ptr<io::FileIO> io, int threads, bool dry_run);

  struct Item {
    std::string path;
    FileKind kind = FileKind::kOther;
    int64_t size = 0;
  };
  // Deletes `items` in parallel. Failures are counted and the first is kept
  // (first_error) while the others go on: a half-done cleanup is finished
  // by a rerun.
  void Delete(const std::vector<Item>& items);

  const DeletedCounts& counts() const { return counts_; }
  const Status& first_error() const { return first_error_; }
  bool dry_run() const { return dry_run_; }
  // Dry runs: what would have been deleted, in order of Delete calls.
  const std::vector<Item>& listed() const { return listed_; }

 private:
  std::shared_ptr<io::FileIO> io_;
  int threads_;
  bool dry_run_;
  std::mutex mu_;
  DeletedCounts counts_;
  Status first_error_;
  std::vector<Item> listed_;
};

// A cleanup journal: JSON in the table's metadata folder named
// floe-cleanup-<uuid>.json (other engines ignore it; orphan removal keeps
// it while the window protects it, and deleting it only leaves orphans).
struct CleanupJournal {
  std::string location;  // where it is stored
  std::string operation;  // "expire"
  std::vector<std::string> manifest_lists;  // of removed snapshots
  std::vector<std::string> statistics;      // statistics files of removed snapshots
  int64_t created_ms = 0;
};

std::string JournalPrefix(const std::string& metadata_folder);
// Writes `journal` at journal.location (JournalPrefix(folder) + a uuid + ".json").
Status WriteJournal(io::FileIO& io, CleanupJournal* journal);
// Journals in the table's metadata folder, oldest first; unreadable ones
// are reported as errors naming them (and left alone).
Result<std::vector<CleanupJournal>> ListJournals(io::FileIO& io, const std::string& metadata_folder);

}  // namespace floe::maintenance
