// Transaction: groups updates into one atomic commit, with retries.
//
// Commit() applies every update, in order, to the table's latest metadata,
// writes the result as a new metadata file and swaps the catalog pointer.
// If another writer committed first, it refreshes and tries again, up to
// commit.retry.num-retries times (default 4) with exponential backoff
// between commit.retry.min-wait-ms and max-wait-ms, within
// commit.retry.total-timeout-ms. On failure every file the transaction wrote
// is deleted and the table is as before — except when the catalog cannot
// tell whether the swap happened (CommitStateUnknown), when nothing is
// deleted.
#pragma once

#include <memory>
#include <vector>

#include "floe/result.h"
#include "floe/table/pending_update.h"
#include "floe/table/table.h"

namespace floe::table {

struct CommitReport {
  int attempts = 0;
  std::string metadata_location;  // the new metadata file
};

class Transaction {
 public:
  explicit Transaction(Table* table) : table_(table) {}

  // The update lives as long as the transaction, also after Commit (so its
  // results can be read from it).
  void Add(std::unique_ptr<PendingUpdate> update) { updates_.push_back(std::move(update)); }
  bool empty() const { return updates_.empty(); }

  // Commits; on success the Table holds the new metadata.
  Result<CommitReport> Commit();

  // Deletes the prepared files of every update (for callers that abandon
  // the transaction without committing).
  void Abort();

 private:
  Table* table_;
  std::vector<std::unique_ptr<PendingUpdate>> updates_;
  std::vector<std::unique_ptr<PendingUpdate>> committed_;
};

}  // namespace floe::table
