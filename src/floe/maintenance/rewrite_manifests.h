// Manifest rewrite (Java's RewriteManifests action): when a table's current
// snapshot has more manifests than its entries need — one per streaming
// commit, say — their live entries are regrouped by partition into
// manifests of commit.manifest.target-size-bytes (8 MiB), so planning reads
// few manifests and prunes whole ones by partition. No data file changes;
// the commit is a "replace" snapshot planned again on every attempt, so
// concurrent commits are kept.
#pragma once

#include <cstdint>
#include <optional>

#include "floe/table/table.h"

namespace floe::maintenance {

struct RewriteManifestsOptions {
  std::optional<int64_t> target_bytes;  // default commit.manifest.target-size-bytes (8 MiB)
  bool force = false;                   // rewrite even when the manifests look fine
  int64_t min_count = 2;                // fewer manifests than this are left alone
  bool dry_run = false;
};

struct RewriteManifestsReport {
  int64_t manifests_before = 0;
  int64_t manifests_needed = 0;  // by the entries' bytes and the target
  int64_t manifests_after = 0;
  int64_t entries = 0;
  bool rewritten = false;
  int64_t snapshot_id = 0;
  double seconds = 0;
};

Result<RewriteManifestsReport> RewriteManifests(table::Table& table,
                                                const RewriteManifestsOptions& options);

}  // namespace floe::maintenance
