#include "floe/table/operations.h"

#include <arrow/api.h>
#include <arrow/compute/api.h>

#include <map>

#include "floe/data/parquet_reader.h"
#include "floe/io/file_io.h"
#include "floe/expr/arrow_eval.h"
#include "floe/expr/evaluators.h"
#include "floe/expr/projection.h"
#include "floe/table/scan.h"
#include "floe/table/snapshot_update.h"
#include "floe/table/table_writer.h"

namespace floe::table {

Result<Table> CreateTable(std::shared_ptr<catalog::Catalog> catalog,
                          const catalog::TableIdentifier& id, NewTableOptions options) {
  FLOE_ASSIGN_OR_RAISE(bool ns_exists, catalog->NamespaceExists(id.ns));
  if (!ns_exists) {
    return Status::NotFound("namespace '", catalog::NamespaceToString(id.ns),
                            "' does not exist in catalog '", catalog->name(),
                            "'; create it with: floe namespace create ",
                            catalog::NamespaceToString(id.ns));
  }
  if (options.location.empty()) {
    FLOE_ASSIGN_OR_RAISE(options.location, catalog->DefaultTableLocation(id));
  }
  FLOE_ASSIGN_OR_RAISE(spec::TableMetadata md, NewTableMetadata(options));
  FLOE_ASSIGN_OR_RAISE(catalog::LoadedTable loaded, catalog->CreateTable(id, md));
  return Table(std::move(catalog), std::move(loaded));
}

namespace {

// Writes every batch of `source` through a TableWriter; on error deletes
// what was written.
Result<std::vector<manifest::DataFile>> WriteAll(const Table& table, const BatchSource& source,
                                                 int64_t* rows) {
  FLOE_ASSIGN_OR_RAISE(auto writer, TableWriter::Make(table.metadata_ptr(), table.io()));
  while (true) {
    auto batch = source();
    Status st = batch.status();
    if (st.ok() && !*batch) break;
    if (st.ok()) st = writer->Write(**batch);
    if (!st.ok()) {
      (void)writer->Abort();
      return st;
    }
  }
  *rows = writer->rows_written();
  return writer->Finish();
}

void DeleteFiles(io::FileIO& io, const std::vector<manifest::DataFile>& files) {
  for (const auto& f : files) (void)io.Delete(f.file_path);
}

// Evaluators of one filter, per partition spec, built on demand.
class FilterEvaluators {
 public:
  FilterEvaluators(expr::BoundExprPtr filter, const spec::Schema& schema)
      : filter_(std::move(filter)), schema_(schema), inclusive_metrics_(filter_),
        strict_metrics_(filter_) {}

  // May any row of `file` match? (Inclusive partition projection, metrics.)
  Result<bool> MayMatch(const manifest::DataFile& file, const spec::PartitionSpec& spec) {
    FLOE_ASSIGN_OR_RAISE(auto* e, For(spec));
    if (!e->inclusive.Evaluate(file.partition)) return false;
    return inclusive_metrics_.Evaluate(file);
  }
  // Does every row of `file` match? (Strict partition projection or metrics.)
  Result<bool> AllMatch(const manifest::DataFile& file, const spec::PartitionSpec& spec) {
    FLOE_ASSIGN_OR_RAISE(auto* e, For(spec));
    if (e->strict.Evaluate(file.partition)) return true;
    return strict_metrics_.Evaluate(file);
  }

 private:
  struct PerSpec {
    expr::PartitionEvaluator inclusive;
    expr::PartitionEvaluator strict;
  };
  Result<PerSpec*> For(const spec::PartitionSpec& spec) {
    auto it = per_spec_.find(spec.spec_id());
    if (it != per_spec_.end()) return &it->second;
    FLOE_ASSIGN_OR_RAISE(auto inc, expr::PartitionEvaluator::ForRowFilter(filter_, spec, schema_));
    FLOE_ASSIGN_OR_RAISE(auto strict, expr::StrictProjection(filter_, spec, schema_));
    PerSpec p{std::move(inc), expr::PartitionEvaluator(strict)};
    return &per_spec_.emplace(spec.spec_id(), std::move(p)).first->second;
  }
  expr::BoundExprPtr filter_;
  spec::Schema schema_;
  expr::InclusiveMetricsEvaluator inclusive_metrics_;
  expr::StrictMetricsEvaluator strict_metrics_;
  std::map<int32_t, PerSpec> per_spec_;
};

// The rows of `batch` where the filter is not TRUE (what a delete keeps).
Result<std::shared_ptr<arrow::RecordBatch>> KeepUnmatched(const expr::BoundExpr& filter,
                                                          const arrow::RecordBatch& batch,
                                                          int64_t* matched) {
  FLOE_ASSIGN_OR_RAISE(auto mask, expr::EvaluateMask(filter, batch));
  *matched = mask->true_count();
  if (*matched == 0) return batch.Slice(0);
  auto inverted = arrow::compute::Invert(mask);
  if (!inverted.ok()) return Status::Invalid("cannot invert a filter mask: ", inverted.status().ToString());
  auto kept = arrow::compute::Filter(batch.Slice(0), *inverted);
  if (!kept.ok()) return Status::Invalid("cannot filter a batch: ", kept.status().ToString());
  return kept->record_batch();
}

// Plans and prepares one copy-on-write attempt against the table's current
// state: which files to drop, which to rewrite and the rewritten files.
Result<std::unique_ptr<SnapshotUpdate>> PrepareRewrite(Table& table, const std::string& filter,
                                                       const std::vector<manifest::DataFile>& new_files,
                                                       WriteReport* report) {
  ScanOptions so;
  so.filter = filter;
  FLOE_ASSIGN_OR_RAISE(auto scan, TableScan::Make(table, so));
  FLOE_ASSIGN_OR_RAISE(auto tasks, scan->PlanFiles());
  const spec::TableMetadata& md = table.metadata();
  auto filter_expr = scan->filter();
  auto evaluators = std::make_shared<FilterEvaluators>(filter_expr, scan->schema());

  auto update = std::make_unique<SnapshotUpdate>(table.io().get(), spec::kMainBranch);
  update->SetStartSnapshot(scan->snapshot() ? std::optional<int64_t>(scan->snapshot()->snapshot_id)
                                            : std::nullopt);
  // Serializable isolation: data added concurrently that the filter may match
  // would escape this delete, so it is a conflict.
  update->SetConflictFilter([evaluators](const manifest::DataFile& f,
                                         const spec::TableMetadata& md) {
    const spec::PartitionSpec* spec = md.SpecById(f.spec_id);
    if (!spec) return true;
    auto may = evaluators->MayMatch(f, *spec);
    return !may.ok() || *may;
  });

  std::unique_ptr<TableWriter> writer;
  // Any error below (reading a later file, writing, closing) must not leave
  // the files rewritten so far behind: nothing references them yet.
  struct AbortUnlessFinished {
    std::unique_ptr<TableWriter>* writer;
    ~AbortUnlessFinished() {
      if (*writer) (void)(*writer)->Abort();
    }
  } abort_guard{&writer};
  std::vector<manifest::DataFile> rewritten;
  for (const FileScanTask& task : tasks) {
    FLOE_ASSIGN_OR_RAISE(bool all, evaluators->AllMatch(task.file, *task.spec));
    if (all) {
      update->RemoveFile(task.file);
      report->rows_deleted += task.file.record_count;
      ++report->files_removed;
      ++report->files_dropped_unread;
      continue;
    }
    // Read the file once with every column, keep the rows the filter does
    // not select; a file where nothing matches is left as it is.
    data::ParquetReadOptions ro;
    ro.file_size = task.file.file_size_in_bytes;
    // On object stores each read is a round trip: coalesce and prefetch.
    ro.pre_buffer = io::IsRemote(task.file.file_path);
    FLOE_ASSIGN_OR_RAISE(auto reader, data::ParquetReader::Open(table.io(), task.file.file_path,
                                                                *md.CurrentSchema(), ro));
    FLOE_ASSIGN_OR_RAISE(auto it, reader->Read());
    std::vector<std::shared_ptr<arrow::RecordBatch>> kept;
    int64_t matched_total = 0;
    while (true) {
      FLOE_ASSIGN_OR_RAISE(auto batch, it->Next());
      if (!batch) break;
      int64_t matched = 0;
      FLOE_ASSIGN_OR_RAISE(auto keep, KeepUnmatched(*filter_expr, *batch, &matched));
      matched_total += matched;
      if (keep->num_rows() > 0) kept.push_back(std::move(keep));
    }
    if (matched_total == 0) continue;
    if (!writer) {
      FLOE_ASSIGN_OR_RAISE(writer, TableWriter::Make(table.metadata_ptr(), table.io()));
    }
    for (const auto& b : kept) FLOE_RETURN_NOT_OK(writer->Write(*b));
    update->RemoveFile(task.file);
    report->rows_deleted += matched_total;
    ++report->files_removed;
    ++report->files_rewritten;
  }
  if (writer) {
    FLOE_ASSIGN_OR_RAISE(rewritten, writer->Finish());
    writer.reset();  // the update owns the files now
  }
  for (auto& f : rewritten) {
    ++report->files_added;
    update->AddFile(std::move(f));
  }
  for (const auto& f : new_files) update->AddFile(f, /*owned=*/false);
  return update;
}

Result<WriteReport> RewriteWhere(Table& table, const std::string& filter,
                                 const std::vector<manifest::DataFile>& new_files,
                                 int64_t new_rows) {
  const int max_replans =
      static_cast<int>(table.metadata().PropertyAsInt("commit.retry.num-retries", 4)) + 1;
  for (int plan = 1;; ++plan) {
    WriteReport report;
    report.rows_added = new_rows;
    report.files_added = static_cast<int64_t>(new_files.size());
    auto update = PrepareRewrite(table, filter, new_files, &report);
    if (!update.ok()) {
      DeleteFiles(*table.io(), new_files);
      return update.status();
    }
    if ((*update)->removed_count() == 0 && new_files.empty()) {
      // Nothing matched: no snapshot (as Spark does for an empty delete).
      report.changed = false;
      return report;
    }
    Transaction tx(&table);
    tx.Add(std::move(*update));
    auto committed = tx.Commit();
    if (committed.ok()) {
      report.attempts = committed->attempts;
      report.snapshot_id = table.metadata().current_snapshot_id.value_or(0);
      return report;
    }
    // A conflict found by validation means the plan is stale: plan again.
    if (committed.status().IsCommitConflict() && plan < max_replans) {
      Status refreshed = table.Refresh();
      if (!refreshed.ok()) {
        DeleteFiles(*table.io(), new_files);
        return refreshed;
      }
      continue;
    }
    if (!committed.status().IsCommitStateUnknown()) DeleteFiles(*table.io(), new_files);
    return committed.status();
  }
}

}  // namespace

Result<WriteReport> Append(Table& table, const BatchSource& source) {
  WriteReport report;
  FLOE_ASSIGN_OR_RAISE(auto files, WriteAll(table, source, &report.rows_added));
  report.files_added = static_cast<int64_t>(files.size());
  if (files.empty()) {
    report.changed = false;
    return report;
  }
  auto update = std::make_unique<SnapshotUpdate>(table.io().get(), spec::kMainBranch);
  update->SetStartSnapshot(table.metadata().current_snapshot_id);
  for (auto& f : files) update->AddFile(std::move(f));
  Transaction tx(&table);
  tx.Add(std::move(update));
  FLOE_ASSIGN_OR_RAISE(auto committed, tx.Commit());
  report.snapshot_id = table.metadata().current_snapshot_id.value_or(0);
  report.attempts = committed.attempts;
  return report;
}

Result<WriteReport> DeleteWhere(Table& table, const std::string& filter) {
  if (filter.empty()) return Status::Invalid("a delete needs a filter (--where)");
  return RewriteWhere(table, filter, {}, 0);
}

Result<WriteReport> OverwriteWhere(Table& table, const std::string& filter,
                                   const BatchSource& source) {
  if (filter.empty()) return Status::Invalid("an overwrite needs a filter (--where)");
  int64_t rows = 0;
  FLOE_ASSIGN_OR_RAISE(auto files, WriteAll(table, source, &rows));
  return RewriteWhere(table, filter, files, rows);
}

namespace {

class RefUpdate final : public PendingUpdate {
 public:
  RefUpdate(std::string name, std::optional<spec::SnapshotRef> ref, std::optional<spec::RefType> drop_type)
      : name_(std::move(name)), ref_(std::move(ref)), drop_type_(drop_type) {}

  Status Apply(spec::TableMetadata* md, CommitAttempt*) override {
    if (ref_) {
      if (md->refs.count(name_)) {
        return Status::AlreadyExists("a branch or tag named '", name_, "' already exists");
      }
      return SetRef(md, name_, *ref_);
    }
    auto it = md->refs.find(name_);
    if (it != md->refs.end() && drop_type_ && it->second.type != *drop_type_) {
      return Status::Invalid("'", name_, "' is a ",
                             it->second.type == spec::RefType::kBranch ? "branch" : "tag",
                             ", not a ", *drop_type_ == spec::RefType::kBranch ? "branch" : "tag");
    }
    return RemoveRef(md, name_);
  }
  std::string Describe() const override {
    return std::string(ref_ ? "create " : "drop ") + "ref '" + name_ + "'";
  }

 private:
  std::string name_;
  std::optional<spec::SnapshotRef> ref_;
  std::optional<spec::RefType> drop_type_;
};

class PropertiesUpdate final : public PendingUpdate {
 public:
  PropertiesUpdate(std::map<std::string, std::string> set, std::vector<std::string> remove)
      : set_(std::move(set)), remove_(std::move(remove)) {}
  Status Apply(spec::TableMetadata* md, CommitAttempt*) override {
    for (const auto& [k, v] : set_) {
      if (IsReservedProperty(k)) return Status::Invalid("property '", k, "' is reserved");
      md->properties[k] = v;
    }
    for (const auto& k : remove_) md->properties.erase(k);
    return Status::OK();
  }
  std::string Describe() const override { return "update properties"; }

 private:
  std::map<std::string, std::string> set_;
  std::vector<std::string> remove_;
};

}  // namespace

Status CreateRef(Table& table, const std::string& name, spec::RefType type,
                 std::optional<int64_t> snapshot_id) {
  if (!snapshot_id) snapshot_id = table.metadata().current_snapshot_id;
  if (!snapshot_id) {
    return Status::Invalid("table ", table.name(), " has no snapshot yet; append data first");
  }
  spec::SnapshotRef ref{*snapshot_id, type};
  Transaction tx(&table);
  tx.Add(std::make_unique<RefUpdate>(name, ref, std::nullopt));
  return tx.Commit().status();
}

Status DropRef(Table& table, const std::string& name, std::optional<spec::RefType> type) {
  Transaction tx(&table);
  tx.Add(std::make_unique<RefUpdate>(name, std::nullopt, type));
  return tx.Commit().status();
}

Status UpdateProperties(Table& table, const std::map<std::string, std::string>& set,
                        const std::vector<std::string>& remove) {
  Transaction tx(&table);
  tx.Add(std::make_unique<PropertiesUpdate>(set, remove));
  return tx.Commit().status();
}

}  // namespace floe::table
