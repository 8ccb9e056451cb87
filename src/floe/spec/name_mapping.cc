#include "floe/spec/name_mapping.h"

#include <algorithm>
#include <map>

#include "floe/spec/json_internal.h"

namespace floe::spec {

using json_internal::Json;
using json_internal::OrderedJson;

namespace {

// Deeper than any schema Floe accepts (nested types stop at 32 levels).
constexpr int kMaxMappingDepth = 64;

Result<std::vector<MappedField>> FieldsFromJson(const Json& j, const std::string& path,
                                                int depth = 0) {
  if (!j.is_array()) return Status::Invalid("name mapping ", path, ": expected a JSON list");
  if (depth > kMaxMappingDepth) {
    return Status::Invalid("name mapping ", path, ": fields nest deeper than ", kMaxMappingDepth,
                           " levels");
  }
  std::vector<MappedField> out;
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string at = json_internal::Index(path, i);
    FLOE_RETURN_NOT_OK(json_internal::ExpectObject(j[i], at));
    MappedField f;
    FLOE_ASSIGN_OR_RAISE(f.field_id, json_internal::GetOptionalInt(j[i], "field-id", at));
    FLOE_ASSIGN_OR_RAISE(const Json* names, json_internal::GetRequired(j[i], "names", at));
    if (!names->is_array()) return Status::Invalid("name mapping ", at, ".names: expected a list");
    for (const Json& n : *names) {
      if (!n.is_string()) return Status::Invalid("name mapping ", at, ".names: expected strings");
      f.names.push_back(n.get<std::string>());
    }
    if (j[i].contains("fields") && !j[i]["fields"].is_null()) {
      FLOE_ASSIGN_OR_RAISE(f.fields, FieldsFromJson(j[i]["fields"], json_internal::Child(at, "fields"),
                                                     depth + 1));
    }
    out.push_back(std::move(f));
  }
  return out;
}

// A mapping must name each field id once and each name once per level, or a
// lookup would depend on entry order (Java's NameMapping refuses both when it
// indexes the mapping by id and by name).
Status CheckUnique(const std::vector<MappedField>& fields, const std::string& path,
                   std::map<int32_t, std::string>* ids) {
  std::map<std::string, size_t> names;
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string at = json_internal::Index(path, i);
    if (fields[i].field_id) {
      auto [it, fresh] = ids->emplace(*fields[i].field_id, at);
      if (!fresh) {
        return Status::Invalid("name mapping ", at, ": field-id ", *fields[i].field_id,
                               " is already mapped at ", it->second);
      }
    }
    for (const std::string& n : fields[i].names) {
      auto [it, fresh] = names.emplace(n, i);
      if (!fresh && it->second != i) {
        return Status::Invalid("name mapping ", at, ": name '", n, "' is already mapped at ",
                               json_internal::Index(path, it->second));
      }
    }
    FLOE_RETURN_NOT_OK(CheckUnique(fields[i].fields, json_internal::Child(at, "fields"), ids));
  }
  return Status::OK();
}

OrderedJson FieldsToJson(const std::vector<MappedField>& fields) {
  OrderedJson out = OrderedJson::array();
  for (const MappedField& f : fields) {
    OrderedJson o = OrderedJson::object();
    if (f.field_id) o["field-id"] = *f.field_id;
    o["names"] = f.names;
    if (!f.fields.empty()) o["fields"] = FieldsToJson(f.fields);
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<MappedField> FromType(const Type& type);

MappedField FromField(const NestedField& f) {
  return MappedField{f.id, {f.name}, FromType(*f.type)};
}

std::vector<MappedField> FromType(const Type& type) {
  std::vector<MappedField> out;
  for (const NestedField& c : type.fields()) out.push_back(FromField(c));
  return out;
}

// The mapping for the fields `now` of one level, keeping what `old` knew.
// A name the current schema gives one field is taken from every other field
// of the level (Java's MappingUtil removes reassigned names the same way):
// files written before the reuse cannot be told apart by name anyway, and a
// name must map to one field.
std::vector<MappedField> Merge(const std::vector<MappedField>& old, const std::vector<MappedField>& now) {
  std::map<int32_t, const MappedField*> by_id;
  for (const MappedField& f : old) {
    if (f.field_id) by_id[*f.field_id] = &f;
  }
  std::map<std::string, const MappedField*> current;  // name -> the field that has it now
  for (const MappedField& f : now) {
    for (const std::string& n : f.names) current.emplace(n, &f);
  }
  auto keeps = [&](const std::string& name, const MappedField* owner) {
    auto it = current.find(name);
    return it == current.end() || it->second == owner;
  };
  std::vector<MappedField> out;
  std::vector<int32_t> seen;
  for (const MappedField& f : now) {
    MappedField merged = f;
    auto it = f.field_id ? by_id.find(*f.field_id) : by_id.end();
    if (it != by_id.end()) {
      merged.names.clear();
      for (const std::string& n : it->second->names) {
        if (keeps(n, &f)) merged.names.push_back(n);
      }
      for (const std::string& n : f.names) {
        if (std::find(merged.names.begin(), merged.names.end(), n) == merged.names.end()) {
          merged.names.push_back(n);
        }
      }
      merged.fields = Merge(it->second->fields, f.fields);
      seen.push_back(*f.field_id);
    }
    out.push_back(std::move(merged));
  }
  for (const MappedField& f : old) {
    if (f.field_id && std::find(seen.begin(), seen.end(), *f.field_id) != seen.end()) continue;
    MappedField kept = f;
    kept.names.clear();
    for (const std::string& n : f.names) {
      if (keeps(n, nullptr)) kept.names.push_back(n);
    }
    if (!kept.names.empty()) out.push_back(std::move(kept));
  }
  return out;
}

}  // namespace

Result<NameMapping> NameMapping::FromJson(std::string_view json) {
  auto parsed = json_internal::Parse(json);
  if (!parsed.ok()) {
    return Status::Invalid("table property ", kNameMappingProperty, " is not valid JSON: ",
                           parsed.status().message());
  }
  auto fields = FieldsFromJson(*parsed, "$");
  Status unique;
  if (fields.ok()) {
    std::map<int32_t, std::string> ids;
    unique = CheckUnique(*fields, "$", &ids);
  }
  if (!fields.ok() || !unique.ok()) {
    return Status::Invalid("table property ", kNameMappingProperty, ": ",
                           fields.ok() ? unique.message() : fields.status().message());
  }
  return NameMapping(std::move(*fields));
}

NameMapping NameMapping::FromSchema(const Schema& schema) {
  return NameMapping(FromType(*schema.as_struct()));
}

std::string NameMapping::ToJson() const { return FieldsToJson(fields_).dump(); }

std::optional<int32_t> NameMapping::Find(const std::vector<std::string>& path) const {
  const std::vector<MappedField>* level = &fields_;
  std::optional<int32_t> id;
  for (const std::string& name : path) {
    const MappedField* match = nullptr;
    for (const MappedField& f : *level) {
      if (std::find(f.names.begin(), f.names.end(), name) != f.names.end()) match = &f;
    }
    if (!match) return std::nullopt;
    id = match->field_id;
    level = &match->fields;
  }
  return id;
}

NameMapping NameMapping::UpdatedFor(const Schema& schema) const {
  return NameMapping(Merge(fields_, FromType(*schema.as_struct())));
}

}  // namespace floe::spec
