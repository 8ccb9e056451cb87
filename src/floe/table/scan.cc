#include "floe/table/scan.h"

#include <arrow/api.h>
#include <fmt/format.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "floe/data/arrow_schema.h"
#include "floe/data/parquet_reader.h"
#include "floe/io/file_io.h"
#include "floe/expr/arrow_eval.h"
#include "floe/expr/binder.h"
#include "floe/expr/evaluators.h"
#include "floe/expr/parser.h"
#include "floe/spec/literal.h"
#include "floe/spec/name_mapping.h"
#include "floe/table/metadata_columns.h"
#include "floe/util/parallel.h"

namespace floe::table {

using spec::NestedField;
using spec::Schema;

namespace {

// Keeps the fields whose id is in `keep`, their ancestors and descendants.
spec::TypePtr Prune(const spec::TypePtr& type, const std::set<int32_t>& keep, bool keep_all);

std::vector<NestedField> PruneFields(const std::vector<NestedField>& fields,
                                     const std::set<int32_t>& keep, bool keep_all) {
  std::vector<NestedField> out;
  for (const NestedField& f : fields) {
    bool selected = keep_all || keep.count(f.id);
    spec::TypePtr t = Prune(f.type, keep, selected);
    if (!selected && !t) continue;
    NestedField copy = f;
    copy.type = t ? t : f.type;
    out.push_back(std::move(copy));
  }
  return out;
}

spec::TypePtr Prune(const spec::TypePtr& type, const std::set<int32_t>& keep, bool keep_all) {
  if (keep_all) return type;
  if (type->id() == spec::TypeId::kStruct) {
    auto fields = PruneFields(type->fields(), keep, false);
    if (fields.empty()) return nullptr;
    return spec::Type::Struct(std::move(fields));
  }
  // Inside a list or map the whole element is kept when anything under it is.
  for (const NestedField& c : type->fields()) {
    if (keep.count(c.id) || Prune(c.type, keep, false)) return type;
  }
  return nullptr;
}

Schema SelectIds(const Schema& schema, const std::set<int32_t>& ids) {
  return Schema(schema.schema_id(), PruneFields(schema.fields(), ids, false));
}

bool IsTrue(const expr::BoundExprPtr& e) { return !e || e->op() == expr::Op::kTrue; }

// Rebuilds `array` with the shape of `target` (fewer struct children),
// matching children by field id.
Result<std::shared_ptr<arrow::Array>> Reshape(const std::shared_ptr<arrow::Array>& array,
                                              const arrow::Field& target) {
  if (array->type()->Equals(*target.type())) return array;
  if (array->type_id() != arrow::Type::STRUCT) return array;
  const auto& st = static_cast<const arrow::StructArray&>(*array);
  const auto& stype = static_cast<const arrow::StructType&>(*array->type());
  arrow::ArrayVector children;
  arrow::FieldVector fields;
  for (const auto& want : target.type()->fields()) {
    auto want_id = data::FieldIdOf(*want);
    for (int i = 0; i < stype.num_fields(); ++i) {
      if (data::FieldIdOf(*stype.field(i)) == want_id) {
        FLOE_ASSIGN_OR_RAISE(auto child, Reshape(st.field(i), *want));
        children.push_back(child);
        fields.push_back(want);
      }
    }
  }
  auto made = arrow::StructArray::Make(children, fields, st.null_bitmap(), st.null_count(),
                                       st.offset());
  if (!made.ok()) return Status::Invalid("cannot project a struct column: ", made.status().ToString());
  return std::static_pointer_cast<arrow::Array>(*made);
}

// The columns of `batch` the output schema asks for, matched by field id.
Result<std::shared_ptr<arrow::RecordBatch>> ProjectBatch(
    const std::shared_ptr<arrow::RecordBatch>& batch, const std::shared_ptr<arrow::Schema>& out) {
  if (batch->schema()->Equals(*out, /*check_metadata=*/false)) return batch;
  arrow::ArrayVector columns;
  for (const auto& field : out->fields()) {
    auto id = data::FieldIdOf(*field);
    int index = -1;
    for (int i = 0; i < batch->num_columns(); ++i) {
      if (data::FieldIdOf(*batch->schema()->field(i)) == id) index = i;
    }
    if (index < 0) return Status::Invalid("internal: column ", field->name(), " was not read");
    FLOE_ASSIGN_OR_RAISE(auto col, Reshape(batch->column(index), *field));
    columns.push_back(std::move(col));
  }
  return arrow::RecordBatch::Make(out, batch->num_rows(), std::move(columns));
}

expr::ColumnStatsMap ToColumnStats(const data::RowGroupStats& rg) {
  expr::ColumnStatsMap out;
  for (const auto& [id, c] : rg.columns) {
    expr::ColumnStats s;
    if (!c.lower.is_null()) s.lower = c.lower;
    if (!c.upper.is_null()) s.upper = c.upper;
    s.null_count = c.null_count;
    s.value_count = c.value_count;
    out.emplace(id, std::move(s));
  }
  return out;
}

}  // namespace

Result<const spec::Snapshot*> SelectSnapshot(const spec::TableMetadata& md,
                                             std::optional<int64_t> snapshot_id,
                                             std::optional<int64_t> as_of_ms,
                                             const std::optional<std::string>& ref) {
  int given = (snapshot_id ? 1 : 0) + (as_of_ms ? 1 : 0) + (ref ? 1 : 0);
  if (given > 1) {
    return Status::Invalid("choose one of a snapshot id, a timestamp or a ref for time travel");
  }
  if (snapshot_id) {
    const spec::Snapshot* s = md.SnapshotById(*snapshot_id);
    if (!s) {
      return Status::NotFound("snapshot ", *snapshot_id, " does not exist in table ",
                              md.location, " (floe snapshots lists them)");
    }
    return s;
  }
  if (ref) {
    if (md.refs.find(*ref) == md.refs.end() && !(*ref == spec::kMainBranch && md.refs.empty())) {
      std::string names;
      for (const auto& [n, r] : md.refs) names += (names.empty() ? "" : ", ") + n;
      return Status::NotFound("no branch or tag named '", *ref, "'; refs are: ",
                              names.empty() ? "(none)" : names);
    }
    return md.SnapshotForRef(*ref);
  }
  if (as_of_ms) {
    // The last snapshot-log entry at or before the time (spec App. F).
    const spec::SnapshotLogEntry* found = nullptr;
    for (const auto& e : md.snapshot_log) {
      if (e.timestamp_ms <= *as_of_ms) found = &e;
    }
    if (!found) {
      std::string first = md.snapshot_log.empty()
                              ? "the table has no snapshot log"
                              : "its first snapshot is at " +
                                    spec::LiteralToString(
                                        spec::Literal::Long(md.snapshot_log.front().timestamp_ms * 1000),
                                        *spec::Type::TimestampTz());
      return Status::NotFound("no snapshot of table ", md.location, " at or before ",
                              spec::LiteralToString(spec::Literal::Long(*as_of_ms * 1000),
                                                    *spec::Type::TimestampTz()),
                              "; ", first);
    }
    const spec::Snapshot* s = md.SnapshotById(found->snapshot_id);
    if (!s) {
      return Status::NotFound("snapshot ", found->snapshot_id,
                              " from the snapshot log has expired");
    }
    return s;
  }
  return md.CurrentSnapshot();
}

Result<spec::Schema> SelectColumns(const spec::Schema& schema,
                                   const std::vector<std::string>& names, bool case_sensitive) {
  if (names.empty()) return schema;
  // Top-level fields in the order first named, each with the ids selected
  // under it (a nested name keeps only its path from the top).
  std::vector<int32_t> order;
  std::map<int32_t, std::set<int32_t>> selected;
  for (const std::string& name : names) {
    const NestedField* f = schema.FindFieldByName(name, case_sensitive);
    if (!f) {
      std::string cols;
      for (const NestedField& c : schema.fields()) cols += (cols.empty() ? "" : ", ") + c.name;
      return Status::Invalid("column '", name, "' not found; columns are: ", cols);
    }
    int32_t top = f->id;
    while (auto p = schema.FindParentId(top)) top = *p;
    if (!selected.count(top)) order.push_back(top);
    selected[top].insert(f->id);
  }
  std::vector<NestedField> fields;
  for (int32_t top : order) {
    Schema pruned = SelectIds(schema, selected[top]);  // must outlive the loop below
    for (const NestedField& pf : pruned.fields()) {
      if (pf.id == top) fields.push_back(pf);
    }
  }
  return Schema(schema.schema_id(), std::move(fields));
}

namespace {

// SelectColumns, where names of metadata columns (not shadowed by a table
// column) select those, in the order named.
Result<spec::Schema> SelectWithMetadata(const spec::TableMetadata& md, const spec::Schema& schema,
                                        const std::vector<std::string>& names,
                                        bool case_sensitive,
                                        std::vector<NestedField>* metadata) {
  std::vector<std::string> table_names;
  std::vector<std::optional<NestedField>> meta(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    if (!schema.FindFieldByName(names[i], case_sensitive)) meta[i] = MetadataColumn(names[i], md);
    if (!meta[i]) table_names.push_back(names[i]);
  }
  if (table_names.size() == names.size()) return SelectColumns(schema, names, case_sensitive);
  Schema selected(schema.schema_id(), {});
  if (!table_names.empty()) {
    FLOE_ASSIGN_OR_RAISE(selected, SelectColumns(schema, table_names, case_sensitive));
  }
  std::vector<NestedField> fields;
  std::set<int32_t> placed;
  for (size_t i = 0; i < names.size(); ++i) {
    if (meta[i]) {
      if (placed.insert(meta[i]->id).second) {
        fields.push_back(*meta[i]);
        metadata->push_back(*meta[i]);
      }
      continue;
    }
    int32_t top = schema.FindFieldByName(names[i], case_sensitive)->id;
    while (auto p = schema.FindParentId(top)) top = *p;
    if (!placed.insert(top).second) continue;
    for (const NestedField& f : selected.fields()) {
      if (f.id == top) fields.push_back(f);
    }
  }
  return Schema(schema.schema_id(), std::move(fields));
}

}  // namespace

Result<std::unique_ptr<TableScan>> TableScan::Make(const Table& table, ScanOptions options) {
  std::unique_ptr<TableScan> scan(new TableScan());
  scan->md_ = table.metadata_ptr();
  scan->io_ = table.io();
  scan->table_name_ = table.name();
  scan->options_ = std::move(options);
  const ScanOptions& o = scan->options_;
  FLOE_ASSIGN_OR_RAISE(scan->snapshot_,
                       SelectSnapshot(*scan->md_, o.snapshot_id, o.as_of_ms, o.ref));
  // Time travel reads with the snapshot's schema; a branch head with the table's.
  bool branch = !o.snapshot_id && !o.as_of_ms &&
                (!o.ref || scan->md_->refs.count(*o.ref) == 0 ||
                 scan->md_->refs.at(*o.ref).type == spec::RefType::kBranch);
  const spec::Schema* schema = (scan->snapshot_ && !branch)
                                   ? scan->md_->SchemaForSnapshot(*scan->snapshot_)
                                   : scan->md_->CurrentSchema();
  scan->schema_ = *schema;
  FLOE_ASSIGN_OR_RAISE(scan->projection_, SelectWithMetadata(*scan->md_, scan->schema_, o.columns,
                                                             o.case_sensitive,
                                                             &scan->metadata_columns_));
  expr::ExprPtr unbound = o.filter_expr;
  if (!unbound && !o.filter.empty()) {
    FLOE_ASSIGN_OR_RAISE(unbound, expr::ParseFilter(o.filter));
  }
  scan->filter_ = expr::BoundAlwaysTrue();
  if (unbound) {
    FLOE_ASSIGN_OR_RAISE(scan->filter_, expr::Bind(unbound, scan->schema_, o.case_sensitive));
  }
  // Files without field ids (imported) are read through the name mapping.
  std::string mapping = scan->md_->Property(std::string(spec::kNameMappingProperty), "");
  if (!mapping.empty()) {
    auto parsed = spec::NameMapping::FromJson(mapping);
    if (!parsed.ok()) return parsed.status().WithContext("table " + scan->table_name_);
    scan->name_mapping_ = std::make_shared<const spec::NameMapping>(std::move(*parsed));
  }
  scan->report_.snapshot_id =
      scan->snapshot_ ? std::optional<int64_t>(scan->snapshot_->snapshot_id) : std::nullopt;
  scan->report_.schema_id = scan->schema_.schema_id();
  scan->report_.filter = scan->filter_->ToString();
  return scan;
}

std::shared_ptr<arrow::Schema> TableScan::arrow_schema() const {
  auto s = data::ToArrowSchema(projection_);
  return s.ok() ? *s : arrow::schema({});
}

Status TableScan::ReadTask(const FileScanTask& task, const TaskRead& how, const BatchSink& sink,
                           int64_t* counted) {
  data::DeleteFilter deletes;
  if (!task.deletes.empty()) {
    auto made = data::DeleteFilter::Make(delete_loader_.get(), task.file.file_path, task.deletes);
    if (!made.ok()) return made.status().WithContext("table " + table_name_);
    deletes = std::move(*made);
  }
  const spec::Schema* read_schema = how.read_schema;
  // Equality deletes compare columns the caller may not have asked for.
  spec::Schema with_keys;
  if (deletes.has_equality()) {
    std::vector<NestedField> fields = read_schema->fields();
    for (int32_t id : deletes.EqualityFieldIds()) {
      bool present = false;
      for (const NestedField& f : fields) present |= f.id == id;
      if (present) continue;
      // A column dropped since the delete was written still applies
      // (spec §Equality Delete Files): read it from the file by its id.
      std::optional<NestedField> f = field_resolver_(id);
      bool top_level = false;
      for (const spec::Schema& s : md_->schemas) {
        top_level |= s.FindField(id) != nullptr && !s.FindParentId(id);
      }
      if (!f || !top_level) {
        return Status::NotSupported(
            "table ", table_name_, ": equality deletes on field id ", id,
            ", which is not a top-level column, cannot be applied yet");
      }
      f->required = false;
      fields.push_back(std::move(*f));
    }
    with_keys = spec::Schema(read_schema->schema_id(), std::move(fields));
    read_schema = &with_keys;
  }

  data::ParquetReadOptions ro;
  ro.file_size = task.file.file_size_in_bytes;
  // On object stores each read is a round trip: coalesce and prefetch.
  ro.pre_buffer = io::IsRemote(task.file.file_path);
  ro.use_threads = how.parallel_columns;
  // Identity partition values stand in for columns a file lacks (files
  // imported from Hive-style layouts) (spec §Column Projection).
  for (size_t i = 0; i < task.spec->fields().size() && i < task.file.partition.size(); ++i) {
    const spec::PartitionField& pf = task.spec->fields()[i];
    if (pf.transform.kind() == spec::TransformKind::kIdentity) {
      ro.constants.emplace(pf.source_id, task.file.partition[i]);
    }
  }
  if (name_mapping_) {
    ro.name_mapping = [m = name_mapping_](const std::vector<std::string>& path) {
      return m->Find(path);
    };
  }
  expr::BoundExprPtr residual = how.apply_residual ? task.residual : nullptr;
  if (!IsTrue(residual)) {
    auto evaluator = std::make_shared<expr::InclusiveMetricsEvaluator>(residual);
    ro.row_group_filter = [evaluator](const data::RowGroupStats& rg) {
      return evaluator->Evaluate(rg.num_rows, ToColumnStats(rg));
    };
    ro.bloom_probes = expr::BloomProbes(*residual);
  }
  auto reader = data::ParquetReader::Open(io_, task.file.file_path, *read_schema, ro);
  if (!reader.ok()) return reader.status().WithContext("table " + table_name_);
  FLOE_ASSIGN_OR_RAISE(auto it, (*reader)->Read());
  int64_t rows_deleted = 0;
  while (true) {
    FLOE_ASSIGN_OR_RAISE(auto batch, it->Next());
    if (!batch) break;
    // Metadata columns first: _pos must be taken before rows are dropped.
    for (const NestedField& m : how.metadata) {
      FLOE_ASSIGN_OR_RAISE(auto values, MetadataColumnValues(m, task.file, *md_, it->positions(),
                                                             batch->num_rows()));
      FLOE_ASSIGN_OR_RAISE(auto field, data::ToArrowField(m));
      auto added = batch->AddColumn(batch->num_columns(), field, values);
      if (!added.ok()) return Status::Invalid("cannot add column ", m.name, ": ", added.status().ToString());
      batch = *added;
    }
    if (!deletes.empty()) {
      int64_t deleted = 0;
      FLOE_ASSIGN_OR_RAISE(auto keep, deletes.KeepMask(*batch, it->positions(), &deleted));
      if (deleted > 0) {
        rows_deleted += deleted;
        FLOE_ASSIGN_OR_RAISE(batch, data::FilterByMask(batch, keep));
      }
    }
    if (!IsTrue(residual)) {
      FLOE_ASSIGN_OR_RAISE(batch, expr::FilterBatch(*residual, *batch));
    }
    if (how.count_only) {
      *counted += batch->num_rows();
      continue;
    }
    if (batch->num_rows() == 0) continue;
    FLOE_RETURN_NOT_OK(sink(batch));
  }
  data::ReadCounters c = (*reader)->counters();
  static std::mutex counters_mu;
  std::lock_guard<std::mutex> lock(counters_mu);
  report_.row_groups_read += c.row_groups_read;
  report_.row_groups_skipped += c.row_groups_skipped;
  report_.row_groups_skipped_bloom += c.row_groups_skipped_bloom;
  report_.rows_read += c.rows_read;
  report_.bytes_read += c.bytes_read;
  report_.rows_deleted += rows_deleted;
  return Status::OK();
}

Result<data::PositionList> TableScan::DeletedPositions(const FileScanTask& task) {
  if (task.deletes.empty()) return data::PositionList{};
  std::vector<std::shared_ptr<const manifest::DataFile>> positional;
  for (const auto& d : task.deletes) {
    if (d->content == manifest::FileContent::kPositionDeletes) positional.push_back(d);
  }
  auto filter = data::DeleteFilter::Make(delete_loader_.get(), task.file.file_path, positional);
  if (!filter.ok()) return filter.status().WithContext("table " + table_name_);
  return filter->positions();
}

Status TableScan::ReadLiveRows(const FileScanTask& task, const spec::Schema& read_schema,
                               bool with_positions, const BatchSink& sink) {
  TaskRead how;
  how.read_schema = &read_schema;
  how.apply_residual = false;
  if (with_positions) how.metadata.push_back(*MetadataColumn("_pos", *md_));
  int64_t unused = 0;
  return ReadTask(task, how, sink, &unused);
}

Status TableScan::Read(
    const std::function<Status(const std::shared_ptr<arrow::RecordBatch>&)>& sink) {
  FLOE_ASSIGN_OR_RAISE(auto tasks, PlanFiles());
  // Columns the residuals need that the projection does not hold.
  std::set<int32_t> ids;
  std::function<void(const spec::TypePtr&)> collect = [&](const spec::TypePtr& t) {
    for (const NestedField& c : t->fields()) {
      ids.insert(c.id);
      collect(c.type);
    }
  };
  collect(projection_.as_struct());
  for (const auto& ref : expr::ReferencedFields(*filter_)) ids.insert(ref.field_id);
  Schema read_schema = SelectIds(schema_, ids);
  const auto out_schema = arrow_schema();

  const int threads = options_.threads > 0 ? options_.threads : util::DefaultParallelism();
  const size_t window = static_cast<size_t>(threads) * 2;  // tasks decoded ahead of the sink
  // Files are decoded on the shared pool up to `window` ahead and handed to
  // the sink in file order on this thread (util::OrderedParallelFor). The
  // file at the head streams: its batches reach the sink as they are decoded
  // (so their buffers are freed and reused batch by batch); the files
  // decoded ahead of it wait in their slots.
  struct Slot {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::shared_ptr<arrow::RecordBatch>> batches;
    bool done = false;       // its producer has finished
    bool abandoned = false;  // the consumer stopped: produce no more
  };
  std::vector<Slot> slots(tasks.size());
  int64_t remaining = options_.limit.value_or(INT64_MAX);
  if (remaining <= 0) return Status::OK();  // --limit 0: nothing to read
  bool limit_reached = false;
  // Hands one batch to the caller's sink, on this thread; Cancelled at the limit.
  auto deliver = [&](std::shared_ptr<arrow::RecordBatch> b) -> Status {
    if (b->num_rows() > remaining) b = b->Slice(0, remaining);
    remaining -= b->num_rows();
    report_.rows_returned += b->num_rows();
    FLOE_RETURN_NOT_OK(sink(b));
    if (remaining > 0) return Status::OK();
    limit_reached = true;  // stop decoding; not an error for the caller
    return Status::Cancelled("limit reached");
  };
  // The consumer's thread and the file it is handing over (written and read
  // only on that thread): a file it decodes itself is delivered straight
  // through only when it is that head file, not one help() decodes ahead.
  const std::thread::id consumer = std::this_thread::get_id();
  size_t head = 0;
  const bool consumer_decodes = threads - 1 < util::CpuParallelism();
  TaskRead how;
  how.read_schema = &read_schema;
  how.metadata = metadata_columns_;
  how.parallel_columns = tasks.size() < static_cast<size_t>(util::CpuParallelism());
  Status st = util::OrderedStreamingFor(
      tasks.size(), threads, window,
      [&](size_t i) -> Status {
        Slot& slot = slots[i];
        int64_t unused = 0;
        Status read = ReadTask(
            tasks[i], how,
            [&](const std::shared_ptr<arrow::RecordBatch>& b) -> Status {
              FLOE_ASSIGN_OR_RAISE(auto projected, ProjectBatch(b, out_schema));
              if (std::this_thread::get_id() == consumer && i == head) {
                return deliver(std::move(projected));
              }
              std::lock_guard<std::mutex> lock(slot.mu);
              if (slot.abandoned) return Status::Cancelled("the scan stopped");
              slot.batches.push_back(std::move(projected));
              slot.cv.notify_one();
              return Status::OK();
            },
            &unused);
        std::lock_guard<std::mutex> lock(slot.mu);
        slot.done = true;
        slot.cv.notify_one();
        return read;
      },
      [&](size_t i, const std::function<bool()>& help) -> Status {
        head = i;
        Slot& slot = slots[i];
        while (true) {
          std::deque<std::shared_ptr<arrow::RecordBatch>> ready;
          {
            std::unique_lock<std::mutex> lock(slot.mu);
            // Nothing to hand over yet: decode a file ahead rather than wait,
            // when the helpers alone leave cores idle (--threads at or below
            // the cores); with more, this thread's work is handing over.
            while (!slot.done && slot.batches.empty()) {
              lock.unlock();
              const bool helped = consumer_decodes && help();
              lock.lock();
              if (!helped) {
                slot.cv.wait(lock, [&] { return slot.done || !slot.batches.empty(); });
              }
            }
            if (slot.batches.empty()) {
              // The caller's own next production is the next head: it streams.
              head = i + 1;
              return Status::OK();
            }
            ready.swap(slot.batches);
          }
          for (auto& b : ready) {
            Status delivered = deliver(std::move(b));
            if (!delivered.ok()) {
              std::lock_guard<std::mutex> lock(slot.mu);
              slot.abandoned = true;
              slot.batches.clear();
              return delivered;
            }
          }
        }
      });
  return limit_reached ? Status::OK() : st;
}

Result<std::shared_ptr<arrow::Table>> TableScan::ToTable() {
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  FLOE_RETURN_NOT_OK(Read([&](const std::shared_ptr<arrow::RecordBatch>& b) {
    batches.push_back(b);
    return Status::OK();
  }));
  auto table = arrow::Table::FromRecordBatches(arrow_schema(), batches);
  if (!table.ok()) return Status::Invalid("cannot assemble the result: ", table.status().ToString());
  return *table;
}

Result<int64_t> TableScan::Count() {
  // The plan is streamed: files that metadata answers are counted as they
  // come and only those that need reading are kept, so a count over a
  // million files holds a window of manifests, not a million tasks.
  // A file whose column bounds prove that every row matches counts like one
  // with no residual (Java's count pushdown does the same with its strict
  // metrics evaluator): `id = 7` on a file whose id bounds are [7, 7].
  const expr::StrictMetricsEvaluator all_match(filter_);
  int64_t from_metadata = 0;
  std::vector<FileScanTask> tasks;
  FLOE_RETURN_NOT_OK(PlanEach([&](FileScanTask task) -> Status {
    if (!IsTrue(task.residual)) {
      FLOE_ASSIGN_OR_RAISE(bool all, all_match.Evaluate(task.file));
      if (all) task.residual = expr::BoundAlwaysTrue();
    }
    if (IsTrue(task.residual) && task.deletes.empty()) {
      from_metadata += task.file.record_count;  // no rows to check: metadata answers
    } else {
      tasks.push_back(std::move(task));
    }
    return Status::OK();
  }));
  std::set<int32_t> ids;
  for (const auto& ref : expr::ReferencedFields(*filter_)) ids.insert(ref.field_id);
  Schema read_schema = SelectIds(schema_, ids);
  std::vector<int64_t> counts(tasks.size(), 0);
  const int threads = options_.threads > 0 ? options_.threads : util::DefaultParallelism();
  FLOE_RETURN_NOT_OK(util::ParallelFor(tasks.size(), threads, [&](size_t i) -> Status {
    const FileScanTask& task = tasks[i];
    if (IsTrue(task.residual)) {
      // Position deletes and DVs alone: the count is the record count less
      // the distinct deleted positions, without reading the data file.
      auto deletes = data::DeleteFilter::Make(delete_loader_.get(), task.file.file_path,
                                              task.deletes);
      if (!deletes.ok()) return deletes.status().WithContext("table " + table_name_);
      if (!deletes->has_equality()) {
        counts[i] = task.file.record_count - deletes->DeletedPositionsBelow(task.file.record_count);
        return Status::OK();
      }
    }
    TaskRead how;
    how.read_schema = &read_schema;
    how.count_only = true;
    return ReadTask(task, how, nullptr, &counts[i]);
  }));
  int64_t total = from_metadata;
  for (int64_t c : counts) total += c;
  if (options_.limit) total = std::min(total, *options_.limit);
  report_.rows_returned = total;
  return total;
}

}  // namespace floe::table
