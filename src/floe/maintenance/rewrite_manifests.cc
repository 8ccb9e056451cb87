#include "floe/maintenance/rewrite_manifests.h"

#include <chrono>
#include <cmath>
#include <map>

#include "floe/manifest/manifest_list.h"
#include "floe/table/snapshot_update.h"
#include "floe/table/transaction.h"

namespace floe::maintenance {

Result<RewriteManifestsReport> RewriteManifests(table::Table& table,
                                                const RewriteManifestsOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  RewriteManifestsReport report;
  const spec::TableMetadata& md = table.metadata();
  const int64_t target =
      o.target_bytes.value_or(md.PropertyAsInt("commit.manifest.target-size-bytes", 8 << 20));
  if (target <= 0) return Status::Invalid("the manifest target size must be positive, not ", target);
  const spec::Snapshot* head = md.CurrentSnapshot();
  if (!head) return report;
  FLOE_ASSIGN_OR_RAISE(std::string bytes, table.io()->ReadFile(head->manifest_list));
  FLOE_ASSIGN_OR_RAISE(auto list, manifest::ReadManifestList(head->manifest_list, bytes));
  std::map<std::pair<int32_t, manifest::ManifestContent>, std::pair<int64_t, int64_t>> groups;
  for (const auto& mf : list.manifests) {
    auto& [count, size] = groups[{mf.partition_spec_id, mf.content}];
    ++count;
    size += mf.manifest_length;
    report.entries += mf.added_files_count.value_or(0) + mf.existing_files_count.value_or(0);
  }
  report.manifests_before = static_cast<int64_t>(list.manifests.size());
  bool worth = false;
  for (const auto& [key, cs] : groups) {
    const int64_t needed =
        std::max<int64_t>(1, static_cast<int64_t>(std::ceil(static_cast<double>(cs.second) / target)));
    report.manifests_needed += needed;
    worth |= cs.first > needed;
  }
  worth = worth && report.manifests_before >= o.min_count;
  if (!(worth || o.force) || o.dry_run) {
    report.manifests_after = o.dry_run && (worth || o.force) ? report.manifests_needed : report.manifests_before;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
  }
  auto update = std::make_unique<table::SnapshotUpdate>(table.io().get(), spec::kMainBranch);
  update->SetRewriteManifests(target);
  table::SnapshotUpdate* raw = update.get();
  table::Transaction tx(&table);
  tx.Add(std::move(update));
  FLOE_RETURN_NOT_OK(tx.Commit().status());
  report.rewritten = true;
  report.snapshot_id = raw->snapshot_id();
  const spec::Snapshot* now = table.metadata().CurrentSnapshot();
  if (auto created = now->SummaryValue("manifests-created")) {
    report.manifests_after = std::stoll(*created);
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace floe::maintenance
