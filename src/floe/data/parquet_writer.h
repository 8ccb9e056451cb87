// Writes Arrow batches into Parquet data files, starting a new file when the
// current one reaches the target size, and describes each file as a
// manifest::DataFile with its column metrics (column_metrics.h).
//
// Files follow the spec's Parquet rules (App. A; iceberg-spec-notes §1):
// field ids on every node, 3-level lists and maps, decimals as INT32/INT64
// when they fit, timestamps in the schema's unit (never INT96), format 2.6,
// and the footer key "iceberg.schema" with the schema JSON, as Java writes.
// `unknown` columns are not written (App. A: never in data files).
//
// Table properties read (§10; Java's defaults):
//   write.parquet.compression-codec     zstd|snappy|gzip|lz4|brotli|uncompressed (zstd)
//   write.parquet.compression-level     codec-specific integer (codec default)
//   write.parquet.row-group-size-bytes  134217728
//   write.parquet.page-size-bytes       1048576
//   write.parquet.dict-size-bytes       2097152
//   write.target-file-size-bytes        536870912
//   write.metadata.metrics.*            see metrics_config.h
//   write.parquet.bloom-filter-enabled.column.<name>  true|false (false)
//   write.parquet.bloom-filter-fpp.column.<name>      false-positive rate (0.01)
//   write.parquet.bloom-filter-max-bytes              per column and row group (1048576)
// Bloom filters are sized for max-bytes and folded down by Arrow to what the
// row group's distinct values need; a named column the schema lacks (dropped
// since the property was set) or a boolean one gets none.
//
// Sizes are estimated as Java does: bytes flushed to the file plus the
// current row group's buffered pages and its values not yet in a page (the
// latter scaled by the pages' compression ratio). Batches are written in
// slices that fill half the remaining room at the bytes per row seen so far,
// so a file ends within one small slice of the target as estimated. The
// estimate errs high while little is paged: targets of a few pages per column
// give smaller files (e.g. 60% of a 2.6 MB target, 99% of 26 MB).
//
// Files are written through FileIO::OpenOutput and are only described once
// complete: a failure (or crash) mid-write leaves an unreferenced object.
#pragma once

#include <arrow/type_fwd.h>
#include <parquet/type_fwd.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "floe/data/metrics_config.h"
#include "floe/io/file_io.h"
#include "floe/manifest/data_file.h"
#include "floe/result.h"
#include "floe/spec/schema.h"

namespace floe::data {

// The write.parquet.* and write.target-file-size-bytes properties, parsed.
struct ParquetWriteProperties {
  std::string codec = "zstd";  // lower case, as in the property
  std::optional<int> compression_level;
  int64_t row_group_size_bytes = 128LL << 20;
  int64_t page_size_bytes = 1LL << 20;
  int64_t dict_size_bytes = 2LL << 20;
  int64_t target_file_size_bytes = 512LL << 20;
  std::map<std::string, double> bloom_filter_fpp;  // enabled columns (dotted names)
  int64_t bloom_filter_max_bytes = 1LL << 20;

  // Reads the properties above (absent ones keep their defaults). Invalid
  // names the property and its value; NotSupported for a codec this build
  // of Arrow lacks (e.g. lzo).
  static Result<ParquetWriteProperties> FromTableProperties(
      const std::map<std::string, std::string>& properties);
};

struct ParquetWriterOptions {
  // Sort order source fields kept at truncate(16) or better (metrics_config.h).
  std::vector<int32_t> sorted_field_ids;
  // Encode the columns of a row group in parallel on Arrow's CPU pool. Leave
  // off when several writers run on that pool at once (Arrow warns that it
  // can deadlock).
  bool use_threads = false;
  arrow::MemoryPool* pool = nullptr;  // nullptr: Arrow's default pool
};

class ParquetWriter {
 public:
  // Returns the location of the next file; called once per file started.
  using LocationFn = std::function<Result<std::string>()>;

  // Checks the properties and the schema (Invalid with the property or field
  // named). No file is created until the first row arrives.
  static Result<std::unique_ptr<ParquetWriter>> Make(
      spec::Schema schema, const std::map<std::string, std::string>& table_properties,
      std::shared_ptr<io::FileIO> io, LocationFn next_location,
      ParquetWriterOptions options = {});

  ~ParquetWriter();
  ParquetWriter(const ParquetWriter&) = delete;
  ParquetWriter& operator=(const ParquetWriter&) = delete;

  // Appends `batch`, whose columns are the table schema's in order with its
  // Arrow types (batch_conform.h produces such batches). Invalid if they
  // differ or a required top-level column has nulls. May finish the current
  // file and start another. After an error the writer is unusable: Abort it.
  Status Write(const arrow::RecordBatch& batch);

  // Closes the current file and returns one DataFile per file written, in
  // order (empty if no rows were written). file_format PARQUET, partition and
  // sort_order_id left for the caller. The writer takes no more batches.
  Result<std::vector<manifest::DataFile>> Finish();

  // Stops writing and deletes every file this writer created. For error
  // paths: a writer destroyed without Finish or Abort leaves its files behind
  // (complete but unreferenced).
  Status Abort();

  // Rows written so far, in all files.
  int64_t rows_written() const { return total_rows_; }

 private:
  struct OpenFile;
  ParquetWriter() = default;
  Status StartFile();
  Status CloseFile();
  int64_t EstimatedFileSize() const;
  int64_t EstimatedRowGroupSize() const;

  spec::Schema schema_;
  spec::Schema file_schema_;  // without unknown fields
  bool has_unknown_ = false;
  std::shared_ptr<arrow::Schema> arrow_schema_;       // of the batches
  std::shared_ptr<arrow::Schema> file_arrow_schema_;  // as written
  ParquetWriteProperties props_;
  std::shared_ptr<parquet::WriterProperties> writer_props_;
  std::shared_ptr<parquet::ArrowWriterProperties> arrow_writer_props_;
  std::shared_ptr<const arrow::KeyValueMetadata> footer_metadata_;
  std::shared_ptr<io::FileIO> io_;
  LocationFn next_location_;
  ParquetWriterOptions options_;
  MetricsConfig metrics_config_;

  std::unique_ptr<OpenFile> current_;
  std::vector<manifest::DataFile> done_;
  std::vector<std::string> created_;
  double bytes_per_row_ = 0;  // on disk, learned from earlier files
  int64_t total_rows_ = 0;
  bool failed_ = false;
  bool finished_ = false;
};

}  // namespace floe::data
