#include "floe/data/parquet_writer.h"

#include <arrow/api.h>
#include <arrow/util/byte_size.h>
#include <arrow/util/compression.h>
#include <parquet/bloom_filter.h>
#include <arrow/util/key_value_metadata.h>
#include <parquet/arrow/schema.h>
#include <parquet/arrow/writer.h>
#include <parquet/exception.h>
#include <parquet/file_writer.h>
#include <parquet/metadata.h>
#include <parquet/properties.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "floe/data/arrow_internal.h"
#include "floe/data/arrow_schema.h"
#include "floe/data/column_metrics.h"
#include "floe/spec/json.h"
#include "floe/util/strings.h"

namespace floe::data {

using internal::FromArrow;
using spec::NestedField;
using spec::Type;
using spec::TypeId;
using spec::TypePtr;

namespace {

constexpr const char* kCodecProperty = "write.parquet.compression-codec";
constexpr const char* kLevelProperty = "write.parquet.compression-level";
constexpr const char* kRowGroupProperty = "write.parquet.row-group-size-bytes";
constexpr const char* kPageProperty = "write.parquet.page-size-bytes";
constexpr const char* kDictProperty = "write.parquet.dict-size-bytes";
constexpr const char* kTargetProperty = "write.target-file-size-bytes";
constexpr std::string_view kBloomEnabledPrefix = "write.parquet.bloom-filter-enabled.column.";
constexpr std::string_view kBloomFppPrefix = "write.parquet.bloom-filter-fpp.column.";
constexpr const char* kBloomMaxBytesProperty = "write.parquet.bloom-filter-max-bytes";
constexpr double kDefaultBloomFpp = 0.01;  // Java's TableProperties default

// The largest distinct-value count whose filter at `fpp` fits `max_bytes`.
int64_t BloomNdvFor(int64_t max_bytes, double fpp) {
  int64_t lo = 1, hi = int64_t{1} << 40;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo + 1) / 2;
    if (parquet::BlockSplitBloomFilter::OptimalNumOfBytes(static_cast<uint64_t>(mid), fpp) <=
        static_cast<uint64_t>(max_bytes)) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

// Smallest slice of a batch written at once when rolling by size: keeps the
// per-call overhead of the Parquet writer negligible.
constexpr int64_t kMinSliceRows = 256;

Result<arrow::Compression::type> CodecFromName(const std::string& name) {
  const std::string lower = util::AsciiLower(util::Trim(name));
  arrow::Compression::type codec;
  if (lower == "zstd") {
    codec = arrow::Compression::ZSTD;
  } else if (lower == "snappy") {
    codec = arrow::Compression::SNAPPY;
  } else if (lower == "gzip") {
    codec = arrow::Compression::GZIP;
  } else if (lower == "lz4" || lower == "lz4_raw") {
    // parquet-cpp writes LZ4 as the LZ4_RAW codec, which Java reads.
    codec = arrow::Compression::LZ4;
  } else if (lower == "brotli") {
    codec = arrow::Compression::BROTLI;
  } else if (lower == "uncompressed" || lower == "none") {
    codec = arrow::Compression::UNCOMPRESSED;
  } else if (lower == "lzo") {
    return Status::NotSupported("table property ", kCodecProperty,
                                " = 'lzo': LZO is not supported; use zstd, snappy, gzip, lz4, "
                                "brotli or uncompressed");
  } else {
    return Status::Invalid("table property ", kCodecProperty, " = ", util::Quote(name),
                           ": expected zstd, snappy, gzip, lz4, brotli or uncompressed");
  }
  if (!arrow::util::Codec::IsAvailable(codec)) {
    return Status::NotSupported("table property ", kCodecProperty, " = ", util::Quote(name),
                                ": this build of Arrow has no such codec");
  }
  return codec;
}

Result<int64_t> PositiveSize(const std::map<std::string, std::string>& props, const char* key,
                             int64_t fallback) {
  auto it = props.find(key);
  if (it == props.end()) return fallback;
  auto v = util::ParseInt64(util::Trim(it->second));
  if (!v || *v <= 0) {
    return Status::Invalid("table property ", key, " = ", util::Quote(it->second),
                           ": expected a positive number of bytes");
  }
  return *v;
}

// The schema without `unknown` fields, which data files never contain
// (App. A). A list element or map value of type unknown cannot be dropped.
Result<TypePtr> PruneUnknown(const TypePtr& type, const std::string& name) {
  switch (type->id()) {
    case TypeId::kStruct: {
      std::vector<NestedField> kept;
      for (const NestedField& f : type->fields()) {
        if (f.type->id() == TypeId::kUnknown) continue;
        NestedField copy = f;
        FLOE_ASSIGN_OR_RAISE(copy.type, PruneUnknown(f.type, name + "." + f.name));
        kept.push_back(std::move(copy));
      }
      if (kept.empty() && !type->fields().empty()) {
        return Status::NotSupported("struct '", name, "' has only unknown fields, which Parquet "
                                    "cannot store as an empty group");
      }
      return Type::Struct(std::move(kept));
    }
    case TypeId::kList:
    case TypeId::kMap: {
      std::vector<NestedField> children = type->fields();
      for (NestedField& c : children) {
        if (c.type->id() == TypeId::kUnknown) {
          return Status::NotSupported("'", name, ".", c.name,
                                      "' has type unknown, which data files cannot store "
                                      "inside a list or map");
        }
        FLOE_ASSIGN_OR_RAISE(c.type, PruneUnknown(c.type, name + "." + c.name));
      }
      if (type->id() == TypeId::kList) return Type::List(std::move(children[0]));
      return Type::Map(std::move(children[0]), std::move(children[1]));
    }
    default:
      return type;
  }
}

bool ContainsUnknown(const Type& type) {
  if (type.id() == TypeId::kUnknown) return true;
  for (const NestedField& f : type.fields()) {
    if (ContainsUnknown(*f.type)) return true;
  }
  return false;
}

// Drops the children of type unknown from `data` (of Iceberg type `type`),
// giving data of Arrow type `file_type`. Children are kept unsliced; the
// parent's offset still applies to them.
std::shared_ptr<arrow::ArrayData> StripUnknown(const std::shared_ptr<arrow::ArrayData>& data,
                                               const Type& type,
                                               const std::shared_ptr<arrow::DataType>& file_type) {
  if (!ContainsUnknown(type)) return data;
  auto out = data->Copy();
  out->type = file_type;
  std::vector<std::shared_ptr<arrow::ArrayData>> children;
  switch (type.id()) {
    case TypeId::kStruct: {
      int kept = 0;
      for (size_t i = 0; i < type.fields().size(); ++i) {
        const Type& child = *type.fields()[i].type;
        if (child.id() == TypeId::kUnknown) continue;
        children.push_back(
            StripUnknown(data->child_data[i], child, file_type->field(kept++)->type()));
      }
      break;
    }
    case TypeId::kList:
      children.push_back(StripUnknown(data->child_data[0], *type.element().type,
                                      file_type->field(0)->type()));
      break;
    case TypeId::kMap: {
      // A map's child is its entries struct<key, value>.
      const auto& entries_type = file_type->field(0)->type();
      auto entries = data->child_data[0]->Copy();
      entries->type = entries_type;
      entries->child_data = {
          StripUnknown(data->child_data[0]->child_data[0], *type.key().type,
                       entries_type->field(0)->type()),
          StripUnknown(data->child_data[0]->child_data[1], *type.value().type,
                       entries_type->field(1)->type())};
      children.push_back(std::move(entries));
      break;
    }
    default:
      return data;
  }
  out->child_data = std::move(children);
  return out;
}

// Wraps parquet-cpp's file writer to keep hold of the row group being
// buffered, whose size parquet::arrow::FileWriter does not expose; the
// rolling decision needs it (Java's ParquetWriter adds the same buffered size).
class TrackingContents final : public parquet::ParquetFileWriter::Contents {
 public:
  TrackingContents(std::unique_ptr<parquet::ParquetFileWriter> inner,
                   std::shared_ptr<parquet::schema::GroupNode> schema,
                   std::shared_ptr<const arrow::KeyValueMetadata> key_value_metadata)
      : Contents(std::move(schema), std::move(key_value_metadata)), inner_(std::move(inner)) {}

  void Close() override {
    current_ = nullptr;
    inner_->Close();
    file_metadata_ = inner_->metadata();
  }
  parquet::RowGroupWriter* AppendRowGroup() override {
    return current_ = inner_->AppendRowGroup();
  }
  parquet::RowGroupWriter* AppendBufferedRowGroup() override {
    return current_ = inner_->AppendBufferedRowGroup();
  }
  int64_t num_rows() const override { return inner_->num_rows(); }
  int num_columns() const override { return inner_->num_columns(); }
  int num_row_groups() const override { return inner_->num_row_groups(); }
  const std::shared_ptr<parquet::WriterProperties>& properties() const override {
    return inner_->properties();
  }
  void AddKeyValueMetadata(
      const std::shared_ptr<const arrow::KeyValueMetadata>& key_value_metadata) override {
    inner_->AddKeyValueMetadata(key_value_metadata);
  }

  // Bytes the row group being written will add to the file, estimated: its
  // pages (compressed) plus the values and dictionaries not yet in a page,
  // scaled by the compression ratio of its pages so far (1 before the first
  // page, erring towards smaller files).
  int64_t BufferedBytes() const {
    if (current_ == nullptr) return 0;
    const int64_t compressed =
        current_->total_compressed_bytes() + current_->total_compressed_bytes_written();
    const int64_t uncompressed = current_->total_bytes_written();
    const double ratio = uncompressed > 0 && compressed < uncompressed
                             ? static_cast<double>(compressed) / static_cast<double>(uncompressed)
                             : 1.0;
    const auto pending = current_->estimated_buffered_stats();
    const int64_t unpaged = pending.value_bytes + pending.def_level_bytes +
                            pending.rep_level_bytes + pending.dict_bytes;
    return compressed + static_cast<int64_t>(static_cast<double>(unpaged) * ratio);
  }

 private:
  std::unique_ptr<parquet::ParquetFileWriter> inner_;
  parquet::RowGroupWriter* current_ = nullptr;
};

}  // namespace

// ---------------------------------------------------------------------------

Result<ParquetWriteProperties> ParquetWriteProperties::FromTableProperties(
    const std::map<std::string, std::string>& properties) {
  ParquetWriteProperties p;
  if (auto it = properties.find(kCodecProperty); it != properties.end()) {
    FLOE_RETURN_NOT_OK(CodecFromName(it->second));
    p.codec = util::AsciiLower(util::Trim(it->second));
  }
  if (auto it = properties.find(kLevelProperty); it != properties.end()) {
    auto level = util::ParseInt64(util::Trim(it->second));
    if (!level || *level < INT32_MIN || *level > INT32_MAX) {
      return Status::Invalid("table property ", kLevelProperty, " = ", util::Quote(it->second),
                             ": expected an integer");
    }
    FLOE_ASSIGN_OR_RAISE(auto codec, CodecFromName(p.codec));
    // Codecs without levels (snappy, uncompressed) ignore it, as Java does.
    if (arrow::util::Codec::SupportsCompressionLevel(codec)) {
      auto lo = arrow::util::Codec::MinimumCompressionLevel(codec);
      auto hi = arrow::util::Codec::MaximumCompressionLevel(codec);
      if (lo.ok() && hi.ok() && (*level < *lo || *level > *hi)) {
        return Status::Invalid("table property ", kLevelProperty, " = ", *level, ": ", p.codec,
                               " levels go from ", *lo, " to ", *hi);
      }
      p.compression_level = static_cast<int>(*level);
    }
  }
  FLOE_ASSIGN_OR_RAISE(p.row_group_size_bytes,
                       PositiveSize(properties, kRowGroupProperty, p.row_group_size_bytes));
  FLOE_ASSIGN_OR_RAISE(p.page_size_bytes,
                       PositiveSize(properties, kPageProperty, p.page_size_bytes));
  FLOE_ASSIGN_OR_RAISE(p.dict_size_bytes,
                       PositiveSize(properties, kDictProperty, p.dict_size_bytes));
  FLOE_ASSIGN_OR_RAISE(p.target_file_size_bytes,
                       PositiveSize(properties, kTargetProperty, p.target_file_size_bytes));
  FLOE_ASSIGN_OR_RAISE(p.bloom_filter_max_bytes,
                       PositiveSize(properties, kBloomMaxBytesProperty, p.bloom_filter_max_bytes));
  for (const auto& [key, value] : properties) {
    if (!key.starts_with(kBloomEnabledPrefix)) continue;
    const std::string v = util::AsciiLower(util::Trim(value));
    if (v != "true" && v != "false") {
      return Status::Invalid("table property ", key, " = ", util::Quote(value),
                             ": expected true or false");
    }
    if (v == "false") continue;
    const std::string column = key.substr(kBloomEnabledPrefix.size());
    double fpp = kDefaultBloomFpp;
    if (auto it = properties.find(std::string(kBloomFppPrefix) + column); it != properties.end()) {
      const std::string text(util::Trim(it->second));
      char* end = nullptr;
      fpp = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size() || !(fpp > 0.0 && fpp < 1.0)) {
        return Status::Invalid("table property ", it->first, " = ", util::Quote(it->second),
                               ": expected a false-positive rate between 0 and 1, e.g. 0.01");
      }
    }
    p.bloom_filter_fpp[column] = fpp;
  }
  return p;
}

namespace {

// The Parquet column path of field `id` as Arrow's writer lays it out:
// struct fields by name, a list's element under "list", a map's key and
// value under "key_value" (App. A's three-level lists and maps). Bloom
// filter properties name columns as Iceberg does ("tags.element"); Arrow
// enables filters by this path ("tags.list.element").
bool FindParquetPath(const std::vector<NestedField>& fields, const std::string& prefix,
                     int32_t id, std::string* out) {
  for (const NestedField& f : fields) {
    const std::string path = prefix + f.name;
    if (f.id == id) {
      *out = path;
      return true;
    }
    switch (f.type->id()) {
      case TypeId::kStruct:
        if (FindParquetPath(f.type->fields(), path + ".", id, out)) return true;
        break;
      case TypeId::kList:
        if (FindParquetPath(f.type->fields(), path + ".list.", id, out)) return true;
        break;
      case TypeId::kMap:
        if (FindParquetPath(f.type->fields(), path + ".key_value.", id, out)) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

std::optional<std::string> ParquetColumnPath(const spec::Schema& schema, int32_t id) {
  std::string out;
  if (!FindParquetPath(schema.fields(), "", id, &out)) return std::nullopt;
  return out;
}

}  // namespace

struct ParquetWriter::OpenFile {
  std::string location;
  std::shared_ptr<arrow::io::OutputStream> out;
  TrackingContents* contents = nullptr;  // owned by `writer`
  std::unique_ptr<parquet::arrow::FileWriter> writer;
  std::unique_ptr<ColumnMetricsCollector> metrics;
  int64_t rows = 0;
  bool row_group_full = false;  // start a new row group before the next write
};

ParquetWriter::~ParquetWriter() = default;

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Make(
    spec::Schema schema, const std::map<std::string, std::string>& table_properties,
    std::shared_ptr<io::FileIO> io, LocationFn next_location, ParquetWriterOptions options) {
  if (!io || !next_location) return Status::Invalid("ParquetWriter needs a FileIO and a namer");
  std::unique_ptr<ParquetWriter> w(new ParquetWriter());
  FLOE_ASSIGN_OR_RAISE(w->props_, ParquetWriteProperties::FromTableProperties(table_properties));
  FLOE_ASSIGN_OR_RAISE(w->metrics_config_,
                       MetricsConfig::Make(schema, table_properties, options.sorted_field_ids));
  FLOE_ASSIGN_OR_RAISE(w->arrow_schema_, ToArrowSchema(schema));

  w->has_unknown_ = ContainsUnknown(*schema.as_struct());
  if (w->has_unknown_) {
    std::vector<NestedField> kept;
    for (const NestedField& f : schema.fields()) {
      if (f.type->id() == TypeId::kUnknown) continue;
      NestedField copy = f;
      FLOE_ASSIGN_OR_RAISE(copy.type, PruneUnknown(f.type, f.name));
      kept.push_back(std::move(copy));
    }
    w->file_schema_ = spec::Schema(schema.schema_id(), std::move(kept));
  } else {
    w->file_schema_ = schema;
  }
  FLOE_ASSIGN_OR_RAISE(w->file_arrow_schema_, ToArrowSchema(w->file_schema_));

  FLOE_ASSIGN_OR_RAISE(auto codec, CodecFromName(w->props_.codec));
  arrow::MemoryPool* pool = options.pool ? options.pool : arrow::default_memory_pool();
  parquet::WriterProperties::Builder builder;
  builder.memory_pool(pool)
      ->compression(codec)
      ->data_pagesize(w->props_.page_size_bytes)
      ->dictionary_pagesize_limit(w->props_.dict_size_bytes)
      // Row groups are cut by size (row-group-size-bytes), not by row count.
      ->max_row_group_length(std::numeric_limits<int32_t>::max())
      ->version(parquet::ParquetVersion::PARQUET_2_6)
      ->enable_store_decimal_as_integer();
  if (w->props_.compression_level) builder.compression_level(*w->props_.compression_level);
  for (const auto& [column, fpp] : w->props_.bloom_filter_fpp) {
    // A column the schema no longer has (dropped or renamed since the
    // property was set) gets no filter, as in Java.
    const NestedField* f = w->file_schema_.FindFieldByName(column);
    if (f == nullptr || !f->type->is_primitive() || f->type->id() == TypeId::kBoolean) continue;
    std::optional<std::string> path = ParquetColumnPath(w->file_schema_, f->id);
    if (!path) continue;
    parquet::BloomFilterOptions bloom;
    bloom.fpp = fpp;
    bloom.ndv = BloomNdvFor(w->props_.bloom_filter_max_bytes, fpp);
    bloom.fold = true;  // shrink to the row group's distinct values
    builder.enable_bloom_filter(*path, bloom);
  }
  w->writer_props_ = builder.build();
  w->arrow_writer_props_ =
      parquet::ArrowWriterProperties::Builder().set_use_threads(options.use_threads)->build();
  w->footer_metadata_ =
      arrow::key_value_metadata({"iceberg.schema"}, {spec::SchemaToJson(schema)});

  w->schema_ = std::move(schema);
  w->io_ = std::move(io);
  w->next_location_ = std::move(next_location);
  w->options_ = std::move(options);
  w->options_.pool = pool;
  return w;
}

Status ParquetWriter::StartFile() {
  auto file = std::make_unique<OpenFile>();
  FLOE_ASSIGN_OR_RAISE(file->location, next_location_());
  FLOE_ASSIGN_OR_RAISE(file->out, io_->OpenOutput(file->location));
  created_.push_back(file->location);

  std::shared_ptr<parquet::SchemaDescriptor> descriptor;
  FLOE_RETURN_NOT_OK(FromArrow(parquet::arrow::ToParquetSchema(file_arrow_schema_.get(),
                                                               *writer_props_,
                                                               *arrow_writer_props_, &descriptor),
                               "converting the schema to Parquet"));
  auto root = std::static_pointer_cast<parquet::schema::GroupNode>(descriptor->schema_root());
  try {
    auto inner = parquet::ParquetFileWriter::Open(file->out, root, writer_props_,
                                                  footer_metadata_);
    auto contents = std::make_unique<TrackingContents>(std::move(inner), root, footer_metadata_);
    file->contents = contents.get();
    auto outer = std::make_unique<parquet::ParquetFileWriter>();
    outer->Open(std::move(contents));
    FLOE_RETURN_NOT_OK(FromArrow(
        parquet::arrow::FileWriter::Make(options_.pool, std::move(outer), file_arrow_schema_,
                                         arrow_writer_props_, &file->writer),
        file->location));
  } catch (const std::exception& e) {
    return Status::IOError(file->location, ": cannot start a Parquet file: ", e.what());
  }
  file->metrics = std::make_unique<ColumnMetricsCollector>(schema_, metrics_config_);
  current_ = std::move(file);
  return Status::OK();
}

int64_t ParquetWriter::EstimatedRowGroupSize() const {
  return current_ ? current_->contents->BufferedBytes() : 0;
}

int64_t ParquetWriter::EstimatedFileSize() const {
  if (!current_) return 0;
  auto pos = current_->out->Tell();
  return (pos.ok() ? *pos : 0) + EstimatedRowGroupSize();
}

Status ParquetWriter::CloseFile() {
  std::unique_ptr<OpenFile> file = std::move(current_);
  FLOE_RETURN_NOT_OK(FromArrow(file->writer->Close(), file->location));
  FLOE_ASSIGN_OR_RAISE(int64_t size, FromArrow(file->out->Tell(), file->location));
  FLOE_RETURN_NOT_OK(FromArrow(file->out->Close(), file->location));
  std::shared_ptr<parquet::FileMetaData> footer = file->writer->metadata();
  if (!footer) return Status::IOError(file->location, ": Parquet writer returned no footer");

  manifest::DataFile df;
  df.content = manifest::FileContent::kData;
  df.file_path = file->location;
  df.file_format = manifest::FileFormat::kParquet;
  df.record_count = footer->num_rows();
  df.file_size_in_bytes = size;
  FLOE_RETURN_NOT_OK(file->metrics->Finish(*footer, &df));
  done_.push_back(std::move(df));
  if (file->rows > 0) bytes_per_row_ = static_cast<double>(size) / static_cast<double>(file->rows);
  return Status::OK();
}

Status ParquetWriter::Write(const arrow::RecordBatch& batch) {
  if (failed_) return Status::Invalid("ParquetWriter failed earlier; Abort it");
  if (finished_) return Status::Invalid("ParquetWriter::Write called after Finish");
  if (batch.num_columns() != arrow_schema_->num_fields()) {
    return Status::Invalid("batch has ", batch.num_columns(), " columns, the table schema has ",
                           arrow_schema_->num_fields(), "; conform the batch first");
  }
  for (int i = 0; i < batch.num_columns(); ++i) {
    const arrow::Field& want = *arrow_schema_->field(i);
    const arrow::Array& column = *batch.column(i);
    if (!column.type()->Equals(*want.type(), /*check_metadata=*/false)) {
      return Status::Invalid("column ", i, " ('", want.name(), "') is ", column.type()->ToString(),
                             " but the table schema needs ", want.type()->ToString(),
                             "; conform the batch first");
    }
    if (!want.nullable() && column.null_count() > 0) {
      return Status::Invalid("column '", want.name(), "' is required but has ",
                             column.null_count(), " null values");
    }
  }
  if (batch.num_rows() == 0) return Status::OK();

  // The batch as stored: unknown columns dropped, the writer's schema attached.
  std::vector<std::shared_ptr<arrow::Array>> stored;
  for (int i = 0; i < batch.num_columns(); ++i) {
    const NestedField& f = schema_.fields()[static_cast<size_t>(i)];
    if (f.type->id() == TypeId::kUnknown) continue;
    std::shared_ptr<arrow::Array> column = batch.column(i);
    if (has_unknown_) {
      const auto& type = file_arrow_schema_->field(static_cast<int>(stored.size()))->type();
      column = arrow::MakeArray(StripUnknown(column->data(), *f.type, type));
    }
    stored.push_back(std::move(column));
  }
  auto file_batch = arrow::RecordBatch::Make(file_arrow_schema_, batch.num_rows(), stored);

  Status st = [&]() -> Status {
    const int64_t n = batch.num_rows();
    double batch_bytes_per_row = 0;
    for (int64_t offset = 0; offset < n;) {
      if (!current_) FLOE_RETURN_NOT_OK(StartFile());
      OpenFile& file = *current_;

      // Rows that fit before the next file or row group boundary, from the
      // bytes per row seen so far (this file, an earlier one, or the Arrow
      // size, which overestimates and so errs on the small side).
      double per_row = bytes_per_row_;
      if (file.rows > 0) {
        per_row = static_cast<double>(EstimatedFileSize()) / static_cast<double>(file.rows);
      }
      if (per_row <= 0) {
        if (batch_bytes_per_row == 0) {
          auto bytes = arrow::util::ReferencedBufferSize(batch);
          batch_bytes_per_row =
              std::max(1.0, static_cast<double>(bytes.ok() ? *bytes : 0) / static_cast<double>(n));
        }
        per_row = batch_bytes_per_row;
      }
      const int64_t room =
          std::max<int64_t>(1, std::min(props_.target_file_size_bytes - EstimatedFileSize(),
                                        props_.row_group_size_bytes - EstimatedRowGroupSize()));
      // Fill half the room at a time: the estimate improves as pages are cut.
      const double fit = std::ceil(static_cast<double>(room) / per_row / 2);
      int64_t rows = fit >= static_cast<double>(n - offset)
                         ? n - offset
                         : std::max<int64_t>(kMinSliceRows, static_cast<int64_t>(fit));
      rows = std::min(rows, n - offset);

      if (file.row_group_full) {
        FLOE_RETURN_NOT_OK(FromArrow(file.writer->NewBufferedRowGroup(), file.location));
        file.row_group_full = false;
      }
      FLOE_RETURN_NOT_OK(
          FromArrow(file.writer->WriteRecordBatch(*file_batch->Slice(offset, rows)),
                    file.location));
      FLOE_RETURN_NOT_OK(file.metrics->Update(*batch.Slice(offset, rows)));
      file.rows += rows;
      total_rows_ += rows;
      offset += rows;

      if (EstimatedFileSize() >= props_.target_file_size_bytes) {
        FLOE_RETURN_NOT_OK(CloseFile());
      } else if (EstimatedRowGroupSize() >= props_.row_group_size_bytes) {
        // Started lazily so that a file never ends with an empty row group.
        file.row_group_full = true;
      }
    }
    return Status::OK();
  }();
  if (!st.ok()) failed_ = true;
  return st;
}

Result<std::vector<manifest::DataFile>> ParquetWriter::Finish() {
  if (failed_) return Status::Invalid("ParquetWriter failed earlier; Abort it");
  if (current_) {
    Status st = CloseFile();
    if (!st.ok()) {
      failed_ = true;
      return st;
    }
  }
  created_.clear();
  finished_ = true;
  return std::move(done_);
}

Status ParquetWriter::Abort() {
  if (current_) {
    // Abort the stream first so that dropping the writer cannot finish the
    // file (on S3 this abandons the multipart upload: no object appears).
    (void)current_->out->Abort();
    current_.reset();
  }
  done_.clear();
  Status first;
  for (const std::string& location : created_) {
    Status st = io_->Delete(location);
    if (!st.ok() && first.ok()) first = st;
  }
  created_.clear();
  failed_ = true;
  return first;
}

}  // namespace floe::data
