#include "floe/table/schema_update.h"

#include <algorithm>
#include <functional>

#include "floe/spec/literal.h"
#include "floe/spec/name_mapping.h"

namespace floe::table {

using spec::NestedField;
using spec::Schema;
using spec::Type;
using spec::TypeId;
using spec::TypePtr;
using Change = SchemaUpdate::Change;

bool IsAllowedPromotion(const Type& from, const Type& to, int format_version) {
  if (from.Equals(to)) return true;
  switch (from.id()) {
    case TypeId::kInt:
      return to.id() == TypeId::kLong;
    case TypeId::kFloat:
      return to.id() == TypeId::kDouble;
    case TypeId::kDecimal:
      return to.id() == TypeId::kDecimal && to.scale() == from.scale() &&
             to.precision() >= from.precision();
    case TypeId::kDate:
      return format_version >= 3 &&
             (to.id() == TypeId::kTimestamp || to.id() == TypeId::kTimestampNs);
    case TypeId::kUnknown:
      return format_version >= 3;
    default:
      return false;
  }
}

namespace {

// Gives every field inside `type` a fresh id after `*last`.
TypePtr AssignIds(const TypePtr& type, int32_t* last) {
  if (type->is_primitive()) return type;
  std::vector<NestedField> children = type->fields();
  for (NestedField& c : children) c.id = ++*last;
  for (NestedField& c : children) c.type = AssignIds(c.type, last);
  if (type->id() == TypeId::kStruct) return Type::Struct(std::move(children));
  if (type->id() == TypeId::kList) return Type::List(std::move(children[0]));
  return Type::Map(std::move(children[0]), std::move(children[1]));
}

// Rebuilds `type` with `edit` applied to the children of the struct whose
// owner id is `owner` (the field holding it, or a list element / map value).
bool EditChildren(TypePtr* type, int32_t owner, int32_t self,
                  const std::function<void(std::vector<NestedField>*)>& edit) {
  if ((*type)->is_primitive()) return false;
  std::vector<NestedField> children = (*type)->fields();
  bool done = false;
  if (self == owner && (*type)->id() == TypeId::kStruct) {
    edit(&children);
    done = true;
  } else {
    for (NestedField& c : children) {
      if (EditChildren(&c.type, owner, c.id, edit)) {
        done = true;
        break;
      }
    }
  }
  if (!done) return false;
  if ((*type)->id() == TypeId::kStruct) {
    *type = Type::Struct(std::move(children));
  } else if ((*type)->id() == TypeId::kList) {
    *type = Type::List(std::move(children[0]));
  } else {
    *type = Type::Map(std::move(children[0]), std::move(children[1]));
  }
  return true;
}

class Working {
 public:
  Working(const Schema& base, int32_t last_column_id, int format_version,
          const spec::TableMetadata& md)
      : root_(Type::Struct(base.fields())),
        identifiers_(base.identifier_field_ids()),
        last_(last_column_id),
        version_(format_version),
        md_(md) {}

  Schema Current() const { return Schema(0, root_->fields(), identifiers_); }

  // The field called `name` and the id that owns its struct (0: the root).
  Result<std::pair<NestedField, int32_t>> Find(const std::string& name) const {
    Schema s = Current();
    const NestedField* f = s.FindFieldByName(name);
    if (!f) {
      std::string cols;
      for (const NestedField& c : s.fields()) cols += (cols.empty() ? "" : ", ") + c.name;
      return Status::Invalid("column '", name, "' not found; columns are: ", cols);
    }
    return std::make_pair(*f, s.FindParentId(f->id).value_or(0));
  }

  // The id owning the struct `parent` names ("" for the root): the struct
  // field itself, or the element / value struct of a list / map.
  Result<int32_t> StructOwner(const std::string& parent) const {
    if (parent.empty()) return 0;
    FLOE_ASSIGN_OR_RAISE(auto found, Find(parent));
    const NestedField& f = found.first;
    if (f.type->id() == TypeId::kStruct) return f.id;
    if (f.type->id() == TypeId::kList && f.type->element().type->id() == TypeId::kStruct) {
      return f.type->element().id;
    }
    if (f.type->id() == TypeId::kMap && f.type->fields()[1].type->id() == TypeId::kStruct) {
      return f.type->fields()[1].id;
    }
    return Status::Invalid("'", parent, "' is a ", f.type->ToString(),
                           ", not a struct: columns can only be added to structs");
  }

  void Edit(int32_t owner, const std::function<void(std::vector<NestedField>*)>& edit) {
    TypePtr root = root_;
    EditChildren(&root, owner, 0, edit);
    root_ = root;
  }

  Status EditField(const std::string& name, const std::function<Status(NestedField*)>& edit) {
    FLOE_ASSIGN_OR_RAISE(auto found, Find(name));
    Status st;
    Edit(found.second, [&](std::vector<NestedField>* siblings) {
      for (NestedField& f : *siblings) {
        if (f.id == found.first.id) st = edit(&f);
      }
    });
    return st;
  }

  static Status Place(std::vector<NestedField>* siblings, NestedField field,
                      const ColumnPosition& pos) {
    auto at = siblings->end();
    if (pos.kind == ColumnPosition::Kind::kFirst) at = siblings->begin();
    if (pos.kind == ColumnPosition::Kind::kAfter || pos.kind == ColumnPosition::Kind::kBefore) {
      std::string leaf = pos.column.substr(pos.column.rfind('.') + 1);
      at = std::find_if(siblings->begin(), siblings->end(),
                        [&](const NestedField& f) { return f.name == leaf; });
      if (at == siblings->end()) {
        return Status::Invalid("cannot place '", field.name, "' ",
                               pos.kind == ColumnPosition::Kind::kAfter ? "after" : "before", " '",
                               pos.column, "': no such column beside it (moves stay within "
                               "their struct)");
      }
      if (pos.kind == ColumnPosition::Kind::kAfter) ++at;
    }
    siblings->insert(at, std::move(field));
    return Status::OK();
  }

  // Partition fields of the current spec and sort fields of the current
  // order that read `id` or a field under it.
  std::string UsedBy(int32_t id) const {
    Schema s = Current();
    auto under = [&](int32_t source) {
      for (int32_t p = source;;) {
        if (p == id) return true;
        auto parent = s.FindParentId(p);
        if (!parent) return false;
        p = *parent;
      }
    };
    if (const spec::PartitionSpec* spec = md_.DefaultSpec()) {
      for (const auto& pf : spec->fields()) {
        if (!under(pf.source_id)) continue;
        if (pf.transform.kind() == spec::TransformKind::kVoid) {
          return "partition field '" + pf.name + "' (removed, but format v1 keeps removed fields "
                 "as void with their source)";
        }
        return "partition field '" + pf.name + "'";
      }
    }
    if (const spec::SortOrder* order = md_.SortOrderById(md_.default_sort_order_id)) {
      for (const auto& sf : order->fields) {
        if (under(sf.source_id)) return "the table's write order";
      }
    }
    return "";
  }

  Status Apply(const Change& c) {
    switch (c.kind) {
      case Change::Kind::kAdd: {
        size_t dot = c.name.rfind('.');
        std::string parent = dot == std::string::npos ? "" : c.name.substr(0, dot);
        std::string leaf = dot == std::string::npos ? c.name : c.name.substr(dot + 1);
        if (leaf.empty()) return Status::Invalid("a column needs a name");
        FLOE_ASSIGN_OR_RAISE(int32_t owner, StructOwner(parent));
        NestedField f;
        f.name = leaf;
        f.required = c.required;
        f.doc = c.doc;
        if (c.default_value) {
          if (version_ < 3) {
            return Status::Invalid("column defaults need format version 3; the table is v",
                                   version_);
          }
          if (!c.type->is_primitive()) {
            return Status::Invalid("a default value needs a primitive column type");
          }
          auto value = spec::LiteralFromString(*c.default_value, *c.type);
          if (!value.ok()) {
            return Status::Invalid("default for '", c.name, "': ", value.status().message());
          }
          f.initial_default = spec::LiteralToJson(*value, *c.type);
          f.write_default = f.initial_default;
        } else if (c.required) {
          return Status::Invalid("cannot add required column '", c.name,
                                 "' without a default: existing rows have no value for it",
                                 version_ >= 3 ? " (add one with: default VALUE)" :
                                                 " (defaults need format version 3)");
        }
        f.id = ++last_;
        f.type = AssignIds(c.type, &last_);
        Status st;
        Edit(owner, [&](std::vector<NestedField>* siblings) {
          for (const NestedField& s : *siblings) {
            if (s.name == leaf) st = Status::Invalid("column '", c.name, "' already exists");
          }
          if (st.ok()) st = Place(siblings, f, c.position);
        });
        return st;
      }
      case Change::Kind::kDrop: {
        FLOE_ASSIGN_OR_RAISE(auto found, Find(c.name));
        const NestedField& f = found.first;
        Schema s = Current();
        for (int32_t ident : identifiers_) {
          for (int32_t p = ident;;) {
            if (p == f.id) {
              return Status::Invalid("cannot drop '", c.name, "': it is an identifier field "
                                     "(change the identifier fields first)");
            }
            auto parent = s.FindParentId(p);
            if (!parent) break;
            p = *parent;
          }
        }
        std::string used = UsedBy(f.id);
        if (!used.empty()) {
          return Status::Invalid("cannot drop '", c.name, "': ", used, " uses it (drop or "
                                 "replace that first)");
        }
        if (found.second == 0 && root_->fields().size() == 1) {
          return Status::Invalid("cannot drop '", c.name, "': a table needs at least one column");
        }
        Edit(found.second, [&](std::vector<NestedField>* siblings) {
          siblings->erase(std::remove_if(siblings->begin(), siblings->end(),
                                         [&](const NestedField& x) { return x.id == f.id; }),
                          siblings->end());
        });
        return Status::OK();
      }
      case Change::Kind::kRename: {
        if (c.new_name.empty()) return Status::Invalid("the new name is empty");
        FLOE_ASSIGN_OR_RAISE(auto found, Find(c.name));
        Status st;
        Edit(found.second, [&](std::vector<NestedField>* siblings) {
          for (NestedField& f : *siblings) {
            if (f.name == c.new_name && f.id != found.first.id) {
              st = Status::Invalid("cannot rename '", c.name, "' to '", c.new_name,
                                   "': a column of that name exists");
            }
          }
          if (!st.ok()) return;
          for (NestedField& f : *siblings) {
            if (f.id == found.first.id) f.name = c.new_name;
          }
        });
        return st;
      }
      case Change::Kind::kType:
        return EditField(c.name, [&](NestedField* f) -> Status {
          if (!f->type->is_primitive() || !c.type->is_primitive()) {
            return Status::Invalid("cannot change the type of '", c.name, "' from ",
                                   f->type->ToString(), " to ", c.type->ToString(),
                                   ": only primitive types can be promoted");
          }
          if (!IsAllowedPromotion(*f->type, *c.type, version_)) {
            return Status::Invalid("cannot change '", c.name, "' from ", f->type->ToString(),
                                   " to ", c.type->ToString(), ": allowed promotions are int to "
                                   "long, float to double, decimal(P,S) to decimal(P2,S) with "
                                   "P2 >= P", version_ >= 3 ? ", date to timestamp/timestamp_ns" : "");
          }
          if (f->type->id() == TypeId::kDate && !UsedBy(f->id).empty()) {
            return Status::Invalid("cannot promote '", c.name, "' to ", c.type->ToString(), ": ",
                                   UsedBy(f->id), " uses it and its values would change");
          }
          f->type = c.type;
          return Status::OK();
        });
      case Change::Kind::kOptional:
        return EditField(c.name, [](NestedField* f) {
          f->required = false;
          return Status::OK();
        });
      case Change::Kind::kRequired:
        return EditField(c.name, [&](NestedField* f) -> Status {
          if (f->required) return Status::OK();
          return Status::Invalid("cannot make optional column '", c.name, "' required: rows "
                                 "already written may hold nulls");
        });
      case Change::Kind::kDoc:
        return EditField(c.name, [&](NestedField* f) {
          f->doc = c.doc;
          return Status::OK();
        });
      case Change::Kind::kMove: {
        FLOE_ASSIGN_OR_RAISE(auto found, Find(c.name));
        if (c.position.column == c.name) return Status::Invalid("cannot move '", c.name, "' next to itself");
        Status st;
        Edit(found.second, [&](std::vector<NestedField>* siblings) {
          std::vector<NestedField> rest;
          for (NestedField& f : *siblings) {
            if (f.id != found.first.id) rest.push_back(f);
          }
          st = Place(&rest, found.first, c.position);
          if (st.ok()) *siblings = std::move(rest);
        });
        return st;
      }
      case Change::Kind::kIdentifier: {
        std::vector<int32_t> ids;
        for (const std::string& n : c.names) {
          FLOE_ASSIGN_OR_RAISE(auto found, Find(n));
          ids.push_back(found.first.id);
        }
        identifiers_ = std::move(ids);
        return Status::OK();
      }
    }
    return Status::Invalid("internal: unknown schema change");
  }

  TypePtr root_;
  std::vector<int32_t> identifiers_;
  int32_t last_;
  int version_;
  const spec::TableMetadata& md_;
};

const char* KindName(Change::Kind k) {
  switch (k) {
    case Change::Kind::kAdd: return "add column";
    case Change::Kind::kDrop: return "drop column";
    case Change::Kind::kRename: return "rename column";
    case Change::Kind::kType: return "change type";
    case Change::Kind::kOptional: return "drop not null";
    case Change::Kind::kRequired: return "set not null";
    case Change::Kind::kDoc: return "set doc";
    case Change::Kind::kMove: return "move column";
    case Change::Kind::kIdentifier: return "set identifier fields";
  }
  return "?";
}

}  // namespace

SchemaUpdate& SchemaUpdate::AddColumn(std::string name, TypePtr type, bool required,
                                      std::optional<std::string> doc, ColumnPosition position,
                                      std::optional<std::string> default_value) {
  Change c{Change::Kind::kAdd, std::move(name)};
  c.type = std::move(type);
  c.required = required;
  c.doc = std::move(doc);
  c.position = std::move(position);
  c.default_value = std::move(default_value);
  return Push(std::move(c));
}
SchemaUpdate& SchemaUpdate::DropColumn(std::string name) {
  return Push(Change{Change::Kind::kDrop, std::move(name)});
}
SchemaUpdate& SchemaUpdate::RenameColumn(std::string name, std::string new_name) {
  Change c{Change::Kind::kRename, std::move(name)};
  c.new_name = std::move(new_name);
  return Push(std::move(c));
}
SchemaUpdate& SchemaUpdate::UpdateColumnType(std::string name, TypePtr type) {
  Change c{Change::Kind::kType, std::move(name)};
  c.type = std::move(type);
  return Push(std::move(c));
}
SchemaUpdate& SchemaUpdate::MakeOptional(std::string name) {
  return Push(Change{Change::Kind::kOptional, std::move(name)});
}
SchemaUpdate& SchemaUpdate::MakeRequired(std::string name) {
  return Push(Change{Change::Kind::kRequired, std::move(name)});
}
SchemaUpdate& SchemaUpdate::SetDoc(std::string name, std::string doc) {
  Change c{Change::Kind::kDoc, std::move(name)};
  c.doc = std::move(doc);
  return Push(std::move(c));
}
SchemaUpdate& SchemaUpdate::MoveColumn(std::string name, ColumnPosition position) {
  Change c{Change::Kind::kMove, std::move(name)};
  c.position = std::move(position);
  return Push(std::move(c));
}
SchemaUpdate& SchemaUpdate::SetIdentifierFields(std::vector<std::string> names) {
  Change c{Change::Kind::kIdentifier, ""};
  c.names = std::move(names);
  return Push(std::move(c));
}

Result<Schema> SchemaUpdate::Preview(const spec::TableMetadata& md, int32_t* last_column_id) const {
  const Schema* base = md.CurrentSchema();
  if (!base) return Status::Invalid("the table has no current schema");
  Working w(*base, md.last_column_id, md.format_version, md);
  for (const Change& c : changes_) FLOE_RETURN_NOT_OK(w.Apply(c));
  Schema candidate(0, w.root_->fields(), w.identifiers_);
  // An identical earlier schema is reused, as Java does; else a new id.
  int32_t id = 0;
  bool found = false;
  for (const Schema& s : md.schemas) {
    id = std::max(id, s.schema_id());
    if (!found && s.SameStructure(candidate)) {
      candidate = s;
      found = true;
    }
  }
  if (!found) candidate = candidate.WithSchemaId(id + 1);
  FLOE_RETURN_NOT_OK(candidate.Validate(md.format_version));
  *last_column_id = w.last_;
  return candidate;
}

Status SchemaUpdate::Apply(spec::TableMetadata* md, CommitAttempt*) {
  int32_t last = md->last_column_id;
  FLOE_ASSIGN_OR_RAISE(Schema schema, Preview(*md, &last));
  md->last_column_id = std::max(md->last_column_id, last);
  if (!md->SchemaById(schema.schema_id())) md->schemas.push_back(schema);
  md->current_schema_id = schema.schema_id();
  // Keep the name mapping in step (as Java does): renamed columns keep their
  // old names too, so imported files written under them still map.
  auto mapping = md->properties.find(std::string(spec::kNameMappingProperty));
  if (mapping != md->properties.end()) {
    FLOE_ASSIGN_OR_RAISE(auto parsed, spec::NameMapping::FromJson(mapping->second));
    mapping->second = parsed.UpdatedFor(schema).ToJson();
  }
  return Status::OK();
}

std::string SchemaUpdate::Describe() const {
  std::string out = "update schema (";
  for (size_t i = 0; i < changes_.size(); ++i) {
    out += (i ? ", " : "") + std::string(KindName(changes_[i].kind)) +
           (changes_[i].name.empty() ? "" : " " + changes_[i].name);
  }
  return out + ")";
}

}  // namespace floe::table
