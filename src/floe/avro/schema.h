// Avro schemas (Avro 1.11 specification, "Schema Declaration"): parsed from,
// and serialized to, the JSON text kept in an object container file's header.
//
// A Schema owns a graph of Nodes. A named type (record, enum, fixed) is
// defined once and may be referenced by name later in the JSON; every
// reference points at the same Node, so the graph is a DAG, or has cycles
// for recursive records. Nodes are plain structs meant to be walked directly
// by decoders: switch on `kind`, then read the members that kind uses.
//
// Iceberg's attributes (spec App. A) are first-class members: `field-id` on
// record fields, `element-id` on arrays, `key-id`/`value-id` on maps,
// `adjust-to-utc` and `logicalType` with `precision`/`scale`. Attributes
// the model does not know are kept as JSON text so that a schema survives a
// parse/serialize round trip.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "floe/result.h"

namespace floe::avro {

enum class NodeKind : uint8_t {
  kNull,
  kBoolean,
  kInt,
  kLong,
  kFloat,
  kDouble,
  kBytes,
  kString,
  kRecord,
  kEnum,
  kArray,
  kMap,
  kUnion,
  kFixed,
};

// The Avro type name: "null", "boolean", ..., "record", "union", "fixed".
std::string_view NodeKindName(NodeKind kind);

// How deep records, arrays, maps and unions may nest, in a schema and in
// decoded data (recursive records). Deeper input is rejected rather than
// risking the stack; real Iceberg manifests nest about 5 levels.
inline constexpr int kMaxNestingDepth = 128;

struct Node;

// An attribute the model does not interpret (e.g. "aliases", "order"), kept
// so that it is written back: its name and its value as JSON text.
struct Property {
  std::string name;
  std::string json;
  bool operator==(const Property&) const = default;
};

// A record field.
struct Field {
  std::string name;
  const Node* type = nullptr;
  std::optional<int32_t> field_id;          // "field-id" (Iceberg)
  std::optional<std::string> default_json;  // "default", as JSON text, e.g. "null"
  std::optional<std::string> doc;
  std::vector<Property> props;              // other attributes, in input order
};

struct Node {
  NodeKind kind = NodeKind::kNull;

  // record, enum, fixed: the simple name (no dots) and the namespace it
  // lives in ("" = the null namespace). FullName() joins them.
  std::string name;
  std::string name_space;
  std::optional<std::string> doc;  // record, enum

  std::vector<Field> fields;                // record
  std::vector<std::string> symbols;         // enum
  std::optional<std::string> enum_default;  // enum: "default" symbol
  const Node* items = nullptr;              // array: the element type
  const Node* values = nullptr;             // map: the value type (keys are strings)
  std::vector<const Node*> branches;        // union
  int32_t fixed_size = 0;                   // fixed: "size" in bytes

  // Attributes that may appear on any type object.
  std::optional<std::string> logical_type;  // "logicalType"
  std::optional<int32_t> precision;         // decimal
  std::optional<int32_t> scale;             // decimal
  std::optional<int32_t> element_id;        // array "element-id" (Iceberg)
  std::optional<int32_t> key_id;            // map "key-id" (Iceberg)
  std::optional<int32_t> value_id;          // map "value-id" (Iceberg)
  std::optional<bool> adjust_to_utc;        // "adjust-to-utc" (Iceberg timestamps)
  std::vector<Property> props;              // other attributes, in input order

  // Derived by Schema::Finalize (which Parse calls): true if every value of
  // this type encodes to zero bytes (null, fixed(0), records made only of
  // those). Any other type takes at least one byte per value, which lets
  // decoders bound item counts by the bytes left and skip zero-size values
  // in O(1). False until computed, which is always safe.
  bool zero_size = false;

  bool is_named() const {
    return kind == NodeKind::kRecord || kind == NodeKind::kEnum || kind == NodeKind::kFixed;
  }
  // "namespace.name", or "name" in the null namespace.
  std::string FullName() const;
};

// For a two-branch union with one "null" branch (Iceberg's optional values,
// either order): the other branch; else nullptr.
const Node* NonNullBranch(const Node& union_node);
// Index of the first "null" branch of a union, or -1.
int NullBranchIndex(const Node& union_node);

// Structural equality: kinds, names, namespaces, fields (with ids, defaults,
// docs, props), symbols, sizes and all attributes. Named types reached twice
// are compared once, so recursive schemas compare fine.
bool SchemaEquals(const Node& a, const Node& b);

class Schema {
 public:
  // A schema whose root is "null".
  Schema();
  Schema(Schema&&) noexcept;
  Schema& operator=(Schema&&) noexcept;
  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;
  ~Schema();

  // Parses Avro schema JSON. Returns Invalid on malformed JSON, JSON nested
  // deeper than the limit, or a schema error; the message names where, e.g.
  // "field 'data_file.partition': unknown type 'foo'".
  static Result<Schema> Parse(std::string_view json);

  const Node& root() const { return *root_; }

  // Serializes to compact JSON. Each named type is defined in full at its
  // first occurrence (depth first) and referenced by name after; a namespace
  // is written only where it differs from the enclosing one.
  // REQUIRES: Finalize().ok() (always true for a parsed schema).
  // Parse(ToJson()) is SchemaEquals to this schema.
  std::string ToJson() const;

  // Building a schema in code: NewNode returns a node owned by this schema
  // (its address is stable, also across moves of the Schema); fill in its
  // members, link nodes through their pointers, set the root, then call
  // Finalize before handing the schema to anything else.
  Node* NewNode(NodeKind kind);
  // REQUIRES: `root` came from NewNode of this schema.
  void set_root(const Node* root) { root_ = root; }

  // Checks the nodes reachable from the root against the rules Parse
  // enforces (no null child pointers; named types named, not named after a
  // primitive, and defined once per full name; unique field names and enum
  // symbols; no union directly inside a union; no attributes on a union;
  // valid JSON in defaults and props; nesting within kMaxNestingDepth) and
  // computes the derived Node::zero_size. Returns Invalid naming the
  // offending field. Parse calls it; idempotent.
  Status Finalize();

 private:
  std::vector<std::unique_ptr<Node>> nodes_;
  const Node* root_ = nullptr;
};

}  // namespace floe::avro
