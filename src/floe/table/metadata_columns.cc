#include "floe/table/metadata_columns.h"

#include <arrow/api.h>

#include <map>

#include "floe/data/arrow_literal.h"
#include "floe/data/arrow_schema.h"

namespace floe::table {

using spec::NestedField;
using spec::Type;

namespace {

// Every partition field of every spec, by partition field id (ids are never
// reused, so one id is one field), typed by the current schema.
spec::TypePtr PartitionUnionType(const spec::TableMetadata& md) {
  std::map<int32_t, NestedField> fields;
  std::map<std::string, int> names;
  for (const spec::PartitionSpec& spec : md.partition_specs) {
    auto type = spec.PartitionType(*md.CurrentSchema(), /*lenient=*/true);
    if (!type.ok()) continue;
    for (const NestedField& f : (*type)->fields()) {
      if (fields.count(f.id)) continue;
      NestedField copy = f;
      copy.required = false;
      fields.emplace(f.id, copy);
    }
  }
  std::vector<NestedField> out;
  for (auto& [id, f] : fields) {
    // Two specs may use one name for different fields: keep names unique.
    if (names[f.name]++ > 0) f.name += "_" + std::to_string(id);
    out.push_back(f);
  }
  return Type::Struct(std::move(out));
}

Result<std::shared_ptr<arrow::Array>> Repeat(const std::shared_ptr<arrow::Scalar>& scalar,
                                             int64_t rows) {
  auto array = arrow::MakeArrayFromScalar(*scalar, rows);
  if (!array.ok()) return Status::Invalid("cannot build a metadata column: ", array.status().ToString());
  return *array;
}

}  // namespace

bool IsMetadataColumnId(int32_t id) {
  return id == kFileColumnId || id == kPosColumnId || id == kSpecIdColumnId ||
         id == kPartitionColumnId;
}

std::optional<NestedField> MetadataColumn(const std::string& name, const spec::TableMetadata& md) {
  if (name == "_file") return NestedField{kFileColumnId, "_file", true, Type::String()};
  if (name == "_pos") return NestedField{kPosColumnId, "_pos", true, Type::Long()};
  if (name == "_spec_id") return NestedField{kSpecIdColumnId, "_spec_id", true, Type::Int()};
  if (name == "_partition") {
    return NestedField{kPartitionColumnId, "_partition", false, PartitionUnionType(md)};
  }
  return std::nullopt;
}

Result<std::shared_ptr<arrow::Array>> PositionArray(const std::vector<data::RowRange>& ranges) {
  arrow::Int64Builder builder;
  int64_t total = 0;
  for (const auto& r : ranges) total += r.count;
  if (!builder.Reserve(total).ok()) return Status::IOError("out of memory for _pos");
  for (const auto& r : ranges) {
    for (int64_t p = r.start; p < r.start + r.count; ++p) builder.UnsafeAppend(p);
  }
  std::shared_ptr<arrow::Array> out;
  if (!builder.Finish(&out).ok()) return Status::IOError("cannot build _pos");
  return out;
}

Result<std::shared_ptr<arrow::Array>> MetadataColumnValues(
    const NestedField& field, const manifest::DataFile& file, const spec::TableMetadata& md,
    const std::vector<data::RowRange>& positions, int64_t rows) {
  switch (field.id) {
    case kFileColumnId:
      return Repeat(std::make_shared<arrow::StringScalar>(file.file_path), rows);
    case kPosColumnId:
      return PositionArray(positions);
    case kSpecIdColumnId:
      return Repeat(std::make_shared<arrow::Int32Scalar>(file.spec_id), rows);
    case kPartitionColumnId: {
      FLOE_ASSIGN_OR_RAISE(auto arrow_type, data::ToArrowType(*field.type));
      // Values by partition field id, from the file's own spec.
      std::map<int32_t, spec::Literal> values;
      if (const spec::PartitionSpec* spec = md.SpecById(file.spec_id)) {
        for (size_t i = 0; i < spec->fields().size() && i < file.partition.size(); ++i) {
          values[spec->fields()[i].field_id] = file.partition[i];
        }
      }
      arrow::ScalarVector children;
      for (const NestedField& f : field.type->fields()) {
        auto it = values.find(f.id);
        spec::Literal v = it == values.end() ? spec::Literal() : it->second;
        auto scalar = data::ToArrowScalar(v, *f.type);
        if (!scalar.ok()) {  // a value the current types cannot hold: null
          FLOE_ASSIGN_OR_RAISE(scalar, data::ToArrowScalar(spec::Literal(), *f.type));
        }
        children.push_back(*scalar);
      }
      if (children.empty()) {
        return Repeat(arrow::MakeNullScalar(arrow_type), rows);
      }
      return Repeat(std::make_shared<arrow::StructScalar>(children, arrow_type), rows);
    }
    default:
      return Status::Invalid("internal: field ", field.id, " is not a metadata column");
  }
}

}  // namespace floe::table
