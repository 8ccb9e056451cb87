// TableWriter: writes Arrow batches into a table's data files. Each batch is
// conformed to the table schema (columns matched by name, safe casts),
// sorted by the default sort order if there is one (rows are gathered first,
// up to kSortBufferRows), its rows are split by the default partition spec, and each partition gets a
// rolling Parquet writer under <data path>/<partition path>/. Finish()
// returns the files for a commit (AppendFiles / overwrite); Abort() deletes
// them.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "floe/data/parquet_writer.h"
#include "floe/io/file_io.h"
#include "floe/manifest/data_file.h"
#include "floe/spec/table_metadata.h"

namespace floe::table {

class TableWriter {
 public:
  // Writes with the table's current schema, default spec and sort order.
  static Result<std::unique_ptr<TableWriter>> Make(std::shared_ptr<const spec::TableMetadata> md,
                                                   std::shared_ptr<io::FileIO> io);
  ~TableWriter();

  // Makes the files equality delete files on `equality_ids` (spec §Equality
  // Delete Files: any subset of the columns that includes those; these hold
  // whole rows). Call before the first Write.
  void SetEqualityDeletes(std::vector<int32_t> equality_ids) {
    equality_ids_ = std::move(equality_ids);
  }

  // Sorts by `order` (source ids of the current schema) instead of the
  // table's write order. Call before the first Write.
  void SetSortOrder(spec::SortOrder order);

  // Errors name the column and what is wrong (missing required column,
  // incompatible type, nulls in a required column); after an error, Abort.
  Status Write(const arrow::RecordBatch& batch);

  // Closes every file; returns them with partition tuples, spec id and sort
  // order id set. On error every file written so far is deleted, as by Abort.
  Result<std::vector<manifest::DataFile>> Finish();
  // Deletes every file written so far.
  Status Abort();

  int64_t rows_written() const { return rows_; }

 private:
  TableWriter() = default;
  struct Partition {
    std::vector<spec::Literal> tuple;
    std::unique_ptr<data::ParquetWriter> writer;
  };
  Result<Partition*> PartitionFor(const std::vector<spec::Literal>& tuple,
                                  const spec::Type& partition_type);
  Status WriteConformed(const std::shared_ptr<arrow::RecordBatch>& conformed);
  Status FlushSorted();

  // Rows gathered before sorting by the write order (about 1M events).
  static constexpr int64_t kSortBufferRows = 1 << 20;

  std::shared_ptr<const spec::TableMetadata> md_;
  std::shared_ptr<io::FileIO> io_;
  const spec::Schema* schema_ = nullptr;
  const spec::PartitionSpec* spec_ = nullptr;
  std::string data_folder_;
  std::string write_id_;
  std::atomic<int> file_counter_{0};  // file locations are made from writer threads
  std::map<std::string, Partition> partitions_;  // by partition path
  std::vector<int32_t> equality_ids_;  // empty: data files
  const spec::SortOrder* sort_order_ = nullptr;
  std::unique_ptr<spec::SortOrder> custom_order_;
  std::optional<int32_t> sort_order_id_;
  std::vector<std::shared_ptr<arrow::RecordBatch>> buffered_;
  int64_t buffered_rows_ = 0;
  int64_t rows_ = 0;
};

// Writes every batch `next` yields (nullptr: the end) through a TableWriter;
// `equality_ids` non-empty makes them equality delete files. On error
// deletes what was written. `rows` (optional) gets the rows written.
Result<std::vector<manifest::DataFile>> WriteAll(
    std::shared_ptr<const spec::TableMetadata> md, std::shared_ptr<io::FileIO> io,
    const std::function<Result<std::shared_ptr<arrow::RecordBatch>>()>& next,
    std::vector<int32_t> equality_ids, int64_t* rows);

// The folder data files go to: write.data.path, else <location>/data.
std::string DataFolder(const spec::TableMetadata& md);
// The folder of `file`'s partition under DataFolder (its spec_id and
// partition set), where deletes for it are written too.
std::string PartitionFolder(const spec::TableMetadata& md, const manifest::DataFile& file);

}  // namespace floe::table
