#include "floe/manifest/manifest_reader.h"

#include "floe/avro/container_reader.h"
#include "floe/manifest/avro_read_internal.h"
#include "floe/spec/json.h"
#include "floe/util/strings.h"

namespace floe::manifest {

using avro::Decoder;
using avro::Node;
using avro::NodeKind;
using spec::Literal;
using spec::TypeId;
using namespace internal;

namespace {

// Where a writer field's value goes. kSkip fields are skipped by schema.
enum class Slot : uint8_t {
  kSkip,
  // manifest_entry
  kStatus, kSnapshotId, kSequenceNumber, kFileSequenceNumber, kDataFile,
  // data_file
  kContent, kFilePath, kFileFormat, kPartition, kRecordCount, kFileSize, kBlockSize,
  kColumnSizes, kValueCounts, kNullValueCounts, kNanValueCounts, kLowerBounds, kUpperBounds,
  kKeyMetadata, kSplitOffsets, kEqualityIds, kSortOrderId, kFirstRowId, kReferencedDataFile,
  kContentOffset, kContentSize,
};

enum class Want : uint8_t { kIntegral, kString, kBytes, kRecord, kCountMap, kBoundMap, kLongList };

struct SlotInfo {
  int32_t id;
  const char* name;
  Slot slot;
  Want want;
  bool required;
};

constexpr SlotInfo kEntrySlots[] = {
    {0, "status", Slot::kStatus, Want::kIntegral, true},
    {1, "snapshot_id", Slot::kSnapshotId, Want::kIntegral, false},
    {3, "sequence_number", Slot::kSequenceNumber, Want::kIntegral, false},
    {4, "file_sequence_number", Slot::kFileSequenceNumber, Want::kIntegral, false},
    {2, "data_file", Slot::kDataFile, Want::kRecord, true},
};

constexpr SlotInfo kDataFileSlots[] = {
    {134, "content", Slot::kContent, Want::kIntegral, false},
    {100, "file_path", Slot::kFilePath, Want::kString, true},
    {101, "file_format", Slot::kFileFormat, Want::kString, true},
    {102, "partition", Slot::kPartition, Want::kRecord, true},
    {103, "record_count", Slot::kRecordCount, Want::kIntegral, true},
    {104, "file_size_in_bytes", Slot::kFileSize, Want::kIntegral, true},
    {105, "block_size_in_bytes", Slot::kBlockSize, Want::kIntegral, false},
    {108, "column_sizes", Slot::kColumnSizes, Want::kCountMap, false},
    {109, "value_counts", Slot::kValueCounts, Want::kCountMap, false},
    {110, "null_value_counts", Slot::kNullValueCounts, Want::kCountMap, false},
    {137, "nan_value_counts", Slot::kNanValueCounts, Want::kCountMap, false},
    {125, "lower_bounds", Slot::kLowerBounds, Want::kBoundMap, false},
    {128, "upper_bounds", Slot::kUpperBounds, Want::kBoundMap, false},
    {131, "key_metadata", Slot::kKeyMetadata, Want::kBytes, false},
    {132, "split_offsets", Slot::kSplitOffsets, Want::kLongList, false},
    {135, "equality_ids", Slot::kEqualityIds, Want::kLongList, false},
    {140, "sort_order_id", Slot::kSortOrderId, Want::kIntegral, false},
    {142, "first_row_id", Slot::kFirstRowId, Want::kIntegral, false},
    {143, "referenced_data_file", Slot::kReferencedDataFile, Want::kString, false},
    {144, "content_offset", Slot::kContentOffset, Want::kIntegral, false},
    {145, "content_size_in_bytes", Slot::kContentSize, Want::kIntegral, false},
};

// An int -> long/bytes map: Java's array of {key, value} records, or an
// Avro map with string keys (tolerated on read).
struct MapPlan {
  bool avro_map = false;
  const Node* item = nullptr;   // the record node (array form)
  int key_pos = -1;             // positions of key/value within the record
  int value_pos = -1;
  const Node* key = nullptr;
  const Node* value = nullptr;
};

struct FieldStep {
  Slot slot = Slot::kSkip;
  ValueType type;
  MapPlan map;
  const Node* list_item = nullptr;  // kLongList: the array's item type
};

// How the partition tuple's value is represented (Literal alternative).
enum class Rep : uint8_t { kBool, kInt, kLong, kFloat, kDouble, kDecimal, kString, kBytes };

struct PartitionStep {
  int target = -1;  // index in DataFile::partition, -1 to skip
  ValueType type;
  Rep want = Rep::kBytes;  // the representation the partition type requires
  bool decimal = false;    // the Avro value is a decimal (bytes or fixed)
};

struct Plan {
  std::vector<FieldStep> entry;
  std::vector<FieldStep> data_file;
  std::vector<PartitionStep> partition;
  size_t partition_size = 0;
  bool has_sequence_numbers = false;
};

Rep RepOf(const spec::Type& t) {
  switch (t.id()) {
    case TypeId::kBoolean: return Rep::kBool;
    case TypeId::kInt:
    case TypeId::kDate: return Rep::kInt;
    case TypeId::kLong:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs: return Rep::kLong;
    case TypeId::kFloat: return Rep::kFloat;
    case TypeId::kDouble: return Rep::kDouble;
    case TypeId::kDecimal: return Rep::kDecimal;
    case TypeId::kString: return Rep::kString;
    default: return Rep::kBytes;
  }
}

bool IsDecimal(const Node* n) { return n->logical_type && *n->logical_type == "decimal"; }

// The representation an Avro value decodes to, before widening.
Rep AvroRep(const Node* n) {
  switch (n->kind) {
    case NodeKind::kBoolean: return Rep::kBool;
    case NodeKind::kInt: return Rep::kInt;
    case NodeKind::kLong: return Rep::kLong;
    case NodeKind::kFloat: return Rep::kFloat;
    case NodeKind::kDouble: return Rep::kDouble;
    case NodeKind::kString: return Rep::kString;
    default: return IsDecimal(n) ? Rep::kDecimal : Rep::kBytes;
  }
}

bool Compatible(Rep from, Rep to) {
  return from == to || (from == Rep::kInt && to == Rep::kLong) ||
         (from == Rep::kFloat && to == Rep::kDouble);
}

// The Iceberg type of an Avro partition value, for manifests whose spec is
// not known (App. A in reverse).
spec::TypePtr IcebergTypeOf(const Node* n) {
  const std::string lt = n->logical_type.value_or("");
  switch (n->kind) {
    case NodeKind::kBoolean: return spec::Type::Boolean();
    case NodeKind::kInt: return lt == "date" ? spec::Type::Date() : spec::Type::Int();
    case NodeKind::kLong:
      if (lt == "time-micros") return spec::Type::Time();
      if (lt == "timestamp-micros" || lt == "timestamp-nanos") {
        bool utc = n->adjust_to_utc.value_or(false);
        if (lt == "timestamp-nanos") return utc ? spec::Type::TimestampTzNs() : spec::Type::TimestampNs();
        return utc ? spec::Type::TimestampTz() : spec::Type::Timestamp();
      }
      return spec::Type::Long();
    case NodeKind::kFloat: return spec::Type::Float();
    case NodeKind::kDouble: return spec::Type::Double();
    case NodeKind::kString: return spec::Type::String();
    case NodeKind::kFixed:
      if (lt == "uuid") return spec::Type::Uuid();
      if (lt == "decimal") return spec::Type::Decimal(n->precision.value_or(38), n->scale.value_or(0));
      return spec::Type::Fixed(n->fixed_size);
    default:
      if (lt == "decimal") return spec::Type::Decimal(n->precision.value_or(38), n->scale.value_or(0));
      return spec::Type::Binary();
  }
}

class PlanCompiler {
 public:
  explicit PlanCompiler(std::string_view file) : file_(file) {}

  Status CompileEntry(const Node& root, Plan* plan) {
    if (root.kind != NodeKind::kRecord) {
      return Status::Invalid(file_, ": not a manifest: the Avro schema's root is a ",
                             avro::NodeKindName(root.kind), ", not the manifest_entry record");
    }
    FLOE_RETURN_NOT_OK(CompileRecord(root, kEntrySlots, "", &plan->entry));
    for (const FieldStep& s : plan->entry) {
      if (s.slot == Slot::kSequenceNumber) plan->has_sequence_numbers = true;
      if (s.slot == Slot::kDataFile) {
        FLOE_RETURN_NOT_OK(CompileRecord(*s.type.value, kDataFileSlots, "data_file.",
                                         &plan->data_file));
      }
    }
    return Status::OK();
  }

  // Maps r102's fields to positions in `partition_type` (by field id, then
  // name, then position) and checks the value types fit.
  Status CompilePartition(const Node& record, const spec::Type& partition_type, Plan* plan) {
    plan->partition_size = partition_type.fields().size();
    const auto& want = partition_type.fields();
    for (size_t i = 0; i < record.fields.size(); ++i) {
      const avro::Field& f = record.fields[i];
      PartitionStep step;
      step.type = Resolve(f.type);
      for (size_t k = 0; k < want.size() && step.target < 0; ++k) {
        if (f.field_id && want[k].id == *f.field_id) step.target = static_cast<int>(k);
      }
      for (size_t k = 0; k < want.size() && step.target < 0 && !f.field_id; ++k) {
        if (want[k].name == f.name) step.target = static_cast<int>(k);
      }
      if (step.target < 0 && !f.field_id && i < want.size()) step.target = static_cast<int>(i);
      if (step.target >= 0) {
        const spec::Type& t = *want[step.target].type;
        step.want = RepOf(t);
        step.decimal = IsDecimal(step.type.value);
        Rep from = AvroRep(step.type.value);
        if (!Compatible(from, step.want)) {
          return Status::Invalid(file_, ": partition field '", f.name, "' is stored as Avro ",
                                 avro::NodeKindName(step.type.value->kind),
                                 ", which does not fit its partition type ", t.ToString());
        }
      }
      plan->partition.push_back(step);
    }
    return Status::OK();
  }

 private:
  template <size_t N>
  Status CompileRecord(const Node& record, const SlotInfo (&slots)[N], const char* prefix,
                       std::vector<FieldStep>* out) {
    bool seen[N] = {};
    for (const avro::Field& f : record.fields) {
      FieldStep step;
      step.type = Resolve(f.type);
      for (size_t k = 0; k < N; ++k) {
        // Bind by id; a field without an id binds by its spec name.
        bool match = f.field_id ? *f.field_id == slots[k].id : f.name == slots[k].name;
        if (!match) continue;
        seen[k] = true;
        step.slot = slots[k].slot;
        FLOE_RETURN_NOT_OK(Check(slots[k], prefix, &step));
        break;
      }
      out->push_back(std::move(step));
    }
    for (size_t k = 0; k < N; ++k) {
      if (slots[k].required && !seen[k]) {
        return Status::Invalid(file_, ": not a valid manifest: required field '", prefix,
                               slots[k].name, "' (id ", slots[k].id, ") is missing");
      }
    }
    return Status::OK();
  }

  Status Check(const SlotInfo& info, const char* prefix, FieldStep* step) {
    const Node* v = step->type.value;
    std::string path = std::string(prefix) + info.name;
    switch (info.want) {
      case Want::kIntegral:
        if (!IsIntegral(v)) return WrongType(file_, path, info.id, v, "int or long");
        return Status::OK();
      case Want::kString:
      case Want::kBytes:
        if (!IsBytesLike(v)) return WrongType(file_, path, info.id, v, "string or bytes");
        return Status::OK();
      case Want::kRecord:
        if (v->kind != NodeKind::kRecord) return WrongType(file_, path, info.id, v, "record");
        return Status::OK();
      case Want::kLongList:
        if (v->kind != NodeKind::kArray || !IsIntegral(v->items)) {
          return WrongType(file_, path, info.id, v, "array of int or long");
        }
        step->list_item = v->items;
        return Status::OK();
      case Want::kCountMap:
      case Want::kBoundMap: {
        bool counts = info.want == Want::kCountMap;
        MapPlan& m = step->map;
        if (v->kind == NodeKind::kMap) {
          m.avro_map = true;
          m.value = v->values;
        } else if (v->kind == NodeKind::kArray && v->items->kind == NodeKind::kRecord) {
          m.item = v->items;
          for (size_t i = 0; i < m.item->fields.size(); ++i) {
            const std::string& n = m.item->fields[i].name;
            if (n == "key") m.key_pos = static_cast<int>(i);
            if (n == "value") m.value_pos = static_cast<int>(i);
          }
          if (m.key_pos < 0 || m.value_pos < 0) {
            return WrongType(file_, path, info.id, v, "an array of {key, value} records");
          }
          m.key = m.item->fields[m.key_pos].type;
          m.value = m.item->fields[m.value_pos].type;
          if (!IsIntegral(m.key)) return WrongType(file_, path + ".key", info.id, m.key, "int");
        } else {
          return WrongType(file_, path, info.id, v, "a map");
        }
        if (counts ? !IsIntegral(m.value) : !IsBytesLike(m.value)) {
          return WrongType(file_, path + ".value", info.id, m.value, counts ? "long" : "bytes");
        }
        return Status::OK();
      }
    }
    return Status::OK();
  }

  std::string_view file_;
};

// ---- decoding -------------------------------------------------------------

Literal DecimalFromBytes(Decoder& d, std::string_view b) {
  if (b.size() > 16) {
    d.Fail(Status::Corruption("decimal partition value of ", b.size(), " bytes (max 16)"));
    return Literal();
  }
  if (b.empty()) return Literal::Decimal(0);
  // Big-endian two's complement, sign-extended.
  unsigned __int128 v = (static_cast<unsigned char>(b[0]) & 0x80) ? ~static_cast<unsigned __int128>(0) : 0;
  for (unsigned char c : b) v = (v << 8) | c;
  return Literal::Decimal(static_cast<spec::Int128>(v));
}

Literal ReadPartitionValue(Decoder& d, const PartitionStep& s, const Node* n) {
  switch (n->kind) {
    case NodeKind::kBoolean: return Literal::Boolean(d.ReadBool());
    case NodeKind::kInt: {
      int32_t v = d.ReadInt();
      return s.want == Rep::kLong ? Literal::Long(v) : Literal::Int(v);
    }
    case NodeKind::kLong: return Literal::Long(d.ReadLong());
    case NodeKind::kFloat: {
      float v = d.ReadFloat();
      return s.want == Rep::kDouble ? Literal::Double(v) : Literal::Float(v);
    }
    case NodeKind::kDouble: return Literal::Double(d.ReadDouble());
    case NodeKind::kString: return Literal::String(std::string(d.ReadString()));
    case NodeKind::kBytes: {
      std::string_view b = d.ReadBytes();
      return s.decimal ? DecimalFromBytes(d, b) : Literal::Binary(std::string(b));
    }
    case NodeKind::kFixed: {
      std::string_view b = d.ReadFixed(static_cast<size_t>(n->fixed_size));
      return s.decimal ? DecimalFromBytes(d, b) : Literal::Binary(std::string(b));
    }
    default:
      d.Skip(*n);
      return Literal();
  }
}

void ReadCountMap(Decoder& d, const FieldStep& s, CountMap* out) {
  const Node* n = ReadBranch(d, s.type.node);
  if (n == nullptr) return out->reset();
  auto& vec = out->emplace();
  const MapPlan& m = s.map;
  for (int64_t c = d.ReadBlockCount(); c > 0 && d.ok(); c = d.ReadBlockCount()) {
    for (int64_t i = 0; i < c && d.ok(); ++i) {
      int64_t key = 0, value = 0;
      if (m.avro_map) {
        key = util::ParseInt64(d.ReadString()).value_or(-1);
        value = ReadIntegral(d, m.value);
      } else {
        for (int f = 0; f < static_cast<int>(m.item->fields.size()); ++f) {
          if (f == m.key_pos) key = ReadIntegral(d, m.key);
          else if (f == m.value_pos) value = ReadIntegral(d, m.value);
          else d.Skip(*m.item->fields[f].type);
        }
      }
      vec.emplace_back(static_cast<int32_t>(key), value);
    }
  }
}

void ReadBoundMap(Decoder& d, const FieldStep& s, BoundMap* out) {
  const Node* n = ReadBranch(d, s.type.node);
  if (n == nullptr) return out->reset();
  auto& vec = out->emplace();
  const MapPlan& m = s.map;
  for (int64_t c = d.ReadBlockCount(); c > 0 && d.ok(); c = d.ReadBlockCount()) {
    for (int64_t i = 0; i < c && d.ok(); ++i) {
      int64_t key = 0;
      std::string_view value;
      if (m.avro_map) {
        key = util::ParseInt64(d.ReadString()).value_or(-1);
        value = d.ReadBytes();
      } else {
        for (int f = 0; f < static_cast<int>(m.item->fields.size()); ++f) {
          if (f == m.key_pos) key = ReadIntegral(d, m.key);
          else if (f == m.value_pos) value = d.ReadBytes();
          else d.Skip(*m.item->fields[f].type);
        }
      }
      vec.emplace_back(static_cast<int32_t>(key), std::string(value));
    }
  }
}

template <typename T>
void ReadList(Decoder& d, const FieldStep& s, std::optional<std::vector<T>>* out) {
  const Node* n = ReadBranch(d, s.type.node);
  if (n == nullptr) return out->reset();
  auto& vec = out->emplace();
  for (int64_t c = d.ReadBlockCount(); c > 0 && d.ok(); c = d.ReadBlockCount()) {
    for (int64_t i = 0; i < c && d.ok(); ++i) {
      vec.push_back(static_cast<T>(ReadIntegral(d, s.list_item)));
    }
  }
}

template <typename T>
void ReadOptionalIntegral(Decoder& d, const FieldStep& s, std::optional<T>* out) {
  const Node* n = ReadBranch(d, s.type.node);
  if (n == nullptr) return out->reset();
  *out = static_cast<T>(ReadIntegral(d, n));
}

void ReadOptionalString(Decoder& d, const FieldStep& s, std::optional<std::string>* out) {
  const Node* n = ReadBranch(d, s.type.node);
  if (n == nullptr) return out->reset();
  *out = std::string(d.ReadBytes());
}

// Reads a required value that a writer may still have wrapped in a union.
int64_t ReadRequiredIntegral(Decoder& d, const FieldStep& s, const char* what) {
  const Node* n = ReadBranch(d, s.type.node);
  if (n == nullptr) {
    d.Fail(Status::Corruption("required field '", what, "' is null"));
    return 0;
  }
  return ReadIntegral(d, n);
}

void DecodePartition(Decoder& d, const Plan& plan, const Node* record,
                     std::vector<Literal>* out) {
  out->assign(plan.partition_size, Literal());
  for (const PartitionStep& s : plan.partition) {
    const Node* n = ReadBranch(d, s.type.node);
    if (n == nullptr) continue;
    if (s.target < 0) {
      d.Skip(*n);
      continue;
    }
    (*out)[s.target] = ReadPartitionValue(d, s, n);
  }
}

void DecodeDataFile(Decoder& d, const Plan& plan, DataFile* f) {
  for (const FieldStep& s : plan.data_file) {
    switch (s.slot) {
      case Slot::kContent: {
        int64_t c = ReadRequiredIntegral(d, s, "content");
        if (c < 0 || c > 2) d.Fail(Status::Corruption("content ", c, " is not 0, 1 or 2"));
        f->content = static_cast<FileContent>(c);
        break;
      }
      case Slot::kFilePath: {
        const Node* n = ReadBranch(d, s.type.node);
        if (n) f->file_path = std::string(d.ReadString());
        break;
      }
      case Slot::kFileFormat: {
        const Node* n = ReadBranch(d, s.type.node);
        if (!n) break;
        std::string_view text = d.ReadString();
        if (auto fmt = ParseFileFormat(text)) {
          f->file_format = *fmt;
        } else if (d.ok()) {
          d.Fail(Status::Corruption("unknown file_format ", util::Quote(text)));
        }
        break;
      }
      case Slot::kPartition: {
        const Node* n = ReadBranch(d, s.type.node);
        if (n) DecodePartition(d, plan, n, &f->partition);
        break;
      }
      case Slot::kRecordCount: f->record_count = ReadRequiredIntegral(d, s, "record_count"); break;
      case Slot::kFileSize: f->file_size_in_bytes = ReadRequiredIntegral(d, s, "file_size_in_bytes"); break;
      case Slot::kBlockSize: ReadOptionalIntegral(d, s, &f->block_size_in_bytes); break;
      case Slot::kColumnSizes: ReadCountMap(d, s, &f->column_sizes); break;
      case Slot::kValueCounts: ReadCountMap(d, s, &f->value_counts); break;
      case Slot::kNullValueCounts: ReadCountMap(d, s, &f->null_value_counts); break;
      case Slot::kNanValueCounts: ReadCountMap(d, s, &f->nan_value_counts); break;
      case Slot::kLowerBounds: ReadBoundMap(d, s, &f->lower_bounds); break;
      case Slot::kUpperBounds: ReadBoundMap(d, s, &f->upper_bounds); break;
      case Slot::kKeyMetadata: ReadOptionalString(d, s, &f->key_metadata); break;
      case Slot::kSplitOffsets: ReadList(d, s, &f->split_offsets); break;
      case Slot::kEqualityIds: ReadList(d, s, &f->equality_ids); break;
      case Slot::kSortOrderId: ReadOptionalIntegral(d, s, &f->sort_order_id); break;
      case Slot::kFirstRowId: ReadOptionalIntegral(d, s, &f->first_row_id); break;
      case Slot::kReferencedDataFile: ReadOptionalString(d, s, &f->referenced_data_file); break;
      case Slot::kContentOffset: ReadOptionalIntegral(d, s, &f->content_offset); break;
      case Slot::kContentSize: ReadOptionalIntegral(d, s, &f->content_size_in_bytes); break;
      default: d.Skip(*s.type.node); break;
    }
  }
}

void DecodeEntry(Decoder& d, const Plan& plan, ManifestEntry* e) {
  for (const FieldStep& s : plan.entry) {
    switch (s.slot) {
      case Slot::kStatus: {
        int64_t st = ReadRequiredIntegral(d, s, "status");
        if (st < 0 || st > 2) d.Fail(Status::Corruption("status ", st, " is not 0, 1 or 2"));
        e->status = static_cast<EntryStatus>(st);
        break;
      }
      case Slot::kSnapshotId: ReadOptionalIntegral(d, s, &e->snapshot_id); break;
      case Slot::kSequenceNumber: ReadOptionalIntegral(d, s, &e->sequence_number); break;
      case Slot::kFileSequenceNumber: ReadOptionalIntegral(d, s, &e->file_sequence_number); break;
      case Slot::kDataFile: {
        if (ReadBranch(d, s.type.node)) DecodeDataFile(d, plan, &e->data_file);
        break;
      }
      default: d.Skip(*s.type.node); break;
    }
  }
}

const Node* FindPartitionRecord(const Plan& plan) {
  for (const FieldStep& s : plan.data_file) {
    if (s.slot == Slot::kPartition) return s.type.value;
  }
  return nullptr;
}

int InferFormatVersion(const Plan& plan) {
  int v = plan.has_sequence_numbers ? 2 : 1;
  for (const FieldStep& s : plan.data_file) {
    if (s.slot == Slot::kContent) v = std::max(v, 2);
    if (s.slot == Slot::kFirstRowId || s.slot == Slot::kContentOffset) v = 3;
  }
  return v;
}

// Sequence number, snapshot id and first row id inheritance (§Sequence
// Number Inheritance, §First Row ID Inheritance).
void Inherit(const ManifestFile& mf, bool v1_manifest, Manifest* m) {
  std::optional<int64_t> next_row_id = mf.first_row_id;
  for (ManifestEntry& e : m->entries) {
    if (!e.snapshot_id) e.snapshot_id = mf.added_snapshot_id;
    if (v1_manifest) {
      // v1 manifests carry no sequence numbers: all files read as 0.
      e.sequence_number = e.sequence_number.value_or(0);
      e.file_sequence_number = e.file_sequence_number.value_or(0);
    } else if (e.status == EntryStatus::kAdded) {
      if (!e.sequence_number) e.sequence_number = mf.sequence_number;
      if (!e.file_sequence_number) e.file_sequence_number = mf.sequence_number;
    }
    if (next_row_id && m->content == ManifestContent::kData && !e.data_file.first_row_id &&
        e.data_file.content == FileContent::kData) {
      e.data_file.first_row_id = *next_row_id;
      *next_row_id += e.data_file.record_count;
    }
  }
}

}  // namespace

Result<Manifest> ReadManifest(std::string_view name, std::string_view bytes,
                              const ManifestReadOptions& options) {
  FLOE_ASSIGN_OR_RAISE(auto reader, avro::ContainerReader::Open(name, bytes));
  Manifest m;
  m.codec = std::string(reader.GetMetadata("avro.codec").value_or("null"));
  for (const auto& [k, v] : reader.metadata()) {
    if (!k.starts_with("avro.")) m.metadata.emplace_back(k, v);
  }
  auto meta = [&](std::string_view key) { return reader.GetMetadata(key); };

  Plan plan;
  PlanCompiler compiler(name);
  FLOE_RETURN_NOT_OK(compiler.CompileEntry(reader.schema().root(), &plan));
  const Node* partition_record = FindPartitionRecord(plan);

  // Format version and content: metadata first, else what the schema shows.
  m.format_version = InferFormatVersion(plan);
  if (auto fv = meta("format-version")) {
    auto v = util::ParseInt64(*fv);
    if (!v || *v < 1 || *v > spec::kMaxFormatVersion) {
      return Status::NotSupported(name, ": manifest format-version ", util::Quote(*fv),
                                  " is not supported");
    }
    m.format_version = static_cast<int>(*v);
  }
  if (auto c = meta("content")) {
    if (*c == "deletes") {
      m.content = ManifestContent::kDeletes;
    } else if (*c != "data") {
      return Status::Invalid(name, ": manifest content ", util::Quote(*c),
                             " is neither 'data' nor 'deletes'");
    }
  } else if (options.manifest_file) {
    m.content = options.manifest_file->content;
  }

  // The schema and the spec: the caller's, else the file's metadata.
  if (options.schema) {
    m.schema = *options.schema;
  } else if (auto text = meta("schema")) {
    auto s = spec::SchemaFromJson(*text);
    if (!s.ok()) return s.status().WithContext(std::string(name) + ": key-value metadata 'schema'");
    m.schema = std::move(*s);
  }
  std::optional<spec::PartitionSpec> spec;
  if (options.spec) {
    spec = *options.spec;
  } else if (auto text = meta("partition-spec")) {
    int32_t spec_id = options.manifest_file ? options.manifest_file->partition_spec_id : 0;
    if (auto id = meta("partition-spec-id")) {
      spec_id = static_cast<int32_t>(util::ParseInt64(*id).value_or(spec_id));
    }
    auto s = spec::PartitionSpecFromJson(*text, spec_id);
    if (!s.ok()) {
      return s.status().WithContext(std::string(name) + ": key-value metadata 'partition-spec'");
    }
    spec = std::move(*s);
  }
  if (spec && m.schema) {
    auto t = spec->PartitionType(*m.schema, /*lenient=*/true);
    if (!t.ok()) return t.status().WithContext(name);
    m.partition_type = *t;
  } else {
    // Derive the tuple's type from its Avro schema (ids from field-id).
    std::vector<spec::NestedField> fields;
    for (size_t i = 0; i < partition_record->fields.size(); ++i) {
      const avro::Field& f = partition_record->fields[i];
      int32_t id = f.field_id.value_or(spec::kFirstPartitionFieldId + static_cast<int32_t>(i));
      if (spec && i < spec->fields().size()) id = spec->fields()[i].field_id;
      fields.push_back(spec::NestedField{id, spec && i < spec->fields().size()
                                                 ? spec->fields()[i].name
                                                 : f.name,
                                         false, IcebergTypeOf(Resolve(f.type).value)});
    }
    m.partition_type = spec::Type::Struct(std::move(fields));
  }
  if (spec) m.spec = std::move(*spec);
  FLOE_RETURN_NOT_OK(compiler.CompilePartition(*partition_record, *m.partition_type, &plan));

  while (true) {
    FLOE_ASSIGN_OR_RAISE(bool more, reader.NextBlock());
    if (!more) break;
    Decoder& d = reader.decoder();
    int64_t count = reader.block_count();
    m.entries.reserve(m.entries.size() + static_cast<size_t>(count));
    for (int64_t i = 0; i < count && d.ok(); ++i) {
      ManifestEntry& e = m.entries.emplace_back();
      DecodeEntry(d, plan, &e);
    }
    if (!d.ok()) {
      return Status(d.status().code(), reader.BlockContext() + ", entry " +
                                           std::to_string(m.entries.size() - 1) + ": " +
                                           d.status().message());
    }
    FLOE_RETURN_NOT_OK(reader.FinishBlock());
  }
  if (!meta("content") && !options.manifest_file) {
    for (const ManifestEntry& e : m.entries) {
      if (e.data_file.content != FileContent::kData) m.content = ManifestContent::kDeletes;
    }
  }
  if (options.manifest_file) Inherit(*options.manifest_file, !plan.has_sequence_numbers, &m);
  int32_t spec_id = options.manifest_file ? options.manifest_file->partition_spec_id
                                          : m.spec.spec_id();
  for (ManifestEntry& e : m.entries) {
    e.data_file.spec_id = spec_id;
    // block_size_in_bytes means nothing (spec §Data File Fields): a v1 file
    // that lacks it reads as the default every writer uses, and a v2+ file
    // that carries it reads without, so a rewrite writes what was read.
    std::optional<int64_t>& block = e.data_file.block_size_in_bytes;
    block = m.format_version == 1 ? std::optional<int64_t>(block.value_or(kV1BlockSize)) : std::nullopt;
  }
  return m;
}

}  // namespace floe::manifest
