// The maintenance policy a table's properties describe, and one run of it
// (`floe maintain`, and `floe serve --maintain` on a schedule). Iceberg's
// own properties where they exist; Floe's under floe.maintenance.*:
//
//   floe.maintenance.enabled                       true   false: maintain skips the table
//   floe.maintenance.interval-ms                   -      how often `floe serve --maintain`
//                                                         runs it (default its --maintain-every)
//   floe.maintenance.compact.enabled               true
//   floe.maintenance.compact.min-input-files       5      files a partition needs
//   floe.maintenance.compact.delete-file-threshold 1      delete files that make a file a candidate
//   floe.maintenance.compact.delete-ratio          0.3    share of deleted rows, likewise
//     (target size: write.target-file-size-bytes)
//   floe.maintenance.compact-deletes.enabled       true   equality deletes to positions/DVs
//   floe.maintenance.rewrite-manifests.enabled     true
//   floe.maintenance.rewrite-manifests.min-count   10     manifests before a rewrite is considered
//     (target size: commit.manifest.target-size-bytes)
//   floe.maintenance.expire.enabled                true
//     (history.expire.max-snapshot-age-ms, .min-snapshots-to-keep, .max-ref-age-ms,
//      and each ref's own settings)
//   floe.maintenance.remove-orphans.enabled        true
//   floe.maintenance.remove-orphans.older-than-ms  259200000 (3 days)
//   floe.maintenance.remove-orphans.interval-ms    86400000 (a day): listing a table is costly
//
// Steps run in that order: compaction, delete compaction, manifest rewrite,
// expiry, orphan removal. A step that fails is reported and the next still
// runs. gc.enabled=false turns expiry and orphan removal off.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "floe/maintenance/compaction.h"
#include "floe/maintenance/delete_compaction.h"
#include "floe/maintenance/expire_snapshots.h"
#include "floe/maintenance/orphan_files.h"
#include "floe/maintenance/rewrite_manifests.h"
#include "floe/table/table.h"

namespace floe::maintenance {

struct MaintenancePolicy {
  bool enabled = true;
  std::optional<int64_t> interval_ms;
  bool compact = true;
  int min_input_files = 5;
  int delete_file_threshold = 1;
  double delete_ratio = 0.3;
  bool compact_deletes = true;
  bool rewrite_manifests = true;
  int64_t rewrite_manifests_min_count = 10;
  bool expire = true;
  bool remove_orphans = true;
  int64_t orphans_older_than_ms = 3LL * 24 * 3600 * 1000;
  int64_t orphans_interval_ms = 24LL * 3600 * 1000;
};

// Invalid names the property and value that cannot be read.
Result<MaintenancePolicy> PolicyFromProperties(const spec::TableMetadata& md);

struct MaintainOptions {
  bool dry_run = false;
  int threads = 0;
  // Shared by the steps' scans (and by every run that gets the same one).
  std::shared_ptr<table::ManifestCache> manifest_cache;
  int64_t now_ms = 0;  // 0: the clock
  // One line per step, as it finishes ("compact: ...").
  std::function<void(const std::string&)> log;
  // Once it reads true, no further step starts (the one running finishes;
  // an interrupted run is safe anyway, this keeps shutdowns prompt). Must
  // outlive the call.
  const std::atomic<bool>* stop = nullptr;
};

struct MaintainReport {
  std::optional<CompactionReport> compaction;
  std::optional<DeleteCompactionReport> deletes;
  std::optional<RewriteManifestsReport> manifests;
  std::optional<ExpireReport> expire;
  std::optional<OrphanReport> orphans;
  struct StepError {
    std::string step;  // compact, compact-deletes, rewrite-manifests, expire, expire cleanup, remove-orphans
    Status status;
  };
  std::vector<StepError> errors;  // one per failed step
  bool skipped = false;             // floe.maintenance.enabled=false
  bool stopped = false;             // MaintainOptions::stop ended it early
  double seconds = 0;
};

// One run of the policy on `table`. Errors only for a policy that cannot be
// read; failed steps are in the report.
Result<MaintainReport> MaintainTable(table::Table& table, const MaintainOptions& options);

}  // namespace floe::maintenance
