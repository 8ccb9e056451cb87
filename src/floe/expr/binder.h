// Binding: resolving an unbound filter against a schema.
#pragma once

#include "floe/expr/expression.h"
#include "floe/result.h"
#include "floe/spec/schema.h"

namespace floe::expr {

// Resolves every column with Schema::FindFieldByName and converts every
// literal to the column's type. The result has no Not node: NOT is pushed
// down exactly (Negate(BoundExprPtr)), so `not (x < 5)` on a double column
// becomes `x >= 5 or x is nan`.
//
// Columns must be primitives outside lists and maps. Literal conversions:
//   integer      -> int (range checked), long, float, double, decimal (exact)
//   10.50        -> decimal (rescaled when exact), float, double
//   1.5e3        -> float, double, decimal (when exact)
//   'text'       -> string; parsed as the column's type for date, time,
//                   timestamps (timestamptz: an offset or UTC), uuid, decimal
//   true/false   -> boolean
//   typed        -> its own type; date to a timestamp is midnight (UTC);
//                   timestamp to timestamptz reads as UTC; microseconds and
//                   nanoseconds convert when exact; decimal rescales; binary
//                   to fixed[L] needs L bytes
// `is nan` needs float/double, `starts with` a string column. NaN literals
// are refused (use `is nan`); -0.0 becomes 0.0 (equal under IEEE).
// Simplifications: `is null` on a column that can never be null (required,
// with required parents) is false, `is not null` true.
//
// Errors: NotFound for an unknown column ("column 'x' not found in schema 3;
// columns are: a, b, c"); Invalid for the rest, naming the column, its type
// and the literal ("cannot compare column 'event_date' (date) with 'abc': not
// a date (...)").
Result<BoundExprPtr> Bind(const ExprPtr& expr, const spec::Schema& schema,
                          bool case_sensitive = true);

// Converts one literal to `type` as Bind does. The error message is the
// reason only ("out of range for int"); Bind prefixes the column.
Result<spec::Literal> ConvertLiteral(const UnboundLiteral& literal, const spec::Type& type);

}  // namespace floe::expr
