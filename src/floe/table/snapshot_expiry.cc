#include "floe/table/snapshot_expiry.h"

#include <algorithm>
#include <set>

#include "floe/util/random_ids.h"

namespace floe::table {

namespace {

constexpr int64_t kDefaultMaxSnapshotAgeMs = 5LL * 24 * 3600 * 1000;  // Java's 5 days

}  // namespace

Result<ExpiryPlan> PlanExpiry(const spec::TableMetadata& md, const ExpiryOptions& o) {
  ExpiryPlan plan;
  const int64_t now = o.now_ms > 0 ? o.now_ms : util::NowMillis();
  const int64_t default_older_than =
      o.older_than_ms.value_or(now - md.PropertyAsInt("history.expire.max-snapshot-age-ms",
                                                      kDefaultMaxSnapshotAgeMs));
  const int64_t default_min_keep =
      o.retain_last ? *o.retain_last : md.PropertyAsInt("history.expire.min-snapshots-to-keep", 1);
  const int64_t default_max_ref_age =
      md.PropertyAsInt("history.expire.max-ref-age-ms", INT64_MAX);
  plan.older_than_ms = default_older_than;
  spec::SnapshotIndex index(md);

  std::set<int64_t> retained;
  std::set<int64_t> referenced;  // ancestors of every ref, expired ones included
  for (const auto& [name, ref] : md.refs) {
    const spec::Snapshot* head = index.Find(ref.snapshot_id);
    if (!head) continue;
    for (const spec::Snapshot* s : index.Ancestors(ref.snapshot_id)) referenced.insert(s->snapshot_id);
    const int64_t max_ref_age = ref.max_ref_age_ms.value_or(default_max_ref_age);
    if (name != spec::kMainBranch && now - head->timestamp_ms > max_ref_age) {
      plan.refs.push_back(name);
      continue;
    }
    retained.insert(ref.snapshot_id);  // a ref that stays keeps its snapshot, whatever the limits
    if (ref.type == spec::RefType::kTag) continue;
    const int64_t older_than =
        ref.max_snapshot_age_ms ? now - *ref.max_snapshot_age_ms : default_older_than;
    const int64_t min_keep = ref.min_snapshots_to_keep.value_or(default_min_keep);
    int64_t kept = 0;
    for (const spec::Snapshot* s : index.Ancestors(ref.snapshot_id)) {
      if (kept < min_keep || s->timestamp_ms >= older_than) {
        retained.insert(s->snapshot_id);
        ++kept;
      } else {
        break;
      }
    }
  }
  for (const spec::Snapshot& s : md.snapshots) {
    if (!referenced.count(s.snapshot_id) && s.timestamp_ms >= default_older_than) {
      retained.insert(s.snapshot_id);
    }
  }
  std::set<int64_t> heads;  // snapshots of refs that stay
  for (const auto& [name, ref] : md.refs) {
    if (std::find(plan.refs.begin(), plan.refs.end(), name) == plan.refs.end()) {
      heads.insert(ref.snapshot_id);
    }
  }
  for (int64_t id : o.snapshot_ids) {
    if (!index.Find(id)) return Status::NotFound("snapshot ", id, " does not exist");
    if (heads.count(id)) {
      return Status::Invalid("snapshot ", id,
                             " is the snapshot of a branch or tag; drop the ref to expire it");
    }
    retained.erase(id);
  }
  for (const spec::Snapshot& s : md.snapshots) {
    if (!retained.count(s.snapshot_id)) plan.snapshots.push_back(s.snapshot_id);
  }
  return plan;
}

void ApplyExpiry(spec::TableMetadata* md, const ExpiryPlan& plan) {
  const std::set<int64_t> gone(plan.snapshots.begin(), plan.snapshots.end());
  for (const std::string& name : plan.refs) md->refs.erase(name);
  std::erase_if(md->snapshots, [&](const spec::Snapshot& s) { return gone.count(s.snapshot_id) > 0; });
  std::erase_if(md->statistics,
                [&](const spec::StatisticsFile& f) { return gone.count(f.snapshot_id) > 0; });
  std::erase_if(md->partition_statistics,
                [&](const spec::PartitionStatisticsFile& f) { return gone.count(f.snapshot_id) > 0; });
  // History before a removed entry goes too (Java's updateSnapshotLog): a
  // gap would make the next snapshot look current while the removed one was.
  std::vector<spec::SnapshotLogEntry> log;
  for (const spec::SnapshotLogEntry& e : md->snapshot_log) {
    if (gone.count(e.snapshot_id)) {
      log.clear();
    } else {
      log.push_back(e);
    }
  }
  md->snapshot_log = std::move(log);
}

Status ExpireSnapshotsUpdate::Apply(spec::TableMetadata* md, CommitAttempt*) {
  FLOE_ASSIGN_OR_RAISE(plan_, PlanExpiry(*md, options_));
  const std::set<int64_t> gone(plan_.snapshots.begin(), plan_.snapshots.end());
  removed_.clear();
  removed_statistics_.clear();
  for (const spec::Snapshot& s : md->snapshots) {
    if (gone.count(s.snapshot_id)) removed_.push_back(s);
  }
  for (const auto& f : md->statistics) {
    if (gone.count(f.snapshot_id)) removed_statistics_.push_back(f.statistics_path);
  }
  for (const auto& f : md->partition_statistics) {
    if (gone.count(f.snapshot_id)) removed_statistics_.push_back(f.statistics_path);
  }
  ApplyExpiry(md, plan_);
  return Status::OK();
}

}  // namespace floe::table
