#include "floe/table/table_writer.h"

#include <arrow/record_batch.h>

#include <cstdio>

#include "floe/data/batch_conform.h"
#include "floe/data/partition_key.h"
#include "floe/data/sort_batch.h"
#include "floe/util/parallel.h"
#include "floe/util/random_ids.h"

namespace floe::table {

std::string DataFolder(const spec::TableMetadata& md) {
  std::string path = md.Property("write.data.path", "");
  if (!path.empty()) {
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    return path;
  }
  return io::JoinLocation(md.location, "data");
}

std::string PartitionFolder(const spec::TableMetadata& md, const manifest::DataFile& f) {
  const spec::PartitionSpec* spec = md.SpecById(f.spec_id);
  if (!spec || spec->fields().empty()) return DataFolder(md);
  auto ptype = spec->PartitionType(*md.CurrentSchema(), /*lenient=*/true);
  if (!ptype.ok()) return DataFolder(md);
  std::string path = spec->PartitionPath(f.partition, **ptype);
  return path.empty() ? DataFolder(md) : io::JoinLocation(DataFolder(md), path);
}

Result<std::unique_ptr<TableWriter>> TableWriter::Make(
    std::shared_ptr<const spec::TableMetadata> md, std::shared_ptr<io::FileIO> io) {
  std::unique_ptr<TableWriter> w(new TableWriter());
  w->schema_ = md->CurrentSchema();
  w->spec_ = md->DefaultSpec();
  if (!w->schema_ || !w->spec_) return Status::Invalid("table metadata has no current schema or spec");
  for (const spec::PartitionField& f : w->spec_->fields()) {
    if (f.transform.kind() == spec::TransformKind::kUnknown) {
      return Status::NotSupported("partition field '", f.name, "' uses transform '",
                                  f.transform.ToString(), "', which Floe cannot write");
    }
  }
  w->sort_order_ = md->SortOrderById(md->default_sort_order_id);
  w->sort_order_id_ = md->default_sort_order_id;
  w->data_folder_ = DataFolder(*md);
  w->write_id_ = util::RandomUuid();
  w->io_ = std::move(io);
  w->md_ = std::move(md);
  return w;
}

TableWriter::~TableWriter() = default;

void TableWriter::SetSortOrder(spec::SortOrder order) {
  custom_order_ = std::make_unique<spec::SortOrder>(std::move(order));
  sort_order_ = custom_order_.get();
  // A file records an order id only for an order the table knows (spec
  // §Sorting); a one-off order leaves it unset.
  sort_order_id_.reset();
  for (const spec::SortOrder& o : md_->sort_orders) {
    if (!o.IsUnsorted() && o.fields == custom_order_->fields) sort_order_id_ = o.order_id;
  }
}

Result<TableWriter::Partition*> TableWriter::PartitionFor(const std::vector<spec::Literal>& tuple,
                                                          const spec::Type& partition_type) {
  std::string path = spec_->PartitionPath(tuple, partition_type);
  auto it = partitions_.find(path);
  if (it != partitions_.end()) return &it->second;
  std::string folder = path.empty() ? data_folder_ : io::JoinLocation(data_folder_, path);
  int index = static_cast<int>(partitions_.size());
  auto next_location = [this, folder, index]() -> Result<std::string> {
    // Java's naming: <partition>-<task>-<operation uuid>-<file count>.parquet
    char name[112];
    std::snprintf(name, sizeof(name), "%05d-0-%s-%05d%s.parquet", index, write_id_.c_str(),
                  ++file_counter_, equality_ids_.empty() ? "" : "-eq-deletes");
    return io::JoinLocation(folder, name);
  };
  data::ParquetWriterOptions options;
  if (sort_order_) {
    for (const auto& f : sort_order_->fields) options.sorted_field_ids.push_back(f.source_id);
  }
  FLOE_ASSIGN_OR_RAISE(auto writer, data::ParquetWriter::Make(*schema_, md_->properties, io_,
                                                              next_location, options));
  Partition p{tuple, std::move(writer)};
  return &partitions_.emplace(path, std::move(p)).first->second;
}

Status TableWriter::Write(const arrow::RecordBatch& batch) {
  if (batch.num_rows() == 0) return Status::OK();
  FLOE_ASSIGN_OR_RAISE(auto conformed, data::ConformBatch(batch, *schema_));
  rows_ += batch.num_rows();
  if (!sort_order_ || sort_order_->IsUnsorted()) return WriteConformed(conformed);
  // With a write order, rows are gathered and sorted before they are split
  // by partition, so each file is sorted (or, past the buffer, a few sorted runs).
  buffered_.push_back(std::move(conformed));
  buffered_rows_ += batch.num_rows();
  if (buffered_rows_ >= kSortBufferRows) return FlushSorted();
  return Status::OK();
}

Status TableWriter::FlushSorted() {
  if (buffered_.empty()) return Status::OK();
  auto all = arrow::ConcatenateRecordBatches(buffered_);
  if (!all.ok()) return Status::Invalid("cannot gather rows to sort: ", all.status().ToString());
  buffered_.clear();
  buffered_rows_ = 0;
  FLOE_ASSIGN_OR_RAISE(auto sorted, data::SortBatch(*all, *sort_order_, *schema_));
  return WriteConformed(sorted);
}

Status TableWriter::WriteConformed(const std::shared_ptr<arrow::RecordBatch>& conformed) {
  FLOE_ASSIGN_OR_RAISE(auto grouped, data::GroupByPartition(*spec_, *schema_, *conformed));
  // Writers are found (or made) in order, then the partitions are encoded in
  // parallel: each has its own Parquet writer, and encoding dominates.
  std::vector<Partition*> targets;
  for (const data::PartitionGroup& g : grouped.groups) {
    FLOE_ASSIGN_OR_RAISE(Partition * p, PartitionFor(g.partition, *grouped.partition_type));
    targets.push_back(p);
  }
  return util::ParallelFor(targets.size(), util::CpuParallelism(), [&](size_t i) {
    FLOE_ASSIGN_OR_RAISE(auto rows, data::SelectRows(conformed, grouped.groups[i]));
    return targets[i]->writer->Write(*rows);
  });
}

Result<std::vector<manifest::DataFile>> TableWriter::Finish() {
  Status flushed = FlushSorted();
  if (!flushed.ok()) {
    (void)Abort();
    return flushed;
  }
  std::vector<manifest::DataFile> out;
  // Closing a file writes its last row group: also done in parallel.
  std::vector<Partition*> all;
  for (auto& [path, p] : partitions_) all.push_back(&p);
  std::vector<std::vector<manifest::DataFile>> files(all.size());
  Status st = util::ParallelFor(all.size(), util::CpuParallelism(), [&](size_t i) -> Status {
    FLOE_ASSIGN_OR_RAISE(files[i], all[i]->writer->Finish());
    return Status::OK();
  });
  if (!st.ok()) {
    // Leave nothing behind: the files of the partitions that finished (their
    // writers no longer own them), and those of the others (Abort).
    for (const auto& done : files) {
      for (const manifest::DataFile& f : done) (void)io_->Delete(f.file_path);
    }
    (void)Abort();
    return st;
  }
  for (size_t i = 0; i < all.size(); ++i) {
    for (manifest::DataFile& f : files[i]) {
      f.partition = all[i]->tuple;
      f.spec_id = spec_->spec_id();
      f.sort_order_id = sort_order_id_;
      if (!equality_ids_.empty()) {
        f.content = manifest::FileContent::kEqualityDeletes;
        f.equality_ids = equality_ids_;
      }
      out.push_back(std::move(f));
    }
  }
  partitions_.clear();
  return out;
}

Status TableWriter::Abort() {
  buffered_.clear();
  buffered_rows_ = 0;
  Status first;
  for (auto& [path, p] : partitions_) {
    Status st = p.writer->Abort();
    if (first.ok() && !st.ok()) first = st;
  }
  partitions_.clear();
  return first;
}

Result<std::vector<manifest::DataFile>> WriteAll(
    std::shared_ptr<const spec::TableMetadata> md, std::shared_ptr<io::FileIO> io,
    const std::function<Result<std::shared_ptr<arrow::RecordBatch>>()>& next,
    std::vector<int32_t> equality_ids, int64_t* rows) {
  FLOE_ASSIGN_OR_RAISE(auto writer, TableWriter::Make(std::move(md), std::move(io)));
  if (!equality_ids.empty()) writer->SetEqualityDeletes(std::move(equality_ids));
  while (true) {
    auto batch = next();
    Status st = batch.status();
    if (st.ok() && !*batch) break;
    if (st.ok()) st = writer->Write(**batch);
    if (!st.ok()) {
      (void)writer->Abort();
      return st;
    }
  }
  if (rows) *rows = writer->rows_written();
  return writer->Finish();
}

}  // namespace floe::table
