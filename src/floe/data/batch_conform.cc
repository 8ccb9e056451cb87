#include "floe/data/batch_conform.h"

#include <arrow/api.h>
#include <arrow/compute/cast.h>
#include <arrow/extension_type.h>
#include <arrow/util/bitmap_ops.h>

#include <unordered_map>

#include "floe/data/arrow_internal.h"
#include "floe/data/arrow_literal.h"
#include "floe/data/arrow_schema.h"
#include "floe/util/strings.h"

namespace floe::data {

using internal::FromArrow;
using spec::NestedField;
using spec::Type;
using spec::TypeId;

namespace {

using ArrayPtr = std::shared_ptr<arrow::Array>;

std::string Join(const std::string& parent, const std::string& name) {
  return parent.empty() ? name : parent + "." + name;
}

// For each of `fields`, the index of the input field with its name (-1 if
// none): exact names first, then a unique case-insensitive match. Input
// fields left over are an error.
Result<std::vector<int>> MatchByName(const std::vector<NestedField>& fields,
                                     const arrow::FieldVector& inputs, const std::string& parent) {
  std::unordered_map<std::string, int> exact;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!exact.emplace(inputs[i]->name(), static_cast<int>(i)).second) {
      return Status::Invalid("the input has two columns named '",
                             Join(parent, inputs[i]->name()), "'; rename or drop one");
    }
  }
  std::vector<int> match(fields.size(), -1);
  std::vector<bool> used(inputs.size(), false);
  for (size_t f = 0; f < fields.size(); ++f) {
    auto it = exact.find(fields[f].name);
    if (it != exact.end()) {
      match[f] = it->second;
      used[static_cast<size_t>(it->second)] = true;
    }
  }
  for (size_t f = 0; f < fields.size(); ++f) {
    if (match[f] >= 0) continue;
    std::vector<int> candidates;
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (!used[i] && util::EqualsIgnoreCase(inputs[i]->name(), fields[f].name)) {
        candidates.push_back(static_cast<int>(i));
      }
    }
    if (candidates.size() > 1) {
      return Status::Invalid("column '", Join(parent, fields[f].name), "' matches both '",
                             inputs[static_cast<size_t>(candidates[0])]->name(), "' and '",
                             inputs[static_cast<size_t>(candidates[1])]->name(),
                             "' of the input when case is ignored; rename one");
    }
    if (candidates.size() == 1) {
      match[f] = candidates[0];
      used[static_cast<size_t>(candidates[0])] = true;
    }
  }
  std::vector<std::string> extra;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!used[i]) extra.push_back("'" + Join(parent, inputs[i]->name()) + "'");
  }
  if (extra.size() == 1) {
    return Status::Invalid("column ", extra[0],
                           " is not in the table schema (add the column to the table first, "
                           "or drop it from the input)");
  }
  if (!extra.empty()) {
    return Status::Invalid("columns ", util::Join(extra, ", "),
                           " are not in the table schema (add the columns to the table first, "
                           "or drop them from the input)");
  }
  return match;
}

bool IsSignedInteger(arrow::Type::type id) {
  return id == arrow::Type::INT8 || id == arrow::Type::INT16 || id == arrow::Type::INT32 ||
         id == arrow::Type::INT64;
}
bool IsUnsignedInteger(arrow::Type::type id) {
  return id == arrow::Type::UINT8 || id == arrow::Type::UINT16 || id == arrow::Type::UINT32 ||
         id == arrow::Type::UINT64;
}
bool IsInteger(arrow::Type::type id) { return IsSignedInteger(id) || IsUnsignedInteger(id); }
// Integer types whose every value a float (24-bit mantissa) or a double
// (53-bit) holds exactly.
bool ExactInFloat(arrow::Type::type id) {
  return id == arrow::Type::INT8 || id == arrow::Type::INT16 || id == arrow::Type::UINT8 ||
         id == arrow::Type::UINT16;
}
bool ExactInDouble(arrow::Type::type id) {
  return ExactInFloat(id) || id == arrow::Type::INT32 || id == arrow::Type::UINT32;
}

// The first value of an int64/uint64 array beyond +-2^53, if any.
std::optional<std::string> FirstInexactInDouble(const arrow::Array& a) {
  constexpr uint64_t kLimit = uint64_t{1} << 53;
  for (int64_t i = 0; i < a.length(); ++i) {
    if (a.IsNull(i)) continue;
    if (a.type_id() == arrow::Type::INT64) {
      const int64_t v = static_cast<const arrow::Int64Array&>(a).Value(i);
      const uint64_t mag = v < 0 ? uint64_t(0) - static_cast<uint64_t>(v) : uint64_t(v);
      if (mag > kLimit) return std::to_string(v);
    } else {
      const uint64_t v = static_cast<const arrow::UInt64Array&>(a).Value(i);
      if (v > kLimit) return std::to_string(v);
    }
  }
  return std::nullopt;
}

// A required field's values hidden under a null parent may be null in Arrow,
// but the Parquet writer refuses nulls in a non-nullable column: since the
// callers have rejected nulls under valid parents, clear the validity of
// `field` (when required) and of its required struct descendants.
ArrayPtr ClearHiddenNulls(const ArrayPtr& array, const arrow::Field& field) {
  std::shared_ptr<arrow::ArrayData> data = array->data()->Copy();
  if (!field.nullable() && data->null_count != 0) {
    data->buffers[0] = nullptr;
    data->null_count = 0;
  }
  if (field.type()->id() == arrow::Type::STRUCT) {
    for (int i = 0; i < field.type()->num_fields(); ++i) {
      data->child_data[static_cast<size_t>(i)] =
          ClearHiddenNulls(arrow::MakeArray(data->child_data[static_cast<size_t>(i)]),
                           *field.type()->field(i))
              ->data();
    }
  }
  return arrow::MakeArray(data);
}

// An all-null array of an optional field whose struct type may have required
// children (which hold placeholder values under the null parents).
Result<ArrayPtr> NullArray(const std::shared_ptr<arrow::DataType>& type, int64_t length,
                           const std::string& path) {
  FLOE_ASSIGN_OR_RAISE(auto nulls, FromArrow(arrow::MakeArrayOfNull(type, length), path));
  if (type->id() != arrow::Type::STRUCT) return nulls;
  std::shared_ptr<arrow::ArrayData> data = nulls->data()->Copy();
  for (int i = 0; i < type->num_fields(); ++i) {
    data->child_data[static_cast<size_t>(i)] =
        ClearHiddenNulls(arrow::MakeArray(data->child_data[static_cast<size_t>(i)]),
                         *type->field(i))
            ->data();
  }
  return arrow::MakeArray(data);
}

class Conformer {
 public:
  // `in` is the input array for `field` (nullptr: the input lacks it).
  Result<ArrayPtr> Conform(ArrayPtr in, const NestedField& field, const std::string& path,
                           int64_t length) {
    FLOE_ASSIGN_OR_RAISE(auto target, ToArrowField(field));
    if (in == nullptr) return Missing(field, target->type(), path, length);
    const Type& t = *field.type;
    if (in->type_id() == arrow::Type::DICTIONARY) {
      const auto& dict = static_cast<const arrow::DictionaryType&>(*in->type());
      FLOE_ASSIGN_OR_RAISE(in, Cast(in, dict.value_type(), field, path));
    }
    if (in->type_id() == arrow::Type::NA || t.id() == TypeId::kUnknown) {
      if (in->null_count() < in->length()) {
        return Status::Invalid("column '", path,
                               "' has type unknown, which can only hold nulls; drop it or "
                               "change its type in the table");
      }
      if (field.required && in->length() > 0) return RequiredNulls(path, in->length());
      return NullArray(target->type(), in->length(), path);
    }
    switch (t.id()) {
      case TypeId::kStruct: return ConformStruct(in, field, target->type(), path);
      case TypeId::kList: return ConformList(in, field, target->type(), path);
      case TypeId::kMap: return ConformMap(in, field, target->type(), path);
      default: return ConformPrimitive(in, field, target->type(), path);
    }
  }

  static Status RequiredNulls(const std::string& path, int64_t count) {
    return Status::Invalid("column '", path, "' is required but has ", count, " null values");
  }

 private:
  static Status CannotWrite(const arrow::DataType& from, const Type& to, const std::string& path,
                            std::string_view why = {}) {
    return Status::Invalid("column '", path, "': cannot write ", from.ToString(), " into ",
                           to.ToString(), why.empty() ? "" : ": ", why);
  }

  Result<ArrayPtr> Missing(const NestedField& f, const std::shared_ptr<arrow::DataType>& type,
                           const std::string& path, int64_t length) {
    if (f.write_default && *f.write_default != "null") {
      if (f.type->id() == TypeId::kStruct) {
        // A struct's write-default is {}: its fields take their own defaults.
        std::vector<ArrayPtr> children;
        for (const NestedField& c : f.type->fields()) {
          FLOE_ASSIGN_OR_RAISE(auto child, Conform(nullptr, c, Join(path, c.name), length));
          children.push_back(std::move(child));
        }
        FLOE_ASSIGN_OR_RAISE(auto out,
                             FromArrow(arrow::StructArray::Make(children, type->fields()), path));
        return std::static_pointer_cast<arrow::Array>(out);
      }
      auto literal = spec::LiteralFromJson(*f.write_default, *f.type);
      if (!literal.ok()) return literal.status().WithContext("write-default of '" + path + "'");
      FLOE_ASSIGN_OR_RAISE(auto scalar, ToArrowScalar(*literal, *f.type));
      return FromArrow(arrow::MakeArrayFromScalar(*scalar, length), path);
    }
    if (f.required) {
      return Status::Invalid("missing required column '", path, "' (", f.type->ToString(),
                             ", field id ", f.id, ")");
    }
    return NullArray(type, length, path);
  }

  Result<ArrayPtr> Cast(const ArrayPtr& in, const std::shared_ptr<arrow::DataType>& to,
                        const NestedField& field, const std::string& path) {
    auto r = arrow::compute::Cast(arrow::Datum(in), to, arrow::compute::CastOptions::Safe());
    if (!r.ok()) return CannotWrite(*in->type(), *field.type, path, r.status().message());
    return r->make_array();
  }

  Result<ArrayPtr> ConformPrimitive(const ArrayPtr& in, const NestedField& field,
                                    const std::shared_ptr<arrow::DataType>& to,
                                    const std::string& path) {
    const Type& t = *field.type;
    const arrow::DataType& from = *in->type();
    const arrow::Type::type id = from.id();
    if (from.Equals(*to, /*check_metadata=*/false)) return in;
    bool ok = false;
    switch (t.id()) {
      case TypeId::kInt:
      case TypeId::kLong:
        // Narrowing casts are checked value by value by the safe cast.
        ok = IsInteger(id);
        break;
      case TypeId::kFloat:
        ok = id == arrow::Type::HALF_FLOAT || ExactInFloat(id);
        break;
      case TypeId::kDouble:
        ok = id == arrow::Type::HALF_FLOAT || id == arrow::Type::FLOAT || ExactInDouble(id);
        if (id == arrow::Type::INT64 || id == arrow::Type::UINT64) {
          if (auto bad = FirstInexactInDouble(*in)) {
            return CannotWrite(from, t, path, "value " + *bad + " has no exact double value");
          }
          ok = true;
        }
        break;
      case TypeId::kDecimal:
        ok = arrow::is_decimal(id) || IsInteger(id);
        break;
      case TypeId::kDate:
        ok = id == arrow::Type::DATE64;
        break;
      case TypeId::kTime:
        ok = id == arrow::Type::TIME32 || id == arrow::Type::TIME64;
        break;
      case TypeId::kTimestamp:
      case TypeId::kTimestampNs:
      case TypeId::kTimestampTz:
      case TypeId::kTimestampTzNs: {
        if (id != arrow::Type::TIMESTAMP) break;
        const bool has_zone = !static_cast<const arrow::TimestampType&>(from).timezone().empty();
        const bool wants_zone = t.id() == TypeId::kTimestampTz || t.id() == TypeId::kTimestampTzNs;
        if (has_zone && !wants_zone) {
          return CannotWrite(from, t, path,
                             "the input has a time zone and the column has none (store it in a "
                             "timestamptz column, or drop the zone from the input)");
        }
        if (!has_zone && wants_zone) {
          return CannotWrite(from, t, path,
                             "the input has no time zone (give it one, or store it in a "
                             "timestamp column)");
        }
        ok = true;
        break;
      }
      case TypeId::kString:
        ok = id == arrow::Type::LARGE_STRING || id == arrow::Type::STRING_VIEW;
        break;
      case TypeId::kBinary:
      case TypeId::kGeometry:
      case TypeId::kGeography:
        ok = id == arrow::Type::LARGE_BINARY || id == arrow::Type::BINARY_VIEW ||
             id == arrow::Type::STRING || id == arrow::Type::LARGE_STRING ||
             id == arrow::Type::STRING_VIEW;
        break;
      case TypeId::kUuid:
        if (id == arrow::Type::FIXED_SIZE_BINARY &&
            static_cast<const arrow::FixedSizeBinaryType&>(from).byte_width() == 16) {
          return arrow::ExtensionType::WrapArray(to, in);
        }
        break;
      case TypeId::kVariant:
        return Status::NotSupported("column '", path, "': variant columns cannot be written yet");
      default:
        break;
    }
    if (!ok) return CannotWrite(from, t, path);
    return Cast(in, to, field, path);
  }

  // Nulls among `child`'s values at positions where `parent` is valid.
  static int64_t NullsUnderValidParent(const arrow::Array& parent, const arrow::Array& child) {
    if (child.null_count() == 0) return 0;
    if (parent.null_count() == 0) return child.null_count();
    int64_t n = 0;
    for (int64_t i = 0; i < child.length(); ++i) n += parent.IsValid(i) && child.IsNull(i);
    return n;
  }

  Result<ArrayPtr> ConformStruct(const ArrayPtr& in, const NestedField& field,
                                 const std::shared_ptr<arrow::DataType>& to,
                                 const std::string& path) {
    if (in->type_id() != arrow::Type::STRUCT) return CannotWrite(*in->type(), *field.type, path);
    const auto& s = static_cast<const arrow::StructArray&>(*in);
    const auto& fields = field.type->fields();
    FLOE_ASSIGN_OR_RAISE(std::vector<int> match, MatchByName(fields, s.type()->fields(), path));
    std::vector<ArrayPtr> children;
    for (size_t i = 0; i < fields.size(); ++i) {
      const std::string child_path = Join(path, fields[i].name);
      ArrayPtr child_in = match[i] >= 0 ? s.field(match[i]) : nullptr;  // sliced to `s`
      FLOE_ASSIGN_OR_RAISE(auto child, Conform(child_in, fields[i], child_path, s.length()));
      if (fields[i].required) {
        const int64_t nulls = NullsUnderValidParent(s, *child);
        if (nulls > 0) return RequiredNulls(child_path, nulls);
        child = ClearHiddenNulls(child, *to->field(static_cast<int>(i)));
      }
      children.push_back(std::move(child));
    }
    std::shared_ptr<arrow::Buffer> bitmap;
    if (s.null_count() > 0) {
      if (s.offset() == 0) {
        bitmap = s.null_bitmap();
      } else {
        FLOE_ASSIGN_OR_RAISE(bitmap, FromArrow(arrow::internal::CopyBitmap(
                                                   arrow::default_memory_pool(),
                                                   s.null_bitmap_data(), s.offset(), s.length()),
                                               path));
      }
    }
    auto out = arrow::StructArray::Make(children, to->fields(), std::move(bitmap),
                                        s.null_count(), 0);
    if (!out.ok()) return FromArrow(out.status(), path);
    return std::static_pointer_cast<arrow::Array>(*out);
  }

  // Nulls among the values of the valid lists of `list` (a list or map).
  static int64_t NullsInValidLists(const arrow::ListArray& list, const arrow::Array& values) {
    if (values.null_count() == 0) return 0;
    int64_t n = 0;
    for (int64_t i = 0; i < list.length(); ++i) {
      if (list.IsNull(i)) continue;
      for (int64_t j = list.value_offset(i); j < list.value_offset(i + 1); ++j) {
        n += values.IsNull(j);
      }
    }
    return n;
  }

  Result<ArrayPtr> ConformList(ArrayPtr in, const NestedField& field,
                               const std::shared_ptr<arrow::DataType>& to,
                               const std::string& path) {
    switch (in->type_id()) {
      case arrow::Type::LIST:
        break;
      case arrow::Type::LARGE_LIST:
      case arrow::Type::FIXED_SIZE_LIST:
      case arrow::Type::LIST_VIEW:
      case arrow::Type::LARGE_LIST_VIEW: {
        const auto& element = in->type()->field(0);
        FLOE_ASSIGN_OR_RAISE(in, Cast(in, arrow::list(element), field, path));
        break;
      }
      default:
        return CannotWrite(*in->type(), *field.type, path);
    }
    const auto& list = static_cast<const arrow::ListArray&>(*in);
    const NestedField& element = field.type->element();
    const std::string element_path = path + ".element";
    FLOE_ASSIGN_OR_RAISE(auto values, Conform(list.values(), element, element_path,
                                              list.values()->length()));
    if (element.required) {
      const int64_t nulls = NullsInValidLists(list, *values);
      if (nulls > 0) return RequiredNulls(element_path, nulls);
    }
    const auto& data = *list.data();
    return arrow::MakeArray(arrow::ArrayData::Make(to, data.length,
                                                   {data.buffers[0], data.buffers[1]},
                                                   {values->data()}, data.null_count,
                                                   data.offset));
  }

  Result<ArrayPtr> ConformMap(const ArrayPtr& in, const NestedField& field,
                              const std::shared_ptr<arrow::DataType>& to,
                              const std::string& path) {
    if (in->type_id() != arrow::Type::MAP) return CannotWrite(*in->type(), *field.type, path);
    const auto& map = static_cast<const arrow::MapArray&>(*in);
    const NestedField& key = field.type->key();
    const NestedField& value = field.type->value();
    const int64_t entries = map.values()->length();
    FLOE_ASSIGN_OR_RAISE(auto keys, Conform(map.keys(), key, path + ".key", entries));
    FLOE_ASSIGN_OR_RAISE(auto items, Conform(map.items(), value, path + ".value", entries));
    if (value.required) {
      const int64_t nulls = NullsInValidLists(map, *items);
      if (nulls > 0) return RequiredNulls(path + ".value", nulls);
    }
    const auto& entries_type = static_cast<const arrow::MapType&>(*to).value_type();
    auto entries_data = arrow::ArrayData::Make(entries_type, entries, {nullptr},
                                               {keys->data(), items->data()}, 0);
    const auto& data = *map.data();
    return arrow::MakeArray(arrow::ArrayData::Make(to, data.length,
                                                   {data.buffers[0], data.buffers[1]},
                                                   {std::move(entries_data)}, data.null_count,
                                                   data.offset));
  }
};

}  // namespace

Result<std::shared_ptr<arrow::RecordBatch>> ConformBatch(const arrow::RecordBatch& batch,
                                                         const spec::Schema& schema) {
  FLOE_RETURN_NOT_OK(internal::EnsureArrowCompute());
  FLOE_ASSIGN_OR_RAISE(auto target, ToArrowSchema(schema));
  FLOE_ASSIGN_OR_RAISE(std::vector<int> match,
                       MatchByName(schema.fields(), batch.schema()->fields(), ""));
  Conformer conformer;
  std::vector<ArrayPtr> columns;
  for (size_t i = 0; i < schema.fields().size(); ++i) {
    const NestedField& f = schema.fields()[i];
    ArrayPtr in = match[i] >= 0 ? batch.column(match[i]) : nullptr;
    FLOE_ASSIGN_OR_RAISE(auto column, conformer.Conform(in, f, f.name, batch.num_rows()));
    if (f.required && column->null_count() > 0) {
      return Conformer::RequiredNulls(f.name, column->null_count());
    }
    columns.push_back(std::move(column));
  }
  return arrow::RecordBatch::Make(target, batch.num_rows(), std::move(columns));
}

}  // namespace floe::data
