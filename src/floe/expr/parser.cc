#include "floe/expr/parser.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "floe/expr/lexer.h"
#include "floe/expr/syntax_internal.h"
#include "floe/util/strings.h"

namespace floe::expr {

namespace {

using spec::Type;
using spec::TypePtr;

// ---------------------------------------------------------------------------
// Typed literals

TypePtr TypeForKeyword(std::string_view word) {
  if (util::EqualsIgnoreCase(word, "date")) return Type::Date();
  if (util::EqualsIgnoreCase(word, "time")) return Type::Time();
  if (util::EqualsIgnoreCase(word, "timestamp")) return Type::Timestamp();
  if (util::EqualsIgnoreCase(word, "timestamptz")) return Type::TimestampTz();
  if (util::EqualsIgnoreCase(word, "timestamp_ns")) return Type::TimestampNs();
  if (util::EqualsIgnoreCase(word, "timestamptz_ns")) return Type::TimestampTzNs();
  if (util::EqualsIgnoreCase(word, "uuid")) return Type::Uuid();
  if (util::EqualsIgnoreCase(word, "binary")) return Type::Binary();
  if (util::EqualsIgnoreCase(word, "decimal")) return Type::Decimal(1, 0);  // refined by the text
  return nullptr;
}

// decimal '1.23': the type is decimal(P,S) with S the digits after the point
// and P the significant digits (at least S, at least 1).
Result<UnboundLiteral> TypedDecimal(std::string_view text) {
  std::string_view digits = util::Trim(text);
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
  const size_t point = digits.find('.');
  std::string_view whole = digits.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? "" : digits.substr(point + 1);
  auto all_digits = [](std::string_view s) {
    return s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if ((whole.empty() && fraction.empty()) || !all_digits(whole) || !all_digits(fraction) ||
      (point != std::string_view::npos && fraction.empty())) {
    return Status::Invalid("expected digits with an optional point, e.g. decimal '10.50'");
  }
  std::string significant = std::string(whole) + std::string(fraction);
  significant.erase(0, std::min(significant.find_first_not_of('0'), significant.size()));
  const auto scale = static_cast<int32_t>(fraction.size());
  const int32_t precision =
      std::max({int32_t{1}, scale, static_cast<int32_t>(significant.size())});
  if (precision > 38) {
    return Status::Invalid("it has ", precision, " digits; decimals hold at most 38");
  }
  TypePtr type = Type::Decimal(precision, scale);
  FLOE_ASSIGN_OR_RAISE(spec::Literal value, spec::LiteralFromString(text, *type));
  return UnboundLiteral::Typed(std::move(type), std::move(value));
}

// ---------------------------------------------------------------------------
// Parser

// Invalid: filter "<text>": <message> at position <pos>.
Status FilterError(std::string_view text, const std::string& message, size_t pos) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '"';
  return Status::Invalid("filter ", quoted, ": ", message, " at position ", pos);
}

struct Operand {
  size_t pos = 0;
  std::optional<std::string> column;       // a column, or
  std::optional<UnboundLiteral> literal;   // a literal
  std::string raw;                         // as written, for messages
};

class Parser {
 public:
  Parser(std::string_view text, std::vector<Token> tokens)
      : text_(text), toks_(std::move(tokens)) {}

  Result<ExprPtr> Run() {
    if (Peek().kind == Tok::kEnd) {
      return Error(0, "empty filter: expected a predicate such as id = 5");
    }
    FLOE_ASSIGN_OR_RAISE(ExprPtr e, ParseOr());
    const Token& t = Peek();
    if (t.kind == Tok::kRParen) return Error(t.pos, "unexpected ')' without a matching '('");
    if (t.kind != Tok::kEnd) {
      return Error(t.pos, "unexpected " + Describe(t) +
                              "; expected 'and', 'or' or the end of the filter");
    }
    return e;
  }

 private:
  Status Error(size_t pos, const std::string& message) const {
    return FilterError(text_, message, pos);
  }

  const Token& Peek(size_t k = 0) const { return toks_[std::min(i_ + k, toks_.size() - 1)]; }
  const Token& Take() {
    const Token& t = toks_[i_];
    if (i_ + 1 < toks_.size()) ++i_;
    return t;
  }
  static bool IsWord(const Token& t, std::string_view keyword) {
    return t.kind == Tok::kIdent && t.bare && util::EqualsIgnoreCase(t.text, keyword);
  }
  static std::string Describe(const Token& t) {
    if (t.kind == Tok::kEnd) return "the end of the filter";
    return util::Quote(t.raw);
  }
  // "expected X after 'Y'" with ", found Z" unless at the end.
  Status Expected(const std::string& what, const Token& after) const {
    const Token& t = Peek();
    std::string message = "expected " + what + " after " + util::Quote(after.raw);
    if (t.kind != Tok::kEnd) message += ", found " + Describe(t);
    return Error(t.pos, message);
  }

  Result<ExprPtr> ParseOr(const Token* after = nullptr) {
    FLOE_ASSIGN_OR_RAISE(ExprPtr left, ParseAnd(after));
    while (IsWord(Peek(), "or")) {
      const Token& op = Take();
      FLOE_ASSIGN_OR_RAISE(ExprPtr right, ParseAnd(&op));
      left = Or(std::move(left), std::move(right));
    }
    return left;
  }

  Result<ExprPtr> ParseAnd(const Token* after = nullptr) {
    FLOE_ASSIGN_OR_RAISE(ExprPtr left, ParseNot(after));
    while (IsWord(Peek(), "and")) {
      const Token& op = Take();
      FLOE_ASSIGN_OR_RAISE(ExprPtr right, ParseNot(&op));
      left = And(std::move(left), std::move(right));
    }
    return left;
  }

  // Filters deeper or longer than this are refused: every walk over a
  // filter (binding, projection, evaluation) recurses, and a filter from a
  // REST client must not be able to exhaust the stack.
  static constexpr int kMaxNesting = 100;
  static constexpr int kMaxTerms = 1000;

  // `after` is the token before this term, for messages.
  Result<ExprPtr> ParseNot(const Token* after) {
    if (++terms_ > kMaxTerms) {
      return Error(Peek().pos, "the filter has more than " + std::to_string(kMaxTerms) +
                                   " terms; use 'in (...)' for long lists of values");
    }
    if (IsWord(Peek(), "not") || Peek().kind == Tok::kLParen) {
      if (depth_ >= kMaxNesting) {
        return Error(Peek().pos, "the filter nests 'not' and parentheses deeper than " +
                                     std::to_string(kMaxNesting) + " levels");
      }
    }
    if (IsWord(Peek(), "not")) {
      const Token& op = Take();
      ++depth_;
      auto child = ParseNot(&op);
      --depth_;
      FLOE_RETURN_NOT_OK(child.status());
      return Not(std::move(*child));
    }
    const Token& t = Peek();
    if (t.kind == Tok::kLParen) {
      const Token& open = Take();
      ++depth_;
      auto parsed = ParseOr(&open);
      --depth_;
      FLOE_ASSIGN_OR_RAISE(ExprPtr inner, std::move(parsed));
      if (Peek().kind != Tok::kRParen) {
        const Token& found = Peek();
        return Error(found.pos, "expected ')' to close the '(' at position " +
                                    std::to_string(open.pos) + ", found " + Describe(found));
      }
      Take();
      return inner;
    }
    if ((IsWord(t, "true") || IsWord(t, "false")) && Peek(1).kind != Tok::kOp) {
      Take();
      return IsWord(t, "true") ? AlwaysTrue() : AlwaysFalse();
    }
    return ParsePredicate(after);
  }

  Result<ExprPtr> ParsePredicate(const Token* after) {
    FLOE_ASSIGN_OR_RAISE(std::optional<Operand> left, ParseOperand());
    if (!left) {
      if (after) return Expected("a predicate", *after);
      return Error(Peek().pos, "expected a predicate, found " + Describe(Peek()));
    }
    const Token& t = Peek();
    if (t.kind == Tok::kOp) return ParseComparison(std::move(*left));
    const bool is = IsWord(t, "is"), not_ = IsWord(t, "not"), in = IsWord(t, "in"),
               starts = IsWord(t, "starts");
    if (!is && !not_ && !in && !starts) {
      return Expected("an operator (=, !=, <, <=, >, >=, in, not in, is, starts with)",
                      toks_[i_ - 1]);
    }
    if (!left->column) {
      return Error(left->pos, "expected a column before " + util::Quote(t.raw) + ", found " +
                                  util::Quote(left->raw));
    }
    std::string column = std::move(*left->column);
    const Token& first = Take();
    if (is) {
      const bool negated = IsWord(Peek(), "not");
      if (negated) Take();
      if (IsWord(Peek(), "null")) {
        Take();
        return negated ? NotNull(std::move(column)) : IsNull(std::move(column));
      }
      if (IsWord(Peek(), "nan")) {
        Take();
        return negated ? NotNan(std::move(column)) : IsNan(std::move(column));
      }
      return Expected(negated ? "'null' or 'nan'" : "'null', 'not null', 'nan' or 'not nan'",
                      toks_[i_ - 1]);
    }
    bool negated = false;
    if (not_) {
      negated = true;
      if (!IsWord(Peek(), "in") && !IsWord(Peek(), "starts")) {
        return Expected("'in' or 'starts with'", first);
      }
    }
    const Token& word = negated ? Take() : first;
    if (IsWord(word, "in")) return ParseSet(std::move(column), negated, word);
    if (!IsWord(Peek(), "with")) return Expected("'with'", word);
    const Token& with = Take();
    FLOE_ASSIGN_OR_RAISE(std::optional<Operand> prefix, ParseOperand());
    if (!prefix || !prefix->literal ||
        prefix->literal->kind() != UnboundLiteral::Kind::kString) {
      if (prefix) {
        return Error(prefix->pos, "expected a string literal such as 'abc' after 'starts with'"
                                  ", found " + util::Quote(prefix->raw));
      }
      return Expected("a string literal such as 'abc'", with);
    }
    std::string text = prefix->literal->text();
    return negated ? NotStartsWith(std::move(column), std::move(text))
                   : StartsWith(std::move(column), std::move(text));
  }

  Result<ExprPtr> ParseComparison(Operand left) {
    const Token& op_token = Take();
    Op op;
    if (op_token.text == "=") op = Op::kEq;
    else if (op_token.text == "!=") op = Op::kNotEq;
    else if (op_token.text == "<") op = Op::kLt;
    else if (op_token.text == "<=") op = Op::kLtEq;
    else if (op_token.text == ">") op = Op::kGt;
    else op = Op::kGtEq;
    FLOE_ASSIGN_OR_RAISE(std::optional<Operand> right, ParseOperand());
    if (!right) return Expected(left.column ? "a literal" : "a column", op_token);
    if (left.column && right->column) {
      return Error(right->pos, "comparing two columns (" + util::Quote(*left.column) + " " +
                                   op_token.raw + " " + util::Quote(*right->column) +
                                   ") is not supported; compare a column with a literal");
    }
    if (!left.column && !right->column) {
      return Error(left.pos, "expected a column on one side of " + util::Quote(op_token.raw) +
                                 ", found two literals");
    }
    if (left.column) {
      return MakePredicate(op, std::move(*left.column), {std::move(*right->literal)});
    }
    return MakePredicate(FlipOp(op), std::move(*right->column), {std::move(*left.literal)});
  }

  Result<ExprPtr> ParseSet(std::string column, bool negated, const Token& in) {
    if (Peek().kind != Tok::kLParen) return Expected("'('", in);
    const Token* after = &Take();
    std::vector<UnboundLiteral> values;
    while (true) {
      FLOE_ASSIGN_OR_RAISE(std::optional<Operand> v, ParseOperand());
      if (!v) return Expected("a literal", *after);
      if (!v->literal) {
        return Error(v->pos, "expected a literal in the list, found column " +
                                 util::Quote(*v->column));
      }
      values.push_back(std::move(*v->literal));
      if (Peek().kind == Tok::kRParen) {
        Take();
        break;
      }
      if (Peek().kind != Tok::kComma) {
        const Token& found = Peek();
        return Error(found.pos, "expected ',' or ')' in the list after " +
                                    util::Quote(toks_[i_ - 1].raw) + ", found " + Describe(found));
      }
      after = &Take();
    }
    return negated ? NotIn(std::move(column), std::move(values))
                   : In(std::move(column), std::move(values));
  }

  // A column or a literal; nullopt (nothing consumed) when the next token
  // starts neither.
  Result<std::optional<Operand>> ParseOperand() {
    const Token& t = Peek();
    Operand o;
    o.pos = t.pos;
    o.raw = t.raw;
    switch (t.kind) {
      case Tok::kNumber: {
        Take();
        if (t.number_kind == UnboundLiteral::Kind::kInteger) {
          if (auto v = util::ParseInt64(t.text)) {
            o.literal = UnboundLiteral::Integer(*v);
          } else {
            o.literal = UnboundLiteral::Decimal(t.text);  // beyond 64 bits: decimal columns only
          }
        } else if (t.number_kind == UnboundLiteral::Kind::kDecimal) {
          o.literal = UnboundLiteral::Decimal(t.text);
        } else {
          o.literal = UnboundLiteral::Float(t.text);
        }
        return o;
      }
      case Tok::kString:
        Take();
        o.literal = UnboundLiteral::String(t.text);
        return o;
      case Tok::kHex:
        Take();
        o.literal = UnboundLiteral::Typed(Type::Binary(), spec::Literal::Binary(t.text));
        return o;
      case Tok::kIdent:
        break;
      default:
        return std::optional<Operand>();
    }
    if (!t.bare) {
      Take();
      o.column = t.text;
      return o;
    }
    if (IsWord(t, "true") || IsWord(t, "false")) {
      Take();
      o.literal = UnboundLiteral::Boolean(IsWord(t, "true"));
      return o;
    }
    if (IsWord(t, "null")) {
      return Error(t.pos, "null is not a value to compare with; use 'is null' or 'is not null'");
    }
    if (internal::IsReservedWord(t.text)) return std::optional<Operand>();
    const Token& next = Peek(1);
    TypePtr type = TypeForKeyword(t.text);
    if (type && (next.kind == Tok::kString ||
                 (next.kind == Tok::kHex && type->id() == spec::TypeId::kBinary))) {
      Take();
      const Token& value = Take();
      o.raw = t.raw + " " + value.raw;
      Result<UnboundLiteral> lit = ParseTyped(type, value);
      if (!lit.ok()) {
        return Error(t.pos, "invalid " + util::AsciiLower(t.text) + " literal " +
                                util::Quote(value.kind == Tok::kHex ? value.raw : value.text) +
                                ": " + lit.status().message());
      }
      o.literal = std::move(*lit);
      return o;
    }
    Take();
    o.column = t.text;
    return o;
  }

  static Result<UnboundLiteral> ParseTyped(const TypePtr& type, const Token& value) {
    switch (type->id()) {
      case spec::TypeId::kDecimal:
        return TypedDecimal(value.text);
      case spec::TypeId::kBinary: {
        if (value.kind == Tok::kHex) {
          return UnboundLiteral::Typed(type, spec::Literal::Binary(value.text));
        }
        auto bytes = util::HexDecode(value.text);
        if (!bytes) return Status::Invalid("expected an even number of hex digits");
        return UnboundLiteral::Typed(type, spec::Literal::Binary(std::move(*bytes)));
      }
      default: {
        FLOE_ASSIGN_OR_RAISE(spec::Literal v, spec::LiteralFromString(value.text, *type));
        return UnboundLiteral::Typed(type, std::move(v));
      }
    }
  }

  std::string_view text_;
  std::vector<Token> toks_;
  size_t i_ = 0;
  int depth_ = 0;  // open parentheses and nots
  int terms_ = 0;
};

}  // namespace

Result<ExprPtr> ParseFilter(std::string_view text) {
  // Iceberg strings are UTF-8 and pruning relies on it (truncation keeps
  // order only on valid UTF-8): a literal in another encoding could prune
  // partitions that hold matching rows. Found by fuzzing.
  if (auto bad = util::FindInvalidUtf8(text)) {
    return FilterError(text, "the filter is not valid UTF-8 (re-encode it from your terminal's "
                             "character set)", *bad);
  }
  std::vector<Token> tokens;
  if (std::optional<LexError> err = Tokenize(text, Dialect::kFilter, &tokens)) {
    return FilterError(text, err->message, err->pos);
  }
  return Parser(text, std::move(tokens)).Run();
}

}  // namespace floe::expr
