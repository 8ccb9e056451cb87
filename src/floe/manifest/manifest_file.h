// Manifest list entries (spec §Manifest Lists).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace floe::manifest {

enum class ManifestContent : uint8_t { kData = 0, kDeletes = 1 };

// Partition summary of one partition field across a manifest.
struct PartitionFieldSummary {
  bool contains_null = false;
  std::optional<bool> contains_nan;
  std::optional<std::string> lower_bound;  // single-value binary of the result type
  std::optional<std::string> upper_bound;
  bool operator==(const PartitionFieldSummary&) const = default;
};

struct ManifestFile {
  std::string manifest_path;
  int64_t manifest_length = 0;
  int32_t partition_spec_id = 0;
  ManifestContent content = ManifestContent::kData;  // v1: data
  int64_t sequence_number = 0;                       // v1: 0
  int64_t min_sequence_number = 0;                   // v1: 0
  std::optional<int64_t> added_snapshot_id;          // optional only in v1
  // Counts: required in v2+, optional (null = unknown, assume non-zero) in v1.
  std::optional<int32_t> added_files_count;
  std::optional<int32_t> existing_files_count;
  std::optional<int32_t> deleted_files_count;
  std::optional<int64_t> added_rows_count;
  std::optional<int64_t> existing_rows_count;
  std::optional<int64_t> deleted_rows_count;
  std::optional<std::vector<PartitionFieldSummary>> partitions;
  std::optional<std::string> key_metadata;
  std::optional<int64_t> first_row_id;  // v3

  // False only when the counts prove there are no live (added or existing)
  // files, which lets planning skip the manifest.
  bool HasLiveFiles() const {
    return !added_files_count || !existing_files_count || *added_files_count > 0 ||
           *existing_files_count > 0;
  }
  bool operator==(const ManifestFile&) const = default;
};

}  // namespace floe::manifest
