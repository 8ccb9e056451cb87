// Projections of a row filter onto a partition spec (spec §Scan Planning).
//
// A projected expression is a BoundExpr over the partition tuple: each
// reference carries the partition field id, its name, the transform's result
// type and its position in the tuple (the index into DataFile::partition and
// ManifestFile::partitions).
//
//   inclusive  TRUE for every partition that may hold a row for which the
//              filter is TRUE (used to skip manifests and files).
//   strict     TRUE only for partitions in which the filter is TRUE for every
//              row (used for residuals and whole-file deletes).
//
// Per transform (t = the transform, b = the literal):
//   identity        the predicate itself, for every operation.
//   bucket[N]       inclusive: = and in; strict: != and not in.
//   truncate[W],    inclusive: < b -> <= t(b-1), <= b -> <= t(b), > b -> >= t(b+1),
//   year, month,               >= b -> >= t(b), = b -> = t(b), in -> in t(...).
//   day, hour       strict:    < b -> < t(b), <= b -> < t(b+1), > b -> > t(b),
//   (numbers, dates,           >= b -> > t(b-1), != b -> != t(b), not in -> not in t(...).
//   timestamps)     b-1 / b+1 step by one unit of the source (1, one unscaled
//                   decimal unit, a day, a microsecond or nanosecond).
//                   Time transforms then apply Java's correction for files
//                   written by old writers that rounded negative values toward
//                   zero: inclusive <, <= and = / in on a negative partition
//                   value also admit value + 1; strict >, >= on a value <= 0
//                   use value + 1, and != / not in on a negative value also
//                   exclude value + 1.
//   truncate[W]     inclusive: <, <= -> <= t(b); >, >= -> >= t(b); = -> = t(b);
//   (string,                   in -> in t(...); starts with p -> starts with t(p);
//   binary)                    not starts with p -> itself when p has <= W code points.
//                   strict:    <, <= -> < t(b); >, >= -> > t(b); != -> != t(b);
//                              not in -> not in t(...); starts with p -> itself when p
//                              has <= W code points; not starts with p -> not starts
//                              with t(p).
//   all but void    is null and is not null project as themselves (t(null) is null).
//   void, unknown   nothing.
// A predicate with no projection is TRUE (inclusive) or FALSE (strict).
// Several partition fields on one source: inclusive projections are ANDed,
// strict ones ORed.
//
// Truncate of an int or long within W of the type's minimum wraps around as
// Java's does (the partition value is then far above the source value): no
// projection is made from such a literal, but rows holding such values may be
// misjudged, as in Java.
#pragma once

#include <cstdint>

#include "floe/expr/expression.h"
#include "floe/result.h"
#include "floe/spec/partition_spec.h"
#include "floe/spec/schema.h"

namespace floe::expr {

// The reference to partition field `position` of `spec`: its field id, name
// and the result type for its source in `schema`. NotFound if the source is
// not in the schema; NotSupported for unknown or multi-argument transforms.
Result<BoundReference> PartitionReference(const spec::PartitionSpec& spec,
                                          const spec::Schema& schema, int32_t position);

// Projects one bound row predicate through partition field `partition`
// (referenced by `ref`). nullptr when the transform gives no projection.
// REQUIRES: pred is a predicate on the field's source column.
Result<BoundExprPtr> ProjectInclusive(const BoundExpr& pred, const spec::PartitionField& partition,
                                      const BoundReference& ref);
Result<BoundExprPtr> ProjectStrict(const BoundExpr& pred, const spec::PartitionField& partition,
                                   const BoundReference& ref);

// Whole filters. Not is rewritten first (RewriteNot); And and Or project
// their children. An unpartitioned spec gives true (inclusive) and false
// (strict) for every predicate.
Result<BoundExprPtr> InclusiveProjection(const BoundExprPtr& row_filter,
                                         const spec::PartitionSpec& spec,
                                         const spec::Schema& schema);
Result<BoundExprPtr> StrictProjection(const BoundExprPtr& row_filter,
                                      const spec::PartitionSpec& spec,
                                      const spec::Schema& schema);

}  // namespace floe::expr
