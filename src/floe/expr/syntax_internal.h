// Pieces of the filter syntax shared by the parser and ToString: reserved
// words, identifier quoting, string quoting and typed-literal keywords.
#pragma once

#include <string>
#include <string_view>

#include "floe/spec/type.h"

namespace floe::expr::internal {

// Words that cannot be a bare column name: and, or, not, in, is, null, true,
// false (any case). Other keywords (starts, with, nan, date...) are
// recognised by context.
bool IsReservedWord(std::string_view word);

// A dotted column name in filter syntax: each segment bare when it is
// [A-Za-z_][A-Za-z0-9_]* (or UTF-8) and not reserved, else in double quotes
// with " doubled: `payload.source`, `"my col"`, `"and".x`.
std::string FormatColumnName(std::string_view name);

// 'text' with ' doubled.
std::string QuoteStringLiteral(std::string_view text);

// The keyword of a typed literal of `type` ("date", "timestamptz",
// "timestamp_ns"...), or empty when the type has none.
std::string_view TypedKeyword(const spec::Type& type);

}  // namespace floe::expr::internal
