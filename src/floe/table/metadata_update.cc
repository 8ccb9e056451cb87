#include "floe/table/metadata_update.h"

#include <algorithm>

#include "floe/util/random_ids.h"
#include "floe/util/strings.h"

namespace floe::table {

using spec::NestedField;
using spec::Type;
using spec::TypePtr;

bool IsReservedProperty(const std::string& key) {
  static const char* kReserved[] = {"format-version",       "uuid",
                                    "snapshot-count",       "current-snapshot-id",
                                    "current-snapshot-summary", "current-snapshot-timestamp-ms",
                                    "current-schema",       "default-partition-spec",
                                    "default-sort-order"};
  for (const char* r : kReserved) {
    if (key == r) return true;
  }
  return false;
}

namespace {

// Fresh ids in Java's order: a struct's fields first, then their children.
struct IdAssigner {
  int32_t next = 1;
  bool keep = false;  // identity: the ids stay as they are
  std::map<int32_t, int32_t> old_to_new;

  std::vector<NestedField> Fields(const std::vector<NestedField>& fields) {
    std::vector<NestedField> out = fields;
    for (NestedField& f : out) {
      old_to_new[f.id] = keep ? f.id : next;
      if (keep) {
        next = std::max(next, f.id + 1);
      } else {
        f.id = next++;
      }
    }
    for (NestedField& f : out) f.type = Reassign(f.type);
    return out;
  }
  TypePtr Reassign(const TypePtr& t) {
    switch (t->id()) {
      case spec::TypeId::kStruct: return Type::Struct(Fields(t->fields()));
      case spec::TypeId::kList: return Type::List(Fields(t->fields())[0]);
      case spec::TypeId::kMap: {
        auto kv = Fields(t->fields());
        return Type::Map(kv[0], kv[1]);
      }
      default: return t;
    }
  }
};

}  // namespace

Result<spec::TableMetadata> NewTableMetadata(const NewTableOptions& o) {
  if (o.format_version < 1 || o.format_version > spec::kMaxFormatVersion) {
    return Status::Invalid("format version ", o.format_version,
                           " is not supported; use 1, 2 or 3");
  }
  if (o.location.empty()) return Status::Invalid("a new table needs a location");
  FLOE_RETURN_NOT_OK(o.schema.Validate(o.format_version));
  FLOE_RETURN_NOT_OK(o.spec.Validate(o.schema));
  FLOE_RETURN_NOT_OK(o.sort_order.Validate(o.schema));
  for (const auto& [k, v] : o.properties) {
    if (IsReservedProperty(k)) {
      return Status::Invalid("property '", k, "' is reserved and cannot be set; ",
                             k == "format-version" ? "use --format-version instead"
                                                   : "it is derived from the metadata");
    }
  }

  IdAssigner ids;
  ids.keep = o.keep_field_ids;
  std::vector<NestedField> fields = ids.Fields(o.schema.fields());
  std::vector<int32_t> identifiers;
  for (int32_t id : o.schema.identifier_field_ids()) identifiers.push_back(ids.old_to_new.at(id));
  spec::Schema schema(0, std::move(fields), std::move(identifiers));

  std::vector<spec::PartitionField> pfields;
  int32_t next_pid = spec::kFirstPartitionFieldId;
  for (const spec::PartitionField& f : o.spec.fields()) {
    spec::PartitionField nf = f;
    nf.source_id = ids.old_to_new.at(f.source_id);
    for (int32_t& s : nf.source_ids) s = ids.old_to_new.at(s);
    nf.field_id = next_pid++;
    pfields.push_back(std::move(nf));
  }
  spec::PartitionSpec pspec(0, std::move(pfields));

  spec::SortOrder order;
  if (!o.sort_order.IsUnsorted()) {
    order.order_id = 1;
    for (spec::SortField f : o.sort_order.fields) {
      f.source_id = ids.old_to_new.at(f.source_id);
      for (int32_t& s : f.source_ids) s = ids.old_to_new.at(s);
      order.fields.push_back(std::move(f));
    }
  }

  spec::TableMetadata md;
  md.format_version = o.format_version;
  md.table_uuid = util::RandomUuid();
  md.location = o.location;
  while (md.location.size() > 1 && md.location.back() == '/') md.location.pop_back();
  md.last_sequence_number = 0;
  md.last_updated_ms = util::NowMillis();
  md.last_column_id = ids.next - 1;
  md.schemas = {schema};
  md.current_schema_id = 0;
  md.partition_specs = {pspec};
  md.default_spec_id = 0;
  md.last_partition_id = pspec.LastAssignedFieldId();
  md.sort_orders = {spec::SortOrder::Unsorted()};
  if (!order.IsUnsorted()) md.sort_orders.push_back(order);
  md.default_sort_order_id = order.order_id;
  md.properties = o.properties;
  md.properties.emplace("write.parquet.compression-codec", "zstd");
  if (o.format_version >= 3) md.next_row_id = 0;
  return md;
}

Status AddSnapshot(spec::TableMetadata* md, spec::Snapshot snapshot, const std::string& branch) {
  if (md->SnapshotById(snapshot.snapshot_id)) {
    return Status::Invalid("snapshot id ", snapshot.snapshot_id, " already exists");
  }
  auto ref = md->refs.find(branch);
  if (ref != md->refs.end() && ref->second.type != spec::RefType::kBranch) {
    return Status::Invalid("cannot commit to '", branch, "': it is a tag, not a branch");
  }
  if (md->format_version >= 2) {
    if (snapshot.sequence_number <= md->last_sequence_number && snapshot.parent_snapshot_id) {
      return Status::Invalid("snapshot sequence number ", snapshot.sequence_number,
                             " is not above the table's last sequence number ",
                             md->last_sequence_number);
    }
    md->last_sequence_number = std::max(md->last_sequence_number, snapshot.sequence_number);
  }
  if (md->format_version >= 3 && snapshot.first_row_id) {
    md->next_row_id = *snapshot.first_row_id + snapshot.added_rows.value_or(0);
  }
  int64_t id = snapshot.snapshot_id;
  int64_t ts = snapshot.timestamp_ms;
  md->snapshots.push_back(std::move(snapshot));
  if (ref == md->refs.end()) {
    md->refs[branch] = spec::SnapshotRef{id, spec::RefType::kBranch};
  } else {
    ref->second.snapshot_id = id;
  }
  if (branch == spec::kMainBranch) {
    md->current_snapshot_id = id;
    md->snapshot_log.push_back({ts, id});
  }
  md->last_updated_ms = std::max(md->last_updated_ms, ts);
  return Status::OK();
}

Status SetRef(spec::TableMetadata* md, const std::string& name, const spec::SnapshotRef& ref) {
  if (name.empty()) return Status::Invalid("a branch or tag needs a name");
  if (!md->SnapshotById(ref.snapshot_id)) {
    return Status::NotFound("snapshot ", ref.snapshot_id, " does not exist in table ",
                            md->location);
  }
  if (name == spec::kMainBranch && ref.type != spec::RefType::kBranch) {
    return Status::Invalid("'main' must be a branch");
  }
  bool moves_main = name == spec::kMainBranch && md->current_snapshot_id != ref.snapshot_id;
  md->refs[name] = ref;
  if (moves_main) {
    md->current_snapshot_id = ref.snapshot_id;
    // Java logs a rollback with the metadata's time, not the snapshot's.
    md->snapshot_log.push_back({util::NowMillis(), ref.snapshot_id});
  }
  return Status::OK();
}

Status RemoveRef(spec::TableMetadata* md, const std::string& name) {
  if (name == spec::kMainBranch) return Status::Invalid("the 'main' branch cannot be dropped");
  if (md->refs.erase(name) == 0) {
    return Status::NotFound("no branch or tag named '", name, "'");
  }
  return Status::OK();
}

void PrepareForCommit(spec::TableMetadata* md, const catalog::LoadedTable& base) {
  int64_t now = util::NowMillis();
  int64_t floor = base.metadata ? base.metadata->last_updated_ms : 0;
  for (const spec::SnapshotLogEntry& e : md->snapshot_log) floor = std::max(floor, e.timestamp_ms);
  md->last_updated_ms = std::max({now, floor, md->last_updated_ms});
  if (base.metadata && !base.metadata_location.empty()) {
    md->metadata_log.push_back({base.metadata->last_updated_ms, base.metadata_location});
    int64_t keep = std::max<int64_t>(1, md->PropertyAsInt("write.metadata.previous-versions-max", 100));
    if (static_cast<int64_t>(md->metadata_log.size()) > keep) {
      md->metadata_log.erase(md->metadata_log.begin(),
                             md->metadata_log.end() - keep);
    }
  }
}

}  // namespace floe::table
