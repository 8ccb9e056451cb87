// Snapshots, references and the logs of table metadata (spec §Snapshots,
// §Snapshot References, §Table Metadata Fields, §Table Statistics).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace floe::spec {

// Standard operation names (§Snapshots).
inline constexpr const char* kOperationAppend = "append";
inline constexpr const char* kOperationReplace = "replace";
inline constexpr const char* kOperationOverwrite = "overwrite";
inline constexpr const char* kOperationDelete = "delete";

struct Snapshot {
  int64_t snapshot_id = 0;
  std::optional<int64_t> parent_snapshot_id;
  int64_t sequence_number = 0;  // 0 in v1
  int64_t timestamp_ms = 0;
  std::string manifest_list;  // empty for very old v1 snapshots that list `manifests`
  std::vector<std::string> manifests;  // v1 only, when there is no manifest list
  // `summary` without "operation"; kept in the order read or written.
  std::string operation;
  std::vector<std::pair<std::string, std::string>> summary;
  std::optional<int32_t> schema_id;
  std::optional<int64_t> first_row_id;  // v3
  std::optional<int64_t> added_rows;    // v3
  std::optional<std::string> key_id;    // v3 encryption

  // Summary value for `key`, if present.
  std::optional<std::string> SummaryValue(std::string_view key) const;
  bool operator==(const Snapshot&) const = default;
};

enum class RefType : uint8_t { kBranch, kTag };

struct SnapshotRef {
  int64_t snapshot_id = 0;
  RefType type = RefType::kBranch;
  std::optional<int32_t> min_snapshots_to_keep;  // branches only
  std::optional<int64_t> max_snapshot_age_ms;    // branches only
  std::optional<int64_t> max_ref_age_ms;
  bool operator==(const SnapshotRef&) const = default;
};

inline constexpr const char* kMainBranch = "main";

struct SnapshotLogEntry {
  int64_t timestamp_ms = 0;
  int64_t snapshot_id = 0;
  bool operator==(const SnapshotLogEntry&) const = default;
};

struct MetadataLogEntry {
  int64_t timestamp_ms = 0;
  std::string metadata_file;
  bool operator==(const MetadataLogEntry&) const = default;
};

struct BlobMetadata {
  std::string type;
  int64_t snapshot_id = 0;
  int64_t sequence_number = 0;
  std::vector<int32_t> fields;
  std::map<std::string, std::string> properties;
  bool operator==(const BlobMetadata&) const = default;
};

struct StatisticsFile {
  int64_t snapshot_id = 0;
  std::string statistics_path;
  int64_t file_size_in_bytes = 0;
  int64_t file_footer_size_in_bytes = 0;
  std::optional<std::string> key_metadata;  // base64 or hex text, as written
  std::vector<BlobMetadata> blob_metadata;
  bool operator==(const StatisticsFile&) const = default;
};

struct PartitionStatisticsFile {
  int64_t snapshot_id = 0;
  std::string statistics_path;
  int64_t file_size_in_bytes = 0;
  bool operator==(const PartitionStatisticsFile&) const = default;
};

struct EncryptionKey {
  std::string key_id;
  std::string encrypted_key_metadata;
  std::optional<std::string> encrypted_by_id;
  std::map<std::string, std::string> properties;
  bool operator==(const EncryptionKey&) const = default;
};

}  // namespace floe::spec
