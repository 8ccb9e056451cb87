#include "floe/manifest/manifest_writer.h"

#include <cmath>

#include "floe/manifest/avro_schemas.h"
#include "floe/manifest/manifest_list.h"
#include "floe/spec/json.h"

namespace floe::manifest {

using spec::Literal;
using spec::TypeId;

namespace {


void WriteOptLong(avro::Encoder& e, const std::optional<int64_t>& v) {
  if (v) {
    e.WriteUnionIndex(1);
    e.WriteLong(*v);
  } else {
    e.WriteUnionIndex(0);
  }
}

void WriteOptInt(avro::Encoder& e, const std::optional<int32_t>& v) {
  if (v) {
    e.WriteUnionIndex(1);
    e.WriteInt(*v);
  } else {
    e.WriteUnionIndex(0);
  }
}

void WriteOptString(avro::Encoder& e, const std::optional<std::string>& v) {
  if (v) {
    e.WriteUnionIndex(1);
    e.WriteBytes(*v);
  } else {
    e.WriteUnionIndex(0);
  }
}

template <typename V, typename Fn>
void WriteIntMap(avro::Encoder& e, const std::optional<std::vector<std::pair<int32_t, V>>>& m,
                 Fn&& write_value) {
  if (!m) {
    e.WriteUnionIndex(0);
    return;
  }
  e.WriteUnionIndex(1);
  if (!m->empty()) {
    e.WriteBlockCount(static_cast<int64_t>(m->size()));
    for (const auto& [k, v] : *m) {
      e.WriteInt(k);
      write_value(v);
    }
  }
  e.WriteBlockEnd();
}

template <typename T, typename Fn>
void WriteList(avro::Encoder& e, const std::optional<std::vector<T>>& l, Fn&& write_value) {
  if (!l) {
    e.WriteUnionIndex(0);
    return;
  }
  e.WriteUnionIndex(1);
  if (!l->empty()) {
    e.WriteBlockCount(static_cast<int64_t>(l->size()));
    for (const T& v : *l) write_value(v);
  }
  e.WriteBlockEnd();
}

// Encodes a partition value as App. A maps its type (decimals as fixed of
// the minimum width, uuids as fixed[16], dates as int, times as long).
void WritePartitionValue(avro::Encoder& e, const Literal& v, const spec::Type& t) {
  switch (t.id()) {
    case TypeId::kBoolean: e.WriteBool(v.bool_value()); break;
    case TypeId::kInt:
    case TypeId::kDate: e.WriteInt(v.int_value()); break;
    case TypeId::kLong:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs: e.WriteLong(v.long_value()); break;
    case TypeId::kFloat: e.WriteFloat(v.float_value()); break;
    case TypeId::kDouble: e.WriteDouble(v.double_value()); break;
    case TypeId::kString: e.WriteString(v.string_value()); break;
    case TypeId::kBinary: e.WriteBytes(v.bytes_value()); break;
    case TypeId::kUuid:
    case TypeId::kFixed: e.WriteFixed(v.bytes_value()); break;
    case TypeId::kDecimal: {
      // Sign-extend the unscaled value to the fixed width, big-endian.
      int32_t width = spec::DecimalRequiredBytes(t.precision());
      std::string out(static_cast<size_t>(width), '\0');
      unsigned __int128 u = static_cast<unsigned __int128>(v.decimal_value());
      for (int32_t i = width - 1; i >= 0; --i) {
        out[static_cast<size_t>(i)] = static_cast<char>(u & 0xFF);
        u >>= 8;
      }
      e.WriteFixed(out);
      break;
    }
    default: break;  // rejected by Make
  }
}

bool IsNaN(const Literal& v) {
  if (std::holds_alternative<float>(v.storage())) return std::isnan(v.float_value());
  if (std::holds_alternative<double>(v.storage())) return std::isnan(v.double_value());
  return false;
}

}  // namespace

Result<ManifestWriter> ManifestWriter::Make(ManifestWriteOptions o) {
  if (o.format_version < 1 || o.format_version > spec::kMaxFormatVersion) {
    return Status::Invalid("cannot write a manifest of format version ", o.format_version);
  }
  if (o.format_version == 1 && o.content != ManifestContent::kData) {
    return Status::Invalid("format version 1 tables have no delete manifests");
  }
  ManifestWriter w;
  FLOE_ASSIGN_OR_RAISE(w.partition_type_, o.spec.PartitionType(o.schema));
  FLOE_ASSIGN_OR_RAISE(std::string schema_json,
                       ManifestEntrySchemaJson(o.format_version, *w.partition_type_));
  avro::ContainerWriterOptions wo;
  wo.codec = o.codec;
  wo.compression_level = o.compression_level;
  // Key-value metadata the spec requires (§Manifests), in Java's order.
  wo.metadata.emplace_back("schema", spec::SchemaToJson(o.schema));
  wo.metadata.emplace_back("schema-id", std::to_string(o.schema.schema_id()));
  wo.metadata.emplace_back("partition-spec", spec::PartitionFieldsToJson(o.spec));
  wo.metadata.emplace_back("partition-spec-id", std::to_string(o.spec.spec_id()));
  wo.metadata.emplace_back("format-version", std::to_string(o.format_version));
  if (o.format_version >= 2) {
    wo.metadata.emplace_back("content", o.content == ManifestContent::kData ? "data" : "deletes");
  }
  FLOE_ASSIGN_OR_RAISE(auto writer, avro::ContainerWriter::Make(schema_json, std::move(wo)));
  w.writer_.emplace(std::move(writer));
  size_t n = w.partition_type_->fields().size();
  w.summaries_.resize(n);
  w.lower_.resize(n);
  w.upper_.resize(n);
  w.file_.partition_spec_id = o.spec.spec_id();
  w.file_.content = o.content;
  w.file_.added_snapshot_id = o.snapshot_id;
  w.file_.added_files_count = w.file_.existing_files_count = w.file_.deleted_files_count = 0;
  w.file_.added_rows_count = w.file_.existing_rows_count = w.file_.deleted_rows_count = 0;
  w.options_ = std::move(o);
  return w;
}

Status ManifestWriter::Add(const ManifestEntry& entry) {
  const int v = options_.format_version;
  const DataFile& f = entry.data_file;
  auto bad = [&](auto&&... parts) {
    return Status::Invalid("manifest entry for ", f.file_path, ": ", parts...);
  };
  const auto& ptype = partition_type_->fields();
  if (f.partition.size() != ptype.size()) {
    return bad("partition tuple has ", f.partition.size(), " values; spec ",
               options_.spec.spec_id(), " has ", ptype.size(), " fields");
  }
  for (size_t i = 0; i < ptype.size(); ++i) {
    if (!spec::LiteralMatchesType(f.partition[i], *ptype[i].type)) {
      return bad("partition value ", i, " ('", ptype[i].name, "') does not match type ",
                 ptype[i].type->ToString());
    }
  }
  bool is_data = f.content == FileContent::kData;
  if (is_data != (options_.content == ManifestContent::kData)) {
    return bad(is_data ? "a data file cannot go into a delete manifest"
                       : "a delete file cannot go into a data manifest");
  }
  if (v == 1 && (f.equality_ids || f.referenced_data_file || f.first_row_id ||
                 f.content_offset || entry.sequence_number)) {
    return bad("format version 1 manifests cannot hold sequence numbers, equality ids, "
               "referenced data files or row ids");
  }
  if (v == 2 && (f.first_row_id || f.content_offset || f.content_size_in_bytes)) {
    return bad("first_row_id and content offsets need format version 3");
  }
  if (entry.status != EntryStatus::kAdded) {
    if (!entry.snapshot_id || (v >= 2 && (!entry.sequence_number || !entry.file_sequence_number))) {
      return bad(EntryStatusName(entry.status),
                 " entries must carry their snapshot id and both sequence numbers "
                 "(§Sequence Number Inheritance)");
    }
  }
  if (f.content == FileContent::kEqualityDeletes && (!f.equality_ids || f.equality_ids->empty())) {
    return bad("equality delete files need equality_ids");
  }

  avro::Encoder& e = writer_->encoder();
  e.WriteInt(static_cast<int32_t>(entry.status));
  if (v == 1) {
    e.WriteLong(entry.snapshot_id.value_or(options_.snapshot_id));
  } else {
    WriteOptLong(e, entry.snapshot_id);
    WriteOptLong(e, entry.sequence_number);
    WriteOptLong(e, entry.file_sequence_number);
  }
  if (v >= 2) e.WriteInt(static_cast<int32_t>(f.content));
  e.WriteString(f.file_path);
  e.WriteString(FileFormatName(f.file_format));
  for (size_t i = 0; i < ptype.size(); ++i) {
    if (f.partition[i].is_null()) {
      e.WriteUnionIndex(0);
    } else {
      e.WriteUnionIndex(1);
      WritePartitionValue(e, f.partition[i], *ptype[i].type);
    }
  }
  e.WriteLong(f.record_count);
  e.WriteLong(f.file_size_in_bytes);
  if (v == 1) e.WriteLong(f.block_size_in_bytes.value_or(kV1BlockSize));
  auto long_value = [&](int64_t x) { e.WriteLong(x); };
  auto bytes_value = [&](const std::string& x) { e.WriteBytes(x); };
  WriteIntMap(e, f.column_sizes, long_value);
  WriteIntMap(e, f.value_counts, long_value);
  WriteIntMap(e, f.null_value_counts, long_value);
  WriteIntMap(e, f.nan_value_counts, long_value);
  WriteIntMap(e, f.lower_bounds, bytes_value);
  WriteIntMap(e, f.upper_bounds, bytes_value);
  WriteOptString(e, f.key_metadata);
  WriteList(e, f.split_offsets, long_value);
  if (v >= 2) WriteList(e, f.equality_ids, [&](int32_t x) { e.WriteInt(x); });
  WriteOptInt(e, f.sort_order_id);
  if (v >= 3) WriteOptLong(e, f.first_row_id);
  if (v >= 2) WriteOptString(e, f.referenced_data_file);
  if (v >= 3) {
    WriteOptLong(e, f.content_offset);
    WriteOptLong(e, f.content_size_in_bytes);
  }
  FLOE_RETURN_NOT_OK(writer_->EndRecord());

  // Counts and partition summaries for the manifest list. Summaries cover
  // deleted entries too, as Java's do.
  switch (entry.status) {
    case EntryStatus::kAdded:
      ++*file_.added_files_count;
      *file_.added_rows_count += f.record_count;
      break;
    case EntryStatus::kExisting:
      ++*file_.existing_files_count;
      *file_.existing_rows_count += f.record_count;
      break;
    case EntryStatus::kDeleted:
      ++*file_.deleted_files_count;
      *file_.deleted_rows_count += f.record_count;
      break;
  }
  if (entry.status != EntryStatus::kDeleted) {
    if (entry.sequence_number) {
      min_sequence_number_ = std::min(min_sequence_number_.value_or(*entry.sequence_number),
                                      *entry.sequence_number);
    } else {
      inherits_sequence_number_ = true;
    }
  }
  for (size_t i = 0; i < ptype.size(); ++i) {
    const Literal& value = f.partition[i];
    PartitionFieldSummary& s = summaries_[i];
    if (value.is_null()) {
      s.contains_null = true;
    } else if (IsNaN(value)) {
      s.contains_nan = true;
    } else {
      const spec::Type& t = *ptype[i].type;
      if (lower_[i].is_null() || spec::CompareLiterals(value, lower_[i], t) < 0) lower_[i] = value;
      if (upper_[i].is_null() || spec::CompareLiterals(value, upper_[i], t) > 0) upper_[i] = value;
    }
  }
  return Status::OK();
}

Result<WrittenManifest> ManifestWriter::Finish(std::string path) {
  WrittenManifest out;
  FLOE_ASSIGN_OR_RAISE(out.bytes, writer_->Finish());
  ManifestFile mf = file_;
  mf.manifest_path = std::move(path);
  mf.manifest_length = static_cast<int64_t>(out.bytes.size());
  const auto& ptype = partition_type_->fields();
  std::vector<PartitionFieldSummary> parts = summaries_;
  for (size_t i = 0; i < ptype.size(); ++i) {
    // Java writes contains_nan for every field (false unless a NaN was seen).
    if (!parts[i].contains_nan) parts[i].contains_nan = false;
    if (!lower_[i].is_null()) {
      parts[i].lower_bound = spec::SerializeSingleValue(lower_[i], *ptype[i].type);
      parts[i].upper_bound = spec::SerializeSingleValue(upper_[i], *ptype[i].type);
    }
  }
  mf.partitions = std::move(parts);
  if (options_.format_version >= 2) {
    mf.sequence_number = kUnassignedSequenceNumber;
    // Entries that inherit take the commit's number, which is at least any
    // explicit one, so the minimum is the explicit minimum when there is one.
    mf.min_sequence_number = min_sequence_number_.value_or(kUnassignedSequenceNumber);
  }
  out.manifest_file = std::move(mf);
  return out;
}

}  // namespace floe::manifest
