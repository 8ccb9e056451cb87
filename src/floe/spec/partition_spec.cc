#include "floe/spec/partition_spec.h"

#include <unordered_set>

#include "floe/util/strings.h"

namespace floe::spec {

bool PartitionSpec::IsUnpartitioned() const {
  for (const PartitionField& f : fields_) {
    if (f.transform.kind() != TransformKind::kVoid) return false;
  }
  return true;
}

Result<TypePtr> PartitionSpec::PartitionType(const Schema& schema, bool lenient) const {
  std::vector<NestedField> out;
  out.reserve(fields_.size());
  for (const PartitionField& f : fields_) {
    const NestedField* source = schema.FindField(f.source_id);
    TypePtr result;
    if (f.transform.kind() == TransformKind::kUnknown) {
      if (!lenient) {
        return Status::NotSupported("partition field '", f.name, "' uses unknown transform '",
                                    f.transform.ToString(), "'");
      }
      result = Type::String();
    } else if (source == nullptr) {
      if (!lenient && f.transform.kind() != TransformKind::kVoid) {
        return Status::Invalid("partition field '", f.name, "' has source id ", f.source_id,
                               ", which is not in schema ", schema.schema_id());
      }
      // The source column was dropped: the transform still fixes the result
      // type, except for identity/truncate/void, whose values are read as text.
      switch (f.transform.kind()) {
        case TransformKind::kBucket:
        case TransformKind::kYear:
        case TransformKind::kMonth:
        case TransformKind::kHour: result = Type::Int(); break;
        case TransformKind::kDay: result = Type::Date(); break;
        default: result = Type::String(); break;
      }
    } else {
      auto r = f.transform.ResultType(source->type);
      if (!r.ok()) {
        return r.status().WithContext("partition field '" + f.name + "'");
      }
      result = *r;
    }
    out.push_back(NestedField{f.field_id, f.name, false, std::move(result)});
  }
  return Type::Struct(std::move(out));
}

std::string PartitionSpec::PartitionPath(const std::vector<Literal>& values,
                                         const Type& partition_type) const {
  std::string path;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (i) path += '/';
    const PartitionField& f = fields_[i];
    path += util::UrlEncode(f.name);
    path += '=';
    path += util::UrlEncode(
        f.transform.ToHumanString(values[i], *partition_type.fields()[i].type));
  }
  return path;
}

Status PartitionSpec::Validate(const Schema& schema) const {
  std::unordered_set<std::string> names;
  std::unordered_set<int32_t> ids;
  for (const PartitionField& f : fields_) {
    if (f.name.empty()) {
      return Status::Invalid("partition spec ", spec_id_, ": field ", f.field_id,
                             " has an empty name");
    }
    if (!names.insert(f.name).second) {
      return Status::Invalid("partition spec ", spec_id_, ": duplicate partition field name '",
                             f.name, "'");
    }
    if (!ids.insert(f.field_id).second) {
      return Status::Invalid("partition spec ", spec_id_, ": duplicate partition field id ",
                             f.field_id);
    }
    if (f.field_id < kFirstPartitionFieldId) {
      return Status::Invalid("partition spec ", spec_id_, ": field '", f.name, "' has id ",
                             f.field_id, "; partition field ids start at 1000");
    }
    if (f.transform.kind() == TransformKind::kUnknown) {
      return Status::NotSupported("partition field '", f.name, "' uses unknown transform '",
                                  f.transform.ToString(), "'; Floe cannot write with it");
    }
    const NestedField* source = schema.FindField(f.source_id);
    if (source == nullptr) {
      if (f.transform.kind() == TransformKind::kVoid) continue;
      return Status::Invalid("partition field '", f.name, "': source column id ", f.source_id,
                             " is not in the schema");
    }
    std::string source_name = schema.FindColumnName(f.source_id).value_or("?");
    if (!source->type->is_primitive()) {
      return Status::Invalid("partition field '", f.name, "': source column '", source_name,
                             "' is a ", source->type->ToString(), ", not a primitive");
    }
    for (auto p = schema.FindParentId(f.source_id); p; p = schema.FindParentId(*p)) {
      if (schema.FindField(*p)->type->id() != TypeId::kStruct) {
        return Status::Invalid("partition field '", f.name, "': source column '", source_name,
                               "' is inside a list or map");
      }
    }
    if (!f.transform.CanTransform(*source->type)) {
      return Status::Invalid("partition field '", f.name, "': transform ",
                             f.transform.ToString(), " cannot be applied to column '",
                             source_name, "' of type ", source->type->ToString());
    }
    // A partition name may equal a column name only for identity of that column.
    const NestedField* same_name = schema.FindFieldByName(f.name);
    if (same_name && !(f.transform.kind() == TransformKind::kIdentity &&
                       same_name->id == f.source_id)) {
      if (f.transform.kind() != TransformKind::kVoid) {
        return Status::Invalid("partition field name '", f.name,
                               "' clashes with a schema column; choose another name");
      }
    }
  }
  return Status::OK();
}

bool PartitionSpec::EquivalentTo(const PartitionSpec& other) const {
  if (fields_.size() != other.fields_.size()) return false;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].source_ids != other.fields_[i].source_ids ||
        fields_[i].source_id != other.fields_[i].source_id ||
        !(fields_[i].transform == other.fields_[i].transform))
      return false;
  }
  return true;
}

int32_t PartitionSpec::LastAssignedFieldId() const {
  int32_t last = kUnpartitionedLastAssignedId;
  for (const PartitionField& f : fields_) last = std::max(last, f.field_id);
  return last;
}

std::string PartitionSpec::ToString(const Schema* schema) const {
  std::string out = "[";
  for (size_t i = 0; i < fields_.size(); ++i) {
    const PartitionField& f = fields_[i];
    if (i) out += ", ";
    std::string source = std::to_string(f.source_id);
    if (schema) source = schema->FindColumnName(f.source_id).value_or(source);
    out += f.transform.ToString() + "(" + source + ") as " + f.name;
  }
  return out + "]";
}

std::string DefaultPartitionFieldName(const std::string& source_name, const Transform& t) {
  switch (t.kind()) {
    case TransformKind::kIdentity: return source_name;
    case TransformKind::kBucket: return source_name + "_bucket";
    case TransformKind::kTruncate: return source_name + "_trunc";
    case TransformKind::kYear: return source_name + "_year";
    case TransformKind::kMonth: return source_name + "_month";
    case TransformKind::kDay: return source_name + "_day";
    case TransformKind::kHour: return source_name + "_hour";
    case TransformKind::kVoid: return source_name + "_null";
    case TransformKind::kUnknown: return source_name + "_" + t.ToString();
  }
  return source_name;
}

}  // namespace floe::spec
