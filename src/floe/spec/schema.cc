#include "floe/spec/schema.h"

#include <unordered_map>
#include <unordered_set>

#include "floe/util/strings.h"

namespace floe::spec {

namespace {
// Field ids above this are reserved for metadata columns (§Reserved Field IDs).
constexpr int32_t kMaxUserFieldId = 2147483447;
constexpr int32_t kAmbiguous = -1;
}  // namespace

struct Schema::Index {
  std::unordered_map<int32_t, const NestedField*> by_id;
  std::unordered_map<int32_t, int32_t> parent;  // only for nested fields
  std::unordered_map<int32_t, std::string> full_name;
  std::unordered_map<std::string, int32_t> by_name;        // full and short names
  std::unordered_map<std::string, int32_t> by_lower_name;  // kAmbiguous on collision
  int32_t highest_id = 0;
  std::vector<int32_t> duplicate_ids;

  void AddName(const std::string& name, int32_t id) {
    by_name.emplace(name, id);  // full names are inserted first and win
    std::string lower = util::AsciiLower(name);
    auto [it, inserted] = by_lower_name.emplace(lower, id);
    if (!inserted && it->second != id) it->second = kAmbiguous;
  }

  // `full` is the dotted path with "element"/"key"/"value"; `short_name` skips
  // list "element" steps the way users write them.
  void Visit(const NestedField& f, const std::string& full, const std::string& short_name,
             std::optional<int32_t> parent_id) {
    if (!by_id.emplace(f.id, &f).second) duplicate_ids.push_back(f.id);
    if (parent_id) parent[f.id] = *parent_id;
    full_name.emplace(f.id, full);
    highest_id = std::max(highest_id, f.id);
    AddName(full, f.id);
    if (short_name != full) AddName(short_name, f.id);
    if (!f.type) return;
    const Type& t = *f.type;
    for (const NestedField& child : t.fields()) {
      std::string child_full = full + "." + child.name;
      std::string child_short =
          t.id() == TypeId::kList ? short_name : short_name + "." + child.name;
      Visit(child, child_full, child_short, f.id);
    }
  }
};

Schema::Schema() : Schema(0, {}) {}

Schema::Schema(int32_t schema_id, std::vector<NestedField> fields,
               std::vector<int32_t> identifier_field_ids)
    : schema_id_(schema_id),
      struct_(Type::Struct(std::move(fields))),
      identifier_field_ids_(std::move(identifier_field_ids)) {
  auto index = std::make_shared<Index>();
  for (const NestedField& f : struct_->fields()) index->Visit(f, f.name, f.name, std::nullopt);
  index_ = std::move(index);
}

const NestedField* Schema::FindField(int32_t id) const {
  auto it = index_->by_id.find(id);
  return it == index_->by_id.end() ? nullptr : it->second;
}

const NestedField* Schema::FindFieldByName(std::string_view name, bool case_sensitive) const {
  if (case_sensitive) {
    auto it = index_->by_name.find(std::string(name));
    return it == index_->by_name.end() ? nullptr : FindField(it->second);
  }
  auto it = index_->by_lower_name.find(util::AsciiLower(name));
  if (it == index_->by_lower_name.end() || it->second == kAmbiguous) return nullptr;
  return FindField(it->second);
}

std::optional<std::string> Schema::FindColumnName(int32_t id) const {
  auto it = index_->full_name.find(id);
  if (it == index_->full_name.end()) return std::nullopt;
  return it->second;
}

std::optional<int32_t> Schema::FindParentId(int32_t id) const {
  auto it = index_->parent.find(id);
  if (it == index_->parent.end()) return std::nullopt;
  return it->second;
}

int32_t Schema::HighestFieldId() const { return index_->highest_id; }

namespace {

Status ValidateNames(const Type& t, const std::string& where) {
  if (t.id() != TypeId::kStruct) {
    for (const NestedField& c : t.fields()) {
      FLOE_RETURN_NOT_OK(ValidateNames(*c.type, where + "." + c.name));
    }
    return Status::OK();
  }
  std::unordered_set<std::string> seen;
  for (const NestedField& f : t.fields()) {
    if (f.name.empty()) {
      return Status::Invalid("field id ", f.id, " in ", where.empty() ? "the schema" : where,
                             " has an empty name");
    }
    if (!seen.insert(f.name).second) {
      return Status::Invalid("duplicate field name '", f.name, "' in ",
                             where.empty() ? "the top-level struct" : "'" + where + "'");
    }
    FLOE_RETURN_NOT_OK(ValidateNames(*f.type, where.empty() ? f.name : where + "." + f.name));
  }
  return Status::OK();
}

}  // namespace

Status Schema::Validate(int format_version) const {
  if (!index_->duplicate_ids.empty()) {
    return Status::Invalid("schema ", schema_id_, ": field id ", index_->duplicate_ids.front(),
                           " is used more than once; field ids must be unique");
  }
  for (const auto& [id, field] : index_->by_id) {
    if (id > kMaxUserFieldId || id < 0) {
      return Status::Invalid("schema ", schema_id_, ": field '", index_->full_name.at(id),
                             "' has id ", id, ", which is reserved (§Reserved Field IDs)");
    }
    if (format_version < 3 && field->type->is_primitive() &&
        field->type->MinFormatVersion() > format_version) {
      return Status::Invalid("schema ", schema_id_, ": field '", index_->full_name.at(id),
                             "' has type ", field->type->ToString(),
                             ", which needs format version 3 (table is v", format_version, ")");
    }
    if (format_version < 3 && (field->initial_default || field->write_default)) {
      return Status::Invalid("schema ", schema_id_, ": field '", index_->full_name.at(id),
                             "' has a default value, which needs format version 3");
    }
  }
  FLOE_RETURN_NOT_OK(ValidateNames(*struct_, ""));
  for (int32_t id : identifier_field_ids_) {
    const NestedField* f = FindField(id);
    if (!f) {
      return Status::Invalid("schema ", schema_id_, ": identifier field id ", id,
                             " does not exist");
    }
    const std::string& name = index_->full_name.at(id);
    if (!f->type->is_primitive()) {
      return Status::Invalid("identifier field '", name, "' must be a primitive, not ",
                             f->type->ToString());
    }
    if (!f->required) return Status::Invalid("identifier field '", name, "' must be required");
    if (IsFloatingType(f->type->id())) {
      return Status::Invalid("identifier field '", name, "' cannot be float or double");
    }
    for (auto p = FindParentId(id); p; p = FindParentId(*p)) {
      const NestedField* parent = FindField(*p);
      if (parent->type->id() != TypeId::kStruct) {
        return Status::Invalid("identifier field '", name, "' cannot be nested in a list or map");
      }
      if (!parent->required) {
        return Status::Invalid("identifier field '", name, "' cannot be under optional struct '",
                               index_->full_name.at(*p), "'");
      }
    }
  }
  return Status::OK();
}

bool Schema::SameStructure(const Schema& o) const {
  return identifier_field_ids_ == o.identifier_field_ids_ && struct_->Equals(*o.struct_);
}

bool Schema::operator==(const Schema& o) const {
  return schema_id_ == o.schema_id_ && SameStructure(o);
}

Schema Schema::WithSchemaId(int32_t schema_id) const {
  Schema copy = *this;
  copy.schema_id_ = schema_id;
  return copy;
}

std::string Schema::ToString() const {
  std::string out;
  for (const NestedField& f : fields()) {
    out += std::to_string(f.id) + ": " + f.name + ": " + (f.required ? "required " : "optional ") +
           f.type->ToString();
    if (f.doc) out += " (" + *f.doc + ")";
    out += "\n";
  }
  return out;
}

}  // namespace floe::spec
