// Writing scan results: an aligned text table, CSV, JSON lines, or Parquet.
// Values print as the spec's readable forms (ISO dates and times, decimals
// as text, uuids in 8-4-4-4-12 form, binary as hex).
#pragma once

#include <arrow/type_fwd.h>

#include <memory>
#include <ostream>
#include <string>

#include "floe/result.h"

namespace floe::cli {

enum class OutputFormat { kTable, kCsv, kJson, kParquet, kArrow };
Result<OutputFormat> ParseOutputFormat(const std::string& name);

// Receives the batches of one result and writes them.
class ResultWriter {
 public:
  virtual ~ResultWriter() = default;
  virtual Status Write(const arrow::RecordBatch& batch) = 0;
  virtual Status Close() = 0;
};

// `out` is used for text formats; Parquet needs `output_path`; Arrow (the
// IPC stream format) goes to `output_path`, or to stdout when it is empty.
Result<std::unique_ptr<ResultWriter>> MakeResultWriter(OutputFormat format,
                                                       std::shared_ptr<arrow::Schema> schema,
                                                       std::ostream* out,
                                                       const std::string& output_path);

// One value of `array` at `row` as text (JSON form when `json`).
std::string RenderValue(const arrow::Array& array, int64_t row, bool json);

}  // namespace floe::cli
