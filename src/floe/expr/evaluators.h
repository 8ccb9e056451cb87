// Evaluators for scan planning and deletes (spec §Scan Planning):
//
//   PartitionEvaluator         a partition expression on one partition tuple
//   ManifestEvaluator          a partition expression on a manifest's summaries
//   InclusiveMetricsEvaluator  may any row of a file (or row group) match?
//   StrictMetricsEvaluator     do all rows of a file (or row group) match?
//   ResidualEvaluator          what of the row filter is left for one partition
//
// "Match" means the filter is TRUE under the three-valued logic described
// in expression.h: a row with a null compared value never matches `x > 5`,
// `x != 5`, `x not in (...)` or `x not starts with 'a'`.
//
// Statistics follow the spec (§Field-level Metrics): bounds hold for every
// non-null, non-NaN value; they may be truncated (Java keeps 16 characters of
// strings and rounds the upper bound up), so a string bound equal to a
// literal does not mean a value equals it, and only the first len(prefix)
// bytes of a bound are compared for `starts with`. Missing statistics never
// prune; a NaN bound (written by old writers) is ignored. Floats compare as
// IEEE numbers, so -0.0 and 0.0 bounds are equal.
//
// All evaluators are immutable after construction and safe to share
// between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "floe/data/bloom_probe.h"
#include "floe/expr/expression.h"
#include "floe/manifest/data_file.h"
#include "floe/manifest/manifest_file.h"
#include "floe/result.h"
#include "floe/spec/literal.h"
#include "floe/spec/partition_spec.h"
#include "floe/spec/schema.h"

namespace floe::expr {

// Evaluates a partition expression (references with positions, as
// projection.h builds them) on partition tuples.
class PartitionEvaluator {
 public:
  explicit PartitionEvaluator(BoundExprPtr partition_expr);
  // The inclusive projection of `row_filter` onto `spec`: Evaluate is false
  // only for partitions that cannot hold a matching row.
  static Result<PartitionEvaluator> ForRowFilter(const BoundExprPtr& row_filter,
                                                 const spec::PartitionSpec& spec,
                                                 const spec::Schema& schema);

  // Whether the expression is TRUE for `partition` (one value per partition
  // field in spec order; missing trailing values read as null).
  bool Evaluate(const std::vector<spec::Literal>& partition) const;
  const BoundExprPtr& expr() const { return expr_; }

 private:
  BoundExprPtr expr_;
};

// Evaluates an inclusive partition expression on a manifest list entry's
// partition summaries: false only when no partition in the manifest can make
// the expression TRUE. A manifest without summaries (or a summary missing
// for a field) is never pruned. Bounds are decoded with the partition
// field's result type.
class ManifestEvaluator {
 public:
  explicit ManifestEvaluator(BoundExprPtr partition_expr);
  static Result<ManifestEvaluator> ForRowFilter(const BoundExprPtr& row_filter,
                                                const spec::PartitionSpec& spec,
                                                const spec::Schema& schema);

  // Corruption when a summary bound cannot be decoded.
  Result<bool> Evaluate(const manifest::ManifestFile& manifest) const;

 private:
  BoundExprPtr expr_;
};

// Statistics of one column in a file or a Parquet row group. value_count
// includes nulls and NaNs (as Iceberg's value_counts); bounds cover the
// non-null, non-NaN values. Any field may be unknown.
struct ColumnStats {
  std::optional<spec::Literal> lower;
  std::optional<spec::Literal> upper;
  std::optional<int64_t> value_count;
  std::optional<int64_t> null_count;
  std::optional<int64_t> nan_count;
};
// By field id; a field without an entry has no statistics.
using ColumnStatsMap = std::unordered_map<int32_t, ColumnStats>;

// The statistics of the given fields from a DataFile's metric maps, bounds
// decoded with each field's type. Corruption names the file and field when
// a bound cannot be decoded.
Result<ColumnStatsMap> DataFileStats(const manifest::DataFile& file,
                                     const std::vector<BoundReference>& fields);

// The distinct row references (by field id) in `expr`.
std::vector<BoundReference> ReferencedFields(const BoundExpr& expr);

// False only when no row of the file can match the row filter (so the file
// can be skipped). A file with record_count == 0 never matches.
class InclusiveMetricsEvaluator {
 public:
  explicit InclusiveMetricsEvaluator(BoundExprPtr row_filter);

  Result<bool> Evaluate(const manifest::DataFile& file) const;
  // For a Parquet row group (or any other unit): its row count (negative if
  // unknown) and the statistics of its columns.
  bool Evaluate(int64_t row_count, const ColumnStatsMap& stats) const;

 private:
  BoundExprPtr expr_;
  std::vector<BoundReference> fields_;
};

// True only when every row of the file certainly matches the row filter (so
// a delete by that filter can drop the whole file unread). Nulls (and for
// comparisons NaNs) keep a file from matching unless the predicate accepts
// them (is null, is not nan, != with NaN). A file with no rows matches.
class StrictMetricsEvaluator {
 public:
  explicit StrictMetricsEvaluator(BoundExprPtr row_filter);

  Result<bool> Evaluate(const manifest::DataFile& file) const;
  bool Evaluate(int64_t row_count, const ColumnStatsMap& stats) const;

 private:
  BoundExprPtr expr_;
  std::vector<BoundReference> fields_;
};

// The conjuncts of `row_filter` that Parquet bloom filters can refute: the
// `column = value` and `column in (values)` predicates joined by AND at its
// top (a predicate under OR or NOT is not one: skipping on it would be
// unsound).
std::vector<data::BloomProbe> BloomProbes(const BoundExpr& row_filter);

// Simplifies a row filter for one partition: a predicate whose strict
// projection is TRUE for the tuple becomes true, one whose inclusive
// projection is not TRUE becomes false, the rest stay. The residual selects
// exactly the rows of that partition the filter selects (it may turn an
// UNKNOWN into FALSE, so do not negate it to find the rows a delete keeps).
class ResidualEvaluator {
 public:
  static Result<ResidualEvaluator> Make(const BoundExprPtr& row_filter,
                                        const spec::PartitionSpec& spec,
                                        const spec::Schema& schema);

  // The residual for a tuple of the spec's partition type.
  BoundExprPtr ResidualFor(const std::vector<spec::Literal>& partition) const;

  struct Projections;  // per predicate: its strict and inclusive projections

 private:
  ResidualEvaluator(BoundExprPtr filter, std::shared_ptr<const Projections> projections)
      : filter_(std::move(filter)), projections_(std::move(projections)) {}
  BoundExprPtr filter_;
  std::shared_ptr<const Projections> projections_;
};

}  // namespace floe::expr
