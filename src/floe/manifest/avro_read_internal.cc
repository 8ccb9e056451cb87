#include "floe/manifest/avro_read_internal.h"

namespace floe::manifest::internal {

ValueType Resolve(const avro::Node* node) {
  ValueType v{node, node, false};
  if (node->kind == avro::NodeKind::kUnion) {
    v.nullable = avro::NullBranchIndex(*node) >= 0;
    if (const avro::Node* nn = avro::NonNullBranch(*node)) v.value = nn;
  }
  return v;
}

bool IsIntegral(const avro::Node* node) {
  return node->kind == avro::NodeKind::kInt || node->kind == avro::NodeKind::kLong;
}

bool IsBytesLike(const avro::Node* node) {
  return node->kind == avro::NodeKind::kBytes || node->kind == avro::NodeKind::kString;
}

Status WrongType(std::string_view file, std::string_view path, int id, const avro::Node* node,
                 std::string_view expected) {
  return Status::Invalid(file, ": field '", path, "' (id ", id, ") has Avro type ",
                         avro::NodeKindName(node->kind), "; expected ", expected);
}

int FindFieldById(const avro::Node& record, int32_t id) {
  for (size_t i = 0; i < record.fields.size(); ++i) {
    if (record.fields[i].field_id == id) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace floe::manifest::internal
