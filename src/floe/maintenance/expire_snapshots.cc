#include "floe/maintenance/expire_snapshots.h"

#include <chrono>
#include <set>
#include <unordered_map>

#include "floe/catalog/metadata_files.h"
#include "floe/manifest/manifest_list.h"
#include "floe/table/reachable_files.h"
#include "floe/table/transaction.h"
#include "floe/util/parallel.h"
#include "floe/util/random_ids.h"

namespace floe::maintenance {

namespace {

using manifest::EntryStatus;
using manifest::ManifestFile;

// The files that manifest lists `expired` reach and no snapshot of `md`
// does, in deletion order: content files, then manifests, then the lists.
// A file already gone is skipped (a cleanup that stopped half way).
Result<std::vector<FileDeleter::Item>> Unreachable(const spec::TableMetadata& md, io::FileIO& io,
                                                   const std::vector<std::string>& expired_lists,
                                                   const std::vector<std::string>& statistics,
                                                   int threads) {
  std::vector<const spec::Snapshot*> retained;
  std::set<std::string> retained_lists;
  std::set<std::string> retained_statistics;
  for (const spec::Snapshot& s : md.snapshots) {
    retained.push_back(&s);
    retained_lists.insert(s.manifest_list);
  }
  for (const auto& f : md.statistics) retained_statistics.insert(f.statistics_path);
  for (const auto& f : md.partition_statistics) retained_statistics.insert(f.statistics_path);
  FLOE_ASSIGN_OR_RAISE(table::ManifestSet kept, table::CollectManifests(md, io, retained, threads));
  std::set<std::string> kept_manifests;
  for (const ManifestFile& mf : kept.manifests) kept_manifests.insert(mf.manifest_path);

  // Manifests only expired snapshots name.
  std::vector<std::string> lists;
  for (const std::string& l : expired_lists) {
    if (!retained_lists.count(l)) lists.push_back(l);
  }
  std::vector<std::vector<ManifestFile>> per(lists.size());
  FLOE_RETURN_NOT_OK(util::ParallelFor(lists.size(), threads, [&](size_t i) -> Status {
    auto bytes = io.ReadFile(lists[i]);
    if (!bytes.ok()) return bytes.status().IsNotFound() ? Status::OK() : bytes.status();
    FLOE_ASSIGN_OR_RAISE(auto list, manifest::ReadManifestList(lists[i], *bytes));
    per[i] = std::move(list.manifests);
    return Status::OK();
  }));
  std::vector<ManifestFile> candidates;
  std::set<std::string> seen;
  for (auto& group : per) {
    for (ManifestFile& mf : group) {
      if (kept_manifests.count(mf.manifest_path) || !seen.insert(mf.manifest_path).second) continue;
      candidates.push_back(std::move(mf));
    }
  }

  // Content files those manifests name, minus every file live in a retained
  // snapshot (a file can sit in several manifests: rewritten, merged).
  std::unordered_map<std::string, FileDeleter::Item> content;
  FLOE_RETURN_NOT_OK(table::ForEachEntry(
      md, io, candidates, threads,
      [&](const ManifestFile&, const manifest::ManifestEntry& e) {
        const manifest::DataFile& f = e.data_file;
        FileDeleter::Item item{f.file_path,
                               f.content == manifest::FileContent::kData ? FileKind::kData
                                                                         : FileKind::kDeletes,
                               f.file_size_in_bytes};
        content.emplace(f.file_path, std::move(item));
        return Status::OK();
      },
      /*skip_missing=*/true));
  if (!content.empty()) {
    FLOE_RETURN_NOT_OK(table::ForEachEntry(
        md, io, kept.manifests, threads,
        [&](const ManifestFile&, const manifest::ManifestEntry& e) {
          if (e.status != EntryStatus::kDeleted) content.erase(e.data_file.file_path);
          return Status::OK();
        }));
  }
  std::vector<FileDeleter::Item> out;
  out.reserve(content.size() + candidates.size() + lists.size());
  // A Puffin file holds the DVs of many data files: one item per file.
  std::set<std::string> content_paths;
  for (auto& [path, item] : content) {
    if (content_paths.insert(path).second) out.push_back(std::move(item));
  }
  for (const ManifestFile& mf : candidates) {
    out.push_back({mf.manifest_path, FileKind::kManifest, mf.manifest_length});
  }
  for (const std::string& l : lists) out.push_back({l, FileKind::kManifestList, 0});
  for (const std::string& s : statistics) {
    if (!retained_statistics.count(s)) out.push_back({s, FileKind::kStatistics, 0});
  }
  return out;
}

// Deletes what `items` lists in order of kind: content files first, then
// manifests, then manifest lists and statistics, so that a cleanup killed
// half way can be recomputed from the lists that are left.
void DeleteInOrder(FileDeleter& deleter, const std::vector<FileDeleter::Item>& items) {
  for (FileKind phase : {FileKind::kData, FileKind::kManifest, FileKind::kManifestList}) {
    std::vector<FileDeleter::Item> batch;
    for (const auto& item : items) {
      const bool content = item.kind == FileKind::kData || item.kind == FileKind::kDeletes;
      const bool lists = item.kind == FileKind::kManifestList || item.kind == FileKind::kStatistics;
      if ((phase == FileKind::kData && content) || (phase == FileKind::kManifest && item.kind == phase) ||
          (phase == FileKind::kManifestList && lists)) {
        batch.push_back(item);
      }
    }
    // A failed phase stops the cleanup: the lists that remain are what a
    // rerun recomputes the rest from.
    if (!deleter.first_error().ok()) return;
    deleter.Delete(batch);
  }
}

std::vector<std::string> ListsOf(const std::vector<spec::Snapshot>& snapshots) {
  std::vector<std::string> out;
  for (const spec::Snapshot& s : snapshots) {
    if (!s.manifest_list.empty()) out.push_back(s.manifest_list);
  }
  return out;
}

}  // namespace

Result<ExpireReport> ExpireSnapshots(table::Table& table, const ExpireOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  ExpireReport report;
  const int threads = o.threads > 0 ? o.threads : util::DefaultParallelism();
  if (o.delete_files && !table.metadata().GcEnabled()) {
    return Status::Invalid("table ", table.name(),
                           " has gc.enabled=false: its files may be shared with other tables, so "
                           "expiry will not delete them; expire with --keep-files, or set "
                           "gc.enabled=true");
  }
  FileDeleter deleter(table.io(), threads, o.dry_run);
  const std::string metadata_folder = catalog::MetadataFolder(table.metadata());

  // Finish what an earlier expiry left (its journal names the lists).
  if (o.delete_files && !o.dry_run) {
    FLOE_ASSIGN_OR_RAISE(auto journals, ListJournals(*table.io(), metadata_folder));
    for (const CleanupJournal& j : journals) {
      FLOE_ASSIGN_OR_RAISE(auto items, Unreachable(table.metadata(), *table.io(), j.manifest_lists,
                                                   j.statistics, threads));
      DeleteInOrder(deleter, items);
      if (deleter.first_error().ok()) (void)table.io()->Delete(j.location);
      ++report.journals_resumed;
    }
  }

  if (o.dry_run) {
    FLOE_ASSIGN_OR_RAISE(table::ExpiryPlan plan, table::PlanExpiry(table.metadata(), o.expiry));
    spec::TableMetadata after = table.metadata();
    std::vector<spec::Snapshot> removed;
    std::vector<std::string> statistics;
    const std::set<int64_t> gone(plan.snapshots.begin(), plan.snapshots.end());
    for (const spec::Snapshot& s : after.snapshots) {
      if (gone.count(s.snapshot_id)) removed.push_back(s);
    }
    for (const auto& f : after.statistics) {
      if (gone.count(f.snapshot_id)) statistics.push_back(f.statistics_path);
    }
    table::ApplyExpiry(&after, plan);
    report.expired_snapshots = plan.snapshots;
    report.expired_refs = plan.refs;
    if (o.delete_files) {
      FLOE_ASSIGN_OR_RAISE(auto items, Unreachable(after, *table.io(), ListsOf(removed), statistics,
                                                   threads));
      DeleteInOrder(deleter, items);
    }
    report.deleted = deleter.counts();
    report.listed = deleter.listed();
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
  }

  // The journal goes first, naming what the first plan removes; it is
  // widened if a retry (a concurrent commit) removes more.
  FLOE_ASSIGN_OR_RAISE(table::ExpiryPlan first, table::PlanExpiry(table.metadata(), o.expiry));
  if (first.empty()) {
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report.deleted = deleter.counts();
    report.cleanup_error = deleter.first_error();
    return report;
  }
  CleanupJournal journal;
  journal.operation = "expire";
  journal.created_ms = util::NowMillis();
  journal.location = JournalPrefix(metadata_folder) + util::RandomUuid() + ".json";
  {
    const std::set<int64_t> gone(first.snapshots.begin(), first.snapshots.end());
    for (const spec::Snapshot& s : table.metadata().snapshots) {
      if (gone.count(s.snapshot_id) && !s.manifest_list.empty()) {
        journal.manifest_lists.push_back(s.manifest_list);
      }
    }
    for (const auto& f : table.metadata().statistics) {
      if (gone.count(f.snapshot_id)) journal.statistics.push_back(f.statistics_path);
    }
  }
  if (o.delete_files) FLOE_RETURN_NOT_OK(WriteJournal(*table.io(), &journal));

  auto update = std::make_unique<table::ExpireSnapshotsUpdate>(o.expiry);
  table::ExpireSnapshotsUpdate* expiry = update.get();
  table::Transaction tx(&table);
  tx.Add(std::move(update));
  auto committed = tx.Commit();
  if (!committed.ok()) {
    if (o.delete_files && !committed.status().IsCommitStateUnknown()) {
      (void)table.io()->Delete(journal.location);
    }
    return committed.status();
  }
  report.attempts = committed->attempts;
  report.expired_snapshots = expiry->plan().snapshots;
  report.expired_refs = expiry->plan().refs;

  if (o.delete_files) {
    std::vector<std::string> lists = ListsOf(expiry->removed());
    std::set<std::string> journaled(journal.manifest_lists.begin(), journal.manifest_lists.end());
    bool widened = false;
    for (const std::string& l : lists) widened |= journaled.insert(l).second;
    for (const std::string& s : expiry->removed_statistics()) {
      if (std::find(journal.statistics.begin(), journal.statistics.end(), s) ==
          journal.statistics.end()) {
        journal.statistics.push_back(s);
        widened = true;
      }
    }
    if (widened) {
      journal.manifest_lists.assign(journaled.begin(), journaled.end());
      FLOE_RETURN_NOT_OK(WriteJournal(*table.io(), &journal));
    }
    FLOE_ASSIGN_OR_RAISE(auto items, Unreachable(table.metadata(), *table.io(), journal.manifest_lists,
                                                 journal.statistics, threads));
    DeleteInOrder(deleter, items);
    if (deleter.first_error().ok()) (void)table.io()->Delete(journal.location);
  }
  report.deleted = deleter.counts();
  report.cleanup_error = deleter.first_error();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace floe::maintenance
