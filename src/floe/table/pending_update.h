// PendingUpdate: one change to a table, prepared once and applied to the
// table's latest metadata at each commit attempt (optimistic concurrency,
// spec §Commit Conflict Resolution and Retry).
#pragma once

#include <string>
#include <vector>

#include "floe/io/file_io.h"
#include "floe/result.h"
#include "floe/spec/table_metadata.h"

namespace floe::table {

// What an attempt may use and must report.
struct CommitAttempt {
  io::FileIO* io = nullptr;
  int attempt = 0;            // 1 for the first try
  std::string commit_uuid;    // stable across attempts (names manifests)
  // Files written for this attempt only (manifest lists): deleted if the
  // attempt loses the race, kept if it commits.
  std::vector<std::string> attempt_files;
};

class PendingUpdate {
 public:
  virtual ~PendingUpdate() = default;

  // Applies the change on top of `md` (the latest committed metadata, plus
  // the changes of earlier updates in the same transaction). Returns
  // CommitConflict when a concurrent commit makes the change invalid (e.g.
  // a file it removes is gone): the transaction then fails without retrying
  // this update.
  virtual Status Apply(spec::TableMetadata* md, CommitAttempt* attempt) = 0;

  // Files written once for every attempt (data files, reused manifests).
  // Deleted when the transaction finally fails; kept when it commits.
  virtual std::vector<std::string> PreparedFiles() const { return {}; }

  // A short name for messages: "append", "overwrite", "set properties"...
  virtual std::string Describe() const = 0;
};

}  // namespace floe::table
