// ParseFilter: the text form of a filter, as the CLI's --where takes it.
//
//   filter     := or
//   or         := and ("or" and)*
//   and        := not ("and" not)*
//   not        := "not" not | "(" filter ")" | "true" | "false" | predicate
//   predicate  := operand op operand           (one side a column, the other a literal)
//              |  column "is" ["not"] ("null" | "nan")
//              |  column ["not"] "in" "(" literal ("," literal)* ")"
//              |  column ["not"] "starts" "with" string
//   op         := = | == | != | <> | < | <= | > | >=
//   column     := segment ("." segment)*   segment: [A-Za-z_][A-Za-z0-9_]*, "quoted", `quoted`
//   literal    := integer | decimal | float | 'string' | true | false
//              |  date 'YYYY-MM-DD' | time 'HH:MM:SS[.ffffff]'
//              |  timestamp '...' | timestamptz '...' | timestamp_ns '...' | timestamptz_ns '...'
//              |  uuid '...' | decimal '1.23' | [binary] X'0AFF'
//
// The text must be valid UTF-8. Keywords are case-insensitive. and, or, not, in, is, null, true and false
// cannot be bare column names (quote them). Inside quotes a doubled quote
// stands for one. A literal on the left is moved right: `5 < x` is `x > 5`.
// Integers keep 64 bits; longer ones are decimals (for decimal columns).
// Timestamps take 'T' or ' ' between date and time; timestamptz takes an
// offset (Z, +01:00), none meaning UTC.
#pragma once

#include <string_view>

#include "floe/expr/expression.h"
#include "floe/result.h"

namespace floe::expr {

// Parses `text` into an unbound expression, without a schema. Errors are
// Invalid and quote the filter and the 0-based byte position, e.g.
// `filter "amount >": expected a literal after '>' at position 8`.
Result<ExprPtr> ParseFilter(std::string_view text);

}  // namespace floe::expr
