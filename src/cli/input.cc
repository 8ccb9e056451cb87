#include "cli/input.h"

#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <arrow/csv/api.h>
#include <arrow/io/file.h>
#include <arrow/json/api.h>
#include <parquet/arrow/reader.h>

#include <filesystem>
#include <memory>
#include <unordered_map>

#include "floe/data/arrow_schema.h"
#include "floe/spec/literal.h"
#include "floe/util/strings.h"

namespace floe::cli {

namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         util::AsciiLower(s.substr(s.size() - suffix.size())) == suffix;
}

Status FromArrow(const arrow::Status& st, const std::string& path) {
  if (st.ok()) return Status::OK();
  return Status::Invalid(path, ": ", st.message());
}

// Arrow types that text columns of these Iceberg types should become.
std::unordered_map<std::string, std::shared_ptr<arrow::DataType>> TypeHints(
    const spec::Schema& schema) {
  std::unordered_map<std::string, std::shared_ptr<arrow::DataType>> hints;
  for (const spec::NestedField& f : schema.fields()) {
    if (!f.type->is_primitive() || f.type->id() == spec::TypeId::kUuid) continue;
    auto t = data::ToArrowType(*f.type);
    if (t.ok()) hints.emplace(f.name, *t);
  }
  return hints;
}

// Text columns (NDJSON gives strings for dates, decimals, uuids) cast to the
// table's type where Arrow can; uuid strings are parsed here.
Result<std::shared_ptr<arrow::RecordBatch>> CoerceText(std::shared_ptr<arrow::RecordBatch> batch,
                                                       const spec::Schema& schema,
                                                       const std::string& path) {
  arrow::ArrayVector columns = batch->columns();
  arrow::FieldVector fields = batch->schema()->fields();
  bool changed = false;
  for (int i = 0; i < batch->num_columns(); ++i) {
    if (columns[i]->type_id() != arrow::Type::STRING) continue;
    const spec::NestedField* f = schema.FindFieldByName(fields[i]->name());
    if (!f || !f->type->is_primitive() || f->type->id() == spec::TypeId::kString) continue;
    if (f->type->id() == spec::TypeId::kUuid) {
      const auto& s = static_cast<const arrow::StringArray&>(*columns[i]);
      arrow::FixedSizeBinaryBuilder b(arrow::fixed_size_binary(16));
      for (int64_t r = 0; r < s.length(); ++r) {
        if (s.IsNull(r)) {
          (void)b.AppendNull();
          continue;
        }
        std::string hex;
        for (char c : s.GetView(r)) {
          if (c != '-') hex += c;
        }
        auto bytes = util::HexDecode(hex);
        if (!bytes || bytes->size() != 16) {
          return Status::Invalid(path, ": column '", f->name, "' row ", r, ": ",
                                 util::Quote(s.GetView(r)), " is not a uuid");
        }
        (void)b.Append(*bytes);
      }
      std::shared_ptr<arrow::Array> out;
      (void)b.Finish(&out);
      columns[i] = out;
      fields[i] = arrow::field(fields[i]->name(), out->type(), fields[i]->nullable());
      changed = true;
      continue;
    }
    auto target = data::ToArrowType(*f->type);
    if (!target.ok()) continue;
    if (f->type->id() == spec::TypeId::kTime) {
      // Arrow has no string -> time64 cast: read each value as Iceberg text.
      const auto& s = static_cast<const arrow::StringArray&>(*columns[i]);
      arrow::Time64Builder b(*target, arrow::default_memory_pool());
      for (int64_t r = 0; r < s.length(); ++r) {
        if (s.IsNull(r)) {
          (void)b.AppendNull();
          continue;
        }
        auto v = spec::LiteralFromString(util::Trim(s.GetView(r)), *f->type);
        if (!v.ok()) {
          return Status::Invalid(path, ": column '", f->name, "' row ", r, ": ",
                                 util::Quote(s.GetView(r)),
                                 " is not a valid time (expected HH:MM:SS[.ffffff])");
        }
        (void)b.Append(v->long_value());
      }
      std::shared_ptr<arrow::Array> out;
      (void)b.Finish(&out);
      columns[i] = out;
      fields[i] = arrow::field(fields[i]->name(), out->type(), fields[i]->nullable());
      changed = true;
      continue;
    }
    auto cast = arrow::compute::Cast(*columns[i], *target);
    if (!cast.ok()) {
      return Status::Invalid(path, ": column '", f->name, "' holds text that is not a valid ",
                             f->type->ToString(), ": ", cast.status().message());
    }
    columns[i] = *cast;
    fields[i] = arrow::field(fields[i]->name(), *target, fields[i]->nullable());
    changed = true;
  }
  if (!changed) return batch;
  return arrow::RecordBatch::Make(arrow::schema(fields), batch->num_rows(), columns);
}

// One open file yielding batches.
class FileInput {
 public:
  virtual ~FileInput() = default;
  virtual Result<std::shared_ptr<arrow::RecordBatch>> Next() = 0;
};

class ReaderInput : public FileInput {
 public:
  ReaderInput(std::shared_ptr<arrow::RecordBatchReader> reader, std::string path,
              std::unique_ptr<parquet::arrow::FileReader> owner = nullptr)
      : owner_(std::move(owner)), reader_(std::move(reader)), path_(std::move(path)) {}
  Result<std::shared_ptr<arrow::RecordBatch>> Next() override {
    std::shared_ptr<arrow::RecordBatch> batch;
    FLOE_RETURN_NOT_OK(FromArrow(reader_->ReadNext(&batch), path_));
    return batch;
  }

 private:
  std::unique_ptr<parquet::arrow::FileReader> owner_;
  std::shared_ptr<arrow::RecordBatchReader> reader_;
  std::string path_;
};

class CsvInput : public FileInput {
 public:
  explicit CsvInput(std::shared_ptr<arrow::csv::StreamingReader> r, std::string path)
      : reader_(std::move(r)), path_(std::move(path)) {}
  Result<std::shared_ptr<arrow::RecordBatch>> Next() override {
    std::shared_ptr<arrow::RecordBatch> batch;
    FLOE_RETURN_NOT_OK(FromArrow(reader_->ReadNext(&batch), path_));
    return batch;
  }

 private:
  std::shared_ptr<arrow::csv::StreamingReader> reader_;
  std::string path_;
};

class JsonInput : public FileInput {
 public:
  explicit JsonInput(std::shared_ptr<arrow::json::StreamingReader> r, std::string path)
      : reader_(std::move(r)), path_(std::move(path)) {}
  Result<std::shared_ptr<arrow::RecordBatch>> Next() override {
    std::shared_ptr<arrow::RecordBatch> batch;
    FLOE_RETURN_NOT_OK(FromArrow(reader_->ReadNext(&batch), path_));
    return batch;
  }

 private:
  std::shared_ptr<arrow::json::StreamingReader> reader_;
  std::string path_;
};

Result<std::unique_ptr<FileInput>> Open(const std::string& path, const spec::Schema& schema) {
  auto file = arrow::io::ReadableFile::Open(path);
  if (!file.ok()) return Status::IOError(path, ": cannot open: ", file.status().message());
  if (EndsWith(path, ".parquet") || EndsWith(path, ".parq")) {
    auto reader = parquet::arrow::OpenFile(*file, arrow::default_memory_pool());
    if (!reader.ok()) return Status::Invalid(path, ": not a Parquet file: ", reader.status().message());
    // Decode the columns of each row group on Arrow's CPU pool: one input
    // file is otherwise read by one thread while the writers wait.
    (*reader)->set_use_threads(true);
    auto batches = (*reader)->GetRecordBatchReader();
    if (!batches.ok()) return FromArrow(batches.status(), path);
    std::shared_ptr<arrow::RecordBatchReader> shared = std::move(*batches);
    return std::unique_ptr<FileInput>(new ReaderInput(shared, path, std::move(*reader)));
  }
  auto hints = TypeHints(schema);
  if (EndsWith(path, ".csv") || EndsWith(path, ".tsv")) {
    auto read = arrow::csv::ReadOptions::Defaults();
    auto parse = arrow::csv::ParseOptions::Defaults();
    if (EndsWith(path, ".tsv")) parse.delimiter = '\t';
    auto convert = arrow::csv::ConvertOptions::Defaults();
    for (auto& [name, type] : hints) convert.column_types[name] = type;
    convert.strings_can_be_null = true;
    auto reader = arrow::csv::StreamingReader::Make(arrow::io::default_io_context(), *file, read,
                                                    parse, convert);
    if (!reader.ok()) return Status::Invalid(path, ": cannot read CSV: ", reader.status().message());
    return std::unique_ptr<FileInput>(new CsvInput(*reader, path));
  }
  if (EndsWith(path, ".json") || EndsWith(path, ".ndjson") || EndsWith(path, ".jsonl")) {
    auto read = arrow::json::ReadOptions::Defaults();
    auto parse = arrow::json::ParseOptions::Defaults();
    arrow::FieldVector explicit_fields;
    for (const spec::NestedField& f : schema.fields()) {
      auto it = hints.find(f.name);
      if (it == hints.end()) continue;
      // JSON carries dates and decimals as text; they are cast afterwards.
      auto id = it->second->id();
      bool textual = id == arrow::Type::DATE32 || id == arrow::Type::DECIMAL128 ||
                     id == arrow::Type::TIME64 || id == arrow::Type::BINARY ||
                     id == arrow::Type::FIXED_SIZE_BINARY;
      explicit_fields.push_back(arrow::field(f.name, textual ? arrow::utf8() : it->second));
    }
    parse.explicit_schema = arrow::schema(explicit_fields);
    parse.unexpected_field_behavior = arrow::json::UnexpectedFieldBehavior::InferType;
    auto reader = arrow::json::StreamingReader::Make(*file, read, parse);
    if (!reader.ok()) return Status::Invalid(path, ": cannot read JSON: ", reader.status().message());
    return std::unique_ptr<FileInput>(new JsonInput(*reader, path));
  }
  return Status::Invalid(path, ": unknown file type; use .parquet, .csv, .tsv, .json, .ndjson "
                               "or .jsonl");
}

}  // namespace

Result<table::BatchSource> OpenInputs(const std::vector<std::string>& paths,
                                      const spec::Schema& table_schema, InputProgress progress) {
  if (paths.empty()) return Status::Invalid("no input files given");
  for (const std::string& p : paths) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) return Status::NotFound(p, ": no such file");
  }
  struct State {
    std::vector<std::string> paths;
    spec::Schema schema;
    size_t index = 0;
    std::unique_ptr<FileInput> current;
    int64_t rows = 0;
    InputProgress progress;
  };
  auto state = std::make_shared<State>();
  state->paths = paths;
  state->schema = table_schema;
  state->progress = std::move(progress);
  return table::BatchSource([state]() -> Result<std::shared_ptr<arrow::RecordBatch>> {
    while (state->index < state->paths.size()) {
      const std::string& path = state->paths[state->index];
      if (!state->current) {
        FLOE_ASSIGN_OR_RAISE(state->current, Open(path, state->schema));
      }
      FLOE_ASSIGN_OR_RAISE(auto batch, state->current->Next());
      if (!batch) {
        state->current.reset();
        ++state->index;
        continue;
      }
      auto coerced = CoerceText(batch, state->schema, path);
      if (!coerced.ok()) return coerced.status();
      state->rows += (*coerced)->num_rows();
      if (state->progress) state->progress(state->rows, state->index);
      return *coerced;
    }
    return std::shared_ptr<arrow::RecordBatch>();
  });
}

}  // namespace floe::cli
