#include "floe/table/row_level.h"

#include <arrow/api.h>
#include <arrow/compute/api.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <unordered_set>

#include "floe/data/arrow_schema.h"
#include "floe/data/batch_conform.h"
#include "floe/data/delete_filter.h"
#include "floe/data/delete_writer.h"
#include "floe/data/parquet_writer.h"
#include "floe/expr/arrow_eval.h"
#include "floe/expr/evaluators.h"
#include "floe/expr/projection.h"
#include "floe/table/scan.h"
#include "floe/table/snapshot_update.h"
#include "floe/table/table_writer.h"
#include "floe/util/random_ids.h"

namespace floe::table {

using manifest::DataFile;
using manifest::FileContent;

Result<RowLevelMode> ModeFromProperty(const spec::TableMetadata& md, const std::string& property) {
  const std::string value = md.Property(property, "copy-on-write");
  if (value == "copy-on-write") return RowLevelMode::kCopyOnWrite;
  if (value != "merge-on-read") {
    return Status::Invalid("table property ", property, " is '", value,
                           "'; it must be copy-on-write or merge-on-read");
  }
  if (md.format_version < 2) {
    return Status::Invalid(property, " is merge-on-read, but the table is format version 1, "
                           "which has no row-level deletes; upgrade it (format-version=2) or use "
                           "copy-on-write");
  }
  return RowLevelMode::kMergeOnRead;
}

namespace {

// Evaluators of one filter, per partition spec, built on demand.
class FilterEvaluators {
 public:
  FilterEvaluators(expr::BoundExprPtr filter, const spec::Schema& schema)
      : filter_(std::move(filter)), schema_(schema), inclusive_metrics_(filter_),
        strict_metrics_(filter_) {}

  // May any row of `file` match? (Inclusive partition projection, metrics.)
  Result<bool> MayMatch(const DataFile& file, const spec::PartitionSpec& spec) {
    FLOE_ASSIGN_OR_RAISE(auto* e, For(spec));
    if (!e->inclusive.Evaluate(file.partition)) return false;
    return inclusive_metrics_.Evaluate(file);
  }
  // Does every row of `file` match? (Strict partition projection or metrics.)
  Result<bool> AllMatch(const DataFile& file, const spec::PartitionSpec& spec) {
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
    std::lock_guard<std::mutex> lock(mu_);
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
  std::mutex mu_;
  std::map<int32_t, PerSpec> per_spec_;
};

// Which rows a change touches: those the filter selects, or (upsert) those
// whose key tuple is in `keys` (the filter then only prunes files).
struct RowMatcher {
  std::string filter;     // filter text, or
  expr::ExprPtr filter_expr;
  std::vector<int32_t> key_ids;
  std::shared_ptr<const data::KeySet> keys;

  // One byte per row of `batch`: 1 when it matches.
  Result<std::vector<uint8_t>> Match(const expr::BoundExpr& bound, const arrow::RecordBatch& batch) const {
    std::vector<uint8_t> out(static_cast<size_t>(batch.num_rows()), 0);
    if (keys) {
      std::vector<int> columns;
      for (int32_t id : key_ids) {
        for (int c = 0; c < batch.num_columns(); ++c) {
          if (data::FieldIdOf(*batch.schema()->field(c)) == id) columns.push_back(c);
        }
      }
      FLOE_ASSIGN_OR_RAISE(auto encoded, data::EncodeKeys(batch, columns));
      for (size_t i = 0; i < encoded.size(); ++i) out[i] = keys->find(encoded[i]) != keys->end() ? 1 : 0;
      return out;
    }
    FLOE_ASSIGN_OR_RAISE(auto mask, expr::EvaluateMask(bound, batch));
    for (int64_t i = 0; i < mask->length(); ++i) {
      out[static_cast<size_t>(i)] = mask->IsValid(i) && mask->Value(i) ? 1 : 0;
    }
    return out;
  }
};

Result<std::shared_ptr<arrow::RecordBatch>> TakeRows(const std::shared_ptr<arrow::RecordBatch>& batch,
                                                     const std::vector<uint8_t>& select,
                                                     bool value) {
  arrow::BooleanBuilder b;
  if (!b.Reserve(static_cast<int64_t>(select.size())).ok()) return Status::IOError("out of memory");
  for (uint8_t s : select) b.UnsafeAppend((s != 0) == value);
  std::shared_ptr<arrow::BooleanArray> mask;
  if (!b.Finish(&mask).ok()) return Status::IOError("cannot build a row mask");
  return data::FilterByMask(batch, mask);
}


// Writes one file-scoped position delete file for `data` (spec §Position
// Delete Files: file_path is the data file's, exactly).
Result<DataFile> WritePositionDeletes(const Table& table, const DataFile& data,
                                      std::vector<int64_t> positions,
                                      const std::string& write_id, int n) {
  const spec::TableMetadata& md = table.metadata();
  std::string location = io::JoinLocation(
      PartitionFolder(md, data), write_id + "-" + std::to_string(n) + "-deletes.parquet");
  FLOE_ASSIGN_OR_RAISE(DataFile f, data::WritePositionDeleteFile(
                                       table.io(), location, md.properties,
                                       {data::FilePositions{data.file_path, std::move(positions)}}));
  f.partition = data.partition;
  f.spec_id = data.spec_id;
  return f;
}

// What one planning attempt produced.
struct Prepared {
  std::unique_ptr<SnapshotUpdate> update;
  std::vector<std::string> written;  // files this attempt wrote (deleted if it fails)
  int64_t rows_matched = 0;
};

struct ChangeRequest {
  RowMatcher matcher;
  RowLevelMode mode = RowLevelMode::kCopyOnWrite;
  bool serializable = true;
  // Files written before planning (new rows), added to every attempt.
  std::vector<DataFile> new_files;
};

// Plans one attempt against the table's current state.
Result<Prepared> PrepareChange(Table& table, const ChangeRequest& req, WriteReport* report) {
  ScanOptions so;
  so.filter = req.matcher.filter;
  so.filter_expr = req.matcher.filter_expr;
  FLOE_ASSIGN_OR_RAISE(auto scan, TableScan::Make(table, so));
  FLOE_ASSIGN_OR_RAISE(auto tasks, scan->PlanFiles());
  const spec::TableMetadata& md = table.metadata();
  auto filter = scan->filter();
  auto evaluators = std::make_shared<FilterEvaluators>(filter, scan->schema());

  Prepared out;
  out.update = std::make_unique<SnapshotUpdate>(table.io().get(), spec::kMainBranch);
  SnapshotUpdate* update = out.update.get();
  update->SetStartSnapshot(scan->snapshot() ? std::optional<int64_t>(scan->snapshot()->snapshot_id)
                                            : std::nullopt);
  if (req.serializable) {
    // Data added concurrently that the filter may match would escape this
    // change (spec §Commit Conflict Resolution, serializable isolation).
    update->SetConflictFilter([evaluators](const DataFile& f, const spec::TableMetadata& md) {
      const spec::PartitionSpec* spec = md.SpecById(f.spec_id);
      if (!spec) return true;
      auto may = evaluators->MayMatch(f, *spec);
      return !may.ok() || *may;
    });
  }

  std::unique_ptr<TableWriter> writer;  // copy-on-write: the kept rows
  struct Cleanup {
    std::unique_ptr<TableWriter>* writer;
    std::vector<std::string>* written;
    io::FileIO* io;
    bool armed = true;
    ~Cleanup() {
      if (!armed) return;
      if (*writer) (void)(*writer)->Abort();
      for (const auto& f : *written) (void)io->Delete(f);
    }
  } cleanup{&writer, &out.written, table.io().get()};

  const std::string write_id = util::RandomUuid();
  const spec::Schema& schema = *md.CurrentSchema();
  // v3: one DV per changed data file, all in one Puffin file per attempt.
  std::vector<data::FilePositions> dv_targets;
  std::vector<std::pair<std::vector<spec::Literal>, int32_t>> dv_partitions;
  int delete_files = 0;
  for (const FileScanTask& task : tasks) {
    if (!req.matcher.keys) {
      FLOE_ASSIGN_OR_RAISE(bool all, evaluators->AllMatch(task.file, *task.spec));
      if (all) {
        update->RemoveFile(task.file);
        report->rows_deleted += task.file.record_count;
        ++report->files_removed;
        ++report->files_dropped_unread;
        continue;
      }
    }
    std::vector<std::shared_ptr<arrow::RecordBatch>> kept;
    std::vector<int64_t> matched_positions;
    int64_t matched = 0;
    FLOE_RETURN_NOT_OK(scan->ReadLiveRows(
        task, schema, /*with_positions=*/true,
        [&](const std::shared_ptr<arrow::RecordBatch>& batch) -> Status {
          FLOE_ASSIGN_OR_RAISE(auto hit, req.matcher.Match(*filter, *batch));
          int64_t n = 0;
          for (uint8_t h : hit) n += h;
          matched += n;
          if (req.mode == RowLevelMode::kCopyOnWrite) {
            FLOE_ASSIGN_OR_RAISE(auto rest, TakeRows(batch, hit, false));
            auto without_pos = rest->RemoveColumn(rest->num_columns() - 1);
            if (!without_pos.ok()) return Status::Invalid("internal: cannot drop _pos");
            if ((*without_pos)->num_rows() > 0) kept.push_back(*without_pos);
          } else if (n > 0) {
            const auto& pos = static_cast<const arrow::Int64Array&>(
                *batch->column(batch->num_columns() - 1));
            for (int64_t i = 0; i < pos.length(); ++i) {
              if (hit[static_cast<size_t>(i)]) matched_positions.push_back(pos.Value(i));
            }
          }
          return Status::OK();
        }));
    if (matched == 0) continue;
    out.rows_matched += matched;
    report->rows_deleted += matched;
    if (req.mode == RowLevelMode::kCopyOnWrite) {
      if (!writer) {
        FLOE_ASSIGN_OR_RAISE(writer, TableWriter::Make(table.metadata_ptr(), table.io()));
      }
      for (const auto& b : kept) FLOE_RETURN_NOT_OK(writer->Write(*b));
      update->RemoveFile(task.file);
      ++report->files_removed;
      ++report->files_rewritten;
      continue;
    }
    update->AddReferencedDataFile(task.file.file_path);
    std::sort(matched_positions.begin(), matched_positions.end());
    if (md.format_version < 3) {
      FLOE_ASSIGN_OR_RAISE(DataFile del, WritePositionDeletes(table, task.file, std::move(matched_positions),
                                                              write_id, delete_files++));
      out.written.push_back(del.file_path);
      update->AddFile(std::move(del), /*owned=*/false);
      ++report->delete_files_added;
      continue;
    }
    // v3: one DV per data file, carrying its earlier DV and position deletes
    // too (spec §Deletion Vectors); the earlier DV entry is replaced.
    std::vector<int64_t> all;
    FLOE_ASSIGN_OR_RAISE(auto earlier, scan->DeletedPositions(task));
    all.reserve(earlier.size() + matched_positions.size());
    std::merge(earlier.begin(), earlier.end(), matched_positions.begin(), matched_positions.end(),
               std::back_inserter(all));
    all.erase(std::unique(all.begin(), all.end()), all.end());
    for (const auto& d : task.deletes) {
      if (d->file_format == manifest::FileFormat::kPuffin) update->RemoveFile(*d);
    }
    dv_targets.push_back({task.file.file_path, std::move(all)});
    dv_partitions.push_back({task.file.partition, task.file.spec_id});
    ++report->delete_files_added;
  }
  if (!dv_targets.empty()) {
    std::string location = io::JoinLocation(DataFolder(md), write_id + "-deletes.puffin");
    FLOE_ASSIGN_OR_RAISE(auto dv_files,
                         data::WriteDeletionVectors(table.io(), location, dv_targets,
                                                    std::string("floe ") + FLOE_VERSION));
    out.written.push_back(location);
    for (size_t i = 0; i < dv_files.size(); ++i) {
      dv_files[i].partition = dv_partitions[i].first;
      dv_files[i].spec_id = dv_partitions[i].second;
      update->AddFile(std::move(dv_files[i]), /*owned=*/false);
    }
  }
  if (writer) {
    FLOE_ASSIGN_OR_RAISE(auto rewritten, writer->Finish());
    writer.reset();
    for (auto& f : rewritten) {
      out.written.push_back(f.file_path);
      ++report->files_added;
      update->AddFile(std::move(f), /*owned=*/false);
    }
  }
  for (const auto& f : req.new_files) update->AddFile(f, /*owned=*/false);
  cleanup.armed = false;
  return out;
}

void DeleteAll(io::FileIO& io, const std::vector<std::string>& paths) {
  for (const auto& p : paths) (void)io.Delete(p);
}

// Plans, commits, and on a validation conflict plans again on the new state.
Result<WriteReport> CommitChange(Table& table, const ChangeRequest& req, int64_t new_rows) {
  std::vector<std::string> new_paths;
  for (const auto& f : req.new_files) new_paths.push_back(f.file_path);
  const int max_replans =
      static_cast<int>(table.metadata().PropertyAsInt("commit.retry.num-retries", 4)) + 1;
  for (int plan = 1;; ++plan) {
    WriteReport report;
    report.rows_added = new_rows;
    report.merge_on_read = req.mode == RowLevelMode::kMergeOnRead;
    for (const auto& f : req.new_files) report.files_added += f.content == FileContent::kData;
    auto prepared = PrepareChange(table, req, &report);
    if (!prepared.ok()) {
      DeleteAll(*table.io(), new_paths);
      return prepared.status();
    }
    SnapshotUpdate& update = *prepared->update;
    if (update.removed_count() == 0 && update.added_count() == 0) {
      // Nothing matched: no snapshot (as Spark does for an empty delete).
      report.changed = false;
      return report;
    }
    Transaction tx(&table);
    tx.Add(std::move(prepared->update));
    auto committed = tx.Commit();
    if (committed.ok()) {
      report.attempts = committed->attempts;
      report.snapshot_id = table.metadata().current_snapshot_id.value_or(0);
      return report;
    }
    if (!committed.status().IsCommitStateUnknown()) DeleteAll(*table.io(), prepared->written);
    // A conflict found by validation means the plan is stale: plan again.
    if (committed.status().IsCommitConflict() && plan < max_replans) {
      Status refreshed = table.Refresh();
      if (!refreshed.ok()) {
        DeleteAll(*table.io(), new_paths);
        return refreshed;
      }
      continue;
    }
    if (!committed.status().IsCommitStateUnknown()) DeleteAll(*table.io(), new_paths);
    return committed.status();
  }
}

bool Serializable(const spec::TableMetadata& md, const std::string& op) {
  return md.Property("write." + op + ".isolation-level", "serializable") != "snapshot";
}

// Writes every batch of `source` through a TableWriter (data files, or
// equality deletes); on error deletes what was written.
Result<std::vector<DataFile>> WriteBatches(const Table& table,
                                           const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches,
                                           std::vector<int32_t> equality_ids) {
  size_t next = 0;
  return WriteAll(table.metadata_ptr(), table.io(),
                  [&]() -> Result<std::shared_ptr<arrow::RecordBatch>> {
                    return next < batches.size() ? batches[next++] : nullptr;
                  },
                  std::move(equality_ids), nullptr);
}

}  // namespace

Result<WriteReport> DeleteWhere(Table& table, const std::string& filter) {
  if (filter.empty()) return Status::Invalid("a delete needs a filter (--where)");
  ChangeRequest req;
  req.matcher.filter = filter;
  FLOE_ASSIGN_OR_RAISE(req.mode, ModeFromProperty(table.metadata(), "write.delete.mode"));
  req.serializable = Serializable(table.metadata(), "delete");
  return CommitChange(table, req, 0);
}

Result<WriteReport> OverwriteWhere(Table& table, const std::string& filter,
                                   const BatchSource& source) {
  if (filter.empty()) return Status::Invalid("an overwrite needs a filter (--where)");
  ChangeRequest req;
  req.matcher.filter = filter;
  req.serializable = Serializable(table.metadata(), "update");
  int64_t rows = 0;
  FLOE_ASSIGN_OR_RAISE(req.new_files,
                       WriteAll(table.metadata_ptr(), table.io(), source, {}, &rows));
  return CommitChange(table, req, rows);
}

namespace {

// A literal of `type` from an Arrow scalar, for the key types that prune
// well by range; nullopt for others.
std::optional<spec::Literal> RangeLiteral(const arrow::Scalar& s, const spec::Type& type) {
  if (!s.is_valid) return std::nullopt;
  switch (s.type->id()) {
    case arrow::Type::INT32:
      return spec::Literal::Int(static_cast<const arrow::Int32Scalar&>(s).value);
    case arrow::Type::DATE32:
      return spec::Literal::Int(static_cast<const arrow::Date32Scalar&>(s).value);
    case arrow::Type::INT64:
      return spec::Literal::Long(static_cast<const arrow::Int64Scalar&>(s).value);
    case arrow::Type::TIMESTAMP:
      return spec::Literal::Long(static_cast<const arrow::TimestampScalar&>(s).value);
    case arrow::Type::TIME64:
      return spec::Literal::Long(static_cast<const arrow::Time64Scalar&>(s).value);
    case arrow::Type::STRING:
      if (type.id() != spec::TypeId::kString) return std::nullopt;
      return spec::Literal::String(static_cast<const arrow::StringScalar&>(s).value->ToString());
    default:
      return std::nullopt;
  }
}

// `key >= min and key <= max` per key column: prunes partitions and files
// (the exact match is by key set).
Result<expr::ExprPtr> KeyRange(const arrow::Table& input, const spec::Schema& schema,
                               const std::vector<const spec::NestedField*>& keys) {
  expr::ExprPtr out = expr::AlwaysTrue();
  for (const spec::NestedField* k : keys) {
    auto column = input.GetColumnByName(k->name);
    if (!column) continue;
    auto minmax = arrow::compute::MinMax(column);
    if (!minmax.ok()) continue;
    const auto& st = static_cast<const arrow::StructScalar&>(*minmax->scalar());
    auto lo = RangeLiteral(*st.value[0], *k->type);
    auto hi = RangeLiteral(*st.value[1], *k->type);
    if (!lo || !hi) continue;
    out = expr::And(out, expr::And(expr::GreaterThanOrEqual(
                                       k->name, expr::UnboundLiteral::Typed(k->type, *lo)),
                                   expr::LessThanOrEqual(
                                       k->name, expr::UnboundLiteral::Typed(k->type, *hi))));
  }
  return out;
}

}  // namespace

Result<WriteReport> Upsert(Table& table, const BatchSource& source, const UpsertOptions& options) {
  const spec::TableMetadata& md = table.metadata();
  const spec::Schema& schema = *md.CurrentSchema();
  std::vector<const spec::NestedField*> keys;
  if (options.key_columns.empty()) {
    for (int32_t id : schema.identifier_field_ids()) keys.push_back(schema.FindField(id));
    if (keys.empty()) {
      return Status::Invalid("upsert into ", table.name(), " needs key columns: pass --key, or "
                             "set the table's identifier fields");
    }
  } else {
    for (const std::string& name : options.key_columns) {
      const spec::NestedField* f = schema.FindFieldByName(name);
      if (!f || schema.FindParentId(f->id)) {
        return Status::Invalid("key column '", name, "' is not a top-level column of ",
                               table.name());
      }
      if (!f->type->is_primitive()) {
        return Status::Invalid("key column '", name, "' is a ", f->type->ToString(),
                               "; keys must be primitive columns");
      }
      keys.push_back(f);
    }
  }
  std::vector<int32_t> key_ids;
  std::vector<std::string> key_names;
  for (const auto* k : keys) {
    key_ids.push_back(k->id);
    key_names.push_back(k->name);
  }

  // The input, conformed to the table's schema, and its key set.
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  auto key_set = std::make_shared<data::KeySet>();
  int64_t rows = 0;
  while (true) {
    FLOE_ASSIGN_OR_RAISE(auto batch, source());
    if (!batch) break;
    if (batch->num_rows() == 0) continue;
    FLOE_ASSIGN_OR_RAISE(auto conformed, data::ConformBatch(*batch, schema));
    std::vector<int> columns;
    for (int32_t id : key_ids) {
      for (int c = 0; c < conformed->num_columns(); ++c) {
        if (data::FieldIdOf(*conformed->schema()->field(c)) == id) columns.push_back(c);
      }
    }
    FLOE_ASSIGN_OR_RAISE(auto encoded, data::EncodeKeys(*conformed, columns));
    for (size_t i = 0; i < encoded.size(); ++i) {
      if (!key_set->emplace(encoded[i]).second) {
        std::string shown;
        for (int c : columns) {
          auto v = conformed->column(c)->GetScalar(static_cast<int64_t>(i));
          shown += (shown.empty() ? "" : ", ") + conformed->schema()->field(c)->name() + "=" +
                   (v.ok() ? (*v)->ToString() : "?");
        }
        return Status::Invalid("the upsert input has more than one row with key (", shown,
                               "); each key may appear once");
      }
    }
    rows += conformed->num_rows();
    batches.push_back(std::move(conformed));
  }
  WriteReport empty;
  if (rows == 0) {
    empty.changed = false;
    return empty;
  }
  auto input = arrow::Table::FromRecordBatches(batches);
  if (!input.ok()) return Status::Invalid("cannot assemble the upsert input: ", input.status().ToString());

  ChangeRequest req;
  FLOE_ASSIGN_OR_RAISE(req.mode, ModeFromProperty(md, "write.merge.mode"));
  req.serializable = Serializable(md, "merge");
  FLOE_ASSIGN_OR_RAISE(req.matcher.filter_expr, KeyRange(**input, schema, keys));
  req.matcher.key_ids = key_ids;
  req.matcher.keys = key_set;

  if (options.equality_deletes) {
    if (req.mode != RowLevelMode::kMergeOnRead) {
      return Status::Invalid("equality deletes are a merge-on-read strategy; table ", table.name(),
                             " has write.merge.mode=copy-on-write");
    }
    // An equality delete only reaches rows of its own partition: the key
    // must decide the partition, or an old row elsewhere would survive.
    for (const spec::PartitionField& pf : md.DefaultSpec()->fields()) {
      if (std::find(key_ids.begin(), key_ids.end(), pf.source_id) == key_ids.end()) {
        return Status::Invalid("equality deletes need every partition source column among the "
                               "keys; partition field '", pf.name, "' comes from a column that "
                               "is not a key. Upsert without --equality-deletes instead");
      }
    }
    FLOE_ASSIGN_OR_RAISE(auto deletes, WriteBatches(table, batches, key_ids));
    FLOE_ASSIGN_OR_RAISE(auto data_files, WriteBatches(table, batches, {}));
    for (auto& f : deletes) data_files.push_back(std::move(f));
    // Nothing to plan: the deletes apply by sequence number. Conflicts with
    // concurrent writers of the same keys are resolved by commit order.
    auto update = std::make_unique<SnapshotUpdate>(table.io().get(), spec::kMainBranch);
    update->SetStartSnapshot(md.current_snapshot_id);
    WriteReport report;
    report.rows_added = rows;
    report.merge_on_read = true;
    for (auto& f : data_files) {
      report.files_added += f.content == FileContent::kData;
      report.delete_files_added += f.content != FileContent::kData;
      update->AddFile(std::move(f));
    }
    Transaction tx(&table);
    tx.Add(std::move(update));
    FLOE_ASSIGN_OR_RAISE(auto committed, tx.Commit());
    report.attempts = committed.attempts;
    report.snapshot_id = table.metadata().current_snapshot_id.value_or(0);
    return report;
  }
  FLOE_ASSIGN_OR_RAISE(req.new_files, WriteBatches(table, batches, {}));
  return CommitChange(table, req, rows);
}

}  // namespace floe::table
