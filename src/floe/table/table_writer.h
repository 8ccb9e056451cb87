// TableWriter: writes Arrow batches into a table's data files. Each batch is
// conformed to the table schema (columns matched by name, safe casts), its
// rows are split by the default partition spec, and each partition gets a
// rolling Parquet writer under <data path>/<partition path>/. Finish()
// returns the files for a commit (AppendFiles / overwrite); Abort() deletes
// them.
#pragma once

#include <atomic>
#include <map>
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

  std::shared_ptr<const spec::TableMetadata> md_;
  std::shared_ptr<io::FileIO> io_;
  const spec::Schema* schema_ = nullptr;
  const spec::PartitionSpec* spec_ = nullptr;
  std::string data_folder_;
  std::string write_id_;
  std::atomic<int> file_counter_{0};  // file locations are made from writer threads
  std::map<std::string, Partition> partitions_;  // by partition path
  int64_t rows_ = 0;
};

// The folder data files go to: write.data.path, else <location>/data.
std::string DataFolder(const spec::TableMetadata& md);

}  // namespace floe::table
