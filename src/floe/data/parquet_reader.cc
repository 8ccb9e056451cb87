#include "floe/data/parquet_reader.h"

#include <arrow/api.h>
#include <arrow/compute/cast.h>
#include <arrow/extension_type.h>
#include <arrow/util/future.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/schema.h>
#include <parquet/exception.h>
#include <parquet/file_reader.h>
#include <parquet/metadata.h>
#include <parquet/properties.h>
#include <parquet/schema.h>
#include <parquet/statistics.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "floe/data/arrow_internal.h"
#include "floe/data/arrow_literal.h"
#include "floe/data/arrow_schema.h"
#include "floe/data/parquet_stats.h"

namespace floe::data {

using internal::FromArrow;
using parquet::arrow::SchemaField;
using spec::Literal;
using spec::NestedField;
using spec::Type;
using spec::TypeId;

namespace {

// ---------------------------------------------------------------------------
// The file as Parquet sees it, counting the bytes read and answering the size
// request from the manifest's file size when given.

class CountingFile final : public arrow::io::RandomAccessFile {
 public:
  CountingFile(std::shared_ptr<arrow::io::RandomAccessFile> base, std::optional<int64_t> size,
               std::shared_ptr<std::atomic<int64_t>> bytes)
      : base_(std::move(base)), size_(size), bytes_(std::move(bytes)) {}

  arrow::Status Close() override { return base_->Close(); }
  bool closed() const override { return base_->closed(); }
  arrow::Result<int64_t> Tell() const override { return base_->Tell(); }
  arrow::Status Seek(int64_t position) override { return base_->Seek(position); }
  bool supports_zero_copy() const override { return base_->supports_zero_copy(); }
  arrow::Result<int64_t> GetSize() override {
    if (size_) return *size_;
    return base_->GetSize();
  }
  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override {
    return Count(base_->Read(nbytes, out));
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override {
    return Count(base_->Read(nbytes));
  }
  arrow::Result<int64_t> ReadAt(int64_t position, int64_t nbytes, void* out) override {
    return Count(base_->ReadAt(position, nbytes, out));
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> ReadAt(int64_t position,
                                                       int64_t nbytes) override {
    return Count(base_->ReadAt(position, nbytes));
  }
  arrow::Future<std::shared_ptr<arrow::Buffer>> ReadAsync(const arrow::io::IOContext& ctx,
                                                          int64_t position,
                                                          int64_t nbytes) override {
    auto bytes = bytes_;
    return base_->ReadAsync(ctx, position, nbytes)
        .Then([bytes](const std::shared_ptr<arrow::Buffer>& buffer) {
          *bytes += buffer->size();
          return buffer;
        });
  }

 private:
  arrow::Result<int64_t> Count(arrow::Result<int64_t> r) {
    if (r.ok()) *bytes_ += *r;
    return r;
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Count(
      arrow::Result<std::shared_ptr<arrow::Buffer>> r) {
    if (r.ok()) *bytes_ += (*r)->size();
    return r;
  }

  std::shared_ptr<arrow::io::RandomAccessFile> base_;
  std::optional<int64_t> size_;
  std::shared_ptr<std::atomic<int64_t>> bytes_;
};

// parquet-cpp reports errors by throwing; turn them into Floe errors.
Status FromParquetException(const std::exception& e, const std::string& location) {
  if (const auto* s = dynamic_cast<const parquet::ParquetStatusException*>(&e)) {
    return FromArrow(s->status(), location);
  }
  return Status::Corruption(location, ": ", e.what());
}

// ---------------------------------------------------------------------------
// The file's schema tree with field ids (from the file, or the name mapping).

enum class NodeKind : uint8_t { kLeaf, kStruct, kList, kMap };

struct FileNode {
  NodeKind kind = NodeKind::kLeaf;
  std::optional<int32_t> id;
  std::shared_ptr<arrow::Field> field;  // the Arrow field parquet-cpp reads it as
  std::vector<FileNode> children;       // struct fields; list: element; map: key, value
  int column_index = -1;                // leaves
};

Result<FileNode> BuildFileNode(const SchemaField& sf, std::vector<std::string>* path,
                               const NameMapping* mapping, const std::string& location) {
  FileNode node;
  node.field = sf.field;
  node.column_index = sf.column_index;
  node.id = mapping ? (*mapping)(*path) : FieldIdOf(*sf.field);
  auto child = [&](const SchemaField& c, std::string name) -> Result<FileNode> {
    path->push_back(std::move(name));
    auto r = BuildFileNode(c, path, mapping, location);
    path->pop_back();
    return r;
  };
  switch (sf.field->type()->id()) {
    case arrow::Type::STRUCT:
      node.kind = NodeKind::kStruct;
      for (const SchemaField& c : sf.children) {
        FLOE_ASSIGN_OR_RAISE(FileNode n, child(c, c.field->name()));
        node.children.push_back(std::move(n));
      }
      break;
    case arrow::Type::LIST:
    case arrow::Type::LARGE_LIST:
      if (sf.children.size() != 1) {
        return Status::Corruption(location, ": list '", sf.field->name(), "' has no element");
      }
      node.kind = NodeKind::kList;
      {
        FLOE_ASSIGN_OR_RAISE(FileNode n, child(sf.children[0], "element"));
        node.children.push_back(std::move(n));
      }
      break;
    case arrow::Type::MAP: {
      // parquet-cpp gives a map one child, the key_value struct.
      if (sf.children.size() != 1 || sf.children[0].children.size() != 2) {
        return Status::Corruption(location, ": map '", sf.field->name(),
                                  "' is not a key/value group");
      }
      node.kind = NodeKind::kMap;
      FLOE_ASSIGN_OR_RAISE(FileNode k, child(sf.children[0].children[0], "key"));
      FLOE_ASSIGN_OR_RAISE(FileNode v, child(sf.children[0].children[1], "value"));
      node.children.push_back(std::move(k));
      node.children.push_back(std::move(v));
      break;
    }
    default:
      if (sf.column_index < 0) {
        return Status::NotSupported(location, ": column '", sf.field->name(), "' of type ",
                                    sf.field->type()->ToString(), " cannot be read");
      }
      node.kind = NodeKind::kLeaf;
      break;
  }
  return node;
}

bool AnyFieldId(const FileNode& n) {
  if (n.id) return true;
  for (const FileNode& c : n.children) {
    if (AnyFieldId(c)) return true;
  }
  return false;
}

void AllLeaves(const FileNode& n, std::vector<int>* out) {
  if (n.kind == NodeKind::kLeaf) {
    out->push_back(n.column_index);
    return;
  }
  for (const FileNode& c : n.children) AllLeaves(c, out);
}

int FirstLeaf(const FileNode& n) {
  return n.kind == NodeKind::kLeaf ? n.column_index : FirstLeaf(n.children[0]);
}

// ---------------------------------------------------------------------------
// The projection plan: for each projected field, where its values come from.

struct Plan {
  const NestedField* field = nullptr;
  std::shared_ptr<arrow::DataType> type;  // the output Arrow type
  const FileNode* source = nullptr;       // nullptr: not in the file
  int position = -1;  // among the parent's children in parquet-cpp's output
  // When missing: a constant (or null) scalar, or a struct built from its
  // children's defaults (an initial-default of {}).
  std::shared_ptr<arrow::Scalar> fill;
  bool fill_struct = false;
  std::vector<Plan> children;
};

bool IsIntegerArrow(arrow::Type::type id) {
  switch (id) {
    case arrow::Type::INT8:
    case arrow::Type::INT16:
    case arrow::Type::INT32:
    case arrow::Type::UINT8:
    case arrow::Type::UINT16:
      return true;
    default:
      return false;
  }
}

// Whether a file column read as `file` can become the projected type `want`
// (of Iceberg type `t`): the same type, a promotion (§Schema Evolution), or a
// representation other writers use for it.
bool CanRead(const arrow::DataType& file, const arrow::DataType& want, const Type& t,
             bool int96) {
  if (file.Equals(want, /*check_metadata=*/false)) return true;
  const arrow::DataType* f = &file;
  if (f->id() == arrow::Type::DICTIONARY) {
    f = static_cast<const arrow::DictionaryType&>(*f).value_type().get();
  }
  switch (t.id()) {
    case TypeId::kInt: return IsIntegerArrow(f->id());
    case TypeId::kLong: return IsIntegerArrow(f->id()) || f->id() == arrow::Type::INT64 ||
                               f->id() == arrow::Type::UINT32;
    case TypeId::kFloat: return f->id() == arrow::Type::FLOAT;
    case TypeId::kDouble: return f->id() == arrow::Type::FLOAT || f->id() == arrow::Type::DOUBLE;
    case TypeId::kDecimal: {
      if (!arrow::is_decimal(f->id())) return false;
      const auto& d = static_cast<const arrow::DecimalType&>(*f);
      return d.scale() == t.scale() && d.precision() <= t.precision();
    }
    case TypeId::kDate: return f->id() == arrow::Type::DATE32 || f->id() == arrow::Type::DATE64;
    case TypeId::kTime: return f->id() == arrow::Type::TIME32 || f->id() == arrow::Type::TIME64;
    case TypeId::kTimestamp:
    case TypeId::kTimestampNs:
      if (f->id() == arrow::Type::DATE32) return true;  // v3 date -> timestamp promotion
      [[fallthrough]];
    case TypeId::kTimestampTz:
    case TypeId::kTimestampTzNs: {
      if (f->id() != arrow::Type::TIMESTAMP) return false;
      // INT96 (Hive, old Spark) has no zone flag; Java reads it as any timestamp.
      if (int96) return true;
      const bool want_tz = t.id() == TypeId::kTimestampTz || t.id() == TypeId::kTimestampTzNs;
      return !static_cast<const arrow::TimestampType&>(*f).timezone().empty() == want_tz;
    }
    case TypeId::kString:
      // Some writers (old Impala, Hive) store strings as unannotated binary;
      // the cast checks that they are UTF-8.
      return f->id() == arrow::Type::STRING || f->id() == arrow::Type::LARGE_STRING ||
             f->id() == arrow::Type::STRING_VIEW || f->id() == arrow::Type::BINARY ||
             f->id() == arrow::Type::LARGE_BINARY;
    case TypeId::kBinary:
    case TypeId::kGeometry:
    case TypeId::kGeography:
      return f->id() == arrow::Type::BINARY || f->id() == arrow::Type::LARGE_BINARY ||
             f->id() == arrow::Type::BINARY_VIEW;
    case TypeId::kUuid:
      return f->id() == arrow::Type::FIXED_SIZE_BINARY &&
             static_cast<const arrow::FixedSizeBinaryType&>(*f).byte_width() == 16;
    case TypeId::kFixed:
      return f->id() == arrow::Type::FIXED_SIZE_BINARY &&
             static_cast<const arrow::FixedSizeBinaryType&>(*f).byte_width() == t.length();
    default:
      return false;
  }
}

struct StatColumn {
  int32_t field_id;
  int column_index;
  const Type* type;
};

class Planner {
 public:
  Planner(const std::string& location, const ParquetReadOptions& options)
      : location_(location), options_(options) {}

  // Plans `f`, read from `source` (nullptr if the file lacks it). `repeated`:
  // inside a list or map (no statistics).
  Result<Plan> PlanField(const NestedField& f, const FileNode* source, bool repeated) {
    Plan plan;
    plan.field = &f;
    FLOE_ASSIGN_OR_RAISE(auto arrow_field, ToArrowField(f));
    plan.type = arrow_field->type();
    const Type& t = *f.type;
    if (t.id() == TypeId::kUnknown) source = nullptr;  // always null (App. A)
    if (source == nullptr) {
      FLOE_RETURN_NOT_OK(PlanMissing(f, &plan));
      return plan;
    }
    plan.source = source;
    bool readable;
    switch (t.id()) {
      case TypeId::kStruct: readable = source->kind == NodeKind::kStruct; break;
      case TypeId::kList: readable = source->kind == NodeKind::kList; break;
      case TypeId::kMap: readable = source->kind == NodeKind::kMap; break;
      default:
        readable = source->kind == NodeKind::kLeaf &&
                   CanRead(*source->field->type(), *plan.type, t, IsInt96(*source));
        break;
    }
    if (!readable) {
      return Status::Invalid(location_, ": field id ", f.id, " ('", f.name, "') is stored as ",
                             source->field->type()->ToString(), ", which cannot be read as ",
                             t.ToString());
    }
    if (t.is_primitive()) {
      leaves_.push_back(source->column_index);
      if (!repeated) stats_.push_back({f.id, source->column_index, f.type.get()});
      return plan;
    }
    const size_t before = leaves_.size();
    if (t.id() == TypeId::kStruct) {
      for (const NestedField& child : t.fields()) {
        const FileNode* match = nullptr;
        for (const FileNode& c : source->children) {
          if (c.id == child.id) match = &c;
        }
        FLOE_ASSIGN_OR_RAISE(Plan p, PlanField(child, match, repeated));
        plan.children.push_back(std::move(p));
      }
      // A struct whose projected fields are all missing still needs one of
      // its columns, for its nulls.
      if (leaves_.size() == before) leaves_.push_back(FirstLeaf(*source));
    } else {
      for (size_t i = 0; i < t.fields().size(); ++i) {
        const NestedField& child = t.fields()[i];
        const FileNode& c = source->children[i];
        const size_t mark = leaves_.size();
        FLOE_ASSIGN_OR_RAISE(Plan p, PlanField(child, c.id == child.id ? &c : nullptr, true));
        if (p.source == nullptr) {
          return Status::Invalid(location_, ": ", t.id() == TypeId::kList ? "element" : "key/value",
                                 " of field id ", f.id, " ('", f.name, "') has field id ",
                                 c.id ? std::to_string(*c.id) : "(none)", " in the file, not ",
                                 child.id);
        }
        if (leaves_.size() == mark) leaves_.push_back(FirstLeaf(c));
        plan.children.push_back(std::move(p));
      }
    }
    return plan;
  }

  std::vector<int>& leaves() { return leaves_; }
  void set_schema(const parquet::SchemaDescriptor* schema) { schema_ = schema; }
  std::vector<StatColumn>& stats() { return stats_; }

 private:
  Status PlanMissing(const NestedField& f, Plan* plan) {
    const Type& t = *f.type;
    if (auto it = options_.constants.find(f.id); it != options_.constants.end()) {
      auto scalar = ToArrowScalar(it->second, t);
      if (!scalar.ok()) {
        return scalar.status().WithContext(location_ + ": constant for field id " +
                                           std::to_string(f.id) + " ('" + f.name + "')");
      }
      plan->fill = *scalar;
    } else if (f.initial_default && *f.initial_default != "null") {
      if (t.id() == TypeId::kStruct) {
        // A struct default is {}: its fields take their own defaults.
        plan->fill_struct = true;
        for (const NestedField& child : t.fields()) {
          FLOE_ASSIGN_OR_RAISE(Plan p, PlanField(child, nullptr, true));
          plan->children.push_back(std::move(p));
        }
        return Status::OK();
      }
      auto literal = spec::LiteralFromJson(*f.initial_default, t);
      if (!literal.ok()) {
        return literal.status().WithContext("initial-default of field id " +
                                            std::to_string(f.id) + " ('" + f.name + "')");
      }
      FLOE_ASSIGN_OR_RAISE(plan->fill, ToArrowScalar(*literal, t));
    }
    if (f.required && (!plan->fill || !plan->fill->is_valid)) {
      return Status::Invalid(location_, ": required field id ", f.id, " ('", f.name,
                             "') is not in the file and has no initial-default");
    }
    return Status::OK();
  }

  bool IsInt96(const FileNode& leaf) const {
    return schema_ != nullptr &&
           schema_->Column(leaf.column_index)->physical_type() == parquet::Type::INT96;
  }

  const std::string& location_;
  const ParquetReadOptions& options_;
  const parquet::SchemaDescriptor* schema_ = nullptr;
  std::vector<int> leaves_;
  std::vector<StatColumn> stats_;
};

bool Contains(const std::vector<int>& sorted, const FileNode& n) {
  if (n.kind == NodeKind::kLeaf) return std::binary_search(sorted.begin(), sorted.end(),
                                                           n.column_index);
  for (const FileNode& c : n.children) {
    if (Contains(sorted, c)) return true;
  }
  return false;
}

// Where each planned field lands in parquet-cpp's output: its fields with at
// least one selected column, in file order, at every level.
void AssignPositions(Plan* plan, const std::vector<int>& sorted_leaves) {
  if (plan->source == nullptr) return;
  if (plan->source->kind == NodeKind::kStruct) {
    for (Plan& child : plan->children) {
      if (child.source == nullptr) continue;
      int position = 0;
      for (const FileNode& c : plan->source->children) {
        if (&c == child.source) break;
        if (Contains(sorted_leaves, c)) ++position;
      }
      child.position = position;
    }
  } else {
    for (size_t i = 0; i < plan->children.size(); ++i) plan->children[i].position =
        static_cast<int>(i);
  }
  for (Plan& child : plan->children) AssignPositions(&child, sorted_leaves);
}

// ---------------------------------------------------------------------------
// Applying the plan to a batch.

Result<std::shared_ptr<arrow::ArrayData>> Fill(const Plan& plan, int64_t length) {
  if (plan.fill_struct) {
    std::vector<std::shared_ptr<arrow::ArrayData>> children;
    for (const Plan& c : plan.children) {
      FLOE_ASSIGN_OR_RAISE(auto child, Fill(c, length));
      children.push_back(std::move(child));
    }
    return arrow::ArrayData::Make(plan.type, length, {nullptr}, std::move(children), 0);
  }
  if (plan.fill && plan.fill->is_valid) {
    FLOE_ASSIGN_OR_RAISE(auto array, FromArrow(arrow::MakeArrayFromScalar(*plan.fill, length),
                                               "filling a constant column"));
    return array->data();
  }
  FLOE_ASSIGN_OR_RAISE(auto array, FromArrow(arrow::MakeArrayOfNull(plan.type, length),
                                             "filling a null column"));
  return array->data();
}

Result<std::shared_ptr<arrow::ArrayData>> Convert(const Plan& plan,
                                                  const std::shared_ptr<arrow::ArrayData>& src) {
  if (src->type->Equals(*plan.type, /*check_metadata=*/false)) return src;
  if (plan.field->type->id() == TypeId::kUuid && src->type->id() != arrow::Type::EXTENSION) {
    auto out = src->Copy();  // fixed_size_binary(16) is the uuid type's storage
    out->type = plan.type;
    return out;
  }
  arrow::Datum in(arrow::MakeArray(src));
  auto cast = arrow::compute::Cast(in, plan.type, arrow::compute::CastOptions::Safe());
  if (!cast.ok()) {
    return FromArrow(cast.status(), "reading field id " + std::to_string(plan.field->id) +
                                        " ('" + plan.field->name + "') as " +
                                        plan.field->type->ToString());
  }
  return cast->array();
}

Result<std::shared_ptr<arrow::ArrayData>> Project(const Plan& plan,
                                                  std::shared_ptr<arrow::ArrayData> src,
                                                  int64_t length) {
  if (!src) return Fill(plan, length);
  switch (plan.field->type->id()) {
    case TypeId::kStruct: {
      std::vector<std::shared_ptr<arrow::ArrayData>> children;
      for (const Plan& c : plan.children) {
        // Children are unsliced: the struct's offset applies to them too.
        std::shared_ptr<arrow::ArrayData> child =
            c.position >= 0 ? src->child_data[static_cast<size_t>(c.position)] : nullptr;
        FLOE_ASSIGN_OR_RAISE(auto out, Project(c, std::move(child), src->offset + src->length));
        children.push_back(std::move(out));
      }
      return arrow::ArrayData::Make(plan.type, src->length, {src->buffers[0]},
                                    std::move(children), src->null_count, src->offset);
    }
    case TypeId::kList: {
      if (src->type->id() != arrow::Type::LIST) {
        const auto& element = static_cast<const arrow::BaseListType&>(*src->type).value_field();
        arrow::Datum in(arrow::MakeArray(src));
        FLOE_ASSIGN_OR_RAISE(auto cast, FromArrow(arrow::compute::Cast(in, arrow::list(element)),
                                                  "reading a list"));
        src = cast.array();
      }
      const auto& values = src->child_data[0];
      FLOE_ASSIGN_OR_RAISE(auto element,
                           Project(plan.children[0], values, values->offset + values->length));
      return arrow::ArrayData::Make(plan.type, src->length, {src->buffers[0], src->buffers[1]},
                                    {std::move(element)}, src->null_count, src->offset);
    }
    case TypeId::kMap: {
      const auto& entries = src->child_data[0];
      const int64_t n = entries->offset + entries->length;
      FLOE_ASSIGN_OR_RAISE(auto key, Project(plan.children[0], entries->child_data[0], n));
      FLOE_ASSIGN_OR_RAISE(auto value, Project(plan.children[1], entries->child_data[1], n));
      const auto& entries_type = static_cast<const arrow::MapType&>(*plan.type).value_type();
      auto entries_out = arrow::ArrayData::Make(entries_type, entries->length, {nullptr},
                                                {std::move(key), std::move(value)}, 0,
                                                entries->offset);
      return arrow::ArrayData::Make(plan.type, src->length, {src->buffers[0], src->buffers[1]},
                                    {std::move(entries_out)}, src->null_count, src->offset);
    }
    default:
      return Convert(plan, src);
  }
}

}  // namespace

// ---------------------------------------------------------------------------

struct ParquetReader::Impl {
  std::string location;
  spec::Schema projection;
  ParquetReadOptions options;
  std::shared_ptr<arrow::Schema> schema;
  std::shared_ptr<std::atomic<int64_t>> bytes_read = std::make_shared<std::atomic<int64_t>>(0);
  std::shared_ptr<arrow::io::RandomAccessFile> file;
  std::shared_ptr<parquet::FileMetaData> metadata;
  std::unique_ptr<parquet::arrow::SchemaManifest> manifest;
  parquet::ArrowReaderProperties arrow_props;
  std::vector<FileNode> file_fields;
  std::vector<Plan> plans;
  std::vector<int> leaves;  // sorted, unique
  std::vector<StatColumn> stat_columns;
  std::vector<int> selected;
  std::vector<int64_t> row_group_starts;  // file position of each group's first row
  int64_t skipped = 0;
  int64_t skipped_bloom = 0;
  mutable std::atomic<int64_t> row_groups_read{0};
  mutable std::atomic<int64_t> rows_read{0};

  parquet::ReaderProperties ReaderProps() const {
    parquet::ReaderProperties props(options.pool);
    // Without pre-buffering, stream column chunks in pieces rather than
    // loading whole chunks: memory stays bounded by the batch size.
    if (!options.pre_buffer) {
      props.enable_buffered_stream();
      props.set_buffer_size(1 << 20);
    }
    return props;
  }

  Result<RowGroupStats> Stats(int rg) const {
    if (rg < 0 || rg >= metadata->num_row_groups()) {
      return Status::Invalid(location, ": no row group ", rg);
    }
    std::unique_ptr<parquet::RowGroupMetaData> group = metadata->RowGroup(rg);
    RowGroupStats out;
    out.index = rg;
    out.num_rows = group->num_rows();
    for (const StatColumn& sc : stat_columns) {
      std::unique_ptr<parquet::ColumnChunkMetaData> chunk = group->ColumnChunk(sc.column_index);
      ColumnChunkStats cs;
      cs.value_count = chunk->num_values();
      std::shared_ptr<parquet::Statistics> stats =
          chunk->is_stats_set() ? chunk->statistics() : nullptr;
      if (stats) {
        if (stats->HasNullCount()) cs.null_count = stats->null_count();
        if (stats->HasMinMax()) {
          const parquet::ColumnDescriptor& col = *metadata->schema()->Column(sc.column_index);
          cs.lower = DecodeStat(stats->EncodeMin(), col, *sc.type, false);
          cs.upper = DecodeStat(stats->EncodeMax(), col, *sc.type, true);
          if (cs.lower.is_null() || cs.upper.is_null()) cs.lower = cs.upper = Literal();
        }
      }
      out.columns.emplace(sc.field_id, std::move(cs));
    }
    return out;
  }
};

namespace {

class ProjectingIterator final : public BatchIterator {
 public:
  ProjectingIterator(const ParquetReader::Impl* impl,
                     std::unique_ptr<parquet::arrow::FileReader> reader,
                     std::unique_ptr<arrow::RecordBatchReader> batches,
                     std::vector<int64_t> synthetic_rows, std::vector<RowRange> groups)
      : impl_(impl),
        reader_(std::move(reader)),
        batches_(std::move(batches)),
        synthetic_rows_(std::move(synthetic_rows)),
        groups_(std::move(groups)) {}

  const std::vector<RowRange>& positions() const override { return positions_; }

  Result<std::shared_ptr<arrow::RecordBatch>> Next() override {
    std::shared_ptr<arrow::RecordBatch> in;
    int64_t rows = 0;
    if (batches_) {
      try {
        auto st = batches_->ReadNext(&in);
        if (!st.ok()) return FromArrow(st, impl_->location);
      } catch (const std::exception& e) {
        return FromParquetException(e, impl_->location);
      }
      if (!in) return std::shared_ptr<arrow::RecordBatch>();
      rows = in->num_rows();
    } else {
      // No column of the file is needed: only the row counts.
      if (next_synthetic_ >= synthetic_rows_.size()) return std::shared_ptr<arrow::RecordBatch>();
      rows = synthetic_rows_[next_synthetic_++];
    }
    std::vector<std::shared_ptr<arrow::ArrayData>> columns;
    columns.reserve(impl_->plans.size());
    for (const Plan& plan : impl_->plans) {
      std::shared_ptr<arrow::ArrayData> src;
      if (plan.position >= 0) src = in->column_data(plan.position);
      auto out = Project(plan, std::move(src), rows);
      if (!out.ok()) return out.status().WithContext(impl_->location);
      columns.push_back(std::move(*out));
    }
    impl_->rows_read += rows;
    TrackPositions(rows);
    return arrow::RecordBatch::Make(impl_->schema, rows, std::move(columns));
  }

 private:
  const ParquetReader::Impl* impl_;
  std::unique_ptr<parquet::arrow::FileReader> reader_;  // outlives batches_
  std::unique_ptr<arrow::RecordBatchReader> batches_;
  std::vector<int64_t> synthetic_rows_;
  size_t next_synthetic_ = 0;
  // The row groups read, as file positions, and how far into them we are.
  std::vector<RowRange> groups_;
  size_t group_ = 0;
  int64_t group_offset_ = 0;
  std::vector<RowRange> positions_;

  void TrackPositions(int64_t rows) {
    positions_.clear();
    while (rows > 0 && group_ < groups_.size()) {
      const RowRange& g = groups_[group_];
      const int64_t n = std::min(rows, g.count - group_offset_);
      if (!positions_.empty() && positions_.back().start + positions_.back().count ==
                                     g.start + group_offset_) {
        positions_.back().count += n;
      } else {
        positions_.push_back({g.start + group_offset_, n});
      }
      rows -= n;
      group_offset_ += n;
      if (group_offset_ == g.count) {
        ++group_;
        group_offset_ = 0;
      }
    }
  }
};

}  // namespace

ParquetReader::ParquetReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ParquetReader::~ParquetReader() = default;

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(std::shared_ptr<io::FileIO> io,
                                                           const std::string& location,
                                                           spec::Schema projection,
                                                           ParquetReadOptions options) {
  FLOE_RETURN_NOT_OK(internal::EnsureArrowCompute());
  auto impl = std::make_unique<Impl>();
  impl->location = location;
  impl->projection = std::move(projection);
  impl->options = std::move(options);
  if (impl->options.pool == nullptr) impl->options.pool = arrow::default_memory_pool();
  if (impl->options.batch_size <= 0) impl->options.batch_size = 64 * 1024;
  FLOE_ASSIGN_OR_RAISE(impl->schema, ToArrowSchema(impl->projection));

  FLOE_ASSIGN_OR_RAISE(auto base, io->OpenInput(location));
  impl->file = std::make_shared<CountingFile>(std::move(base), impl->options.file_size,
                                              impl->bytes_read);
  try {
    auto reader = parquet::ParquetFileReader::Open(impl->file, impl->ReaderProps());
    impl->metadata = reader->metadata();
  } catch (const std::exception& e) {
    return FromParquetException(e, location);
  }

  impl->arrow_props.set_arrow_extensions_enabled(true);  // uuid
  impl->arrow_props.set_batch_size(impl->options.batch_size);
  impl->arrow_props.set_use_threads(impl->options.use_threads);
  impl->arrow_props.set_pre_buffer(impl->options.pre_buffer);
  impl->manifest = std::make_unique<parquet::arrow::SchemaManifest>();
  FLOE_RETURN_NOT_OK(FromArrow(
      parquet::arrow::SchemaManifest::Make(impl->metadata->schema(),
                                           impl->metadata->key_value_metadata(),
                                           impl->arrow_props, impl->manifest.get()),
      location));

  // Field ids from the file; from the name mapping only if it has none.
  auto build = [&](const NameMapping* mapping) -> Result<std::vector<FileNode>> {
    std::vector<FileNode> fields;
    for (const SchemaField& sf : impl->manifest->schema_fields) {
      std::vector<std::string> path{sf.field->name()};
      FLOE_ASSIGN_OR_RAISE(FileNode node, BuildFileNode(sf, &path, mapping, location));
      fields.push_back(std::move(node));
    }
    return fields;
  };
  FLOE_ASSIGN_OR_RAISE(impl->file_fields, build(nullptr));
  const bool has_ids = std::any_of(impl->file_fields.begin(), impl->file_fields.end(),
                                   [](const FileNode& n) { return AnyFieldId(n); });
  if (!has_ids && !impl->file_fields.empty()) {
    if (!impl->options.name_mapping) {
      return Status::Invalid(location, ": the Parquet file has no field ids; it can only be "
                                       "read with a name mapping (table property "
                                       "schema.name-mapping.default)");
    }
    FLOE_ASSIGN_OR_RAISE(impl->file_fields, build(&impl->options.name_mapping));
  }

  Planner planner(location, impl->options);
  planner.set_schema(impl->metadata->schema());
  for (const NestedField& f : impl->projection.fields()) {
    const FileNode* match = nullptr;
    for (const FileNode& n : impl->file_fields) {
      if (n.id == f.id) match = &n;
    }
    FLOE_ASSIGN_OR_RAISE(Plan plan, planner.PlanField(f, match, false));
    impl->plans.push_back(std::move(plan));
  }
  impl->leaves = std::move(planner.leaves());
  std::sort(impl->leaves.begin(), impl->leaves.end());
  impl->leaves.erase(std::unique(impl->leaves.begin(), impl->leaves.end()), impl->leaves.end());
  impl->stat_columns = std::move(planner.stats());

  // Top-level positions: file fields with a selected column, in file order.
  for (Plan& plan : impl->plans) {
    if (plan.source == nullptr) continue;
    int position = 0;
    for (const FileNode& n : impl->file_fields) {
      if (&n == plan.source) break;
      if (Contains(impl->leaves, n)) ++position;
    }
    plan.position = position;
    AssignPositions(&plan, impl->leaves);
  }

  int64_t start = 0;
  for (int rg = 0; rg < impl->metadata->num_row_groups(); ++rg) {
    impl->row_group_starts.push_back(start);
    start += impl->metadata->RowGroup(rg)->num_rows();
  }
  // Bloom filters answer for the probed columns the projection reads.
  std::vector<std::pair<const StatColumn*, const BloomProbe*>> probes;
  for (const BloomProbe& p : impl->options.bloom_probes) {
    for (const StatColumn& sc : impl->stat_columns) {
      if (sc.field_id == p.field_id) probes.emplace_back(&sc, &p);
    }
  }
  std::unique_ptr<parquet::ParquetFileReader> bloom_reader;
  for (int rg = 0; rg < impl->metadata->num_row_groups(); ++rg) {
    if (impl->options.row_group_filter) {
      FLOE_ASSIGN_OR_RAISE(RowGroupStats stats, impl->Stats(rg));
      if (!impl->options.row_group_filter(stats)) {
        ++impl->skipped;
        continue;
      }
    }
    if (!probes.empty() && !bloom_reader) {
      try {
        bloom_reader = parquet::ParquetFileReader::Open(impl->file, impl->ReaderProps(),
                                                        impl->metadata);
      } catch (const std::exception&) {
        probes.clear();  // no filters to ask: read the groups
      }
    }
    bool refuted = false;
    for (const auto& [sc, p] : probes) {
      if (!BloomMayContain(*bloom_reader, rg, sc->column_index, *sc->type, p->values)) {
        refuted = true;
        break;
      }
    }
    if (refuted) {
      ++impl->skipped_bloom;
      continue;
    }
    impl->selected.push_back(rg);
  }
  return std::unique_ptr<ParquetReader>(new ParquetReader(std::move(impl)));
}

const std::shared_ptr<arrow::Schema>& ParquetReader::schema() const { return impl_->schema; }
int ParquetReader::num_row_groups() const { return impl_->metadata->num_row_groups(); }
int64_t ParquetReader::num_rows() const { return impl_->metadata->num_rows(); }
const std::vector<int>& ParquetReader::selected_row_groups() const { return impl_->selected; }
Result<RowGroupStats> ParquetReader::Stats(int row_group) const {
  return impl_->Stats(row_group);
}

ReadCounters ParquetReader::counters() const {
  ReadCounters c;
  c.row_groups_read = impl_->row_groups_read;
  c.row_groups_skipped = impl_->skipped;
  c.row_groups_skipped_bloom = impl_->skipped_bloom;
  c.rows_read = impl_->rows_read;
  c.bytes_read = *impl_->bytes_read;
  return c;
}

Result<std::unique_ptr<BatchIterator>> ParquetReader::Read(
    std::optional<std::vector<int>> row_groups) const {
  std::vector<int> groups = row_groups ? std::move(*row_groups) : impl_->selected;
  for (int rg : groups) {
    if (rg < 0 || rg >= impl_->metadata->num_row_groups()) {
      return Status::Invalid(impl_->location, ": no row group ", rg, " (the file has ",
                             impl_->metadata->num_row_groups(), ")");
    }
  }
  impl_->row_groups_read += static_cast<int64_t>(groups.size());
  std::vector<RowRange> ranges;
  for (int rg : groups) {
    ranges.push_back({impl_->row_group_starts[rg], impl_->metadata->RowGroup(rg)->num_rows()});
  }
  if (impl_->leaves.empty()) {
    std::vector<int64_t> rows;
    for (int rg : groups) {
      for (int64_t left = impl_->metadata->RowGroup(rg)->num_rows(); left > 0;) {
        const int64_t n = std::min(left, impl_->options.batch_size);
        rows.push_back(n);
        left -= n;
      }
    }
    return std::unique_ptr<BatchIterator>(
        new ProjectingIterator(impl_.get(), nullptr, nullptr, std::move(rows), std::move(ranges)));
  }
  try {
    auto pq = parquet::ParquetFileReader::Open(impl_->file, impl_->ReaderProps(),
                                               impl_->metadata);
    FLOE_ASSIGN_OR_RAISE(auto reader,
                         FromArrow(parquet::arrow::FileReader::Make(impl_->options.pool,
                                                                    std::move(pq),
                                                                    impl_->arrow_props),
                                   impl_->location));
    FLOE_ASSIGN_OR_RAISE(auto batches,
                         FromArrow(reader->GetRecordBatchReader(groups, impl_->leaves),
                                   impl_->location));
    return std::unique_ptr<BatchIterator>(
        new ProjectingIterator(impl_.get(), std::move(reader), std::move(batches), {},
                               std::move(ranges)));
  } catch (const std::exception& e) {
    return FromParquetException(e, impl_->location);
  }
}

Result<std::shared_ptr<arrow::Table>> ReadParquetTable(std::shared_ptr<io::FileIO> io,
                                                       const std::string& location,
                                                       spec::Schema projection,
                                                       ParquetReadOptions options) {
  FLOE_ASSIGN_OR_RAISE(auto reader, ParquetReader::Open(std::move(io), location,
                                                        std::move(projection),
                                                        std::move(options)));
  FLOE_ASSIGN_OR_RAISE(auto it, reader->Read());
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  while (true) {
    FLOE_ASSIGN_OR_RAISE(auto batch, it->Next());
    if (!batch) break;
    batches.push_back(std::move(batch));
  }
  return FromArrow(arrow::Table::FromRecordBatches(reader->schema(), std::move(batches)),
                   location);
}

}  // namespace floe::data
