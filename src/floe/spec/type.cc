#include "floe/spec/type.h"

#include <cctype>
#include <charconv>

namespace floe::spec {

namespace {

TypePtr MakePrimitive(TypeId id) {
  return std::make_shared<const Type>(id, 0, 0, std::string(), std::string(),
                                      std::vector<NestedField>());
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool ParseInt(std::string_view s, int32_t* out) {
  s = Trim(s);
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// Splits "name(args)" or "name[args]"; returns false when `text` has no such form.
bool SplitParams(std::string_view text, char open, char close, std::string_view* name,
                 std::string_view* args) {
  size_t p = text.find(open);
  if (p == std::string_view::npos || text.back() != close) return false;
  *name = Trim(text.substr(0, p));
  *args = text.substr(p + 1, text.size() - p - 2);
  return true;
}

}  // namespace

bool NestedField::operator==(const NestedField& o) const {
  return id == o.id && name == o.name && required == o.required && doc == o.doc &&
         initial_default == o.initial_default && write_default == o.write_default &&
         ((type == nullptr) == (o.type == nullptr)) && (!type || type->Equals(*o.type));
}

Type::Type(TypeId id, int32_t precision, int32_t scale, std::string crs, std::string algorithm,
           std::vector<NestedField> fields)
    : id_(id),
      precision_(precision),
      scale_(scale),
      crs_(std::move(crs)),
      algorithm_(std::move(algorithm)),
      fields_(std::move(fields)) {}

#define FLOE_PRIMITIVE(Name, Id)                      \
  TypePtr Type::Name() {                              \
    static const TypePtr kType = MakePrimitive(Id);   \
    return kType;                                     \
  }
FLOE_PRIMITIVE(Boolean, TypeId::kBoolean)
FLOE_PRIMITIVE(Int, TypeId::kInt)
FLOE_PRIMITIVE(Long, TypeId::kLong)
FLOE_PRIMITIVE(Float, TypeId::kFloat)
FLOE_PRIMITIVE(Double, TypeId::kDouble)
FLOE_PRIMITIVE(Date, TypeId::kDate)
FLOE_PRIMITIVE(Time, TypeId::kTime)
FLOE_PRIMITIVE(Timestamp, TypeId::kTimestamp)
FLOE_PRIMITIVE(TimestampTz, TypeId::kTimestampTz)
FLOE_PRIMITIVE(TimestampNs, TypeId::kTimestampNs)
FLOE_PRIMITIVE(TimestampTzNs, TypeId::kTimestampTzNs)
FLOE_PRIMITIVE(String, TypeId::kString)
FLOE_PRIMITIVE(Uuid, TypeId::kUuid)
FLOE_PRIMITIVE(Binary, TypeId::kBinary)
FLOE_PRIMITIVE(Unknown, TypeId::kUnknown)
FLOE_PRIMITIVE(Variant, TypeId::kVariant)
#undef FLOE_PRIMITIVE

TypePtr Type::Decimal(int32_t precision, int32_t scale) {
  return std::make_shared<const Type>(TypeId::kDecimal, precision, scale, "", "",
                                      std::vector<NestedField>());
}
TypePtr Type::Fixed(int32_t length) {
  return std::make_shared<const Type>(TypeId::kFixed, length, 0, "", "",
                                      std::vector<NestedField>());
}
TypePtr Type::Geometry(std::string crs) {
  return std::make_shared<const Type>(TypeId::kGeometry, 0, 0, std::move(crs), "",
                                      std::vector<NestedField>());
}
TypePtr Type::Geography(std::string crs, std::string algorithm) {
  return std::make_shared<const Type>(TypeId::kGeography, 0, 0, std::move(crs),
                                      std::move(algorithm), std::vector<NestedField>());
}
TypePtr Type::Struct(std::vector<NestedField> fields) {
  return std::make_shared<const Type>(TypeId::kStruct, 0, 0, "", "", std::move(fields));
}
TypePtr Type::List(NestedField element) {
  std::vector<NestedField> f;
  element.name = "element";
  f.push_back(std::move(element));
  return std::make_shared<const Type>(TypeId::kList, 0, 0, "", "", std::move(f));
}
TypePtr Type::Map(NestedField key, NestedField value) {
  std::vector<NestedField> f;
  key.name = "key";
  key.required = true;  // map keys are always required (§Nested Types)
  value.name = "value";
  f.push_back(std::move(key));
  f.push_back(std::move(value));
  return std::make_shared<const Type>(TypeId::kMap, 0, 0, "", "", std::move(f));
}

std::string Type::ToString() const {
  switch (id_) {
    case TypeId::kBoolean: return "boolean";
    case TypeId::kInt: return "int";
    case TypeId::kLong: return "long";
    case TypeId::kFloat: return "float";
    case TypeId::kDouble: return "double";
    case TypeId::kDecimal:
      return "decimal(" + std::to_string(precision_) + "," + std::to_string(scale_) + ")";
    case TypeId::kDate: return "date";
    case TypeId::kTime: return "time";
    case TypeId::kTimestamp: return "timestamp";
    case TypeId::kTimestampTz: return "timestamptz";
    case TypeId::kTimestampNs: return "timestamp_ns";
    case TypeId::kTimestampTzNs: return "timestamptz_ns";
    case TypeId::kString: return "string";
    case TypeId::kUuid: return "uuid";
    case TypeId::kFixed: return "fixed[" + std::to_string(precision_) + "]";
    case TypeId::kBinary: return "binary";
    case TypeId::kUnknown: return "unknown";
    case TypeId::kVariant: return "variant";
    case TypeId::kGeometry: return crs_.empty() ? "geometry" : "geometry(" + crs_ + ")";
    case TypeId::kGeography:
      if (crs_.empty() && algorithm_.empty()) return "geography";
      if (algorithm_.empty()) return "geography(" + crs_ + ")";
      return "geography(" + crs_ + ", " + algorithm_ + ")";
    case TypeId::kStruct: {
      std::string out = "struct<";
      for (size_t i = 0; i < fields_.size(); ++i) {
        if (i) out += ", ";
        out += fields_[i].name + ": " + fields_[i].type->ToString();
        if (fields_[i].required) out += " not null";
      }
      return out + ">";
    }
    case TypeId::kList: return "list<" + element().type->ToString() + ">";
    case TypeId::kMap:
      return "map<" + key().type->ToString() + ", " + value().type->ToString() + ">";
  }
  return "?";
}

bool Type::Equals(const Type& o) const {
  if (this == &o) return true;
  return id_ == o.id_ && precision_ == o.precision_ && scale_ == o.scale_ && crs_ == o.crs_ &&
         algorithm_ == o.algorithm_ && fields_ == o.fields_;
}

int Type::MinFormatVersion() const {
  switch (id_) {
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs:
    case TypeId::kUnknown:
    case TypeId::kVariant:
    case TypeId::kGeometry:
    case TypeId::kGeography:
      return 3;
    default:
      break;
  }
  int v = 1;
  for (const auto& f : fields_) v = std::max(v, f.type->MinFormatVersion());
  return v;
}

Result<TypePtr> ParsePrimitiveType(std::string_view raw) {
  std::string_view text = Trim(raw);
  static const std::pair<std::string_view, TypePtr (*)()> kSimple[] = {
      {"boolean", &Type::Boolean},         {"int", &Type::Int},
      {"long", &Type::Long},               {"float", &Type::Float},
      {"double", &Type::Double},           {"date", &Type::Date},
      {"time", &Type::Time},               {"timestamp", &Type::Timestamp},
      {"timestamptz", &Type::TimestampTz}, {"timestamp_ns", &Type::TimestampNs},
      {"timestamptz_ns", &Type::TimestampTzNs}, {"string", &Type::String},
      {"uuid", &Type::Uuid},               {"binary", &Type::Binary},
      {"unknown", &Type::Unknown},         {"variant", &Type::Variant},
      {"geometry", nullptr},               {"geography", nullptr},
  };
  for (const auto& [name, make] : kSimple) {
    if (text == name) {
      if (make) return make();
      if (name == "geometry") return Type::Geometry("");
      return Type::Geography("", "");
    }
  }
  std::string_view name, args;
  if (!text.empty() && SplitParams(text, '(', ')', &name, &args)) {
    if (name == "decimal") {
      size_t comma = args.find(',');
      int32_t p = 0, s = 0;
      if (comma == std::string_view::npos || !ParseInt(args.substr(0, comma), &p) ||
          !ParseInt(args.substr(comma + 1), &s)) {
        return Status::Invalid("bad decimal type '", raw, "': expected decimal(P,S)");
      }
      if (p < 1 || p > 38) {
        return Status::Invalid("bad decimal type '", raw, "': precision ", p,
                               " is outside 1..38 (spec §Primitive Types)");
      }
      if (s < 0 || s > p) {
        return Status::Invalid("bad decimal type '", raw, "': scale ", s,
                               " must be between 0 and the precision");
      }
      return Type::Decimal(p, s);
    }
    if (name == "geometry") return Type::Geometry(std::string(Trim(args)));
    if (name == "geography") {
      size_t comma = args.find(',');
      if (comma == std::string_view::npos) return Type::Geography(std::string(Trim(args)), "");
      return Type::Geography(std::string(Trim(args.substr(0, comma))),
                             std::string(Trim(args.substr(comma + 1))));
    }
  }
  if (!text.empty() && SplitParams(text, '[', ']', &name, &args) && name == "fixed") {
    int32_t len = 0;
    if (!ParseInt(args, &len) || len <= 0) {
      return Status::Invalid("bad fixed type '", raw, "': expected fixed[L] with L > 0");
    }
    return Type::Fixed(len);
  }
  return Status::Invalid("unknown type '", raw,
                         "': expected a primitive (boolean, int, long, float, double, "
                         "decimal(P,S), date, time, timestamp, timestamptz, timestamp_ns, "
                         "timestamptz_ns, string, uuid, fixed[L], binary, unknown, variant, "
                         "geometry, geography) or a struct/list/map object");
}

bool IsTimestampType(TypeId id) {
  return id == TypeId::kTimestamp || id == TypeId::kTimestampTz || id == TypeId::kTimestampNs ||
         id == TypeId::kTimestampTzNs;
}
bool IsNanosecondType(TypeId id) {
  return id == TypeId::kTimestampNs || id == TypeId::kTimestampTzNs;
}
bool IsFloatingType(TypeId id) { return id == TypeId::kFloat || id == TypeId::kDouble; }

int32_t DecimalRequiredBytes(int32_t precision) {
  // Smallest n with 2^(8n-1) > 10^precision - 1 (spec §Primitive Types table).
  static const int32_t kBytes[39] = {0,  1,  1,  2,  2,  3,  3,  4,  4,  4,  5,  5,  6,
                                     6,  6,  7,  7,  8,  8,  9,  9,  9,  10, 10, 11, 11,
                                     11, 12, 12, 13, 13, 13, 14, 14, 15, 15, 16, 16, 16};
  if (precision < 1) return 1;
  if (precision > 38) return 16;
  return kBytes[precision];
}

}  // namespace floe::spec
