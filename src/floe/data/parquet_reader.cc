#include "floe/data/parquet_reader.h"

#include <arrow/api.h>
#include <arrow/util/future.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/schema.h>
#include <parquet/exception.h>
#include <parquet/file_reader.h>
#include <parquet/metadata.h>
#include <parquet/properties.h>
#include <parquet/statistics.h>

#include <algorithm>

#include "floe/data/arrow_internal.h"
#include "floe/data/arrow_literal.h"
#include "floe/data/arrow_schema.h"
#include "floe/data/parquet_projection.h"
#include "floe/data/parquet_stats.h"

namespace floe::data {

using internal::FromArrow;
using spec::Literal;

namespace {

// ---------------------------------------------------------------------------
// The file as Parquet sees it, counting the bytes read and answering the size
// request from the manifest's file size when given.

class CountingFile final : public arrow::io::RandomAccessFile {
 public:
  CountingFile(std::shared_ptr<arrow::io::RandomAccessFile> base, std::optional<int64_t> size,
               std::shared_ptr<std::atomic<int64_t>> bytes)
      : base_(std::move(base)), size_(size), bytes_(std::move(bytes)) {}

  arrow::Status Close() override { return base_->Close(); }
  bool closed() const override { return base_->closed(); }
  arrow::Result<int64_t> Tell() const override { return base_->Tell(); }
  arrow::Status Seek(int64_t position) override { return base_->Seek(position); }
  bool supports_zero_copy() const override { return base_->supports_zero_copy(); }
  arrow::Result<int64_t> GetSize() override {
    if (size_) return *size_;
    return base_->GetSize();
  }
  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override {
    return Count(base_->Read(nbytes, out));
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override {
    return Count(base_->Read(nbytes));
  }
  arrow::Result<int64_t> ReadAt(int64_t position, int64_t nbytes, void* out) override {
    return Count(base_->ReadAt(position, nbytes, out));
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> ReadAt(int64_t position,
                                                       int64_t nbytes) override {
    return Count(base_->ReadAt(position, nbytes));
  }
  arrow::Future<std::shared_ptr<arrow::Buffer>> ReadAsync(const arrow::io::IOContext& ctx,
                                                          int64_t position,
                                                          int64_t nbytes) override {
    auto bytes = bytes_;
    return base_->ReadAsync(ctx, position, nbytes)
        .Then([bytes](const std::shared_ptr<arrow::Buffer>& buffer) {
          *bytes += buffer->size();
          return buffer;
        });
  }

 private:
  arrow::Result<int64_t> Count(arrow::Result<int64_t> r) {
    if (r.ok()) *bytes_ += *r;
    return r;
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Count(
      arrow::Result<std::shared_ptr<arrow::Buffer>> r) {
    if (r.ok()) *bytes_ += (*r)->size();
    return r;
  }

  std::shared_ptr<arrow::io::RandomAccessFile> base_;
  std::optional<int64_t> size_;
  std::shared_ptr<std::atomic<int64_t>> bytes_;
};

// parquet-cpp reports errors by throwing; turn them into Floe errors.
Status FromParquetException(const std::exception& e, const std::string& location) {
  if (const auto* s = dynamic_cast<const parquet::ParquetStatusException*>(&e)) {
    return FromArrow(s->status(), location);
  }
  return Status::Corruption(location, ": ", e.what());
}

}  // namespace

// ---------------------------------------------------------------------------

struct ParquetReader::Impl {
  std::string location;
  spec::Schema projection;
  ParquetReadOptions options;
  std::shared_ptr<arrow::Schema> schema;
  std::shared_ptr<std::atomic<int64_t>> bytes_read = std::make_shared<std::atomic<int64_t>>(0);
  std::shared_ptr<arrow::io::RandomAccessFile> file;
  std::shared_ptr<parquet::FileMetaData> metadata;
  std::unique_ptr<parquet::arrow::SchemaManifest> manifest;
  parquet::ArrowReaderProperties arrow_props;
  projection::FileProjection columns;  // how the file's columns become the projection's
  std::vector<int> selected;
  std::vector<int64_t> row_group_starts;  // file position of each group's first row
  int64_t skipped = 0;
  int64_t skipped_bloom = 0;
  mutable std::atomic<int64_t> row_groups_read{0};
  mutable std::atomic<int64_t> rows_read{0};

  parquet::ReaderProperties ReaderProps() const {
    parquet::ReaderProperties props(options.pool);
    // Without pre-buffering, stream column chunks in pieces rather than
    // loading whole chunks: memory stays bounded by the batch size.
    if (!options.pre_buffer) {
      props.enable_buffered_stream();
      props.set_buffer_size(1 << 20);
    }
    return props;
  }

  Result<RowGroupStats> Stats(int rg) const {
    if (rg < 0 || rg >= metadata->num_row_groups()) {
      return Status::Invalid(location, ": no row group ", rg);
    }
    std::unique_ptr<parquet::RowGroupMetaData> group = metadata->RowGroup(rg);
    RowGroupStats out;
    out.index = rg;
    out.num_rows = group->num_rows();
    for (const projection::StatColumn& sc : columns.stat_columns) {
      std::unique_ptr<parquet::ColumnChunkMetaData> chunk = group->ColumnChunk(sc.column_index);
      ColumnChunkStats cs;
      cs.value_count = chunk->num_values();
      std::shared_ptr<parquet::Statistics> stats =
          chunk->is_stats_set() ? chunk->statistics() : nullptr;
      if (stats) {
        if (stats->HasNullCount()) cs.null_count = stats->null_count();
        if (stats->HasMinMax()) {
          const parquet::ColumnDescriptor& col = *metadata->schema()->Column(sc.column_index);
          cs.lower = DecodeStat(stats->EncodeMin(), col, *sc.type, false);
          cs.upper = DecodeStat(stats->EncodeMax(), col, *sc.type, true);
          if (cs.lower.is_null() || cs.upper.is_null()) cs.lower = cs.upper = Literal();
        }
      }
      out.columns.emplace(sc.field_id, std::move(cs));
    }
    return out;
  }
};

namespace {

class ProjectingIterator final : public BatchIterator {
 public:
  ProjectingIterator(const ParquetReader::Impl* impl,
                     std::unique_ptr<parquet::arrow::FileReader> reader,
                     std::unique_ptr<arrow::RecordBatchReader> batches,
                     std::vector<int64_t> synthetic_rows, std::vector<RowRange> groups)
      : impl_(impl),
        reader_(std::move(reader)),
        batches_(std::move(batches)),
        synthetic_rows_(std::move(synthetic_rows)),
        groups_(std::move(groups)) {}

  const std::vector<RowRange>& positions() const override { return positions_; }

  Result<std::shared_ptr<arrow::RecordBatch>> Next() override {
    std::shared_ptr<arrow::RecordBatch> in;
    int64_t rows = 0;
    if (batches_) {
      try {
        auto st = batches_->ReadNext(&in);
        if (!st.ok()) return FromArrow(st, impl_->location);
      } catch (const std::exception& e) {
        return FromParquetException(e, impl_->location);
      }
      if (!in) return std::shared_ptr<arrow::RecordBatch>();
      rows = in->num_rows();
    } else {
      // No column of the file is needed: only the row counts.
      if (next_synthetic_ >= synthetic_rows_.size()) return std::shared_ptr<arrow::RecordBatch>();
      rows = synthetic_rows_[next_synthetic_++];
    }
    std::vector<std::shared_ptr<arrow::ArrayData>> columns;
    columns.reserve(impl_->columns.plans.size());
    for (const projection::Plan& plan : impl_->columns.plans) {
      std::shared_ptr<arrow::ArrayData> src;
      if (plan.position >= 0) src = in->column_data(plan.position);
      auto out = projection::Project(plan, std::move(src), rows);
      if (!out.ok()) return out.status().WithContext(impl_->location);
      columns.push_back(std::move(*out));
    }
    impl_->rows_read += rows;
    TrackPositions(rows);
    return arrow::RecordBatch::Make(impl_->schema, rows, std::move(columns));
  }

 private:
  const ParquetReader::Impl* impl_;
  std::unique_ptr<parquet::arrow::FileReader> reader_;  // outlives batches_
  std::unique_ptr<arrow::RecordBatchReader> batches_;
  std::vector<int64_t> synthetic_rows_;
  size_t next_synthetic_ = 0;
  // The row groups read, as file positions, and how far into them we are.
  std::vector<RowRange> groups_;
  size_t group_ = 0;
  int64_t group_offset_ = 0;
  std::vector<RowRange> positions_;

  void TrackPositions(int64_t rows) {
    positions_.clear();
    while (rows > 0 && group_ < groups_.size()) {
      const RowRange& g = groups_[group_];
      const int64_t n = std::min(rows, g.count - group_offset_);
      if (!positions_.empty() && positions_.back().start + positions_.back().count ==
                                     g.start + group_offset_) {
        positions_.back().count += n;
      } else {
        positions_.push_back({g.start + group_offset_, n});
      }
      rows -= n;
      group_offset_ += n;
      if (group_offset_ == g.count) {
        ++group_;
        group_offset_ = 0;
      }
    }
  }
};

}  // namespace

ParquetReader::ParquetReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ParquetReader::~ParquetReader() = default;

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(std::shared_ptr<io::FileIO> io,
                                                           const std::string& location,
                                                           spec::Schema projection,
                                                           ParquetReadOptions options) {
  FLOE_RETURN_NOT_OK(internal::EnsureArrowCompute());
  auto impl = std::make_unique<Impl>();
  impl->location = location;
  impl->projection = std::move(projection);
  impl->options = std::move(options);
  if (impl->options.pool == nullptr) impl->options.pool = arrow::default_memory_pool();
  if (impl->options.batch_size <= 0) impl->options.batch_size = 64 * 1024;
  FLOE_ASSIGN_OR_RAISE(impl->schema, ToArrowSchema(impl->projection));

  FLOE_ASSIGN_OR_RAISE(auto base, io->OpenInput(location));
  impl->file = std::make_shared<CountingFile>(std::move(base), impl->options.file_size,
                                              impl->bytes_read);
  try {
    auto reader = parquet::ParquetFileReader::Open(impl->file, impl->ReaderProps());
    impl->metadata = reader->metadata();
  } catch (const std::exception& e) {
    return FromParquetException(e, location);
  }

  impl->arrow_props.set_arrow_extensions_enabled(true);  // uuid
  impl->arrow_props.set_batch_size(impl->options.batch_size);
  impl->arrow_props.set_use_threads(impl->options.use_threads);
  impl->arrow_props.set_pre_buffer(impl->options.pre_buffer);
  impl->manifest = std::make_unique<parquet::arrow::SchemaManifest>();
  FLOE_RETURN_NOT_OK(FromArrow(
      parquet::arrow::SchemaManifest::Make(impl->metadata->schema(),
                                           impl->metadata->key_value_metadata(),
                                           impl->arrow_props, impl->manifest.get()),
      location));

  FLOE_ASSIGN_OR_RAISE(impl->columns,
                       projection::PlanFileProjection(*impl->manifest, *impl->metadata->schema(),
                                                      impl->projection, impl->options, location));

  int64_t start = 0;
  for (int rg = 0; rg < impl->metadata->num_row_groups(); ++rg) {
    impl->row_group_starts.push_back(start);
    start += impl->metadata->RowGroup(rg)->num_rows();
  }
  // Bloom filters answer for the probed columns the projection reads.
  std::vector<std::pair<const projection::StatColumn*, const BloomProbe*>> probes;
  for (const BloomProbe& p : impl->options.bloom_probes) {
    for (const projection::StatColumn& sc : impl->columns.stat_columns) {
      if (sc.field_id == p.field_id) probes.emplace_back(&sc, &p);
    }
  }
  std::unique_ptr<parquet::ParquetFileReader> bloom_reader;
  for (int rg = 0; rg < impl->metadata->num_row_groups(); ++rg) {
    if (impl->options.row_group_filter) {
      FLOE_ASSIGN_OR_RAISE(RowGroupStats stats, impl->Stats(rg));
      if (!impl->options.row_group_filter(stats)) {
        ++impl->skipped;
        continue;
      }
    }
    if (!probes.empty() && !bloom_reader) {
      try {
        bloom_reader = parquet::ParquetFileReader::Open(impl->file, impl->ReaderProps(),
                                                        impl->metadata);
      } catch (const std::exception&) {
        probes.clear();  // no filters to ask: read the groups
      }
    }
    bool refuted = false;
    for (const auto& [sc, p] : probes) {
      if (!BloomMayContain(*bloom_reader, rg, sc->column_index, *sc->type, p->values)) {
        refuted = true;
        break;
      }
    }
    if (refuted) {
      ++impl->skipped_bloom;
      continue;
    }
    impl->selected.push_back(rg);
  }
  return std::unique_ptr<ParquetReader>(new ParquetReader(std::move(impl)));
}

const std::shared_ptr<arrow::Schema>& ParquetReader::schema() const { return impl_->schema; }
int ParquetReader::num_row_groups() const { return impl_->metadata->num_row_groups(); }
int64_t ParquetReader::num_rows() const { return impl_->metadata->num_rows(); }
const std::vector<int>& ParquetReader::selected_row_groups() const { return impl_->selected; }
Result<RowGroupStats> ParquetReader::Stats(int row_group) const {
  return impl_->Stats(row_group);
}

ReadCounters ParquetReader::counters() const {
  ReadCounters c;
  c.row_groups_read = impl_->row_groups_read;
  c.row_groups_skipped = impl_->skipped;
  c.row_groups_skipped_bloom = impl_->skipped_bloom;
  c.rows_read = impl_->rows_read;
  c.bytes_read = *impl_->bytes_read;
  return c;
}

Result<std::unique_ptr<BatchIterator>> ParquetReader::Read(
    std::optional<std::vector<int>> row_groups) const {
  std::vector<int> groups = row_groups ? std::move(*row_groups) : impl_->selected;
  for (int rg : groups) {
    if (rg < 0 || rg >= impl_->metadata->num_row_groups()) {
      return Status::Invalid(impl_->location, ": no row group ", rg, " (the file has ",
                             impl_->metadata->num_row_groups(), ")");
    }
  }
  impl_->row_groups_read += static_cast<int64_t>(groups.size());
  std::vector<RowRange> ranges;
  for (int rg : groups) {
    ranges.push_back({impl_->row_group_starts[rg], impl_->metadata->RowGroup(rg)->num_rows()});
  }
  if (impl_->columns.leaves.empty()) {
    std::vector<int64_t> rows;
    for (int rg : groups) {
      for (int64_t left = impl_->metadata->RowGroup(rg)->num_rows(); left > 0;) {
        const int64_t n = std::min(left, impl_->options.batch_size);
        rows.push_back(n);
        left -= n;
      }
    }
    return std::unique_ptr<BatchIterator>(
        new ProjectingIterator(impl_.get(), nullptr, nullptr, std::move(rows), std::move(ranges)));
  }
  try {
    auto pq = parquet::ParquetFileReader::Open(impl_->file, impl_->ReaderProps(),
                                               impl_->metadata);
    FLOE_ASSIGN_OR_RAISE(auto reader,
                         FromArrow(parquet::arrow::FileReader::Make(impl_->options.pool,
                                                                    std::move(pq),
                                                                    impl_->arrow_props),
                                   impl_->location));
    FLOE_ASSIGN_OR_RAISE(auto batches,
                         FromArrow(reader->GetRecordBatchReader(groups, impl_->columns.leaves),
                                   impl_->location));
    return std::unique_ptr<BatchIterator>(
        new ProjectingIterator(impl_.get(), std::move(reader), std::move(batches), {},
                               std::move(ranges)));
  } catch (const std::exception& e) {
    return FromParquetException(e, impl_->location);
  }
}

Result<std::shared_ptr<arrow::Schema>> ReadParquetArrowSchema(std::shared_ptr<io::FileIO> io,
                                                              const std::string& location) {
  FLOE_ASSIGN_OR_RAISE(auto input, io->OpenInput(location));
  std::shared_ptr<arrow::Schema> schema;
  try {
    auto reader = parquet::arrow::OpenFile(input, arrow::default_memory_pool());
    if (!reader.ok()) {
      return Status::Invalid("cannot read ", location, " as Parquet: ", reader.status().ToString());
    }
    auto st = (*reader)->GetSchema(&schema);
    if (!st.ok()) return Status::Invalid("cannot read the schema of ", location, ": ", st.ToString());
  } catch (const std::exception& e) {
    return Status::Invalid("cannot read ", location, " as Parquet: ", e.what());
  }
  return schema;
}

Result<std::shared_ptr<arrow::Table>> ReadParquetTable(std::shared_ptr<io::FileIO> io,
                                                       const std::string& location,
                                                       spec::Schema projection,
                                                       ParquetReadOptions options) {
  FLOE_ASSIGN_OR_RAISE(auto reader, ParquetReader::Open(std::move(io), location,
                                                        std::move(projection),
                                                        std::move(options)));
  FLOE_ASSIGN_OR_RAISE(auto it, reader->Read());
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  while (true) {
    FLOE_ASSIGN_OR_RAISE(auto batch, it->Next());
    if (!batch) break;
    batches.push_back(std::move(batch));
  }
  return FromArrow(arrow::Table::FromRecordBatches(reader->schema(), std::move(batches)),
                   location);
}

}  // namespace floe::data
