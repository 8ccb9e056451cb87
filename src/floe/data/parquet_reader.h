// Reads one Parquet data file projected to an Iceberg schema by field id
// (spec §Column Projection, App. A).
//
// Every batch has exactly the schema ToArrowSchema(projection): columns in
// the projection's order under its current names, whatever the file calls or
// orders them. A projected field the file lacks is filled, per §Column
// Projection, with: the caller's constant for its id (identity partition
// values, v3 initial-default values), else the field's own initial-default,
// else nulls; a required field with none of these is an error. Promoted types
// are cast (int->long, float->double, decimal(P,S)->decimal(P',S), date->
// timestamp/timestamp_ns). `unknown` fields are always null. Nested structs,
// lists and maps are matched by id at every level.
//
// Files without field ids are read through `name_mapping` (the table's
// schema.name-mapping.default), else refused with an error naming the file.
//
// Row groups can be skipped with `row_group_filter`, which sees each row
// group's footer statistics decoded to the projection's types.
//
// Memory is bounded by one batch per column (plus Parquet's page buffers);
// row groups can be read in parallel by several iterators of one reader.
#pragma once

#include <arrow/type_fwd.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "floe/data/bloom_probe.h"
#include "floe/io/file_io.h"
#include "floe/result.h"
#include "floe/spec/literal.h"
#include "floe/spec/schema.h"

namespace floe::data {

// Footer statistics of one column chunk.
struct ColumnChunkStats {
  // Null when the file has no min/max for the chunk (none written, all values
  // null or NaN, or a type whose statistics Floe does not trust).
  spec::Literal lower;
  spec::Literal upper;
  std::optional<int64_t> null_count;
  int64_t value_count = 0;  // levels, nulls included
};

struct RowGroupStats {
  int index = 0;
  int64_t num_rows = 0;
  // By field id, for the projection's primitive fields that the file stores
  // outside lists and maps, in the projection's types (promotions applied).
  std::unordered_map<int32_t, ColumnChunkStats> columns;
};

// Returns false if no row of the row group can match (it is then skipped).
using RowGroupFilter = std::function<bool(const RowGroupStats&)>;

// Maps the path of a file column without field ids to a field id: struct
// fields by name, "element" for a list's element, "key"/"value" for a map's.
using NameMapping = std::function<std::optional<int32_t>(const std::vector<std::string>& path)>;

struct ParquetReadOptions {
  // The file's size when known (from the manifest): saves a size request.
  std::optional<int64_t> file_size;
  // Values for projected fields missing from the file, by field id.
  std::unordered_map<int32_t, spec::Literal> constants;
  RowGroupFilter row_group_filter;
  // Row groups that pass the filter are then asked of their bloom filters
  // (bloom_probe.h): one whose filter refutes any probe is skipped.
  std::vector<BloomProbe> bloom_probes;
  NameMapping name_mapping;
  int64_t batch_size = 64 * 1024;  // rows per batch
  // Decode the columns of a batch in parallel on Arrow's CPU pool.
  bool use_threads = false;
  // Coalesce and prefetch the column chunk reads of each row group (helps on
  // object stores; costs memory of one row group's projected columns).
  bool pre_buffer = false;
  arrow::MemoryPool* pool = nullptr;  // nullptr: Arrow's default pool
};

// For `--explain`.
struct ReadCounters {
  int64_t row_groups_read = 0;  // handed to Read
  int64_t row_groups_skipped = 0;        // by statistics (row_group_filter)
  int64_t row_groups_skipped_bloom = 0;  // by bloom filters
  int64_t rows_read = 0;
  int64_t bytes_read = 0;  // bytes requested from the FileIO, footer included
};

// A run of consecutive row positions in a file: [start, start + count).
struct RowRange {
  int64_t start = 0;
  int64_t count = 0;
};

// Yields the batches of a read; nullptr at the end.
class BatchIterator {
 public:
  virtual ~BatchIterator() = default;
  virtual Result<std::shared_ptr<arrow::RecordBatch>> Next() = 0;
  // The file positions (0-based, spec §Position Delete Files) of the rows of
  // the batch Next last returned, in row order. A batch can span row groups
  // and skipped row groups leave gaps, so this is a list of ranges.
  virtual const std::vector<RowRange>& positions() const = 0;
};

class ParquetReader {
 public:
  // Opens `location`, reads its footer, plans the projection and evaluates
  // the row group filter. Errors name the file: NotFound, Corruption (not
  // Parquet), Invalid (no field ids and no mapping; a projected field whose
  // file type cannot be read as its type; a required field that is missing).
  static Result<std::unique_ptr<ParquetReader>> Open(std::shared_ptr<io::FileIO> io,
                                                     const std::string& location,
                                                     spec::Schema projection,
                                                     ParquetReadOptions options = {});
  ~ParquetReader();

  // ToArrowSchema(projection), the schema of every batch.
  const std::shared_ptr<arrow::Schema>& schema() const;
  int num_row_groups() const;
  int64_t num_rows() const;  // in the whole file
  // Row groups that passed the filter, ascending.
  const std::vector<int>& selected_row_groups() const;
  // Statistics of one row group, as the filter sees them.
  Result<RowGroupStats> Stats(int row_group) const;

  // Streams `row_groups` (default: the selected ones) in order. Iterators are
  // independent: several may run at once on different threads, e.g. one per
  // row group. Each must not outlive this reader.
  Result<std::unique_ptr<BatchIterator>> Read(
      std::optional<std::vector<int>> row_groups = std::nullopt) const;

  ReadCounters counters() const;

  struct Impl;

 private:
  explicit ParquetReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The Arrow schema parquet-cpp reads `location`'s footer as (field ids in
// the fields' metadata when the file has them). Invalid when it is no Parquet.
Result<std::shared_ptr<arrow::Schema>> ReadParquetArrowSchema(std::shared_ptr<io::FileIO> io,
                                                              const std::string& location);

// Reads every selected row group of a file into one table (tests, tools).
Result<std::shared_ptr<arrow::Table>> ReadParquetTable(std::shared_ptr<io::FileIO> io,
                                                       const std::string& location,
                                                       spec::Schema projection,
                                                       ParquetReadOptions options = {});

}  // namespace floe::data
