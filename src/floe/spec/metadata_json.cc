// Table metadata JSON (spec §Table Metadata Fields, App. C, App. E).
#include <algorithm>

#include "floe/spec/json.h"
#include "floe/spec/json_internal.h"

namespace floe::spec {

using namespace json_internal;

namespace {

Result<Snapshot> SnapshotFromJson(const Json& j, const std::string& path, int format_version) {
  FLOE_RETURN_NOT_OK(ExpectObject(j, path));
  Snapshot s;
  FLOE_ASSIGN_OR_RAISE(s.snapshot_id, GetLong(j, "snapshot-id", path));
  FLOE_ASSIGN_OR_RAISE(s.parent_snapshot_id, GetOptionalLong(j, "parent-snapshot-id", path));
  FLOE_ASSIGN_OR_RAISE(auto seq, GetOptionalLong(j, "sequence-number", path));
  // §Snapshots: sequence-number is a v2 field. A v1 table has no sequence
  // numbers (every file's is 0, §Sequence Number Inheritance), so a v1
  // file's key is dropped at parse, as Java's TableMetadataParser drops
  // last-sequence-number; the v1 writer never writes either.
  s.sequence_number = format_version >= 2 ? seq.value_or(0) : 0;
  FLOE_ASSIGN_OR_RAISE(s.timestamp_ms, GetLong(j, "timestamp-ms", path));
  FLOE_ASSIGN_OR_RAISE(auto list, GetOptionalString(j, "manifest-list", path));
  if (list) {
    s.manifest_list = *list;
  } else if (auto it = j.find("manifests"); it != j.end() && it->is_array()) {
    // Very old v1 snapshots list manifests inline (§Snapshots).
    for (size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) {
        return Status::Invalid(Index(Child(path, "manifests"), i), ": expected a string");
      }
      s.manifests.push_back((*it)[i].get<std::string>());
    }
  } else {
    return Status::Invalid(Child(path, "manifest-list"), ": required field is missing");
  }
  if (auto it = j.find("summary"); it != j.end() && !it->is_null()) {
    std::string sp = Child(path, "summary");
    if (!it->is_object()) return Status::Invalid(sp, ": expected an object");
    for (auto e = it->begin(); e != it->end(); ++e) {
      std::string value = e->is_string() ? e->get<std::string>() : e->dump();
      if (e.key() == "operation") {
        s.operation = std::move(value);
      } else {
        s.summary.emplace_back(e.key(), std::move(value));
      }
    }
  }
  FLOE_ASSIGN_OR_RAISE(s.schema_id, GetOptionalInt(j, "schema-id", path));
  FLOE_ASSIGN_OR_RAISE(s.first_row_id, GetOptionalLong(j, "first-row-id", path));
  FLOE_ASSIGN_OR_RAISE(s.added_rows, GetOptionalLong(j, "added-rows", path));
  FLOE_ASSIGN_OR_RAISE(s.key_id, GetOptionalString(j, "key-id", path));
  return s;
}

Result<SnapshotRef> RefFromJson(const Json& j, const std::string& path) {
  FLOE_RETURN_NOT_OK(ExpectObject(j, path));
  SnapshotRef r;
  FLOE_ASSIGN_OR_RAISE(r.snapshot_id, GetLong(j, "snapshot-id", path));
  FLOE_ASSIGN_OR_RAISE(std::string type, GetString(j, "type", path));
  if (type == "branch") {
    r.type = RefType::kBranch;
  } else if (type == "tag") {
    r.type = RefType::kTag;
  } else {
    return Status::Invalid(Child(path, "type"), ": '", type, "' is not branch or tag");
  }
  FLOE_ASSIGN_OR_RAISE(r.min_snapshots_to_keep, GetOptionalInt(j, "min-snapshots-to-keep", path));
  FLOE_ASSIGN_OR_RAISE(r.max_snapshot_age_ms, GetOptionalLong(j, "max-snapshot-age-ms", path));
  FLOE_ASSIGN_OR_RAISE(r.max_ref_age_ms, GetOptionalLong(j, "max-ref-age-ms", path));
  return r;
}

Result<StatisticsFile> StatisticsFromJson(const Json& j, const std::string& path) {
  FLOE_RETURN_NOT_OK(ExpectObject(j, path));
  StatisticsFile f;
  FLOE_ASSIGN_OR_RAISE(f.snapshot_id, GetLong(j, "snapshot-id", path));
  FLOE_ASSIGN_OR_RAISE(f.statistics_path, GetString(j, "statistics-path", path));
  FLOE_ASSIGN_OR_RAISE(f.file_size_in_bytes, GetLong(j, "file-size-in-bytes", path));
  FLOE_ASSIGN_OR_RAISE(f.file_footer_size_in_bytes,
                       GetLong(j, "file-footer-size-in-bytes", path));
  FLOE_ASSIGN_OR_RAISE(f.key_metadata, GetOptionalString(j, "key-metadata", path));
  if (auto it = j.find("blob-metadata"); it != j.end() && !it->is_null()) {
    std::string bp = Child(path, "blob-metadata");
    if (!it->is_array()) return Status::Invalid(bp, ": expected an array");
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& b = (*it)[i];
      std::string p = Index(bp, i);
      FLOE_RETURN_NOT_OK(ExpectObject(b, p));
      BlobMetadata blob;
      FLOE_ASSIGN_OR_RAISE(blob.type, GetString(b, "type", p));
      FLOE_ASSIGN_OR_RAISE(blob.snapshot_id, GetLong(b, "snapshot-id", p));
      FLOE_ASSIGN_OR_RAISE(blob.sequence_number, GetLong(b, "sequence-number", p));
      FLOE_ASSIGN_OR_RAISE(blob.fields, GetIntList(b, "fields", p));
      FLOE_ASSIGN_OR_RAISE(blob.properties, GetStringMap(b, "properties", p));
      f.blob_metadata.push_back(std::move(blob));
    }
  }
  return f;
}

template <typename T, typename Fn>
Result<std::vector<T>> ListFromJson(const Json& j, std::string_view key, const std::string& path,
                                    Fn&& parse) {
  std::vector<T> out;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  std::string lp = Child(path, key);
  if (!it->is_array()) return Status::Invalid(lp, ": expected an array");
  out.reserve(it->size());
  for (size_t i = 0; i < it->size(); ++i) {
    FLOE_ASSIGN_OR_RAISE(T v, parse((*it)[i], Index(lp, i)));
    out.push_back(std::move(v));
  }
  return out;
}

Result<TableMetadata> MetadataFromJson(const Json& j) {
  const std::string path;  // top level
  FLOE_RETURN_NOT_OK(ExpectObject(j, path));
  TableMetadata md;
  FLOE_ASSIGN_OR_RAISE(md.format_version, GetInt(j, "format-version", path));
  if (md.format_version < 1 || md.format_version > kMaxFormatVersion) {
    return Status::NotSupported("format-version ", md.format_version,
                                " is not supported; Floe reads table format versions 1 to ",
                                kMaxFormatVersion);
  }
  const int v = md.format_version;
  FLOE_ASSIGN_OR_RAISE(auto uuid, GetOptionalString(j, "table-uuid", path));
  md.table_uuid = uuid.value_or("");
  FLOE_ASSIGN_OR_RAISE(md.location, GetString(j, "location", path));
  if (v >= 2) {
    FLOE_ASSIGN_OR_RAISE(md.last_sequence_number, GetLong(j, "last-sequence-number", path));
  } else {
    // §Table Metadata Fields: last-sequence-number is v2+. A v1 file that
    // carries it (half-upgraded writers, hand edits) is read as 0, as Java
    // does; see SnapshotFromJson.
    FLOE_RETURN_NOT_OK(GetOptionalLong(j, "last-sequence-number", path).status());
    md.last_sequence_number = 0;
  }
  FLOE_ASSIGN_OR_RAISE(md.last_updated_ms, GetLong(j, "last-updated-ms", path));
  FLOE_ASSIGN_OR_RAISE(md.last_column_id, GetInt(j, "last-column-id", path));

  // Schemas: v2+ requires `schemas`; v1 may have only `schema`.
  if (auto it = j.find("schemas"); it != j.end() && !it->is_null()) {
    FLOE_ASSIGN_OR_RAISE(md.schemas, ListFromJson<Schema>(j, "schemas", path,
                                                          SchemaFromJsonValue));
    FLOE_ASSIGN_OR_RAISE(auto current, GetOptionalInt(j, "current-schema-id", path));
    if (!current) {
      if (v >= 2) return Status::Invalid("current-schema-id: required field is missing");
      // v1 with schemas but no current id: the single `schema` names it.
      FLOE_ASSIGN_OR_RAISE(const Json* s, GetRequired(j, "schema", path));
      FLOE_ASSIGN_OR_RAISE(Schema schema, SchemaFromJsonValue(*s, "schema"));
      current = schema.schema_id();
    }
    md.current_schema_id = *current;
  } else if (v == 1) {
    FLOE_ASSIGN_OR_RAISE(const Json* s, GetRequired(j, "schema", path));
    FLOE_ASSIGN_OR_RAISE(Schema schema, SchemaFromJsonValue(*s, "schema"));
    md.current_schema_id = schema.schema_id();
    md.schemas.push_back(std::move(schema));
  } else {
    return Status::Invalid("schemas: required field is missing");
  }
  if (md.schemas.empty()) return Status::Invalid("schemas: must hold at least one schema");

  // Partition specs: v2+ requires `partition-specs`; v1 may have only `partition-spec`.
  if (auto it = j.find("partition-specs"); it != j.end() && !it->is_null()) {
    FLOE_ASSIGN_OR_RAISE(md.partition_specs,
                         ListFromJson<PartitionSpec>(
                             j, "partition-specs", path, [](const Json& s, const std::string& p) {
                               return PartitionSpecFromJsonValue(s, p, 0);
                             }));
    FLOE_ASSIGN_OR_RAISE(auto def, GetOptionalInt(j, "default-spec-id", path));
    if (!def && v >= 2) return Status::Invalid("default-spec-id: required field is missing");
    md.default_spec_id = def.value_or(md.partition_specs.empty()
                                          ? 0
                                          : md.partition_specs.back().spec_id());
  } else if (v == 1) {
    FLOE_ASSIGN_OR_RAISE(const Json* s, GetRequired(j, "partition-spec", path));
    FLOE_ASSIGN_OR_RAISE(PartitionSpec spec, PartitionSpecFromJsonValue(*s, "partition-spec", 0));
    md.default_spec_id = 0;
    md.partition_specs.push_back(std::move(spec));
  } else {
    return Status::Invalid("partition-specs: required field is missing");
  }
  FLOE_ASSIGN_OR_RAISE(auto last_pid, GetOptionalInt(j, "last-partition-id", path));
  if (!last_pid) {
    if (v >= 2) return Status::Invalid("last-partition-id: required field is missing");
    int32_t last = kUnpartitionedLastAssignedId;
    for (const auto& s : md.partition_specs) last = std::max(last, s.LastAssignedFieldId());
    last_pid = last;
  }
  md.last_partition_id = *last_pid;

  if (auto it = j.find("sort-orders"); it != j.end() && !it->is_null()) {
    FLOE_ASSIGN_OR_RAISE(md.sort_orders,
                         ListFromJson<SortOrder>(j, "sort-orders", path, SortOrderFromJsonValue));
    FLOE_ASSIGN_OR_RAISE(auto def, GetOptionalInt(j, "default-sort-order-id", path));
    if (!def && v >= 2) return Status::Invalid("default-sort-order-id: required field is missing");
    md.default_sort_order_id = def.value_or(0);
  } else if (v >= 2) {
    return Status::Invalid("sort-orders: required field is missing");
  }
  if (md.sort_orders.empty()) md.sort_orders.push_back(SortOrder::Unsorted());

  FLOE_ASSIGN_OR_RAISE(md.properties, GetStringMap(j, "properties", path));
  FLOE_ASSIGN_OR_RAISE(md.current_snapshot_id, GetOptionalLong(j, "current-snapshot-id", path));
  if (md.current_snapshot_id == -1) md.current_snapshot_id.reset();  // App. F
  FLOE_ASSIGN_OR_RAISE(md.snapshots,
                       ListFromJson<Snapshot>(j, "snapshots", path,
                                              [v](const Json& s, const std::string& p) {
                                                return SnapshotFromJson(s, p, v);
                                              }));
  if (auto it = j.find("refs"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) return Status::Invalid("refs: expected an object");
    for (auto e = it->begin(); e != it->end(); ++e) {
      FLOE_ASSIGN_OR_RAISE(SnapshotRef r, RefFromJson(*e, Child("refs", e.key())));
      md.refs.emplace(e.key(), r);
    }
  }
  FLOE_ASSIGN_OR_RAISE(
      md.snapshot_log,
      ListFromJson<SnapshotLogEntry>(
          j, "snapshot-log", path, [](const Json& e, const std::string& p) -> Result<SnapshotLogEntry> {
            SnapshotLogEntry out;
            FLOE_ASSIGN_OR_RAISE(out.timestamp_ms, GetLong(e, "timestamp-ms", p));
            FLOE_ASSIGN_OR_RAISE(out.snapshot_id, GetLong(e, "snapshot-id", p));
            return out;
          }));
  FLOE_ASSIGN_OR_RAISE(
      md.metadata_log,
      ListFromJson<MetadataLogEntry>(
          j, "metadata-log", path, [](const Json& e, const std::string& p) -> Result<MetadataLogEntry> {
            MetadataLogEntry out;
            FLOE_ASSIGN_OR_RAISE(out.timestamp_ms, GetLong(e, "timestamp-ms", p));
            FLOE_ASSIGN_OR_RAISE(out.metadata_file, GetString(e, "metadata-file", p));
            return out;
          }));
  FLOE_ASSIGN_OR_RAISE(md.statistics, ListFromJson<StatisticsFile>(j, "statistics", path,
                                                                   StatisticsFromJson));
  FLOE_ASSIGN_OR_RAISE(
      md.partition_statistics,
      ListFromJson<PartitionStatisticsFile>(
          j, "partition-statistics", path,
          [](const Json& e, const std::string& p) -> Result<PartitionStatisticsFile> {
            PartitionStatisticsFile out;
            FLOE_ASSIGN_OR_RAISE(out.snapshot_id, GetLong(e, "snapshot-id", p));
            FLOE_ASSIGN_OR_RAISE(out.statistics_path, GetString(e, "statistics-path", p));
            FLOE_ASSIGN_OR_RAISE(out.file_size_in_bytes, GetLong(e, "file-size-in-bytes", p));
            return out;
          }));
  FLOE_ASSIGN_OR_RAISE(
      md.encryption_keys,
      ListFromJson<EncryptionKey>(
          j, "encryption-keys", path, [](const Json& e, const std::string& p) -> Result<EncryptionKey> {
            FLOE_RETURN_NOT_OK(ExpectObject(e, p));
            EncryptionKey out;
            FLOE_ASSIGN_OR_RAISE(out.key_id, GetString(e, "key-id", p));
            FLOE_ASSIGN_OR_RAISE(out.encrypted_key_metadata,
                                 GetString(e, "encrypted-key-metadata", p));
            FLOE_ASSIGN_OR_RAISE(out.encrypted_by_id, GetOptionalString(e, "encrypted-by-id", p));
            FLOE_ASSIGN_OR_RAISE(out.properties, GetStringMap(e, "properties", p));
            return out;
          }));
  FLOE_ASSIGN_OR_RAISE(md.next_row_id, GetOptionalLong(j, "next-row-id", path));
  if (v >= 3 && !md.next_row_id) {
    return Status::Invalid("next-row-id: required field is missing (format version 3)");
  }
  FLOE_RETURN_NOT_OK(md.Validate());
  return md;
}

OrderedJson SnapshotToJson(const Snapshot& s, int v) {
  OrderedJson j;
  j["snapshot-id"] = s.snapshot_id;
  if (s.parent_snapshot_id) j["parent-snapshot-id"] = *s.parent_snapshot_id;
  if (v >= 2) j["sequence-number"] = s.sequence_number;
  j["timestamp-ms"] = s.timestamp_ms;
  if (!s.manifest_list.empty() || s.manifests.empty()) {
    j["manifest-list"] = s.manifest_list;
  } else {
    j["manifests"] = s.manifests;
  }
  if (!s.operation.empty() || !s.summary.empty()) {
    OrderedJson summary = OrderedJson::object();
    if (!s.operation.empty()) summary["operation"] = s.operation;
    for (const auto& [k, val] : s.summary) summary[k] = val;
    j["summary"] = std::move(summary);
  }
  if (s.schema_id) j["schema-id"] = *s.schema_id;
  if (s.first_row_id) j["first-row-id"] = *s.first_row_id;
  if (s.added_rows) j["added-rows"] = *s.added_rows;
  if (s.key_id) j["key-id"] = *s.key_id;
  return j;
}

OrderedJson RefToJson(const SnapshotRef& r) {
  OrderedJson j;
  j["snapshot-id"] = r.snapshot_id;
  j["type"] = r.type == RefType::kBranch ? "branch" : "tag";
  if (r.min_snapshots_to_keep) j["min-snapshots-to-keep"] = *r.min_snapshots_to_keep;
  if (r.max_snapshot_age_ms) j["max-snapshot-age-ms"] = *r.max_snapshot_age_ms;
  if (r.max_ref_age_ms) j["max-ref-age-ms"] = *r.max_ref_age_ms;
  return j;
}

OrderedJson StatisticsToJson(const StatisticsFile& f) {
  OrderedJson j;
  j["snapshot-id"] = f.snapshot_id;
  j["statistics-path"] = f.statistics_path;
  j["file-size-in-bytes"] = f.file_size_in_bytes;
  j["file-footer-size-in-bytes"] = f.file_footer_size_in_bytes;
  if (f.key_metadata) j["key-metadata"] = *f.key_metadata;
  j["blob-metadata"] = OrderedJson::array();
  for (const BlobMetadata& b : f.blob_metadata) {
    OrderedJson bj;
    bj["type"] = b.type;
    bj["snapshot-id"] = b.snapshot_id;
    bj["sequence-number"] = b.sequence_number;
    bj["fields"] = b.fields;
    if (!b.properties.empty()) bj["properties"] = b.properties;
    j["blob-metadata"].push_back(std::move(bj));
  }
  return j;
}

}  // namespace

Result<TableMetadata> TableMetadataFromJson(std::string_view text) {
  FLOE_ASSIGN_OR_RAISE(Json j, Parse(text));
  return MetadataFromJson(j);
}

std::string TableMetadataToJson(const TableMetadata& md, bool pretty) {
  const int v = md.format_version;
  OrderedJson j;
  j["format-version"] = v;
  if (!md.table_uuid.empty() || v >= 2) j["table-uuid"] = md.table_uuid;
  j["location"] = md.location;
  if (v >= 2) j["last-sequence-number"] = md.last_sequence_number;
  j["last-updated-ms"] = md.last_updated_ms;
  j["last-column-id"] = md.last_column_id;
  // v1 requires the single current `schema` and `partition-spec` (the default
  // spec's fields); Java writes the list forms too, and so do we.
  if (v == 1) {
    if (const Schema* s = md.CurrentSchema()) j["schema"] = SchemaToJsonValue(*s);
  }
  j["current-schema-id"] = md.current_schema_id;
  j["schemas"] = OrderedJson::array();
  for (const Schema& s : md.schemas) j["schemas"].push_back(SchemaToJsonValue(s));
  if (v == 1) {
    if (const PartitionSpec* s = md.DefaultSpec()) {
      j["partition-spec"] = PartitionFieldsToJsonValue(*s);
    }
  }
  j["default-spec-id"] = md.default_spec_id;
  j["partition-specs"] = OrderedJson::array();
  for (const PartitionSpec& s : md.partition_specs) {
    j["partition-specs"].push_back(PartitionSpecToJsonValue(s));
  }
  j["last-partition-id"] = md.last_partition_id;
  j["default-sort-order-id"] = md.default_sort_order_id;
  j["sort-orders"] = OrderedJson::array();
  for (const SortOrder& o : md.sort_orders) j["sort-orders"].push_back(SortOrderToJsonValue(o));
  j["properties"] = md.properties;
  // No current snapshot: -1 in v1/v2, null in v3 (App. F) [Java].
  if (md.current_snapshot_id) {
    j["current-snapshot-id"] = *md.current_snapshot_id;
  } else if (v >= 3) {
    j["current-snapshot-id"] = nullptr;
  } else {
    j["current-snapshot-id"] = -1;
  }
  OrderedJson refs = OrderedJson::object();
  for (const auto& [name, r] : md.refs) refs[name] = RefToJson(r);
  j["refs"] = std::move(refs);
  j["snapshots"] = OrderedJson::array();
  for (const Snapshot& s : md.snapshots) j["snapshots"].push_back(SnapshotToJson(s, v));
  j["statistics"] = OrderedJson::array();
  for (const StatisticsFile& f : md.statistics) j["statistics"].push_back(StatisticsToJson(f));
  j["partition-statistics"] = OrderedJson::array();
  for (const PartitionStatisticsFile& f : md.partition_statistics) {
    OrderedJson pj;
    pj["snapshot-id"] = f.snapshot_id;
    pj["statistics-path"] = f.statistics_path;
    pj["file-size-in-bytes"] = f.file_size_in_bytes;
    j["partition-statistics"].push_back(std::move(pj));
  }
  j["snapshot-log"] = OrderedJson::array();
  for (const SnapshotLogEntry& e : md.snapshot_log) {
    OrderedJson ej;
    ej["timestamp-ms"] = e.timestamp_ms;
    ej["snapshot-id"] = e.snapshot_id;
    j["snapshot-log"].push_back(std::move(ej));
  }
  j["metadata-log"] = OrderedJson::array();
  for (const MetadataLogEntry& e : md.metadata_log) {
    OrderedJson ej;
    ej["timestamp-ms"] = e.timestamp_ms;
    ej["metadata-file"] = e.metadata_file;
    j["metadata-log"].push_back(std::move(ej));
  }
  if (!md.encryption_keys.empty()) {
    j["encryption-keys"] = OrderedJson::array();
    for (const EncryptionKey& k : md.encryption_keys) {
      OrderedJson kj;
      kj["key-id"] = k.key_id;
      kj["encrypted-key-metadata"] = k.encrypted_key_metadata;
      if (k.encrypted_by_id) kj["encrypted-by-id"] = *k.encrypted_by_id;
      if (!k.properties.empty()) kj["properties"] = k.properties;
      j["encryption-keys"].push_back(std::move(kj));
    }
  }
  if (v >= 3 || md.next_row_id) j["next-row-id"] = md.next_row_id.value_or(0);
  return j.dump(pretty ? 2 : -1, ' ', false, nlohmann::detail::error_handler_t::replace);
}

}  // namespace floe::spec
