// Column metrics of one Parquet data file (spec §Data File Fields,
// §Field-level Metrics, App. D), as Java's ParquetMetrics records them:
//
//   column_sizes       every leaf column: total compressed size of its chunks
//                      (from the footer), whatever the metrics mode;
//   value_counts       leaf values including nulls and NaNs (footer num_values;
//                      for list/map leaves that counts the levels, as Java);
//   null_value_counts  from the footer statistics;
//   nan_value_counts   float/double leaves, from the Arrow values written;
//   lower/upper_bounds primitive leaves reachable through structs only (never
//                      inside a list or map), exact min/max of the non-null,
//                      non-NaN values with -0.0 < +0.0, then truncated per the
//                      mode: strings to n code points, binary to n bytes; the
//                      upper bound is incremented (or omitted if impossible).
//                      All-null columns get counts but no bounds. fixed[L]
//                      bounds stay L bytes (always valid; see TruncateBinary*).
//                      geometry/geography/variant/unknown get no bounds.
// Modes (metrics_config.h): none records nothing for the column, counts only
// the counts, truncate(n)/full the bounds too.
#pragma once

#include <arrow/type_fwd.h>
#include <parquet/type_fwd.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "floe/data/metrics_config.h"
#include "floe/manifest/data_file.h"
#include "floe/result.h"
#include "floe/spec/literal.h"
#include "floe/spec/schema.h"

namespace floe::data {

// truncate(n) of a string bound (§5): the first n Unicode code points. A value
// that is not valid UTF-8 is returned whole (still a valid bound).
std::string TruncateLowerBoundString(std::string_view utf8, int32_t n);
// The first n code points with the last one incremented (surrogates skipped;
// U+10FFFF carries into the code point before it); the value itself when it
// has at most n code points; nullopt when no upper bound of n code points
// exists (every code point is U+10FFFF).
std::optional<std::string> TruncateUpperBoundString(std::string_view utf8, int32_t n);
// The same for bytes: the first n bytes; the first n bytes with the last one
// incremented, carrying over 0xFF bytes; nullopt if all n bytes are 0xFF.
std::string TruncateLowerBoundBinary(std::string_view bytes, int32_t n);
std::optional<std::string> TruncateUpperBoundBinary(std::string_view bytes, int32_t n);

// Accumulates the metrics of one file from the batches written to it.
// Not thread-safe; one per open file.
class ColumnMetricsCollector {
 public:
  // REQUIRES: the batches passed to Update follow ToArrowSchema(schema).
  ColumnMetricsCollector(const spec::Schema& schema, const MetricsConfig& config);
  ~ColumnMetricsCollector();
  ColumnMetricsCollector(ColumnMetricsCollector&&) noexcept;
  ColumnMetricsCollector& operator=(ColumnMetricsCollector&&) noexcept;

  // Adds the values of `batch` (bounds and NaN counts; one type dispatch per
  // column, then a tight loop).
  Status Update(const arrow::RecordBatch& batch);

  // Writes the metric maps and split_offsets of `out` from what Update saw
  // and the file's footer. Leaves without a field id are skipped.
  Status Finish(const parquet::FileMetaData& footer, manifest::DataFile* out) const;

 private:
  struct Leaf;
  MetricsConfig config_;
  std::vector<Leaf> leaves_;  // leaves that need the Arrow values
};

}  // namespace floe::data
