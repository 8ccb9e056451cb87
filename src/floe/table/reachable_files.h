// The files a table's metadata reaches (spec §Overview): metadata files,
// manifest lists, manifests, data and delete files, statistics files. Used
// by snapshot expiry, orphan removal, table path rewrites and drop --purge,
// which must agree exactly on what is in use: a file they miss is data
// loss.
//
// Manifests are read in parallel, one at a time per thread, so memory is
// bounded by the manifests in flight plus what the caller keeps.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "floe/catalog/catalog.h"
#include "floe/manifest/manifest_file.h"
#include "floe/manifest/manifest_reader.h"
#include "floe/spec/table_metadata.h"

namespace floe::table {

// The metadata files in use: the current one, those of the metadata log,
// statistics and partition statistics files.
std::vector<std::string> MetadataFiles(const catalog::LoadedTable& table);

struct ManifestSet {
  std::vector<std::string> lists;                // manifest lists, one per snapshot
  std::vector<manifest::ManifestFile> manifests;  // distinct by path
};

// The manifest lists of `snapshots` and the distinct manifests they name,
// read in parallel. A snapshot without a manifest list (very old v1 inline
// manifests) contributes its manifests by path. A missing manifest list is
// NotFound naming it, unless `skip_missing` (cleanup after a crash).
Result<ManifestSet> CollectManifests(const spec::TableMetadata& md, io::FileIO& io,
                                     const std::vector<const spec::Snapshot*>& snapshots,
                                     int threads, bool skip_missing = false);

// Reads `manifests` on up to `threads` threads and calls `fn` for every
// entry (DELETED ones included), one call at a time; entries of a manifest
// arrive together. Sequence numbers and snapshot ids are inherited from each
// manifest's list entry. Stops at the first error `fn` returns.
using EntryFn = std::function<Status(const manifest::ManifestFile&, const manifest::ManifestEntry&)>;
Status ForEachEntry(const spec::TableMetadata& md, io::FileIO& io,
                    const std::vector<manifest::ManifestFile>& manifests, int threads,
                    const EntryFn& fn, bool skip_missing = false);

// Every file the table's metadata reaches, in memory. A content file that
// only DELETED entries name is needed by no snapshot (the snapshots it was
// live in are gone): it counts only with `with_deleted_entries` (drop
// --purge deletes those too).
Result<std::set<std::string>> AllReachableFiles(const catalog::LoadedTable& table, io::FileIO& io,
                                                int threads, bool with_deleted_entries = false);

}  // namespace floe::table
