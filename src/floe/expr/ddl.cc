#include "floe/expr/ddl.h"

#include <cctype>

#include "floe/expr/lexer.h"
#include "floe/util/strings.h"

namespace floe::expr {

using spec::NestedField;
using spec::Type;
using spec::TypePtr;

namespace {

// Walks the tokens of one text; errors quote the text and the position.
class Cursor {
 public:
  static Result<Cursor> Make(std::string_view text, const char* what) {
    Cursor c(text, what);
    if (std::optional<LexError> err = Tokenize(text, Dialect::kDdl, &c.toks_)) {
      return Status::Invalid(what, " ", util::Quote(text), ": ", err->message, " at position ",
                             err->pos);
    }
    return c;
  }

  const Token& Peek(size_t k = 0) const { return toks_[std::min(i_ + k, toks_.size() - 1)]; }
  const Token& Take() {
    const Token& t = toks_[i_];
    if (i_ + 1 < toks_.size()) ++i_;
    return t;
  }
  bool AtEnd() const { return Peek().kind == Tok::kEnd; }
  size_t pos() const { return Peek().pos; }

  bool Consume(Tok kind) {
    if (Peek().kind != kind) return false;
    Take();
    return true;
  }
  bool ConsumeOp(std::string_view op) {
    if (Peek().kind != Tok::kOp || Peek().text != op) return false;
    Take();
    return true;
  }
  Status Expect(Tok kind, const char* spelled) {
    if (Consume(kind)) return Status::OK();
    return Error(std::string("expected '") + spelled + "'");
  }
  Status ExpectOp(const char* op) {
    if (ConsumeOp(op)) return Status::OK();
    return Error(std::string("expected '") + op + "'");
  }
  // Case-insensitive keyword: a bare word.
  bool IsKeyword(std::string_view kw, size_t k = 0) const {
    const Token& t = Peek(k);
    return t.kind == Tok::kIdent && t.bare && util::EqualsIgnoreCase(t.text, kw);
  }
  bool Keyword(std::string_view kw) {
    if (!IsKeyword(kw)) return false;
    Take();
    return true;
  }
  // A name: a word or "quoted" / `quoted`; dotted paths only when `dots`.
  Result<std::string> Name(bool dots = false) {
    const Token& t = Peek();
    if (t.kind != Tok::kIdent) return Error("expected a name");
    if (!dots && t.segments > 1) return Error("expected a name without dots (quote it: `a.b`)");
    return Take().text;
  }
  Result<std::string> QuotedString() {
    if (Peek().kind != Tok::kString) return Error("expected a 'quoted' string");
    return Take().text;
  }
  Result<int32_t> Integer() {
    const Token& t = Peek();
    auto v = t.kind == Tok::kNumber && t.number_kind == UnboundLiteral::Kind::kInteger
                 ? util::ParseInt64(t.text)
                 : std::nullopt;
    if (!v || *v < INT32_MIN || *v > INT32_MAX) return Error("expected an integer");
    Take();
    return static_cast<int32_t>(*v);
  }
  Status Error(const std::string& what) const {
    // Stray punctuation is most often a name that needed quotes.
    const Token& t = Peek();
    if (t.kind == Tok::kOp && t.text != "<" && t.text != ">") {
      return ErrorAt(pos(), what + " (found " + util::Quote(t.raw) +
                                "; quote names that are not plain words: `my-field`)");
    }
    return ErrorAt(pos(), what);
  }
  Status ErrorAt(size_t at, const std::string& what) const {
    return Status::Invalid(what_, " ", util::Quote(text_), ": ", what, " at position ", at);
  }
  std::string_view text() const { return text_; }

 private:
  Cursor(std::string_view text, const char* what) : text_(text), what_(what) {}
  std::string_view text_;
  const char* what_;
  std::vector<Token> toks_;
  size_t i_ = 0;
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

Result<TypeDraft> ParseType(Cursor& cur, int depth);

// `not null` (or `required` / `optional` / `null`) after a type.
Result<bool> NotNull(Cursor& cur, bool* required) {
  if (cur.Keyword("not")) {
    if (!cur.Keyword("null")) return cur.Error("expected 'null' after 'not'");
    *required = true;
    return true;
  }
  return false;
}

Result<FieldDraft> ParseField(Cursor& cur, int depth, bool colon) {
  FieldDraft f;
  FLOE_ASSIGN_OR_RAISE(f.name, cur.Name());
  if (colon) cur.Consume(Tok::kColon);
  FLOE_ASSIGN_OR_RAISE(f.type, ParseType(cur, depth + 1));
  while (true) {
    FLOE_ASSIGN_OR_RAISE(bool not_null, NotNull(cur, &f.required));
    if (not_null) continue;
    if (cur.Keyword("required")) {
      f.required = true;
    } else if (cur.Keyword("optional") || cur.Keyword("null")) {
      f.required = false;
    } else if (cur.Keyword("comment")) {
      FLOE_ASSIGN_OR_RAISE(std::string doc, cur.QuotedString());
      f.doc = std::move(doc);
    } else {
      break;
    }
  }
  return f;
}

Result<TypeDraft> ParseType(Cursor& cur, int depth) {
  if (depth > 32) return cur.Error("types nested deeper than 32 levels");
  const size_t start = cur.pos();
  TypeDraft t;
  if (cur.Keyword("struct")) {
    t.kind = TypeDraft::kStruct;
    FLOE_RETURN_NOT_OK(cur.ExpectOp("<"));
    do {
      FLOE_ASSIGN_OR_RAISE(FieldDraft f, ParseField(cur, depth, true));
      t.fields.push_back(std::move(f));
    } while (cur.Consume(Tok::kComma));
    FLOE_RETURN_NOT_OK(cur.ExpectOp(">"));
    return t;
  }
  if (cur.Keyword("list") || cur.Keyword("array")) {
    t.kind = TypeDraft::kList;
    FLOE_RETURN_NOT_OK(cur.ExpectOp("<"));
    FieldDraft e;
    e.name = "element";
    FLOE_ASSIGN_OR_RAISE(e.type, ParseType(cur, depth + 1));
    FLOE_RETURN_NOT_OK(NotNull(cur, &e.required).status());
    t.fields.push_back(std::move(e));
    FLOE_RETURN_NOT_OK(cur.ExpectOp(">"));
    return t;
  }
  if (cur.Keyword("map")) {
    t.kind = TypeDraft::kMap;
    FLOE_RETURN_NOT_OK(cur.ExpectOp("<"));
    FieldDraft k, v;
    k.name = "key";
    k.required = true;
    FLOE_ASSIGN_OR_RAISE(k.type, ParseType(cur, depth + 1));
    FLOE_RETURN_NOT_OK(cur.Expect(Tok::kComma, ","));
    v.name = "value";
    FLOE_ASSIGN_OR_RAISE(v.type, ParseType(cur, depth + 1));
    FLOE_RETURN_NOT_OK(NotNull(cur, &v.required).status());
    t.fields.push_back(std::move(k));
    t.fields.push_back(std::move(v));
    FLOE_RETURN_NOT_OK(cur.ExpectOp(">"));
    return t;
  }
  if (cur.Peek().kind != Tok::kIdent || !cur.Peek().bare) return cur.Error("expected a type");
  std::string text = util::AsciiLower(cur.Take().text);
  // Aliases users bring from SQL engines.
  if (text == "integer") text = "int";
  if (text == "bigint") text = "long";
  if (text == "varchar" || text == "text") text = "string";
  if (text == "bool") text = "boolean";
  if (text == "real") text = "float";
  // Parameters: decimal(12, 2), fixed[16], geometry(OGC:CRS84) — passed to
  // the type parser as written, without spaces.
  const Tok open = cur.Peek().kind;
  if (open == Tok::kLParen || open == Tok::kLBracket) {
    const Tok close = open == Tok::kLParen ? Tok::kRParen : Tok::kRBracket;
    int nest = 0;
    do {
      const Token& tok = cur.Take();
      if (tok.kind == Tok::kEnd) return cur.Error("unclosed type parameters");
      if (tok.kind == open) ++nest;
      if (tok.kind == close) --nest;
      for (char c : tok.raw) {
        if (!std::isspace(static_cast<unsigned char>(c))) text += c;
      }
    } while (nest > 0);
  }
  auto p = spec::ParsePrimitiveType(text);
  if (!p.ok()) {
    return Status::Invalid(cur.Error("").message(), "; ", p.status().message(),
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

// A column, or a transform call: bucket(16, col), bucket[16](col),
// bucket(col, 16), day(col), years(col) (Spark's plural spellings)...
Result<std::pair<spec::Transform, std::string>> Term(Cursor& cur) {
  const Tok after = cur.Peek(1).kind;
  if (cur.Peek().kind != Tok::kIdent || !cur.Peek().bare ||
      (after != Tok::kLParen && after != Tok::kLBracket)) {
    FLOE_ASSIGN_OR_RAISE(std::string column, cur.Name(/*dots=*/true));
    return std::make_pair(spec::Transform::Identity(), std::move(column));
  }
  const size_t at = cur.pos();
  std::string word = util::AsciiLower(cur.Take().text);
  if (word == "years" || word == "months" || word == "days" || word == "hours") word.pop_back();
  static const char* kNames[] = {"identity", "bucket", "truncate", "year",
                                 "month",    "day",    "hour",     "void"};
  bool known = false;
  for (const char* n : kNames) known |= word == n;
  if (!known) {
    return cur.ErrorAt(at, "unknown transform '" + word +
                               "'; use identity, bucket, truncate, year, month, day, hour or void");
  }
  int32_t param = 0;
  std::string column;
  if (cur.Consume(Tok::kLBracket)) {
    FLOE_ASSIGN_OR_RAISE(param, cur.Integer());
    FLOE_RETURN_NOT_OK(cur.Expect(Tok::kRBracket, "]"));
    FLOE_RETURN_NOT_OK(cur.Expect(Tok::kLParen, "("));
    FLOE_ASSIGN_OR_RAISE(column, cur.Name(true));
  } else {
    FLOE_RETURN_NOT_OK(cur.Expect(Tok::kLParen, "("));
    if (word == "bucket" || word == "truncate") {
      if (cur.Peek().kind == Tok::kNumber) {
        FLOE_ASSIGN_OR_RAISE(param, cur.Integer());
        FLOE_RETURN_NOT_OK(cur.Expect(Tok::kComma, ","));
        FLOE_ASSIGN_OR_RAISE(column, cur.Name(true));
      } else {
        FLOE_ASSIGN_OR_RAISE(column, cur.Name(true));
        FLOE_RETURN_NOT_OK(cur.Expect(Tok::kComma, ","));
        FLOE_ASSIGN_OR_RAISE(param, cur.Integer());
      }
    } else {
      FLOE_ASSIGN_OR_RAISE(column, cur.Name(true));
    }
  }
  FLOE_RETURN_NOT_OK(cur.Expect(Tok::kRParen, ")"));
  std::string text = word;
  if (word == "bucket" || word == "truncate") text += "[" + std::to_string(param) + "]";
  auto t = spec::Transform::Parse(text);
  if (!t.ok()) return cur.Error(t.status().message());
  return std::make_pair(*t, std::move(column));
}

Result<PartitionTerm> ParsePartitionTerm(Cursor& cur) {
  PartitionTerm term;
  FLOE_ASSIGN_OR_RAISE(auto t, Term(cur));
  term.transform = t.first;
  term.column = std::move(t.second);
  if (cur.Keyword("as")) {
    FLOE_ASSIGN_OR_RAISE(std::string name, cur.Name());
    term.name = std::move(name);
  }
  return term;
}

Result<std::vector<SortTerm>> SortTerms(Cursor& cur) {
  std::vector<SortTerm> out;
  do {
    SortTerm s;
    FLOE_ASSIGN_OR_RAISE(auto t, Term(cur));
    s.transform = t.first;
    s.column = std::move(t.second);
    if (cur.Keyword("desc")) {
      s.direction = spec::SortDirection::kDesc;
    } else {
      cur.Keyword("asc");
    }
    // Java's defaults: ascending puts nulls first, descending last.
    s.null_order = s.direction == spec::SortDirection::kAsc ? spec::NullOrder::kNullsFirst
                                                            : spec::NullOrder::kNullsLast;
    if (cur.Keyword("nulls")) {
      if (cur.Keyword("first")) {
        s.null_order = spec::NullOrder::kNullsFirst;
      } else if (cur.Keyword("last")) {
        s.null_order = spec::NullOrder::kNullsLast;
      } else {
        return cur.Error("expected 'first' or 'last' after 'nulls'");
      }
    }
    out.push_back(std::move(s));
  } while (cur.Consume(Tok::kComma));
  return out;
}

Result<const NestedField*> FindColumn(const spec::Schema& schema, const std::string& name) {
  const NestedField* f = schema.FindFieldByName(name);
  if (!f) f = schema.FindFieldByName(name, /*case_sensitive=*/false);
  if (!f) return Status::Invalid("column '", name, "' is not in the schema");
  return f;
}

}  // namespace

Result<spec::Schema> ParseSchema(std::string_view text) {
  FLOE_ASSIGN_OR_RAISE(Cursor cur, Cursor::Make(text, "schema"));
  std::vector<FieldDraft> drafts;
  if (cur.AtEnd()) return cur.Error("the schema is empty; list columns as 'name type, ...'");
  do {
    FLOE_ASSIGN_OR_RAISE(FieldDraft f, ParseField(cur, 0, false));
    drafts.push_back(std::move(f));
  } while (cur.Consume(Tok::kComma));
  if (!cur.AtEnd()) return cur.Error("expected ',' or the end");
  Builder b;
  spec::Schema schema(0, b.Fields(drafts));
  FLOE_RETURN_NOT_OK(schema.Validate(3));
  return schema;
}

Result<std::vector<PartitionTerm>> ParsePartitionTerms(std::string_view text) {
  FLOE_ASSIGN_OR_RAISE(Cursor cur, Cursor::Make(text, "partitioning"));
  std::vector<PartitionTerm> out;
  if (cur.AtEnd()) return out;
  do {
    FLOE_ASSIGN_OR_RAISE(PartitionTerm term, ParsePartitionTerm(cur));
    out.push_back(std::move(term));
  } while (cur.Consume(Tok::kComma));
  if (!cur.AtEnd()) return cur.Error("expected ',' or the end");
  return out;
}

Result<std::vector<SortTerm>> ParseSortTerms(std::string_view text) {
  FLOE_ASSIGN_OR_RAISE(Cursor cur, Cursor::Make(text, "sort order"));
  if (cur.AtEnd()) return std::vector<SortTerm>{};  // unsorted
  FLOE_ASSIGN_OR_RAISE(auto out, SortTerms(cur));
  if (!cur.AtEnd()) return cur.Error("expected ',' or the end");
  return out;
}

Result<spec::PartitionField> BindPartitionTerm(const PartitionTerm& term,
                                               const spec::Schema& schema, int32_t field_id) {
  FLOE_ASSIGN_OR_RAISE(const NestedField* column, FindColumn(schema, term.column));
  std::string source_name = schema.FindColumnName(column->id).value_or(column->name);
  std::string name = term.name ? *term.name
                               : spec::DefaultPartitionFieldName(source_name, term.transform);
  return spec::PartitionField{column->id, {}, field_id, std::move(name), term.transform};
}

Result<spec::SortField> BindSortTerm(const SortTerm& term, const spec::Schema& schema) {
  FLOE_ASSIGN_OR_RAISE(const NestedField* column, FindColumn(schema, term.column));
  spec::SortField f;
  f.transform = term.transform;
  f.source_id = column->id;
  f.direction = term.direction;
  f.null_order = term.null_order;
  return f;
}

Result<spec::PartitionSpec> ParsePartitionSpec(std::string_view text, const spec::Schema& schema,
                                               int32_t spec_id, int32_t first_field_id) {
  FLOE_ASSIGN_OR_RAISE(auto terms, ParsePartitionTerms(text));
  std::vector<spec::PartitionField> fields;
  for (const PartitionTerm& term : terms) {
    auto f = BindPartitionTerm(term, schema, first_field_id + static_cast<int32_t>(fields.size()));
    if (!f.ok()) return Status::Invalid("partitioning ", util::Quote(text), ": ", f.status().message());
    fields.push_back(std::move(*f));
  }
  spec::PartitionSpec spec(spec_id, std::move(fields));
  FLOE_RETURN_NOT_OK(spec.Validate(schema));
  return spec;
}

Result<spec::SortOrder> BindSortOrder(const std::vector<SortTerm>& terms,
                                      const spec::Schema& schema, int32_t order_id) {
  spec::SortOrder order;
  if (terms.empty()) return order;  // unsorted
  order.order_id = order_id;
  for (const SortTerm& term : terms) {
    FLOE_ASSIGN_OR_RAISE(spec::SortField f, BindSortTerm(term, schema));
    order.fields.push_back(std::move(f));
  }
  FLOE_RETURN_NOT_OK(order.Validate(schema));
  return order;
}

Result<spec::SortOrder> ParseSortOrder(std::string_view text, const spec::Schema& schema,
                                       int32_t order_id) {
  FLOE_ASSIGN_OR_RAISE(auto terms, ParseSortTerms(text));
  auto order = BindSortOrder(terms, schema, order_id);
  if (!order.ok()) return Status::Invalid("sort order ", util::Quote(text), ": ", order.status().message());
  return order;
}

namespace {

Result<TypePtr> TypeOnly(Cursor& cur) {
  FLOE_ASSIGN_OR_RAISE(TypeDraft t, ParseType(cur, 1));
  Builder b;
  return b.Build(t);
}

}  // namespace

Result<AlterChange> ParseAlterChange(std::string_view text) {
  FLOE_ASSIGN_OR_RAISE(Cursor cur, Cursor::Make(text, "alter"));
  AlterChange c;
  auto position = [&]() -> Status {
    if (cur.Keyword("first")) {
      c.position = AlterChange::Position::kFirst;
    } else if (cur.Keyword("after")) {
      c.position = AlterChange::Position::kAfter;
      FLOE_ASSIGN_OR_RAISE(c.position_column, cur.Name(true));
    } else if (cur.Keyword("before")) {
      c.position = AlterChange::Position::kBefore;
      FLOE_ASSIGN_OR_RAISE(c.position_column, cur.Name(true));
    }
    return Status::OK();
  };
  auto end = [&]() -> Result<AlterChange> {
    if (!cur.AtEnd()) return cur.Error("unexpected text");
    return c;
  };
  auto partition_term = [&](PartitionTerm* out, const char* example) -> Status {
    if (cur.AtEnd()) return cur.Error(std::string("expected a partition field, e.g. ") + example);
    FLOE_ASSIGN_OR_RAISE(*out, ParsePartitionTerm(cur));
    return Status::OK();
  };
  if (cur.Keyword("add")) {
    if (cur.Keyword("partition")) {
      if (!cur.Keyword("field")) return cur.Error("expected 'field'");
      c.kind = AlterChange::Kind::kAddPartition;
      FLOE_RETURN_NOT_OK(partition_term(&c.partition, "day(created_at)"));
      return end();
    }
    if (!cur.Keyword("column")) return cur.Error("expected 'column' or 'partition field'");
    c.kind = AlterChange::Kind::kAddColumn;
    FLOE_ASSIGN_OR_RAISE(c.column, cur.Name(true));
    FLOE_ASSIGN_OR_RAISE(c.type, TypeOnly(cur));
    while (!cur.AtEnd()) {
      FLOE_ASSIGN_OR_RAISE(bool not_null, NotNull(cur, &c.required));
      if (not_null) continue;
      if (cur.Keyword("comment") || cur.Keyword("doc")) {
        FLOE_ASSIGN_OR_RAISE(std::string doc, cur.QuotedString());
        c.doc = std::move(doc);
      } else if (cur.Keyword("default")) {
        const Token& v = cur.Peek();
        if (v.kind != Tok::kString && v.kind != Tok::kNumber &&
            (v.kind != Tok::kIdent || !v.bare)) {
          return cur.Error("expected a default value: a number, true, false or a 'quoted' text");
        }
        c.default_value = cur.Take().text;
      } else {
        const size_t before = cur.pos();
        FLOE_RETURN_NOT_OK(position());
        if (cur.pos() == before) return cur.Error("unexpected text");
      }
    }
    return c;
  }
  if (cur.Keyword("drop")) {
    if (cur.Keyword("partition")) {
      if (!cur.Keyword("field")) return cur.Error("expected 'field'");
      c.kind = AlterChange::Kind::kDropPartition;
      FLOE_RETURN_NOT_OK(partition_term(&c.partition, "its name or day(created_at)"));
      return end();
    }
    if (cur.Keyword("identifier")) {
      if (!cur.Keyword("fields")) return cur.Error("expected 'fields'");
      c.kind = AlterChange::Kind::kSetIdentifiers;
      return end();
    }
    if (!cur.Keyword("column")) {
      return cur.Error("expected 'column', 'partition field' or 'identifier fields'");
    }
    c.kind = AlterChange::Kind::kDropColumn;
    FLOE_ASSIGN_OR_RAISE(c.column, cur.Name(true));
    return end();
  }
  if (cur.Keyword("rename")) {
    if (!cur.Keyword("column")) return cur.Error("expected 'column'");
    c.kind = AlterChange::Kind::kRenameColumn;
    FLOE_ASSIGN_OR_RAISE(c.column, cur.Name(true));
    if (!cur.Keyword("to")) return cur.Error("expected 'to'");
    FLOE_ASSIGN_OR_RAISE(c.new_name, cur.Name());
    return end();
  }
  if (cur.Keyword("alter")) {
    if (!cur.Keyword("column")) return cur.Error("expected 'column'");
    FLOE_ASSIGN_OR_RAISE(c.column, cur.Name(true));
    if (cur.Keyword("type")) {
      c.kind = AlterChange::Kind::kColumnType;
      FLOE_ASSIGN_OR_RAISE(c.type, TypeOnly(cur));
    } else if (cur.Keyword("drop")) {
      if (!cur.Keyword("not") || !cur.Keyword("null")) return cur.Error("expected 'not null'");
      c.kind = AlterChange::Kind::kDropNotNull;
    } else if (cur.Keyword("set")) {
      if (!cur.Keyword("not") || !cur.Keyword("null")) return cur.Error("expected 'not null'");
      c.kind = AlterChange::Kind::kSetNotNull;
    } else if (cur.Keyword("comment") || cur.Keyword("doc")) {
      c.kind = AlterChange::Kind::kColumnDoc;
      FLOE_ASSIGN_OR_RAISE(std::string doc, cur.QuotedString());
      c.doc = std::move(doc);
    } else {
      return cur.Error("expected 'type', 'drop not null', 'set not null' or 'comment'");
    }
    return end();
  }
  if (cur.Keyword("move")) {
    if (!cur.Keyword("column")) return cur.Error("expected 'column'");
    c.kind = AlterChange::Kind::kMoveColumn;
    FLOE_ASSIGN_OR_RAISE(c.column, cur.Name(true));
    FLOE_RETURN_NOT_OK(position());
    if (c.position == AlterChange::Position::kLast) {
      return cur.Error("expected 'first', 'after COLUMN' or 'before COLUMN'");
    }
    return end();
  }
  if (cur.Keyword("set")) {
    if (!cur.Keyword("identifier") || !cur.Keyword("fields")) {
      return cur.Error("expected 'identifier fields'");
    }
    c.kind = AlterChange::Kind::kSetIdentifiers;
    do {
      FLOE_ASSIGN_OR_RAISE(std::string n, cur.Name(true));
      c.names.push_back(std::move(n));
    } while (cur.Consume(Tok::kComma));
    return end();
  }
  if (cur.Keyword("replace")) {
    if (!cur.Keyword("partition") || !cur.Keyword("field")) {
      return cur.Error("expected 'partition field'");
    }
    c.kind = AlterChange::Kind::kReplacePartition;
    FLOE_RETURN_NOT_OK(partition_term(&c.partition, "OLD with NEW"));
    if (!cur.Keyword("with")) return cur.Error("expected 'with NEW'");
    FLOE_RETURN_NOT_OK(partition_term(&c.replacement, "day(created_at)"));
    return end();
  }
  if (cur.Keyword("write")) {
    c.kind = AlterChange::Kind::kWriteOrder;
    if (cur.Keyword("unordered")) return end();
    if (!cur.Keyword("ordered") || !cur.Keyword("by")) {
      return cur.Error("expected 'ordered by' or 'unordered'");
    }
    if (cur.AtEnd()) return cur.Error("expected a sort order, e.g. created_at desc");
    FLOE_ASSIGN_OR_RAISE(c.order, SortTerms(cur));
    return end();
  }
  return cur.Error("expected add, drop, rename, alter, move, set, replace or write");
}

}  // namespace floe::expr
