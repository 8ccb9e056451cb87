// Helpers shared by the manifest and manifest-list readers: resolving
// optional unions and checking Avro kinds when a read plan is compiled.
#pragma once

#include <string>

#include "floe/avro/decoder.h"
#include "floe/avro/schema.h"
#include "floe/result.h"

namespace floe::manifest::internal {

// A field's writer type split into "union or not" and the value type.
struct ValueType {
  const avro::Node* node = nullptr;   // the field's type as written
  const avro::Node* value = nullptr;  // the non-null branch of ["null", T], else `node`
  bool nullable = false;
};

ValueType Resolve(const avro::Node* node);

// Reads the union branch (if any) and returns the value node to decode, or
// nullptr when the value is null.
inline const avro::Node* ReadBranch(avro::Decoder& d, const avro::Node* node) {
  if (node->kind != avro::NodeKind::kUnion) return node;
  size_t i = d.ReadUnionIndex(node->branches.size());
  const avro::Node* branch = node->branches[i];
  return branch->kind == avro::NodeKind::kNull ? nullptr : branch;
}

// Reads an int or long value (the plan checked the kind).
inline int64_t ReadIntegral(avro::Decoder& d, const avro::Node* node) {
  return node->kind == avro::NodeKind::kInt ? d.ReadInt() : d.ReadLong();
}

bool IsIntegral(const avro::Node* node);
bool IsBytesLike(const avro::Node* node);  // bytes or string

// "Invalid: <file>: field '<path>' (id N) has Avro type X; expected Y".
Status WrongType(std::string_view file, std::string_view path, int id, const avro::Node* node,
                 std::string_view expected);

// A field id -> field index map for a record node.
int FindFieldById(const avro::Node& record, int32_t id);

}  // namespace floe::manifest::internal
