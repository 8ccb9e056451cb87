#include "floe/data/parquet_projection.h"

#include <arrow/api.h>
#include <arrow/compute/cast.h>
#include <arrow/extension_type.h>
#include <parquet/arrow/schema.h>
#include <parquet/schema.h>

#include <algorithm>

#include "floe/data/arrow_internal.h"
#include "floe/data/arrow_literal.h"
#include "floe/data/arrow_schema.h"

namespace floe::data::projection {

using internal::FromArrow;
using parquet::arrow::SchemaField;
using spec::NestedField;
using spec::Type;
using spec::TypeId;

namespace {

// ---------------------------------------------------------------------------
// The file's schema tree with field ids (from the file, or the name mapping).



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

}  // namespace

Result<FileProjection> PlanFileProjection(const parquet::arrow::SchemaManifest& manifest,
                                          const parquet::SchemaDescriptor& file_schema,
                                          const spec::Schema& projection,
                                          const ParquetReadOptions& options,
                                          const std::string& location) {
  FileProjection out;
  // Field ids from the file; from the name mapping only if it has none.
  auto build = [&](const NameMapping* mapping) -> Result<std::vector<FileNode>> {
    std::vector<FileNode> fields;
    for (const SchemaField& sf : manifest.schema_fields) {
      std::vector<std::string> path{sf.field->name()};
      FLOE_ASSIGN_OR_RAISE(FileNode node, BuildFileNode(sf, &path, mapping, location));
      fields.push_back(std::move(node));
    }
    return fields;
  };
  FLOE_ASSIGN_OR_RAISE(out.file_fields, build(nullptr));
  const bool has_ids = std::any_of(out.file_fields.begin(), out.file_fields.end(),
                                   [](const FileNode& n) { return AnyFieldId(n); });
  if (!has_ids && !out.file_fields.empty()) {
    if (!options.name_mapping) {
      return Status::Invalid(location, ": the Parquet file has no field ids; it can only be "
                                       "read with a name mapping (table property "
                                       "schema.name-mapping.default)");
    }
    FLOE_ASSIGN_OR_RAISE(out.file_fields, build(&options.name_mapping));
  }

  Planner planner(location, options);
  planner.set_schema(&file_schema);
  for (const NestedField& f : projection.fields()) {
    const FileNode* match = nullptr;
    for (const FileNode& n : out.file_fields) {
      if (n.id == f.id) match = &n;
    }
    FLOE_ASSIGN_OR_RAISE(Plan plan, planner.PlanField(f, match, false));
    out.plans.push_back(std::move(plan));
  }
  out.leaves = std::move(planner.leaves());
  std::sort(out.leaves.begin(), out.leaves.end());
  out.leaves.erase(std::unique(out.leaves.begin(), out.leaves.end()), out.leaves.end());
  out.stat_columns = std::move(planner.stats());

  // Top-level positions: file fields with a selected column, in file order.
  for (Plan& plan : out.plans) {
    if (plan.source == nullptr) continue;
    int position = 0;
    for (const FileNode& n : out.file_fields) {
      if (&n == plan.source) break;
      if (Contains(out.leaves, n)) ++position;
    }
    plan.position = position;
    AssignPositions(&plan, out.leaves);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Applying the plan to a batch.

namespace {

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

}  // namespace

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

}  // namespace floe::data::projection
