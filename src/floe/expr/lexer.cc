#include "floe/expr/lexer.h"

#include <cctype>

#include "floe/expr/syntax_internal.h"
#include "floe/util/strings.h"

namespace floe::expr {

namespace {

bool IsIdentStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool IsIdentChar(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

class Lexer {
 public:
  Lexer(std::string_view text, Dialect dialect) : s_(text), dialect_(dialect) {}

  // Fills `out` with every token and a final kEnd; on a lexical error
  // returns its message and sets `*error_pos`.
  std::optional<std::string> Run(std::vector<Token>* out, size_t* error_pos) {
    while (true) {
      while (p_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[p_]))) ++p_;
      Token t;
      t.pos = p_;
      if (p_ == s_.size()) {
        out->push_back(std::move(t));
        return std::nullopt;
      }
      std::optional<std::string> err = Next(&t);
      if (err) {
        *error_pos = error_pos_;
        return err;
      }
      t.raw = std::string(s_.substr(t.pos, p_ - t.pos));
      out->push_back(std::move(t));
    }
  }

 private:
  std::optional<std::string> Fail(size_t pos, std::string message) {
    error_pos_ = pos;
    return message;
  }

  std::optional<std::string> Next(Token* t) {
    const char c = s_[p_];
    const char n = p_ + 1 < s_.size() ? s_[p_ + 1] : '\0';
    if (dialect_ == Dialect::kDdl) {
      switch (c) {
        case '[': t->kind = Tok::kLBracket; ++p_; return std::nullopt;
        case ']': t->kind = Tok::kRBracket; ++p_; return std::nullopt;
        case ':': t->kind = Tok::kColon; ++p_; return std::nullopt;
        case '<':
        case '>':
          t->kind = Tok::kOp;
          t->text = std::string(1, c);
          ++p_;
          return std::nullopt;
        default:
          break;
      }
    }
    switch (c) {
      case '(': t->kind = Tok::kLParen; ++p_; return std::nullopt;
      case ')': t->kind = Tok::kRParen; ++p_; return std::nullopt;
      case ',': t->kind = Tok::kComma; ++p_; return std::nullopt;
      case '=':
        t->kind = Tok::kOp;
        t->text = "=";
        p_ += n == '=' ? 2 : 1;
        return std::nullopt;
      case '!':
        if (n != '=') return Fail(p_, "unexpected character '!'; did you mean '!='?");
        t->kind = Tok::kOp;
        t->text = "!=";
        p_ += 2;
        return std::nullopt;
      case '<':
        t->kind = Tok::kOp;
        t->text = n == '=' ? "<=" : n == '>' ? "!=" : "<";
        p_ += (n == '=' || n == '>') ? 2 : 1;
        return std::nullopt;
      case '>':
        t->kind = Tok::kOp;
        t->text = n == '=' ? ">=" : ">";
        p_ += n == '=' ? 2 : 1;
        return std::nullopt;
      case '\'':
        t->kind = Tok::kString;
        return QuotedText('\'', "string", &t->text);
      default:
        break;
    }
    if ((c == 'x' || c == 'X') && n == '\'') {
      ++p_;
      t->kind = Tok::kHex;
      std::string hex;
      if (auto err = QuotedText('\'', "binary literal", &hex)) return err;
      auto bytes = util::HexDecode(hex);
      if (!bytes) {
        return Fail(t->pos, "binary literal X" + internal::QuoteStringLiteral(hex) +
                                " needs an even number of hex digits");
      }
      t->text = std::move(*bytes);
      return std::nullopt;
    }
    // DDL names may start with a digit (2fa_enabled), as column names in
    // other engines' DDL do: a word that is no number is a name there.
    if (dialect_ == Dialect::kDdl && IsDigit(c) && DigitLedWord()) return Name(t, true);
    if (IsDigit(c) || ((c == '-' || c == '+' || c == '.') && (IsDigit(n) || n == '.'))) {
      return Number(t);
    }
    if (IsIdentStart(static_cast<unsigned char>(c)) || c == '"' || c == '`') return Name(t);
    if (dialect_ == Dialect::kDdl && std::ispunct(static_cast<unsigned char>(c))) {
      // Other punctuation is a token of its own in DDL: type parameters
      // (geometry(projjson:my-crs)) are copied as written, and the parser
      // says where a name needed quotes.
      t->kind = Tok::kOp;
      t->text = std::string(1, c);
      ++p_;
      return std::nullopt;
    }
    if (c == '-' || c == '+') {
      return Fail(p_, std::string("unexpected '") + c + "'; arithmetic is not supported");
    }
    return Fail(p_, "unexpected character " + util::Quote(std::string_view(&s_[p_], 1)));
  }

  // Text up to the closing `quote`, a doubled quote standing for one.
  std::optional<std::string> QuotedText(char quote, std::string_view what, std::string* out) {
    const size_t start = p_++;
    while (p_ < s_.size()) {
      if (s_[p_] == quote) {
        if (p_ + 1 < s_.size() && s_[p_ + 1] == quote) {
          out->push_back(quote);
          p_ += 2;
          continue;
        }
        ++p_;
        return std::nullopt;
      }
      out->push_back(s_[p_++]);
    }
    return Fail(start, "unterminated " + std::string(what) + ": no closing " + quote);
  }

  std::optional<std::string> Number(Token* t) {
    t->kind = Tok::kNumber;
    const size_t start = p_;
    if (s_[p_] == '+' || s_[p_] == '-') ++p_;
    bool digits = false, point = false, exponent = false;
    while (p_ < s_.size() && IsDigit(s_[p_])) ++p_, digits = true;
    if (p_ < s_.size() && s_[p_] == '.') {
      point = true;
      ++p_;
      while (p_ < s_.size() && IsDigit(s_[p_])) ++p_, digits = true;
    }
    bool ok = digits;
    if (ok && p_ < s_.size() && (s_[p_] == 'e' || s_[p_] == 'E')) {
      exponent = true;
      ++p_;
      if (p_ < s_.size() && (s_[p_] == '+' || s_[p_] == '-')) ++p_;
      ok = p_ < s_.size() && IsDigit(s_[p_]);
      while (p_ < s_.size() && IsDigit(s_[p_])) ++p_;
    }
    // A number runs into the next delimiter: "1.5.5" or "5abc" is one bad token.
    while (p_ < s_.size() && (IsIdentChar(static_cast<unsigned char>(s_[p_])) || s_[p_] == '.')) {
      ok = false;
      ++p_;
    }
    std::string_view text = s_.substr(start, p_ - start);
    if (!ok) return Fail(start, "malformed number " + util::Quote(text));
    if (text[0] == '+') text.remove_prefix(1);
    t->text = std::string(text);
    t->number_kind = exponent ? UnboundLiteral::Kind::kFloat
                     : point  ? UnboundLiteral::Kind::kDecimal
                              : UnboundLiteral::Kind::kInteger;
    return std::nullopt;
  }

  // segment ("." segment)*, each bare or quoted with " or `.
  // At a digit: whether the run of word characters from here is not a
  // number (digits, optionally an exponent as in 1e5) and not followed by a
  // point (1.5).
  bool DigitLedWord() const {
    size_t e = p_;
    while (e < s_.size() && IsIdentChar(static_cast<unsigned char>(s_[e]))) ++e;
    if (e < s_.size() && s_[e] == '.') return false;
    std::string_view run = s_.substr(p_, e - p_);
    const size_t digits = run.find_first_not_of("0123456789");
    if (digits == std::string_view::npos) return false;  // an integer
    if (run[digits] == 'e' || run[digits] == 'E') {
      if (digits + 1 < run.size() &&
          run.find_first_not_of("0123456789", digits + 1) == std::string_view::npos) {
        return false;  // 1e5
      }
      if (digits + 1 == run.size() && e + 1 < s_.size() && (s_[e] == '-' || s_[e] == '+') &&
          IsDigit(s_[e + 1])) {
        return false;  // 1e-5
      }
    }
    return true;
  }

  std::optional<std::string> Name(Token* t, bool digit_start = false) {
    t->kind = Tok::kIdent;
    int segments = 0;
    bool quoted = false;
    while (true) {
      const char c = p_ < s_.size() ? s_[p_] : '\0';
      if (c == '"' || c == '`') {
        quoted = true;
        if (auto err = QuotedText(c, "quoted name", &t->text)) return err;
      } else if (p_ < s_.size() && IsIdentChar(static_cast<unsigned char>(c)) &&
                 (segments > 0 || digit_start || IsIdentStart(static_cast<unsigned char>(c)))) {
        while (p_ < s_.size() && IsIdentChar(static_cast<unsigned char>(s_[p_]))) {
          t->text.push_back(s_[p_++]);
        }
      } else {
        return Fail(p_, "expected a name after '.'");
      }
      ++segments;
      if (p_ < s_.size() && s_[p_] == '.') {
        t->text.push_back('.');
        ++p_;
        continue;
      }
      break;
    }
    t->bare = segments == 1 && !quoted;
    t->segments = segments;
    return std::nullopt;
  }

  std::string_view s_;
  Dialect dialect_;
  size_t p_ = 0;
  size_t error_pos_ = 0;
};

}  // namespace

std::optional<LexError> Tokenize(std::string_view text, Dialect dialect, std::vector<Token>* out) {
  size_t pos = 0;
  if (std::optional<std::string> err = Lexer(text, dialect).Run(out, &pos)) {
    return LexError{std::move(*err), pos};
  }
  return std::nullopt;
}

}  // namespace floe::expr
