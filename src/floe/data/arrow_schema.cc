#include "floe/data/arrow_schema.h"

#include <arrow/api.h>
#include <arrow/extension/uuid.h>
#include <arrow/util/key_value_metadata.h>

#include <deque>

#include "floe/util/strings.h"

namespace floe::data {

using spec::NestedField;
using spec::Type;
using spec::TypeId;
using spec::TypePtr;

namespace {

std::shared_ptr<arrow::KeyValueMetadata> IdMetadata(int32_t id) {
  return arrow::key_value_metadata({kParquetFieldIdKey}, {std::to_string(id)});
}

}  // namespace

Result<std::shared_ptr<arrow::DataType>> ToArrowType(const Type& t) {
  switch (t.id()) {
    case TypeId::kBoolean: return arrow::boolean();
    case TypeId::kInt: return arrow::int32();
    case TypeId::kLong: return arrow::int64();
    case TypeId::kFloat: return arrow::float32();
    case TypeId::kDouble: return arrow::float64();
    case TypeId::kDecimal: return arrow::decimal128(t.precision(), t.scale());
    case TypeId::kDate: return arrow::date32();
    case TypeId::kTime: return arrow::time64(arrow::TimeUnit::MICRO);
    case TypeId::kTimestamp: return arrow::timestamp(arrow::TimeUnit::MICRO);
    case TypeId::kTimestampTz: return arrow::timestamp(arrow::TimeUnit::MICRO, "UTC");
    case TypeId::kTimestampNs: return arrow::timestamp(arrow::TimeUnit::NANO);
    case TypeId::kTimestampTzNs: return arrow::timestamp(arrow::TimeUnit::NANO, "UTC");
    case TypeId::kString: return arrow::utf8();
    case TypeId::kUuid: return arrow::extension::uuid();
    case TypeId::kFixed: return arrow::fixed_size_binary(t.length());
    case TypeId::kBinary: return arrow::binary();
    case TypeId::kUnknown: return arrow::null();
    case TypeId::kGeometry:
    case TypeId::kGeography: return arrow::binary();
    case TypeId::kVariant:
      return Status::NotSupported("variant columns cannot be converted to Arrow yet");
    case TypeId::kStruct: {
      arrow::FieldVector children;
      for (const NestedField& f : t.fields()) {
        FLOE_ASSIGN_OR_RAISE(auto child, ToArrowField(f));
        children.push_back(std::move(child));
      }
      return arrow::struct_(std::move(children));
    }
    case TypeId::kList: {
      FLOE_ASSIGN_OR_RAISE(auto element, ToArrowField(t.element()));
      return arrow::list(std::move(element));
    }
    case TypeId::kMap: {
      FLOE_ASSIGN_OR_RAISE(auto key, ToArrowField(t.key()));
      FLOE_ASSIGN_OR_RAISE(auto value, ToArrowField(t.value()));
      return std::static_pointer_cast<arrow::DataType>(
          std::make_shared<arrow::MapType>(std::move(key), std::move(value)));
    }
  }
  return Status::NotSupported("type ", t.ToString(), " has no Arrow form");
}

Result<std::shared_ptr<arrow::Field>> ToArrowField(const NestedField& f) {
  auto type = ToArrowType(*f.type);
  if (!type.ok()) return type.status().WithContext("field '" + f.name + "'");
  return arrow::field(f.name, *type, !f.required, IdMetadata(f.id));
}

Result<std::shared_ptr<arrow::Schema>> ToArrowSchema(const spec::Schema& schema) {
  arrow::FieldVector fields;
  fields.reserve(schema.fields().size());
  for (const NestedField& f : schema.fields()) {
    FLOE_ASSIGN_OR_RAISE(auto field, ToArrowField(f));
    fields.push_back(std::move(field));
  }
  return arrow::schema(std::move(fields));
}

std::optional<int32_t> FieldIdOf(const arrow::Field& field) {
  const auto& md = field.metadata();
  if (!md) return std::nullopt;
  int index = md->FindKey(kParquetFieldIdKey);
  if (index < 0) return std::nullopt;
  auto v = util::ParseInt64(md->value(index));
  if (!v || *v < 0 || *v > INT32_MAX) return std::nullopt;
  return static_cast<int32_t>(*v);
}

namespace {

// Converts one Arrow field. With `next_id == nullptr` every field must carry
// an id; otherwise missing ids are assigned from *next_id.
Result<NestedField> FromArrowField(const arrow::Field& f, int32_t* next_id);

Result<TypePtr> ConvertType(const arrow::DataType& t, int32_t* next_id) {
  switch (t.id()) {
    case arrow::Type::BOOL: return Type::Boolean();
    case arrow::Type::INT8:
    case arrow::Type::INT16:
    case arrow::Type::INT32:
    case arrow::Type::UINT8:
    case arrow::Type::UINT16: return Type::Int();
    case arrow::Type::INT64:
    case arrow::Type::UINT32: return Type::Long();
    case arrow::Type::HALF_FLOAT:
    case arrow::Type::FLOAT: return Type::Float();
    case arrow::Type::DOUBLE: return Type::Double();
    case arrow::Type::DECIMAL32:
    case arrow::Type::DECIMAL64:
    case arrow::Type::DECIMAL128: {
      const auto& d = static_cast<const arrow::DecimalType&>(t);
      return Type::Decimal(d.precision(), d.scale());
    }
    case arrow::Type::DATE32:
    case arrow::Type::DATE64: return Type::Date();
    case arrow::Type::TIME32:
    case arrow::Type::TIME64: return Type::Time();
    case arrow::Type::TIMESTAMP: {
      const auto& ts = static_cast<const arrow::TimestampType&>(t);
      bool tz = !ts.timezone().empty();
      if (ts.unit() == arrow::TimeUnit::NANO) return tz ? Type::TimestampTzNs() : Type::TimestampNs();
      return tz ? Type::TimestampTz() : Type::Timestamp();
    }
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING:
    case arrow::Type::STRING_VIEW: return Type::String();
    case arrow::Type::BINARY:
    case arrow::Type::LARGE_BINARY:
    case arrow::Type::BINARY_VIEW: return Type::Binary();
    case arrow::Type::FIXED_SIZE_BINARY: {
      const auto& fb = static_cast<const arrow::FixedSizeBinaryType&>(t);
      return Type::Fixed(fb.byte_width());
    }
    case arrow::Type::NA: return Type::Unknown();
    case arrow::Type::EXTENSION: {
      const auto& ext = static_cast<const arrow::ExtensionType&>(t);
      if (ext.extension_name() == "arrow.uuid") return Type::Uuid();
      return ConvertType(*ext.storage_type(), next_id);
    }
    case arrow::Type::DICTIONARY:
      return ConvertType(*static_cast<const arrow::DictionaryType&>(t).value_type(), next_id);
    case arrow::Type::STRUCT: {
      std::vector<NestedField> fields;
      for (const auto& child : t.fields()) {
        FLOE_ASSIGN_OR_RAISE(NestedField f, FromArrowField(*child, next_id));
        fields.push_back(std::move(f));
      }
      return Type::Struct(std::move(fields));
    }
    case arrow::Type::LIST:
    case arrow::Type::LARGE_LIST:
    case arrow::Type::LIST_VIEW:
    case arrow::Type::FIXED_SIZE_LIST: {
      FLOE_ASSIGN_OR_RAISE(NestedField e, FromArrowField(*t.field(0), next_id));
      return Type::List(std::move(e));
    }
    case arrow::Type::MAP: {
      const auto& m = static_cast<const arrow::MapType&>(t);
      FLOE_ASSIGN_OR_RAISE(NestedField k, FromArrowField(*m.key_field(), next_id));
      FLOE_ASSIGN_OR_RAISE(NestedField v, FromArrowField(*m.item_field(), next_id));
      return Type::Map(std::move(k), std::move(v));
    }
    default:
      return Status::NotSupported("Arrow type ", t.ToString(), " has no Iceberg equivalent");
  }
}

Result<NestedField> FromArrowField(const arrow::Field& f, int32_t* next_id) {
  NestedField out;
  out.name = f.name();
  out.required = !f.nullable();
  if (auto id = FieldIdOf(f)) {
    out.id = *id;
  } else if (next_id != nullptr) {
    out.id = (*next_id)++;
  } else {
    return Status::Invalid("Arrow field '", f.name(), "' has no ", kParquetFieldIdKey,
                           " metadata; files without field ids need a name mapping");
  }
  auto type = ConvertType(*f.type(), next_id);
  if (!type.ok()) return type.status().WithContext("field '" + f.name() + "'");
  out.type = *type;
  return out;
}

// Reassigns ids in Java's order: each struct's direct children first, then
// their children, breadth first.
TypePtr Reassign(const TypePtr& type, int32_t* next_id);

std::vector<NestedField> ReassignFields(const std::vector<NestedField>& fields, int32_t* next_id) {
  std::vector<NestedField> out = fields;
  for (NestedField& f : out) f.id = (*next_id)++;
  for (NestedField& f : out) f.type = Reassign(f.type, next_id);
  return out;
}

TypePtr Reassign(const TypePtr& type, int32_t* next_id) {
  switch (type->id()) {
    case TypeId::kStruct: return Type::Struct(ReassignFields(type->fields(), next_id));
    case TypeId::kList: return Type::List(ReassignFields(type->fields(), next_id)[0]);
    case TypeId::kMap: {
      auto kv = ReassignFields(type->fields(), next_id);
      return Type::Map(kv[0], kv[1]);
    }
    default: return type;
  }
}

}  // namespace

Result<spec::Schema> FromArrowSchema(const arrow::Schema& schema, int32_t schema_id) {
  std::vector<NestedField> fields;
  for (const auto& f : schema.fields()) {
    FLOE_ASSIGN_OR_RAISE(NestedField nf, FromArrowField(*f, nullptr));
    fields.push_back(std::move(nf));
  }
  return spec::Schema(schema_id, std::move(fields));
}

Result<spec::TypePtr> FromArrowType(const arrow::DataType& type, int32_t* next_id) {
  return ConvertType(type, next_id);
}

Result<spec::Schema> FromArrowSchemaAssigningIds(const arrow::Schema& schema,
                                                 int32_t* last_column_id) {
  int32_t scratch = 1;
  std::vector<NestedField> fields;
  for (const auto& f : schema.fields()) {
    FLOE_ASSIGN_OR_RAISE(NestedField nf, FromArrowField(*f, &scratch));
    fields.push_back(std::move(nf));
  }
  int32_t next_id = 1;
  std::vector<NestedField> assigned = ReassignFields(fields, &next_id);
  if (last_column_id) *last_column_id = next_id - 1;
  return spec::Schema(0, std::move(assigned));
}

}  // namespace floe::data
