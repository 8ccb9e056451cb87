#include "floe/manifest/manifest_list.h"

#include "floe/avro/container_reader.h"
#include "floe/avro/container_writer.h"
#include "floe/manifest/avro_read_internal.h"
#include "floe/manifest/avro_schemas.h"
#include "floe/util/strings.h"

namespace floe::manifest {

using avro::Decoder;
using avro::Node;
using avro::NodeKind;
using namespace internal;

namespace {

// Field ids of manifest_file and of the r508 partition summary.
enum : int32_t {
  kPath = 500, kLength = 501, kSpecId = 502, kAddedSnapshotId = 503, kAddedFiles = 504,
  kExistingFiles = 505, kDeletedFiles = 506, kPartitions = 507, kAddedRows = 512,
  kExistingRows = 513, kDeletedRows = 514, kSequenceNumber = 515, kMinSequenceNumber = 516,
  kContent = 517, kKeyMetadata = 519, kFirstRowId = 520,
  kContainsNull = 509, kLowerBound = 510, kUpperBound = 511, kContainsNan = 518,
};

struct Step {
  int32_t id = -1;  // -1: skip
  ValueType type;
};

struct ListPlan {
  std::vector<Step> fields;
  std::vector<Step> summary;  // r508's fields
  bool has_sequence_numbers = false;
};

// Java 0.x named 504-506 "*_data_files_count"; fields without ids bind by name.
int32_t IdOf(const avro::Field& f) {
  if (f.field_id) return *f.field_id;
  static const std::pair<const char*, int32_t> kNames[] = {
      {"manifest_path", kPath}, {"manifest_length", kLength}, {"partition_spec_id", kSpecId},
      {"added_snapshot_id", kAddedSnapshotId}, {"added_files_count", kAddedFiles},
      {"added_data_files_count", kAddedFiles}, {"existing_files_count", kExistingFiles},
      {"existing_data_files_count", kExistingFiles}, {"deleted_files_count", kDeletedFiles},
      {"deleted_data_files_count", kDeletedFiles}, {"partitions", kPartitions},
      {"added_rows_count", kAddedRows}, {"existing_rows_count", kExistingRows},
      {"deleted_rows_count", kDeletedRows}, {"sequence_number", kSequenceNumber},
      {"min_sequence_number", kMinSequenceNumber}, {"content", kContent},
      {"key_metadata", kKeyMetadata}, {"first_row_id", kFirstRowId},
      {"contains_null", kContainsNull}, {"contains_nan", kContainsNan},
      {"lower_bound", kLowerBound}, {"upper_bound", kUpperBound}};
  for (const auto& [name, id] : kNames) {
    if (f.name == name) return id;
  }
  return -1;
}

Status CompileList(std::string_view file, const Node& root, ListPlan* plan) {
  if (root.kind != NodeKind::kRecord) {
    return Status::Invalid(file, ": not a manifest list: the Avro schema's root is a ",
                           avro::NodeKindName(root.kind), ", not the manifest_file record");
  }
  bool has_path = false, has_length = false, has_spec = false;
  for (const avro::Field& f : root.fields) {
    Step s{IdOf(f), Resolve(f.type)};
    const Node* v = s.type.value;
    switch (s.id) {
      case kPath:
      case kKeyMetadata:
        if (!IsBytesLike(v)) return WrongType(file, f.name, s.id, v, "string or bytes");
        has_path |= s.id == kPath;
        break;
      case kPartitions: {
        if (v->kind != NodeKind::kArray || v->items->kind != NodeKind::kRecord) {
          return WrongType(file, f.name, s.id, v, "array of r508 records");
        }
        for (const avro::Field& sf : v->items->fields) {
          Step ss{IdOf(sf), Resolve(sf.type)};
          const Node* sv = ss.type.value;
          if ((ss.id == kContainsNull || ss.id == kContainsNan) && sv->kind != NodeKind::kBoolean) {
            return WrongType(file, "partitions." + sf.name, ss.id, sv, "boolean");
          }
          if ((ss.id == kLowerBound || ss.id == kUpperBound) && !IsBytesLike(sv)) {
            return WrongType(file, "partitions." + sf.name, ss.id, sv, "bytes");
          }
          if (ss.id != kContainsNull && ss.id != kContainsNan && ss.id != kLowerBound &&
              ss.id != kUpperBound) {
            ss.id = -1;
          }
          plan->summary.push_back(ss);
        }
        break;
      }
      case kLength: case kSpecId: case kAddedSnapshotId: case kAddedFiles: case kExistingFiles:
      case kDeletedFiles: case kAddedRows: case kExistingRows: case kDeletedRows:
      case kSequenceNumber: case kMinSequenceNumber: case kContent: case kFirstRowId:
        if (!IsIntegral(v)) return WrongType(file, f.name, s.id, v, "int or long");
        has_length |= s.id == kLength;
        has_spec |= s.id == kSpecId;
        plan->has_sequence_numbers |= s.id == kSequenceNumber;
        break;
      default:
        s.id = -1;
    }
    plan->fields.push_back(s);
  }
  if (!has_path || !has_length || !has_spec) {
    return Status::Invalid(file, ": not a valid manifest list: it lacks ",
                           !has_path ? "manifest_path (500)"
                                     : !has_length ? "manifest_length (501)"
                                                   : "partition_spec_id (502)");
  }
  return Status::OK();
}

template <typename T>
void ReadOpt(Decoder& d, const Step& s, std::optional<T>* out) {
  const Node* n = ReadBranch(d, s.type.node);
  if (n) *out = static_cast<T>(ReadIntegral(d, n)); else out->reset();
}

int64_t ReadReq(Decoder& d, const Step& s) {
  const Node* n = ReadBranch(d, s.type.node);
  return n ? ReadIntegral(d, n) : 0;
}

void DecodeSummary(Decoder& d, const ListPlan& plan, PartitionFieldSummary* out) {
  for (const Step& s : plan.summary) {
    const Node* n = ReadBranch(d, s.type.node);
    if (n == nullptr) continue;
    switch (s.id) {
      case kContainsNull: out->contains_null = d.ReadBool(); break;
      case kContainsNan: out->contains_nan = d.ReadBool(); break;
      case kLowerBound: out->lower_bound = std::string(d.ReadBytes()); break;
      case kUpperBound: out->upper_bound = std::string(d.ReadBytes()); break;
      default: d.Skip(*n);
    }
  }
}

void DecodeManifestFile(Decoder& d, const ListPlan& plan, ManifestFile* m) {
  for (const Step& s : plan.fields) {
    switch (s.id) {
      case kPath: {
        const Node* n = ReadBranch(d, s.type.node);
        if (n) m->manifest_path = std::string(d.ReadBytes());
        break;
      }
      case kLength: m->manifest_length = ReadReq(d, s); break;
      case kSpecId: m->partition_spec_id = static_cast<int32_t>(ReadReq(d, s)); break;
      case kContent: {
        int64_t c = ReadReq(d, s);
        if (c != 0 && c != 1) d.Fail(Status::Corruption("manifest content ", c, " is not 0 or 1"));
        m->content = static_cast<ManifestContent>(c);
        break;
      }
      case kSequenceNumber: m->sequence_number = ReadReq(d, s); break;
      case kMinSequenceNumber: m->min_sequence_number = ReadReq(d, s); break;
      case kAddedSnapshotId: ReadOpt(d, s, &m->added_snapshot_id); break;
      case kAddedFiles: ReadOpt(d, s, &m->added_files_count); break;
      case kExistingFiles: ReadOpt(d, s, &m->existing_files_count); break;
      case kDeletedFiles: ReadOpt(d, s, &m->deleted_files_count); break;
      case kAddedRows: ReadOpt(d, s, &m->added_rows_count); break;
      case kExistingRows: ReadOpt(d, s, &m->existing_rows_count); break;
      case kDeletedRows: ReadOpt(d, s, &m->deleted_rows_count); break;
      case kFirstRowId: ReadOpt(d, s, &m->first_row_id); break;
      case kKeyMetadata: {
        const Node* n = ReadBranch(d, s.type.node);
        if (n) m->key_metadata = std::string(d.ReadBytes());
        break;
      }
      case kPartitions: {
        const Node* n = ReadBranch(d, s.type.node);
        if (n == nullptr) break;
        auto& parts = m->partitions.emplace();
        for (int64_t c = d.ReadBlockCount(); c > 0 && d.ok(); c = d.ReadBlockCount()) {
          for (int64_t i = 0; i < c && d.ok(); ++i) DecodeSummary(d, plan, &parts.emplace_back());
        }
        break;
      }
      default: d.Skip(*s.type.node);
    }
  }
}

}  // namespace

Result<ManifestList> ReadManifestList(std::string_view name, std::string_view bytes) {
  FLOE_ASSIGN_OR_RAISE(auto reader, avro::ContainerReader::Open(name, bytes));
  ManifestList list;
  list.codec = std::string(reader.GetMetadata("avro.codec").value_or("null"));
  for (const auto& [k, v] : reader.metadata()) {
    if (!k.starts_with("avro.")) list.metadata.emplace_back(k, v);
  }
  ListPlan plan;
  FLOE_RETURN_NOT_OK(CompileList(name, reader.schema().root(), &plan));
  list.format_version = plan.has_sequence_numbers ? 2 : 1;
  for (const Step& s : plan.fields) {
    if (s.id == kFirstRowId) list.format_version = 3;
  }
  if (auto fv = reader.GetMetadata("format-version")) {
    auto v = util::ParseInt64(*fv);
    if (!v || *v < 1 || *v > 3) {
      return Status::NotSupported(name, ": manifest list format-version ", util::Quote(*fv),
                                  " is not supported");
    }
    list.format_version = static_cast<int>(*v);
  }
  while (true) {
    FLOE_ASSIGN_OR_RAISE(bool more, reader.NextBlock());
    if (!more) break;
    Decoder& d = reader.decoder();
    for (int64_t i = 0; i < reader.block_count() && d.ok(); ++i) {
      DecodeManifestFile(d, plan, &list.manifests.emplace_back());
    }
    if (!d.ok()) {
      return Status(d.status().code(), reader.BlockContext() + ", manifest " +
                                           std::to_string(list.manifests.size() - 1) + ": " +
                                           d.status().message());
    }
    FLOE_RETURN_NOT_OK(reader.FinishBlock());
  }
  return list;
}

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

void WriteOptBytes(avro::Encoder& e, const std::optional<std::string>& v) {
  if (v) {
    e.WriteUnionIndex(1);
    e.WriteBytes(*v);
  } else {
    e.WriteUnionIndex(0);
  }
}

void WritePartitions(avro::Encoder& e, const std::optional<std::vector<PartitionFieldSummary>>& p) {
  if (!p) {
    e.WriteUnionIndex(0);
    return;
  }
  e.WriteUnionIndex(1);
  if (!p->empty()) {
    e.WriteBlockCount(static_cast<int64_t>(p->size()));
    for (const PartitionFieldSummary& s : *p) {
      e.WriteBool(s.contains_null);
      if (s.contains_nan) {
        e.WriteUnionIndex(1);
        e.WriteBool(*s.contains_nan);
      } else {
        e.WriteUnionIndex(0);
      }
      WriteOptBytes(e, s.lower_bound);
      WriteOptBytes(e, s.upper_bound);
    }
  }
  e.WriteBlockEnd();
}

}  // namespace

Result<WrittenManifestList> WriteManifestList(const std::vector<ManifestFile>& manifests,
                                              const ManifestListWriteOptions& o) {
  const int v = o.format_version;
  avro::ContainerWriterOptions wo;
  wo.codec = o.codec;
  // Java's manifest-list metadata; "parent-snapshot-id" is the string "null" when absent.
  wo.metadata.emplace_back("snapshot-id", std::to_string(o.snapshot_id));
  wo.metadata.emplace_back("parent-snapshot-id",
                           o.parent_snapshot_id ? std::to_string(*o.parent_snapshot_id) : "null");
  if (v >= 2) wo.metadata.emplace_back("sequence-number", std::to_string(o.sequence_number));
  if (v >= 3) wo.metadata.emplace_back("first-row-id", std::to_string(o.first_row_id.value_or(0)));
  wo.metadata.emplace_back("format-version", std::to_string(v));
  FLOE_ASSIGN_OR_RAISE(auto writer, avro::ContainerWriter::Make(ManifestFileSchemaJson(v), wo));

  WrittenManifestList out;
  std::optional<int64_t> next_row_id = o.first_row_id;
  for (ManifestFile m : manifests) {
    if (v == 1 && m.content != ManifestContent::kData) {
      return Status::Invalid("manifest ", m.manifest_path,
                             " holds deletes, which a format version 1 table cannot have");
    }
    if (v >= 2) {
      if (m.sequence_number == kUnassignedSequenceNumber) m.sequence_number = o.sequence_number;
      if (m.min_sequence_number == kUnassignedSequenceNumber) {
        m.min_sequence_number = o.sequence_number;
      }
      if (!m.added_snapshot_id) m.added_snapshot_id = o.snapshot_id;
    }
    // §First Row ID Assignment: new data manifests take consecutive ranges.
    if (v >= 3 && m.content == ManifestContent::kData && !m.first_row_id && next_row_id) {
      m.first_row_id = *next_row_id;
      int64_t rows = m.added_rows_count.value_or(0) + m.existing_rows_count.value_or(0);
      *next_row_id += rows;
      out.assigned_rows += rows;
    }
    avro::Encoder& e = writer.encoder();
    e.WriteString(m.manifest_path);
    e.WriteLong(m.manifest_length);
    e.WriteInt(m.partition_spec_id);
    if (v == 1) {
      WriteOptLong(e, m.added_snapshot_id);
      WriteOptInt(e, m.added_files_count);
      WriteOptInt(e, m.existing_files_count);
      WriteOptInt(e, m.deleted_files_count);
      WritePartitions(e, m.partitions);
      WriteOptLong(e, m.added_rows_count);
      WriteOptLong(e, m.existing_rows_count);
      WriteOptLong(e, m.deleted_rows_count);
      WriteOptBytes(e, m.key_metadata);
    } else {
      if (!m.added_files_count || !m.existing_files_count || !m.deleted_files_count ||
          !m.added_rows_count || !m.existing_rows_count || !m.deleted_rows_count) {
        return Status::Invalid("manifest ", m.manifest_path,
                               ": file and row counts are required in format version ", v);
      }
      e.WriteInt(static_cast<int32_t>(m.content));
      e.WriteLong(m.sequence_number);
      e.WriteLong(m.min_sequence_number);
      e.WriteLong(*m.added_snapshot_id);
      e.WriteInt(*m.added_files_count);
      e.WriteInt(*m.existing_files_count);
      e.WriteInt(*m.deleted_files_count);
      e.WriteLong(*m.added_rows_count);
      e.WriteLong(*m.existing_rows_count);
      e.WriteLong(*m.deleted_rows_count);
      WritePartitions(e, m.partitions);
      WriteOptBytes(e, m.key_metadata);
      if (v >= 3) WriteOptLong(e, m.first_row_id);
    }
    FLOE_RETURN_NOT_OK(writer.EndRecord());
    out.manifests.push_back(std::move(m));
  }
  FLOE_ASSIGN_OR_RAISE(out.bytes, writer.Finish());
  return out;
}

}  // namespace floe::manifest
