// Which snapshots and refs expire (Java's RemoveSnapshots, spec §Snapshot
// Retention Policy), and the metadata change that removes them.
//
//   refs      a branch or tag whose snapshot is older than its max-ref-age-ms
//             (default history.expire.max-ref-age-ms, forever) expires; main
//             never does
//   branches  keep their head's ancestors while fewer than
//             min-snapshots-to-keep are kept or the ancestor is newer than
//             max-snapshot-age-ms (the branch's own values, else the
//             table's history.expire.* defaults, else 1 and 5 days)
//   tags      keep their snapshot
//   others    snapshots no ref reaches are kept while newer than the
//             table-wide age limit
//
// `older_than_ms` and `retain_last` replace the table-wide defaults, as
// Java's expireOlderThan/retainLast do (a branch's own settings still win).
// Removing a snapshot also removes its statistics files and any snapshot-log
// history before it (a gap would make time travel wrong).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "floe/spec/table_metadata.h"
#include "floe/table/pending_update.h"

namespace floe::table {

struct ExpiryOptions {
  int64_t now_ms = 0;                    // 0: the clock
  std::optional<int64_t> older_than_ms;  // timestamp; default now - history.expire.max-snapshot-age-ms
  std::optional<int> retain_last;        // default history.expire.min-snapshots-to-keep (1)
  std::vector<int64_t> snapshot_ids;     // also expire these (never a ref's snapshot)
};

struct ExpiryPlan {
  std::vector<int64_t> snapshots;   // to remove, in metadata order
  std::vector<std::string> refs;    // to remove
  int64_t older_than_ms = 0;        // the table-wide limit used
  bool empty() const { return snapshots.empty() && refs.empty(); }
};

// Invalid when an explicitly named snapshot is a ref's or does not exist.
Result<ExpiryPlan> PlanExpiry(const spec::TableMetadata& md, const ExpiryOptions& options);

// Removes the plan's snapshots and refs from `md` (with their statistics
// files and the snapshot-log history up to the last removed entry).
void ApplyExpiry(spec::TableMetadata* md, const ExpiryPlan& plan);

// The change as a transaction update: planned again on the metadata of each
// commit attempt, so snapshots committed concurrently are judged too.
class ExpireSnapshotsUpdate : public PendingUpdate {
 public:
  explicit ExpireSnapshotsUpdate(ExpiryOptions options) : options_(std::move(options)) {}
  Status Apply(spec::TableMetadata* md, CommitAttempt* attempt) override;
  std::string Describe() const override { return "expire snapshots"; }
  // The plan of the last attempt (the committed one after a success), the
  // snapshots it removed and their statistics files.
  const ExpiryPlan& plan() const { return plan_; }
  const std::vector<spec::Snapshot>& removed() const { return removed_; }
  const std::vector<std::string>& removed_statistics() const { return removed_statistics_; }

 private:
  ExpiryOptions options_;
  ExpiryPlan plan_;
  std::vector<spec::Snapshot> removed_;
  std::vector<std::string> removed_statistics_;
};

}  // namespace floe::table
