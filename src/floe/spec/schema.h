// Schema: a struct type with a schema id and identifier fields (spec
// §Schemas). Immutable; copies share the field tree and the lookup index.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "floe/result.h"
#include "floe/spec/type.h"

namespace floe::spec {

class Schema {
 public:
  Schema();  // schema id 0, no fields
  Schema(int32_t schema_id, std::vector<NestedField> fields,
         std::vector<int32_t> identifier_field_ids = {});

  int32_t schema_id() const { return schema_id_; }
  const std::vector<NestedField>& fields() const { return struct_->fields(); }
  const TypePtr& as_struct() const { return struct_; }
  const std::vector<int32_t>& identifier_field_ids() const { return identifier_field_ids_; }

  // The field with `id` anywhere in the tree (struct fields, list elements,
  // map keys and values); nullptr if absent.
  const NestedField* FindField(int32_t id) const;

  // Looks up a dotted name: "payload.source", "tags.element" or "tags" for a
  // list's element, "attrs.key"/"attrs.value". Names in a struct inside a list
  // may skip "element" ("points.x"). With case_sensitive=false, names that
  // differ only by case are ambiguous and return nullptr.
  const NestedField* FindFieldByName(std::string_view name, bool case_sensitive = true) const;

  // The full dotted name of field `id` ("payload.source"); nullopt if absent.
  std::optional<std::string> FindColumnName(int32_t id) const;

  // The id of the struct/list/map field that contains `id`, or nullopt for a
  // top-level field (or an unknown id).
  std::optional<int32_t> FindParentId(int32_t id) const;

  // The highest field id in the tree (0 for an empty schema).
  int32_t HighestFieldId() const;

  // Checks the schema for a table of `format_version`: unique field ids,
  // no reserved ids, v3-only types only in v3, unique names within a struct,
  // identifier fields that exist and are allowed (§Identifier Field IDs).
  Status Validate(int format_version) const;

  // Same fields and identifier fields; the schema id is ignored.
  bool SameStructure(const Schema& other) const;
  bool operator==(const Schema& other) const;

  // Returns a copy with another schema id.
  Schema WithSchemaId(int32_t schema_id) const;

  // "1: event_id: required string\n2: ..." for messages and `floe describe`.
  std::string ToString() const;

 private:
  struct Index;
  int32_t schema_id_ = 0;
  TypePtr struct_;
  std::vector<int32_t> identifier_field_ids_;
  std::shared_ptr<const Index> index_;
};

}  // namespace floe::spec
