#include "floe/data/arrow_literal.h"

#include <arrow/api.h>
#include <arrow/extension_type.h>

#include "floe/data/arrow_schema.h"

namespace floe::data {

using spec::TypeId;

Result<std::shared_ptr<arrow::Scalar>> ToArrowScalar(const spec::Literal& v,
                                                     const spec::Type& t) {
  if (t.is_nested()) return Status::NotSupported("no scalar of nested type ", t.ToString());
  FLOE_ASSIGN_OR_RAISE(std::shared_ptr<arrow::DataType> at, ToArrowType(t));
  if (v.is_null()) return arrow::MakeNullScalar(at);
  if (!spec::LiteralMatchesType(v, t)) {
    return Status::Invalid("value ", spec::LiteralToString(v, t), " is not a ", t.ToString());
  }
  switch (t.id()) {
    case TypeId::kBoolean: return std::make_shared<arrow::BooleanScalar>(v.bool_value());
    case TypeId::kInt: return std::make_shared<arrow::Int32Scalar>(v.int_value());
    case TypeId::kLong: return std::make_shared<arrow::Int64Scalar>(v.long_value());
    case TypeId::kFloat: return std::make_shared<arrow::FloatScalar>(v.float_value());
    case TypeId::kDouble: return std::make_shared<arrow::DoubleScalar>(v.double_value());
    case TypeId::kDate: return std::make_shared<arrow::Date32Scalar>(v.int_value());
    case TypeId::kTime: return std::make_shared<arrow::Time64Scalar>(v.long_value(), at);
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs:
      return std::make_shared<arrow::TimestampScalar>(v.long_value(), at);
    case TypeId::kDecimal: {
      const auto u = static_cast<unsigned __int128>(v.decimal_value());
      arrow::Decimal128 d(static_cast<int64_t>(u >> 64), static_cast<uint64_t>(u));
      return std::make_shared<arrow::Decimal128Scalar>(d, at);
    }
    case TypeId::kString: return std::make_shared<arrow::StringScalar>(v.string_value());
    case TypeId::kBinary:
    case TypeId::kGeometry:
    case TypeId::kGeography:
      return std::make_shared<arrow::BinaryScalar>(arrow::Buffer::FromString(v.bytes_value()));
    case TypeId::kFixed:
      return std::make_shared<arrow::FixedSizeBinaryScalar>(
          arrow::Buffer::FromString(v.bytes_value()), at);
    case TypeId::kUuid: {
      const auto& ext = static_cast<const arrow::ExtensionType&>(*at);
      auto storage = std::make_shared<arrow::FixedSizeBinaryScalar>(
          arrow::Buffer::FromString(v.bytes_value()), ext.storage_type());
      return std::make_shared<arrow::ExtensionScalar>(std::move(storage), at);
    }
    default:
      return Status::NotSupported("no Arrow scalar for type ", t.ToString());
  }
}

Result<std::shared_ptr<arrow::Scalar>> ToArrowScalarAs(
    const spec::Literal& value, const spec::Type& type,
    const std::shared_ptr<arrow::DataType>& storage_type) {
  FLOE_ASSIGN_OR_RAISE(std::shared_ptr<arrow::Scalar> s, ToArrowScalar(value, type));
  if (s->type->id() == arrow::Type::EXTENSION && s->is_valid) {
    s = static_cast<const arrow::ExtensionScalar&>(*s).value;
  }
  if (!storage_type || s->type->Equals(*storage_type)) return s;
  auto cast = s->CastTo(storage_type);
  if (!cast.ok()) {
    return Status::Invalid("cannot hold ", spec::LiteralToString(value, type), " as ",
                           storage_type->ToString(), ": ", cast.status().message());
  }
  return *cast;
}

Result<std::shared_ptr<arrow::Array>> ToArrowArray(const std::vector<spec::Literal>& values,
                                                   const spec::Type& type) {
  FLOE_ASSIGN_OR_RAISE(std::shared_ptr<arrow::DataType> at, ToArrowType(type));
  const bool extension = at->id() == arrow::Type::EXTENSION;
  const auto storage_type =
      extension ? static_cast<const arrow::ExtensionType&>(*at).storage_type() : at;
  std::unique_ptr<arrow::ArrayBuilder> builder;
  auto oom = [&] { return Status::IOError("out of memory building a ", type.ToString(), " array"); };
  if (!arrow::MakeBuilder(arrow::default_memory_pool(), storage_type, &builder).ok()) return oom();
  for (const spec::Literal& v : values) {
    FLOE_ASSIGN_OR_RAISE(auto scalar, ToArrowScalar(v, type));
    const arrow::Scalar& s =
        extension && scalar->is_valid ? *static_cast<const arrow::ExtensionScalar&>(*scalar).value
                                      : *scalar;
    arrow::Status st = s.is_valid ? builder->AppendScalar(s) : builder->AppendNull();
    if (!st.ok()) return oom();
  }
  std::shared_ptr<arrow::Array> out;
  if (!builder->Finish(&out).ok()) return oom();
  if (extension) return arrow::ExtensionType::WrapArray(at, out);
  return out;
}

}  // namespace floe::data
