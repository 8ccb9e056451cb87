#include "floe/spec/table_metadata.h"

#include <unordered_set>

#include "floe/util/strings.h"

namespace floe::spec {

const Schema* TableMetadata::SchemaById(int32_t id) const {
  for (const Schema& s : schemas) {
    if (s.schema_id() == id) return &s;
  }
  return nullptr;
}

const PartitionSpec* TableMetadata::SpecById(int32_t id) const {
  for (const PartitionSpec& s : partition_specs) {
    if (s.spec_id() == id) return &s;
  }
  return nullptr;
}

const SortOrder* TableMetadata::SortOrderById(int32_t id) const {
  for (const SortOrder& s : sort_orders) {
    if (s.order_id == id) return &s;
  }
  return nullptr;
}

const Snapshot* TableMetadata::SnapshotById(int64_t id) const {
  for (const Snapshot& s : snapshots) {
    if (s.snapshot_id == id) return &s;
  }
  return nullptr;
}

const Snapshot* TableMetadata::CurrentSnapshot() const {
  return current_snapshot_id ? SnapshotById(*current_snapshot_id) : nullptr;
}

const Snapshot* TableMetadata::SnapshotForRef(const std::string& ref) const {
  auto it = refs.find(ref);
  if (it == refs.end()) {
    // Metadata without refs (old v1) still has a main branch in effect.
    if (ref == kMainBranch && refs.empty()) return CurrentSnapshot();
    return nullptr;
  }
  return SnapshotById(it->second.snapshot_id);
}

const Schema* TableMetadata::SchemaForSnapshot(const Snapshot& snapshot) const {
  if (snapshot.schema_id) {
    if (const Schema* s = SchemaById(*snapshot.schema_id)) return s;
  }
  return CurrentSchema();
}

bool TableMetadata::GcEnabled() const {
  auto it = properties.find("gc.enabled");
  return it == properties.end() || util::EqualsIgnoreCase(it->second, "true");
}

std::string TableMetadata::Property(const std::string& key, const std::string& fallback) const {
  auto it = properties.find(key);
  return it == properties.end() ? fallback : it->second;
}

int64_t TableMetadata::PropertyAsInt(const std::string& key, int64_t fallback) const {
  auto it = properties.find(key);
  if (it == properties.end()) return fallback;
  return util::ParseInt64(util::Trim(it->second)).value_or(fallback);
}

Status TableMetadata::Validate() const {
  if (format_version < 1 || format_version > kMaxFormatVersion) {
    return Status::NotSupported("format-version ", format_version,
                                " is not supported (Floe reads versions 1 to ",
                                kMaxFormatVersion, ")");
  }
  if (format_version >= 2 && table_uuid.empty()) {
    return Status::Invalid("'table-uuid' is required in format version ", format_version);
  }
  if (format_version >= 3 && !next_row_id) {
    return Status::Invalid("'next-row-id' is required in format version 3");
  }
  if (schemas.empty()) return Status::Invalid("the metadata has no schema");
  if (!CurrentSchema()) {
    return Status::Invalid("'current-schema-id' ", current_schema_id,
                           " does not match any schema in 'schemas'");
  }
  if (!DefaultSpec()) {
    return Status::Invalid("'default-spec-id' ", default_spec_id,
                           " does not match any spec in 'partition-specs'");
  }
  if (!SortOrderById(default_sort_order_id)) {
    return Status::Invalid("'default-sort-order-id' ", default_sort_order_id,
                           " does not match any order in 'sort-orders'");
  }
  std::unordered_set<int64_t> ids;
  for (const Snapshot& s : snapshots) {
    if (!ids.insert(s.snapshot_id).second) {
      return Status::Invalid("snapshot id ", s.snapshot_id, " appears twice in 'snapshots'");
    }
    if (format_version >= 2 && s.sequence_number > last_sequence_number) {
      return Status::Invalid("snapshot ", s.snapshot_id, " has sequence number ",
                             s.sequence_number, ", above 'last-sequence-number' ",
                             last_sequence_number);
    }
  }
  if (current_snapshot_id && !ids.count(*current_snapshot_id)) {
    return Status::Invalid("'current-snapshot-id' ", *current_snapshot_id,
                           " does not match any snapshot");
  }
  for (const auto& [name, ref] : refs) {
    if (!ids.count(ref.snapshot_id)) {
      return Status::Invalid("ref '", name, "' points at snapshot ", ref.snapshot_id,
                             ", which does not exist");
    }
  }
  auto main = refs.find(kMainBranch);
  if (main != refs.end()) {
    if (main->second.type != RefType::kBranch) {
      return Status::Invalid("ref 'main' must be a branch");
    }
    if (current_snapshot_id != main->second.snapshot_id) {
      return Status::Invalid("'current-snapshot-id' does not match refs.main.snapshot-id ",
                             main->second.snapshot_id);
    }
  }
  return Status::OK();
}

SnapshotIndex::SnapshotIndex(const TableMetadata& metadata) {
  for (const Snapshot& s : metadata.snapshots) by_id_.emplace(s.snapshot_id, &s);
}

const Snapshot* SnapshotIndex::Find(int64_t id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

std::vector<const Snapshot*> SnapshotIndex::Ancestors(int64_t id) const {
  std::vector<const Snapshot*> out;
  std::unordered_set<int64_t> seen;  // a cycle in hostile metadata must not loop forever
  for (const Snapshot* s = Find(id); s && seen.insert(s->snapshot_id).second;
       s = s->parent_snapshot_id ? Find(*s->parent_snapshot_id) : nullptr) {
    out.push_back(s);
  }
  return out;
}

}  // namespace floe::spec
