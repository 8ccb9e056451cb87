// What `floe serve` knows about one table: the gauges it exports and the
// commits it has not counted yet.
//
// The gauges come from the table's metadata: the snapshot list, and the
// current snapshot's summary totals (spec Appendix F) that Floe, Java,
// PyIceberg and Flink write. Two need more than the metadata file: the
// manifest count (the current snapshot's manifest list) and the small-file
// count (data file sizes, in its manifests). Manifests never change once
// written, so their counts are kept by path and only manifests the tracker
// has not seen are read: a commit costs its new manifests, not the table.
// When a writer left a total out of the summary, the manifest counts
// supply it.
//
// Not thread-safe: one tracker per table, updated by one refresh at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "floe/io/file_io.h"
#include "floe/result.h"
#include "floe/spec/table_metadata.h"

namespace floe::server {

struct TableStats {
  int64_t snapshot_count = 0;
  int64_t data_files = 0;
  int64_t total_records = 0;
  int64_t total_size_bytes = 0;
  int64_t delete_files = 0;
  int64_t position_deletes = 0;  // rows deleted by position deletes and DVs
  int64_t equality_deletes = 0;  // rows of equality delete files
  int64_t manifests = 0;         // of the current snapshot, data and delete
  int64_t small_data_files = 0;  // live data files under compaction's small size
  int64_t last_commit_ms = 0;    // newest snapshot, else the metadata's last update
  std::optional<int64_t> oldest_snapshot_ms;
};

// A snapshot committed since the tracker last looked.
struct CommitEvent {
  int64_t snapshot_id = 0;
  std::string operation;  // "append", "replace", ... ("unknown" when unnamed)
  int64_t retries = 0;    // floe.commit.retries (Floe's commits only)
  // A compaction's duration (floe.rewrite.duration-ms on the replace
  // snapshots `floe compact` and `floe serve --maintain` commit).
  std::optional<double> compaction_seconds;
};

class TableStatsTracker {
 public:
  // Snapshots of the first metadata seen that were committed before
  // `history_before_ms` are history, not news: all of them for a table
  // there when the service started (INT64_MAX), those from before the
  // previous refresh for a table that appeared later (created, or renamed:
  // its old commits are not counted twice).
  explicit TableStatsTracker(int64_t history_before_ms) : history_before_ms_(history_before_ms) {}

  // Brings the stats to `md` (the table's current metadata) and returns the
  // commits made since the previous call, oldest first. Errors (a manifest
  // list or manifest that cannot be read) leave the previous stats.
  Result<std::vector<CommitEvent>> Update(const spec::TableMetadata& md, io::FileIO& io,
                                          int threads);

  const TableStats& stats() const { return stats_; }
  // Manifests whose counts are kept (those of the current snapshot).
  size_t cached_manifests() const { return counts_.size(); }
  // Manifests read so far (how much work refreshes did, for tests and logs).
  int64_t manifests_read() const { return manifests_read_; }

 private:
  struct ManifestCounts {
    int64_t data_files = 0, records = 0, bytes = 0, small_files = 0;
    int64_t delete_files = 0, position_deletes = 0, equality_deletes = 0;
  };
  Status UpdateFileCounts(const spec::TableMetadata& md, io::FileIO& io, int threads,
                          TableStats* stats);

  int64_t history_before_ms_;
  bool first_ = true;
  std::set<int64_t> known_snapshots_;
  std::optional<int64_t> counted_snapshot_;  // the snapshot counts_ describe
  int64_t small_threshold_ = -1;
  std::unordered_map<std::string, ManifestCounts> counts_;
  TableStats stats_;
  int64_t manifests_read_ = 0;
};

}  // namespace floe::server
