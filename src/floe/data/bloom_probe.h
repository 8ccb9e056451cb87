// Parquet bloom filters (Parquet format, BloomFilter.md: split-block filters
// over xxHash64 of the plain-encoded value) asked whether a row group may
// hold a value, so `=` and `in` predicates skip row groups that min/max
// statistics cannot (a random id inside every group's range).
//
// Only types whose Parquet encoding is unambiguous from the Iceberg type are
// probed: int and date (INT32), long (INT64, or INT32 written before an
// int -> long promotion), string and binary (BYTE_ARRAY). Anything else —
// timestamps whose unit a foreign writer chose, decimals, floats with their
// NaN and -0 cases, uuid — answers "may contain", as does a column without a
// filter or a filter that fails to read: a bloom filter can only ever skip.
#pragma once

#include <vector>

#include "floe/spec/literal.h"
#include "floe/spec/type.h"

namespace parquet {
class ParquetFileReader;
}  // namespace parquet

namespace floe::data {

// The column `field_id` equals one of `values` (an `=` or `in` conjunct of a
// filter): a row group whose bloom filter holds none of them has no match.
struct BloomProbe {
  int32_t field_id = 0;
  std::vector<spec::Literal> values;
};

// False only when row group `row_group` has a bloom filter for leaf column
// `column_index` that holds none of `values` (of Iceberg type `type`).
// Not thread-safe for one `reader` (Arrow's bloom filter reader is not).
bool BloomMayContain(parquet::ParquetFileReader& reader, int row_group, int column_index,
                     const spec::Type& type, const std::vector<spec::Literal>& values);

}  // namespace floe::data
