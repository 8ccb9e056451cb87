#include "floe/expr/binder.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "floe/util/strings.h"

namespace floe::expr {

namespace {

using spec::Int128;
using spec::Literal;
using spec::Type;
using spec::TypeId;
using Kind = UnboundLiteral::Kind;

constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;

bool IsTimestamp(TypeId id) { return spec::IsTimestampType(id); }
bool IsTz(TypeId id) { return id == TypeId::kTimestampTz || id == TypeId::kTimestampTzNs; }
bool IsIntegral(TypeId id) { return id == TypeId::kInt || id == TypeId::kLong; }

Status NotA(const Type& type) { return Status::Invalid("not a ", type.ToString()); }

// Number text to float or double, refusing values out of range.
Result<Literal> FloatingFromText(std::string_view text, const Type& type) {
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (!text.empty() && text[0] == '+') ++begin;
  if (util::AsciiLower(text).find("nan") != std::string::npos) {
    return Status::Invalid("NaN cannot be compared; use 'is nan'");
  }
  if (type.id() == TypeId::kFloat) {
    float v = 0;
    auto r = std::from_chars(begin, end, v);
    if (r.ec != std::errc() || r.ptr != end || !std::isfinite(v)) {
      return Status::Invalid("out of range for float");
    }
    return Literal::Float(v == 0 ? 0.0f : v);  // -0.0 is 0.0 under IEEE
  }
  double v = 0;
  auto r = std::from_chars(begin, end, v);
  if (r.ec != std::errc() || r.ptr != end || !std::isfinite(v)) {
    return Status::Invalid("out of range for double");
  }
  return Literal::Double(v == 0 ? 0.0 : v);
}

// Exact decimal text (digits, point, exponent) at the column's scale.
Result<Literal> DecimalFromText(std::string_view text, const Type& type) {
  Result<Literal> v = spec::LiteralFromString(text, type);
  if (v.ok()) return v;
  // Say which limit was hit: digits after the point, or the precision.
  std::string_view digits = text;
  const size_t e = digits.find_first_of("eE");
  int64_t exponent = 0;
  if (e != std::string_view::npos) {
    exponent = util::ParseInt64(digits.substr(e + 1)).value_or(0);
    digits = digits.substr(0, e);
  }
  int64_t fraction = 0;
  const size_t point = digits.find('.');
  if (point != std::string_view::npos) {
    std::string_view f = digits.substr(point + 1);
    while (!f.empty() && f.back() == '0') f.remove_suffix(1);
    fraction = static_cast<int64_t>(f.size());
  }
  if (fraction - exponent > type.scale()) {
    return Status::Invalid("it has more than ", type.scale(), " digits after the point");
  }
  return Status::Invalid("it does not fit ", type.ToString());
}

Result<Literal> IntegerTo(int64_t v, const Type& type) {
  switch (type.id()) {
    case TypeId::kInt:
      if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
        return Status::Invalid("out of range for int");
      }
      return Literal::Int(static_cast<int32_t>(v));
    case TypeId::kLong:
      return Literal::Long(v);
    case TypeId::kFloat:
    case TypeId::kDouble:
      return FloatingFromText(std::to_string(v), type);
    case TypeId::kDecimal:
      return DecimalFromText(std::to_string(v), type);
    default:
      return NotA(type);
  }
}

// A timestamp value of `from` (any of the four) as `to` (a timestamp type).
Result<Literal> TimestampTo(int64_t v, const Type& from, const Type& to) {
  if (IsTz(from.id()) && !IsTz(to.id())) {
    return Status::Invalid("a ", from.ToString(), " (with time zone) cannot be compared with a ",
                           to.ToString(), " column (without zone); use timestamp '...'");
  }
  const bool from_ns = spec::IsNanosecondType(from.id());
  const bool to_ns = spec::IsNanosecondType(to.id());
  if (from_ns == to_ns) return Literal::Long(v);
  if (to_ns) {
    const Int128 ns = Int128(v) * 1000;
    if (ns < std::numeric_limits<int64_t>::min() || ns > std::numeric_limits<int64_t>::max()) {
      return Status::Invalid("out of the range of ", to.ToString(), " (1677 to 2262)");
    }
    return Literal::Long(static_cast<int64_t>(ns));
  }
  if (v % 1000 != 0) {
    return Status::Invalid("it has nanoseconds; the column holds microseconds");
  }
  return Literal::Long(v / 1000);
}

Result<Literal> TypedTo(const Type& from, const Literal& v, const Type& to) {
  const TypeId f = from.id(), t = to.id();
  if (spec::IsFloatingType(f)) {
    const double d = f == TypeId::kFloat ? v.float_value() : v.double_value();
    if (std::isnan(d)) return Status::Invalid("NaN cannot be compared; use 'is nan'");
    if (!spec::IsFloatingType(t)) return NotA(to);
    if (f == t) return d == 0 ? (f == TypeId::kFloat ? Literal::Float(0) : Literal::Double(0)) : v;
    return FloatingFromText(spec::LiteralToString(v, from), to);
  }
  if (from.Equals(to)) return v;
  if (IsIntegral(f)) {
    return IntegerTo(f == TypeId::kInt ? v.int_value() : v.long_value(), to);
  }
  if (f == TypeId::kDecimal) {
    if (t == TypeId::kDecimal) return DecimalFromText(spec::LiteralToString(v, from), to);
    if (spec::IsFloatingType(t)) return FloatingFromText(spec::LiteralToString(v, from), to);
    return NotA(to);
  }
  if (f == TypeId::kDate && IsTimestamp(t)) {
    // Midnight of that day (UTC for timestamptz).
    return TimestampTo(int64_t{v.int_value()} * kMicrosPerDay, *Type::Timestamp(), to);
  }
  if (IsTimestamp(f)) {
    if (IsTimestamp(t)) return TimestampTo(v.long_value(), from, to);
    if (t == TypeId::kDate) {
      return Status::Invalid("a ", from.ToString(), " cannot be compared with a date column; use "
                             "date 'YYYY-MM-DD'");
    }
    return NotA(to);
  }
  if (f == TypeId::kBinary || f == TypeId::kFixed) {
    const std::string& bytes = v.bytes_value();
    if (t == TypeId::kBinary) return Literal::Binary(bytes);
    if (t == TypeId::kFixed || t == TypeId::kUuid) {
      const size_t need = t == TypeId::kUuid ? 16 : static_cast<size_t>(to.length());
      if (bytes.size() != need) {
        return Status::Invalid("it has ", bytes.size(), " bytes; ", to.ToString(), " holds ",
                               need);
      }
      return Literal::Binary(bytes);
    }
    return NotA(to);
  }
  if (f == TypeId::kString) return ConvertLiteral(UnboundLiteral::String(v.string_value()), to);
  return NotA(to);
}

}  // namespace

Result<Literal> ConvertLiteral(const UnboundLiteral& lit, const Type& type) {
  const TypeId t = type.id();
  switch (lit.kind()) {
    case Kind::kBoolean:
      if (t == TypeId::kBoolean) return Literal::Boolean(lit.bool_value());
      return NotA(type);
    case Kind::kInteger:
      return IntegerTo(lit.int_value(), type);
    case Kind::kDecimal:
      if (t == TypeId::kDecimal) return DecimalFromText(lit.text(), type);
      if (spec::IsFloatingType(t)) return FloatingFromText(lit.text(), type);
      if (IsIntegral(t)) {
        if (lit.text().find('.') == std::string::npos) {
          return Status::Invalid("out of range for ", type.ToString());
        }
        return Status::Invalid("not an integer");
      }
      return NotA(type);
    case Kind::kFloat:
      if (spec::IsFloatingType(t)) return FloatingFromText(lit.text(), type);
      if (t == TypeId::kDecimal) return DecimalFromText(lit.text(), type);
      if (IsIntegral(t)) return Status::Invalid("not an integer");
      return NotA(type);
    case Kind::kString:
      switch (t) {
        case TypeId::kString:
          return Literal::String(lit.text());
        case TypeId::kDate:
        case TypeId::kTime:
        case TypeId::kTimestamp:
        case TypeId::kTimestampTz:
        case TypeId::kTimestampNs:
        case TypeId::kTimestampTzNs:
        case TypeId::kUuid:
        case TypeId::kDecimal: {
          Result<Literal> v = spec::LiteralFromString(lit.text(), type);
          if (!v.ok()) {
            return Status::Invalid("not a ", type.ToString(), " (", v.status().message(), ")");
          }
          return v;
        }
        case TypeId::kBoolean:
        case TypeId::kInt:
        case TypeId::kLong:
        case TypeId::kFloat:
        case TypeId::kDouble:
          return Status::Invalid("a string is not a ", type.ToString(),
                                 "; write the value without quotes");
        case TypeId::kBinary:
        case TypeId::kFixed:
          return Status::Invalid("a string is not a ", type.ToString(),
                                 "; write binary values as X'0AFF'");
        default:
          return NotA(type);
      }
    case Kind::kTyped:
      return TypedTo(*lit.type(), lit.value(), type);
  }
  return NotA(type);
}

namespace {

bool Comparable(TypeId id) {
  switch (id) {
    case TypeId::kUnknown:
    case TypeId::kVariant:
    case TypeId::kGeometry:
    case TypeId::kGeography:
      return false;
    default:
      return true;
  }
}

class Binder {
 public:
  Binder(const spec::Schema& schema, bool case_sensitive)
      : schema_(schema), case_sensitive_(case_sensitive) {}

  Result<BoundExprPtr> BindTree(const Expr& e) {
    switch (e.op()) {
      case Op::kTrue:
        return BoundAlwaysTrue();
      case Op::kFalse:
        return BoundAlwaysFalse();
      case Op::kAnd: {
        FLOE_ASSIGN_OR_RAISE(BoundExprPtr l, BindTree(*e.left()));
        FLOE_ASSIGN_OR_RAISE(BoundExprPtr r, BindTree(*e.right()));
        return And(std::move(l), std::move(r));
      }
      case Op::kOr: {
        FLOE_ASSIGN_OR_RAISE(BoundExprPtr l, BindTree(*e.left()));
        FLOE_ASSIGN_OR_RAISE(BoundExprPtr r, BindTree(*e.right()));
        return Or(std::move(l), std::move(r));
      }
      case Op::kNot: {
        FLOE_ASSIGN_OR_RAISE(BoundExprPtr c, BindTree(*e.child()));
        return Negate(c);
      }
      default:
        return BindPredicate(e);
    }
  }

 private:
  Result<BoundExprPtr> BindPredicate(const Expr& e) {
    FLOE_ASSIGN_OR_RAISE(const spec::NestedField* field, Resolve(e.column()));
    BoundReference ref;
    ref.field_id = field->id;
    ref.type = field->type;
    ref.name = schema_.FindColumnName(field->id).value_or(e.column());
    const Type& type = *field->type;
    const std::string what = "column " + util::Quote(ref.name) + " (" + type.ToString() + ")";
    const Op op = e.op();
    switch (op) {
      case Op::kIsNull:
      case Op::kNotNull:
        if (NeverNull(*field)) return op == Op::kIsNull ? BoundAlwaysFalse() : BoundAlwaysTrue();
        return MakeBoundPredicate(op, std::move(ref), {});
      case Op::kIsNan:
      case Op::kNotNan:
        if (!spec::IsFloatingType(type.id())) {
          return Status::Invalid("cannot use '", OpName(op), "' on ", what,
                                 ": only float and double columns hold NaN");
        }
        return MakeBoundPredicate(op, std::move(ref), {});
      case Op::kStartsWith:
      case Op::kNotStartsWith:
        if (type.id() != TypeId::kString) {
          return Status::Invalid("cannot use '", OpName(op), "' on ", what,
                                 ": it needs a string column");
        }
        break;
      default:
        if (!Comparable(type.id())) {
          return Status::Invalid("cannot compare ", what, " with a literal: ", type.ToString(),
                                 " values have no order or equality in filters");
        }
        break;
    }
    std::vector<Literal> values;
    values.reserve(e.literals().size());
    for (const UnboundLiteral& lit : e.literals()) {
      Result<Literal> v = ConvertLiteral(lit, type);
      if (!v.ok()) {
        return Status::Invalid("cannot compare ", what, " with ", lit.ToString(), ": ",
                               v.status().message());
      }
      values.push_back(std::move(*v));
    }
    return MakeBoundPredicate(op, std::move(ref), std::move(values));
  }

  Result<const spec::NestedField*> Resolve(const std::string& name) {
    // An exact match wins even when ignoring case (where names differing
    // only by case are ambiguous).
    const spec::NestedField* field = schema_.FindFieldByName(name, true);
    if (!field && !case_sensitive_) field = schema_.FindFieldByName(name, false);
    if (!field) return NotFound(name);
    const std::string full = schema_.FindColumnName(field->id).value_or(name);
    for (auto p = schema_.FindParentId(field->id); p; p = schema_.FindParentId(*p)) {
      const spec::NestedField* parent = schema_.FindField(*p);
      if (parent && parent->type->id() != TypeId::kStruct) {
        return Status::Invalid("column ", util::Quote(full), " is inside ",
                               parent->type->id() == TypeId::kList ? "a list" : "a map",
                               "; filters can only use columns outside lists and maps");
      }
    }
    if (!field->type->is_primitive()) {
      return Status::Invalid("column ", util::Quote(full), " is a ", field->type->ToString(),
                             "; filters compare primitive columns (name a field inside it)");
    }
    return field;
  }

  Status NotFound(const std::string& name) const {
    std::string message = "column " + util::Quote(name) + " not found in schema " +
                          std::to_string(schema_.schema_id());
    if (case_sensitive_) {
      if (const spec::NestedField* other = schema_.FindFieldByName(name, false)) {
        message += "; did you mean " +
                   util::Quote(schema_.FindColumnName(other->id).value_or(other->name)) +
                   "? (names are case-sensitive)";
      }
    }
    std::vector<std::string> names;
    CollectNames(schema_.fields(), "", &names);
    constexpr size_t kMaxNames = 40;
    message += "; columns are: ";
    for (size_t i = 0; i < names.size() && i < kMaxNames; ++i) {
      if (i > 0) message += ", ";
      message += names[i];
    }
    if (names.size() > kMaxNames) {
      message += ", ... (" + std::to_string(names.size() - kMaxNames) + " more)";
    }
    return Status::NotFound(message);
  }

  // Primitive columns a filter can name, in schema order.
  static void CollectNames(const std::vector<spec::NestedField>& fields, const std::string& prefix,
                           std::vector<std::string>* out) {
    for (const spec::NestedField& f : fields) {
      const std::string name = prefix + f.name;
      if (f.type->id() == TypeId::kStruct) {
        CollectNames(f.type->fields(), name + ".", out);
      } else if (f.type->is_primitive()) {
        out->push_back(name);
      }
    }
  }

  // Required with every parent required: a null parent struct makes a
  // required child null too.
  bool NeverNull(const spec::NestedField& field) const {
    if (!field.required) return false;
    for (auto p = schema_.FindParentId(field.id); p; p = schema_.FindParentId(*p)) {
      const spec::NestedField* parent = schema_.FindField(*p);
      if (!parent || !parent->required) return false;
    }
    return true;
  }

  const spec::Schema& schema_;
  const bool case_sensitive_;
};

}  // namespace

Result<BoundExprPtr> Bind(const ExprPtr& expr, const spec::Schema& schema, bool case_sensitive) {
  return Binder(schema, case_sensitive).BindTree(*expr);
}

}  // namespace floe::expr
