#include "floe/table/ddl.h"

#include <cctype>

#include "floe/util/strings.h"

namespace floe::table {

using spec::NestedField;
using spec::Type;
using spec::TypePtr;

namespace {

// A tiny tokenizer shared by the three grammars.
class Lexer {
 public:
  Lexer(std::string_view text, const char* what) : text_(text), what_(what) {}

  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ >= text_.size();
  }
  size_t pos() const { return pos_; }
  char Peek() {
    SkipSpace();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  Status Expect(char c) {
    if (Consume(c)) return Status::OK();
    return Error(std::string("expected '") + c + "'");
  }
  // A bare word: letters, digits, '_' (and '.' for dotted names when allowed).
  std::string Word(bool dots = false) {
    SkipSpace();
    size_t start = pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (dots && c == '.') ||
          static_cast<unsigned char>(c) >= 0x80) {
        ++pos_;
      } else {
        break;
      }
    }
    return std::string(text_.substr(start, pos_ - start));
  }
  // A name: a word, or "quoted" / `quoted` (doubled quotes escape).
  Result<std::string> Name(bool dots = false) {
    char q = Peek();
    if (q == '"' || q == '`') {
      ++pos_;
      std::string out;
      while (pos_ < text_.size()) {
        if (text_[pos_] == q) {
          if (pos_ + 1 < text_.size() && text_[pos_ + 1] == q) {
            out += q;
            pos_ += 2;
            continue;
          }
          ++pos_;
          return out;
        }
        out += text_[pos_++];
      }
      return Error("unterminated quoted name");
    }
    std::string w = Word(dots);
    if (w.empty()) return Error("expected a name");
    return w;
  }
  Result<std::string> QuotedString() {
    if (!Consume('\'')) return Error("expected a 'quoted' string");
    std::string out;
    while (pos_ < text_.size()) {
      if (text_[pos_] == '\'') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '\'') {
          out += '\'';
          pos_ += 2;
          continue;
        }
        ++pos_;
        return out;
      }
      out += text_[pos_++];
    }
    return Error("unterminated string");
  }
  // Case-insensitive keyword; consumed only if it matches a whole word.
  bool Keyword(std::string_view kw) {
    SkipSpace();
    if (text_.size() - pos_ < kw.size()) return false;
    if (!util::EqualsIgnoreCase(text_.substr(pos_, kw.size()), kw)) return false;
    size_t end = pos_ + kw.size();
    if (end < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[end])) ||
                               text_[end] == '_')) {
      return false;
    }
    pos_ = end;
    return true;
  }
  Result<int32_t> Integer() {
    std::string w = Word();
    auto v = util::ParseInt64(w);
    if (!v || *v < INT32_MIN || *v > INT32_MAX) return Error("expected an integer");
    return static_cast<int32_t>(*v);
  }
  Status Error(const std::string& what) const {
    return Status::Invalid(what_, " ", util::Quote(text_), ": ", what, " at position ", pos_);
  }

 private:
  std::string_view text_;
  const char* what_;
  size_t pos_ = 0;
};

struct FieldDraft;
struct TypeDraft {
  TypePtr primitive;
  enum Kind { kPrimitive, kStruct, kList, kMap } kind = kPrimitive;
  std::vector<FieldDraft> fields;  // struct fields; list: [element]; map: [key, value]
};
struct FieldDraft {
  std::string name;
  bool required = false;
  std::optional<std::string> doc;
  TypeDraft type;
};

Result<TypeDraft> ParseType(Lexer& lx, int depth);

Result<FieldDraft> ParseField(Lexer& lx, int depth, bool colon) {
  FieldDraft f;
  FLOE_ASSIGN_OR_RAISE(f.name, lx.Name());
  if (colon) lx.Consume(':');
  FLOE_ASSIGN_OR_RAISE(f.type, ParseType(lx, depth + 1));
  while (true) {
    if (lx.Keyword("not")) {
      if (!lx.Keyword("null")) return lx.Error("expected 'null' after 'not'");
      f.required = true;
    } else if (lx.Keyword("required")) {
      f.required = true;
    } else if (lx.Keyword("optional") || lx.Keyword("null")) {
      f.required = false;
    } else if (lx.Keyword("comment")) {
      FLOE_ASSIGN_OR_RAISE(std::string doc, lx.QuotedString());
      f.doc = std::move(doc);
    } else {
      break;
    }
  }
  return f;
}

Result<TypeDraft> ParseType(Lexer& lx, int depth) {
  if (depth > 32) return lx.Error("types nested deeper than 32 levels");
  size_t start = lx.pos();
  TypeDraft t;
  if (lx.Keyword("struct")) {
    t.kind = TypeDraft::kStruct;
    FLOE_RETURN_NOT_OK(lx.Expect('<'));
    do {
      FLOE_ASSIGN_OR_RAISE(FieldDraft f, ParseField(lx, depth, true));
      t.fields.push_back(std::move(f));
    } while (lx.Consume(','));
    FLOE_RETURN_NOT_OK(lx.Expect('>'));
    return t;
  }
  if (lx.Keyword("list") || lx.Keyword("array")) {
    t.kind = TypeDraft::kList;
    FLOE_RETURN_NOT_OK(lx.Expect('<'));
    FieldDraft e;
    e.name = "element";
    FLOE_ASSIGN_OR_RAISE(e.type, ParseType(lx, depth + 1));
    if (lx.Keyword("not")) {
      if (!lx.Keyword("null")) return lx.Error("expected 'null' after 'not'");
      e.required = true;
    }
    t.fields.push_back(std::move(e));
    FLOE_RETURN_NOT_OK(lx.Expect('>'));
    return t;
  }
  if (lx.Keyword("map")) {
    t.kind = TypeDraft::kMap;
    FLOE_RETURN_NOT_OK(lx.Expect('<'));
    FieldDraft k, v;
    k.name = "key";
    k.required = true;
    FLOE_ASSIGN_OR_RAISE(k.type, ParseType(lx, depth + 1));
    FLOE_RETURN_NOT_OK(lx.Expect(','));
    v.name = "value";
    FLOE_ASSIGN_OR_RAISE(v.type, ParseType(lx, depth + 1));
    if (lx.Keyword("not")) {
      if (!lx.Keyword("null")) return lx.Error("expected 'null' after 'not'");
      v.required = true;
    }
    t.fields.push_back(std::move(k));
    t.fields.push_back(std::move(v));
    FLOE_RETURN_NOT_OK(lx.Expect('>'));
    return t;
  }
  std::string word = lx.Word();
  if (word.empty()) return lx.Error("expected a type");
  std::string text = util::AsciiLower(word);
  // Aliases users bring from SQL engines.
  if (text == "integer") text = "int";
  if (text == "bigint") text = "long";
  if (text == "varchar" || text == "text") text = "string";
  if (text == "bool") text = "boolean";
  if (text == "real") text = "float";
  if (lx.Peek() == '(' || lx.Peek() == '[') {
    char open = lx.Peek(), close = open == '(' ? ')' : ']';
    lx.Consume(open);
    text += open;
    int nest = 1;
    while (!lx.AtEnd() && nest > 0) {
      char c = lx.Peek();
      lx.Consume(c);
      if (c == open) ++nest;
      if (c == close) --nest;
      text += c;
    }
    if (nest > 0) return lx.Error("unclosed type parameters");
  }
  auto p = spec::ParsePrimitiveType(text);
  if (!p.ok()) {
    return Status::Invalid(lx.Error("").message(), "; ", p.status().message(),
                           " (type starting at position ", start, ")");
  }
  t.primitive = *p;
  return t;
}

// Builds types with ids in Java's fresh-id order: a struct's fields get ids
// first, then their children.
struct Builder {
  int32_t next = 1;
  std::vector<NestedField> Fields(const std::vector<FieldDraft>& drafts) {
    std::vector<int32_t> ids;
    for (size_t i = 0; i < drafts.size(); ++i) ids.push_back(next++);
    std::vector<NestedField> out;
    for (size_t i = 0; i < drafts.size(); ++i) {
      NestedField f{ids[i], drafts[i].name, drafts[i].required, Build(drafts[i].type),
                    drafts[i].doc};
      out.push_back(std::move(f));
    }
    return out;
  }
  TypePtr Build(const TypeDraft& t) {
    switch (t.kind) {
      case TypeDraft::kPrimitive: return t.primitive;
      case TypeDraft::kStruct: return Type::Struct(Fields(t.fields));
      case TypeDraft::kList: return Type::List(Fields(t.fields)[0]);
      case TypeDraft::kMap: {
        auto kv = Fields(t.fields);
        return Type::Map(kv[0], kv[1]);
      }
    }
    return t.primitive;
  }
};

Result<const NestedField*> Column(Lexer& lx, const spec::Schema& schema) {
  FLOE_ASSIGN_OR_RAISE(std::string name, lx.Name(/*dots=*/true));
  const NestedField* f = schema.FindFieldByName(name);
  if (!f) f = schema.FindFieldByName(name, /*case_sensitive=*/false);
  if (!f) return lx.Error("column '" + name + "' is not in the schema");
  return f;
}

// A transform call: bucket(16, col), bucket[16](col), day(col), ... The
// caller has checked that a '(' or '[' follows the word.
Result<std::pair<spec::Transform, const NestedField*>> TransformTerm(Lexer& lx,
                                                                    const spec::Schema& schema) {
  std::string word = util::AsciiLower(lx.Word());
  // Spark's plural spellings (years(ts)) are accepted too.
  if (word == "years" || word == "months" || word == "days" || word == "hours") word.pop_back();
  static const char* kNames[] = {"identity", "bucket", "truncate", "year",
                                 "month",    "day",    "hour",     "void"};
  bool known = false;
  for (const char* n : kNames) known |= word == n;
  if (!known) {
    return lx.Error("unknown transform '" + word +
                    "'; use identity, bucket, truncate, year, month, day, hour or void");
  }
  int32_t param = 0;
  const NestedField* column = nullptr;
  if (lx.Consume('[')) {
    FLOE_ASSIGN_OR_RAISE(param, lx.Integer());
    FLOE_RETURN_NOT_OK(lx.Expect(']'));
    FLOE_RETURN_NOT_OK(lx.Expect('('));
    FLOE_ASSIGN_OR_RAISE(column, Column(lx, schema));
    FLOE_RETURN_NOT_OK(lx.Expect(')'));
  } else {
    FLOE_RETURN_NOT_OK(lx.Expect('('));
    if (word == "bucket" || word == "truncate") {
      // bucket(16, col) as in Spark SQL; also accept bucket(col, 16).
      if (std::isdigit(static_cast<unsigned char>(lx.Peek()))) {
        FLOE_ASSIGN_OR_RAISE(param, lx.Integer());
        FLOE_RETURN_NOT_OK(lx.Expect(','));
        FLOE_ASSIGN_OR_RAISE(column, Column(lx, schema));
      } else {
        FLOE_ASSIGN_OR_RAISE(column, Column(lx, schema));
        FLOE_RETURN_NOT_OK(lx.Expect(','));
        FLOE_ASSIGN_OR_RAISE(param, lx.Integer());
      }
    } else {
      FLOE_ASSIGN_OR_RAISE(column, Column(lx, schema));
    }
    FLOE_RETURN_NOT_OK(lx.Expect(')'));
  }
  std::string text = word;
  if (word == "bucket" || word == "truncate") text += "[" + std::to_string(param) + "]";
  auto t = spec::Transform::Parse(text);
  if (!t.ok()) return lx.Error(t.status().message());
  return std::make_pair(*t, column);
}

}  // namespace

Result<spec::Schema> ParseSchema(std::string_view text) {
  Lexer lx(text, "schema");
  std::vector<FieldDraft> drafts;
  if (lx.AtEnd()) return lx.Error("the schema is empty; list columns as 'name type, ...'");
  do {
    FLOE_ASSIGN_OR_RAISE(FieldDraft f, ParseField(lx, 0, false));
    drafts.push_back(std::move(f));
  } while (lx.Consume(','));
  if (!lx.AtEnd()) return lx.Error("expected ',' or the end");
  Builder b;
  spec::Schema schema(0, b.Fields(drafts));
  FLOE_RETURN_NOT_OK(schema.Validate(3));
  return schema;
}

Result<spec::PartitionSpec> ParsePartitionSpec(std::string_view text, const spec::Schema& schema,
                                               int32_t spec_id, int32_t first_field_id) {
  Lexer lx(text, "partitioning");
  std::vector<spec::PartitionField> fields;
  if (lx.AtEnd()) return spec::PartitionSpec(spec_id, {});
  do {
    spec::Transform transform;
    const NestedField* column = nullptr;
    Lexer probe = lx;
    (void)probe.Word();
    if (probe.Peek() == '(' || probe.Peek() == '[') {
      FLOE_ASSIGN_OR_RAISE(auto term, TransformTerm(lx, schema));
      transform = term.first;
      column = term.second;
    } else {
      FLOE_ASSIGN_OR_RAISE(column, Column(lx, schema));
      transform = spec::Transform::Identity();
    }
    std::string source_name = schema.FindColumnName(column->id).value_or(column->name);
    std::string name = spec::DefaultPartitionFieldName(source_name, transform);
    if (lx.Keyword("as")) {
      FLOE_ASSIGN_OR_RAISE(name, lx.Name());
    }
    fields.push_back(spec::PartitionField{column->id, {},
                                          first_field_id + static_cast<int32_t>(fields.size()),
                                          name, transform});
  } while (lx.Consume(','));
  if (!lx.AtEnd()) return lx.Error("expected ',' or the end");
  spec::PartitionSpec spec(spec_id, std::move(fields));
  FLOE_RETURN_NOT_OK(spec.Validate(schema));
  return spec;
}

Result<spec::SortOrder> ParseSortOrder(std::string_view text, const spec::Schema& schema,
                                       int32_t order_id) {
  Lexer lx(text, "sort order");
  spec::SortOrder order;
  if (lx.AtEnd()) return order;  // unsorted
  order.order_id = order_id;
  do {
    spec::SortField f;
    Lexer probe = lx;
    (void)probe.Word();
    const NestedField* column = nullptr;
    if (probe.Peek() == '(' || probe.Peek() == '[') {
      FLOE_ASSIGN_OR_RAISE(auto term, TransformTerm(lx, schema));
      f.transform = term.first;
      column = term.second;
    } else {
      FLOE_ASSIGN_OR_RAISE(column, Column(lx, schema));
    }
    f.source_id = column->id;
    if (lx.Keyword("desc")) {
      f.direction = spec::SortDirection::kDesc;
    } else {
      lx.Keyword("asc");
    }
    // Java's defaults: ascending puts nulls first, descending last.
    f.null_order = f.direction == spec::SortDirection::kAsc ? spec::NullOrder::kNullsFirst
                                                            : spec::NullOrder::kNullsLast;
    if (lx.Keyword("nulls")) {
      if (lx.Keyword("first")) {
        f.null_order = spec::NullOrder::kNullsFirst;
      } else if (lx.Keyword("last")) {
        f.null_order = spec::NullOrder::kNullsLast;
      } else {
        return lx.Error("expected 'first' or 'last' after 'nulls'");
      }
    }
    order.fields.push_back(std::move(f));
  } while (lx.Consume(','));
  if (!lx.AtEnd()) return lx.Error("expected ',' or the end");
  FLOE_RETURN_NOT_OK(order.Validate(schema));
  return order;
}

namespace {

bool IsPlainWord(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// A name as Lexer::Name reads it back: plain words as they are, anything
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

std::string QuoteString(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

void FormatType(const Type& type, std::string* out);

void FormatField(const NestedField& f, bool colon, std::string* out) {
  *out += QuoteName(f.name);
  *out += colon ? ": " : " ";
  FormatType(*f.type, out);
  if (f.required) *out += " not null";
  if (f.doc) *out += " comment " + QuoteString(*f.doc);
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
// (Lexer::Name(dots) then reads it as one name).
std::string ColumnText(const spec::Schema& schema, int32_t id) {
  std::string name = schema.FindColumnName(id).value_or("?");
  for (std::string_view part : util::Split(name, '.')) {
    if (!IsPlainWord(part)) return QuoteName(name);
  }
  return name;
}

std::string TermText(const spec::Transform& t, const spec::Schema& schema, int32_t source_id) {
  std::string column = ColumnText(schema, source_id);
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
    if (!out.empty()) out += ", ";
    out += TermText(f.transform, schema, f.source_id);
    std::string source = schema.FindColumnName(f.source_id).value_or("");
    if (f.name != spec::DefaultPartitionFieldName(source, f.transform)) {
      out += " as " + QuoteName(f.name);
    }
  }
  return out;
}

std::string FormatSortOrder(const spec::SortOrder& order, const spec::Schema& schema) {
  std::string out;
  for (const spec::SortField& f : order.fields) {
    if (!out.empty()) out += ", ";
    out += TermText(f.transform, schema, f.source_id);
    const bool desc = f.direction == spec::SortDirection::kDesc;
    if (desc) out += " desc";
    const bool default_nulls =
        f.null_order == (desc ? spec::NullOrder::kNullsLast : spec::NullOrder::kNullsFirst);
    if (!default_nulls) {
      out += f.null_order == spec::NullOrder::kNullsFirst ? " nulls first" : " nulls last";
    }
  }
  return out;
}

namespace {

Result<TypePtr> TypeOnly(Lexer& lx) {
  FLOE_ASSIGN_OR_RAISE(TypeDraft t, ParseType(lx, 1));
  Builder b;
  return b.Build(t);
}

// The rest of the text, trimmed (partition fields and orders have their own parsers).
std::string Rest(std::string_view text, size_t pos) {
  std::string out(text.substr(pos));
  while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
  size_t start = 0;
  while (start < out.size() && std::isspace(static_cast<unsigned char>(out[start]))) ++start;
  return out.substr(start);
}

}  // namespace

Result<AlterChange> ParseAlterChange(std::string_view text) {
  Lexer lx(text, "alter");
  AlterChange c;
  auto position = [&]() -> Status {
    if (lx.Keyword("first")) {
      c.position = AlterChange::Position::kFirst;
    } else if (lx.Keyword("after")) {
      c.position = AlterChange::Position::kAfter;
      FLOE_ASSIGN_OR_RAISE(c.position_column, lx.Name(true));
    } else if (lx.Keyword("before")) {
      c.position = AlterChange::Position::kBefore;
      FLOE_ASSIGN_OR_RAISE(c.position_column, lx.Name(true));
    }
    return Status::OK();
  };
  auto end = [&]() -> Result<AlterChange> {
    if (!lx.AtEnd()) return lx.Error("unexpected text");
    return c;
  };
  if (lx.Keyword("add")) {
    if (lx.Keyword("partition")) {
      if (!lx.Keyword("field")) return lx.Error("expected 'field'");
      c.kind = AlterChange::Kind::kAddPartition;
      c.field = Rest(text, lx.pos());
      if (c.field.empty()) return lx.Error("expected a partition field, e.g. day(created_at)");
      return c;
    }
    if (!lx.Keyword("column")) return lx.Error("expected 'column' or 'partition field'");
    c.kind = AlterChange::Kind::kAddColumn;
    FLOE_ASSIGN_OR_RAISE(c.column, lx.Name(true));
    FLOE_ASSIGN_OR_RAISE(c.type, TypeOnly(lx));
    while (!lx.AtEnd()) {
      if (lx.Keyword("not")) {
        if (!lx.Keyword("null")) return lx.Error("expected 'null' after 'not'");
        c.required = true;
      } else if (lx.Keyword("comment") || lx.Keyword("doc")) {
        FLOE_ASSIGN_OR_RAISE(std::string doc, lx.QuotedString());
        c.doc = std::move(doc);
      } else if (lx.Keyword("default")) {
        if (lx.Peek() == '\'') {
          FLOE_ASSIGN_OR_RAISE(std::string v, lx.QuotedString());
          c.default_value = std::move(v);
        } else {
          std::string v;
          if (lx.Consume('-')) v = "-";
          std::string w = lx.Word(/*dots=*/true);
          if (w.empty()) return lx.Error("expected a default value");
          c.default_value = v + w;
        }
      } else {
        size_t before = lx.pos();
        FLOE_RETURN_NOT_OK(position());
        if (lx.pos() == before) return lx.Error("unexpected text");
      }
    }
    return c;
  }
  if (lx.Keyword("drop")) {
    if (lx.Keyword("partition")) {
      if (!lx.Keyword("field")) return lx.Error("expected 'field'");
      c.kind = AlterChange::Kind::kDropPartition;
      c.field = Rest(text, lx.pos());
      if (c.field.empty()) return lx.Error("expected a partition field name");
      return c;
    }
    if (lx.Keyword("identifier")) {
      if (!lx.Keyword("fields")) return lx.Error("expected 'fields'");
      c.kind = AlterChange::Kind::kSetIdentifiers;
      return end();
    }
    if (!lx.Keyword("column")) return lx.Error("expected 'column', 'partition field' or 'identifier fields'");
    c.kind = AlterChange::Kind::kDropColumn;
    FLOE_ASSIGN_OR_RAISE(c.column, lx.Name(true));
    return end();
  }
  if (lx.Keyword("rename")) {
    if (!lx.Keyword("column")) return lx.Error("expected 'column'");
    c.kind = AlterChange::Kind::kRenameColumn;
    FLOE_ASSIGN_OR_RAISE(c.column, lx.Name(true));
    if (!lx.Keyword("to")) return lx.Error("expected 'to'");
    FLOE_ASSIGN_OR_RAISE(c.new_name, lx.Name());
    return end();
  }
  if (lx.Keyword("alter")) {
    if (!lx.Keyword("column")) return lx.Error("expected 'column'");
    FLOE_ASSIGN_OR_RAISE(c.column, lx.Name(true));
    if (lx.Keyword("type")) {
      c.kind = AlterChange::Kind::kColumnType;
      FLOE_ASSIGN_OR_RAISE(c.type, TypeOnly(lx));
    } else if (lx.Keyword("drop")) {
      if (!lx.Keyword("not") || !lx.Keyword("null")) return lx.Error("expected 'not null'");
      c.kind = AlterChange::Kind::kDropNotNull;
    } else if (lx.Keyword("set")) {
      if (!lx.Keyword("not") || !lx.Keyword("null")) return lx.Error("expected 'not null'");
      c.kind = AlterChange::Kind::kSetNotNull;
    } else if (lx.Keyword("comment") || lx.Keyword("doc")) {
      c.kind = AlterChange::Kind::kColumnDoc;
      FLOE_ASSIGN_OR_RAISE(std::string doc, lx.QuotedString());
      c.doc = std::move(doc);
    } else {
      return lx.Error("expected 'type', 'drop not null', 'set not null' or 'comment'");
    }
    return end();
  }
  if (lx.Keyword("move")) {
    if (!lx.Keyword("column")) return lx.Error("expected 'column'");
    c.kind = AlterChange::Kind::kMoveColumn;
    FLOE_ASSIGN_OR_RAISE(c.column, lx.Name(true));
    FLOE_RETURN_NOT_OK(position());
    if (c.position == AlterChange::Position::kLast) {
      return lx.Error("expected 'first', 'after COLUMN' or 'before COLUMN'");
    }
    return end();
  }
  if (lx.Keyword("set")) {
    if (!lx.Keyword("identifier") || !lx.Keyword("fields")) {
      return lx.Error("expected 'identifier fields'");
    }
    c.kind = AlterChange::Kind::kSetIdentifiers;
    do {
      FLOE_ASSIGN_OR_RAISE(std::string n, lx.Name(true));
      c.names.push_back(std::move(n));
    } while (lx.Consume(','));
    return end();
  }
  if (lx.Keyword("replace")) {
    if (!lx.Keyword("partition") || !lx.Keyword("field")) return lx.Error("expected 'partition field'");
    c.kind = AlterChange::Kind::kReplacePartition;
    std::string rest = Rest(text, lx.pos());
    // "<old> with <new>": split at the last standalone "with".
    std::string lower = util::AsciiLower(rest);
    size_t at = std::string::npos;
    for (size_t i = lower.find("with"); i != std::string::npos; i = lower.find("with", i + 1)) {
      bool left = i > 0 && std::isspace(static_cast<unsigned char>(lower[i - 1]));
      bool right = i + 4 < lower.size() && std::isspace(static_cast<unsigned char>(lower[i + 4]));
      if (left && right) at = i;
    }
    if (at == std::string::npos) return lx.Error("expected 'OLD with NEW'");
    c.field = Rest(rest, 0).substr(0, at);
    c.field = Rest(c.field, 0);
    c.replacement = Rest(rest, at + 4);
    if (c.field.empty() || c.replacement.empty()) return lx.Error("expected 'OLD with NEW'");
    return c;
  }
  if (lx.Keyword("write")) {
    c.kind = AlterChange::Kind::kWriteOrder;
    if (lx.Keyword("unordered")) return end();
    if (!lx.Keyword("ordered") || !lx.Keyword("by")) return lx.Error("expected 'ordered by' or 'unordered'");
    c.field = Rest(text, lx.pos());
    if (c.field.empty()) return lx.Error("expected a sort order, e.g. created_at desc");
    return c;
  }
  return lx.Error("expected add, drop, rename, alter, move, set, replace or write");
}

}  // namespace floe::table
