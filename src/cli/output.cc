#include "cli/output.h"

#include <arrow/api.h>
#include <arrow/csv/writer.h>
#include <arrow/extension/uuid.h>
#include <arrow/io/file.h>
#include <arrow/io/memory.h>
#include <arrow/ipc/writer.h>
#include <fmt/format.h>
#include <parquet/arrow/writer.h>

#include <unistd.h>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <iostream>

#include "floe/spec/literal.h"
#include "floe/util/strings.h"

namespace floe::cli {

namespace {

std::string Text(std::string s, bool json) { return json ? util::JsonQuote(s) : s; }

std::string TemporalText(const spec::Literal& v, const spec::TypePtr& t, bool json) {
  return Text(spec::LiteralToString(v, *t), json);
}

}  // namespace

std::string RenderValue(const arrow::Array& a, int64_t i, bool json) {
  if (a.IsNull(i)) return json ? "null" : "NULL";
  switch (a.type_id()) {
    case arrow::Type::BOOL:
      return static_cast<const arrow::BooleanArray&>(a).Value(i) ? "true" : "false";
    case arrow::Type::INT8: return std::to_string(static_cast<const arrow::Int8Array&>(a).Value(i));
    case arrow::Type::INT16: return std::to_string(static_cast<const arrow::Int16Array&>(a).Value(i));
    case arrow::Type::INT32: return std::to_string(static_cast<const arrow::Int32Array&>(a).Value(i));
    case arrow::Type::INT64: return std::to_string(static_cast<const arrow::Int64Array&>(a).Value(i));
    case arrow::Type::UINT8: return std::to_string(static_cast<const arrow::UInt8Array&>(a).Value(i));
    case arrow::Type::UINT16: return std::to_string(static_cast<const arrow::UInt16Array&>(a).Value(i));
    case arrow::Type::UINT32: return std::to_string(static_cast<const arrow::UInt32Array&>(a).Value(i));
    case arrow::Type::UINT64: return std::to_string(static_cast<const arrow::UInt64Array&>(a).Value(i));
    case arrow::Type::FLOAT:
    case arrow::Type::DOUBLE: {
      double v = a.type_id() == arrow::Type::FLOAT
                     ? static_cast<const arrow::FloatArray&>(a).Value(i)
                     : static_cast<const arrow::DoubleArray&>(a).Value(i);
      if (std::isnan(v)) return json ? "\"NaN\"" : "NaN";
      if (std::isinf(v)) return json ? (v > 0 ? "\"Infinity\"" : "\"-Infinity\"") : (v > 0 ? "Infinity" : "-Infinity");
      return fmt::format("{}", v);
    }
    case arrow::Type::DECIMAL128: {
      // Plain notation at the column's scale ("0.0000000001", never Arrow's
      // "1E-10"), as Iceberg's single-value JSON form writes decimals.
      const auto& d = static_cast<const arrow::Decimal128Array&>(a);
      const auto& type = static_cast<const arrow::Decimal128Type&>(*a.type());
      arrow::Decimal128 v(d.GetValue(i));
      spec::Int128 unscaled = (static_cast<spec::Int128>(v.high_bits()) << 64) |
                              static_cast<spec::Int128>(v.low_bits());
      return Text(spec::LiteralToString(spec::Literal::Decimal(unscaled),
                                        *spec::Type::Decimal(type.precision(), type.scale())),
                  json);
    }
    case arrow::Type::DATE32:
      return TemporalText(spec::Literal::Int(static_cast<const arrow::Date32Array&>(a).Value(i)),
                          spec::Type::Date(), json);
    case arrow::Type::TIME64: {
      int64_t v = static_cast<const arrow::Time64Array&>(a).Value(i);
      return TemporalText(spec::Literal::Long(v), spec::Type::Time(), json);
    }
    case arrow::Type::TIMESTAMP: {
      const auto& type = static_cast<const arrow::TimestampType&>(*a.type());
      int64_t v = static_cast<const arrow::TimestampArray&>(a).Value(i);
      bool tz = !type.timezone().empty();
      spec::TypePtr t;
      if (type.unit() == arrow::TimeUnit::NANO) {
        t = tz ? spec::Type::TimestampTzNs() : spec::Type::TimestampNs();
      } else {
        if (type.unit() == arrow::TimeUnit::MILLI) v *= 1000;
        if (type.unit() == arrow::TimeUnit::SECOND) v *= 1000000;
        t = tz ? spec::Type::TimestampTz() : spec::Type::Timestamp();
      }
      return TemporalText(spec::Literal::Long(v), t, json);
    }
    case arrow::Type::STRING:
      return Text(std::string(static_cast<const arrow::StringArray&>(a).GetView(i)), json);
    case arrow::Type::LARGE_STRING:
      return Text(std::string(static_cast<const arrow::LargeStringArray&>(a).GetView(i)), json);
    case arrow::Type::BINARY:
      return Text(util::HexEncode(static_cast<const arrow::BinaryArray&>(a).GetView(i)), json);
    case arrow::Type::FIXED_SIZE_BINARY:
      return Text(util::HexEncode(static_cast<const arrow::FixedSizeBinaryArray&>(a).GetView(i)),
                  json);
    case arrow::Type::EXTENSION: {
      const auto& ext = static_cast<const arrow::ExtensionArray&>(a);
      const auto& et = static_cast<const arrow::ExtensionType&>(*a.type());
      if (et.extension_name() == "arrow.uuid") {
        auto bytes = static_cast<const arrow::FixedSizeBinaryArray&>(*ext.storage()).GetView(i);
        return TemporalText(spec::Literal::Binary(std::string(bytes)), spec::Type::Uuid(), json);
      }
      return RenderValue(*ext.storage(), i, json);
    }
    case arrow::Type::STRUCT: {
      const auto& s = static_cast<const arrow::StructArray&>(a);
      std::string out = "{";
      for (int f = 0; f < s.num_fields(); ++f) {
        if (f) out += json ? "," : ", ";
        out += json ? util::JsonQuote(s.type()->field(f)->name()) + ":" : s.type()->field(f)->name() + ": ";
        out += RenderValue(*s.field(f), i, true);
      }
      return out + "}";
    }
    case arrow::Type::LIST: {
      const auto& l = static_cast<const arrow::ListArray&>(a);
      std::string out = "[";
      for (int64_t k = l.value_offset(i); k < l.value_offset(i + 1); ++k) {
        if (k > l.value_offset(i)) out += json ? "," : ", ";
        out += RenderValue(*l.values(), k, true);
      }
      return out + "]";
    }
    case arrow::Type::MAP: {
      const auto& m = static_cast<const arrow::MapArray&>(a);
      bool string_keys = m.keys()->type_id() == arrow::Type::STRING;
      std::string out = string_keys ? "{" : "[";
      for (int64_t k = m.value_offset(i); k < m.value_offset(i + 1); ++k) {
        if (k > m.value_offset(i)) out += json ? "," : ", ";
        if (string_keys) {
          out += RenderValue(*m.keys(), k, true) + (json ? ":" : ": ") +
                 RenderValue(*m.items(), k, true);
        } else {
          out += "[" + RenderValue(*m.keys(), k, true) + (json ? "," : ", ") +
                 RenderValue(*m.items(), k, true) + "]";
        }
      }
      return out + (string_keys ? "}" : "]");
    }
    default: {
      auto scalar = a.GetScalar(i);
      return scalar.ok() ? Text((*scalar)->ToString(), json) : "?";
    }
  }
}

namespace {

// Buffers rows and prints them as an aligned table at the end.
class TableWriterText final : public ResultWriter {
 public:
  TableWriterText(std::shared_ptr<arrow::Schema> schema, std::ostream* out)
      : schema_(std::move(schema)), out_(out) {
    for (const auto& f : schema_->fields()) header_.push_back(f->name());
  }
  Status Write(const arrow::RecordBatch& batch) override {
    for (int64_t r = 0; r < batch.num_rows(); ++r) {
      std::vector<std::string> row;
      for (int c = 0; c < batch.num_columns(); ++c) {
        row.push_back(RenderValue(*batch.column(c), r, false));
      }
      rows_.push_back(std::move(row));
    }
    return Status::OK();
  }
  Status Close() override {
    std::vector<size_t> widths;
    for (const auto& h : header_) widths.push_back(Width(h));
    for (const auto& r : rows_) {
      for (size_t c = 0; c < r.size(); ++c) widths[c] = std::max(widths[c], Width(r[c]));
    }
    auto line = [&](const std::vector<std::string>& cells) {
      std::string s;
      for (size_t c = 0; c < cells.size(); ++c) {
        if (c) s += " | ";
        s += cells[c];
        if (c + 1 < cells.size()) s += std::string(widths[c] - Width(cells[c]), ' ');
      }
      *out_ << s << "\n";
    };
    line(header_);
    std::string rule;
    for (size_t c = 0; c < widths.size(); ++c) {
      if (c) rule += "-+-";
      rule += std::string(widths[c], '-');
    }
    *out_ << rule << "\n";
    for (const auto& r : rows_) line(r);
    *out_ << "(" << rows_.size() << (rows_.size() == 1 ? " row)\n" : " rows)\n");
    return Status::OK();
  }

 private:
  // Display width: UTF-8 code points (wide characters count as one).
  static size_t Width(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  }
  std::shared_ptr<arrow::Schema> schema_;
  std::ostream* out_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

class JsonLinesWriter final : public ResultWriter {
 public:
  explicit JsonLinesWriter(std::ostream* out) : out_(out) {}
  Status Write(const arrow::RecordBatch& batch) override {
    std::string text;
    for (int64_t r = 0; r < batch.num_rows(); ++r) {
      text += "{";
      for (int c = 0; c < batch.num_columns(); ++c) {
        if (c) text += ",";
        text += util::JsonQuote(batch.schema()->field(c)->name()) + ":" +
                RenderValue(*batch.column(c), r, true);
      }
      text += "}\n";
    }
    *out_ << text;
    return Status::OK();
  }
  Status Close() override {
    out_->flush();
    return Status::OK();
  }

 private:
  std::ostream* out_;
};

// Arrow's CSV writer into a buffer, copied to the stream per batch.
class CsvWriter final : public ResultWriter {
 public:
  CsvWriter(std::shared_ptr<arrow::Schema> schema, std::ostream* out)
      : schema_(std::move(schema)), out_(out) {}
  Status Write(const arrow::RecordBatch& batch) override {
    // Arrow's CSV writer cannot print nested or extension types: render those as text.
    arrow::ArrayVector cols;
    arrow::FieldVector fields;
    for (int c = 0; c < batch.num_columns(); ++c) {
      const auto& col = batch.column(c);
      auto id = col->type_id();
      if (id == arrow::Type::STRUCT || id == arrow::Type::LIST || id == arrow::Type::MAP ||
          id == arrow::Type::EXTENSION || id == arrow::Type::BINARY ||
          id == arrow::Type::FIXED_SIZE_BINARY || id == arrow::Type::TIMESTAMP ||
          id == arrow::Type::DECIMAL128 || id == arrow::Type::TIME64) {
        arrow::StringBuilder b;
        for (int64_t r = 0; r < col->length(); ++r) {
          if (col->IsNull(r)) {
            (void)b.AppendNull();
          } else {
            (void)b.Append(RenderValue(*col, r, false));
          }
        }
        std::shared_ptr<arrow::Array> s;
        (void)b.Finish(&s);
        cols.push_back(s);
        fields.push_back(arrow::field(batch.schema()->field(c)->name(), arrow::utf8()));
      } else {
        cols.push_back(col);
        fields.push_back(batch.schema()->field(c));
      }
    }
    auto b = arrow::RecordBatch::Make(arrow::schema(fields), batch.num_rows(), cols);
    auto sink = arrow::io::BufferOutputStream::Create();
    if (!sink.ok()) return Status::IOError("csv: ", sink.status().message());
    auto options = arrow::csv::WriteOptions::Defaults();
    options.include_header = first_;
    first_ = false;
    auto st = arrow::csv::WriteCSV(*b, options, sink->get());
    if (!st.ok()) return Status::IOError("csv: ", st.message());
    auto buf = (*sink)->Finish();
    if (!buf.ok()) return Status::IOError("csv: ", buf.status().message());
    out_->write(reinterpret_cast<const char*>((*buf)->data()), (*buf)->size());
    return Status::OK();
  }
  Status Close() override {
    if (first_) {  // no rows: still print the header
      std::string header;
      for (int c = 0; c < schema_->num_fields(); ++c) {
        header += (c ? "," : "") + util::JsonQuote(schema_->field(c)->name());
      }
      *out_ << header << "\n";
    }
    out_->flush();
    return Status::OK();
  }

 private:
  std::shared_ptr<arrow::Schema> schema_;
  std::ostream* out_;
  bool first_ = true;
};

class ParquetOutput final : public ResultWriter {
 public:
  static Result<std::unique_ptr<ResultWriter>> Make(std::shared_ptr<arrow::Schema> schema,
                                                    const std::string& path) {
    auto out = arrow::io::FileOutputStream::Open(path);
    if (!out.ok()) return Status::IOError(path, ": ", out.status().message());
    auto props = parquet::WriterProperties::Builder().compression(parquet::Compression::ZSTD)->build();
    auto writer = parquet::arrow::FileWriter::Open(*schema, arrow::default_memory_pool(), *out, props);
    if (!writer.ok()) return Status::IOError(path, ": ", writer.status().message());
    auto w = std::make_unique<ParquetOutput>();
    w->writer_ = std::move(*writer);
    w->path_ = path;
    return std::unique_ptr<ResultWriter>(std::move(w));
  }
  Status Write(const arrow::RecordBatch& batch) override {
    auto st = writer_->WriteRecordBatch(batch);
    return st.ok() ? Status::OK() : Status::IOError(path_, ": ", st.message());
  }
  Status Close() override {
    auto st = writer_->Close();
    return st.ok() ? Status::OK() : Status::IOError(path_, ": ", st.message());
  }

 private:
  std::unique_ptr<parquet::arrow::FileWriter> writer_;
  std::string path_;
};

// Arrow IPC stream format: what pyarrow.ipc.open_stream, DuckDB and Polars
// read without a re-encode. To --output, else to stdout (file descriptor 1,
// unbuffered by iostreams: nothing else is printed there in this format).
// Standard output as an Arrow stream. arrow::io::FileOutputStream asks the
// kernel for its position (lseek), which fails on a pipe — the usual
// destination of `floe scan --format arrow | ...` — so this one counts the
// bytes it wrote instead.
class StdoutStream final : public arrow::io::OutputStream {
 public:
  arrow::Status Close() override {
    closed_ = true;
    return arrow::Status::OK();
  }
  bool closed() const override { return closed_; }
  arrow::Result<int64_t> Tell() const override { return position_; }
  arrow::Status Write(const void* data, int64_t nbytes) override {
    const auto* p = static_cast<const char*>(data);
    while (nbytes > 0) {
      ssize_t n = ::write(1, p, static_cast<size_t>(nbytes));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return arrow::Status::IOError("write failed: ", std::strerror(errno));
      p += n;
      nbytes -= n;
      position_ += n;
    }
    return arrow::Status::OK();
  }

 private:
  int64_t position_ = 0;
  bool closed_ = false;
};

class ArrowOutput final : public ResultWriter {
 public:
  static Result<std::unique_ptr<ResultWriter>> Make(std::shared_ptr<arrow::Schema> schema,
                                                    const std::string& path) {
    const std::string name = path.empty() ? "stdout" : path;
    std::shared_ptr<arrow::io::OutputStream> sink;
    if (path.empty()) {
      std::cout.flush();
      sink = std::make_shared<StdoutStream>();
    } else {
      auto out = arrow::io::FileOutputStream::Open(path);
      if (!out.ok()) return Status::IOError(path, ": ", out.status().message());
      sink = *out;
    }
    auto writer = arrow::ipc::MakeStreamWriter(sink, schema);
    if (!writer.ok()) return Status::IOError(name, ": ", writer.status().message());
    auto w = std::make_unique<ArrowOutput>();
    w->sink_ = std::move(sink);
    w->writer_ = std::move(*writer);
    w->name_ = name;
    w->close_sink_ = !path.empty();
    return std::unique_ptr<ResultWriter>(std::move(w));
  }
  Status Write(const arrow::RecordBatch& batch) override {
    auto st = writer_->WriteRecordBatch(batch);
    return st.ok() ? Status::OK() : Status::IOError(name_, ": ", st.message());
  }
  Status Close() override {
    auto st = writer_->Close();
    if (st.ok() && close_sink_) st = sink_->Close();
    return st.ok() ? Status::OK() : Status::IOError(name_, ": ", st.message());
  }

 private:
  std::shared_ptr<arrow::io::OutputStream> sink_;
  std::shared_ptr<arrow::ipc::RecordBatchWriter> writer_;
  std::string name_;
  bool close_sink_ = false;
};

}  // namespace

Result<OutputFormat> ParseOutputFormat(const std::string& name) {
  if (name == "table") return OutputFormat::kTable;
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "json") return OutputFormat::kJson;
  if (name == "parquet") return OutputFormat::kParquet;
  if (name == "arrow") return OutputFormat::kArrow;
  return Status::Invalid("unknown format '", name, "'; use table, csv, json, parquet or arrow");
}

Result<std::unique_ptr<ResultWriter>> MakeResultWriter(OutputFormat format,
                                                       std::shared_ptr<arrow::Schema> schema,
                                                       std::ostream* out,
                                                       const std::string& output_path) {
  switch (format) {
    case OutputFormat::kTable: return std::unique_ptr<ResultWriter>(new TableWriterText(schema, out));
    case OutputFormat::kCsv: return std::unique_ptr<ResultWriter>(new CsvWriter(schema, out));
    case OutputFormat::kJson: return std::unique_ptr<ResultWriter>(new JsonLinesWriter(out));
    case OutputFormat::kParquet:
      if (output_path.empty()) {
        return Status::Invalid("--format parquet needs --output FILE");
      }
      return ParquetOutput::Make(std::move(schema), output_path);
    case OutputFormat::kArrow: return ArrowOutput::Make(std::move(schema), output_path);
  }
  return Status::Invalid("unknown output format");
}

}  // namespace floe::cli
