// TableScan: plans and reads a table (spec §Scan Planning).
//
// Planning prunes at every level the metadata allows: manifests by their
// partition summaries (each manifest through its own spec's projection),
// files by partition values and column metrics, and, while reading, Parquet
// row groups by footer statistics. Each file gets the residual of the filter
// for its partition, which is applied to its rows exactly. Manifests are read
// and files decoded in parallel; results come back in a stable order.
//
// Row-level deletes are applied while reading: planning indexes the live
// delete files (delete_index.h) and gives each file the ones that apply;
// reading drops deleted positions and equality-deleted keys per batch
// (data/delete_filter.h). Metadata columns `_file`, `_pos`, `_spec_id` and
// `_partition` can be selected like table columns (metadata_columns.h).
#pragma once

#include <arrow/type_fwd.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "floe/data/delete_filter.h"
#include "floe/expr/expression.h"
#include "floe/manifest/data_file.h"
#include "floe/manifest/manifest_file.h"
#include "floe/spec/name_mapping.h"
#include "floe/table/delete_index.h"
#include "floe/table/table.h"

namespace floe::table {

class ManifestCache;

struct ScanOptions {
  // Which snapshot: at most one of these (none: the current snapshot).
  std::optional<int64_t> snapshot_id;
  std::optional<int64_t> as_of_ms;  // the snapshot current at this time (snapshot log)
  std::optional<std::string> ref;   // a branch or tag
  std::string filter;               // filter text; empty selects all rows
  expr::ExprPtr filter_expr;        // alternative to `filter`
  std::vector<std::string> columns; // dotted names; empty selects all columns
  bool case_sensitive = true;
  std::optional<int64_t> limit;
  int threads = 0;                  // 0: util::DefaultParallelism()
  // Keep a ScanReport::FileLine per data file considered (--explain=files).
  // Off by default: at a million files the lines would cost more than the
  // plan itself.
  bool report_files = false;
  // Decoded manifests shared across scans (manifest_cache.h); null: each
  // scan reads its manifests (one-shot commands).
  std::shared_ptr<ManifestCache> manifest_cache;
};

struct FileScanTask {
  manifest::DataFile file;
  const spec::PartitionSpec* spec = nullptr;
  expr::BoundExprPtr residual;  // what the file's rows must still satisfy
  int64_t data_sequence_number = 0;
  // The delete files that apply to this file (spec §Scan Planning).
  std::vector<std::shared_ptr<const manifest::DataFile>> deletes;
};

// What planning and reading did, for --explain and tests.
struct ScanReport {
  std::optional<int64_t> snapshot_id;
  int32_t schema_id = 0;
  std::string filter;  // the bound filter, "true" when none
  int64_t manifests_total = 0;
  int64_t manifests_skipped = 0;       // by partition summaries, or no live files
  int64_t delete_manifests = 0;
  int64_t delete_files = 0;            // live delete files in the snapshot
  int64_t files_with_deletes = 0;      // selected data files some delete applies to
  int64_t rows_deleted = 0;            // rows read and then dropped by deletes
  int64_t files_total = 0;             // live data files in the manifests read
  int64_t files_skipped_partition = 0;
  int64_t files_skipped_metrics = 0;
  int64_t files_selected = 0;
  int64_t row_groups_read = 0;
  int64_t row_groups_skipped = 0;        // by statistics
  int64_t row_groups_skipped_bloom = 0;  // by bloom filters
  int64_t rows_read = 0;
  int64_t rows_returned = 0;
  int64_t bytes_read = 0;
  struct ManifestLine {
    std::string path;
    int32_t spec_id = 0;
    bool skipped = false;
    std::string reason;  // why it was skipped
  };
  struct FileLine {
    std::string path;
    std::string partition;  // partition path
    int64_t records = 0;
    std::string decision;   // "read", "skipped: partition", "skipped: metrics"
  };
  std::vector<ManifestLine> manifests;
  std::vector<FileLine> files;

  // A readable account: counts first (with `analyzed`, what reading found:
  // row groups, rows, bytes, rows deleted), then with `details` each
  // manifest and each file (when the scan kept file lines).
  std::string ToText(bool analyzed, bool details) const;
};

class TableScan {
 public:
  // Resolves the snapshot and schema, binds the filter and the columns.
  // Errors: NotFound (snapshot id, ref, or no snapshot at that time),
  // Invalid (filter or column problems, naming them).
  static Result<std::unique_ptr<TableScan>> Make(const Table& table, ScanOptions options);

  // nullptr when the table has no snapshot (the scan is empty).
  const spec::Snapshot* snapshot() const { return snapshot_; }
  const spec::Schema& schema() const { return schema_; }          // of the snapshot read
  const spec::Schema& projection() const { return projection_; }  // the selected columns
  std::shared_ptr<arrow::Schema> arrow_schema() const;
  const expr::BoundExprPtr& filter() const { return filter_; }

  // The data files to read, with residuals. Planned once; later calls reuse it.
  Result<std::vector<FileScanTask>> PlanFiles();
  // The same plan streamed: `sink` gets each task in manifest order, on the
  // calling thread, while manifests are decoded in parallel a window ahead;
  // nothing is kept (unless PlanFiles ran before, whose tasks are replayed).
  // The first error of `sink` stops planning and is returned.
  using TaskSink = std::function<Status(FileScanTask)>;
  Status PlanEach(const TaskSink& sink);

  // Streams the result batches in file order, stopping at the limit or at
  // the first error `sink` returns.
  Status Read(const std::function<Status(const std::shared_ptr<arrow::RecordBatch>&)>& sink);
  Result<std::shared_ptr<arrow::Table>> ToTable();
  // Counts matching rows, from file metadata where the residual is true.
  Result<int64_t> Count();

  const ScanReport& report() const { return report_; }
  // The live delete files of the snapshot (after PlanFiles; nullptr before).
  const DeleteIndex* delete_index() const { return delete_index_.get(); }

  // For row-level writers: streams every row of one planned file that its
  // deletes leave, with the columns of `read_schema` and, when
  // `with_positions`, a last column `_pos`. The residual is not applied.
  using BatchSink = std::function<Status(const std::shared_ptr<arrow::RecordBatch>&)>;
  Status ReadLiveRows(const FileScanTask& task, const spec::Schema& read_schema,
                      bool with_positions, const BatchSink& sink);
  // The positions of the task's file that its position deletes and deletion
  // vectors delete (equality deletes not included), ascending.
  Result<data::PositionList> DeletedPositions(const FileScanTask& task);

 private:
  TableScan() = default;
  struct TaskRead {
    const spec::Schema* read_schema = nullptr;
    std::vector<spec::NestedField> metadata;  // metadata columns to add, by id
    bool apply_residual = true;
    bool count_only = false;
    // Decode a file's columns in parallel (Arrow's CPU pool): for scans of
    // fewer files than threads, where files alone would leave cores idle.
    bool parallel_columns = false;
  };
  Status ReadTask(const FileScanTask& task, const TaskRead& how, const BatchSink& sink,
                  int64_t* counted);
  Status Plan(const TaskSink& sink);
  Status DecodeDeleteManifest(const manifest::ManifestFile& mf,
                              std::vector<DeleteFileEntry>* out);
  Status BuildDeleteIndex(std::vector<std::vector<DeleteFileEntry>> found);

  std::shared_ptr<const spec::TableMetadata> md_;
  std::shared_ptr<io::FileIO> io_;
  std::string table_name_;
  ScanOptions options_;
  const spec::Snapshot* snapshot_ = nullptr;
  spec::Schema schema_;
  spec::Schema projection_;
  expr::BoundExprPtr filter_;
  std::vector<spec::NestedField> metadata_columns_;  // the selected ones
  std::optional<std::vector<FileScanTask>> tasks_;
  std::shared_ptr<DeleteIndex> delete_index_;
  std::shared_ptr<data::DeleteLoader> delete_loader_;
  data::FieldResolver field_resolver_;  // equality delete columns, in any schema
  std::shared_ptr<const spec::NameMapping> name_mapping_;  // schema.name-mapping.default
  ScanReport report_;
};

// The schema restricted to `names` (dotted names select nested fields and
// keep their parents), in the order given. Invalid names the unknown column.
Result<spec::Schema> SelectColumns(const spec::Schema& schema,
                                   const std::vector<std::string>& names, bool case_sensitive);

// The snapshot a time-travel option selects (see ScanOptions); nullptr when
// none is given and the table is empty.
Result<const spec::Snapshot*> SelectSnapshot(const spec::TableMetadata& md,
                                             std::optional<int64_t> snapshot_id,
                                             std::optional<int64_t> as_of_ms,
                                             const std::optional<std::string>& ref);

}  // namespace floe::table
