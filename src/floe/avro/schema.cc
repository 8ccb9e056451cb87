#include "floe/avro/schema.h"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "floe/util/strings.h"

namespace floe::avro {
namespace {

// ordered_json keeps attribute order, so props and defaults round-trip as written.
using Json = nlohmann::ordered_json;

// A record nesting level costs about three JSON levels (field object, type
// object, fields array), a union one more.
constexpr int kMaxJsonDepth = 4 * kMaxNestingDepth;

struct PrimitiveName {
  std::string_view name;
  NodeKind kind;
};
constexpr PrimitiveName kPrimitives[] = {
    {"null", NodeKind::kNull},     {"boolean", NodeKind::kBoolean}, {"int", NodeKind::kInt},
    {"long", NodeKind::kLong},     {"float", NodeKind::kFloat},     {"double", NodeKind::kDouble},
    {"bytes", NodeKind::kBytes},   {"string", NodeKind::kString},
};

std::optional<NodeKind> PrimitiveKind(std::string_view name) {
  for (const auto& p : kPrimitives) {
    if (p.name == name) return p.kind;
  }
  return std::nullopt;
}

bool IsPrimitive(NodeKind kind) {
  return kind != NodeKind::kRecord && kind != NodeKind::kEnum && kind != NodeKind::kArray &&
         kind != NodeKind::kMap && kind != NodeKind::kUnion && kind != NodeKind::kFixed;
}

// Where in the schema an error is: "field 'a.b'", or "schema root".
std::string Where(const std::string& path) {
  return path.empty() ? std::string("schema root") : "field '" + path + "'";
}

template <typename... Args>
Status Error(const std::string& path, Args&&... args) {
  return Status::Invalid(Where(path), ": ", args...);
}

std::string JoinPath(const std::string& path, std::string_view name) {
  if (path.empty()) return std::string(name);
  std::string out = path;
  out += '.';
  out += name;
  return out;
}

// Never throws: invalid UTF-8 (possible only in names built in code) is replaced.
std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// True if [ and { nest deeper than `limit` outside strings. Checked before
// parsing so that hostile input cannot make any later walk recurse deeply.
bool JsonNestsDeeperThan(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  bool escape = false;
  for (char c : text) {
    if (in_string) {
      if (escape) {
        escape = false;
      } else if (c == '\\') {
        escape = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

Status ReadInt32(const Json& j, const std::string& path, std::string_view key,
                 std::optional<int32_t>* out) {
  if (j.is_number_unsigned()) {
    uint64_t v = j.get<uint64_t>();
    if (v <= static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) {
      *out = static_cast<int32_t>(v);
      return Status::OK();
    }
  } else if (j.is_number_integer()) {
    int64_t v = j.get<int64_t>();
    if (v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max()) {
      *out = static_cast<int32_t>(v);
      return Status::OK();
    }
  }
  return Error(path, "'", key, "' must be a 32-bit integer, got ", util::Quote(Dump(j)));
}

Status ReadOptionalString(const Json& j, const std::string& path, std::string_view key,
                          std::optional<std::string>* out) {
  if (!j.is_string()) {
    return Error(path, "'", key, "' must be a string, got ", util::Quote(Dump(j)));
  }
  *out = j.get<std::string>();
  return Status::OK();
}

class Parser {
 public:
  explicit Parser(Schema* schema) : schema_(schema) {}

  Result<const Node*> ParseType(const Json& j, const std::string& path, const std::string& ns,
                                int depth) {
    if (depth > kMaxNestingDepth) {
      return Error(path, "the schema nests deeper than ", kMaxNestingDepth, " levels");
    }
    if (j.is_string()) {
      const auto& name = j.get_ref<const std::string&>();
      if (auto kind = PrimitiveKind(name)) return schema_->NewNode(*kind);
      return Resolve(name, path, ns);
    }
    if (j.is_array()) return ParseUnion(j, path, ns, depth);
    if (j.is_object()) return ParseObject(j, path, ns, depth);
    return Error(path, "expected a type name, object or array, got ", util::Quote(Dump(j)));
  }

 private:
  Result<const Node*> ParseUnion(const Json& j, const std::string& path, const std::string& ns,
                                 int depth) {
    Node* node = schema_->NewNode(NodeKind::kUnion);
    for (size_t i = 0; i < j.size(); ++i) {
      FLOE_ASSIGN_OR_RAISE(const Node* branch, ParseType(j[i], path, ns, depth + 1));
      if (branch->kind == NodeKind::kUnion) {
        return Error(path, "union branch ", i, " is itself a union, which Avro forbids");
      }
      node->branches.push_back(branch);
    }
    return node;
  }

  Result<const Node*> ParseObject(const Json& j, const std::string& path, const std::string& ns,
                                  int depth) {
    auto it = j.find("type");
    if (it == j.end()) return Error(path, "type object has no 'type': ", util::Quote(Dump(j)));
    const Json& type = *it;
    // Lenient: {"type": {...}} or {"type": [...]} wraps a type definition.
    if (type.is_object() || type.is_array()) return ParseType(type, path, ns, depth + 1);
    if (!type.is_string()) {
      return Error(path, "'type' must be a string, object or array, got ", util::Quote(Dump(type)));
    }
    const auto& type_name = type.get_ref<const std::string&>();
    if (auto kind = PrimitiveKind(type_name)) {
      Node* node = schema_->NewNode(*kind);
      FLOE_RETURN_NOT_OK(ParseAttributes(node, j, path, {"type"}));
      return node;
    }
    if (type_name == "record" || type_name == "error") return ParseRecord(j, path, ns, depth);
    if (type_name == "enum") return ParseEnum(j, path, ns);
    if (type_name == "fixed") return ParseFixed(j, path, ns);
    if (type_name == "array") {
      Node* node = schema_->NewNode(NodeKind::kArray);
      auto items = j.find("items");
      if (items == j.end()) return Error(path, "array has no 'items'");
      FLOE_ASSIGN_OR_RAISE(node->items,
                           ParseType(*items, JoinPath(path, "element"), ns, depth + 1));
      FLOE_RETURN_NOT_OK(ParseAttributes(node, j, path, {"type", "items"}));
      return node;
    }
    if (type_name == "map") {
      Node* node = schema_->NewNode(NodeKind::kMap);
      auto values = j.find("values");
      if (values == j.end()) return Error(path, "map has no 'values'");
      FLOE_ASSIGN_OR_RAISE(node->values,
                           ParseType(*values, JoinPath(path, "value"), ns, depth + 1));
      FLOE_RETURN_NOT_OK(ParseAttributes(node, j, path, {"type", "values"}));
      return node;
    }
    // {"type": "SomeRecord"}: a reference; other attributes are ignored.
    return Resolve(type_name, path, ns);
  }

  Result<const Node*> ParseRecord(const Json& j, const std::string& path, const std::string& ns,
                                  int depth) {
    Node* node = schema_->NewNode(NodeKind::kRecord);
    // Registered before the fields are parsed, so fields may refer to it.
    FLOE_RETURN_NOT_OK(ParseName(node, j, path, ns));
    auto fields = j.find("fields");
    if (fields == j.end() || !fields->is_array()) {
      return Error(path, "record ", util::Quote(node->FullName()), " needs a 'fields' array");
    }
    FLOE_RETURN_NOT_OK(
        ParseAttributes(node, j, path, {"type", "name", "namespace", "doc", "fields"}));
    std::unordered_set<std::string_view> names;
    node->fields.reserve(fields->size());
    for (size_t i = 0; i < fields->size(); ++i) {
      const Json& f = (*fields)[i];
      if (!f.is_object()) {
        return Error(path, "field ", i, " of record ", util::Quote(node->FullName()),
                     " is not an object");
      }
      auto name = f.find("name");
      if (name == f.end() || !name->is_string() || name->get_ref<const std::string&>().empty()) {
        return Error(path, "field ", i, " of record ", util::Quote(node->FullName()),
                     " has no 'name'");
      }
      Field field;
      field.name = name->get<std::string>();
      std::string field_path = JoinPath(path, field.name);
      auto type = f.find("type");
      if (type == f.end()) return Error(field_path, "has no 'type'");
      FLOE_ASSIGN_OR_RAISE(field.type, ParseType(*type, field_path, node->name_space, depth + 1));
      for (auto attr = f.begin(); attr != f.end(); ++attr) {
        const std::string& key = attr.key();
        if (key == "name" || key == "type") continue;
        if (key == "doc") {
          FLOE_RETURN_NOT_OK(ReadOptionalString(attr.value(), field_path, key, &field.doc));
        } else if (key == "default") {
          field.default_json = Dump(attr.value());
        } else if (key == "field-id") {
          FLOE_RETURN_NOT_OK(ReadInt32(attr.value(), field_path, key, &field.field_id));
        } else {
          field.props.push_back({key, Dump(attr.value())});
        }
      }
      node->fields.push_back(std::move(field));
    }
    // Checked after moving into place: the views point into node->fields.
    for (const Field& field : node->fields) {
      if (!names.insert(field.name).second) {
        return Error(JoinPath(path, field.name), "duplicate field name in record ",
                     util::Quote(node->FullName()));
      }
    }
    return node;
  }

  Result<const Node*> ParseEnum(const Json& j, const std::string& path, const std::string& ns) {
    Node* node = schema_->NewNode(NodeKind::kEnum);
    FLOE_RETURN_NOT_OK(ParseName(node, j, path, ns));
    auto symbols = j.find("symbols");
    if (symbols == j.end() || !symbols->is_array()) {
      return Error(path, "enum ", util::Quote(node->FullName()), " needs a 'symbols' array");
    }
    std::unordered_set<std::string> seen;
    for (const Json& s : *symbols) {
      if (!s.is_string() || s.get_ref<const std::string&>().empty()) {
        return Error(path, "enum ", util::Quote(node->FullName()),
                     " has a symbol that is not a non-empty string: ", util::Quote(Dump(s)));
      }
      if (!seen.insert(s.get<std::string>()).second) {
        return Error(path, "enum ", util::Quote(node->FullName()), " repeats symbol ",
                     util::Quote(s.get<std::string>()));
      }
      node->symbols.push_back(s.get<std::string>());
    }
    if (auto def = j.find("default"); def != j.end()) {
      FLOE_RETURN_NOT_OK(ReadOptionalString(*def, path, "default", &node->enum_default));
    }
    FLOE_RETURN_NOT_OK(
        ParseAttributes(node, j, path, {"type", "name", "namespace", "doc", "symbols", "default"}));
    return node;
  }

  Result<const Node*> ParseFixed(const Json& j, const std::string& path, const std::string& ns) {
    Node* node = schema_->NewNode(NodeKind::kFixed);
    FLOE_RETURN_NOT_OK(ParseName(node, j, path, ns));
    auto size = j.find("size");
    if (size == j.end()) {
      return Error(path, "fixed ", util::Quote(node->FullName()), " has no 'size'");
    }
    std::optional<int32_t> n;
    FLOE_RETURN_NOT_OK(ReadInt32(*size, path, "size", &n));
    if (*n < 0) {
      return Error(path, "fixed ", util::Quote(node->FullName()), " has a negative size ", *n);
    }
    node->fixed_size = *n;
    FLOE_RETURN_NOT_OK(
        ParseAttributes(node, j, path, {"type", "name", "namespace", "doc", "size"}));
    return node;
  }

  // Sets name, namespace and doc of a named type and registers its full name.
  Status ParseName(Node* node, const Json& j, const std::string& path, const std::string& ns) {
    auto name_it = j.find("name");
    if (name_it == j.end() || !name_it->is_string()) {
      return Error(path, NodeKindName(node->kind), " has no 'name'");
    }
    const auto& name = name_it->get_ref<const std::string&>();
    if (auto dot = name.rfind('.'); dot != std::string::npos) {
      // A dotted name is a full name; "namespace" is then ignored (spec).
      node->name_space = name.substr(0, dot);
      node->name = name.substr(dot + 1);
    } else {
      node->name = name;
      node->name_space = ns;
      if (auto ns_it = j.find("namespace"); ns_it != j.end()) {
        if (ns_it->is_string()) {
          node->name_space = ns_it->get<std::string>();
        } else if (ns_it->is_null()) {
          node->name_space.clear();
        } else {
          return Error(path, "'namespace' must be a string, got ", util::Quote(Dump(*ns_it)));
        }
      }
    }
    if (node->name.empty()) {
      return Error(path, NodeKindName(node->kind), " has an empty name: ", util::Quote(name));
    }
    if (PrimitiveKind(node->name) && node->name_space.empty()) {
      return Error(path, "primitive type name ", util::Quote(node->name), " cannot name a ",
                   NodeKindName(node->kind));
    }
    if (auto doc = j.find("doc"); doc != j.end()) {
      FLOE_RETURN_NOT_OK(ReadOptionalString(*doc, path, "doc", &node->doc));
    }
    std::string full = node->FullName();
    if (!named_.emplace(full, node).second) {
      return Error(path, "named type ", util::Quote(full), " is defined twice");
    }
    return Status::OK();
  }

  // Reads the attributes every type object may carry; keys in `consumed`
  // were handled by the caller, unknown keys are kept as props.
  Status ParseAttributes(Node* node, const Json& j, const std::string& path,
                         std::initializer_list<std::string_view> consumed) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& key = it.key();
      bool skip = false;
      for (std::string_view c : consumed) skip = skip || key == c;
      if (skip) continue;
      const Json& v = it.value();
      if (key == "logicalType") {
        FLOE_RETURN_NOT_OK(ReadOptionalString(v, path, key, &node->logical_type));
      } else if (key == "precision") {
        FLOE_RETURN_NOT_OK(ReadInt32(v, path, key, &node->precision));
      } else if (key == "scale") {
        FLOE_RETURN_NOT_OK(ReadInt32(v, path, key, &node->scale));
      } else if (key == "element-id") {
        FLOE_RETURN_NOT_OK(ReadInt32(v, path, key, &node->element_id));
      } else if (key == "key-id") {
        FLOE_RETURN_NOT_OK(ReadInt32(v, path, key, &node->key_id));
      } else if (key == "value-id") {
        FLOE_RETURN_NOT_OK(ReadInt32(v, path, key, &node->value_id));
      } else if (key == "adjust-to-utc") {
        // Java writes a JSON boolean; accept "true"/"false" strings too.
        if (v.is_boolean()) {
          node->adjust_to_utc = v.get<bool>();
        } else if (v.is_string() && (v == "true" || v == "false")) {
          node->adjust_to_utc = v == "true";
        } else {
          return Error(path, "'adjust-to-utc' must be true or false, got ", util::Quote(Dump(v)));
        }
      } else {
        node->props.push_back({key, Dump(v)});
      }
    }
    return Status::OK();
  }

  Result<const Node*> Resolve(const std::string& name, const std::string& path,
                              const std::string& ns) {
    if (name.find('.') == std::string::npos && !ns.empty()) {
      if (auto it = named_.find(ns + "." + name); it != named_.end()) return it->second;
    }
    // A dotted full name, or (like Java) a simple name in the null namespace.
    if (auto it = named_.find(name); it != named_.end()) return it->second;
    return Error(path, "unknown type ", util::Quote(name),
                 " (neither a primitive type nor a named type defined before this point)");
  }

  Schema* schema_;
  std::unordered_map<std::string, const Node*> named_;
};

bool HasAttributes(const Node& n) {
  return n.logical_type || n.precision || n.scale || n.element_id || n.key_id || n.value_id ||
         n.adjust_to_utc || !n.props.empty();
}

class JsonWriter {
 public:
  Json Write(const Node& n, const std::string& ns) {
    if (n.is_named()) {
      if (defined_.count(&n)) return Json(n.name_space == ns ? n.name : n.FullName());
      defined_.insert(&n);
    }
    if (IsPrimitive(n.kind)) {
      if (!HasAttributes(n)) return Json(NodeKindName(n.kind));
      Json obj = Json::object();
      obj["type"] = NodeKindName(n.kind);
      AddAttributes(n, &obj);
      return obj;
    }
    Json obj = Json::object();
    switch (n.kind) {
      case NodeKind::kUnion: {
        Json arr = Json::array();
        for (const Node* b : n.branches) arr.push_back(Write(*b, ns));
        return arr;
      }
      case NodeKind::kRecord: {
        AddName(n, ns, &obj);
        Json fields = Json::array();
        for (const Field& f : n.fields) {
          Json fj = Json::object();
          fj["name"] = f.name;
          fj["type"] = Write(*f.type, n.name_space);
          if (f.doc) fj["doc"] = *f.doc;
          if (f.default_json) fj["default"] = Json::parse(*f.default_json);
          if (f.field_id) fj["field-id"] = *f.field_id;
          for (const Property& p : f.props) fj[p.name] = Json::parse(p.json);
          fields.push_back(std::move(fj));
        }
        obj["fields"] = std::move(fields);
        break;
      }
      case NodeKind::kEnum:
        AddName(n, ns, &obj);
        obj["symbols"] = n.symbols;
        if (n.enum_default) obj["default"] = *n.enum_default;
        break;
      case NodeKind::kFixed:
        AddName(n, ns, &obj);
        obj["size"] = n.fixed_size;
        break;
      case NodeKind::kArray:
        obj["type"] = "array";
        obj["items"] = Write(*n.items, ns);
        break;
      case NodeKind::kMap:
        obj["type"] = "map";
        obj["values"] = Write(*n.values, ns);
        break;
      default:
        break;
    }
    AddAttributes(n, &obj);
    return obj;
  }

 private:
  static void AddName(const Node& n, const std::string& ns, Json* obj) {
    (*obj)["type"] = NodeKindName(n.kind);
    (*obj)["name"] = n.name;
    if (n.name_space != ns) (*obj)["namespace"] = n.name_space;
    if (n.doc) (*obj)["doc"] = *n.doc;
  }

  static void AddAttributes(const Node& n, Json* obj) {
    if (n.logical_type) (*obj)["logicalType"] = *n.logical_type;
    if (n.precision) (*obj)["precision"] = *n.precision;
    if (n.scale) (*obj)["scale"] = *n.scale;
    if (n.element_id) (*obj)["element-id"] = *n.element_id;
    if (n.key_id) (*obj)["key-id"] = *n.key_id;
    if (n.value_id) (*obj)["value-id"] = *n.value_id;
    if (n.adjust_to_utc) (*obj)["adjust-to-utc"] = *n.adjust_to_utc;
    for (const Property& p : n.props) (*obj)[p.name] = Json::parse(p.json);
  }

  std::unordered_set<const Node*> defined_;
};

// The checks of Schema::Finalize.
class Checker {
 public:
  Status Check(const Node* n, const std::string& path, int depth) {
    if (n == nullptr) return Error(path, "null type pointer");
    if (depth > kMaxNestingDepth) {
      return Error(path, "the schema nests deeper than ", kMaxNestingDepth, " levels");
    }
    if (n->is_named()) {
      if (!visited_.insert(n).second) return Status::OK();  // checked already, or a cycle
      if (n->name.empty() || n->name.find('.') != std::string::npos) {
        return Error(path, NodeKindName(n->kind), " has an invalid simple name ",
                     util::Quote(n->name));
      }
      if (PrimitiveKind(n->name) && n->name_space.empty()) {
        return Error(path, "primitive type name ", util::Quote(n->name), " cannot name a ",
                     NodeKindName(n->kind));
      }
      auto [it, inserted] = names_.emplace(n->FullName(), n);
      if (!inserted && it->second != n) {
        return Error(path, "named type ", util::Quote(n->FullName()), " is defined twice");
      }
    }
    for (const Property& p : n->props) FLOE_RETURN_NOT_OK(CheckJson(p.json, path, p.name));
    switch (n->kind) {
      case NodeKind::kRecord: {
        std::unordered_set<std::string_view> names;
        for (const Field& f : n->fields) {
          std::string field_path = JoinPath(path, f.name);
          if (f.name.empty()) return Error(path, "a field of ", util::Quote(n->FullName()),
                                           " has an empty name");
          if (!names.insert(f.name).second) {
            return Error(field_path, "duplicate field name in record ",
                         util::Quote(n->FullName()));
          }
          if (f.default_json) FLOE_RETURN_NOT_OK(CheckJson(*f.default_json, field_path, "default"));
          for (const Property& p : f.props) {
            FLOE_RETURN_NOT_OK(CheckJson(p.json, field_path, p.name));
          }
          FLOE_RETURN_NOT_OK(Check(f.type, field_path, depth + 1));
        }
        return Status::OK();
      }
      case NodeKind::kEnum: {
        std::unordered_set<std::string_view> symbols;
        for (const std::string& s : n->symbols) {
          if (s.empty() || !symbols.insert(s).second) {
            return Error(path, "enum ", util::Quote(n->FullName()),
                         " has an empty or repeated symbol ", util::Quote(s));
          }
        }
        return Status::OK();
      }
      case NodeKind::kFixed:
        if (n->fixed_size < 0) return Error(path, "fixed has a negative size ", n->fixed_size);
        return Status::OK();
      case NodeKind::kArray:
        return Check(n->items, JoinPath(path, "element"), depth + 1);
      case NodeKind::kMap:
        return Check(n->values, JoinPath(path, "value"), depth + 1);
      case NodeKind::kUnion:
        if (HasAttributes(*n)) return Error(path, "a union cannot carry attributes");
        for (size_t i = 0; i < n->branches.size(); ++i) {
          const Node* b = n->branches[i];
          if (b != nullptr && b->kind == NodeKind::kUnion) {
            return Error(path, "union branch ", i, " is itself a union, which Avro forbids");
          }
          FLOE_RETURN_NOT_OK(Check(b, path, depth + 1));
        }
        return Status::OK();
      default:
        return Status::OK();
    }
  }

 private:
  static Status CheckJson(const std::string& text, const std::string& path, std::string_view key) {
    if (!Json::accept(text)) {
      return Error(path, "'", key, "' is not valid JSON: ", util::Quote(text));
    }
    return Status::OK();
  }

  std::unordered_set<const Node*> visited_;
  std::unordered_map<std::string, const Node*> names_;
};

// Memoized over the graph; a type reached again while being computed (a
// record that contains itself without a union) cannot be encoded finitely
// and counts as not zero-size.
class ZeroSizeComputer {
 public:
  bool Compute(const Node* n) {
    if (auto it = memo_.find(n); it != memo_.end()) return it->second;
    memo_[n] = false;
    bool zero = false;
    switch (n->kind) {
      case NodeKind::kNull:
        zero = true;
        break;
      case NodeKind::kFixed:
        zero = n->fixed_size == 0;
        break;
      case NodeKind::kRecord:
        zero = true;
        // Every field is visited so that every reachable node gets a value.
        for (const Field& f : n->fields) zero = Compute(f.type) && zero;
        break;
      case NodeKind::kArray:
        Compute(n->items);
        break;
      case NodeKind::kMap:
        Compute(n->values);
        break;
      case NodeKind::kUnion:
        for (const Node* b : n->branches) Compute(b);
        break;
      default:
        break;
    }
    memo_[n] = zero;
    return zero;
  }
  const std::unordered_map<const Node*, bool>& memo() const { return memo_; }

 private:
  std::unordered_map<const Node*, bool> memo_;
};

class EqualityChecker {
 public:
  bool Equal(const Node& a, const Node& b, int depth) {
    if (depth > 2 * kMaxNestingDepth) return false;
    if (a.kind != b.kind) return false;
    if (a.is_named() && !assumed_.insert({&a, &b}).second) return true;
    if (a.name != b.name || a.name_space != b.name_space || a.doc != b.doc ||
        a.symbols != b.symbols || a.enum_default != b.enum_default ||
        a.fixed_size != b.fixed_size || a.logical_type != b.logical_type ||
        a.precision != b.precision || a.scale != b.scale || a.element_id != b.element_id ||
        a.key_id != b.key_id || a.value_id != b.value_id || a.adjust_to_utc != b.adjust_to_utc ||
        a.props != b.props) {
      return false;
    }
    switch (a.kind) {
      case NodeKind::kRecord:
        if (a.fields.size() != b.fields.size()) return false;
        for (size_t i = 0; i < a.fields.size(); ++i) {
          const Field& fa = a.fields[i];
          const Field& fb = b.fields[i];
          if (fa.name != fb.name || fa.field_id != fb.field_id ||
              fa.default_json != fb.default_json || fa.doc != fb.doc || fa.props != fb.props ||
              !Equal(*fa.type, *fb.type, depth + 1)) {
            return false;
          }
        }
        return true;
      case NodeKind::kArray:
        return Equal(*a.items, *b.items, depth + 1);
      case NodeKind::kMap:
        return Equal(*a.values, *b.values, depth + 1);
      case NodeKind::kUnion:
        if (a.branches.size() != b.branches.size()) return false;
        for (size_t i = 0; i < a.branches.size(); ++i) {
          if (!Equal(*a.branches[i], *b.branches[i], depth + 1)) return false;
        }
        return true;
      default:
        return true;
    }
  }

 private:
  std::set<std::pair<const Node*, const Node*>> assumed_;
};

}  // namespace

std::string_view NodeKindName(NodeKind kind) {
  switch (kind) {
    case NodeKind::kNull: return "null";
    case NodeKind::kBoolean: return "boolean";
    case NodeKind::kInt: return "int";
    case NodeKind::kLong: return "long";
    case NodeKind::kFloat: return "float";
    case NodeKind::kDouble: return "double";
    case NodeKind::kBytes: return "bytes";
    case NodeKind::kString: return "string";
    case NodeKind::kRecord: return "record";
    case NodeKind::kEnum: return "enum";
    case NodeKind::kArray: return "array";
    case NodeKind::kMap: return "map";
    case NodeKind::kUnion: return "union";
    case NodeKind::kFixed: return "fixed";
  }
  return "unknown";
}

std::string Node::FullName() const {
  return name_space.empty() ? name : name_space + "." + name;
}

int NullBranchIndex(const Node& union_node) {
  for (size_t i = 0; i < union_node.branches.size(); ++i) {
    if (union_node.branches[i]->kind == NodeKind::kNull) return static_cast<int>(i);
  }
  return -1;
}

const Node* NonNullBranch(const Node& union_node) {
  if (union_node.kind != NodeKind::kUnion || union_node.branches.size() != 2) return nullptr;
  const Node* a = union_node.branches[0];
  const Node* b = union_node.branches[1];
  if (a->kind == NodeKind::kNull && b->kind != NodeKind::kNull) return b;
  if (b->kind == NodeKind::kNull && a->kind != NodeKind::kNull) return a;
  return nullptr;
}

bool SchemaEquals(const Node& a, const Node& b) { return EqualityChecker().Equal(a, b, 0); }

Schema::Schema() {
  Node* null = NewNode(NodeKind::kNull);
  null->zero_size = true;
  root_ = null;
}
Schema::Schema(Schema&&) noexcept = default;
Schema& Schema::operator=(Schema&&) noexcept = default;
Schema::~Schema() = default;

Node* Schema::NewNode(NodeKind kind) {
  nodes_.push_back(std::make_unique<Node>());
  nodes_.back()->kind = kind;
  return nodes_.back().get();
}

Result<Schema> Schema::Parse(std::string_view text) {
  if (JsonNestsDeeperThan(text, kMaxJsonDepth)) {
    return Status::Invalid("schema JSON nests deeper than ", kMaxJsonDepth, " levels");
  }
  Schema schema;
  try {
    Json j = Json::parse(text.begin(), text.end());
    Parser parser(&schema);
    FLOE_ASSIGN_OR_RAISE(schema.root_, parser.ParseType(j, "", "", 0));
  } catch (const Json::exception& e) {
    return Status::Invalid("schema JSON is malformed: ", e.what());
  }
  FLOE_RETURN_NOT_OK(schema.Finalize());
  return schema;
}

std::string Schema::ToJson() const { return Dump(JsonWriter().Write(*root_, "")); }

Status Schema::Finalize() {
  FLOE_RETURN_NOT_OK(Checker().Check(root_, "", 0));
  ZeroSizeComputer zero;
  zero.Compute(root_);
  for (auto& node : nodes_) {
    auto it = zero.memo().find(node.get());
    node->zero_size = it != zero.memo().end() && it->second;
  }
  return Status::OK();
}

}  // namespace floe::avro
