#include "floe/server/table_stats.h"

#include <algorithm>
#include <mutex>

#include "floe/maintenance/compaction.h"
#include "floe/table/reachable_files.h"
#include "floe/table/snapshot_summary.h"
#include "floe/util/strings.h"

namespace floe::server {

Result<std::vector<CommitEvent>> TableStatsTracker::Update(const spec::TableMetadata& md,
                                                           io::FileIO& io, int threads) {
  TableStats s;
  s.snapshot_count = static_cast<int64_t>(md.snapshots.size());
  s.last_commit_ms = md.last_updated_ms;
  if (!md.snapshots.empty()) {
    s.last_commit_ms = 0;
    int64_t oldest = md.snapshots.front().timestamp_ms;
    for (const spec::Snapshot& snap : md.snapshots) {
      s.last_commit_ms = std::max(s.last_commit_ms, snap.timestamp_ms);
      oldest = std::min(oldest, snap.timestamp_ms);
    }
    s.oldest_snapshot_ms = oldest;
  }
  FLOE_RETURN_NOT_OK(UpdateFileCounts(md, io, threads, &s));

  // Commits: snapshots not seen before. Ids of expired snapshots are
  // dropped, so the set stays as long as the snapshot list.
  std::vector<CommitEvent> events;
  std::set<int64_t> now_known;
  std::vector<const spec::Snapshot*> fresh;
  for (const spec::Snapshot& snap : md.snapshots) {
    now_known.insert(snap.snapshot_id);
    if (known_snapshots_.count(snap.snapshot_id)) continue;
    if (first_ && snap.timestamp_ms < history_before_ms_) continue;
    fresh.push_back(&snap);
  }
  {
    std::sort(fresh.begin(), fresh.end(), [](const spec::Snapshot* a, const spec::Snapshot* b) {
      return a->sequence_number != b->sequence_number ? a->sequence_number < b->sequence_number
                                                      : a->timestamp_ms < b->timestamp_ms;
    });
    for (const spec::Snapshot* snap : fresh) {
      CommitEvent e;
      e.snapshot_id = snap->snapshot_id;
      e.operation = snap->operation.empty() ? "unknown" : snap->operation;
      if (auto r = snap->SummaryValue(table::kCommitRetriesProperty)) {
        e.retries = util::ParseInt64(*r).value_or(0);
      }
      if (snap->operation == "replace") {
        if (auto d = snap->SummaryValue(maintenance::kRewriteDurationProperty)) {
          if (auto ms = util::ParseInt64(*d); ms && *ms >= 0) {
            e.compaction_seconds = static_cast<double>(*ms) / 1000.0;
          }
        }
      }
      events.push_back(std::move(e));
    }
  }
  known_snapshots_ = std::move(now_known);
  first_ = false;
  stats_ = s;
  return events;
}

Status TableStatsTracker::UpdateFileCounts(const spec::TableMetadata& md, io::FileIO& io,
                                           int threads, TableStats* s) {
  const spec::Snapshot* current = md.CurrentSnapshot();
  if (current == nullptr) {
    counts_.clear();
    counted_snapshot_.reset();
    return Status::OK();
  }
  const int64_t threshold = maintenance::DefaultMinFileSize(maintenance::TargetFileSize(md));
  if (threshold != small_threshold_) counts_.clear();  // the rule changed: count again

  if (counted_snapshot_ == current->snapshot_id && threshold == small_threshold_) {
    s->manifests = stats_.manifests;
  } else {
    FLOE_ASSIGN_OR_RAISE(table::ManifestSet set, table::CollectManifests(md, io, {current}, threads));
    std::vector<manifest::ManifestFile> unseen;
    for (const auto& mf : set.manifests) {
      if (!counts_.count(mf.manifest_path)) unseen.push_back(mf);
    }
    std::unordered_map<std::string, ManifestCounts> fresh;
    FLOE_RETURN_NOT_OK(table::ForEachEntry(
        md, io, unseen, threads,
        [&](const manifest::ManifestFile& mf, const manifest::ManifestEntry& e) -> Status {
          ManifestCounts& c = fresh[mf.manifest_path];
          if (e.status == manifest::EntryStatus::kDeleted) return Status::OK();
          const manifest::DataFile& f = e.data_file;
          switch (f.content) {
            case manifest::FileContent::kData:
              ++c.data_files;
              c.records += f.record_count;
              c.bytes += f.file_size_in_bytes;
              if (f.file_size_in_bytes < threshold) ++c.small_files;
              break;
            case manifest::FileContent::kPositionDeletes:
              ++c.delete_files;
              c.position_deletes += f.record_count;
              c.bytes += f.file_size_in_bytes;
              break;
            case manifest::FileContent::kEqualityDeletes:
              ++c.delete_files;
              c.equality_deletes += f.record_count;
              c.bytes += f.file_size_in_bytes;
              break;
          }
          return Status::OK();
        }));
    manifests_read_ += static_cast<int64_t>(unseen.size());
    // Keep only the current snapshot's manifests: memory follows the table,
    // not its history.
    std::unordered_map<std::string, ManifestCounts> kept;
    for (const auto& mf : set.manifests) {
      auto it = counts_.find(mf.manifest_path);
      kept.emplace(mf.manifest_path, it != counts_.end() ? it->second : fresh[mf.manifest_path]);
    }
    counts_ = std::move(kept);
    counted_snapshot_ = current->snapshot_id;
    small_threshold_ = threshold;
    s->manifests = static_cast<int64_t>(set.manifests.size());
  }
  ManifestCounts sum;
  for (const auto& [path, c] : counts_) {
    sum.data_files += c.data_files;
    sum.records += c.records;
    sum.bytes += c.bytes;
    sum.small_files += c.small_files;
    sum.delete_files += c.delete_files;
    sum.position_deletes += c.position_deletes;
    sum.equality_deletes += c.equality_deletes;
  }
  s->small_data_files = sum.small_files;
  // The summary's totals are what every engine reports (floe describe,
  // Spark's snapshots table); the manifests stand in for a missing one.
  const table::SummaryTotals t = table::ReadSummaryTotals(*current);
  s->data_files = t.data_files.value_or(sum.data_files);
  s->total_records = t.records.value_or(sum.records);
  s->total_size_bytes = t.files_size.value_or(sum.bytes);
  s->delete_files = t.delete_files.value_or(sum.delete_files);
  s->position_deletes = t.position_deletes.value_or(sum.position_deletes);
  s->equality_deletes = t.equality_deletes.value_or(sum.equality_deletes);
  return Status::OK();
}

}  // namespace floe::server
