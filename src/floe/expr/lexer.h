// The one tokenizer of the texts users type: filters (parser.h) and the
// short DDL grammars (ddl.h: schemas, partitioning, sort orders, alter
// changes). Both share names (bare words, "double" or `back` quoted, dotted
// paths), 'strings' with '' for a quote, numbers and X'hex' literals, so a
// name or literal is spelled the same way everywhere.
//
// Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "floe/expr/expression.h"

namespace floe::expr {

enum class Tok : uint8_t {
  kIdent, kNumber, kString, kHex, kLParen, kRParen, kComma, kOp,
  kLBracket, kRBracket, kColon,  // DDL only: bucket[16](id), struct<a: int>
  kEnd,
};

struct Token {
  Tok kind = Tok::kEnd;
  size_t pos = 0;     // byte offset of the first character
  std::string text;   // ident: the dotted name, unquoted; number: as written; string:
                      // the content; hex: the decoded bytes; op: the symbol
  std::string raw;    // the token's source text, for messages
  bool bare = false;  // ident: one unquoted segment, so possibly a keyword
  int segments = 0;   // ident: its dot-separated parts ("a.b": 2, "\"a.b\"": 1)
  UnboundLiteral::Kind number_kind = UnboundLiteral::Kind::kInteger;
};

enum class Dialect {
  kFilter,  // operators = == != <> < <= > >=
  kDdl,     // also [ ] :, and < > always alone (list<map<string, int>>)
};

struct LexError {
  std::string message;
  size_t pos = 0;
};

// Every token of `text` and a final kEnd, or the first lexical error.
std::optional<LexError> Tokenize(std::string_view text, Dialect dialect, std::vector<Token>* out);

}  // namespace floe::expr
