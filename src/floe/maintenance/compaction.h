// Data file compaction (Java's RewriteDataFiles action, binpack and sort):
// rewrites small files, oversized files and files with deletes into files
// of the target size, with every delete applied, and removes in the same
// commit the delete files that then apply to nothing.
//
// Planning (Java's defaults as the baseline): the live data files the
// filter may match are candidates when smaller than min_file_size (0.75 ×
// target), larger than max_file_size (1.8 × target) or — unlike Java, by
// default — when any delete file applies to them (delete_file_threshold 1)
// or positions delete delete_ratio (0.3) of their rows. Candidates are
// grouped by partition (per spec: output is written in the current spec),
// and a group is rewritten when it has min_input_files (5) files, more than
// a target's worth of bytes in two or more files, more than max_file_size
// bytes, or a file with deletes over the thresholds.
//
// Committing: a "replace" snapshot whose new files keep the data sequence
// number of the snapshot planning started from (spec §Sequence Numbers;
// Java's use-starting-sequence-number), validated against every commit
// made since: a concurrent position delete or deletion vector on a
// rewritten file fails that group (never loses it), concurrent equality
// deletes still apply to the new files, concurrent appends are fine. Delete
// files no live data file needs any more (DVs and position deletes of
// removed files, equality deletes with no older data left in scope) are
// removed in the same commit. With partial progress, groups commit in up to
// partial_progress_max_commits batches as they finish, and a failed group
// removes only its own output; otherwise one commit carries all or nothing.
// A process killed at any point leaves the table at its previous or next
// state; its unreferenced outputs are orphans, and a rerun plans again.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "floe/table/delete_index.h"
#include "floe/table/scan.h"
#include "floe/table/table.h"

namespace floe::maintenance {

enum class CompactionStrategy { kBinPack, kSort };

struct CompactionOptions {
  std::string where;  // filter text: files that may hold matching rows
  CompactionStrategy strategy = CompactionStrategy::kBinPack;
  std::string sort_by;  // sort: order text; default the table's write order
  std::optional<int64_t> target_file_size;  // default write.target-file-size-bytes (512 MiB)
  std::optional<int64_t> min_file_size;     // default 0.75 × target
  std::optional<int64_t> max_file_size;     // default 1.8 × target
  int min_input_files = 5;
  int delete_file_threshold = 1;  // delete files applied to a file that make it a candidate
  double delete_ratio = 0.3;      // share of a file's rows deleted by position
  bool rewrite_all = false;       // every selected file, whatever its size
  int64_t max_group_bytes = 100LL << 30;
  bool partial_progress = false;
  int partial_progress_max_commits = 10;
  bool remove_dangling_deletes = true;
  bool dry_run = false;
  int threads = 0;  // groups rewritten at once; 0: util::CpuParallelism()
  // Decoded manifests shared with other scans of the process (floe serve's
  // scheduler); null: planning reads them.
  std::shared_ptr<table::ManifestCache> manifest_cache;
  // Progress lines ("group 3/12 ...") for a terminal.
  std::function<void(const std::string&)> progress;
};

// One group of files rewritten together.
struct FileGroup {
  int32_t spec_id = 0;
  std::string partition;  // partition path ("" unpartitioned)
  std::vector<table::FileScanTask> files;
  int64_t bytes = 0;
  int64_t records = 0;
  int64_t delete_files = 0;  // distinct delete files applied to its files
  int64_t expected_outputs = 0;
  std::string reason;  // why it is rewritten
};

struct CompactionPlan {
  std::optional<int64_t> start_snapshot;  // none: empty table
  int64_t start_sequence_number = 0;
  std::vector<FileGroup> groups;
  // Delete files that apply to nothing once every group is rewritten.
  std::vector<table::DeleteFileEntry> dangling;
  int64_t live_data_files = 0;
  int64_t live_delete_files = 0;
};

struct CompactionReport {
  CompactionPlan plan;  // dry run: what would be done
  int groups_rewritten = 0;
  int groups_failed = 0;
  // One per failed group or commit, naming the partition or groups.
  std::vector<Status> failures;
  int64_t files_in = 0, files_out = 0;
  int64_t bytes_in = 0, bytes_out = 0;
  int64_t rows = 0;
  int64_t deletes_removed = 0;  // delete files removed (dangling or of rewritten files)
  int commits = 0;
  std::vector<int64_t> snapshot_ids;
  double seconds = 0;
};

// The size compaction writes files at (write.target-file-size-bytes, 512
// MiB by default) and the size under which it calls a file small by
// default (0.75 of it, as Java's binpack). `floe serve` counts small files
// with the same rule.
int64_t TargetFileSize(const spec::TableMetadata& md);
int64_t DefaultMinFileSize(int64_t target);

// Plans without writing anything.
Result<CompactionPlan> PlanCompaction(const table::Table& table, const CompactionOptions& options);

// Plans, rewrites and commits. Errors: Invalid options (naming them), a
// filter or sort order that does not parse or bind; without partial
// progress, a failed group or commit (nothing is left behind). With partial
// progress the call succeeds when at least one group committed or nothing
// needed rewriting; failures are in the report.
Result<CompactionReport> Compact(table::Table& table, const CompactionOptions& options);

// The summary property the last replace snapshot of a compaction job
// carries with the job's duration (for iceberg_compaction_duration_seconds,
// read back by `floe serve`): one per job, however many commits it made.
inline constexpr const char* kRewriteDurationProperty = "floe.rewrite.duration-ms";

}  // namespace floe::maintenance
