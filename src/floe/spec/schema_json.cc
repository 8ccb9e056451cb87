// JSON for types, schemas, partition specs and sort orders (spec App. C).
#include "floe/spec/json.h"
#include "floe/spec/json_internal.h"

namespace floe::spec {
namespace json_internal {

namespace {

// Nested types deeper than this are refused rather than recursed into, so
// hostile input cannot overflow the stack.
constexpr int kMaxTypeDepth = 64;

Result<TypePtr> TypeFromJsonAt(const Json& j, const std::string& path, int depth);

Result<NestedField> FieldFromJson(const Json& j, const std::string& path, int depth) {
  FLOE_RETURN_NOT_OK(ExpectObject(j, path));
  NestedField f;
  FLOE_ASSIGN_OR_RAISE(f.id, GetInt(j, "id", path));
  FLOE_ASSIGN_OR_RAISE(f.name, GetString(j, "name", path));
  FLOE_ASSIGN_OR_RAISE(f.required, GetBool(j, "required", path));
  FLOE_ASSIGN_OR_RAISE(const Json* type, GetRequired(j, "type", path));
  FLOE_ASSIGN_OR_RAISE(f.type, TypeFromJsonAt(*type, Child(path, "type"), depth + 1));
  FLOE_ASSIGN_OR_RAISE(f.doc, GetOptionalString(j, "doc", path));
  // Defaults keep their JSON text; null means "no default" (§Default values).
  if (auto it = j.find("initial-default"); it != j.end() && !it->is_null()) {
    f.initial_default = it->dump();
  }
  if (auto it = j.find("write-default"); it != j.end() && !it->is_null()) {
    f.write_default = it->dump();
  }
  return f;
}

Result<TypePtr> TypeFromJsonAt(const Json& j, const std::string& path, int depth) {
  if (depth > kMaxTypeDepth) {
    return Status::Invalid(path, ": types nested deeper than ", kMaxTypeDepth,
                           " levels are not supported");
  }
  if (j.is_string()) {
    auto t = ParsePrimitiveType(j.get<std::string>());
    if (!t.ok()) return t.status().WithContext(path);
    return t;
  }
  if (!j.is_object()) {
    return Status::Invalid(path, ": expected a type name or a struct/list/map object");
  }
  FLOE_ASSIGN_OR_RAISE(std::string kind, GetString(j, "type", path));
  if (kind == "struct") {
    FLOE_ASSIGN_OR_RAISE(const Json* fields, GetRequired(j, "fields", path));
    std::string fp = Child(path, "fields");
    if (!fields->is_array()) return Status::Invalid(fp, ": expected an array");
    std::vector<NestedField> out;
    out.reserve(fields->size());
    for (size_t i = 0; i < fields->size(); ++i) {
      FLOE_ASSIGN_OR_RAISE(NestedField f, FieldFromJson((*fields)[i], Index(fp, i), depth));
      out.push_back(std::move(f));
    }
    return Type::Struct(std::move(out));
  }
  if (kind == "list") {
    NestedField e;
    e.name = "element";
    FLOE_ASSIGN_OR_RAISE(e.id, GetInt(j, "element-id", path));
    FLOE_ASSIGN_OR_RAISE(e.required, GetBool(j, "element-required", path));
    FLOE_ASSIGN_OR_RAISE(const Json* et, GetRequired(j, "element", path));
    FLOE_ASSIGN_OR_RAISE(e.type, TypeFromJsonAt(*et, Child(path, "element"), depth + 1));
    return Type::List(std::move(e));
  }
  if (kind == "map") {
    NestedField k, v;
    FLOE_ASSIGN_OR_RAISE(k.id, GetInt(j, "key-id", path));
    FLOE_ASSIGN_OR_RAISE(const Json* kt, GetRequired(j, "key", path));
    FLOE_ASSIGN_OR_RAISE(k.type, TypeFromJsonAt(*kt, Child(path, "key"), depth + 1));
    FLOE_ASSIGN_OR_RAISE(v.id, GetInt(j, "value-id", path));
    FLOE_ASSIGN_OR_RAISE(v.required, GetBool(j, "value-required", path));
    FLOE_ASSIGN_OR_RAISE(const Json* vt, GetRequired(j, "value", path));
    FLOE_ASSIGN_OR_RAISE(v.type, TypeFromJsonAt(*vt, Child(path, "value"), depth + 1));
    return Type::Map(std::move(k), std::move(v));
  }
  return Status::Invalid(Child(path, "type"), ": unknown nested type '", kind,
                         "'; expected struct, list or map");
}

OrderedJson FieldToJsonValue(const NestedField& f) {
  OrderedJson j;
  j["id"] = f.id;
  j["name"] = f.name;
  j["required"] = f.required;
  j["type"] = TypeToJsonValue(*f.type);
  if (f.doc) j["doc"] = *f.doc;
  if (f.initial_default) j["initial-default"] = OrderedJson::parse(*f.initial_default);
  if (f.write_default) j["write-default"] = OrderedJson::parse(*f.write_default);
  return j;
}

Result<std::vector<int32_t>> SourceIds(const Json& j, const std::string& path,
                                       int32_t* source_id) {
  // v3 multi-argument transforms write only "source-ids" (App. C).
  if (auto it = j.find("source-ids"); it != j.end() && !it->is_null()) {
    FLOE_ASSIGN_OR_RAISE(std::vector<int32_t> ids, GetIntList(j, "source-ids", path));
    if (ids.empty()) return Status::Invalid(Child(path, "source-ids"), ": must not be empty");
    *source_id = ids[0];
    if (ids.size() == 1) ids.clear();
    return ids;
  }
  FLOE_ASSIGN_OR_RAISE(*source_id, GetInt(j, "source-id", path));
  return std::vector<int32_t>();
}

void WriteSourceIds(OrderedJson& j, int32_t source_id, const std::vector<int32_t>& source_ids) {
  if (source_ids.size() > 1) {
    j["source-ids"] = source_ids;
  } else {
    j["source-id"] = source_id;
  }
}

Result<Transform> TransformAt(const Json& j, const std::string& path) {
  FLOE_ASSIGN_OR_RAISE(std::string text, GetString(j, "transform", path));
  auto t = Transform::Parse(text);
  if (!t.ok()) return t.status().WithContext(Child(path, "transform"));
  return t;
}

}  // namespace

Result<TypePtr> TypeFromJson(const Json& j, const std::string& path) {
  return TypeFromJsonAt(j, path, 0);
}

OrderedJson TypeToJsonValue(const Type& t) {
  switch (t.id()) {
    case TypeId::kStruct: {
      OrderedJson j;
      j["type"] = "struct";
      j["fields"] = OrderedJson::array();
      for (const NestedField& f : t.fields()) j["fields"].push_back(FieldToJsonValue(f));
      return j;
    }
    case TypeId::kList: {
      OrderedJson j;
      j["type"] = "list";
      j["element-id"] = t.element().id;
      j["element"] = TypeToJsonValue(*t.element().type);
      j["element-required"] = t.element().required;
      return j;
    }
    case TypeId::kMap: {
      OrderedJson j;
      j["type"] = "map";
      j["key-id"] = t.key().id;
      j["key"] = TypeToJsonValue(*t.key().type);
      j["value-id"] = t.value().id;
      j["value"] = TypeToJsonValue(*t.value().type);
      j["value-required"] = t.value().required;
      return j;
    }
    default:
      return t.ToString();
  }
}

Result<Schema> SchemaFromJsonValue(const Json& j, const std::string& path) {
  FLOE_RETURN_NOT_OK(ExpectObject(j, path));
  FLOE_ASSIGN_OR_RAISE(std::string kind, GetString(j, "type", path));
  if (kind != "struct") {
    return Status::Invalid(Child(path, "type"), ": a schema must be a struct, got '", kind, "'");
  }
  FLOE_ASSIGN_OR_RAISE(TypePtr type, TypeFromJson(j, path));
  FLOE_ASSIGN_OR_RAISE(std::optional<int32_t> id, GetOptionalInt(j, "schema-id", path));
  FLOE_ASSIGN_OR_RAISE(std::vector<int32_t> ident, GetIntList(j, "identifier-field-ids", path));
  return Schema(id.value_or(0), type->fields(), std::move(ident));
}

OrderedJson SchemaToJsonValue(const Schema& schema) {
  OrderedJson j;
  j["type"] = "struct";
  j["schema-id"] = schema.schema_id();
  j["identifier-field-ids"] = schema.identifier_field_ids();
  j["fields"] = OrderedJson::array();
  for (const NestedField& f : schema.fields()) j["fields"].push_back(FieldToJsonValue(f));
  return j;
}

Result<PartitionSpec> PartitionSpecFromJsonValue(const Json& j, const std::string& path,
                                                 int32_t default_spec_id) {
  const Json* fields = &j;
  std::string fp = path;
  int32_t spec_id = default_spec_id;
  if (j.is_object()) {
    FLOE_ASSIGN_OR_RAISE(spec_id, GetInt(j, "spec-id", path));
    FLOE_ASSIGN_OR_RAISE(fields, GetRequired(j, "fields", path));
    fp = Child(path, "fields");
  }
  if (!fields->is_array()) {
    return Status::Invalid(fp.empty() ? "partition spec" : fp,
                           ": expected an array of partition fields");
  }
  std::vector<PartitionField> out;
  for (size_t i = 0; i < fields->size(); ++i) {
    const Json& f = (*fields)[i];
    std::string p = Index(fp, i);
    FLOE_RETURN_NOT_OK(ExpectObject(f, p));
    PartitionField pf;
    FLOE_ASSIGN_OR_RAISE(pf.name, GetString(f, "name", p));
    FLOE_ASSIGN_OR_RAISE(pf.transform, TransformAt(f, p));
    FLOE_ASSIGN_OR_RAISE(pf.source_ids, SourceIds(f, p, &pf.source_id));
    // v1 specs may omit field ids: they are 1000 + position (§Partition Evolution).
    FLOE_ASSIGN_OR_RAISE(std::optional<int32_t> id, GetOptionalInt(f, "field-id", p));
    pf.field_id = id.value_or(kFirstPartitionFieldId + static_cast<int32_t>(i));
    out.push_back(std::move(pf));
  }
  return PartitionSpec(spec_id, std::move(out));
}

OrderedJson PartitionFieldsToJsonValue(const PartitionSpec& spec) {
  OrderedJson arr = OrderedJson::array();
  for (const PartitionField& f : spec.fields()) {
    OrderedJson j;
    j["name"] = f.name;
    j["transform"] = f.transform.ToString();
    WriteSourceIds(j, f.source_id, f.source_ids);
    j["field-id"] = f.field_id;
    arr.push_back(std::move(j));
  }
  return arr;
}

OrderedJson PartitionSpecToJsonValue(const PartitionSpec& spec) {
  OrderedJson j;
  j["spec-id"] = spec.spec_id();
  j["fields"] = PartitionFieldsToJsonValue(spec);
  return j;
}

Result<SortOrder> SortOrderFromJsonValue(const Json& j, const std::string& path) {
  FLOE_RETURN_NOT_OK(ExpectObject(j, path));
  SortOrder order;
  FLOE_ASSIGN_OR_RAISE(order.order_id, GetInt(j, "order-id", path));
  FLOE_ASSIGN_OR_RAISE(const Json* fields, GetRequired(j, "fields", path));
  std::string fp = Child(path, "fields");
  if (!fields->is_array()) return Status::Invalid(fp, ": expected an array");
  for (size_t i = 0; i < fields->size(); ++i) {
    const Json& f = (*fields)[i];
    std::string p = Index(fp, i);
    FLOE_RETURN_NOT_OK(ExpectObject(f, p));
    SortField sf;
    FLOE_ASSIGN_OR_RAISE(sf.transform, TransformAt(f, p));
    FLOE_ASSIGN_OR_RAISE(sf.source_ids, SourceIds(f, p, &sf.source_id));
    FLOE_ASSIGN_OR_RAISE(std::string dir, GetString(f, "direction", p));
    if (dir == "asc") {
      sf.direction = SortDirection::kAsc;
    } else if (dir == "desc") {
      sf.direction = SortDirection::kDesc;
    } else {
      return Status::Invalid(Child(p, "direction"), ": '", dir, "' is not asc or desc");
    }
    FLOE_ASSIGN_OR_RAISE(std::string nulls, GetString(f, "null-order", p));
    if (nulls == "nulls-first") {
      sf.null_order = NullOrder::kNullsFirst;
    } else if (nulls == "nulls-last") {
      sf.null_order = NullOrder::kNullsLast;
    } else {
      return Status::Invalid(Child(p, "null-order"), ": '", nulls,
                             "' is not nulls-first or nulls-last");
    }
    order.fields.push_back(std::move(sf));
  }
  return order;
}

OrderedJson SortOrderToJsonValue(const SortOrder& order) {
  OrderedJson j;
  j["order-id"] = order.order_id;
  j["fields"] = OrderedJson::array();
  for (const SortField& f : order.fields) {
    OrderedJson fj;
    fj["transform"] = f.transform.ToString();
    WriteSourceIds(fj, f.source_id, f.source_ids);
    fj["direction"] = f.direction == SortDirection::kAsc ? "asc" : "desc";
    fj["null-order"] = f.null_order == NullOrder::kNullsFirst ? "nulls-first" : "nulls-last";
    j["fields"].push_back(std::move(fj));
  }
  return j;
}

}  // namespace json_internal

using namespace json_internal;

namespace {
std::string Dump(const OrderedJson& j, int indent = -1) {
  // Invalid UTF-8 in user strings must not throw: replace it.
  return j.dump(indent, ' ', false, nlohmann::detail::error_handler_t::replace);
}
}  // namespace

Result<Schema> SchemaFromJson(std::string_view text) {
  FLOE_ASSIGN_OR_RAISE(Json j, Parse(text));
  return SchemaFromJsonValue(j, "schema");
}
std::string SchemaToJson(const Schema& schema) { return Dump(SchemaToJsonValue(schema)); }

Result<PartitionSpec> PartitionSpecFromJson(std::string_view text, int32_t spec_id) {
  FLOE_ASSIGN_OR_RAISE(Json j, Parse(text));
  return PartitionSpecFromJsonValue(j, "partition-spec", spec_id);
}
std::string PartitionSpecToJson(const PartitionSpec& spec) {
  return Dump(PartitionSpecToJsonValue(spec));
}
std::string PartitionFieldsToJson(const PartitionSpec& spec) {
  return Dump(PartitionFieldsToJsonValue(spec));
}

Result<SortOrder> SortOrderFromJson(std::string_view text) {
  FLOE_ASSIGN_OR_RAISE(Json j, Parse(text));
  return SortOrderFromJsonValue(j, "sort-order");
}
std::string SortOrderToJson(const SortOrder& order) { return Dump(SortOrderToJsonValue(order)); }

}  // namespace floe::spec
