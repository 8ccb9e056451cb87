#include "floe/spec/sort_order.h"

namespace floe::spec {

Status SortOrder::Validate(const Schema& schema) const {
  if (order_id == 0 && !fields.empty()) {
    return Status::Invalid("sort order id 0 is reserved for the unsorted order");
  }
  for (const SortField& f : fields) {
    if (f.transform.kind() == TransformKind::kUnknown) {
      return Status::NotSupported("sort order ", order_id, " uses unknown transform '",
                                  f.transform.ToString(), "'");
    }
    const NestedField* source = schema.FindField(f.source_id);
    if (source == nullptr) {
      return Status::Invalid("sort order ", order_id, ": source column id ", f.source_id,
                             " is not in the schema");
    }
    if (!f.transform.CanTransform(*source->type)) {
      return Status::Invalid("sort order ", order_id, ": transform ", f.transform.ToString(),
                             " cannot be applied to column '",
                             schema.FindColumnName(f.source_id).value_or("?"), "' of type ",
                             source->type->ToString());
    }
  }
  return Status::OK();
}

std::string SortOrder::ToString(const Schema* schema) const {
  if (fields.empty()) return "unsorted";
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    const SortField& f = fields[i];
    if (i) out += ", ";
    std::string source = std::to_string(f.source_id);
    if (schema) source = schema->FindColumnName(f.source_id).value_or(source);
    out += f.transform.kind() == TransformKind::kIdentity
               ? source
               : f.transform.ToString() + "(" + source + ")";
    out += f.direction == SortDirection::kAsc ? " asc" : " desc";
    out += f.null_order == NullOrder::kNullsFirst ? " nulls first" : " nulls last";
  }
  return out;
}

}  // namespace floe::spec
