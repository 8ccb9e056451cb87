// The inverses of ddl.cc's parsers: schemas, specs, orders and terms as
// users would type them.
#include <cctype>

#include "floe/expr/ddl.h"
#include "floe/expr/syntax_internal.h"
#include "floe/util/strings.h"

namespace floe::expr {

using spec::NestedField;
using spec::Type;

namespace {

bool IsPlainWord(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// A name as the lexer reads it back: plain words as they are, anything
// else in backticks with backticks doubled.
std::string QuoteName(std::string_view name) {
  if (IsPlainWord(name)) return std::string(name);
  std::string out = "`";
  for (char c : name) {
    out += c;
    if (c == '`') out += '`';
  }
  return out + "`";
}

void FormatType(const Type& type, std::string* out);

void FormatField(const NestedField& f, bool colon, std::string* out) {
  *out += QuoteName(f.name);
  *out += colon ? ": " : " ";
  FormatType(*f.type, out);
  if (f.required) *out += " not null";
  if (f.doc) *out += " comment " + internal::QuoteStringLiteral(*f.doc);
}

void FormatType(const Type& type, std::string* out) {
  switch (type.id()) {
    case spec::TypeId::kStruct:
      *out += "struct<";
      for (size_t i = 0; i < type.fields().size(); ++i) {
        if (i > 0) *out += ", ";
        FormatField(type.fields()[i], /*colon=*/true, out);
      }
      *out += ">";
      return;
    case spec::TypeId::kList:
      *out += "list<";
      FormatType(*type.element().type, out);
      if (type.element().required) *out += " not null";
      *out += ">";
      return;
    case spec::TypeId::kMap:
      *out += "map<";
      FormatType(*type.key().type, out);
      *out += ", ";
      FormatType(*type.value().type, out);
      if (type.value().required) *out += " not null";
      *out += ">";
      return;
    default:
      *out += type.ToString();
  }
}

// A column by its full dotted name; quoted whole when a part is not a word
// (the lexer then reads it as one name, which lookups resolve as a path).
std::string ColumnText(const std::string& name) {
  for (std::string_view part : util::Split(name, '.')) {
    if (!IsPlainWord(part)) return QuoteName(name);
  }
  return name;
}

std::string TermText(const spec::Transform& t, const std::string& name) {
  std::string column = ColumnText(name);
  switch (t.kind()) {
    case spec::TransformKind::kIdentity: return column;
    case spec::TransformKind::kBucket: return "bucket(" + std::to_string(t.param()) + ", " + column + ")";
    case spec::TransformKind::kTruncate:
      return "truncate(" + std::to_string(t.param()) + ", " + column + ")";
    default: return t.ToString() + "(" + column + ")";
  }
}

}  // namespace

std::string FormatSchema(const spec::Schema& schema) {
  std::string out;
  for (size_t i = 0; i < schema.fields().size(); ++i) {
    if (i > 0) out += ", ";
    FormatField(schema.fields()[i], /*colon=*/false, &out);
  }
  return out;
}

std::string FormatPartitionSpec(const spec::PartitionSpec& spec, const spec::Schema& schema) {
  std::string out;
  for (const spec::PartitionField& f : spec.fields()) {
    PartitionTerm term{f.transform, schema.FindColumnName(f.source_id).value_or("?"), {}};
    if (f.name != spec::DefaultPartitionFieldName(term.column, f.transform)) term.name = f.name;
    out += (out.empty() ? "" : ", ") + FormatPartitionTerm(term);
  }
  return out;
}

std::string FormatSortOrder(const spec::SortOrder& order, const spec::Schema& schema) {
  std::vector<SortTerm> terms;
  for (const spec::SortField& f : order.fields) {
    terms.push_back({f.transform, schema.FindColumnName(f.source_id).value_or("?"), f.direction,
                     f.null_order});
  }
  return FormatSortTerms(terms);
}

std::string FormatPartitionTerm(const PartitionTerm& term) {
  std::string out = TermText(term.transform, term.column);
  if (term.name) out += " as " + QuoteName(*term.name);
  return out;
}

std::string FormatSortTerms(const std::vector<SortTerm>& terms) {
  std::string out;
  for (const SortTerm& t : terms) {
    if (!out.empty()) out += ", ";
    out += TermText(t.transform, t.column);
    const bool desc = t.direction == spec::SortDirection::kDesc;
    if (desc) out += " desc";
    if (t.null_order != (desc ? spec::NullOrder::kNullsLast : spec::NullOrder::kNullsFirst)) {
      out += t.null_order == spec::NullOrder::kNullsFirst ? " nulls first" : " nulls last";
    }
  }
  return out;
}

}  // namespace floe::expr
