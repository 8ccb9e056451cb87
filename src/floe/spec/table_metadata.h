// TableMetadata: the content of a table metadata JSON file (spec §Table
// Metadata Fields), versions 1 to 3. A plain value; share it as
// std::shared_ptr<const TableMetadata>. JSON conversion is in metadata_json.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "floe/result.h"
#include "floe/spec/partition_spec.h"
#include "floe/spec/schema.h"
#include "floe/spec/snapshot.h"
#include "floe/spec/sort_order.h"

namespace floe::spec {

// The newest table format version Floe reads and writes (v4 is not adopted).
inline constexpr int kMaxFormatVersion = 3;

struct TableMetadata {
  int format_version = 2;
  std::string table_uuid;  // may be empty only in v1
  std::string location;
  int64_t last_sequence_number = 0;
  int64_t last_updated_ms = 0;
  int32_t last_column_id = 0;
  std::vector<Schema> schemas;
  int32_t current_schema_id = 0;
  std::vector<PartitionSpec> partition_specs;
  int32_t default_spec_id = 0;
  int32_t last_partition_id = kUnpartitionedLastAssignedId;
  std::vector<SortOrder> sort_orders;
  int32_t default_sort_order_id = 0;
  std::map<std::string, std::string> properties;
  std::optional<int64_t> current_snapshot_id;  // none: -1 (v1/v2) or null (v3) in JSON
  std::vector<Snapshot> snapshots;
  std::map<std::string, SnapshotRef> refs;
  std::vector<SnapshotLogEntry> snapshot_log;
  std::vector<MetadataLogEntry> metadata_log;
  std::vector<StatisticsFile> statistics;
  std::vector<PartitionStatisticsFile> partition_statistics;
  std::vector<EncryptionKey> encryption_keys;  // v3
  std::optional<int64_t> next_row_id;          // v3 (required there)

  // Lookups; nullptr when absent. Linear in the list size: callers that look
  // up many snapshots build a SnapshotIndex instead.
  const Schema* SchemaById(int32_t id) const;
  const Schema* CurrentSchema() const { return SchemaById(current_schema_id); }
  const PartitionSpec* SpecById(int32_t id) const;
  const PartitionSpec* DefaultSpec() const { return SpecById(default_spec_id); }
  const SortOrder* SortOrderById(int32_t id) const;
  const Snapshot* SnapshotById(int64_t id) const;
  const Snapshot* CurrentSnapshot() const;
  // The snapshot a branch or tag points at; nullptr if the ref does not exist.
  const Snapshot* SnapshotForRef(const std::string& ref) const;
  // The schema a snapshot was written with (its schema-id), else the current one.
  const Schema* SchemaForSnapshot(const Snapshot& snapshot) const;

  // Property value or `fallback`.
  std::string Property(const std::string& key, const std::string& fallback) const;
  int64_t PropertyAsInt(const std::string& key, int64_t fallback) const;
  // gc.enabled as Java reads it (Boolean.parseBoolean): only "true", in any
  // case, enables; absent is true. So "False", "no" or "0" disable garbage
  // collection — the safe reading for every path that deletes files.
  bool GcEnabled() const;

  // Structural checks that make the metadata safe to use: ids referenced by
  // current-*/default-* exist, refs point at existing snapshots, main agrees
  // with current-snapshot-id, sequence numbers do not exceed the last one,
  // format version in 1..3. Messages name the field.
  Status Validate() const;

  bool operator==(const TableMetadata&) const = default;
};

// Snapshot lookups by id in O(1), for walks over history.
class SnapshotIndex {
 public:
  explicit SnapshotIndex(const TableMetadata& metadata);
  const Snapshot* Find(int64_t id) const;
  // Snapshots from `id` back to the root through parent ids (id first).
  std::vector<const Snapshot*> Ancestors(int64_t id) const;

 private:
  std::map<int64_t, const Snapshot*> by_id_;
};

}  // namespace floe::spec
