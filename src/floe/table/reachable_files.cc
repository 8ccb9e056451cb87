#include "floe/table/reachable_files.h"

#include <mutex>

#include "floe/manifest/manifest_list.h"
#include "floe/util/parallel.h"

namespace floe::table {

std::vector<std::string> MetadataFiles(const catalog::LoadedTable& table) {
  const spec::TableMetadata& md = *table.metadata;
  std::vector<std::string> out;
  out.push_back(table.metadata_location);
  for (const auto& e : md.metadata_log) out.push_back(e.metadata_file);
  for (const auto& s : md.statistics) out.push_back(s.statistics_path);
  for (const auto& s : md.partition_statistics) out.push_back(s.statistics_path);
  return out;
}

Result<ManifestSet> CollectManifests(const spec::TableMetadata& md, io::FileIO& io,
                                     const std::vector<const spec::Snapshot*>& snapshots,
                                     int threads, bool skip_missing) {
  ManifestSet out;
  std::vector<std::vector<manifest::ManifestFile>> per(snapshots.size());
  FLOE_RETURN_NOT_OK(util::ParallelFor(snapshots.size(), threads, [&](size_t i) -> Status {
    const spec::Snapshot& s = *snapshots[i];
    if (s.manifest_list.empty()) {
      for (const std::string& path : s.manifests) {
        manifest::ManifestFile mf;
        mf.manifest_path = path;
        mf.added_snapshot_id = s.snapshot_id;
        per[i].push_back(std::move(mf));
      }
      return Status::OK();
    }
    auto bytes = io.ReadFile(s.manifest_list);
    if (!bytes.ok()) {
      if (skip_missing && bytes.status().IsNotFound()) return Status::OK();
      return bytes.status().WithContext("manifest list of snapshot " +
                                        std::to_string(s.snapshot_id));
    }
    FLOE_ASSIGN_OR_RAISE(auto list, manifest::ReadManifestList(s.manifest_list, *bytes));
    per[i] = std::move(list.manifests);
    return Status::OK();
  }));
  std::set<std::string> seen;
  for (size_t i = 0; i < snapshots.size(); ++i) {
    if (!snapshots[i]->manifest_list.empty()) out.lists.push_back(snapshots[i]->manifest_list);
    for (auto& mf : per[i]) {
      if (seen.insert(mf.manifest_path).second) out.manifests.push_back(std::move(mf));
    }
  }
  return out;
}

Status ForEachEntry(const spec::TableMetadata& md, io::FileIO& io,
                    const std::vector<manifest::ManifestFile>& manifests, int threads,
                    const EntryFn& fn, bool skip_missing) {
  std::mutex mu;
  return util::ParallelFor(manifests.size(), threads, [&](size_t i) -> Status {
    const manifest::ManifestFile& mf = manifests[i];
    auto bytes = io.ReadFile(mf.manifest_path);
    if (!bytes.ok()) {
      if (skip_missing && bytes.status().IsNotFound()) return Status::OK();
      return bytes.status().WithContext("manifest");
    }
    manifest::ManifestReadOptions options;
    options.spec = md.SpecById(mf.partition_spec_id);
    options.schema = md.CurrentSchema();
    // Manifests named inline by very old v1 snapshots have no list entry.
    if (!mf.manifest_path.empty() && mf.manifest_length > 0) options.manifest_file = &mf;
    FLOE_ASSIGN_OR_RAISE(auto m, manifest::ReadManifest(mf.manifest_path, *bytes, options));
    std::lock_guard<std::mutex> lock(mu);
    for (const manifest::ManifestEntry& e : m.entries) FLOE_RETURN_NOT_OK(fn(mf, e));
    return Status::OK();
  });
}

Result<std::set<std::string>> AllReachableFiles(const catalog::LoadedTable& table, io::FileIO& io,
                                                int threads, bool with_deleted_entries) {
  const spec::TableMetadata& md = *table.metadata;
  std::set<std::string> files;
  for (std::string& f : MetadataFiles(table)) files.insert(std::move(f));
  std::vector<const spec::Snapshot*> snapshots;
  for (const spec::Snapshot& s : md.snapshots) snapshots.push_back(&s);
  // Files already gone (a purge that stopped half way) are skipped.
  FLOE_ASSIGN_OR_RAISE(ManifestSet set, CollectManifests(md, io, snapshots, threads, true));
  files.insert(set.lists.begin(), set.lists.end());
  for (const auto& mf : set.manifests) files.insert(mf.manifest_path);
  FLOE_RETURN_NOT_OK(ForEachEntry(
      md, io, set.manifests, threads,
      [&](const manifest::ManifestFile&, const manifest::ManifestEntry& e) {
        if (with_deleted_entries || e.status != manifest::EntryStatus::kDeleted) {
          files.insert(e.data_file.file_path);
        }
        return Status::OK();
      },
      true));
  return files;
}

}  // namespace floe::table
